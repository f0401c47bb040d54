package domain

import (
	"encoding/json"
	"slices"
	"time"
)

// CaseLog is a case as a projection snapshot stores it: the log of facts
// (as corrected so far) from which the state is refolded. F is how the
// facts are held: as values when a snapshot is written (CaseDocument), as
// raw JSON when it is read back and decoded by type (CaseSnapshot). Both
// are the same JSON.
type CaseLog[F any] struct {
	ID        ID            `json:"id"`
	Version   uint64        `json:"version"`
	OpenedAt  time.Time     `json:"opened_at"`
	UpdatedAt time.Time     `json:"updated_at"`
	Log       []LogEntry[F] `json:"log"`
}

// LogEntry is one event's facts in a CaseLog.
type LogEntry[F any] struct {
	ID    ID     `json:"id"`
	Type  string `json:"type"`
	Facts F      `json:"facts"`
}

// CaseSnapshot is a stored case as read back.
type CaseSnapshot = CaseLog[json.RawMessage]

// CaseDocument is a case ready to encode: the facts are encoded straight
// from their values, not encoded apart and then checked again as raw JSON
// (that was half the cost of a snapshot at scale).
type CaseDocument = CaseLog[Facts]

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

// Freeze copies what a snapshot needs of the state.
func (s Case) Freeze() FrozenCase {
	return FrozenCase{id: s.ID, version: s.Version, openedAt: s.OpenedAt, updatedAt: s.UpdatedAt, log: slices.Clone(s.log)}
}

// ID is the frozen case's id.
func (f FrozenCase) ID() ID { return f.id }

// Document prepares the frozen state for encoding.
func (f FrozenCase) Document() CaseDocument {
	doc := CaseDocument{ID: f.id, Version: f.version, OpenedAt: f.openedAt, UpdatedAt: f.updatedAt, Log: make([]LogEntry[Facts], len(f.log))}
	for i, e := range f.log {
		doc.Log[i] = LogEntry[Facts]{ID: e.id, Type: e.facts.EventName(), Facts: e.facts}
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
