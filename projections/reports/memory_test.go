package reports

import (
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/fristad/fristad/domain"
	"github.com/fristad/fristad/eventstore"
)

// heapHeld is the heap a builder holds after 2,000 adult-victim cases,
// each opened with a granted decision and then given more events by
// extra (given case i's n-th event as i*1,000,000+n).
func heapHeld(t *testing.T, events int, extra func(n int) domain.Facts) int64 {
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	b, err := NewBuilder(Params{Report: FollowUp, From: day("2025-01-01"), To: day("2025-12-31"), MinCell: 5})
	if err != nil {
		t.Fatal(err)
	}
	var seq uint64
	apply := func(kind domain.Kind, agg domain.ID, version uint64, f domain.Facts) {
		seq++
		b.Apply(&eventstore.Envelope{Seq: seq, ID: domain.ID(fmt.Sprintf("01J00000000000000000E%05d", seq%100000)), Type: f.EventName(),
			Aggregate: kind, AggregateID: agg, Version: version, RecordedAt: on("2025-03-01").Add(time.Duration(seq) * time.Second), Last: true, Facts: f})
	}
	for i := range 2000 {
		person := domain.ID(fmt.Sprintf("01J000000000000000000P%04d", i))
		kase := domain.ID(fmt.Sprintf("01J000000000000000000C%04d", i))
		apply(domain.KindPerson, person, 1, domain.PersonRegistered{Sex: domain.SexFemale, BirthYear: 1980})
		apply(domain.KindCase, kase, 1, domain.CaseOpened{Unit: "u", TargetGroup: domain.AdultVictim, Source: domain.SourceReport,
			ReceivedOn: day("2025-02-01"), PersonID: person, Assignee: "anna"})
		apply(domain.KindCase, kase, 2, domain.DecisionMade{DecisionID: decisionOf(i), SupportType: domain.SupportTalks,
			Outcome: domain.OutcomeGranted, GoalCount: 1, ValidFrom: day("2025-02-01")})
		for n := range events {
			apply(domain.KindCase, kase, uint64(n+3), extra(i*1000000+n)) // #nosec G115 -- small test counts
		}
	}
	if err := b.Finish(func(domain.ID) ([]*eventstore.Envelope, error) { return nil, nil }); err != nil {
		t.Fatal(err)
	}
	_ = b.Report()
	runtime.GC()
	runtime.ReadMemStats(&after)
	runtime.KeepAlive(b)
	return int64(after.HeapAlloc) - int64(before.HeapAlloc) // #nosec G115 -- heap sizes fit in int64
}

func decisionOf(i int) domain.ID { return domain.ID(fmt.Sprintf("01J000000000000000000D%04d", i)) }

// The builder's memory is bounded by persons and what they were granted,
// not by events: 2,000 cases given 200 more events each hold about what
// they hold with 20 each. That holds for events no report counts (notes,
// flags) and for those they do, which the builder keeps compacted:
// follow-ups (one per decision in the period), risk assessments (one per
// instrument), violence (its forms).
func TestMemoryIsBoundedByPersonsNotEvents(t *testing.T) {
	for _, c := range []struct {
		name  string
		extra func(n int) domain.Facts
	}{
		{"notes", func(n int) domain.Facts {
			return domain.NoteAdded{NoteID: domain.ID(fmt.Sprintf("01J0000000000000000N%06d", n%1000000))}
		}},
		{"follow-ups, risk assessments and violence", func(n int) domain.Facts {
			switch n % 3 {
			case 0:
				return domain.FollowedUp{DecisionID: decisionOf(n / 1000000), FollowedUpOn: day("2024-12-01").AddDays(n % 50 * 9),
					Participated: n%2 == 0, Outcomes: []domain.GoalOutcome{domain.GoalPartly}}
			case 1:
				return domain.RiskAssessed{Instrument: domain.Instruments()[n%7%3], Level: domain.RiskHigh,
					Concerns: domain.ConcernAdult, AssessedOn: day("2025-03-01")}
			}
			// Three instruments and three forms, all seen in the first 20
			// events: what is left to grow is what a bound would not stop.
			return domain.ViolenceDocumented{Forms: []domain.ViolenceForm{domain.ViolenceForms()[n%5%3]}, Relation: domain.RelPartner}
		}},
	} {
		few, many := heapHeld(t, 20, c.extra), heapHeld(t, 200, c.extra)
		t.Logf("%s: heap held for 2,000 cases: %d KB with 20 events each, %d KB with 200 each", c.name, few/1024, many/1024)
		if float64(many) > 1.1*float64(few) {
			t.Errorf("%s: 360,000 more events grew the builder's memory from %d to %d KB", c.name, few/1024, many/1024)
		}
	}
}
