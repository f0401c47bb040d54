package reports

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/fristad/fristad/domain"
	"github.com/xuri/excelize/v2"
)

// providersWorld: shelter A (registered, 6 women placed in the period,
// one with two children; 2 moved out; a complaint; one open and one done
// action), shelter B (registered, nothing placed), and an old placement
// at an id never registered.
func providersWorld() *stream {
	s := newStream()
	a, b, old := domain.ID("01J0000000PR0V1DER0000000A"), domain.ID("01J0000000PR0V1DER0000000B"), domain.ID("01J0000000PR0V1DER0000000Z")
	profile := domain.ProviderProfile{Name: "Jour A", Kind: domain.ProviderWomensShelter, Municipality: "M", Region: "R", PlacesAdults: 8,
		PlacesChildren: 8, TargetGroups: []domain.ProviderTargetGroup{domain.ProvidesWomen}, ChildrenMaxAge: 17, Languages: []string{"sv"}, Staffed: domain.StaffedAlways}
	s.at(on("2025-12-01"), domain.KindProvider, a, domain.ProviderRegistered{ProviderProfile: profile})
	profile.Name = "Jour B"
	s.at(on("2025-12-01"), domain.KindProvider, b, domain.ProviderRegistered{ProviderProfile: profile})
	fu, act1, act2 := domain.ID("01J00000000000000000F00001"), domain.ID("01J00000000000000000F00002"), domain.ID("01J00000000000000000F00003")
	s.at(on("2026-02-01"), domain.KindProvider, a, domain.ProviderFollowedUp{FollowUpID: fu, ChecklistVersion: "2026.1", FollowedUpOn: day("2026-02-01"),
		Answers: []domain.ChecklistAnswered{{Question: "safety.fire", Answer: domain.AnswerNo}},
		Actions: []domain.ActionAgreed{{ActionID: act1, DueOn: day("2026-03-01")}, {ActionID: act2, DueOn: day("2026-04-01")}}})
	s.at(on("2026-03-01"), domain.KindProvider, a, domain.ProviderActionDone{ActionID: act1, DoneOn: day("2026-03-01")})

	for i := range 7 {
		person := domain.ID(fmt.Sprintf("01J00000000000000000P%05d", i))
		caseID := domain.ID(fmt.Sprintf("01J00000000000000000C%05d", i))
		s.person(on("2026-01-02"), person, domain.SexFemale, 1985)
		s.kase(on("2026-01-02"), caseID, domain.CaseOpened{Unit: "vuxen", TargetGroup: domain.AdultVictim, Source: domain.SourceApplication,
			ReceivedOn: day("2026-01-02"), PersonID: person, Assignee: "anna"})
		dec := domain.ID(fmt.Sprintf("01J00000000000000000D%05d", i))
		s.kase(on("2026-01-03"), caseID, domain.DecisionMade{DecisionID: dec, SupportType: domain.SupportProtectedHousing, Outcome: domain.OutcomeGranted,
			GoalCount: 1, ValidFrom: day("2026-01-03"), ValidTo: day("2026-12-31")})
		provider, in := a, day("2026-01-10")
		if i == 6 {
			provider, in = old, day("2025-06-01") // before the registry
		}
		var kids []domain.ID
		if i == 0 {
			for j := range 2 {
				kid := domain.ID(fmt.Sprintf("01J00000000000000000K%05d", j))
				s.person(on("2026-01-02"), kid, domain.SexMale, 2016)
				s.kase(on("2026-01-02"), caseID, domain.ChildAdded{ChildID: kid, Relation: domain.ChildWitnessed})
				kids = append(kids, kid)
			}
		}
		pl := domain.ID(fmt.Sprintf("01J00000000000000000L%05d", i))
		s.kase(on("2026-01-10"), caseID, domain.PlacementStarted{PlacementID: pl, DecisionID: dec, ProviderID: provider, MovedInOn: in, ChildIDs: kids})
		if i < 2 {
			s.kase(on("2026-01-20"), caseID, domain.MovedOut{PlacementID: pl, MovedOutOn: day("2026-01-20"), Reason: domain.MoveOutPermanentHousing, GoalAttainment: domain.GoalFully})
		}
		if i == 3 {
			s.kase(on("2026-02-10"), caseID, domain.FollowedUp{DecisionID: dec, FollowedUpOn: day("2026-02-10"), Outcomes: []domain.GoalOutcome{domain.GoalPartly}, Complaint: true})
			s.kase(on("2026-03-10"), caseID, domain.FollowedUp{DecisionID: dec, FollowedUpOn: day("2026-03-10"), Outcomes: []domain.GoalOutcome{domain.GoalPartly}})
		}
	}
	return s
}

func TestProvidersReport(t *testing.T) {
	s := providersWorld()
	p := Params{Report: Providers, From: day("2026-01-01"), To: day("2026-03-31"), MinCell: 1}
	a := "name=Jour A;provider=01J0000000PR0V1DER0000000A"
	b := "name=Jour B;provider=01J0000000PR0V1DER0000000B"
	z := "name=" + unregisteredName + ";provider=01J0000000PR0V1DER0000000Z"
	checkCells(t, build(t, p, s.envs).Report(), map[string]string{
		"provider_placements|" + a: "6", "provider_persons|" + a: "8", "provider_children|" + a: "2",
		// 2 x 10 nights (Jan 10-20), 4 x 81 (Jan 10 - Mar 31), 2 children x 10.
		"provider_days|" + a: "364",
		"provider_move_outs|" + "name=Jour A;provider=01J0000000PR0V1DER0000000A;reason=permanent_housing": "2",
		"provider_goal_attainment|name=Jour A;outcome=fully;provider=01J0000000PR0V1DER0000000A":           "2",
		"provider_complaints|" + a:   "1", // the complaint was at the earlier of two follow-ups
		"provider_open_actions|" + a: "1",
		"provider_placements|" + b:   "0",
		"provider_placements|" + z:   "1", "provider_persons|" + z: "1", "provider_days|" + z: "90",
	})

	// Suppressed like every report: k=5 hides 1..4 persons.
	p.MinCell = 5
	rep := build(t, p, s.envs).Report()
	for _, c := range rep.Cells {
		switch cellKey(c) {
		case "provider_persons|" + a, "provider_placements|" + a:
			if c.Suppressed {
				t.Errorf("%s suppressed", cellKey(c))
			}
		case "provider_children|" + a, "provider_complaints|" + a, "provider_persons|" + z, "provider_move_outs|" + "name=Jour A;provider=01J0000000PR0V1DER0000000A;reason=permanent_housing":
			if !c.Suppressed || c.Value != nil {
				t.Errorf("%s shown: %s", cellKey(c), shown(c))
			}
		case "provider_open_actions|" + a:
			if c.Suppressed {
				t.Error("open actions count no persons")
			}
		}
	}
	var xl, csv bytes.Buffer
	if err := WriteXLSX(&xl, rep); err != nil {
		t.Fatal(err)
	}
	book, err := excelize.OpenReader(&xl)
	if err != nil {
		t.Fatal(err)
	}
	defer book.Close()
	if !slices.Contains(book.GetSheetList(), "Placeringar per utförare") || !slices.Contains(book.GetSheetList(), "Öppna åtgärder per utförare") {
		t.Fatalf("sheets: %v", book.GetSheetList())
	}
	rows, err := book.GetRows("Utflyttningar per utförare")
	if err != nil || len(rows) < 2 || !slices.Equal(rows[0], []string{"Utförare", "Utförare (id)", "Orsak", "Antal"}) {
		t.Fatalf("header: %v %v", rows, err)
	}
	if !slices.ContainsFunc(rows, func(r []string) bool { return slices.Contains(r, "Jour A") && slices.Contains(r, "för få") }) {
		t.Fatalf("no suppressed Jour A row with a Swedish reason label: %v", rows)
	}
	if err := WriteCSV(&csv, rep); err != nil || !strings.Contains(csv.String(), "provider_open_actions") {
		t.Fatalf("csv: %v", err)
	}

	// As of before the follow-up: no open action yet.
	p.MinCell, p.AsOf = 1, on("2026-01-31")
	for _, c := range build(t, p, s.envs).Report().Cells {
		if c.Table == "provider_open_actions" && *c.Value != 0 {
			t.Errorf("open actions as of January: %d", *c.Value)
		}
	}
}
