package api

import (
	"net/http"

	"github.com/fristad/fristad/api/auth"
	"github.com/fristad/fristad/domain"
)

// settingsReaders may read the municipality's settings; only admins
// change them (API.md, Administration).
var settingsReaders = []auth.Role{auth.RoleAdmin, auth.RoleSupervisor}

// adminRoutes are the municipality's settings: the units registry and
// the board's intervals and limits (handlers_admin.go).
func adminRoutes() []route {
	return []route{
		{Method: http.MethodGet, Path: "/admin/units", Roles: settingsReaders,
			Summary: "The municipality's units registry: unit, name, kind (adults, children, treatment, other)",
			Body:    nil, Status: http.StatusOK, Handle: (*Server).getUnits},
		{Method: http.MethodPut, Path: "/admin/units/:unit", Roles: admins,
			Summary: "Register a unit or change its name or kind (each change an event); the unit id is 1-64 letters, digits, '.', '_' or '-'",
			Body:    domain.SetUnit{}, Status: http.StatusOK, Handle: (*Server).putUnit},
		{Method: http.MethodGet, Path: "/admin/settings", Roles: settingsReaders,
			Summary: "The municipality's settings: decision_communication_days, appeal_forward_days, placement_reconsider_months, max_token_ttl (seconds), report_concurrency",
			Body:    nil, Status: http.StatusOK, Handle: (*Server).getSettings},
		{Method: http.MethodPut, Path: "/admin/settings", Roles: admins,
			Summary: "Replace the municipality's settings (every member; each change an event)",
			Body:    domain.SettingValues{}, Status: http.StatusOK, Handle: (*Server).putSettings},
	}
}
