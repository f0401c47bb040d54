package domain

import (
	"encoding/json"
	"fmt"
	"slices"
	"time"
)

// CaseSnapshot is a Case in a storable form, for projection snapshots: the
// log of facts (as corrected so far) from which the state is refolded.
type CaseSnapshot struct {
	ID        ID              `json:"id"`
	Version   uint64          `json:"version"`
	OpenedAt  time.Time       `json:"opened_at"`
	UpdatedAt time.Time       `json:"updated_at"`
	Log       []SnapshotEntry `json:"log"`
}

// SnapshotEntry is one event's facts in a snapshot.
type SnapshotEntry struct {
	ID    ID              `json:"id"`
	Type  string          `json:"type"`
	Facts json.RawMessage `json:"facts"`
}

// FrozenCase is what a snapshot keeps of a case, copied out of the live
// state: a projection freezes its cases between two events, which is quick
// (one slice copy each), and serializes them on another goroutine while
// later events are folded into the live state.
type FrozenCase struct {
	id                  ID
	version             uint64
	openedAt, updatedAt time.Time
	log                 []caseEntry // a copy; the facts in it are values no fold changes
}

// Freeze copies what Snapshot needs of the state.
func (s Case) Freeze() FrozenCase {
	return FrozenCase{id: s.ID, version: s.Version, openedAt: s.OpenedAt, updatedAt: s.UpdatedAt, log: slices.Clone(s.log)}
}

// ID is the frozen case's id.
func (f FrozenCase) ID() ID { return f.id }

// Snapshot captures the state.
func (s Case) Snapshot() (CaseSnapshot, error) {
	return FrozenCase{id: s.ID, version: s.Version, openedAt: s.OpenedAt, updatedAt: s.UpdatedAt, log: s.log}.Snapshot()
}

// Snapshot puts the frozen state in its storable form.
func (f FrozenCase) Snapshot() (CaseSnapshot, error) {
	snap := CaseSnapshot{ID: f.id, Version: f.version, OpenedAt: f.openedAt, UpdatedAt: f.updatedAt, Log: make([]SnapshotEntry, len(f.log))}
	for i, e := range f.log {
		b, err := json.Marshal(e.facts)
		if err != nil {
			return CaseSnapshot{}, fmt.Errorf("snapshot case %s: %w", f.id, err)
		}
		snap.Log[i] = SnapshotEntry{ID: e.id, Type: e.facts.EventName(), Facts: b}
	}
	return snap, nil
}

// CaseDocument is a frozen case ready to encode: it encodes to the JSON a
// CaseSnapshot of the same state encodes to, with the facts written
// straight from their values instead of encoded apart and then checked
// again as raw JSON (half the cost of a snapshot at scale).
type CaseDocument struct {
	ID        ID              `json:"id"`
	Version   uint64          `json:"version"`
	OpenedAt  time.Time       `json:"opened_at"`
	UpdatedAt time.Time       `json:"updated_at"`
	Log       []DocumentEntry `json:"log"`
}

// DocumentEntry is one event's facts in a CaseDocument.
type DocumentEntry struct {
	ID    ID     `json:"id"`
	Type  string `json:"type"`
	Facts Facts  `json:"facts"`
}

// Document prepares the frozen state for encoding.
func (f FrozenCase) Document() CaseDocument {
	doc := CaseDocument{ID: f.id, Version: f.version, OpenedAt: f.openedAt, UpdatedAt: f.updatedAt, Log: make([]DocumentEntry, len(f.log))}
	for i, e := range f.log {
		doc.Log[i] = DocumentEntry{ID: e.id, Type: e.facts.EventName(), Facts: e.facts}
	}
	return doc
}

// RestoreCase rebuilds a state from its snapshot; the facts are decoded at
// the current schema, as they were written from current-schema structs.
func RestoreCase(reg *Registry, snap CaseSnapshot) (Case, error) {
	s := Case{ID: snap.ID, Version: snap.Version, OpenedAt: snap.OpenedAt, UpdatedAt: snap.UpdatedAt,
		log: make([]caseEntry, len(snap.Log))}
	for i, e := range snap.Log {
		schema, ok := reg.Schema(e.Type)
		if !ok {
			return Case{}, &UnknownEventError{Name: e.Type}
		}
		f, err := reg.DecodeFacts(e.Type, schema, e.Facts)
		if err != nil {
			return Case{}, err
		}
		s.log[i] = caseEntry{id: e.ID, facts: f}
	}
	return s.refold(), nil
}
