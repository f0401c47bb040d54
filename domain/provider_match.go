package domain

import (
	"cmp"
	"slices"
	"strings"
)

// Matching a household to shelters (POST /providers/match): a pure
// function over the household's needs and the registry. Providers that
// cannot take the household at all come back with Fits false and the
// reasons; the rest are ranked by the share of the household's other
// needs they meet.

// ChildNeed is an accompanying child as matching sees it. Age -1 is
// unknown (a birth year not recorded): no age rule can exclude it.
type ChildNeed struct {
	Age int `json:"age"`
	Sex Sex `json:"sex"`
}

// Household is what a household needs of a shelter.
type Household struct {
	Adults       int                 `json:"adults"`
	Children     []ChildNeed         `json:"children"`
	Pets         int                 `json:"pets"`
	AllergyFree  bool                `json:"allergy_free"`
	Wheelchair   bool                `json:"wheelchair"`
	Vision       bool                `json:"vision_adapted"`
	Hearing      bool                `json:"hearing_adapted"`
	Languages    []string            `json:"languages"`
	TargetGroup  ProviderTargetGroup `json:"target_group"`
	SpecialNeeds []SpecialNeed       `json:"special_needs"`
	YoungAdult   bool                `json:"young_adult"`
	Protected    bool                `json:"protected"`
	AvoidRegions []string            `json:"avoid_regions"`
	// On is the move-in day the permit must be valid on.
	On Date `json:"on"`
}

// Bounds of a household.
const (
	maxHousehold = 20
	maxRegions   = 50
)

// Check validates a household; the adults default to one.
func (h *Household) Check(p *problems) {
	if h.Adults == 0 {
		h.Adults = 1
	}
	if h.Adults < 1 || h.Adults > maxHousehold {
		p.add("adults", "must be between 1 and %d", maxHousehold)
	}
	if len(h.Children) > maxHousehold {
		p.add("children", "has more than %d children", maxHousehold)
	}
	for i, c := range h.Children {
		at := index("children", i)
		if c.Age < -1 || c.Age > maxChildAge {
			p.add(path(at, "age"), "must be between 0 and %d", maxChildAge)
		}
		code(p, path(at, "sex"), c.Sex, true)
	}
	p.count("pets", h.Pets, maxHousehold)
	if len(h.Languages) > maxLanguages {
		p.add("languages", "has more than %d values", maxLanguages)
	}
	for i, l := range h.Languages {
		if !languageCode.MatchString(l) {
			p.add(index("languages", i), "must be an ISO 639-1 code in lower case")
		}
	}
	code(p, "target_group", h.TargetGroup, false)
	codes(p, "special_needs", h.SpecialNeeds, false)
	if len(h.AvoidRegions) > maxRegions {
		p.add("avoid_regions", "has more than %d values", maxRegions)
	}
	for i, r := range h.AvoidRegions {
		p.text(index("avoid_regions", i), r, maxName, true)
	}
	p.date("on", h.On, true)
}

// ValidateHousehold checks a household as a command would (HTTP 400).
func ValidateHousehold(h *Household) error {
	var p problems
	h.Check(&p)
	return p.err()
}

// Match is one provider as matched to a household.
type Match struct {
	ProviderID   ID                 `json:"provider_id"`
	Name         string             `json:"name"`
	Kind         ProviderKind       `json:"kind"`
	Municipality string             `json:"municipality"`
	Region       string             `json:"region"`
	Fits         bool               `json:"fits"`
	Score        int                `json:"score"` // percent of the ranking needs met
	Reasons      []MatchReason      `json:"reasons"`
	Met          []MatchNeed        `json:"met"`
	Unmet        []MatchNeed        `json:"unmet"`
	Vacancies    *VacanciesReported `json:"vacancies"`
}

// specialNeedGroups are the case's special needs that a provider's target
// groups speak to.
var specialNeedGroups = map[SpecialNeed]struct {
	group ProviderTargetGroup
	need  MatchNeed
}{
	NeedLGBTQ:          {ProvidesLGBTQ, NeedMetLGBTQ},
	NeedHonourRelated:  {ProvidesHonourRelated, NeedMetHonourRelated},
	NeedSubstanceAbuse: {ProvidesSubstanceAbuse, NeedMetSubstanceAbuse},
	NeedDisability:     {ProvidesDisability, NeedMetDisability},
}

// MatchProviders matches a household against the registry: every
// registered provider once, those that fit first, best score first; ties
// go to more adult vacancies, then by name and id, so equal inputs give
// equal order.
func MatchProviders(h Household, providers []Provider) []Match {
	all := make([]Match, 0, len(providers))
	for i := range providers {
		if providers[i].Exists {
			all = append(all, matchOne(&h, &providers[i]))
		}
	}
	// Sort positions, not the (large) matches themselves.
	order := make([]int, len(all))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(i, j int) int {
		a, b := &all[i], &all[j]
		if a.Fits != b.Fits {
			if a.Fits {
				return -1
			}
			return 1
		}
		if c := cmp.Compare(b.Score, a.Score); c != 0 {
			return c
		}
		if c := cmp.Compare(vacantAdults(b), vacantAdults(a)); c != 0 {
			return c
		}
		if c := cmp.Compare(a.Name, b.Name); c != 0 {
			return c
		}
		return cmp.Compare(a.ProviderID, b.ProviderID)
	})
	out := make([]Match, len(all))
	for k, i := range order {
		out[k] = all[i]
	}
	return out
}

func vacantAdults(m *Match) int {
	if m.Vacancies == nil {
		return -1
	}
	return m.Vacancies.Adults
}

func matchOne(h *Household, p *Provider) Match {
	m := Match{ProviderID: p.ID, Name: p.Name, Kind: p.Kind, Municipality: p.Municipality, Region: p.Region,
		Reasons: []MatchReason{}, Met: make([]MatchNeed, 0, 8), Unmet: make([]MatchNeed, 0, 4)}
	if p.Vacancies != nil {
		v := *p.Vacancies
		m.Vacancies = &v
	}
	exclude := func(r MatchReason) { m.Reasons = append(m.Reasons, r) }
	hard := func(n MatchNeed, ok bool, r MatchReason) {
		if ok {
			m.Met = append(m.Met, n)
		} else {
			exclude(r)
		}
	}

	// Exclusions: what makes the household impossible to take.
	if p.Kind.RequiresPermit() {
		hard(NeedMetPermit, p.PermitValidOn(h.On), ReasonNoValidPermit)
	}
	if h.TargetGroup != "" {
		hard(NeedMetTargetGroup, slices.Contains(p.TargetGroups, h.TargetGroup), ReasonTargetGroup)
	}
	if len(h.Children) > 0 {
		before := len(m.Reasons)
		if p.PlacesChildren == 0 {
			exclude(ReasonChildrenNotTaken)
		} else {
			var tooOld, boyTooOld bool
			for _, c := range h.Children {
				if c.Age < 0 {
					continue
				}
				tooOld = tooOld || c.Age > p.ChildrenMaxAge
				boyTooOld = boyTooOld || (c.Sex == SexMale && p.BoysMaxAge != nil && c.Age > *p.BoysMaxAge && c.Age <= p.ChildrenMaxAge)
			}
			if tooOld {
				exclude(ReasonChildAge)
			}
			if boyTooOld {
				exclude(ReasonBoyAge)
			}
		}
		if len(m.Reasons) == before {
			m.Met = append(m.Met, NeedMetChildren)
		}
	}
	if h.Pets > 0 {
		switch {
		case p.AllergyFree:
			exclude(ReasonPetsAllergyFree)
		case !p.PetsAccepted:
			exclude(ReasonPetsNotAccepted)
		default:
			m.Met = append(m.Met, NeedMetPets)
		}
	}
	if h.AllergyFree {
		hard(NeedMetAllergyFree, p.AllergyFree, ReasonNotAllergyFree)
	}
	if h.Wheelchair {
		hard(NeedMetWheelchair, p.Wheelchair, ReasonNoWheelchair)
	}
	if v := p.Vacancies; v != nil {
		switch {
		case v.Adults == 0:
			exclude(ReasonNoPlaces)
		case v.Adults < h.Adults || v.Children < len(h.Children):
			exclude(ReasonTooFewPlaces)
		}
	}
	for _, r := range h.AvoidRegions {
		if strings.EqualFold(strings.TrimSpace(r), p.Region) || strings.EqualFold(strings.TrimSpace(r), p.Municipality) {
			exclude(ReasonRegionAvoided)
			break
		}
	}
	m.Fits = len(m.Reasons) == 0

	// Ranking: the share of the other needs the provider meets.
	met, total := 0, 0
	soft := func(n MatchNeed, ok bool) {
		total++
		if ok {
			met++
			m.Met = append(m.Met, n)
		} else {
			m.Unmet = append(m.Unmet, n)
		}
	}
	if h.Vision {
		soft(NeedMetVision, p.VisionAdapted)
	}
	if h.Hearing {
		soft(NeedMetHearing, p.HearingAdapted)
	}
	if len(h.Languages) > 0 {
		all := true
		for _, l := range h.Languages {
			all = all && slices.Contains(p.Languages, l)
		}
		soft(NeedMetLanguages, all)
	}
	for _, n := range h.SpecialNeeds {
		if g, ok := specialNeedGroups[n]; ok && g.group != h.TargetGroup {
			soft(g.need, slices.Contains(p.TargetGroups, g.group))
		}
	}
	if h.YoungAdult && h.TargetGroup != ProvidesYoungAdults {
		soft(NeedMetYoungAdults, slices.Contains(p.TargetGroups, ProvidesYoungAdults))
	}
	if h.Protected {
		soft(NeedMetStaffedAlways, p.Staffed == StaffedAlways)
	}
	soft(NeedMetVacancies, p.Vacancies != nil)
	if m.Fits {
		m.Score = met * 100 / total
	}
	return m
}
