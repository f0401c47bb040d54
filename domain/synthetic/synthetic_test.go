package synthetic

import (
	"encoding/json"
	"testing"

	"github.com/fristad/fristad/domain"
)

// run plays plans through the real deciders in memory and fails on any
// refused command: every generated step must be one a user could issue.
func run(t *testing.T, plans []Plan) map[domain.Kind]int {
	t.Helper()
	persons, cases, contacts, partnerSides := domain.PersonDecider(), domain.CaseDecider(), domain.TreatmentSideDecider(), domain.PartnerSideDecider(domain.PartnerSide{})
	hist := map[string][]domain.Recorded{} // by kind and id: a partner contact's two records share its id
	count := map[domain.Kind]int{}
	for _, p := range plans {
		for i, s := range p.Steps {
			var evs []domain.Event
			var err error
			key := string(s.Kind) + "." + string(s.ID)
			h := hist[key]
			switch s.Kind {
			case domain.KindPerson:
				evs, err = persons.Decide(persons.Fold(s.ID, h), s.Command)
			case domain.KindCase:
				evs, err = cases.Decide(cases.Fold(s.ID, h), s.Command)
			case domain.KindPartnerContact:
				evs, err = contacts.Decide(contacts.Fold(s.ID, h), s.Command)
			case domain.KindPartnerSide:
				evs, err = partnerSides.Decide(partnerSides.Fold(s.ID, h), s.Command)
			}
			if err != nil {
				t.Fatalf("case %d step %d (%s on %s): %v", p.Index, i, s.Command.CommandName(), s.Kind, err)
			}
			for _, e := range evs {
				h = append(h, domain.Recorded{ID: domain.NewID(), Version: uint64(len(h) + 1), RecordedAt: s.At, Actor: s.Actor, Facts: e.Facts})
				count[s.Kind]++
			}
			hist[key] = h
		}
	}
	return count
}

func TestEveryGeneratedStepIsAccepted(t *testing.T) {
	var plans []Plan
	if err := Generate(7, 2000, func(p Plan) error { plans = append(plans, p); return nil }); err != nil {
		t.Fatal(err)
	}
	count := run(t, plans)
	if count[domain.KindCase] < 2000*5 || count[domain.KindPartnerContact] == 0 || count[domain.KindPerson] < 2000 {
		t.Fatalf("implausible population: %v", count)
	}
}

func TestSameSeedSamePopulation(t *testing.T) {
	for i := 0; i < 50; i++ {
		a, _ := json.Marshal(PlanFor(42, i))
		b, _ := json.Marshal(PlanFor(42, i))
		if string(a) != string(b) {
			t.Fatalf("case %d differs between runs", i)
		}
		c, _ := json.Marshal(PlanFor(43, i))
		if string(a) == string(c) {
			t.Fatalf("case %d is the same under another seed", i)
		}
	}
}

// Realistic proportions: mostly women among adult victims, children in
// about half of the adult cases, some placements.
func TestProportions(t *testing.T) {
	var adult, adultFemale, withChildren, placed, followUps, cases int
	for i := 0; i < 3000; i++ {
		p := PlanFor(1, i)
		var sexOfFirst domain.Sex
		var isAdult, kids bool
		for _, s := range p.Steps {
			switch c := s.Command.(type) {
			case domain.RegisterPerson:
				if sexOfFirst == "" {
					sexOfFirst = c.Sex
				}
			case domain.OpenCase:
				cases++
				isAdult = c.TargetGroup == domain.AdultVictim
			case domain.AddChild:
				kids = true
			case domain.StartPlacement:
				placed++
			case domain.FollowUp:
				followUps++
			}
		}
		if isAdult {
			adult++
			if sexOfFirst == domain.SexFemale {
				adultFemale++
			}
			if kids {
				withChildren++
			}
		}
	}
	share := func(a, b int) float64 { return float64(a) / float64(b) }
	checks := []struct {
		name      string
		v, lo, hi float64
	}{
		{"women among adult victims", share(adultFemale, adult), 0.75, 0.92},
		{"adult cases with children", share(withChildren, adult), 0.35, 0.55},
		{"cases with a placement", share(placed, cases), 0.05, 0.35},
		{"follow-ups per case", share(followUps, cases), 0.5, 2},
	}
	for _, c := range checks {
		if c.v < c.lo || c.v > c.hi {
			t.Errorf("%s: %.2f outside [%.2f, %.2f]", c.name, c.v, c.lo, c.hi)
		}
	}
}

func TestPersonalNumbersAreValid(t *testing.T) {
	for i := 0; i < 200; i++ {
		for _, s := range PlanFor(3, i).Steps {
			if s.PersonalNumber == "" {
				continue
			}
			if _, err := domain.ParsePersonalNumber(s.PersonalNumber, domain.NewDate(2030, 1, 1)); err != nil {
				t.Fatalf("invalid generated number: %v", err)
			}
		}
	}
}

func TestProviderRegistry(t *testing.T) {
	reg := registry()
	if len(reg) != len(Providers) {
		t.Fatalf("%d providers", len(reg))
	}
	on := domain.NewDate(2026, 3, 1)
	var valid, municipal int
	for _, p := range reg {
		if !p.Exists || p.Vacancies == nil {
			t.Fatalf("%s not registered with vacancies", p.ID)
		}
		if p.PermitValidOn(on) {
			valid++
		}
		if p.Kind == domain.ProviderMunicipal {
			municipal++
		}
	}
	// A revoked and a pending permit: both stay in the registry, neither
	// may take a placement after 2024-04-01.
	if valid != len(reg)-2 || municipal != 1 {
		t.Fatalf("%d of %d with a valid permit, %d municipal", valid, len(reg), municipal)
	}
}

func TestPlacementsGoToProvidersThatFit(t *testing.T) {
	byID := map[domain.ID]domain.Provider{}
	for _, p := range registry() {
		byID[p.ID] = p
	}
	used := map[domain.ID]int{}
	for i := 0; i < 2000; i++ {
		for _, s := range PlanFor(7, i).Steps {
			c, ok := s.Command.(domain.StartPlacement)
			if !ok {
				continue
			}
			p, known := byID[c.ProviderID]
			if !known || c.At == nil || c.At.ID != c.ProviderID || !p.PermitValidOn(c.MovedInOn) {
				t.Fatalf("case %d placed at %s on %s", i, c.ProviderID, c.MovedInOn)
			}
			if c.Pets > 0 && !p.PetsAccepted {
				t.Fatalf("case %d: pets at %s, which takes none", i, p.Name)
			}
			used[c.ProviderID]++
		}
	}
	if len(used) < 4 {
		t.Fatalf("placements at only %d providers: %v", len(used), used)
	}
}
