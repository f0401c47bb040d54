package domain

import "strconv"

// TaskKind is what a task asks for (uppgift). Every legal or agreed
// deadline of a case becomes a task derived from the events; workers add
// their own (own).
type TaskKind string

const (
	TaskProtectionAssessment     TaskKind = "protection_assessment"     // skyddsbedömning
	TaskPreliminaryAssessment    TaskKind = "preliminary_assessment"    // förhandsbedömning
	TaskInvestigation            TaskKind = "investigation"             // utredning
	TaskFollowUp                 TaskKind = "follow_up"                 // uppföljning
	TaskDecisionExpiring         TaskKind = "decision_expiring"         // beslut som löper ut
	TaskDecisionNotCommunicated  TaskKind = "decision_not_communicated" // beslut ej kommunicerat
	TaskDecisionNotCarriedOut    TaskKind = "decision_not_carried_out"  // ej verkställt beslut
	TaskAppealToExamine          TaskKind = "appeal_to_examine"         // överklagande att pröva
	TaskImplementationPlan       TaskKind = "implementation_plan"       // genomförandeplan saknas
	TaskSchooling                TaskKind = "schooling"                 // skolgång ej ordnad
	TaskSafetyPlan               TaskKind = "safety_plan"               // säkerhetsplan saknas
	TaskPlacementReconsideration TaskKind = "placement_reconsideration" // överväga placeringen
	TaskNewViolence              TaskKind = "new_violence"              // nytt våld
	TaskProtectedPersonNewCase   TaskKind = "protected_person_new_case" // nytt ärende, skyddad person
	TaskProviderFollowUp         TaskKind = "provider_follow_up"        // uppföljning av utförare
	TaskProviderAction           TaskKind = "provider_action"           // åtgärd hos utförare
	TaskOwn                      TaskKind = "own"                       // egen uppgift
)

var taskKinds = newVocabulary[TaskKind](
	TaskProtectionAssessment, "Skyddsbedömning",
	TaskPreliminaryAssessment, "Förhandsbedömning",
	TaskInvestigation, "Utredning",
	TaskFollowUp, "Uppföljning",
	TaskDecisionExpiring, "Beslut löper ut",
	TaskDecisionNotCommunicated, "Beslut ej kommunicerat",
	TaskDecisionNotCarriedOut, "Beslut ej verkställt",
	TaskAppealToExamine, "Överklagande att pröva och överlämna",
	TaskImplementationPlan, "Genomförandeplan saknas",
	TaskSchooling, "Skolgång ej ordnad",
	TaskSafetyPlan, "Säkerhetsplan saknas",
	TaskPlacementReconsideration, "Placeringen ska övervägas",
	TaskNewViolence, "Nytt våld: orosanmälan",
	TaskProtectedPersonNewCase, "Nytt ärende på skyddad person",
	TaskProviderFollowUp, "Uppföljning av utförare",
	TaskProviderAction, "Åtgärd hos utförare",
	TaskOwn, "Egen uppgift",
)

func (k TaskKind) Valid() bool   { return taskKinds.valid(k) }
func (k TaskKind) Label() string { return taskKinds.label(k) }
func TaskKinds() []TaskKind      { return taskKinds.values() }

// Task is one deadline with its owner. A derived task is computed from the
// events, the same way live and on replay; it is done when the event that
// fulfils it is recorded.
type Task struct {
	ID         string
	Kind       TaskKind
	CaseID     ID
	ProviderID ID
	ChildID    ID
	PersonID   ID // the person a task is about, when not the case's subject or child
	Unit       string
	// Assignee owns the task; empty with Supervisors set when the unit's
	// supervisors do (urgent new violence).
	Assignee    string
	Supervisors bool
	Urgent      bool
	DueOn       Date
	Done        bool
	DoneOn      Date // zero when the fulfilling event carries no date
}

// Overdue reports whether an open task's due date has passed.
func (t Task) Overdue(today Date) bool { return !t.Done && t.DueOn.Before(today) }

// TaskPeriods are the agreed periods of tasks that no statute fixes (the
// municipality's routines); a later settings aggregate may vary them.
type TaskPeriods struct {
	ImplementationPlanDays int // after move-in (default 14)
	SchoolingDays          int // after move-in (default 14)
	SafetyPlanLeadDays     int // a plan this many days before move-in or move-out counts (default 14)
	// DecisionCommunicationDays and AppealForwardDays: a decision reaches
	// the person, an appeal goes to the court, within so many days (7).
	DecisionCommunicationDays int
	AppealForwardDays         int
}

// DefaultTaskPeriods are the defaults.
func DefaultTaskPeriods() TaskPeriods {
	return TaskPeriods{ImplementationPlanDays: 14, SchoolingDays: 14, SafetyPlanLeadDays: 14, DecisionCommunicationDays: 7, AppealForwardDays: 7}
}

// TaskInputs is what derivations may read besides the case: birth years of
// persons (school age) and the periods.
type TaskInputs struct {
	BirthYear func(ID) int // 0 when unknown
	Periods   TaskPeriods
}

// CaseTaskRule derives the tasks of one kind from a case's state. Adding a
// derived task kind is adding one rule to CaseTaskRules (docs/tasks.md).
type CaseTaskRule struct {
	Kind   TaskKind
	Derive func(s Case, in TaskInputs, emit func(Task))
	// OutlivesClosing keeps the kind's open tasks on a closed case (an own
	// task; a decision still to be communicated).
	OutlivesClosing bool
}

// CaseTaskRules is the registry of derivations from a case.
func CaseTaskRules() []CaseTaskRule {
	return []CaseTaskRule{
		{TaskProtectionAssessment, childDeadline(TaskProtectionAssessment), false},
		{TaskPreliminaryAssessment, childDeadline(TaskPreliminaryAssessment), false},
		{TaskInvestigation, childDeadline(TaskInvestigation), false},
		{TaskFollowUp, deriveFollowUps, false},
		{TaskDecisionExpiring, deriveDecisionExpiring, false},
		{TaskDecisionNotCommunicated, deriveDecisionNotCommunicated, true},
		{TaskDecisionNotCarriedOut, deriveDecisionNotCarriedOut, false},
		{TaskAppealToExamine, deriveAppealToExamine, true},
		{TaskImplementationPlan, deriveImplementationPlan, false},
		{TaskSchooling, deriveSchooling, false},
		{TaskSafetyPlan, deriveSafetyPlans, false},
		{TaskPlacementReconsideration, derivePlacementReconsideration, false},
		{TaskOwn, deriveOwnTasks, true},
	}
}

// CaseTasks derives every task of a case. A closed case has no open
// derived tasks left, closing ends what they asked for, except of the kinds
// that outlive it (its own tasks stay as they were).
func CaseTasks(s Case, rules []CaseTaskRule, in TaskInputs) []Task {
	if !s.Exists {
		return nil
	}
	var out []Task
	for _, r := range rules {
		r.Derive(s, in, func(t Task) {
			t.Kind, t.CaseID = r.Kind, s.ID
			if t.Unit == "" {
				t.Unit = s.Unit
			}
			if t.Assignee == "" && !t.Supervisors {
				t.Assignee = s.Assignee
			}
			if t.ID == "" {
				t.ID = TaskID(r.Kind, s.ID, "")
			}
			if !t.DoneOn.IsZero() {
				t.Done = true
			}
			if s.Status == StatusClosed && !t.Done && !r.OutlivesClosing {
				return
			}
			out = append(out, t)
		})
	}
	return out
}

// TaskID names a derived task: its kind, the record it is about and what in
// it (a decision, a placement, a child), so the same events always give the
// same id.
func TaskID(kind TaskKind, record ID, ref string) string {
	id := string(kind) + ":" + string(record)
	if ref != "" {
		id += ":" + ref
	}
	return id
}

// ChildDeadline is one of the statutory deadlines of a children's case and
// the day it was met (zero while open).
type ChildDeadline struct {
	Kind TaskKind
	Due  Date
	Done Date
}

// ChildDeadlineList lists the case's statutory children's deadlines that have
// started: the protection assessment of a report of concern (the same day),
// the preliminary assessment (14 days) and the investigation (four months,
// or as extended). Tasks and the mapping report's deadlines table both
// read it.
func (s Case) ChildDeadlineList() []ChildDeadline {
	var out []ChildDeadline
	if s.IsReportOfConcern() {
		d := ChildDeadline{Kind: TaskProtectionAssessment, Due: s.ProtectionAssessmentDue()}
		if s.Report.Protected {
			d.Done = s.Report.Protection.AssessedOn
		}
		out = append(out, d)
	}
	if !s.ChildDeadlines() || s.ReceivedOn.IsZero() {
		return out
	}
	out = append(out, ChildDeadline{Kind: TaskPreliminaryAssessment, Due: s.PreliminaryAssessmentDue(), Done: s.PreliminaryOn})
	if !s.InvestigationOpenedOn.IsZero() {
		out = append(out, ChildDeadline{Kind: TaskInvestigation, Due: s.InvestigationDue(), Done: s.InvestigationFinishedOn()})
	}
	return out
}

// childDeadline derives the task of one kind of children's deadline.
func childDeadline(kind TaskKind) func(Case, TaskInputs, func(Task)) {
	return func(s Case, _ TaskInputs, emit func(Task)) {
		for _, d := range s.ChildDeadlineList() {
			if d.Kind == kind {
				emit(Task{DueOn: d.Due, DoneOn: d.Done, Urgent: kind == TaskProtectionAssessment})
			}
		}
	}
}

// deriveFollowUps: each follow-up planned at the previous one is a task,
// done by the next follow-up of the same decision.
func deriveFollowUps(s Case, _ TaskInputs, emit func(Task)) {
	for _, d := range s.Decisions {
		if !d.Outcome.Granted() {
			continue
		}
		var planned Date
		n := 0
		for _, f := range s.FollowUps {
			if f.DecisionID != d.DecisionID {
				continue
			}
			if !planned.IsZero() {
				n++
				emit(Task{ID: TaskID(TaskFollowUp, s.ID, string(d.DecisionID)+":"+strconv.Itoa(n)), ChildID: d.ChildID, DueOn: planned, DoneOn: f.FollowedUpOn})
			}
			planned = f.NextFollowUpOn
		}
		if !planned.IsZero() {
			emit(Task{ID: TaskID(TaskFollowUp, s.ID, string(d.DecisionID)+":"+strconv.Itoa(n+1)), ChildID: d.ChildID, DueOn: planned})
		}
	}
}

// deriveDecisionExpiring: a granted decision with an end date is to be
// followed by a new decision on the same support for the same person
// before it runs out.
func deriveDecisionExpiring(s Case, _ TaskInputs, emit func(Task)) {
	for i, d := range s.Decisions {
		if !d.Current() || !d.Outcome.Granted() || d.ValidTo.IsZero() {
			continue
		}
		t := Task{ID: TaskID(TaskDecisionExpiring, s.ID, string(d.DecisionID)), ChildID: d.ChildID, DueOn: d.ValidTo}
		if later, ok := find(s.Decisions[i+1:], func(l Decision) bool {
			return l.SupportType == d.SupportType && l.ChildID == d.ChildID
		}); ok {
			t.DoneOn, t.Done = later.ValidFrom, later.ValidFrom.IsZero()
		}
		emit(t)
	}
}

func deriveImplementationPlan(s Case, in TaskInputs, emit func(Task)) {
	for _, p := range s.Placements {
		if p.Plans == 0 && !p.Open() {
			continue // moved out without a plan: nothing left to do
		}
		emit(Task{ID: TaskID(TaskImplementationPlan, s.ID, string(p.PlacementID)),
			DueOn: p.MovedInOn.AddDays(in.Periods.ImplementationPlanDays), Done: p.Plans > 0})
	}
}

// deriveSchooling: each school-age child (6–17 in the year of move-in)
// placed with the person needs schooling arranged.
func deriveSchooling(s Case, in TaskInputs, emit func(Task)) {
	for _, p := range s.Placements {
		for _, child := range p.ChildIDs {
			by := 0
			if in.BirthYear != nil {
				by = in.BirthYear(child)
			}
			if age := p.MovedInOn.Year() - by; by == 0 || age < 6 || age > 17 {
				continue
			}
			t := Task{ID: TaskID(TaskSchooling, s.ID, string(p.PlacementID)+":"+string(child)), ChildID: child,
				DueOn: p.MovedInOn.AddDays(in.Periods.SchoolingDays)}
			if a, ok := find(p.Schooling, func(a SchoolingArranged) bool { return a.ChildID == child }); ok {
				t.DoneOn = a.ArrangedOn
			}
			if t.DoneOn.IsZero() && !p.Open() {
				continue
			}
			emit(t)
		}
	}
}

// deriveSafetyPlans: a move-in and a move-out each call for a safety plan
// made for that occasion (from a little before it).
func deriveSafetyPlans(s Case, in TaskInputs, emit func(Task)) {
	planFor := func(occasion SafetyOccasion, on Date) Date {
		for _, sp := range s.SafetyPlans {
			if sp.Occasion == occasion && !sp.MadeOn.Before(on.AddDays(-in.Periods.SafetyPlanLeadDays)) {
				return sp.MadeOn
			}
		}
		return Date{}
	}
	for _, p := range s.Placements {
		emit(Task{ID: TaskID(TaskSafetyPlan, s.ID, string(p.PlacementID)+":move_in"), DueOn: p.MovedInOn,
			DoneOn: planFor(OccasionMoveIn, p.MovedInOn)})
		if !p.Open() {
			emit(Task{ID: TaskID(TaskSafetyPlan, s.ID, string(p.PlacementID)+":move_out"), DueOn: p.MovedOutOn,
				DoneOn: planFor(OccasionMoveOut, p.MovedOutOn)})
		}
	}
}

// derivePlacementReconsideration: each legal basis of a child's placement
// is to be reconsidered by its date; a later basis for the child is the
// reconsideration, and a move-out ends the need.
func derivePlacementReconsideration(s Case, _ TaskInputs, emit func(Task)) {
	for i, b := range s.PlacementBases {
		t := Task{ID: TaskID(TaskPlacementReconsideration, s.ID, string(b.ChildID)+":"+strconv.Itoa(i+1)), ChildID: b.ChildID, DueOn: b.ReconsiderBy}
		for _, later := range s.PlacementBases[i+1:] {
			if later.ChildID == b.ChildID {
				t.DoneOn = later.DecidedOn
				break
			}
		}
		if t.DoneOn.IsZero() && !s.childPlaced(b.ChildID) {
			continue
		}
		emit(t)
	}
}

// childPlaced reports whether the child lives in the case's open placement.
func (s Case) childPlaced(child ID) bool {
	p, ok := s.OpenPlacement()
	if !ok {
		return false
	}
	for _, c := range p.ChildIDs {
		if c == child {
			return true
		}
	}
	return false
}

func deriveOwnTasks(s Case, _ TaskInputs, emit func(Task)) {
	for _, t := range s.Tasks {
		emit(Task{ID: string(t.TaskID), Assignee: t.Assignee, DueOn: t.DueOn, DoneOn: t.DoneOn})
	}
}

// Late reports whether a done task was done after its due date.
func (t Task) Late() bool { return t.Done && !t.DoneOn.IsZero() && t.DoneOn.After(t.DueOn) }
