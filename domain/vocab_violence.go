package domain

// ViolenceForm is a form of violence documented in a case (våldsform, SOSFS
// 2014:4 and now HSLF-FS 2022:39). Honour-related violence is recorded as a
// form too, because the guidelines treat it as a context that changes the
// risk assessment.
type ViolenceForm string

const (
	FormPhysical          ViolenceForm = "physical"           // fysiskt våld
	FormPsychological     ViolenceForm = "psychological"      // psykiskt våld
	FormSexual            ViolenceForm = "sexual"             // sexuellt våld
	FormMaterial          ViolenceForm = "material"           // materiellt våld
	FormLatent            ViolenceForm = "latent"             // latent våld
	FormDisabilityRelated ViolenceForm = "disability_related" // våld riktat mot funktionsnedsättning
	FormNeglect           ViolenceForm = "neglect"            // försummelse
	FormEconomic          ViolenceForm = "economic"           // ekonomiskt våld
	FormHonourRelated     ViolenceForm = "honour_related"     // hedersrelaterat våld
)

var violenceForms = newVocabulary[ViolenceForm](
	FormPhysical, "Fysiskt våld",
	FormPsychological, "Psykiskt våld",
	FormSexual, "Sexuellt våld",
	FormMaterial, "Materiellt våld",
	FormLatent, "Latent våld",
	FormDisabilityRelated, "Våld riktat mot funktionsnedsättning",
	FormNeglect, "Försummelse",
	FormEconomic, "Ekonomiskt våld",
	FormHonourRelated, "Hedersrelaterat våld",
)

func (f ViolenceForm) Valid() bool   { return violenceForms.valid(f) }
func (f ViolenceForm) Label() string { return violenceForms.label(f) }
func ViolenceForms() []ViolenceForm  { return violenceForms.values() }

// Relation is how the person subjected to violence is related to the person
// using it (relation till våldsutövaren).
type Relation string

const (
	RelPartner       Relation = "partner"        // partner
	RelFormerPartner Relation = "former_partner" // tidigare partner
	RelParent        Relation = "parent"         // förälder
	RelChild         Relation = "child"          // barn
	RelSibling       Relation = "sibling"        // syskon
	RelOtherRelative Relation = "other_relative" // annan släkting
	RelOtherClose    Relation = "other_close"    // annan närstående
	RelStaff         Relation = "staff"          // personal
)

var relations = newVocabulary[Relation](
	RelPartner, "Partner",
	RelFormerPartner, "Tidigare partner",
	RelParent, "Förälder",
	RelChild, "Barn",
	RelSibling, "Syskon",
	RelOtherRelative, "Annan släkting",
	RelOtherClose, "Annan närstående",
	RelStaff, "Personal",
)

func (r Relation) Valid() bool   { return relations.valid(r) }
func (r Relation) Label() string { return relations.label(r) }
func Relations() []Relation      { return relations.values() }

// Instrument is the method of a threat and risk assessment (hot- och
// riskbedömning). The national indicator asks whether a standardized
// instrument was used, which is every one but a clinical assessment.
type Instrument string

const (
	InstrFredaShort       Instrument = "freda_short"       // FREDA-kortfrågor (screening)
	InstrFredaDescription Instrument = "freda_description" // FREDA-beskrivning
	InstrFredaDanger      Instrument = "freda_danger"      // FREDA-farlighetsbedömning
	InstrSARA             Instrument = "sara"
	InstrSAM              Instrument = "sam"
	InstrPATRIARK         Instrument = "patriark"
	InstrCheck65          Instrument = "check65" // Check 65+
	InstrClinical         Instrument = "clinical"
)

var instruments = newVocabulary[Instrument](
	InstrFredaShort, "FREDA-kortfrågor",
	InstrFredaDescription, "FREDA-beskrivning",
	InstrFredaDanger, "FREDA-farlighetsbedömning",
	InstrSARA, "SARA",
	InstrSAM, "SAM",
	InstrPATRIARK, "PATRIARK",
	InstrCheck65, "Check 65+",
	InstrClinical, "Klinisk bedömning",
)

func (i Instrument) Valid() bool   { return instruments.valid(i) }
func (i Instrument) Label() string { return instruments.label(i) }
func Instruments() []Instrument    { return instruments.values() }

// Standardized reports whether the instrument counts as a standardized
// assessment method in the national indicator.
func (i Instrument) Standardized() bool { return i.Valid() && i != InstrClinical }

// RiskLevel is the outcome of a risk assessment (risknivå).
type RiskLevel string

const (
	RiskLow    RiskLevel = "low"
	RiskMedium RiskLevel = "medium"
	RiskHigh   RiskLevel = "high"
)

var riskLevels = newVocabulary[RiskLevel](
	RiskLow, "Låg",
	RiskMedium, "Medel",
	RiskHigh, "Hög",
)

func (l RiskLevel) Valid() bool   { return riskLevels.valid(l) }
func (l RiskLevel) Label() string { return riskLevels.label(l) }
func RiskLevels() []RiskLevel     { return riskLevels.values() }

// Concern is whom an assessment or a safety plan is about: the adult or a
// child in a case, or the partner in a partner contact.
type Concern string

const (
	ConcernAdult   Concern = "adult"
	ConcernChild   Concern = "child"
	ConcernPartner Concern = "partner"
)

var concerns = newVocabulary[Concern](
	ConcernAdult, "Vuxen",
	ConcernChild, "Barn",
	ConcernPartner, "Partner",
)

func (c Concern) Valid() bool   { return concerns.valid(c) }
func (c Concern) Label() string { return concerns.label(c) }
func Concerns() []Concern       { return concerns.values() }

// InCase reports whether the concern can be used in a case (adult, child).
func (c Concern) InCase() bool { return c == ConcernAdult || c == ConcernChild }

// InPartnerContact reports whether the concern can be used in a partner
// contact (partner, child).
func (c Concern) InPartnerContact() bool { return c == ConcernPartner || c == ConcernChild }

// SafetyOccasion is when a safety plan (säkerhetsplan) was made; protected
// housing needs one at move-in and at move-out.
type SafetyOccasion string

const (
	OccasionIntake  SafetyOccasion = "intake"
	OccasionMoveIn  SafetyOccasion = "move_in"
	OccasionMoveOut SafetyOccasion = "move_out"
	OccasionOther   SafetyOccasion = "other"
)

var safetyOccasions = newVocabulary[SafetyOccasion](
	OccasionIntake, "Vid aktualisering",
	OccasionMoveIn, "Vid inflyttning",
	OccasionMoveOut, "Vid utflyttning",
	OccasionOther, "Annat tillfälle",
)

func (o SafetyOccasion) Valid() bool    { return safetyOccasions.valid(o) }
func (o SafetyOccasion) Label() string  { return safetyOccasions.label(o) }
func SafetyOccasions() []SafetyOccasion { return safetyOccasions.values() }
