package api

import (
	"context"
	"errors"
	"net/http"

	"github.com/fristad/fristad/api/auth"
	"github.com/fristad/fristad/api/policy"
	"github.com/fristad/fristad/domain"
	"github.com/fristad/fristad/eventstore"
	"github.com/labstack/echo/v4"
)

// caseCtx is what a case command's preparation may use.
type caseCtx struct {
	s     *Server
	p     auth.Principal
	cs    domain.Case
	pid   domain.ID // placement id from the route, if any
	fid   domain.ID // flag id from the route, if any
	cid   domain.ID // child id from the route, if any
	tid   domain.ID // task id from the route, if any
	today domain.Date
	ctx   context.Context
}

// caseOp fills the server-set fields of a command and names the extra
// response fields; it returns the response's status when it differs
// from the route's.
type caseOp[C domain.Command] func(x caseCtx, cmd *C) func(eventstore.Result) map[string]any

// caseWrite is the handler of every plain case write: decode strictly,
// load the case, check scope (404 outside it), prepare, execute.
func caseWrite[C domain.Command](op caseOp[C]) func(*Server, echo.Context, auth.Principal) error {
	return func(s *Server, c echo.Context, p auth.Principal) error {
		id, err := pathID(c, "id")
		if err != nil {
			return err
		}
		var pid domain.ID
		if c.Param("pid") != "" {
			if pid, err = pathID(c, "pid"); err != nil {
				return err
			}
		}
		var fid domain.ID
		if c.Param("fid") != "" {
			if fid, err = pathID(c, "fid"); err != nil {
				return err
			}
		}
		var cid, tid domain.ID
		if c.Param("cid") != "" {
			if cid, err = pathID(c, "cid"); err != nil {
				return err
			}
		}
		if c.Param("tid") != "" {
			if tid, err = pathID(c, "tid"); err != nil {
				return err
			}
		}
		var cmd C
		if err := decodeBody(c, &cmd); err != nil {
			return err
		}
		cs, err := s.loadCase(c, id)
		if err != nil {
			return err
		}
		if !mayWriteCase(p, cs, pid) {
			return errNotFound()
		}
		extra := op(caseCtx{s: s, p: p, cs: cs, pid: pid, fid: fid, cid: cid, tid: tid, today: s.today(), ctx: c.Request().Context()}, &cmd)
		return s.writeAndRespond(c, p, domain.KindCase, id, cmd, extra)
	}
}

// loadCase reads a case; a missing case is 404.
func (s *Server) loadCase(c echo.Context, id domain.ID) (domain.Case, error) {
	h, err := s.store.Load(c.Request().Context(), domain.KindCase, id)
	if err != nil {
		return domain.Case{}, err
	}
	if !h.Exists() {
		return domain.Case{}, errNotFound()
	}
	return eventstore.State(s.cases, h), nil
}

// --- the plain case commands ------------------------------------------------

// reported names, in the response, the id carried by the event F the
// command wrote (on a retry: the first write's id, not a fresh one).
func reported[F domain.Facts](field string, id func(F) domain.ID) func(eventstore.Result) map[string]any {
	return func(res eventstore.Result) map[string]any {
		f, _ := factsOf[F](res)
		return map[string]any{field: id(f)}
	}
}

func assessPreliminary(x caseCtx, cmd *domain.AssessPreliminary) func(eventstore.Result) map[string]any {
	cmd.AssessedOn = x.today
	return deadlineMet(x.cs.ChildDeadlines(), x.cs.PreliminaryAssessmentDue(), x.today)
}

func documentViolence(caseCtx, *domain.DocumentViolence) func(eventstore.Result) map[string]any {
	return nil
}
func assessRisk(caseCtx, *domain.AssessRisk) func(eventstore.Result) map[string]any { return nil }
func planSafety(caseCtx, *domain.PlanSafety) func(eventstore.Result) map[string]any { return nil }
func followUp(caseCtx, *domain.FollowUp) func(eventstore.Result) map[string]any     { return nil }
func correct(caseCtx, *domain.Correct) func(eventstore.Result) map[string]any       { return nil }

func issueAssignment(_ caseCtx, cmd *domain.IssueAssignment) func(eventstore.Result) map[string]any {
	cmd.AssignmentID = domain.NewID()
	return reported("assignment_id", func(f domain.AssignmentIssued) domain.ID { return f.AssignmentID })
}

func startPlacement(x caseCtx, cmd *domain.StartPlacement) func(eventstore.Result) map[string]any {
	cmd.PlacementID = domain.NewID()
	if at, ok := x.s.cfg.Providers.Provider(cmd.ProviderID); ok {
		cmd.At = &at // the decider checks registration and permit
	}
	return reported("placement_id", func(f domain.PlacementStarted) domain.ID { return f.PlacementID })
}

func arrangeSchooling(x caseCtx, cmd *domain.ArrangeSchooling) func(eventstore.Result) map[string]any {
	cmd.PlacementID = x.pid
	return nil
}

func recordPlan(x caseCtx, cmd *domain.RecordImplementationPlan) func(eventstore.Result) map[string]any {
	cmd.PlacementID = x.pid
	return nil
}

func extendPlacement(x caseCtx, cmd *domain.ExtendPlacement) func(eventstore.Result) map[string]any {
	cmd.PlacementID = x.pid
	return nil
}

func moveOut(x caseCtx, cmd *domain.MoveOut) func(eventstore.Result) map[string]any {
	cmd.PlacementID = x.pid
	return nil
}

func addNote(_ caseCtx, cmd *domain.AddNote) func(eventstore.Result) map[string]any {
	cmd.NoteID = domain.NewID()
	return reported("note_id", func(f domain.NoteAdded) domain.ID { return f.NoteID })
}

func raiseFlag(_ caseCtx, cmd *domain.RaiseFlag) func(eventstore.Result) map[string]any {
	cmd.FlagID = domain.NewID()
	return reported("flag_id", func(f domain.FlagRaised) domain.ID { return f.FlagID })
}

func resolveFlag(x caseCtx, cmd *domain.ResolveFlag) func(eventstore.Result) map[string]any {
	cmd.FlagID = x.fid
	return nil
}

func closeCase(x caseCtx, cmd *domain.CloseCase) func(eventstore.Result) map[string]any {
	cmd.ClosedOn = x.today
	return nil
}

func reopenCase(x caseCtx, cmd *domain.ReopenCase) func(eventstore.Result) map[string]any {
	cmd.ReopenedOn = x.today
	return nil
}

// --- intake, children and protection: commands on two aggregates ------------

// openCase handles intake. A new subject's personal file is registered
// first (its number added to the blind index before that), then the case.
// With an Idempotency-Key both steps are idempotent on their own.
func (s *Server) openCase(c echo.Context, p auth.Principal) error {
	var cmd domain.OpenCase
	if err := decodeBody(c, &cmd); err != nil {
		return err
	}
	// The new subject's id is set before validation and replaced by the
	// registration's own (the first one, on a retry).
	cmd.Assignee, cmd.Today, cmd.NewPersonID = p.Sub, s.today(), domain.NewID()
	if err := cmd.Validate(); err != nil {
		return err
	}
	if !policy.OpenCase(p, cmd.Unit) {
		return newProblem(http.StatusForbidden, "forbidden", "Not allowed", "you do not work in that unit")
	}
	if err := s.checkUnit(c.Request().Context(), cmd); err != nil {
		return err
	}
	if reg, ok := cmd.RegisterSubject(); ok {
		res, err := s.registerPerson(c, p, reg, "subject")
		if err != nil {
			return err
		}
		cmd.NewPersonID = res.ID
	} else if err := s.needPerson(c, p, cmd.PersonID); err != nil {
		return err
	}
	opt, err := s.writeOptions(c, p, "case")
	if err != nil {
		return err
	}
	res, err := s.execute(c, domain.KindCase, domain.NewID(), cmd, opt)
	if err != nil {
		return err
	}
	f, _ := factsOf[domain.CaseOpened](res)
	c.Response().Header().Set(echo.HeaderLocation, "/api/v1/cases/"+string(res.ID))
	extra := map[string]any{"person_id": f.PersonID}
	if d := reportDeadlines(f); d != nil {
		extra["deadlines"] = d
	}
	return respond(c, http.StatusCreated, res, extra)
}

// addChild records a child in a case, registering the child's personal
// file first when the child is new.
func (s *Server) addChild(c echo.Context, p auth.Principal) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var cmd domain.AddChild
	if err := decodeBody(c, &cmd); err != nil {
		return err
	}
	cmd.Today, cmd.NewPersonID = s.today(), domain.NewID()
	if err := cmd.Validate(); err != nil {
		return err
	}
	cs, err := s.loadCase(c, id)
	if err != nil {
		return err
	}
	if !mayWriteCase(p, cs, "") {
		return errNotFound()
	}
	if reg, ok := cmd.RegisterChild(); ok {
		// A personal number of someone already in the case is refused
		// before the link to their file is written.
		if existing, found, err := s.existingPerson(c, reg.PersonalNumber, reg.Today); err != nil {
			return err
		} else if found {
			probe := cmd
			probe.PersonID, probe.Sex, probe.BirthYear, probe.Name, probe.PersonalNumber = existing, "", 0, "", ""
			if _, err := s.cases.Decide(cs, probe); err != nil {
				return err
			}
		}
		res, err := s.registerPerson(c, p, reg, "child")
		if err != nil {
			return err
		}
		cmd.NewPersonID = res.ID
	} else if err := s.needPerson(c, p, cmd.PersonID); err != nil {
		return err
	}
	res, err := s.write(c, p, "case", domain.KindCase, id, cmd)
	if err != nil {
		return err
	}
	f, _ := factsOf[domain.ChildAdded](res)
	return respond(c, http.StatusCreated, res, map[string]any{"child_id": f.ChildID})
}

// protectIdentity sets the protection level of the case's subject
// (POST /cases/{id}/protected-identity): the same rules as on the person,
// with the case naming whom a first protection entitles.
func (s *Server) protectIdentity(c echo.Context, p auth.Principal) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var cmd domain.ChangeProtection
	if err := decodeBody(c, &cmd); err != nil {
		return err
	}
	cs, err := s.loadCase(c, id)
	if err != nil {
		return err
	}
	if !caseWorkScope(p, cs) {
		return errNotFound()
	}
	cmd.CaseID, cmd.Assignee, cmd.Unit = id, cs.Assignee, cs.Unit
	return s.changeProtection(c, p, cs.PersonID, cmd)
}

// needPerson refuses a reference by id to a person the caller does not
// reach, or who has no live personal file: 404 alike, so a reference
// never tells whether a file exists.
func (s *Server) needPerson(c echo.Context, p auth.Principal, id domain.ID) error {
	if err := s.catchUp(c); err != nil {
		return err
	}
	if !s.reaches(p, id) {
		return errNotFound()
	}
	h, err := s.store.Load(c.Request().Context(), domain.KindPerson, id)
	var invalid *eventstore.InvalidError
	if errors.As(err, &invalid) {
		return errNotFound()
	}
	if err != nil {
		return err
	}
	st := eventstore.State(s.persons, h)
	if !st.Exists || st.Culled {
		return errNotFound()
	}
	return nil
}
