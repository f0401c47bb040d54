package console

import (
	"net/http"
	"net/url"
	"strings"
)

// auditReview: the supervisor's access-log review (logguppföljning): a
// random sample to review, protected persons' reads first
// (GET /audit/sample), the log of the period (GET /audit/access), and the
// reviews already recorded (GET /audit/reviews).
func (c *Console) auditReview(w http.ResponseWriter, r *http.Request, s *session) {
	c.showAudit(w, r, s, http.StatusOK, nil)
}

func (c *Console) showAudit(w http.ResponseWriter, r *http.Request, s *session, status int, p *apiProblem) {
	in := r.URL.Query()
	q := url.Values{}
	for _, k := range []string{"from", "to", "unit", "user"} {
		if v := strings.TrimSpace(in.Get(k)); v != "" {
			q.Set(k, v)
		}
	}
	if q.Get("unit") == "" && len(s.principal.Units) > 0 {
		q.Set("unit", s.principal.Units[0])
	}
	data := map[string]any{"Filter": q, "Units": s.principal.Units}
	pg := page{Title: "Logguppföljning", Nav: "logg", Data: data}
	if p != nil {
		pg.Problem, pg.Errors = swedishDetail(*p), swedishErrors(*p)
	}
	sq := url.Values{}
	for _, k := range []string{"from", "to", "unit"} {
		if v := q.Get(k); v != "" {
			sq.Set(k, v)
		}
	}
	sq.Set("size", "20")
	sample := c.call(r, s, http.MethodGet, "/audit/sample", sq, nil, nil)
	if !sample.ok() {
		if sample.status == http.StatusBadRequest {
			pr := sample.problem()
			pg.Problem, pg.Errors = "Filtret kunde inte användas: "+swedishDetail(pr), swedishErrors(pr)
			c.render(w, r, s, http.StatusBadRequest, "audit", pg)
			return
		}
		c.apiError(w, r, s, sample)
		return
	}
	data["Sample"] = sample.object()["items"]
	aq := url.Values{}
	for k, v := range q {
		aq[k] = v
	}
	aq.Set("limit", "200")
	if access := c.call(r, s, http.MethodGet, "/audit/access", aq, nil, nil); access.ok() {
		data["Access"] = access.object()["items"]
	}
	rq := url.Values{}
	for _, k := range []string{"from", "to", "unit"} {
		if v := q.Get(k); v != "" {
			rq.Set(k, v)
		}
	}
	if reviews := c.call(r, s, http.MethodGet, "/audit/reviews", rq, nil, nil); reviews.ok() {
		data["Reviews"] = reviews.object()["items"]
	}
	c.render(w, r, s, status, "audit", pg)
}

// recordReview records that entries were reviewed (POST /audit/reviews).
func (c *Console) recordReview(w http.ResponseWriter, r *http.Request, s *session) {
	f := r.PostForm
	body := map[string]any{"entries": nonNil(f["entries"]), "outcome": f.Get("outcome"), "note": f.Get("note")}
	res := c.call(r, s, http.MethodPost, "/audit/reviews", nil, body, map[string]string{"Idempotency-Key": f.Get("idem")})
	switch {
	case res.ok():
		c.sessions.setFlash(s, "Granskningen är registrerad.")
		target := Prefix + "logguppfoljning"
		if q := f.Get("query"); q != "" {
			if vals, err := url.ParseQuery(q); err == nil {
				target += "?" + vals.Encode()
			}
		}
		http.Redirect(w, r, target, http.StatusSeeOther)
	case res.status == http.StatusBadRequest || res.status == http.StatusUnprocessableEntity:
		pr := res.problem()
		c.showAudit(w, r, s, res.status, &pr)
	default:
		c.apiError(w, r, s, res)
	}
}
