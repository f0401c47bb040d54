package domain

// Commands on a PartnerContact (partnerkontakt).

// PartnerDetails is the partner as the treatment side gives them. The server
// registers the partner as a person and passes the id as PartnerID.
type PartnerDetails struct {
	Name    string `json:"name"`
	Phone   string `json:"phone"`
	Address string `json:"address"`
}

// OfferPartnerContact opens a partner contact (POST /partner-contacts).
type OfferPartnerContact struct {
	TreatmentCaseID   ID             `json:"treatment_case_id"`
	Partner           PartnerDetails `json:"partner"`
	ChildrenInContact int            `json:"children_in_contact"`

	PartnerID ID   `json:"-"` // the partner's person id
	Today     Date `json:"-"`
}

func (OfferPartnerContact) CommandName() string { return "partner_contact.offer" }

// RegisterPartner is the command that registers the partner as a person;
// sex and birth year are not asked of the treatment side.
func (c OfferPartnerContact) RegisterPartner() RegisterPerson {
	return RegisterPerson{PersonDetails: PersonDetails{
		Sex: SexUnknown, Name: c.Partner.Name, Phone: c.Partner.Phone, Address: c.Partner.Address,
	}, Today: c.Today}
}

func (c OfferPartnerContact) Validate() error {
	var p problems
	p.id("treatment_case_id", c.TreatmentCaseID, true)
	p.text("partner.name", c.Partner.Name, maxName, true)
	p.text("partner.phone", c.Partner.Phone, maxPhone, false)
	p.text("partner.address", c.Partner.Address, maxAddress, false)
	p.count("children_in_contact", c.ChildrenInContact, maxItems)
	p.id("partner_id", c.PartnerID, true)
	return p.err()
}

// RecordConsent records the written consent of the person in treatment.
type RecordConsent struct {
	Status   ConsentStatus `json:"status"`
	SignedOn Date          `json:"signed_on"`
	Document string        `json:"document"`
}

func (RecordConsent) CommandName() string { return "partner_contact.record_consent" }

func (c RecordConsent) Validate() error {
	var p problems
	code(&p, "status", c.Status, true)
	p.date("signed_on", c.SignedOn, true)
	// Consent to contact must be written; a refusal or withdrawal may be oral.
	p.text("document", c.Document, maxText, c.Status == ConsentGiven)
	return p.err()
}

// RecordApproach records one attempt to reach the partner.
type RecordApproach struct {
	Channel ApproachChannel `json:"channel"`
	Outcome ApproachOutcome `json:"outcome"`
	On      Date            `json:"on"`
}

func (RecordApproach) CommandName() string { return "partner_contact.record_approach" }

func (c RecordApproach) Validate() error {
	var p problems
	code(&p, "channel", c.Channel, true)
	code(&p, "outcome", c.Outcome, true)
	p.date("on", c.On, true)
	return p.err()
}

// RecordResponse records whether the partner accepts contact.
type RecordResponse struct {
	Accepted bool `json:"accepted"`
}

func (RecordResponse) CommandName() string { return "partner_contact.record_response" }

// AssessPartnerRisk records a risk assessment made with the partner.
type AssessPartnerRisk struct {
	Instrument Instrument `json:"instrument"`
	Level      RiskLevel  `json:"level"`
	Concerns   Concern    `json:"concerns"`
	AssessedOn Date       `json:"assessed_on"`
	Summary    string     `json:"summary"`
}

func (AssessPartnerRisk) CommandName() string { return "partner_contact.assess_risk" }

func (c AssessPartnerRisk) Validate() error {
	var p problems
	code(&p, "instrument", c.Instrument, true)
	code(&p, "level", c.Level, true)
	code(&p, "concerns", c.Concerns, true)
	if c.Concerns != "" && !c.Concerns.InPartnerContact() {
		p.add("concerns", "must be partner or child in a partner contact")
	}
	p.date("assessed_on", c.AssessedOn, true)
	p.text("summary", c.Summary, maxText, false)
	return p.err()
}

// PlanPartnerSafety records a safety plan made with the partner.
type PlanPartnerSafety struct {
	For    Concern `json:"for"`
	MadeOn Date    `json:"made_on"`
	Plan   string  `json:"plan"`
}

func (PlanPartnerSafety) CommandName() string { return "partner_contact.plan_safety" }

func (c PlanPartnerSafety) Validate() error {
	var p problems
	code(&p, "for", c.For, true)
	if c.For != "" && !c.For.InPartnerContact() {
		p.add("for", "must be partner or child in a partner contact")
	}
	p.date("made_on", c.MadeOn, true)
	p.text("plan", c.Plan, maxText, true)
	return p.err()
}

// ChangeTreatmentStatus records the treatment status the partner may learn.
type ChangeTreatmentStatus struct {
	Status TreatmentStatus `json:"status"`
}

func (ChangeTreatmentStatus) CommandName() string { return "partner_contact.change_treatment_status" }

func (c ChangeTreatmentStatus) Validate() error {
	var p problems
	code(&p, "status", c.Status, true)
	return p.err()
}

// ShareSignal shares an agreed signal across the information barrier. Side
// is the caller's side, set by the server from the caller's role.
type ShareSignal struct {
	Category SignalCategory `json:"category"`
	Side     SignalSide     `json:"-"`
}

func (ShareSignal) CommandName() string { return "partner_contact.share_signal" }

func (c ShareSignal) Validate() error {
	var p problems
	code(&p, "category", c.Category, true)
	code(&p, "side", c.Side, true)
	return p.err()
}

// ReportNewViolence records new violence the partner tells of.
type ReportNewViolence struct {
	ReportedOn       Date `json:"reported_on"`
	ChildrenAffected bool `json:"children_affected"`
}

func (ReportNewViolence) CommandName() string { return "partner_contact.report_new_violence" }

func (c ReportNewViolence) Validate() error {
	var p problems
	p.date("reported_on", c.ReportedOn, true)
	return p.err()
}

// RecordException records a reason not to contact the partner.
type RecordException struct {
	Reason ContactException `json:"reason"`
}

func (RecordException) CommandName() string { return "partner_contact.record_exception" }

func (c RecordException) Validate() error {
	var p problems
	code(&p, "reason", c.Reason, true)
	return p.err()
}

// EndPartnerContact ends the contact.
type EndPartnerContact struct {
	Reason  string `json:"reason"`
	EndedOn Date   `json:"-"` // today
}

func (EndPartnerContact) CommandName() string { return "partner_contact.end" }

func (c EndPartnerContact) Validate() error {
	var p problems
	p.text("reason", c.Reason, maxText, true)
	p.date("ended_on", c.EndedOn, true)
	return p.err()
}

// OpenPartnerSide opens the partner side's record; the server sends it
// after the offer, with the offer's facts.
type OpenPartnerSide struct {
	TreatmentCaseID   ID  `json:"-"`
	PartnerID         ID  `json:"-"`
	ChildrenInContact int `json:"-"`
}

func (OpenPartnerSide) CommandName() string { return "partner_contact.open_partner_side" }

func (c OpenPartnerSide) Validate() error {
	var p problems
	p.id("treatment_case_id", c.TreatmentCaseID, true)
	p.id("partner_id", c.PartnerID, true)
	p.count("children_in_contact", c.ChildrenInContact, maxItems)
	return p.err()
}

// ReceiveSignal records on one side's record a signal the other side
// shared (From), once the sender's record allowed it (ShareSignal).
type ReceiveSignal struct {
	Category SignalCategory `json:"-"`
	From     SignalSide     `json:"-"`
}

func (ReceiveSignal) CommandName() string { return "partner_contact.receive_signal" }

func (c ReceiveSignal) Validate() error {
	var p problems
	code(&p, "category", c.Category, true)
	code(&p, "from", c.From, true)
	return p.err()
}

// ReceiveException records on the partner side's record an exception the
// treatment side recorded (its own record does not change).
type ReceiveException struct {
	Reason ContactException `json:"-"`
}

func (ReceiveException) CommandName() string { return "partner_contact.receive_exception" }

func (c ReceiveException) Validate() error {
	var p problems
	code(&p, "reason", c.Reason, true)
	return p.err()
}

// NoteTreatmentSide brings the partner side's record up to what the
// treatment side's says that crosses (TreatmentSide.Crossing): it records
// only what differs, so it may be sent after every treatment-side write.
type NoteTreatmentSide struct {
	Consent         ConsentStatus   `json:"-"`
	TreatmentStatus TreatmentStatus `json:"-"`
	Ended           bool            `json:"-"`
	EndedOn         Date            `json:"-"`
}

func (NoteTreatmentSide) CommandName() string { return "partner_contact.note_treatment_side" }

func (c NoteTreatmentSide) Validate() error {
	var p problems
	code(&p, "consent", c.Consent, false)
	code(&p, "treatment_status", c.TreatmentStatus, false)
	if c.Ended {
		p.date("ended_on", c.EndedOn, true)
	}
	return p.err()
}
