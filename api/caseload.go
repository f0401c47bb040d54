package api

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/fristad/fristad/api/auth"
	"github.com/fristad/fristad/api/policy"
	"github.com/fristad/fristad/domain"
	"github.com/fristad/fristad/projections"
	"github.com/labstack/echo/v4"
)

// caseload lists the cases of the caller's units from the projection:
// overdue first, then by next follow-up date.
func (s *Server) caseload(c echo.Context, p auth.Principal) error {
	// The parameters' forms were checked by guard (route.Query).
	q := projections.Query{Units: policy.Units(p), Today: s.today(), Supervisor: policy.PartnerContactFlags(p)}
	q.Assignee = assigneeFilter(c, p)
	q.Unit = c.QueryParam("unit")
	if !policy.UnitFilter(p, q.Unit) {
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
	for i := range rows {
		s.maskRow(p, &rows[i])
	}
	out := caseloadPage{Items: rows}
	if next != "" {
		out.NextCursor = &next
	}
	return c.JSON(http.StatusOK, out)
}

// assigneeFilter is the assignee query parameter of the caseload and the
// task list: "me" names the caller.
func assigneeFilter(c echo.Context, p auth.Principal) string {
	if a := c.QueryParam("assignee"); a != "me" {
		return a
	}
	return p.Sub
}

// maskRow removes where a protected person of the case is housed (the
// open placement's provider) for a reader who may not see it.
func (s *Server) maskRow(p auth.Principal, r *projections.Row) {
	if r.Placement == nil || s.rowShowsWhere(p, r.ID) {
		return
	}
	pl := *r.Placement
	pl.ProviderID, pl.Masked = "", []string{"provider_id"}
	r.Placement = &pl
}

// Dashboard is the overdue dashboard: what is late in the caller's units
// (the older lists of cases and of decisions, and the tasks: the same as
// GET /tasks, those overdue or urgent and due today, with the
// protected_person_new_case tasks of an entitled supervisor).
type Dashboard struct {
	projections.Overdue
	projections.DecisionsOverdue
	// Providers, for supervisors, is what is due about the providers:
	// open agreed actions (provider_action) and next follow-ups
	// (provider_follow_up), each marked overdue when its day has passed.
	// The same items are tasks of those kinds (GET /tasks, Tasks above).
	Providers []projections.ProviderDue `json:"provider_items,omitempty"`
}

// overdue is the dashboard of what is late in the caller's units.
func (s *Server) overdue(c echo.Context, p auth.Principal) error {
	if err := s.catchUp(c); err != nil {
		return err
	}
	today := s.today()
	deadlines, err := s.deadlines(c.Request().Context())
	if err != nil {
		return err
	}
	s.useTaskPeriods(deadlines)
	d := Dashboard{Overdue: s.cfg.Cases.OverdueIn(policy.Units(p), today, s.cfg.MaxRiskAge, policy.PartnerContactFlags(p)),
		DecisionsOverdue: s.cfg.Cases.DecisionsOverdueIn(policy.Units(p), today, deadlines)}
	for _, rows := range [][]projections.Row{d.FollowUps, d.RiskChecks, d.Placements} {
		for i := range rows {
			s.maskRow(p, &rows[i])
		}
	}
	extra := append(s.protectedCaseTasks(p, today), s.providerTasks(p, today)...)
	d.Tasks = s.cfg.Cases.DashboardTasks(policy.Units(p), policy.PartnerContactFlags(p), today, 500, extra...)
	if policy.ProviderFollowUpWork(p) {
		d.Providers = s.cfg.Providers.Due(today)
	}
	return c.JSON(http.StatusOK, d)
}

// protectedCaseTasks are an entitled supervisor's protected_person_new_case
// tasks: a case opened on a protected person they are entitled on, in a
// unit whose supervisors are not; each stays while that case is open, due
// the day it was opened.
func (s *Server) protectedCaseTasks(p auth.Principal, today domain.Date) []domain.Task {
	var out []domain.Task
	for _, pc := range s.cfg.Links.ProtectedCasesElsewhere(policy.Reader(p), today, s.assigneeOf) {
		due := today
		if cs, ok := s.cfg.Cases.Case(pc.CaseID); ok && !cs.OpenedAt.IsZero() {
			due = domain.DateIn(cs.OpenedAt, stockholm)
		}
		out = append(out, domain.Task{ID: domain.TaskID(domain.TaskProtectedPersonNewCase, pc.CaseID, string(pc.PersonID)),
			Kind: domain.TaskProtectedPersonNewCase, CaseID: pc.CaseID, PersonID: pc.PersonID, Unit: pc.Unit,
			Assignee: p.Sub, Urgent: true, DueOn: due})
	}
	return out
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
