package domain

import "time"

// Commands about children, deadlines and tasks. Fields marked json:"-" are
// set by the server.

// AssessProtection records the protection assessment of a report of
// concern (skyddsbedömning).
type AssessProtection struct {
	AssessedAt          Instant   `json:"assessed_at"`
	ImmediateProtection *bool     `json:"immediate_protection"`
	Summary             string    `json:"summary"`
	Now                 time.Time `json:"-"`
}

func (AssessProtection) CommandName() string { return "case.assess_protection" }

func (c AssessProtection) Validate() error {
	var p problems
	if c.AssessedAt.IsZero() {
		p.add("assessed_at", "is required")
	} else if !c.Now.IsZero() && c.AssessedAt.After(c.Now.Add(time.Minute)) {
		p.add("assessed_at", "must not be in the future")
	}
	if c.ImmediateProtection == nil {
		p.add("immediate_protection", "is required")
	}
	p.text("summary", c.Summary, maxText, true)
	return p.err()
}

func (c AssessProtection) facts() ProtectionAssessed {
	return ProtectionAssessed{AssessedAt: c.AssessedAt.UTC(), AssessedOn: DateIn(c.AssessedAt.Time, stockholmZone()),
		ImmediateProtection: c.ImmediateProtection != nil && *c.ImmediateProtection}
}

// ExtendInvestigation decides to extend a child's investigation, with
// reasons (särskilda skäl).
type ExtendInvestigation struct {
	Until   Date   `json:"until"`
	Reasons string `json:"reasons"`
	Today   Date   `json:"-"`
}

func (ExtendInvestigation) CommandName() string { return "case.extend_investigation" }

func (c ExtendInvestigation) Validate() error {
	var p problems
	InvestigationExtended{Until: c.Until, DecidedOn: c.Today}.check(&p, "")
	p.text("reasons", c.Reasons, maxText, true)
	return p.err()
}

// RecordChildViews records a child's own views (barnets åsikter).
type RecordChildViews struct {
	HeardOn Date   `json:"heard_on"`
	Views   string `json:"views"`
	ChildID ID     `json:"-"` // from the route
	Today   Date   `json:"-"`
}

func (RecordChildViews) CommandName() string { return "case.record_child_views" }

func (c RecordChildViews) Validate() error {
	var p problems
	ChildViewsRecorded{ChildID: c.ChildID, HeardOn: c.HeardOn}.check(&p, "")
	notFuture(&p, "heard_on", c.HeardOn, c.Today)
	p.text("views", c.Views, maxText, true)
	return p.err()
}

// RecordPlacementBasis records the legal basis of a child's placement in
// protected housing. Without reconsider_by, the placement is to be
// reconsidered DefaultMonths after the decision (the municipality's
// interval, a setting).
type RecordPlacementBasis struct {
	Basis              PlacementBasis `json:"basis"`
	DecidedOn          Date           `json:"decided_on"`
	SubmittedToCourtOn Date           `json:"submitted_to_court_on"`
	ReconsiderBy       Date           `json:"reconsider_by"`
	ChildID            ID             `json:"-"` // from the route
	DefaultMonths      int            `json:"-"`
	Today              Date           `json:"-"`
}

func (RecordPlacementBasis) CommandName() string { return "case.record_placement_basis" }

func (c RecordPlacementBasis) facts() PlacementBasisRecorded {
	f := PlacementBasisRecorded{ChildID: c.ChildID, Basis: c.Basis, DecidedOn: c.DecidedOn,
		SubmittedToCourtOn: c.SubmittedToCourtOn, ReconsiderBy: c.ReconsiderBy}
	if f.ReconsiderBy.IsZero() && !f.DecidedOn.IsZero() && c.DefaultMonths > 0 {
		f.ReconsiderBy = AddMonths(f.DecidedOn, c.DefaultMonths)
	}
	return f
}

func (c RecordPlacementBasis) Validate() error {
	var p problems
	c.facts().check(&p, "")
	notFuture(&p, "decided_on", c.DecidedOn, c.Today)
	notFuture(&p, "submitted_to_court_on", c.SubmittedToCourtOn, c.Today)
	return p.err()
}

// LinkCase links another case the caller also reaches.
type LinkCase struct {
	CaseID   ID           `json:"case_id"`
	Relation LinkRelation `json:"relation"`
}

func (LinkCase) CommandName() string { return "case.link" }

func (c LinkCase) Validate() error {
	var p problems
	CaseLinked(c).check(&p, "")
	return p.err()
}

// AddTask adds a worker's own task to a case.
type AddTask struct {
	Title    string `json:"title"`
	DueOn    Date   `json:"due_on"`
	Assignee string `json:"assignee"` // default: the caller
	TaskID   ID     `json:"-"`
}

func (AddTask) CommandName() string { return "case.add_task" }

func (c AddTask) Validate() error {
	var p problems
	p.text("title", c.Title, maxName, true)
	TaskAdded{TaskID: c.TaskID, DueOn: c.DueOn, Assignee: c.Assignee}.check(&p, "")
	return p.err()
}

// CompleteTask marks an own task done.
type CompleteTask struct {
	Note   string `json:"note"`
	TaskID ID     `json:"-"` // from the route
	Today  Date   `json:"-"`
}

func (CompleteTask) CommandName() string { return "case.complete_task" }

func (c CompleteTask) Validate() error {
	var p problems
	TaskDone{TaskID: c.TaskID, DoneOn: c.Today}.check(&p, "")
	p.text("note", c.Note, maxText, false)
	return p.err()
}
