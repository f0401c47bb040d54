package api

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/fristad/fristad/api/auth"
	"github.com/fristad/fristad/domain"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fixture is a small world in which every route has something to act on:
// case A with a child, granted housing decisions and an open placement at
// provider A; case B just opened with a granted housing decision; case C
// closed; a perpetrator's case with a partner contact whose consent is
// given and whose partner was just reached.
type fixture struct {
	caseA, caseB, caseC, subject, child, housing, housingB, placement, openedEvent, flag string
	treatment, contact                                                                   string
	report, task                                                                         string    // a report of concern under investigation; an own task on case A
	now                                                                                  time.Time // the server's clock when the fixture was made
	assignment, action                                                                   string
	// Decisions under the delegation order (routes_decisions.go).
	proposal, talks, lateAppeal, appeal, forwardedAppeal string
	// protected: the subject of case D, protected through it by anna (so
	// anna and vuxen's supervisors are entitled); grant: sara's grant of
	// it to bertil; partner: the partner in the partner contact.
	caseD, protected, grant, partner string
	pnr                              string // the subject's personal identity number
	accessEntry                      string // an access-log entry of unit vuxen
}

func newFixture(h *harness) *fixture {
	t := h.t
	f := &fixture{}
	h.shelter(providerA)
	// Each fixture's people are its own: one personal number is one
	// personal file in the whole store.
	f.pnr = freshPnr()
	f.caseA, f.subject = openCaseWith(h, anna, f.pnr)
	a := "/api/v1/cases/" + f.caseA
	f.child = h.must(201, "POST", a+"/children", &anna, map[string]any{"sex": "male", "birth_year": 2016, "name": childName, "relation": "both"}).str(t, "child_id")
	grant := func(path, child string) string {
		body := map[string]any{"support_type": "protected_housing", "outcome": "granted", "goals": []string{"Trygghet"}, "valid_from": "2026-03-04", "valid_to": "2026-09-30", "decided_on": "2026-03-04"}
		if child != "" {
			body["child_id"], body["reasons"] = child, "Den andra vårdnadshavaren är part."
		}
		// Protected housing is the supervisor's under the default delegation order.
		return h.must(201, "POST", path+"/decisions", &sara, body).str(t, "decision_id")
	}
	f.housing = grant(a, "")
	grant(a, f.child)
	f.assignment = h.must(201, "POST", a+"/assignments", &anna, map[string]any{"decision_id": f.housing, "provider_id": providerA, "needs_assessment": "Skydd", "includes": "Boende",
		"goals": []string{"Trygghet"}, "follow_up": "Månadsvis", "return_information": "Sammanfattning", "responsible_worker": "Anna"}).str(t, "assignment_id")
	f.placement = h.must(201, "POST", a+"/placements", &anna, map[string]any{"decision_id": f.housing, "provider_id": providerA, "moved_in_on": "2026-03-05", "child_ids": []string{f.child}}).str(t, "placement_id")
	hist, err := h.store.Load(context.Background(), domain.KindCase, domain.ID(f.caseA))
	require.NoError(t, err)
	f.openedEvent = string(hist.Events[0].ID)
	f.flag = h.must(201, "POST", a+"/flags", &sara, map[string]any{"message": "Granska riskbedömningen"}).str(t, "flag_id")

	f.decisionFixture(h, a)

	f.caseB, _ = openCaseWith(h, anna, freshPnr())
	f.housingB = grant("/api/v1/cases/"+f.caseB, "")
	f.caseC, _ = openCaseWith(h, anna, freshPnr())
	h.must(200, "POST", "/api/v1/cases/"+f.caseC+"/close", &anna, map[string]any{"reason": "Klart", "goal_attainment": "not"})

	f.treatment = h.must(201, "POST", "/api/v1/cases", &anna, map[string]any{"unit": "vuxen", "target_group": "perpetrator", "source": "application",
		"received_on": "2026-02-01", "subject": map[string]any{"sex": "male", "birth_year": 1979, "name": "Per Utövare"}}).str(t, "id")
	f.contact = h.must(201, "POST", "/api/v1/partner-contacts", &behandla, map[string]any{"treatment_case_id": f.treatment,
		"partner": map[string]any{"name": "Paula Partner"}, "children_in_contact": 1}).str(t, "id")
	pc := "/api/v1/partner-contacts/" + f.contact
	h.must(200, "POST", pc+"/consent", &behandla, map[string]any{"status": "given", "signed_on": "2026-02-03", "document": "Samtycke"})
	h.must(200, "POST", pc+"/approaches", &partnerk, map[string]any{"channel": "letter", "outcome": "reached", "on": "2026-02-04"})

	f.now = h.srv.now()
	f.report = h.must(201, "POST", "/api/v1/cases", &anna, map[string]any{"unit": "vuxen", "target_group": "child_witness", "source": "report_of_concern",
		"reporter_category": "school", "received_at": f.now.Add(-time.Hour).UTC().Format(time.RFC3339), "concerns_violence": true,
		"subject": map[string]any{"sex": "female", "birth_year": 2015, "name": "Rut Rapport"}}).str(t, "id")
	h.must(200, "POST", "/api/v1/cases/"+f.report+"/preliminary-assessment", &anna, map[string]any{"decision": "open_investigation"})
	f.task = h.must(201, "POST", a+"/tasks", &anna, map[string]any{"title": "Ring skolan", "due_on": "2026-03-10"}).str(t, "task_id")
	fu := h.must(201, "POST", "/api/v1/providers/"+providerA+"/follow-ups", &sara, followUpBody()).json(t)
	f.action = fu["action_ids"].([]any)[0].(string)
	f.partner = h.must(200, "GET", pc, &partnerk, nil).json(t)["partner"].(map[string]any)["id"].(string)

	f.caseD = h.must(201, "POST", "/api/v1/cases", &anna, map[string]any{"unit": "vuxen", "target_group": "adult_victim", "source": "report", "received_on": "2026-03-01",
		"subject": map[string]any{"sex": "female", "birth_year": 1990, "name": "Skyddad Person", "address": protectedStreet}}).str(t, "id")
	f.protected = h.must(200, "POST", "/api/v1/cases/"+f.caseD+"/protected-identity", &anna, map[string]any{"level": "skyddad_folkbokforing"}).str(t, "person_id")
	f.grant = h.must(201, "POST", "/api/v1/persons/"+f.protected+"/grants", &sara, map[string]any{"sub": "bertil", "until": grantUntil(), "reason": "Vikarie"}).str(t, "grant_id")
	h.must(200, "GET", a, &anna, nil)
	f.accessEntry = h.must(200, "GET", "/api/v1/audit/access?unit=vuxen&limit=1", &sara, nil).json(t)["items"].([]any)[0].(map[string]any)["id"].(string)
	return f
}

// decisionFixture adds to case A: a proposal by bertil (support talks, for
// anna or sara to decide), a granted support-talks decision not yet
// communicated, carried out or appealed (talks), and three denials with a
// late appeal, an appeal in time and a forwarded appeal.
func (f *fixture) decisionFixture(h *harness, a string) {
	t := h.t
	f.proposal = h.must(201, "POST", a+"/proposals", &bertil, map[string]any{"support_type": "support_talks", "outcome": "granted",
		"goals": []string{"Stöd"}, "valid_from": "2026-03-06"}).str(t, "proposal_id")
	f.talks = h.must(201, "POST", a+"/decisions", &anna, map[string]any{"support_type": "support_talks", "outcome": "granted",
		"goals": []string{"Stöd"}, "valid_from": "2026-03-04", "decided_on": "2026-03-04"}).str(t, "decision_id")
	deny := func() string {
		did := h.must(201, "POST", a+"/decisions", &sara, map[string]any{"support_type": "support_talks", "outcome": "denied",
			"valid_from": "2026-03-02", "decided_on": "2026-03-02", "reasons": "Behovet tillgodoses annars."}).str(t, "decision_id")
		h.must(200, "POST", a+"/decisions/"+did+"/communicated", &anna, map[string]any{"communicated_on": "2026-03-02", "channel": "letter"})
		return did
	}
	appeal := func(did, on string) string {
		return h.must(201, "POST", a+"/decisions/"+did+"/appeals", &anna, map[string]any{"received_on": on}).str(t, "appeal_id")
	}
	f.lateAppeal = appeal(deny(), "2026-04-01")
	f.appeal = appeal(deny(), "2026-03-16")
	f.forwardedAppeal = appeal(deny(), "2026-03-16")
	h.must(200, "POST", a+"/appeals/"+f.forwardedAppeal+"/forwarded", &anna, map[string]any{"forwarded_on": "2026-03-20", "court": "Förvaltningsrätten i Stockholm"})
}

// protectedStreet is the address of the fixture's protected person.
const protectedStreet = "Skyddsvägen 3"

// grantUntil is an end date a month from the harness's today.
func grantUntil() string { return time.Now().AddDate(0, 1, 0).Format(time.DateOnly) }

// cellAs is cell for one role, where a role reaches another record: the
// partner-contact side reaches the partner, not a case's subject.
func (f *fixture) cellAs(r route, role auth.Role) (string, any) {
	path, body := f.cell(r)
	if role == auth.RolePartnerContact && r.Path == "/persons/:id/protection" {
		path = strings.Replace(path, f.protected, f.partner, 1)
	}
	return path, body
}

// cell is one route made concrete: its path and a valid body.
func (f *fixture) cell(r route) (string, any) {
	a, pc := "/cases/"+f.caseA, "/partner-contacts/"+f.contact
	pl := a + "/placements/" + f.placement
	type m = map[string]any
	cells := map[string]struct {
		path string
		body any
	}{
		"POST /persons":                                       {"/persons", m{"sex": "female", "birth_year": 1990, "name": "Ny Person"}},
		"POST /persons/search":                                {"/persons/search", m{"personal_number": f.pnr}},
		"GET /persons/:id":                                    {"/persons/" + f.subject, nil},
		"POST /cases":                                         {"/cases", m{"unit": "vuxen", "target_group": "adult_victim", "source": "report", "received_on": "2026-03-01", "person_id": f.subject}},
		"GET /cases/:id":                                      {a, nil},
		"GET /cases":                                          {"/cases?assignee=me&status=open", nil},
		"POST /cases/:id/flags":                               {a + "/flags", m{"message": "Ny uppgift"}},
		"POST /cases/:id/flags/:fid/resolve":                  {a + "/flags/" + f.flag + "/resolve", m{"note": "Åtgärdat"}},
		"GET /dashboard/overdue":                              {"/dashboard/overdue", nil},
		"GET /reports/mapping":                                {"/reports/mapping?from=2026-01-01&to=2026-12-31&unit=vuxen", nil},
		"GET /reports/follow-up":                              {"/reports/follow-up?from=2026-01-01&to=2026-12-31&unit=vuxen&format=csv", nil},
		"GET /reports/indicators":                             {"/reports/indicators?year=2026&unit=vuxen&format=xlsx", nil},
		"GET /admin/projections":                              {"/admin/projections?digest=true", nil},
		"GET /cases/:id/events":                               {a + "/events", nil},
		"POST /cases/:id/preliminary-assessment":              {"/cases/" + f.caseB + "/preliminary-assessment", m{"decision": "no_investigation", "reason": "Ej aktuellt"}},
		"POST /cases/:id/violence":                            {a + "/violence", m{"forms": []string{"economic"}, "relation": "partner", "period_from": "2025-01-01", "period_to": "2025-12-31"}},
		"POST /cases/:id/risk-assessments":                    {a + "/risk-assessments", m{"instrument": "sara", "level": "medium", "concerns": "adult", "assessed_on": "2026-03-06"}},
		"POST /cases/:id/safety-plans":                        {a + "/safety-plans", m{"for": "adult", "occasion": "move_in", "made_on": "2026-03-05", "plan": "Plan"}},
		"POST /cases/:id/protected-identity":                  {a + "/protected-identity", m{"level": "sekretessmarkering"}},
		"POST /cases/:id/children":                            {a + "/children", m{"sex": "female", "birth_year": 2019, "name": "Ett Barn", "relation": "witnessed"}},
		"POST /cases/:id/decisions":                           {a + "/decisions", m{"support_type": "support_talks", "outcome": "granted", "goals": []string{"Stöd"}, "valid_from": "2026-03-06", "valid_to": "2026-06-06"}},
		"POST /cases/:id/assignments":                         {a + "/assignments", m{"decision_id": f.housing, "provider_id": providerA, "needs_assessment": "Skydd", "includes": "Boende", "goals": []string{"Trygghet"}, "follow_up": "x", "return_information": "y", "responsible_worker": "Anna"}},
		"POST /cases/:id/placements":                          {"/cases/" + f.caseB + "/placements", m{"decision_id": f.housingB, "provider_id": providerA, "moved_in_on": "2026-03-07"}},
		"POST /cases/:id/placements/:pid/schooling":           {pl + "/schooling", m{"child_id": f.child, "arranged_on": "2026-03-08", "school_kind": "new_school"}},
		"POST /cases/:id/placements/:pid/implementation-plan": {pl + "/implementation-plan", m{"activities": []m{{"name": "Samtal", "goal": "Trygghet", "responsible": "Jouren", "when": "Veckovis"}}, "follow_up_on": "2026-04-01", "participated": true}},
		"POST /cases/:id/placements/:pid/extension":           {pl + "/extension", m{"until": "2027-01-31"}},
		"POST /cases/:id/placements/:pid/move-out":            {pl + "/move-out", m{"moved_out_on": "2026-04-01", "reason": "returned_home", "goal_attainment": "partly"}},
		"POST /cases/:id/follow-ups":                          {a + "/follow-ups", m{"decision_id": f.housing, "followed_up_on": "2026-04-02", "participated": true, "goal_outcomes": []m{{"goal": "Trygghet", "outcome": "partly"}}}},
		"POST /cases/:id/notes":                               {a + "/notes", m{"text": "Anteckning"}},
		"POST /cases/:id/corrections":                         {a + "/corrections", m{"event_id": f.openedEvent, "reason": "Fel källa", "corrected": m{"source": "report"}}},
		"POST /cases/:id/reassign":                            {a + "/reassign", m{"assignee": "bertil", "unit": "vuxen"}},
		"POST /cases/:id/close":                               {"/cases/" + f.caseB + "/close", m{"reason": "Klart", "goal_attainment": "fully"}},
		"POST /cases/:id/reopen":                              {"/cases/" + f.caseC + "/reopen", m{"reason": "Ny information"}},
		"POST /partner-contacts":                              {"/partner-contacts", m{"treatment_case_id": f.treatment, "partner": m{"name": "Annan Partner"}, "children_in_contact": 0}},
		"GET /partner-contacts/:id":                           {pc, nil},
		"POST /partner-contacts/:id/consent":                  {pc + "/consent", m{"status": "withdrawn", "signed_on": "2026-02-20"}},
		"POST /partner-contacts/:id/approaches":               {pc + "/approaches", m{"channel": "sms", "outcome": "not_reached", "on": "2026-02-05"}},
		"POST /partner-contacts/:id/response":                 {pc + "/response", m{"accepted": false}},
		"POST /partner-contacts/:id/risk-assessments":         {pc + "/risk-assessments", m{"instrument": "freda_short", "level": "low", "concerns": "partner", "assessed_on": "2026-02-06"}},
		"POST /partner-contacts/:id/treatment-status":         {pc + "/treatment-status", m{"status": "dropped_out"}},
		"POST /partner-contacts/:id/signals":                  {pc + "/signals", m{"category": "escalation"}},
		"POST /partner-contacts/:id/new-violence":             {pc + "/new-violence", m{"reported_on": "2026-02-07", "children_affected": false}},
		"POST /partner-contacts/:id/exception":                {pc + "/exception", m{"reason": "partner_abroad"}},
		"POST /partner-contacts/:id/end":                      {pc + "/end", m{"reason": "Avslutad"}},
		"GET /audit/cases/:id":                                {"/audit/cases/" + f.caseA, nil},
		"GET /audit/users/:sub":                               {"/audit/users/anna?from=2026-01-01", nil},
		"GET /audit/access":                                   {"/audit/access?unit=vuxen&limit=10", nil},

		"POST /cases/:id/protection-assessment":   {"/cases/" + f.report + "/protection-assessment", m{"assessed_at": f.now.Add(-time.Minute).UTC().Format(time.RFC3339), "immediate_protection": false, "summary": "Inget akut skyddsbehov"}},
		"POST /cases/:id/investigation-extension": {"/cases/" + f.report + "/investigation-extension", m{"until": f.now.AddDate(0, 6, 0).Format("2006-01-02"), "reasons": "Väntar på utlåtande"}},
		"POST /cases/:id/children/:cid/views":     {a + "/children/" + f.child + "/views", m{"heard_on": "2026-03-06", "views": "Vill bo kvar"}},
		"POST /cases/:id/children/:cid/placement-basis": {a + "/children/" + f.child + "/placement-basis", m{"basis": "urgent_board_decision", "decided_on": "2026-03-04",
			"submitted_to_court_on": "2026-03-05", "reconsider_by": "2026-06-04"}},
		"POST /cases/:id/links":                        {a + "/links", m{"case_id": f.caseB, "relation": "related"}},
		"GET /tasks":                                   {"/tasks?assignee=me&overdue=false", nil},
		"POST /cases/:id/tasks":                        {a + "/tasks", m{"title": "Boka samtal", "due_on": "2026-04-01"}},
		"POST /cases/:id/tasks/:tid/done":              {a + "/tasks/" + f.task + "/done", m{"note": "Klart"}},
		"GET /admin/units":                             {"/admin/units", nil},
		"PUT /admin/units/:unit":                       {"/admin/units/vuxen", m{"name": "Vuxenenheten", "kind": "adults"}},
		"GET /admin/settings":                          {"/admin/settings", nil},
		"PUT /admin/settings":                          {"/admin/settings", m{"decision_communication_days": 14, "appeal_forward_days": 7, "placement_reconsider_months": 3, "max_token_ttl": 3600, "report_concurrency": 2}},
		"GET /admin/delegation":                        {"/admin/delegation", nil},
		"PUT /admin/delegation":                        {"/admin/delegation", m{"rules": domain.DefaultDelegationOrder().Rules}}, // the same mandates: later fixtures rely on them
		"POST /cases/:id/proposals":                    {a + "/proposals", m{"support_type": "support_talks", "outcome": "denied", "valid_from": "2026-03-06", "reasons": "Utkast"}},
		"POST /cases/:id/proposals/:pid/decide":        {a + "/proposals/" + f.proposal + "/decide", m{"outcome": "granted"}},
		"POST /cases/:id/decisions/:did/communicated":  {a + "/decisions/" + f.talks + "/communicated", m{"communicated_on": "2026-03-05", "channel": "letter"}},
		"GET /cases/:id/decisions/:did/letter":         {a + "/decisions/" + f.housing + "/letter", nil},
		"POST /cases/:id/decisions/:did/appeals":       {a + "/decisions/" + f.talks + "/appeals", m{"received_on": "2026-03-10"}},
		"POST /cases/:id/appeals/:aid/dismissal":       {a + "/appeals/" + f.lateAppeal + "/dismissal", m{"decided_on": "2026-04-02", "reasons": "Överklagandet kom in för sent."}},
		"POST /cases/:id/appeals/:aid/reconsideration": {a + "/appeals/" + f.appeal + "/reconsideration", m{"decided_on": "2026-03-20", "changed": true, "outcome": "granted", "goals": []string{"Stöd"}, "reasons": "Nya uppgifter."}},
		"POST /cases/:id/appeals/:aid/forwarded":       {a + "/appeals/" + f.appeal + "/forwarded", m{"forwarded_on": "2026-03-21", "court": "Förvaltningsrätten i Stockholm"}},
		"POST /cases/:id/appeals/:aid/ruling":          {a + "/appeals/" + f.forwardedAppeal + "/ruling", m{"ruled_on": "2026-06-01", "outcome": "upheld"}},
		"POST /cases/:id/decisions/:did/carried-out":   {a + "/decisions/" + f.talks + "/carried-out", m{"started_on": "2026-03-09"}},
		"POST /cases/:id/decisions/:did/delay":         {a + "/decisions/" + f.talks + "/delay", m{"reason": "no_place_available", "note": "Väntelista"}},
		"GET /reports/appeals":                         {"/reports/appeals?from=2026-01-01&to=2026-12-31&unit=vuxen", nil},
		"GET /reports/not-carried-out":                 {"/reports/not-carried-out?quarter=2026Q3&unit=vuxen", nil},
		"POST /persons/:id/protection":                 {"/persons/" + f.protected + "/protection", m{"level": "fingerade_personuppgifter"}},
		"POST /persons/:id/grants":                     {"/persons/" + f.protected + "/grants", m{"sub": "cilla", "until": grantUntil(), "reason": "Vikarie"}},
		"POST /persons/:id/grants/:gid/revoke":         {"/persons/" + f.protected + "/grants/" + f.grant + "/revoke", m{"reason": "Vikariatet slut"}},
		"GET /persons/:id/grants":                      {"/persons/" + f.protected + "/grants", nil},
		"POST /audit/reviews":                          {"/audit/reviews", m{"entries": []string{f.accessEntry}, "outcome": "justified", "note": "Befogad läsning"}},
		"GET /audit/reviews":                           {"/audit/reviews?from=2026-01-01", nil},
		"GET /audit/sample":                            {"/audit/sample?unit=vuxen&size=5", nil},

		"POST /providers":                              {"/providers", shelterBody("Kvinnojouren Ny")},
		"GET /providers":                               {"/providers?kind=womens_shelter", nil},
		"GET /providers/checklist":                     {"/providers/checklist", nil},
		"GET /reports/providers":                       {"/reports/providers?from=2026-01-01&to=2026-12-31&format=xlsx", nil},
		"POST /providers/match":                        {"/providers/match", m{"case_id": f.caseA, "languages": []string{"sv"}, "avoid_regions": []string{"Skåne län"}}},
		"GET /providers/:id":                           {"/providers/" + providerA, nil},
		"POST /providers/:id/profile":                  {"/providers/" + providerA + "/profile", shelterBody("Jour A")},
		"POST /providers/:id/permit":                   {"/providers/" + providerA + "/permit", m{"authority": "IVO", "number": "3.5.1-2/2026", "valid_from": "2026-01-01", "valid_to": "2028-12-31"}},
		"POST /providers/:id/vacancies":                {"/providers/" + providerA + "/vacancies", m{"adults": 2, "children": 3, "as_of": "2026-03-05"}},
		"POST /providers/:id/follow-ups":               {"/providers/" + providerA + "/follow-ups", followUpBody()},
		"POST /providers/:id/actions/:aid/done":        {"/providers/" + providerA + "/actions/" + f.action + "/done", m{"note": "Brandsyn gjord"}},
		"POST /cases/:id/assignments/:aid/report-back": {a + "/assignments/" + f.assignment + "/report-back", m{"reported_on": "2026-03-20", "summary": "Har flyttat till egen bostad", "goal_attainment": "partly"}},
	}
	c, ok := cells[r.Method+" "+r.Path]
	if !ok {
		panic("matrix: no cell for " + r.Method + " " + r.Path)
	}
	return "/api/v1" + c.path, c.body
}

// Users of each role in and out of the fixture's scope (unit vuxen,
// provider A).
var inScope = map[auth.Role]user{
	auth.RoleCaseworker: anna, auth.RoleSupervisor: sara, auth.RoleProvider: jouren,
	auth.RoleTreatment: behandla, auth.RolePartnerContact: partnerk, auth.RoleStatistician: statist, auth.RoleAdmin: admin,
}

var outOfScope = map[auth.Role]user{
	auth.RoleCaseworker:     olle,
	auth.RoleSupervisor:     {sub: "sup-barn", roles: []auth.Role{auth.RoleSupervisor}, units: []string{"barn"}},
	auth.RoleProvider:       jour2,
	auth.RoleTreatment:      {sub: "beh-barn", roles: []auth.Role{auth.RoleTreatment}, units: []string{"barn"}},
	auth.RolePartnerContact: {sub: "pk-barn", roles: []auth.Role{auth.RolePartnerContact}, units: []string{"barn"}},
}

// TestRoleRouteScopeMatrix: every route × every role, in and out of
// scope, plus no token: 2xx, 401, 403 or 404 as API.md says.
func TestRoleRouteScopeMatrix(t *testing.T) {
	h := newHarness(t)
	shared := newFixture(h) // for cells that write nothing
	for _, r := range routes() {
		name := r.Method + " " + r.Path
		t.Run(name, func(t *testing.T) {
			path, body := shared.cell(r)
			assert.Equal(t, http.StatusUnauthorized, h.do(r.Method, path, nil, body).code, "no token")

			for _, role := range auth.Roles() {
				allowed := slices.Contains(r.Roles, role)
				u := inScope[role]
				if !allowed {
					res := h.do(r.Method, path, &u, body)
					assert.Equal(t, http.StatusForbidden, res.code, "%s may not call %s: %s", role, name, res.body)
					continue
				}
				// Allowed and in scope: a fresh world, so the write can succeed.
				f := shared
				if r.Method == http.MethodPost {
					f = newFixture(h)
				}
				p, b := f.cellAs(r, role)
				res := h.do(r.Method, p, &u, b)
				assert.Equal(t, r.Status, res.code, "%s in scope on %s: %s", role, name, res.body)

				// Allowed role, out of scope: the record is not there for them.
				out, ok := outOfScope[role]
				if !ok || !strings.Contains(r.Path, ":id") {
					continue
				}
				if strings.HasPrefix(r.Path, "/providers/") && role != auth.RoleProvider {
					continue // the registry is the municipality's, not a unit's: only another provider is out of scope
				}
				res = h.do(r.Method, path, &out, body)
				assert.Equal(t, http.StatusNotFound, res.code, "%s out of scope on %s: %s", role, name, res.body)
			}
		})
	}
	// Intake in a unit the worker does not work in is refused.
	res := h.do("POST", "/api/v1/cases", &olle, map[string]any{"unit": "vuxen", "target_group": "adult_victim", "source": "report", "received_on": "2026-03-01", "person_id": shared.subject})
	assert.Equal(t, http.StatusForbidden, res.code)
	// A treatment worker of another unit cannot start a partner contact on this case.
	res = h.do("POST", "/api/v1/partner-contacts", ptr(outOfScope[auth.RoleTreatment]), map[string]any{"treatment_case_id": shared.treatment, "partner": map[string]any{"name": "X"}})
	assert.Equal(t, http.StatusUnprocessableEntity, res.code)
	assert.Equal(t, "treatment-case-not-found", res.json(t)["rule"])
}

func ptr[T any](v T) *T { return &v }
