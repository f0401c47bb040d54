package console

import (
	"github.com/fristad/fristad/domain"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// caseload: the caller's caseload with the API's filters (GET /cases).
func (c *Console) caseload(w http.ResponseWriter, r *http.Request, s *session) {
	in := r.URL.Query()
	q := url.Values{}
	for _, k := range []string{"assignee", "unit", "status", "overdue", "risk", "cursor", "limit"} {
		if v := strings.TrimSpace(in.Get(k)); v != "" {
			q.Set(k, v)
		}
	}
	// A supervisor may look at one worker's caseload (assignee=<user>).
	if u := strings.TrimSpace(in.Get("assignee_user")); u != "" && q.Get("assignee") == "" {
		q.Set("assignee", u)
	}
	res := c.call(r, s, http.MethodGet, "/cases", q, nil, nil)
	data := map[string]any{"Filter": q, "Units": s.principal.Units, "AssigneeUser": in.Get("assignee_user")}
	p := page{Title: "Ärenden", Nav: "arenden", Data: data}
	if !res.ok() {
		if res.status != http.StatusBadRequest {
			c.apiError(w, r, s, res)
			return
		}
		pr := res.problem()
		p.Errors, p.Problem = swedishErrors(pr), "Filtret kunde inte användas: "+swedishDetail(pr)
		c.render(w, r, s, http.StatusBadRequest, "caseload", p)
		return
	}
	body := res.object()
	items, _ := body["items"].([]any)
	// Overdue first, then as the API ordered them.
	slices.SortStableFunc(items, func(a, b any) int {
		oa, _ := a.(map[string]any)["overdue"].(bool)
		ob, _ := b.(map[string]any)["overdue"].(bool)
		switch {
		case oa == ob:
			return 0
		case oa:
			return -1
		}
		return 1
	})
	data["Items"] = items
	if next, ok := body["next_cursor"].(string); ok && next != "" {
		nq := url.Values{}
		for k, v := range q {
			nq[k] = v
		}
		if nq.Get("assignee") != "me" && nq.Get("assignee") != "" {
			nq.Set("assignee_user", nq.Get("assignee"))
			nq.Del("assignee")
		}
		nq.Set("cursor", next)
		data["Next"] = Prefix + "arenden?" + nq.Encode()
	}
	c.render(w, r, s, http.StatusOK, "caseload", p)
}

// tasks: the overdue dashboard (GET /dashboard/overdue), overdue kinds
// first, then the tasks for entitled supervisors.
func (c *Console) tasks(w http.ResponseWriter, r *http.Request, s *session) {
	res := c.call(r, s, http.MethodGet, "/dashboard/overdue", nil, nil, nil)
	if !res.ok() {
		c.apiError(w, r, s, res)
		return
	}
	c.render(w, r, s, http.StatusOK, "tasks", page{Title: "Uppgifter och förfallet", Nav: "uppgifter", Data: res.object()})
}

func today() string { return time.Now().In(stockholm).Format(time.DateOnly) }

func (c *Console) intakeForm(w http.ResponseWriter, r *http.Request, s *session) {
	c.render(w, r, s, http.StatusOK, "intake", page{Title: "Ny aktualisering", Nav: "ny",
		Data: map[string]any{"Units": s.principal.Units, "Form": url.Values{"received_on": {today()}}}})
}

// intake opens a case (POST /cases) from the form.
func (c *Console) intake(w http.ResponseWriter, r *http.Request, s *session) {
	f := r.PostForm
	subject := map[string]any{"name": f.Get("name"), "sex": f.Get("sex")}
	if v := strings.TrimSpace(f.Get("birth_year")); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			c.render(w, r, s, http.StatusBadRequest, "intake", page{Title: "Ny aktualisering", Nav: "ny", Problem: "Rätta uppgifterna nedan.",
				Errors: []fieldError{{Field: "subject.birth_year", Label: "Födelseår", Message: "måste vara ett årtal"}},
				Data:   map[string]any{"Units": s.principal.Units, "Form": f}})
			return
		}
		subject["birth_year"] = n
	}
	for _, k := range []string{"personal_number", "phone", "address"} {
		if v := strings.TrimSpace(f.Get(k)); v != "" {
			subject[k] = v
		}
	}
	body := map[string]any{"unit": f.Get("unit"), "target_group": f.Get("target_group"), "source": f.Get("source"),
		"received_on": f.Get("received_on"), "subject": subject, "special_needs": nonNil(f["special_needs"]), "description": f.Get("description")}
	res := c.call(r, s, http.MethodPost, "/cases", nil, body, map[string]string{"Idempotency-Key": f.Get("idem")})
	if !res.ok() {
		if res.status == http.StatusBadRequest || res.status == http.StatusUnprocessableEntity {
			pr := res.problem()
			c.render(w, r, s, res.status, "intake", page{Title: "Ny aktualisering", Nav: "ny", Problem: swedishDetail(pr), Errors: swedishErrors(pr),
				Data: map[string]any{"Units": s.principal.Units, "Form": f}})
			return
		}
		c.apiError(w, r, s, res)
		return
	}
	id, _ := res.object()["id"].(string)
	c.sessions.setFlash(s, "Ärendet är aktualiserat.")
	http.Redirect(w, r, Prefix+"arenden/"+url.PathEscape(id), http.StatusSeeOther)
}

func nonNil(v []string) []string {
	if v == nil {
		return []string{}
	}
	return v
}

const historyPage = 20

// caseFile: the masked case file (GET /cases/{id}) and its history
// (GET /cases/{id}/events), newest first, paged.
func (c *Console) caseFile(w http.ResponseWriter, r *http.Request, s *session) {
	c.showCase(w, r, s, http.StatusOK, "", nil, nil)
}

func (c *Console) showCase(w http.ResponseWriter, r *http.Request, s *session, status int, form string, values url.Values, p *apiProblem) {
	id := r.PathValue("id")
	hdr := map[string]string{"X-Access-Reason": c.sessions.reason(s, id)}
	path := "/cases/" + url.PathEscape(id)
	res := c.call(r, s, http.MethodGet, path, nil, nil, hdr)
	if res.status == http.StatusBadRequest && strings.Contains(string(res.body), "X-Access-Reason") {
		// A protected person's file: the API wants a reason first.
		c.render(w, r, s, http.StatusOK, "reason", page{Title: "Skäl för åtkomst", Nav: "arenden", Data: map[string]any{"ID": id}})
		return
	}
	if !res.ok() {
		c.apiError(w, r, s, res)
		return
	}
	file := res.object()
	data := map[string]any{"Case": file, "ID": id, "Form": form, "Values": values}
	if p != nil {
		data["Problem"] = swedishDetail(*p)
		if msg := ruleMessage(p); msg != "" {
			data["Problem"] = msg
		}
	}
	// History: the roles that may not read it (a provider) get the file only.
	ev := c.call(r, s, http.MethodGet, path+"/events", nil, nil, hdr)
	if ev.ok() {
		var all []any
		if m := ev.object(); m != nil {
			all, _ = m["events"].([]any)
		}
		if all == nil {
			all = decodeList(ev.body)
		}
		slices.Reverse(all)
		pg, _ := strconv.Atoi(r.URL.Query().Get("sida"))
		if pg < 1 {
			pg = 1
		}
		from := (pg - 1) * historyPage
		if from > len(all) {
			from = len(all)
		}
		to := min(from+historyPage, len(all))
		data["History"] = all[from:to]
		data["HistoryTotal"] = len(all)
		if pg > 1 {
			data["Prev"] = Prefix + "arenden/" + url.PathEscape(id) + "?sida=" + strconv.Itoa(pg-1)
		}
		if to < len(all) {
			data["Next"] = Prefix + "arenden/" + url.PathEscape(id) + "?sida=" + strconv.Itoa(pg+1)
		}
		data["Page"] = pg
	}
	pgd := page{Title: "Ärende", Nav: "arenden", Data: data}
	if p != nil {
		pgd.Errors = swedishErrors(*p)
	}
	c.render(w, r, s, status, "case", pgd)
}

func decodeList(b []byte) []any {
	var l []any
	_ = jsonUnmarshal(b, &l)
	return l
}

// giveReason keeps the reason for reading a protected person's file for
// this case, for the rest of the session; the API logs it sealed with
// each read.
func (c *Console) giveReason(w http.ResponseWriter, r *http.Request, s *session) {
	id := r.PathValue("id")
	reason := strings.TrimSpace(r.PostFormValue("reason"))
	if reason == "" || len(reason) > 500 {
		c.render(w, r, s, http.StatusBadRequest, "reason", page{Title: "Skäl för åtkomst", Nav: "arenden", Problem: "Rätta uppgifterna nedan.",
			Errors: []fieldError{{Field: "reason", Label: "Skäl", Message: "måste fyllas i (högst 500 tecken)"}}, Data: map[string]any{"ID": id}})
		return
	}
	c.sessions.setReason(s, id, reason)
	http.Redirect(w, r, Prefix+"arenden/"+url.PathEscape(id), http.StatusSeeOther)
}

// caseStep posts one of the common steps to the API and shows the file
// again: on success with a message, on a refusal with the API's messages.
func (c *Console) caseStep(w http.ResponseWriter, r *http.Request, s *session) {
	id, step := r.PathValue("id"), r.PathValue("step")
	f := r.PostForm
	var path string
	var body any
	switch step {
	case "anteckning":
		path, body = "/notes", map[string]any{"text": f.Get("text")}
	case "forhandsbedomning":
		path, body = "/preliminary-assessment", map[string]any{"decision": f.Get("decision"), "reason": f.Get("reason")}
	case "riskbedomning":
		path, body = "/risk-assessments", map[string]any{"instrument": f.Get("instrument"), "level": f.Get("level"),
			"concerns": f.Get("concerns"), "assessed_on": f.Get("assessed_on"), "summary": f.Get("summary")}
	case "beslut":
		var goals []string
		for _, g := range strings.Split(f.Get("goals"), "\n") {
			if g = strings.TrimSpace(g); g != "" {
				goals = append(goals, g)
			}
		}
		path = "/decisions"
		if f.Get("kind") == "proposal" {
			path, step = "/proposals", "forslag"
		}
		body = map[string]any{"support_type": f.Get("support_type"), "outcome": f.Get("outcome"),
			"goals": nonNil(goals), "valid_from": f.Get("valid_from"), "valid_to": f.Get("valid_to"), "reasons": f.Get("reasons")}
	case "besluta-forslag":
		pid := f.Get("proposal_id")
		if _, err := domain.ParseID(pid); err != nil {
			c.notFound(w, r)
			return
		}
		path, body = "/proposals/"+pid+"/decide", map[string]any{"outcome": f.Get("outcome"), "reasons": f.Get("reasons")}
	case "uppfoljning":
		var outcomes []map[string]string
		for i, g := range f["goal"] {
			o := ""
			if i < len(f["goal_outcome"]) {
				o = f["goal_outcome"][i]
			}
			outcomes = append(outcomes, map[string]string{"goal": g, "outcome": o})
		}
		if outcomes == nil {
			outcomes = []map[string]string{}
		}
		path, body = "/follow-ups", map[string]any{"decision_id": f.Get("decision_id"), "followed_up_on": f.Get("followed_up_on"),
			"participated": f.Get("participated") == "ja", "goal_outcomes": outcomes, "complaint": f.Get("complaint"),
			"next_follow_up_on": f.Get("next_follow_up_on")}
	default:
		c.notFound(w, r)
		return
	}
	if m, ok := body.(map[string]any); ok {
		dropEmpty(m)
	}
	hdr := map[string]string{"If-Match": f.Get("version"), "Idempotency-Key": f.Get("idem"), "X-Access-Reason": c.sessions.reason(s, id)}
	res := c.call(r, s, http.MethodPost, "/cases/"+url.PathEscape(id)+path, nil, body, hdr)
	switch {
	case res.ok():
		c.sessions.setFlash(s, stepDone[step])
		http.Redirect(w, r, Prefix+"arenden/"+url.PathEscape(id), http.StatusSeeOther)
	case res.status == http.StatusBadRequest || res.status == http.StatusUnprocessableEntity || res.status == http.StatusConflict || res.status == http.StatusPreconditionFailed:
		pr := res.problem()
		if step == "forslag" {
			step = "beslut"
		}
		c.showCase(w, r, s, res.status, step, f, &pr)
	default:
		c.apiError(w, r, s, res)
	}
}

var stepDone = map[string]string{
	"anteckning": "Anteckningen är sparad.", "forhandsbedomning": "Förhandsbedömningen är sparad.",
	"riskbedomning": "Riskbedömningen är sparad.", "beslut": "Beslutet är sparat.", "uppfoljning": "Uppföljningen är sparad.",
	"forslag": "Förslaget till beslut är sparat.", "besluta-forslag": "Förslaget är beslutat.",
}

// ruleMessage is a domain rule's refusal in Swedish.
func ruleMessage(p *apiProblem) string {
	rules := map[string]string{
		"follow-up-requires-granted-decision": "Uppföljning kräver ett beviljat beslut i ärendet.",
		"goal-count-mismatch":                 "Ange ett utfall för varje mål i beslutet.",
		"case-closed":                         "Ärendet är avslutat.",
		"no-mandate":                          "Du har inte delegation att fatta det beslutet. Lämna ett förslag till beslut i stället.",
		"reasons-required":                    "Beslutet måste motiveras: skäl krävs när ansökan inte beviljas helt.",
		"own-proposal":                        "Du kan inte besluta ditt eget förslag.",
		"proposal-decided":                    "Förslaget är redan beslutat.",
	}
	for k, v := range rules {
		if strings.HasSuffix(p.Type, "/"+k) || strings.HasSuffix(p.Type, "rule/"+k) {
			return v
		}
	}
	if p.Status == http.StatusUnprocessableEntity && len(p.Errors) == 0 {
		return "Åtgärden bryter mot en regel för ärendet."
	}
	return ""
}

// dropEmpty leaves out fields the form left empty: the API reads a
// missing field as not given (and says so when it is required), while ""
// is not a date.
func dropEmpty(m map[string]any) {
	for k, v := range m {
		if v == "" {
			delete(m, k)
		}
	}
}
