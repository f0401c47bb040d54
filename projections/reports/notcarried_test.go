package reports

import (
	"testing"

	"github.com/fristad/fristad/domain"
)

// TestNotCarriedOutRows: which granted decisions are rows of 2026Q3.
// Three months from the decision date, by lag 1930:173, is the limit.
func TestNotCarriedOutRows(t *testing.T) {
	granted := func(id domain.ID, decided string) domain.DecisionMade {
		return domain.DecisionMade{DecisionID: id, SupportType: domain.SupportContactPerson, Outcome: domain.OutcomeGranted, GoalCount: 1,
			ValidFrom: day(decided), DecidedOn: day(decided), DecidedBy: "sara", Point: "1", DecidedAs: domain.RoleSupervisor}
	}
	for _, tc := range []struct {
		name    string
		decided string
		carried string // "" = not carried out
		extra   []domain.Facts
		row     bool
	}{
		{"not carried out, three months passed before the quarter's end", "2026-05-04", "", nil, true},
		{"three months end on the quarter's last day: not late yet", "2026-06-30", "", nil, false},
		{"three months end after the quarter", "2026-07-15", "", nil, false},
		{"carried out in time", "2026-05-04", "2026-08-04", nil, false},
		{"carried out late within the quarter", "2026-05-04", "2026-08-05", nil, true},
		{"carried out late in an earlier quarter", "2026-01-05", "2026-05-05", nil, false},
		{"carried out only after the quarter: still not carried out at its end", "2026-05-04", "2026-10-02", nil, true},
		{"the limit on a Sunday moves to Monday", "2026-05-02", "2026-08-03", nil, false}, // 2 Aug 2026 is a Sunday
		{"decided after the quarter", "2026-10-01", "", nil, false},
		{"replaced before the quarter's end", "2026-05-04", "", []domain.Facts{domain.DecisionMade{DecisionID: "D2", SupportType: domain.SupportContactPerson,
			Outcome: domain.OutcomeDenied, ValidFrom: day("2026-06-01"), DecidedOn: day("2026-06-01"), DecidedBy: "sara", Point: "1",
			DecidedAs: domain.RoleSupervisor, Replaces: "D1"}}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newStream()
			s.person(on("2026-01-01"), "P1", domain.SexFemale, 1985)
			s.kase(on("2026-01-01"), "K1", domain.CaseOpened{Unit: "vuxen", TargetGroup: domain.AdultVictim, Source: domain.SourceApplication,
				ReceivedOn: day("2026-01-01"), PersonID: "P1", Assignee: "anna"})
			s.kase(on(tc.decided), "K1", granted("D1", tc.decided))
			if tc.carried != "" {
				s.kase(on(tc.carried), "K1", domain.DecisionCarriedOut{DecisionID: "D1", StartedOn: day(tc.carried)})
			}
			for _, f := range tc.extra {
				s.kase(on("2026-06-01"), "K1", f)
			}
			from, to, err := Quarter("2026Q3")
			if err != nil {
				t.Fatal(err)
			}
			b := build(t, Params{Report: Mapping, From: from, To: to, MinCell: 1}, s.envs)
			r := b.notCarriedOut("2026Q3")
			for _, row := range r.Rows {
				if row.CaseID != "K1" {
					t.Fatalf("the builder's rows carry the case for the board's copy: %+v", row)
				}
			}
			if got := len(r.Rows) == 1; got != tc.row {
				t.Fatalf("rows %+v, want a row: %v", r.Rows, tc.row)
			}
			if tc.row {
				row := r.Rows[0]
				if row.Sex != "female" || row.BirthYear == nil || *row.BirthYear != 1985 || !row.DecidedOn.Equal(day(tc.decided)) || row.Unit != "vuxen" {
					t.Fatalf("row %+v", row)
				}
			}
		})
	}
	for _, bad := range []string{"2026Q0", "2026Q5", "26Q1", "2026q1", "1999Q1", ""} {
		if _, _, err := Quarter(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	from, to, _ := Quarter("2024Q1")
	if from.String() != "2024-01-01" || to.String() != "2024-03-31" {
		t.Errorf("2024Q1 = %s..%s", from, to)
	}
}
