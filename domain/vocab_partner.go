package domain

// ConsentStatus is the written consent (samtycke) of the person in
// treatment to contact their (ex-)partner.
type ConsentStatus string

const (
	ConsentGiven     ConsentStatus = "given"
	ConsentRefused   ConsentStatus = "refused"
	ConsentWithdrawn ConsentStatus = "withdrawn"
)

var consentStatuses = newVocabulary[ConsentStatus](
	ConsentGiven, "Samtycke lämnat",
	ConsentRefused, "Samtycke nekat",
	ConsentWithdrawn, "Samtycke återkallat",
)

func (s ConsentStatus) Valid() bool    { return consentStatuses.valid(s) }
func (s ConsentStatus) Label() string  { return consentStatuses.label(s) }
func ConsentStatuses() []ConsentStatus { return consentStatuses.values() }

// ApproachChannel is how the partner was approached.
type ApproachChannel string

const (
	ChannelLetter ApproachChannel = "letter"
	ChannelPhone  ApproachChannel = "phone"
	ChannelSMS    ApproachChannel = "sms"
)

var approachChannels = newVocabulary[ApproachChannel](
	ChannelLetter, "Brev",
	ChannelPhone, "Telefon",
	ChannelSMS, "Sms",
)

func (c ApproachChannel) Valid() bool     { return approachChannels.valid(c) }
func (c ApproachChannel) Label() string   { return approachChannels.label(c) }
func ApproachChannels() []ApproachChannel { return approachChannels.values() }

// ApproachOutcome is whether an approach reached the partner. The treatment
// side must never learn it (the information barrier).
type ApproachOutcome string

const (
	ApproachReached    ApproachOutcome = "reached"
	ApproachNotReached ApproachOutcome = "not_reached"
)

var approachOutcomes = newVocabulary[ApproachOutcome](
	ApproachReached, "Nådd",
	ApproachNotReached, "Inte nådd",
)

func (o ApproachOutcome) Valid() bool     { return approachOutcomes.valid(o) }
func (o ApproachOutcome) Label() string   { return approachOutcomes.label(o) }
func ApproachOutcomes() []ApproachOutcome { return approachOutcomes.values() }

// TreatmentStatus is the one thing the partner may be told about the
// person in treatment.
type TreatmentStatus string

const (
	TreatmentOngoing    TreatmentStatus = "in_treatment"
	TreatmentDroppedOut TreatmentStatus = "dropped_out"
	TreatmentCompleted  TreatmentStatus = "completed"
)

var treatmentStatuses = newVocabulary[TreatmentStatus](
	TreatmentOngoing, "I behandling",
	TreatmentDroppedOut, "Har avbrutit behandlingen",
	TreatmentCompleted, "Har fullföljt behandlingen",
)

func (s TreatmentStatus) Valid() bool      { return treatmentStatuses.valid(s) }
func (s TreatmentStatus) Label() string    { return treatmentStatuses.label(s) }
func TreatmentStatuses() []TreatmentStatus { return treatmentStatuses.values() }

// SignalCategory is an agreed signal the two sides may share: a category,
// never what anyone said.
type SignalCategory string

const (
	SignalEscalation    SignalCategory = "escalation"
	SignalIncreasedFear SignalCategory = "increased_fear"
	SignalChildConcern  SignalCategory = "concern_for_children"
	SignalWantsToEnd    SignalCategory = "wants_to_end_relationship"
)

var signalCategories = newVocabulary[SignalCategory](
	SignalEscalation, "Våldet trappas upp",
	SignalIncreasedFear, "Ökad rädsla",
	SignalChildConcern, "Oro för barnen",
	SignalWantsToEnd, "Vill avsluta relationen",
)

func (c SignalCategory) Valid() bool     { return signalCategories.valid(c) }
func (c SignalCategory) Label() string   { return signalCategories.label(c) }
func SignalCategories() []SignalCategory { return signalCategories.values() }

// SignalSide is which side of the information barrier shared a signal.
type SignalSide string

const (
	SideTreatment      SignalSide = "treatment"
	SidePartnerContact SignalSide = "partner_contact"
)

var signalSides = newVocabulary[SignalSide](
	SideTreatment, "Behandling",
	SidePartnerContact, "Partnerkontakt",
)

func (s SignalSide) Valid() bool   { return signalSides.valid(s) }
func (s SignalSide) Label() string { return signalSides.label(s) }
func SignalSides() []SignalSide    { return signalSides.values() }

// ContactException is a reason not to contact the partner at all.
type ContactException string

const (
	ExceptionProtectedHousing   ContactException = "partner_in_protected_housing"
	ExceptionAbroad             ContactException = "partner_abroad"
	ExceptionNoRecentContact    ContactException = "no_recent_contact"
	ExceptionControllingPattern ContactException = "controlling_pattern"
)

var contactExceptions = newVocabulary[ContactException](
	ExceptionProtectedHousing, "Partnern bor i skyddat boende",
	ExceptionAbroad, "Partnern bor utomlands",
	ExceptionNoRecentContact, "Ingen kontakt sedan länge",
	ExceptionControllingPattern, "Starkt kontrollerande mönster",
)

func (e ContactException) Valid() bool      { return contactExceptions.valid(e) }
func (e ContactException) Label() string    { return contactExceptions.label(e) }
func ContactExceptions() []ContactException { return contactExceptions.values() }
