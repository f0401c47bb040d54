package policy

import (
	"github.com/fristad/fristad/api/auth"
	"github.com/fristad/fristad/domain"
)

// Scopes of the provider registry (shelters as providers). A provider's
// address is whereabouts of everyone it houses: it shows only where
// ReadProvider says.

// MunicipalStaff are the municipality's own staff (case workers,
// supervisors, admins): the registry is the municipality's, not a unit's.
func MunicipalStaff(p auth.Principal) bool {
	return p.HasAny(auth.RoleCaseworker, auth.RoleSupervisor, auth.RoleAdmin)
}

// OwnProvider: provider staff reach only the provider their token names.
func OwnProvider(p auth.Principal, id domain.ID) bool {
	return p.Has(auth.RoleProvider) && p.Provider != "" && p.Provider == string(id)
}

// ReadProvider decides GET /providers/{id}, address included: the
// municipality's staff and the provider's own staff; anyone else 404.
func ReadProvider(p auth.Principal, id domain.ID) bool {
	return MunicipalStaff(p) || OwnProvider(p, id)
}

// WriteProvider decides every provider write route (the route's roles
// already passed): supervisors and admins write about any provider,
// provider staff only about their own.
func WriteProvider(p auth.Principal, id domain.ID) bool {
	return p.HasAny(auth.RoleSupervisor, auth.RoleAdmin) || OwnProvider(p, id)
}

// ProviderStaffOnly: the caller writes as the provider's own staff, not
// as the municipality (they may not change the organisation form).
func ProviderStaffOnly(p auth.Principal) bool { return !p.HasAny(auth.RoleSupervisor, auth.RoleAdmin) }

// ReportBack: only the staff of the provider an assignment was given to
// report back on it.
func ReportBack(p auth.Principal, a domain.AssignmentIssued) bool {
	return OwnProvider(p, a.ProviderID)
}

// ProviderFollowUpWork: the board's follow-up of its providers (agreed
// actions, next follow-ups) is the supervisors' work.
func ProviderFollowUpWork(p auth.Principal) bool { return p.Has(auth.RoleSupervisor) }

// ProvidersReport: the providers report is the municipality's, per
// provider: statisticians and supervisors may ask it for all units; a
// supervisor who names a unit names one of their own.
func ProvidersReport(p auth.Principal, unit string) bool {
	if p.Has(auth.RoleStatistician) {
		return true
	}
	return p.Has(auth.RoleSupervisor) && (unit == "" || p.InUnit(unit))
}
