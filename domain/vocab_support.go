package domain

// SupportType is the kind of support a decision (beslut om bistånd) is about.
type SupportType string

const (
	SupportProtectedHousing     SupportType = "protected_housing"     // skyddat boende
	SupportTemporaryHousing     SupportType = "temporary_housing"     // jourlägenhet, HVB, korttidsplats
	SupportTalks                SupportType = "support_talks"         // stödsamtal
	SupportContactPerson        SupportType = "contact_person"        // kontaktperson
	SupportFinancialAid         SupportType = "financial_aid"         // ekonomiskt bistånd
	SupportParenting            SupportType = "parenting_support"     // föräldrastöd
	SupportHousingHelp          SupportType = "housing_help"          // hjälp att hitta permanent boende
	SupportPerpetratorTreatment SupportType = "perpetrator_treatment" // behandling för våldsutövare
	SupportChild                SupportType = "child_support"         // stöd till barn
	SupportOther                SupportType = "other"
)

var supportTypes = newVocabulary[SupportType](
	SupportProtectedHousing, "Skyddat boende",
	SupportTemporaryHousing, "Annat tillfälligt boende",
	SupportTalks, "Stödsamtal",
	SupportContactPerson, "Kontaktperson",
	SupportFinancialAid, "Ekonomiskt bistånd",
	SupportParenting, "Föräldrastöd",
	SupportHousingHelp, "Hjälp att hitta permanent boende",
	SupportPerpetratorTreatment, "Behandling för våldsutövare",
	SupportChild, "Stöd till barn",
	SupportOther, "Annat",
)

func (s SupportType) Valid() bool   { return supportTypes.valid(s) }
func (s SupportType) Label() string { return supportTypes.label(s) }
func SupportTypes() []SupportType   { return supportTypes.values() }

// DecisionOutcome is the outcome of a decision on support.
type DecisionOutcome string

const (
	OutcomeGranted       DecisionOutcome = "granted"        // beviljat
	OutcomePartlyGranted DecisionOutcome = "partly_granted" // delvis beviljat
	OutcomeDenied        DecisionOutcome = "denied"         // avslag
)

var decisionOutcomes = newVocabulary[DecisionOutcome](
	OutcomeGranted, "Beviljat",
	OutcomePartlyGranted, "Delvis beviljat",
	OutcomeDenied, "Avslag",
)

func (o DecisionOutcome) Valid() bool     { return decisionOutcomes.valid(o) }
func (o DecisionOutcome) Label() string   { return decisionOutcomes.label(o) }
func DecisionOutcomes() []DecisionOutcome { return decisionOutcomes.values() }

// Granted reports whether support was given at all (fully or in part).
func (o DecisionOutcome) Granted() bool { return o == OutcomeGranted || o == OutcomePartlyGranted }

// GoalOutcome is how far a goal was reached (måluppfyllelse: helt, delvis,
// inte), per goal at follow-up and overall at move-out and closing.
type GoalOutcome string

const (
	GoalFully  GoalOutcome = "fully"
	GoalPartly GoalOutcome = "partly"
	GoalNot    GoalOutcome = "not"
)

var goalOutcomes = newVocabulary[GoalOutcome](
	GoalFully, "Helt",
	GoalPartly, "Delvis",
	GoalNot, "Inte",
)

func (o GoalOutcome) Valid() bool   { return goalOutcomes.valid(o) }
func (o GoalOutcome) Label() string { return goalOutcomes.label(o) }
func GoalOutcomes() []GoalOutcome   { return goalOutcomes.values() }

// SchoolKind is how schooling was arranged for a child in protected housing
// (skolgång, a national indicator).
type SchoolKind string

const (
	SchoolSame     SchoolKind = "same_school"
	SchoolNew      SchoolKind = "new_school"
	SchoolDistance SchoolKind = "distance"
)

var schoolKinds = newVocabulary[SchoolKind](
	SchoolSame, "Samma skola",
	SchoolNew, "Ny skola",
	SchoolDistance, "Distansundervisning",
)

func (k SchoolKind) Valid() bool   { return schoolKinds.valid(k) }
func (k SchoolKind) Label() string { return schoolKinds.label(k) }
func SchoolKinds() []SchoolKind    { return schoolKinds.values() }

// MoveOutReason is why a placement in protected housing ended (utflyttning).
type MoveOutReason string

const (
	MoveOutPermanentHousing MoveOutReason = "permanent_housing"
	MoveOutReturnedHome     MoveOutReason = "returned_home"
	MoveOutOtherShelter     MoveOutReason = "other_shelter"
	MoveOutBrokeOff         MoveOutReason = "broke_off"
	MoveOutOther            MoveOutReason = "other"
)

var moveOutReasons = newVocabulary[MoveOutReason](
	MoveOutPermanentHousing, "Eget permanent boende",
	MoveOutReturnedHome, "Återvände hem",
	MoveOutOtherShelter, "Annat skyddat boende",
	MoveOutBrokeOff, "Avbröt vistelsen",
	MoveOutOther, "Annat",
)

func (r MoveOutReason) Valid() bool   { return moveOutReasons.valid(r) }
func (r MoveOutReason) Label() string { return moveOutReasons.label(r) }
func MoveOutReasons() []MoveOutReason { return moveOutReasons.values() }
