package domain

// Commands on a Case: intake, assessment and documentation. JSON names are
// the API's; fields marked json:"-" are set by the server (route ids, the
// caller, today, new entity ids), because deciders never read the clock or
// generate ids.

// OpenCase is the intake (POST /cases). The subject is an existing person
// (person_id) or new details (subject); for a new subject the server
// registers the person first and passes the id it chose as NewPersonID.
type OpenCase struct {
	Unit         string         `json:"unit"`
	TargetGroup  TargetGroup    `json:"target_group"`
	Source       IntakeSource   `json:"source"`
	ReceivedOn   Date           `json:"received_on"`
	PersonID     ID             `json:"person_id"`
	Subject      *PersonDetails `json:"subject"`
	SpecialNeeds []SpecialNeed  `json:"special_needs"`
	Description  string         `json:"description"`
	// A report of concern (source report_of_concern): who reported, when
	// it was received (an instant; received_on may then be left out and
	// is its date in Europe/Stockholm) and whether it concerns violence.
	ReporterCategory ReporterCategory `json:"reporter_category"`
	ReceivedAt       Instant          `json:"received_at"`
	ConcernsViolence *bool            `json:"concerns_violence"`

	NewPersonID ID     `json:"-"` // the person registered from Subject
	Assignee    string `json:"-"` // the case worker taking the intake
	Today       Date   `json:"-"`
}

func (OpenCase) CommandName() string { return "case.open" }

// SubjectID is whom the case is about.
func (c OpenCase) SubjectID() ID {
	if c.PersonID != "" {
		return c.PersonID
	}
	return c.NewPersonID
}

// RegisterSubject is the command that registers a new subject.
func (c OpenCase) RegisterSubject() (RegisterPerson, bool) {
	if c.Subject == nil {
		return RegisterPerson{}, false
	}
	return RegisterPerson{PersonDetails: *c.Subject, Today: c.Today}, true
}

func (c OpenCase) facts() CaseOpened {
	f := CaseOpened{
		Unit: c.Unit, TargetGroup: c.TargetGroup, Source: c.Source, ReceivedOn: c.ReceivedOn,
		PersonID: c.SubjectID(), Assignee: c.Assignee, SpecialNeeds: c.SpecialNeeds,
		ReporterCategory: c.ReporterCategory, ConcernsViolence: c.ConcernsViolence != nil && *c.ConcernsViolence,
	}
	if !c.ReceivedAt.IsZero() {
		f.ReceivedAt = c.ReceivedAt.UTC()
		if f.ReceivedOn.IsZero() {
			f.ReceivedOn = DateIn(c.ReceivedAt.Time, stockholmZone())
		}
	}
	return f
}

func (c OpenCase) Validate() error {
	var p problems
	p.text("unit", c.Unit, maxName, true)
	code(&p, "target_group", c.TargetGroup, true)
	code(&p, "source", c.Source, true)
	c.checkReport(&p)
	switch {
	case c.PersonID != "" && c.Subject != nil:
		p.add("subject", "give either person_id or subject, not both")
	case c.PersonID != "":
		p.id("person_id", c.PersonID, true)
	case c.Subject != nil:
		c.Subject.check(&p, "subject", c.Today)
		p.id("new_person_id", c.NewPersonID, true)
	default:
		p.add("person_id", "give person_id or subject")
	}
	codes(&p, "special_needs", c.SpecialNeeds, false)
	p.text("description", c.Description, maxText, false)
	p.text("assignee", c.Assignee, maxName, true)
	var report problems
	f := c.facts()
	f.check(&report, "")
	for _, q := range report {
		switch q.Field {
		case "reporter_category", "received_at", "concerns_violence":
			p = append(p, q)
		case "target_group":
			if c.Source == SourceReportOfConcern && c.TargetGroup.Valid() {
				p = append(p, q)
			}
		}
	}
	return p.err()
}

// checkReport checks the dates of receipt and, for a report of concern,
// what it must carry.
func (c OpenCase) checkReport(p *problems) {
	p.date("received_on", c.ReceivedOn, c.ReceivedAt.IsZero())
	received, field := c.ReceivedOn, "received_on"
	if !c.ReceivedAt.IsZero() {
		at := DateIn(c.ReceivedAt.Time, stockholmZone())
		if !received.IsZero() && !received.Equal(at) {
			p.add("received_on", "must be the date of received_at in Europe/Stockholm")
		}
		received, field = at, "received_at"
	}
	notFuture(p, field, received, c.Today)
	if c.Source != SourceReportOfConcern {
		if c.ConcernsViolence != nil {
			p.add("concerns_violence", "is only given for a report of concern")
		}
		return // CaseOpened.check refuses the other report fields
	}
	if c.ConcernsViolence == nil {
		p.add("concerns_violence", "is required")
	}
}

// AssessPreliminary is the preliminary assessment (förhandsbedömning).
type AssessPreliminary struct {
	Decision   PreliminaryDecision `json:"decision"`
	Reason     string              `json:"reason"`
	AssessedOn Date                `json:"-"` // today
}

func (AssessPreliminary) CommandName() string { return "case.assess_preliminary" }

func (c AssessPreliminary) Validate() error {
	var p problems
	PreliminaryAssessed{Decision: c.Decision, AssessedOn: c.AssessedOn}.check(&p, "")
	// Not opening an investigation is a decision the person may question,
	// so it must say why.
	p.text("reason", c.Reason, maxText, c.Decision == PrelimNoInvestigation)
	return p.err()
}

// DocumentViolence documents violence.
type DocumentViolence struct {
	Forms           []ViolenceForm `json:"forms"`
	Relation        Relation       `json:"relation"`
	PeriodFrom      Date           `json:"period_from"`
	PeriodTo        Date           `json:"period_to"`
	ChildrenPresent bool           `json:"children_present"`
	Description     string         `json:"description"`
}

func (DocumentViolence) CommandName() string { return "case.document_violence" }

func (c DocumentViolence) facts() ViolenceDocumented {
	return ViolenceDocumented{
		Forms: c.Forms, Relation: c.Relation, PeriodFrom: c.PeriodFrom, PeriodTo: c.PeriodTo,
		ChildrenPresent: c.ChildrenPresent,
	}
}

func (c DocumentViolence) Validate() error {
	var p problems
	c.facts().check(&p, "")
	p.text("description", c.Description, maxText, false)
	return p.err()
}

// AssessRisk records a threat and risk assessment. ChildID names the child
// when it concerns one (optional, a child of the case).
type AssessRisk struct {
	Instrument Instrument `json:"instrument"`
	Level      RiskLevel  `json:"level"`
	Concerns   Concern    `json:"concerns"`
	ChildID    ID         `json:"child_id"`
	AssessedOn Date       `json:"assessed_on"`
	Summary    string     `json:"summary"`
}

func (AssessRisk) CommandName() string { return "case.assess_risk" }

func (c AssessRisk) facts() RiskAssessed {
	return RiskAssessed{Instrument: c.Instrument, Level: c.Level, Concerns: c.Concerns, ChildID: c.ChildID, AssessedOn: c.AssessedOn}
}

func (c AssessRisk) Validate() error {
	var p problems
	c.facts().check(&p, "")
	p.text("summary", c.Summary, maxText, false)
	return p.err()
}

// PlanSafety records a safety plan.
type PlanSafety struct {
	For      Concern        `json:"for"`
	Occasion SafetyOccasion `json:"occasion"`
	MadeOn   Date           `json:"made_on"`
	ChildID  ID             `json:"child_id"`
	Plan     string         `json:"plan"`
}

func (PlanSafety) CommandName() string { return "case.plan_safety" }

func (c PlanSafety) facts() SafetyPlanned {
	return SafetyPlanned{For: c.For, Occasion: c.Occasion, MadeOn: c.MadeOn, ChildID: c.ChildID}
}

func (c PlanSafety) Validate() error {
	var p problems
	c.facts().check(&p, "")
	p.text("plan", c.Plan, maxText, true)
	return p.err()
}

// AddChild records a child in the case: an existing person (person_id) or
// new details, which the server registers first (NewPersonID).
type AddChild struct {
	PersonID       ID            `json:"person_id"`
	Sex            Sex           `json:"sex"`
	BirthYear      int           `json:"birth_year"`
	Name           string        `json:"name"`
	PersonalNumber string        `json:"personal_number"`
	Relation       ChildRelation `json:"relation"`

	NewPersonID ID   `json:"-"`
	Today       Date `json:"-"`
}

func (AddChild) CommandName() string { return "case.add_child" }

// ChildID is the child's person id.
func (c AddChild) ChildID() ID {
	if c.PersonID != "" {
		return c.PersonID
	}
	return c.NewPersonID
}

func (c AddChild) details() PersonDetails {
	return PersonDetails{Sex: c.Sex, BirthYear: c.BirthYear, Name: c.Name, PersonalNumber: c.PersonalNumber}
}

// RegisterChild is the command that registers a new child.
func (c AddChild) RegisterChild() (RegisterPerson, bool) {
	if c.PersonID != "" {
		return RegisterPerson{}, false
	}
	return RegisterPerson{PersonDetails: c.details(), Today: c.Today}, true
}

func (c AddChild) Validate() error {
	var p problems
	if c.PersonID != "" {
		p.id("person_id", c.PersonID, true)
		if !c.details().IsZero() {
			p.add("person_id", "give either person_id or the child's details, not both")
		}
	} else {
		c.details().check(&p, "", c.Today)
		p.id("new_person_id", c.NewPersonID, true)
	}
	code(&p, "relation", c.Relation, true)
	return p.err()
}

// AddNote adds a journal note.
type AddNote struct {
	Text   string `json:"text"`
	NoteID ID     `json:"-"`
}

func (AddNote) CommandName() string { return "case.add_note" }

func (c AddNote) Validate() error {
	var p problems
	p.text("text", c.Text, maxText, true)
	p.id("note_id", c.NoteID, true)
	return p.err()
}

// Reassign moves the case to another case worker and unit. A case worker
// may hand off their own case; taking someone else's case, or reassigning
// the case of a protected person (subject or child), is for a supervisor.
type Reassign struct {
	Assignee string `json:"assignee"`
	Unit     string `json:"unit"`

	By        Reader `json:"-"`
	Protected bool   `json:"-"` // someone in the case has protected personal data
}

func (Reassign) CommandName() string { return "case.reassign" }

func (c Reassign) Validate() error {
	var p problems
	Reassigned{Assignee: c.Assignee, Unit: c.Unit}.check(&p, "")
	if c.Assignee != "" {
		p.userID("assignee", c.Assignee)
	}
	return p.err()
}

// CloseCase closes the case.
type CloseCase struct {
	Reason         string      `json:"reason"`
	GoalAttainment GoalOutcome `json:"goal_attainment"`
	ClosedOn       Date        `json:"-"` // today
}

func (CloseCase) CommandName() string { return "case.close" }

func (c CloseCase) Validate() error {
	var p problems
	p.text("reason", c.Reason, maxText, true)
	CaseClosed{ClosedOn: c.ClosedOn, GoalAttainment: c.GoalAttainment}.check(&p, "")
	return p.err()
}

// ReopenCase reopens a closed case.
type ReopenCase struct {
	Reason     string `json:"reason"`
	ReopenedOn Date   `json:"-"` // today
}

func (ReopenCase) CommandName() string { return "case.reopen" }

func (c ReopenCase) Validate() error {
	var p problems
	p.text("reason", c.Reason, maxText, true)
	p.date("reopened_on", c.ReopenedOn, true)
	return p.err()
}

// RaiseFlag marks something that needs attention.
type RaiseFlag struct {
	Message string `json:"message"`
	FlagID  ID     `json:"-"`
}

func (RaiseFlag) CommandName() string { return "case.raise_flag" }

func (c RaiseFlag) Validate() error {
	var p problems
	p.text("message", c.Message, maxText, true)
	p.id("flag_id", c.FlagID, true)
	return p.err()
}

// ResolveFlag resolves an open flag with a note.
type ResolveFlag struct {
	FlagID ID     `json:"-"` // from the route
	Note   string `json:"note"`
}

func (ResolveFlag) CommandName() string { return "case.resolve_flag" }

func (c ResolveFlag) Validate() error {
	var p problems
	p.id("flag_id", c.FlagID, true)
	p.text("note", c.Note, maxText, true)
	return p.err()
}
