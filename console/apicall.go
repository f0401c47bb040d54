package console

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
)

// apiResult is the API's answer to an in-process call.
type apiResult struct {
	status int
	header http.Header
	body   []byte
}

func (a apiResult) ok() bool { return a.status >= 200 && a.status < 300 }

// decode reads a JSON object answer (nil when the body is not one).
func (a apiResult) object() map[string]any {
	var m map[string]any
	if json.Unmarshal(a.body, &m) != nil {
		return nil
	}
	return m
}

// apiProblem is a problem+json answer.
type apiProblem struct {
	Type   string `json:"type"`
	Title  string `json:"title"`
	Status int    `json:"status"`
	Detail string `json:"detail"`
	Errors []struct {
		Field   string `json:"field"`
		Message string `json:"message"`
	} `json:"errors"`
}

func (a apiResult) problem() apiProblem {
	var p apiProblem
	_ = json.Unmarshal(a.body, &p)
	if p.Status == 0 {
		p.Status = a.status
	}
	return p
}

// call runs one request through the API's own handler, as the signed-in
// user: the same authentication, scope, masking and access logging as a
// request from outside. reason, when set, is the X-Access-Reason.
func (c *Console) call(r *http.Request, s *session, method, path string, query url.Values, body any, header map[string]string) apiResult {
	target := "/api/v1" + path
	if len(query) > 0 {
		target += "?" + query.Encode()
	}
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return apiResult{status: http.StatusInternalServerError}
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(r.Context(), method, target, rd) // #nosec G704 -- never sent: the API handler serves it in-process (ServeHTTP below)
	if err != nil {
		// The console builds every path from escaped parts; a client's
		// odd input is not found rather than a crash.
		return apiResult{status: http.StatusNotFound}
	}
	req.RemoteAddr = r.RemoteAddr
	req.Header.Set("Authorization", "Bearer "+s.token)
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if id := r.Header.Get("X-Request-Id"); id != "" {
		req.Header.Set("X-Request-Id", id)
	}
	for k, v := range header {
		if v != "" {
			req.Header.Set(k, v)
		}
	}
	rec := httptest.NewRecorder()
	c.cfg.API.ServeHTTP(rec, req)
	res := rec.Result()
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return apiResult{status: res.StatusCode, header: res.Header, body: b}
}
