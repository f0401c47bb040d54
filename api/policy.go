package api

import (
	"github.com/fristad/fristad/api/auth"
	"github.com/fristad/fristad/api/policy"
	"github.com/fristad/fristad/domain"
)

// The authorization policy. Routes name the roles that may call them
// (routes.go, checked by guard); package policy decides scope and masking:
// which records a caller of an allowed role may see or change, and who sees
// a protected person's whereabouts. A record outside the caller's scope is
// answered 404, so its existence is not confirmed.

// The case scopes are decided in package policy; these names stay for the
// handlers that use them.
func caseWorkScope(p auth.Principal, cs domain.Case) bool { return policy.CaseWork(p, cs) }
func providerScope(p auth.Principal, cs domain.Case) bool { return policy.Provider(p, cs) }
func mayReadCase(p auth.Principal, cs domain.Case) bool   { return policy.ReadCase(p, cs) }
func mayWriteCase(p auth.Principal, cs domain.Case, pid domain.ID) bool {
	return policy.WriteCase(p, cs, pid)
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
