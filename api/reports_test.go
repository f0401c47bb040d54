package api

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestReportsThroughTheAPI(t *testing.T) {
	h := newHarness(t)
	caseID, _ := openTestCase(h, anna)
	h.must(201, "POST", "/api/v1/cases/"+caseID+"/children", &anna, map[string]any{"sex": "female", "birth_year": 2015, "name": childName, "personal_number": childPnr, "relation": "witnessed"})

	// A statistician gets aggregates, never a name or number.
	for _, q := range []string{"/api/v1/reports/mapping?from=2026-01-01&to=2026-12-31", "/api/v1/reports/follow-up?from=2026-01-01&to=2026-12-31&format=csv",
		"/api/v1/reports/indicators?year=2026&format=xlsx"} {
		r := h.must(200, "GET", q, &statist, nil)
		for _, secret := range []string{subjectName, "Zlatana", childName, subjectPnr, childPnr, subjectStreet} {
			assert.NotContains(t, string(r.body), secret, q)
		}
	}
	j := h.must(200, "GET", "/api/v1/reports/mapping?from=2026-01-01&to=2026-12-31&min_cell=1", &statist, nil).json(t)
	assert.Equal(t, "mapping", j["meta"].(map[string]any)["report"])
	assert.NotEmpty(t, j["cells"])

	csv := h.must(200, "GET", "/api/v1/reports/mapping?from=2026-01-01&to=2026-12-31&format=csv", &statist, nil)
	assert.Equal(t, `attachment; filename="fristad-mapping-2026-01-01-2026-12-31.csv"`, csv.header.Get("Content-Disposition"))
	assert.True(t, strings.HasPrefix(csv.header.Get("Content-Type"), "text/csv"))
	xlsx := h.must(200, "GET", "/api/v1/reports/indicators?year=2026&format=xlsx", &statist, nil)
	assert.Contains(t, xlsx.header.Get("Content-Disposition"), ".xlsx")
	assert.Equal(t, "PK", string(xlsx.body[:2]), "a zip container")

	// A supervisor reports on their own units only.
	h.must(200, "GET", "/api/v1/reports/mapping?from=2026-01-01&to=2026-12-31&unit=vuxen", &sara, nil)
	h.must(403, "GET", "/api/v1/reports/mapping?from=2026-01-01&to=2026-12-31&unit=barn", &sara, nil)
	h.must(403, "GET", "/api/v1/reports/mapping?from=2026-01-01&to=2026-12-31", &anna, nil)

	for _, c := range []struct{ query, field string }{
		{"/api/v1/reports/mapping?from=2026-12-31&to=2026-01-01", "to"},
		{"/api/v1/reports/mapping?from=2026-02-30&to=2026-12-31", "from"},
		{"/api/v1/reports/mapping?from=2026-01-01&to=2026-12-31&format=pdf", "format"},
		{"/api/v1/reports/mapping?from=2026-01-01&to=2026-12-31&unit=nowhere", "unit"},
		{"/api/v1/reports/mapping?from=2026-01-01&to=2026-12-31&min_cell=0", "min_cell"},
		{"/api/v1/reports/mapping?from=2026-01-01&to=2026-12-31&table=x", "(query)"}, // an unknown name is not echoed
		{"/api/v1/reports/indicators?year=abc", "year"},
	} {
		r := h.do("GET", c.query, &statist, nil)
		require.Equal(t, 400, r.code, "%s: %s", c.query, r.body)
		assert.Contains(t, string(r.body), `"field":"`+c.field+`"`, c.query)
	}
}
