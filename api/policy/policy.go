// Package policy holds every scope and masking decision of fristad's
// read and write routes in one place: who reaches a case or a person, and
// who sees a protected person's whereabouts. It does no I/O: callers
// (the API's handlers, later the console) give it the states they loaded
// and apply what it decides. A record outside the caller's scope is
// answered 404 by the callers, so its existence is not confirmed.
package policy

import (
	"slices"

	"github.com/fristad/fristad/api/auth"
	"github.com/fristad/fristad/domain"
)

// Reader is the caller as the Person aggregate's entitlement rules see
// them: their user id and the units they supervise.
func Reader(p auth.Principal) domain.Reader {
	r := domain.Reader{Sub: p.Sub}
	if p.Has(auth.RoleSupervisor) {
		r.SupervisorUnits = slices.Clone(p.Units)
	}
	return r
}

// CaseWork: case workers and supervisors work on the cases of their units.
func CaseWork(p auth.Principal, cs domain.Case) bool {
	return p.HasAny(auth.RoleCaseworker, auth.RoleSupervisor) && p.InUnit(cs.Unit)
}

// Provider: provider staff see a case only through an assignment or
// placement at their own provider, and only that part of it (the
// assignment view).
func Provider(p auth.Principal, cs domain.Case) bool {
	if !p.Has(auth.RoleProvider) || p.Provider == "" {
		return false
	}
	for _, a := range cs.Assignments {
		if string(a.ProviderID) == p.Provider {
			return true
		}
	}
	for _, pl := range cs.Placements {
		if string(pl.ProviderID) == p.Provider {
			return true
		}
	}
	return false
}

// ReadCase decides GET /cases/{id}; the view is CaseWork's case file or
// Provider's assignment view.
func ReadCase(p auth.Principal, cs domain.Case) bool {
	return cs.Exists && (CaseWork(p, cs) || Provider(p, cs))
}

// WriteCase decides every case write route (the route's roles already
// passed). Provider staff write only about a placement at their provider
// (pid set), or notes on a case they hold an assignment or placement in.
func WriteCase(p auth.Principal, cs domain.Case, pid domain.ID) bool {
	if !cs.Exists {
		return false
	}
	if CaseWork(p, cs) {
		return true
	}
	if !p.Has(auth.RoleProvider) || p.Provider == "" {
		return false
	}
	if pid == "" {
		return Provider(p, cs)
	}
	pl, ok := cs.Placement(pid)
	return ok && string(pl.ProviderID) == p.Provider
}

// Reach is what links a person to the people who may open their file.
type Reach struct {
	CaseUnits    []string // units of the cases they are the subject of or a child in
	RegisteredBy string   // who opened the file
	LinkedBy     []string // whose intake or registration linked to the existing file
	PartnerUnits []string // units of the partner contacts they are the partner in
}

// ReachesPerson decides who may open a personal file, refer to it by id
// (an intake, a child) or find it by search: case workers and supervisors
// of a unit with a case on the person, whoever registered or linked to
// the file; and, for a partner in a partner contact, the partner-contact
// workers and supervisors of that contact's unit (never the treatment
// side, the information barrier).
func ReachesPerson(p auth.Principal, r Reach) bool {
	if p.HasAny(auth.RoleCaseworker, auth.RoleSupervisor) {
		if (r.RegisteredBy != "" && r.RegisteredBy == p.Sub) || slices.Contains(r.LinkedBy, p.Sub) {
			return true
		}
		if slices.ContainsFunc(r.CaseUnits, p.InUnit) {
			return true
		}
	}
	if p.HasAny(auth.RolePartnerContact, auth.RoleSupervisor) && slices.ContainsFunc(r.PartnerUnits, p.InUnit) {
		return true
	}
	return false
}

// WhereaboutsFields are a person's fields that are whereabouts.
var WhereaboutsFields = []string{"phone", "address", "workplace"}

// WithheldMetadata is what a reader who does not see a protected person's
// whereabouts (and every party view) also loses: the file's version (and
// ETag), which moves with every contact added, grant and entitlement, so
// that reading it twice would tell when the person's address changed or
// who was given access.
var WithheldMetadata = []string{"version"}

// SeesWhereabouts decides whether the reader sees a person's
// whereabouts: always for a person without protection (to whoever may
// read the file at all), else only when entitled on the person (the
// Person aggregate's rules: first protection, grants, a supervisor's
// reassignment while assignee). Provider staff see what the assignment
// view shows, which never holds contact details: they see none here.
func SeesWhereabouts(p auth.Principal, person domain.Person, today domain.Date, assigneeOf func(domain.ID) string) bool {
	if !p.HasAny(auth.RoleCaseworker, auth.RoleSupervisor, auth.RolePartnerContact) {
		return false
	}
	return person.EntitledNow(Reader(p), today, assigneeOf)
}

// SeesWhereaboutsOfAll: the shelter (provider) of a case's placements and
// assignments is whereabouts of the subject and of the children placed
// with them; it shows only to a reader who sees the whereabouts of every
// protected person among them. Provider staff see their own provider only
// (the assignment view filters the rest).
func SeesWhereaboutsOfAll(p auth.Principal, persons []domain.Person, today domain.Date, assigneeOf func(domain.ID) string) bool {
	for _, person := range persons {
		if person.Protection.Protected() && !person.EntitledNow(Reader(p), today, assigneeOf) {
			return false
		}
	}
	return true
}

// PartyViewPersonFields are what the party view (kommunicering) removes
// from every person: no personal identity number, no whereabouts of anyone.
var PartyViewPersonFields = []string{"personal_number", "phone", "address", "workplace"}
