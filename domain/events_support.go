package domain

// Case events about support: decisions (beslut om bistånd), assignments to
// providers, placements in protected housing and follow-up.

// DecisionMade is a decision on support under SoL 4:1, for the person the
// case is about or, with ChildID, a child's own decision (since 2024-04-01
// every child in protected housing needs one).
//
// Schema 2 adds the decision under the delegation order (FL 2017:900):
// the decision date, the decision-maker and the mandate (point, role and
// the order's version) they decided under, whether reasons were stated
// (the reasons themselves are sealed), and the links of a decision to the
// proposal it decided or the decision it replaces. A schema-1 decision has
// no DecidedBy: it was "decided before the delegation order", and nobody
// is invented as its decision-maker.
type DecisionMade struct {
	DecisionID  ID              `json:"decision_id"`
	SupportType SupportType     `json:"support_type"`
	Outcome     DecisionOutcome `json:"outcome"`
	GoalCount   int             `json:"goal_count"`
	ValidFrom   Date            `json:"valid_from"`
	ValidTo     Date            `json:"valid_to,omitzero"`
	ChildID     ID              `json:"child_id,omitempty"`

	DecidedOn    Date   `json:"decided_on,omitzero"`
	DecidedBy    string `json:"decided_by,omitempty"`
	Point        string `json:"delegation_point,omitempty"`
	DecidedAs    string `json:"decided_as,omitempty"`
	OrderVersion uint64 `json:"delegation_version,omitempty"`
	HasReasons   bool   `json:"has_reasons,omitempty"`
	ProposalID   ID     `json:"proposal_id,omitempty"`
	Replaces     ID     `json:"replaces,omitempty"` // the decision this one changes (reconsideration, or anew after a return)
	AppealID     ID     `json:"appeal_id,omitempty"`
	ByCourt      bool   `json:"by_court,omitempty"` // the court changed the appealed decision to this one
}

// UnderDelegation reports whether the decision was made under the
// delegation order (schema 2), with a decision-maker and a mandate.
func (f DecisionMade) UnderDelegation() bool { return f.DecidedBy != "" }

// Date is the decision date: decided_on, or for a decision recorded before
// decisions had a date, its valid_from (REPORTS.md, "Dating").
func (f DecisionMade) Date() Date {
	if !f.DecidedOn.IsZero() {
		return f.DecidedOn
	}
	return f.ValidFrom
}

// lockedFields are the fields a correction may not change: a decision's
// outcome and support type change only by a new decision (reconsideration,
// FL 37-39 §§), and who decided under which mandate is history.
func (DecisionMade) lockedFields() []string {
	return []string{"support_type", "outcome", "decided_by", "delegation_point", "decided_as", "delegation_version", "has_reasons", "by_court"}
}

func (DecisionMade) EventName() string { return "case.decision_made" }

func (f DecisionMade) check(p *problems, at string) {
	p.id(path(at, "decision_id"), f.DecisionID, true)
	code(p, path(at, "support_type"), f.SupportType, true)
	code(p, path(at, "outcome"), f.Outcome, true)
	p.count(path(at, "goal_count"), f.GoalCount, maxItems)
	if f.Outcome.Granted() && f.GoalCount == 0 {
		p.add(path(at, "goal_count"), "a granted support needs at least one goal")
	}
	p.date(path(at, "valid_from"), f.ValidFrom, true)
	p.date(path(at, "valid_to"), f.ValidTo, false)
	p.order(path(at, "valid_from"), f.ValidFrom, path(at, "valid_to"), f.ValidTo)
	p.id(path(at, "child_id"), f.ChildID, false)
	if f.ByCourt {
		p.date(path(at, "decided_on"), f.DecidedOn, true)
		if f.DecidedBy != "" {
			p.add(path(at, "decided_by"), "a court's decision has no decision-maker of the municipality")
		}
	}
	if f.UnderDelegation() {
		p.date(path(at, "decided_on"), f.DecidedOn, true)
		p.text(path(at, "decided_by"), f.DecidedBy, maxName, true)
		if !pointRE.MatchString(f.Point) {
			p.add(path(at, "delegation_point"), "is not a point of the order")
		}
		if f.DecidedAs != RoleCaseworker && f.DecidedAs != RoleSupervisor {
			p.add(path(at, "decided_as"), "is not one of the allowed codes")
		}
	}
	p.id(path(at, "proposal_id"), f.ProposalID, false)
	p.id(path(at, "replaces"), f.Replaces, false)
	p.id(path(at, "appeal_id"), f.AppealID, false)
}

// AssignmentIssued is an assignment (uppdrag) to a provider; its SOSFS
// 2014:5 § 22 contents are personal.
type AssignmentIssued struct {
	AssignmentID ID `json:"assignment_id"`
	DecisionID   ID `json:"decision_id"`
	ProviderID   ID `json:"provider_id"`
}

func (AssignmentIssued) EventName() string { return "case.assignment_issued" }

func (f AssignmentIssued) check(p *problems, at string) {
	p.id(path(at, "assignment_id"), f.AssignmentID, true)
	p.id(path(at, "decision_id"), f.DecisionID, true)
	p.id(path(at, "provider_id"), f.ProviderID, true)
}

// PlacementStarted is a move-in to protected housing (skyddat boende), with
// accompanying children and the number of pets.
type PlacementStarted struct {
	PlacementID ID   `json:"placement_id"`
	DecisionID  ID   `json:"decision_id"`
	ProviderID  ID   `json:"provider_id"`
	MovedInOn   Date `json:"moved_in_on"`
	ChildIDs    []ID `json:"child_ids"`
	Pets        int  `json:"pets"`
}

func (PlacementStarted) EventName() string { return "case.placement_started" }

func (f PlacementStarted) check(p *problems, at string) {
	p.id(path(at, "placement_id"), f.PlacementID, true)
	p.id(path(at, "decision_id"), f.DecisionID, true)
	p.id(path(at, "provider_id"), f.ProviderID, true)
	p.date(path(at, "moved_in_on"), f.MovedInOn, true)
	ids(p, path(at, "child_ids"), f.ChildIDs)
	p.count(path(at, "pets"), f.Pets, maxItems)
}

// SchoolingArranged records how an accompanying child goes to school
// (a national indicator).
type SchoolingArranged struct {
	PlacementID ID         `json:"placement_id"`
	ChildID     ID         `json:"child_id"`
	ArrangedOn  Date       `json:"arranged_on"`
	SchoolKind  SchoolKind `json:"school_kind"`
}

func (SchoolingArranged) EventName() string { return "case.schooling_arranged" }

func (f SchoolingArranged) check(p *problems, at string) {
	p.id(path(at, "placement_id"), f.PlacementID, true)
	p.id(path(at, "child_id"), f.ChildID, true)
	p.date(path(at, "arranged_on"), f.ArrangedOn, true)
	code(p, path(at, "school_kind"), f.SchoolKind, true)
}

// ImplementationPlanRecorded is the provider's implementation plan
// (genomförandeplan); the activities themselves are personal.
type ImplementationPlanRecorded struct {
	PlacementID   ID   `json:"placement_id"`
	ActivityCount int  `json:"activity_count"`
	FollowUpOn    Date `json:"follow_up_on"`
	Participated  bool `json:"participated"`
}

func (ImplementationPlanRecorded) EventName() string { return "case.implementation_plan_recorded" }

func (f ImplementationPlanRecorded) check(p *problems, at string) {
	p.id(path(at, "placement_id"), f.PlacementID, true)
	p.count(path(at, "activity_count"), f.ActivityCount, maxItems)
	if f.ActivityCount == 0 {
		p.add(path(at, "activity_count"), "a plan needs at least one activity")
	}
	p.date(path(at, "follow_up_on"), f.FollowUpOn, true)
}

// PlacementExtended extends a placement to a new end date.
type PlacementExtended struct {
	PlacementID ID   `json:"placement_id"`
	Until       Date `json:"until"`
}

func (PlacementExtended) EventName() string { return "case.placement_extended" }

func (f PlacementExtended) check(p *problems, at string) {
	p.id(path(at, "placement_id"), f.PlacementID, true)
	p.date(path(at, "until"), f.Until, true)
}

// MovedOut ends a placement (utflyttning).
type MovedOut struct {
	PlacementID    ID            `json:"placement_id"`
	MovedOutOn     Date          `json:"moved_out_on"`
	Reason         MoveOutReason `json:"reason"`
	GoalAttainment GoalOutcome   `json:"goal_attainment"`
}

func (MovedOut) EventName() string { return "case.moved_out" }

func (f MovedOut) check(p *problems, at string) {
	p.id(path(at, "placement_id"), f.PlacementID, true)
	p.date(path(at, "moved_out_on"), f.MovedOutOn, true)
	code(p, path(at, "reason"), f.Reason, true)
	code(p, path(at, "goal_attainment"), f.GoalAttainment, true)
}

// FollowedUp is the follow-up (uppföljning) of a granted support against its
// goals: one outcome per goal, in the decision's goal order (SOSFS 2014:5).
type FollowedUp struct {
	DecisionID     ID            `json:"decision_id"`
	FollowedUpOn   Date          `json:"followed_up_on"`
	Participated   bool          `json:"participated"`
	Outcomes       []GoalOutcome `json:"outcomes"`
	Complaint      bool          `json:"complaint"`
	NextFollowUpOn Date          `json:"next_follow_up_on,omitzero"`
}

func (FollowedUp) EventName() string { return "case.followed_up" }

func (f FollowedUp) check(p *problems, at string) {
	p.id(path(at, "decision_id"), f.DecisionID, true)
	p.date(path(at, "followed_up_on"), f.FollowedUpOn, true)
	if len(f.Outcomes) == 0 {
		p.add(path(at, "outcomes"), "needs at least one outcome")
	}
	if len(f.Outcomes) > maxItems {
		p.add(path(at, "outcomes"), "has more than %d values", maxItems)
	}
	for i, o := range f.Outcomes {
		code(p, index(path(at, "outcomes"), i), o, true)
	}
	p.date(path(at, "next_follow_up_on"), f.NextFollowUpOn, false)
	p.after(path(at, "followed_up_on"), f.FollowedUpOn, path(at, "next_follow_up_on"), f.NextFollowUpOn)
}

// AssignmentReportedBack is the provider's report back at the end of an
// assignment: what SOSFS 2014:5 § 22 says is to be returned (the summary
// is personal). It ends the assignment.
type AssignmentReportedBack struct {
	AssignmentID   ID          `json:"assignment_id"`
	ReportedOn     Date        `json:"reported_on"`
	GoalAttainment GoalOutcome `json:"goal_attainment"`
}

func (AssignmentReportedBack) EventName() string { return "case.assignment_reported_back" }

func (f AssignmentReportedBack) check(p *problems, at string) {
	p.id(path(at, "assignment_id"), f.AssignmentID, true)
	p.date(path(at, "reported_on"), f.ReportedOn, true)
	code(p, path(at, "goal_attainment"), f.GoalAttainment, true)
}
