package api

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Reading a protected person's file takes a reason; the party view
// (kommunicering) leaves out whereabouts and other persons' details.
func TestProtectedReadsNeedAReasonAndThePartyView(t *testing.T) {
	h := newHarness(t)
	caseID, personID := openTestCase(h, anna)
	c := "/api/v1/cases/" + caseID
	h.must(201, "POST", c+"/children", &anna, map[string]any{"sex": "female", "birth_year": 2015, "name": childName, "personal_number": childPnr, "relation": "witnessed"})
	h.reason = ""
	h.must(200, "GET", c, &anna, nil) // not protected yet: no reason needed

	h.must(200, "POST", c+"/protected-identity", &anna, map[string]any{"level": "skyddad_folkbokforing"})
	for _, path := range []string{c, c + "/events", "/api/v1/persons/" + personID} {
		r := h.must(400, "GET", path, &anna, nil)
		assert.Contains(t, string(r.body), "X-Access-Reason", path)
		assert.NotContains(t, string(r.body), subjectStreet, path)
	}
	h.reason = "Planering av skyddat boende"
	full := h.must(200, "GET", c, &anna, nil)
	assert.Contains(t, string(full.body), subjectStreet, "the assigned worker sees the address")

	party := h.must(200, "GET", c+"?view=party", &anna, nil)
	pv := party.json(t)
	assert.Equal(t, "party", pv["view"])
	body := string(party.body)
	for _, hidden := range []string{subjectStreet, "070-111", subjectPnr, childPnr} {
		assert.NotContains(t, body, hidden, "the party view must not show %q", hidden)
	}
	assert.Contains(t, body, subjectName, "the party still sees whose case it is")
	require.Equal(t, 400, h.do("GET", c+"?view=party", &anna, nil, "X-Access-Reason", strings.Repeat("x", 501)).code, "an over-long reason")
}
