package domain

// Commands on a Case about support: decisions, assignments, placements and
// follow-up.

// MakeDecision records a decision on support. ChildID makes it a child's
// own decision. The caller is the decision-maker and must hold the mandate
// of the delegation order in force (Authority, set by the server).
// Replaces names the decision this one makes anew after the court returned
// it (återförvisning).
type MakeDecision struct {
	SupportType SupportType     `json:"support_type"`
	Outcome     DecisionOutcome `json:"outcome"`
	Goals       []string        `json:"goals"`
	ValidFrom   Date            `json:"valid_from"`
	ValidTo     Date            `json:"valid_to"`
	ChildID     ID              `json:"child_id"`
	DecidedOn   Date            `json:"decided_on"`
	Reasons     string          `json:"reasons"`
	Replaces    ID              `json:"replaces"`

	DecisionID ID        `json:"-"`
	Authority  Authority `json:"-"`
	Today      Date      `json:"-"`
}

func (MakeDecision) CommandName() string { return "case.make_decision" }

func (c MakeDecision) facts() DecisionMade {
	return DecisionMade{
		DecisionID: c.DecisionID, SupportType: c.SupportType, Outcome: c.Outcome, GoalCount: len(c.Goals),
		ValidFrom: c.ValidFrom, ValidTo: c.ValidTo, ChildID: c.ChildID,
		DecidedOn: c.DecidedOn, DecidedBy: c.Authority.Sub, HasReasons: hasText(c.Reasons), Replaces: c.Replaces,
	}
}

func (c MakeDecision) Validate() error {
	var p problems
	c.check(&p)
	return p.err()
}

func (c MakeDecision) check(p *problems) {
	p.id("decision_id", c.DecisionID, true)
	code(p, "support_type", c.SupportType, true)
	code(p, "outcome", c.Outcome, true)
	checkGoals(p, c.Outcome, c.Goals)
	p.validity(c.ValidFrom, c.ValidTo, true)
	p.id("child_id", c.ChildID, false)
	p.date("decided_on", c.DecidedOn, true)
	notFuture(p, "decided_on", c.DecidedOn, c.Today)
	p.text("reasons", c.Reasons, maxText, false)
	p.id("replaces", c.Replaces, false)
}

// checkGoals checks a decision's goals: each a text, and at least one
// when it grants support (what a follow-up measures against).
func checkGoals(p *problems, out DecisionOutcome, goals []string) {
	texts(p, "goals", goals, maxText)
	needGoals(p, out, goals)
}

func needGoals(p *problems, out DecisionOutcome, goals []string) {
	if out.Granted() && len(goals) == 0 {
		p.add("goals", "a granted support needs at least one goal")
	}
}

// notFuture refuses a date after today (when the server gave today).
func notFuture(p *problems, field string, d, today Date) {
	if !today.IsZero() && d.After(today) {
		p.add(field, "must not be in the future")
	}
}

// IssueAssignment gives a provider an assignment (uppdrag) with the
// contents SOSFS 2014:5 § 22 requires; all six are required.
type IssueAssignment struct {
	DecisionID        ID       `json:"decision_id"`
	ProviderID        ID       `json:"provider_id"`
	NeedsAssessment   string   `json:"needs_assessment"`
	Includes          string   `json:"includes"`
	Goals             []string `json:"goals"`
	FollowUp          string   `json:"follow_up"`
	ReturnInformation string   `json:"return_information"`
	ResponsibleWorker string   `json:"responsible_worker"`
	AssignmentID      ID       `json:"-"`
}

func (IssueAssignment) CommandName() string { return "case.issue_assignment" }

func (c IssueAssignment) Validate() error {
	var p problems
	AssignmentIssued{AssignmentID: c.AssignmentID, DecisionID: c.DecisionID, ProviderID: c.ProviderID}.check(&p, "")
	p.text("needs_assessment", c.NeedsAssessment, maxText, true)
	p.text("includes", c.Includes, maxText, true)
	if len(c.Goals) == 0 {
		p.add("goals", "needs at least one goal")
	}
	texts(&p, "goals", c.Goals, maxText)
	p.text("follow_up", c.FollowUp, maxText, true)
	p.text("return_information", c.ReturnInformation, maxText, true)
	p.text("responsible_worker", c.ResponsibleWorker, maxAddress, true)
	return p.err()
}

func (c IssueAssignment) contents() AssignmentContents {
	return AssignmentContents{
		NeedsAssessment: c.NeedsAssessment, Includes: c.Includes, Goals: c.Goals, FollowUp: c.FollowUp,
		ReturnInformation: c.ReturnInformation, ResponsibleWorker: c.ResponsibleWorker,
	}
}

// StartPlacement is a move-in to protected housing.
type StartPlacement struct {
	DecisionID  ID   `json:"decision_id"`
	ProviderID  ID   `json:"provider_id"`
	MovedInOn   Date `json:"moved_in_on"`
	ChildIDs    []ID `json:"child_ids"`
	Pets        int  `json:"pets"`
	PlacementID ID   `json:"-"`
	// At is the provider's state in the registry, looked up by the
	// server: a placement is only at a registered provider with a valid
	// permit on the move-in date where one is required. Nil when the
	// provider is not registered.
	At *Provider `json:"-"`
}

func (StartPlacement) CommandName() string { return "case.start_placement" }

func (c StartPlacement) facts() PlacementStarted {
	return PlacementStarted{
		PlacementID: c.PlacementID, DecisionID: c.DecisionID, ProviderID: c.ProviderID,
		MovedInOn: c.MovedInOn, ChildIDs: c.ChildIDs, Pets: c.Pets,
	}
}

func (c StartPlacement) Validate() error {
	var p problems
	c.facts().check(&p, "")
	return p.err()
}

// ArrangeSchooling records schooling for an accompanying child.
type ArrangeSchooling struct {
	PlacementID ID         `json:"-"` // from the route
	ChildID     ID         `json:"child_id"`
	ArrangedOn  Date       `json:"arranged_on"`
	SchoolKind  SchoolKind `json:"school_kind"`
}

func (ArrangeSchooling) CommandName() string { return "case.arrange_schooling" }

func (c ArrangeSchooling) facts() SchoolingArranged {
	return SchoolingArranged{PlacementID: c.PlacementID, ChildID: c.ChildID, ArrangedOn: c.ArrangedOn, SchoolKind: c.SchoolKind}
}

func (c ArrangeSchooling) Validate() error {
	var p problems
	c.facts().check(&p, "")
	return p.err()
}

// RecordImplementationPlan records the provider's implementation plan.
type RecordImplementationPlan struct {
	PlacementID  ID         `json:"-"` // from the route
	Activities   []Activity `json:"activities"`
	FollowUpOn   Date       `json:"follow_up_on"`
	Participated bool       `json:"participated"`
}

func (RecordImplementationPlan) CommandName() string { return "case.record_implementation_plan" }

func (c RecordImplementationPlan) Validate() error {
	var p problems
	p.id("placement_id", c.PlacementID, true)
	switch {
	case len(c.Activities) == 0:
		p.add("activities", "needs at least one activity")
	case len(c.Activities) > maxItems:
		p.add("activities", "has more than %d activities", maxItems)
	}
	for i, a := range c.Activities {
		at := index("activities", i)
		p.text(path(at, "name"), a.Name, maxName, true)
		p.text(path(at, "goal"), a.Goal, maxText, true)
		p.text(path(at, "responsible"), a.Responsible, maxName, true)
		p.text(path(at, "when"), a.When, maxName, true)
	}
	p.date("follow_up_on", c.FollowUpOn, true)
	return p.err()
}

// ExtendPlacement extends a placement.
type ExtendPlacement struct {
	PlacementID ID   `json:"-"` // from the route
	Until       Date `json:"until"`
}

func (ExtendPlacement) CommandName() string { return "case.extend_placement" }

func (c ExtendPlacement) Validate() error {
	var p problems
	PlacementExtended{PlacementID: c.PlacementID, Until: c.Until}.check(&p, "")
	return p.err()
}

// MoveOut ends a placement.
type MoveOut struct {
	PlacementID    ID            `json:"-"` // from the route
	MovedOutOn     Date          `json:"moved_out_on"`
	Reason         MoveOutReason `json:"reason"`
	GoalAttainment GoalOutcome   `json:"goal_attainment"`
}

func (MoveOut) CommandName() string { return "case.move_out" }

func (c MoveOut) facts() MovedOut {
	return MovedOut{PlacementID: c.PlacementID, MovedOutOn: c.MovedOutOn, Reason: c.Reason, GoalAttainment: c.GoalAttainment}
}

func (c MoveOut) Validate() error {
	var p problems
	c.facts().check(&p, "")
	return p.err()
}

// GoalResult is one goal as followed up.
type GoalResult struct {
	Goal    string      `json:"goal"`
	Outcome GoalOutcome `json:"outcome"`
}

// FollowUp follows up a granted support against its goals, one result per
// goal in the decision's order. Complaint is a complaint (klagomål) and what
// was done about it, empty when there was none.
type FollowUp struct {
	DecisionID     ID           `json:"decision_id"`
	FollowedUpOn   Date         `json:"followed_up_on"`
	Participated   bool         `json:"participated"`
	GoalOutcomes   []GoalResult `json:"goal_outcomes"`
	Complaint      string       `json:"complaint"`
	NextFollowUpOn Date         `json:"next_follow_up_on"`
}

func (FollowUp) CommandName() string { return "case.follow_up" }

func (c FollowUp) facts() FollowedUp {
	out := make([]GoalOutcome, len(c.GoalOutcomes))
	for i, g := range c.GoalOutcomes {
		out[i] = g.Outcome
	}
	return FollowedUp{
		DecisionID: c.DecisionID, FollowedUpOn: c.FollowedUpOn, Participated: c.Participated,
		Outcomes: out, Complaint: c.Complaint != "", NextFollowUpOn: c.NextFollowUpOn,
	}
}

func (c FollowUp) texts() FollowUpTexts {
	goals := make([]string, len(c.GoalOutcomes))
	for i, g := range c.GoalOutcomes {
		goals[i] = g.Goal
	}
	return FollowUpTexts{Goals: goals, Complaint: c.Complaint}
}

func (c FollowUp) Validate() error {
	var p problems
	p.id("decision_id", c.DecisionID, true)
	p.date("followed_up_on", c.FollowedUpOn, true)
	switch {
	case len(c.GoalOutcomes) == 0:
		p.add("goal_outcomes", "needs one outcome per goal")
	case len(c.GoalOutcomes) > maxItems:
		p.add("goal_outcomes", "has more than %d values", maxItems)
	}
	for i, g := range c.GoalOutcomes {
		at := index("goal_outcomes", i)
		p.text(path(at, "goal"), g.Goal, maxText, true)
		code(&p, path(at, "outcome"), g.Outcome, true)
	}
	p.text("complaint", c.Complaint, maxText, false)
	p.date("next_follow_up_on", c.NextFollowUpOn, false)
	p.after("followed_up_on", c.FollowedUpOn, "next_follow_up_on", c.NextFollowUpOn)
	return p.err()
}

// ReportBack is the provider's report back at the end of an assignment
// (POST /cases/{id}/assignments/{aid}/report-back); it ends the
// assignment.
type ReportBack struct {
	AssignmentID   ID          `json:"-"` // from the route
	ReportedOn     Date        `json:"reported_on"`
	Summary        string      `json:"summary"`
	GoalAttainment GoalOutcome `json:"goal_attainment"`
	Today          Date        `json:"-"`
}

func (ReportBack) CommandName() string { return "case.report_back" }

func (c ReportBack) facts() AssignmentReportedBack {
	return AssignmentReportedBack{AssignmentID: c.AssignmentID, ReportedOn: c.ReportedOn, GoalAttainment: c.GoalAttainment}
}

func (c ReportBack) Validate() error {
	var p problems
	c.facts().check(&p, "")
	notFuture(&p, "reported_on", c.ReportedOn, c.Today)
	p.text("summary", c.Summary, maxText, true)
	return p.err()
}
