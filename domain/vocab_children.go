package domain

// ReporterCategory is who made a report of concern (anmälare).
type ReporterCategory string

const (
	ReporterPolice         ReporterCategory = "police"          // polis
	ReporterSchool         ReporterCategory = "school"          // skola
	ReporterPreschool      ReporterCategory = "preschool"       // förskola
	ReporterHealthCare     ReporterCategory = "health_care"     // hälso- och sjukvård
	ReporterSocialServices ReporterCategory = "social_services" // socialtjänst
	ReporterOtherAuthority ReporterCategory = "other_authority" // annan myndighet
	ReporterPrivatePerson  ReporterCategory = "private_person"  // privatperson
	ReporterAnonymous      ReporterCategory = "anonymous"       // anonym
)

var reporterCategories = newVocabulary[ReporterCategory](
	ReporterPolice, "Polis",
	ReporterSchool, "Skola",
	ReporterPreschool, "Förskola",
	ReporterHealthCare, "Hälso- och sjukvård",
	ReporterSocialServices, "Socialtjänst",
	ReporterOtherAuthority, "Annan myndighet",
	ReporterPrivatePerson, "Privatperson",
	ReporterAnonymous, "Anonym",
)

func (r ReporterCategory) Valid() bool       { return reporterCategories.valid(r) }
func (r ReporterCategory) Label() string     { return reporterCategories.label(r) }
func ReporterCategories() []ReporterCategory { return reporterCategories.values() }

// PlacementBasis is the legal ground of a child's placement in protected
// housing: both guardians' consent, or without it the administrative
// court's decision on the board's application, or the board's urgent
// decision (which goes to the court) under the 2024 act on placing children
// in protected housing.
type PlacementBasis string

const (
	BasisGuardiansConsent    PlacementBasis = "guardians_consent"     // vårdnadshavarnas samtycke
	BasisCourtDecision       PlacementBasis = "court_decision"        // förvaltningsrättens beslut
	BasisUrgentBoardDecision PlacementBasis = "urgent_board_decision" // nämndens brådskande beslut
)

var placementBases = newVocabulary[PlacementBasis](
	BasisGuardiansConsent, "Vårdnadshavarnas samtycke",
	BasisCourtDecision, "Förvaltningsrättens beslut",
	BasisUrgentBoardDecision, "Nämndens brådskande beslut",
)

func (b PlacementBasis) Valid() bool   { return placementBases.valid(b) }
func (b PlacementBasis) Label() string { return placementBases.label(b) }
func PlacementBases() []PlacementBasis { return placementBases.values() }

// LinkRelation is how a linked case relates to this one.
type LinkRelation string

const (
	LinkChildCase  LinkRelation = "child_case"  // the child's own case (barnets ärende)
	LinkParentCase LinkRelation = "parent_case" // the parent's case (förälderns ärende)
	LinkRelated    LinkRelation = "related"     // otherwise related (relaterat ärende)
)

var linkRelations = newVocabulary[LinkRelation](
	LinkChildCase, "Barnets ärende",
	LinkParentCase, "Förälderns ärende",
	LinkRelated, "Relaterat ärende",
)

func (r LinkRelation) Valid() bool   { return linkRelations.valid(r) }
func (r LinkRelation) Label() string { return linkRelations.label(r) }
func LinkRelations() []LinkRelation  { return linkRelations.values() }
