package console_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Reports as tables with server-drawn SVG charts; small counts show as
// "för få"; the CSV and XLSX downloads are the API's.
func TestReportsAsTablesWithChartsAndDownloads(t *testing.T) {
	s := newStack(t, stackOptions{dev: true})
	s.protectedCase(t)
	ctx := browser(t)
	axe := axeSource(t)
	s.quickSignIn(t, ctx, "sara", "supervisor", "vuxen")
	s.open(t, ctx, "/ui/rapporter")
	checkAxe(t, ctx, axe, "reports form")
	// The form with the keyboard: the first report (mapping) and unit are preselected.
	fill(t, ctx, "f-from", "2026-01-01")
	fill(t, ctx, "f-to", "2026-12-31")
	submitWith(t, ctx, kb.Enter)
	assert.Contains(t, eval[string](t, ctx, `location.search`), "rapport=mapping")
	require.Equal(t, "Rapporter", heading(t, ctx), problemText(t, ctx))
	page := html(t, ctx)
	assert.Contains(t, page, "<svg", "a chart drawn on the server")
	cells := eval[[]string](t, ctx, `Array.from(document.querySelectorAll("tbody td")).map(e => e.textContent)`)
	assert.Contains(t, cells, "för få", "two cases are fewer than the minimum cell")
	assert.Contains(t, eval[string](t, ctx, `Array.from(document.querySelectorAll("svg text")).map(e => e.textContent).join("|")`), "för få")
	assert.NotContains(t, page, "Zlatana", "reports are aggregates")
	checkAxe(t, ctx, axe, "mapping report")

	for _, link := range []struct{ id, contentType string }{
		{"l-csv", "text/csv"},
		{"l-xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
	} {
		ct, err := chromedp.Run(ctx, chromedp.Evaluate[string](`fetch(document.getElementById("`+link.id+`").href).then(r => r.status + " " + r.headers.get("content-type"))`, chromedp.EvalAwaitPromise))
		require.NoError(t, err)
		assert.True(t, strings.HasPrefix(ct, "200 "+link.contentType), "%s: %s", link.id, ct)
	}
	// Another unit's report: the API's refusal, in Swedish.
	s.open(t, ctx, "/ui/rapporter?rapport=mapping&unit=barn&from=2026-01-01&to=2026-12-31")
	assert.Contains(t, problemText(t, ctx), "dina egna enheter")
}

// The providers report on the reports page, chosen with the keyboard:
// a table per measure with the reports' Swedish names, a chart, every
// cell the API suppresses shown as "för få", the downloads, and never a
// shelter's address.
func TestProvidersReport(t *testing.T) {
	s := newStack(t, stackOptions{dev: true})
	_, plainID := s.protectedCase(t)
	s.shelters(t)
	// One person placed at Jour Ljuset: fewer than the minimum cell.
	code, body := s.apiCall(sara, "POST", "/cases/"+plainID+"/decisions", map[string]any{"support_type": "protected_housing", "outcome": "granted",
		"goals": []string{"Trygghet"}, "valid_from": "2026-03-04", "valid_to": "2026-06-30"})
	require.Equal(t, http.StatusCreated, code, body)
	code, body = s.apiCall(anna, "POST", "/cases/"+plainID+"/placements", map[string]any{"decision_id": body["decision_id"],
		"provider_id": "01J00000000000000000000P01", "moved_in_on": "2026-03-05"})
	require.Equal(t, http.StatusCreated, code, body)
	ctx := browser(t)
	axe := axeSource(t)
	s.quickSignIn(t, ctx, "sara", "supervisor", "vuxen")
	s.open(t, ctx, "/ui/rapporter")
	choose(t, ctx, "f-rapport", "providers")
	fill(t, ctx, "f-from", "2026-01-01")
	fill(t, ctx, "f-to", "2026-12-31")
	submitWith(t, ctx, kb.Enter)
	assert.Contains(t, eval[string](t, ctx, `location.search`), "rapport=providers")
	require.Equal(t, "Rapporter", heading(t, ctx), problemText(t, ctx))
	checkAxe(t, ctx, axe, "providers report")
	checkKeyboardReach(t, ctx, "providers report")

	captions := eval[[]string](t, ctx, `Array.from(document.querySelectorAll("caption")).map(e => e.textContent)`)
	assert.Contains(t, captions, "Placeringar per utförare")
	assert.Contains(t, captions, "Öppna åtgärder per utförare")
	assert.Contains(t, captions, "Utflyttningar per utförare")
	heads := eval[[]string](t, ctx, `Array.from(document.querySelectorAll("#tab-provider_move_outs thead th")).map(e => e.textContent)`)
	assert.Equal(t, []string{"Utförare", "Utförare (id)", "Orsak", "Antal"}, heads)
	actions := eval[string](t, ctx, `document.getElementById("tab-provider_open_actions").innerText`)
	assert.Contains(t, actions, "Jour Ljuset")
	assert.Contains(t, actions, "Boendet AB")
	assert.Equal(t, 3, eval[int](t, ctx, `document.querySelectorAll("section svg.chart").length > 0 ? document.querySelectorAll("#tab-provider_open_actions tbody tr").length : 0`), "one row per registered provider, with a chart")

	// Every suppressed cell of the API's report reads "för få".
	_, rep := s.apiCall(sara, "GET", "/reports/providers?unit=vuxen&from=2026-01-01&to=2026-12-31", nil)
	suppressed := 0
	cells, _ := rep["cells"].([]any)
	require.NotEmpty(t, cells)
	for _, c := range cells {
		if m, _ := c.(map[string]any); m["suppressed"] == true {
			suppressed++
		}
	}
	require.NotZero(t, suppressed, "one placed person is too few to publish")
	tooFew := eval[int](t, ctx, `Array.from(document.querySelectorAll("tbody td")).filter(e => e.textContent === "för få").length`)
	assert.Equal(t, suppressed, tooFew)
	assert.NotContains(t, html(t, ctx), shelterAddress)

	for _, link := range []struct{ id, contentType string }{
		{"l-csv", "text/csv"},
		{"l-xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
	} {
		ct, err := chromedp.Run(ctx, chromedp.Evaluate[string](`fetch(document.getElementById("`+link.id+`").href).then(r => r.status + " " + r.headers.get("content-type"))`, chromedp.EvalAwaitPromise))
		require.NoError(t, err)
		assert.True(t, strings.HasPrefix(ct, "200 "+link.contentType), "%s: %s", link.id, ct)
		assert.Contains(t, eval[string](t, ctx, `document.getElementById("`+link.id+`").href`), "rapport=providers")
	}
}
