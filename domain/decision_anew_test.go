package domain

import "testing"

// TestPeriodAnew: a decision made in another's place (reconsideration, the
// court) runs from the day given or its own day, and keeps the replaced
// decision's end only when that lies after its start.
func TestPeriodAnew(t *testing.T) {
	old := Decision{DecisionMade: DecisionMade{ValidFrom: day("2026-01-01"), ValidTo: day("2026-06-30")}}
	for _, tc := range []struct {
		name             string
		from, to, on     Date
		wantFrom, wantTo Date
	}{
		{"nothing given", Date{}, Date{}, day("2026-03-01"), day("2026-03-01"), day("2026-06-30")},
		{"its own start", day("2026-04-01"), Date{}, day("2026-03-01"), day("2026-04-01"), day("2026-06-30")},
		{"its own period", day("2026-04-01"), day("2026-05-01"), day("2026-03-01"), day("2026-04-01"), day("2026-05-01")},
		{"the old end passed", Date{}, Date{}, day("2026-07-01"), day("2026-07-01"), Date{}},
		{"the old end is the start", day("2026-06-30"), Date{}, day("2026-03-01"), day("2026-06-30"), Date{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			from, to := old.periodAnew(tc.from, tc.to, tc.on)
			if from != tc.wantFrom || to != tc.wantTo {
				t.Fatalf("got %v..%v, want %v..%v", from, to, tc.wantFrom, tc.wantTo)
			}
		})
	}
	if _, to := (Decision{}).periodAnew(Date{}, Date{}, day("2026-03-01")); !to.IsZero() {
		t.Fatalf("a replaced decision without an end gave one: %v", to)
	}
}
