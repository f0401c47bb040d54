package policy

import (
	"testing"

	"github.com/fristad/fristad/api/auth"
	"github.com/fristad/fristad/domain"
)

var (
	worker  = auth.Principal{Sub: "anna", Roles: []auth.Role{auth.RoleCaseworker}, Units: []string{"vuxen"}}
	other   = auth.Principal{Sub: "bo", Roles: []auth.Role{auth.RoleCaseworker}, Units: []string{"vuxen"}}
	barn    = auth.Principal{Sub: "olle", Roles: []auth.Role{auth.RoleCaseworker}, Units: []string{"barn"}}
	sup     = auth.Principal{Sub: "sara", Roles: []auth.Role{auth.RoleSupervisor}, Units: []string{"vuxen"}}
	pk      = auth.Principal{Sub: "pk", Roles: []auth.Role{auth.RolePartnerContact}, Units: []string{"vuxen"}}
	treat   = auth.Principal{Sub: "beh", Roles: []auth.Role{auth.RoleTreatment}, Units: []string{"vuxen"}}
	prov    = auth.Principal{Sub: "jour", Roles: []auth.Role{auth.RoleProvider}, Provider: "P"}
	stat    = auth.Principal{Sub: "stat", Roles: []auth.Role{auth.RoleStatistician}}
	today   = domain.NewDate(2026, 3, 10)
	protect = domain.Person{Protection: domain.ProtectionRegistered, SupervisorUnits: []string{"vuxen"},
		Entitlements: []domain.Entitlement{{Sub: "anna"}, {Sub: "bo", GrantID: "g", Until: domain.NewDate(2026, 3, 9)}}}
)

func TestReachesPerson(t *testing.T) {
	subject := Reach{CaseUnits: []string{"vuxen"}, RegisteredBy: "anna"}
	partner := Reach{PartnerUnits: []string{"vuxen"}}
	linked := Reach{LinkedBy: []string{"olle"}}
	for _, c := range []struct {
		name string
		p    auth.Principal
		r    Reach
		want bool
	}{
		{"worker of the case's unit", other, subject, true},
		{"worker of another unit", barn, subject, false},
		{"supervisor of the unit", sup, subject, true},
		{"partner-contact worker, a subject", pk, subject, false},
		{"provider", prov, subject, false},
		{"statistician", stat, subject, false},
		{"partner: partner-contact worker of the unit", pk, partner, true},
		{"partner: supervisor of the unit", sup, partner, true},
		{"partner: case worker of the unit (barrier)", worker, partner, false},
		{"partner: treatment worker (barrier)", treat, partner, false},
		{"linked by an intake", barn, linked, true},
		{"nothing", worker, Reach{}, false},
	} {
		if got := ReachesPerson(c.p, c.r); got != c.want {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}

func TestSeesWhereabouts(t *testing.T) {
	open := domain.Person{Protection: domain.ProtectionNone}
	for _, c := range []struct {
		name   string
		p      auth.Principal
		person domain.Person
		want   bool
	}{
		{"unprotected: a worker", other, open, true},
		{"unprotected: a provider sees no contact details", prov, open, false},
		{"unprotected: a statistician", stat, open, false},
		{"recorder", worker, protect, true},
		{"expired grant", other, protect, false},
		{"supervisor of the entitled unit", sup, protect, true},
		{"worker of another unit", barn, protect, false},
		{"provider", prov, protect, false},
	} {
		if got := SeesWhereabouts(c.p, c.person, today, nil); got != c.want {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
	if SeesWhereaboutsOfAll(other, []domain.Person{open, protect}, today, nil) {
		t.Error("the shelter shows to a reader not entitled on a protected child")
	}
	if !SeesWhereaboutsOfAll(worker, []domain.Person{open, protect}, today, nil) {
		t.Error("the entitled reader does not see the shelter")
	}
}
