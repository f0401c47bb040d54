package reports

import (
	"testing"

	"github.com/fristad/fristad/domain"
	"github.com/fristad/fristad/eventstore"
)

// followUpWorld: F1 and F2 women, M1 a man, CH1 a girl with her own
// decision in F1's case.
func followUpWorld() []*eventstore.Envelope {
	s := newStream()
	reg := on("2025-01-01")
	s.person(reg, "F1", domain.SexFemale, 1980)
	s.person(reg, "F2", domain.SexFemale, 1990)
	s.person(reg, "M1", domain.SexMale, 1985)
	s.person(reg, "CH1", domain.SexFemale, 2015)
	open := func(id, person domain.ID) {
		s.kase(reg, id, domain.CaseOpened{Unit: "vuxen", TargetGroup: domain.AdultVictim, Source: domain.SourceReport,
			ReceivedOn: day("2025-01-01"), PersonID: person, Assignee: "anna"})
	}
	decide := func(id, dec domain.ID, st domain.SupportType, goals int, child domain.ID) {
		s.kase(reg, id, domain.DecisionMade{DecisionID: dec, SupportType: st, Outcome: domain.OutcomeGranted, GoalCount: goals, ValidFrom: day("2025-01-01"), ChildID: child})
	}
	follow := func(id, dec domain.ID, when string, took bool, outcomes ...domain.GoalOutcome) {
		s.kase(on(when), id, domain.FollowedUp{DecisionID: dec, FollowedUpOn: day(when), Participated: took, Outcomes: outcomes})
	}
	open("K1", "F1")
	s.kase(reg, "K1", domain.ChildAdded{ChildID: "CH1", Relation: domain.ChildWitnessed})
	decide("K1", "A", domain.SupportTalks, 2, "")
	decide("K1", "D", domain.SupportChild, 1, "CH1")
	open("K2", "F2")
	decide("K2", "B", domain.SupportTalks, 1, "")
	open("K3", "M1")
	decide("K3", "C", domain.SupportContactPerson, 1, "")

	follow("K2", "B", "2025-12-01", false, domain.GoalNot) // before the period
	follow("K1", "A", "2026-03-01", false, domain.GoalPartly, domain.GoalNot)
	follow("K1", "A", "2026-09-01", true, domain.GoalFully, domain.GoalPartly) // the latest counts
	follow("K2", "B", "2026-05-01", true, domain.GoalFully)
	follow("K3", "C", "2026-04-01", false, domain.GoalNot)
	follow("K1", "D", "2026-06-01", true, domain.GoalFully)
	return s.envs
}

func TestGoldenFollowUp(t *testing.T) {
	p := Params{Report: FollowUp, From: day("2026-01-01"), To: day("2026-12-31"), MinCell: 2}
	r := build(t, p, followUpWorld()).Report()
	checkCells(t, r, map[string]string{
		"follow_ups|sex=female;support_type=support_talks": "2", // F1, F2
		"follow_ups|sex=all;support_type=support_talks":    "2",
		"follow_ups|sex=male;support_type=contact_person":  "null",
		"follow_ups|sex=all;support_type=contact_person":   "null",
		"follow_ups|sex=female;support_type=child_support": "null", // CH1
		"follow_ups|sex=all;support_type=child_support":    "null",

		// Goals at each decision's latest follow-up: A fully+partly, B fully.
		"goal_outcomes|outcome=fully;sex=female;support_type=support_talks":  "2",
		"goal_outcomes|outcome=fully;sex=all;support_type=support_talks":     "2",
		"goal_outcomes|outcome=partly;sex=female;support_type=support_talks": "null", // one person
		"goal_outcomes|outcome=partly;sex=all;support_type=support_talks":    "null",
		"goal_outcomes|outcome=not;sex=male;support_type=contact_person":     "null",
		"goal_outcomes|outcome=not;sex=all;support_type=contact_person":      "null",
		"goal_outcomes|outcome=fully;sex=female;support_type=child_support":  "null",
		"goal_outcomes|outcome=fully;sex=all;support_type=child_support":     "null",

		"participation|participated=true;sex=female": "3", // F1 (in one of two), F2, CH1
		"participation|participated=true;sex=all":    "3",
		"participation|participated=false;sex=male":  "null",
		"participation|participated=false;sex=all":   "null",
	})
	if n := len(r.Cells); n != 10*5+10*5*3+5*2 {
		t.Errorf("%d cells, want %d", n, 10*5+10*5*3+5*2)
	}
}

// indicatorWorld: adult victims A1, A2 (women), A3 (a man) in 2026; A4
// active in 2025; A5 closed before the 24 months.
func indicatorWorld() []*eventstore.Envelope {
	s := newStream()
	reg := on("2024-01-01")
	for _, p := range []struct {
		id  domain.ID
		sex domain.Sex
	}{{"A1", domain.SexFemale}, {"A2", domain.SexFemale}, {"A3", domain.SexMale}, {"A4", domain.SexFemale}, {"A5", domain.SexMale}} {
		s.person(reg, p.id, p.sex, 1980)
	}
	open := func(id, person domain.ID, received string) {
		s.kase(on(received), id, domain.CaseOpened{Unit: "vuxen", TargetGroup: domain.AdultVictim, Source: domain.SourceReport,
			ReceivedOn: day(received), PersonID: person, Assignee: "anna"})
	}
	closed := func(id domain.ID, when string) {
		s.kase(on(when), id, domain.CaseClosed{ClosedOn: day(when), GoalAttainment: domain.GoalFully})
	}
	decide := func(id, dec domain.ID, st domain.SupportType, o domain.DecisionOutcome, from string) {
		goals := 1
		if !o.Granted() {
			goals = 0
		}
		s.kase(on(from), id, domain.DecisionMade{DecisionID: dec, SupportType: st, Outcome: o, GoalCount: goals, ValidFrom: day(from)})
	}
	investigate := func(id domain.ID, when string, i domain.Instrument) {
		s.kase(on(when), id, domain.InvestigationOpened{OpenedOn: day(when)})
		s.kase(on(when), id, domain.RiskAssessed{Instrument: i, Level: domain.RiskMedium, Concerns: domain.ConcernAdult, AssessedOn: day(when)})
	}
	follow := func(id, dec domain.ID, when string) {
		s.kase(on(when), id, domain.FollowedUp{DecisionID: dec, FollowedUpOn: day(when), Participated: true, Outcomes: []domain.GoalOutcome{domain.GoalFully}})
	}
	open("K1", "A1", "2026-01-10")
	investigate("K1", "2026-01-11", domain.InstrFredaShort)
	decide("K1", "D1", domain.SupportProtectedHousing, domain.OutcomeGranted, "2026-03-01")
	follow("K1", "D1", "2026-06-01")
	open("K2", "A2", "2026-02-10")
	investigate("K2", "2026-02-11", domain.InstrClinical)
	decide("K2", "D2", domain.SupportProtectedHousing, domain.OutcomePartlyGranted, "2026-04-01")
	follow("K2", "D2", "2026-07-01")
	open("K3", "A3", "2026-03-10")
	investigate("K3", "2026-03-11", domain.InstrSARA)
	decide("K3", "D3", domain.SupportProtectedHousing, domain.OutcomeDenied, "2026-03-20")
	decide("K3", "D4", domain.SupportTalks, domain.OutcomeGranted, "2026-03-20")
	follow("K3", "D4", "2026-08-01")
	open("K4", "A4", "2024-06-01")
	closed("K4", "2025-02-01")
	open("K5", "A5", "2024-01-01")
	closed("K5", "2024-12-31")
	return s.envs
}

func TestGoldenIndicators(t *testing.T) {
	p := Params{Report: Indicators, Year: 2026, MinCell: 2}
	b := build(t, p, indicatorWorld())
	if got := b.Params(); got.From != day("2026-01-01") || got.To != day("2026-12-31") {
		t.Errorf("period %s..%s", got.From, got.To)
	}
	r := b.Report()
	checkCells(t, r, map[string]string{
		"V3|answer=yes;sex=female": "2", // A1 granted, A2 partly granted
		"V3|answer=no;sex=male":    "0", // A3 denied
		"V7|answer=yes":            "3",
		// Men (1) too few; women (2) suppressed as well, or 3 - 2 gives him.
		"V7a|answer=yes;sex=female":               "null",
		"V7a|answer=too_few;sex=male":             "null",
		"V7a|answer=no;sex=other":                 "0",
		"V7a|answer=no;sex=unknown":               "0",
		"V7a|answer=too_few;sex=all":              "3",
		"G20|answer=yes":                          "4", // A1-A4; A5 closed before 2025
		"V1|answer=yes;measure=investigations":    "3",
		"V1|answer=yes;measure=with_standardized": "2",
		"V1|answer=yes;measure=per_mille":         "667",
	})
	if r.Meta.From != "2026-01-01" || r.Meta.To != "2026-12-31" {
		t.Errorf("meta period %s..%s", r.Meta.From, r.Meta.To)
	}

	// With k = 3 the numerator is too small, and the share would give it
	// away, so both go.
	p.MinCell = 3
	r = build(t, p, indicatorWorld()).Report()
	checkCells(t, r, map[string]string{
		"V3|answer=yes;sex=female":                "null",
		"V3|answer=no;sex=male":                   "0",
		"V7|answer=yes":                           "3",
		"V7a|answer=too_few;sex=female":           "null",
		"V7a|answer=too_few;sex=male":             "null",
		"V7a|answer=no;sex=other":                 "0",
		"V7a|answer=no;sex=unknown":               "0",
		"V7a|answer=too_few;sex=all":              "3",
		"G20|answer=yes":                          "4",
		"V1|answer=yes;measure=investigations":    "3",
		"V1|answer=yes;measure=with_standardized": "null",
		"V1|answer=yes;measure=per_mille":         "null",
	})
}
