package api

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/fristad/fristad/api/auth"
	"github.com/fristad/fristad/domain"
	"github.com/fristad/fristad/eventstore/accesslog"
	"github.com/labstack/echo/v4"
)

// The access log, API side (logguppföljning). Every successful GET of case
// data (a case file, a case's events, a personal file, a partner contact),
// every person search and every read of audit data calls logAccess once,
// after authorization passed and the data was loaded and before the
// response is written. logAccess appends one entry to the access log's
// stream and waits for JetStream's acknowledgement; if that fails the read
// is refused with 503 (problem type "unavailable") and nothing of the data
// is sent: the read fails closed.
//
// A refused read (401, 403, 404, a bad request) writes no entry: nothing
// was read. So an entry means data left the service, and each successful
// read makes exactly one entry.

// The actions the read handlers log (eventstore's vocabulary, short).
const (
	actReadCaseFile       = accesslog.ReadCaseFile
	actReadCaseEvents     = accesslog.ReadCaseEvents
	actReadPerson         = accesslog.ReadPerson
	actSearchPersons      = accesslog.SearchPersons
	actReadPartnerContact = accesslog.ReadPartnerContact
	actReadAudit          = accesslog.ReadAudit
)

// accessReasonHeader carries why the reader opens the record (optional):
// at most 500 printable characters. It is sealed in the log.
const accessReasonHeader = "X-Access-Reason"

// accessTarget is what a read was about.
type accessTarget struct {
	units     []string // the units that hold the data (the first the reader works in is logged)
	caseID    domain.ID
	personID  domain.ID
	contactID domain.ID
	found     []domain.ID
	detail    string
	// protected: the data concerns a person with protected personal data;
	// the reader must give a reason (X-Access-Reason), which is logged.
	protected bool
	// withheld: the reader was refused a protected person's whereabouts
	// (they were masked, or their events left out of an audit page): the
	// entry says so. A refusal writes no event.
	withheld bool
}

// detailWithheld marks the access entry of a read whose whereabouts were
// refused (masked).
const detailWithheld = "whereabouts_withheld"

// caseTarget: a case file or its events, in the case's unit.
func caseTarget(cs domain.Case) accessTarget {
	return accessTarget{units: []string{cs.Unit}, caseID: cs.ID, personID: cs.PersonID}
}

// personTarget: a personal file, held by the units working with the person.
func personTarget(id domain.ID, units []string) accessTarget {
	return accessTarget{units: units, personID: id}
}

// contactTarget: a partner contact, in its treatment case's unit (looked
// up by logAccess); the person is the partner.
func contactTarget(contact, treatmentCase, partner domain.ID) accessTarget {
	return accessTarget{caseID: treatmentCase, personID: partner, contactID: contact}
}

// searchTarget: a search by personal identity number and the persons it
// found (the number itself is never logged).
func searchTarget(found []domain.ID) accessTarget {
	return accessTarget{found: slices.Clone(found)}
}

// logAccess appends the access entry of one read; an error is the
// problem to answer instead of the data.
func (s *Server) logAccess(c echo.Context, p auth.Principal, action accesslog.Action, t accessTarget) error {
	reason, err := accessReason(c)
	if err != nil {
		return err
	}
	if t.protected && reason == "" {
		c.Response().Header().Del("ETag")
		return errBadRequest("this file concerns a person with protected personal data: state why you read it in the X-Access-Reason header",
			domain.FieldProblem{Field: accessReasonHeader, Message: "is required for a protected person"})
	}
	if t.contactID != "" && len(t.units) == 0 {
		tc, err := s.loadCase(c, t.caseID)
		if err != nil {
			return err
		}
		t.units = []string{tc.Unit}
	}
	if t.withheld {
		t.detail = strings.TrimPrefix(t.detail+"&"+detailWithheld, "&")
	}
	roles := make([]string, len(p.Roles))
	for i, r := range p.Roles {
		roles[i] = string(r)
	}
	e := accesslog.Entry{
		User: p.Sub, Roles: roles, Action: action, Unit: accessUnit(p, t.units),
		CaseID: t.caseID, PersonID: t.personID, ContactID: t.contactID, Found: t.found, Detail: t.detail,
		Reason: reason,
	}
	if _, err := s.store.Access().Append(c.Request().Context(), e); err != nil {
		s.log.Error("access log not written: read refused", "request_id", c.Response().Header().Get(echo.HeaderXRequestID),
			"route", c.Path(), "err", safeErr(err))
		c.Response().Header().Del("ETag")
		return errUnavailable("the access log cannot be written, so the record is not shown; retry shortly")
	}
	return nil
}

// accessUnit is the unit an entry is filed under: the first unit holding
// the data that the reader works in, else the first unit holding it, else
// the reader's first unit (a search; a person the reader registered).
func accessUnit(p auth.Principal, units []string) string {
	for _, u := range units {
		if u != "" && p.InUnit(u) {
			return u
		}
	}
	for _, u := range units {
		if u != "" {
			return u
		}
	}
	if len(p.Units) > 0 {
		return p.Units[0]
	}
	return ""
}

// accessReason reads X-Access-Reason: optional, at most 500 printable
// characters; anything else is 400.
func accessReason(c echo.Context) (string, error) {
	v := strings.TrimSpace(c.Request().Header.Get(accessReasonHeader))
	if v == "" {
		return "", nil
	}
	bad := func(msg string) error {
		return errBadRequest("", domain.FieldProblem{Field: accessReasonHeader, Message: msg})
	}
	if !utf8.ValidString(v) {
		return "", bad("must be UTF-8 text")
	}
	if utf8.RuneCountInString(v) > accesslog.MaxReason {
		return "", bad("at most 500 characters")
	}
	for _, r := range v {
		if !unicode.IsPrint(r) {
			return "", bad("printable characters only")
		}
	}
	return v, nil
}
