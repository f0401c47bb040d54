package domain

import (
	"testing"
)

func withChild() []any {
	return []any{opened, ChildAdded{ChildID: child1, Relation: ChildWitnessed}}
}

func placedWithChildAt() []any {
	return append(withChild(), housing(dec1, ""), housing(decChild1, child1), placed(plc1, dec1, child1))
}

func TestPlacementBasis(t *testing.T) {
	cmd := RecordPlacementBasis{Basis: BasisUrgentBoardDecision, DecidedOn: day("2026-01-10"), SubmittedToCourtOn: day("2026-01-11"),
		ChildID: child1, DefaultMonths: 3, Today: day("2026-01-12")}
	t.Run("an urgent decision with its submission, reconsidered after the default interval", func(t *testing.T) {
		r := caseGiven(t, placedWithChildAt()...).when(cmd).thenFacts(PlacementBasisRecorded{ChildID: child1, Basis: BasisUrgentBoardDecision,
			DecidedOn: day("2026-01-10"), SubmittedToCourtOn: day("2026-01-11"), ReconsiderBy: day("2026-04-10")})
		if got := taskOf(t, r.after(), TaskPlacementReconsideration); got.DueOn != day("2026-04-10") || got.ChildID != child1 || got.Done {
			t.Fatalf("task %+v", got)
		}
	})
	t.Run("a later basis is the reconsideration", func(t *testing.T) {
		first := PlacementBasisRecorded{ChildID: child1, Basis: BasisGuardiansConsent, DecidedOn: day("2026-01-10"), ReconsiderBy: day("2026-04-10")}
		second := PlacementBasisRecorded{ChildID: child1, Basis: BasisCourtDecision, DecidedOn: day("2026-04-02"), ReconsiderBy: day("2026-07-02")}
		s := caseGiven(t, append(placedWithChildAt(), first, second)...).state()
		var got []Task
		for _, task := range CaseTasks(s, CaseTaskRules(), TaskInputs{}) {
			if task.Kind == TaskPlacementReconsideration {
				got = append(got, task)
			}
		}
		if len(got) != 2 || !got[0].Done || got[0].DoneOn != day("2026-04-02") || got[1].Done || got[1].DueOn != day("2026-07-02") || got[0].ID == got[1].ID {
			t.Fatalf("tasks %+v", got)
		}
	})
	for _, tc := range []struct {
		name   string
		change func(*RecordPlacementBasis)
		fields []string
	}{
		{"an urgent decision needs its submission date", func(c *RecordPlacementBasis) { c.SubmittedToCourtOn = Date{} }, []string{"submitted_to_court_on"}},
		{"only an urgent decision is submitted", func(c *RecordPlacementBasis) { c.Basis = BasisGuardiansConsent }, []string{"submitted_to_court_on"}},
		{"reconsidered after the decision", func(c *RecordPlacementBasis) { c.ReconsiderBy = day("2026-01-01") }, []string{"reconsider_by"}},
		{"an unknown basis", func(c *RecordPlacementBasis) { c.Basis = "grandparents" }, []string{"basis"}},
		{"not in the future", func(c *RecordPlacementBasis) { c.Today = day("2026-01-09") }, []string{"decided_on", "submitted_to_court_on"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := cmd
			tc.change(&c)
			caseGiven(t, placedWithChildAt()...).when(c).thenInvalid(tc.fields...)
		})
	}
	t.Run("the child needs its own housing decision", func(t *testing.T) {
		caseGiven(t, append(withChild(), housing(dec1, ""))...).when(cmd).thenRule("child-placement-requires-own-decision")
	})
	t.Run("a child of the case", func(t *testing.T) {
		c := cmd
		c.ChildID = child2
		caseGiven(t, placedWithChildAt()...).when(c).thenRule("child-not-in-case")
	})
}

func TestChildViewsAndChildOnPlans(t *testing.T) {
	t.Run("views are sealed, the child named", func(t *testing.T) {
		caseGiven(t, withChild()...).when(RecordChildViews{HeardOn: day("2026-02-01"), Views: "Vill bo kvar hos mamma", ChildID: child1, Today: day("2026-02-02")}).
			then(Event{Facts: ChildViewsRecorded{ChildID: child1, HeardOn: day("2026-02-01")}, Personal: ViewsText{"Vill bo kvar hos mamma"}, SealWith: subjKey})
	})
	t.Run("views of a child not in the case", func(t *testing.T) {
		caseGiven(t, opened).when(RecordChildViews{HeardOn: day("2026-02-01"), Views: "x", ChildID: child1}).thenRule("child-not-in-case")
	})
	t.Run("a safety plan for a child names the child", func(t *testing.T) {
		caseGiven(t, withChild()...).when(PlanSafety{For: ConcernChild, Occasion: OccasionIntake, MadeOn: day("2026-02-01"), ChildID: child1, Plan: "p"}).
			thenFacts(SafetyPlanned{For: ConcernChild, Occasion: OccasionIntake, MadeOn: day("2026-02-01"), ChildID: child1})
		caseGiven(t, withChild()...).when(PlanSafety{For: ConcernChild, Occasion: OccasionIntake, MadeOn: day("2026-02-01"), ChildID: child2, Plan: "p"}).thenRule("child-not-in-case")
		caseGiven(t, withChild()...).when(PlanSafety{For: ConcernAdult, Occasion: OccasionIntake, MadeOn: day("2026-02-01"), ChildID: child1, Plan: "p"}).thenInvalid("child_id")
	})
}

func TestLinksAndOwnTasks(t *testing.T) {
	other := tid(200)
	t.Run("link once, never to itself", func(t *testing.T) {
		caseGiven(t, opened).when(LinkCase{CaseID: other, Relation: LinkChildCase}).thenFacts(CaseLinked{CaseID: other, Relation: LinkChildCase})
		caseGiven(t, opened, CaseLinked{CaseID: other, Relation: LinkChildCase}).when(LinkCase{CaseID: other, Relation: LinkRelated}).thenRule("link-exists")
		caseGiven(t, opened).when(LinkCase{CaseID: caseID, Relation: LinkRelated}).thenRule("link-to-itself")
		caseGiven(t, opened).when(LinkCase{CaseID: "x", Relation: "cousin"}).thenInvalid("case_id", "relation")
	})
	task := tid(300)
	add := AddTask{Title: "Ring skolan", DueOn: day("2026-02-01"), Assignee: "bo", TaskID: task}
	t.Run("an own task, done once", func(t *testing.T) {
		r := caseGiven(t, opened).when(add).then(Event{Facts: TaskAdded{TaskID: task, DueOn: day("2026-02-01"), Assignee: "bo"}, Personal: TaskTitle{"Ring skolan"}, SealWith: subjKey})
		if got := taskOf(t, r.after(), TaskOwn); got.Assignee != "bo" || got.ID != string(task) || got.Done {
			t.Fatalf("task %+v", got)
		}
		done := caseGiven(t, opened, TaskAdded{TaskID: task, DueOn: day("2026-02-01"), Assignee: "bo"})
		r = done.when(CompleteTask{TaskID: task, Note: "Klart", Today: day("2026-02-03")})
		if got := taskOf(t, r.after(), TaskOwn); !got.Done || got.DoneOn != day("2026-02-03") || !got.Late() {
			t.Fatalf("task %+v", got)
		}
		caseGiven(t, opened, TaskAdded{TaskID: task, DueOn: day("2026-02-01"), Assignee: "bo"}, TaskDone{TaskID: task, DoneOn: day("2026-02-03")}).
			when(CompleteTask{TaskID: task, Today: day("2026-02-04")}).thenRule("task-done")
		caseGiven(t, opened).when(CompleteTask{TaskID: task, Today: day("2026-02-04")}).thenRule("task-not-found")
	})
}

func TestPlacementTasks(t *testing.T) {
	born := func(id ID) int {
		if id == child1 {
			return 2016 // 10 in 2026: school age
		}
		return 2024 // 2: not
	}
	in := TaskInputs{BirthYear: born, Periods: DefaultTaskPeriods()}
	kinds := func(s Case) map[string]Task {
		out := map[string]Task{}
		for _, task := range CaseTasks(s, CaseTaskRules(), in) {
			out[task.ID] = task
		}
		return out
	}
	base := append(withChild(), ChildAdded{ChildID: child2, Relation: ChildWitnessed}, housing(dec1, ""), housing(decChild1, child1), housing(decChild2, child2),
		placed(plc1, dec1, child1, child2))
	s := caseGiven(t, base...).state()
	got := kinds(s)
	for id, want := range map[string]Task{
		TaskID(TaskSchooling, caseID, string(plc1)+":"+string(child1)): {DueOn: day("2026-01-25")},
		TaskID(TaskImplementationPlan, caseID, string(plc1)):           {DueOn: day("2026-01-25")},
		TaskID(TaskSafetyPlan, caseID, string(plc1)+":move_in"):        {DueOn: day("2026-01-11")},
		TaskID(TaskDecisionExpiring, caseID, string(dec1)):             {DueOn: day("2026-03-10")},
	} {
		if g, ok := got[id]; !ok || g.DueOn != want.DueOn || g.Done || g.Assignee != "anna" || g.Unit != "vuxen" {
			t.Errorf("%s: got %+v, want due %s", id, g, want.DueOn)
		}
	}
	if _, ok := got[TaskID(TaskSchooling, caseID, string(plc1)+":"+string(child2))]; ok {
		t.Error("a two-year-old got a schooling task")
	}
	s = caseGiven(t, append(base,
		SchoolingArranged{PlacementID: plc1, ChildID: child1, ArrangedOn: day("2026-01-20"), SchoolKind: SchoolDistance},
		ImplementationPlanRecorded{PlacementID: plc1, ActivityCount: 1},
		SafetyPlanned{For: ConcernAdult, Occasion: OccasionMoveIn, MadeOn: day("2026-01-09")},
	)...).state()
	got = kinds(s)
	for _, id := range []string{
		TaskID(TaskSchooling, caseID, string(plc1)+":"+string(child1)),
		TaskID(TaskImplementationPlan, caseID, string(plc1)),
		TaskID(TaskSafetyPlan, caseID, string(plc1)+":move_in"),
	} {
		if !got[id].Done {
			t.Errorf("%s not done by its event: %+v", id, got[id])
		}
	}
	closedCase := caseGiven(t, append(base, MovedOut{PlacementID: plc1, MovedOutOn: day("2026-02-01"), Reason: MoveOutPermanentHousing, GoalAttainment: GoalFully}, closed)...).state()
	for _, task := range CaseTasks(closedCase, CaseTaskRules(), in) {
		if !task.Done {
			t.Errorf("a closed case keeps an open %s task", task.Kind)
		}
	}
}

func TestNewViolenceTasks(t *testing.T) {
	treatment := caseGiven(t, opened).state()
	contact := tid(400)
	got := NewViolenceTasks(contact, treatment, []Date{day("2026-03-01"), day("2026-03-05")}, []Date{day("2026-03-02")})
	if len(got) != 2 || !got[0].Done || got[1].Done || !got[1].Supervisors || got[1].Assignee != "" || got[1].Unit != "vuxen" ||
		!got[1].Urgent || got[1].DueOn != day("2026-03-05") || got[1].CaseID != caseID || got[0].ID == got[1].ID {
		t.Fatalf("tasks %+v", got)
	}
	pc := func(evs ...any) *spec[PartnerSide] {
		return partnerGiven(t, append([]any{sideOpened}, evs...)...)
	}
	t.Run("a report of concern is owed only after new violence with children affected", func(t *testing.T) {
		pc(NewViolenceReported{ReportedOn: day("2026-03-01")}).when(ReportConcern{ReportedOn: day("2026-03-02")}).thenRule("no-concern-owed")
		r := pc(NewViolenceReported{ReportedOn: day("2026-03-01"), ChildrenAffected: true}, PartnerContactEnded{EndedOn: day("2026-03-01")}).
			when(ReportConcern{ReportedOn: day("2026-03-02"), Note: "Anmält till barnenheten"})
		if len(r.events) != 1 || r.events[0].SealWith != partnerKey || r.after().ConcernsOwed() != 0 {
			t.Fatalf("events %+v", r.events)
		}
	})
}
