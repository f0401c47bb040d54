package domain

import (
	"encoding/json"
	"fmt"
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

// Snapshot captures the state.
func (s Case) Snapshot() (CaseSnapshot, error) {
	snap := CaseSnapshot{ID: s.ID, Version: s.Version, OpenedAt: s.OpenedAt, UpdatedAt: s.UpdatedAt, Log: make([]SnapshotEntry, len(s.log))}
	for i, e := range s.log {
		b, err := json.Marshal(e.facts)
		if err != nil {
			return CaseSnapshot{}, fmt.Errorf("snapshot case %s: %w", s.ID, err)
		}
		snap.Log[i] = SnapshotEntry{ID: e.id, Type: e.facts.EventName(), Facts: b}
	}
	return snap, nil
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
