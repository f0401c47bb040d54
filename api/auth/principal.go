// Package auth verifies bearer tokens (JWT) and says who the caller is.
package auth

import "slices"

// Role is what a user may do (API.md).
type Role string

const (
	RoleCaseworker     Role = "caseworker"      // handläggare
	RoleSupervisor     Role = "supervisor"      // enhetschef
	RoleProvider       Role = "provider"        // utförare, e.g. a women's shelter
	RoleTreatment      Role = "treatment"       // behandlare in a perpetrator programme
	RolePartnerContact Role = "partner_contact" // partnerkontakt
	RoleStatistician   Role = "statistician"
	RoleAdmin          Role = "admin"
)

// Roles lists every role.
func Roles() []Role {
	return []Role{RoleCaseworker, RoleSupervisor, RoleProvider, RoleTreatment, RolePartnerContact, RoleStatistician, RoleAdmin}
}

// Valid reports whether r is a known role.
func (r Role) Valid() bool { return slices.Contains(Roles(), r) }

// Principal is the verified caller.
type Principal struct {
	Sub      string
	Name     string
	Roles    []Role
	Units    []string
	Provider string
}

// Has reports whether the caller has role r.
func (p Principal) Has(r Role) bool { return slices.Contains(p.Roles, r) }

// HasAny reports whether the caller has one of the roles.
func (p Principal) HasAny(rs ...Role) bool {
	for _, r := range rs {
		if p.Has(r) {
			return true
		}
	}
	return false
}

// InUnit reports whether the caller works in unit u.
func (p Principal) InUnit(u string) bool { return u != "" && slices.Contains(p.Units, u) }
