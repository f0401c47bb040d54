package api

import (
	"net/http"

	"github.com/fristad/fristad/api/auth"
	"github.com/fristad/fristad/domain"
	"github.com/fristad/fristad/projections/reports"
	"github.com/labstack/echo/v4"
)

// route is one API route: the table below is the single source for
// registration, role checks (guard), the OpenAPI document and the role
// matrix test.
type route struct {
	Method  string
	Path    string // under /api/v1, Echo syntax
	Roles   []auth.Role
	Summary string
	Body    any // a zero request body, for the OpenAPI document; nil for none
	Status  int // status of success
	Handle  func(s *Server, c echo.Context, p auth.Principal) error
}

// Roles by the routes of API.md.
var (
	caseworker      = []auth.Role{auth.RoleCaseworker}
	caseReaders     = []auth.Role{auth.RoleCaseworker, auth.RoleSupervisor}
	caseFileReaders = []auth.Role{auth.RoleCaseworker, auth.RoleSupervisor, auth.RoleProvider}
	caseOrProvider  = []auth.Role{auth.RoleCaseworker, auth.RoleProvider}
	provider        = []auth.Role{auth.RoleProvider}
	caseOrSuper     = []auth.Role{auth.RoleCaseworker, auth.RoleSupervisor}
	treatment       = []auth.Role{auth.RoleTreatment}
	partnerSide     = []auth.Role{auth.RolePartnerContact}
	bothSides       = []auth.Role{auth.RoleTreatment, auth.RolePartnerContact}
	contactReaders  = []auth.Role{auth.RoleTreatment, auth.RolePartnerContact, auth.RoleSupervisor}
	admins          = []auth.Role{auth.RoleAdmin}
	reporters       = []auth.Role{auth.RoleStatistician, auth.RoleSupervisor}
)

func routes() []route {
	const get, post = http.MethodGet, http.MethodPost
	table := []route{
		{post, "/persons", caseworker, "Open a personal file (personakt)", domain.RegisterPerson{}, 201, (*Server).createPerson},
		{post, "/persons/search", caseworker, "Find persons by personal identity number", personSearch{}, 200, (*Server).searchPersons},
		{get, "/persons/:id", caseReaders, "A person, masked per reader", nil, 200, (*Server).getPerson},

		{post, "/cases", caseworker, "Intake (aktualisering): open a case", domain.OpenCase{}, 201, (*Server).openCase},
		{get, "/cases", caseReaders, "The caseload (ärendelista): filters assignee (me or a user), unit, status, overdue, risk; limit, cursor", nil, 200, (*Server).caseload},
		{get, "/cases/:id", caseFileReaders, "The case file, masked per reader", nil, 200, (*Server).getCase},
		{get, "/cases/:id/events", caseReaders, "The documentation history of a case", nil, 200, (*Server).caseEvents},
		{post, "/cases/:id/preliminary-assessment", caseworker, "Preliminary assessment (förhandsbedömning)", domain.AssessPreliminary{}, 200, caseWrite(assessPreliminary)},
		{post, "/cases/:id/violence", caseworker, "Document violence", domain.DocumentViolence{}, 200, caseWrite(documentViolence)},
		{post, "/cases/:id/risk-assessments", caseworker, "Threat and risk assessment (hot- och riskbedömning)", domain.AssessRisk{}, 200, caseWrite(assessRisk)},
		{post, "/cases/:id/safety-plans", caseworker, "Safety planning (säkerhetsplanering)", domain.PlanSafety{}, 200, caseWrite(planSafety)},
		{post, "/cases/:id/protected-identity", caseOrSuper, "Protected personal data of the case's subject (lowering: an entitled supervisor, with a reason)", domain.ChangeProtection{}, 200, (*Server).protectIdentity},
		{post, "/cases/:id/children", caseworker, "A child in the case", domain.AddChild{}, 201, (*Server).addChild},
		{Method: post, Path: "/cases/:id/decisions", Roles: deciders, Summary: "Decision on support (beslut om bistånd), by the caller under the delegation order", Body: domain.MakeDecision{}, Status: 201, Handle: decisionWrite(makeDecisionOp)},
		{post, "/cases/:id/assignments", caseworker, "Assignment to a provider (uppdrag)", domain.IssueAssignment{}, 201, caseWrite(issueAssignment)},
		{post, "/cases/:id/placements", caseworker, "Placement in protected housing", domain.StartPlacement{}, 201, caseWrite(startPlacement)},
		{post, "/cases/:id/placements/:pid/schooling", caseOrProvider, "Schooling arranged for a placed child", domain.ArrangeSchooling{}, 200, caseWrite(arrangeSchooling)},
		{post, "/cases/:id/placements/:pid/implementation-plan", provider, "Implementation plan (genomförandeplan)", domain.RecordImplementationPlan{}, 200, caseWrite(recordPlan)},
		{post, "/cases/:id/placements/:pid/extension", caseworker, "Extend a placement", domain.ExtendPlacement{}, 200, caseWrite(extendPlacement)},
		{post, "/cases/:id/placements/:pid/move-out", caseOrProvider, "Move out of protected housing", domain.MoveOut{}, 200, caseWrite(moveOut)},
		{post, "/cases/:id/follow-ups", caseworker, "Follow-up (uppföljning) of a granted support", domain.FollowUp{}, 200, caseWrite(followUp)},
		{post, "/cases/:id/notes", caseOrProvider, "A note (journalanteckning)", domain.AddNote{}, 201, caseWrite(addNote)},
		{post, "/cases/:id/corrections", caseworker, "A correction (rättelse) of an earlier event", domain.Correct{}, 200, caseWrite(correct)},
		{post, "/cases/:id/reassign", caseOrSuper, "Reassign: a case worker hands off their own case; a supervisor any (an entitled one grants the new assignee a protected person's whereabouts)", domain.Reassign{}, 200, (*Server).reassignCase},
		{post, "/cases/:id/close", caseworker, "Close the case", domain.CloseCase{}, 200, caseWrite(closeCase)},
		{post, "/cases/:id/reopen", caseworker, "Reopen a closed case", domain.ReopenCase{}, 200, caseWrite(reopenCase)},
		{post, "/cases/:id/flags", caseOrSuper, "Raise a flag on a case (something needs attention)", domain.RaiseFlag{}, 201, caseWrite(raiseFlag)},
		{post, "/cases/:id/flags/:fid/resolve", caseOrSuper, "Resolve a flag with a note", domain.ResolveFlag{}, 200, caseWrite(resolveFlag)},
		{get, "/reports/mapping", reporters, "Mapping report (kartläggning) by replaying events: from, to, unit, format, as_of, min_cell", nil, 200, report(reports.Mapping)},
		{get, "/reports/follow-up", reporters, "Systematic follow-up report: from, to, unit, format, as_of, min_cell", nil, 200, report(reports.FollowUp)},
		{get, "/reports/indicators", reporters, "Draft answers to the national survey for a year: year, unit, format, as_of, min_cell", nil, 200, report(reports.Indicators)},
		{get, "/admin/projections", admins, "Where the projections stand: applied sequence, snapshot, events applied since start, state digest", nil, 200, (*Server).projectionStatus},
		{get, "/dashboard/overdue", caseReaders, "Overdue dashboard: follow-ups past due, stale high-risk assessments, placements past their decision", nil, 200, (*Server).overdue},

		{post, "/partner-contacts", treatment, "Offer partner contact (partnerkontakt)", domain.OfferPartnerContact{}, 201, (*Server).offerPartnerContact},
		{get, "/partner-contacts/:id", contactReaders, "The partner contact as the caller's side may see it", nil, 200, (*Server).getPartnerContact},
		{post, "/partner-contacts/:id/consent", treatment, "Consent given, refused or withdrawn", domain.RecordConsent{}, 200, contactWrite(recordConsent)},
		{post, "/partner-contacts/:id/approaches", partnerSide, "An approach to the partner", domain.RecordApproach{}, 200, contactWrite(recordApproach)},
		{post, "/partner-contacts/:id/response", partnerSide, "The partner accepts or declines", domain.RecordResponse{}, 200, contactWrite(recordResponse)},
		{post, "/partner-contacts/:id/risk-assessments", partnerSide, "Risk assessment with the partner", domain.AssessPartnerRisk{}, 200, contactWrite(assessPartnerRisk)},
		{post, "/partner-contacts/:id/treatment-status", treatment, "Treatment status notice", domain.ChangeTreatmentStatus{}, 200, contactWrite(changeTreatmentStatus)},
		{post, "/partner-contacts/:id/signals", bothSides, "Share an agreed signal (a category, not content)", domain.ShareSignal{}, 200, contactWrite(shareSignal)},
		{post, "/partner-contacts/:id/new-violence", partnerSide, "New violence reported", domain.ReportNewViolence{}, 200, contactWrite(reportNewViolence)},
		{post, "/partner-contacts/:id/exception", bothSides, "No contact: an exception applies", domain.RecordException{}, 200, contactWrite(recordException)},
		{post, "/partner-contacts/:id/end", treatment, "End the partner contact", domain.EndPartnerContact{}, 200, contactWrite(endPartnerContact)},
		{get, "/audit/cases/:id", supervisor, "Audit of a case: who recorded and who read what (filters from, to, user; limit, cursor)", nil, 200, (*Server).auditCase},
		{get, "/audit/users/:sub", auditors, "Audit of a user: what they recorded and read (filters from, to, unit; limit, cursor, recorded_cursor)", nil, 200, (*Server).auditUser},
		{get, "/audit/access", auditors, "Access log review (logguppföljning): filters from, to, unit, user; limit, cursor", nil, 200, (*Server).auditAccess},
	}
	table = append(table, auditReviewRoutes()...)
	table = append(table, whereaboutsRoutes()...)
	table = append(table, decisionRoutes()...)
	table = append(table, adminRoutes()...)
	table = append(table, providerRoutes()...)
	table = append(table, childrenRoutes()...)
	return table
}
