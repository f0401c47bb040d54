package api

import (
	"errors"
	"net/http"
	"slices"

	"github.com/fristad/fristad/api/auth"
	"github.com/fristad/fristad/api/policy"
	"github.com/fristad/fristad/domain"
	"github.com/fristad/fristad/eventstore"
	"github.com/labstack/echo/v4"
)

// Protection, grants and reassignment: the writes that decide who may see
// a protected person's whereabouts. Scope (who reaches the person) is
// package policy's; who is entitled is the Person aggregate's, so a
// refused write (403, 404, 422) writes nothing.

// changeProtection runs a protection change on a person the caller
// reaches; cmd carries what the route knows (the case, if any).
func (s *Server) changeProtection(c echo.Context, p auth.Principal, personID domain.ID, cmd domain.ChangeProtection) error {
	h, err := s.store.Load(c.Request().Context(), domain.KindPerson, personID)
	if err != nil {
		return err
	}
	if !h.Exists() {
		return errNotFound()
	}
	if cmd.Derived, err = s.derivation(c, personID, h); err != nil {
		return err
	}
	cmd.By, cmd.Today = policy.Reader(p), s.today()
	res, err := s.write(c, p, "", domain.KindPerson, personID, cmd)
	var mismatch *eventstore.VersionMismatchError
	if errors.As(err, &mismatch) {
		if st, _, lerr := s.personState(c, personID); lerr == nil && st.Protection.Protected() && !s.seesWhereabouts(p, st) {
			// The 412 would name the version the reader's views mask.
			return newProblem(http.StatusPreconditionFailed, "version-mismatch", "The record has changed",
				"If-Match does not name the record's current version")
		}
	}
	if err != nil {
		return err
	}
	return s.respondPerson(c, p, http.StatusOK, res, map[string]any{"person_id": personID})
}

// respondPerson is respond for a write on a person: to a caller who does
// not see a protected person's whereabouts, the version (and ETag) is
// masked as in their reads (policy.WithheldMetadata), since it moves with
// every contact added, grant and entitlement; a registration that linked
// to an existing file told the caller how much had happened to it.
func (s *Server) respondPerson(c echo.Context, p auth.Principal, status int, res eventstore.Result, extra map[string]any) error {
	st, _, err := s.personState(c, res.ID)
	if err != nil {
		return err
	}
	if !st.Protection.Protected() || s.seesWhereabouts(p, st) {
		return respond(c, status, res, extra)
	}
	out := map[string]any{"id": res.ID, "seq": res.Seq, "masked": policy.WithheldMetadata}
	for k, v := range extra {
		out[k] = v
	}
	return c.JSON(status, out)
}

// personFromRoute reads the person id of a /persons/{id}/... route and
// requires that the caller reaches the person (else 404).
func (s *Server) personFromRoute(c echo.Context, p auth.Principal) (domain.ID, error) {
	id, err := pathID(c, "id")
	if err != nil {
		return "", err
	}
	if err := s.catchUp(c); err != nil {
		return "", err
	}
	if !s.reaches(p, id) {
		return "", errNotFound()
	}
	return id, nil
}

// protectPerson: POST /persons/{id}/protection, on any person the caller
// reaches (a subject, a child, a partner). A first protection entitles
// the recorder and the supervisors of the caller's unit that works with
// the person.
func (s *Server) protectPerson(c echo.Context, p auth.Principal) error {
	var cmd domain.ChangeProtection
	if err := decodeBody(c, &cmd); err != nil {
		return err
	}
	id, err := s.personFromRoute(c, p)
	if err != nil {
		return err
	}
	held := append(s.cfg.Links.Units(id), s.cfg.Links.PartnerUnits(id)...)
	if i := slices.IndexFunc(held, p.InUnit); i >= 0 {
		cmd.Unit = held[i]
	}
	return s.changeProtection(c, p, id, cmd)
}

// grantWhereabouts: POST /persons/{id}/grants, by an entitled supervisor.
func (s *Server) grantWhereabouts(c echo.Context, p auth.Principal) error {
	var cmd domain.GrantWhereabouts
	if err := decodeBody(c, &cmd); err != nil {
		return err
	}
	id, err := s.personFromRoute(c, p)
	if err != nil {
		return err
	}
	cmd.GrantID, cmd.CaseID = domain.NewID(), ""
	if cmd.Derived, err = s.personDerivation(c, id); err != nil {
		return err
	}
	cmd.By, cmd.Today = policy.Reader(p), s.today()
	res, err := s.write(c, p, "", domain.KindPerson, id, cmd)
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderLocation, "/api/v1/persons/"+string(id)+"/grants")
	return respond(c, http.StatusCreated, res, reported("grant_id", func(f domain.WhereaboutsGranted) domain.ID { return f.GrantID })(res))
}

// revokeGrant: POST /persons/{id}/grants/{gid}/revoke, by an entitled
// supervisor.
func (s *Server) revokeGrant(c echo.Context, p auth.Principal) error {
	var cmd domain.RevokeGrant
	if err := decodeBody(c, &cmd); err != nil {
		return err
	}
	id, err := s.personFromRoute(c, p)
	if err != nil {
		return err
	}
	gid, err := pathID(c, "gid")
	if err != nil {
		return err
	}
	if cmd.Derived, err = s.personDerivation(c, id); err != nil {
		return err
	}
	cmd.GrantID, cmd.By, cmd.Today = gid, policy.Reader(p), s.today()
	res, err := s.write(c, p, "", domain.KindPerson, id, cmd)
	if err != nil {
		return err
	}
	return respond(c, http.StatusOK, res, map[string]any{"person_id": id})
}

// EntitlementView is one reason a user, or a unit's supervisors, may see
// a protected person's whereabouts now.
type EntitlementView struct {
	Sub            string      `json:"sub,omitempty"`
	SupervisorUnit string      `json:"supervisor_unit,omitempty"`
	Basis          string      `json:"basis"` // first_protection, grant, reassignment
	GrantID        domain.ID   `json:"grant_id,omitempty"`
	Until          domain.Date `json:"until,omitempty"`
	CaseID         domain.ID   `json:"case_id,omitempty"`
}

// listGrants: GET /persons/{id}/grants, who is entitled now and why (an
// entitled supervisor only; for a person without protection, who reaches
// the file sees it, and the list is what a protection would keep).
// Expired, revoked and ended case-bound grants are not listed; the
// history of the person keeps them.
func (s *Server) listGrants(c echo.Context, p auth.Principal) error {
	id, err := s.personFromRoute(c, p)
	if err != nil {
		return err
	}
	st, h, err := s.personState(c, id)
	if err != nil {
		return err
	}
	if !h.Exists() {
		return errNotFound()
	}
	today := s.today()
	if !st.EntitledNow(policy.Reader(p), today, nil) {
		return errForbidden()
	}
	out := []EntitlementView{}
	for _, u := range st.SupervisorUnits {
		out = append(out, EntitlementView{SupervisorUnit: u, Basis: "first_protection"})
	}
	for _, e := range st.Entitlements {
		if !e.Active(today, s.assigneeOf) {
			continue
		}
		v := EntitlementView{Sub: e.Sub, Basis: "first_protection", GrantID: e.GrantID, Until: e.Until, CaseID: e.CaseID}
		switch {
		case e.CaseID != "":
			v.Basis = "reassignment"
		case e.GrantID != "":
			v.Basis = "grant"
		}
		out = append(out, v)
	}
	c.Response().Header().Set("ETag", etag(h.Version))
	t := personTarget(id, append(s.cfg.Links.Units(id), s.cfg.Links.PartnerUnits(id)...))
	t.detail = "grants"
	if err := s.logAccess(c, p, actReadPerson, t); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"person_id": id, "protection": st.Protection, "entitled": out})
}

// reassignCase: POST /cases/{id}/reassign. A case worker hands off only
// their own case, and not a protected person's; a supervisor reassigns any
// case of their units. When the supervisor is entitled on a protected
// person of the case, the new assignee is granted first, for as long as
// they stay assignee: a failure between the two never leaves an assignee
// without it. Reassignment by anyone else entitles no one.
func (s *Server) reassignCase(c echo.Context, p auth.Principal) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var cmd domain.Reassign
	if err := decodeBody(c, &cmd); err != nil {
		return err
	}
	h, err := s.store.Load(c.Request().Context(), domain.KindCase, id)
	if err != nil {
		return err
	}
	cs := eventstore.State(s.cases, h)
	if !mayWriteCase(p, cs, "") {
		return errNotFound()
	}
	caseOpt, err := s.writeOptions(c, p, "")
	if err != nil {
		return err
	}
	// A retry with the same Idempotency-Key returns the first answer, even
	// though the caller may no longer reassign the case it handed off.
	for i := len(h.Events) - 1; caseOpt.CommandID != "" && i >= 0; i-- {
		e := &h.Events[i]
		if !e.Last {
			continue
		}
		same, reused := caseOpt.SameCommand(e.Command)
		if reused {
			return &eventstore.CommandReusedError{Seq: e.Seq}
		}
		if same {
			return respond(c, http.StatusOK, eventstore.Result{Kind: domain.KindCase, ID: id, Version: e.Version, Seq: e.Seq}, nil)
		}
	}
	persons, derived, err := s.casePersons(c, cs)
	if err != nil {
		return err
	}
	cmd.By = policy.Reader(p)
	cmd.Protected = slices.ContainsFunc(persons, func(st domain.Person) bool { return st.Protection.Protected() })
	// Decide first, and check If-Match: a refused reassignment writes no
	// grant either.
	if _, err := s.cases.Decide(cs, cmd); err != nil {
		return err
	}
	if v := caseOpt.ExpectVersion; v != nil && *v != cs.Version {
		return &eventstore.VersionMismatchError{Expected: *v, Current: cs.Version}
	}
	if cmd.By.Supervisor() && cmd.Protected && cmd.Assignee != cs.Assignee {
		today := s.today()
		for _, st := range persons {
			if !st.Protection.Protected() || !st.EntitledNow(cmd.By, today, nil) {
				continue
			}
			// The derivation casePersons applied to st: the entitlement
			// just checked and the grant rest on the same read.
			grant := domain.GrantWhereabouts{Sub: cmd.Assignee, Reason: "Omfördelning av ärendet", GrantID: domain.NewID(), CaseID: id,
				By: cmd.By, Today: today, Derived: derived[st.ID]}
			opt, err := s.writeOptions(c, p, "grant."+string(st.ID))
			if err != nil {
				return err
			}
			opt.ExpectVersion = nil // If-Match names the case's version
			if _, err := s.execute(c, domain.KindPerson, st.ID, grant, opt); err != nil {
				return err
			}
		}
	}
	res, err := s.execute(c, domain.KindCase, id, cmd, caseOpt)
	if err != nil {
		return err
	}
	return respond(c, http.StatusOK, res, nil)
}
