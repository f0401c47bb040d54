package api

import (
	"net/http"

	"github.com/fristad/fristad/api/auth"
	"github.com/fristad/fristad/domain"
)

// Roles of the whereabouts routes (API.md, "Protected identity").
var protectors = []auth.Role{auth.RoleCaseworker, auth.RoleSupervisor, auth.RolePartnerContact}

// whereaboutsRoutes are the routes of protection on any person and of
// grants to see a protected person's whereabouts.
func whereaboutsRoutes() []route {
	return []route{
		{Method: http.MethodPost, Path: "/persons/:id/protection", Roles: protectors, Summary: "Protected personal data of any person (raise: whoever reaches them; lower: an entitled supervisor, with a reason)",
			Body: domain.ChangeProtection{}, Status: 200, Handle: (*Server).protectPerson},
		{Method: http.MethodPost, Path: "/persons/:id/grants", Roles: supervisor, Summary: "Grant a user access to a protected person's whereabouts until a date (an entitled supervisor)",
			Body: domain.GrantWhereabouts{}, Status: 201, Handle: (*Server).grantWhereabouts},
		{Method: http.MethodPost, Path: "/persons/:id/grants/:gid/revoke", Roles: supervisor, Summary: "Revoke a grant (an entitled supervisor)",
			Body: domain.RevokeGrant{}, Status: 200, Handle: (*Server).revokeGrant},
		{Method: http.MethodGet, Path: "/persons/:id/grants", Roles: supervisor, Summary: "Who may see a protected person's whereabouts now, and why (an entitled supervisor)",
			Status: 200, Handle: (*Server).listGrants},
	}
}
