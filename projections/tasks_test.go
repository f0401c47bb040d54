package projections_test

import (
	"testing"

	"github.com/fristad/fristad/domain"
	"github.com/fristad/fristad/projections"
)

// TestTaskPages: paging through a unit's tasks with a small limit gives
// every task once, in the order of one big page: overdue first, then by due
// date and id.
func TestTaskPages(t *testing.T) {
	cases := projections.NewCases()
	population(t, 400, cases)
	today := domain.NewDate(2026, 6, 1)
	for _, status := range []string{projections.TaskOpen, projections.TaskDone} {
		q := projections.TaskQuery{Units: []string{"vuxen-nord", "barn"}, Supervisor: true, Today: today, Status: status, Limit: 500}
		whole, next, err := cases.Tasks(q)
		if err != nil || next != "" || len(whole) < 20 {
			t.Fatalf("%s: %d tasks, next %q, %v", status, len(whole), next, err)
		}
		for i := 1; i < len(whole); i++ {
			a, b := whole[i-1], whole[i]
			if (!a.Overdue && b.Overdue) || (a.Overdue == b.Overdue && b.DueOn.Before(a.DueOn)) {
				t.Fatalf("%s: out of order at %d: %+v then %+v", status, i, a, b)
			}
		}
		var paged []projections.TaskRow
		q.Limit = 7
		for {
			rows, next, err := cases.Tasks(q)
			if err != nil {
				t.Fatal(err)
			}
			paged = append(paged, rows...)
			if next == "" {
				break
			}
			q.Cursor = next
		}
		if len(paged) != len(whole) {
			t.Fatalf("%s: paged %d, whole %d", status, len(paged), len(whole))
		}
		for i := range whole {
			if paged[i].TaskID != whole[i].TaskID {
				t.Fatalf("%s: page order differs at %d", status, i)
			}
		}
	}
	if _, _, err := cases.Tasks(projections.TaskQuery{Units: []string{"barn"}, Cursor: "bm90LWEtY3Vyc29y"}); err == nil {
		t.Error("a forged cursor is accepted")
	}
}

// TestTasksReadWhileApplying: reads derive stale tasks while events are
// applied (run with -race).
func TestTasksReadWhileApplying(t *testing.T) {
	cases := projections.NewCases()
	done := make(chan struct{})
	go func() {
		defer close(done)
		population(t, 150, cases)
	}()
	today := domain.NewDate(2026, 6, 1)
	for reading := true; reading; {
		select {
		case <-done:
			reading = false
		default:
		}
		if _, _, err := cases.Tasks(projections.TaskQuery{Units: []string{"vuxen-nord"}, Supervisor: true, Today: today}); err != nil {
			t.Fatal(err)
		}
		cases.OverdueTasks([]string{"vuxen-nord"}, true, today, 10)
	}
	whole, _, _ := cases.Tasks(projections.TaskQuery{Units: []string{"vuxen-nord"}, Supervisor: true, Today: today, Limit: 500})
	fresh := projections.NewCases()
	population(t, 150, fresh)
	again, _, _ := fresh.Tasks(projections.TaskQuery{Units: []string{"vuxen-nord"}, Supervisor: true, Today: today, Limit: 500})
	if len(whole) != len(again) {
		t.Fatalf("read while applying: %d tasks, applied then read: %d", len(whole), len(again))
	}
}
