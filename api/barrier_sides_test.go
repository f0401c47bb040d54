package api

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/fristad/fristad/domain"
	"github.com/fristad/fristad/eventstore"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The partner contact's two records (ADR 0200), tried as each side would:
// a side's every response is the same whether or not the other side wrote
// anything in between, apart from seq (the position in the whole stream)
// and what crosses the barrier by design.

var (
	seqRE  = regexp.MustCompile(`"seq":\d+`)
	ulidRE = regexp.MustCompile(`[0-9A-HJKMNP-TV-Z]{26}`)
	// fixedNow: both runs of a scenario record the same instants.
	fixedNow = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
)

// transcript collects what one side receives: status, ETag and body.
type transcript struct{ lines []string }

func (tr *transcript) add(label string, r response) {
	tr.lines = append(tr.lines, fmt.Sprintf("%s -> %d ETag=%s %s", label, r.code, r.header.Get("ETag"), r.body))
}

// normalized drops seq and names every id by its first appearance: two
// runs on two streams have different ids, and that is all they may differ in.
func (tr *transcript) normalized() []string {
	names := map[string]string{}
	out := make([]string, len(tr.lines))
	for i, l := range tr.lines {
		l = seqRE.ReplaceAllString(l, `"seq":_`)
		out[i] = ulidRE.ReplaceAllStringFunc(l, func(id string) string {
			if _, ok := names[id]; !ok {
				names[id] = fmt.Sprintf("<id%d>", len(names)+1)
			}
			return names[id]
		})
	}
	return out
}

func fixedClock() time.Time { return fixedNow }

// contactWorld is a perpetrator's case in treatment with a partner contact.
type contactWorld struct {
	h         *harness
	caseID    string
	pc        string // the contact's path
	treatment *transcript
	partner   *transcript
}

func newContactWorld(t *testing.T) *contactWorld {
	h := newHarnessAt(t, fixedClock)
	w := &contactWorld{h: h, treatment: &transcript{}, partner: &transcript{}}
	r := h.must(201, "POST", "/api/v1/cases", &anna, map[string]any{"unit": "vuxen", "target_group": "perpetrator", "source": "application",
		"received_on": "2026-02-01", "subject": map[string]any{"sex": "male", "birth_year": 1979, "name": "Per Utövare"}})
	w.caseID = r.str(t, "id")
	offer := h.must(201, "POST", "/api/v1/partner-contacts", &behandla, map[string]any{"treatment_case_id": w.caseID,
		"partner": map[string]any{"name": "Paula Hemlig", "phone": "073-555 12 34", "address": "Gömda vägen 9"}, "children_in_contact": 1})
	w.treatment.add("offer", offer)
	w.pc = "/api/v1/partner-contacts/" + offer.str(t, "id")
	return w
}

// T is a treatment-side request whose response goes in its transcript.
func (w *contactWorld) T(label, method, path string, body any, headers ...string) {
	w.treatment.add(label, w.h.do(method, w.pc+path, &behandla, body, headers...))
}

// P is a partner-side request whose response goes in its transcript.
func (w *contactWorld) P(label, method, path string, body any, headers ...string) {
	w.partner.add(label, w.h.do(method, w.pc+path, &partnerk, body, headers...))
}

// other sends a request of the other side, whose response nobody compares.
func (w *contactWorld) other(u user, method, path string, body any) response {
	return w.h.do(method, w.pc+path, &u, body)
}

// treatmentReads are every read the treatment side and the treatment
// case's worker make: the contact, the case file, its history, the
// caseload and the dashboard, and the routes they may not use.
func (w *contactWorld) treatmentReads(label string) {
	w.T(label+" contact", "GET", "", nil)
	for _, path := range []string{"/api/v1/cases", "/api/v1/dashboard/overdue", "/api/v1/cases/" + w.caseID, "/api/v1/cases/" + w.caseID + "/events",
		"/api/v1/audit/cases/" + w.caseID} {
		w.treatment.add(label+" "+path+" (treatment)", w.h.do("GET", path, &behandla, nil))
		w.treatment.add(label+" "+path+" (case worker)", w.h.do("GET", path, &anna, nil))
	}
}

func TestTreatmentSideIsBlindToThePartnerSide(t *testing.T) {
	run := func(t *testing.T, partnerWrites bool) []string {
		w := newContactWorld(t)
		partner := func(path string, body any) {
			if partnerWrites {
				r := w.other(partnerk, "POST", path, body)
				require.Equal(t, 200, r.code, "%s: %s", path, r.body)
			}
		}
		partner("/exception", map[string]any{"reason": "partner_abroad"}) // before consent: allowed
		w.treatmentReads("after offer")
		w.T("consent", "POST", "/consent", map[string]any{"status": "given", "signed_on": "2026-02-03", "document": "Samtycke"}, "Idempotency-Key", "consent-1")
		w.other(partnerk, "POST", "/response", map[string]any{"accepted": true})
		// A shared signal crosses in both runs alike.
		require.Equal(t, 200, w.other(partnerk, "POST", "/signals", map[string]any{"category": "increased_fear"}).code)
		partner("/new-violence", map[string]any{"reported_on": "2026-02-04", "children_affected": true})
		partner("/risk-assessments", map[string]any{"instrument": "sara", "level": "high", "concerns": "partner", "assessed_on": "2026-02-05", "summary": "Rädd"})
		w.treatmentReads("after partner writes")
		w.T("status if-match", "POST", "/treatment-status", map[string]any{"status": "in_treatment"}, "If-Match", `"3"`)
		partner("/new-violence", map[string]any{"reported_on": "2026-02-06"})
		w.T("status stale", "POST", "/treatment-status", map[string]any{"status": "dropped_out"}, "If-Match", `"3"`)
		w.T("status impossible", "POST", "/treatment-status", map[string]any{"status": "dropped_out"}, "If-Match", `"99"`)
		w.T("consent replay", "POST", "/consent", map[string]any{"status": "given", "signed_on": "2026-02-03", "document": "Samtycke"}, "Idempotency-Key", "consent-1")
		w.T("signal", "POST", "/signals", map[string]any{"category": "escalation"}, "If-Match", `"4"`)
		partner("/risk-assessments", map[string]any{"instrument": "freda_danger", "level": "medium", "concerns": "child", "assessed_on": "2026-02-07"})
		w.T("signal replay", "POST", "/signals", map[string]any{"category": "escalation"}, "Idempotency-Key", "sig-1")
		w.T("signal replay again", "POST", "/signals", map[string]any{"category": "escalation"}, "Idempotency-Key", "sig-1")
		w.T("exception", "POST", "/exception", map[string]any{"reason": "controlling_pattern"})
		w.T("bad body", "POST", "/treatment-status", map[string]any{"status": "paused"})
		w.T("withdraw", "POST", "/consent", map[string]any{"status": "withdrawn", "signed_on": "2026-02-08"})
		w.T("after withdrawal", "POST", "/signals", map[string]any{"category": "escalation"})
		w.treatmentReads("before end")
		w.T("end", "POST", "/end", map[string]any{"reason": "Avslutad"})
		w.T("after end", "POST", "/treatment-status", map[string]any{"status": "completed"})
		w.treatmentReads("after end")
		return w.treatment.normalized()
	}
	alone := run(t, false)
	withPartner := run(t, true)
	require.Equal(t, len(alone), len(withPartner))
	for i := range alone {
		assert.Equal(t, alone[i], withPartner[i], "the treatment side's response %d differs when the partner side wrote", i)
	}
	joined := strings.Join(alone, "\n")
	for _, want := range []string{
		`"signals":[{"category":"increased_fear","side":"partner_contact"}]`, // the shared signal crossed (version 3)
		`status if-match -> 200 ETag="4" {"id":"<id1>","version":4,`,         // the status on If-Match 3
		`"If-Match named version 3; the record is at version 4","current_version":4}`,
		`signal -> 200 ETag="4" {"id":"<id1>","version":4,`, // the sender's record does not move
		`exception -> 200 ETag="4"`,
		`consent replay -> 200 ETag="2" {"id":"<id1>","version":2,`,
	} {
		assert.True(t, strings.Contains(joined, want), "the transcript lacks %s", want)
	}
}

func TestPartnerSideIsBlindToTheTreatmentSideButForCrossings(t *testing.T) {
	run := func(t *testing.T, treatmentWrites bool) []string {
		w := newContactWorld(t)
		treatment := func(path string, body any, want int) {
			if treatmentWrites {
				r := w.other(behandla, "POST", path, body)
				require.Equal(t, want, r.code, "%s: %s", path, r.body)
			}
		}
		// What crosses, in both runs alike.
		require.Equal(t, 200, w.other(behandla, "POST", "/consent", map[string]any{"status": "given", "signed_on": "2026-02-03", "document": "Samtycke"}).code)
		require.Equal(t, 200, w.other(behandla, "POST", "/treatment-status", map[string]any{"status": "in_treatment"}).code)
		w.P("read", "GET", "", nil)
		// What does not: a renewed consent, the same status again, refused
		// writes, reads.
		treatment("/consent", map[string]any{"status": "given", "signed_on": "2026-02-09", "document": "Förnyat samtycke"}, 200)
		treatment("/treatment-status", map[string]any{"status": "in_treatment"}, 200)
		treatment("/consent", map[string]any{"status": "maybe"}, 400)
		treatment("/treatment-status", map[string]any{"status": "in_treatment"}, 200)
		if treatmentWrites {
			w.other(behandla, "GET", "", nil)
		}
		w.P("approach", "POST", "/approaches", map[string]any{"channel": "phone", "outcome": "reached", "on": "2026-02-04"})
		treatment("/consent", map[string]any{"status": "given", "signed_on": "2026-02-10", "document": "Tredje"}, 200)
		w.P("response", "POST", "/response", map[string]any{"accepted": true}, "If-Match", `"4"`)
		w.P("stale", "POST", "/risk-assessments", map[string]any{"instrument": "sara", "level": "high", "concerns": "partner", "assessed_on": "2026-02-05"}, "If-Match", `"4"`)
		w.P("risk", "POST", "/risk-assessments", map[string]any{"instrument": "sara", "level": "high", "concerns": "partner", "assessed_on": "2026-02-05"}, "Idempotency-Key", "r-1")
		treatment("/treatment-status", map[string]any{"status": "in_treatment"}, 200)
		w.P("risk replay", "POST", "/risk-assessments", map[string]any{"instrument": "sara", "level": "high", "concerns": "partner", "assessed_on": "2026-02-05"}, "Idempotency-Key", "r-1")
		w.P("new violence", "POST", "/new-violence", map[string]any{"reported_on": "2026-02-06", "children_affected": true})
		w.P("signal", "POST", "/signals", map[string]any{"category": "increased_fear"})
		w.P("exception", "POST", "/exception", map[string]any{"reason": "partner_abroad"})
		w.P("approach after exception", "POST", "/approaches", map[string]any{"channel": "sms", "outcome": "reached", "on": "2026-02-07"})
		w.P("read", "GET", "", nil)
		for _, path := range []string{"/api/v1/cases", "/api/v1/dashboard/overdue", "/api/v1/cases/" + w.caseID} {
			w.partner.add("read "+path, w.h.do("GET", path, &partnerk, nil))
		}
		return w.partner.normalized()
	}
	alone := run(t, false)
	withTreatment := run(t, true)
	require.Equal(t, len(alone), len(withTreatment))
	for i := range alone {
		assert.Equal(t, alone[i], withTreatment[i], "the partner side's response %d differs when the treatment side wrote", i)
	}
	joined := strings.Join(alone, "\n")
	for _, want := range []string{
		`"consent":"given"`, `"treatment_status":"in_treatment"`, // what crossed
		`response -> 200 ETag="5"`, `"current_version":5}`, `risk -> 200 ETag="6"`, `risk replay -> 200 ETag="6"`,
		`signal -> 200 ETag="7"`, // the sender's record does not move
	} {
		assert.True(t, strings.Contains(joined, want), "the transcript lacks %s", want)
	}
}

// registryBeforeTheSplit is the event registry of partner contacts as the
// code before ADR 0200 had it: one record of kind partner_contact, every
// type at schema 1. A store opened with it writes what that code wrote.
func registryBeforeTheSplit() *domain.Registry {
	r := domain.NewRegistry()
	k := domain.KindPartnerContact
	domain.Register[domain.PartnerContactOffered, domain.NoPersonal](r, k, 1)
	domain.Register[domain.ConsentRecorded, domain.ConsentDocument](r, k, 1)
	domain.Register[domain.PartnerApproached, domain.NoPersonal](r, k, 1)
	domain.Register[domain.PartnerResponded, domain.NoPersonal](r, k, 1)
	domain.Register[domain.PartnerRiskAssessed, domain.SummaryText](r, k, 1)
	domain.Register[domain.PartnerSafetyPlanned, domain.PlanText](r, k, 1)
	domain.Register[domain.TreatmentStatusChanged, domain.NoPersonal](r, k, 1)
	domain.Register[domain.SignalShared, domain.NoPersonal](r, k, 1)
	domain.Register[domain.NewViolenceReported, domain.NoPersonal](r, k, 1)
	domain.Register[domain.ExceptionRecorded, domain.NoPersonal](r, k, 1)
	domain.Register[domain.PartnerContactEnded, domain.ReasonText](r, k, 1)
	return r
}

// A store written by the code before the split (one record per contact
// with both sides' events) loads, verifies and shows the same contact,
// read as two records; both sides then write on, each counting its own
// events, and the consent document is still destroyed at the end.
func TestOldSingleRecordContactsReadAsTwo(t *testing.T) {
	ctx := context.Background()
	h := newHarness(t)
	caseID := domain.ID(h.must(201, "POST", "/api/v1/cases", &anna, map[string]any{"unit": "vuxen", "target_group": "perpetrator", "source": "application",
		"received_on": "2026-02-01", "subject": map[string]any{"sex": "male", "birth_year": 1979, "name": "Per Utövare"}}).str(t, "id"))
	partnerID, id := domain.NewID(), domain.NewID()
	_, err := eventstore.Execute(ctx, h.store, domain.PersonDecider(), partnerID, domain.RegisterPerson{PersonDetails: domain.PersonDetails{
		Sex: domain.SexUnknown, Name: "Paula Hemlig", Phone: "073-555 12 34"}, Today: domain.NewDate(2026, 2, 1)},
		eventstore.ExecOptions{AppendOptions: eventstore.AppendOptions{Actor: "beh-1"}})
	require.NoError(t, err)

	oldCfg := h.cfg
	oldCfg.Registry = registryBeforeTheSplit()
	old, err := eventstore.Open(ctx, oldCfg)
	require.NoError(t, err)
	t.Cleanup(old.Close)
	write := func(actor string, f domain.Facts, personal any, key domain.KeyID) {
		t.Helper()
		hist, err := old.Load(ctx, domain.KindPartnerContact, id)
		require.NoError(t, err)
		_, err = old.Append(ctx, hist, []domain.Event{{Facts: f, Personal: personal, SealWith: key}}, eventstore.AppendOptions{Actor: actor})
		require.NoError(t, err)
	}
	write("beh-1", domain.PartnerContactOffered{TreatmentCaseID: caseID, PartnerID: partnerID, ChildrenInContact: 1}, nil, "")
	write("beh-1", domain.ConsentRecorded{Status: domain.ConsentGiven, SignedOn: domain.NewDate(2026, 2, 3), HasDocument: true},
		domain.ConsentDocument{Document: "GAMMALT-SAMTYCKE"}, domain.ConsentKey(id))
	write("beh-1", domain.TreatmentStatusChanged{Status: domain.TreatmentOngoing}, nil, "")
	write("pk-1", domain.PartnerApproached{Channel: domain.ChannelPhone, Outcome: domain.ApproachReached, On: domain.NewDate(2026, 2, 4)}, nil, "")
	write("pk-1", domain.PartnerResponded{Accepted: true}, nil, "")
	write("pk-1", domain.PartnerRiskAssessed{Instrument: domain.InstrSARA, Level: domain.RiskHigh, Concerns: domain.ConcernPartner, AssessedOn: domain.NewDate(2026, 2, 5)},
		domain.SummaryText{Summary: "GAMMAL-RISK"}, domain.PersonKey(partnerID))
	write("pk-1", domain.SignalShared{Category: domain.SignalIncreasedFear, Side: domain.SidePartnerContact}, nil, "")
	write("beh-1", domain.SignalShared{Category: domain.SignalEscalation, Side: domain.SideTreatment}, nil, "")
	write("pk-1", domain.NewViolenceReported{ReportedOn: domain.NewDate(2026, 2, 6), ChildrenAffected: true}, nil, "")
	write("pk-1", domain.ExceptionRecorded{Reason: domain.ExceptionAbroad}, nil, "")

	verify := func() {
		t.Helper()
		rep, err := h.store.Verify(ctx, nil)
		require.NoError(t, err)
		require.True(t, rep.OK(), "%v", rep.Breaks)
	}
	verify()
	pc := "/api/v1/partner-contacts/" + string(id)

	// The treatment side: the offer, consent, status and the partner
	// side's signal; nothing of the partner side's.
	tv := h.must(200, "GET", pc, &behandla, nil)
	assert.Equal(t, `"4"`, tv.header.Get("ETag"))
	tm := tv.json(t)
	assert.EqualValues(t, 4, tm["version"])
	assert.Equal(t, "given", tm["consent"])
	assert.Equal(t, "in_treatment", tm["treatment_status"])
	assert.Equal(t, []any{map[string]any{"category": "increased_fear", "side": "partner_contact"}}, tm["signals"])
	for _, s := range []string{"reached", "accepted", "new_violence", "risk", "partner_abroad", "Paula", "escalation"} {
		assert.NotContains(t, string(tv.body), s)
	}
	// The partner side: everything it saw before, and the treatment side's
	// signal; nine events of its own.
	pv := h.must(200, "GET", pc, &partnerk, nil)
	assert.Equal(t, `"9"`, pv.header.Get("ETag"))
	pm := pv.json(t)
	assert.EqualValues(t, 9, pm["version"])
	assert.Equal(t, true, pm["reached"])
	assert.Equal(t, true, pm["accepted"])
	assert.Equal(t, "partner_abroad", pm["exception"])
	assert.Len(t, pm["risk_assessments"], 1)
	assert.Len(t, pm["new_violence"], 1)
	assert.Equal(t, "given", pm["consent"])
	assert.Equal(t, "in_treatment", pm["treatment_status"])
	assert.Equal(t, []any{map[string]any{"category": "escalation", "side": "treatment"}}, pm["signals"])
	assert.Equal(t, "Paula Hemlig", pm["partner"].(map[string]any)["name"])
	assert.NotContains(t, string(pv.body), "GAMMALT-SAMTYCKE")
	sup := h.must(200, "GET", pc, &sara, nil).json(t)
	assert.EqualValues(t, 4, sup["treatment"].(map[string]any)["version"])
	assert.EqualValues(t, 9, sup["partner"].(map[string]any)["version"])

	// Both sides write on: each version counts its own side.
	r := h.must(200, "POST", pc+"/treatment-status", &behandla, map[string]any{"status": "completed"}, "If-Match", `"4"`)
	assert.EqualValues(t, 5, r.json(t)["version"])
	assert.Equal(t, `"5"`, r.header.Get("ETag"))
	stale := h.must(412, "POST", pc+"/treatment-status", &behandla, map[string]any{"status": "dropped_out"}, "If-Match", `"4"`)
	assert.EqualValues(t, 5, stale.json(t)["current_version"])
	// The status crossed: the partner side is at 10.
	r = h.must(200, "POST", pc+"/new-violence", &partnerk, map[string]any{"reported_on": "2026-02-07"}, "If-Match", `"10"`)
	assert.EqualValues(t, 11, r.json(t)["version"])
	stale = h.must(412, "POST", pc+"/new-violence", &partnerk, map[string]any{"reported_on": "2026-02-08"}, "If-Match", `"9"`)
	assert.EqualValues(t, 11, stale.json(t)["current_version"])
	assert.EqualValues(t, 5, h.must(200, "GET", pc, &behandla, nil).json(t)["version"], "the partner side's write left the treatment side's version")
	pm = h.must(200, "GET", pc, &partnerk, nil).json(t)
	assert.EqualValues(t, 11, pm["version"])
	assert.Equal(t, "completed", pm["treatment_status"])
	assert.Len(t, pm["new_violence"], 2)

	// The end destroys the old consent document; the store still verifies.
	exists, err := h.store.Keys().Exists(ctx, domain.ConsentKey(id))
	require.NoError(t, err)
	require.True(t, exists)
	h.must(200, "POST", pc+"/end", &behandla, map[string]any{"reason": "Klar"})
	exists, err = h.store.Keys().Exists(ctx, domain.ConsentKey(id))
	require.NoError(t, err)
	assert.False(t, exists, "the consent document of an old contact is destroyed at the end")
	assert.Equal(t, true, h.must(200, "GET", pc, &partnerk, nil).json(t)["ended"], "the end crossed")
	verify()
	// Nothing of the old record was rewritten: the new code wrote the
	// treatment side's events there, and the partner side's record beside it.
	oldHist, err := h.store.Load(ctx, domain.KindPartnerContact, id)
	require.NoError(t, err)
	require.Len(t, oldHist.Events, 12)
	for i, e := range oldHist.Events[:10] {
		assert.Equal(t, 1, e.Schema, "event %d as the old code stored it", i)
	}
	side, err := h.store.Load(ctx, domain.KindPartnerSide, id)
	require.NoError(t, err)
	assert.Len(t, side.Events, 3, "status crossed, new violence, end crossed")
}

// A refused partner-contact request writes nothing, on either record.
func TestRefusedContactRequestsWriteNothing(t *testing.T) {
	w := newContactWorld(t)
	h := w.h
	other := user{sub: "beh-9", roles: behandla.roles, units: []string{"barn"}}
	caseworkerPK := user{sub: "anna", roles: anna.roles, units: anna.units}
	unknown := "/api/v1/partner-contacts/" + string(domain.NewID())
	cases := []struct {
		name   string
		status int
		u      user
		path   string
		body   any
		hdr    []string
	}{
		{"approach before consent", 422, partnerk, w.pc + "/approaches", map[string]any{"channel": "phone", "outcome": "reached", "on": "2026-02-04"}, nil},
		{"signal before consent (partner)", 422, partnerk, w.pc + "/signals", map[string]any{"category": "escalation"}, nil},
		{"signal before consent (treatment)", 422, behandla, w.pc + "/signals", map[string]any{"category": "escalation"}, nil},
		{"withdraw what was not given", 422, behandla, w.pc + "/consent", map[string]any{"status": "withdrawn", "signed_on": "2026-02-03"}, nil},
		{"unknown member", 400, behandla, w.pc + "/consent", map[string]any{"status": "given", "signed_on": "2026-02-03", "document": "x", "extra": 1}, nil},
		{"bad code", 400, partnerk, w.pc + "/exception", map[string]any{"reason": "busy"}, nil},
		{"bad If-Match", 400, behandla, w.pc + "/treatment-status", map[string]any{"status": "in_treatment"}, []string{"If-Match", "x"}},
		{"stale If-Match (treatment)", 412, behandla, w.pc + "/treatment-status", map[string]any{"status": "in_treatment"}, []string{"If-Match", `"7"`}},
		{"stale If-Match (partner)", 412, partnerk, w.pc + "/exception", map[string]any{"reason": "partner_abroad"}, []string{"If-Match", `"7"`}},
		{"stale If-Match on a signal", 412, behandla, w.pc + "/signals", map[string]any{"category": "escalation"}, []string{"If-Match", `"7"`}},
		{"unknown contact", 404, partnerk, unknown + "/exception", map[string]any{"reason": "partner_abroad"}, nil},
		{"another unit", 404, other, w.pc + "/treatment-status", map[string]any{"status": "in_treatment"}, nil},
		{"wrong role", 403, caseworkerPK, w.pc + "/approaches", map[string]any{"channel": "phone", "outcome": "reached", "on": "2026-02-04"}, nil},
		{"the other side's route", 403, behandla, w.pc + "/new-violence", map[string]any{"reported_on": "2026-02-04"}, nil},
	}
	ctx := context.Background()
	for _, c := range cases {
		before, err := h.store.LastSeq(ctx)
		require.NoError(t, err)
		r := h.do("POST", c.path, &c.u, c.body, c.hdr...)
		assert.Equal(t, c.status, r.code, "%s: %s", c.name, r.body)
		after, err := h.store.LastSeq(ctx)
		require.NoError(t, err)
		assert.Equal(t, before, after, "%s wrote something", c.name)
	}
}

// /metrics is not on the API's address; on its own listener it names no
// partner-side route or record and no personal data.
func TestMetricsApartAndBlindToTheBarrier(t *testing.T) {
	w := newContactWorld(t)
	h := w.h
	r := h.do("GET", "/metrics", nil, nil)
	assert.Equal(t, 404, r.code)
	assert.NotContains(t, string(r.body), "fristad_")
	r = h.do("GET", "/metrics", &sara, nil)
	assert.Equal(t, 404, r.code)

	h.must(200, "POST", w.pc+"/consent", &behandla, map[string]any{"status": "given", "signed_on": "2026-02-03", "document": "Samtycke"})
	h.must(200, "POST", w.pc+"/approaches", &partnerk, map[string]any{"channel": "phone", "outcome": "reached", "on": "2026-02-04"})
	h.must(200, "POST", w.pc+"/response", &partnerk, map[string]any{"accepted": true})
	h.must(200, "POST", w.pc+"/new-violence", &partnerk, map[string]any{"reported_on": "2026-02-05"})
	h.must(200, "POST", w.pc+"/risk-assessments", &partnerk, map[string]any{"instrument": "sara", "level": "high", "concerns": "partner", "assessed_on": "2026-02-05"})
	h.must(422, "POST", w.pc+"/response", &partnerk, map[string]any{"accepted": true})
	h.must(200, "POST", w.pc+"/signals", &partnerk, map[string]any{"category": "increased_fear"})
	h.must(200, "POST", w.pc+"/exception", &partnerk, map[string]any{"reason": "partner_abroad"})

	m := h.metrics()
	require.Equal(t, 200, m.code)
	body := string(m.body)
	assert.Contains(t, body, `route="/api/v1/partner-contacts/:id/*"`)
	for _, s := range []string{"approaches", "/response", "new-violence", "risk-assessments", "/signals", "/exception", "/consent",
		"partner_side", "Paula", "073-555", "Gömda", "beh-1", "pk-1", strings.TrimPrefix(w.pc, "/api/v1/partner-contacts/")} {
		assert.NotContains(t, body, s, "the metrics must not name %q", s)
	}
}

// Two records are two appends. A contact whose partner-side opening was
// never written (the server stopped in between) reads on the partner side
// from the treatment side's offer, with the same version; a consent that
// did not cross (written on the treatment side's record alone) crosses
// with the treatment side's next write, whatever it is.
func TestAContactHalfWrittenIsReadAndRepaired(t *testing.T) {
	ctx := context.Background()
	h := newHarness(t)
	caseID := domain.ID(h.must(201, "POST", "/api/v1/cases", &anna, map[string]any{"unit": "vuxen", "target_group": "perpetrator", "source": "application",
		"received_on": "2026-02-01", "subject": map[string]any{"sex": "male", "birth_year": 1979, "name": "Per Utövare"}}).str(t, "id"))
	partnerID, id := domain.NewID(), domain.NewID()
	opt := eventstore.ExecOptions{AppendOptions: eventstore.AppendOptions{Actor: "beh-1"}}
	_, err := eventstore.Execute(ctx, h.store, domain.PersonDecider(), partnerID, domain.RegisterPerson{PersonDetails: domain.PersonDetails{
		Sex: domain.SexUnknown, Name: "Paula"}, Today: domain.NewDate(2026, 2, 1)}, opt)
	require.NoError(t, err)
	// The treatment side's record only: the offer and a consent.
	_, err = eventstore.Execute(ctx, h.store, domain.TreatmentSideDecider(), id, domain.OfferPartnerContact{TreatmentCaseID: caseID,
		Partner: domain.PartnerDetails{Name: "Paula"}, PartnerID: partnerID, Today: domain.NewDate(2026, 2, 1)}, opt)
	require.NoError(t, err)
	_, err = eventstore.Execute(ctx, h.store, domain.TreatmentSideDecider(), id, domain.RecordConsent{Status: domain.ConsentGiven,
		SignedOn: domain.NewDate(2026, 2, 2), Document: "Samtycke"}, opt)
	require.NoError(t, err)

	pc := "/api/v1/partner-contacts/" + string(id)
	pv := h.must(200, "GET", pc, &partnerk, nil)
	assert.Equal(t, `"1"`, pv.header.Get("ETag"), "the offer, read on the treatment side's record")
	assert.Nil(t, pv.json(t)["consent"], "the consent has not crossed")
	h.must(422, "POST", pc+"/approaches", &partnerk, map[string]any{"channel": "phone", "outcome": "reached", "on": "2026-02-04"})

	// The treatment side's next write brings the consent across.
	h.must(200, "POST", pc+"/treatment-status", &behandla, map[string]any{"status": "in_treatment"})
	pm := h.must(200, "GET", pc, &partnerk, nil).json(t)
	assert.Equal(t, "given", pm["consent"])
	assert.Equal(t, "in_treatment", pm["treatment_status"])
	assert.EqualValues(t, 3, pm["version"], "offer, consent noted, status")
	h.must(200, "POST", pc+"/approaches", &partnerk, map[string]any{"channel": "phone", "outcome": "reached", "on": "2026-02-04"}, "If-Match", `"3"`)
	assert.EqualValues(t, 3, h.must(200, "GET", pc, &behandla, nil).json(t)["version"], "offer, consent, status")
	rep, err := h.store.Verify(ctx, nil)
	require.NoError(t, err)
	assert.True(t, rep.OK(), "%v", rep.Breaks)
}

// Treatment-side writes at once never leave an older treatment status on
// the partner side: the crossing is a compare-and-set on the partner
// side's record.
func TestConcurrentTreatmentWritesCrossTheLatestState(t *testing.T) {
	w := newContactWorld(t)
	h := w.h
	statuses := []string{"in_treatment", "dropped_out", "completed"}
	for round := 0; round < 3; round++ {
		done := make(chan int, 6)
		for i := 0; i < 6; i++ {
			go func(i int) {
				r, err := h.try("POST", w.pc+"/treatment-status", &behandla, map[string]any{"status": statuses[(i+round)%3]})
				if err != nil {
					done <- 0
					return
				}
				done <- r.code
			}(i)
		}
		for i := 0; i < 6; i++ {
			code := <-done
			require.Contains(t, []int{200, 409}, code)
		}
		tv := h.must(200, "GET", w.pc, &behandla, nil).json(t)
		pv := h.must(200, "GET", w.pc, &partnerk, nil).json(t)
		require.Equal(t, tv["treatment_status"], pv["treatment_status"], "round %d", round)
	}
}

// Protection set on the partner (by the partner side, on the partner's
// person) stays behind the barrier: the treatment side's read answers as
// before; the partner side's read of the now protected partner takes a
// reason, as any protected file does.
func TestPartnerProtectionStaysBehindTheBarrier(t *testing.T) {
	w := newContactWorld(t)
	h := w.h
	before := h.must(200, "GET", w.pc, &behandla, nil)
	partnerID := h.must(200, "GET", w.pc, &partnerk, nil).json(t)["partner"].(map[string]any)["id"].(string)
	h.must(200, "POST", "/api/v1/persons/"+partnerID+"/protection", &partnerk, map[string]any{"level": "skyddad_folkbokforing"})

	h.reason = ""
	after := h.must(200, "GET", w.pc, &behandla, nil)
	assert.Equal(t, string(before.body), string(after.body))
	assert.Equal(t, before.header.Get("ETag"), after.header.Get("ETag"))
	h.must(400, "GET", w.pc, &partnerk, nil)
	h.reason = "Partnerkontakt"
	pv := h.must(200, "GET", w.pc, &partnerk, nil).json(t)
	assert.Equal(t, "skyddad_folkbokforing", pv["partner"].(map[string]any)["protection"])
}
