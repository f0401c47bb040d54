package domain

import (
	"fmt"
	"slices"
)

func isCaseCommand(cmd Command) bool {
	switch cmd.(type) {
	case OpenCase, AssessPreliminary, DocumentViolence, AssessRisk, PlanSafety, AddChild,
		MakeDecision, IssueAssignment, StartPlacement, ArrangeSchooling, RecordImplementationPlan,
		ExtendPlacement, MoveOut, FollowUp, AddNote, Correct, Reassign, CloseCase, ReopenCase,
		RaiseFlag, ResolveFlag, ProposeDecision, DecideProposal, CommunicateDecision, ReceiveAppeal,
		DismissAppeal, ReconsiderAppeal, ForwardAppeal, RecordRuling, CarryOut, RecordDelay, ReportBack:
		return true
	}
	return isChildrenCommand(cmd)
}

func decideCase(reg *Registry, s Case, cmd Command) ([]Event, error) {
	cmd = deref(cmd)
	if !isCaseCommand(cmd) {
		return nil, fmt.Errorf("case: %w %T", ErrUnknownCommand, cmd)
	}
	if err := validate(cmd); err != nil {
		return nil, err
	}
	if c, creates := cmd.(OpenCase); creates {
		if s.Exists {
			return nil, ruleErr("already-exists", "case %s already exists", s.ID)
		}
		return []Event{{Facts: c.facts(), Personal: DescriptionText{c.Description}, SealWith: PersonKey(c.SubjectID())}}, nil
	}
	if !s.Exists {
		return nil, ruleErr("not-found", "no case %s", s.ID)
	}
	switch c := cmd.(type) {
	case Correct, ReopenCase:
	case CommunicateDecision, ReceiveAppeal, DismissAppeal, ForwardAppeal, RecordRuling:
		// A decision's communication and its appeal outlive the case: a
		// denial often closes it, and the appeal comes weeks later (ADR 0500).
	case ReconsiderAppeal:
		if s.Status == StatusClosed && c.Changed {
			return nil, ruleErr("case-closed", "a changed decision is a new decision: reopen the case first")
		}
	default:
		if s.Status == StatusClosed {
			return nil, ruleErr("case-closed", "the case was closed on %s; reopen it first", s.ClosedOn)
		}
	}
	// seal wraps one event whose personal data belongs to the case's subject.
	seal := func(f Facts, personal any) []Event {
		return []Event{s.event(f, personal)}
	}

	switch c := cmd.(type) {
	case AssessPreliminary:
		if s.Preliminary != "" {
			return nil, ruleErr("preliminary-assessment-done", "the case was preliminarily assessed on %s", s.PreliminaryOn)
		}
		evs := seal(PreliminaryAssessed{Decision: c.Decision, AssessedOn: c.AssessedOn}, ReasonText{c.Reason})
		if c.Decision == PrelimOpenInvestigation {
			evs = append(evs, s.event(InvestigationOpened{OpenedOn: c.AssessedOn}, nil))
		}
		return evs, nil

	case DocumentViolence:
		return seal(c.facts(), DescriptionText{c.Description}), nil

	case AssessRisk:
		if err := s.aboutChild(c.ChildID); err != nil {
			return nil, err
		}
		return seal(c.facts(), SummaryText{c.Summary}), nil

	case PlanSafety:
		if err := s.aboutChild(c.ChildID); err != nil {
			return nil, err
		}
		return seal(c.facts(), PlanText{c.Plan}), nil

	case AddChild:
		id := c.ChildID()
		if id == s.PersonID {
			return nil, ruleErr("child-is-subject", "the case is about this person already")
		}
		if _, ok := s.Child(id); ok {
			return nil, ruleErr("child-already-added", "the child is already in the case")
		}
		return seal(ChildAdded{ChildID: id, Relation: c.Relation}, nil), nil

	case AddNote:
		if slices.Contains(s.Notes, c.NoteID) {
			return nil, ruleErr("note-exists", "note %s already exists", c.NoteID)
		}
		return seal(NoteAdded{NoteID: c.NoteID}, Text{c.Text}), nil

	case Reassign:
		if !c.By.Supervisor() {
			if c.By.Sub == "" || c.By.Sub != s.Assignee {
				return nil, &NotEntitledError{Detail: "only a supervisor may take someone else's case"}
			}
			if c.Protected {
				return nil, &NotEntitledError{Detail: "only a supervisor may reassign the case of a person with protected personal data"}
			}
		}
		return seal(Reassigned{Assignee: c.Assignee, Unit: c.Unit}, nil), nil

	case CloseCase:
		if p, open := s.OpenPlacement(); open {
			return nil, ruleErr("open-placement", "placement %s has no move-out yet", p.PlacementID)
		}
		return seal(CaseClosed{ClosedOn: c.ClosedOn, GoalAttainment: c.GoalAttainment}, ReasonText{c.Reason}), nil

	case ReopenCase:
		if s.Status != StatusClosed {
			return nil, ruleErr("case-not-closed", "only a closed case can be reopened")
		}
		return seal(CaseReopened{ReopenedOn: c.ReopenedOn}, ReasonText{c.Reason}), nil

	case RaiseFlag:
		if _, ok := s.Flag(c.FlagID); ok {
			return nil, ruleErr("flag-exists", "flag %s already exists", c.FlagID)
		}
		return seal(FlagRaised{FlagID: c.FlagID}, FlagMessage{c.Message}), nil

	case ResolveFlag:
		if f, ok := s.Flag(c.FlagID); !ok || !f.Open {
			return nil, ruleErr("flag-not-open", "flag %s is not open", c.FlagID)
		}
		return seal(FlagResolved{FlagID: c.FlagID}, FlagNote{c.Note}), nil

	case Correct:
		return decideCorrection(reg, s, c)
	}
	if isChildrenCommand(cmd) {
		return decideChildren(s, cmd)
	}
	return decideSupport(s, cmd)
}

// decideSupport handles decisions, assignments, placements and follow-up.
func decideSupport(s Case, cmd Command) ([]Event, error) {
	switch c := cmd.(type) {
	case MakeDecision:
		return s.decideDecision(c)

	case IssueAssignment:
		if d, ok := s.Decision(c.DecisionID); !ok || !d.Outcome.Granted() {
			return nil, ruleErr("assignment-requires-granted-decision", "decision %s is not a granted support of this case", c.DecisionID)
		}
		if slices.Contains(assignmentIDs(s), c.AssignmentID) {
			return nil, ruleErr("assignment-exists", "assignment %s already exists", c.AssignmentID)
		}
		f := AssignmentIssued{AssignmentID: c.AssignmentID, DecisionID: c.DecisionID, ProviderID: c.ProviderID}
		return []Event{s.event(f, c.contents())}, nil

	case StartPlacement:
		if err := s.canPlace(c); err != nil {
			return nil, err
		}
		return []Event{s.event(c.facts(), nil)}, nil

	case ArrangeSchooling:
		p, err := s.openPlacement(c.PlacementID)
		if err != nil {
			return nil, err
		}
		if !slices.Contains(p.ChildIDs, c.ChildID) {
			return nil, ruleErr("child-not-placed", "the child did not move in with placement %s", c.PlacementID)
		}
		return []Event{s.event(c.facts(), nil)}, nil

	case RecordImplementationPlan:
		if _, err := s.openPlacement(c.PlacementID); err != nil {
			return nil, err
		}
		f := ImplementationPlanRecorded{
			PlacementID: c.PlacementID, ActivityCount: len(c.Activities), FollowUpOn: c.FollowUpOn, Participated: c.Participated,
		}
		return []Event{s.event(f, ImplementationPlan{Activities: c.Activities})}, nil

	case ExtendPlacement:
		p, err := s.openPlacement(c.PlacementID)
		if err != nil {
			return nil, err
		}
		end := p.Until
		if end.IsZero() {
			end = p.MovedInOn
		}
		if !c.Until.After(end) {
			return nil, ruleErr("extension-not-after-end", "the placement already runs until %s", end)
		}
		return []Event{s.event(PlacementExtended{PlacementID: c.PlacementID, Until: c.Until}, nil)}, nil

	case MoveOut:
		p, err := s.openPlacement(c.PlacementID)
		if err != nil {
			return nil, err
		}
		if c.MovedOutOn.Before(p.MovedInOn) {
			return nil, ruleErr("move-out-before-move-in", "the move-in was on %s", p.MovedInOn)
		}
		return []Event{s.event(c.facts(), nil)}, nil

	case ReportBack:
		if !slices.Contains(assignmentIDs(s), c.AssignmentID) {
			return nil, ruleErr("assignment-not-found", "no such assignment in the case")
		}
		if r, done := s.ReportedBack(c.AssignmentID); done {
			return nil, ruleErr("assignment-ended", "the assignment was reported back on %s", r.ReportedOn)
		}
		return []Event{s.event(c.facts(), SummaryText{c.Summary})}, nil

	case FollowUp:
		d, ok := s.Decision(c.DecisionID)
		if !ok || !d.Outcome.Granted() {
			return nil, ruleErr("follow-up-requires-granted-decision", "decision %s is not a granted support of this case", c.DecisionID)
		}
		if len(c.GoalOutcomes) != d.GoalCount {
			return nil, ruleErr("goal-count-mismatch", "the decision has %d goals, the follow-up %d outcomes", d.GoalCount, len(c.GoalOutcomes))
		}
		return []Event{s.event(c.facts(), c.texts())}, nil
	}
	return decideDecisionSteps(s, cmd)
}

// event builds a case event; personal data is sealed with the subject's key.
func (s Case) event(f Facts, personal any) Event {
	if personal == nil {
		return Event{Facts: f}
	}
	return Event{Facts: f, Personal: personal, SealWith: PersonKey(s.PersonID)}
}

// aboutChild refuses a child id the case does not know; no id means the
// record is about the case's own person.
func (s Case) aboutChild(id ID) error {
	if id == "" {
		return nil
	}
	return s.needChild(id)
}

func (s Case) needChild(id ID) error {
	if _, ok := s.Child(id); !ok {
		return ruleErr("child-not-in-case", "child %s is not recorded in the case", id)
	}
	return nil
}

func (s Case) openPlacement(id ID) (Placement, error) {
	p, ok := s.Placement(id)
	if !ok || !p.Open() {
		return Placement{}, ruleErr("placement-not-open", "no open placement %s in the case", id)
	}
	return p, nil
}

// canPlace checks a move-in to protected housing: a granted housing decision
// for the case's subject and, since 2024-04-01, each accompanying child's own
// granted housing decision.
func (s Case) canPlace(c StartPlacement) error {
	if _, ok := s.Placement(c.PlacementID); ok {
		return ruleErr("placement-exists", "placement %s already exists", c.PlacementID)
	}
	d, ok := s.Decision(c.DecisionID)
	if !ok || !grantsHousing(d) || d.ChildID != "" {
		return ruleErr("placement-requires-granted-housing",
			"decision %s is not a granted protected-housing decision for the person the case is about", c.DecisionID)
	}
	if p, open := s.OpenPlacement(); open {
		return ruleErr("placement-already-open", "placement %s has no move-out yet", p.PlacementID)
	}
	if c.At == nil || !c.At.Exists || c.At.ID != c.ProviderID {
		return ruleErr("provider-not-registered", "the provider is not in the registry of providers")
	}
	if !c.At.PermitValidOn(c.MovedInOn) {
		return ruleErr("provider-permit-not-valid", "the provider has no valid permit for protected housing on the move-in date")
	}
	for _, child := range c.ChildIDs {
		if err := s.needChild(child); err != nil {
			return err
		}
		own := slices.ContainsFunc(s.Decisions, func(d Decision) bool { return d.ChildID == child && grantsHousing(d) })
		if !own {
			return ruleErr("child-placement-requires-own-decision",
				"child %s needs a granted protected-housing decision of its own", child)
		}
	}
	return nil
}

func grantsHousing(d Decision) bool {
	return d.SupportType == SupportProtectedHousing && d.Outcome.Granted()
}

func assignmentIDs(s Case) []ID {
	out := make([]ID, len(s.Assignments))
	for i, a := range s.Assignments {
		out[i] = a.AssignmentID
	}
	return out
}
