package api

import (
	"net/http"

	"github.com/fristad/fristad/api/auth"
	"github.com/fristad/fristad/domain"
	"github.com/fristad/fristad/projections/reports"
)

// Roles of the provider routes (API.md, Providers).
var (
	providerAdmins   = []auth.Role{auth.RoleAdmin, auth.RoleSupervisor}
	registryReaders  = []auth.Role{auth.RoleCaseworker, auth.RoleSupervisor, auth.RoleAdmin}
	providerReaders  = []auth.Role{auth.RoleCaseworker, auth.RoleSupervisor, auth.RoleAdmin, auth.RoleProvider}
	profileWriters   = []auth.Role{auth.RoleAdmin, auth.RoleSupervisor, auth.RoleProvider}
	vacancyReporters = []auth.Role{auth.RoleProvider, auth.RoleSupervisor}
	supervisors      = []auth.Role{auth.RoleSupervisor}
	matchers         = []auth.Role{auth.RoleCaseworker, auth.RoleSupervisor}
)

// providerRoutes are the routes of shelters as providers: the registry,
// permits, vacancies, the county boards' follow-up checklist, matching a
// household, the provider's report back and the providers report.
func providerRoutes() []route {
	const get, post = http.MethodGet, http.MethodPost
	return []route{
		{Method: post, Path: "/providers", Roles: providerAdmins, Summary: "Register a provider (utförare, e.g. a shelter); its address is sealed",
			Body: domain.RegisterProvider{}, Status: http.StatusCreated, Handle: (*Server).registerProvider},
		{Method: get, Path: "/providers", Roles: registryReaders, Summary: "The registry of providers with permit validity and last vacancies: filters kind, region",
			Status: http.StatusOK, Handle: (*Server).listProviders},
		{Method: get, Path: "/providers/checklist", Roles: providerReaders, Summary: "The county boards' follow-up checklist template (current version, or version=)",
			Status: http.StatusOK, Handle: (*Server).getChecklist},
		{Method: post, Path: "/providers/match", Roles: matchers, Summary: "Match a household (from a case, or explicit needs) to the registered providers",
			Body: matchRequest{}, Status: http.StatusOK, Handle: (*Server).matchProviders},
		{Method: get, Path: "/providers/:id", Roles: providerReaders, Summary: "One provider with its address and follow-ups (the municipality's staff, or the provider's own)",
			Status: http.StatusOK, Handle: (*Server).getProvider},
		{Method: post, Path: "/providers/:id/profile", Roles: profileWriters, Summary: "Replace a provider's profile (its own staff cannot change its organisation form)",
			Body: domain.ChangeProviderProfile{}, Status: http.StatusOK, Handle: providerWrite(changeProfile)},
		{Method: post, Path: "/providers/:id/permit", Roles: providerAdmins, Summary: "Record the provider's permit for protected housing (IVO)",
			Body: domain.RecordPermit{}, Status: http.StatusOK, Handle: providerWrite(recordPermit)},
		{Method: post, Path: "/providers/:id/vacancies", Roles: vacancyReporters, Summary: "Report vacancies (the provider's own staff, or a supervisor)",
			Body: domain.ReportVacancies{}, Status: http.StatusOK, Handle: providerWrite(reportVacancies)},
		{Method: post, Path: "/providers/:id/follow-ups", Roles: supervisors, Summary: "Follow up a provider with the checklist: answers, findings, actions, next follow-up",
			Body: domain.FollowUpProvider{}, Status: http.StatusCreated, Handle: providerWrite(followUpProvider)},
		{Method: post, Path: "/providers/:id/actions/:aid/done", Roles: supervisors, Summary: "An agreed action of a follow-up carried out",
			Body: domain.CompleteProviderAction{}, Status: http.StatusOK, Handle: providerWrite(completeAction)},
		{Method: get, Path: "/reports/providers", Roles: reporters, Summary: "Providers report: per provider placements, persons, children, days, move-outs, goal attainment, complaints, open actions; from, to, unit, format, as_of, min_cell",
			Status: http.StatusOK, Handle: report(reports.Providers)},
		{Method: post, Path: "/cases/:id/assignments/:aid/report-back", Roles: provider, Summary: "The provider's report back at the end of its assignment (ends it)",
			Body: domain.ReportBack{}, Status: http.StatusOK, Handle: (*Server).reportBack},
	}
}
