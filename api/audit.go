package api

import (
	"context"
	"errors"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/fristad/fristad/api/auth"
	"github.com/fristad/fristad/api/policy"
	"github.com/fristad/fristad/domain"
	"github.com/fristad/fristad/eventstore"
	"github.com/fristad/fristad/eventstore/accesslog"
	"github.com/labstack/echo/v4"
)

// The audit routes (logguppföljning): supervisors review who recorded what
// (the documentation history) and who read what (the access log).
//
//   - GET /audit/cases/{id}: a case of the supervisor's units (else 404):
//     every event's metadata (never its data) and the case's access entries.
//   - GET /audit/users/{sub}: what one user recorded and read. Admins see
//     everything; a supervisor sees entries filed under their units and
//     events of cases, persons and partner contacts of their units.
//   - GET /audit/access: the access log, filtered.
//
// All take from, to (RFC 3339 instants or YYYY-MM-DD days, UTC; to is
// exclusive for an instant and inclusive for a day), user, unit, limit
// (default 100, at most 1000) and cursor (the next_cursor of the previous
// page). A reason given for a read is shown only to the supervisors of
// the unit the entry is filed under; others see reason_sealed. Entries
// hold ids, roles, actions and units only: no name, address or location
// of anyone. Reading audit data is itself logged (read_audit).
//
// Cost: access-log queries scan the entries of the selected units from the
// start time or cursor (eventstore/accesslog.go); "recorded" in
// /audit/users scans the whole event stream from its cursor, decoding
// every event, and loads each aggregate the user touched once to check a
// supervisor's scope. Both are fine for a review of a period; an
// audit-trail projection would make them indexed look-ups.

// Roles of the audit routes (API.md).
var (
	supervisor = []auth.Role{auth.RoleSupervisor}
	auditors   = []auth.Role{auth.RoleSupervisor, auth.RoleAdmin}
)

// AccessEntryView is an access entry as the audit routes show it.
type AccessEntryView struct {
	Seq       uint64           `json:"seq"`
	ID        domain.ID        `json:"id"`
	At        time.Time        `json:"at"`
	User      string           `json:"user"`
	Roles     []string         `json:"roles"`
	Action    accesslog.Action `json:"action"`
	Unit      string           `json:"unit,omitempty"`
	CaseID    domain.ID        `json:"case_id,omitempty"`
	PersonID  domain.ID        `json:"person_id,omitempty"`
	ContactID domain.ID        `json:"contact_id,omitempty"`
	Found     []domain.ID      `json:"found,omitempty"`
	Detail    string           `json:"detail,omitempty"`
	Reason    string           `json:"reason,omitempty"`
	// ReasonSealed: a reason was given, but this reader may not see it.
	ReasonSealed bool `json:"reason_sealed,omitempty"`
	// ReasonDestroyed: a reason was given and its key was destroyed.
	ReasonDestroyed bool `json:"reason_destroyed,omitempty"`
}

// DocumentationEntry is one event of the documentation history, without
// its data.
type DocumentationEntry struct {
	Seq         uint64      `json:"seq"`
	ID          domain.ID   `json:"id"`
	Type        string      `json:"type"`
	Aggregate   domain.Kind `json:"aggregate"`
	AggregateID domain.ID   `json:"aggregate_id"`
	Version     uint64      `json:"version"`
	RecordedAt  time.Time   `json:"recorded_at"`
	Actor       string      `json:"actor"`
	// Corrects is the event a correction (case.corrected) corrects.
	Corrects domain.ID `json:"corrects,omitempty"`
}

func documentationEntry(e *eventstore.Envelope) DocumentationEntry {
	d := DocumentationEntry{Seq: e.Seq, ID: e.ID, Type: e.Type, Aggregate: e.Aggregate, AggregateID: e.AggregateID,
		Version: e.Version, RecordedAt: e.RecordedAt, Actor: e.Actor}
	if f, ok := e.Facts.(domain.Corrected); ok {
		d.Corrects = f.EventID
	}
	return d
}

// auditParams are the parsed query parameters of an audit route.
type auditParams struct {
	from, to       time.Time
	unit, user     string
	limit          int
	cursor         uint64
	recordedCursor uint64
	query          string // the accepted parameters, for the access entry
}

// parseAuditParams reads the parameters in allowed (the route's Query,
// whose names and forms guard checked); a bad value is a 400 naming it.
func parseAuditParams(c echo.Context, allowed ...string) (auditParams, error) {
	var ap auditParams
	var problems []domain.FieldProblem
	bad := func(field, msg string) { problems = append(problems, domain.FieldProblem{Field: field, Message: msg}) }
	qs := c.QueryParams() // names and forms checked by guard (route.Query)
	var err error
	if v := qs.Get("from"); v != "" {
		if ap.from, _, err = parseInstant(v); err != nil {
			bad("from", "not an RFC 3339 instant or a YYYY-MM-DD date")
		}
	}
	if v := qs.Get("to"); v != "" {
		var day bool
		if ap.to, day, err = parseInstant(v); err != nil {
			bad("to", "not an RFC 3339 instant or a YYYY-MM-DD date")
		} else if day {
			ap.to = ap.to.AddDate(0, 0, 1) // the whole last day
		}
	}
	if !ap.from.IsZero() && !ap.to.IsZero() && !ap.from.Before(ap.to) {
		bad("to", "must be after from")
	}
	ap.unit = qs.Get("unit")
	if len(ap.unit) > 200 || strings.IndexFunc(ap.unit, unicode.IsControl) >= 0 {
		bad("unit", "not a unit id")
	}
	ap.user = qs.Get("user")
	if !validSub(ap.user) && ap.user != "" {
		bad("user", "not a user id")
	}
	ap.limit = 100
	if v := qs.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1000 {
			bad("limit", "must be an integer from 1 to 1000")
		}
		ap.limit = n
	}
	parseCursor := func(name string) uint64 {
		v := qs.Get(name)
		if v == "" {
			return 0
		}
		n, err := strconv.ParseUint(v, 10, 64)
		if err != nil || n == 0 {
			bad(name, "not a cursor from this list")
		}
		return n
	}
	ap.cursor = parseCursor("cursor")
	ap.recordedCursor = parseCursor("recorded_cursor")
	if len(problems) > 0 {
		slices.SortFunc(problems, func(a, b domain.FieldProblem) int { return strings.Compare(a.Field, b.Field) })
		return ap, errBadRequest("some query parameters are not valid", problems...)
	}
	keep := url.Values{}
	for _, name := range allowed {
		if v := qs.Get(name); v != "" {
			keep.Set(name, v)
		}
	}
	ap.query = keep.Encode()
	return ap, nil
}

// parseInstant reads an RFC 3339 instant or a YYYY-MM-DD day (UTC
// midnight; day reports which).
func parseInstant(v string) (time.Time, bool, error) {
	if t, err := time.Parse(time.RFC3339Nano, v); err == nil {
		return t.UTC(), false, nil
	}
	t, err := time.Parse(time.DateOnly, v)
	return t, true, err
}

func validSub(sub string) bool {
	return sub != "" && len(sub) <= 256 && strings.IndexFunc(sub, func(r rune) bool { return unicode.IsControl(r) }) < 0
}

// parseAuditScope is parseAuditParams on a route filtered by unit, with
// the units the caller audits under the unit asked for (a unit not
// theirs: 403).
func parseAuditScope(c echo.Context, p auth.Principal, allowed ...string) (auditParams, []string, error) {
	ap, err := parseAuditParams(c, allowed...)
	if err != nil {
		return ap, nil, err
	}
	units, ok := policy.AuditUnits(p, ap.unit)
	if !ok {
		return ap, nil, errNotYourUnit()
	}
	return ap, units, nil
}

func errNotYourUnit() *Problem {
	q := errForbidden()
	q.Detail = "you review the access log of your own units only"
	q.Errors = []domain.FieldProblem{{Field: "unit", Message: "not one of your units"}}
	return q
}

// accessViews renders entries; reasons are opened for the supervisors of
// the entry's unit only.
func (s *Server) accessViews(c echo.Context, p auth.Principal, entries []accesslog.Entry) ([]AccessEntryView, error) {
	out := make([]AccessEntryView, 0, len(entries))
	for i := range entries {
		e := &entries[i]
		v := AccessEntryView{Seq: e.Seq, ID: e.ID, At: e.At, User: e.User, Roles: e.Roles, Action: e.Action, Unit: e.Unit,
			CaseID: e.CaseID, PersonID: e.PersonID, ContactID: e.ContactID, Found: e.Found, Detail: e.Detail}
		if e.SealedReason != nil {
			if policy.AccessReason(p, e.Unit) {
				reason, err := s.store.Access().UnsealReason(c.Request().Context(), e)
				var shredded *eventstore.ShreddedError
				switch {
				case errors.As(err, &shredded):
					v.ReasonDestroyed = true
				case err != nil:
					return nil, err
				default:
					v.Reason = reason
				}
			} else {
				v.ReasonSealed = true
			}
		}
		out = append(out, v)
	}
	return out, nil
}

func cursorValue(next uint64) any {
	if next == 0 {
		return nil
	}
	return strconv.FormatUint(next, 10)
}

// auditCase: who recorded and who read what in one case.
func (s *Server) auditCase(c echo.Context, p auth.Principal) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	ap, err := parseAuditParams(c, "from", "to", "user", "limit", "cursor")
	if err != nil {
		return err
	}
	h, err := s.store.Load(c.Request().Context(), domain.KindCase, id)
	if err != nil {
		return err
	}
	cs := eventstore.State(s.cases, h)
	if !policy.AuditCase(p, cs) {
		return errNotFound()
	}
	docs := make([]DocumentationEntry, 0, len(h.Events))
	for i := range h.Events {
		docs = append(docs, documentationEntry(&h.Events[i]))
	}
	// Entries about this case, whichever unit it was in when read.
	entries, next, err := s.store.Access().Query(c.Request().Context(), accesslog.Query{
		From: ap.from, To: ap.to, Units: caseUnits(h), User: ap.user, CaseID: id, After: ap.cursor, Limit: ap.limit,
	})
	if err != nil {
		return err
	}
	access, err := s.accessViews(c, p, entries)
	if err != nil {
		return err
	}
	t := caseTarget(cs)
	t.detail = ap.query
	if err := s.logAccess(c, p, actReadAudit, t); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"case_id": id, "unit": cs.Unit, "documentation": docs,
		"access": access, "next_cursor": cursorValue(next)})
}

// caseUnits are the units a case has been in (where its entries are filed).
func caseUnits(h *eventstore.History) []string {
	var units []string
	for i := range h.Events {
		switch f := h.Events[i].Facts.(type) {
		case domain.CaseOpened:
			units = append(units, f.Unit)
		case domain.Reassigned:
			if f.Unit != "" {
				units = append(units, f.Unit)
			}
		}
	}
	slices.Sort(units)
	return slices.Compact(units)
}

// auditUser: what one user recorded and read.
func (s *Server) auditUser(c echo.Context, p auth.Principal) error {
	sub, err := url.PathUnescape(c.Param("sub"))
	if err != nil || !validSub(sub) {
		return errBadRequest("", domain.FieldProblem{Field: "sub", Message: "not a user id"})
	}
	ap, units, err := parseAuditScope(c, p, "from", "to", "unit", "limit", "cursor", "recorded_cursor")
	if err != nil {
		return err
	}
	// A supervisor's scope over persons comes from the person-links
	// projection: let it apply this instance's writes first.
	if err := s.catchUp(c); err != nil {
		return err
	}
	ctx := c.Request().Context()
	var entries []accesslog.Entry
	var next uint64
	if ap.recordedCursor == 0 || ap.cursor != 0 {
		entries, next, err = s.store.Access().Query(ctx, accesslog.Query{
			From: ap.from, To: ap.to, Units: units, User: sub, After: ap.cursor, Limit: ap.limit,
		})
		if err != nil {
			return err
		}
	}
	access, err := s.accessViews(c, p, entries)
	if err != nil {
		return err
	}
	var recorded []DocumentationEntry
	var recordedNext uint64
	var withheld bool
	if ap.cursor == 0 || ap.recordedCursor != 0 {
		recorded, recordedNext, withheld, err = s.recordedBy(c, p, sub, units, ap)
		if err != nil {
			return err
		}
	}
	if recorded == nil {
		recorded = []DocumentationEntry{}
	}
	t := accessTarget{units: units, detail: "user=" + url.QueryEscape(sub), withheld: withheld}
	if ap.query != "" {
		t.detail += "&" + ap.query
	}
	if err := s.logAccess(c, p, actReadAudit, t); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"user": sub, "recorded": recorded, "recorded_next_cursor": cursorValue(recordedNext),
		"access": access, "next_cursor": cursorValue(next)})
}

var errPageFull = errors.New("page full")

// recordedBy scans the event stream for the events sub recorded in the
// period, in units (nil: all), a page of at least limit events that ends
// at a message boundary (a command's events stay together). Of a
// protected person, the events that record where they are or who may know
// it are left out for a reader who does not see their whereabouts
// (policy.AuditShowsPersonEvent); withheld says that some were, for the
// access entry.
func (s *Server) recordedBy(c echo.Context, p auth.Principal, sub string, units []string, ap auditParams) (_ []DocumentationEntry, _ uint64, withheld bool, _ error) {
	ctx := c.Request().Context()
	seesWhere := map[domain.ID]bool{}
	shown := func(e *eventstore.Envelope) (bool, error) {
		if e.Aggregate != domain.KindPerson {
			return true, nil
		}
		sees, ok := seesWhere[e.AggregateID]
		if !ok {
			st, _, err := s.personState(c, e.AggregateID)
			if err != nil {
				return false, err
			}
			sees = !st.Protection.Protected() || s.seesWhereabouts(p, st)
			seesWhere[e.AggregateID] = sees
		}
		return policy.AuditShowsPersonEvent(e.Type, sees), nil
	}
	inScope := map[domain.ID]bool{}
	scoped := func(e *eventstore.Envelope) (bool, error) {
		if units == nil {
			return true, nil
		}
		if v, ok := inScope[e.AggregateID]; ok {
			return v, nil
		}
		var held []string
		switch e.Aggregate {
		case domain.KindCase:
			cs, err := s.loadCase(c, e.AggregateID)
			if err != nil {
				return false, err
			}
			held = []string{cs.Unit}
		case domain.KindPerson:
			held = s.cfg.Links.Units(e.AggregateID)
		case domain.KindPartnerContact, domain.KindPartnerSide:
			// Both records of a contact share its id; the treatment
			// side's names the case (an old single record too).
			tr, err := s.loadTreatmentRecord(ctx, e.AggregateID)
			if err != nil {
				return false, err
			}
			tc, err := s.loadCase(c, tr.state.TreatmentCaseID)
			if err != nil {
				return false, err
			}
			held = []string{tc.Unit}
		}
		ok := slices.ContainsFunc(held, func(u string) bool { return slices.Contains(units, u) })
		inScope[e.AggregateID] = ok
		return ok, nil
	}
	var out []DocumentationEntry
	var more bool
	var firstHidden uint64 // the first event left out; 0: none
	start, end, err := s.recordedRange(ctx, ap)
	if err != nil || start >= end {
		return nil, 0, false, err
	}
	_, err = s.store.Read(ctx, start, func(e *eventstore.Envelope) error {
		if e.Seq >= end {
			return errPageFull // past the period: nothing later is in it
		}
		if e.Actor != sub || (!ap.from.IsZero() && e.RecordedAt.Before(ap.from)) || (!ap.to.IsZero() && !e.RecordedAt.Before(ap.to)) {
			return nil
		}
		ok, err := scoped(e)
		if err != nil || !ok {
			return err
		}
		if ok, err := shown(e); err != nil || !ok {
			if err == nil && firstHidden == 0 {
				firstHidden = e.Seq
			}
			return err
		}
		if len(out) >= ap.limit && out[len(out)-1].Seq != e.Seq {
			more = true
			return errPageFull
		}
		out = append(out, documentationEntry(e))
		return nil
	})
	if err != nil && !errors.Is(err, errPageFull) {
		return nil, 0, false, err
	}
	if !more {
		return out, 0, firstHidden != 0, nil
	}
	// An event left out past this page's end is the next page's to tell.
	last := out[len(out)-1].Seq
	return out, last, firstHidden != 0 && firstHidden <= last, nil
}

// recordedRange is where recordedBy reads: from the cursor, or from the
// first message stored a skew before from (the server finds it by time
// without reading the stream), up to (not including) the first message
// stored a skew after to. Math.MaxUint64 when there is no end.
func (s *Server) recordedRange(ctx context.Context, ap auditParams) (uint64, uint64, error) {
	start, end := ap.recordedCursor+1, uint64(math.MaxUint64)
	var err error
	if ap.recordedCursor == 0 && !ap.from.IsZero() {
		if start, err = s.store.SeqAt(ctx, ap.from.Add(-eventstore.ClockSkew)); err != nil {
			return 0, 0, err
		}
	}
	if !ap.to.IsZero() {
		if end, err = s.store.SeqAt(ctx, ap.to.Add(eventstore.ClockSkew)); err != nil {
			return 0, 0, err
		}
	}
	return start, end, nil
}

// auditAccess: the access log, filtered and paginated.
func (s *Server) auditAccess(c echo.Context, p auth.Principal) error {
	ap, units, err := parseAuditScope(c, p, "from", "to", "unit", "user", "limit", "cursor")
	if err != nil {
		return err
	}
	entries, next, err := s.store.Access().Query(c.Request().Context(), accesslog.Query{
		From: ap.from, To: ap.to, Units: units, User: ap.user, After: ap.cursor, Limit: ap.limit,
	})
	if err != nil {
		return err
	}
	items, err := s.accessViews(c, p, entries)
	if err != nil {
		return err
	}
	if err := s.logAccess(c, p, actReadAudit, accessTarget{units: units, detail: ap.query}); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"items": items, "next_cursor": cursorValue(next)})
}
