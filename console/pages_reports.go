package console

import "net/http"

// reportsPage: the reports (mapping, follow-up, indicators) as tables.
func (c *Console) reportsPage(w http.ResponseWriter, r *http.Request, s *session) {
	c.render(w, r, s, http.StatusOK, "message", page{Title: "Rapporter", Nav: "rapporter", Data: map[string]any{
		"Text": "Rapporterna visas ännu inte i konsolen; hämta dem från API:t (/api/v1/reports)."}})
}
