package reports

import (
	"github.com/fristad/fristad/domain"
	"github.com/fristad/fristad/eventstore"
)

// step is how far a partner contact got. The steps form one progression,
// ranked (furthest last):
//
//	offered < consent_refused < consent_given < partner_reached
//	        < declined < accepted < new_violence
//
// A contact's furthest step is the highest rank any of its events reached,
// whatever came after: a consent later withdrawn still counts as given, an
// acceptance after a decline as accepted, and new violence reported
// outranks everything because it is what the board most needs to see.
// Refused ranks below given because a refusal can be followed by consent.
type step int

const (
	stepOffered step = iota
	stepConsentRefused
	stepConsentGiven
	stepPartnerReached
	stepDeclined
	stepAccepted
	stepNewViolence
)

// steps are the partner_contact rows in the order REPORTS.md lists them.
var steps = []struct {
	code string
	step step
}{
	{"offered", stepOffered},
	{"consent_given", stepConsentGiven},
	{"consent_refused", stepConsentRefused},
	{"partner_reached", stepPartnerReached},
	{"accepted", stepAccepted},
	{"declined", stepDeclined},
	{"new_violence", stepNewViolence},
}

func (c *contact) reach(s step) {
	if s > c.furthest {
		c.furthest = s
	}
}

// apply folds one partner-contact event. The offer records no date of its
// own, so the contact counts as opened on the (UTC) day the offer was
// recorded.
func (c *contact) apply(env *eventstore.Envelope) {
	switch f := env.Facts.(type) {
	case domain.PartnerContactOffered:
		c.offered = true
		c.treatment, c.partner = f.TreatmentCaseID, f.PartnerID
		c.offeredOn = domain.DateOf(env.RecordedAt)
	case domain.ConsentRecorded:
		switch f.Status {
		case domain.ConsentGiven, domain.ConsentWithdrawn:
			c.reach(stepConsentGiven)
		case domain.ConsentRefused:
			c.reach(stepConsentRefused)
		}
	case domain.PartnerApproached:
		if f.Outcome == domain.ApproachReached {
			c.reach(stepPartnerReached)
		}
	case domain.PartnerResponded:
		if f.Accepted {
			c.reach(stepAccepted)
		} else {
			c.reach(stepDeclined)
		}
	case domain.NewViolenceReported:
		c.reach(stepNewViolence)
	}
}
