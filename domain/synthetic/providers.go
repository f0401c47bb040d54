package synthetic

import (
	"time"

	"github.com/fristad/fristad/domain"
)

// The synthetic registry of providers: shelters as they exist in a county
// and its neighbours (women's and girls' shelters, the municipality's own
// shelter, companies, one for men, one for LGBTQ persons), with permits
// from IVO granted when the requirement began (2024-04-01), one revoked
// and one still pending. Placements go only where the rules allow.

// Providers are the ids of the registry, in the order ProviderSteps
// registers them. The first three keep the ids earlier seeds placed at.
var Providers = []domain.ID{
	"01J0000000PR0V1DER0000000A", "01J0000000PR0V1DER0000000B", "01J0000000PR0V1DER0000000C",
	"01J0000000PR0V1DER0000000D", "01J0000000PR0V1DER0000000E", "01J0000000PR0V1DER0000000F",
	"01J0000000PR0V1DER0000000G", "01J0000000PR0V1DER0000000H", "01J0000000PR0V1DER0000000J",
	"01J0000000PR0V1DER0000000K",
}

type providerSpec struct {
	details domain.ProviderDetails
	permit  *domain.RecordPermit
}

func ints(n int) *int { return &n }

// providerSpecs is the registry; its order matches Providers.
func providerSpecs() []providerSpec {
	granted := domain.NewDate(2024, time.April, 1)
	permit := func(number string, to domain.Date) *domain.RecordPermit {
		return &domain.RecordPermit{Authority: "IVO", Number: number, ValidFrom: granted, ValidTo: to}
	}
	women := []domain.ProviderTargetGroup{domain.ProvidesWomen}
	return []providerSpec{
		{details: domain.ProviderDetails{Name: "Kvinnojouren Linnea", Kind: domain.ProviderWomensShelter, Municipality: "Staden", Region: "Mellanlän",
			Address: "Lindvägen 4, 111 22 Staden", PlacesAdults: 5, PlacesChildren: 8, TargetGroups: women, ChildrenMaxAge: 17, BoysMaxAge: ints(12),
			Languages: []string{"sv", "en", "ar"}, Competences: []string{"Barn som upplevt våld"}, Staffed: domain.StaffedOfficeHours},
			permit: permit("3.5.1-10001/2024", domain.Date{})},
		{details: domain.ProviderDetails{Name: "Stiftelsen Tryggheten", Kind: domain.ProviderCompany, Municipality: "Norrby", Region: "Mellanlän",
			Address: "Industrigatan 9, 222 33 Norrby", PlacesAdults: 12, PlacesChildren: 16,
			TargetGroups:   []domain.ProviderTargetGroup{domain.ProvidesWomen, domain.ProvidesHonourRelated, domain.ProvidesYoungAdults},
			ChildrenMaxAge: 17, PetsAccepted: true, Wheelchair: true, Languages: []string{"sv", "en", "ar", "so", "fa"},
			Competences: []string{"Hedersrelaterat våld och förtryck"}, Staffed: domain.StaffedAlways},
			permit: permit("3.5.1-10002/2024", domain.Date{})},
		{details: domain.ProviderDetails{Name: "Kommunens skyddade boende", Kind: domain.ProviderMunicipal, Municipality: "Staden", Region: "Mellanlän",
			Address: "Förrådsgatan 2, 111 40 Staden", PlacesAdults: 4, PlacesChildren: 6,
			TargetGroups: []domain.ProviderTargetGroup{domain.ProvidesWomen, domain.ProvidesMen}, ChildrenMaxAge: 17, Wheelchair: true,
			VisionAdapted: true, Languages: []string{"sv", "en"}, Staffed: domain.StaffedOnCall}},
		{details: domain.ProviderDetails{Name: "Tjejjouren Vilja", Kind: domain.ProviderGirlsShelter, Municipality: "Staden", Region: "Mellanlän",
			Address: "Åsgatan 17, 111 50 Staden", PlacesAdults: 3, PlacesChildren: 0,
			TargetGroups: []domain.ProviderTargetGroup{domain.ProvidesWomen, domain.ProvidesYoungAdults, domain.ProvidesLGBTQ},
			Languages:    []string{"sv", "en"}, Staffed: domain.StaffedOfficeHours},
			permit: permit("3.5.1-10004/2024", domain.NewDate(2028, time.March, 31))},
		{details: domain.ProviderDetails{Name: "Kvinnojouren Kustbo", Kind: domain.ProviderWomensShelter, Municipality: "Hamnstad", Region: "Kustlän",
			Address: "Strandvägen 30, 333 44 Hamnstad", PlacesAdults: 4, PlacesChildren: 6, TargetGroups: women, ChildrenMaxAge: 17,
			AllergyFree: true, HearingAdapted: true, Languages: []string{"sv", "fi"}, Staffed: domain.StaffedOfficeHours},
			permit: permit("3.5.1-10005/2024", domain.Date{})},
		{details: domain.ProviderDetails{Name: "Mansjouren Mellanlän", Kind: domain.ProviderOther, Municipality: "Norrby", Region: "Mellanlän",
			Address: "Bruksgatan 3, 222 10 Norrby", PlacesAdults: 2, PlacesChildren: 2,
			TargetGroups: []domain.ProviderTargetGroup{domain.ProvidesMen, domain.ProvidesLGBTQ}, ChildrenMaxAge: 12,
			Languages: []string{"sv", "en"}, Staffed: domain.StaffedOnCall},
			permit: permit("3.5.1-10006/2024", domain.Date{})},
		{details: domain.ProviderDetails{Name: "Skyddat boende Regnbågen", Kind: domain.ProviderCompany, Municipality: "Storstad", Region: "Storlän",
			Address: "Regnbågsgatan 8, 444 55 Storstad", PlacesAdults: 6, PlacesChildren: 4,
			TargetGroups:   []domain.ProviderTargetGroup{domain.ProvidesWomen, domain.ProvidesMen, domain.ProvidesLGBTQ, domain.ProvidesSubstanceAbuse},
			ChildrenMaxAge: 17, PetsAccepted: true, Languages: []string{"sv", "en", "es"}, Competences: []string{"Missbruk och beroende"},
			Staffed: domain.StaffedAlways},
			permit: permit("3.5.1-10007/2024", domain.Date{})},
		// A company whose permit was revoked: it stays in the registry, for
		// its placements' history, and matches with no_valid_permit.
		{details: domain.ProviderDetails{Name: "Boendebolaget Trygg AB", Kind: domain.ProviderCompany, Municipality: "Storstad", Region: "Storlän",
			Address: "Kontorsvägen 1, 444 10 Storstad", PlacesAdults: 10, PlacesChildren: 10, TargetGroups: women, ChildrenMaxAge: 17,
			BoysMaxAge: ints(15), Languages: []string{"sv"}, Staffed: domain.StaffedOfficeHours},
			permit: permit("3.5.1-10008/2024", domain.NewDate(2025, time.June, 30))},
		{details: domain.ProviderDetails{Name: "Kvinnojouren Fristaden", Kind: domain.ProviderWomensShelter, Municipality: "Storstad", Region: "Storlän",
			Address: "Fristadsgatan 12, 444 60 Storstad", PlacesAdults: 7, PlacesChildren: 10,
			TargetGroups: []domain.ProviderTargetGroup{domain.ProvidesWomen, domain.ProvidesDisability}, ChildrenMaxAge: 17,
			Wheelchair: true, VisionAdapted: true, HearingAdapted: true, Languages: []string{"sv", "en", "ti", "so"},
			Competences: []string{"Funktionsnedsättning", "Teckenspråk"}, Staffed: domain.StaffedAlways},
			permit: permit("3.5.1-10009/2024", domain.Date{})},
		// A new association whose application is pending: no permit yet.
		{details: domain.ProviderDetails{Name: "Föreningen Nystart", Kind: domain.ProviderWomensShelter, Municipality: "Hamnstad", Region: "Kustlän",
			Address: "Nygatan 5, 333 20 Hamnstad", PlacesAdults: 3, PlacesChildren: 4, TargetGroups: women, ChildrenMaxAge: 17,
			Languages: []string{"sv", "pl"}, Staffed: domain.StaffedOfficeHours}},
	}
}

// ProviderSteps registers the registry: each provider, its permit and a
// first report of vacancies, recorded before the first synthetic case.
func ProviderSteps() []Step {
	at := Start.AddDays(-30).Time().Add(9 * time.Hour)
	var steps []Step
	add := func(id domain.ID, cmd domain.Command) {
		at = at.Add(time.Minute)
		steps = append(steps, Step{Kind: domain.KindProvider, ID: id, Command: cmd, At: at, Actor: "admin"})
	}
	for i, sp := range providerSpecs() {
		id := Providers[i]
		add(id, domain.RegisterProvider{ProviderID: id, ProviderDetails: sp.details})
		if sp.permit != nil {
			add(id, *sp.permit)
		}
		add(id, domain.ReportVacancies{Adults: sp.details.PlacesAdults / 2, Children: sp.details.PlacesChildren / 2, AsOf: Start.AddDays(-30)})
	}
	return steps
}

// registry is the providers' states after ProviderSteps: a pure fold.
func registry() []domain.Provider {
	d := domain.ProviderDecider()
	hist := map[domain.ID][]domain.Recorded{}
	for _, s := range ProviderSteps() {
		evs, err := d.Decide(d.Fold(s.ID, hist[s.ID]), s.Command)
		if err != nil {
			panic("synthetic: the provider registry is refused: " + err.Error())
		}
		for _, e := range evs {
			hist[s.ID] = append(hist[s.ID], domain.Recorded{Version: uint64(len(hist[s.ID]) + 1), RecordedAt: s.At, Facts: e.Facts})
		}
	}
	out := make([]domain.Provider, len(Providers))
	for i, id := range Providers {
		out[i] = d.Fold(id, hist[id])
	}
	return out
}
