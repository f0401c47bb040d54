package policy

import (
	"testing"

	"github.com/fristad/fristad/api/auth"
	"github.com/fristad/fristad/domain"
)

func TestProviderScopes(t *testing.T) {
	admin := auth.Principal{Sub: "adm", Roles: []auth.Role{auth.RoleAdmin}}
	otherProv := auth.Principal{Sub: "jour2", Roles: []auth.Role{auth.RoleProvider}, Provider: "Q"}
	noClaim := auth.Principal{Sub: "jour3", Roles: []auth.Role{auth.RoleProvider}}
	claimNoRole := auth.Principal{Sub: "x", Roles: []auth.Role{auth.RoleTreatment}, Provider: "P"}
	for _, c := range []struct {
		name                          string
		p                             auth.Principal
		read, write, staffOnly, dueOn bool
	}{
		{"case worker (any unit)", barn, true, false, true, false},
		{"supervisor", sup, true, true, false, true},
		{"admin", admin, true, true, false, false},
		{"the provider's own staff", prov, true, true, true, false},
		{"another provider's staff", otherProv, false, false, true, false},
		{"provider role without a claim", noClaim, false, false, true, false},
		{"a claim without the provider role", claimNoRole, false, false, true, false},
		{"statistician", stat, false, false, true, false},
		{"treatment", treat, false, false, true, false},
		{"partner contact", pk, false, false, true, false},
	} {
		if got := ReadProvider(c.p, "P"); got != c.read {
			t.Errorf("%s: ReadProvider %v", c.name, got)
		}
		if got := WriteProvider(c.p, "P"); got != c.write {
			t.Errorf("%s: WriteProvider %v", c.name, got)
		}
		if got := ProviderStaffOnly(c.p); got != c.staffOnly {
			t.Errorf("%s: ProviderStaffOnly %v", c.name, got)
		}
		if got := ProviderFollowUpWork(c.p); got != c.dueOn {
			t.Errorf("%s: ProviderFollowUpWork %v", c.name, got)
		}
		want := c.p.Sub == prov.Sub
		if got := ReportBack(c.p, domain.AssignmentIssued{ProviderID: "P"}); got != want {
			t.Errorf("%s: ReportBack %v", c.name, got)
		}
	}
	for _, c := range []struct {
		name string
		p    auth.Principal
		unit string
		want bool
	}{
		{"statistician, all units", stat, "", true},
		{"supervisor, all units", sup, "", true},
		{"supervisor, own unit", sup, "vuxen", true},
		{"supervisor, another unit", sup, "barn", false},
		{"case worker", worker, "", false},
	} {
		if got := ProvidersReport(c.p, c.unit); got != c.want {
			t.Errorf("%s: ProvidersReport %v", c.name, got)
		}
	}
}
