package projections_test

import (
	"testing"
	"time"

	"github.com/fristad/fristad/domain"
	"github.com/fristad/fristad/eventstore"
	"github.com/fristad/fristad/projections"
	"github.com/stretchr/testify/assert"
)

// Culling reads both records of a partner contact (ADR 0200): an entry on
// the partner side's record is an entry about the partner, and a contact
// whose end crossed to the partner side still lists its consent document
// (on the treatment side's record) for destruction.
func TestCullingReadsBothRecordsOfAContact(t *testing.T) {
	contact, partner := domain.NewID(), domain.NewID()
	at := func(y int) time.Time { return time.Date(y, 3, 1, 9, 0, 0, 0, time.UTC) }
	var seq uint64
	env := func(kind domain.Kind, id domain.ID, when time.Time, f domain.Facts) *eventstore.Envelope {
		seq++
		return &eventstore.Envelope{Seq: seq, ID: domain.NewID(), Type: f.EventName(), Aggregate: kind, AggregateID: id, Version: seq, RecordedAt: when, Actor: "x", Facts: f}
	}
	c := projections.NewCulling()
	for _, e := range []*eventstore.Envelope{
		env(domain.KindPerson, partner, at(2010), domain.PersonRegistered{Sex: domain.SexUnknown}),
		env(domain.KindPartnerContact, contact, at(2010), domain.PartnerContactOffered{PartnerID: partner, TreatmentCaseID: domain.NewID()}),
		env(domain.KindPartnerSide, contact, at(2010), domain.PartnerSideOpened{PartnerID: partner, TreatmentCaseID: domain.NewID()}),
		env(domain.KindPartnerContact, contact, at(2010), domain.ConsentRecorded{Status: domain.ConsentGiven, SignedOn: domain.NewDate(2010, 3, 1), HasDocument: true}),
		// The last entry about the partner is on the partner side's record.
		env(domain.KindPartnerSide, contact, at(2024), domain.PartnerApproached{Channel: domain.ChannelPhone, Outcome: domain.ApproachReached, On: domain.NewDate(2024, 3, 1)}),
		env(domain.KindPartnerContact, contact, at(2024), domain.PartnerContactEnded{EndedOn: domain.NewDate(2024, 3, 1), ConsentDocumentDestroyed: true}),
	} {
		c.Apply(e)
	}
	for _, cand := range c.Due(domain.NewDate(2027, 1, 1)) {
		assert.NotEqual(t, partner, cand.PersonID, "the partner's last entry (2024) is on the partner side's record")
	}
	assert.Equal(t, []domain.ID{contact}, c.EndedWithDocument())
}
