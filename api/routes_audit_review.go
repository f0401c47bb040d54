package api

import (
	"crypto/rand"
	"errors"
	"math/big"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/fristad/fristad/api/auth"
	"github.com/fristad/fristad/api/policy"
	"github.com/fristad/fristad/domain"
	"github.com/fristad/fristad/eventstore"
	"github.com/fristad/fristad/eventstore/accesslog"
	"github.com/labstack/echo/v4"
	"github.com/oklog/ulid/v2"
)

// Access-log review (logguppföljning, API.md): a supervisor draws a random
// sample of the access log of their units, reads of protected persons
// first, and records that entries were reviewed, with an outcome. The
// review is an event (access_review.recorded), so that it was done, by
// whom and with what conclusion is as provable as the reads themselves.
//
// The routes use the access log through Query only (one narrow use, so
// the access log can move to its own package without touching them).
//
// Cost: the sample and a review's entry check read the access log of the
// supervisor's units in the period (at most sampleScan entries); the list
// of reviews scans the event stream for review events. Both are fine for
// a periodic review; a review projection would make the list indexed.
// The query parameters and responses of the review routes.
var (
	reviewsQuery = []param{qAuditFrom, qAuditTo, qUnit, {Name: "reviewer", Kind: pString, MaxLen: 256, Desc: "the reviewing user's id"}}
	sampleQuery  = []param{qAuditFrom, qAuditTo, qUnit, {Name: "size", Kind: pInteger, Min: 1, Max: maxSampleSize, Desc: "entries in the sample (default 20)"}}
)

type (
	reviewsResponse struct {
		Items []AccessReviewView `json:"items" required:"true"`
	}
	sampleResponse struct {
		Items             []SampleEntryView `json:"items" required:"true"`
		ProtectedInPeriod int               `json:"protected_in_period" required:"true"`
		EntriesInPeriod   int               `json:"entries_in_period" required:"true"`
	}
)

func auditReviewRoutes() []route {
	return []route{
		{Method: http.MethodPost, Path: "/audit/reviews", Roles: supervisor, Summary: "Record that access-log entries were reviewed (logguppföljning): entries, outcome (justified, to_investigate), note",
			Body: domain.RecordAccessReview{}, Status: http.StatusCreated, Handle: (*Server).recordAccessReview, Returns: "review_id"},
		{Method: http.MethodGet, Path: "/audit/reviews", Roles: auditors, Summary: "Recorded access-log reviews: filters from, to, unit, reviewer",
			Status: http.StatusOK, Handle: (*Server).listAccessReviews, Query: reviewsQuery, Response: reviewsResponse{}, Logged: true},
		{Method: http.MethodGet, Path: "/audit/sample", Roles: supervisor, Summary: "A random sample of access-log entries to review, reads of protected persons first: from, to, unit, size",
			Status: http.StatusOK, Handle: (*Server).accessSample, Query: sampleQuery, Response: sampleResponse{}, Logged: true, Fresh: true},
	}
}

const (
	sampleScan        = 20_000 // entries read for one sample or one review check
	defaultSampleSize = 20
	maxSampleSize     = 200
)

// SampleEntryView is an access entry in a sample: Protected says the read
// concerned a person who has (had) protected personal data.
type SampleEntryView struct {
	AccessEntryView
	Protected bool `json:"protected"`
}

// AccessReviewView is a recorded review.
type AccessReviewView struct {
	ID         domain.ID            `json:"id"`
	Reviewer   string               `json:"reviewer"`
	RecordedAt time.Time            `json:"recorded_at"`
	Outcome    domain.ReviewOutcome `json:"outcome"`
	Entries    []domain.ID          `json:"entries"`
	Units      []string             `json:"units"`
	Note       string               `json:"note,omitempty"`
	NoteSealed bool                 `json:"note_sealed,omitempty"`
}

// scanAccess reads up to sampleScan entries of the units in the period.
func (s *Server) scanAccess(c echo.Context, units []string, from, to time.Time) ([]accesslog.Entry, error) {
	var all []accesslog.Entry
	var after uint64
	for len(all) < sampleScan {
		page, next, err := s.store.Access().Query(c.Request().Context(), accesslog.Query{From: from, To: to, Units: units, After: after, Limit: 1000})
		if err != nil {
			return nil, err
		}
		all = append(all, page...)
		if next == 0 {
			break
		}
		after = next
	}
	return all, nil
}

// protectedRead: the entry concerns a person who has or had protected
// personal data (a reason given with the read does not count: anyone may
// give one).
func (s *Server) protectedRead(e *accesslog.Entry) bool {
	ids := append([]domain.ID{e.PersonID}, e.Found...)
	if e.CaseID != "" {
		ids = append(ids, s.cfg.Links.CasePersons(e.CaseID)...)
	}
	for _, id := range ids {
		if id == "" {
			continue
		}
		if _, ever := s.cfg.Links.Whereabouts(id); ever {
			return true
		}
	}
	return false
}

func shuffle[T any](xs []T) {
	for i := len(xs) - 1; i > 0; i-- {
		n, err := rand.Int(rand.Reader, big.NewInt(int64(i+1)))
		if err != nil {
			return // crypto/rand does not fail on supported platforms; an unshuffled tail is still a valid list
		}
		j := int(n.Int64())
		xs[i], xs[j] = xs[j], xs[i]
	}
}

// accessSample: GET /audit/sample.
func (s *Server) accessSample(c echo.Context, p auth.Principal) error {
	size := defaultSampleSize
	if v := c.QueryParam("size"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > maxSampleSize {
			return errBadRequest("some query parameters are not valid", domain.FieldProblem{Field: "size", Message: "must be an integer from 1 to 200"})
		}
		size = n
	}
	q := c.QueryParams()
	q.Del("size")
	c.Request().URL.RawQuery = q.Encode()
	ap, units, err := parseAuditScope(c, p, "from", "to", "unit")
	if err != nil {
		return err
	}
	if err := s.catchUp(c); err != nil {
		return err
	}
	all, err := s.scanAccess(c, units, ap.from, ap.to)
	if err != nil {
		return err
	}
	var protected, other []accesslog.Entry
	for i := range all {
		e := &all[i]
		switch {
		case e.Action == accesslog.ReadAudit:
			// Reads of the log itself are not reads of anyone's data.
		case s.protectedRead(e):
			protected = append(protected, *e)
		default:
			other = append(other, *e)
		}
	}
	shuffle(protected)
	shuffle(other)
	picked := append(protected[:min(size, len(protected))], other[:min(size-min(size, len(protected)), len(other))]...)
	views, err := s.accessViews(c, p, picked)
	if err != nil {
		return err
	}
	items := make([]SampleEntryView, len(views))
	for i := range views {
		items[i] = SampleEntryView{AccessEntryView: views[i], Protected: i < min(size, len(protected))}
	}
	if err := s.logAccess(c, p, actReadAudit, accessTarget{units: units, detail: "sample&" + ap.query}); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"items": items, "protected_in_period": len(protected), "entries_in_period": len(protected) + len(other)})
}

// recordAccessReview: POST /audit/reviews. Every entry must be one of the
// supervisor's units; an unknown entry and another unit's entry get the
// same answer.
func (s *Server) recordAccessReview(c echo.Context, p auth.Principal) error {
	var cmd domain.RecordAccessReview
	if err := decodeBody(c, &cmd); err != nil {
		return err
	}
	if err := cmd.Validate(); err != nil {
		return err
	}
	units, ok := policy.AuditUnits(p, "")
	if !ok || len(units) == 0 {
		return errForbidden()
	}
	want := map[domain.ID]bool{}
	for _, id := range cmd.Entries {
		want[id] = true
	}
	// Entry ids are ULIDs: the oldest one bounds the scan.
	oldest := slices.MinFunc(cmd.Entries, func(a, b domain.ID) int {
		switch {
		case a < b:
			return -1
		case a > b:
			return 1
		}
		return 0
	})
	from := ulidTime(oldest)
	if !from.IsZero() {
		from = from.Add(-time.Minute)
	}
	all, err := s.scanAccess(c, units, from, time.Time{})
	if err != nil {
		return err
	}
	var entryUnits []string
	for i := range all {
		if want[all[i].ID] {
			delete(want, all[i].ID)
			entryUnits = append(entryUnits, all[i].Unit)
		}
	}
	if len(want) > 0 {
		var problems []domain.FieldProblem
		for i, id := range cmd.Entries {
			if want[id] {
				problems = append(problems, domain.FieldProblem{Field: "entries[" + strconv.Itoa(i) + "]", Message: "not an entry of your units' access log"})
			}
		}
		q := newProblem(http.StatusUnprocessableEntity, "rule/review-entry-unknown", "The command breaks a rule", "some entries are not in your units' access log")
		q.Rule, q.Errors = "review-entry-unknown", problems
		return q
	}
	slices.Sort(entryUnits)
	cmd.Units = slices.Compact(entryUnits)
	opt, err := s.writeOptions(c, p, "review")
	if err != nil {
		return err
	}
	res, err := eventstore.Execute(c.Request().Context(), s.store, domain.AccessReviewDecider(), domain.NewID(), cmd, opt)
	if err != nil {
		return err
	}
	return respond(c, http.StatusCreated, res, map[string]any{"review_id": res.ID})
}

// ulidTime is when an id was made (the first 48 bits of a ULID); the zero
// time for an id that does not parse, which scans from the start.
func ulidTime(id domain.ID) time.Time {
	u, err := ulid.Parse(string(id))
	if err != nil {
		return time.Time{}
	}
	return ulid.Time(u.Time())
}

// listAccessReviews: GET /audit/reviews, the reviews of the caller's units.
func (s *Server) listAccessReviews(c echo.Context, p auth.Principal) error {
	reviewer := c.QueryParam("reviewer")
	q := c.QueryParams()
	q.Del("reviewer")
	c.Request().URL.RawQuery = q.Encode()
	if reviewer != "" && !validSub(reviewer) {
		return errBadRequest("some query parameters are not valid", domain.FieldProblem{Field: "reviewer", Message: "not a user id"})
	}
	ap, units, err := parseAuditScope(c, p, "from", "to", "unit")
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	items := []AccessReviewView{}
	_, err = s.store.Read(ctx, 1, func(e *eventstore.Envelope) error {
		f, ok := e.Facts.(domain.AccessReviewed)
		if !ok || (reviewer != "" && e.Actor != reviewer) ||
			(!ap.from.IsZero() && e.RecordedAt.Before(ap.from)) || (!ap.to.IsZero() && !e.RecordedAt.Before(ap.to)) {
			return nil
		}
		if units != nil && !slices.ContainsFunc(f.Units, func(u string) bool { return slices.Contains(units, u) }) {
			return nil
		}
		v := AccessReviewView{ID: e.AggregateID, Reviewer: e.Actor, RecordedAt: e.RecordedAt, Outcome: f.Outcome, Entries: f.Entries, Units: f.Units}
		// The note is for the supervisors of every unit the review
		// covers, like the reasons given for reads. Read decodes facts
		// only: the sealed note comes from the review's own history.
		if p.Has(auth.RoleSupervisor) && !slices.ContainsFunc(f.Units, func(u string) bool { return !p.InUnit(u) }) {
			note, err := s.reviewNote(c, e.AggregateID)
			if err != nil {
				return err
			}
			v.Note = note
		} else {
			v.NoteSealed = true
		}
		items = append(items, v)
		return nil
	})
	if err != nil {
		return err
	}
	if err := s.logAccess(c, p, actReadAudit, accessTarget{units: units, detail: "reviews&" + ap.query}); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"items": items})
}

// reviewNote opens the sealed note of a review ("" for none or destroyed).
func (s *Server) reviewNote(c echo.Context, id domain.ID) (string, error) {
	ctx := c.Request().Context()
	h, err := s.store.Load(ctx, domain.KindAccessReview, id)
	if err != nil {
		return "", err
	}
	for i := range h.Events {
		if h.Events[i].Sealed == nil {
			continue
		}
		pd, err := s.store.Unseal(ctx, &h.Events[i])
		var shredded *eventstore.ShreddedError
		switch {
		case errors.As(err, &shredded):
			return "", nil
		case err != nil:
			return "", err
		}
		switch n := pd.(type) {
		case *domain.ReviewNote:
			return n.Note, nil
		case domain.ReviewNote:
			return n.Note, nil
		}
	}
	return "", nil
}
