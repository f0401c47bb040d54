package domain

import "encoding/json"

// Personal-data payloads of events. Each is sealed with a data key before it
// is stored (see Event.SealWith), so free text and identities never reach the
// stream in clear. JSON names match the API fields they come from, so a
// correction names them the way the client knows them.

// DescriptionText is a free-text description (intake, violence).
type DescriptionText struct {
	Description string `json:"description"`
}

// ReasonText is a free-text reason (preliminary assessment, closing,
// reopening, ending a partner contact).
type ReasonText struct {
	Reason string `json:"reason"`
}

// SummaryText summarizes a risk assessment.
type SummaryText struct {
	Summary string `json:"summary"`
}

// PlanText is a safety plan (säkerhetsplan).
type PlanText struct {
	Plan string `json:"plan"`
}

// Text is a journal note (journalanteckning).
type Text struct {
	Text string `json:"text"`
}

// GoalTexts are a decision's goals, in order (facts keep only their
// count), and its reasons (motivering, FL 32 §), which decisions recorded
// before reasons were asked for do not have.
type GoalTexts struct {
	Goals   []string `json:"goals"`
	Reasons string   `json:"reasons,omitempty"`
}

// AssignmentContents is what an assignment (uppdrag) to a provider must
// state under SOSFS 2014:5 § 22.
type AssignmentContents struct {
	NeedsAssessment   string   `json:"needs_assessment"`
	Includes          string   `json:"includes"`
	Goals             []string `json:"goals"`
	FollowUp          string   `json:"follow_up"`
	ReturnInformation string   `json:"return_information"`
	ResponsibleWorker string   `json:"responsible_worker"`
}

// Activity is one line of an implementation plan (genomförandeplan).
type Activity struct {
	Name        string `json:"name"`
	Goal        string `json:"goal"`
	Responsible string `json:"responsible"`
	When        string `json:"when"`
}

// ImplementationPlan is the activities of an implementation plan.
type ImplementationPlan struct {
	Activities []Activity `json:"activities"`
}

// FollowUpTexts are the goals as followed up, in the order of the outcomes,
// and a complaint (klagomål) with what was done about it.
type FollowUpTexts struct {
	Goals     []string `json:"goals"`
	Complaint string   `json:"complaint,omitempty"`
}

// CorrectionTexts is why a correction (rättelse) was made and, when personal
// fields of the earlier event were corrected, their new values.
type CorrectionTexts struct {
	Reason    string          `json:"reason"`
	Corrected json.RawMessage `json:"corrected,omitempty"`
}

// FlagMessage says why a flag was raised.
type FlagMessage struct {
	Message string `json:"message"`
}

// FlagNote says how a flag was resolved.
type FlagNote struct {
	Note string `json:"note"`
}

// ConsentDocument is the written consent to partner contact, sealed with a
// key of its own so it can be destroyed when the contact ends.
type ConsentDocument struct {
	Document string `json:"document"`
}
