package api

import (
	"context"
	"encoding/base64"
	"net/http"
	"strings"
	"testing"

	"github.com/fristad/fristad/domain"
	"github.com/fristad/fristad/eventstore"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// After a person is culled (person.culled recorded, blind-index entry
// removed, key destroyed, as fristad cull does), no route shows their
// name, number or contact details.
func TestNothingReadableAfterCulling(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	// Born on the 14th: not a file kept for research.
	const name, street = "Gunilla Gallrad", "Bortglömda vägen 3"
	number := pnr("19850314", 789)
	opened := h.must(201, "POST", "/api/v1/cases", &anna, map[string]any{"unit": "vuxen", "target_group": "adult_victim", "source": "report",
		"received_on": "2026-03-02", "subject": map[string]any{"sex": "female", "birth_year": 1985, "name": name, "personal_number": number,
			"phone": "070-999 88 77", "address": street}, "description": "Beskrivning om " + name})
	caseID, personID := opened.str(t, "id"), opened.str(t, "person_id")
	c := "/api/v1/cases/" + caseID
	h.must(201, "POST", c+"/notes", &anna, map[string]any{"text": "Anteckning om " + name})

	pid := domain.ID(personID)
	_, err := eventstore.Execute(ctx, h.store, domain.PersonDecider(), pid, domain.CullPerson{CulledOn: domain.NewDate(2040, 1, 1)},
		eventstore.ExecOptions{AppendOptions: eventstore.AppendOptions{Actor: "fristad-cull"}})
	require.NoError(t, err)
	pn, err := domain.ParsePersonalNumber(number, domain.NewDate(2026, 1, 1))
	require.NoError(t, err)
	require.NoError(t, h.store.Index().Remove(ctx, string(pn), pid))
	require.NoError(t, h.store.Keys().Destroy(ctx, domain.PersonKey(pid)))

	var bodies []string
	for _, r := range []struct {
		u    user
		path string
	}{
		{anna, c}, {anna, c + "/events"}, {anna, "/api/v1/persons/" + personID}, {anna, "/api/v1/cases"},
		{sara, c}, {sara, "/api/v1/audit/cases/" + caseID}, {sara, "/api/v1/audit/access?unit=vuxen"},
		{statist, "/api/v1/reports/mapping?from=2026-01-01&to=2026-12-31"},
	} {
		res := h.must(200, "GET", r.path, &r.u, nil)
		bodies = append(bodies, string(res.body))
	}
	search := h.must(200, "POST", "/api/v1/persons/search", &anna, map[string]any{"personal_number": number})
	assert.Equal(t, []any{}, search.json(t)["person_ids"], "the number no longer finds the person")
	bodies = append(bodies, string(search.body))
	for _, b := range bodies {
		for _, s := range []string{name, "Gunilla", number, street, "070-999"} {
			assert.NotContains(t, b, s)
		}
	}
	assert.Contains(t, bodies[2], Destroyed, "the personal file says its data was culled")
	assert.Contains(t, bodies[1], `"personal_destroyed":true`)
}

// A case outside the caller's scope and a case that does not exist give
// the same 404, byte for byte: no existence oracle. (Whether they take as
// long is for a benchmark; a test asserts no duration.)
func TestOutOfScopeAndMissingLookTheSame(t *testing.T) {
	h := newHarness(t)
	caseID, _ := openTestCase(h, anna)
	missing := string(domain.NewID())
	strip := func(r response) string { return string(r.body) }
	a, b := h.do("GET", "/api/v1/cases/"+caseID, &olle, nil), h.do("GET", "/api/v1/cases/"+missing, &olle, nil)
	require.Equal(t, 404, a.code)
	require.Equal(t, 404, b.code)
	assert.Equal(t, strip(a), strip(b))
	assert.Equal(t, a.header.Get("Content-Type"), b.header.Get("Content-Type"))
	assert.Empty(t, a.header.Get("ETag"))
}

// Mass assignment: fields the server sets are refused when a client sends
// them, and nothing is written.
func TestMassAssignmentRefused(t *testing.T) {
	h := newHarness(t)
	caseID, _ := openTestCase(h, anna)
	before, err := h.store.LastSeq(context.Background())
	require.NoError(t, err)
	for _, c := range []struct {
		path  string
		body  map[string]any
		field string
	}{
		{"/api/v1/cases", map[string]any{"unit": "vuxen", "target_group": "adult_victim", "source": "report", "received_on": "2026-03-01", "subject": map[string]any{"sex": "female", "name": "X"}, "assignee": "mallory"}, "assignee"},
		{"/api/v1/cases/" + caseID + "/decisions", map[string]any{"support_type": "support_talks", "outcome": "granted", "goals": []string{"g"}, "valid_from": "2026-03-01", "valid_to": "2026-04-01", "decision_id": string(domain.NewID())}, "decision_id"},
		{"/api/v1/cases/" + caseID + "/notes", map[string]any{"text": "x", "note_id": string(domain.NewID())}, "note_id"},
		{"/api/v1/cases/" + caseID + "/close", map[string]any{"reason": "x", "goal_attainment": "fully", "closed_on": "1999-01-01"}, "closed_on"},
	} {
		r := h.do("POST", c.path, &anna, c.body)
		require.Equal(t, 400, r.code, c.path)
		// A member the route does not take is reported by its parent's
		// path, never by its name (API.md).
		assert.Contains(t, string(r.body), `"field":"(body)","message":"unknown member"`, c.path)
		assert.NotContains(t, string(r.body), c.field, c.path)
	}
	after, err := h.store.LastSeq(context.Background())
	require.NoError(t, err)
	assert.Equal(t, before, after)
}

// Header injection and token tricks at the HTTP edge.
func TestHeaderAndTokenAttacks(t *testing.T) {
	h := newHarness(t)
	r := h.do("GET", "/api/v1/cases", &anna, nil, "X-Request-Id", "<script>alert(1)</script>")
	assert.NotContains(t, r.header.Get("X-Request-Id"), "<", "a client's request id is used only when harmless")

	none := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"none","typ":"JWT"}`)) + "." +
		base64.RawURLEncoding.EncodeToString([]byte(`{"sub":"anna","roles":["caseworker"],"units":["vuxen"],"iss":"fristad-dev","aud":"fristad","exp":9999999999}`)) + "."
	good := h.token(anna)
	parts := strings.Split(good, ".")
	tampered := parts[0] + "." + base64.RawURLEncoding.EncodeToString([]byte(`{"sub":"anna","roles":["admin"],"iss":"fristad-dev","aud":"fristad","exp":9999999999}`)) + "." + parts[2]
	for name, tok := range map[string]string{"alg none": none, "tampered": tampered, "garbage": "abc.def.ghi", "empty": ""} {
		req, _ := http.NewRequest("GET", h.http.URL+"/api/v1/cases", nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		res, err := h.http.Client().Do(req)
		require.NoError(t, err)
		res.Body.Close()
		assert.Equal(t, 401, res.StatusCode, name)
	}
	assert.NotContains(t, h.logs.String(), parts[2], "tokens are never logged")
}
