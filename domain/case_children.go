package domain

import (
	"fmt"
	"slices"
	"time"
)

// ReportOfConcern is what a case opened on a report of concern
// (orosanmälan) records about it and its deadlines.
type ReportOfConcern struct {
	ReceivedAt       time.Time // zero unless the source is report_of_concern
	Reporter         ReporterCategory
	ConcernsViolence bool

	Protection    ProtectionAssessed // zero until assessed
	Protected     bool               // a protection assessment is recorded
	ExtendedUntil Date               // the investigation's extended deadline, if any
	Extensions    int

	decisionsAtOpening int // decisions recorded before the investigation opened
}

// OwnTask is a worker's own task on the case.
type OwnTask struct {
	TaskAdded
	DoneOn Date
}

// IsReportOfConcern reports whether the case was opened on a report of
// concern about a child.
func (s Case) IsReportOfConcern() bool { return s.Source == SourceReportOfConcern }

// ChildDeadlines reports whether the board's deadlines for children apply
// (preliminary assessment in 14 days, investigation in four months): the
// case is a report of concern or about a child.
func (s Case) ChildDeadlines() bool {
	return s.IsReportOfConcern() || s.TargetGroup == ChildVictim || s.TargetGroup == ChildWitness
}

// ProtectionAssessmentDue is the day the protection assessment is due:
// the day the report was received, in Europe/Stockholm ("genast").
func (s Case) ProtectionAssessmentDue() Date { return s.ReceivedOn }

// PreliminaryAssessmentDue is the last day of the 14 days from receipt
// (old SoL 11:1a), by lag 1930:173.
func (s Case) PreliminaryAssessmentDue() Date {
	return DaysPeriodEnd(s.ReceivedOn, 14)
}

// InvestigationDue is the last day of a child's investigation: four months
// from its opening (old SoL 11:2), by lag 1930:173, unless extended.
func (s Case) InvestigationDue() Date {
	if !s.Report.ExtendedUntil.IsZero() {
		return s.Report.ExtendedUntil
	}
	if s.InvestigationOpenedOn.IsZero() {
		return Date{}
	}
	return MonthsPeriodEnd(s.InvestigationOpenedOn, 4)
}

// InvestigationFinishedOn is the day the investigation ended: the first
// decision on support made after it opened, or the case's closing; zero
// while it runs.
func (s Case) InvestigationFinishedOn() Date {
	if s.InvestigationOpenedOn.IsZero() {
		return Date{}
	}
	if s.Report.decisionsAtOpening < len(s.Decisions) {
		d := s.Decisions[s.Report.decisionsAtOpening]
		if d.Date().Before(s.InvestigationOpenedOn) {
			return s.InvestigationOpenedOn
		}
		return d.Date()
	}
	return s.ClosedOn
}

// Task finds an own task by id.
func (s Case) Task(id ID) (OwnTask, bool) {
	return find(s.Tasks, func(t OwnTask) bool { return t.TaskID == id })
}

// Linked reports whether the case is linked to another.
func (s Case) Linked(id ID) bool {
	return slices.ContainsFunc(s.Links, func(l CaseLinked) bool { return l.CaseID == id })
}

func applyChildren(s Case, facts Facts) Case {
	switch f := facts.(type) {
	case ProtectionAssessed:
		s.Report.Protection, s.Report.Protected = f, true
	case InvestigationExtended:
		s.Report.ExtendedUntil = f.Until
		s.Report.Extensions++
	case ChildViewsRecorded:
		s.ChildViews = append(s.ChildViews, f)
	case PlacementBasisRecorded:
		s.PlacementBases = append(s.PlacementBases, f)
	case CaseLinked:
		s.Links = append(s.Links, f)
	case TaskAdded:
		s.Tasks = append(s.Tasks, OwnTask{TaskAdded: f})
	case TaskDone:
		update(s.Tasks, func(t OwnTask) bool { return t.TaskID == f.TaskID }, func(t *OwnTask) { t.DoneOn = f.DoneOn })
	}
	return s
}

// decideChildren handles the commands about children, deadlines, links and
// own tasks.
func decideChildren(s Case, cmd Command) ([]Event, error) {
	switch c := cmd.(type) {
	case AssessProtection:
		if !s.IsReportOfConcern() {
			return nil, ruleErr("not-a-report-of-concern", "a protection assessment is made on a report of concern")
		}
		if s.Report.Protected {
			return nil, ruleErr("protection-assessment-done", "the protection assessment was made on %s", s.Report.Protection.AssessedOn)
		}
		if c.AssessedAt.Time.Before(s.Report.ReceivedAt) {
			return nil, ruleErr("assessed-before-received", "the report was received later than the assessment says")
		}
		return []Event{s.event(c.facts(), SummaryText{c.Summary})}, nil

	case ExtendInvestigation:
		if s.InvestigationOpenedOn.IsZero() || !s.ChildDeadlines() {
			return nil, ruleErr("no-child-investigation", "no child's investigation has been opened in the case")
		}
		if !s.InvestigationFinishedOn().IsZero() {
			return nil, ruleErr("investigation-finished", "the investigation has ended")
		}
		if !c.Until.After(s.InvestigationDue()) {
			return nil, ruleErr("extension-not-after-deadline", "the investigation already runs until %s", s.InvestigationDue())
		}
		return []Event{s.event(InvestigationExtended{Until: c.Until, DecidedOn: c.Today}, ExtensionReasons{c.Reasons})}, nil

	case RecordChildViews:
		if err := s.needChild(c.ChildID); err != nil {
			return nil, err
		}
		return []Event{s.event(ChildViewsRecorded{ChildID: c.ChildID, HeardOn: c.HeardOn}, ViewsText{c.Views})}, nil

	case RecordPlacementBasis:
		if err := s.needChild(c.ChildID); err != nil {
			return nil, err
		}
		own := slices.ContainsFunc(s.Decisions, func(d Decision) bool { return d.ChildID == c.ChildID && grantsHousing(d) })
		if !own {
			return nil, ruleErr("child-placement-requires-own-decision",
				"the child needs a granted protected-housing decision of its own")
		}
		return []Event{s.event(c.facts(), nil)}, nil

	case LinkCase:
		if c.CaseID == s.ID {
			return nil, ruleErr("link-to-itself", "a case cannot be linked to itself")
		}
		if s.Linked(c.CaseID) {
			return nil, ruleErr("link-exists", "the cases are already linked")
		}
		return []Event{s.event(CaseLinked(c), nil)}, nil

	case AddTask:
		if _, ok := s.Task(c.TaskID); ok {
			return nil, ruleErr("task-exists", "the task already exists")
		}
		return []Event{s.event(TaskAdded{TaskID: c.TaskID, DueOn: c.DueOn, Assignee: c.Assignee}, TaskTitle{c.Title})}, nil

	case CompleteTask:
		t, ok := s.Task(c.TaskID)
		if !ok {
			return nil, ruleErr("task-not-found", "no such task in the case")
		}
		if !t.DoneOn.IsZero() {
			return nil, ruleErr("task-done", "the task was done on %s", t.DoneOn)
		}
		var note any
		if c.Note != "" {
			note = TaskNote{c.Note}
		}
		return []Event{s.event(TaskDone{TaskID: c.TaskID, DoneOn: c.Today}, note)}, nil
	}
	return nil, fmt.Errorf("case: %w %T", ErrUnknownCommand, cmd)
}

func isChildrenCommand(cmd Command) bool {
	switch cmd.(type) {
	case AssessProtection, ExtendInvestigation, RecordChildViews, RecordPlacementBasis, LinkCase, AddTask, CompleteTask:
		return true
	}
	return false
}
