package api

import (
	"net/http"
	"strconv"

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
	return respond(c, http.StatusCreated, res, map[string]any{"person_id": res.ID})
}

// registerPerson validates a registration, adds its personal identity
// number to the blind index, then appends it. The index comes first: a
// crash in between leaves an index entry pointing at no person (search
// ignores it), never a person who cannot be found.
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
		if err := s.store.Index().Add(c.Request().Context(), string(pn), id); err != nil {
			return eventstore.Result{}, err
		}
	}
	return s.execute(c, domain.KindPerson, id, cmd, opt)
}

type personSearch struct {
	PersonalNumber string `json:"personal_number"`
}

// searchPersons finds personal files by personal identity number through
// the blind index; only ids are returned.
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
	found := []domain.ID{}
	for _, id := range ids {
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

// getPerson returns a personal file, masked per reader. A case worker or
// supervisor reads the files of persons in their units' cases, and a file
// they registered themselves; any other file is 404.
func (s *Server) getPerson(c echo.Context, p auth.Principal) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	if err := s.catchUp(c); err != nil {
		return err
	}
	units := s.cfg.Links.Units(id)
	inScope := s.cfg.Links.RegisteredBy(id) == p.Sub
	for _, u := range units {
		inScope = inScope || p.InUnit(u)
	}
	if !inScope {
		return errNotFound()
	}
	// Whereabouts of a protected person: the supervisors of a unit working
	// with them and the case workers assigned to their cases.
	whereabouts := func(domain.Person) bool {
		if p.Has(auth.RoleSupervisor) {
			for _, u := range units {
				if p.InUnit(u) {
					return true
				}
			}
		}
		for _, caseID := range s.cfg.Links.Cases(id) {
			if cs, ok := s.cfg.Cases.Case(caseID); ok && cs.Assignee == p.Sub {
				return true
			}
		}
		return false
	}
	v, err := s.personView(c, p, id, whereabouts)
	if err != nil {
		return err
	}
	if v == nil {
		return errNotFound()
	}
	c.Response().Header().Set("ETag", etag(v.Version))
	t := personTarget(id, units)
	t.protected = protectedIn(v)
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
		seq = max(seq, n)
	}
	if err := s.cfg.Runner.WaitFor(c.Request().Context(), seq, s.cfg.CatchUpWait); err != nil {
		c.Response().Header().Set("Retry-After", "1")
		return errUnavailable("the read model is catching up; retry shortly")
	}
	return nil
}
