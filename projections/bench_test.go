package projections_test

import (
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/fristad/fristad/domain"
	"github.com/fristad/fristad/domain/synthetic"
	"github.com/fristad/fristad/eventstore"
	"github.com/fristad/fristad/projections"
)

// population folds n synthetic cases through the real deciders into the
// projections, in memory (what a replay would apply, without the store).
func population(tb testing.TB, n int, ps ...projections.Projection) int {
	deciders := map[domain.Kind]func(id domain.ID, h []domain.Recorded, cmd domain.Command) ([]domain.Event, error){
		domain.KindPerson: func(id domain.ID, h []domain.Recorded, c domain.Command) ([]domain.Event, error) {
			d := domain.PersonDecider()
			return d.Decide(d.Fold(id, h), c)
		},
		domain.KindCase: func(id domain.ID, h []domain.Recorded, c domain.Command) ([]domain.Event, error) {
			d := domain.CaseDecider()
			return d.Decide(d.Fold(id, h), c)
		},
		domain.KindPartnerContact: func(id domain.ID, h []domain.Recorded, c domain.Command) ([]domain.Event, error) {
			d := domain.TreatmentSideDecider()
			return d.Decide(d.Fold(id, h), c)
		},
		domain.KindPartnerSide: func(id domain.ID, h []domain.Recorded, c domain.Command) ([]domain.Event, error) {
			d := domain.PartnerSideDecider(domain.PartnerSide{})
			return d.Decide(d.Fold(id, h), c)
		},
	}
	events := 0
	var seq uint64
	for i := 0; i < n; i++ {
		hist := map[string][]domain.Recorded{} // by kind and id: a partner contact's two records share its id
		for _, step := range synthetic.PlanFor(1, i).Steps {
			key := string(step.Kind) + "." + string(step.ID)
			evs, err := deciders[step.Kind](step.ID, hist[key], step.Command)
			if err != nil {
				tb.Fatal(err)
			}
			seq++
			for _, e := range evs {
				kind := step.Kind
				rec := domain.Recorded{ID: domain.NewID(), Version: uint64(len(hist[key]) + 1), RecordedAt: step.At, Actor: step.Actor, Facts: e.Facts}
				hist[key] = append(hist[key], rec)
				env := &eventstore.Envelope{Seq: seq, ID: rec.ID, Type: e.Name(), Aggregate: kind, AggregateID: step.ID,
					Version: rec.Version, RecordedAt: rec.RecordedAt, Actor: rec.Actor, Facts: rec.Facts}
				for _, p := range ps {
					p.Apply(env)
				}
				events++
			}
		}
	}
	return events
}

// BenchmarkCaseloadQuery: the first page of a unit's caseload when the
// unit has about 5,000 open cases (30,000 synthetic cases over 4 units).
func BenchmarkCaseloadQuery(b *testing.B) {
	cases := projections.NewCases()
	population(b, 30000, cases)
	today := domain.NewDate(2026, 11, 22)
	open, cursor := 0, ""
	for {
		rows, next, err := cases.Caseload(projections.Query{Units: []string{"vuxen-nord"}, Today: today, Limit: 500, Status: domain.StatusOpen, Cursor: cursor})
		if err != nil {
			b.Fatal(err)
		}
		open += len(rows)
		if next == "" {
			break
		}
		cursor = next
	}
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t0 := time.Now()
		if _, _, err := cases.Caseload(projections.Query{Units: []string{"vuxen-nord"}, Today: today, Limit: 50, Status: domain.StatusOpen}); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(t0))
	}
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds()), "p50-µs")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds()), "p99-µs")
	b.ReportMetric(float64(open), "open-cases")
}

// BenchmarkTasksQuery: the first page (50) of a unit's open tasks (GET
// /tasks), for the whole unit (a supervisor) and for one worker
// (assignee=me), each query followed by the unit's caseload page on the same
// projection (the population of BenchmarkCaseloadQuery, about 5,000 open
// cases in the unit): the machine is shared, so the two are measured side
// by side under the same load.
func BenchmarkTasksQuery(b *testing.B) {
	cases := projections.NewCases()
	population(b, 30000, cases)
	today := domain.NewDate(2026, 11, 22)
	units := []string{"vuxen-nord"}
	unit := projections.TaskQuery{Units: units, Supervisor: true, Today: today, Limit: 50}
	open := 0
	var someone string
	for cursor := ""; ; {
		q := unit
		q.Limit, q.Cursor = 500, cursor
		rows, next, err := cases.Tasks(q)
		if err != nil {
			b.Fatal(err)
		}
		open += len(rows)
		if someone == "" && len(rows) > 0 && rows[0].Assignee != nil {
			someone = *rows[0].Assignee
		}
		if next == "" {
			break
		}
		cursor = next
	}
	mine := unit
	mine.Supervisor, mine.Assignee = false, someone
	caseload := projections.Query{Units: units, Today: today, Limit: 50, Status: domain.StatusOpen}
	tasks, load := make([]time.Duration, 0, 2*b.N), make([]time.Duration, 0, 2*b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, q := range []projections.TaskQuery{unit, mine} {
			t0 := time.Now()
			if _, _, err := cases.Tasks(q); err != nil {
				b.Fatal(err)
			}
			t1 := time.Now()
			if _, _, err := cases.Caseload(caseload); err != nil {
				b.Fatal(err)
			}
			tasks, load = append(tasks, t1.Sub(t0)), append(load, time.Since(t1))
		}
	}
	b.StopTimer()
	pct := func(xs []time.Duration, p int) float64 {
		slices.Sort(xs)
		return float64(xs[len(xs)*p/100].Microseconds())
	}
	b.ReportMetric(pct(tasks, 50), "tasks-p50-µs")
	b.ReportMetric(pct(tasks, 99), "tasks-p99-µs")
	b.ReportMetric(pct(load, 50), "caseload-p50-µs")
	b.ReportMetric(pct(load, 99), "caseload-p99-µs")
	b.ReportMetric(float64(open), "open-tasks")
}

// BenchmarkMemoryPer100kCases: heap held by the projections for 100,000
// synthetic cases (with their persons and partner contacts).
func BenchmarkMemoryPer100kCases(b *testing.B) {
	for i := 0; i < b.N; i++ {
		runtime.GC()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		links, cases := projections.NewPersonLinks(), projections.NewCases()
		events := population(b, 100000, links, cases)
		runtime.GC()
		runtime.ReadMemStats(&after)
		b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/1e6, "MB")
		b.ReportMetric(float64(events), "events")
		runtime.KeepAlive(links)
		runtime.KeepAlive(cases)
	}
}
