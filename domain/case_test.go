package domain

import (
	"errors"
	"testing"
)

var (
	caseID  = tid(100)
	subject = tid(101)
	child1  = tid(102)
	child2  = tid(103)
	subjKey = PersonKey(subject)
)

func caseGiven(t *testing.T, evs ...any) *spec[Case] { return given(t, CaseDecider(), caseID, evs...) }

var opened = CaseOpened{
	Unit: "vuxen", TargetGroup: AdultVictim, Source: SourceApplication, ReceivedOn: day("2026-01-05"),
	PersonID: subject, Assignee: "anna", SpecialNeeds: []SpecialNeed{NeedHasPet},
}

var closed = CaseClosed{ClosedOn: day("2026-06-01"), GoalAttainment: GoalPartly}

func TestOpenCase(t *testing.T) {
	cmd := OpenCase{
		Unit: "vuxen", TargetGroup: AdultVictim, Source: SourceApplication, ReceivedOn: day("2026-01-05"),
		PersonID: subject, SpecialNeeds: []SpecialNeed{NeedHasPet}, Description: "Söker skydd", Assignee: "anna",
		Today: day("2026-01-05"),
	}
	t.Run("opens with the subject's key", func(t *testing.T) {
		r := caseGiven(t).when(cmd).then(Event{Facts: opened, Personal: DescriptionText{"Söker skydd"}, SealWith: subjKey})
		if s := r.after(); !s.Exists || s.Status != StatusOpen || s.PersonID != subject || s.Assignee != "anna" {
			t.Fatalf("state: %+v", s)
		}
	})
	t.Run("a new subject uses the id the server registered", func(t *testing.T) {
		c := cmd
		c.PersonID, c.NewPersonID = "", tid(7)
		c.Subject = &PersonDetails{Sex: SexFemale, BirthYear: 1990, Name: "Eva"}
		r := caseGiven(t).when(c)
		if f := r.events[0].Facts.(CaseOpened); f.PersonID != tid(7) || r.events[0].SealWith != PersonKey(tid(7)) {
			t.Fatalf("subject not used: %+v", r.events[0])
		}
		if reg, ok := c.RegisterSubject(); !ok || reg.Name != "Eva" || reg.Validate() != nil {
			t.Fatalf("register subject: %+v %v", reg, ok)
		}
	})
	t.Run("already exists", func(t *testing.T) { caseGiven(t, opened).when(cmd).thenRule("already-exists") })
	t.Run("nested subject fields are reported by path", func(t *testing.T) {
		c := cmd
		c.PersonID, c.NewPersonID = "", tid(7)
		c.Subject = &PersonDetails{Sex: SexFemale, BirthYear: 1700, Name: "Eva", PersonalNumber: "nope"}
		caseGiven(t).when(c).thenInvalid("subject.birth_year", "subject.personal_number")
	})
	t.Run("both person_id and subject", func(t *testing.T) {
		c := cmd
		c.Subject = &PersonDetails{Sex: SexFemale, Name: "Eva"}
		caseGiven(t).when(c).thenInvalid("subject")
	})
	t.Run("every bad field at once", func(t *testing.T) {
		caseGiven(t).when(OpenCase{
			TargetGroup: "victim", Source: "police", ReceivedOn: day("2026-02-01"), PersonID: "x",
			SpecialNeeds: []SpecialNeed{NeedLGBTQ, NeedLGBTQ, "rich"}, Today: day("2026-01-31"),
		}).thenInvalid("unit", "target_group", "source", "received_on", "person_id",
			"special_needs[1]", "special_needs[2]", "assignee")
	})
}

func TestCaseNotFoundAndUnknownCommand(t *testing.T) {
	caseGiven(t).when(AddNote{Text: "x", NoteID: tid(1)}).thenRule("not-found")
	_, err := CaseDecider().Decide(Case{}, CullPerson{CulledOn: day("2030-01-01")})
	if !errors.Is(err, ErrUnknownCommand) {
		t.Fatalf("want ErrUnknownCommand, got %v", err)
	}
}

func TestAssessPreliminary(t *testing.T) {
	on := day("2026-01-10")
	t.Run("opening an investigation emits both events", func(t *testing.T) {
		r := caseGiven(t, opened).when(AssessPreliminary{Decision: PrelimOpenInvestigation, AssessedOn: on}).then(
			Event{Facts: PreliminaryAssessed{Decision: PrelimOpenInvestigation, AssessedOn: on}, Personal: ReasonText{}, SealWith: subjKey},
			Event{Facts: InvestigationOpened{OpenedOn: on}},
		)
		if s := r.after(); s.Preliminary != PrelimOpenInvestigation || !s.InvestigationOpenedOn.Equal(on) {
			t.Fatalf("state: %+v", s)
		}
	})
	t.Run("no investigation emits one and needs a reason", func(t *testing.T) {
		caseGiven(t, opened).when(AssessPreliminary{Decision: PrelimNoInvestigation, Reason: "Inget bistånd sökt", AssessedOn: on}).
			thenFacts(PreliminaryAssessed{Decision: PrelimNoInvestigation, AssessedOn: on})
		caseGiven(t, opened).when(AssessPreliminary{Decision: PrelimNoInvestigation, AssessedOn: on}).thenInvalid("reason")
	})
	t.Run("only once", func(t *testing.T) {
		caseGiven(t, opened, PreliminaryAssessed{Decision: PrelimNoInvestigation, AssessedOn: on}).
			when(AssessPreliminary{Decision: PrelimOpenInvestigation, AssessedOn: on}).thenRule("preliminary-assessment-done")
	})
	t.Run("invalid", func(t *testing.T) {
		caseGiven(t, opened).when(AssessPreliminary{Decision: "maybe"}).thenInvalid("decision", "assessed_on")
	})
}

func TestDocumentViolence(t *testing.T) {
	cmd := DocumentViolence{
		Forms: []ViolenceForm{FormPhysical, FormPsychological}, Relation: RelFormerPartner,
		PeriodFrom: day("2025-01-01"), PeriodTo: day("2025-12-31"), ChildrenPresent: true, Description: "Slag",
	}
	r := caseGiven(t, opened).when(cmd).then(Event{
		Facts: ViolenceDocumented{
			Forms: cmd.Forms, Relation: RelFormerPartner, PeriodFrom: cmd.PeriodFrom, PeriodTo: cmd.PeriodTo, ChildrenPresent: true,
		},
		Personal: DescriptionText{"Slag"}, SealWith: subjKey,
	})
	if s := r.after(); len(s.Violence) != 1 || s.Violence[0].Relation != RelFormerPartner {
		t.Fatalf("state: %+v", s.Violence)
	}
	bad := cmd
	bad.PeriodFrom, bad.PeriodTo, bad.Forms, bad.Relation = day("2025-06-01"), day("2025-05-01"), nil, "neighbour"
	caseGiven(t, opened).when(bad).thenInvalid("period_to", "forms", "relation")
}

func TestAssessRisk(t *testing.T) {
	on := day("2026-01-12")
	adult := AssessRisk{Instrument: InstrSARA, Level: RiskHigh, Concerns: ConcernAdult, AssessedOn: on, Summary: "Hög risk"}
	r := caseGiven(t, opened).when(adult).then(Event{
		Facts:    RiskAssessed{Instrument: InstrSARA, Level: RiskHigh, Concerns: ConcernAdult, AssessedOn: on},
		Personal: SummaryText{"Hög risk"}, SealWith: subjKey,
	})
	if r.after().LatestRisk() != RiskHigh {
		t.Fatal("latest risk not high")
	}
	child := AssessRisk{Instrument: InstrFredaShort, Level: RiskMedium, Concerns: ConcernChild, ChildID: child1, AssessedOn: on}
	caseGiven(t, opened, ChildAdded{ChildID: child1, Relation: ChildWitnessed}).when(child).
		thenFacts(RiskAssessed{Instrument: InstrFredaShort, Level: RiskMedium, Concerns: ConcernChild, ChildID: child1, AssessedOn: on})
	caseGiven(t, opened).when(child).thenRule("child-not-in-case")
	caseGiven(t, opened).when(AssessRisk{Instrument: "gut", Level: "extreme", Concerns: ConcernPartner, ChildID: child1}).
		thenInvalid("instrument", "level", "concerns", "child_id", "assessed_on")
}

func TestPlanSafety(t *testing.T) {
	on := day("2026-01-12")
	caseGiven(t, opened).when(PlanSafety{For: ConcernAdult, Occasion: OccasionIntake, MadeOn: on, Plan: "Byt lås"}).then(Event{
		Facts: SafetyPlanned{For: ConcernAdult, Occasion: OccasionIntake, MadeOn: on}, Personal: PlanText{"Byt lås"}, SealWith: subjKey,
	})
	caseGiven(t, opened).when(PlanSafety{For: ConcernPartner, Occasion: "later", MadeOn: on}).thenInvalid("for", "occasion", "plan")
}

func TestAddChild(t *testing.T) {
	r := caseGiven(t, opened).when(AddChild{PersonID: child1, Relation: ChildBoth}).
		then(Event{Facts: ChildAdded{ChildID: child1, Relation: ChildBoth}})
	if c, ok := r.after().Child(child1); !ok || !c.Relation.Witnessed() || !c.Relation.Subjected() {
		t.Fatalf("child not in state: %+v", c)
	}
	newChild := AddChild{Sex: SexMale, BirthYear: 2018, Name: "Olle", Relation: ChildWitnessed, NewPersonID: child2}
	caseGiven(t, opened).when(newChild).thenFacts(ChildAdded{ChildID: child2, Relation: ChildWitnessed})
	if reg, ok := newChild.RegisterChild(); !ok || reg.BirthYear != 2018 {
		t.Fatalf("register child: %+v", reg)
	}
	caseGiven(t, opened, ChildAdded{ChildID: child1, Relation: ChildBoth}).
		when(AddChild{PersonID: child1, Relation: ChildWitnessed}).thenRule("child-already-added")
	caseGiven(t, opened).when(AddChild{PersonID: subject, Relation: ChildWitnessed}).thenRule("child-is-subject")
	caseGiven(t, opened).when(AddChild{PersonID: child1, Name: "Olle", Relation: "saw"}).thenInvalid("person_id", "relation")
	caseGiven(t, opened).when(AddChild{Relation: ChildWitnessed, NewPersonID: child2}).thenInvalid("sex", "name")
}

func TestAddNote(t *testing.T) {
	caseGiven(t, opened).when(AddNote{Text: "Ringde", NoteID: tid(5)}).
		then(Event{Facts: NoteAdded{NoteID: tid(5)}, Personal: Text{"Ringde"}, SealWith: subjKey})
	caseGiven(t, opened, NoteAdded{NoteID: tid(5)}).when(AddNote{Text: "Igen", NoteID: tid(5)}).thenRule("note-exists")
	long := make([]rune, maxText+1)
	for i := range long {
		long[i] = 'å'
	}
	caseGiven(t, opened).when(AddNote{Text: string(long), NoteID: tid(5)}).thenInvalid("text")
	caseGiven(t, opened).when(AddNote{Text: "   "}).thenInvalid("text", "note_id")
}

func TestReassign(t *testing.T) {
	r := caseGiven(t, opened).when(Reassign{Assignee: "bo", Unit: "barn", By: Reader{Sub: opened.Assignee}}).then(Event{Facts: Reassigned{Assignee: "bo", Unit: "barn"}})
	if s := r.after(); s.Assignee != "bo" || s.Unit != "barn" {
		t.Fatalf("state: %+v", s)
	}
	caseGiven(t, opened).when(Reassign{}).thenInvalid("assignee", "unit")
}

func TestCloseAndReopen(t *testing.T) {
	on := day("2026-06-01")
	r := caseGiven(t, opened).when(CloseCase{Reason: "Mål uppnådda", GoalAttainment: GoalPartly, ClosedOn: on}).
		then(Event{Facts: closed, Personal: ReasonText{"Mål uppnådda"}, SealWith: subjKey})
	if s := r.after(); s.Status != StatusClosed || s.GoalAttainment != GoalPartly {
		t.Fatalf("state: %+v", s)
	}
	caseGiven(t, opened).when(CloseCase{GoalAttainment: "mostly"}).thenInvalid("reason", "goal_attainment", "closed_on")

	t.Run("a closed case takes nothing but correction and reopening", func(t *testing.T) {
		for _, cmd := range []Command{
			AddNote{Text: "x", NoteID: tid(5)},
			CloseCase{Reason: "igen", GoalAttainment: GoalFully, ClosedOn: on},
			Reassign{Assignee: "bo", Unit: "barn", By: Reader{Sub: opened.Assignee}},
			AssessPreliminary{Decision: PrelimOpenInvestigation, AssessedOn: on},
			MakeDecision{DecisionID: tid(6), SupportType: SupportTalks, Outcome: OutcomeGranted, Goals: []string{"x"}, ValidFrom: on, DecidedOn: on, Authority: supervisorSara},
		} {
			caseGiven(t, opened, closed).when(cmd).thenRule("case-closed")
		}
		r := caseGiven(t, opened, closed).when(ReopenCase{Reason: "Ny händelse", ReopenedOn: day("2026-07-01")}).
			then(Event{Facts: CaseReopened{ReopenedOn: day("2026-07-01")}, Personal: ReasonText{"Ny händelse"}, SealWith: subjKey})
		if s := r.after(); s.Status != StatusOpen || !s.ClosedOn.IsZero() {
			t.Fatalf("reopened state: %+v", s)
		}
	})
	t.Run("reopen only a closed case", func(t *testing.T) {
		caseGiven(t, opened).when(ReopenCase{Reason: "x", ReopenedOn: on}).thenRule("case-not-closed")
		caseGiven(t, opened, closed, CaseReopened{ReopenedOn: on}).when(ReopenCase{Reason: "x", ReopenedOn: on}).thenRule("case-not-closed")
	})
	t.Run("not while someone lives in protected housing", func(t *testing.T) {
		caseGiven(t, opened, housing(dec1, ""), placed(plc1, dec1)).
			when(CloseCase{Reason: "x", GoalAttainment: GoalNot, ClosedOn: on}).thenRule("open-placement")
	})
}

func TestFlags(t *testing.T) {
	f := tid(60)
	caseGiven(t, opened).when(RaiseFlag{FlagID: f, Message: "Förhandsbedömning inom 14 dagar"}).
		then(Event{Facts: FlagRaised{FlagID: f}, Personal: FlagMessage{"Förhandsbedömning inom 14 dagar"}, SealWith: subjKey})
	caseGiven(t, opened, FlagRaised{FlagID: f}).when(RaiseFlag{FlagID: f, Message: "igen"}).thenRule("flag-exists")
	r := caseGiven(t, opened, FlagRaised{FlagID: f}).when(ResolveFlag{FlagID: f, Note: "Klar"}).
		then(Event{Facts: FlagResolved{FlagID: f}, Personal: FlagNote{"Klar"}, SealWith: subjKey})
	if g, _ := r.after().Flag(f); g.Open {
		t.Fatal("flag still open")
	}
	caseGiven(t, opened).when(ResolveFlag{FlagID: f, Note: "x"}).thenRule("flag-not-open")
	caseGiven(t, opened, FlagRaised{FlagID: f}, FlagResolved{FlagID: f}).when(ResolveFlag{FlagID: f, Note: "x"}).thenRule("flag-not-open")
	caseGiven(t, opened).when(ResolveFlag{}).thenInvalid("flag_id", "note")
}
