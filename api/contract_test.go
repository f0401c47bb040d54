package api

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/fristad/fristad/domain"
	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"
	"github.com/stretchr/testify/require"
)

// The contract test drives every route of the table against the running
// server, for its success and for each problem the document lists, and
// validates every request it means to be valid and every response with
// kin-openapi against the document the server serves. A route added to
// the table is covered by the generic cases below (its success comes from
// the role matrix's fixture cell, which every route must have); a status
// the generic cases cannot provoke needs an entry in contractExtras, and
// the test fails naming the route and the status until it has one.
//
// Not provoked: 409 (a lost race against fresh state), 500, and 503 of a
// route that is not Logged (a read model that lags behind a sequence the
// stream has reached, a full report queue); the access log's 503 is.

// contractCase is one request and the status it must get.
type contractCase struct {
	name    string
	status  int
	method  string
	path    string // with /api/v1
	user    *user
	body    any // nil, a string or []byte sent as is, or a value sent as JSON
	ctype   string
	headers []string
	// valid: the request is what the document allows, so it is validated
	// too (malformed requests are the point of most error cases).
	valid bool
}

// contractExtras are the route-specific cases; setup may change the world
// first.
var contractExtras = map[string]func(h *harness, f *fixture) []contractCase{
	"GET /cases/:id": func(h *harness, f *fixture) []contractCase {
		reason := []string{accessReasonHeader, "Kontrakt"}
		p := "/api/v1/cases/" + f.caseA
		// A fuller file: an adult's risk assessment and safety plan (no
		// child named), a note, a flag.
		h.must(200, "POST", p+"/risk-assessments", &anna, map[string]any{"instrument": "sara", "level": "high", "concerns": "adult", "assessed_on": "2026-03-06"})
		h.must(200, "POST", p+"/safety-plans", &anna, map[string]any{"for": "adult", "occasion": "move_in", "made_on": "2026-03-05", "plan": "Plan"})
		h.must(201, "POST", p+"/notes", &anna, map[string]any{"text": "Anteckning"})
		return []contractCase{
			{name: "a fuller file", status: 200, method: "GET", path: p, user: &anna, valid: true, headers: reason},
			{name: "its history", status: 200, method: "GET", path: p + "/events", user: &anna, valid: true, headers: reason},
			{name: "party view", status: 200, method: "GET", path: p + "?view=party", user: &anna, valid: true, headers: reason},
			{name: "supervisor", status: 200, method: "GET", path: p, user: &sara, valid: true, headers: reason},
			{name: "provider: the assignment view", status: 200, method: "GET", path: p, user: &jouren, valid: true, headers: reason},
		}
	},
	"GET /partner-contacts/:id": func(h *harness, f *fixture) []contractCase {
		reason := []string{accessReasonHeader, "Kontrakt"}
		p := "/api/v1/partner-contacts/" + f.contact
		return []contractCase{
			{name: "the partner side", status: 200, method: "GET", path: p, user: &partnerk, valid: true, headers: reason},
			{name: "a supervisor: both sides", status: 200, method: "GET", path: p, user: &sara, valid: true, headers: reason},
		}
	},
	"GET /cases/:id/events": func(h *harness, f *fixture) []contractCase {
		p := "/api/v1/cases/" + f.caseA + "/events"
		first := h.must(200, "GET", p+"?limit=2", &anna, nil)
		next, _ := first.json(h.t)["next_cursor"].(string)
		require.NotEmpty(h.t, next, "a first page of two events has a next page")
		return []contractCase{
			{name: "a page", status: 200, method: "GET", path: p + "?limit=2&cursor=" + next, user: &anna, valid: true, headers: []string{accessReasonHeader, "Kontrakt"}},
			{name: "a cursor not from this list", status: 400, method: "GET", path: p + "?cursor=v99999", user: &anna, valid: true},
		}
	},
	"GET /persons/:id": func(h *harness, f *fixture) []contractCase {
		h.must(200, "POST", "/api/v1/cases/"+f.caseA+"/protected-identity", &anna, map[string]any{"level": "sekretessmarkering"})
		return []contractCase{{name: "protected without X-Access-Reason", status: 400, method: "GET", path: "/api/v1/persons/" + f.subject, user: &anna, valid: true}}
	},
	"POST /cases": func(h *harness, f *fixture) []contractCase {
		return []contractCase{{name: "no such person", status: 404, method: "POST", path: "/api/v1/cases", user: &anna, valid: true,
			body: map[string]any{"unit": "vuxen", "target_group": "adult_victim", "source": "report", "received_on": "2026-03-01", "person_id": domain.NewID()}},
			{name: "the subject both given and named", status: 400, method: "POST", path: "/api/v1/cases", user: &anna, valid: true,
				body: map[string]any{"unit": "vuxen", "target_group": "adult_victim", "source": "report", "received_on": "2026-03-01", "person_id": f.subject,
					"subject": map[string]any{"sex": "female", "birth_year": 1990, "name": "X"}}}}
	},
	"POST /cases/:id/placements": func(h *harness, f *fixture) []contractCase {
		return []contractCase{{name: "a placement already open", status: 422, method: "POST", path: "/api/v1/cases/" + f.caseA + "/placements", user: &anna, valid: true,
			body: map[string]any{"decision_id": f.housing, "provider_id": providerA, "moved_in_on": "2026-03-07"}}}
	},
	"POST /cases/:id/placements/:pid/extension": func(h *harness, f *fixture) []contractCase {
		return []contractCase{{name: "not after the end", status: 422, method: "POST", path: "/api/v1/cases/" + f.caseA + "/placements/" + f.placement + "/extension",
			user: &anna, valid: true, body: map[string]any{"until": "2026-03-06"}}}
	},
	"POST /partner-contacts": func(h *harness, f *fixture) []contractCase {
		return []contractCase{{name: "no such treatment case", status: 422, method: "POST", path: "/api/v1/partner-contacts", user: &behandla, valid: true,
			body: map[string]any{"treatment_case_id": domain.NewID(), "partner": map[string]any{"name": "X"}}}}
	},
	"PUT /admin/delegation": func(h *harness, f *fixture) []contractCase {
		rules := domain.DefaultDelegationOrder().Rules
		h.must(200, "PUT", "/api/v1/admin/delegation", &admin, map[string]any{"rules": rules}, "Idempotency-Key", "order-1")
		fewer := rules[:len(rules)-1]
		return []contractCase{{name: "key reused with another order", status: 422, method: "PUT", path: "/api/v1/admin/delegation", user: &admin, valid: true,
			body: map[string]any{"rules": fewer}, headers: []string{"Idempotency-Key", "order-1"}}}
	},
	"POST /cases/:id/links": func(h *harness, f *fixture) []contractCase {
		p := "/api/v1/cases/" + f.caseA + "/links"
		h.must(201, "POST", p, &anna, map[string]any{"case_id": f.caseB, "relation": "related"})
		return []contractCase{{name: "linked already", status: 422, method: "POST", path: p, user: &anna, valid: true,
			body: map[string]any{"case_id": f.caseB, "relation": "related"}}}
	},
	"POST /cases/:id/reopen": func(h *harness, f *fixture) []contractCase {
		return []contractCase{{name: "a domain rule", status: 422, method: "POST", path: "/api/v1/cases/" + f.caseA + "/reopen", user: &anna,
			body: map[string]any{"reason": "Igen"}, valid: true}}
	},
}

// contract is the validator side of the test.
type contract struct {
	t      *testing.T
	h      *harness
	doc    *openapi3.T
	router routers.Router
	seen   map[string]map[int]bool // route → statuses exercised
}

func newContract(t *testing.T, h *harness) *contract {
	res := h.must(200, "GET", "/api/v1/openapi.json", nil, nil)
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(res.body)
	require.NoError(t, err)
	require.NoError(t, doc.Validate(context.Background()), "the document is valid OpenAPI")
	doc.Servers = openapi3.Servers{{URL: h.http.URL}}
	router, err := legacy.NewRouter(doc)
	require.NoError(t, err)
	return &contract{t: t, h: h, doc: doc, router: router, seen: map[string]map[int]bool{}}
}

var snakeCase = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

// snakeKeys reports the first member name in v that is not snake_case.
func snakeKeys(v any, at string) string {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			if !snakeCase.MatchString(k) {
				return at + "." + k
			}
			if bad := snakeKeys(e, at+"."+k); bad != "" {
				return bad
			}
		}
	case []any:
		for _, e := range x {
			if bad := snakeKeys(e, at+"[]"); bad != "" {
				return bad
			}
		}
	}
	return ""
}

// run sends c for route r and validates the exchange.
func (k *contract) run(r route, c contractCase) {
	t, h := k.t, k.h
	t.Helper()
	var raw []byte
	switch b := c.body.(type) {
	case nil:
	case string:
		raw = []byte(b)
	case []byte:
		raw = b
	default:
		var err error
		raw, err = json.Marshal(b)
		require.NoError(t, err)
	}
	newReq := func(method string) *http.Request {
		req, err := http.NewRequest(method, h.http.URL+c.path, bytes.NewReader(raw))
		require.NoError(t, err)
		if c.body != nil {
			ct := c.ctype
			if ct == "" {
				ct = "application/json"
			}
			req.Header.Set("Content-Type", ct)
		}
		if c.user != nil {
			req.Header.Set("Authorization", "Bearer "+h.token(*c.user))
		}
		for i := 0; i+1 < len(c.headers); i += 2 {
			req.Header.Set(c.headers[i], c.headers[i+1])
		}
		return req
	}
	res, err := h.http.Client().Do(newReq(c.method))
	require.NoError(t, err)
	body, err := io.ReadAll(res.Body)
	res.Body.Close()
	require.NoError(t, err)
	name := fmt.Sprintf("%s %s: %s", r.Method, r.Path, c.name)
	if res.StatusCode != c.status {
		t.Errorf("%s: status %d, want %d: %s", name, res.StatusCode, c.status, body)
		return
	}

	// The operation the exchange belongs to: a 405 is answered for the
	// path, so it is checked against the path's operation of r.Method.
	lookup := newReq(r.Method)
	route, params, err := k.router.FindRoute(lookup)
	require.NoError(t, err, "%s: no operation in the document", name)
	in := &openapi3filter.RequestValidationInput{Request: newReq(r.Method), PathParams: params, Route: route,
		Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, MultiError: true}}
	if c.valid && c.method == r.Method {
		if err := openapi3filter.ValidateRequest(context.Background(), in); err != nil {
			t.Errorf("%s: the request does not match the document: %v", name, err)
		}
	}
	out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: res.StatusCode, Header: res.Header,
		Body: io.NopCloser(bytes.NewReader(body)), Options: &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true}}
	if err := openapi3filter.ValidateResponse(context.Background(), out); err != nil {
		t.Errorf("%s: the response does not match the document: %v\n%s", name, err, body)
	}
	if strings.Contains(res.Header.Get("Content-Type"), "json") {
		var v any
		if err := json.Unmarshal(body, &v); err != nil {
			t.Errorf("%s: not JSON: %v", name, err)
		} else if bad := snakeKeys(v, "$"); bad != "" {
			t.Errorf("%s: member %s is not snake_case", name, bad)
		}
	}
	if res.StatusCode >= 400 {
		var p Problem
		if err := json.Unmarshal(body, &p); err != nil || p.Detail == "" || !strings.HasPrefix(p.Type, ProblemBase) {
			t.Errorf("%s: not a problem with a type and a detail: %s", name, body)
		}
		if res.StatusCode == http.StatusServiceUnavailable && res.Header.Get("Retry-After") == "" {
			t.Errorf("%s: 503 without Retry-After", name)
		}
	}
	key := r.Method + " " + r.Path
	if k.seen[key] == nil {
		k.seen[key] = map[int]bool{}
	}
	k.seen[key][res.StatusCode] = true
}

// replaceFirstID puts a fresh ULID where the first id parameter of the
// route's template is in path.
func replaceFirstID(r route, path string) string {
	tmpl := strings.Split("/api/v1"+r.Path, "/")
	segs := strings.Split(path, "/")
	for i, s := range tmpl {
		if _, name := namePathParams[strings.TrimPrefix(s, ":")]; strings.HasPrefix(s, ":") && !name && i < len(segs) {
			segs[i] = string(domain.NewID())
			return strings.Join(segs, "/")
		}
	}
	return ""
}

func withQuery(path, q string) string {
	if strings.Contains(path, "?") {
		return path + "&" + q
	}
	return path + "?" + q
}

// genericCases derives the success and the problems of r that every route
// of its kind can be made to give.
func (k *contract) genericCases(r route, f *fixture) []contractCase {
	path, body := f.cell(r)
	u := inScope[r.Roles[0]]
	var reason []string
	if r.Logged {
		reason = []string{accessReasonHeader, "Kontrakt"}
	}
	ok := contractCase{name: "success", status: r.Status, method: r.Method, path: path, user: &u, body: body, valid: true, headers: reason}
	if r.write() {
		ok.headers = append(ok.headers, "Idempotency-Key", "contract-1")
	}
	nobody := user{sub: "nobody", units: []string{"vuxen"}}
	var cases []contractCase
	if r.write() {
		// Before the success: a refused conditional write writes nothing,
		// and after the success the caller may no longer be the one who
		// may write (a hand-off).
		cases = append(cases, contractCase{name: "stale If-Match", status: 412, method: r.Method, path: path, user: &u, body: body, valid: true,
			headers: []string{"If-Match", `"999999"`}})
	}
	cases = append(cases,
		ok,
		contractCase{name: "no token", status: 401, method: r.Method, path: path, body: body},
		contractCase{name: "no role of the route", status: 403, method: r.Method, path: path, user: &nobody, body: body, valid: true},
		contractCase{name: "another method", status: 405, method: http.MethodDelete, path: path, user: &u},
	)
	if p := replaceFirstID(r, path); p != "" {
		cases = append(cases, contractCase{name: "no such record", status: 404, method: r.Method, path: p, user: &u, body: body, valid: true, headers: reason})
	}
	switch {
	case r.Body != nil:
		cases = append(cases, contractCase{name: "malformed body", status: 400, method: r.Method, path: path, user: &u, body: `{"a":`})
	case len(r.Query) > 0:
		cases = append(cases, contractCase{name: "unknown query parameter", status: 400, method: r.Method, path: withQuery(path, "zz=1"), user: &u, headers: reason})
	case r.Fresh:
		cases = append(cases, contractCase{name: "malformed X-Min-Seq", status: 400, method: r.Method, path: path, user: &u, headers: append([]string{"X-Min-Seq", "x"}, reason...)})
	case r.Logged:
		cases = append(cases, contractCase{name: "overlong X-Access-Reason", status: 400, method: r.Method, path: path, user: &u, body: body,
			headers: []string{accessReasonHeader, strings.Repeat("a", 501)}})
	}
	if r.Body != nil {
		cases = append(cases,
			contractCase{name: "2 MiB body", status: 413, method: r.Method, path: path, user: &u, body: `{"text":"` + strings.Repeat("a", 2<<20) + `"}`},
			contractCase{name: "not JSON", status: 415, method: r.Method, path: path, user: &u, body: mustJSON(body), ctype: "text/plain"})
	}
	if r.Fresh {
		cases = append(cases, contractCase{name: "X-Min-Seq beyond the stream", status: 400, method: r.Method, path: path, user: &u, body: body, valid: true,
			headers: append([]string{"X-Min-Seq", "999999999"}, reason...)})
	}
	return cases
}

// reusedKeyCase finds a body that differs from the success body of write
// r and still decodes, and sends it with the success's key: 422
// idempotency-key-reused.
func (k *contract) reusedKeyCase(r route, f *fixture) {
	path, body := f.cell(r)
	u := inScope[r.Roles[0]]
	var m map[string]any
	require.NoError(k.t, json.Unmarshal([]byte(mustJSON(body)), &m))
	keys := make([]string, 0, len(m))
	for key := range m {
		keys = append(keys, key)
	}
	sort.Strings(keys)
	enumOf := k.requestEnums(r, path)
	for _, key := range keys {
		var candidates []any
		switch v := m[key].(type) {
		case string:
			switch {
			case len(enumOf[key]) > 0:
				for _, e := range enumOf[key] {
					if e != v {
						candidates = append(candidates, e)
					}
				}
			case dateRE.MatchString(v):
				if d, err := time.Parse(time.DateOnly, v); err == nil {
					candidates = append(candidates, d.AddDate(0, 0, -1).Format(time.DateOnly))
				}
			case len(v) != 26: // not an id: another id would be refused before the key is looked at
				candidates = append(candidates, v+" igen")
			}
		case float64:
			candidates = append(candidates, v-1)
		case bool:
			candidates = append(candidates, !v)
		case []any:
			for _, e := range enumOf[key] {
				candidates = append(candidates, []any{e})
			}
		}
		for _, changed := range candidates {
			if k.tryReused(r, path, u, m, key, changed) {
				return
			}
		}
	}
}

// tryReused sends the success body with key changed, if the document
// allows it; it reports whether that gave 422 idempotency-key-reused.
func (k *contract) tryReused(r route, path string, u user, m map[string]any, key string, changed any) bool {
	{
		other := with(m, key, changed)
		if !k.validRequest(r, path, other) {
			return false
		}
		res := k.h.do(r.Method, path, &u, other, "Idempotency-Key", "contract-1")
		if res.code == http.StatusUnprocessableEntity && strings.Contains(string(res.body), "idempotency-key-reused") {
			k.run(r, contractCase{name: "key reused with " + key + " changed", status: 422, method: r.Method, path: path, user: &u, body: other, valid: true,
				headers: []string{"Idempotency-Key", "contract-1"}})
			return true
		}
	}
	return false
}

// requestEnums are the enums of the request body's members (and of their
// array items) as the document has them.
func (k *contract) requestEnums(r route, path string) map[string][]any {
	req, err := http.NewRequest(r.Method, k.h.http.URL+path, nil)
	require.NoError(k.t, err)
	route, _, err := k.router.FindRoute(req)
	require.NoError(k.t, err)
	out := map[string][]any{}
	rb := route.Operation.RequestBody
	if rb == nil || rb.Value == nil || rb.Value.Content.Get("application/json") == nil {
		return out
	}
	sr := rb.Value.Content.Get("application/json").Schema
	if sr == nil || sr.Value == nil {
		return out
	}
	for name, p := range sr.Value.Properties {
		if p.Value == nil {
			continue
		}
		if len(p.Value.Enum) > 0 {
			out[name] = p.Value.Enum
		} else if p.Value.Items != nil && p.Value.Items.Value != nil {
			out[name] = p.Value.Items.Value.Enum
		}
	}
	return out
}

// validRequest reports whether the document allows body on path.
func (k *contract) validRequest(r route, path string, body any) bool {
	req, err := http.NewRequest(r.Method, k.h.http.URL+path, strings.NewReader(mustJSON(body)))
	require.NoError(k.t, err)
	req.Header.Set("Content-Type", "application/json")
	route, params, err := k.router.FindRoute(req)
	if err != nil {
		return false
	}
	return openapi3filter.ValidateRequest(context.Background(), &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route,
		Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc}}) == nil
}

func init() {
	// Reports also come as spreadsheets: a file, not validated inside.
	openapi3filter.RegisterBodyDecoder(mimeXLSX, openapi3filter.FileBodyDecoder)
	openapi3filter.RegisterBodyDecoder(mimePDF, openapi3filter.FileBodyDecoder)
}

// TestContract: every route, success and each documented problem, against
// the running server, validated with kin-openapi.
func TestContract(t *testing.T) {
	h := newHarness(t)
	h.srv.cfg.CatchUpWait = 50 * time.Millisecond // the 503 of a read model that lags
	k := newContract(t, h)
	reads := newFixture(h)
	for _, r := range routes() {
		f := reads
		if r.Method != http.MethodGet {
			f = newFixture(h) // a fresh world, so the write can succeed
		}
		for _, c := range k.genericCases(r, f) {
			k.run(r, c)
		}
		if r.write() {
			k.reusedKeyCase(r, f)
		}
		if extra := contractExtras[r.Method+" "+r.Path]; extra != nil {
			for _, c := range extra(h, newFixture(h)) {
				k.run(r, c)
			}
		}
	}
	// The access log fails closed: every read it records answers 503.
	h.breakAccessLog()
	for _, r := range routes() {
		if !r.Logged {
			continue
		}
		path, body := reads.cell(r)
		u := inScope[r.Roles[0]]
		k.run(r, contractCase{name: "access log down", status: 503, method: r.Method, path: path, user: &u, body: body, valid: true,
			headers: []string{accessReasonHeader, "Kontrakt"}})
	}

	// Every status the document lists was seen, but for those no request
	// can provoke (see above).
	for _, r := range routes() {
		key := r.Method + " " + r.Path
		want := append([]int{r.Status}, problemStatuses(r)...)
		for _, code := range want {
			skip := code == http.StatusConflict || code == http.StatusInternalServerError ||
				(code == http.StatusServiceUnavailable && !r.Logged)
			if !skip && !k.seen[key][code] {
				t.Errorf("%s: no case gave %d; add one to contractExtras", key, code)
			}
		}
	}
	if t.Failed() {
		return
	}
	n := 0
	for _, s := range k.seen {
		n += len(s)
	}
	require.Greater(t, n, 5*len(routes()), "route × status pairs exercised")
}
