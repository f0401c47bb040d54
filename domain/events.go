package domain

import (
	"encoding/json"
	"errors"
)

// Events returns a registry of every fristad event type. It builds a fresh
// registry on each call, so there is no package-level state to share.
func Events() *Registry {
	r := NewRegistry()

	Register[PersonRegistered, PersonIdentity](r, KindPerson, 1)
	Register[PersonDetailsChanged, PersonIdentity](r, KindPerson, 1)
	Register[ProtectionChanged, NoPersonal](r, KindPerson, 1)
	Register[PersonCulled, NoPersonal](r, KindPerson, 1)
	Register[EntitlementRecorded, NoPersonal](r, KindPerson, 1)
	Register[WhereaboutsGranted, ReasonText](r, KindPerson, 1)
	Register[WhereaboutsGrantRevoked, ReasonText](r, KindPerson, 1)
	Register[ProtectionLowered, ReasonText](r, KindPerson, 1)
	Register[PersonContactAdded, PersonIdentity](r, KindPerson, 1)

	Register[CaseOpened, DescriptionText](r, KindCase, 1)
	Register[PreliminaryAssessed, ReasonText](r, KindCase, 1)
	Register[InvestigationOpened, NoPersonal](r, KindCase, 1)
	Register[ViolenceDocumented, DescriptionText](r, KindCase, 1)
	Register[RiskAssessed, SummaryText](r, KindCase, 2)
	r.AddUpcaster(RiskAssessed{}.EventName(), 1, upcastRiskAssessedV1)
	Register[SafetyPlanned, PlanText](r, KindCase, 1)
	Register[ChildAdded, NoPersonal](r, KindCase, 1)
	Register[DecisionMade, GoalTexts](r, KindCase, 2)
	r.AddUpcaster(DecisionMade{}.EventName(), 1, upcastDecisionMadeV1)
	Register[DecisionProposed, GoalTexts](r, KindCase, 1)
	Register[DecisionCommunicated, NoPersonal](r, KindCase, 1)
	Register[AppealReceived, NoPersonal](r, KindCase, 1)
	Register[AppealDismissed, ReasonText](r, KindCase, 1)
	Register[AppealReconsidered, ReasonText](r, KindCase, 1)
	Register[AppealForwarded, CourtText](r, KindCase, 1)
	Register[AppealRuled, NoPersonal](r, KindCase, 1)
	Register[DecisionCarriedOut, NoPersonal](r, KindCase, 1)
	Register[DecisionDelayed, NoteText](r, KindCase, 1)
	Register[AssignmentIssued, AssignmentContents](r, KindCase, 1)
	Register[PlacementStarted, NoPersonal](r, KindCase, 1)
	Register[SchoolingArranged, NoPersonal](r, KindCase, 1)
	Register[ImplementationPlanRecorded, ImplementationPlan](r, KindCase, 1)
	Register[PlacementExtended, NoPersonal](r, KindCase, 1)
	Register[MovedOut, NoPersonal](r, KindCase, 1)
	Register[FollowedUp, FollowUpTexts](r, KindCase, 1)
	Register[NoteAdded, Text](r, KindCase, 1)
	Register[Corrected, CorrectionTexts](r, KindCase, 1)
	Register[Reassigned, NoPersonal](r, KindCase, 1)
	Register[CaseClosed, ReasonText](r, KindCase, 1)
	Register[CaseReopened, ReasonText](r, KindCase, 1)
	Register[FlagRaised, FlagMessage](r, KindCase, 1)
	Register[FlagResolved, FlagNote](r, KindCase, 1)
	Register[ProtectionAssessed, SummaryText](r, KindCase, 1)
	Register[InvestigationExtended, ExtensionReasons](r, KindCase, 1)
	Register[ChildViewsRecorded, ViewsText](r, KindCase, 1)
	Register[PlacementBasisRecorded, NoPersonal](r, KindCase, 1)
	Register[CaseLinked, NoPersonal](r, KindCase, 1)
	Register[TaskAdded, TaskTitle](r, KindCase, 1)
	Register[TaskDone, TaskNote](r, KindCase, 1)

	Register[PartnerContactOffered, NoPersonal](r, KindPartnerContact, 1)
	// Schema 2 of consent, treatment status and ending has the same facts
	// as 1 and means "recorded on one side's record": schema 1 was written
	// on the single record both sides read, so a fold can tell which events
	// of an old contact its partner side already knew (ADR 0200).
	Register[ConsentRecorded, ConsentDocument](r, KindPartnerContact, 2)
	r.AddUpcaster(ConsentRecorded{}.EventName(), 1, sameFacts)
	Register[PartnerApproached, NoPersonal](r, KindPartnerContact, 1)
	Register[PartnerResponded, NoPersonal](r, KindPartnerContact, 1)
	Register[PartnerRiskAssessed, SummaryText](r, KindPartnerContact, 1)
	Register[PartnerSafetyPlanned, PlanText](r, KindPartnerContact, 1)
	Register[TreatmentStatusChanged, NoPersonal](r, KindPartnerContact, 2)
	r.AddUpcaster(TreatmentStatusChanged{}.EventName(), 1, sameFacts)
	Register[SignalShared, NoPersonal](r, KindPartnerContact, 1)
	Register[NewViolenceReported, NoPersonal](r, KindPartnerContact, 1)
	Register[ExceptionRecorded, NoPersonal](r, KindPartnerContact, 1)
	Register[PartnerContactEnded, ReasonText](r, KindPartnerContact, 2)
	r.AddUpcaster(PartnerContactEnded{}.EventName(), 1, sameFacts)

	// The partner side's record: its own events, and those of the old
	// single record that now cross to it (signals, the exception, the
	// treatment status and the end). The partner-side events stay
	// registered on partner_contact too: old stores hold them there.
	Register[PartnerSideOpened, NoPersonal](r, KindPartnerSide, 1)
	Register[ConsentNoted, NoPersonal](r, KindPartnerSide, 1)
	for _, f := range []Facts{PartnerApproached{}, PartnerResponded{}, PartnerRiskAssessed{}, PartnerSafetyPlanned{},
		TreatmentStatusChanged{}, SignalShared{}, NewViolenceReported{}, ExceptionRecorded{}, PartnerContactEnded{}} {
		r.AlsoOn(f.EventName(), KindPartnerSide)
	}
	// The report of concern after new violence with children affected is
	// the partner side's: the treatment side must not learn of it.
	Register[ConcernReported, TaskNote](r, KindPartnerSide, 1)

	Register[DelegationOrderReplaced, NoPersonal](r, KindDelegation, 1)
	Register[AccessReviewed, ReviewNote](r, KindAccessReview, 1)

	Register[UnitSet, NoPersonal](r, KindSettings, 1)
	Register[SettingsChanged, NoPersonal](r, KindSettings, 1)

	Register[ProviderRegistered, ProviderPrivate](r, KindProvider, 1)
	Register[ProviderProfileChanged, ProviderPrivate](r, KindProvider, 1)
	Register[PermitRecorded, NoPersonal](r, KindProvider, 1)
	Register[VacanciesReported, NoPersonal](r, KindProvider, 1)
	Register[ProviderFollowedUp, ProviderFollowUpTexts](r, KindProvider, 1)
	Register[ProviderActionDone, Text](r, KindProvider, 1)
	Register[AssignmentReportedBack, SummaryText](r, KindCase, 1)

	return r
}

// upcastRiskAssessedV1 turns case.risk_assessed/v1 into v2.
//
// v1 said whether the assessment was about a child with a boolean:
//
//	{"instrument": "sara", "level": "high", "child": false, "assessed_on": "2025-03-01"}
//
// v2 names whom it concerns, so partner contacts and cases share a vocabulary:
//
//	{"instrument": "sara", "level": "high", "concerns": "adult", "assessed_on": "2025-03-01"}
func upcastRiskAssessedV1(raw json.RawMessage) (json.RawMessage, error) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, err
	}
	c, ok := m["child"]
	if !ok {
		return nil, errors.New(`v1 facts lack "child"`)
	}
	if _, clash := m["concerns"]; clash {
		return nil, errors.New(`v1 facts already have "concerns"`)
	}
	var child bool
	if err := json.Unmarshal(c, &child); err != nil {
		return nil, errors.New(`"child" must be true or false`)
	}
	delete(m, "child")
	concern := ConcernAdult
	if child {
		concern = ConcernChild
	}
	m["concerns"], _ = json.Marshal(concern)
	return json.Marshal(m)
}

// upcastDecisionMadeV1 turns case.decision_made/v1 into v2. Schema 2 only
// adds members (the decision date, decision-maker, mandate, reasons and
// links), none of which a v1 decision had: the facts stay as they are,
// and a decision without decided_by reads as "decided before the
// delegation order" rather than inventing who decided it.
func upcastDecisionMadeV1(raw json.RawMessage) (json.RawMessage, error) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, err
	}
	if _, ok := m["decided_by"]; ok {
		return nil, errors.New(`v1 facts already have "decided_by"`)
	}
	return raw, nil
}

// sameFacts is the upcaster of a schema change that keeps the facts and
// changes where they are recorded.
func sameFacts(raw json.RawMessage) (json.RawMessage, error) { return raw, nil }
