package domain

import (
	"fmt"
	"time"
)

// A partner contact (partnerkontakt) is two records behind an information
// barrier (DOMAIN.md, partner contact 4; ADR 0200): the treatment side's
// (kind partner_contact) and the partner side's (kind partner_side), both
// under the contact's id. Each has its own version; nothing one side writes
// moves the other's, except what crosses the barrier by design, which is
// recorded as an event on the receiving side's record:
//
//   - from the partner side to the treatment side: shared signals (a
//     category) only;
//   - from the treatment side to the partner side: shared signals, an
//     exception (no contact), and what the partner side needs to act: the
//     consent status, the treatment status (what the partner may be told)
//     and the end of the contact.
//
// Stores written before the split hold one record of kind partner_contact
// with both sides' events; the folds here read it as two (see
// onTreatmentSide and onLegacyPartnerSide), so nothing is rewritten.

// TreatmentSide is the treatment side's record (behandlingssidan): the
// offer, the consent of the person in treatment, the treatment status,
// the signals received from the partner side and the end.
type TreatmentSide struct {
	ID ID
	// Version counts this side's events only (API.md: each side's reads,
	// ETag, If-Match and 412 bodies count only that side's events).
	Version           uint64
	Exists            bool
	TreatmentCaseID   ID
	PartnerID         ID
	ChildrenInContact int

	Consent         ConsentStatus // "" until recorded
	ConsentOn       Date
	ConsentDocument bool // a consent document was recorded at some time

	TreatmentStatus TreatmentStatus
	Signals         []SignalShared // received from the partner side

	Ended    bool
	EndedOn  Date
	OpenedAt time.Time
}

// TreatmentSideDecider is the treatment side's record as an aggregate.
func TreatmentSideDecider() Decider[TreatmentSide] {
	return Decider[TreatmentSide]{
		Kind:    KindPartnerContact,
		Initial: func(id ID) TreatmentSide { return TreatmentSide{ID: id} },
		Decide:  decideTreatmentSide,
		Evolve:  evolveTreatmentSide,
	}
}

// onTreatmentSide reports whether an event stored on a partner_contact
// record belongs to the treatment side. The others are partner-side
// events of a record written before the split.
func onTreatmentSide(ev Recorded) bool {
	switch f := ev.Facts.(type) {
	case PartnerContactOffered, ConsentRecorded, TreatmentStatusChanged, PartnerContactEnded:
		return true
	case SignalShared:
		return f.Side == SidePartnerContact // received; sent ones cross to the partner side
	}
	return false
}

// contactOpen is the rule both sides share: a contact that exists, is not
// ended and whose consent was not withdrawn (then it can only be ended).
func contactOpen(id ID, exists, ended bool, endedOn Date, consent ConsentStatus, ending bool) error {
	if !exists {
		return ruleErr("not-found", "no partner contact %s", id)
	}
	if ended {
		return ruleErr("contact-ended", "the partner contact ended on %s", endedOn)
	}
	if !ending && consent == ConsentWithdrawn {
		return ruleErr("consent-withdrawn", "consent was withdrawn; the contact can only be ended")
	}
	return nil
}

// needConsent: contact with the partner, and sharing signals, needs the
// consent of the person in treatment.
func needConsent(consent ConsentStatus) error {
	if consent != ConsentGiven {
		return ruleErr("consent-required", "no consent to partner contact has been given")
	}
	return nil
}

func decideTreatmentSide(s TreatmentSide, cmd Command) ([]Event, error) {
	cmd = deref(cmd)
	switch cmd.(type) {
	case OfferPartnerContact, RecordConsent, ChangeTreatmentStatus, EndPartnerContact, ShareSignal, RecordException, ReceiveSignal:
	default:
		return nil, fmt.Errorf("partner contact, treatment side: %w %T", ErrUnknownCommand, cmd)
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
	if c, ok := cmd.(ReceiveSignal); ok {
		// What arrives across the barrier is recorded whatever this side's
		// state: the sender's rules were checked on the sender's record,
		// and a refusal here would tell the sender about this side.
		if !s.Exists {
			return nil, ruleErr("not-found", "no partner contact %s", s.ID)
		}
		if c.From != SidePartnerContact {
			return nil, ruleErr("signal-from-own-side", "the treatment side receives signals from the partner side only")
		}
		return []Event{{Facts: SignalShared{Category: c.Category, Side: c.From}}}, nil
	}
	_, ending := cmd.(EndPartnerContact)
	if err := contactOpen(s.ID, s.Exists, s.Ended, s.EndedOn, s.Consent, ending); err != nil {
		return nil, err
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

	case ChangeTreatmentStatus:
		return []Event{{Facts: TreatmentStatusChanged{Status: c.Status}}}, nil

	case ShareSignal:
		// A signal is recorded on the receiving side's record only
		// (ReceiveSignal there); the sender's record does not change.
		if c.Side != SideTreatment {
			return nil, ruleErr("wrong-side", "the treatment side shares signals as the treatment side")
		}
		return nil, needConsent(s.Consent)

	case RecordException:
		// No contact with the partner: it concerns the partner side, whose
		// record receives it (ReceiveException there).
		return nil, nil

	case EndPartnerContact:
		f := PartnerContactEnded{EndedOn: c.EndedOn, ConsentDocumentDestroyed: s.ConsentDocument}
		return []Event{{Facts: f, Personal: ReasonText{c.Reason}, SealWith: PersonKey(s.PartnerID)}}, nil
	}
	return nil, fmt.Errorf("partner contact, treatment side: %w %T", ErrUnknownCommand, cmd)
}

func evolveTreatmentSide(s TreatmentSide, ev Recorded) TreatmentSide {
	if !onTreatmentSide(ev) {
		return s
	}
	s.Version++
	switch f := ev.Facts.(type) {
	case PartnerContactOffered:
		s.Exists, s.OpenedAt = true, ev.RecordedAt
		s.TreatmentCaseID, s.PartnerID, s.ChildrenInContact = f.TreatmentCaseID, f.PartnerID, f.ChildrenInContact
	case ConsentRecorded:
		s.Consent, s.ConsentOn = f.Status, f.SignedOn
		s.ConsentDocument = s.ConsentDocument || f.HasDocument
	case TreatmentStatusChanged:
		s.TreatmentStatus = f.Status
	case SignalShared:
		s.Signals = append(s.Signals, f)
	case PartnerContactEnded:
		s.Ended, s.EndedOn = true, f.EndedOn
	}
	return s
}

// Crossing is what the treatment side's record says that the partner side
// must know to act: the consent status, the treatment status and the end.
// After every treatment-side write the server brings the partner side's
// record up to it (NoteTreatmentSide), so a failure between the two writes
// is repaired by the next one.
func (s TreatmentSide) Crossing() NoteTreatmentSide {
	return NoteTreatmentSide{Consent: s.Consent, TreatmentStatus: s.TreatmentStatus, Ended: s.Ended, EndedOn: s.EndedOn}
}
