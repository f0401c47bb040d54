package api

import (
	"slices"

	"github.com/fristad/fristad/api/auth"
	"github.com/fristad/fristad/api/policy"
	"github.com/fristad/fristad/domain"
	"github.com/fristad/fristad/eventstore"
	"github.com/labstack/echo/v4"
)

// What the read and write handlers load for package policy's decisions on
// persons and whereabouts. Decisions on one person read the Person
// aggregate from the store (never a projection that may lag behind a
// protection); lists of many cases (caseload, dashboard) read the
// person-links projection after catching up.

// personState is a person's state with, for a first protection written
// before entitlements were recorded, the entitlement derived from the
// events (the projection read them in order).
func (s *Server) personState(c echo.Context, id domain.ID) (domain.Person, *eventstore.History, error) {
	st, _, h, err := s.derivedPerson(c, id)
	return st, h, err
}

// derivedPerson is personState with the derivation it applied: a write
// that passes the derivation on to a decider (a supervisor's reassignment
// granting the new assignee) takes it from the same read as the decision
// it made on the state, rather than reading the person again.
func (s *Server) derivedPerson(c echo.Context, id domain.ID) (domain.Person, domain.Derivation, *eventstore.History, error) {
	h, err := s.store.Load(c.Request().Context(), domain.KindPerson, id)
	if err != nil {
		return domain.Person{}, domain.Derivation{}, nil, err
	}
	st := eventstore.State(s.persons, h)
	d, err := s.deriveFor(c, id, st, h.LastSeq)
	if err != nil {
		return domain.Person{}, domain.Derivation{}, nil, err
	}
	return st.Derive(d), d, h, nil
}

// derivation is what the person-links projection derived for a first
// protection of the person written before entitlements were recorded
// (zero for anyone else). The projection is read only once it has applied
// the person's history h: one that has not yet seen the protection derives
// no one, and a decision on it (a supervisor's reassignment that grants
// the new assignee, a derived supervisor's change) would be refused or
// grant nothing. 503 when it does not catch up in time.
func (s *Server) derivation(c echo.Context, id domain.ID, h *eventstore.History) (domain.Derivation, error) {
	return s.deriveFor(c, id, eventstore.State(s.persons, h), h.LastSeq)
}

// deriveFor is derivation on a person's state st already folded from a
// history ending at seq (personState folds it once for both).
func (s *Server) deriveFor(c echo.Context, id domain.ID, st domain.Person, seq uint64) (domain.Derivation, error) {
	if st.DerivedFrom == "" {
		return domain.Derivation{}, nil
	}
	if err := s.waitFor(c, seq); err != nil {
		return domain.Derivation{}, err
	}
	return s.cfg.Links.Derivation(id), nil
}

// personDerivation is derivation on the person's history now.
func (s *Server) personDerivation(c echo.Context, id domain.ID) (domain.Derivation, error) {
	h, err := s.store.Load(c.Request().Context(), domain.KindPerson, id)
	if err != nil {
		return domain.Derivation{}, err
	}
	return s.derivation(c, id, h)
}

// assigneeOf is a case's assignee now (for grants that hold while the
// grantee stays assignee).
func (s *Server) assigneeOf(id domain.ID) string {
	if cs, ok := s.cfg.Cases.Case(id); ok {
		return cs.Assignee
	}
	return ""
}

// reach is what links a person to those who may open their file.
func (s *Server) reach(id domain.ID) policy.Reach {
	l := s.cfg.Links
	return policy.Reach{CaseUnits: l.Units(id), RegisteredBy: l.RegisteredBy(id), LinkedBy: l.LinkedBy(id), PartnerUnits: l.PartnerUnits(id)}
}

// reaches decides whether p may open, refer to or find a person.
func (s *Server) reaches(p auth.Principal, id domain.ID) bool {
	return policy.ReachesPerson(p, s.reach(id))
}

// seesWhereabouts decides on one person's whereabouts.
func (s *Server) seesWhereabouts(p auth.Principal, st domain.Person) bool {
	return policy.SeesWhereabouts(p, st, s.today(), s.assigneeOf)
}

// casePerson is one of a case's people as read once for a request: the
// state with the derivation applied (see derivedPerson), and its history.
type casePerson struct {
	id domain.ID
	st domain.Person
	d  domain.Derivation
	h  *eventstore.History
}

// readCasePersons reads a case's subject and children (whose whereabouts
// include the case's shelters), each once.
func (s *Server) readCasePersons(c echo.Context, cs domain.Case) ([]casePerson, error) {
	ids := []domain.ID{cs.PersonID}
	for _, ch := range cs.Children {
		if !slices.Contains(ids, ch.PersonID) {
			ids = append(ids, ch.PersonID)
		}
	}
	out := make([]casePerson, 0, len(ids))
	for _, id := range ids {
		st, d, h, err := s.derivedPerson(c, id)
		if err != nil {
			return nil, err
		}
		out = append(out, casePerson{id: id, st: st, d: d, h: h})
	}
	return out, nil
}

// casePersons are the states of a case's subject and children with the
// derivation applied to each (keyed by person; see derivedPerson).
func (s *Server) casePersons(c echo.Context, cs domain.Case) ([]domain.Person, map[domain.ID]domain.Derivation, error) {
	read, err := s.readCasePersons(c, cs)
	if err != nil {
		return nil, nil, err
	}
	out := make([]domain.Person, 0, len(read))
	derived := make(map[domain.ID]domain.Derivation, len(read))
	for _, r := range read {
		out = append(out, r.st)
		derived[r.id] = r.d
	}
	return out, derived, nil
}

// caseShowsWhere decides whether the reader sees where the case's people
// are housed (the provider of its placements and assignments).
func (s *Server) caseShowsWhere(c echo.Context, p auth.Principal, cs domain.Case) (showWhere, protected bool, err error) {
	read, err := s.readCasePersons(c, cs)
	if err != nil {
		return false, false, err
	}
	showWhere, protected = s.showsWhereOf(p, read)
	return showWhere, protected, nil
}

// showsWhereOf is caseShowsWhere on the case's people as read.
func (s *Server) showsWhereOf(p auth.Principal, read []casePerson) (showWhere, protected bool) {
	persons := make([]domain.Person, 0, len(read))
	for _, r := range read {
		persons = append(persons, r.st)
		protected = protected || r.st.Protection.Protected()
	}
	return policy.SeesWhereaboutsOfAll(p, persons, s.today(), s.assigneeOf), protected
}

// rowShowsWhere is caseShowsWhere for a caseload row, from the projection.
func (s *Server) rowShowsWhere(p auth.Principal, caseID domain.ID) bool {
	var persons []domain.Person
	for _, id := range s.cfg.Links.CasePersons(caseID) {
		if st, ok := s.cfg.Links.Whereabouts(id); ok {
			persons = append(persons, st)
		}
	}
	return policy.SeesWhereaboutsOfAll(p, persons, s.today(), s.assigneeOf)
}
