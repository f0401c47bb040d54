package reports

import (
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/fristad/fristad/domain"
	"github.com/fristad/fristad/eventstore"
)

// The builder keeps what reports count, not every event: a population
// whose cases carry many notes and flags (events no report counts) holds
// the same memory as the same population without them.
func TestMemoryDoesNotGrowWithUncountedEvents(t *testing.T) {
	heldFor := func(extra int) int64 {
		runtime.GC()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		b, err := NewBuilder(Params{Report: Mapping, From: day("2025-01-01"), To: day("2025-12-31"), MinCell: 5})
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
			for v := range extra {
				apply(domain.KindCase, kase, uint64(v+2), domain.NoteAdded{NoteID: domain.ID(fmt.Sprintf("01J0000000000000000N%06d", v))}) // #nosec G115 -- small test counts
			}
		}
		runtime.GC()
		runtime.ReadMemStats(&after)
		runtime.KeepAlive(b)
		return int64(after.HeapAlloc) - int64(before.HeapAlloc) // #nosec G115 -- heap sizes fit in int64
	}
	without, with := heldFor(0), heldFor(50)
	t.Logf("heap held for 2,000 cases: %d KB without notes, %d KB with 50 notes each", without/1024, with/1024)
	if float64(with) > 1.1*float64(without) {
		t.Errorf("100,000 uncounted events grew the builder's memory from %d to %d KB", without/1024, with/1024)
	}
}
