package reports

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/fristad/fristad/domain"
	"github.com/fristad/fristad/eventstore"
)

// stream builds envelopes by hand, as the event store would deliver them:
// increasing stream sequence, per-aggregate versions, event ids.
type stream struct {
	seq  uint64
	vers map[domain.ID]uint64
	envs []*eventstore.Envelope
}

func newStream() *stream { return &stream{vers: map[domain.ID]uint64{}} }

// at appends one event recorded at when and returns its id.
func (s *stream) at(when time.Time, kind domain.Kind, agg domain.ID, f domain.Facts) domain.ID {
	s.seq++
	s.vers[agg]++
	id := domain.ID(fmt.Sprintf("01J00000000000000000E%05d", s.seq))
	s.envs = append(s.envs, &eventstore.Envelope{
		Seq: s.seq, ID: id, Type: f.EventName(), Aggregate: kind, AggregateID: agg,
		Version: s.vers[agg], RecordedAt: when, Actor: "anna", Last: true, Facts: f,
	})
	return id
}

func (s *stream) person(when time.Time, id domain.ID, sex domain.Sex, born int) {
	s.at(when, domain.KindPerson, id, domain.PersonRegistered{Sex: sex, BirthYear: born})
}

func (s *stream) kase(when time.Time, id domain.ID, f domain.Facts) domain.ID {
	return s.at(when, domain.KindCase, id, f)
}

func (s *stream) contact(when time.Time, id domain.ID, f domain.Facts) domain.ID {
	return s.at(when, domain.KindPartnerContact, id, f)
}

// correct records a case.corrected of event target with the given patch.
func (s *stream) correct(when time.Time, caseID, target domain.ID, typ string, patch string) domain.ID {
	var m map[string]json.RawMessage
	if err := json.Unmarshal([]byte(patch), &m); err != nil {
		panic(err)
	}
	var fields []string
	for k := range m {
		fields = append(fields, k)
	}
	return s.kase(when, caseID, domain.Corrected{EventID: target, EventType: typ, Fields: fields, Patch: json.RawMessage(patch)})
}

func day(s string) domain.Date {
	d, err := domain.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// on is 09:00 UTC on a day.
func on(s string) time.Time { return day(s).Time().Add(9 * time.Hour) }

func build(t testing.TB, p Params, envs []*eventstore.Envelope) *Builder {
	t.Helper()
	b, err := NewBuilder(p)
	if err != nil {
		t.Fatalf("NewBuilder: %v", err)
	}
	for _, e := range envs {
		b.Apply(e)
	}
	if err := b.Finish(func(domain.ID) ([]*eventstore.Envelope, error) { return envs, nil }); err != nil {
		t.Fatalf("Finish: %v", err)
	}
	return b
}

// cellKey is "table|k=v;k=v" (dims sorted).
func cellKey(c Cell) string { return c.Table + "|" + dimString(c.Dims) }

// shown renders a cell's value as the tests write it: the number, or
// "null" when suppressed.
func shown(c Cell) string {
	if c.Suppressed || c.Value == nil {
		if !c.Suppressed || c.Value != nil {
			return fmt.Sprintf("inconsistent(suppressed=%v, value=%v)", c.Suppressed, c.Value)
		}
		return "null"
	}
	return fmt.Sprint(*c.Value)
}

// checkCells compares every cell with want; cells want does not name
// must be a shown zero.
func checkCells(t *testing.T, r Report, want map[string]string) {
	t.Helper()
	seen := map[string]bool{}
	for _, c := range r.Cells {
		k := cellKey(c)
		if seen[k] {
			t.Errorf("cell %s appears twice", k)
		}
		seen[k] = true
		exp, ok := want[k]
		if !ok {
			exp = "0"
		}
		if got := shown(c); got != exp {
			t.Errorf("%s = %s, want %s", k, got, exp)
		}
	}
	for k := range want {
		if !seen[k] {
			t.Errorf("expected cell %s is missing", k)
		}
	}
}

// interleave reorders events of different aggregates at random, keeping
// each aggregate's own order (as a differently merged stream would).
func interleave(envs []*eventstore.Envelope, r *rand.Rand) []*eventstore.Envelope {
	queues := map[domain.ID][]*eventstore.Envelope{}
	var ids []domain.ID
	for _, e := range envs {
		if _, ok := queues[e.AggregateID]; !ok {
			ids = append(ids, e.AggregateID)
		}
		queues[e.AggregateID] = append(queues[e.AggregateID], e)
	}
	out := make([]*eventstore.Envelope, 0, len(envs))
	for len(ids) > 0 {
		i := r.IntN(len(ids))
		q := queues[ids[i]]
		out = append(out, q[0])
		if len(q) == 1 {
			ids = append(ids[:i], ids[i+1:]...)
		} else {
			queues[ids[i]] = q[1:]
		}
	}
	return out
}
