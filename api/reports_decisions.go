package api

import (
	"bytes"
	"errors"
	"net/http"
	"time"

	"github.com/fristad/fristad/api/auth"
	"github.com/fristad/fristad/domain"
	"github.com/fristad/fristad/projections/reports"
	"github.com/labstack/echo/v4"
)

// notCarriedOut serves GET /reports/not-carried-out: the quarter's granted
// decisions not carried out within three months, one row each, without
// the person's identity. A supervisor reports on their own unit.
func (s *Server) notCarriedOut(c echo.Context, p auth.Principal) error {
	var problems []domain.FieldProblem
	for name := range c.QueryParams() {
		switch name {
		case "quarter", "unit", "format", "as_of", "copy":
		default:
			problems = append(problems, domain.FieldProblem{Field: name, Message: "unknown parameter"})
		}
	}
	var asOf time.Time
	if v := c.QueryParam("as_of"); v != "" {
		t, err := time.Parse(time.RFC3339, v)
		if err != nil {
			problems = append(problems, domain.FieldProblem{Field: "as_of", Message: "must be an RFC 3339 instant"})
		}
		asOf = t.UTC()
	}
	format := c.QueryParam("format")
	switch format {
	case "":
		format = "json"
	case "json", "csv":
	default:
		problems = append(problems, domain.FieldProblem{Field: "format", Message: "must be json or csv"})
	}
	if _, _, err := reports.Quarter(c.QueryParam("quarter")); err != nil {
		problems = append(problems, domain.FieldProblem{Field: "quarter", Message: "must be a quarter like 2026Q3"})
	}
	board := false
	switch c.QueryParam("copy") {
	case "", "ivo":
	case "board":
		board = true
	default:
		problems = append(problems, domain.FieldProblem{Field: "copy", Message: "must be ivo or board"})
	}
	if len(problems) > 0 {
		return errBadRequest("some query parameters are not valid", problems...)
	}
	// The board's own copy names each decision's case; it is for the
	// unit's supervisors, never a statistician (who reaches no record).
	if board && !p.Has(auth.RoleSupervisor) {
		return newProblem(http.StatusForbidden, "forbidden", "Not allowed", "the board's copy is for supervisors")
	}
	unit := c.QueryParam("unit")
	if !p.Has(auth.RoleStatistician) && !p.InUnit(unit) {
		return newProblem(http.StatusForbidden, "forbidden", "Not allowed", "supervisors report on one of their own units: set unit")
	}
	r, err := reports.RunNotCarriedOut(c.Request().Context(), s.store, c.QueryParam("quarter"), unit, asOf, s.now().UTC().Truncate(time.Second), board)
	var pe *reports.ParamError
	if errors.As(err, &pe) {
		return errBadRequest(pe.Message, domain.FieldProblem{Field: queryName(pe.Param), Message: pe.Message})
	}
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if format == "csv" {
		if err := reports.WriteNotCarriedCSV(&buf, r); err != nil {
			return err
		}
		c.Response().Header().Set("Content-Disposition", `attachment; filename="fristad-not-carried-out-`+r.Meta.Quarter+`.csv"`)
		return c.Blob(http.StatusOK, "text/csv; charset=utf-8", buf.Bytes())
	}
	if err := reports.WriteNotCarriedJSON(&buf, r); err != nil {
		return err
	}
	return c.Blob(http.StatusOK, "application/json", buf.Bytes())
}
