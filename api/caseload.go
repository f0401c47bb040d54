package api

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/fristad/fristad/api/auth"
	"github.com/fristad/fristad/domain"
	"github.com/fristad/fristad/projections"
	"github.com/labstack/echo/v4"
)

// caseload lists the cases of the caller's units from the projection:
// overdue first, then by next follow-up date.
func (s *Server) caseload(c echo.Context, p auth.Principal) error {
	// The parameters' forms were checked by guard (route.Query).
	q := projections.Query{Units: p.Units, Today: s.today(), Supervisor: p.Has(auth.RoleSupervisor)}
	switch a := c.QueryParam("assignee"); a {
	case "":
	case "me":
		q.Assignee = p.Sub
	default:
		q.Assignee = a
	}
	q.Unit = c.QueryParam("unit")
	if q.Unit != "" && !p.InUnit(q.Unit) {
		// Another unit's caseload does not exist for this caller.
		return c.JSON(http.StatusOK, caseloadPage{Items: []projections.Row{}})
	}
	q.Status = domain.CaseStatus(c.QueryParam("status"))
	q.Risk = domain.RiskLevel(c.QueryParam("risk"))
	q.Overdue = c.QueryParam("overdue") == "true"
	if v := c.QueryParam("limit"); v != "" {
		q.Limit, _ = strconv.Atoi(v)
	}
	q.Cursor = c.QueryParam("cursor")
	if err := s.catchUp(c); err != nil {
		return err
	}
	rows, next, err := s.cfg.Cases.Caseload(q)
	if errors.Is(err, projections.ErrBadCursor) {
		return errBadRequest("", domain.FieldProblem{Field: "cursor", Message: "not a cursor from this list"})
	}
	if err != nil {
		return err
	}
	if rows == nil {
		rows = []projections.Row{}
	}
	out := caseloadPage{Items: rows}
	if next != "" {
		out.NextCursor = &next
	}
	return c.JSON(http.StatusOK, out)
}

// overdue is the dashboard of what is late in the caller's units.
func (s *Server) overdue(c echo.Context, p auth.Principal) error {
	if err := s.catchUp(c); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, s.cfg.Cases.OverdueIn(p.Units, s.today(), s.cfg.MaxRiskAge, p.Has(auth.RoleSupervisor)))
}

// projectionStatus tells operators where the projections stand; the
// digest lets them compare instances or a rebuild (fristad replay).
func (s *Server) projectionStatus(c echo.Context, p auth.Principal) error {
	// Report the state as of everything in the stream now, whoever wrote it.
	if err := s.cfg.Runner.CatchUp(c.Request().Context(), 10*time.Second); err != nil {
		c.Response().Header().Set("Retry-After", "1")
		return errUnavailable("the projections are catching up")
	}
	st, err := s.cfg.Runner.Status(c.QueryParam("digest") == "true")
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, st)
}
