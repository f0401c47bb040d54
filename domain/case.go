package domain

import (
	"slices"
	"time"
)

// Case is the state of one case (ärende), from facts only. Projections and
// the API read it; the decider checks invariants against it.
type Case struct {
	ID       ID
	Version  uint64
	Exists   bool
	Status   CaseStatus
	PersonID ID // whom the case is about; their key seals its personal data

	Unit         string
	Assignee     string
	TargetGroup  TargetGroup
	Source       IntakeSource
	ReceivedOn   Date
	SpecialNeeds []SpecialNeed

	Preliminary           PreliminaryDecision // "" until assessed
	PreliminaryOn         Date
	InvestigationOpenedOn Date

	Violence        []ViolenceDocumented
	RiskAssessments []RiskAssessed
	SafetyPlans     []SafetyPlanned
	Children        []Child
	Decisions       []Decision
	Proposals       []Proposal
	Appeals         []Appeal
	Assignments     []AssignmentIssued
	ReportsBack     []AssignmentReportedBack // ended assignments
	Placements      []Placement
	FollowUps       []FollowedUp
	Notes           []ID
	Flags           []Flag

	// Reports of concern, children's deadlines, links and own tasks
	// (case_children.go).
	Report         ReportOfConcern
	ChildViews     []ChildViewsRecorded
	PlacementBases []PlacementBasisRecorded
	Links          []CaseLinked
	Tasks          []OwnTask

	ClosedOn       Date
	GoalAttainment GoalOutcome // final assessment at closing
	Corrections    int

	OpenedAt  time.Time
	UpdatedAt time.Time

	// log is every event's facts as corrected so far, in order: corrections
	// look up their target here and the state is refolded from it. It is
	// searched, not indexed: corrections are rare, and a map kept up to
	// date on every fold cost more than the rest of the fold.
	log []caseEntry
}

type caseEntry struct {
	id    ID
	facts Facts
}

// Child is a child recorded in the case.
type Child struct {
	PersonID ID
	Relation ChildRelation
}

// Decision is a decision on support and what followed it so far.
type Decision struct {
	DecisionMade
	FollowUps        int
	LastFollowedUpOn Date
	NextFollowUpOn   Date

	// BeforeDelegation: recorded before decisions had a decision-maker
	// and a mandate ("decided before the delegation order").
	BeforeDelegation bool                 `json:"decided_before_delegation_order,omitempty"`
	CommunicatedOn   Date                 `json:"communicated_on,omitzero"` // the day the person received it (FL 33 §)
	Channel          CommunicationChannel `json:"channel,omitempty"`
	CarriedOutOn     Date                 `json:"carried_out_on,omitzero"` // the support started (verkställt)
	Delay            DelayReason          `json:"delay_reason,omitempty"`
	ReplacedBy       ID                   `json:"replaced_by,omitempty"` // a later decision that changed this one
	ReplacedOn       Date                 `json:"replaced_on,omitzero"`
	ChangedByCourt   bool                 `json:"changed_by_court,omitempty"`
}

// Current reports whether the decision is the valid one: no later decision
// replaced it (a reconsideration that changed it, or a decision anew).
func (d Decision) Current() bool { return d.ReplacedBy == "" }

// Proposal is a proposed decision and, once decided, the decision.
type Proposal struct {
	DecisionProposed
	DecisionID ID `json:"decision_id,omitempty"`
}

// Appeal is an appeal and how far it has come. ConcernsID is the decision
// it concerns: the appealed one, or after a changed reconsideration the
// new one (FL 46 §).
type Appeal struct {
	AppealReceived
	ConcernsID     ID           `json:"concerns_decision_id"`
	DismissedOn    Date         `json:"dismissed_on,omitzero"`
	ReconsideredOn Date         `json:"reconsidered_on,omitzero"`
	Changed        bool         `json:"changed,omitempty"`
	ForwardedOn    Date         `json:"forwarded_on,omitzero"`
	RuledOn        Date         `json:"ruled_on,omitzero"`
	Ruling         AppealRuling `json:"ruling,omitempty"`
	DecidedAnewID  ID           `json:"decided_anew_id,omitempty"` // the decision made anew after `returned`
}

// Final reports whether nothing but corrections may follow: the
// municipality dismissed the appeal, or the court ruled.
func (a Appeal) Final() bool { return !a.DismissedOn.IsZero() || a.Ruling != "" }

// Outcome is the appeal's latest step, as the appeals report counts it.
func (a Appeal) Outcome() string {
	switch {
	case a.Ruling != "":
		return string(a.Ruling)
	case !a.DismissedOn.IsZero():
		return "dismissed"
	case a.Changed:
		return "reconsidered_changed"
	}
	return "pending"
}

// Placement is a stay in protected housing.
type Placement struct {
	PlacementStarted
	Until          Date // current end: the decision's valid_to, then extensions
	Schooling      []SchoolingArranged
	Plans          int // implementation plans recorded
	MovedOutOn     Date
	MoveOutReason  MoveOutReason
	GoalAttainment GoalOutcome
}

// Open reports whether the person still lives there.
func (p Placement) Open() bool { return p.MovedOutOn.IsZero() }

// Flag is something in the case that needs attention.
type Flag struct {
	ID   ID
	Open bool
}

// Child finds a child of the case by person id.
func (s Case) Child(id ID) (Child, bool) {
	return find(s.Children, func(c Child) bool { return c.PersonID == id })
}

// Decision finds a decision by id.
func (s Case) Decision(id ID) (Decision, bool) {
	return find(s.Decisions, func(d Decision) bool { return d.DecisionID == id })
}

// Proposal finds a proposal by id.
func (s Case) Proposal(id ID) (Proposal, bool) {
	return find(s.Proposals, func(p Proposal) bool { return p.ProposalID == id })
}

// Appeal finds an appeal by id.
func (s Case) Appeal(id ID) (Appeal, bool) {
	return find(s.Appeals, func(a Appeal) bool { return a.AppealID == id })
}

// Placement finds a placement by id.
func (s Case) Placement(id ID) (Placement, bool) {
	return find(s.Placements, func(p Placement) bool { return p.PlacementID == id })
}

// OpenPlacement is the placement the person currently lives in, if any.
func (s Case) OpenPlacement() (Placement, bool) { return find(s.Placements, Placement.Open) }

// ReportedBack finds the report back that ended an assignment.
func (s Case) ReportedBack(assignment ID) (AssignmentReportedBack, bool) {
	return find(s.ReportsBack, func(r AssignmentReportedBack) bool { return r.AssignmentID == assignment })
}

// Assignment finds an assignment by id.
func (s Case) Assignment(id ID) (AssignmentIssued, bool) {
	return find(s.Assignments, func(a AssignmentIssued) bool { return a.AssignmentID == id })
}

// Flag finds a flag by id.
func (s Case) Flag(id ID) (Flag, bool) { return find(s.Flags, func(f Flag) bool { return f.ID == id }) }

// LatestRisk is the level of the most recently recorded risk assessment.
func (s Case) LatestRisk() RiskLevel {
	if len(s.RiskAssessments) == 0 {
		return ""
	}
	return s.RiskAssessments[len(s.RiskAssessments)-1].Level
}

// NextFollowUpOn is the earliest follow-up planned for any decision.
func (s Case) NextFollowUpOn() Date {
	var next Date
	for _, d := range s.Decisions {
		if !d.NextFollowUpOn.IsZero() && (next.IsZero() || d.NextFollowUpOn.Before(next)) {
			next = d.NextFollowUpOn
		}
	}
	return next
}

// EventFacts is the facts of an earlier event of this case, as corrected
// so far.
func (s Case) EventFacts(id ID) (Facts, bool) {
	i := s.logIndex(id)
	if i < 0 {
		return nil, false
	}
	return s.log[i].facts, true
}

// Clone copies the state so that folding more events into the copy, which
// appends to and updates its slices in place, leaves s as it was. Facts
// are values no fold changes, so slices holding them as they came are
// shared.
func (s Case) Clone() Case {
	s.SpecialNeeds = slices.Clone(s.SpecialNeeds)
	s.Violence = slices.Clone(s.Violence)
	s.RiskAssessments = slices.Clone(s.RiskAssessments)
	s.SafetyPlans = slices.Clone(s.SafetyPlans)
	s.Children = slices.Clone(s.Children)
	s.Decisions = slices.Clone(s.Decisions)
	s.Proposals = slices.Clone(s.Proposals)
	s.Appeals = slices.Clone(s.Appeals)
	s.Assignments = slices.Clone(s.Assignments)
	s.ReportsBack = slices.Clone(s.ReportsBack)
	s.Placements = slices.Clone(s.Placements)
	for i := range s.Placements {
		s.Placements[i].Schooling = slices.Clone(s.Placements[i].Schooling)
	}
	s.FollowUps = slices.Clone(s.FollowUps)
	s.Notes = slices.Clone(s.Notes)
	s.Flags = slices.Clone(s.Flags)
	s.ChildViews = slices.Clone(s.ChildViews)
	s.PlacementBases = slices.Clone(s.PlacementBases)
	s.Links = slices.Clone(s.Links)
	s.Tasks = slices.Clone(s.Tasks)
	s.log = slices.Clone(s.log)
	return s
}

// ForgetLog drops the log of facts that corrections are applied against.
// It is for a fold that keeps a great many cases and brings a corrected
// case up to date another way: reports refold such a case from its whole
// history. A state without its log must not be given a correction, which
// would refold it from nothing.
func (s Case) ForgetLog() Case {
	if cap(s.log) > 1 {
		s.log = nil // let a long log's array go
	} else {
		s.log = s.log[:0] // one entry's room, for the next event's
	}
	return s
}

// logIndex is the position of event id in the log, or -1.
func (s Case) logIndex(id ID) int {
	if id == "" {
		return -1
	}
	for i := len(s.log) - 1; i >= 0; i-- {
		if s.log[i].id == id {
			return i
		}
	}
	return -1
}

func find[T any](xs []T, match func(T) bool) (T, bool) {
	if i := slices.IndexFunc(xs, match); i >= 0 {
		return xs[i], true
	}
	var zero T
	return zero, false
}

// update applies change to the first element that matches.
func update[T any](xs []T, match func(T) bool, change func(*T)) {
	if i := slices.IndexFunc(xs, match); i >= 0 {
		change(&xs[i])
	}
}

// CaseDecider is the Case aggregate.
func CaseDecider() Decider[Case] {
	reg := Events()
	return Decider[Case]{
		Kind:    KindCase,
		Initial: func(id ID) Case { return Case{ID: id} },
		Decide:  func(s Case, cmd Command) ([]Event, error) { return decideCase(reg, s, cmd) },
		Evolve:  evolveCase,
		Clone:   Case.Clone,
	}
}

// evolveCase folds one event. Like every Evolve it owns the state it is
// given: the returned state may share memory with it, so callers fold
// forward and never reuse an older state.
func evolveCase(s Case, ev Recorded) Case {
	s.Version = ev.Version
	s.UpdatedAt = ev.RecordedAt
	if s.OpenedAt.IsZero() {
		s.OpenedAt = ev.RecordedAt
	}
	s.log = append(s.log, caseEntry{id: ev.ID, facts: ev.Facts})
	if c, ok := ev.Facts.(Corrected); ok {
		if i := s.logIndex(c.EventID); i >= 0 && i < len(s.log)-1 {
			if f, err := patchFacts(s.log[i].facts, c.Patch); err == nil {
				s.log[i].facts = f
			}
		}
		return s.refold()
	}
	return applyCase(s, ev.Facts)
}

// refold recomputes the state from the (corrected) log, so a corrected fact
// counts as corrected everywhere.
func (s Case) refold() Case {
	n := Case{
		ID: s.ID, Version: s.Version, OpenedAt: s.OpenedAt, UpdatedAt: s.UpdatedAt,
		log: s.log,
	}
	for _, e := range s.log {
		n = applyCase(n, e.facts)
	}
	return n
}

func applyCase(s Case, facts Facts) Case {
	switch f := facts.(type) {
	case CaseOpened:
		s.Exists, s.Status = true, StatusOpen
		s.Unit, s.Assignee, s.TargetGroup, s.Source = f.Unit, f.Assignee, f.TargetGroup, f.Source
		s.ReceivedOn, s.PersonID, s.SpecialNeeds = f.ReceivedOn, f.PersonID, f.SpecialNeeds
		s.Report = ReportOfConcern{ReceivedAt: f.ReceivedAt, Reporter: f.ReporterCategory, ConcernsViolence: f.ConcernsViolence}
	case PreliminaryAssessed:
		s.Preliminary, s.PreliminaryOn = f.Decision, f.AssessedOn
	case InvestigationOpened:
		s.InvestigationOpenedOn = f.OpenedOn
		s.Report.decisionsAtOpening = len(s.Decisions)
	case ViolenceDocumented:
		s.Violence = append(s.Violence, f)
	case RiskAssessed:
		s.RiskAssessments = append(s.RiskAssessments, f)
	case SafetyPlanned:
		s.SafetyPlans = append(s.SafetyPlans, f)
	case ChildAdded:
		s.Children = append(s.Children, Child{PersonID: f.ChildID, Relation: f.Relation})
	case DecisionMade:
		s = s.applyDecision(f)
	case DecisionProposed, DecisionCommunicated, AppealReceived, AppealDismissed, AppealReconsidered,
		AppealForwarded, AppealRuled, DecisionCarriedOut, DecisionDelayed:
		s = s.applyDecisionStep(f)
	case AssignmentIssued:
		s.Assignments = append(s.Assignments, f)
	case AssignmentReportedBack:
		s.ReportsBack = append(s.ReportsBack, f)
	case PlacementStarted:
		until := Date{}
		if d, ok := s.Decision(f.DecisionID); ok {
			until = d.ValidTo
		}
		s.Placements = append(s.Placements, Placement{PlacementStarted: f, Until: until})
		s.carryOutByMoveIn(f)
	case SchoolingArranged:
		s.updatePlacement(f.PlacementID, func(p *Placement) { p.Schooling = append(p.Schooling, f) })
	case ImplementationPlanRecorded:
		s.updatePlacement(f.PlacementID, func(p *Placement) { p.Plans++ })
	case PlacementExtended:
		s.updatePlacement(f.PlacementID, func(p *Placement) { p.Until = f.Until })
	case MovedOut:
		s.updatePlacement(f.PlacementID, func(p *Placement) {
			p.MovedOutOn, p.MoveOutReason, p.GoalAttainment = f.MovedOutOn, f.Reason, f.GoalAttainment
		})
	case FollowedUp:
		s.FollowUps = append(s.FollowUps, f)
		update(s.Decisions, func(d Decision) bool { return d.DecisionID == f.DecisionID }, func(d *Decision) {
			d.FollowUps++
			d.LastFollowedUpOn, d.NextFollowUpOn = f.FollowedUpOn, f.NextFollowUpOn
		})
	case NoteAdded:
		s.Notes = append(s.Notes, f.NoteID)
	case Corrected:
		s.Corrections++
	case Reassigned:
		s.Assignee, s.Unit = f.Assignee, f.Unit
	case CaseClosed:
		s.Status, s.ClosedOn, s.GoalAttainment = StatusClosed, f.ClosedOn, f.GoalAttainment
	case CaseReopened:
		s.Status, s.ClosedOn, s.GoalAttainment = StatusOpen, Date{}, ""
	case FlagRaised:
		s.Flags = append(s.Flags, Flag{ID: f.FlagID, Open: true})
	case FlagResolved:
		update(s.Flags, func(g Flag) bool { return g.ID == f.FlagID }, func(g *Flag) { g.Open = false })
	default:
		s = applyChildren(s, facts)
	}
	return s
}

func (s Case) updatePlacement(id ID, change func(*Placement)) {
	update(s.Placements, func(p Placement) bool { return p.PlacementID == id }, change)
}
