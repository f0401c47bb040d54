package domain

// Folding decisions, proposals and appeals into the case.

// applyDecision adds a decision; one that replaces another marks the other
// replaced, decides its proposal, and closes the return it answers.
func (s Case) applyDecision(f DecisionMade) Case {
	s.Decisions = append(s.Decisions, Decision{DecisionMade: f, BeforeDelegation: !f.UnderDelegation() && !f.ByCourt})
	if f.Replaces != "" {
		update(s.Decisions, func(d Decision) bool { return d.DecisionID == f.Replaces }, func(d *Decision) {
			d.ReplacedBy, d.ReplacedOn = f.DecisionID, f.Date()
		})
		update(s.Appeals, func(a Appeal) bool {
			return a.ConcernsID == f.Replaces && a.Ruling == RulingReturned && a.DecidedAnewID == ""
		},
			func(a *Appeal) { a.DecidedAnewID = f.DecisionID })
	}
	if f.ProposalID != "" {
		update(s.Proposals, func(p Proposal) bool { return p.ProposalID == f.ProposalID }, func(p *Proposal) { p.DecisionID = f.DecisionID })
	}
	return s
}

func (s Case) applyDecisionStep(facts Facts) Case {
	decision := func(id ID, change func(*Decision)) {
		update(s.Decisions, func(d Decision) bool { return d.DecisionID == id }, change)
	}
	appeal := func(id ID, change func(*Appeal)) {
		update(s.Appeals, func(a Appeal) bool { return a.AppealID == id }, change)
	}
	switch f := facts.(type) {
	case DecisionProposed:
		s.Proposals = append(s.Proposals, Proposal{DecisionProposed: f})
	case DecisionCommunicated:
		decision(f.DecisionID, func(d *Decision) { d.CommunicatedOn, d.Channel = f.CommunicatedOn, f.Channel })
	case AppealReceived:
		s.Appeals = append(s.Appeals, Appeal{AppealReceived: f, ConcernsID: f.DecisionID})
	case AppealDismissed:
		appeal(f.AppealID, func(a *Appeal) { a.DismissedOn = f.DecidedOn })
	case AppealReconsidered:
		appeal(f.AppealID, func(a *Appeal) {
			a.ReconsideredOn, a.Changed = f.DecidedOn, f.Changed
			if f.Changed {
				a.ConcernsID = f.NewDecisionID
			}
		})
	case AppealForwarded:
		appeal(f.AppealID, func(a *Appeal) { a.ForwardedOn = f.ForwardedOn })
	case AppealRuled:
		var concerns ID
		appeal(f.AppealID, func(a *Appeal) { a.RuledOn, a.Ruling, concerns = f.RuledOn, f.Outcome, a.ConcernsID })
		if f.Outcome == RulingChanged {
			decision(concerns, func(d *Decision) { d.ChangedByCourt = true })
		}
	case DecisionCarriedOut:
		decision(f.DecisionID, func(d *Decision) { d.CarriedOutOn = f.StartedOn })
	case DecisionDelayed:
		decision(f.DecisionID, func(d *Decision) { d.Delay = f.Reason })
	}
	return s
}

// carryOutByMoveIn: a move-in to protected housing carries out the housing
// decision it names and the accompanying children's own housing decisions
// (the support started), unless they were carried out before.
func (s Case) carryOutByMoveIn(f PlacementStarted) {
	for i := range s.Decisions {
		d := &s.Decisions[i]
		if !d.CarriedOutOn.IsZero() || !d.Current() || !grantsHousing(*d) {
			continue
		}
		if d.DecisionID == f.DecisionID || (d.ChildID != "" && containsID(f.ChildIDs, d.ChildID)) {
			d.CarriedOutOn = f.MovedInOn
		}
	}
}

func containsID(ids []ID, id ID) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}
