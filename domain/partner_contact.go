package domain

import (
	"fmt"
	"time"
)

// PartnerContact is the state of one partner contact, from facts only.
// Fields about the partner's side (Reached, Accepted) must not reach the
// treatment side; the API masks them per reader.
type PartnerContact struct {
	ID                ID
	Version           uint64
	Exists            bool
	TreatmentCaseID   ID
	PartnerID         ID
	ChildrenInContact int

	Consent         ConsentStatus // "" until recorded
	ConsentOn       Date
	ConsentDocument bool // a consent document was recorded at some time

	Approaches     int
	Reached        bool // some approach reached the partner
	PendingReached bool // a reached approach not yet answered
	Responded      bool
	Accepted       bool // the latest response
	Declines       int

	Exception       ContactException // "" when none
	TreatmentStatus TreatmentStatus
	RiskAssessments []PartnerRiskAssessed
	SafetyPlans     int
	Signals         []SignalShared
	NewViolence     []NewViolenceReported
	// ConcernsReported counts reports of concern made after new violence
	// with children affected (partner side only).
	ConcernsReported int

	Ended    bool
	EndedOn  Date
	OpenedAt time.Time
}

// PartnerContactDecider is the PartnerContact aggregate.
func PartnerContactDecider() Decider[PartnerContact] {
	return Decider[PartnerContact]{
		Kind:    KindPartnerContact,
		Initial: func(id ID) PartnerContact { return PartnerContact{ID: id} },
		Decide:  decidePartnerContact,
		Evolve:  evolvePartnerContact,
	}
}

func isPartnerContactCommand(cmd Command) bool {
	switch cmd.(type) {
	case OfferPartnerContact, RecordConsent, RecordApproach, RecordResponse, AssessPartnerRisk,
		PlanPartnerSafety, ChangeTreatmentStatus, ShareSignal, ReportNewViolence, RecordException,
		EndPartnerContact, ReportConcern:
		return true
	}
	return false
}

func decidePartnerContact(s PartnerContact, cmd Command) ([]Event, error) {
	cmd = deref(cmd)
	if !isPartnerContactCommand(cmd) {
		return nil, fmt.Errorf("partner contact: %w %T", ErrUnknownCommand, cmd)
	}
	if err := validate(cmd); err != nil {
		return nil, err
	}
	if c, creates := cmd.(OfferPartnerContact); creates {
		if s.Exists {
			return nil, ruleErr("already-exists", "partner contact %s already exists", s.ID)
		}
		return []Event{{Facts: PartnerContactOffered{
			TreatmentCaseID: c.TreatmentCaseID, PartnerID: c.PartnerID, ChildrenInContact: c.ChildrenInContact,
		}}}, nil
	}
	if !s.Exists {
		return nil, ruleErr("not-found", "no partner contact %s", s.ID)
	}
	if c, ok := cmd.(ReportConcern); ok {
		return decideConcern(s, c)
	}
	if s.Ended {
		return nil, ruleErr("contact-ended", "the partner contact ended on %s", s.EndedOn)
	}
	if _, ending := cmd.(EndPartnerContact); !ending && s.Consent == ConsentWithdrawn {
		return nil, ruleErr("consent-withdrawn", "consent was withdrawn on %s; the contact can only be ended", s.ConsentOn)
	}
	// Contact with the partner needs the consent of the person in treatment.
	needConsent := func() error {
		if s.Consent != ConsentGiven {
			return ruleErr("consent-required", "no consent to partner contact has been given")
		}
		return nil
	}
	partner := func(f Facts, personal any) []Event {
		return []Event{{Facts: f, Personal: personal, SealWith: PersonKey(s.PartnerID)}}
	}

	switch c := cmd.(type) {
	case RecordConsent:
		if c.Status == ConsentWithdrawn && s.Consent != ConsentGiven {
			return nil, ruleErr("consent-not-given", "only a given consent can be withdrawn")
		}
		f := ConsentRecorded{Status: c.Status, SignedOn: c.SignedOn, HasDocument: c.Document != ""}
		if c.Document == "" {
			return []Event{{Facts: f}}, nil
		}
		return []Event{{Facts: f, Personal: ConsentDocument{c.Document}, SealWith: ConsentKey(s.ID)}}, nil

	case RecordApproach:
		if err := needConsent(); err != nil {
			return nil, err
		}
		if s.Exception != "" {
			return nil, ruleErr("contact-exception", "the partner is not to be contacted (%s)", s.Exception)
		}
		return []Event{{Facts: PartnerApproached{Channel: c.Channel, Outcome: c.Outcome, On: c.On}}}, nil

	case RecordResponse:
		if err := needConsent(); err != nil {
			return nil, err
		}
		if !s.PendingReached {
			return nil, ruleErr("response-requires-reached-approach", "record an approach that reached the partner first")
		}
		return []Event{{Facts: PartnerResponded{Accepted: c.Accepted}}}, nil

	case AssessPartnerRisk:
		if err := needConsent(); err != nil {
			return nil, err
		}
		f := PartnerRiskAssessed{Instrument: c.Instrument, Level: c.Level, Concerns: c.Concerns, AssessedOn: c.AssessedOn}
		return partner(f, SummaryText{c.Summary}), nil

	case PlanPartnerSafety:
		if err := needConsent(); err != nil {
			return nil, err
		}
		return partner(PartnerSafetyPlanned{For: c.For, MadeOn: c.MadeOn}, PlanText{c.Plan}), nil

	case ShareSignal:
		if err := needConsent(); err != nil {
			return nil, err
		}
		return []Event{{Facts: SignalShared{Category: c.Category, Side: c.Side}}}, nil

	case ChangeTreatmentStatus:
		return []Event{{Facts: TreatmentStatusChanged{Status: c.Status}}}, nil

	case ReportNewViolence:
		return []Event{{Facts: NewViolenceReported{ReportedOn: c.ReportedOn, ChildrenAffected: c.ChildrenAffected}}}, nil

	case RecordException:
		return []Event{{Facts: ExceptionRecorded{Reason: c.Reason}}}, nil

	case EndPartnerContact:
		f := PartnerContactEnded{EndedOn: c.EndedOn, ConsentDocumentDestroyed: s.ConsentDocument}
		return partner(f, ReasonText{c.Reason}), nil
	}
	return nil, fmt.Errorf("partner contact: %w %T", ErrUnknownCommand, cmd)
}

func evolvePartnerContact(s PartnerContact, ev Recorded) PartnerContact {
	s.Version = ev.Version
	switch f := ev.Facts.(type) {
	case PartnerContactOffered:
		s.Exists, s.OpenedAt = true, ev.RecordedAt
		s.TreatmentCaseID, s.PartnerID, s.ChildrenInContact = f.TreatmentCaseID, f.PartnerID, f.ChildrenInContact
	case ConsentRecorded:
		s.Consent, s.ConsentOn = f.Status, f.SignedOn
		s.ConsentDocument = s.ConsentDocument || f.HasDocument
	case PartnerApproached:
		s.Approaches++
		if f.Outcome == ApproachReached {
			s.Reached, s.PendingReached = true, true
		}
	case PartnerResponded:
		s.Responded, s.Accepted, s.PendingReached = true, f.Accepted, false
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
	case ExceptionRecorded:
		s.Exception = f.Reason
	case ConcernReported:
		s.ConcernsReported++
	case PartnerContactEnded:
		s.Ended, s.EndedOn = true, f.EndedOn
	}
	return s
}
