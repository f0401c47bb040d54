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

// The partner-contact barrier's scope and sides are decided in package
// policy too; these names keep the handlers short.
func contactScope(p auth.Principal, treatmentCase domain.Case) bool {
	return policy.ContactScope(p, treatmentCase)
}

type contactSide = policy.ContactSide

const (
	sideNone       = policy.SideNone
	sideTreatment  = policy.SideTreatment
	sidePartner    = policy.SidePartner
	sideSupervisor = policy.SideSupervisor
)

func contactSideOf(p auth.Principal) contactSide { return policy.SideOf(p) }
