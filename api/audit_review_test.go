package api

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/fristad/fristad/api/auth"
	"github.com/fristad/fristad/domain"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The access-log review: a sample of the supervisor's units with reads of
// protected persons first, recorded reviews as events, and the same
// answer for an entry that does not exist and one of another unit.
func TestAccessReviewSampleAndRecord(t *testing.T) {
	h := newHarness(t)
	supBarn := user{sub: "sup-barn", roles: []auth.Role{auth.RoleSupervisor}, units: []string{"barn"}}
	admin := user{sub: "adm", roles: []auth.Role{auth.RoleAdmin}}

	protectedCase, _ := openCaseWith(h, anna, freshPnr())
	plainCase, _ := openCaseWith(h, anna, freshPnr())
	h.must(200, "POST", "/api/v1/cases/"+protectedCase+"/protected-identity", &anna, map[string]any{"level": "skyddad_folkbokforing"})
	for range 3 {
		h.must(200, "GET", "/api/v1/cases/"+plainCase, &anna, nil)
	}
	h.must(200, "GET", "/api/v1/cases/"+protectedCase, &anna, nil) // with the harness's reason
	// A read in unit barn.
	barnCase, _ := openCaseWith2(h, olle, "barn")
	h.must(200, "GET", "/api/v1/cases/"+barnCase, &olle, nil)

	r := h.must(200, "GET", "/api/v1/audit/sample?size=50", &sara, nil)
	items := r.json(t)["items"].([]any)
	require.NotEmpty(t, items)
	first := items[0].(map[string]any)
	assert.Equal(t, true, first["protected"], "reads of protected persons come first: %v", first)
	assert.Equal(t, protectedCase, first["case_id"])
	seenPlain := false
	for _, it := range items {
		e := it.(map[string]any)
		assert.Equal(t, "vuxen", e["unit"], "only the supervisor's units")
		assert.NotEqual(t, "read_audit", e["action"], "reads of the log are not sampled")
		if e["case_id"] == plainCase {
			seenPlain = true
			assert.Equal(t, false, e["protected"])
		}
	}
	assert.True(t, seenPlain)
	one := h.must(200, "GET", "/api/v1/audit/sample?size=1", &sara, nil).json(t)["items"].([]any)
	require.Len(t, one, 1)
	assert.Equal(t, true, one[0].(map[string]any)["protected"])

	for _, tc := range []struct {
		name, query string
		u           user
		status      int
	}{
		{"size 0", "?size=0", sara, 400},
		{"size too big", "?size=201", sara, 400},
		{"size not a number", "?size=x", sara, 400},
		{"unknown parameter", "?colour=red", sara, 400},
		{"another unit", "?unit=barn", sara, 403},
		{"case worker", "", anna, 403},
		{"admin (not a reviewer)", "", admin, 403},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.status, h.do("GET", "/api/v1/audit/sample"+tc.query, &tc.u, nil).code)
		})
	}

	// Record a review of two sampled entries.
	e1, e2 := first["id"].(string), items[len(items)-1].(map[string]any)["id"].(string)
	const note = "Läsningen ska utredas med Anna"
	rec := h.must(201, "POST", "/api/v1/audit/reviews", &sara, map[string]any{"entries": []string{e1, e2}, "outcome": "to_investigate", "note": note})
	reviewID := rec.str(t, "review_id")
	hist, err := h.store.Load(t.Context(), domain.KindAccessReview, domain.ID(reviewID))
	require.NoError(t, err)
	require.Len(t, hist.Events, 1)
	assert.Equal(t, "access_review.recorded", hist.Events[0].Type)
	assert.Equal(t, "sara", hist.Events[0].Actor)
	assert.NotNil(t, hist.Events[0].Sealed, "the note is sealed on the stream")

	// The barn entry and an id that was never an entry: the same refusal.
	barnEntries := h.must(200, "GET", "/api/v1/audit/access?unit=barn", &supBarn, nil).json(t)["items"].([]any)
	require.NotEmpty(t, barnEntries)
	foreign := barnEntries[0].(map[string]any)["id"].(string)
	a := h.do("POST", "/api/v1/audit/reviews", &sara, map[string]any{"entries": []string{foreign}, "outcome": "justified"})
	b := h.do("POST", "/api/v1/audit/reviews", &sara, map[string]any{"entries": []string{string(domain.NewID())}, "outcome": "justified"})
	assert.Equal(t, 422, a.code, string(a.body))
	assert.Equal(t, string(a.body), string(b.body), "no oracle for another unit's entries")

	for _, tc := range []struct {
		name   string
		u      user
		body   any
		status int
	}{
		{"no entries", sara, map[string]any{"entries": []string{}, "outcome": "justified"}, 400},
		{"bad outcome", sara, map[string]any{"entries": []string{e1}, "outcome": "fine"}, 400},
		{"not an id", sara, map[string]any{"entries": []string{"x"}, "outcome": "justified"}, 400},
		{"repeated id", sara, map[string]any{"entries": []string{e1, e1}, "outcome": "justified"}, 400},
		{"unknown field", sara, map[string]any{"entries": []string{e1}, "outcome": "justified", "reviewer": "x"}, 400},
		{"case worker", anna, map[string]any{"entries": []string{e1}, "outcome": "justified"}, 403},
		{"admin", admin, map[string]any{"entries": []string{e1}, "outcome": "justified"}, 403},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := h.do("POST", "/api/v1/audit/reviews", &tc.u, tc.body)
			assert.Equal(t, tc.status, r.code, string(r.body))
			assert.NotContains(t, string(r.body), e1, "no echo of the client's values")
		})
	}

	list := func(u user, q string) []any {
		return h.must(200, "GET", "/api/v1/audit/reviews"+q, &u, nil).json(t)["items"].([]any)
	}
	got := list(sara, "")
	require.Len(t, got, 1, "a refused review writes nothing")
	rv := got[0].(map[string]any)
	assert.Equal(t, reviewID, rv["id"])
	assert.Equal(t, "to_investigate", rv["outcome"])
	assert.Equal(t, note, rv["note"])
	assert.Len(t, rv["entries"], 2)
	assert.Empty(t, list(supBarn, ""), "another unit's supervisor sees none")
	assert.Len(t, list(sara, "?reviewer=someone-else"), 0)
	ad := list(admin, "")
	require.Len(t, ad, 1)
	assert.Nil(t, ad[0].(map[string]any)["note"], "the note is for the units' supervisors")
	assert.Equal(t, true, ad[0].(map[string]any)["note_sealed"])
	assert.Equal(t, 403, h.do("GET", "/api/v1/audit/reviews", &anna, nil).code)
	assert.Equal(t, 403, h.do("GET", "/api/v1/audit/reviews?unit=barn", &sara, nil).code)
}

func openCaseWith2(h *harness, u user, unit string) (caseID, personID string) {
	r := h.must(http.StatusCreated, "POST", "/api/v1/cases", &u, map[string]any{
		"unit": unit, "target_group": "adult_victim", "source": "application", "received_on": "2026-03-02",
		"subject": map[string]any{"sex": "female", "birth_year": 1985, "name": fmt.Sprintf("Person %s", unit), "personal_number": freshPnr()},
	})
	return r.str(h.t, "id"), r.str(h.t, "person_id")
}
