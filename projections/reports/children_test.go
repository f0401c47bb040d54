package reports

import (
	"testing"
	"time"

	"github.com/fristad/fristad/domain"
)

// TestReportsOfConcernAndDeadlines: children (not reports) by reporter
// category, and children whose deadline fell in the period by whether it
// was met; a deadline still running on the as_of day counts in neither.
//
//	R1 child A, school, received 2026-03-02 23:50 Stockholm; protection
//	   assessed 00:10 the next day (late), preliminary in time (opened an
//	   investigation 2026-03-10, due 2026-07-10, decided 2026-07-01: met)
//	R2 child A again, police, 2026-05-04; protection the same day,
//	   preliminary never (due 2026-05-18: not met)
//	R3 child B, school, 2026-12-28; nothing yet (due dates after as_of:
//	   running, except the protection assessment due 2026-12-28: not met)
//	R4 child C, school, 2025-12-20: reported before the period; its
//	   preliminary deadline (the 14th day, 2026-01-03, is a Saturday: 2026-01-05)
//	   falls in it, met on 2026-01-05
func TestReportsOfConcernAndDeadlines(t *testing.T) {
	s := newStream()
	s.person(on("2025-01-01"), "A", domain.SexFemale, 2015)
	s.person(on("2025-01-01"), "B", domain.SexMale, 2016)
	s.person(on("2025-01-01"), "C", domain.SexMale, 2017)
	sthlm, _ := time.LoadLocation("Europe/Stockholm")
	report := func(id, person domain.ID, r domain.ReporterCategory, at time.Time) {
		s.kase(at, id, domain.CaseOpened{Unit: "barn", TargetGroup: domain.ChildVictim, Source: domain.SourceReportOfConcern,
			ReceivedOn: domain.DateIn(at, sthlm), PersonID: person, Assignee: "anna", ReporterCategory: r, ReceivedAt: at.UTC(), ConcernsViolence: true})
	}
	protect := func(id domain.ID, at time.Time) {
		s.kase(at, id, domain.ProtectionAssessed{AssessedAt: at.UTC(), AssessedOn: domain.DateIn(at, sthlm)})
	}
	r1at := time.Date(2026, 3, 2, 23, 50, 0, 0, sthlm)
	report("R1", "A", domain.ReporterSchool, r1at)
	protect("R1", r1at.Add(20*time.Minute))
	s.kase(on("2026-03-10"), "R1", domain.PreliminaryAssessed{Decision: domain.PrelimOpenInvestigation, AssessedOn: day("2026-03-10")})
	s.kase(on("2026-03-10"), "R1", domain.InvestigationOpened{OpenedOn: day("2026-03-10")})
	s.kase(on("2026-07-01"), "R1", domain.DecisionMade{DecisionID: "D1", SupportType: domain.SupportChild, Outcome: domain.OutcomeGranted, GoalCount: 1, ValidFrom: day("2026-07-01")})
	r2at := time.Date(2026, 5, 4, 10, 0, 0, 0, sthlm)
	report("R2", "A", domain.ReporterPolice, r2at)
	protect("R2", r2at.Add(time.Hour))
	report("R3", "B", domain.ReporterSchool, time.Date(2026, 12, 28, 8, 0, 0, 0, sthlm))
	r4at := time.Date(2025, 12, 20, 8, 0, 0, 0, sthlm)
	report("R4", "C", domain.ReporterSchool, r4at)
	protect("R4", r4at)
	s.kase(on("2026-01-05"), "R4", domain.PreliminaryAssessed{Decision: domain.PrelimNoInvestigation, AssessedOn: day("2026-01-05")})

	asOf := time.Date(2026, 12, 30, 12, 0, 0, 0, time.UTC)
	r := build(t, Params{Report: Mapping, From: day("2026-01-01"), To: day("2026-12-31"), AsOf: asOf, MinCell: 1, GeneratedAt: generatedAt}, s.envs).Report()
	got := map[string]string{}
	for _, c := range r.Cells {
		if c.Table == "reports_of_concern" || c.Table == "deadlines" {
			got[cellKey(c)] = shown(c)
		}
	}
	for k, want := range map[string]string{
		"reports_of_concern|reporter_category=school":    "2", // A and B; C's report is from 2025
		"reports_of_concern|reporter_category=police":    "1", // A
		"reports_of_concern|reporter_category=all":       "2", // children, not reports
		"reports_of_concern|reporter_category=anonymous": "0",

		"deadlines|deadline=protection_same_day;met=yes":    "1", // A (R2)
		"deadlines|deadline=protection_same_day;met=no":     "2", // A (R1, 00:10 the next day), B (R3, due on the 28th)
		"deadlines|deadline=preliminary_14_days;met=yes":    "2", // A (R1), C (R4: due 2026-01-05)
		"deadlines|deadline=preliminary_14_days;met=no":     "1", // A (R2)
		"deadlines|deadline=investigation_4_months;met=yes": "1", // A
		"deadlines|deadline=investigation_4_months;met=no":  "0",
	} {
		if got[k] != want {
			t.Errorf("%s = %s, want %s", k, got[k], want)
		}
	}
}
