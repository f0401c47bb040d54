package console_test

import (
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
