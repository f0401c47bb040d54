package api

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/fristad/fristad/api/auth"
	"github.com/fristad/fristad/api/policy"
	"github.com/fristad/fristad/domain"
	"github.com/fristad/fristad/eventstore"
	"github.com/fristad/fristad/projections"
	"github.com/labstack/echo/v4"
)

// tasks lists the tasks of the caller's units from the case projection:
// overdue first, then by due date. Tasks of the units' supervisors (urgent
// new violence) are listed to supervisors only. A unit the caller does not
// work in has no tasks for them.
func (s *Server) tasks(c echo.Context, p auth.Principal) error {
	// Tasks of the units' supervisors come from behind the partner-contact
	// barrier (new violence): shown to whom its flags are shown.
	q := projections.TaskQuery{Units: policy.Units(p), Today: s.today(), Supervisor: policy.PartnerContactFlags(p)}
	// The parameters' names and forms were checked by guard (route.Query,
	// tasksQuery): a bad status, kind, overdue or limit never gets here.
	q.Assignee = assigneeFilter(c, p)
	q.Unit = c.QueryParam("unit")
	q.Status = c.QueryParam("status")
	q.Kind = domain.TaskKind(c.QueryParam("kind"))
	q.Overdue = c.QueryParam("overdue") == "true"
	if v := c.QueryParam("limit"); v != "" {
		q.Limit, _ = strconv.Atoi(v)
	}
	q.Cursor = c.QueryParam("cursor")
	if !policy.UnitFilter(p, q.Unit) {
		return c.JSON(http.StatusOK, map[string]any{"items": []projections.TaskRow{}, "next_cursor": nil})
	}
	if err := s.catchUp(c); err != nil {
		return err
	}
	set, err := s.deadlines(c.Request().Context())
	if err != nil {
		return err
	}
	s.useTaskPeriods(set)
	q.Extra = append(s.protectedCaseTasks(p, q.Today), s.providerTasks(p, q.Today)...)
	rows, next, err := s.cfg.Cases.Tasks(q)
	if errors.Is(err, projections.ErrBadCursor) {
		return errBadRequest("", domain.FieldProblem{Field: "cursor", Message: "not a cursor from this list"})
	}
	if err != nil {
		return err
	}
	out := map[string]any{"items": rows, "next_cursor": nil}
	if next != "" {
		out["next_cursor"] = next
	}
	return c.JSON(http.StatusOK, out)
}

// useTaskPeriods brings the municipality's deadline settings into the
// derivation of tasks (the days to communicate a decision and to forward
// an appeal), so tasks and the dashboard's decision lists count alike.
func (s *Server) useTaskPeriods(set projections.DeadlineSettings) {
	p := domain.DefaultTaskPeriods()
	p.DecisionCommunicationDays, p.AppealForwardDays = set.DecisionCommunicationDays(), set.AppealForwardDays()
	s.cfg.Cases.UsePeriods(p)
}

// taskList is GET /tasks' answer (for the OpenAPI document).
type taskList struct {
	Items      []projections.TaskRow `json:"items"`
	NextCursor *string               `json:"next_cursor"`
}

// taskDoneBody is the body of POST /cases/{id}/tasks/{tid}/done.
type taskDoneBody struct {
	Note string `json:"note"`
}

// taskDone marks a task done. An own task (a ULID) is done by this route;
// a new_violence task by recording, on the partner side's record of the
// contact, that the report of concern was made (supervisors of the treatment case's unit
// only; the treatment case itself is not written, so its worker learns
// nothing). Every other derived task is done by the event that fulfils it.
func (s *Server) taskDone(c echo.Context, p auth.Principal) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	tid := c.Param("tid")
	if _, err := domain.ParseID(tid); err == nil {
		return caseWrite(completeTask)(s, c, p)
	}
	var body taskDoneBody
	if err := decodeBody(c, &body); err != nil {
		return err
	}
	kind, rest, _ := strings.Cut(tid, ":")
	if err := s.catchUp(c); err != nil {
		return err
	}
	cs, ok := s.cfg.Cases.Case(id)
	if !ok || !caseWorkScope(p, cs) {
		return errNotFound()
	}
	if domain.TaskKind(kind) != domain.TaskNewViolence {
		for _, t := range s.cfg.Cases.CaseTasks(id, false, s.today()) {
			if t.TaskID == tid {
				q := newProblem(http.StatusUnprocessableEntity, "rule/task-done-by-event", "The command breaks a rule",
					"this task is done when the step it asks for is recorded")
				q.Rule = "task-done-by-event"
				return q
			}
		}
		return errNotFound()
	}
	// new_violence:<partner contact>:<n>
	contactPart, _, _ := strings.Cut(rest, ":")
	contact, err := domain.ParseID(contactPart)
	if err != nil || !policy.PartnerContactFlags(p) {
		return errNotFound()
	}
	if tc, ok := s.cfg.Cases.ContactCase(contact); !ok || tc != id {
		return errNotFound()
	}
	found := false
	for _, t := range s.cfg.Cases.CaseTasks(id, true, s.today()) {
		if t.TaskID == tid {
			found = true
			if t.Status == projections.TaskDone {
				q := newProblem(http.StatusUnprocessableEntity, "rule/task-done", "The command breaks a rule", "the task is already done")
				q.Rule = "task-done"
				return q
			}
		}
	}
	if !found {
		return errNotFound()
	}
	cmd := domain.ReportConcern{Note: body.Note, ReportedOn: s.today()}
	opt, err := s.writeOptions(c, p, "concern")
	if err != nil {
		return err
	}
	// The partner side's record takes it; its response is that side's
	// version (a supervisor reads both sides).
	return s.partnerWrite(c, p, contact, cmd, opt)
}

func completeTask(x caseCtx, cmd *domain.CompleteTask) func(eventstore.Result) map[string]any {
	cmd.TaskID, cmd.Today = x.tid, x.today
	return nil
}

// providerTasks are the supervisors' provider_action and provider_follow_up
// tasks (the board's follow-up of its providers), from the providers
// projection; listed with the case tasks by GET /tasks and the dashboard.
func (s *Server) providerTasks(p auth.Principal, today domain.Date) []domain.Task {
	if !policy.ProviderFollowUpWork(p) {
		return nil
	}
	var out []domain.Task
	for _, d := range s.cfg.Providers.Due(today) {
		ref := d.ActionID
		if ref == "" {
			ref = d.FollowUpID
		}
		kind := domain.TaskKind(d.Kind)
		out = append(out, domain.Task{ID: domain.TaskID(kind, d.ProviderID, string(ref)), Kind: kind, ProviderID: d.ProviderID,
			Supervisors: true, DueOn: d.DueOn})
	}
	return out
}
