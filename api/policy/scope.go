package policy

import (
	"slices"

	"github.com/fristad/fristad/api/auth"
	"github.com/fristad/fristad/domain"
)

// Scopes of the lists, audit and report routes.

// Units are the units whose cases a caller's lists (caseload, dashboard)
// show: their own.
func Units(p auth.Principal) []string { return p.Units }

// UnitFilter: a caller filters a list by one of their own units only;
// another unit's list does not exist for them.
func UnitFilter(p auth.Principal, unit string) bool { return unit == "" || p.InUnit(unit) }

// PartnerContactFlags: only supervisors see the partner-contact flags of a
// perpetrator's case (the treatment side must not learn whether the
// partner was reached).
func PartnerContactFlags(p auth.Principal) bool { return p.Has(auth.RoleSupervisor) }

// OpenCase: an intake is made in one of the caller's units.
func OpenCase(p auth.Principal, unit string) bool { return p.InUnit(unit) }

// AuditCase: a supervisor audits the cases of their units.
func AuditCase(p auth.Principal, cs domain.Case) bool {
	return cs.Exists && p.Has(auth.RoleSupervisor) && p.InUnit(cs.Unit)
}

// AuditUnits are the units whose access entries the caller may review
// (nil: all, for admins), narrowed to unit when given; ok is false when
// the caller asked for a unit that is not theirs.
func AuditUnits(p auth.Principal, unit string) (units []string, ok bool) {
	if p.Has(auth.RoleAdmin) {
		if unit != "" {
			return []string{unit}, true
		}
		return nil, true
	}
	if unit != "" {
		if !p.InUnit(unit) {
			return nil, false
		}
		return []string{unit}, true
	}
	return append([]string{}, p.Units...), true
}

// whereaboutsEvents are the person events that record where a person is
// or who may know it: contact data added, grants, revocations and
// entitlements.
var whereaboutsEvents = []string{"person.contact_added", "person.details_changed", "person.entitlement_recorded",
	"person.whereabouts_granted", "person.whereabouts_grant_revoked"}

// AuditShowsPersonEvent: the audit of what a user recorded shows a
// person's events to a reader who sees that person's whereabouts (or the
// person is not protected); to anyone else, not those that would tell
// when a protected person's address changed or who was given access.
func AuditShowsPersonEvent(eventType string, seesWhereabouts bool) bool {
	return seesWhereabouts || !slices.Contains(whereaboutsEvents, eventType)
}

// AccessReason: the reason given for a read is shown only to the
// supervisors of the unit the entry is filed under.
func AccessReason(p auth.Principal, entryUnit string) bool {
	return p.Has(auth.RoleSupervisor) && entryUnit != "" && p.InUnit(entryUnit)
}

// Report: statisticians report on any unit (aggregates only); a supervisor
// on one of their own.
func Report(p auth.Principal, unit string) bool {
	return p.Has(auth.RoleStatistician) || p.InUnit(unit)
}
