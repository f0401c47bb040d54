package domain

// IntakeSource is how a case came to the unit (aktualisering).
type IntakeSource string

const (
	SourceApplication IntakeSource = "application" // ansökan
	SourceReport      IntakeSource = "report"      // anmälan, orosanmälan (SoL 14:1)
	SourceOther       IntakeSource = "other"       // annan kännedom
	// SourceReportOfConcern is a report of concern about a child
	// (orosanmälan, old SoL 14:1), with its own deadlines.
	SourceReportOfConcern IntakeSource = "report_of_concern"
)

var intakeSources = newVocabulary[IntakeSource](
	SourceApplication, "Ansökan",
	SourceReport, "Anmälan",
	SourceOther, "Annan kännedom",
	SourceReportOfConcern, "Orosanmälan",
)

func (s IntakeSource) Valid() bool   { return intakeSources.valid(s) }
func (s IntakeSource) Label() string { return intakeSources.label(s) }
func IntakeSources() []IntakeSource  { return intakeSources.values() }

// PreliminaryDecision is the outcome of the preliminary assessment
// (förhandsbedömning): whether an investigation is opened.
type PreliminaryDecision string

const (
	PrelimOpenInvestigation PreliminaryDecision = "open_investigation" // utredning inleds
	PrelimNoInvestigation   PreliminaryDecision = "no_investigation"   // utredning inleds inte
)

var preliminaryDecisions = newVocabulary[PreliminaryDecision](
	PrelimOpenInvestigation, "Utredning inleds",
	PrelimNoInvestigation, "Utredning inleds inte",
)

func (d PreliminaryDecision) Valid() bool   { return preliminaryDecisions.valid(d) }
func (d PreliminaryDecision) Label() string { return preliminaryDecisions.label(d) }
func PreliminaryDecisions() []PreliminaryDecision {
	return preliminaryDecisions.values()
}

// CaseStatus is where a case is in its lifecycle.
type CaseStatus string

const (
	StatusOpen   CaseStatus = "open"   // pågående
	StatusClosed CaseStatus = "closed" // avslutat
)

var caseStatuses = newVocabulary[CaseStatus](
	StatusOpen, "Pågående",
	StatusClosed, "Avslutat",
)

func (s CaseStatus) Valid() bool   { return caseStatuses.valid(s) }
func (s CaseStatus) Label() string { return caseStatuses.label(s) }
func CaseStatuses() []CaseStatus   { return caseStatuses.values() }

// ChildRelation is how a child in a case relates to the violence; reports
// count witnessed children as child_witness and subjected ones as
// child_victim (barn som upplevt / utsatts för våld).
type ChildRelation string

const (
	ChildWitnessed ChildRelation = "witnessed"
	ChildSubjected ChildRelation = "subjected"
	ChildBoth      ChildRelation = "both"
)

var childRelations = newVocabulary[ChildRelation](
	ChildWitnessed, "Har upplevt våld",
	ChildSubjected, "Har utsatts för våld",
	ChildBoth, "Har upplevt och utsatts för våld",
)

func (r ChildRelation) Valid() bool   { return childRelations.valid(r) }
func (r ChildRelation) Label() string { return childRelations.label(r) }
func ChildRelations() []ChildRelation { return childRelations.values() }

// Witnessed reports whether the child counts as having experienced violence.
func (r ChildRelation) Witnessed() bool { return r == ChildWitnessed || r == ChildBoth }

// Subjected reports whether the child counts as subjected to violence.
func (r ChildRelation) Subjected() bool { return r == ChildSubjected || r == ChildBoth }
