package api

import (
	"github.com/fristad/fristad/api/auth"
	"github.com/fristad/fristad/domain"
)

// The authorization policy, in one place. Routes name the roles that may
// call them (routes.go, checked by guard); the functions below decide
// scope: which records a caller of an allowed role may see or change. A
// record outside the caller's scope is answered 404, so its existence is
// not confirmed.

// caseWorkScope: case workers and supervisors work on the cases of their
// units.
func caseWorkScope(p auth.Principal, cs domain.Case) bool {
	return p.HasAny(auth.RoleCaseworker, auth.RoleSupervisor) && p.InUnit(cs.Unit)
}

// providerScope: provider staff see a case only through an assignment or
// placement at their own provider, and only that part of it.
func providerScope(p auth.Principal, cs domain.Case) bool {
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

// mayReadCase decides GET /cases/{id}; the view is chosen by viewFor.
func mayReadCase(p auth.Principal, cs domain.Case) bool {
	return cs.Exists && (caseWorkScope(p, cs) || providerScope(p, cs))
}

// mayWriteCase decides every case write route (the route's roles already
// passed). Provider staff write only about a placement at their provider
// (pid set), or notes on a case they hold an assignment or placement in.
func mayWriteCase(p auth.Principal, cs domain.Case, pid domain.ID) bool {
	if !cs.Exists {
		return false
	}
	if caseWorkScope(p, cs) {
		return true
	}
	if !p.Has(auth.RoleProvider) || p.Provider == "" {
		return false
	}
	if pid == "" {
		return providerScope(p, cs)
	}
	pl, ok := cs.Placement(pid)
	return ok && string(pl.ProviderID) == p.Provider
}

// contactScope: both sides of a partner contact and their supervisors work
// in the unit of the perpetrator's treatment case.
func contactScope(p auth.Principal, treatmentCase domain.Case) bool {
	return treatmentCase.Exists && p.HasAny(auth.RoleTreatment, auth.RolePartnerContact, auth.RoleSupervisor) && p.InUnit(treatmentCase.Unit)
}

// contactSide is the view of a partner contact the caller gets: the
// treatment side and the partner-contact side see different things
// (the information barrier); a supervisor sees both.
type contactSide int

const (
	sideNone contactSide = iota
	sideTreatment
	sidePartner
	sideSupervisor
)

func contactSideOf(p auth.Principal) contactSide {
	switch {
	case p.Has(auth.RoleSupervisor):
		return sideSupervisor
	case p.Has(auth.RoleTreatment) && p.Has(auth.RolePartnerContact):
		// One person must not hold both sides of the barrier.
		return sideNone
	case p.Has(auth.RoleTreatment):
		return sideTreatment
	case p.Has(auth.RolePartnerContact):
		return sidePartner
	}
	return sideNone
}

// municipalStaff are the municipality's own staff (case workers,
// supervisors, admins): they reach every provider in the registry,
// its address included.
func municipalStaff(p auth.Principal) bool {
	return p.HasAny(auth.RoleCaseworker, auth.RoleSupervisor, auth.RoleAdmin)
}

// ownProvider: provider staff reach only the provider their token names.
func ownProvider(p auth.Principal, id domain.ID) bool {
	return p.Has(auth.RoleProvider) && p.Provider != "" && p.Provider == string(id)
}

// mayReadProvider decides GET /providers/{id}: the municipality's staff
// and the provider's own staff; anyone else gets 404.
func mayReadProvider(p auth.Principal, id domain.ID) bool {
	return municipalStaff(p) || ownProvider(p, id)
}

// mayWriteProvider decides every provider write route (the route's roles
// already passed): supervisors and admins write about any provider,
// provider staff only about their own.
func mayWriteProvider(p auth.Principal, id domain.ID) bool {
	return p.HasAny(auth.RoleSupervisor, auth.RoleAdmin) || ownProvider(p, id)
}

// mayReportBack: only the staff of the provider an assignment was given
// to report back on it.
func mayReportBack(p auth.Principal, a domain.AssignmentIssued) bool {
	return ownProvider(p, a.ProviderID)
}
