package domain

import (
	"fmt"
	"strings"
)

// Deciding decisions under the Administrative Procedure Act (FL 2017:900):
// the mandate of the delegation order, reasons, proposals, communication,
// appeals and carrying out. One place for each rule.

// ReasonsRequired reports whether a decision must state its reasons (FL
// 32 §): always, unless it grants in full what was applied for and goes
// against no other party. A child's decision on protected housing concerns
// the other guardian, so it always carries reasons.
func ReasonsRequired(st SupportType, out DecisionOutcome, childID ID) bool {
	return out != OutcomeGranted || (childID != "" && st == SupportProtectedHousing)
}

// GoesAgainst reports whether a decision goes against the person (not in
// full what was applied for), so that its letter carries appeal
// instructions (FL 33 §).
func GoesAgainst(out DecisionOutcome) bool { return out != OutcomeGranted }

func needReasons(st SupportType, out DecisionOutcome, childID ID, reasons string) error {
	if ReasonsRequired(st, out, childID) && !hasText(reasons) {
		return ruleErr("reasons-required", "a decision that is not a grant in full, or a child's decision on protected housing, states its reasons (FL 32 §)")
	}
	return nil
}

// hasText reports whether s says anything (blanks are no reasons).
func hasText(s string) bool { return strings.TrimSpace(s) != "" }

// decided completes a decision's facts with its mandate.
func decided(f DecisionMade, m Mandate) DecisionMade {
	f.Point, f.DecidedAs, f.OrderVersion = m.Point, m.Role, m.OrderVersion
	return f
}

func (s Case) decideDecision(c MakeDecision) ([]Event, error) {
	if err := s.newDecision(c.DecisionID); err != nil {
		return nil, err
	}
	if err := s.aboutChild(c.ChildID); err != nil {
		return nil, err
	}
	m, err := c.Authority.mandate(c.SupportType, c.Outcome)
	if err != nil {
		return nil, err
	}
	if err := needReasons(c.SupportType, c.Outcome, c.ChildID, c.Reasons); err != nil {
		return nil, err
	}
	f := decided(c.facts(), m)
	if c.Replaces != "" {
		old, ok := s.Decision(c.Replaces)
		if !ok {
			return nil, ruleErr("decision-not-found", "no such decision in the case")
		}
		a, returned := find(s.Appeals, func(a Appeal) bool {
			return a.ConcernsID == c.Replaces && a.Ruling == RulingReturned && a.DecidedAnewID == ""
		})
		if !returned || !old.Current() {
			return nil, ruleErr("not-returned", "only a decision the court returned is decided anew in its place")
		}
		if old.SupportType != c.SupportType || old.ChildID != c.ChildID {
			return nil, ruleErr("replaces-other-matter", "a decision anew is on the same support for the same person")
		}
		f.AppealID = a.AppealID
	}
	return []Event{s.event(f, GoalTexts{Goals: c.Goals, Reasons: c.Reasons})}, nil
}

func decideDecisionSteps(s Case, cmd Command) ([]Event, error) {
	switch c := cmd.(type) {
	case ProposeDecision:
		if _, ok := s.Proposal(c.ProposalID); ok {
			return nil, ruleErr("proposal-exists", "proposal %s already exists", c.ProposalID)
		}
		if err := s.aboutChild(c.ChildID); err != nil {
			return nil, err
		}
		return []Event{s.event(c.facts(), GoalTexts{Goals: c.Goals, Reasons: c.Reasons})}, nil

	case DecideProposal:
		return s.decideProposal(c)

	case CommunicateDecision:
		d, err := s.decision(c.DecisionID)
		if err != nil {
			return nil, err
		}
		if !d.CommunicatedOn.IsZero() {
			return nil, ruleErr("decision-communicated", "the person received the decision on %s", d.CommunicatedOn)
		}
		if c.CommunicatedOn.Before(d.Date()) {
			return nil, ruleErr("communicated-before-decision", "the decision is dated %s", d.Date())
		}
		return []Event{s.event(DecisionCommunicated{DecisionID: c.DecisionID, CommunicatedOn: c.CommunicatedOn, Channel: c.Channel}, nil)}, nil

	case ReceiveAppeal:
		return s.receiveAppeal(c)

	case DismissAppeal:
		a, err := s.openAppeal(c.AppealID)
		if err != nil {
			return nil, err
		}
		if a.Admissible() {
			return nil, ruleErr("appeal-not-late", "only a late appeal is dismissed (FL 45 §); this one came in time or an exception applies")
		}
		if c.DecidedOn.Before(a.ReceivedOn) {
			return nil, ruleErr("decided-before-appeal", "the appeal was received on %s", a.ReceivedOn)
		}
		f := AppealDismissed{AppealID: c.AppealID, DecidedOn: c.DecidedOn, DecidedBy: c.Authority.Sub}
		return []Event{s.event(f, ReasonText{c.Reasons})}, nil

	case ReconsiderAppeal:
		return s.reconsider(c)

	case ForwardAppeal:
		a, err := s.examinedAppeal(c.AppealID)
		if err != nil {
			return nil, err
		}
		if !a.ForwardedOn.IsZero() {
			return nil, ruleErr("appeal-forwarded", "the appeal was forwarded on %s", a.ForwardedOn)
		}
		if c.ForwardedOn.Before(a.ReceivedOn) {
			return nil, ruleErr("forwarded-before-appeal", "the appeal was received on %s", a.ReceivedOn)
		}
		return []Event{s.event(AppealForwarded{AppealID: c.AppealID, ForwardedOn: c.ForwardedOn}, CourtText{c.Court})}, nil

	case RecordRuling:
		a, err := s.openAppeal(c.AppealID)
		if err != nil {
			return nil, err
		}
		if a.ForwardedOn.IsZero() {
			return nil, ruleErr("appeal-not-forwarded", "the court rules on an appeal forwarded to it")
		}
		if c.RuledOn.Before(a.ForwardedOn) {
			return nil, ruleErr("ruled-before-forwarded", "the appeal was forwarded on %s", a.ForwardedOn)
		}
		if c.NewOutcome == "" {
			return []Event{s.event(AppealRuled{AppealID: c.AppealID, RuledOn: c.RuledOn, Outcome: c.Outcome}, nil)}, nil
		}
		return s.courtDecision(c, a)

	case CarryOut:
		d, err := s.grantedToCarryOut(c.DecisionID)
		if err != nil {
			return nil, err
		}
		if c.StartedOn.Before(d.Date()) {
			return nil, ruleErr("started-before-decision", "the decision is dated %s", d.Date())
		}
		return []Event{s.event(DecisionCarriedOut{DecisionID: c.DecisionID, StartedOn: c.StartedOn}, nil)}, nil

	case RecordDelay:
		if _, err := s.grantedToCarryOut(c.DecisionID); err != nil {
			return nil, err
		}
		f := DecisionDelayed{DecisionID: c.DecisionID, Reason: c.Reason, RecordedOn: c.Today}
		if c.Note == "" {
			return []Event{s.event(f, nil)}, nil
		}
		return []Event{s.event(f, NoteText{c.Note})}, nil
	}
	return nil, fmt.Errorf("case: %w %T", ErrUnknownCommand, cmd)
}

func (s Case) decideProposal(c DecideProposal) ([]Event, error) {
	p, ok := s.Proposal(c.ProposalID)
	if !ok {
		return nil, ruleErr("proposal-not-found", "no such proposal in the case")
	}
	if p.DecisionID != "" {
		return nil, ruleErr("proposal-decided", "the proposal was decided")
	}
	if c.Authority.Sub == p.ProposedBy {
		return nil, ruleErr("own-proposal", "nobody decides their own proposal")
	}
	if err := s.newDecision(c.DecisionID); err != nil {
		return nil, err
	}
	if c.DecidedOn.Before(p.ProposedOn) {
		return nil, ruleErr("decided-before-proposal", "the proposal was made on %s", p.ProposedOn)
	}
	m, err := c.Authority.mandate(p.SupportType, c.Outcome)
	if err != nil {
		return nil, err
	}
	if err := needReasons(p.SupportType, c.Outcome, p.ChildID, c.Reasons); err != nil {
		return nil, err
	}
	goals := c.Goals
	if len(goals) == 0 {
		goals = c.ProposalGoals
	}
	var pr problems
	needGoals(&pr, c.Outcome, goals) // the proposal's goals, unless the body gave its own
	if err := pr.err(); err != nil {
		return nil, err
	}
	f := decided(DecisionMade{
		DecisionID: c.DecisionID, SupportType: p.SupportType, Outcome: c.Outcome, GoalCount: len(goals),
		ValidFrom: p.ValidFrom, ValidTo: p.ValidTo, ChildID: p.ChildID, DecidedOn: c.DecidedOn,
		DecidedBy: c.Authority.Sub, HasReasons: hasText(c.Reasons), ProposalID: p.ProposalID,
	}, m)
	return []Event{s.event(f, GoalTexts{Goals: goals, Reasons: c.Reasons})}, nil
}

func (s Case) receiveAppeal(c ReceiveAppeal) ([]Event, error) {
	d, err := s.decision(c.DecisionID)
	if err != nil {
		return nil, err
	}
	if !d.Current() {
		return nil, ruleErr("decision-replaced", "a later decision replaced this one; an appeal concerns the valid decision")
	}
	if d.ByCourt {
		return nil, ruleErr("decision-by-court", "the court's decision is appealed to the higher court as its judgment says")
	}
	if _, ok := s.Appeal(c.AppealID); ok {
		return nil, ruleErr("appeal-exists", "appeal %s already exists", c.AppealID)
	}
	for _, a := range s.Appeals {
		if a.ConcernsID != c.DecisionID {
			continue
		}
		if a.Final() {
			return nil, ruleErr("appeal-final", "the appeal of this decision was finally examined; nothing but corrections follows")
		}
		return nil, ruleErr("appeal-pending", "an appeal of this decision is being examined")
	}
	if c.ReceivedOn.Before(d.Date()) {
		return nil, ruleErr("appeal-before-decision", "the decision is dated %s", d.Date())
	}
	f := AppealReceived{
		AppealID: c.AppealID, DecisionID: c.DecisionID, ReceivedOn: c.ReceivedOn,
		WrongInstructions: c.WrongInstructions, ReachedCourtOn: c.ReachedCourtOn, InTime: true,
	}
	// The period runs from the day the person received the decision; one
	// not yet communicated has no period running, so an appeal is in time.
	if !d.CommunicatedOn.IsZero() {
		f.LastDay = AppealLastDay(d.CommunicatedOn)
		f.InTime = !c.ReceivedOn.After(f.LastDay)
	}
	return []Event{s.event(f, nil)}, nil
}

// CarryOutDeadline is the last day a granted decision may be carried out
// before it counts as not carried out within three months (reported to
// IVO each quarter): three months from the decision date, by lag 1930:173
// like every deadline of the board.
func CarryOutDeadline(decided Date) Date { return MonthsPeriodEnd(decided, 3) }

// AppealLastDay is the last day to appeal a decision the person received on
// received: three weeks (FL 44 §), by lag 1930:173.
func AppealLastDay(received Date) Date { return WeeksPeriodEnd(received, 3) }

func (s Case) reconsider(c ReconsiderAppeal) ([]Event, error) {
	a, err := s.examinedAppeal(c.AppealID)
	if err != nil {
		return nil, err
	}
	if !a.ReconsideredOn.IsZero() {
		return nil, ruleErr("appeal-reconsidered", "the decision was reconsidered on %s", a.ReconsideredOn)
	}
	if !a.ForwardedOn.IsZero() {
		return nil, ruleErr("appeal-forwarded", "the court has the appeal since %s; the municipality no longer reconsiders (FL 39 §)", a.ForwardedOn)
	}
	d, err := s.decision(a.ConcernsID)
	if err != nil {
		return nil, err
	}
	if c.DecidedOn.Before(a.ReceivedOn) {
		return nil, ruleErr("decided-before-appeal", "the appeal was received on %s", a.ReceivedOn)
	}
	if !c.Changed {
		if _, err := c.Authority.mandate(d.SupportType, d.Outcome); err != nil {
			return nil, err
		}
		f := AppealReconsidered{AppealID: c.AppealID, DecidedOn: c.DecidedOn, DecidedBy: c.Authority.Sub}
		return []Event{s.event(f, ReasonText{c.Reasons})}, nil
	}
	m, err := c.Authority.mandate(d.SupportType, c.Outcome)
	if err != nil {
		return nil, err
	}
	if err := needReasons(d.SupportType, c.Outcome, d.ChildID, c.Reasons); err != nil {
		return nil, err
	}
	if err := s.newDecision(c.NewDecisionID); err != nil {
		return nil, err
	}
	from, to := d.periodAnew(c.ValidFrom, c.ValidTo, c.DecidedOn)
	nd := decided(DecisionMade{
		DecisionID: c.NewDecisionID, SupportType: d.SupportType, Outcome: c.Outcome, GoalCount: len(c.Goals),
		ValidFrom: from, ValidTo: to, ChildID: d.ChildID, DecidedOn: c.DecidedOn, DecidedBy: c.Authority.Sub,
		HasReasons: hasText(c.Reasons), Replaces: d.DecisionID, AppealID: a.AppealID,
	}, m)
	rf := AppealReconsidered{AppealID: c.AppealID, DecidedOn: c.DecidedOn, DecidedBy: c.Authority.Sub, Changed: true, NewDecisionID: c.NewDecisionID}
	return []Event{
		s.event(rf, ReasonText{c.Reasons}),
		s.event(nd, GoalTexts{Goals: c.Goals, Reasons: c.Reasons}),
	}, nil
}

// courtDecision records the ruling and the court's decision, which
// replaces the appealed one (it names no decision-maker of the
// municipality and needs no mandate).
func (s Case) courtDecision(c RecordRuling, a Appeal) ([]Event, error) {
	d, err := s.decision(a.ConcernsID)
	if err != nil {
		return nil, err
	}
	if err := s.newDecision(c.NewDecisionID); err != nil {
		return nil, err
	}
	from, to := d.periodAnew(c.ValidFrom, c.ValidTo, c.RuledOn)
	nd := DecisionMade{
		DecisionID: c.NewDecisionID, SupportType: d.SupportType, Outcome: c.NewOutcome, GoalCount: len(c.Goals),
		ValidFrom: from, ValidTo: to, ChildID: d.ChildID, DecidedOn: c.RuledOn, Replaces: d.DecisionID, AppealID: a.AppealID, ByCourt: true,
	}
	return []Event{
		s.event(AppealRuled{AppealID: c.AppealID, RuledOn: c.RuledOn, Outcome: c.Outcome, NewDecisionID: c.NewDecisionID}, nil),
		s.event(nd, GoalTexts{Goals: c.Goals}),
	}, nil
}

// newDecision refuses an id a decision of the case already has.
func (s Case) newDecision(id ID) error {
	if _, ok := s.Decision(id); ok {
		return ruleErr("decision-exists", "decision %s already exists", id)
	}
	return nil
}

// periodAnew is the period of a decision replacing d (on reconsideration
// or by the court): what was given, else from the day it is decided on,
// keeping d's end when that lies after the new start.
func (d Decision) periodAnew(from, to, on Date) (Date, Date) {
	if from.IsZero() {
		from = on
	}
	if to.IsZero() && d.ValidTo.After(from) {
		to = d.ValidTo
	}
	return from, to
}

func (s Case) decision(id ID) (Decision, error) {
	d, ok := s.Decision(id)
	if !ok {
		return Decision{}, ruleErr("decision-not-found", "no such decision in the case")
	}
	return d, nil
}

// openAppeal is an appeal on which more may be recorded than corrections.
func (s Case) openAppeal(id ID) (Appeal, error) {
	a, ok := s.Appeal(id)
	if !ok {
		return Appeal{}, ruleErr("appeal-not-found", "no such appeal in the case")
	}
	if a.Final() {
		return Appeal{}, ruleErr("appeal-final", "the appeal was finally examined; nothing but corrections follows")
	}
	return a, nil
}

// examinedAppeal is an open appeal the municipality examines: in time, or
// late under an exception of FL 45 § (a late one is dismissed instead).
func (s Case) examinedAppeal(id ID) (Appeal, error) {
	a, err := s.openAppeal(id)
	if err != nil {
		return a, err
	}
	if !a.Admissible() {
		return Appeal{}, ruleErr("appeal-late", "the appeal came in after %s; a late appeal is dismissed (FL 45 §)", a.LastDay)
	}
	return a, nil
}

func (s Case) grantedToCarryOut(id ID) (Decision, error) {
	d, err := s.decision(id)
	if err != nil {
		return d, err
	}
	if !d.Outcome.Granted() {
		return d, ruleErr("decision-not-granted", "only a decision granting support is carried out")
	}
	if !d.Current() {
		return d, ruleErr("decision-replaced", "a later decision replaced this one")
	}
	if !d.CarriedOutOn.IsZero() {
		return d, ruleErr("decision-carried-out", "the support started on %s", d.CarriedOutOn)
	}
	return d, nil
}
