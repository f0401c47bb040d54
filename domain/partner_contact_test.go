package domain

import (
	"testing"
)

var (
	contactID      = tid(200)
	partnerID      = tid(201)
	treatmentCase  = tid(202)
	partnerKey     = PersonKey(partnerID)
	offered        = PartnerContactOffered{TreatmentCaseID: treatmentCase, PartnerID: partnerID, ChildrenInContact: 2}
	sideOpened     = PartnerSideOpened{TreatmentCaseID: treatmentCase, PartnerID: partnerID, ChildrenInContact: 2}
	consentGiven   = ConsentRecorded{Status: ConsentGiven, SignedOn: day("2026-02-01"), HasDocument: true}
	consentWithdrn = ConsentRecorded{Status: ConsentWithdrawn, SignedOn: day("2026-03-01")}
	notedGiven     = ConsentNoted{Status: ConsentGiven}
	notedWithdrawn = ConsentNoted{Status: ConsentWithdrawn}
	reached        = PartnerApproached{Channel: ChannelPhone, Outcome: ApproachReached, On: day("2026-02-03")}
	notReached     = PartnerApproached{Channel: ChannelLetter, Outcome: ApproachNotReached, On: day("2026-02-02")}
	declined       = PartnerResponded{Accepted: false}
	withConsent    = []any{offered, consentGiven}
	partnerReady   = []any{sideOpened, notedGiven}
	risk           = AssessPartnerRisk{Instrument: InstrFredaDanger, Level: RiskMedium, Concerns: ConcernPartner, AssessedOn: day("2026-02-05"), Summary: "Rädd"}
	safety         = PlanPartnerSafety{For: ConcernChild, MadeOn: day("2026-02-05"), Plan: "Skolan vet"}
	partnerSignal  = ShareSignal{Category: SignalIncreasedFear, Side: SidePartnerContact}
	treatSignal    = ShareSignal{Category: SignalEscalation, Side: SideTreatment}
	approach       = RecordApproach{Channel: ChannelSMS, Outcome: ApproachReached, On: day("2026-02-04")}
	endContact     = EndPartnerContact{Reason: "Behandlingen avslutad", EndedOn: day("2026-06-01")}
)

func treatmentGiven(t *testing.T, evs ...any) *spec[TreatmentSide] {
	return given(t, TreatmentSideDecider(), contactID, evs...)
}

func partnerGiven(t *testing.T, evs ...any) *spec[PartnerSide] {
	return given(t, PartnerSideDecider(PartnerSide{}), contactID, evs...)
}

// legacy is an event as the code before the split stored it (schema 1 of
// the types whose schema changed; the others were 1 all along).
func legacy(f Facts) Recorded { return Recorded{Facts: f, Schema: 1} }

func TestOfferPartnerContact(t *testing.T) {
	cmd := OfferPartnerContact{
		TreatmentCaseID: treatmentCase, Partner: PartnerDetails{Name: "Eva", Phone: "070"}, ChildrenInContact: 2, PartnerID: partnerID,
	}
	// The partner's identity lives on the partner's person, not here.
	treatmentGiven(t).when(cmd).then(Event{Facts: offered})
	if reg := cmd.RegisterPartner(); reg.Name != "Eva" || reg.Sex != SexUnknown || reg.Validate() != nil {
		t.Fatalf("register partner: %+v", reg)
	}
	treatmentGiven(t, offered).when(cmd).thenRule("already-exists")
	treatmentGiven(t).when(OfferPartnerContact{ChildrenInContact: -1}).
		thenInvalid("treatment_case_id", "partner.name", "children_in_contact", "partner_id")
	treatmentGiven(t).when(ChangeTreatmentStatus{Status: TreatmentOngoing}).thenRule("not-found")

	open := OpenPartnerSide{TreatmentCaseID: treatmentCase, PartnerID: partnerID, ChildrenInContact: 2}
	partnerGiven(t).when(open).then(Event{Facts: sideOpened})
	partnerGiven(t, sideOpened).when(open).thenRule("already-exists")
	partnerGiven(t).when(OpenPartnerSide{ChildrenInContact: -1}).thenInvalid("treatment_case_id", "partner_id", "children_in_contact")
	partnerGiven(t).when(RecordResponse{Accepted: true}).thenRule("not-found")
	partnerGiven(t).when(ReceiveSignal{Category: SignalEscalation, From: SideTreatment}).thenRule("not-found")
}

func TestRecordConsent(t *testing.T) {
	r := treatmentGiven(t, offered).when(RecordConsent{Status: ConsentGiven, SignedOn: day("2026-02-01"), Document: "Undertecknat"}).
		then(Event{Facts: consentGiven, Personal: ConsentDocument{"Undertecknat"}, SealWith: ConsentKey(contactID)})
	if s := r.after(); s.Consent != ConsentGiven || !s.ConsentDocument || s.Version != 2 {
		t.Fatalf("state: %+v", s)
	}
	treatmentGiven(t, offered).when(RecordConsent{Status: ConsentRefused, SignedOn: day("2026-02-01")}).
		then(Event{Facts: ConsentRecorded{Status: ConsentRefused, SignedOn: day("2026-02-01")}})
	treatmentGiven(t, offered).when(RecordConsent{Status: ConsentGiven, SignedOn: day("2026-02-01")}).thenInvalid("document")
	treatmentGiven(t, offered).when(RecordConsent{Status: "maybe"}).thenInvalid("status", "signed_on")
	treatmentGiven(t, offered).when(RecordConsent{Status: ConsentWithdrawn, SignedOn: day("2026-02-01")}).thenRule("consent-not-given")
	treatmentGiven(t, withConsent...).when(RecordConsent{Status: ConsentWithdrawn, SignedOn: day("2026-03-01")}).
		thenFacts(consentWithdrn)
}

func TestPartnerSideNeedsConsentCrossed(t *testing.T) {
	for _, cmd := range []Command{approach, RecordResponse{Accepted: true}, risk, safety, partnerSignal} {
		partnerGiven(t, sideOpened).when(cmd).thenRule("consent-required")
		partnerGiven(t, sideOpened, ConsentNoted{Status: ConsentRefused}).when(cmd).thenRule("consent-required")
	}
	treatmentGiven(t, offered).when(treatSignal).thenRule("consent-required")
}

func TestAfterConsentWithdrawnOnlyEnding(t *testing.T) {
	h := append(append([]any{}, withConsent...), consentWithdrn)
	for _, cmd := range []Command{
		treatSignal, ChangeTreatmentStatus{Status: TreatmentDroppedOut}, RecordException{Reason: ExceptionAbroad},
		RecordConsent{Status: ConsentGiven, SignedOn: day("2026-03-02"), Document: "x"},
	} {
		treatmentGiven(t, h...).when(cmd).thenRule("consent-withdrawn")
	}
	treatmentGiven(t, h...).when(endContact).thenFacts(PartnerContactEnded{EndedOn: day("2026-06-01"), ConsentDocumentDestroyed: true})

	p := append(append([]any{}, partnerReady...), reached, notedWithdrawn)
	for _, cmd := range []Command{approach, RecordResponse{Accepted: true}, risk, safety, partnerSignal,
		ReportNewViolence{ReportedOn: day("2026-03-02")}, RecordException{Reason: ExceptionAbroad}} {
		partnerGiven(t, p...).when(cmd).thenRule("consent-withdrawn")
	}
}

func TestRecordApproach(t *testing.T) {
	partnerGiven(t, partnerReady...).when(approach).
		then(Event{Facts: PartnerApproached{Channel: ChannelSMS, Outcome: ApproachReached, On: day("2026-02-04")}})
	partnerGiven(t, sideOpened, notedGiven, ExceptionRecorded{Reason: ExceptionProtectedHousing}).when(approach).
		thenRule("contact-exception")
	partnerGiven(t, partnerReady...).when(RecordApproach{Channel: "pigeon", Outcome: "maybe"}).thenInvalid("channel", "outcome", "on")
}

func TestRecordResponse(t *testing.T) {
	r := partnerGiven(t, sideOpened, notedGiven, reached).when(RecordResponse{Accepted: true}).
		then(Event{Facts: PartnerResponded{Accepted: true}})
	if s := r.after(); !s.Accepted || !s.Reached {
		t.Fatalf("state: %+v", s)
	}
	partnerGiven(t, partnerReady...).when(RecordResponse{Accepted: true}).thenRule("response-requires-reached-approach")
	partnerGiven(t, sideOpened, notedGiven, notReached).when(RecordResponse{Accepted: true}).
		thenRule("response-requires-reached-approach")
	t.Run("a decline leaves the offer open", func(t *testing.T) {
		afterDecline := []any{sideOpened, notedGiven, reached, declined}
		partnerGiven(t, afterDecline...).when(RecordResponse{Accepted: true}).thenRule("response-requires-reached-approach")
		partnerGiven(t, afterDecline...).when(approach).thenFacts(PartnerApproached{Channel: ChannelSMS, Outcome: ApproachReached, On: day("2026-02-04")})
		r := partnerGiven(t, append(afterDecline, reached)...).when(RecordResponse{Accepted: true}).
			thenFacts(PartnerResponded{Accepted: true})
		if s := r.after(); !s.Accepted || s.Declines != 1 {
			t.Fatalf("state: %+v", s)
		}
	})
}

func TestAssessPartnerRisk(t *testing.T) {
	partnerGiven(t, partnerReady...).when(risk).then(Event{
		Facts:    PartnerRiskAssessed{Instrument: InstrFredaDanger, Level: RiskMedium, Concerns: ConcernPartner, AssessedOn: day("2026-02-05")},
		Personal: SummaryText{"Rädd"}, SealWith: partnerKey,
	})
	partnerGiven(t, partnerReady...).when(AssessPartnerRisk{Instrument: InstrSAM, Level: RiskLow, Concerns: ConcernAdult}).
		thenInvalid("concerns", "assessed_on")
}

func TestPlanPartnerSafety(t *testing.T) {
	partnerGiven(t, partnerReady...).when(safety).then(Event{
		Facts: PartnerSafetyPlanned{For: ConcernChild, MadeOn: day("2026-02-05")}, Personal: PlanText{"Skolan vet"}, SealWith: partnerKey,
	})
	partnerGiven(t, partnerReady...).when(PlanPartnerSafety{For: ConcernAdult}).thenInvalid("for", "made_on", "plan")
}

// A signal changes nothing on the sender's record: the sender's decider
// only checks its rules; the receiver's record records it, whatever its
// own state (a refusal there would tell the sender about the other side).
func TestSignalsCrossToTheReceiverOnly(t *testing.T) {
	partnerGiven(t, partnerReady...).when(partnerSignal).then()
	treatmentGiven(t, withConsent...).when(treatSignal).then()
	treatmentGiven(t, withConsent...).when(partnerSignal).thenRule("wrong-side")
	partnerGiven(t, partnerReady...).when(treatSignal).thenRule("wrong-side")
	partnerGiven(t, partnerReady...).when(ShareSignal{Category: "gossip"}).thenInvalid("category", "side")

	ended := PartnerContactEnded{EndedOn: day("2026-06-01")}
	r := treatmentGiven(t, offered, consentWithdrn, ended).when(ReceiveSignal{Category: SignalIncreasedFear, From: SidePartnerContact}).
		then(Event{Facts: SignalShared{Category: SignalIncreasedFear, Side: SidePartnerContact}})
	if s := r.after(); len(s.Signals) != 1 || s.Version != 4 {
		t.Fatalf("state: %+v", s)
	}
	partnerGiven(t, sideOpened, notedWithdrawn, ended).when(ReceiveSignal{Category: SignalEscalation, From: SideTreatment}).
		thenFacts(SignalShared{Category: SignalEscalation, Side: SideTreatment})
	treatmentGiven(t, offered).when(ReceiveSignal{Category: SignalEscalation, From: SideTreatment}).thenRule("signal-from-own-side")
	partnerGiven(t, sideOpened).when(ReceiveSignal{Category: SignalEscalation, From: SidePartnerContact}).thenRule("signal-from-own-side")
}

func TestExceptions(t *testing.T) {
	// The partner side records its own; the treatment side's crosses.
	r := partnerGiven(t, sideOpened).when(RecordException{Reason: ExceptionControllingPattern}).
		then(Event{Facts: ExceptionRecorded{Reason: ExceptionControllingPattern}})
	if r.after().Exception != ExceptionControllingPattern {
		t.Fatal("exception not in state")
	}
	partnerGiven(t, sideOpened).when(RecordException{Reason: "busy"}).thenInvalid("reason")
	treatmentGiven(t, offered).when(RecordException{Reason: ExceptionControllingPattern}).then()
	treatmentGiven(t, offered, PartnerContactEnded{EndedOn: day("2026-06-01")}).when(RecordException{Reason: ExceptionAbroad}).thenRule("contact-ended")
	partnerGiven(t, sideOpened, PartnerContactEnded{EndedOn: day("2026-06-01")}).when(ReceiveException{Reason: ExceptionAbroad}).
		thenFacts(ExceptionRecorded{Reason: ExceptionAbroad})
	partnerGiven(t, sideOpened, ExceptionRecorded{Reason: ExceptionAbroad}).when(ReceiveException{Reason: ExceptionAbroad}).then()
}

func TestTreatmentStatusAndNewViolence(t *testing.T) {
	// Neither needs consent: the treatment side records its own status.
	treatmentGiven(t, offered).when(ChangeTreatmentStatus{Status: TreatmentOngoing}).
		then(Event{Facts: TreatmentStatusChanged{Status: TreatmentOngoing}})
	treatmentGiven(t, offered).when(ChangeTreatmentStatus{Status: "paused"}).thenInvalid("status")
	partnerGiven(t, partnerReady...).when(ReportNewViolence{ReportedOn: day("2026-03-01"), ChildrenAffected: true}).
		then(Event{Facts: NewViolenceReported{ReportedOn: day("2026-03-01"), ChildrenAffected: true}})
	partnerGiven(t, partnerReady...).when(ReportNewViolence{}).thenInvalid("reported_on")
}

// NoteTreatmentSide records on the partner side what differs from the
// treatment side's record, and nothing when nothing does: a renewed
// consent or a repeated status does not move the partner side's version.
func TestNoteTreatmentSide(t *testing.T) {
	partnerGiven(t, sideOpened).when(NoteTreatmentSide{Consent: ConsentGiven, TreatmentStatus: TreatmentOngoing}).
		thenFacts(notedGiven, TreatmentStatusChanged{Status: TreatmentOngoing})
	partnerGiven(t, sideOpened, notedGiven, TreatmentStatusChanged{Status: TreatmentOngoing}).
		when(NoteTreatmentSide{Consent: ConsentGiven, TreatmentStatus: TreatmentOngoing}).then()
	partnerGiven(t, sideOpened).when(NoteTreatmentSide{}).then()
	partnerGiven(t, sideOpened, notedGiven).when(NoteTreatmentSide{Consent: ConsentWithdrawn}).thenFacts(notedWithdrawn)
	partnerGiven(t, sideOpened, notedGiven).when(NoteTreatmentSide{Consent: ConsentGiven, Ended: true, EndedOn: day("2026-06-01")}).
		then(Event{Facts: PartnerContactEnded{EndedOn: day("2026-06-01")}})
	partnerGiven(t, sideOpened, PartnerContactEnded{EndedOn: day("2026-06-01")}).
		when(NoteTreatmentSide{Ended: true, EndedOn: day("2026-06-01")}).then()
	partnerGiven(t, sideOpened).when(NoteTreatmentSide{Consent: "maybe", Ended: true}).thenInvalid("consent", "ended_on")

	s := treatmentGiven(t, withConsent...).state()
	if got := s.Crossing(); got != (NoteTreatmentSide{Consent: ConsentGiven}) {
		t.Fatalf("crossing: %+v", got)
	}
}

func TestEndPartnerContact(t *testing.T) {
	treatmentGiven(t, withConsent...).when(endContact).then(Event{
		Facts:    PartnerContactEnded{EndedOn: day("2026-06-01"), ConsentDocumentDestroyed: true},
		Personal: ReasonText{"Behandlingen avslutad"}, SealWith: partnerKey,
	})
	// No document was ever recorded: nothing to destroy.
	treatmentGiven(t, offered, ConsentRecorded{Status: ConsentRefused, SignedOn: day("2026-02-01")}).when(endContact).
		thenFacts(PartnerContactEnded{EndedOn: day("2026-06-01"), ConsentDocumentDestroyed: false})
	// A document recorded once is destroyed even after a later refusal without one.
	treatmentGiven(t, offered, consentGiven, ConsentRecorded{Status: ConsentRefused, SignedOn: day("2026-02-02")}).when(endContact).
		thenFacts(PartnerContactEnded{EndedOn: day("2026-06-01"), ConsentDocumentDestroyed: true})
	treatmentGiven(t, withConsent...).when(EndPartnerContact{}).thenInvalid("reason", "ended_on")

	ended := append(append([]any{}, withConsent...), PartnerContactEnded{EndedOn: day("2026-06-01"), ConsentDocumentDestroyed: true})
	for _, cmd := range []Command{endContact, ChangeTreatmentStatus{Status: TreatmentCompleted}, RecordConsent{Status: ConsentGiven, SignedOn: day("2026-07-01"), Document: "x"}} {
		treatmentGiven(t, ended...).when(cmd).thenRule("contact-ended")
	}
	partnerGiven(t, sideOpened, notedGiven, PartnerContactEnded{EndedOn: day("2026-06-01")}).when(approach).thenRule("contact-ended")
}

// A record written before the split holds both sides' events; each side
// folds its own out of it, with a version that counts only those.
func TestOldSingleRecordReadsAsTwo(t *testing.T) {
	old := []any{
		offered,              // both sides
		legacy(consentGiven), // both (schema 1)
		reached,              // partner
		legacy(TreatmentStatusChanged{Status: TreatmentOngoing}),              // both
		PartnerResponded{Accepted: true},                                      // partner
		SignalShared{Category: SignalIncreasedFear, Side: SidePartnerContact}, // received by the treatment side
		SignalShared{Category: SignalEscalation, Side: SideTreatment},         // received by the partner side
		PartnerRiskAssessed{Instrument: InstrSARA, Level: RiskHigh, Concerns: ConcernPartner, AssessedOn: day("2026-02-05")},
		NewViolenceReported{ReportedOn: day("2026-02-10"), ChildrenAffected: true},
		ExceptionRecorded{Reason: ExceptionAbroad},
	}
	tr := treatmentGiven(t, old...)
	ts := tr.state()
	if ts.Version != 4 || ts.Consent != ConsentGiven || ts.TreatmentStatus != TreatmentOngoing ||
		len(ts.Signals) != 1 || ts.Signals[0].Category != SignalIncreasedFear || !ts.Exists {
		t.Fatalf("treatment side: %+v", ts)
	}
	ps := LegacyPartnerSide(contactID, tr.history)
	if ps.Version != 9 || !ps.Exists || ps.Consent != ConsentGiven || ps.TreatmentStatus != TreatmentOngoing || !ps.Reached ||
		!ps.Accepted || len(ps.RiskAssessments) != 1 || len(ps.NewViolence) != 1 || ps.Exception != ExceptionAbroad ||
		len(ps.Signals) != 1 || ps.Signals[0].Category != SignalEscalation || ps.PartnerID != partnerID {
		t.Fatalf("partner side: %+v", ps)
	}

	// New writes on the old record are the treatment side's only (schema
	// 2): they move the treatment side's version, not the partner side's.
	more := append(append([]any{}, old...), TreatmentStatusChanged{Status: TreatmentCompleted}, consentWithdrn)
	tr2 := treatmentGiven(t, more...)
	if s := tr2.state(); s.Version != 6 || s.TreatmentStatus != TreatmentCompleted {
		t.Fatalf("treatment side after: %+v", s)
	}
	if ps2 := LegacyPartnerSide(contactID, tr2.history); ps2.Version != 9 || ps2.TreatmentStatus != TreatmentOngoing {
		t.Fatalf("partner side after: %+v", ps2)
	}

	// The partner side's new record folds onto the old one's partner side.
	d := PartnerSideDecider(ps)
	p := given(t, d, contactID, ConsentNoted{Status: ConsentWithdrawn})
	if s := p.state(); s.Version != 10 || s.Consent != ConsentWithdrawn || !s.Reached {
		t.Fatalf("partner side continued: %+v", s)
	}
	p.when(approach).thenRule("consent-withdrawn")

	// A contact written after the split: its old-style record holds the
	// offer only, as the partner side's opening does.
	if ps := LegacyPartnerSide(contactID, treatmentGiven(t, offered, consentGiven, TreatmentStatusChanged{Status: TreatmentOngoing}).history); ps.Version != 1 || ps.Consent != "" {
		t.Fatalf("new contact's partner side from the treatment record: %+v", ps)
	}
}
