package domain

import "time"

// Events about children, deadlines and tasks on the Case aggregate. Their
// free text is sealed with the key of the person the case is about.

// ProtectionAssessed is the protection assessment (skyddsbedömning) of a
// report of concern: whether the child needs immediate protection. The law
// says "immediately" (genast); it is checked as the same day in
// Europe/Stockholm, and AssessedOn is that day.
type ProtectionAssessed struct {
	AssessedAt          time.Time `json:"assessed_at"`
	AssessedOn          Date      `json:"assessed_on"`
	ImmediateProtection bool      `json:"immediate_protection"`
}

func (ProtectionAssessed) EventName() string { return "case.protection_assessed" }

func (f ProtectionAssessed) check(p *problems, at string) {
	if f.AssessedAt.IsZero() {
		p.add(path(at, "assessed_at"), "is required")
	}
	p.date(path(at, "assessed_on"), f.AssessedOn, true)
}

// InvestigationExtended is the decision, with reasons, to extend a child's
// investigation beyond four months (old SoL 11:2).
type InvestigationExtended struct {
	Until     Date `json:"until"`
	DecidedOn Date `json:"decided_on"`
}

func (InvestigationExtended) EventName() string { return "case.investigation_extended" }

func (f InvestigationExtended) check(p *problems, at string) {
	p.date(path(at, "until"), f.Until, true)
	p.date(path(at, "decided_on"), f.DecidedOn, true)
}

// ChildViewsRecorded records that a child was heard (barnets åsikter); the
// views themselves are sealed.
type ChildViewsRecorded struct {
	ChildID ID   `json:"child_id"`
	HeardOn Date `json:"heard_on"`
}

func (ChildViewsRecorded) EventName() string { return "case.child_views_recorded" }

func (f ChildViewsRecorded) check(p *problems, at string) {
	p.id(path(at, "child_id"), f.ChildID, true)
	p.date(path(at, "heard_on"), f.HeardOn, true)
}

// PlacementBasisRecorded is the legal basis of a child's placement in
// protected housing and when it is next to be reconsidered. A later one
// for the same child is its reconsideration.
type PlacementBasisRecorded struct {
	ChildID            ID             `json:"child_id"`
	Basis              PlacementBasis `json:"basis"`
	DecidedOn          Date           `json:"decided_on"`
	SubmittedToCourtOn Date           `json:"submitted_to_court_on,omitzero"`
	ReconsiderBy       Date           `json:"reconsider_by"`
}

func (PlacementBasisRecorded) EventName() string { return "case.placement_basis_recorded" }

func (f PlacementBasisRecorded) check(p *problems, at string) {
	p.id(path(at, "child_id"), f.ChildID, true)
	code(p, path(at, "basis"), f.Basis, true)
	p.date(path(at, "decided_on"), f.DecidedOn, true)
	p.date(path(at, "submitted_to_court_on"), f.SubmittedToCourtOn, f.Basis == BasisUrgentBoardDecision)
	if f.Basis.Valid() && f.Basis != BasisUrgentBoardDecision && !f.SubmittedToCourtOn.IsZero() {
		p.add(path(at, "submitted_to_court_on"), "is only given for an urgent board decision")
	}
	p.order(path(at, "decided_on"), f.DecidedOn, path(at, "submitted_to_court_on"), f.SubmittedToCourtOn)
	p.date(path(at, "reconsider_by"), f.ReconsiderBy, true)
	p.after(path(at, "decided_on"), f.DecidedOn, path(at, "reconsider_by"), f.ReconsiderBy)
}

// CaseLinked links another case to this one (a child's own case and the
// adult's case). It is shown only to readers who reach both cases.
type CaseLinked struct {
	CaseID   ID           `json:"case_id"`
	Relation LinkRelation `json:"relation"`
}

func (CaseLinked) EventName() string { return "case.linked" }

func (f CaseLinked) check(p *problems, at string) {
	p.id(path(at, "case_id"), f.CaseID, true)
	code(p, path(at, "relation"), f.Relation, true)
}

// TaskAdded is a worker's own task on a case; its title is sealed.
type TaskAdded struct {
	TaskID   ID     `json:"task_id"`
	DueOn    Date   `json:"due_on"`
	Assignee string `json:"assignee"`
}

func (TaskAdded) EventName() string { return "case.task_added" }

func (f TaskAdded) check(p *problems, at string) {
	p.id(path(at, "task_id"), f.TaskID, true)
	p.date(path(at, "due_on"), f.DueOn, true)
	p.text(path(at, "assignee"), f.Assignee, maxName, true)
}

// TaskDone marks a worker's own task done; its note is sealed.
type TaskDone struct {
	TaskID ID   `json:"task_id"`
	DoneOn Date `json:"done_on"`
}

func (TaskDone) EventName() string { return "case.task_done" }

func (f TaskDone) check(p *problems, at string) {
	p.id(path(at, "task_id"), f.TaskID, true)
	p.date(path(at, "done_on"), f.DoneOn, true)
}

// TaskTitle is the sealed title of an own task.
type TaskTitle struct {
	Title string `json:"title"`
}

// TaskNote is the sealed note with which a task is marked done.
type TaskNote struct {
	Note string `json:"note"`
}

// ViewsText is a child's own views, sealed.
type ViewsText struct {
	Views string `json:"views"`
}

// ExtensionReasons is the sealed reasons for extending an investigation.
type ExtensionReasons struct {
	Reasons string `json:"reasons"`
}
