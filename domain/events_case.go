package domain

import (
	"encoding/json"
	"time"
)

// Events of the Case aggregate, from intake to closing. Personal data of
// every case event is sealed with the key of the person the case is about.

// factsChecker is implemented by facts that have field rules; a correction
// must leave its target still passing them.
type factsChecker interface {
	check(p *problems, prefix string)
}

// CaseOpened is the intake (aktualisering).
type CaseOpened struct {
	Unit         string        `json:"unit"`
	TargetGroup  TargetGroup   `json:"target_group"`
	Source       IntakeSource  `json:"source"`
	ReceivedOn   Date          `json:"received_on"`
	PersonID     ID            `json:"person_id"`
	Assignee     string        `json:"assignee"`
	SpecialNeeds []SpecialNeed `json:"special_needs"`
	// A report of concern (source report_of_concern) also records who
	// reported, the instant it was received (ReceivedOn is its date in
	// Europe/Stockholm) and whether it concerns violence in a close
	// relationship. Absent on other intakes and on events written before
	// reports of concern were recorded.
	ReporterCategory ReporterCategory `json:"reporter_category,omitempty"`
	ReceivedAt       time.Time        `json:"received_at,omitzero"`
	ConcernsViolence bool             `json:"concerns_violence,omitempty"`
}

func (CaseOpened) EventName() string { return "case.opened" }

func (f CaseOpened) check(p *problems, at string) {
	p.text(path(at, "unit"), f.Unit, maxName, true)
	code(p, path(at, "target_group"), f.TargetGroup, true)
	code(p, path(at, "source"), f.Source, true)
	p.date(path(at, "received_on"), f.ReceivedOn, true)
	p.id(path(at, "person_id"), f.PersonID, true)
	p.text(path(at, "assignee"), f.Assignee, maxName, true)
	codes(p, path(at, "special_needs"), f.SpecialNeeds, false)
	if f.Source == SourceReportOfConcern {
		code(p, path(at, "reporter_category"), f.ReporterCategory, true)
		if f.ReceivedAt.IsZero() {
			p.add(path(at, "received_at"), "is required")
		}
		if f.TargetGroup != "" && f.TargetGroup != ChildVictim && f.TargetGroup != ChildWitness {
			p.add(path(at, "target_group"), "a report of concern is about a child: child_victim or child_witness")
		}
	} else {
		if f.ReporterCategory != "" {
			p.add(path(at, "reporter_category"), "is only given for a report of concern")
		}
		if !f.ReceivedAt.IsZero() {
			p.add(path(at, "received_at"), "is only given for a report of concern")
		}
		if f.ConcernsViolence {
			p.add(path(at, "concerns_violence"), "is only given for a report of concern")
		}
	}
}

// PreliminaryAssessed is the preliminary assessment (förhandsbedömning).
type PreliminaryAssessed struct {
	Decision   PreliminaryDecision `json:"decision"`
	AssessedOn Date                `json:"assessed_on"`
}

func (PreliminaryAssessed) EventName() string { return "case.preliminary_assessed" }

func (f PreliminaryAssessed) check(p *problems, at string) {
	code(p, path(at, "decision"), f.Decision, true)
	p.date(path(at, "assessed_on"), f.AssessedOn, true)
}

// InvestigationOpened is the start of an investigation (utredning inleds);
// it comes with a preliminary assessment that decided to open one.
type InvestigationOpened struct {
	OpenedOn Date `json:"opened_on"`
}

func (InvestigationOpened) EventName() string { return "case.investigation_opened" }

func (f InvestigationOpened) check(p *problems, at string) {
	p.date(path(at, "opened_on"), f.OpenedOn, true)
}

// ViolenceDocumented records forms of violence, by whom and when.
type ViolenceDocumented struct {
	Forms           []ViolenceForm `json:"forms"`
	Relation        Relation       `json:"relation"`
	PeriodFrom      Date           `json:"period_from,omitzero"`
	PeriodTo        Date           `json:"period_to,omitzero"`
	ChildrenPresent bool           `json:"children_present"`
}

func (ViolenceDocumented) EventName() string { return "case.violence_documented" }

func (f ViolenceDocumented) check(p *problems, at string) {
	codes(p, path(at, "forms"), f.Forms, true)
	code(p, path(at, "relation"), f.Relation, true)
	p.date(path(at, "period_from"), f.PeriodFrom, false)
	p.date(path(at, "period_to"), f.PeriodTo, false)
	p.order(path(at, "period_from"), f.PeriodFrom, path(at, "period_to"), f.PeriodTo)
}

// RiskAssessed is a threat and risk assessment (hot- och riskbedömning) of
// the adult or of one child. Schema v2; v1 had "child": bool instead of
// "concerns" (see upcastRiskAssessedV1).
type RiskAssessed struct {
	Instrument Instrument `json:"instrument"`
	Level      RiskLevel  `json:"level"`
	Concerns   Concern    `json:"concerns"`
	ChildID    ID         `json:"child_id,omitempty"`
	AssessedOn Date       `json:"assessed_on"`
}

func (RiskAssessed) EventName() string { return "case.risk_assessed" }

func (f RiskAssessed) check(p *problems, at string) {
	code(p, path(at, "instrument"), f.Instrument, true)
	code(p, path(at, "level"), f.Level, true)
	code(p, path(at, "concerns"), f.Concerns, true)
	if f.Concerns != "" && !f.Concerns.InCase() {
		p.add(path(at, "concerns"), "must be adult or child in a case")
	}
	p.id(path(at, "child_id"), f.ChildID, false)
	if f.ChildID != "" && f.Concerns != ConcernChild {
		p.add(path(at, "child_id"), "is only given when concerns is child")
	}
	p.date(path(at, "assessed_on"), f.AssessedOn, true)
}

// SafetyPlanned records that a safety plan was made (säkerhetsplanering).
type SafetyPlanned struct {
	For      Concern        `json:"for"`
	Occasion SafetyOccasion `json:"occasion"`
	MadeOn   Date           `json:"made_on"`
	ChildID  ID             `json:"child_id,omitempty"` // the child a plan for a child is for
}

func (SafetyPlanned) EventName() string { return "case.safety_planned" }

func (f SafetyPlanned) check(p *problems, at string) {
	code(p, path(at, "for"), f.For, true)
	if f.For != "" && !f.For.InCase() {
		p.add(path(at, "for"), "must be adult or child in a case")
	}
	code(p, path(at, "occasion"), f.Occasion, true)
	p.date(path(at, "made_on"), f.MadeOn, true)
	p.id(path(at, "child_id"), f.ChildID, false)
	if f.ChildID != "" && f.For != ConcernChild {
		p.add(path(at, "child_id"), "is only given when for is child")
	}
}

// ChildAdded records a child in the case; the child is a person of its own.
type ChildAdded struct {
	ChildID  ID            `json:"child_id"`
	Relation ChildRelation `json:"relation"`
}

func (ChildAdded) EventName() string { return "case.child_added" }

func (f ChildAdded) check(p *problems, at string) {
	p.id(path(at, "child_id"), f.ChildID, true)
	code(p, path(at, "relation"), f.Relation, true)
}

// NoteAdded is a journal note (journalanteckning, SoL 11:5).
type NoteAdded struct {
	NoteID ID `json:"note_id"`
}

func (NoteAdded) EventName() string { return "case.note_added" }

func (f NoteAdded) check(p *problems, at string) { p.id(path(at, "note_id"), f.NoteID, true) }

// Corrected is a correction (rättelse): never an edit, a new event that
// points at an earlier one. Patch holds the corrected facts fields (only
// those that changed, named in Fields); corrected personal fields travel
// sealed in CorrectionTexts.
type Corrected struct {
	EventID   ID              `json:"event_id"`
	EventType string          `json:"event_type"`
	Fields    []string        `json:"fields"`
	Patch     json.RawMessage `json:"patch"`
}

func (Corrected) EventName() string { return "case.corrected" }

// Reassigned moves a case to another case worker or unit.
type Reassigned struct {
	Assignee string `json:"assignee"`
	Unit     string `json:"unit"`
}

func (Reassigned) EventName() string { return "case.reassigned" }

func (f Reassigned) check(p *problems, at string) {
	p.text(path(at, "assignee"), f.Assignee, maxName, true)
	p.text(path(at, "unit"), f.Unit, maxName, true)
}

// CaseClosed closes a case with a final assessment of goal attainment.
type CaseClosed struct {
	ClosedOn       Date        `json:"closed_on"`
	GoalAttainment GoalOutcome `json:"goal_attainment"`
}

func (CaseClosed) EventName() string { return "case.closed" }

func (f CaseClosed) check(p *problems, at string) {
	p.date(path(at, "closed_on"), f.ClosedOn, true)
	code(p, path(at, "goal_attainment"), f.GoalAttainment, true)
}

// CaseReopened reopens a closed case.
type CaseReopened struct {
	ReopenedOn Date `json:"reopened_on"`
}

func (CaseReopened) EventName() string { return "case.reopened" }

func (f CaseReopened) check(p *problems, at string) {
	p.date(path(at, "reopened_on"), f.ReopenedOn, true)
}

// FlagRaised marks something in a case that needs attention.
type FlagRaised struct {
	FlagID ID `json:"flag_id"`
}

func (FlagRaised) EventName() string { return "case.flag_raised" }

func (f FlagRaised) check(p *problems, at string) { p.id(path(at, "flag_id"), f.FlagID, true) }

// FlagResolved resolves a raised flag, with a note on how.
type FlagResolved struct {
	FlagID ID `json:"flag_id"`
}

func (FlagResolved) EventName() string { return "case.flag_resolved" }

func (f FlagResolved) check(p *problems, at string) { p.id(path(at, "flag_id"), f.FlagID, true) }
