package domain

// Vocabularies of the provider registry (shelters as providers, source 000).

// ProviderKind is a provider's organisation form (driftsform).
type ProviderKind string

const (
	ProviderMunicipal     ProviderKind = "municipal"      // kommunens eget boende
	ProviderWomensShelter ProviderKind = "womens_shelter" // kvinnojour (ideell förening)
	ProviderGirlsShelter  ProviderKind = "girls_shelter"  // tjejjour
	ProviderCompany       ProviderKind = "company"        // företag
	ProviderOther         ProviderKind = "other"
)

var providerKinds = newVocabulary[ProviderKind](
	ProviderMunicipal, "Kommunal verksamhet",
	ProviderWomensShelter, "Kvinnojour",
	ProviderGirlsShelter, "Tjejjour",
	ProviderCompany, "Företag",
	ProviderOther, "Annan",
)

func (k ProviderKind) Valid() bool   { return providerKinds.valid(k) }
func (k ProviderKind) Label() string { return providerKinds.label(k) }
func ProviderKinds() []ProviderKind  { return providerKinds.values() }

// RequiresPermit reports whether protected housing run by this kind of
// provider needs IVO's permit: every private provider since 2024; a
// municipality's own shelter needs none.
func (k ProviderKind) RequiresPermit() bool { return k != ProviderMunicipal }

// ProviderTargetGroup is a group a shelter takes in (målgrupp).
type ProviderTargetGroup string

const (
	ProvidesWomen          ProviderTargetGroup = "women"
	ProvidesMen            ProviderTargetGroup = "men"
	ProvidesLGBTQ          ProviderTargetGroup = "lgbtq"
	ProvidesHonourRelated  ProviderTargetGroup = "honour_related"
	ProvidesSubstanceAbuse ProviderTargetGroup = "substance_abuse"
	ProvidesDisability     ProviderTargetGroup = "disability"
	ProvidesYoungAdults    ProviderTargetGroup = "young_adults"
)

var providerTargetGroups = newVocabulary[ProviderTargetGroup](
	ProvidesWomen, "Kvinnor",
	ProvidesMen, "Män",
	ProvidesLGBTQ, "Hbtq-personer",
	ProvidesHonourRelated, "Hedersrelaterat våld och förtryck",
	ProvidesSubstanceAbuse, "Missbruk och beroende",
	ProvidesDisability, "Funktionsnedsättning",
	ProvidesYoungAdults, "Unga vuxna (18–25 år)",
)

func (g ProviderTargetGroup) Valid() bool         { return providerTargetGroups.valid(g) }
func (g ProviderTargetGroup) Label() string       { return providerTargetGroups.label(g) }
func ProviderTargetGroups() []ProviderTargetGroup { return providerTargetGroups.values() }

// Staffing is when a shelter is staffed (bemanning).
type Staffing string

const (
	StaffedAlways      Staffing = "always"       // dygnet runt
	StaffedOfficeHours Staffing = "office_hours" // kontorstid
	StaffedOnCall      Staffing = "on_call"      // jour i beredskap
)

var staffings = newVocabulary[Staffing](
	StaffedAlways, "Bemannat dygnet runt",
	StaffedOfficeHours, "Bemannat kontorstid",
	StaffedOnCall, "Jour i beredskap",
)

func (s Staffing) Valid() bool   { return staffings.valid(s) }
func (s Staffing) Label() string { return staffings.label(s) }
func Staffings() []Staffing      { return staffings.values() }

// ChecklistAnswer is the answer to one question of the follow-up checklist.
type ChecklistAnswer string

const (
	AnswerYes           ChecklistAnswer = "yes"
	AnswerPartly        ChecklistAnswer = "partly"
	AnswerNo            ChecklistAnswer = "no"
	AnswerNotApplicable ChecklistAnswer = "not_applicable"
)

var checklistAnswers = newVocabulary[ChecklistAnswer](
	AnswerYes, "Ja",
	AnswerPartly, "Delvis",
	AnswerNo, "Nej",
	AnswerNotApplicable, "Ej tillämpligt",
)

func (a ChecklistAnswer) Valid() bool     { return checklistAnswers.valid(a) }
func (a ChecklistAnswer) Label() string   { return checklistAnswers.label(a) }
func ChecklistAnswers() []ChecklistAnswer { return checklistAnswers.values() }

// MatchReason is why a provider cannot take a household at all (an
// exclusion: fits false). The codes are stable; case workers read the
// Swedish labels.
type MatchReason string

const (
	ReasonNoValidPermit    MatchReason = "no_valid_permit"
	ReasonTargetGroup      MatchReason = "target_group_not_taken"
	ReasonChildrenNotTaken MatchReason = "children_not_taken"
	ReasonChildAge         MatchReason = "child_age_not_taken"
	ReasonBoyAge           MatchReason = "boy_age_not_taken"
	ReasonPetsNotAccepted  MatchReason = "pets_not_accepted"
	ReasonPetsAllergyFree  MatchReason = "pets_allergy_free"
	ReasonNotAllergyFree   MatchReason = "not_allergy_free"
	ReasonNoWheelchair     MatchReason = "no_wheelchair_access"
	ReasonNoPlaces         MatchReason = "no_places"
	ReasonTooFewPlaces     MatchReason = "too_few_places"
	ReasonRegionAvoided    MatchReason = "region_avoided"
)

var matchReasons = newVocabulary[MatchReason](
	ReasonNoValidPermit, "Saknar giltigt tillstånd från IVO på inflyttningsdagen",
	ReasonTargetGroup, "Tar inte emot målgruppen",
	ReasonChildrenNotTaken, "Tar inte emot medföljande barn",
	ReasonChildAge, "Tar inte emot barn i den åldern",
	ReasonBoyAge, "Tar inte emot pojkar i den åldern",
	ReasonPetsNotAccepted, "Tar inte emot husdjur",
	ReasonPetsAllergyFree, "Allergianpassat boende: husdjur kan inte tas emot",
	ReasonNotAllergyFree, "Inte allergianpassat",
	ReasonNoWheelchair, "Inte tillgängligt med rullstol",
	ReasonNoPlaces, "Inga lediga platser (noll rapporterade)",
	ReasonTooFewPlaces, "För få lediga platser för hushållet",
	ReasonRegionAvoided, "Ligger i ett område hushållet ska undvika",
)

func (r MatchReason) Valid() bool   { return matchReasons.valid(r) }
func (r MatchReason) Label() string { return matchReasons.label(r) }
func MatchReasons() []MatchReason   { return matchReasons.values() }

// MatchNeed is a need of a household that a fitting provider meets or
// not (met[] / unmet[]): what ranks the providers that can take it.
type MatchNeed string

const (
	NeedMetPermit         MatchNeed = "permit"
	NeedMetTargetGroup    MatchNeed = "target_group"
	NeedMetChildren       MatchNeed = "children"
	NeedMetPets           MatchNeed = "pets"
	NeedMetAllergyFree    MatchNeed = "allergy_free"
	NeedMetWheelchair     MatchNeed = "wheelchair"
	NeedMetVision         MatchNeed = "vision_adapted"
	NeedMetHearing        MatchNeed = "hearing_adapted"
	NeedMetLanguages      MatchNeed = "languages"
	NeedMetLGBTQ          MatchNeed = "lgbtq"
	NeedMetHonourRelated  MatchNeed = "honour_related"
	NeedMetSubstanceAbuse MatchNeed = "substance_abuse"
	NeedMetDisability     MatchNeed = "disability"
	NeedMetYoungAdults    MatchNeed = "young_adults"
	NeedMetStaffedAlways  MatchNeed = "staffed_always"
	NeedMetVacancies      MatchNeed = "vacancies_reported"
)

var matchNeeds = newVocabulary[MatchNeed](
	NeedMetPermit, "Giltigt tillstånd från IVO",
	NeedMetTargetGroup, "Tar emot målgruppen",
	NeedMetChildren, "Tar emot barnen (ålder och kön)",
	NeedMetPets, "Tar emot husdjur",
	NeedMetAllergyFree, "Allergianpassat",
	NeedMetWheelchair, "Tillgängligt med rullstol",
	NeedMetVision, "Anpassat för synnedsättning",
	NeedMetHearing, "Anpassat för hörselnedsättning",
	NeedMetLanguages, "Personal talar hushållets språk",
	NeedMetLGBTQ, "Kompetens om hbtq",
	NeedMetHonourRelated, "Kompetens om hedersrelaterat våld",
	NeedMetSubstanceAbuse, "Tar emot personer med missbruk eller beroende",
	NeedMetDisability, "Kompetens om funktionsnedsättning",
	NeedMetYoungAdults, "Tar emot unga vuxna",
	NeedMetStaffedAlways, "Bemannat dygnet runt (skyddade personuppgifter)",
	NeedMetVacancies, "Har rapporterat lediga platser",
)

func (n MatchNeed) Valid() bool   { return matchNeeds.valid(n) }
func (n MatchNeed) Label() string { return matchNeeds.label(n) }
func MatchNeeds() []MatchNeed     { return matchNeeds.values() }
