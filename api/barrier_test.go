package api

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestPartnerContactBarrier writes distinctive content through every
// partner-contact route from each side, then reads every route each side
// may call and searches the responses for the other side's content
// (DOMAIN.md, partner contact 4: the treatment side never learns whether
// the partner was reached, what the partner said, the partner's details or
// risk; the partner side never sees what the person in treatment said).
func TestPartnerContactBarrier(t *testing.T) {
	h := newHarness(t)
	treatmentCase := h.must(201, "POST", "/api/v1/cases", &anna, map[string]any{"unit": "vuxen", "target_group": "perpetrator", "source": "application",
		"received_on": "2026-02-01", "subject": map[string]any{"sex": "male", "birth_year": 1979, "name": "Perp Utövarsson"},
		"description": "PERP-INTAKE-STATEMENT"}).str(t, "id")
	h.must(201, "POST", "/api/v1/cases/"+treatmentCase+"/notes", &anna, map[string]any{"text": "PERP-SAID-IN-TREATMENT"})

	// Partner-side content (what the treatment side must never see).
	partnerSecrets := []string{"Paula Hemlig", "073-555 12 34", "Gömda vägen 9", "PARTNER-RISK-SUMMARY", `"reached"`, `"accepted"`, "new_violence", "risk_assessments", "approaches", "partner_abroad"}
	// Treatment-side content (what the partner side must never see).
	treatmentSecrets := []string{"PERP-SAID-IN-TREATMENT", "PERP-INTAKE-STATEMENT", "TREATMENT-CONSENT-DOCUMENT", "TREATMENT-END-REASON", "Perp Utövarsson"}

	pc := "/api/v1/partner-contacts/" + h.must(201, "POST", "/api/v1/partner-contacts", &behandla, map[string]any{"treatment_case_id": treatmentCase,
		"partner": map[string]any{"name": "Paula Hemlig", "phone": "073-555 12 34", "address": "Gömda vägen 9"}, "children_in_contact": 1}).str(t, "id")
	var writes []response
	w := func(path string, u user, body any) {
		writes = append(writes, h.must(200, "POST", pc+path, &u, body))
	}
	w("/consent", behandla, map[string]any{"status": "given", "signed_on": "2026-02-03", "document": "TREATMENT-CONSENT-DOCUMENT"})
	w("/treatment-status", behandla, map[string]any{"status": "in_treatment"})
	w("/approaches", partnerk, map[string]any{"channel": "phone", "outcome": "reached", "on": "2026-02-04"})
	w("/response", partnerk, map[string]any{"accepted": true})
	w("/risk-assessments", partnerk, map[string]any{"instrument": "sara", "level": "high", "concerns": "partner", "assessed_on": "2026-02-05", "summary": "PARTNER-RISK-SUMMARY"})
	w("/signals", partnerk, map[string]any{"category": "increased_fear"})
	w("/signals", behandla, map[string]any{"category": "escalation"})
	w("/new-violence", partnerk, map[string]any{"reported_on": "2026-02-10", "children_affected": true})
	w("/exception", partnerk, map[string]any{"reason": "partner_abroad"})

	read := func(u user) string {
		var all strings.Builder
		for _, path := range []string{pc, "/api/v1/cases/" + treatmentCase, "/api/v1/cases/" + treatmentCase + "/events", "/api/v1/cases", "/api/v1/dashboard/overdue"} {
			r := h.do("GET", path, &u, nil)
			if r.code == 200 {
				all.Write(r.body)
			}
		}
		return all.String()
	}
	treatmentSees := read(behandla)
	assert.Contains(t, treatmentSees, "increased_fear", "shared signals cross as categories")
	for _, s := range partnerSecrets {
		assert.NotContains(t, treatmentSees, s, "the treatment side must not see %q", s)
	}
	partnerSees := read(partnerk)
	assert.Contains(t, partnerSees, "in_treatment", "the partner side learns the treatment status")
	for _, s := range treatmentSecrets {
		assert.NotContains(t, partnerSees, s, "the partner side must not see %q", s)
	}
	// The perpetrator's case worker (the treatment side's case) sees no
	// partner-contact flags either.
	caseworkerSees := read(anna)
	for _, s := range []string{"Paula Hemlig", "PARTNER-RISK-SUMMARY", "new_violence"} {
		assert.NotContains(t, caseworkerSees, s)
	}
	for _, r := range writes {
		for _, s := range append(partnerSecrets[:4], treatmentSecrets...) {
			assert.NotContains(t, string(r.body), s, "write responses carry no content")
		}
	}
	w("/end", behandla, map[string]any{"reason": "TREATMENT-END-REASON"})
	for _, s := range treatmentSecrets {
		assert.NotContains(t, read(partnerk), s)
	}
}
