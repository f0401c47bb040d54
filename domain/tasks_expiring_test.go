package domain

import "testing"

// TestDecisionExpiringDoneByNextDecision: a granted decision's expiry task
// is done on the start of the first later decision on the same support for
// the same person; another person's decision does not do it.
func TestDecisionExpiringDoneByNextDecision(t *testing.T) {
	in := TaskInputs{Periods: DefaultTaskPeriods()}
	expiring := func(evs ...any) Task {
		t.Helper()
		id := TaskID(TaskDecisionExpiring, caseID, string(dec1))
		for _, task := range CaseTasks(caseGiven(t, evs...).state(), CaseTaskRules(), in) {
			if task.ID == id {
				return task
			}
		}
		t.Fatalf("no task %s", id)
		return Task{}
	}
	next := func(id ID, from string, child ID) DecisionMade {
		d := housing(id, child)
		d.ValidFrom, d.ValidTo = day(from), day("2026-06-10")
		return d
	}
	base := append(withChild(), housing(dec1, ""))
	if got := expiring(base...); !got.DoneOn.IsZero() || got.Done {
		t.Fatalf("open task: %+v", got)
	}
	if got := expiring(append(base, next(tid(301), "2026-03-05", child1))...); !got.DoneOn.IsZero() {
		t.Fatalf("a child's decision did the adult's task: %+v", got)
	}
	got := expiring(append(base, next(tid(301), "2026-03-11", ""), next(tid(302), "2026-03-20", ""))...)
	if got.DoneOn != day("2026-03-11") {
		t.Fatalf("done by the first next decision: %+v", got)
	}
}
