package reports

import (
	"reflect"
	"testing"

	"github.com/fristad/fristad/domain"
	"github.com/fristad/fristad/eventstore"
)

// A contact written as two records (ADR 0200) counts as the same contact
// written on one record did: the partner side's events are on a record of
// their own, with versions of their own, under the contact's id.
func TestPartnerSideRecordCountsAsTheSingleRecordDid(t *testing.T) {
	envs, asOf := mappingWorld()
	var split []*eventstore.Envelope
	partnerVersion := map[domain.ID]uint64{}
	treatmentVersion := map[domain.ID]uint64{}
	for _, e := range envs {
		c := *e
		if c.Aggregate == domain.KindPartnerContact {
			switch c.Facts.(type) {
			case domain.PartnerApproached, domain.PartnerResponded, domain.NewViolenceReported:
				c.Aggregate = domain.KindPartnerSide
				partnerVersion[c.AggregateID]++
				c.Version = partnerVersion[c.AggregateID]
			default:
				treatmentVersion[c.AggregateID]++
				c.Version = treatmentVersion[c.AggregateID]
			}
		}
		split = append(split, &c)
	}
	moved := 0
	for _, e := range split {
		if e.Aggregate == domain.KindPartnerSide {
			moved++
		}
	}
	if moved == 0 {
		t.Fatal("the world has no partner-side events to move")
	}
	want := build(t, mappingParams(asOf, 1), envs).Report()
	got := build(t, mappingParams(asOf, 1), split).Report()
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("a contact on two records reports differently:\n got %+v\nwant %+v", got, want)
	}
}
