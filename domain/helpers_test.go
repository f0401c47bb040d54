package domain

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"testing"
	"time"
)

// Given events / When command / Then events-or-error, for any decider.

var t0 = time.Date(2026, 1, 1, 8, 0, 0, 0, time.UTC)

// tid is a deterministic ULID for tests.
func tid(n int) ID { return ID(fmt.Sprintf("01J0000000000000000000%04d", n)) }

// evID is the id given events get: the n-th event of a history.
func evID(n int) ID { return ID(fmt.Sprintf("01J00000000000000000E0%04d", n)) }

func day(s string) Date {
	d, err := ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

type spec[S any] struct {
	t       *testing.T
	d       Decider[S]
	id      ID
	history []Recorded
}

// given builds a history from facts (or full Recorded values).
func given[S any](t *testing.T, d Decider[S], id ID, evs ...any) *spec[S] {
	t.Helper()
	s := &spec[S]{t: t, d: d, id: id}
	for i, e := range evs {
		r := Recorded{ID: evID(i + 1), Version: uint64(i + 1), RecordedAt: t0.Add(time.Duration(i) * time.Hour), Actor: "anna"}
		switch v := e.(type) {
		case Recorded:
			v.Version = r.Version
			if v.RecordedAt.IsZero() {
				v.RecordedAt = r.RecordedAt
			}
			r = v
		case Facts:
			r.Facts = v
		default:
			t.Fatalf("given: %T is neither Facts nor Recorded", e)
		}
		s.history = append(s.history, r)
	}
	return s
}

func (s *spec[S]) state() S { return s.d.Fold(s.id, s.history) }

type result[S any] struct {
	spec   *spec[S]
	events []Event
	err    error
}

func (s *spec[S]) when(cmd Command) *result[S] {
	s.t.Helper()
	evs, err := s.d.Decide(s.state(), cmd)
	if err == nil {
		checkStorable(s.t, s.d.Kind, evs)
	}
	return &result[S]{spec: s, events: evs, err: err}
}

// checkStorable asserts what the event store relies on: every event is a
// registered type of this aggregate, survives encode/decode unchanged, and
// carries personal data of the registered type with a key, or none.
func checkStorable(t *testing.T, kind Kind, evs []Event) {
	t.Helper()
	reg := Events()
	for _, e := range evs {
		name := e.Name()
		if !reg.AllowedOn(name, kind) {
			t.Fatalf("%s: not registered for %q", name, kind)
		}
		raw, schema, err := reg.EncodeFacts(e.Facts)
		if err != nil {
			t.Fatalf("%s: encode: %v", name, err)
		}
		back, err := reg.DecodeFacts(name, schema, raw)
		if err != nil {
			t.Fatalf("%s: decode: %v", name, err)
		}
		if !reflect.DeepEqual(back, e.Facts) {
			t.Fatalf("%s: round trip changed facts:\n got %#v\nwant %#v", name, back, e.Facts)
		}
		if e.Personal == nil {
			if e.SealWith != "" {
				t.Fatalf("%s: a key but no personal data", name)
			}
			continue
		}
		p := reg.NewPersonal(name)
		if p == nil {
			t.Fatalf("%s: personal data on a type registered without", name)
		}
		if want := reflect.TypeOf(p).Elem(); reflect.TypeOf(e.Personal) != want {
			t.Fatalf("%s: personal %T, registered %v", name, e.Personal, want)
		}
		if e.SealWith == "" {
			t.Fatalf("%s: personal data without a key", name)
		}
		b, _ := json.Marshal(e.Personal)
		if err := DecodeStrict(b, p); err != nil || !reflect.DeepEqual(reflect.ValueOf(p).Elem().Interface(), e.Personal) {
			t.Fatalf("%s: personal round trip: %v", name, err)
		}
	}
}

// then asserts the events exactly: facts, personal data and key.
func (r *result[S]) then(want ...Event) *result[S] {
	r.spec.t.Helper()
	if r.err != nil {
		r.spec.t.Fatalf("want events, got error: %v", r.err)
	}
	if len(r.events) != len(want) {
		r.spec.t.Fatalf("got %d events %v, want %d", len(r.events), names(r.events), len(want))
	}
	for i := range want {
		if !reflect.DeepEqual(r.events[i], want[i]) {
			r.spec.t.Fatalf("event %d:\n got %#v\nwant %#v", i, r.events[i], want[i])
		}
	}
	return r
}

// thenFacts asserts only the facts.
func (r *result[S]) thenFacts(want ...Facts) *result[S] {
	r.spec.t.Helper()
	if r.err != nil {
		r.spec.t.Fatalf("want events, got error: %v", r.err)
	}
	got := make([]Facts, len(r.events))
	for i, e := range r.events {
		got[i] = e.Facts
	}
	if !reflect.DeepEqual(got, want) {
		r.spec.t.Fatalf("facts:\n got %#v\nwant %#v", got, want)
	}
	return r
}

// thenRule asserts a refusal by the named rule.
func (r *result[S]) thenRule(rule string) {
	r.spec.t.Helper()
	var re *RuleError
	if !errors.As(r.err, &re) {
		r.spec.t.Fatalf("want rule %q, got %v (events %v)", rule, r.err, names(r.events))
	}
	if re.Rule != rule {
		r.spec.t.Fatalf("want rule %q, got %q (%s)", rule, re.Rule, re.Detail)
	}
}

// thenInvalid asserts a validation error naming exactly these fields.
func (r *result[S]) thenInvalid(fields ...string) {
	r.spec.t.Helper()
	assertInvalid(r.spec.t, r.err, fields...)
}

func assertInvalid(t *testing.T, err error, fields ...string) {
	t.Helper()
	var ve *ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("want validation error on %v, got %v", fields, err)
	}
	var got []string
	for _, p := range ve.Problems {
		if !slices.Contains(got, p.Field) {
			got = append(got, p.Field)
		}
	}
	slices.Sort(got)
	want := slices.Clone(fields)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Fatalf("invalid fields %v, want %v (%v)", got, want, err)
	}
}

// after is the state once the new events are folded in.
func (r *result[S]) after() S {
	r.spec.t.Helper()
	if r.err != nil {
		r.spec.t.Fatalf("no state after an error: %v", r.err)
	}
	s := r.spec.state()
	v := uint64(len(r.spec.history))
	for i, e := range r.events {
		v++
		s = r.spec.d.Evolve(s, Recorded{ID: tid(9000 + i), Version: v, RecordedAt: t0, Facts: e.Facts})
	}
	return s
}

func names(evs []Event) []string {
	out := make([]string, len(evs))
	for i, e := range evs {
		out[i] = e.Name()
	}
	return out
}
