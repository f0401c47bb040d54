package domain

import "fmt"

// PartnerSide is the partner side's record of a partner contact
// (partnerkontaktsidan): every contact with the partner, and what crossed
// from the treatment side.
type PartnerSide struct {
	ID ID
	// Version counts this side's events only, those of an old single
	// record included (LegacyPartnerSide).
	Version           uint64
	Exists            bool
	TreatmentCaseID   ID
	PartnerID         ID
	ChildrenInContact int

	Consent ConsentStatus // as the treatment side's record said it, crossed

	Approaches     int
	Reached        bool // some approach reached the partner
	PendingReached bool // a reached approach not yet answered
	Accepted       bool // the latest response
	Declines       int  // responses that declined (any response: Accepted || Declines > 0)

	Exception       ContactException // "" when none
	TreatmentStatus TreatmentStatus
	RiskAssessments []PartnerRiskAssessed
	SafetyPlans     int
	Signals         []SignalShared // received from the treatment side
	NewViolence     []NewViolenceReported
	// ConcernsReported counts the reports of concern made after new
	// violence with children affected (partner_contact_concern.go).
	ConcernsReported int

	Ended   bool
	EndedOn Date
}

// PartnerSideDecider is the partner side's record as an aggregate. base is
// the state its events fold onto: PartnerSide{} for a contact opened with
// a partner-side record, or LegacyPartnerSide of an old single record.
func PartnerSideDecider(base PartnerSide) Decider[PartnerSide] {
	return Decider[PartnerSide]{
		Kind: KindPartnerSide,
		Initial: func(id ID) PartnerSide {
			if base.ID == id {
				return base
			}
			return PartnerSide{ID: id}
		},
		Decide: decidePartnerSide,
		Evolve: evolvePartnerSide,
	}
}

// onLegacyPartnerSide reports whether an event stored on a partner_contact
// record belongs to the partner side because it was written on the single
// record both sides read before the split: the offer, the consent, the
// treatment status and the end as that code wrote them (schema 1), every
// partner-side event, and the signals the treatment side sent.
func onLegacyPartnerSide(ev Recorded) bool {
	switch f := ev.Facts.(type) {
	case PartnerContactOffered, PartnerApproached, PartnerResponded, PartnerRiskAssessed, PartnerSafetyPlanned,
		NewViolenceReported, ExceptionRecorded:
		return true
	case ConsentRecorded, TreatmentStatusChanged, PartnerContactEnded:
		return ev.Schema == 1
	case SignalShared:
		return f.Side == SideTreatment
	}
	return false
}

// LegacyPartnerSide folds the partner side out of a partner_contact
// record's events: for a contact written before the split, the base its
// partner-side record's events fold onto. For a contact written after, it
// holds the offer only, which its partner-side record's opening repeats.
func LegacyPartnerSide(id ID, treatmentRecord []Recorded) PartnerSide {
	s := PartnerSide{ID: id}
	for _, ev := range treatmentRecord {
		if onLegacyPartnerSide(ev) {
			s = evolvePartnerSide(s, ev)
		}
	}
	return s
}

func decidePartnerSide(s PartnerSide, cmd Command) ([]Event, error) {
	cmd = deref(cmd)
	switch cmd.(type) {
	case OpenPartnerSide, RecordApproach, RecordResponse, AssessPartnerRisk, PlanPartnerSafety, ReportNewViolence,
		RecordException, ShareSignal, ReceiveSignal, ReceiveException, NoteTreatmentSide, ReportConcern:
	default:
		return nil, fmt.Errorf("partner contact, partner side: %w %T", ErrUnknownCommand, cmd)
	}
	if err := validate(cmd); err != nil {
		return nil, err
	}
	if c, creates := cmd.(OpenPartnerSide); creates {
		if s.Exists {
			return nil, ruleErr("already-exists", "partner contact %s already exists", s.ID)
		}
		return []Event{{Facts: PartnerSideOpened{
			TreatmentCaseID: c.TreatmentCaseID, PartnerID: c.PartnerID, ChildrenInContact: c.ChildrenInContact,
		}}}, nil
	}
	if !s.Exists {
		return nil, ruleErr("not-found", "no partner contact %s", s.ID)
	}
	if c, ok := cmd.(ReportConcern); ok {
		return decideConcern(s, c)
	}
	// What crosses from the treatment side is recorded whatever this side's
	// state: a refusal would tell the treatment side about this side.
	switch c := cmd.(type) {
	case ReceiveSignal:
		if c.From != SideTreatment {
			return nil, ruleErr("signal-from-own-side", "the partner side receives signals from the treatment side only")
		}
		return []Event{{Facts: SignalShared{Category: c.Category, Side: c.From}}}, nil
	case ReceiveException:
		if s.Exception == c.Reason {
			return nil, nil
		}
		return []Event{{Facts: ExceptionRecorded{Reason: c.Reason}}}, nil
	case NoteTreatmentSide:
		var evs []Event
		if c.Consent != "" && c.Consent != s.Consent {
			evs = append(evs, Event{Facts: ConsentNoted{Status: c.Consent}})
		}
		if c.TreatmentStatus != "" && c.TreatmentStatus != s.TreatmentStatus {
			evs = append(evs, Event{Facts: TreatmentStatusChanged{Status: c.TreatmentStatus}})
		}
		if c.Ended && !s.Ended {
			evs = append(evs, Event{Facts: PartnerContactEnded{EndedOn: c.EndedOn}})
		}
		return evs, nil
	}
	if err := contactOpen(s.ID, s.Exists, s.Ended, s.EndedOn, s.Consent, false); err != nil {
		return nil, err
	}
	partner := func(f Facts, personal any) []Event {
		return []Event{{Facts: f, Personal: personal, SealWith: PersonKey(s.PartnerID)}}
	}

	switch c := cmd.(type) {
	case RecordApproach:
		if err := needConsent(s.Consent); err != nil {
			return nil, err
		}
		if s.Exception != "" {
			return nil, ruleErr("contact-exception", "the partner is not to be contacted (%s)", s.Exception)
		}
		return []Event{{Facts: PartnerApproached{Channel: c.Channel, Outcome: c.Outcome, On: c.On}}}, nil

	case RecordResponse:
		if err := needConsent(s.Consent); err != nil {
			return nil, err
		}
		if !s.PendingReached {
			return nil, ruleErr("response-requires-reached-approach", "record an approach that reached the partner first")
		}
		return []Event{{Facts: PartnerResponded{Accepted: c.Accepted}}}, nil

	case AssessPartnerRisk:
		if err := needConsent(s.Consent); err != nil {
			return nil, err
		}
		f := PartnerRiskAssessed{Instrument: c.Instrument, Level: c.Level, Concerns: c.Concerns, AssessedOn: c.AssessedOn}
		return partner(f, SummaryText{c.Summary}), nil

	case PlanPartnerSafety:
		if err := needConsent(s.Consent); err != nil {
			return nil, err
		}
		return partner(PartnerSafetyPlanned{For: c.For, MadeOn: c.MadeOn}, PlanText{c.Plan}), nil

	case ShareSignal:
		// Recorded on the treatment side's record only (ReceiveSignal).
		if c.Side != SidePartnerContact {
			return nil, ruleErr("wrong-side", "the partner side shares signals as the partner side")
		}
		return nil, needConsent(s.Consent)

	case ReportNewViolence:
		return []Event{{Facts: NewViolenceReported{ReportedOn: c.ReportedOn, ChildrenAffected: c.ChildrenAffected}}}, nil

	case RecordException:
		return []Event{{Facts: ExceptionRecorded{Reason: c.Reason}}}, nil
	}
	return nil, fmt.Errorf("partner contact, partner side: %w %T", ErrUnknownCommand, cmd)
}

func evolvePartnerSide(s PartnerSide, ev Recorded) PartnerSide {
	s.Version++
	switch f := ev.Facts.(type) {
	case PartnerContactOffered:
		s.Exists = true
		s.TreatmentCaseID, s.PartnerID, s.ChildrenInContact = f.TreatmentCaseID, f.PartnerID, f.ChildrenInContact
	case PartnerSideOpened:
		s.Exists = true
		s.TreatmentCaseID, s.PartnerID, s.ChildrenInContact = f.TreatmentCaseID, f.PartnerID, f.ChildrenInContact
	case ConsentRecorded: // an old single record's
		s.Consent = f.Status
	case ConsentNoted:
		s.Consent = f.Status
	case PartnerApproached:
		s.Approaches++
		if f.Outcome == ApproachReached {
			s.Reached, s.PendingReached = true, true
		}
	case PartnerResponded:
		s.Accepted, s.PendingReached = f.Accepted, false
		if !f.Accepted {
			s.Declines++
		}
	case PartnerRiskAssessed:
		s.RiskAssessments = append(s.RiskAssessments, f)
	case PartnerSafetyPlanned:
		s.SafetyPlans++
	case TreatmentStatusChanged:
		s.TreatmentStatus = f.Status
	case SignalShared:
		s.Signals = append(s.Signals, f)
	case NewViolenceReported:
		s.NewViolence = append(s.NewViolence, f)
	case ConcernReported:
		s.ConcernsReported++
	case ExceptionRecorded:
		s.Exception = f.Reason
	case PartnerContactEnded:
		s.Ended, s.EndedOn = true, f.EndedOn
	}
	return s
}
