package policy

import (
	"github.com/fristad/fristad/api/auth"
	"github.com/fristad/fristad/domain"
)

// ContactScope: both sides of a partner contact (partnerkontakt) and their
// supervisors work in the unit of the perpetrator's treatment case.
func ContactScope(p auth.Principal, treatmentCase domain.Case) bool {
	return treatmentCase.Exists && p.HasAny(auth.RoleTreatment, auth.RolePartnerContact, auth.RoleSupervisor) && p.InUnit(treatmentCase.Unit)
}

// ContactSide is the view of a partner contact the caller gets: the
// treatment side and the partner-contact side see different things (the
// information barrier); a supervisor sees both.
type ContactSide int

const (
	SideNone ContactSide = iota
	SideTreatment
	SidePartner
	SideSupervisor
)

// SideOf is the side of the barrier a caller stands on.
func SideOf(p auth.Principal) ContactSide {
	switch {
	case p.Has(auth.RoleSupervisor):
		return SideSupervisor
	case p.Has(auth.RoleTreatment) && p.Has(auth.RolePartnerContact):
		// One person must not hold both sides of the barrier.
		return SideNone
	case p.Has(auth.RoleTreatment):
		return SideTreatment
	case p.Has(auth.RolePartnerContact):
		return SidePartner
	}
	return SideNone
}
