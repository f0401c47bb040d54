package api

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/fristad/fristad/domain"
	"github.com/fristad/fristad/eventstore/accesslog"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// accessLog is every entry of the harness's access log.
func (h *harness) accessLog() []accesslog.Entry {
	h.t.Helper()
	var all []accesslog.Entry
	var after uint64
	for {
		page, next, err := h.store.Access().Query(context.Background(), accesslog.Query{After: after, Limit: 1000})
		require.NoError(h.t, err)
		all = append(all, page...)
		if next == 0 {
			return all
		}
		after = next
	}
}

// rawAccessLog is the access log's stream as stored: subjects, headers, data.
func (h *harness) rawAccessLog() string {
	h.t.Helper()
	return h.rawStream(h.store.Access().StreamName())
}

// rawStream is a stream as stored: subjects, headers, data.
func (h *harness) rawStream(name string) string {
	h.t.Helper()
	ctx := context.Background()
	js, err := jetstream.New(shared.Conn)
	require.NoError(h.t, err)
	st, err := js.Stream(ctx, name)
	require.NoError(h.t, err)
	info, err := st.Info(ctx)
	require.NoError(h.t, err)
	var b strings.Builder
	for seq := info.State.FirstSeq; seq > 0 && seq <= info.State.LastSeq; seq++ {
		m, err := st.GetMsg(ctx, seq)
		require.NoError(h.t, err)
		b.WriteString(m.Subject + "\n")
		for k, vs := range m.Header {
			b.WriteString(k + ": " + strings.Join(vs, ",") + "\n")
		}
		b.Write(m.Data)
		b.WriteString("\n")
	}
	return b.String()
}

// breakAccessLog seals the access log's stream: JetStream refuses every
// new entry from then on (a real outage of the log, no mock).
func (h *harness) breakAccessLog() {
	h.t.Helper()
	ctx := context.Background()
	js, err := jetstream.New(shared.Conn)
	require.NoError(h.t, err)
	st, err := js.Stream(ctx, h.store.Access().StreamName())
	require.NoError(h.t, err)
	cfg := st.CachedInfo().Config
	cfg.Sealed = true
	_, err = js.UpdateStream(ctx, cfg)
	require.NoError(h.t, err)
}

// accessRead is one case-data GET and the entry it must leave.
type accessRead struct {
	name      string
	method    string
	path      string
	body      any
	u         user
	action    accesslog.Action
	caseID    string
	personID  string
	contactID string
}

func accessReads(f *fixture) []accessRead {
	a := "/api/v1/cases/" + f.caseA
	pc := "/api/v1/partner-contacts/" + f.contact
	return []accessRead{
		{"case file", "GET", a, nil, anna, accesslog.ReadCaseFile, f.caseA, f.subject, ""},
		{"case file (provider)", "GET", a, nil, jouren, accesslog.ReadCaseFile, f.caseA, f.subject, ""},
		{"case file (supervisor)", "GET", a, nil, sara, accesslog.ReadCaseFile, f.caseA, f.subject, ""},
		{"case events", "GET", a + "/events", nil, anna, accesslog.ReadCaseEvents, f.caseA, f.subject, ""},
		{"person", "GET", "/api/v1/persons/" + f.subject, nil, anna, accesslog.ReadPerson, "", f.subject, ""},
		{"search", "POST", "/api/v1/persons/search", map[string]any{"personal_number": f.pnr}, anna, accesslog.SearchPersons, "", "", ""},
		{"partner contact (treatment)", "GET", pc, nil, behandla, accesslog.ReadPartnerContact, f.treatment, "", f.contact},
		{"partner contact (partner side)", "GET", pc, nil, partnerk, accesslog.ReadPartnerContact, f.treatment, "", f.contact},
		{"partner contact (supervisor)", "GET", pc, nil, sara, accesslog.ReadPartnerContact, f.treatment, "", f.contact},
		{"audit case", "GET", "/api/v1/audit/cases/" + f.caseA, nil, sara, accesslog.ReadAudit, f.caseA, f.subject, ""},
		{"audit user", "GET", "/api/v1/audit/users/anna", nil, sara, accesslog.ReadAudit, "", "", ""},
		{"audit access", "GET", "/api/v1/audit/access", nil, admin, accesslog.ReadAudit, "", "", ""},
	}
}

// TestEveryReadOfCaseDataLeavesExactlyOneEntry: each successful read
// appends one entry naming the reader, the action and the record; a
// refused read appends none.
func TestEveryReadOfCaseDataLeavesExactlyOneEntry(t *testing.T) {
	h := newHarness(t)
	f := newFixture(h)
	for _, r := range accessReads(f) {
		before := len(h.accessLog())
		res := h.must(http.StatusOK, r.method, r.path, &r.u, r.body, "X-Access-Reason", "Granskning "+r.name)
		log := h.accessLog()
		require.Len(t, log, before+1, "%s: one entry", r.name)
		e := log[len(log)-1]
		assert.Equal(t, r.u.sub, e.User, r.name)
		assert.Equal(t, r.action, e.Action, r.name)
		assert.Equal(t, domain.ID(r.caseID), e.CaseID, r.name)
		if r.personID != "" {
			assert.Equal(t, domain.ID(r.personID), e.PersonID, r.name)
		}
		assert.Equal(t, domain.ID(r.contactID), e.ContactID, r.name)
		assert.NotEmpty(t, e.Roles, r.name)
		assert.WithinDuration(t, time.Now(), e.At, time.Minute, r.name)
		assert.NotNil(t, e.SealedReason, r.name)
		if r.action == accesslog.SearchPersons {
			assert.Contains(t, e.Found, domain.ID(f.subject))
		}
		if r.caseID != "" && r.action != accesslog.ReadAudit || r.contactID != "" {
			assert.Equal(t, "vuxen", e.Unit, r.name)
		}
		_ = res
	}

	// Refused reads leave nothing: no token, a role without the right, a
	// record out of scope, a record that does not exist.
	before := len(h.accessLog())
	a := "/api/v1/cases/" + f.caseA
	h.must(http.StatusUnauthorized, "GET", a, nil, nil)
	h.must(http.StatusForbidden, "GET", a, &statist, nil)
	h.must(http.StatusNotFound, "GET", a, &olle, nil)
	h.must(http.StatusNotFound, "GET", a, &jour2, nil)
	h.must(http.StatusNotFound, "GET", a+"/events", &olle, nil)
	h.must(http.StatusNotFound, "GET", "/api/v1/cases/"+string(domain.NewID()), &anna, nil)
	h.must(http.StatusNotFound, "GET", "/api/v1/persons/"+f.subject, &olle, nil)
	h.must(http.StatusNotFound, "GET", "/api/v1/partner-contacts/"+f.contact, ptr(outOfScope["partner_contact"]), nil)
	h.must(http.StatusNotFound, "GET", "/api/v1/audit/cases/"+f.caseA, ptr(outOfScope["supervisor"]), nil)
	h.must(http.StatusBadRequest, "GET", a, &anna, nil, "X-Access-Reason", strings.Repeat("x", 501))
	assert.Len(t, h.accessLog(), before)
}

// TestAccessLogOutageFailsReadsClosed: when the access log refuses
// writes, every read of case data is 503 and shows nothing of the record.
func TestAccessLogOutageFailsReadsClosed(t *testing.T) {
	h := newHarness(t)
	f := newFixture(h)
	h.breakAccessLog()
	for _, r := range accessReads(f) {
		res := h.do(r.method, r.path, &r.u, r.body)
		require.Equal(t, http.StatusServiceUnavailable, res.code, "%s: %s", r.name, res.body)
		assert.Equal(t, "application/problem+json", res.header.Get("Content-Type"), r.name)
		assert.Equal(t, ProblemBase+"unavailable", res.json(t)["type"], r.name)
		assert.Empty(t, res.header.Get("ETag"), r.name)
		body := string(res.body)
		for _, secret := range []string{f.caseA, f.subject, f.contact, f.treatment, subjectName, subjectStreet, "Paula", "person_ids", "events", "vuxen", "anna"} {
			assert.NotContains(t, body, secret, r.name)
		}
	}
	// Writes do not depend on the access log.
	h.must(http.StatusCreated, "POST", "/api/v1/cases/"+f.caseA+"/notes", &anna, map[string]any{"text": "Anteckning"})
}

func TestAccessReasonIsSealedAndShownToTheUnitsSupervisorsOnly(t *testing.T) {
	h := newHarness(t)
	h.reason = "" // this test sends its own reasons, and one read without
	caseID, personID := openTestCase(h, anna)
	const reason = "Samtal med Zlatanas granne om Storgatan"
	h.must(http.StatusOK, "GET", "/api/v1/cases/"+caseID, &anna, nil, "X-Access-Reason", reason)
	h.must(http.StatusOK, "GET", "/api/v1/persons/"+personID, &anna, nil)

	raw := h.rawAccessLog()
	assert.NotContains(t, raw, "granne")
	assert.NotContains(t, raw, "Storgatan")
	for _, s := range []string{subjectName, subjectStreet, subjectPnr, "070-111"} {
		assert.NotContains(t, raw, s, "no personal data on the access log")
	}

	items := func(u user) []any {
		res := h.must(http.StatusOK, "GET", "/api/v1/audit/access?user=anna", &u, nil)
		return res.json(t)["items"].([]any)
	}
	sup := items(sara)
	require.Len(t, sup, 2)
	first := sup[0].(map[string]any)
	assert.Equal(t, reason, first["reason"])
	assert.Nil(t, first["reason_sealed"])
	assert.Nil(t, sup[1].(map[string]any)["reason"], "no reason given")

	adm := items(admin)
	require.Len(t, adm, 2)
	assert.Nil(t, adm[0].(map[string]any)["reason"], "admins review the log, not the reasons")
	assert.Equal(t, true, adm[0].(map[string]any)["reason_sealed"])

	assert.Empty(t, items(outOfScope["supervisor"]), "another unit's supervisor sees nothing")

	// No audit answer shows the protected person's whereabouts.
	h.must(http.StatusOK, "POST", "/api/v1/cases/"+caseID+"/protected-identity", &anna, map[string]any{"level": "skyddad_folkbokforing"})
	for _, path := range []string{"/audit/access", "/audit/cases/" + caseID, "/audit/users/anna"} {
		res := h.must(http.StatusOK, "GET", "/api/v1"+path, &sara, nil)
		assert.NotContains(t, string(res.body), subjectStreet, path)
		assert.NotContains(t, string(res.body), "070-111", path)
		assert.NotContains(t, string(res.body), subjectName, path)
	}

	// Bad reasons are refused before anything is read.
	for _, bad := range []string{strings.Repeat("å", 501), "rad\tett"} {
		res := h.must(http.StatusBadRequest, "GET", "/api/v1/cases/"+caseID, &anna, nil, "X-Access-Reason", bad)
		assert.Contains(t, string(res.body), "X-Access-Reason")
	}
}

func TestAuditRoutes(t *testing.T) {
	h := newHarness(t)
	caseID, personID := openTestCase(h, anna)
	hist, err := h.store.Load(context.Background(), domain.KindCase, domain.ID(caseID))
	require.NoError(t, err)
	opened := string(hist.Events[0].ID)
	h.must(http.StatusOK, "POST", "/api/v1/cases/"+caseID+"/corrections", &anna, map[string]any{"event_id": opened, "reason": "Fel källa", "corrected": map[string]any{"source": "report"}})
	barnCase := h.must(http.StatusCreated, "POST", "/api/v1/cases", &olle, map[string]any{"unit": "barn", "target_group": "child_victim", "source": "report",
		"received_on": "2026-03-02", "subject": map[string]any{"sex": "male", "birth_year": 2015, "name": "Barn Barnsson"}}).str(t, "id")
	supBarn := outOfScope["supervisor"]

	h.must(http.StatusOK, "GET", "/api/v1/cases/"+caseID, &anna, nil)
	h.must(http.StatusOK, "GET", "/api/v1/cases/"+barnCase, &olle, nil)
	mid := h.clock.Between()
	h.must(http.StatusOK, "GET", "/api/v1/cases/"+caseID+"/events", &bertil, nil)
	h.must(http.StatusOK, "GET", "/api/v1/persons/"+personID, &anna, nil)

	// The case's audit: documentation with the correction linked, reads.
	res := h.must(http.StatusOK, "GET", "/api/v1/audit/cases/"+caseID, &sara, nil).json(t)
	docs := res["documentation"].([]any)
	require.Len(t, docs, 2)
	d0, d1 := docs[0].(map[string]any), docs[1].(map[string]any)
	assert.Equal(t, "case.opened", d0["type"])
	assert.Equal(t, "anna", d0["actor"])
	assert.NotEmpty(t, d0["recorded_at"])
	assert.Equal(t, "case.corrected", d1["type"])
	assert.Equal(t, opened, d1["corrects"])
	assert.Nil(t, d0["data"], "metadata only")
	var readers []string
	for _, e := range res["access"].([]any) {
		readers = append(readers, e.(map[string]any)["user"].(string)+":"+e.(map[string]any)["action"].(string))
	}
	assert.Equal(t, []string{"anna:read_case_file", "bertil:read_case_events"}, readers)
	h.must(http.StatusNotFound, "GET", "/api/v1/audit/cases/"+caseID, &supBarn, nil)
	h.must(http.StatusForbidden, "GET", "/api/v1/audit/cases/"+caseID, &admin, nil)

	users := func(path string, u user) []string {
		t.Helper()
		var out []string
		for _, e := range h.must(http.StatusOK, "GET", "/api/v1/audit/access"+path, &u, nil).json(t)["items"].([]any) {
			out = append(out, e.(map[string]any)["user"].(string)+":"+e.(map[string]any)["action"].(string))
		}
		return out
	}
	// sara's own audit read above is in the log too (read_audit).
	assert.Equal(t, []string{"anna:read_case_file", "olle:read_case_file", "bertil:read_case_events", "anna:read_person", "sara:read_audit"},
		users("?to="+url.QueryEscape(time.Now().UTC().Format(time.RFC3339Nano)), admin))
	assert.Equal(t, []string{"anna:read_case_file", "bertil:read_case_events", "anna:read_person", "sara:read_audit"}, users("", sara), "a supervisor sees their units")
	assert.Equal(t, []string{"olle:read_case_file"}, users("?user=olle", admin))
	assert.Equal(t, []string{"olle:read_case_file"}, users("?unit=barn", supBarn))
	assert.Equal(t, []string{"anna:read_case_file", "olle:read_case_file"}, users("?to="+url.QueryEscape(mid.Format(time.RFC3339Nano)), admin))
	assert.Equal(t, []string{"bertil:read_case_events", "anna:read_person", "sara:read_audit", "sara:read_audit"},
		users("?unit=vuxen&from="+url.QueryEscape(mid.Format(time.RFC3339Nano)), sara))
	assert.Empty(t, users("?from=2020-01-01&to=2020-12-31", admin))
	assert.NotEmpty(t, users("?from="+time.Now().UTC().Format(time.DateOnly)+"&to="+time.Now().UTC().Format(time.DateOnly), admin), "a day range includes its last day")
	h.must(http.StatusForbidden, "GET", "/api/v1/audit/access?unit=barn", &sara, nil)

	// Pages of one chain through anna's reads without gaps or repeats,
	// and a cursor gives the same page again.
	var paged []string
	cursor := ""
	for i := 0; ; i++ {
		require.Less(t, i, 20)
		q := "/api/v1/audit/access?unit=vuxen&user=anna&limit=1"
		if cursor != "" {
			q += "&cursor=" + cursor
		}
		page := h.must(http.StatusOK, "GET", q, &sara, nil).json(t)
		again := h.must(http.StatusOK, "GET", q, &sara, nil).json(t)
		assert.Equal(t, page["items"], again["items"])
		assert.Equal(t, page["next_cursor"], again["next_cursor"])
		for _, e := range page["items"].([]any) {
			paged = append(paged, e.(map[string]any)["user"].(string)+":"+e.(map[string]any)["action"].(string))
		}
		next, _ := page["next_cursor"].(string)
		if next == "" {
			break
		}
		cursor = next
	}
	assert.Equal(t, []string{"anna:read_case_file", "anna:read_person"}, paged)

	// A user's audit: what they recorded and what they read.
	u := h.must(http.StatusOK, "GET", "/api/v1/audit/users/anna", &sara, nil).json(t)
	var recorded []string
	for _, e := range u["recorded"].([]any) {
		recorded = append(recorded, e.(map[string]any)["type"].(string))
	}
	assert.Contains(t, recorded, "case.opened")
	assert.Contains(t, recorded, "case.corrected")
	assert.Contains(t, recorded, "person.registered")
	assert.Len(t, u["access"].([]any), 2)
	o := h.must(http.StatusOK, "GET", "/api/v1/audit/users/olle", &sara, nil).json(t)
	assert.Empty(t, o["recorded"], "another unit's work is not shown to this supervisor")
	assert.Empty(t, o["access"])
	o = h.must(http.StatusOK, "GET", "/api/v1/audit/users/olle", &admin, nil).json(t)
	assert.NotEmpty(t, o["recorded"])
	assert.Len(t, o["access"].([]any), 1)
	// Recorded pages end at command boundaries and chain.
	p1 := h.must(http.StatusOK, "GET", "/api/v1/audit/users/anna?limit=1", &admin, nil).json(t)
	rc, _ := p1["recorded_next_cursor"].(string)
	require.NotEmpty(t, rc)
	p2 := h.must(http.StatusOK, "GET", "/api/v1/audit/users/anna?limit=1000&recorded_cursor="+rc, &admin, nil).json(t)
	assert.Equal(t, len(recorded), len(p1["recorded"].([]any))+len(p2["recorded"].([]any)))
	assert.Empty(t, p2["access"], "recorded_cursor continues the recorded list only")
}

func TestAuditBadParameters(t *testing.T) {
	h := newHarness(t)
	for q, field := range map[string]string{
		"from=yesterday":                   "from",
		"to=2026-13-01":                    "to",
		"from=2026-03-02&to=2026-03-01":    "to",
		"limit=0":                          "limit",
		"limit=1001":                       "limit",
		"limit=ten":                        "limit",
		"cursor=abc":                       "cursor",
		"colour=blue":                      "(query)", // an unknown name is not echoed
		"user=a&user=b":                    "user",
		"unit=" + url.QueryEscape("a\x01"): "unit",
	} {
		res := h.must(http.StatusBadRequest, "GET", "/api/v1/audit/access?"+q, &admin, nil)
		assert.Equal(t, "application/problem+json", res.header.Get("Content-Type"))
		errs, _ := res.json(t)["errors"].([]any)
		require.NotEmpty(t, errs, q)
		assert.Equal(t, field, errs[0].(map[string]any)["field"], q)
		assert.NotContains(t, string(res.body), "colour", q)
	}
	h.must(http.StatusBadRequest, "GET", "/api/v1/audit/users/anna?recorded_cursor=x", &admin, nil)
	h.must(http.StatusBadRequest, "GET", "/api/v1/audit/cases/"+string(domain.NewID())+"?unit=vuxen", &sara, nil)
	assert.Empty(t, h.accessLog(), "a refused audit read is not logged")
}
