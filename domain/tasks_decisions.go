package domain

// Tasks from decisions and appeals (FL 33 §, 46 §, old SoL 16:6 f), the
// same deadlines as the overdue dashboard's decisions lists
// (projections/decision_deadlines.go), as task kinds with owner and due
// date. The periods in days are TaskPeriods (the municipality's settings,
// a week by default, as projections.DefaultDeadlines).

// deriveDecisionNotCommunicated: a decision made under the delegation
// order is to be communicated to the person (decisions recorded before the
// order were never asked to be communicated through fristad). Communication
// outlives a closed case.
func deriveDecisionNotCommunicated(s Case, in TaskInputs, emit func(Task)) {
	for _, d := range s.Decisions {
		if !d.Current() || !d.UnderDelegation() {
			continue
		}
		emit(Task{ID: TaskID(TaskDecisionNotCommunicated, s.ID, string(d.DecisionID)), ChildID: d.ChildID,
			DueOn: DaysPeriodEnd(d.Date(), in.Periods.DecisionCommunicationDays), DoneOn: d.CommunicatedOn})
	}
}

// deriveDecisionNotCarriedOut: a granted decision is carried out within
// three months of its date.
func deriveDecisionNotCarriedOut(s Case, _ TaskInputs, emit func(Task)) {
	for _, d := range s.Decisions {
		if !d.Current() || !d.Outcome.Granted() {
			continue
		}
		emit(Task{ID: TaskID(TaskDecisionNotCarriedOut, s.ID, string(d.DecisionID)), ChildID: d.ChildID,
			DueOn: CarryOutDeadline(d.Date()), DoneOn: d.CarriedOutOn})
	}
}

// deriveAppealToExamine: an appeal is examined (reconsidered or dismissed
// if late) and forwarded to the court without delay.
func deriveAppealToExamine(s Case, in TaskInputs, emit func(Task)) {
	for _, a := range s.Appeals {
		t := Task{ID: TaskID(TaskAppealToExamine, s.ID, string(a.AppealID)), DueOn: DaysPeriodEnd(a.ReceivedOn, in.Periods.AppealForwardDays), DoneOn: a.ForwardedOn}
		if t.DoneOn.IsZero() && a.Final() {
			t.Done = true
		}
		emit(t)
	}
}
