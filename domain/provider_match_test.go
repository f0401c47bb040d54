package domain

import (
	"fmt"
	"reflect"
	"testing"
)

// A small registry, each provider differing from the base in one way.
func matchRegistry() []Provider {
	base := func(n int, name string) Provider {
		p := Provider{ID: tid(400 + n), Exists: true, ProviderProfile: shelterDetails().profile()}
		p.Name, p.Region, p.Municipality = name, "Uppsala län", "Uppsala"
		p.BoysMaxAge = nil
		permit := permit2026
		p.Permit = &permit
		p.Vacancies = &VacanciesReported{Adults: 2, Children: 3, AsOf: day("2026-03-01")}
		return p
	}
	all := base(1, "A Allmän")
	noTeenBoys := base(2, "B Inga tonårspojkar")
	noTeenBoys.BoysMaxAge = intp(12)
	expired := base(3, "C Utgånget tillstånd")
	expired.Permit.ValidTo = day("2026-02-28")
	full := base(4, "D Fullt")
	full.Vacancies = &VacanciesReported{Adults: 0, Children: 4, AsOf: day("2026-03-01")}
	allergy := base(5, "E Allergianpassat")
	allergy.AllergyFree = true
	pets := base(6, "F Djur och rullstol")
	pets.PetsAccepted, pets.Wheelchair = true, true
	men := base(7, "G Mansjour")
	men.TargetGroups = []ProviderTargetGroup{ProvidesMen}
	municipal := base(8, "H Kommunens boende")
	municipal.Kind, municipal.Permit = ProviderMunicipal, nil
	return []Provider{all, noTeenBoys, expired, full, allergy, pets, men, municipal}
}

type matchRow struct {
	fits    bool
	reasons []MatchReason
}

func TestMatchProviders(t *testing.T) {
	on := day("2026-03-10")
	woman := Household{Adults: 1, TargetGroup: ProvidesWomen, On: on}
	with := func(change func(*Household)) Household { h := woman; change(&h); return h }
	teenBoy := with(func(h *Household) { h.Children = []ChildNeed{{Age: 14, Sex: SexMale}} })
	dog := with(func(h *Household) { h.Pets = 1 })
	dogAllergic := with(func(h *Household) { h.Pets, h.AllergyFree = 1, true })
	wheelchair := with(func(h *Household) { h.Wheelchair = true })
	man := with(func(h *Household) { h.TargetGroup = ProvidesMen })
	avoid := with(func(h *Household) { h.AvoidRegions = []string{"uppsala län"} })
	bigFamily := with(func(h *Household) {
		h.Children = []ChildNeed{{Age: 3, Sex: SexFemale}, {Age: 5, Sex: SexFemale}, {Age: 7, Sex: SexFemale}, {Age: 9, Sex: SexFemale}}
	})
	oldChild := with(func(h *Household) { h.Children = []ChildNeed{{Age: 17, Sex: SexFemale}} })

	ok := matchRow{fits: true, reasons: []MatchReason{}}
	no := func(r ...MatchReason) matchRow { return matchRow{reasons: r} }
	permit := no(ReasonNoValidPermit)
	full := no(ReasonNoPlaces)
	//            A          B                  C       D     E                        F   G                  H
	for _, tc := range []struct {
		name string
		h    Household
		want [8]matchRow
	}{
		{"a woman alone", woman, [8]matchRow{ok, ok, permit, full, ok, ok, no(ReasonTargetGroup), ok}},
		{"a teenage boy", teenBoy, [8]matchRow{ok, no(ReasonBoyAge), permit, full, ok, ok, no(ReasonTargetGroup), ok}},
		{"a dog", dog, [8]matchRow{no(ReasonPetsNotAccepted), no(ReasonPetsNotAccepted), no(ReasonNoValidPermit, ReasonPetsNotAccepted),
			no(ReasonPetsNotAccepted, ReasonNoPlaces), no(ReasonPetsAllergyFree), ok, no(ReasonTargetGroup, ReasonPetsNotAccepted), no(ReasonPetsNotAccepted)}},
		{"a dog and an allergy", dogAllergic, [8]matchRow{
			no(ReasonPetsNotAccepted, ReasonNotAllergyFree), no(ReasonPetsNotAccepted, ReasonNotAllergyFree),
			no(ReasonNoValidPermit, ReasonPetsNotAccepted, ReasonNotAllergyFree), no(ReasonPetsNotAccepted, ReasonNotAllergyFree, ReasonNoPlaces),
			no(ReasonPetsAllergyFree), no(ReasonNotAllergyFree), no(ReasonTargetGroup, ReasonPetsNotAccepted, ReasonNotAllergyFree),
			no(ReasonPetsNotAccepted, ReasonNotAllergyFree)}},
		{"a wheelchair", wheelchair, [8]matchRow{no(ReasonNoWheelchair), no(ReasonNoWheelchair), no(ReasonNoValidPermit, ReasonNoWheelchair),
			no(ReasonNoWheelchair, ReasonNoPlaces), no(ReasonNoWheelchair), ok, no(ReasonTargetGroup, ReasonNoWheelchair), no(ReasonNoWheelchair)}},
		{"a man", man, [8]matchRow{no(ReasonTargetGroup), no(ReasonTargetGroup), no(ReasonNoValidPermit, ReasonTargetGroup),
			no(ReasonTargetGroup, ReasonNoPlaces), no(ReasonTargetGroup), no(ReasonTargetGroup), ok, no(ReasonTargetGroup)}},
		{"the county to avoid", avoid, [8]matchRow{no(ReasonRegionAvoided), no(ReasonRegionAvoided), no(ReasonNoValidPermit, ReasonRegionAvoided),
			no(ReasonNoPlaces, ReasonRegionAvoided), no(ReasonRegionAvoided), no(ReasonRegionAvoided), no(ReasonTargetGroup, ReasonRegionAvoided), no(ReasonRegionAvoided)}},
		{"more children than child vacancies", bigFamily, [8]matchRow{no(ReasonTooFewPlaces), no(ReasonTooFewPlaces), no(ReasonNoValidPermit, ReasonTooFewPlaces),
			full, no(ReasonTooFewPlaces), no(ReasonTooFewPlaces), no(ReasonTargetGroup, ReasonTooFewPlaces), no(ReasonTooFewPlaces)}},
		{"a girl of 17", oldChild, [8]matchRow{ok, ok, permit, full, ok, ok, no(ReasonTargetGroup), ok}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			reg := matchRegistry()
			got := map[ID]Match{}
			for _, m := range MatchProviders(tc.h, reg) {
				got[m.ProviderID] = m
			}
			if len(got) != len(reg) {
				t.Fatalf("%d matches for %d providers", len(got), len(reg))
			}
			for i, p := range reg {
				m := got[p.ID]
				if m.Fits != tc.want[i].fits || !reflect.DeepEqual(m.Reasons, tc.want[i].reasons) {
					t.Errorf("%s: fits %v %v, want %v %v", p.Name, m.Fits, m.Reasons, tc.want[i].fits, tc.want[i].reasons)
				}
				if !m.Fits && m.Score != 0 {
					t.Errorf("%s: an excluded provider scores %d", p.Name, m.Score)
				}
			}
		})
	}
}

func TestMatchChildAgeAndUnknownAge(t *testing.T) {
	p := matchRegistry()[0]
	p.ChildrenMaxAge = 12
	h := Household{Adults: 1, On: day("2026-03-10"), Children: []ChildNeed{{Age: 13, Sex: SexFemale}}}
	if m := MatchProviders(h, []Provider{p})[0]; m.Fits || !reflect.DeepEqual(m.Reasons, []MatchReason{ReasonChildAge}) {
		t.Fatalf("13-year-old at a shelter for children up to 12: %+v", m)
	}
	// An unknown age cannot exclude.
	h.Children[0].Age = -1
	if m := MatchProviders(h, []Provider{p})[0]; !m.Fits {
		t.Fatalf("unknown age excluded: %+v", m)
	}
	p.PlacesChildren = 0
	if m := MatchProviders(h, []Provider{p})[0]; !reflect.DeepEqual(m.Reasons, []MatchReason{ReasonChildrenNotTaken}) {
		t.Fatalf("no places for children: %+v", m.Reasons)
	}
}

func TestMatchRankingAndTies(t *testing.T) {
	reg := matchRegistry()
	a, f, h := reg[0], reg[5], reg[7] // all fit a woman alone
	f.Languages = []string{"sv", "ar", "so"}
	h.Staffed = StaffedOfficeHours
	// Same score and vacancies: a tie goes by name, then id.
	twin := a
	twin.ID = tid(499)
	need := Household{Adults: 1, TargetGroup: ProvidesWomen, On: day("2026-03-10"), Languages: []string{"so"}, Protected: true,
		SpecialNeeds: []SpecialNeed{NeedHonourRelated}}
	got := MatchProviders(need, []Provider{h, twin, a, f})
	order := []ID{}
	for _, m := range got {
		order = append(order, m.ProviderID)
	}
	// f speaks Somali and is staffed always: 2 of 4 (no honour-related
	// competence, vacancies reported). a and its twin: staffed and
	// vacancies, 2 of 4 but fewer... all have vacancies: ranking by score.
	want := []ID{f.ID, a.ID, twin.ID, h.ID}
	if !reflect.DeepEqual(order, want) {
		t.Fatalf("order %v, want %v (%s)", order, want, describe(got))
	}
	if got[0].Score != 75 || got[1].Score != 50 || got[3].Score != 25 {
		t.Fatalf("scores: %s", describe(got))
	}
	if !reflect.DeepEqual(got[0].Unmet, []MatchNeed{NeedMetHonourRelated}) ||
		!reflect.DeepEqual(got[0].Met, []MatchNeed{NeedMetPermit, NeedMetTargetGroup, NeedMetLanguages, NeedMetStaffedAlways, NeedMetVacancies}) {
		t.Fatalf("met/unmet: %+v", got[0])
	}
	// Equal input, equal output.
	again := MatchProviders(need, []Provider{f, a, h, twin})
	if !reflect.DeepEqual(got, again) {
		t.Fatal("order depends on the registry's order")
	}
}

func TestMatchNoVacanciesReported(t *testing.T) {
	p := matchRegistry()[0]
	p.Vacancies = nil
	m := MatchProviders(Household{Adults: 1, On: day("2026-03-10")}, []Provider{p})[0]
	if !m.Fits || m.Vacancies != nil || !reflect.DeepEqual(m.Unmet, []MatchNeed{NeedMetVacancies}) || m.Score != 0 {
		t.Fatalf("unknown vacancies: %+v", m)
	}
	// Unregistered states never match.
	if got := MatchProviders(Household{Adults: 1, On: day("2026-03-10")}, []Provider{{ID: tid(1)}}); len(got) != 0 {
		t.Fatalf("unregistered provider matched: %+v", got)
	}
}

func TestHouseholdValidation(t *testing.T) {
	h := Household{Adults: 30, Children: []ChildNeed{{Age: 18, Sex: "boy"}}, Pets: -1, Languages: []string{"SV"},
		TargetGroup: "cats", SpecialNeeds: []SpecialNeed{"x"}, AvoidRegions: []string{""}}
	assertInvalid(t, ValidateHousehold(&h), "adults", "children[0].age", "children[0].sex", "pets", "languages[0]",
		"target_group", "special_needs[0]", "avoid_regions[0]", "on")
	ok := Household{On: day("2026-01-01")}
	if err := ValidateHousehold(&ok); err != nil || ok.Adults != 1 {
		t.Fatalf("defaults: %v %+v", err, ok)
	}
}

func describe(ms []Match) string {
	s := ""
	for _, m := range ms {
		s += fmt.Sprintf("[%s fits=%v score=%d met=%v unmet=%v] ", m.Name, m.Fits, m.Score, m.Met, m.Unmet)
	}
	return s
}

// BenchmarkMatch300 matches one household against 300 registered
// providers (the measure).
func BenchmarkMatch300(b *testing.B) {
	base := matchRegistry()
	reg := make([]Provider, 300)
	for i := range reg {
		p := base[i%len(base)]
		p.ID = ID(fmt.Sprintf("01J00000000000000000P%05d", i))
		p.Name = fmt.Sprintf("%s %d", p.Name, i)
		reg[i] = p
	}
	h := Household{Adults: 1, TargetGroup: ProvidesWomen, On: day("2026-03-10"), Children: []ChildNeed{{Age: 14, Sex: SexMale}, {Age: 4, Sex: SexFemale}},
		Pets: 1, Languages: []string{"ar"}, SpecialNeeds: []SpecialNeed{NeedHonourRelated}, Protected: true, AvoidRegions: []string{"Stockholms län"}}
	b.ReportAllocs()
	for b.Loop() {
		if len(MatchProviders(h, reg)) != 300 {
			b.Fatal("lost providers")
		}
	}
}
