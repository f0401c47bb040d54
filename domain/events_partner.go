package domain

// Events of the PartnerContact aggregate (partnerkontakt), linked to a
// perpetrator's treatment case. Personal data is sealed with the partner's
// key, except the consent document, which has a key of its own.

// PartnerContactOffered opens a partner contact: the person in treatment is
// told about it. The partner is a person of their own (PartnerID).
type PartnerContactOffered struct {
	TreatmentCaseID   ID  `json:"treatment_case_id"`
	PartnerID         ID  `json:"partner_id"`
	ChildrenInContact int `json:"children_in_contact"`
}

func (PartnerContactOffered) EventName() string { return "partner_contact.offered" }

// ConsentRecorded is the written consent of the person in treatment, given,
// refused or withdrawn. HasDocument says a document was sealed with the
// consent key, so ending the contact knows there is one to destroy.
type ConsentRecorded struct {
	Status      ConsentStatus `json:"status"`
	SignedOn    Date          `json:"signed_on"`
	HasDocument bool          `json:"has_document"`
}

func (ConsentRecorded) EventName() string { return "partner_contact.consent_recorded" }

// PartnerApproached is one attempt to reach the partner. Only the partner
// side may read whether it reached them.
type PartnerApproached struct {
	Channel ApproachChannel `json:"channel"`
	Outcome ApproachOutcome `json:"outcome"`
	On      Date            `json:"on"`
}

func (PartnerApproached) EventName() string { return "partner_contact.approached" }

// PartnerResponded is the partner's answer to a reached approach. A decline
// leaves the offer open.
type PartnerResponded struct {
	Accepted bool `json:"accepted"`
}

func (PartnerResponded) EventName() string { return "partner_contact.responded" }

// PartnerRiskAssessed is a risk assessment with the partner, about the
// partner or the children the person in treatment lives with or meets.
type PartnerRiskAssessed struct {
	Instrument Instrument `json:"instrument"`
	Level      RiskLevel  `json:"level"`
	Concerns   Concern    `json:"concerns"`
	AssessedOn Date       `json:"assessed_on"`
}

func (PartnerRiskAssessed) EventName() string { return "partner_contact.risk_assessed" }

// PartnerSafetyPlanned records a safety plan made with the partner.
type PartnerSafetyPlanned struct {
	For    Concern `json:"for"`
	MadeOn Date    `json:"made_on"`
}

func (PartnerSafetyPlanned) EventName() string { return "partner_contact.safety_planned" }

// TreatmentStatusChanged is the one thing the partner may learn about the
// treatment: in treatment, dropped out or completed.
type TreatmentStatusChanged struct {
	Status TreatmentStatus `json:"status"`
}

func (TreatmentStatusChanged) EventName() string { return "partner_contact.treatment_status_changed" }

// SignalShared is an agreed signal passed across the information barrier: a
// category and the side it came from, never content.
type SignalShared struct {
	Category SignalCategory `json:"category"`
	Side     SignalSide     `json:"side"`
}

func (SignalShared) EventName() string { return "partner_contact.signal_shared" }

// NewViolenceReported calls for urgent handling with the supervisor, and a
// report of concern (orosanmälan) when children are affected.
type NewViolenceReported struct {
	ReportedOn       Date `json:"reported_on"`
	ChildrenAffected bool `json:"children_affected"`
}

func (NewViolenceReported) EventName() string { return "partner_contact.new_violence_reported" }

// ExceptionRecorded is a reason not to contact the partner; it blocks
// approaches.
type ExceptionRecorded struct {
	Reason ContactException `json:"reason"`
}

func (ExceptionRecorded) EventName() string { return "partner_contact.exception_recorded" }

// PartnerContactEnded ends the contact. ConsentDocumentDestroyed tells the
// event store to destroy the consent key: the document becomes unreadable
// while the rest of the history stays verifiable.
type PartnerContactEnded struct {
	EndedOn                  Date `json:"ended_on"`
	ConsentDocumentDestroyed bool `json:"consent_document_destroyed"`
}

func (PartnerContactEnded) EventName() string { return "partner_contact.ended" }

// PartnerSideOpened opens the partner side's record of a partner contact
// (kind partner_side, the contact's id). The treatment side's offer writes
// it after PartnerContactOffered; a contact whose partner-side record has
// no opening is one written before the two sides were split (ADR 0200),
// and its partner side is read from the old single record.
type PartnerSideOpened struct {
	TreatmentCaseID   ID  `json:"treatment_case_id"`
	PartnerID         ID  `json:"partner_id"`
	ChildrenInContact int `json:"children_in_contact"`
}

func (PartnerSideOpened) EventName() string { return "partner_contact.partner_side_opened" }

// ConsentNoted is the consent status of the person in treatment as it
// crosses to the partner side: the partner side may act only on a given
// consent. The status only: the document and the date of signing stay
// with the treatment side.
type ConsentNoted struct {
	Status ConsentStatus `json:"status"`
}

func (ConsentNoted) EventName() string { return "partner_contact.consent_noted" }
