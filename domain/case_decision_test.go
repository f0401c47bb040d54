package domain

import (
	"testing"
)

// Decision-makers of the tests, under the default delegation order.
var (
	supervisorSara = Authority{Sub: "sara", Roles: []string{RoleSupervisor}, Order: DefaultDelegationOrder()}
	caseworkerAnna = Authority{Sub: "anna", Roles: []string{RoleCaseworker}, Order: DefaultDelegationOrder()}
	caseworkerBo   = Authority{Sub: "bo", Roles: []string{RoleCaseworker}, Order: DefaultDelegationOrder()}
)

func decidedBy(f DecisionMade, a Authority, point, role string) DecisionMade {
	f.DecidedOn, f.DecidedBy, f.Point, f.DecidedAs, f.OrderVersion = f.ValidFrom, a.Sub, point, role, a.Order.Version
	return f
}

// talks is a granted support-talks decision dated 2026-03-02, by a case
// worker under the default order.
func talks(id ID, o DecisionOutcome) DecisionMade {
	f := DecisionMade{
		DecisionID: id, SupportType: SupportTalks, Outcome: o, GoalCount: 1, ValidFrom: day("2026-03-02"), ValidTo: day("2026-09-02"),
		DecidedOn: day("2026-03-02"), DecidedBy: "anna", Point: "SoL 1.2", DecidedAs: RoleCaseworker,
	}
	if o != OutcomeGranted {
		f.GoalCount, f.HasReasons, f.DecidedBy, f.Point, f.DecidedAs = 0, true, "sara", "SoL 1.3", RoleSupervisor
	}
	return f
}

func TestDecisionNeedsTheMandateInForce(t *testing.T) {
	denyTalks := MakeDecision{
		DecisionID: dec1, SupportType: SupportTalks, Outcome: OutcomeDenied, ValidFrom: day("2026-03-02"),
		DecidedOn: day("2026-03-02"), Reasons: "Behovet tillgodoses annars.",
	}
	for _, tc := range []struct {
		name string
		cmd  func() MakeDecision
		rule string
	}{
		{"a case worker may not deny under the default order", func() MakeDecision { c := denyTalks; c.Authority = caseworkerAnna; return c }, "no-mandate"},
		{"nor grant protected housing", func() MakeDecision {
			return MakeDecision{DecisionID: dec1, SupportType: SupportProtectedHousing, Outcome: OutcomeGranted, Goals: []string{"g"},
				ValidFrom: day("2026-03-02"), DecidedOn: day("2026-03-02"), Authority: caseworkerAnna}
		}, "no-mandate"},
		{"nobody decides without a decision-maker", func() MakeDecision { c := denyTalks; c.Authority.Order = DefaultDelegationOrder(); return c }, "no-mandate"},
		{"an order without a rule for the decision gives nobody the mandate", func() MakeDecision {
			c := denyTalks
			c.Authority = supervisorSara
			c.Authority.Order = DelegationOrder{Version: 2, Exists: true, Rules: []DelegationRule{{Point: "4.1", SupportType: SupportTalks, Outcome: OutcomeGranted, Roles: []string{RoleSupervisor}}}}
			return c
		}, "no-mandate"},
	} {
		t.Run(tc.name, func(t *testing.T) { caseGiven(t, opened).when(tc.cmd()).thenRule(tc.rule) })
	}
	t.Run("the decision records the point, role and version of the order in force", func(t *testing.T) {
		c := denyTalks
		c.Authority = caseworkerAnna
		c.Authority.Order = DelegationOrder{Version: 7, Exists: true, Rules: []DelegationRule{
			{Point: "4.2", SupportType: SupportTalks, Outcome: OutcomeDenied, Roles: []string{RoleCaseworker, RoleSupervisor}},
		}}
		caseGiven(t, opened).when(c).thenFacts(DecisionMade{
			DecisionID: dec1, SupportType: SupportTalks, Outcome: OutcomeDenied, ValidFrom: day("2026-03-02"),
			DecidedOn: day("2026-03-02"), DecidedBy: "anna", Point: "4.2", DecidedAs: RoleCaseworker, OrderVersion: 7, HasReasons: true,
		})
	})
	t.Run("a grant in full against no other party may go without reasons", func(t *testing.T) {
		caseGiven(t, opened).when(MakeDecision{DecisionID: dec1, SupportType: SupportTalks, Outcome: OutcomeGranted, Goals: []string{"g"},
			ValidFrom: day("2026-03-02"), ValidTo: day("2026-09-02"), DecidedOn: day("2026-03-02"), Authority: caseworkerAnna}).
			thenFacts(talks(dec1, OutcomeGranted))
	})
	t.Run("blanks are no reasons", func(t *testing.T) {
		c := denyTalks
		c.Authority, c.Reasons = supervisorSara, "  \n\t "
		caseGiven(t, opened).when(c).thenRule("reasons-required")
	})
	t.Run("a partial grant states reasons", func(t *testing.T) {
		caseGiven(t, opened).when(MakeDecision{DecisionID: dec1, SupportType: SupportTalks, Outcome: OutcomePartlyGranted, Goals: []string{"g"},
			ValidFrom: day("2026-03-02"), DecidedOn: day("2026-03-02"), Authority: supervisorSara}).thenRule("reasons-required")
	})
}

func TestProposals(t *testing.T) {
	prop := tid(150)
	propose := ProposeDecision{
		SupportType: SupportProtectedHousing, Outcome: OutcomeGranted, Goals: []string{"Trygghet"}, ValidFrom: day("2026-03-02"),
		ValidTo: day("2026-05-02"), ProposalID: prop, ProposedBy: "anna", Today: day("2026-03-01"),
	}
	proposed := DecisionProposed{ProposalID: prop, SupportType: SupportProtectedHousing, Outcome: OutcomeGranted, GoalCount: 1,
		ValidFrom: day("2026-03-02"), ValidTo: day("2026-05-02"), ProposedBy: "anna", ProposedOn: day("2026-03-01")}
	t.Run("a case worker without the mandate proposes", func(t *testing.T) {
		caseGiven(t, opened).when(propose).then(Event{Facts: proposed, Personal: GoalTexts{Goals: []string{"Trygghet"}}, SealWith: subjKey})
		caseGiven(t, opened, proposed).when(propose).thenRule("proposal-exists")
	})
	decide := DecideProposal{Outcome: OutcomeGranted, DecidedOn: day("2026-03-02"), ProposalID: prop, ProposalGoals: []string{"Trygghet"},
		DecisionID: dec1, Authority: supervisorSara, Today: day("2026-03-02"), Reasons: "Hög risk."}
	t.Run("a delegate decides it", func(t *testing.T) {
		r := caseGiven(t, opened, proposed).when(decide).then(Event{Facts: DecisionMade{
			DecisionID: dec1, SupportType: SupportProtectedHousing, Outcome: OutcomeGranted, GoalCount: 1, ValidFrom: day("2026-03-02"),
			ValidTo: day("2026-05-02"), DecidedOn: day("2026-03-02"), DecidedBy: "sara", Point: "SoL 1.1", DecidedAs: RoleSupervisor,
			HasReasons: true, ProposalID: prop,
		}, Personal: GoalTexts{Goals: []string{"Trygghet"}, Reasons: "Hög risk."}, SealWith: subjKey})
		if p, _ := r.after().Proposal(prop); p.DecisionID != dec1 {
			t.Fatalf("proposal not decided: %+v", p)
		}
	})
	for _, tc := range []struct {
		name  string
		given []any
		cmd   func() DecideProposal
		rule  string
	}{
		{"nobody decides their own proposal, even with the mandate", []any{opened, proposed}, func() DecideProposal {
			c := decide
			c.Authority = supervisorSara
			c.Authority.Sub = "anna"
			return c
		}, "own-proposal"},
		{"another case worker without the mandate cannot", []any{opened, proposed}, func() DecideProposal { c := decide; c.Authority = caseworkerBo; return c }, "no-mandate"},
		{"a proposal is decided once", []any{opened, proposed, DecisionMade{DecisionID: tid(151), SupportType: SupportProtectedHousing, Outcome: OutcomeGranted,
			GoalCount: 1, ValidFrom: day("2026-03-02"), DecidedOn: day("2026-03-02"), DecidedBy: "sara", Point: "SoL 1.1", DecidedAs: RoleSupervisor, ProposalID: prop}},
			func() DecideProposal { return decide }, "proposal-decided"},
		{"an unknown proposal", []any{opened}, func() DecideProposal { return decide }, "proposal-not-found"},
		{"deciding to deny needs reasons", []any{opened, proposed}, func() DecideProposal {
			c := decide
			c.Outcome, c.Reasons = OutcomeDenied, ""
			return c
		}, "reasons-required"},
		{"not dated before the proposal", []any{opened, proposed}, func() DecideProposal { c := decide; c.DecidedOn = day("2026-02-27"); return c }, "decided-before-proposal"},
	} {
		t.Run(tc.name, func(t *testing.T) { caseGiven(t, tc.given...).when(tc.cmd()).thenRule(tc.rule) })
	}
}

func TestCommunication(t *testing.T) {
	denied := talks(dec1, OutcomeDenied)
	cmd := CommunicateDecision{DecisionID: dec1, CommunicatedOn: day("2026-03-04"), Channel: DeliveredByLetter, Today: day("2026-03-05")}
	r := caseGiven(t, opened, denied).when(cmd).thenFacts(DecisionCommunicated{DecisionID: dec1, CommunicatedOn: day("2026-03-04"), Channel: DeliveredByLetter})
	if d, _ := r.after().Decision(dec1); !d.CommunicatedOn.Equal(day("2026-03-04")) {
		t.Fatalf("state: %+v", d)
	}
	caseGiven(t, opened, denied, DecisionCommunicated{DecisionID: dec1, CommunicatedOn: day("2026-03-04"), Channel: DeliveredByLetter}).when(cmd).thenRule("decision-communicated")
	caseGiven(t, opened).when(cmd).thenRule("decision-not-found")
	early := cmd
	early.CommunicatedOn = day("2026-03-01")
	caseGiven(t, opened, denied).when(early).thenRule("communicated-before-decision")
	future := cmd
	future.CommunicatedOn = day("2026-03-06")
	caseGiven(t, opened, denied).when(future).thenInvalid("communicated_on")
}

// The appeal period: three weeks from the day received, the last day moved
// by lag 1930:173.
func TestAppealTimeliness(t *testing.T) {
	app := tid(160)
	for _, tc := range []struct {
		name               string
		communicated, recv string
		lastDay            string
		inTime             bool
	}{
		{"day 21 after the day received is in time", "2026-03-02", "2026-03-23", "2026-03-23", true},
		{"day 22 is late", "2026-03-02", "2026-03-24", "2026-03-23", false},
		{"last day a Saturday moves to Monday", "2026-02-28", "2026-03-23", "2026-03-23", true},
		{"last day a Sunday moves to Monday, Tuesday is late", "2026-03-01", "2026-03-24", "2026-03-23", false},
		{"last day Good Friday moves past Easter Monday (Easter computed)", "2026-03-13", "2026-04-07", "2026-04-07", true},
		{"the day after Easter's Tuesday is late", "2026-03-13", "2026-04-08", "2026-04-07", false},
		{"last day midsummer eve moves to Monday", "2026-05-29", "2026-06-22", "2026-06-22", true},
		{"last day Christmas eve moves past Boxing Day and the weekend", "2026-12-03", "2026-12-28", "2026-12-28", true},
		{"last day New Year's eve moves into the new year", "2026-12-10", "2027-01-04", "2027-01-04", true},
		{"a public holiday (Ascension Day) moves to the next day", "2026-04-23", "2026-05-15", "2026-05-15", true},
		{"and the day after that is late", "2026-04-23", "2026-05-18", "2026-05-15", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := talks(dec1, OutcomeDenied)
			d.DecidedOn, d.ValidFrom = day("2026-01-05"), day("2026-01-05")
			comm := DecisionCommunicated{DecisionID: dec1, CommunicatedOn: day(tc.communicated), Channel: DeliveredByLetter}
			caseGiven(t, opened, d, comm).when(ReceiveAppeal{DecisionID: dec1, AppealID: app, ReceivedOn: day(tc.recv), Today: day("2027-02-01")}).
				thenFacts(AppealReceived{AppealID: app, DecisionID: dec1, ReceivedOn: day(tc.recv), LastDay: day(tc.lastDay), InTime: tc.inTime})
		})
	}
	t.Run("before the person received the decision no period runs", func(t *testing.T) {
		caseGiven(t, opened, talks(dec1, OutcomeDenied)).when(ReceiveAppeal{DecisionID: dec1, AppealID: app, ReceivedOn: day("2026-12-01")}).
			thenFacts(AppealReceived{AppealID: app, DecisionID: dec1, ReceivedOn: day("2026-12-01"), InTime: true})
	})
	t.Run("not before the decision", func(t *testing.T) {
		caseGiven(t, opened, talks(dec1, OutcomeDenied)).when(ReceiveAppeal{DecisionID: dec1, AppealID: app, ReceivedOn: day("2026-03-01")}).thenRule("appeal-before-decision")
	})
}

func TestAppealExamination(t *testing.T) {
	app, newDec := tid(160), tid(161)
	d := talks(dec1, OutcomeDenied)
	comm := DecisionCommunicated{DecisionID: dec1, CommunicatedOn: day("2026-03-02"), Channel: DeliveredByLetter}
	inTime := AppealReceived{AppealID: app, DecisionID: dec1, ReceivedOn: day("2026-03-20"), LastDay: day("2026-03-23"), InTime: true}
	late := AppealReceived{AppealID: app, DecisionID: dec1, ReceivedOn: day("2026-03-24"), LastDay: day("2026-03-23")}
	lateWrongInstr := late
	lateWrongInstr.WrongInstructions = true
	lateButCourt := late
	lateButCourt.ReachedCourtOn = day("2026-03-23")
	dismiss := DismissAppeal{AppealID: app, DecidedOn: day("2026-03-25"), Reasons: "För sent.", Authority: caseworkerAnna}
	keep := ReconsiderAppeal{AppealID: app, DecidedOn: day("2026-03-25"), Authority: supervisorSara}
	change := ReconsiderAppeal{AppealID: app, DecidedOn: day("2026-03-25"), Changed: true, Outcome: OutcomeGranted, Goals: []string{"Stöd"},
		Reasons: "Nya uppgifter.", NewDecisionID: newDec, Authority: caseworkerAnna}
	forward := ForwardAppeal{AppealID: app, ForwardedOn: day("2026-03-26"), Court: "Förvaltningsrätten i Stockholm"}
	forwarded := AppealForwarded{AppealID: app, ForwardedOn: day("2026-03-26")}
	ruling := func(o AppealRuling) AppealRuled {
		return AppealRuled{AppealID: app, RuledOn: day("2026-06-01"), Outcome: o}
	}
	reconsidered := AppealReconsidered{AppealID: app, DecidedOn: day("2026-03-25"), DecidedBy: "sara"}

	for _, tc := range []struct {
		name  string
		given []any
		cmd   Command
		rule  string // "" = accepted
	}{
		{"a late appeal is dismissed", []any{opened, d, comm, late}, dismiss, ""},
		{"an appeal in time is not dismissed", []any{opened, d, comm, inTime}, dismiss, "appeal-not-late"},
		{"nor a late one after wrong appeal instructions (FL 45 §)", []any{opened, d, comm, lateWrongInstr}, dismiss, "appeal-not-late"},
		{"nor a late one that reached the court in time (FL 45 §)", []any{opened, d, comm, lateButCourt}, dismiss, "appeal-not-late"},
		{"a late appeal is not reconsidered", []any{opened, d, comm, late}, keep, "appeal-late"},
		{"nor forwarded", []any{opened, d, comm, late}, forward, "appeal-late"},
		{"an excepted late appeal is reconsidered", []any{opened, d, comm, lateWrongInstr}, keep, ""},
		{"reconsideration only of an appealed decision", []any{opened, d, comm}, keep, "appeal-not-found"},
		{"reconsidered once", []any{opened, d, comm, inTime, reconsidered}, keep, "appeal-reconsidered"},
		{"not once the court has it (FL 39 §)", []any{opened, d, comm, inTime, forwarded}, keep, "appeal-forwarded"},
		{"the reconsideration needs the mandate for the decision it keeps", []any{opened, d, comm, inTime},
			ReconsiderAppeal{AppealID: app, DecidedOn: day("2026-03-25"), Authority: caseworkerAnna}, "no-mandate"},
		{"a change needs the mandate for the new decision", []any{opened, d, comm, inTime},
			func() Command { c := change; c.Outcome = OutcomePartlyGranted; return c }(), "no-mandate"},
		{"a changed decision that is not a grant in full states reasons", []any{opened, d, comm, inTime},
			func() Command {
				c := change
				c.Outcome, c.Reasons, c.Authority = OutcomePartlyGranted, "", supervisorSara
				return c
			}(), "reasons-required"},
		{"forwarded even when changed", []any{opened, d, comm, inTime, AppealReconsidered{AppealID: app, DecidedOn: day("2026-03-25"), DecidedBy: "anna", Changed: true, NewDecisionID: newDec}}, forward, ""},
		{"forwarded once", []any{opened, d, comm, inTime, forwarded}, forward, "appeal-forwarded"},
		{"a ruling only on a forwarded appeal", []any{opened, d, comm, inTime}, RecordRuling{AppealID: app, RuledOn: day("2026-06-01"), Outcome: RulingUpheld}, "appeal-not-forwarded"},
		{"nothing after a final ruling: no second ruling", []any{opened, d, comm, inTime, forwarded, ruling(RulingUpheld)},
			RecordRuling{AppealID: app, RuledOn: day("2026-06-02"), Outcome: RulingChanged}, "appeal-final"},
		{"nothing after a final ruling: no reconsideration", []any{opened, d, comm, inTime, forwarded, ruling(RulingChanged)}, keep, "appeal-final"},
		{"nothing after a final ruling: no new appeal of the decision", []any{opened, d, comm, inTime, forwarded, ruling(RulingUpheld)},
			ReceiveAppeal{DecisionID: dec1, AppealID: tid(162), ReceivedOn: day("2026-06-02")}, "appeal-final"},
		{"nothing after a dismissal", []any{opened, d, comm, late, AppealDismissed{AppealID: app, DecidedOn: day("2026-03-25"), DecidedBy: "anna"}}, forward, "appeal-final"},
		{"one appeal of a decision at a time", []any{opened, d, comm, inTime}, ReceiveAppeal{DecisionID: dec1, AppealID: tid(162), ReceivedOn: day("2026-03-21")}, "appeal-pending"},
		{"but corrections after a final ruling", []any{opened, d, comm, inTime, forwarded, ruling(RulingUpheld)},
			Correct{EventID: evID(5), Reason: "Fel datum", Corrected: []byte(`{"forwarded_on":"2026-03-27"}`)}, ""},
		{"a ruling's outcome is not corrected", []any{opened, d, comm, inTime, forwarded, ruling(RulingUpheld)},
			Correct{EventID: evID(6), Reason: "x", Corrected: []byte(`{"outcome":"changed"}`)}, "correction-locked"},
		{"timeliness is not corrected", []any{opened, d, comm, late},
			Correct{EventID: evID(4), Reason: "x", Corrected: []byte(`{"in_time":true}`)}, "correction-locked"},
		{"a decision's outcome is not corrected: a change is a new decision", []any{opened, talks(dec1, OutcomeGranted)},
			Correct{EventID: evID(2), Reason: "x", Corrected: []byte(`{"outcome":"denied"}`)}, "correction-locked"},
		{"nor its decision-maker", []any{opened, d}, Correct{EventID: evID(2), Reason: "x", Corrected: []byte(`{"decided_by":"eve"}`)}, "correction-locked"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := caseGiven(t, tc.given...).when(tc.cmd)
			if tc.rule != "" {
				r.thenRule(tc.rule)
				return
			}
			if r.err != nil {
				t.Fatalf("refused: %v", r.err)
			}
		})
	}

	t.Run("a changed decision is a new decision linked to the old, and the appeal concerns it", func(t *testing.T) {
		r := caseGiven(t, opened, d, comm, inTime).when(change).thenFacts(
			AppealReconsidered{AppealID: app, DecidedOn: day("2026-03-25"), DecidedBy: "anna", Changed: true, NewDecisionID: newDec},
			DecisionMade{DecisionID: newDec, SupportType: SupportTalks, Outcome: OutcomeGranted, GoalCount: 1, ValidFrom: day("2026-03-25"),
				ValidTo: day("2026-09-02"), DecidedOn: day("2026-03-25"), DecidedBy: "anna", Point: "SoL 1.2", DecidedAs: RoleCaseworker,
				HasReasons: true, Replaces: dec1, AppealID: app},
		)
		s := r.after()
		old, _ := s.Decision(dec1)
		nd, _ := s.Decision(newDec)
		a, _ := s.Appeal(app)
		if old.Current() || old.ReplacedBy != newDec || !nd.Current() || a.ConcernsID != newDec || a.Outcome() != "reconsidered_changed" {
			t.Fatalf("old %+v new %+v appeal %+v", old, nd, a)
		}
		// The replaced decision is appealed no more; the new one needs its own communication.
		evs := append(append([]any{}, opened, d, comm, inTime), factsOf(r.events)...)
		caseGiven(t, evs...).when(ReceiveAppeal{DecisionID: dec1, AppealID: tid(163), ReceivedOn: day("2026-03-26")}).thenRule("decision-replaced")
	})

	t.Run("after `returned` the municipality decides anew, once", func(t *testing.T) {
		returned := []any{opened, d, comm, inTime, forwarded, ruling(RulingReturned)}
		anew := MakeDecision{DecisionID: newDec, SupportType: SupportTalks, Outcome: OutcomeGranted, Goals: []string{"g"}, ValidFrom: day("2026-06-05"),
			DecidedOn: day("2026-06-05"), Replaces: dec1, Authority: caseworkerAnna}
		r := caseGiven(t, returned...).when(anew)
		r.thenFacts(DecisionMade{DecisionID: newDec, SupportType: SupportTalks, Outcome: OutcomeGranted, GoalCount: 1, ValidFrom: day("2026-06-05"),
			DecidedOn: day("2026-06-05"), DecidedBy: "anna", Point: "SoL 1.2", DecidedAs: RoleCaseworker, Replaces: dec1, AppealID: app})
		if a, _ := r.after().Appeal(app); a.DecidedAnewID != newDec {
			t.Fatalf("appeal %+v", a)
		}
		again := anew
		again.DecisionID = tid(164)
		caseGiven(t, append(returned, factsOf(r.events)...)...).when(again).thenRule("not-returned")
		upheld := []any{opened, d, comm, inTime, forwarded, ruling(RulingUpheld)}
		caseGiven(t, upheld...).when(anew).thenRule("not-returned")
		other := anew
		other.SupportType = SupportContactPerson
		caseGiven(t, returned...).when(other).thenRule("replaces-other-matter")
	})

	t.Run("the court's changed decision replaces the appealed one and is carried out", func(t *testing.T) {
		courtDec := tid(165)
		r := caseGiven(t, opened, d, comm, inTime, forwarded).when(RecordRuling{AppealID: app, RuledOn: day("2026-06-01"), Outcome: RulingChanged,
			NewOutcome: OutcomeGranted, Goals: []string{"Stöd"}, NewDecisionID: courtDec})
		r.thenFacts(
			AppealRuled{AppealID: app, RuledOn: day("2026-06-01"), Outcome: RulingChanged, NewDecisionID: courtDec},
			DecisionMade{DecisionID: courtDec, SupportType: SupportTalks, Outcome: OutcomeGranted, GoalCount: 1, ValidFrom: day("2026-06-01"),
				ValidTo: day("2026-09-02"), DecidedOn: day("2026-06-01"), Replaces: dec1, AppealID: app, ByCourt: true},
		)
		s := r.after()
		old, _ := s.Decision(dec1)
		nd, _ := s.Decision(courtDec)
		if old.Current() || !old.ChangedByCourt || !nd.Current() || nd.BeforeDelegation {
			t.Fatalf("old %+v new %+v", old, nd)
		}
		evs := append([]any{opened, d, comm, inTime, forwarded}, factsOf(r.events)...)
		caseGiven(t, evs...).when(CarryOut{DecisionID: courtDec, StartedOn: day("2026-06-02")}).
			thenFacts(DecisionCarriedOut{DecisionID: courtDec, StartedOn: day("2026-06-02")})
		caseGiven(t, evs...).when(ReceiveAppeal{DecisionID: courtDec, AppealID: tid(166), ReceivedOn: day("2026-06-03")}).thenRule("decision-by-court")
		caseGiven(t, opened, d, comm, inTime, forwarded).when(RecordRuling{AppealID: app, RuledOn: day("2026-06-01"), Outcome: RulingUpheld,
			NewOutcome: OutcomeGranted, Goals: []string{"Stöd"}, NewDecisionID: courtDec}).thenInvalid("new_outcome")
	})
	t.Run("a court's change marks the decision", func(t *testing.T) {
		r := caseGiven(t, opened, d, comm, inTime, forwarded).when(RecordRuling{AppealID: app, RuledOn: day("2026-06-01"), Outcome: RulingChanged})
		if old, _ := r.after().Decision(dec1); !old.ChangedByCourt {
			t.Fatalf("decision %+v", old)
		}
	})
}

func TestCarryingOut(t *testing.T) {
	granted := talks(dec1, OutcomeGranted)
	cmd := CarryOut{DecisionID: dec1, StartedOn: day("2026-03-10"), Today: day("2026-03-10")}
	r := caseGiven(t, opened, granted).when(cmd).thenFacts(DecisionCarriedOut{DecisionID: dec1, StartedOn: day("2026-03-10")})
	if d, _ := r.after().Decision(dec1); !d.CarriedOutOn.Equal(day("2026-03-10")) {
		t.Fatalf("%+v", d)
	}
	caseGiven(t, opened, granted, DecisionCarriedOut{DecisionID: dec1, StartedOn: day("2026-03-10")}).when(cmd).thenRule("decision-carried-out")
	caseGiven(t, opened, talks(dec1, OutcomeDenied)).when(cmd).thenRule("decision-not-granted")
	early := cmd
	early.StartedOn = day("2026-03-01")
	caseGiven(t, opened, granted).when(early).thenRule("started-before-decision")
	delay := RecordDelay{DecisionID: dec1, Reason: DelayNoPlace, Today: day("2026-04-01")}
	caseGiven(t, opened, granted).when(delay).thenFacts(DecisionDelayed{DecisionID: dec1, Reason: DelayNoPlace, RecordedOn: day("2026-04-01")})
	caseGiven(t, opened, granted).when(RecordDelay{DecisionID: dec1, Reason: DelayOther, Today: day("2026-04-01")}).thenInvalid("note")

	t.Run("a move-in carries out the housing decisions, the children's too", func(t *testing.T) {
		s := caseGiven(t, opened, ChildAdded{ChildID: child1, Relation: ChildWitnessed}, housing(dec1, ""), housing(decChild1, child1),
			placed(plc1, dec1, child1)).state()
		for _, id := range []ID{dec1, decChild1} {
			if d, _ := s.Decision(id); !d.CarriedOutOn.Equal(day("2026-01-11")) {
				t.Fatalf("%s not carried out: %+v", id, d)
			}
		}
		caseGiven(t, opened, ChildAdded{ChildID: child1, Relation: ChildWitnessed}, housing(dec1, ""), placed(plc1, dec1)).
			when(CarryOut{DecisionID: dec1, StartedOn: day("2026-01-12")}).thenRule("decision-carried-out")
	})
}

// TestOldDecisionsStayValid: a decision recorded before decisions had a
// date and a decision-maker (schema 1) reads as decided before the
// delegation order, with nobody invented as its decision-maker.
func TestOldDecisionsStayValid(t *testing.T) {
	reg := Events()
	f, err := reg.DecodeFacts("case.decision_made", 1, []byte(`{"decision_id":"`+string(dec1)+`","support_type":"protected_housing","outcome":"denied","goal_count":0,"valid_from":"2025-05-01"}`))
	if err != nil {
		t.Fatal(err)
	}
	d := f.(DecisionMade)
	if d.UnderDelegation() || d.DecidedBy != "" || !d.Date().Equal(day("2025-05-01")) {
		t.Fatalf("%+v", d)
	}
	// It can still be communicated and appealed.
	caseGiven(t, opened, d).when(CommunicateDecision{DecisionID: dec1, CommunicatedOn: day("2025-05-02"), Channel: DeliveredByLetter}).
		thenFacts(DecisionCommunicated{DecisionID: dec1, CommunicatedOn: day("2025-05-02"), Channel: DeliveredByLetter})
}

func factsOf(evs []Event) []any {
	out := make([]any, len(evs))
	for i, e := range evs {
		out[i] = e.Facts
	}
	return out
}

// TestAppealsOutliveTheCase: a closed case still takes the communication
// of its decisions and their appeals, but a new decision (a changed
// reconsideration) needs the case reopened.
func TestAppealsOutliveTheCase(t *testing.T) {
	app := tid(160)
	d := talks(dec1, OutcomeDenied)
	closed := CaseClosed{ClosedOn: day("2026-03-03"), GoalAttainment: GoalNot}
	comm := DecisionCommunicated{DecisionID: dec1, CommunicatedOn: day("2026-03-02"), Channel: DeliveredByLetter}
	inTime := AppealReceived{AppealID: app, DecisionID: dec1, ReceivedOn: day("2026-03-20"), LastDay: day("2026-03-23"), InTime: true}
	caseGiven(t, opened, d, closed).when(CommunicateDecision{DecisionID: dec1, CommunicatedOn: day("2026-03-02"), Channel: DeliveredByLetter}).thenFacts(comm)
	caseGiven(t, opened, d, comm, closed).when(ReceiveAppeal{DecisionID: dec1, AppealID: app, ReceivedOn: day("2026-03-20")}).thenFacts(inTime)
	caseGiven(t, opened, d, comm, closed, inTime).when(ReconsiderAppeal{AppealID: app, DecidedOn: day("2026-03-25"), Authority: supervisorSara}).
		thenFacts(AppealReconsidered{AppealID: app, DecidedOn: day("2026-03-25"), DecidedBy: "sara"})
	caseGiven(t, opened, d, comm, closed, inTime).when(ReconsiderAppeal{AppealID: app, DecidedOn: day("2026-03-25"), Changed: true,
		Outcome: OutcomeGranted, Goals: []string{"g"}, NewDecisionID: tid(161), Authority: supervisorSara}).thenRule("case-closed")
	caseGiven(t, opened, d, closed).when(CarryOut{DecisionID: dec1, StartedOn: day("2026-03-05")}).thenRule("case-closed")
	caseGiven(t, opened, d, closed).when(ProposeDecision{SupportType: SupportTalks, Outcome: OutcomeGranted, Goals: []string{"g"},
		ValidFrom: day("2026-03-05"), ProposalID: tid(150), ProposedBy: "anna", Today: day("2026-03-05")}).thenRule("case-closed")
}
