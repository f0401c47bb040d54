package console

import (
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/fristad/fristad/projections/reports"
)

// reportKinds are the reports the console shows (REPORTS.md), by the
// API's path.
var reportKinds = []option{
	{Value: "mapping", Label: "Kartläggning"},
	{Value: "follow-up", Label: "Systematisk uppföljning"},
	{Value: "indicators", Label: "Indikatorer (nationell enkät)"},
	{Value: "providers", Label: "Utförare (skyddade boenden)"},
}

// reportTable is one table of a report: its rows and a bar chart.
type reportTable struct {
	ID    string
	Name  string   // Swedish
	Dims  []string // codes
	Heads []string // Swedish
	Rows  []reportRow
	Chart template.HTML
}

type reportRow struct {
	Dims       []string
	Value      string
	Suppressed bool
}

// reportQuery is the API query of the form's report (only the parameters
// the API takes).
func reportQuery(in url.Values, kind string) url.Values {
	q := url.Values{}
	keys := []string{"unit", "from", "to"}
	if kind == "indicators" {
		keys = []string{"unit", "year"}
	}
	for _, k := range keys {
		if v := strings.TrimSpace(in.Get(k)); v != "" {
			q.Set(k, v)
		}
	}
	return q
}

func validKind(k string) bool {
	return slices.ContainsFunc(reportKinds, func(o option) bool { return o.Value == k })
}

// reportsPage: a report as tables with bar charts drawn on the server;
// suppressed cells (fewer than min_cell) show as "för få".
func (c *Console) reportsPage(w http.ResponseWriter, r *http.Request, s *session) {
	in := r.URL.Query()
	kind := in.Get("rapport")
	data := map[string]any{"Kinds": reportKinds, "Units": s.principal.Units, "Form": in}
	p := page{Title: "Rapporter", Nav: "rapporter", Data: data}
	if kind == "" {
		c.render(w, r, s, http.StatusOK, "reports", p)
		return
	}
	if !validKind(kind) {
		c.notFound(w, r)
		return
	}
	q := reportQuery(in, kind)
	res := c.call(r, s, http.MethodGet, "/reports/"+kind, q, nil, nil)
	if !res.ok() {
		if res.status == http.StatusBadRequest || res.status == http.StatusForbidden {
			pr := res.problem()
			p.Problem, p.Errors = swedishDetail(pr), swedishErrors(pr)
			if res.status == http.StatusForbidden {
				p.Problem = "Du kan bara ta ut rapporter för dina egna enheter: välj en enhet."
			}
			c.render(w, r, s, res.status, "reports", p)
			return
		}
		c.apiError(w, r, s, res)
		return
	}
	var rep struct {
		Meta  map[string]any `json:"meta"`
		Cells []struct {
			Table      string            `json:"table"`
			Dims       map[string]string `json:"dims"`
			Value      *int              `json:"value"`
			Suppressed bool              `json:"suppressed"`
		} `json:"cells"`
	}
	if err := jsonUnmarshal(res.body, &rep); err != nil {
		c.apiError(w, r, s, apiResult{status: http.StatusBadGateway})
		return
	}
	var tables []*reportTable
	byID := map[string]*reportTable{}
	for _, cell := range rep.Cells {
		t := byID[cell.Table]
		if t == nil {
			t = &reportTable{ID: cell.Table}
			for k := range cell.Dims {
				t.Dims = append(t.Dims, k)
			}
			slices.Sort(t.Dims)
			t.Name = reports.TableLabel(t.ID)
			for _, d := range t.Dims {
				t.Heads = append(t.Heads, reports.DimLabel(d))
			}
			byID[cell.Table] = t
			tables = append(tables, t)
		}
		row := reportRow{Suppressed: cell.Suppressed || cell.Value == nil}
		for _, d := range t.Dims {
			row.Dims = append(row.Dims, dimLabel(d, cell.Dims[d]))
		}
		if !row.Suppressed {
			row.Value = fmt.Sprint(*cell.Value)
		}
		t.Rows = append(t.Rows, row)
	}
	for _, t := range tables {
		t.Chart = barChart(t)
	}
	data["Meta"], data["Tables"], data["Kind"] = rep.Meta, tables, kind
	data["CSV"] = Prefix + "rapporter/hamta?" + withFormat(in, "csv")
	data["XLSX"] = Prefix + "rapporter/hamta?" + withFormat(in, "xlsx")
	c.render(w, r, s, http.StatusOK, "reports", p)
}

func withFormat(in url.Values, format string) string {
	q := reportQuery(in, in.Get("rapport"))
	q.Set("rapport", in.Get("rapport"))
	q.Set("format", format)
	return q.Encode()
}

// reportDownload passes the API's CSV or XLSX through.
func (c *Console) reportDownload(w http.ResponseWriter, r *http.Request, s *session) {
	in := r.URL.Query()
	kind, format := in.Get("rapport"), in.Get("format")
	if !validKind(kind) || (format != "csv" && format != "xlsx") {
		c.notFound(w, r)
		return
	}
	q := reportQuery(in, kind)
	q.Set("format", format)
	res := c.call(r, s, http.MethodGet, "/reports/"+kind, q, nil, nil)
	if !res.ok() {
		c.apiError(w, r, s, res)
		return
	}
	w.Header().Set("Content-Type", res.header.Get("Content-Type"))
	w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", "fristad-"+kind+"."+format))
	_, _ = w.Write(res.body)
}

// dimLabel is the Swedish label the report's own downloads use.
func dimLabel(dim, code string) string { return reports.ValueLabel(dim, code) }

// barChart draws a table's values as horizontal bars (SVG, no script, no
// style attribute: the CSP allows neither inline). Suppressed cells get
// no bar and the text "för få".
func barChart(t *reportTable) template.HTML {
	const rowH, labelW, barW, maxRows = 22, 260, 360, 40
	rows := t.Rows
	if len(rows) > maxRows {
		rows = rows[:maxRows]
	}
	maxV := 0
	for _, r := range rows {
		var v int
		if !r.Suppressed {
			_, _ = fmt.Sscan(r.Value, &v)
		}
		maxV = max(maxV, v)
	}
	var b strings.Builder
	h := rowH*len(rows) + 4
	fmt.Fprintf(&b, `<svg class="chart" role="img" aria-label="Stapeldiagram: %s" width="%d" height="%d" viewBox="0 0 %d %d" xmlns="http://www.w3.org/2000/svg">`,
		template.HTMLEscapeString(t.Name), labelW+barW+60, h, labelW+barW+60, h)
	for i, r := range rows {
		y := i*rowH + 2
		name := strings.Join(r.Dims, ", ")
		if name == "" {
			name = "Totalt"
		}
		fmt.Fprintf(&b, `<text x="0" y="%d">%s</text>`, y+15, template.HTMLEscapeString(truncate(name, 40)))
		if r.Suppressed {
			fmt.Fprintf(&b, `<text x="%d" y="%d">för få</text>`, labelW, y+15)
			continue
		}
		var v int
		_, _ = fmt.Sscan(r.Value, &v)
		w := 0
		if maxV > 0 {
			w = v * barW / maxV
		}
		fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%d" height="%d"></rect><text x="%d" y="%d">%d</text>`, labelW, y+3, w, rowH-6, labelW+w+4, y+15, v)
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String()) // #nosec G203 -- built here from escaped labels and numbers
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
