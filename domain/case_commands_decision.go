package domain

// Commands on a Case about decisions under the Administrative Procedure
// Act: proposals, communication, appeals and carrying decisions out. JSON
// names are the API's; json:"-" fields are set by the server.

// ProposeDecision is a proposed decision (POST /cases/{id}/proposals), by
// a case worker who may lack the mandate; same body as a decision.
type ProposeDecision struct {
	SupportType SupportType     `json:"support_type"`
	Outcome     DecisionOutcome `json:"outcome"`
	Goals       []string        `json:"goals"`
	ValidFrom   Date            `json:"valid_from"`
	ValidTo     Date            `json:"valid_to"`
	ChildID     ID              `json:"child_id"`
	Reasons     string          `json:"reasons"`

	ProposalID ID     `json:"-"`
	ProposedBy string `json:"-"`
	Today      Date   `json:"-"`
}

func (ProposeDecision) CommandName() string { return "case.propose_decision" }

func (c ProposeDecision) facts() DecisionProposed {
	return DecisionProposed{
		ProposalID: c.ProposalID, SupportType: c.SupportType, Outcome: c.Outcome, GoalCount: len(c.Goals),
		ValidFrom: c.ValidFrom, ValidTo: c.ValidTo, ChildID: c.ChildID, ProposedBy: c.ProposedBy, ProposedOn: c.Today,
	}
}

func (c ProposeDecision) Validate() error {
	var p problems
	MakeDecision{
		SupportType: c.SupportType, Outcome: c.Outcome, Goals: c.Goals, ValidFrom: c.ValidFrom, ValidTo: c.ValidTo,
		ChildID: c.ChildID, DecidedOn: c.Today, Reasons: c.Reasons, DecisionID: c.ProposalID,
	}.check(&p)
	p.text("proposed_by", c.ProposedBy, maxName, true)
	return p.err()
}

// DecideProposal decides a proposal (POST .../proposals/{pid}/decide):
// someone with the mandate, never the proposer. Goals are the proposal's
// (the server opens them and sets ProposalGoals) unless the body gives
// its own.
type DecideProposal struct {
	Outcome   DecisionOutcome `json:"outcome"`
	Reasons   string          `json:"reasons"`
	DecidedOn Date            `json:"decided_on"`
	Goals     []string        `json:"goals"`

	ProposalID    ID        `json:"-"`
	ProposalGoals []string  `json:"-"`
	DecisionID    ID        `json:"-"`
	Authority     Authority `json:"-"`
	Today         Date      `json:"-"`
}

func (DecideProposal) CommandName() string { return "case.decide_proposal" }

func (c DecideProposal) Validate() error {
	var p problems
	p.id("proposal_id", c.ProposalID, true)
	p.id("decision_id", c.DecisionID, true)
	code(&p, "outcome", c.Outcome, true)
	p.text("reasons", c.Reasons, maxText, false)
	p.date("decided_on", c.DecidedOn, true)
	notFuture(&p, "decided_on", c.DecidedOn, c.Today)
	texts(&p, "goals", c.Goals, maxText)
	return p.err()
}

// CommunicateDecision records the day the person received a decision
// (POST .../decisions/{did}/communicated).
type CommunicateDecision struct {
	CommunicatedOn Date                 `json:"communicated_on"`
	Channel        CommunicationChannel `json:"channel"`
	DecisionID     ID                   `json:"-"`
	Today          Date                 `json:"-"`
}

func (CommunicateDecision) CommandName() string { return "case.communicate_decision" }

func (c CommunicateDecision) Validate() error {
	var p problems
	DecisionCommunicated{DecisionID: c.DecisionID, CommunicatedOn: c.CommunicatedOn, Channel: c.Channel}.check(&p, "")
	notFuture(&p, "communicated_on", c.CommunicatedOn, c.Today)
	return p.err()
}

// ReceiveAppeal records an appeal received by the municipality (POST
// .../decisions/{did}/appeals). WrongInstructions and ReachedCourtOn are
// the FL 45 § exceptions, when they apply.
type ReceiveAppeal struct {
	ReceivedOn        Date `json:"received_on"`
	WrongInstructions bool `json:"wrong_instructions"`
	ReachedCourtOn    Date `json:"reached_court_on"`
	DecisionID        ID   `json:"-"`
	AppealID          ID   `json:"-"`
	Today             Date `json:"-"`
}

func (ReceiveAppeal) CommandName() string { return "case.receive_appeal" }

func (c ReceiveAppeal) Validate() error {
	var p problems
	AppealReceived{AppealID: c.AppealID, DecisionID: c.DecisionID, ReceivedOn: c.ReceivedOn, ReachedCourtOn: c.ReachedCourtOn}.check(&p, "")
	notFuture(&p, "received_on", c.ReceivedOn, c.Today)
	notFuture(&p, "reached_court_on", c.ReachedCourtOn, c.Today)
	return p.err()
}

// DismissAppeal dismisses a late appeal (avvisning, FL 45 §).
type DismissAppeal struct {
	DecidedOn Date      `json:"decided_on"`
	Reasons   string    `json:"reasons"`
	AppealID  ID        `json:"-"`
	Authority Authority `json:"-"`
	Today     Date      `json:"-"`
}

func (DismissAppeal) CommandName() string { return "case.dismiss_appeal" }

func (c DismissAppeal) Validate() error {
	var p problems
	p.id("appeal_id", c.AppealID, true)
	p.date("decided_on", c.DecidedOn, true)
	notFuture(&p, "decided_on", c.DecidedOn, c.Today)
	p.text("reasons", c.Reasons, maxText, true)
	return p.err()
}

// ReconsiderAppeal is the reconsideration (omprövning, FL 38-39 §§) of an
// appealed decision. When Changed, Outcome (and Goals for a grant,
// ValidFrom/ValidTo when they change) make the new decision.
type ReconsiderAppeal struct {
	DecidedOn Date            `json:"decided_on"`
	Changed   bool            `json:"changed"`
	Reasons   string          `json:"reasons"`
	Outcome   DecisionOutcome `json:"outcome"`
	Goals     []string        `json:"goals"`
	ValidFrom Date            `json:"valid_from"`
	ValidTo   Date            `json:"valid_to"`

	AppealID      ID        `json:"-"`
	NewDecisionID ID        `json:"-"`
	Authority     Authority `json:"-"`
	Today         Date      `json:"-"`
}

func (ReconsiderAppeal) CommandName() string { return "case.reconsider_appeal" }

func (c ReconsiderAppeal) Validate() error {
	var p problems
	p.id("appeal_id", c.AppealID, true)
	p.date("decided_on", c.DecidedOn, true)
	notFuture(&p, "decided_on", c.DecidedOn, c.Today)
	p.text("reasons", c.Reasons, maxText, false)
	if c.Changed {
		p.id("new_decision_id", c.NewDecisionID, true)
		code(&p, "outcome", c.Outcome, true)
		checkGoals(&p, c.Outcome, c.Goals)
		p.validity(c.ValidFrom, c.ValidTo, false)
	} else {
		onlyWith(&p, "only with changed: true", []givenField{
			{"outcome", c.Outcome != ""}, {"goals", len(c.Goals) > 0}, {"valid_from", !c.ValidFrom.IsZero()}, {"valid_to", !c.ValidTo.IsZero()},
		})
	}
	return p.err()
}

// ForwardAppeal sends the appeal to the administrative court.
type ForwardAppeal struct {
	ForwardedOn Date   `json:"forwarded_on"`
	Court       string `json:"court"`
	AppealID    ID     `json:"-"`
	Today       Date   `json:"-"`
}

func (ForwardAppeal) CommandName() string { return "case.forward_appeal" }

func (c ForwardAppeal) Validate() error {
	var p problems
	AppealForwarded{AppealID: c.AppealID, ForwardedOn: c.ForwardedOn}.check(&p, "")
	notFuture(&p, "forwarded_on", c.ForwardedOn, c.Today)
	p.text("court", c.Court, maxName, true)
	return p.err()
}

// RecordRuling records the court's ruling on a forwarded appeal. When the
// court changed the decision, NewOutcome (with Goals for a grant, and
// ValidFrom/ValidTo when they change) records the court's decision, which
// replaces the appealed one and is carried out like any other.
type RecordRuling struct {
	RuledOn    Date            `json:"ruled_on"`
	Outcome    AppealRuling    `json:"outcome"`
	NewOutcome DecisionOutcome `json:"new_outcome"`
	Goals      []string        `json:"goals"`
	ValidFrom  Date            `json:"valid_from"`
	ValidTo    Date            `json:"valid_to"`

	AppealID      ID   `json:"-"`
	NewDecisionID ID   `json:"-"`
	Today         Date `json:"-"`
}

func (RecordRuling) CommandName() string { return "case.record_ruling" }

func (c RecordRuling) Validate() error {
	var p problems
	AppealRuled{AppealID: c.AppealID, RuledOn: c.RuledOn, Outcome: c.Outcome}.check(&p, "")
	notFuture(&p, "ruled_on", c.RuledOn, c.Today)
	if c.NewOutcome == "" {
		onlyWith(&p, "only with new_outcome", []givenField{
			{"goals", len(c.Goals) > 0}, {"valid_from", !c.ValidFrom.IsZero()}, {"valid_to", !c.ValidTo.IsZero()},
		})
		return p.err()
	}
	if c.Outcome != RulingChanged {
		p.add("new_outcome", "only when the court changed the decision")
	}
	code(&p, "new_outcome", c.NewOutcome, true)
	p.id("new_decision_id", c.NewDecisionID, true)
	checkGoals(&p, c.NewOutcome, c.Goals)
	p.validity(c.ValidFrom, c.ValidTo, false)
	return p.err()
}

// CarryOut records that a granted support started (POST
// .../decisions/{did}/carried-out).
type CarryOut struct {
	StartedOn  Date `json:"started_on"`
	DecisionID ID   `json:"-"`
	Today      Date `json:"-"`
}

func (CarryOut) CommandName() string { return "case.carry_out" }

func (c CarryOut) Validate() error {
	var p problems
	DecisionCarriedOut{DecisionID: c.DecisionID, StartedOn: c.StartedOn}.check(&p, "")
	notFuture(&p, "started_on", c.StartedOn, c.Today)
	return p.err()
}

// RecordDelay records why a granted decision is not carried out yet.
type RecordDelay struct {
	Reason     DelayReason `json:"reason"`
	Note       string      `json:"note"`
	DecisionID ID          `json:"-"`
	Today      Date        `json:"-"`
}

func (RecordDelay) CommandName() string { return "case.record_delay" }

func (c RecordDelay) Validate() error {
	var p problems
	DecisionDelayed{DecisionID: c.DecisionID, Reason: c.Reason, RecordedOn: c.Today}.check(&p, "")
	p.text("note", c.Note, maxText, c.Reason == DelayOther)
	return p.err()
}

// givenField is a field that may only be given together with another.
type givenField struct {
	field string
	given bool
}

// onlyWith adds msg for each given field, in the order listed (a slice,
// not a map, so an error body lists its problems the same way every time).
func onlyWith(p *problems, msg string, fields []givenField) {
	for _, f := range fields {
		if f.given {
			p.add(f.field, "%s", msg)
		}
	}
}
