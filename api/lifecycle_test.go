package api

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/fristad/fristad/domain"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// pnr makes a personal identity number valid in form (Luhn check digit).
func pnr(yyyymmdd string, serial int) string {
	base := fmt.Sprintf("%s%03d", yyyymmdd, serial)
	sum := 0
	for i, r := range base[2:] {
		d := int(r - '0')
		if i%2 == 0 {
			if d *= 2; d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return base + fmt.Sprint((10-sum%10)%10)
}

const (
	subjectName   = "Zlatana Testdottir"
	childName     = "Lilla Testdottir"
	subjectStreet = "Hemliga gatan 7"
)

var subjectPnr = pnr("19850315", 123)
var childPnr = pnr("20150704", 456)

// openTestCase opens an adult-victim case with a new subject.
func openTestCase(h *harness, u user) (caseID, personID string) {
	return openCaseWith(h, u, subjectPnr)
}

// pnrSerial numbers the personal identity numbers freshPnr makes.
var pnrSerial atomic.Int64

// freshPnr is a personal identity number no other call gave, born in 1985
// like the test subject.
func freshPnr() string {
	n := pnrSerial.Add(1)
	born := time.Date(1985, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, int(n%365))
	return pnr(born.Format("20060102"), 100+int(n/365)%800)
}

// openCaseWith opens an adult-victim case on the subject with the number
// (a new personal file, or the existing one with that number).
func openCaseWith(h *harness, u user, number string) (caseID, personID string) {
	r := h.must(http.StatusCreated, "POST", "/api/v1/cases", &u, map[string]any{
		"unit": "vuxen", "target_group": "adult_victim", "source": "application", "received_on": "2026-03-02",
		"subject": map[string]any{"sex": "female", "birth_year": 1985, "name": subjectName, "personal_number": number,
			"phone": "070-111 22 33", "address": subjectStreet},
		"special_needs": []string{"has_pet"}, "description": "Söker skydd efter hot från f.d. partner.",
	})
	assert.Equal(h.t, "/api/v1/cases/"+r.str(h.t, "id"), r.header.Get("Location"))
	return r.str(h.t, "id"), r.str(h.t, "person_id")
}

// TestCaseLifecycleWithAChild runs DOMAIN.md's case lifecycle through the
// API: intake to closing, with an accompanying child who gets their own
// decision, a placement, schooling, a plan, follow-ups and a correction.
func TestCaseLifecycleWithAChild(t *testing.T) {
	h := newHarness(t)
	h.shelter(providerA)
	caseID, personID := openTestCase(h, anna)
	c := "/api/v1/cases/" + caseID
	post := func(path string, u user, body any, status int) response {
		return h.must(status, "POST", c+path, &u, body)
	}

	post("/preliminary-assessment", anna, map[string]any{"decision": "open_investigation"}, 200)
	post("/violence", anna, map[string]any{"forms": []string{"physical", "psychological"}, "relation": "former_partner",
		"period_from": "2025-01-01", "period_to": "2026-02-28", "children_present": true}, 200)
	post("/risk-assessments", anna, map[string]any{"instrument": "freda_danger", "level": "high", "concerns": "adult", "assessed_on": "2026-03-03", "summary": "Hög risk."}, 200)
	post("/safety-plans", anna, map[string]any{"for": "adult", "occasion": "intake", "made_on": "2026-03-03", "plan": "Skyddat boende."}, 200)
	post("/protected-identity", anna, map[string]any{"level": "skyddad_folkbokforing"}, 200)

	child := post("/children", anna, map[string]any{"sex": "female", "birth_year": 2015, "name": childName, "personal_number": childPnr, "relation": "witnessed"}, 201)
	childID := child.str(t, "child_id")
	housing := post("/decisions", sara, map[string]any{"support_type": "protected_housing", "outcome": "granted",
		"goals": []string{"Trygg boendesituation", "Stöd att bearbeta"}, "valid_from": "2026-03-04", "valid_to": "2026-06-30"}, 201)
	housingID := housing.str(t, "decision_id")

	// Without the child's own decision the child cannot be placed.
	r := h.do("POST", c+"/placements", &anna, map[string]any{"decision_id": housingID, "provider_id": providerA, "moved_in_on": "2026-03-05", "child_ids": []string{childID}, "pets": 1})
	require.Equal(t, 422, r.code, string(r.body))
	assert.Equal(t, ProblemBase+"rule/child-placement-requires-own-decision", r.json(t)["type"])

	childDecision := post("/decisions", sara, map[string]any{"support_type": "protected_housing", "outcome": "granted",
		"goals": []string{"Trygghet"}, "valid_from": "2026-03-04", "valid_to": "2026-06-30", "child_id": childID,
		"reasons": "Barnet behöver skydd; den andra vårdnadshavaren är part."}, 201)
	post("/assignments", anna, map[string]any{"decision_id": housingID, "provider_id": providerA, "needs_assessment": "Behöver skydd.",
		"includes": "Boende, stödsamtal", "goals": []string{"Trygghet"}, "follow_up": "Var fjärde vecka", "return_information": "Sammanfattning",
		"responsible_worker": "Anna A, 010-123 45 67"}, 201)
	placement := post("/placements", anna, map[string]any{"decision_id": housingID, "provider_id": providerA, "moved_in_on": "2026-03-05", "child_ids": []string{childID}, "pets": 1}, 201)
	p := "/placements/" + placement.str(t, "placement_id")

	post(p+"/schooling", jouren, map[string]any{"child_id": childID, "arranged_on": "2026-03-10", "school_kind": "distance"}, 200)
	post(p+"/implementation-plan", jouren, map[string]any{"activities": []map[string]any{{"name": "Stödsamtal", "goal": "Bearbeta", "responsible": "Jouren", "when": "Veckovis"}},
		"follow_up_on": "2026-04-05", "participated": true}, 200)
	post(p+"/extension", anna, map[string]any{"until": "2026-08-31"}, 200)
	post("/notes", jouren, map[string]any{"text": "Har flyttat in."}, 201)
	post(p+"/move-out", jouren, map[string]any{"moved_out_on": "2026-05-20", "reason": "permanent_housing", "goal_attainment": "fully"}, 200)
	post("/follow-ups", anna, map[string]any{"decision_id": housingID, "followed_up_on": "2026-05-25", "participated": true,
		"goal_outcomes": []map[string]any{{"goal": "Trygg boendesituation", "outcome": "fully"}, {"goal": "Stöd att bearbeta", "outcome": "partly"}}}, 200)
	post("/follow-ups", anna, map[string]any{"decision_id": childDecision.str(t, "decision_id"), "followed_up_on": "2026-05-25", "participated": true,
		"goal_outcomes": []map[string]any{{"goal": "Trygghet", "outcome": "fully"}}}, 200)
	post("/notes", anna, map[string]any{"text": "Uppföljning klar."}, 201)

	// A correction points at the violence event and says why.
	events := h.must(200, "GET", c+"/events", &anna, nil).json(t)["events"].([]any)
	var violenceEvent string
	for _, e := range events {
		if e.(map[string]any)["type"] == "case.violence_documented" {
			violenceEvent = e.(map[string]any)["id"].(string)
		}
	}
	require.NotEmpty(t, violenceEvent)
	post("/corrections", anna, map[string]any{"event_id": violenceEvent, "reason": "Fel relation angiven.", "corrected": map[string]any{"relation": "partner"}}, 200)
	post("/reassign", sara, map[string]any{"assignee": "bertil", "unit": "vuxen"}, 200)
	post("/close", bertil, map[string]any{"reason": "Insatser avslutade.", "goal_attainment": "fully"}, 200)
	r = h.do("POST", c+"/notes", &bertil, map[string]any{"text": "efter stängning"})
	require.Equal(t, 422, r.code)
	assert.Equal(t, "case-closed", r.json(t)["rule"])
	post("/reopen", bertil, map[string]any{"reason": "Ny information."}, 200)
	last := post("/close", bertil, map[string]any{"reason": "Klart.", "goal_attainment": "partly"}, 200)

	// The case file as the assigned worker sees it.
	file := h.must(200, "GET", c, &bertil, nil)
	assert.Equal(t, fmt.Sprintf("%q", fmt.Sprint(last.json(t)["version"])), file.header.Get("ETag"))
	f := file.json(t)
	assert.Equal(t, "closed", f["status"])
	assert.Equal(t, "bertil", f["assignee"])
	subject := f["subject"].(map[string]any)
	assert.Equal(t, personID, subject["id"])
	assert.Equal(t, subjectName, subject["name"])
	assert.Equal(t, subjectStreet, subject["address"], "the assigned worker sees a protected subject's address")
	assert.Equal(t, "skyddad_folkbokforing", subject["protection"])
	assert.Equal(t, "partner", f["violence"].([]any)[0].(map[string]any)["relation"], "a corrected fact reads as corrected")
	assert.Len(t, f["children"], 1)
	assert.Len(t, f["decisions"], 2)
	pl := f["placements"].([]any)[0].(map[string]any)
	assert.Equal(t, "2026-05-20", pl["moved_out_on"])
	assert.Len(t, pl["schooling"], 1)

	// Another worker of the unit sees the file but not the whereabouts
	// (anna recorded the protection and is entitled; bertil was granted
	// by the supervisor's reassignment).
	cilla := user{sub: "cilla", roles: anna.roles, units: anna.units}
	other := h.must(200, "GET", c, &cilla, nil).json(t)["subject"].(map[string]any)
	assert.NotContains(t, other, "address")
	assert.NotContains(t, other, "phone")
	assert.ElementsMatch(t, []any{"phone", "address", "workplace", "version"}, other["masked"])

	// The provider sees the assignment view only.
	pv := h.must(200, "GET", c, &jouren, nil)
	assert.Equal(t, "assignment", pv.json(t)["view"])
	assert.NotContains(t, string(pv.body), subjectStreet)
	assert.NotContains(t, string(pv.body), subjectPnr)
	assert.Contains(t, string(pv.body), "Behöver skydd.", "the assignment's contents reach the provider")
	h.must(404, "GET", c, &jour2, nil)
	h.must(404, "GET", c, &olle, nil)

	// The documentation history: who recorded what, with the correction.
	hist := h.must(200, "GET", c+"/events", &sara, nil).json(t)["events"].([]any)
	types := map[string]int{}
	actors := map[string]bool{}
	for _, e := range hist {
		ev := e.(map[string]any)
		types[ev["type"].(string)]++
		actors[ev["actor"].(string)] = true
	}
	assert.Equal(t, 1, types["case.corrected"])
	assert.Equal(t, 2, types["case.closed"])
	assert.Equal(t, 1, types["case.investigation_opened"], "open_investigation records two events in one command")
	assert.True(t, actors["jouren-1"] && actors["sara"] && actors["bertil"] && actors["anna"])
}

// TestPartnerContactFromConsentToEnd runs a partner contact through the
// API and checks what each side of the information barrier sees.
func TestPartnerContactFromConsentToEnd(t *testing.T) {
	h := newHarness(t)
	tr := h.must(201, "POST", "/api/v1/cases", &anna, map[string]any{
		"unit": "vuxen", "target_group": "perpetrator", "source": "application", "received_on": "2026-02-01",
		"subject": map[string]any{"sex": "male", "birth_year": 1980, "name": "Per Utövare"}, "description": "Söker behandling.",
	}).str(t, "id")
	h.must(201, "POST", "/api/v1/cases/"+tr+"/decisions", &anna, map[string]any{"support_type": "perpetrator_treatment", "outcome": "granted",
		"goals": []string{"Upphöra med våld"}, "valid_from": "2026-02-05", "valid_to": "2026-12-31"})

	pc := h.must(201, "POST", "/api/v1/partner-contacts", &behandla, map[string]any{"treatment_case_id": tr,
		"partner": map[string]any{"name": "Paula Partner", "phone": "073-999 88 77", "address": "Partnervägen 3"}, "children_in_contact": 2})
	pcPath := "/api/v1/partner-contacts/" + pc.str(t, "id")
	post := func(path string, u user, body any) { h.must(200, "POST", pcPath+path, &u, body) }

	r := h.do("POST", pcPath+"/approaches", &partnerk, map[string]any{"channel": "phone", "outcome": "reached", "on": "2026-02-10"})
	require.Equal(t, 422, r.code, "no approach before consent")
	post("/consent", behandla, map[string]any{"status": "given", "signed_on": "2026-02-08", "document": "Samtycke, underskrivet."})
	post("/treatment-status", behandla, map[string]any{"status": "in_treatment"})
	post("/approaches", partnerk, map[string]any{"channel": "phone", "outcome": "reached", "on": "2026-02-10"})
	post("/response", partnerk, map[string]any{"accepted": true})
	post("/risk-assessments", partnerk, map[string]any{"instrument": "freda_danger", "level": "high", "concerns": "partner", "assessed_on": "2026-02-11", "summary": "Partnern är rädd."})
	post("/signals", partnerk, map[string]any{"category": "increased_fear"})
	post("/new-violence", partnerk, map[string]any{"reported_on": "2026-03-01", "children_affected": true})
	post("/treatment-status", behandla, map[string]any{"status": "completed"})
	contactID := domain.ID(pc.str(t, "id"))
	exists, err := h.store.Keys().Exists(context.Background(), domain.ConsentKey(contactID))
	require.NoError(t, err)
	require.True(t, exists, "the consent document is sealed with a key of its own")
	post("/end", behandla, map[string]any{"reason": "Behandlingen avslutad."})
	exists, err = h.store.Keys().Exists(context.Background(), domain.ConsentKey(contactID))
	require.NoError(t, err)
	assert.False(t, exists, "ending the contact destroys the consent document")

	treatmentView := h.must(200, "GET", pcPath, &behandla, nil)
	tv := string(treatmentView.body)
	assert.Equal(t, "treatment", treatmentView.json(t)["view"])
	for _, secret := range []string{"reached", "accepted", "Paula", "073-999", "Partnervägen", "risk_assessments", "new_violence", "Partnern är rädd"} {
		assert.NotContains(t, tv, secret, "the treatment side must not learn %q", secret)
	}
	assert.Contains(t, tv, "increased_fear", "signals reach the treatment side as categories")

	partnerView := h.must(200, "GET", pcPath, &partnerk, nil)
	pv := partnerView.json(t)
	assert.Equal(t, true, pv["reached"])
	assert.Equal(t, "completed", pv["treatment_status"])
	assert.NotContains(t, string(partnerView.body), "Samtycke, underskrivet", "the partner side never sees the perpetrator's document")

	both := h.must(200, "GET", pcPath, &sara, nil).json(t)
	// Two records, each with its own version: the treatment side's six
	// (offer, consent, two statuses, the partner side's signal, end), the
	// partner side's nine (opening, what crossed: consent, two statuses,
	// end; approach, response, risk, new violence).
	require.Contains(t, both, "treatment")
	require.Contains(t, both, "partner")
	assert.EqualValues(t, 6, both["treatment"].(map[string]any)["version"])
	assert.EqualValues(t, 9, both["partner"].(map[string]any)["version"])
	assert.EqualValues(t, 6, treatmentView.json(t)["version"])
	assert.Equal(t, `"6"`, treatmentView.header.Get("ETag"))
	assert.EqualValues(t, 9, pv["version"])
	assert.Equal(t, `"9"`, partnerView.header.Get("ETag"))

	r = h.do("POST", pcPath+"/signals", &partnerk, map[string]any{"category": "escalation"})
	assert.Equal(t, 422, r.code, "nothing after the end")
	assert.True(t, strings.HasPrefix(r.header.Get("Content-Type"), "application/problem+json"))
}
