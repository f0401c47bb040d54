package api

import (
	"net/http"

	"github.com/fristad/fristad/api/auth"
	"github.com/fristad/fristad/domain"
	"github.com/fristad/fristad/projections"
	"github.com/fristad/fristad/projections/reports"
	"github.com/labstack/echo/v4"
)

// route is one API route: the table below is the single source for
// registration (server.go), role checks and query validation (guard), the
// OpenAPI document (openapi.go), the role matrix test and the contract
// test. Write new entries with keyed fields.
type route struct {
	Method  string
	Path    string // under /api/v1, Echo syntax
	Roles   []auth.Role
	Summary string
	Body    any // a zero request body, for the OpenAPI document; nil for none
	Status  int // status of success
	Handle  func(s *Server, c echo.Context, p auth.Principal) error
	// Query are the query parameters the route takes (query.go); guard
	// refuses any other, and a malformed value, with 400.
	Query []param
	// Response is the success body of a route that is not a plain write
	// (a zero value of its type); nil for a write, which answers
	// writeResponse and Returns.
	Response any
	// Returns names the id a write returns besides id, version and seq
	// (e.g. "note_id").
	Returns string
	// Versioned: a read of one record, sent with its version as ETag.
	Versioned bool
	// Logged: a read the access log records: it takes X-Access-Reason
	// (required for a protected person: else 400) and fails closed with
	// 503 when the log cannot be written.
	Logged bool
	// Fresh: the read waits for the projections to apply this instance's
	// writes and the client's X-Min-Seq; 503 with Retry-After if they lag.
	Fresh bool
	// Busy: the route may answer 503 with Retry-After for another reason
	// (a full report queue, projections catching up).
	Busy bool
	// Formats are media types the success response also comes in.
	Formats []string
	// Refers: the body names records (e.g. person_id) the caller may not
	// reach, answered 404 like a record in the path.
	Refers bool
}

// write reports whether r is a plain write (writeResponse, If-Match,
// Idempotency-Key, 409/412/422).
func (r route) write() bool { return r.Method != http.MethodGet && r.Response == nil }

// Roles by the routes of API.md.
var (
	caseworker      = []auth.Role{auth.RoleCaseworker}
	caseWork        = []auth.Role{auth.RoleCaseworker, auth.RoleSupervisor} // case work: case workers and their supervisors
	caseFileReaders = []auth.Role{auth.RoleCaseworker, auth.RoleSupervisor, auth.RoleProvider}
	caseOrProvider  = []auth.Role{auth.RoleCaseworker, auth.RoleProvider}
	provider        = []auth.Role{auth.RoleProvider}
	treatment       = []auth.Role{auth.RoleTreatment}
	partnerSide     = []auth.Role{auth.RolePartnerContact}
	bothSides       = []auth.Role{auth.RoleTreatment, auth.RolePartnerContact}
	contactReaders  = []auth.Role{auth.RoleTreatment, auth.RolePartnerContact, auth.RoleSupervisor}
	admins          = []auth.Role{auth.RoleAdmin}
	reporters       = []auth.Role{auth.RoleStatistician, auth.RoleSupervisor}
)

// reportFormats are the media types a report also comes in.
var reportFormats = []string{mimeCSV, mimeXLSX}

func routes() []route {
	const get, post = http.MethodGet, http.MethodPost
	table := []route{
		{Method: post, Path: "/persons", Roles: caseworker, Summary: "Open a personal file (personakt)", Body: domain.RegisterPerson{}, Status: 201, Handle: (*Server).createPerson, Returns: "person_id"},
		{Method: post, Path: "/persons/search", Roles: caseworker, Summary: "Find persons by personal identity number", Body: personSearch{}, Status: 200, Handle: (*Server).searchPersons, Response: personSearchResult{}, Logged: true},
		{Method: get, Path: "/persons/:id", Roles: caseWork, Summary: "A person, masked per reader", Status: 200, Handle: (*Server).getPerson, Response: PersonView{}, Versioned: true, Logged: true, Fresh: true},

		{Method: post, Path: "/cases", Roles: caseworker, Summary: "Intake (aktualisering): open a case", Body: domain.OpenCase{}, Status: 201, Handle: (*Server).openCase, Returns: "person_id", Refers: true},
		{Method: get, Path: "/cases", Roles: caseWork, Summary: "The caseload (ärendelista): filters assignee (me or a user), unit, status, overdue, risk; limit, cursor", Status: 200, Handle: (*Server).caseload, Query: caseloadQuery, Response: caseloadPage{}, Fresh: true},
		{Method: get, Path: "/cases/:id", Roles: caseFileReaders, Summary: "The case file, masked per reader", Status: 200, Handle: (*Server).getCase, Query: caseFileQuery, Response: caseFile{}, Versioned: true, Logged: true, Fresh: true},
		{Method: get, Path: "/cases/:id/events", Roles: caseWork, Summary: "The documentation history of a case, in pages from the oldest event to the newest (the newest page last; next_cursor null on it)", Status: 200, Handle: (*Server).caseEvents, Query: historyQuery, Response: caseHistory{}, Versioned: true, Logged: true},
		{Method: post, Path: "/cases/:id/preliminary-assessment", Roles: caseworker, Summary: "Preliminary assessment (förhandsbedömning)", Body: domain.AssessPreliminary{}, Status: 200, Handle: caseWrite(assessPreliminary)},
		{Method: post, Path: "/cases/:id/violence", Roles: caseworker, Summary: "Document violence", Body: domain.DocumentViolence{}, Status: 200, Handle: caseWrite(documentViolence)},
		{Method: post, Path: "/cases/:id/risk-assessments", Roles: caseworker, Summary: "Threat and risk assessment (hot- och riskbedömning)", Body: domain.AssessRisk{}, Status: 200, Handle: caseWrite(assessRisk)},
		{Method: post, Path: "/cases/:id/safety-plans", Roles: caseworker, Summary: "Safety planning (säkerhetsplanering)", Body: domain.PlanSafety{}, Status: 200, Handle: caseWrite(planSafety)},
		{Method: post, Path: "/cases/:id/protected-identity", Roles: caseWork, Summary: "Protected personal data of the case's subject (lowering: an entitled supervisor, with a reason)", Body: domain.ChangeProtection{}, Status: 200, Handle: (*Server).protectIdentity, Returns: "person_id"},
		{Method: post, Path: "/cases/:id/children", Roles: caseworker, Summary: "A child in the case", Body: domain.AddChild{}, Status: 201, Handle: (*Server).addChild, Returns: "child_id"},
		{Method: post, Path: "/cases/:id/decisions", Roles: deciders, Summary: "Decision on support (beslut om bistånd), by the caller under the delegation order", Body: domain.MakeDecision{}, Status: 201, Handle: decisionWrite(makeDecisionOp), Returns: "decision_id"},
		{Method: post, Path: "/cases/:id/assignments", Roles: caseworker, Summary: "Assignment to a provider (uppdrag)", Body: domain.IssueAssignment{}, Status: 201, Handle: caseWrite(issueAssignment), Returns: "assignment_id"},
		{Method: post, Path: "/cases/:id/placements", Roles: caseworker, Summary: "Placement in protected housing", Body: domain.StartPlacement{}, Status: 201, Handle: caseWrite(startPlacement), Returns: "placement_id"},
		{Method: post, Path: "/cases/:id/placements/:pid/schooling", Roles: caseOrProvider, Summary: "Schooling arranged for a placed child", Body: domain.ArrangeSchooling{}, Status: 200, Handle: caseWrite(arrangeSchooling)},
		{Method: post, Path: "/cases/:id/placements/:pid/implementation-plan", Roles: provider, Summary: "Implementation plan (genomförandeplan)", Body: domain.RecordImplementationPlan{}, Status: 200, Handle: caseWrite(recordPlan)},
		{Method: post, Path: "/cases/:id/placements/:pid/extension", Roles: caseworker, Summary: "Extend a placement", Body: domain.ExtendPlacement{}, Status: 200, Handle: caseWrite(extendPlacement)},
		{Method: post, Path: "/cases/:id/placements/:pid/move-out", Roles: caseOrProvider, Summary: "Move out of protected housing", Body: domain.MoveOut{}, Status: 200, Handle: caseWrite(moveOut)},
		{Method: post, Path: "/cases/:id/follow-ups", Roles: caseworker, Summary: "Follow-up (uppföljning) of a granted support", Body: domain.FollowUp{}, Status: 200, Handle: caseWrite(followUp)},
		{Method: post, Path: "/cases/:id/notes", Roles: caseOrProvider, Summary: "A note (journalanteckning)", Body: domain.AddNote{}, Status: 201, Handle: caseWrite(addNote), Returns: "note_id"},
		{Method: post, Path: "/cases/:id/corrections", Roles: caseworker, Summary: "A correction (rättelse) of an earlier event", Body: domain.Correct{}, Status: 200, Handle: caseWrite(correct)},
		{Method: post, Path: "/cases/:id/reassign", Roles: caseWork, Summary: "Reassign: a case worker hands off their own case; a supervisor any (an entitled one grants the new assignee a protected person's whereabouts)", Body: domain.Reassign{}, Status: 200, Handle: (*Server).reassignCase},
		{Method: post, Path: "/cases/:id/close", Roles: caseworker, Summary: "Close the case", Body: domain.CloseCase{}, Status: 200, Handle: caseWrite(closeCase)},
		{Method: post, Path: "/cases/:id/reopen", Roles: caseworker, Summary: "Reopen a closed case", Body: domain.ReopenCase{}, Status: 200, Handle: caseWrite(reopenCase)},
		{Method: post, Path: "/cases/:id/flags", Roles: caseWork, Summary: "Raise a flag on a case (something needs attention)", Body: domain.RaiseFlag{}, Status: 201, Handle: caseWrite(raiseFlag), Returns: "flag_id"},
		{Method: post, Path: "/cases/:id/flags/:fid/resolve", Roles: caseWork, Summary: "Resolve a flag with a note", Body: domain.ResolveFlag{}, Status: 200, Handle: caseWrite(resolveFlag)},
		{Method: get, Path: "/reports/mapping", Roles: reporters, Summary: "Mapping report (kartläggning) by replaying events: from, to, unit, format, as_of, min_cell", Status: 200, Handle: report(reports.Mapping), Query: periodReport, Response: reports.Report{}, Busy: true, Formats: reportFormats},
		{Method: get, Path: "/reports/follow-up", Roles: reporters, Summary: "Systematic follow-up report: from, to, unit, format, as_of, min_cell", Status: 200, Handle: report(reports.FollowUp), Query: periodReport, Response: reports.Report{}, Busy: true, Formats: reportFormats},
		{Method: get, Path: "/reports/indicators", Roles: reporters, Summary: "Draft answers to the national survey for a year: year, unit, format, as_of, min_cell", Status: 200, Handle: report(reports.Indicators), Query: yearReport, Response: reports.Report{}, Busy: true, Formats: reportFormats},
		{Method: get, Path: "/admin/projections", Roles: admins, Summary: "Where the projections stand: applied sequence, snapshot, events applied since start, state digest", Status: 200, Handle: (*Server).projectionStatus, Query: digestQuery, Response: projections.Status{}, Busy: true},
		{Method: get, Path: "/dashboard/overdue", Roles: caseWork, Summary: "Overdue dashboard: follow-ups past due, stale high-risk assessments, placements past their decision", Status: 200, Handle: (*Server).overdue, Response: Dashboard{}, Fresh: true},

		{Method: post, Path: "/partner-contacts", Roles: treatment, Summary: "Offer partner contact (partnerkontakt)", Body: domain.OfferPartnerContact{}, Status: 201, Handle: (*Server).offerPartnerContact},
		{Method: get, Path: "/partner-contacts/:id", Roles: contactReaders, Summary: "The partner contact as the caller's side may see it", Status: 200, Handle: (*Server).getPartnerContact, Response: partnerContactFile{}, Versioned: true, Logged: true},
		{Method: post, Path: "/partner-contacts/:id/consent", Roles: treatment, Summary: "Consent given, refused or withdrawn", Body: domain.RecordConsent{}, Status: 200, Handle: contactWrite(recordConsent)},
		{Method: post, Path: "/partner-contacts/:id/approaches", Roles: partnerSide, Summary: "An approach to the partner", Body: domain.RecordApproach{}, Status: 200, Handle: contactWrite(recordApproach)},
		{Method: post, Path: "/partner-contacts/:id/response", Roles: partnerSide, Summary: "The partner accepts or declines", Body: domain.RecordResponse{}, Status: 200, Handle: contactWrite(recordResponse)},
		{Method: post, Path: "/partner-contacts/:id/risk-assessments", Roles: partnerSide, Summary: "Risk assessment with the partner", Body: domain.AssessPartnerRisk{}, Status: 200, Handle: contactWrite(assessPartnerRisk)},
		{Method: post, Path: "/partner-contacts/:id/treatment-status", Roles: treatment, Summary: "Treatment status notice", Body: domain.ChangeTreatmentStatus{}, Status: 200, Handle: contactWrite(changeTreatmentStatus)},
		{Method: post, Path: "/partner-contacts/:id/signals", Roles: bothSides, Summary: "Share an agreed signal (a category, not content)", Body: domain.ShareSignal{}, Status: 200, Handle: contactWrite(shareSignal)},
		{Method: post, Path: "/partner-contacts/:id/new-violence", Roles: partnerSide, Summary: "New violence reported", Body: domain.ReportNewViolence{}, Status: 200, Handle: contactWrite(reportNewViolence)},
		{Method: post, Path: "/partner-contacts/:id/exception", Roles: bothSides, Summary: "No contact: an exception applies", Body: domain.RecordException{}, Status: 200, Handle: contactWrite(recordException)},
		{Method: post, Path: "/partner-contacts/:id/end", Roles: treatment, Summary: "End the partner contact", Body: domain.EndPartnerContact{}, Status: 200, Handle: contactWrite(endPartnerContact)},
		{Method: get, Path: "/audit/cases/:id", Roles: supervisor, Summary: "Audit of a case: who recorded and who read what (filters from, to, user; limit, cursor)", Status: 200, Handle: (*Server).auditCase, Query: auditCaseQuery, Response: auditCaseResponse{}, Logged: true},
		{Method: get, Path: "/audit/users/:sub", Roles: auditors, Summary: "Audit of a user: what they recorded and read (filters from, to, unit; limit, cursor, recorded_cursor)", Status: 200, Handle: (*Server).auditUser, Query: auditUserQuery, Response: auditUserResponse{}, Logged: true, Fresh: true},
		{Method: get, Path: "/audit/access", Roles: auditors, Summary: "Access log review (logguppföljning): filters from, to, unit, user; limit, cursor", Status: 200, Handle: (*Server).auditAccess, Query: auditAccessQuery, Response: auditAccessResponse{}, Logged: true},
	}
	table = append(table, auditReviewRoutes()...)
	table = append(table, whereaboutsRoutes()...)
	table = append(table, decisionRoutes()...)
	table = append(table, adminRoutes()...)
	table = append(table, providerRoutes()...)
	table = append(table, childrenRoutes()...)
	return table
}
