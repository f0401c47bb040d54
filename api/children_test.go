package api

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fristad/fristad/api/auth"
	"github.com/fristad/fristad/projections"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// isoClock is the server's clock in these tests: set, never slept on.
type isoClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *isoClock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *isoClock) set(s string) {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	c.mu.Lock()
	c.t = t
	c.mu.Unlock()
}

func harnessAt(t *testing.T, at string) (*harness, *isoClock) {
	c := &isoClock{}
	c.set(at)
	return newHarnessWith(t, func(cfg *Config) { cfg.Now = c.now }), c
}

var (
	barnCW   = user{sub: "britt", roles: []auth.Role{auth.RoleCaseworker}, units: []string{"barn"}}
	barnSup  = user{sub: "sune", roles: []auth.Role{auth.RoleSupervisor}, units: []string{"barn"}}
	bothUnit = user{sub: "vera", roles: []auth.Role{auth.RoleCaseworker}, units: []string{"vuxen", "barn"}}
)

func openReport(h *harness, u user, unit, receivedAt string) (string, map[string]any) {
	r := h.must(201, "POST", "/api/v1/cases", &u, map[string]any{"unit": unit, "target_group": "child_victim", "source": "report_of_concern",
		"reporter_category": "preschool", "received_at": receivedAt, "concerns_violence": true,
		"subject": map[string]any{"sex": "male", "birth_year": 2019, "name": "Bo Barn"}})
	return r.str(h.t, "id"), r.json(h.t)["deadlines"].(map[string]any)
}

// tasksOf lists tasks (all pages) as maps.
func tasksOf(t *testing.T, h *harness, u user, query string) []map[string]any {
	t.Helper()
	var out []map[string]any
	cursor := ""
	for {
		q := query
		if cursor != "" {
			q += "&cursor=" + cursor
		}
		body := h.must(200, "GET", "/api/v1/tasks?"+q, &u, nil).json(t)
		for _, it := range body["items"].([]any) {
			out = append(out, it.(map[string]any))
		}
		next, _ := body["next_cursor"].(string)
		if next == "" {
			return out
		}
		cursor = next
	}
}

func taskOfKind(t *testing.T, tasks []map[string]any, kind, caseID string) map[string]any {
	t.Helper()
	for _, task := range tasks {
		if task["kind"] == kind && task["case_id"] == caseID {
			return task
		}
	}
	t.Fatalf("no %s task for %s in %v", kind, caseID, tasks)
	return nil
}

// TestReportOfConcernDeadlinesThroughTheAPI: the edges of DOMAIN.md's
// deadlines in Europe/Stockholm, through intake, writes and GET /tasks.
func TestReportOfConcernDeadlinesThroughTheAPI(t *testing.T) {
	// Friday 17 April 2026, 23:55 in Stockholm (21:55 UTC).
	h, clk := harnessAt(t, "2026-04-17T21:55:00Z")
	id, deadlines := openReport(h, barnCW, "barn", "2026-04-17T21:50:00Z") // 23:50 on a Friday in Stockholm
	assert.Equal(t, "2026-04-17", deadlines["protection_assessment"])
	assert.Equal(t, "2026-05-04", deadlines["preliminary_assessment"], "the 14th day is 1 May, a public holiday, then a weekend")

	// 00:10 on Saturday in Stockholm: still Friday in UTC, but a day late.
	clk.set("2026-04-17T22:15:00Z")
	r := h.must(200, "POST", "/api/v1/cases/"+id+"/protection-assessment", &barnCW, map[string]any{
		"assessed_at": "2026-04-18T00:10:00+02:00", "immediate_protection": false, "summary": "Inget akut skyddsbehov"}).json(t)
	assert.Equal(t, "2026-04-17", r["due_on"])
	assert.Equal(t, true, r["late"], "00:10 Saturday in Stockholm is not the same day")
	done := tasksOf(t, h, barnCW, "status=done")
	pa := taskOfKind(t, done, "protection_assessment", id)
	assert.Equal(t, "2026-04-18", pa["done_on"])
	assert.Equal(t, true, pa["late"])

	// The day after the deadline the preliminary assessment is overdue and first.
	clk.set("2026-05-04T21:59:00Z") // 23:59 on 4 May in Stockholm: not yet overdue
	assert.Equal(t, false, taskOfKind(t, tasksOf(t, h, barnCW, "kind=preliminary_assessment"), "preliminary_assessment", id)["overdue"])
	other, _ := openReport(h, barnCW, "barn", "2026-05-04T08:00:00Z")
	clk.set("2026-05-04T22:01:00Z") // 00:01 on 5 May in Stockholm
	list := tasksOf(t, h, barnCW, "assignee=me")
	require.NotEmpty(t, list)
	assert.Equal(t, id, list[0]["case_id"], "overdue first")
	assert.Equal(t, true, list[0]["overdue"])
	assert.Equal(t, "2026-05-04", list[0]["due_on"])
	overdue := tasksOf(t, h, barnCW, "overdue=true")
	for _, task := range overdue {
		if task["case_id"] == other {
			assert.Equal(t, "protection_assessment", task["kind"], "only the same-day assessment of the later report is overdue")
		}
	}
	assert.Equal(t, false, taskOfKind(t, tasksOf(t, h, barnCW, "kind=preliminary_assessment"), "preliminary_assessment", other)["overdue"])
	dash := h.must(200, "GET", "/api/v1/dashboard/overdue", &barnSup, nil).json(t)
	require.Len(t, dash["tasks"], len(overdue), "the dashboard lists the same overdue tasks")

	// A late preliminary assessment is accepted, and says so.
	r = h.must(200, "POST", "/api/v1/cases/"+id+"/preliminary-assessment", &barnCW, map[string]any{"decision": "open_investigation"}).json(t)
	assert.Equal(t, true, r["late"])
	assert.Equal(t, "2026-05-04", r["due_on"])
}

func TestFourMonthsFromThe31stAndTheHoliday(t *testing.T) {
	h, clk := harnessAt(t, "2026-10-31T09:00:00Z")
	id, _ := openReport(h, barnCW, "barn", "2026-10-30T09:00:00Z")
	h.must(200, "POST", "/api/v1/cases/"+id+"/preliminary-assessment", &barnCW, map[string]any{"decision": "open_investigation"})
	inv := taskOfKind(t, tasksOf(t, h, barnCW, "kind=investigation"), "investigation", id)
	assert.Equal(t, "2027-03-01", inv["due_on"], "four months from 31 October is 28 February 2027, a Sunday")

	clk.set("2027-02-20T09:00:00Z")
	h.must(200, "POST", "/api/v1/cases/"+id+"/investigation-extension", &barnCW, map[string]any{"until": "2027-04-30", "reasons": "Väntar på BUP"})
	inv = taskOfKind(t, tasksOf(t, h, barnCW, "kind=investigation"), "investigation", id)
	assert.Equal(t, "2027-04-30", inv["due_on"])
	res := h.do("POST", "/api/v1/cases/"+id+"/investigation-extension", &barnCW, map[string]any{"until": "2027-04-01", "reasons": "x"})
	assert.Equal(t, http.StatusUnprocessableEntity, res.code)
	assert.Equal(t, "extension-not-after-deadline", res.json(t)["rule"])
	res = h.do("POST", "/api/v1/cases/"+id+"/investigation-extension", &barnCW, map[string]any{"until": "2027-06-01"})
	assert.Equal(t, http.StatusBadRequest, res.code, "reasons are required")

	// The 14th day on Ascension Day (Thursday 14 May 2026) moves to Friday.
	clk.set("2026-04-30T09:00:00Z")
	_, deadlines := openReport(h, barnCW, "barn", "2026-04-30T08:00:00Z")
	assert.Equal(t, "2026-05-15", deadlines["preliminary_assessment"])

	// Bad input writes nothing and echoes nothing.
	before, err := h.store.LastSeq(context.Background())
	require.NoError(t, err)
	for _, body := range []map[string]any{
		{"unit": "barn", "target_group": "child_victim", "source": "report_of_concern", "reporter_category": "neighbour", "received_at": "2026-04-30T08:00:00Z", "concerns_violence": true, "subject": map[string]any{"sex": "male", "name": "X"}},
		{"unit": "barn", "target_group": "child_victim", "source": "report_of_concern", "reporter_category": "school", "received_at": "yesterday", "concerns_violence": true, "subject": map[string]any{"sex": "male", "name": "X"}},
		{"unit": "barn", "target_group": "adult_victim", "source": "report_of_concern", "reporter_category": "school", "received_at": "2026-04-30T08:00:00Z", "concerns_violence": true, "subject": map[string]any{"sex": "male", "name": "X"}},
		{"unit": "barn", "target_group": "child_victim", "source": "report_of_concern", "reporter_category": "school", "received_at": "2026-05-30T08:00:00Z", "concerns_violence": true, "subject": map[string]any{"sex": "male", "name": "X"}},
	} {
		res := h.do("POST", "/api/v1/cases", &barnCW, body)
		assert.Equal(t, http.StatusBadRequest, res.code, "%s", res.body)
		assert.NotContains(t, string(res.body), "neighbour")
		assert.NotContains(t, string(res.body), "yesterday")
	}
	after, err := h.store.LastSeq(context.Background())
	require.NoError(t, err)
	assert.Equal(t, before, after)
}

// TestTasksStayInTheirUnitAndBehindTheBarrier: a partner contact's new
// violence with children affected is an urgent task of the treatment
// unit's supervisors, which nobody else sees and which writes nothing on the
// treatment case; tasks and links never cross units.
func TestTasksStayInTheirUnitAndBehindTheBarrier(t *testing.T) {
	h, _ := harnessAt(t, "2026-04-06T09:00:00Z")
	f := newFixture(h)
	pc := "/api/v1/partner-contacts/" + f.contact
	h.must(200, "POST", pc+"/response", &partnerk, map[string]any{"accepted": true})
	before := h.must(200, "GET", "/api/v1/cases/"+f.treatment, &anna, nil)
	h.must(200, "POST", pc+"/new-violence", &partnerk, map[string]any{"reported_on": "2026-04-06", "children_affected": true})

	nv := taskOfKind(t, tasksOf(t, h, sara, "kind=new_violence"), "new_violence", f.treatment)
	assert.Equal(t, "supervisors", nv["owner"])
	assert.Equal(t, true, nv["urgent"])
	assert.Nil(t, nv["assignee"])
	for _, u := range []user{anna, bertil, olle, barnSup} {
		for _, task := range tasksOf(t, h, u, "status=open") {
			assert.NotEqual(t, "new_violence", task["kind"], "%s sees the new-violence task", u.sub)
		}
	}
	assert.Equal(t, http.StatusForbidden, h.do("GET", "/api/v1/tasks", &behandla, nil).code)
	after := h.must(200, "GET", "/api/v1/cases/"+f.treatment, &anna, nil)
	assert.Equal(t, before.header.Get("ETag"), after.header.Get("ETag"), "the treatment case is not written")
	assert.NotContains(t, string(after.body), "new_violence")

	// Only a supervisor records the report of concern; a worker is told nothing exists.
	tid := nv["task_id"].(string)
	assert.Equal(t, http.StatusNotFound, h.do("POST", "/api/v1/cases/"+f.treatment+"/tasks/"+tid+"/done", &anna, map[string]any{"note": "x"}).code)
	assert.Equal(t, http.StatusNotFound, h.do("POST", "/api/v1/cases/"+f.treatment+"/tasks/"+tid+"/done", &barnSup, map[string]any{"note": "x"}).code)
	assert.Equal(t, http.StatusNotFound, h.do("POST", "/api/v1/cases/"+f.caseA+"/tasks/"+tid+"/done", &sara, map[string]any{"note": "x"}).code, "another case")
	treatmentSide := h.must(200, "GET", pc, &behandla, nil)
	h.must(200, "POST", "/api/v1/cases/"+f.treatment+"/tasks/"+tid+"/done", &sara, map[string]any{"note": "Orosanmälan gjord till barnenheten"})
	after = h.must(200, "GET", pc, &behandla, nil)
	assert.Equal(t, treatmentSide.header.Get("ETag"), after.header.Get("ETag"), "the treatment side's record is not written")
	assert.Equal(t, string(treatmentSide.body), string(after.body), "the treatment side learns nothing")
	nv = taskOfKind(t, tasksOf(t, h, sara, "kind=new_violence&status=done"), "new_violence", f.treatment)
	assert.Equal(t, "2026-04-06", nv["done_on"])
	assert.Equal(t, before.header.Get("ETag"), h.must(200, "GET", "/api/v1/cases/"+f.treatment, &anna, nil).header.Get("ETag"))
	res := h.do("POST", "/api/v1/cases/"+f.treatment+"/tasks/"+tid+"/done", &sara, map[string]any{"note": "igen"})
	assert.Equal(t, http.StatusUnprocessableEntity, res.code)

	// Another unit's tasks do not exist for a caller.
	assert.Empty(t, tasksOf(t, h, olle, "unit=vuxen"))
	for _, task := range tasksOf(t, h, olle, "status=open") {
		assert.Equal(t, "barn", task["unit"])
	}

	// A derived task is done by its event, not by the route.
	schooling := taskOfKind(t, tasksOf(t, h, anna, "kind=schooling"), "schooling", f.caseA)
	res = h.do("POST", "/api/v1/cases/"+f.caseA+"/tasks/"+schooling["task_id"].(string)+"/done", &anna, map[string]any{"note": "x"})
	assert.Equal(t, http.StatusUnprocessableEntity, res.code)
	assert.Equal(t, "task-done-by-event", res.json(t)["rule"])
}

func TestProtectedChildTasksAndLinks(t *testing.T) {
	h, _ := harnessAt(t, "2026-04-06T09:00:00Z")
	f := newFixture(h)
	// The placed child is protected: no task names the shelter or the kind
	// of school. (Tasks carry no provider, address or school of anyone.)
	h.must(200, "POST", "/api/v1/persons/"+f.child+"/protection", &anna, map[string]any{"level": "skyddad_folkbokforing"})
	h.must(200, "POST", "/api/v1/cases/"+f.caseA+"/placements/"+f.placement+"/schooling", &anna, map[string]any{"child_id": f.child, "arranged_on": "2026-03-08", "school_kind": "same_school"})
	for _, u := range []user{anna, bertil, sara} {
		for _, q := range []string{"status=open&limit=500", "status=done&limit=500"} {
			// (The supervisors' provider_action and provider_follow_up
			// tasks are about the registry's providers, not about anyone
			// placed there: they name the provider and no case.)
			for _, item := range h.must(200, "GET", "/api/v1/tasks?"+q, &u, nil).json(t)["items"].([]any) {
				task := item.(map[string]any)
				if task["case_id"] == nil {
					continue
				}
				raw, _ := json.Marshal(task)
				assert.NotContains(t, string(raw), providerA, "%s: a task names the shelter", u.sub)
				assert.NotContains(t, string(raw), "same_school", "%s: a task names the school", u.sub)
			}
		}
		raw := h.must(200, "GET", "/api/v1/tasks?status=done&kind=schooling", &u, nil).body
		assert.Contains(t, string(raw), f.child, "the schooling task names the child (not where it is)")
	}

	// A link shows only to those who reach both cases.
	barnCase, _ := openReport(h, barnCW, "barn", "2026-04-05T08:00:00Z")
	res := h.do("POST", "/api/v1/cases/"+f.caseA+"/links", &anna, map[string]any{"case_id": barnCase, "relation": "child_case"})
	assert.Equal(t, http.StatusUnprocessableEntity, res.code, "anna does not reach the children's case")
	missing := h.do("POST", "/api/v1/cases/"+f.caseA+"/links", &anna, map[string]any{"case_id": "01J0000000000000000000ZZZZ", "relation": "child_case"})
	assert.Equal(t, res.code, missing.code)
	assert.JSONEq(t, string(res.body), string(missing.body), "another unit's case and no case answer alike")

	h.must(201, "POST", "/api/v1/cases/"+f.caseA+"/links", &bothUnit, map[string]any{"case_id": barnCase, "relation": "child_case"})
	links := func(u user, id string) []any {
		return h.must(200, "GET", "/api/v1/cases/"+id, &u, nil).json(t)["links"].([]any)
	}
	assert.Len(t, links(bothUnit, f.caseA), 1)
	assert.Len(t, links(bothUnit, barnCase), 1, "the other case shows the link too")
	assert.Empty(t, links(anna, f.caseA), "anna does not reach the children's case")
	assert.Empty(t, links(sara, f.caseA))
	assert.Empty(t, links(barnCW, barnCase), "britt does not reach the adult's case")
	hist := h.must(200, "GET", "/api/v1/cases/"+f.caseA+"/events", &anna, nil).body
	assert.NotContains(t, string(hist), barnCase, "the history hides the other case's id")
	hist = h.must(200, "GET", "/api/v1/cases/"+f.caseA+"/events", &bothUnit, nil).body
	assert.Contains(t, string(hist), barnCase)
}

// TestTasksLiveAndRebuilt: the task list of a live server equals the one a
// projection rebuilt from zero (and one restored from a snapshot) derives
// from the same events.
func TestTasksLiveAndRebuilt(t *testing.T) {
	h, clk := harnessAt(t, "2026-04-06T09:00:00Z")
	f := newFixture(h)
	id, _ := openReport(h, anna, "vuxen", "2026-04-05T22:30:00Z")
	h.must(200, "POST", "/api/v1/cases/"+id+"/preliminary-assessment", &anna, map[string]any{"decision": "open_investigation"})
	a := "/api/v1/cases/" + f.caseA
	basis := h.must(200, "POST", a+"/children/"+f.child+"/placement-basis", &anna, map[string]any{"basis": "guardians_consent", "decided_on": "2026-03-04"}).json(t)
	assert.Equal(t, "2026-06-04", basis["reconsider_by"], "the default interval: three months")
	res := h.do("POST", a+"/children/"+f.subject+"/placement-basis", &anna, map[string]any{"basis": "guardians_consent", "decided_on": "2026-03-04"})
	assert.Equal(t, http.StatusUnprocessableEntity, res.code, "the subject is not a child of the case")
	res = h.do("POST", a+"/children/"+f.child+"/views", &olle, map[string]any{"heard_on": "2026-03-04", "views": "x"})
	assert.Equal(t, http.StatusNotFound, res.code, "another unit's case")
	h.must(200, "POST", a+"/safety-plans", &anna, map[string]any{"for": "child", "child_id": f.child, "occasion": "move_in", "made_on": "2026-03-05", "plan": "Plan"})
	h.must(200, "POST", a+"/follow-ups", &anna, map[string]any{"decision_id": f.housing, "followed_up_on": "2026-03-09", "participated": true,
		"goal_outcomes": []map[string]any{{"goal": "Trygghet", "outcome": "partly"}}, "next_follow_up_on": "2026-03-20"})
	h.must(200, "POST", "/api/v1/cases/"+f.caseA+"/tasks/"+f.task+"/done", &anna, map[string]any{"note": "Klart"})
	h.must(200, "POST", "/api/v1/partner-contacts/"+f.contact+"/response", &partnerk, map[string]any{"accepted": true})
	h.must(200, "POST", "/api/v1/partner-contacts/"+f.contact+"/new-violence", &partnerk, map[string]any{"reported_on": "2026-04-06", "children_affected": true})
	clk.set("2026-05-10T09:00:00Z")

	today := h.srv.today()
	q := projections.TaskQuery{Units: []string{"vuxen", "barn"}, Supervisor: true, Today: today, Limit: 500}
	all := func(c *projections.Cases) string {
		var out []projections.TaskRow
		for _, st := range []string{projections.TaskOpen, projections.TaskDone} {
			q.Status = st
			rows, _, err := c.Tasks(q)
			require.NoError(t, err)
			out = append(out, rows...)
		}
		b, err := json.Marshal(out)
		require.NoError(t, err)
		return string(b)
	}
	require.NoError(t, h.srv.cfg.Runner.CatchUp(context.Background(), 5*time.Second))
	live := all(h.srv.cfg.Cases)
	for _, kind := range []string{"protection_assessment", "preliminary_assessment", "investigation", "placement_reconsideration", "follow_up", "new_violence", "own", "safety_plan", "schooling",
		"decision_not_communicated", "decision_not_carried_out", "appeal_to_examine", "decision_expiring", "implementation_plan"} {
		assert.Contains(t, live, `"kind":"`+kind+`"`)
	}

	links, rebuilt := projections.NewPersonLinks(), projections.NewCases()
	runner, err := projections.NewRunner(h.store, projections.Options{NoSnapshots: true}, links, rebuilt)
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() { _ = runner.Run(ctx) }()
	require.NoError(t, runner.CatchUp(ctx, 10*time.Second))
	assert.Equal(t, live, all(rebuilt), "rebuilt from zero")

	data, err := h.srv.cfg.Cases.Capture()()
	require.NoError(t, err)
	restored := projections.NewCases()
	require.NoError(t, restored.Restore(data))
	assert.Equal(t, live, all(restored), "restored from a snapshot")
	assert.Error(t, restored.Restore([]byte(strings.Replace(string(data), `"format":2`, `"format":1`, 1))), "an older snapshot format rebuilds")
}

// TestPartyViewOfAReport: the party view names no reporter, no linked case
// and no task.
func TestPartyViewOfAReport(t *testing.T) {
	h, _ := harnessAt(t, "2026-03-10T09:00:00Z")
	id, _ := openReport(h, bothUnit, "barn", "2026-03-09T08:00:00Z")
	adult, _ := openTestCase(h, anna)
	h.must(201, "POST", "/api/v1/cases/"+id+"/links", &bothUnit, map[string]any{"case_id": adult, "relation": "parent_case"})
	full := h.must(200, "GET", "/api/v1/cases/"+id, &bothUnit, nil).json(t)
	assert.Equal(t, "preschool", full["report_of_concern"].(map[string]any)["reporter_category"])
	assert.Len(t, full["links"], 1)
	assert.NotEmpty(t, full["tasks"])
	party := h.must(200, "GET", "/api/v1/cases/"+id+"?view=party", &bothUnit, nil)
	assert.NotContains(t, string(party.body), "preschool")
	assert.NotContains(t, string(party.body), adult)
	assert.Empty(t, party.json(t)["tasks"])
}

// TestTaskPeriodsFollowTheSettings: the municipality's settings move the
// decision tasks' due days as they move the dashboard's decision lists.
func TestTaskPeriodsFollowTheSettings(t *testing.T) {
	h, _ := harnessAt(t, "2026-04-06T09:00:00Z")
	f := newFixture(h)
	due := func() map[string]any {
		for _, task := range tasksOf(t, h, sara, "kind=decision_not_communicated&status=open") {
			if task["case_id"] == f.caseA {
				return task
			}
		}
		t.Fatal("no decision_not_communicated task on case A")
		return nil
	}
	before := due()["due_on"].(string)
	h.must(200, "PUT", "/api/v1/admin/settings", &admin, map[string]any{"decision_communication_days": 21, "appeal_forward_days": 7,
		"placement_reconsider_months": 6, "max_token_ttl": 3600, "report_concurrency": 2})
	after := due()["due_on"].(string)
	assert.Greater(t, after, before, "21 days instead of 7")
	basis := h.must(200, "POST", "/api/v1/cases/"+f.caseA+"/children/"+f.child+"/placement-basis", &anna,
		map[string]any{"basis": "guardians_consent", "decided_on": "2026-03-04"}).json(t)
	assert.Equal(t, "2026-09-04", basis["reconsider_by"], "six months, as the settings say")
}

// The task list's filters are refused by the route's declared parameters
// (guard), with the messages the OpenAPI document's forms give, before the
// handler runs: a bad value is a 400 naming the field, never a list.
func TestTaskListFiltersAreCheckedByTheRoute(t *testing.T) {
	h := newHarness(t)
	for _, tc := range []struct{ query, field, message string }{
		{"status=closed", "status", "must be one of open, done"},
		{"kind=nothing", "kind", "must be one of "},
		{"overdue=yes", "overdue", "must be true or false"},
		{"limit=0", "limit", "must be an integer from 1 to 500"},
		{"limit=501", "limit", "must be an integer from 1 to 500"},
		{"limit=x", "limit", "must be an integer from 1 to 500"},
	} {
		res := h.do("GET", "/api/v1/tasks?"+tc.query, &anna, nil)
		require.Equal(t, 400, res.code, "%s: %s", tc.query, res.body)
		errs := res.json(t)["errors"].([]any)
		require.Len(t, errs, 1, tc.query)
		e := errs[0].(map[string]any)
		assert.Equal(t, tc.field, e["field"], tc.query)
		assert.Contains(t, e["message"], tc.message, tc.query)
	}
}
