package domain

// Case events about decisions under the Administrative Procedure Act
// (förvaltningslagen 2017:900): proposals, communication, appeals and
// their examination, and carrying decisions out. Free text (reasons, the
// court's name, a delay's note) is personal data, sealed with the key of
// the person the case is about.

// DecisionProposed is a proposed decision (förslag till beslut) by a case
// worker without the mandate; a delegate decides it (DecisionMade with
// ProposalID). Goals and reasons are sealed (GoalTexts).
type DecisionProposed struct {
	ProposalID  ID              `json:"proposal_id"`
	SupportType SupportType     `json:"support_type"`
	Outcome     DecisionOutcome `json:"outcome"`
	GoalCount   int             `json:"goal_count"`
	ValidFrom   Date            `json:"valid_from"`
	ValidTo     Date            `json:"valid_to,omitzero"`
	ChildID     ID              `json:"child_id,omitempty"`
	ProposedBy  string          `json:"proposed_by"`
	ProposedOn  Date            `json:"proposed_on"`
}

func (DecisionProposed) EventName() string { return "case.decision_proposed" }

func (f DecisionProposed) check(p *problems, at string) {
	p.id(path(at, "proposal_id"), f.ProposalID, true)
	code(p, path(at, "support_type"), f.SupportType, true)
	code(p, path(at, "outcome"), f.Outcome, true)
	p.count(path(at, "goal_count"), f.GoalCount, maxItems)
	p.date(path(at, "valid_from"), f.ValidFrom, true)
	p.date(path(at, "valid_to"), f.ValidTo, false)
	p.order(path(at, "valid_from"), f.ValidFrom, path(at, "valid_to"), f.ValidTo)
	p.id(path(at, "child_id"), f.ChildID, false)
	p.text(path(at, "proposed_by"), f.ProposedBy, maxName, true)
	p.date(path(at, "proposed_on"), f.ProposedOn, true)
}

func (DecisionProposed) lockedFields() []string { return []string{"proposed_by"} }

// DecisionCommunicated is the day the person received the decision
// (communicated_on, FL 33 §), which starts the appeal period.
type DecisionCommunicated struct {
	DecisionID     ID                   `json:"decision_id"`
	CommunicatedOn Date                 `json:"communicated_on"`
	Channel        CommunicationChannel `json:"channel"`
}

func (DecisionCommunicated) EventName() string { return "case.decision_communicated" }

func (f DecisionCommunicated) check(p *problems, at string) {
	p.id(path(at, "decision_id"), f.DecisionID, true)
	p.date(path(at, "communicated_on"), f.CommunicatedOn, true)
	code(p, path(at, "channel"), f.Channel, true)
}

// communicated_on decides timeliness: an appeal's in_time was computed from
// it, so it is corrected only with the appeals it decided (a new event).
func (DecisionCommunicated) lockedFields() []string { return []string{"communicated_on"} }

// AppealReceived is an appeal (överklagande) received by the municipality.
// LastDay is the last day of the appeal period by lag 1930:173 (zero when
// the decision had not been communicated: the period had not begun) and
// InTime whether it came in time (FL 44 §). WrongInstructions and
// ReachedCourtOn are FL 45 § second paragraph's two exceptions: a late
// appeal is not dismissed when the delay came from wrong appeal
// instructions, or when it reached the court within the period.
type AppealReceived struct {
	AppealID          ID   `json:"appeal_id"`
	DecisionID        ID   `json:"decision_id"`
	ReceivedOn        Date `json:"received_on"`
	LastDay           Date `json:"last_day,omitzero"`
	InTime            bool `json:"in_time"`
	WrongInstructions bool `json:"wrong_instructions,omitempty"`
	ReachedCourtOn    Date `json:"reached_court_on,omitzero"`
}

func (AppealReceived) EventName() string { return "case.appeal_received" }

func (f AppealReceived) check(p *problems, at string) {
	p.id(path(at, "appeal_id"), f.AppealID, true)
	p.id(path(at, "decision_id"), f.DecisionID, true)
	p.date(path(at, "received_on"), f.ReceivedOn, true)
	p.date(path(at, "last_day"), f.LastDay, false)
	p.date(path(at, "reached_court_on"), f.ReachedCourtOn, false)
}

// Timeliness is computed, never corrected: a wrong received_on is a new
// appeal event, and the computed fields follow from it.
func (AppealReceived) lockedFields() []string {
	return []string{"received_on", "last_day", "in_time", "wrong_instructions", "reached_court_on"}
}

// Admissible reports whether the municipality examines the appeal: in
// time, or late under one of FL 45 §'s two exceptions.
func (f AppealReceived) Admissible() bool {
	return f.InTime || f.WrongInstructions || (!f.ReachedCourtOn.IsZero() && !f.LastDay.IsZero() && !f.ReachedCourtOn.After(f.LastDay))
}

// AppealDismissed is the municipality's dismissal (avvisning) of a late
// appeal (FL 45 §); its reasons are sealed.
type AppealDismissed struct {
	AppealID  ID     `json:"appeal_id"`
	DecidedOn Date   `json:"decided_on"`
	DecidedBy string `json:"decided_by"`
}

func (AppealDismissed) EventName() string { return "case.appeal_dismissed" }

func (f AppealDismissed) check(p *problems, at string) {
	p.id(path(at, "appeal_id"), f.AppealID, true)
	p.date(path(at, "decided_on"), f.DecidedOn, true)
	p.text(path(at, "decided_by"), f.DecidedBy, maxName, true)
}

func (AppealDismissed) lockedFields() []string { return []string{"decided_by"} }

// AppealReconsidered is the municipality's reconsideration (omprövning,
// FL 38-39 §§) of an appealed decision. When Changed, the new decision
// (NewDecisionID, a DecisionMade in the same command, replacing the
// appealed one) is the valid one from then on, and the appeal concerns it
// (FL 46 §).
type AppealReconsidered struct {
	AppealID      ID     `json:"appeal_id"`
	DecidedOn     Date   `json:"decided_on"`
	DecidedBy     string `json:"decided_by"`
	Changed       bool   `json:"changed"`
	NewDecisionID ID     `json:"new_decision_id,omitempty"`
}

func (AppealReconsidered) EventName() string { return "case.appeal_reconsidered" }

func (f AppealReconsidered) check(p *problems, at string) {
	p.id(path(at, "appeal_id"), f.AppealID, true)
	p.date(path(at, "decided_on"), f.DecidedOn, true)
	p.text(path(at, "decided_by"), f.DecidedBy, maxName, true)
	p.id(path(at, "new_decision_id"), f.NewDecisionID, f.Changed)
}

func (AppealReconsidered) lockedFields() []string { return []string{"decided_by", "changed"} }

// AppealForwarded is the appeal sent to the administrative court (FL 46 §);
// the court's name is sealed with the reasons-like texts (CourtText).
type AppealForwarded struct {
	AppealID    ID   `json:"appeal_id"`
	ForwardedOn Date `json:"forwarded_on"`
}

func (AppealForwarded) EventName() string { return "case.appeal_forwarded" }

func (f AppealForwarded) check(p *problems, at string) {
	p.id(path(at, "appeal_id"), f.AppealID, true)
	p.date(path(at, "forwarded_on"), f.ForwardedOn, true)
}

// AppealRuled is the court's ruling; after it nothing but corrections is
// recorded on the appeal, and after `returned` the municipality decides
// anew (a DecisionMade replacing the appealed decision).
type AppealRuled struct {
	AppealID      ID           `json:"appeal_id"`
	RuledOn       Date         `json:"ruled_on"`
	Outcome       AppealRuling `json:"outcome"`
	NewDecisionID ID           `json:"new_decision_id,omitempty"` // the court's decision, when recorded (outcome changed)
}

func (AppealRuled) EventName() string { return "case.appeal_ruled" }

func (f AppealRuled) check(p *problems, at string) {
	p.id(path(at, "appeal_id"), f.AppealID, true)
	p.date(path(at, "ruled_on"), f.RuledOn, true)
	code(p, path(at, "outcome"), f.Outcome, true)
	p.id(path(at, "new_decision_id"), f.NewDecisionID, false)
	if f.NewDecisionID != "" && f.Outcome != RulingChanged {
		p.add(path(at, "new_decision_id"), "only when the court changed the decision")
	}
}

func (AppealRuled) lockedFields() []string { return []string{"outcome"} }

// DecisionCarriedOut is a granted decision carried out (verkställt): the
// support started. A placement's move-in carries out its housing decisions
// by itself, without this event.
type DecisionCarriedOut struct {
	DecisionID ID   `json:"decision_id"`
	StartedOn  Date `json:"started_on"`
}

func (DecisionCarriedOut) EventName() string { return "case.decision_carried_out" }

func (f DecisionCarriedOut) check(p *problems, at string) {
	p.id(path(at, "decision_id"), f.DecisionID, true)
	p.date(path(at, "started_on"), f.StartedOn, true)
}

// DecisionDelayed is why a granted decision is not carried out yet (the
// reason is reported to IVO; the note is sealed).
type DecisionDelayed struct {
	DecisionID ID          `json:"decision_id"`
	Reason     DelayReason `json:"reason"`
	RecordedOn Date        `json:"recorded_on"`
}

func (DecisionDelayed) EventName() string { return "case.decision_delayed" }

func (f DecisionDelayed) check(p *problems, at string) {
	p.id(path(at, "decision_id"), f.DecisionID, true)
	code(p, path(at, "reason"), f.Reason, true)
	p.date(path(at, "recorded_on"), f.RecordedOn, true)
}

// CourtText names the court an appeal was forwarded to.
type CourtText struct {
	Court string `json:"court"`
}

// NoteText is a free-text note (a delay's explanation).
type NoteText struct {
	Note string `json:"note,omitempty"`
}
