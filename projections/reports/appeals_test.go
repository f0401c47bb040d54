package reports

import (
	"testing"

	"github.com/fristad/fristad/domain"
)

// appealsWorld: P1 (woman) appealed D1 in time and the municipality
// changed it (D2); P2 (woman) appealed late and was dismissed; P3 (man,
// who used violence) was granted support talks and appealed a denial of
// treatment, which the court changed.
func appealsWorld() *stream {
	s := newStream()
	open := func(k, p domain.ID, sex domain.Sex, g domain.TargetGroup) {
		s.person(on("2026-01-01"), p, sex, 1980)
		s.kase(on("2026-01-01"), k, domain.CaseOpened{Unit: "vuxen", TargetGroup: g, Source: domain.SourceApplication,
			ReceivedOn: day("2026-01-01"), PersonID: p, Assignee: "anna"})
	}
	dec := func(k, id domain.ID, st domain.SupportType, o domain.DecisionOutcome, on_ string, extra func(*domain.DecisionMade)) {
		f := domain.DecisionMade{DecisionID: id, SupportType: st, Outcome: o, ValidFrom: day(on_), DecidedOn: day(on_), DecidedBy: "sara",
			Point: "1", DecidedAs: domain.RoleSupervisor}
		if o.Granted() {
			f.GoalCount = 1
		}
		if extra != nil {
			extra(&f)
		}
		s.kase(on(on_), k, f)
	}
	open("K1", "P1", domain.SexFemale, domain.AdultVictim)
	dec("K1", "D1", domain.SupportTalks, domain.OutcomeDenied, "2026-03-02", nil)
	s.kase(on("2026-03-10"), "K1", domain.AppealReceived{AppealID: "A1", DecisionID: "D1", ReceivedOn: day("2026-03-10"), LastDay: day("2026-03-23"), InTime: true})
	s.kase(on("2026-03-12"), "K1", domain.AppealReconsidered{AppealID: "A1", DecidedOn: day("2026-03-12"), DecidedBy: "sara", Changed: true, NewDecisionID: "D2"})
	dec("K1", "D2", domain.SupportTalks, domain.OutcomeGranted, "2026-03-12", func(f *domain.DecisionMade) { f.Replaces, f.AppealID = "D1", "A1" })

	open("K2", "P2", domain.SexFemale, domain.AdultVictim)
	dec("K2", "D3", domain.SupportTalks, domain.OutcomeDenied, "2026-03-02", nil)
	s.kase(on("2026-04-10"), "K2", domain.AppealReceived{AppealID: "A2", DecisionID: "D3", ReceivedOn: day("2026-04-10"), LastDay: day("2026-03-23")})
	s.kase(on("2026-04-11"), "K2", domain.AppealDismissed{AppealID: "A2", DecidedOn: day("2026-04-11"), DecidedBy: "anna"})

	open("K3", "P3", domain.SexMale, domain.Perpetrator)
	dec("K3", "D4", domain.SupportTalks, domain.OutcomeGranted, "2026-02-02", nil)
	dec("K3", "D5", domain.SupportPerpetratorTreatment, domain.OutcomeDenied, "2026-02-02", nil)
	s.kase(on("2026-02-10"), "K3", domain.AppealReceived{AppealID: "A3", DecisionID: "D5", ReceivedOn: day("2026-02-10"), LastDay: day("2026-02-23"), InTime: true})
	s.kase(on("2026-02-11"), "K3", domain.AppealForwarded{AppealID: "A3", ForwardedOn: day("2026-02-11")})
	s.kase(on("2026-05-11"), "K3", domain.AppealRuled{AppealID: "A3", RuledOn: day("2026-05-11"), Outcome: domain.RulingChanged})
	return s
}

func TestAppealsReport(t *testing.T) {
	r := build(t, Params{Report: Appeals, From: day("2026-01-01"), To: day("2026-12-31"), MinCell: 1}, appealsWorld().envs).Report()
	checkCells(t, r, map[string]string{
		"appeals|in_time=yes;outcome=reconsidered_changed":     "1",
		"appeals|in_time=no;outcome=dismissed":                 "1",
		"appeals|in_time=yes;outcome=changed":                  "1",
		"decisions_changed|support_type=support_talks":         "1",
		"decisions_changed|support_type=perpetrator_treatment": "1",
	})
	// With k = 3 every 1 is too few.
	r = build(t, Params{Report: Appeals, From: day("2026-01-01"), To: day("2026-12-31"), MinCell: 3}, appealsWorld().envs).Report()
	for _, c := range r.Cells {
		if c.Value != nil && *c.Value > 0 {
			t.Errorf("%s shown with k=3", cellKey(c))
		}
	}
}

func TestIndicatorsV2AndChangedAfterAppeal(t *testing.T) {
	r := build(t, Params{Report: Indicators, Year: 2026, MinCell: 1}, appealsWorld().envs).Report()
	got := map[string]string{}
	for _, c := range r.Cells {
		if c.Table == "V2" || c.Table == "decisions_changed_after_appeal" {
			got[cellKey(c)] = shown(c)
		}
	}
	want := map[string]string{
		"V2|answer=no;sex=female;survey_year=2027": "0",
		"V2|answer=yes;sex=male;survey_year=2027":  "1", // P3's support talks
		// A1 changed on reconsideration, A3 changed by the court; A2 was
		// dismissed, not examined on its merits.
		"decisions_changed_after_appeal|measure=appeals_examined;survey_year=2027": "2",
		"decisions_changed_after_appeal|measure=changed;survey_year=2027":          "2",
		"decisions_changed_after_appeal|measure=per_mille;survey_year=2027":        "1000",
	}
	if len(got) != len(want) {
		t.Fatalf("cells %v", got)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %q, want %s", k, got[k], v)
		}
	}
}

// TestDecisionsCountTheValidOne: D1 (denied) replaced by D2 (granted) in
// the period counts as D2 only; in a period ending before the change, D1.
func TestDecisionsCountTheValidOne(t *testing.T) {
	cell := func(to, outcome string) string {
		r := build(t, Params{Report: Mapping, From: day("2026-01-01"), To: day(to), MinCell: 1}, appealsWorld().envs).Report()
		for _, c := range r.Cells {
			if c.Table == "decisions" && c.Dims["support_type"] == "support_talks" && c.Dims["outcome"] == outcome &&
				c.Dims["target_group"] == "adult_victim" && c.Dims["sex"] == "all" {
				return shown(c)
			}
		}
		return "missing"
	}
	if got := cell("2026-12-31", "denied"); got != "1" { // P2's D3 only
		t.Errorf("denied in 2026: %s", got)
	}
	if got := cell("2026-12-31", "granted"); got != "1" { // P1's D2
		t.Errorf("granted in 2026: %s", got)
	}
	if got := cell("2026-03-11", "denied"); got != "2" { // D1 still valid on 11 March
		t.Errorf("denied to 11 March: %s", got)
	}
}
