package domain

import "testing"

// TestDecisionTasks: the dashboard's decision deadlines as tasks, done by
// the events that fulfil them; due days by lag 1930:173.
func TestDecisionTasks(t *testing.T) {
	dec := tid(500)
	made := DecisionMade{DecisionID: dec, SupportType: SupportTalks, Outcome: OutcomeGranted, GoalCount: 1,
		ValidFrom: day("2026-03-02"), DecidedOn: day("2026-03-02"), DecidedBy: "sara", Point: "4.2", DecidedAs: RoleSupervisor}
	appeal := AppealReceived{AppealID: tid(501), DecisionID: dec, ReceivedOn: day("2026-03-03"), InTime: true}
	find := func(s Case, kind TaskKind) (Task, bool) {
		for _, task := range CaseTasks(s, CaseTaskRules(), TaskInputs{Periods: DefaultTaskPeriods()}) {
			if task.Kind == kind {
				return task, true
			}
		}
		return Task{}, false
	}
	s := caseGiven(t, opened, made, appeal).state()
	for kind, due := range map[TaskKind]string{
		TaskDecisionNotCommunicated: "2026-03-09", // decided Monday 2 March: seven days
		TaskDecisionNotCarriedOut:   "2026-06-02", // three months
		TaskAppealToExamine:         "2026-03-10", // received Tuesday 3 March
	} {
		if got, ok := find(s, kind); !ok || got.DueOn != day(due) || got.Done {
			t.Errorf("%s: %+v, want open, due %s", kind, got, due)
		}
	}
	s = caseGiven(t, opened, made, appeal, DecisionCommunicated{DecisionID: dec, CommunicatedOn: day("2026-03-04"), Channel: DeliveredByLetter},
		AppealForwarded{AppealID: tid(501), ForwardedOn: day("2026-03-11")}, DecisionCarriedOut{DecisionID: dec, StartedOn: day("2026-03-20")}).state()
	for kind, done := range map[TaskKind]string{
		TaskDecisionNotCommunicated: "2026-03-04",
		TaskDecisionNotCarriedOut:   "2026-03-20",
		TaskAppealToExamine:         "2026-03-11",
	} {
		if got, ok := find(s, kind); !ok || !got.Done || got.DoneOn != day(done) {
			t.Errorf("%s: %+v, want done on %s", kind, got, done)
		}
	}
	if got, _ := find(s, TaskAppealToExamine); !got.Late() {
		t.Error("an appeal forwarded the day after its last day is late")
	}

	// A decision recorded before the delegation order was never to be
	// communicated through fristad; communication outlives closing,
	// carrying out does not.
	old := made
	old.DecidedBy, old.Point, old.DecidedAs, old.DecidedOn = "", "", "", Date{}
	if _, ok := find(caseGiven(t, opened, old).state(), TaskDecisionNotCommunicated); ok {
		t.Error("an old decision got a communication task")
	}
	s = caseGiven(t, opened, made, closed).state()
	if got, ok := find(s, TaskDecisionNotCommunicated); !ok || got.Done {
		t.Errorf("closing dropped the communication task: %+v", got)
	}
	if _, ok := find(s, TaskDecisionNotCarriedOut); ok {
		t.Error("a closed case keeps a task to carry out a decision")
	}
}
