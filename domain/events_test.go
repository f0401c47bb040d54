package domain

import (
	"encoding/json"
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

// samples has a facts value with every field set for each event type.
func samples() []Facts {
	d := day("2026-02-03")
	return []Facts{
		PersonRegistered{Sex: SexFemale, BirthYear: 1985, ResearchException: true},
		PersonDetailsChanged{Sex: SexMale, BirthYear: 1970, ResearchException: true},
		ProtectionChanged{Level: ProtectionFictitious, CaseID: tid(1)},
		PersonCulled{CulledOn: d},
		EntitlementRecorded{Subs: []string{"anna"}, SupervisorUnits: []string{"vuxen"}, CaseID: tid(1)},
		WhereaboutsGranted{GrantID: tid(2), Sub: "bo", Until: d, CaseID: tid(1)},
		WhereaboutsGrantRevoked{GrantID: tid(2)},
		ProtectionLowered{Level: ProtectionMarked, CaseID: tid(1)},
		PersonContactAdded{},
		CaseOpened{Unit: "barn", TargetGroup: ChildWitness, Source: SourceReportOfConcern, ReceivedOn: d, PersonID: tid(1),
			Assignee: "anna", SpecialNeeds: []SpecialNeed{NeedDisability}, ReporterCategory: ReporterSchool,
			ReceivedAt: time.Date(2026, 2, 3, 8, 0, 0, 0, time.UTC), ConcernsViolence: true},
		PreliminaryAssessed{Decision: PrelimOpenInvestigation, AssessedOn: d},
		InvestigationOpened{OpenedOn: d},
		ViolenceDocumented{Forms: []ViolenceForm{FormSexual}, Relation: RelStaff, PeriodFrom: d, PeriodTo: d, ChildrenPresent: true},
		RiskAssessed{Instrument: InstrCheck65, Level: RiskHigh, Concerns: ConcernChild, ChildID: tid(2), AssessedOn: d},
		SafetyPlanned{For: ConcernChild, Occasion: OccasionMoveOut, MadeOn: d, ChildID: tid(2)},
		ChildAdded{ChildID: tid(2), Relation: ChildBoth},
		DecisionMade{DecisionID: tid(3), SupportType: SupportProtectedHousing, Outcome: OutcomeGranted, GoalCount: 2,
			ValidFrom: d, ValidTo: d.AddDays(60), ChildID: tid(2), DecidedOn: d, DecidedBy: "sara", Point: "4.2", DecidedAs: RoleSupervisor,
			OrderVersion: 3, HasReasons: true, ProposalID: tid(10), Replaces: tid(11), AppealID: tid(12), ByCourt: true},
		DecisionProposed{ProposalID: tid(10), SupportType: SupportTalks, Outcome: OutcomeDenied, GoalCount: 1, ValidFrom: d, ValidTo: d,
			ChildID: tid(2), ProposedBy: "anna", ProposedOn: d},
		DecisionCommunicated{DecisionID: tid(3), CommunicatedOn: d, Channel: DeliveredDigitally},
		AppealReceived{AppealID: tid(12), DecisionID: tid(3), ReceivedOn: d, LastDay: d, InTime: true, WrongInstructions: true, ReachedCourtOn: d},
		AppealDismissed{AppealID: tid(12), DecidedOn: d, DecidedBy: "anna"},
		AppealReconsidered{AppealID: tid(12), DecidedOn: d, DecidedBy: "sara", Changed: true, NewDecisionID: tid(13)},
		AppealForwarded{AppealID: tid(12), ForwardedOn: d},
		AppealRuled{AppealID: tid(12), RuledOn: d, Outcome: RulingChanged, NewDecisionID: tid(14)},
		DecisionCarriedOut{DecisionID: tid(3), StartedOn: d},
		DecisionDelayed{DecisionID: tid(3), Reason: DelayNoPlace, RecordedOn: d},
		DelegationOrderReplaced{Rules: []DelegationRule{{Point: "4.2", SupportType: SupportTalks, Outcome: OutcomeDenied, Roles: []string{RoleSupervisor}}}},
		AssignmentIssued{AssignmentID: tid(4), DecisionID: tid(3), ProviderID: tid(5)},
		PlacementStarted{PlacementID: tid(6), DecisionID: tid(3), ProviderID: tid(5), MovedInOn: d, ChildIDs: []ID{tid(2)}, Pets: 2},
		SchoolingArranged{PlacementID: tid(6), ChildID: tid(2), ArrangedOn: d, SchoolKind: SchoolDistance},
		ImplementationPlanRecorded{PlacementID: tid(6), ActivityCount: 3, FollowUpOn: d, Participated: true},
		PlacementExtended{PlacementID: tid(6), Until: d},
		MovedOut{PlacementID: tid(6), MovedOutOn: d, Reason: MoveOutBrokeOff, GoalAttainment: GoalNot},
		FollowedUp{DecisionID: tid(3), FollowedUpOn: d, Participated: true, Outcomes: []GoalOutcome{GoalPartly}, Complaint: true, NextFollowUpOn: d.AddDays(30)},
		NoteAdded{NoteID: tid(7)},
		Corrected{EventID: tid(8), EventType: "case.closed", Fields: []string{"closed_on"}, Patch: json.RawMessage(`{"closed_on":"2026-01-01"}`)},
		Reassigned{Assignee: "bo", Unit: "barn"},
		closed,
		CaseReopened{ReopenedOn: d},
		FlagRaised{FlagID: tid(9)},
		FlagResolved{FlagID: tid(9)},
		ProtectionAssessed{AssessedAt: time.Date(2026, 2, 3, 9, 0, 0, 0, time.UTC), AssessedOn: d, ImmediateProtection: true},
		InvestigationExtended{Until: d.AddDays(60), DecidedOn: d},
		ChildViewsRecorded{ChildID: tid(2), HeardOn: d},
		PlacementBasisRecorded{ChildID: tid(2), Basis: BasisUrgentBoardDecision, DecidedOn: d, SubmittedToCourtOn: d, ReconsiderBy: d.AddDays(90)},
		CaseLinked{CaseID: tid(10), Relation: LinkChildCase},
		TaskAdded{TaskID: tid(11), DueOn: d, Assignee: "anna"},
		TaskDone{TaskID: tid(11), DoneOn: d},
		offered,
		consentGiven,
		reached,
		PartnerResponded{Accepted: true},
		PartnerRiskAssessed{Instrument: InstrSAM, Level: RiskLow, Concerns: ConcernPartner, AssessedOn: d},
		PartnerSafetyPlanned{For: ConcernPartner, MadeOn: d},
		TreatmentStatusChanged{Status: TreatmentCompleted},
		SignalShared{Category: SignalWantsToEnd, Side: SideTreatment},
		NewViolenceReported{ReportedOn: d, ChildrenAffected: true},
		ExceptionRecorded{Reason: ExceptionNoRecentContact},
		PartnerContactEnded{EndedOn: d, ConsentDocumentDestroyed: true},
		ConcernReported{ReportedOn: d},
		AssignmentReportedBack{AssignmentID: tid(10), ReportedOn: d, GoalAttainment: GoalPartly},
		shelterRegistered,
		ProviderProfileChanged{shelterDetails().profile()},
		permit2026,
		VacanciesReported{Adults: 1, Children: 2, AsOf: d},
		followedUp,
		ProviderActionDone{ActionID: action1, DoneOn: d},
		PartnerSideOpened{TreatmentCaseID: treatmentCase, PartnerID: partnerID, ChildrenInContact: 2},
		ConsentNoted{Status: ConsentWithdrawn},
		UnitSet{Unit: "vuxen-norr", UnitName: "Vuxenenheten Norr", Kind: UnitAdults, FoundInStream: true},
		SettingsChanged{DecisionCommunicationDays: 10, AppealForwardDays: 5, PlacementReconsiderMonths: 3, MaxTokenTTL: 3600, ReportConcurrency: 4},
		AccessReviewed{Entries: []ID{"01J00000000000000000000001"}, Outcome: ReviewToInvestigate, Units: []string{"vuxen"}},
	}
}

func TestEventNamesAreStable(t *testing.T) {
	// Names are stored in the stream: renaming one orphans stored events.
	want := []string{
		"access_review.recorded",
		"case.appeal_dismissed", "case.appeal_forwarded", "case.appeal_received", "case.appeal_reconsidered", "case.appeal_ruled",
		"case.assignment_issued", "case.assignment_reported_back", "case.child_added", "case.child_views_recorded", "case.closed",
		"case.corrected", "case.decision_carried_out", "case.decision_communicated", "case.decision_delayed", "case.decision_made",
		"case.decision_proposed", "case.flag_raised", "case.flag_resolved", "case.followed_up", "case.implementation_plan_recorded",
		"case.investigation_extended", "case.investigation_opened", "case.linked", "case.moved_out", "case.note_added",
		"case.opened", "case.placement_basis_recorded", "case.placement_extended", "case.placement_started", "case.preliminary_assessed",
		"case.protection_assessed", "case.reassigned", "case.reopened", "case.risk_assessed", "case.safety_planned",
		"case.schooling_arranged", "case.task_added", "case.task_done", "case.violence_documented", "delegation.order_replaced",
		"partner_contact.approached", "partner_contact.concern_reported", "partner_contact.consent_noted", "partner_contact.consent_recorded", "partner_contact.ended",
		"partner_contact.exception_recorded", "partner_contact.new_violence_reported", "partner_contact.offered", "partner_contact.partner_side_opened", "partner_contact.responded",
		"partner_contact.risk_assessed", "partner_contact.safety_planned", "partner_contact.signal_shared", "partner_contact.treatment_status_changed", "person.contact_added",
		"person.culled", "person.details_changed", "person.entitlement_recorded", "person.protection_changed", "person.protection_lowered",
		"person.registered",
		"person.whereabouts_grant_revoked", "person.whereabouts_granted",
		"provider.action_done", "provider.followed_up", "provider.permit_recorded", "provider.profile_changed",
		"provider.registered", "provider.vacancies_reported",
		"settings.changed", "settings.unit_set",
	}
	if got := Events().Names(); !slices.Equal(got, want) {
		t.Fatalf("event names changed:\n got %v\nwant %v", got, want)
	}
}

func TestRegistryRoundTripEveryEvent(t *testing.T) {
	reg := Events()
	seen := map[string]bool{}
	for _, f := range samples() {
		name := f.EventName()
		seen[name] = true
		raw, schema, err := reg.EncodeFacts(f)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		back, err := reg.DecodeFacts(name, schema, raw)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !reflect.DeepEqual(back, f) {
			t.Fatalf("%s: got %#v, want %#v", name, back, f)
		}
		// Every field is set in the samples, so zero-value round trips cannot hide.
		v := reflect.ValueOf(f)
		for i := range v.NumField() {
			if v.Field(i).IsZero() {
				t.Errorf("%s: sample leaves %s zero", name, v.Type().Field(i).Name)
			}
		}
	}
	for _, n := range reg.Names() {
		if !seen[n] {
			t.Errorf("%s has no round-trip sample", n)
		}
	}
	if s, _ := reg.Schema("case.risk_assessed"); s != 2 {
		t.Errorf("case.risk_assessed schema %d, want 2", s)
	}
	if k, _ := reg.Aggregate("partner_contact.ended"); k != KindPartnerContact {
		t.Errorf("partner_contact.ended belongs to %q", k)
	}
	if reg.HasPersonal("case.placement_started") || !reg.HasPersonal("case.note_added") {
		t.Error("personal data registration wrong")
	}
	if p, ok := reg.NewPersonal("partner_contact.consent_recorded").(*ConsentDocument); !ok || p == nil {
		t.Errorf("consent personal type: %T", reg.NewPersonal("partner_contact.consent_recorded"))
	}
}

func TestEventsBuildsAFreshRegistry(t *testing.T) {
	a, b := Events(), Events()
	if a == b || a.defs["case.opened"] == b.defs["case.opened"] {
		t.Fatal("Events() shares state between calls")
	}
}

func TestUpcastRiskAssessedV1(t *testing.T) {
	reg := Events()
	for _, tc := range []struct {
		v1   string
		want RiskAssessed
	}{
		{`{"instrument":"sara","level":"high","child":false,"assessed_on":"2025-03-01"}`,
			RiskAssessed{Instrument: InstrSARA, Level: RiskHigh, Concerns: ConcernAdult, AssessedOn: day("2025-03-01")}},
		{`{"instrument":"freda_short","level":"low","child":true,"child_id":"` + string(tid(2)) + `","assessed_on":"2025-03-01"}`,
			RiskAssessed{Instrument: InstrFredaShort, Level: RiskLow, Concerns: ConcernChild, ChildID: tid(2), AssessedOn: day("2025-03-01")}},
	} {
		got, err := reg.DecodeFacts("case.risk_assessed", 1, []byte(tc.v1))
		if err != nil {
			t.Fatalf("decode v1: %v", err)
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Fatalf("got %#v, want %#v", got, tc.want)
		}
	}
	for _, bad := range []string{
		`{"instrument":"sara","level":"high","assessed_on":"2025-03-01"}`,
		`{"instrument":"sara","level":"high","child":"yes","assessed_on":"2025-03-01"}`,
		`{"instrument":"sara","level":"high","child":true,"concerns":"adult","assessed_on":"2025-03-01"}`,
		`not json`,
	} {
		var se *SchemaError
		if _, err := reg.DecodeFacts("case.risk_assessed", 1, []byte(bad)); !errors.As(err, &se) {
			t.Errorf("%s: want SchemaError, got %v", bad, err)
		}
	}
	// The v2 shape is not a v1 shape: "child" is unknown now.
	var se *SchemaError
	if _, err := reg.DecodeFacts("case.risk_assessed", 2, []byte(`{"instrument":"sara","level":"high","child":true,"assessed_on":"2025-03-01"}`)); !errors.As(err, &se) {
		t.Errorf("v1 shape read as v2: want SchemaError, got %v", err)
	}
}

func TestDecodeFactsErrorsAreTyped(t *testing.T) {
	reg := Events()
	var ue *UnknownEventError
	if _, err := reg.DecodeFacts("case.teleported", 1, []byte(`{}`)); !errors.As(err, &ue) || ue.Name != "case.teleported" {
		t.Errorf("unknown type: got %v", err)
	}
	for _, tc := range []struct {
		name   string
		schema int
		raw    string
	}{
		{"case.opened", 1, `{"unit":`},                      // truncated
		{"case.opened", 1, `{"unit":"vuxen","secret":"x"}`}, // unknown field
		{"case.opened", 1, `{"unit":7}`},                    // wrong type
		{"case.opened", 1, `{"received_on":"05/01/2026"}`},  // bad date
		{"case.opened", 1, `{"unit":"vuxen"} {"unit":"x"}`}, // trailing data
		{"case.opened", 2, `{}`},                            // future schema
		{"case.opened", 0, `{}`},                            // no such schema
		{"person.culled", 1, `[]`},                          // not an object
	} {
		var se *SchemaError
		if _, err := reg.DecodeFacts(tc.name, tc.schema, []byte(tc.raw)); !errors.As(err, &se) {
			t.Errorf("%s/v%d %s: want SchemaError, got %v", tc.name, tc.schema, tc.raw, err)
		}
	}
}

// TestFactsAreCategorical guards the split between facts (stored in clear)
// and personal data (sealed): a facts field may only be a code, id, date,
// number or boolean, never free text.
func TestFactsAreCategorical(t *testing.T) {
	// User and unit ids, like the actor every event carries (staff who
	// decided or proposed too); points of the delegation order and roles
	// are codes by their checks; unit_name names an organisational unit
	// (settings.unit_set), in a pattern that admits no formula and no free
	// text beyond a name.
	plainStrings := map[string]bool{"unit": true, "assignee": true, "event_type": true, "fields": true, "sub": true, "subs": true, "supervisor_units": true,
		"decided_by": true, "proposed_by": true, "delegation_point": true, "decided_as": true, "point": true, "roles": true, "unit_name": true, "units": true}
	// A provider is an organisation: its name, municipality, county,
	// languages, its permit's authority and number are registry data, not
	// a person's; a checklist version and question are template ids. The
	// provider's address is sealed (ProviderPrivate), never here.
	providerStrings := map[string]bool{"name": true, "municipality": true, "region": true, "languages": true,
		"authority": true, "number": true, "checklist_version": true, "question": true}
	labelled := reflect.TypeOf((*interface{ Label() string })(nil)).Elem()
	var check func(event string, typ reflect.Type)
	check = func(event string, typ reflect.Type) {
		names := jsonNames(typ)
		for i := range typ.NumField() {
			fl := typ.Field(i)
			name := names[i]
			ft := fl.Type
			if ft.Kind() == reflect.Slice || ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			switch {
			case ft == reflect.TypeOf(Date{}), ft == reflect.TypeOf(ID("")), ft == reflect.TypeOf(time.Time{}): // instants too
			case ft.Kind() == reflect.Bool, ft.Kind() == reflect.Int, ft.Kind() == reflect.Uint64:
			case ft == reflect.TypeOf(DelegationRule{}): // checked field by field below
				for j := range ft.NumField() {
					if n := jsonNames(ft)[j]; !plainStrings[n] && n != "support_type" && n != "outcome" {
						t.Errorf("%s.%s.%s is not categorical", event, name, n)
					}
				}
			case ft == reflect.TypeOf(json.RawMessage{}).Elem() && name == "patch": // facts fields only
			case ft.Kind() == reflect.String && ft.Implements(labelled):
			case ft.Kind() == reflect.String && plainStrings[name]:
			case ft.Kind() == reflect.String && strings.HasPrefix(event, "provider.") && providerStrings[name]:
			case ft.Kind() == reflect.Struct && strings.HasPrefix(event, "provider."):
				check(event, ft)
			default:
				t.Errorf("%s.%s (%v) is not categorical", event, name, fl.Type)
			}
		}
	}
	for _, f := range samples() {
		check(f.EventName(), reflect.TypeOf(f))
	}
}
