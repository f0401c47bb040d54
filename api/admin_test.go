package api

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/fristad/fristad/api/auth"
	"github.com/fristad/fristad/domain"
	"github.com/fristad/fristad/eventstore"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// lastSeq is the stream's last sequence: nothing written leaves it as is.
func (h *harness) lastSeq() uint64 {
	h.t.Helper()
	seq, err := h.store.LastSeq(context.Background())
	require.NoError(h.t, err)
	return seq
}

func TestUnitsRegistry(t *testing.T) {
	h := newHarness(t)
	units := func(u user) []any {
		r := h.must(200, "GET", "/api/v1/admin/units", &u, nil)
		assert.NotEmpty(t, r.header.Get("ETag"))
		return r.json(t)["units"].([]any)
	}
	assert.Len(t, units(sara), len(testUnits), "a supervisor reads the registry")

	r := h.must(200, "PUT", "/api/v1/admin/units/vuxen-norr", &admin, map[string]any{"name": "Vuxenenheten Norr", "kind": "adults"})
	v1 := r.json(t)["version"]
	all := units(admin)
	assert.Contains(t, all, map[string]any{"unit": "vuxen-norr", "name": "Vuxenenheten Norr", "kind": "adults"})
	// The same values again record nothing.
	before := h.lastSeq()
	r = h.must(200, "PUT", "/api/v1/admin/units/vuxen-norr", &admin, map[string]any{"name": "Vuxenenheten Norr", "kind": "adults"})
	assert.Equal(t, v1, r.json(t)["version"])
	assert.Equal(t, before, h.lastSeq())

	// Bad units, names and kinds: 400 naming the field, nothing written,
	// no value echoed.
	for _, c := range []struct {
		unit   string
		body   string
		fields []string
	}{
		{`=HYPERLINK("http://evil","x")`, `{"name":"X","kind":"other"}`, []string{"unit"}},
		{"+cmd", `{"name":"X","kind":"other"}`, []string{"unit"}},
		{"a b", `{"name":"X","kind":"other"}`, []string{"unit"}},
		{strings.Repeat("a", 65), `{"name":"X","kind":"other"}`, []string{"unit"}},
		{"ok", `{"name":"=SUM(A1)","kind":"other"}`, []string{"name"}},
		{"ok", `{"name":"Namn","kind":"adultz"}`, []string{"kind"}},
		{"x y", `{"name":"@cmd","kind":"weird"}`, []string{"unit", "name", "kind"}},
		{"ok", `{"name":"Namn","kind":"other","extra":1}`, nil},
	} {
		before := h.lastSeq()
		res := h.do("PUT", "/api/v1/admin/units/"+url.PathEscape(c.unit), &admin, c.body)
		require.Equal(t, http.StatusBadRequest, res.code, "%q %s: %s", c.unit, c.body, res.body)
		assert.Equal(t, before, h.lastSeq(), "%q: nothing written", c.unit)
		for _, echo := range []string{"HYPERLINK", "evil", "cmd", "SUM", "adultz", "weird"} {
			assert.NotContains(t, string(res.body), echo)
		}
		if c.fields != nil {
			var got []string
			for _, e := range res.json(t)["errors"].([]any) {
				got = append(got, e.(map[string]any)["field"].(string))
			}
			assert.Equal(t, c.fields, got, "%q %s", c.unit, c.body)
		}
	}
	// Only an admin writes.
	assert.Equal(t, http.StatusForbidden, h.do("PUT", "/api/v1/admin/units/ny", &sara, `{"name":"Ny","kind":"other"}`).code)
	// A stale If-Match is refused.
	assert.Equal(t, http.StatusPreconditionFailed, h.do("PUT", "/api/v1/admin/units/ny", &admin, `{"name":"Ny","kind":"other"}`, "If-Match", `"1"`).code)
}

// A case opens and moves only into a registered unit: an unknown unit is
// 400 naming the field, with no echo and nothing written (not even the
// subject's personal file).
func TestCaseInAnUnknownUnitIsRefused(t *testing.T) {
	h := newHarness(t)
	nowhere := user{sub: "nils", roles: []auth.Role{auth.RoleCaseworker, auth.RoleSupervisor}, units: []string{"vuxen", "okand-enhet"}}
	before := h.lastSeq()
	res := h.do("POST", "/api/v1/cases", &nowhere, map[string]any{"unit": "okand-enhet", "target_group": "adult_victim", "source": "report",
		"received_on": "2026-03-01", "subject": map[string]any{"sex": "female", "name": "Okänd Enhet"}})
	require.Equal(t, http.StatusBadRequest, res.code, string(res.body))
	assert.Equal(t, "unit", res.json(t)["errors"].([]any)[0].(map[string]any)["field"])
	assert.NotContains(t, string(res.body), "okand")
	assert.NotContains(t, string(res.body), "Okänd")
	assert.Equal(t, before, h.lastSeq(), "nothing written")

	id := h.must(201, "POST", "/api/v1/cases", &nowhere, map[string]any{"unit": "vuxen", "target_group": "adult_victim", "source": "report",
		"received_on": "2026-03-01", "subject": map[string]any{"sex": "female", "name": "Känd Enhet"}}).str(t, "id")
	before = h.lastSeq()
	res = h.do("POST", "/api/v1/cases/"+id+"/reassign", &nowhere, map[string]any{"assignee": "nils", "unit": "okand-enhet"})
	require.Equal(t, http.StatusBadRequest, res.code, string(res.body))
	assert.NotContains(t, string(res.body), "okand")
	assert.Equal(t, before, h.lastSeq())

	// A correction is no way around the registry: correcting the intake's
	// unit to an unknown one is refused the same way.
	hist, err := h.store.Load(context.Background(), domain.KindCase, domain.ID(id))
	require.NoError(t, err)
	opened := string(hist.Events[0].ID)
	before = h.lastSeq()
	res = h.do("POST", "/api/v1/cases/"+id+"/corrections", &nowhere, map[string]any{"event_id": opened, "reason": "Fel enhet",
		"corrected": map[string]any{"unit": "=HYPERLINK(\"http://evil\",\"x\")"}})
	require.Equal(t, http.StatusBadRequest, res.code, string(res.body))
	assert.NotContains(t, string(res.body), "HYPERLINK")
	assert.Equal(t, before, h.lastSeq())

	// Registered, the same unit works.
	h.must(200, "PUT", "/api/v1/admin/units/okand-enhet", &admin, map[string]any{"name": "Nu känd", "kind": "other"})
	h.must(200, "POST", "/api/v1/cases/"+id+"/reassign", &nowhere, map[string]any{"assignee": "nils", "unit": "okand-enhet"})
}

func TestSettings(t *testing.T) {
	h := newHarness(t)
	r := h.must(200, "GET", "/api/v1/admin/settings", &sara, nil)
	got := r.json(t)
	def := domain.DefaultSettings()
	assert.EqualValues(t, def.AppealForwardDays, got["appeal_forward_days"])
	assert.EqualValues(t, 7, got["appeal_forward_days"])
	assert.EqualValues(t, def.ReportConcurrency, got["report_concurrency"])

	body := map[string]any{"decision_communication_days": 10, "appeal_forward_days": 5, "placement_reconsider_months": 6, "max_token_ttl": 3600, "report_concurrency": 3}
	h.must(200, "PUT", "/api/v1/admin/settings", &admin, body)
	st, err := h.store.Settings(context.Background())
	require.NoError(t, err)
	assert.Equal(t, domain.SettingValues{DecisionCommunicationDays: 10, AppealForwardDays: 5, PlacementReconsiderMonths: 6, MaxTokenTTL: 3600, ReportConcurrency: 3}, st.Values,
		"the accessor other packages use reads the change at once")
	assert.Equal(t, time.Hour, st.Values.TokenTTL())

	for _, c := range []struct {
		body   string
		fields []string
	}{
		{`{"decision_communication_days":10,"appeal_forward_days":5,"placement_reconsider_months":6,"max_token_ttl":3153600000,"report_concurrency":0}`, []string{"max_token_ttl", "report_concurrency"}},
		{`{"appeal_forward_days":5}`, []string{"decision_communication_days", "placement_reconsider_months", "max_token_ttl", "report_concurrency"}},
		{`{"decision_communication_days":"ten","appeal_forward_days":5,"placement_reconsider_months":6,"max_token_ttl":3600,"report_concurrency":3}`, nil},
	} {
		before := h.lastSeq()
		res := h.do("PUT", "/api/v1/admin/settings", &admin, c.body)
		require.Equal(t, http.StatusBadRequest, res.code, "%s: %s", c.body, res.body)
		assert.Equal(t, before, h.lastSeq())
		assert.NotContains(t, string(res.body), "3153600000")
		if c.fields != nil {
			var got []string
			for _, e := range res.json(t)["errors"].([]any) {
				got = append(got, e.(map[string]any)["field"].(string))
			}
			assert.Equal(t, c.fields, got)
		}
	}
	assert.Equal(t, http.StatusForbidden, h.do("PUT", "/api/v1/admin/settings", &sara, body).code)
	assert.Equal(t, http.StatusForbidden, h.do("GET", "/api/v1/admin/settings", &anna, nil).code)
}

// Units that cases in the stream name (written before the registry, or
// by fristad seed) are registered at start-up; an id that is no valid
// unit id is left out and counted, never registered.
func TestUnitsFoundInTheStreamAreRegistered(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	for _, unit := range []string{"gammal-enhet", "=HYPERLINK(x)", "vuxen"} {
		_, err := eventstore.Execute(ctx, h.store, domain.CaseDecider(), domain.NewID(), domain.OpenCase{Unit: unit, TargetGroup: domain.AdultVictim,
			Source: domain.SourceReport, ReceivedOn: domain.NewDate(2026, 1, 1), PersonID: domain.NewID(), Assignee: "anna", Today: domain.NewDate(2026, 1, 2)},
			eventstore.ExecOptions{AppendOptions: eventstore.AppendOptions{Actor: "anna"}})
		require.NoError(t, err)
	}
	require.NoError(t, h.srv.cfg.Runner.CatchUp(ctx, 5*time.Second))
	found, err := h.srv.RegisterFoundUnits(ctx)
	require.NoError(t, err)
	assert.Equal(t, FoundUnits{Registered: 1, Invalid: 1}, found)
	body := string(h.must(200, "GET", "/api/v1/admin/units", &admin, nil).body)
	assert.Contains(t, body, `"unit":"gammal-enhet"`)
	assert.NotContains(t, body, "HYPERLINK")
	// Idempotent: a second start registers nothing.
	found, err = h.srv.RegisterFoundUnits(ctx)
	require.NoError(t, err)
	assert.Equal(t, 0, found.Registered)
}

// The dashboard's decision deadlines follow the municipality's settings as
// they stand: a longer decision_communication_days or appeal_forward_days
// takes a decision or appeal off the overdue lists at once, a shorter one
// puts it back.
func TestDashboardDeadlinesFollowTheSettings(t *testing.T) {
	h := newHarness(t)
	clock := &testClock{t: time.Date(2026, 3, 11, 10, 0, 0, 0, time.UTC)} // a Wednesday
	h.srv.now = clock.now
	caseID, _ := openTestCase(h, anna)
	c := "/api/v1/cases/" + caseID
	h.must(201, "POST", c+"/decisions", &sara, map[string]any{"support_type": "support_talks", "outcome": "denied",
		"valid_from": "2026-03-02", "decided_on": "2026-03-02", "reasons": "Skäl."}) // never communicated
	told := h.must(201, "POST", c+"/decisions", &sara, map[string]any{"support_type": "contact_person", "outcome": "denied",
		"valid_from": "2026-03-02", "decided_on": "2026-03-02", "reasons": "Skäl."}).str(t, "decision_id")
	h.must(200, "POST", c+"/decisions/"+told+"/communicated", &anna, map[string]any{"communicated_on": "2026-03-03", "channel": "letter"})
	h.must(201, "POST", c+"/decisions/"+told+"/appeals", &anna, map[string]any{"received_on": "2026-03-03"})
	count := func(list string) int {
		return len(h.must(200, "GET", "/api/v1/dashboard/overdue", &sara, nil).json(t)[list].([]any))
	}
	set := func(communication, forward int) {
		h.must(200, "PUT", "/api/v1/admin/settings", &admin, map[string]any{"decision_communication_days": communication, "appeal_forward_days": forward,
			"placement_reconsider_months": 3, "max_token_ttl": 43200, "report_concurrency": 2})
	}
	// The defaults (7 and 7 days): both are late on 2026-03-11.
	assert.Equal(t, 1, count("decisions_not_communicated"))
	assert.Equal(t, 1, count("appeals_not_forwarded"))
	set(14, 7)
	assert.Equal(t, 0, count("decisions_not_communicated"), "14 days from 2026-03-02 end on 2026-03-16")
	assert.Equal(t, 1, count("appeals_not_forwarded"))
	set(14, 10)
	assert.Equal(t, 0, count("appeals_not_forwarded"), "10 days from 2026-03-03 end on 2026-03-13")
	set(3, 3)
	assert.Equal(t, 1, count("decisions_not_communicated"))
	assert.Equal(t, 1, count("appeals_not_forwarded"))
}
