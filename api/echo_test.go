package api

import (
	"net/http"
	"strings"
	"testing"

	"github.com/fristad/fristad/domain"
	"github.com/stretchr/testify/assert"
)

// TestErrorsEchoNoClientValue: an error body never holds a value the
// client sent (API.md): a decision id, an If-Match version, report dates,
// correction keys, query parameter names, unknown members, path ids.
func TestErrorsEchoNoClientValue(t *testing.T) {
	h := newHarness(t)
	f := newFixture(h)
	a := "/api/v1/cases/" + f.caseA
	strange := string(domain.NewID())
	for _, tc := range []struct {
		name, method, path string
		u                  user
		body               any
		headers            []string
		status             int
		secret             string
	}{
		{"a decision id that is not a granted support", "POST", a + "/follow-ups", anna,
			map[string]any{"decision_id": strange, "followed_up_on": "2026-04-02", "participated": true, "goal_outcomes": []map[string]any{{"goal": "Trygghet", "outcome": "partly"}}},
			nil, http.StatusUnprocessableEntity, strange},
		{"an If-Match version", "POST", a + "/notes", anna, map[string]any{"text": "x"}, []string{"If-Match", `"987654"`}, http.StatusPreconditionFailed, "987654"},
		{"report dates", "GET", "/api/v1/reports/mapping?from=2026-12-31&to=2026-01-17", statist, nil, nil, http.StatusBadRequest, "2026-01-17"},
		{"a correction key", "POST", a + "/corrections", anna,
			map[string]any{"event_id": f.openedEvent, "reason": "Fel", "corrected": map[string]any{"hemlig_nyckel": "x"}}, nil, http.StatusBadRequest, "hemlig_nyckel"},
		{"a correction of an unknown event", "POST", a + "/corrections", anna,
			map[string]any{"event_id": strange, "reason": "Fel", "corrected": map[string]any{"source": "report"}}, nil, http.StatusUnprocessableEntity, strange},
		{"a query parameter name", "GET", "/api/v1/cases?hemligparameter=1", anna, nil, nil, http.StatusBadRequest, "hemligparameter"},
		{"a query parameter value", "GET", "/api/v1/cases?status=hemligstatus", anna, nil, nil, http.StatusBadRequest, "hemligstatus"},
		{"an unknown member", "POST", a + "/notes", anna, map[string]any{"text": "x", "19850315-1234": "y"}, nil, http.StatusBadRequest, "19850315"},
		{"an id in the path", "GET", "/api/v1/cases/" + strange, anna, nil, nil, http.StatusNotFound, strange},
		{"a malformed id in the path", "GET", "/api/v1/cases/hemligt-id", anna, nil, nil, http.StatusNotFound, "hemligt"},
		{"an Idempotency-Key", "POST", a + "/notes", anna, map[string]any{"text": "x"}, []string{"Idempotency-Key", "hemlig\u00e5"}, http.StatusBadRequest, "hemlig"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := h.do(tc.method, tc.path, &tc.u, tc.body, tc.headers...)
			assert.Equal(t, tc.status, res.code, "%s", res.body)
			assert.True(t, strings.HasPrefix(res.header.Get("Content-Type"), "application/problem+json"))
			assert.NotContains(t, string(res.body), tc.secret)
			assert.NotEmpty(t, res.json(t)["detail"])
		})
	}
}
