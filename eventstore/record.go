package eventstore

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/fristad/fristad/domain"
)

// record is one event as it is stored inside a stream message. A message
// holds the JSON array of the records of one command, so a command's events
// land together or not at all. The hash chain covers each record's exact
// stored bytes, including Prev, the previous event's link.
type record struct {
	recordFacts
	Sealed *Sealed `json:"sealed,omitempty"`
	Prev   []byte  `json:"prev,omitempty"`
}

// recordFacts is the part of a record that every reader decodes.
type recordFacts struct {
	ID          domain.ID       `json:"id"`
	Type        string          `json:"type"`
	Schema      int             `json:"schema"`
	Aggregate   domain.Kind     `json:"aggregate"`
	AggregateID domain.ID       `json:"aggregate_id"`
	Version     uint64          `json:"version"`
	RecordedAt  time.Time       `json:"recorded_at"`
	Actor       string          `json:"actor"`
	Command     string          `json:"command,omitempty"`
	Facts       json.RawMessage `json:"facts"`
}

// factsRecord is a record as a replay decodes it: the sealed personal data
// and the chain link are skipped, not base64-decoded, because replays,
// reports and audits read facts only (about a fifth of the decoding work).
type factsRecord struct {
	recordFacts
	Sealed skipped `json:"sealed,omitempty"`
	Prev   skipped `json:"prev,omitempty"`
}

// skipped accepts any JSON value and keeps nothing of it.
type skipped struct{}

func (*skipped) UnmarshalJSON([]byte) error { return nil }

// Envelope is a stored event with everything the store knows about it.
type Envelope struct {
	Seq         uint64 // stream sequence of its message; a command's events share it
	Index       int    // position in its message
	Last        bool   // last event of its message
	ID          domain.ID
	Type        string
	Schema      int // schema version as stored; Facts are upcast to the current one
	Aggregate   domain.Kind
	AggregateID domain.ID
	Version     uint64
	RecordedAt  time.Time
	Actor       string
	Command     string
	Facts       domain.Facts
	Sealed      *Sealed
	Prev        []byte // link of the previous event of the aggregate
	// FactsOnly marks an envelope from Read, Subscribe or a retried
	// command's result: it carries the facts, not the sealed personal data
	// or the chain link (Load has them), and Unseal refuses it.
	FactsOnly bool
	Hash      []byte // this event's link (set by Load and Append only)
}

// Recorded is the envelope as deciders and projections fold it.
func (e *Envelope) Recorded() domain.Recorded {
	return domain.Recorded{ID: e.ID, Version: e.Version, RecordedAt: e.RecordedAt, Actor: e.Actor, Facts: e.Facts, Schema: e.Schema}
}

// splitRecords splits a message body into the raw bytes of its records.
func splitRecords(seq uint64, data []byte) ([]json.RawMessage, error) {
	var raws []json.RawMessage
	if err := json.Unmarshal(data, &raws); err != nil {
		return nil, &CorruptError{Seq: seq, Reason: "not a JSON array of events", Err: err}
	}
	if len(raws) == 0 {
		return nil, &CorruptError{Seq: seq, Reason: "message holds no events"}
	}
	return raws, nil
}

// parseRecord reads one record strictly, without decoding its facts.
func parseRecord(seq uint64, raw []byte) (*record, error) {
	var r record
	if err := domain.DecodeStrict(raw, &r); err != nil {
		return nil, &CorruptError{Seq: seq, Reason: "malformed event record", Err: err}
	}
	if !r.ID.Valid() || !r.AggregateID.Valid() || !r.Aggregate.Valid() || r.Version == 0 || r.Type == "" {
		return nil, &CorruptError{Seq: seq, Reason: "event record lacks id, aggregate or version"}
	}
	return &r, nil
}

// subjectFor is the subject of one aggregate's events.
func (s *Store) subjectFor(kind domain.Kind, id domain.ID) string {
	return s.cfg.SubjectPrefix + "." + string(kind) + "." + string(id)
}

// aggregateOf reads kind and id back from a subject.
func (s *Store) aggregateOf(subject string) (domain.Kind, domain.ID, bool) {
	rest, ok := strings.CutPrefix(subject, s.cfg.SubjectPrefix+".")
	if !ok {
		return "", "", false
	}
	kind, id, ok := strings.Cut(rest, ".")
	if !ok || !domain.Kind(kind).Valid() || !domain.ID(id).Valid() {
		return "", "", false
	}
	return domain.Kind(kind), domain.ID(id), true
}

// decodeMessage turns one stream message into envelopes: records parsed,
// facts upcast and decoded. It checks that every record belongs to the
// subject it was stored under. With prev (the aggregate's chain before
// this message; Load passes it) it also computes each event's link and
// checks that versions and links follow on. Without (reads, replays, the
// result of a retried command) it decodes facts only: the sealed personal
// data and the links, which Verify checks, are skipped.
func (s *Store) decodeMessage(seq uint64, subject string, data []byte, prev *chainPos) ([]Envelope, error) {
	kind, id, ok := s.aggregateOf(subject)
	if !ok {
		return nil, &CorruptError{Seq: seq, Reason: "subject is not an aggregate subject"}
	}
	if prev == nil {
		return s.decodeFactsOnly(seq, kind, id, data)
	}
	raws, err := splitRecords(seq, data)
	if err != nil {
		return nil, err
	}
	out := make([]Envelope, len(raws))
	for i, raw := range raws {
		r, err := parseRecord(seq, raw)
		if err != nil {
			return nil, err
		}
		env, err := s.envelope(seq, kind, id, &r.recordFacts, i, len(raws))
		if err != nil {
			return nil, err
		}
		env.Sealed, env.Prev, env.Hash = r.Sealed, r.Prev, s.chain.link(raw)
		if r.Version != prev.version+1 {
			return nil, &CorruptError{Seq: seq, Reason: fmt.Sprintf("event %s has version %d, want %d", r.ID, r.Version, prev.version+1)}
		}
		if !bytes.Equal(r.Prev, prev.hash) {
			return nil, &CorruptError{Seq: seq, Reason: fmt.Sprintf("event %s does not link to the previous event of its aggregate", r.ID)}
		}
		prev = &chainPos{version: r.Version, hash: env.Hash}
		out[i] = env
	}
	return out, nil
}

// decodeFactsOnly decodes a message's records for a read: facts only,
// straight into envelopes (most messages hold one record, so there is
// room for one up front; go-json grows the slice for more).
func (s *Store) decodeFactsOnly(seq uint64, kind domain.Kind, id domain.ID, data []byte) ([]Envelope, error) {
	frs := make([]factsRecord, 0, 1)
	if err := domain.DecodeStrict(data, &frs); err != nil {
		return nil, &CorruptError{Seq: seq, Reason: "malformed event records", Err: err}
	}
	if len(frs) == 0 {
		return nil, &CorruptError{Seq: seq, Reason: "message holds no events"}
	}
	out := make([]Envelope, len(frs))
	for i := range frs {
		env, err := s.envelope(seq, kind, id, &frs[i].recordFacts, i, len(frs))
		if err != nil {
			return nil, err
		}
		env.FactsOnly = true
		out[i] = env
	}
	return out, nil
}

// envelope checks one record against the subject it was stored under and
// decodes its facts; it is record i of n in message seq.
func (s *Store) envelope(seq uint64, kind domain.Kind, id domain.ID, r *recordFacts, i, n int) (Envelope, error) {
	if !r.ID.Valid() || r.Version == 0 || r.Type == "" {
		return Envelope{}, &CorruptError{Seq: seq, Reason: "event record lacks id, type or version"}
	}
	if r.Aggregate != kind || r.AggregateID != id {
		return Envelope{}, &CorruptError{Seq: seq, Reason: fmt.Sprintf("event %s belongs to %s %s, stored under %s %s", r.ID, r.Aggregate, r.AggregateID, kind, id)}
	}
	facts, err := s.registry.DecodeFacts(r.Type, r.Schema, r.Facts)
	if err != nil {
		return Envelope{}, &CorruptError{Seq: seq, Reason: "event " + string(r.ID), Err: err}
	}
	if !s.registry.AllowedOn(r.Type, kind) {
		return Envelope{}, &CorruptError{Seq: seq, Reason: fmt.Sprintf("event %s of type %s cannot belong to a %s", r.ID, r.Type, kind)}
	}
	return Envelope{
		Seq: seq, Index: i, Last: i == n-1,
		ID: r.ID, Type: r.Type, Schema: r.Schema, Aggregate: r.Aggregate, AggregateID: r.AggregateID,
		Version: r.Version, RecordedAt: r.RecordedAt, Actor: r.Actor, Command: r.Command, Facts: facts,
	}, nil
}
