package api

import (
	"errors"
	"hash/fnv"
	"net/http"
	"strconv"
	"time"

	"github.com/fristad/fristad/api/auth"
	"github.com/fristad/fristad/domain"
	"github.com/fristad/fristad/eventstore"
	"github.com/labstack/echo/v4"
)

// createPerson opens a personal file (personakt).
func (s *Server) createPerson(c echo.Context, p auth.Principal) error {
	var cmd domain.RegisterPerson
	if err := decodeBody(c, &cmd); err != nil {
		return err
	}
	cmd.Today = s.today()
	res, err := s.registerPerson(c, p, cmd, "")
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderLocation, "/api/v1/persons/"+string(res.ID))
	return s.respondPerson(c, p, http.StatusCreated, res, map[string]any{"person_id": res.ID})
}

// registerPerson validates a registration, adds its personal identity
// number to the blind index, then appends it. The index comes first: a
// crash in between leaves an index entry pointing at no person (search
// ignores it), never a person who cannot be found.
//
// One personal file per person: a number already in the index links to
// that person instead (linkExisting). The caller gets the id in the same
// response shape and learns nothing else of the existing file.
func (s *Server) registerPerson(c echo.Context, p auth.Principal, cmd domain.RegisterPerson, part string) (eventstore.Result, error) {
	if err := cmd.Validate(); err != nil {
		return eventstore.Result{}, err
	}
	opt, err := s.writeOptions(c, p, "person"+part)
	if err != nil {
		return eventstore.Result{}, err
	}
	id := domain.NewID()
	if cmd.PersonalNumber != "" {
		pn, err := domain.ParsePersonalNumber(cmd.PersonalNumber, cmd.Today)
		if err != nil {
			return eventstore.Result{}, errBadRequest("", domain.FieldProblem{Field: "personal_number", Message: "not a valid personal identity number"})
		}
		lock := &s.numberLocks[numberStripe(string(pn))]
		lock.Lock()
		defer lock.Unlock()
		if res, ok, err := s.claimNumber(c, string(pn), id, cmd.PersonDetails, opt); ok || err != nil {
			return res, err
		}
	}
	return s.execute(c, domain.KindPerson, id, cmd, opt)
}

// Claims of a personal identity number across instances.
const (
	// claimWindow is how long another registration's claim on a number
	// counts while its person is not yet appended (an append takes
	// milliseconds; a claim older than this lost its instance).
	claimWindow = 5 * time.Second
	// claimPoll is how often a registration looks again for the person
	// of a pending claim.
	claimPoll = 20 * time.Millisecond
)

// claimNumber links to the live personal file with the number (ok), or
// claims the number in the blind index for the new person id. The stripe
// lock serializes registrations of a number within this instance; a claim
// another instance made moments ago is waited for (its person appears, and
// this registration links to it) for at most claimWindow, so that two
// instances never open two files for one person.
func (s *Server) claimNumber(c echo.Context, pn string, id domain.ID, d domain.PersonDetails, opt eventstore.ExecOptions) (eventstore.Result, bool, error) {
	ctx := c.Request().Context()
	start := time.Now()
	for {
		if res, ok, err := s.linkExisting(c, pn, d, opt); ok || err != nil {
			return res, ok, err
		}
		// Wall time, not s.now: the claim's time is the server's.
		err := s.store.Index().Claim(ctx, pn, id, time.Now(), claimWindow)
		if !errors.Is(err, eventstore.ErrClaimPending) {
			return eventstore.Result{}, false, err
		}
		if time.Since(start) > claimWindow+time.Second {
			// The clocks disagree: take the number over rather than wait on.
			return eventstore.Result{}, false, s.store.Index().Add(ctx, pn, id)
		}
		select {
		case <-ctx.Done():
			return eventstore.Result{}, false, ctx.Err()
		case <-time.After(claimPoll):
		}
	}
}

// numberStripe picks the lock of a personal identity number.
func numberStripe(pn string) int {
	h := fnv.New32a()
	_, _ = h.Write([]byte(pn))
	return int(h.Sum32() % 64)
}

// linkExisting finds a live personal file with the number; ok when one
// exists. The contact data supplied is added to it (PersonContactAdded,
// which also lets the caller reach the file from now on); with nothing to
// add, a PersonContactAdded with no data still records the link. A retry
// with the same Idempotency-Key returns the first answer.
func (s *Server) linkExisting(c echo.Context, pn string, d domain.PersonDetails, opt eventstore.ExecOptions) (eventstore.Result, bool, error) {
	id, found, err := s.existingPerson(c, pn, domain.Date{})
	if err != nil || !found {
		return eventstore.Result{}, false, err
	}
	opt.ExpectVersion = nil // the caller's If-Match names no version of a file they do not know
	res, err := s.execute(c, domain.KindPerson, id, domain.AddContact{Phone: d.Phone, Address: d.Address, Workplace: d.Workplace}, opt)
	return res, true, err
}

// existingPerson finds the live personal file with a personal identity
// number ("" or invalid: none).
func (s *Server) existingPerson(c echo.Context, number string, today domain.Date) (domain.ID, bool, error) {
	if number == "" {
		return "", false, nil
	}
	pn, err := domain.ParsePersonalNumber(number, today)
	if err != nil {
		return "", false, nil
	}
	ids, err := s.store.Index().Find(c.Request().Context(), string(pn))
	if err != nil {
		return "", false, err
	}
	for _, id := range ids {
		h, err := s.store.Load(c.Request().Context(), domain.KindPerson, id)
		if err != nil {
			return "", false, err
		}
		if st := eventstore.State(s.persons, h); st.Exists && !st.Culled {
			return id, true, nil
		}
	}
	return "", false, nil
}

type personSearch struct {
	PersonalNumber string `json:"personal_number"`
}

// searchPersons finds personal files by personal identity number through
// the blind index; only ids of persons the caller reaches are returned.
func (s *Server) searchPersons(c echo.Context, p auth.Principal) error {
	var q personSearch
	if err := decodeBody(c, &q); err != nil {
		return err
	}
	pn, err := domain.ParsePersonalNumber(q.PersonalNumber, s.today())
	if err != nil {
		return errBadRequest("", domain.FieldProblem{Field: "personal_number", Message: "not a valid personal identity number"})
	}
	ids, err := s.store.Index().Find(c.Request().Context(), string(pn))
	if err != nil {
		return err
	}
	if err := s.catchUp(c); err != nil {
		return err
	}
	found := []domain.ID{}
	for _, id := range ids {
		// Only persons the caller may already see: a search must not
		// tell anyone else that a file exists, let alone its id.
		if !s.reaches(p, id) {
			continue
		}
		h, err := s.store.Load(c.Request().Context(), domain.KindPerson, id)
		if err != nil {
			return err
		}
		if st := eventstore.State(s.persons, h); st.Exists && !st.Culled {
			found = append(found, id)
		}
	}
	if err := s.logAccess(c, p, actSearchPersons, searchTarget(found)); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"person_ids": found})
}

// getPerson returns a personal file, masked per reader. Whoever reaches
// the person (package policy) reads it; any other file is 404.
func (s *Server) getPerson(c echo.Context, p auth.Principal) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	if err := s.catchUp(c); err != nil {
		return err
	}
	if !s.reaches(p, id) {
		return errNotFound()
	}
	v, err := s.personView(c, p, id)
	if err != nil {
		return err
	}
	if v == nil {
		return errNotFound()
	}
	if v.Version != nil {
		c.Response().Header().Set("ETag", etag(*v.Version))
	}
	t := personTarget(id, append(s.cfg.Links.Units(id), s.cfg.Links.PartnerUnits(id)...))
	t.protected, t.withheld = protectedIn(v), v.withheld
	if err := s.logAccess(c, p, actReadPerson, t); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, v)
}

// catchUp waits (bounded, Config.CatchUpWait) until the projections have applied every
// write of this instance and the sequence a client names in X-Min-Seq
// (read-your-writes across instances); else 503 with Retry-After.
func (s *Server) catchUp(c echo.Context) error {
	seq := s.store.LastAppended()
	if v := c.Request().Header.Get("X-Min-Seq"); v != "" {
		n, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			return errBadRequest("X-Min-Seq must be a stream sequence", domain.FieldProblem{Field: "X-Min-Seq", Message: "not a number"})
		}
		if n > seq {
			// Another instance may have written it; a sequence the stream
			// has not reached is the client's mistake, not a read model
			// catching up (it held the request 2 s and answered 503).
			last, err := s.store.LastSeq(c.Request().Context())
			if err != nil {
				return err
			}
			if n > last {
				return errBadRequest("X-Min-Seq names a sequence the stream has not reached", domain.FieldProblem{Field: "X-Min-Seq", Message: "beyond the stream"})
			}
		}
		seq = max(seq, n)
	}
	return s.waitFor(c, seq)
}

// waitFor waits (bounded, Config.CatchUpWait) until the projections have applied seq;
// else 503 with Retry-After.
func (s *Server) waitFor(c echo.Context, seq uint64) error {
	if err := s.cfg.Runner.WaitFor(c.Request().Context(), seq, s.cfg.CatchUpWait); err != nil {
		c.Response().Header().Set("Retry-After", "1")
		return errUnavailable("the read model is catching up; retry shortly")
	}
	return nil
}
