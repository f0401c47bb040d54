package domain

import "testing"

var (
	contactID      = tid(200)
	partnerID      = tid(201)
	treatmentCase  = tid(202)
	partnerKey     = PersonKey(partnerID)
	offered        = PartnerContactOffered{TreatmentCaseID: treatmentCase, PartnerID: partnerID, ChildrenInContact: 2}
	consentGiven   = ConsentRecorded{Status: ConsentGiven, SignedOn: day("2026-02-01"), HasDocument: true}
	reached        = PartnerApproached{Channel: ChannelPhone, Outcome: ApproachReached, On: day("2026-02-03")}
	notReached     = PartnerApproached{Channel: ChannelLetter, Outcome: ApproachNotReached, On: day("2026-02-02")}
	declined       = PartnerResponded{Accepted: false}
	withConsent    = []any{offered, consentGiven}
	risk           = AssessPartnerRisk{Instrument: InstrFredaDanger, Level: RiskMedium, Concerns: ConcernPartner, AssessedOn: day("2026-02-05"), Summary: "Rädd"}
	safety         = PlanPartnerSafety{For: ConcernChild, MadeOn: day("2026-02-05"), Plan: "Skolan vet"}
	signal         = ShareSignal{Category: SignalIncreasedFear, Side: SidePartnerContact}
	approach       = RecordApproach{Channel: ChannelSMS, Outcome: ApproachReached, On: day("2026-02-04")}
	endContact     = EndPartnerContact{Reason: "Behandlingen avslutad", EndedOn: day("2026-06-01")}
	consentWithdrn = ConsentRecorded{Status: ConsentWithdrawn, SignedOn: day("2026-03-01")}
)

func contactGiven(t *testing.T, evs ...any) *spec[PartnerContact] {
	return given(t, PartnerContactDecider(), contactID, evs...)
}

func TestOfferPartnerContact(t *testing.T) {
	cmd := OfferPartnerContact{
		TreatmentCaseID: treatmentCase, Partner: PartnerDetails{Name: "Eva", Phone: "070"}, ChildrenInContact: 2, PartnerID: partnerID,
	}
	// The partner's identity lives on the partner's person, not here.
	contactGiven(t).when(cmd).then(Event{Facts: offered})
	if reg := cmd.RegisterPartner(); reg.Name != "Eva" || reg.Sex != SexUnknown || reg.Validate() != nil {
		t.Fatalf("register partner: %+v", reg)
	}
	contactGiven(t, offered).when(cmd).thenRule("already-exists")
	contactGiven(t).when(OfferPartnerContact{ChildrenInContact: -1}).
		thenInvalid("treatment_case_id", "partner.name", "children_in_contact", "partner_id")
	contactGiven(t).when(RecordResponse{Accepted: true}).thenRule("not-found")
}

func TestRecordConsent(t *testing.T) {
	r := contactGiven(t, offered).when(RecordConsent{Status: ConsentGiven, SignedOn: day("2026-02-01"), Document: "Undertecknat"}).
		then(Event{Facts: consentGiven, Personal: ConsentDocument{"Undertecknat"}, SealWith: ConsentKey(contactID)})
	if s := r.after(); s.Consent != ConsentGiven || !s.ConsentDocument {
		t.Fatalf("state: %+v", s)
	}
	contactGiven(t, offered).when(RecordConsent{Status: ConsentRefused, SignedOn: day("2026-02-01")}).
		then(Event{Facts: ConsentRecorded{Status: ConsentRefused, SignedOn: day("2026-02-01")}})
	contactGiven(t, offered).when(RecordConsent{Status: ConsentGiven, SignedOn: day("2026-02-01")}).thenInvalid("document")
	contactGiven(t, offered).when(RecordConsent{Status: "maybe"}).thenInvalid("status", "signed_on")
	contactGiven(t, offered).when(RecordConsent{Status: ConsentWithdrawn, SignedOn: day("2026-02-01")}).thenRule("consent-not-given")
	contactGiven(t, withConsent...).when(RecordConsent{Status: ConsentWithdrawn, SignedOn: day("2026-03-01")}).
		thenFacts(consentWithdrn)
}

func TestPartnerContactNeedsConsent(t *testing.T) {
	for _, cmd := range []Command{approach, RecordResponse{Accepted: true}, risk, safety, signal} {
		contactGiven(t, offered).when(cmd).thenRule("consent-required")
		contactGiven(t, offered, ConsentRecorded{Status: ConsentRefused, SignedOn: day("2026-02-01")}).when(cmd).thenRule("consent-required")
	}
}

func TestAfterConsentWithdrawnOnlyEnding(t *testing.T) {
	h := append(append([]any{}, withConsent...), reached, consentWithdrn)
	for _, cmd := range []Command{
		approach, RecordResponse{Accepted: true}, risk, safety, signal,
		ChangeTreatmentStatus{Status: TreatmentDroppedOut}, ReportNewViolence{ReportedOn: day("2026-03-02")},
		RecordException{Reason: ExceptionAbroad}, RecordConsent{Status: ConsentGiven, SignedOn: day("2026-03-02"), Document: "x"},
	} {
		contactGiven(t, h...).when(cmd).thenRule("consent-withdrawn")
	}
	contactGiven(t, h...).when(endContact).thenFacts(PartnerContactEnded{EndedOn: day("2026-06-01"), ConsentDocumentDestroyed: true})
}

func TestRecordApproach(t *testing.T) {
	contactGiven(t, withConsent...).when(approach).
		then(Event{Facts: PartnerApproached{Channel: ChannelSMS, Outcome: ApproachReached, On: day("2026-02-04")}})
	contactGiven(t, offered, consentGiven, ExceptionRecorded{Reason: ExceptionProtectedHousing}).when(approach).
		thenRule("contact-exception")
	contactGiven(t, withConsent...).when(RecordApproach{Channel: "pigeon", Outcome: "maybe"}).thenInvalid("channel", "outcome", "on")
}

func TestRecordResponse(t *testing.T) {
	r := contactGiven(t, offered, consentGiven, reached).when(RecordResponse{Accepted: true}).
		then(Event{Facts: PartnerResponded{Accepted: true}})
	if s := r.after(); !s.Accepted || !s.Reached {
		t.Fatalf("state: %+v", s)
	}
	contactGiven(t, withConsent...).when(RecordResponse{Accepted: true}).thenRule("response-requires-reached-approach")
	contactGiven(t, offered, consentGiven, notReached).when(RecordResponse{Accepted: true}).
		thenRule("response-requires-reached-approach")
	t.Run("a decline leaves the offer open", func(t *testing.T) {
		afterDecline := []any{offered, consentGiven, reached, declined}
		// A new answer needs a new reached approach...
		contactGiven(t, afterDecline...).when(RecordResponse{Accepted: true}).thenRule("response-requires-reached-approach")
		// ...which may be made, and then accepted.
		contactGiven(t, afterDecline...).when(approach).thenFacts(PartnerApproached{Channel: ChannelSMS, Outcome: ApproachReached, On: day("2026-02-04")})
		r := contactGiven(t, append(afterDecline, reached)...).when(RecordResponse{Accepted: true}).
			thenFacts(PartnerResponded{Accepted: true})
		if s := r.after(); !s.Accepted || s.Declines != 1 {
			t.Fatalf("state: %+v", s)
		}
	})
}

func TestAssessPartnerRisk(t *testing.T) {
	contactGiven(t, withConsent...).when(risk).then(Event{
		Facts:    PartnerRiskAssessed{Instrument: InstrFredaDanger, Level: RiskMedium, Concerns: ConcernPartner, AssessedOn: day("2026-02-05")},
		Personal: SummaryText{"Rädd"}, SealWith: partnerKey,
	})
	contactGiven(t, withConsent...).when(AssessPartnerRisk{Instrument: InstrSAM, Level: RiskLow, Concerns: ConcernAdult}).
		thenInvalid("concerns", "assessed_on")
}

func TestPlanPartnerSafety(t *testing.T) {
	contactGiven(t, withConsent...).when(safety).then(Event{
		Facts: PartnerSafetyPlanned{For: ConcernChild, MadeOn: day("2026-02-05")}, Personal: PlanText{"Skolan vet"}, SealWith: partnerKey,
	})
	contactGiven(t, withConsent...).when(PlanPartnerSafety{For: ConcernAdult}).thenInvalid("for", "made_on", "plan")
}

func TestShareSignal(t *testing.T) {
	r := contactGiven(t, withConsent...).when(signal).then(Event{Facts: SignalShared{Category: SignalIncreasedFear, Side: SidePartnerContact}})
	if s := r.after(); len(s.Signals) != 1 {
		t.Fatalf("signal not in state")
	}
	contactGiven(t, withConsent...).when(ShareSignal{Category: "gossip"}).thenInvalid("category", "side")
}

func TestTreatmentStatusNewViolenceException(t *testing.T) {
	// Neither needs consent: the treatment side records its own status.
	contactGiven(t, offered).when(ChangeTreatmentStatus{Status: TreatmentOngoing}).
		then(Event{Facts: TreatmentStatusChanged{Status: TreatmentOngoing}})
	contactGiven(t, offered).when(ChangeTreatmentStatus{Status: "paused"}).thenInvalid("status")
	contactGiven(t, withConsent...).when(ReportNewViolence{ReportedOn: day("2026-03-01"), ChildrenAffected: true}).
		then(Event{Facts: NewViolenceReported{ReportedOn: day("2026-03-01"), ChildrenAffected: true}})
	contactGiven(t, withConsent...).when(ReportNewViolence{}).thenInvalid("reported_on")
	r := contactGiven(t, offered).when(RecordException{Reason: ExceptionControllingPattern}).
		then(Event{Facts: ExceptionRecorded{Reason: ExceptionControllingPattern}})
	if r.after().Exception != ExceptionControllingPattern {
		t.Fatal("exception not in state")
	}
	contactGiven(t, offered).when(RecordException{Reason: "busy"}).thenInvalid("reason")
}

func TestEndPartnerContact(t *testing.T) {
	contactGiven(t, withConsent...).when(endContact).then(Event{
		Facts:    PartnerContactEnded{EndedOn: day("2026-06-01"), ConsentDocumentDestroyed: true},
		Personal: ReasonText{"Behandlingen avslutad"}, SealWith: partnerKey,
	})
	// No document was ever recorded: nothing to destroy.
	contactGiven(t, offered, ConsentRecorded{Status: ConsentRefused, SignedOn: day("2026-02-01")}).when(endContact).
		thenFacts(PartnerContactEnded{EndedOn: day("2026-06-01"), ConsentDocumentDestroyed: false})
	// A document recorded once is destroyed even after a later refusal without one.
	contactGiven(t, offered, consentGiven, ConsentRecorded{Status: ConsentRefused, SignedOn: day("2026-02-02")}).when(endContact).
		thenFacts(PartnerContactEnded{EndedOn: day("2026-06-01"), ConsentDocumentDestroyed: true})
	contactGiven(t, withConsent...).when(EndPartnerContact{}).thenInvalid("reason", "ended_on")

	ended := append(append([]any{}, withConsent...), PartnerContactEnded{EndedOn: day("2026-06-01"), ConsentDocumentDestroyed: true})
	for _, cmd := range []Command{approach, endContact, ChangeTreatmentStatus{Status: TreatmentCompleted}, RecordConsent{Status: ConsentGiven, SignedOn: day("2026-07-01"), Document: "x"}} {
		contactGiven(t, ended...).when(cmd).thenRule("contact-ended")
	}
}
