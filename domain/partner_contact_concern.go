package domain

import "strconv"

// A partner contact's report of new violence with children affected calls
// for a report of concern (orosanmälan). The supervisors of the treatment
// case's unit get an urgent task; recording that the report of concern was
// made fulfils it. It is recorded on the partner side's record (where the
// new violence is), never on the treatment case or the treatment side's
// record: the treatment side must not learn of it.

// ConcernReported records that a report of concern was made after new
// violence with children affected, on the partner side's record; its note
// is sealed with the partner's key.
type ConcernReported struct {
	ReportedOn Date `json:"reported_on"`
}

func (ConcernReported) EventName() string { return "partner_contact.concern_reported" }

func (f ConcernReported) check(p *problems, at string) {
	p.date(path(at, "reported_on"), f.ReportedOn, true)
}

// ReportConcern is the command behind it (POST /cases/{id}/tasks/{tid}/done
// on a new_violence task).
type ReportConcern struct {
	Note       string `json:"note"`
	ReportedOn Date   `json:"-"` // today
}

func (ReportConcern) CommandName() string { return "partner_contact.report_concern" }

func (c ReportConcern) Validate() error {
	var p problems
	ConcernReported{ReportedOn: c.ReportedOn}.check(&p, "")
	p.text("note", c.Note, maxText, false)
	return p.err()
}

// ConcernsOwed is how many reports of concern the contact's new violence
// with children affected still calls for.
func (s PartnerSide) ConcernsOwed() int {
	n := 0
	for _, v := range s.NewViolence {
		if v.ChildrenAffected {
			n++
		}
	}
	return n - s.ConcernsReported
}

// decideConcern allows a report of concern even after the contact ended:
// the duty to report does not end with the contact.
func decideConcern(s PartnerSide, c ReportConcern) ([]Event, error) {
	if err := validate(c); err != nil {
		return nil, err
	}
	if s.ConcernsOwed() <= 0 {
		return nil, ruleErr("no-concern-owed", "no report of new violence with children affected awaits a report of concern")
	}
	var note any
	if c.Note != "" {
		note = TaskNote{c.Note}
	}
	return []Event{{Facts: ConcernReported{ReportedOn: c.ReportedOn}, Personal: note, SealWith: PersonKey(s.PartnerID)}}, nil
}

// NewViolenceTasks derives the urgent new_violence tasks of one partner
// contact: the n-th report of new violence with children affected (dated
// violence[n]) is done by the n-th report of concern (dated concerns[n]).
// The task belongs to the supervisors of the treatment case's unit.
func NewViolenceTasks(contact ID, treatment Case, violence, concerns []Date) []Task {
	if !treatment.Exists {
		return nil
	}
	out := make([]Task, 0, len(violence))
	for i, on := range violence {
		t := Task{ID: TaskID(TaskNewViolence, contact, strconv.Itoa(i+1)), Kind: TaskNewViolence, CaseID: treatment.ID,
			Unit: treatment.Unit, Supervisors: true, Urgent: true, DueOn: on}
		if i < len(concerns) {
			t.DoneOn, t.Done = concerns[i], true
		}
		out = append(out, t)
	}
	return out
}
