package domain

import "testing"

var (
	dec1, decChild1, decChild2 = tid(110), tid(111), tid(112)
	plc1, plc2                 = tid(120), tid(121)
	provider                   = tid(130)
)

// housing is a granted protected-housing decision with two goals, for the
// subject ("") or a child.
func housing(id, child ID) DecisionMade {
	return DecisionMade{
		DecisionID: id, SupportType: SupportProtectedHousing, Outcome: OutcomeGranted, GoalCount: 2,
		ValidFrom: day("2026-01-10"), ValidTo: day("2026-03-10"), ChildID: child,
	}
}

func withOutcome(d DecisionMade, o DecisionOutcome) DecisionMade { d.Outcome = o; return d }

func placed(id, decision ID, children ...ID) PlacementStarted {
	return PlacementStarted{PlacementID: id, DecisionID: decision, ProviderID: provider, MovedInOn: day("2026-01-11"), ChildIDs: children}
}

func TestMakeDecision(t *testing.T) {
	cmd := MakeDecision{
		DecisionID: dec1, SupportType: SupportProtectedHousing, Outcome: OutcomeGranted,
		Goals: []string{"Trygg", "Eget boende"}, ValidFrom: day("2026-01-10"), ValidTo: day("2026-03-10"),
		DecidedOn: day("2026-01-10"), Authority: supervisorSara,
	}
	want := decidedBy(housing(dec1, ""), supervisorSara, "SoL 1.1", RoleSupervisor)
	r := caseGiven(t, opened).when(cmd).then(Event{
		Facts: want, Personal: GoalTexts{Goals: []string{"Trygg", "Eget boende"}}, SealWith: subjKey,
	})
	if d, ok := r.after().Decision(dec1); !ok || d.GoalCount != 2 || !d.Current() {
		t.Fatalf("decision not in state: %+v", d)
	}
	t.Run("a child's own decision on protected housing always states reasons", func(t *testing.T) {
		c := cmd
		c.DecisionID, c.ChildID = decChild1, child1
		withChild := caseGiven(t, opened, ChildAdded{ChildID: child1, Relation: ChildWitnessed})
		withChild.when(c).thenRule("reasons-required")
		c.Reasons = "Den andra vårdnadshavaren har inte samtyckt."
		f := decidedBy(housing(decChild1, child1), supervisorSara, "SoL 1.1", RoleSupervisor)
		f.HasReasons = true
		caseGiven(t, opened, ChildAdded{ChildID: child1, Relation: ChildWitnessed}).when(c).thenFacts(f)
		caseGiven(t, opened).when(c).thenRule("child-not-in-case")
	})
	t.Run("a denied decision needs no goals but reasons", func(t *testing.T) {
		c := cmd
		c.Outcome, c.Goals = OutcomeDenied, nil
		caseGiven(t, opened).when(c).thenRule("reasons-required")
		c.Reasons = "Behovet tillgodoses på annat sätt."
		f := withOutcome(want, OutcomeDenied)
		f.GoalCount, f.HasReasons = 0, true
		caseGiven(t, opened).when(c).thenFacts(f)
	})
	caseGiven(t, opened, housing(dec1, "")).when(cmd).thenRule("decision-exists")
	caseGiven(t, opened).when(MakeDecision{
		SupportType: "shelter", Outcome: OutcomeGranted, Goals: []string{"ok", ""},
		ValidFrom: day("2026-02-01"), ValidTo: day("2026-01-01"), ChildID: "bad", Today: day("2026-02-01"), DecidedOn: day("2026-02-02"),
	}).thenInvalid("decision_id", "support_type", "goals[1]", "valid_to", "child_id", "decided_on")
	caseGiven(t, opened).when(MakeDecision{DecisionID: dec1, SupportType: SupportTalks, Outcome: OutcomePartlyGranted, ValidFrom: day("2026-02-01")}).
		thenInvalid("goals", "decided_on")
}

func TestIssueAssignment(t *testing.T) {
	a := tid(140)
	cmd := IssueAssignment{
		AssignmentID: a, DecisionID: dec1, ProviderID: provider, NeedsAssessment: "Behov", Includes: "Boende",
		Goals: []string{"Trygg"}, FollowUp: "Varannan vecka", ReturnInformation: "Slutrapport", ResponsibleWorker: "Anna, 08-1",
	}
	caseGiven(t, opened, housing(dec1, "")).when(cmd).then(Event{
		Facts: AssignmentIssued{AssignmentID: a, DecisionID: dec1, ProviderID: provider},
		Personal: AssignmentContents{
			NeedsAssessment: "Behov", Includes: "Boende", Goals: []string{"Trygg"}, FollowUp: "Varannan vecka",
			ReturnInformation: "Slutrapport", ResponsibleWorker: "Anna, 08-1",
		},
		SealWith: subjKey,
	})
	caseGiven(t, opened).when(cmd).thenRule("assignment-requires-granted-decision")
	caseGiven(t, opened, withOutcome(housing(dec1, ""), OutcomeDenied)).when(cmd).thenRule("assignment-requires-granted-decision")
	caseGiven(t, opened, housing(dec1, ""), AssignmentIssued{AssignmentID: a, DecisionID: dec1, ProviderID: provider}).
		when(cmd).thenRule("assignment-exists")
	caseGiven(t, opened).when(IssueAssignment{AssignmentID: a, DecisionID: dec1, ProviderID: provider}).
		thenInvalid("needs_assessment", "includes", "goals", "follow_up", "return_information", "responsible_worker")
}

func TestStartPlacement(t *testing.T) {
	withChild := []any{opened, ChildAdded{ChildID: child1, Relation: ChildWitnessed}, housing(dec1, "")}
	cmd := StartPlacement{PlacementID: plc1, DecisionID: dec1, ProviderID: provider, MovedInOn: day("2026-01-11"), Pets: 1, At: shelterAt(provider)}

	t.Run("with a granted housing decision", func(t *testing.T) {
		r := caseGiven(t, opened, housing(dec1, "")).when(cmd).then(Event{Facts: PlacementStarted{
			PlacementID: plc1, DecisionID: dec1, ProviderID: provider, MovedInOn: day("2026-01-11"), Pets: 1,
		}})
		if p, open := r.after().OpenPlacement(); !open || p.PlacementID != plc1 || !p.Until.Equal(day("2026-03-10")) {
			t.Fatalf("placement state: %+v", p)
		}
	})
	t.Run("partly granted is enough", func(t *testing.T) {
		caseGiven(t, opened, withOutcome(housing(dec1, ""), OutcomePartlyGranted)).when(cmd).thenFacts(cmd.facts())
	})
	t.Run("no granted protected-housing decision", func(t *testing.T) {
		caseGiven(t, opened).when(cmd).thenRule("placement-requires-granted-housing")
		caseGiven(t, opened, withOutcome(housing(dec1, ""), OutcomeDenied)).when(cmd).thenRule("placement-requires-granted-housing")
		talks := housing(dec1, "")
		talks.SupportType = SupportTalks
		caseGiven(t, opened, talks).when(cmd).thenRule("placement-requires-granted-housing")
		// A child's decision does not place the adult.
		caseGiven(t, opened, ChildAdded{ChildID: child1, Relation: ChildWitnessed}, housing(dec1, child1)).
			when(cmd).thenRule("placement-requires-granted-housing")
	})
	t.Run("each child needs its own granted decision", func(t *testing.T) {
		c := cmd
		c.ChildIDs = []ID{child1}
		caseGiven(t, withChild...).when(c).thenRule("child-placement-requires-own-decision")
		caseGiven(t, append(withChild, withOutcome(housing(decChild1, child1), OutcomeDenied))...).
			when(c).thenRule("child-placement-requires-own-decision")
		caseGiven(t, append(withChild, housing(decChild1, child1))...).when(c).thenFacts(c.facts())
		c.ChildIDs = []ID{child2}
		caseGiven(t, withChild...).when(c).thenRule("child-not-in-case")
	})
	t.Run("one placement at a time, ids unique", func(t *testing.T) {
		c := cmd
		c.PlacementID = plc2
		caseGiven(t, opened, housing(dec1, ""), placed(plc1, dec1)).when(c).thenRule("placement-already-open")
		caseGiven(t, opened, housing(dec1, ""), placed(plc1, dec1),
			MovedOut{PlacementID: plc1, MovedOutOn: day("2026-02-01"), Reason: MoveOutOtherShelter, GoalAttainment: GoalPartly}).
			when(c).thenFacts(c.facts())
		caseGiven(t, opened, housing(dec1, ""), placed(plc1, dec1)).when(cmd).thenRule("placement-exists")
	})
	t.Run("only at a registered provider with a valid permit on the move-in date", func(t *testing.T) {
		given := caseGiven(t, opened, housing(dec1, ""))
		c := cmd
		c.At = nil
		given.when(c).thenRule("provider-not-registered")
		c.At = &Provider{ID: provider} // looked up, not registered
		given.when(c).thenRule("provider-not-registered")
		c.At = shelterAt(tid(131)) // another provider's standing
		given.when(c).thenRule("provider-not-registered")
		c.At = shelterAt(provider)
		c.At.Permit = &PermitRecorded{Authority: "IVO", Number: "1", ValidFrom: day("2025-01-01"), ValidTo: day("2026-01-10")}
		given.when(c).thenRule("provider-permit-not-valid") // expired the day before move-in
		c.MovedInOn = day("2026-01-10")
		given.when(c).thenFacts(c.facts())
		c.At.Permit = nil
		given.when(c).thenRule("provider-permit-not-valid")
		c.At.Kind = ProviderMunicipal // a municipality's own shelter needs none
		given.when(c).thenFacts(c.facts())
	})
	t.Run("invalid", func(t *testing.T) {
		caseGiven(t, opened).when(StartPlacement{ChildIDs: []ID{child1, child1}, Pets: -1}).
			thenInvalid("placement_id", "decision_id", "provider_id", "moved_in_on", "child_ids[1]", "pets")
	})
}

// placedWithChild is a subject and child1 in placement plc1.
func placedWithChild() []any {
	return []any{
		opened, ChildAdded{ChildID: child1, Relation: ChildWitnessed}, ChildAdded{ChildID: child2, Relation: ChildSubjected},
		housing(dec1, ""), housing(decChild1, child1), placed(plc1, dec1, child1),
	}
}

var movedOut = MovedOut{PlacementID: plc1, MovedOutOn: day("2026-03-01"), Reason: MoveOutPermanentHousing, GoalAttainment: GoalFully}

func TestArrangeSchooling(t *testing.T) {
	cmd := ArrangeSchooling{PlacementID: plc1, ChildID: child1, ArrangedOn: day("2026-01-15"), SchoolKind: SchoolNew}
	r := caseGiven(t, placedWithChild()...).when(cmd).then(Event{Facts: SchoolingArranged{
		PlacementID: plc1, ChildID: child1, ArrangedOn: day("2026-01-15"), SchoolKind: SchoolNew,
	}})
	if p, _ := r.after().Placement(plc1); len(p.Schooling) != 1 {
		t.Fatalf("schooling not in state: %+v", p)
	}
	c := cmd
	c.ChildID = child2 // in the case, but did not move in
	caseGiven(t, placedWithChild()...).when(c).thenRule("child-not-placed")
	c = cmd
	c.PlacementID = plc2
	caseGiven(t, placedWithChild()...).when(c).thenRule("placement-not-open")
	caseGiven(t, append(placedWithChild(), movedOut)...).when(cmd).thenRule("placement-not-open")
	caseGiven(t, placedWithChild()...).when(ArrangeSchooling{PlacementID: plc1, SchoolKind: "home"}).
		thenInvalid("child_id", "arranged_on", "school_kind")
}

func TestRecordImplementationPlan(t *testing.T) {
	acts := []Activity{
		{Name: "Stödsamtal", Goal: "Bearbeta", Responsible: "Jouren", When: "Veckovis"},
		{Name: "Bostad", Goal: "Eget kontrakt", Responsible: "Anna", When: "Mars"},
	}
	cmd := RecordImplementationPlan{PlacementID: plc1, Activities: acts, FollowUpOn: day("2026-02-15"), Participated: true}
	caseGiven(t, placedWithChild()...).when(cmd).then(Event{
		Facts:    ImplementationPlanRecorded{PlacementID: plc1, ActivityCount: 2, FollowUpOn: day("2026-02-15"), Participated: true},
		Personal: ImplementationPlan{Activities: acts}, SealWith: subjKey,
	})
	caseGiven(t, append(placedWithChild(), movedOut)...).when(cmd).thenRule("placement-not-open")
	caseGiven(t, placedWithChild()...).when(RecordImplementationPlan{PlacementID: plc1, Activities: []Activity{{Name: "x"}}}).
		thenInvalid("activities[0].goal", "activities[0].responsible", "activities[0].when", "follow_up_on")
	caseGiven(t, placedWithChild()...).when(RecordImplementationPlan{PlacementID: plc1, FollowUpOn: day("2026-02-15")}).
		thenInvalid("activities")
}

func TestExtendPlacement(t *testing.T) {
	r := caseGiven(t, placedWithChild()...).when(ExtendPlacement{PlacementID: plc1, Until: day("2026-04-10")}).
		then(Event{Facts: PlacementExtended{PlacementID: plc1, Until: day("2026-04-10")}})
	if p, _ := r.after().Placement(plc1); !p.Until.Equal(day("2026-04-10")) {
		t.Fatalf("until not extended: %v", p.Until)
	}
	// The decision runs until 2026-03-10.
	caseGiven(t, placedWithChild()...).when(ExtendPlacement{PlacementID: plc1, Until: day("2026-03-10")}).
		thenRule("extension-not-after-end")
	caseGiven(t, append(placedWithChild(), PlacementExtended{PlacementID: plc1, Until: day("2026-05-01")})...).
		when(ExtendPlacement{PlacementID: plc1, Until: day("2026-04-10")}).thenRule("extension-not-after-end")
	caseGiven(t, append(placedWithChild(), movedOut)...).
		when(ExtendPlacement{PlacementID: plc1, Until: day("2026-06-10")}).thenRule("placement-not-open")
	caseGiven(t, placedWithChild()...).when(ExtendPlacement{PlacementID: plc1}).thenInvalid("until")
}

func TestMoveOut(t *testing.T) {
	cmd := MoveOut{PlacementID: plc1, MovedOutOn: day("2026-03-01"), Reason: MoveOutPermanentHousing, GoalAttainment: GoalFully}
	r := caseGiven(t, placedWithChild()...).when(cmd).then(Event{Facts: movedOut})
	if _, open := r.after().OpenPlacement(); open {
		t.Fatal("placement still open after move-out")
	}
	same := cmd
	same.MovedOutOn = day("2026-01-11") // the move-in day itself is fine
	caseGiven(t, placedWithChild()...).when(same).thenFacts(same.facts())
	early := cmd
	early.MovedOutOn = day("2026-01-10")
	caseGiven(t, placedWithChild()...).when(early).thenRule("move-out-before-move-in")
	caseGiven(t, append(placedWithChild(), movedOut)...).when(cmd).thenRule("placement-not-open")
	caseGiven(t, placedWithChild()...).when(MoveOut{PlacementID: plc1, Reason: "evicted", GoalAttainment: "all"}).
		thenInvalid("moved_out_on", "reason", "goal_attainment")
}

func TestFollowUp(t *testing.T) {
	cmd := FollowUp{
		DecisionID: dec1, FollowedUpOn: day("2026-02-10"), Participated: true,
		GoalOutcomes: []GoalResult{{Goal: "Trygg", Outcome: GoalFully}, {Goal: "Eget boende", Outcome: GoalNot}},
		Complaint:    "Maten. Åtgärdat.", NextFollowUpOn: day("2026-03-10"),
	}
	r := caseGiven(t, opened, housing(dec1, "")).when(cmd).then(Event{
		Facts: FollowedUp{
			DecisionID: dec1, FollowedUpOn: day("2026-02-10"), Participated: true,
			Outcomes: []GoalOutcome{GoalFully, GoalNot}, Complaint: true, NextFollowUpOn: day("2026-03-10"),
		},
		Personal: FollowUpTexts{Goals: []string{"Trygg", "Eget boende"}, Complaint: "Maten. Åtgärdat."},
		SealWith: subjKey,
	})
	s := r.after()
	if d, _ := s.Decision(dec1); d.FollowUps != 1 || !s.NextFollowUpOn().Equal(day("2026-03-10")) {
		t.Fatalf("follow-up not in state: %+v", d)
	}
	caseGiven(t, opened).when(cmd).thenRule("follow-up-requires-granted-decision")
	caseGiven(t, opened, withOutcome(housing(dec1, ""), OutcomeDenied)).when(cmd).thenRule("follow-up-requires-granted-decision")
	one := cmd
	one.GoalOutcomes = cmd.GoalOutcomes[:1]
	caseGiven(t, opened, housing(dec1, "")).when(one).thenRule("goal-count-mismatch")
	caseGiven(t, opened, housing(dec1, "")).when(FollowUp{
		DecisionID: dec1, FollowedUpOn: day("2026-02-10"), NextFollowUpOn: day("2026-02-10"),
		GoalOutcomes: []GoalResult{{Goal: "Trygg", Outcome: GoalFully}, {Goal: "", Outcome: "mostly"}},
	}).thenInvalid("goal_outcomes[1].goal", "goal_outcomes[1].outcome", "next_follow_up_on")
}

// shelterAt is a registered private shelter with a permit through 2026.
func shelterAt(id ID) *Provider {
	p := Provider{ID: id, Exists: true, ProviderProfile: shelterDetails().profile()}
	permit := permit2026
	permit.ValidFrom = day("2025-01-01")
	p.Permit = &permit
	return &p
}

func TestReportBack(t *testing.T) {
	a := tid(140)
	issued := AssignmentIssued{AssignmentID: a, DecisionID: dec1, ProviderID: provider}
	cmd := ReportBack{AssignmentID: a, ReportedOn: day("2026-03-01"), Summary: "Flyttat till egen lägenhet", GoalAttainment: GoalFully, Today: day("2026-03-02")}
	reported := AssignmentReportedBack{AssignmentID: a, ReportedOn: day("2026-03-01"), GoalAttainment: GoalFully}
	r := caseGiven(t, opened, housing(dec1, ""), issued).when(cmd).
		then(Event{Facts: reported, Personal: SummaryText{"Flyttat till egen lägenhet"}, SealWith: subjKey})
	if got, ok := r.after().ReportedBack(a); !ok || got != reported {
		t.Fatalf("report back state: %+v", got)
	}
	caseGiven(t, opened, housing(dec1, ""), issued, reported).when(cmd).thenRule("assignment-ended")
	caseGiven(t, opened, housing(dec1, "")).when(cmd).thenRule("assignment-not-found")
	caseGiven(t, opened).when(ReportBack{AssignmentID: a, ReportedOn: day("2026-03-05"), Today: day("2026-03-02"), GoalAttainment: "maybe"}).
		thenInvalid("reported_on", "summary", "goal_attainment")
}
