package accesslog

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/fristad/fristad/domain"
)

// Action is what a reader did.
type Action string

// The actions of the access log.
const (
	ReadCaseFile       Action = "read_case_file"
	ReadCaseEvents     Action = "read_case_events"
	ReadPerson         Action = "read_person"
	SearchPersons      Action = "search_persons"
	ReadPartnerContact Action = "read_partner_contact"
	ReadAudit          Action = "read_audit"
	Export             Action = "export"
	// ReadProvider is a read of one provider's page, which holds its
	// address (whereabouts of everyone it houses).
	ReadProvider Action = "read_provider"
)

// Actions lists the vocabulary.
func Actions() []Action {
	return []Action{ReadCaseFile, ReadCaseEvents, ReadPerson, SearchPersons, ReadPartnerContact, ReadAudit, Export, ReadProvider}
}

// Valid reports whether a is in the vocabulary.
func (a Action) Valid() bool { return slices.Contains(Actions(), a) }

// MaxReason bounds the reason's length in characters.
const MaxReason = 500

// Entry is one read of personal data. Reason is the clear text, only ever
// in memory: Append seals it into SealedReason and Query returns it sealed
// (unseal it with Log.UnsealReason).
type Entry struct {
	Seq       uint64    `json:"-"` // stream sequence of the message holding it (the cursor), set by Query
	ID        domain.ID `json:"id"`
	At        time.Time `json:"at"`
	User      string    `json:"user"`
	Roles     []string  `json:"roles"`
	Action    Action    `json:"action"`
	Unit      string    `json:"unit,omitempty"`
	CaseID    domain.ID `json:"case_id,omitempty"`
	PersonID  domain.ID `json:"person_id,omitempty"`
	ContactID domain.ID `json:"contact_id,omitempty"`
	// Found are the persons a search returned.
	Found []domain.ID `json:"found,omitempty"`
	// Detail says what an audit read looked at (a user id, a filter): ids
	// and parameters, never personal data.
	Detail string `json:"detail,omitempty"`
	Reason string `json:"-"`
	// SealedReason is the reason as stored: the Sealer's sealed value,
	// opaque here; nil when no reason was given.
	SealedReason json.RawMessage `json:"reason,omitempty"`
}

func (e *Entry) check() error {
	bad := func(reason string) error { return &InvalidError{Reason: reason} }
	switch {
	case e.User == "" || strings.ContainsAny(e.User, "\r\n"):
		return bad("an entry needs a user")
	case !e.Action.Valid():
		return bad("unknown action " + string(e.Action))
	case e.CaseID != "" && !e.CaseID.Valid(), e.PersonID != "" && !e.PersonID.Valid(), e.ContactID != "" && !e.ContactID.Valid():
		return bad("invalid id")
	case !utf8.ValidString(e.Reason) || utf8.RuneCountInString(e.Reason) > MaxReason:
		return bad(fmt.Sprintf("a reason is valid UTF-8 of at most %d characters", MaxReason))
	case len(e.Detail) > 1000:
		return bad("detail too long")
	}
	for _, id := range e.Found {
		if !id.Valid() {
			return bad("invalid id")
		}
	}
	return nil
}
