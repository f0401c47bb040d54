package domain

import (
	"fmt"

	"github.com/oklog/ulid/v2"
)

// ID identifies an aggregate or an entity inside one (a decision, a
// placement). IDs are ULIDs in their canonical 26-character form.
type ID string

// NewID returns a fresh ULID.
func NewID() ID { return ID(ulid.Make().String()) }

// ParseID checks that s is a canonical ULID.
func ParseID(s string) (ID, error) {
	u, err := ulid.ParseStrict(s)
	if err != nil {
		return "", fmt.Errorf("invalid id: not a ULID")
	}
	if u.String() != s {
		return "", fmt.Errorf("invalid id: not in canonical upper-case form")
	}
	return ID(s), nil
}

// Valid reports whether id is a canonical ULID.
func (id ID) Valid() bool {
	_, err := ParseID(string(id))
	return err == nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// Kind is a kind of aggregate; it is the subject token on the stream.
type Kind string

const (
	KindPerson Kind = "person"
	KindCase   Kind = "case"
	// KindPartnerContact is a partner contact's treatment-side record
	// (and, in stores written before ADR 0200, the single record of both
	// sides); KindPartnerSide is its partner side's record, same id.
	KindPartnerContact Kind = "partner_contact"
	KindPartnerSide    Kind = "partner_side"
	// KindSettings is the municipality's settings (settings.go).
	KindSettings Kind = "settings"
	KindProvider Kind = "provider"
)

// Valid reports whether k is one of fristad's aggregate kinds.
func (k Kind) Valid() bool {
	switch k {
	case KindPerson, KindCase, KindPartnerContact, KindPartnerSide, KindDelegation, KindSettings, KindAccessReview, KindProvider:
		return true
	}
	return false
}
