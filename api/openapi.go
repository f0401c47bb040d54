package api

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"sync"

	"github.com/fristad/fristad/domain"
	"github.com/fristad/fristad/projections"
	"github.com/labstack/echo/v4"
	"github.com/swaggest/jsonschema-go"
	"github.com/swaggest/openapi-go"
	"github.com/swaggest/openapi-go/openapi31"
)

// The OpenAPI 3.1 document is generated from the route table (routes.go):
// one operation per route, the request body reflected from the route's
// zero command, the roles in the description and in x-roles. Paths carry
// the full /api/v1 prefix, so the operational routes at the root fit the
// same document.

const (
	apiPrefix        = "/api/v1"
	bearerAuth       = "bearerAuth"
	mimeJSON         = "application/json"
	mimeProblem      = "application/problem+json"
	mimeCSV          = "text/csv"
	mimeXLSX         = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	ulidPattern      = "^[0-9A-HJKMNP-TV-Z]{26}$"
	componentsPrefix = "#/components/schemas/"
)

// openAPIDoc builds the document once, on first use.
var openAPIDoc = sync.OnceValues(func() ([]byte, error) { return buildOpenAPI(routes()) })

// openAPI serves the OpenAPI 3.1 document of the routes.
func (s *Server) openAPI(c echo.Context) error {
	doc, err := openAPIDoc()
	if err != nil {
		s.log.Error("openapi document", "err", err)
		return errInternal()
	}
	return c.Blob(http.StatusOK, echo.MIMEApplicationJSON, doc)
}

// Documentation-only shapes of responses that handlers build from maps.
type (
	personSearchResult struct {
		PersonIDs []domain.ID `json:"person_ids"`
	}
	caseHistory struct {
		CaseID  domain.ID   `json:"case_id"`
		Version uint64      `json:"version"`
		Events  []EventView `json:"events"`
	}
	// caseFile is CaseView for case workers and supervisors, AssignmentView
	// for provider staff.
	caseFile struct{}
	// partnerContactFile is the caller's side of a partner contact; a
	// supervisor sees both.
	partnerContactFile struct{}
	grantsList         struct {
		PersonID   domain.ID              `json:"person_id"`
		Protection domain.ProtectionLevel `json:"protection"`
		Entitled   []EntitlementView      `json:"entitled"`
	}
	statusBody struct {
		Status string `json:"status"`
	}
)

func (caseFile) JSONSchemaOneOf() []any { return []any{CaseView{}, AssignmentView{}} }
func (partnerContactFile) JSONSchemaOneOf() []any {
	return []any{TreatmentSideView{}, PartnerSideView{}, SupervisorContactView{}}
}

// responseOf is the success body of a route that is not a plain write
// (nil for a write: writeResponse plus writeExtra), and whether it is one
// record's view, sent with its version as ETag.
func responseOf(method, path string) (body any, versioned bool) {
	switch method + " " + path {
	case "GET /persons/:id":
		return PersonView{}, true
	case "POST /persons/search":
		return personSearchResult{}, false
	case "GET /cases/:id":
		return caseFile{}, true
	case "GET /cases/:id/events":
		return caseHistory{}, true
	case "GET /partner-contacts/:id":
		return partnerContactFile{}, true
	case "GET /persons/:id/grants":
		return grantsList{}, true
	case "GET /dashboard/overdue":
		return projections.Overdue{}, false
	case "GET /tasks":
		return taskList{}, false
	}
	if b, versioned, ok := providerResponseOf(method, path); ok {
		return b, versioned
	}
	if method == http.MethodGet {
		return map[string]any{}, false
	}
	return nil, true
}

// writeExtra names the id a write returns besides id, version and seq.
func writeExtra(path string) string {
	switch path {
	case "/persons", "/cases", "/cases/:id/protected-identity", "/persons/:id/protection", "/persons/:id/grants/:gid/revoke":
		return "person_id"
	case "/persons/:id/grants":
		return "grant_id"
	case "/cases/:id/children":
		return "child_id"
	case "/cases/:id/decisions":
		return "decision_id"
	case "/cases/:id/assignments":
		return "assignment_id"
	case "/cases/:id/placements":
		return "placement_id"
	case "/cases/:id/notes":
		return "note_id"
	}
	return providerWriteExtra(path)
}

// queryParam is a documented query parameter (API.md).
type queryParam struct{ name, typ, desc string }

func queryParams(method, path string) []queryParam {
	if method != http.MethodGet {
		return nil
	}
	if qs := providerQueryParams(path); qs != nil {
		return qs
	}
	period := []queryParam{{"from", "date", "first day (YYYY-MM-DD)"}, {"to", "date", "last day (YYYY-MM-DD)"}, {"unit", "string", "unit id"}}
	switch {
	case path == "/cases":
		return []queryParam{{"assignee", "string", "`me` or a user id"}, {"unit", "string", "unit id"},
			{"status", "string", "case status"}, {"overdue", "boolean", "only cases with an overdue follow-up"},
			{"risk", "string", "latest risk level"}, {"limit", "integer", "page size"}, {"cursor", "string", "next_cursor of the previous page"}}
	case strings.HasPrefix(path, "/audit/"):
		// RFC 3339 instants or days; to is exclusive for an instant, inclusive for a day.
		ps := []queryParam{{"from", "string", "start: an RFC 3339 instant or a YYYY-MM-DD day (UTC)"},
			{"to", "string", "end: an RFC 3339 instant (exclusive) or a YYYY-MM-DD day (inclusive)"}}
		if path != "/audit/cases/:id" {
			ps = append(ps, queryParam{"unit", "string", "unit id (one of yours, for a supervisor)"})
		}
		if path != "/audit/users/:sub" {
			ps = append(ps, queryParam{"user", "string", "user id"})
		}
		ps = append(ps, queryParam{"limit", "integer", "page size (default 100, at most 1000)"},
			queryParam{"cursor", "string", "next_cursor of the previous page"})
		if path == "/audit/users/:sub" {
			ps = append(ps, queryParam{"recorded_cursor", "string", "recorded_next_cursor of the previous page"})
		}
		return ps
	case path == "/reports/indicators":
		return []queryParam{{"year", "integer", "survey year"}}
	case strings.HasPrefix(path, "/reports/"):
		return append(period, queryParam{"format", "string", "json, csv or xlsx"})
	}
	return nil
}

var echoParam = regexp.MustCompile(`:([A-Za-z0-9_]+)`)

// openAPIPath converts Echo syntax (/cases/:id) to OpenAPI (/cases/{id}).
func openAPIPath(echoPath string) string { return echoParam.ReplaceAllString(echoPath, "{$1}") }

func enumSchema[T ~string](values []T) jsonschema.Schema {
	var s jsonschema.Schema
	s.AddType(jsonschema.String)
	for _, v := range values {
		s.Enum = append(s.Enum, string(v))
	}
	return s
}

func newReflector() *openapi31.Reflector {
	r := openapi31.NewReflector()
	spec := r.SpecEns()
	spec.Info.WithTitle("fristad").WithVersion("1").
		WithDescription("Case management for support to victims of violence in close relationships. " +
			"Errors are RFC 9457 problems (application/problem+json). Writes return id, version and seq and an ETag; " +
			"If-Match makes a write conditional, Idempotency-Key makes a retry safe. Unknown JSON fields are refused (400).")
	spec.SetHTTPBearerTokenSecurity(bearerAuth, "JWT", "Bearer JWT with sub, name, roles, units, provider, exp, iss, aud")

	// Types whose JSON form reflection cannot see.
	var date jsonschema.Schema
	date.AddType(jsonschema.String)
	date.AddType(jsonschema.Null)
	date.WithFormat("date").WithDescription("YYYY-MM-DD; null when not given")
	r.AddTypeMapping(domain.Date{}, date)
	var id jsonschema.Schema
	id.AddType(jsonschema.String)
	id.WithPattern(ulidPattern).WithDescription("a ULID")
	r.AddTypeMapping(domain.ID(""), id)
	var pn jsonschema.Schema
	pn.AddType(jsonschema.String)
	pn.WithDescription("Swedish personal identity number (personnummer or samordningsnummer)")
	r.AddTypeMapping(domain.PersonalNumber(""), pn)
	var raw jsonschema.Schema
	raw.WithDescription("the event's facts")
	r.AddTypeMapping(json.RawMessage{}, raw)

	// The domain's vocabularies.
	r.AddTypeMapping(domain.IntakeSource(""), enumSchema(domain.IntakeSources()))
	r.AddTypeMapping(domain.PreliminaryDecision(""), enumSchema(domain.PreliminaryDecisions()))
	r.AddTypeMapping(domain.CaseStatus(""), enumSchema(domain.CaseStatuses()))
	r.AddTypeMapping(domain.ChildRelation(""), enumSchema(domain.ChildRelations()))
	r.AddTypeMapping(domain.ConsentStatus(""), enumSchema(domain.ConsentStatuses()))
	r.AddTypeMapping(domain.ApproachChannel(""), enumSchema(domain.ApproachChannels()))
	r.AddTypeMapping(domain.ApproachOutcome(""), enumSchema(domain.ApproachOutcomes()))
	r.AddTypeMapping(domain.TreatmentStatus(""), enumSchema(domain.TreatmentStatuses()))
	r.AddTypeMapping(domain.SignalCategory(""), enumSchema(domain.SignalCategories()))
	r.AddTypeMapping(domain.SignalSide(""), enumSchema(domain.SignalSides()))
	r.AddTypeMapping(domain.ContactException(""), enumSchema(domain.ContactExceptions()))
	r.AddTypeMapping(domain.TargetGroup(""), enumSchema(domain.TargetGroups()))
	r.AddTypeMapping(domain.Sex(""), enumSchema(domain.Sexes()))
	r.AddTypeMapping(domain.AgeBand(""), enumSchema(domain.AgeBands()))
	r.AddTypeMapping(domain.SpecialNeed(""), enumSchema(domain.SpecialNeeds()))
	r.AddTypeMapping(domain.ProtectionLevel(""), enumSchema(domain.ProtectionLevels()))
	r.AddTypeMapping(domain.SupportType(""), enumSchema(domain.SupportTypes()))
	r.AddTypeMapping(domain.DecisionOutcome(""), enumSchema(domain.DecisionOutcomes()))
	r.AddTypeMapping(domain.GoalOutcome(""), enumSchema(domain.GoalOutcomes()))
	r.AddTypeMapping(domain.SchoolKind(""), enumSchema(domain.SchoolKinds()))
	r.AddTypeMapping(domain.MoveOutReason(""), enumSchema(domain.MoveOutReasons()))
	r.AddTypeMapping(domain.ViolenceForm(""), enumSchema(domain.ViolenceForms()))
	r.AddTypeMapping(domain.Relation(""), enumSchema(domain.Relations()))
	r.AddTypeMapping(domain.Instrument(""), enumSchema(domain.Instruments()))
	r.AddTypeMapping(domain.RiskLevel(""), enumSchema(domain.RiskLevels()))
	r.AddTypeMapping(domain.Concern(""), enumSchema(domain.Concerns()))
	r.AddTypeMapping(domain.SafetyOccasion(""), enumSchema(domain.SafetyOccasions()))
	addProviderTypes(r)

	// Component names without the Go package: "MakeDecision", not
	// "DomainMakeDecision".
	r.DefaultOptions = append(r.DefaultOptions, jsonschema.StripDefinitionNamePrefix("Domain", "Api"))
	return r
}

// buildOpenAPI renders the document of rs and the operational routes.
func buildOpenAPI(rs []route) ([]byte, error) {
	r := newReflector()

	ops := []struct {
		path, summary string
		body          any
		mime          string
	}{
		{"/healthz", "Liveness", statusBody{}, mimeJSON},
		{"/readyz", "Readiness: the event store answers and the projections have caught up", statusBody{}, mimeJSON},
		{apiPrefix + "/openapi.json", "This document (OpenAPI 3.1)", map[string]any{}, mimeJSON},
	}
	for _, o := range ops {
		oc, err := r.NewOperationContext(http.MethodGet, o.path)
		if err != nil {
			return nil, err
		}
		oc.SetSummary(o.summary)
		oc.SetTags("operations")
		if o.body != nil {
			oc.AddRespStructure(o.body, openapi.WithHTTPStatus(http.StatusOK))
		} else {
			oc.AddRespStructure(nil, openapi.WithHTTPStatus(http.StatusOK), openapi.WithContentType(o.mime))
		}
		if o.path == "/readyz" {
			oc.AddRespStructure(Problem{}, openapi.WithHTTPStatus(http.StatusServiceUnavailable), openapi.WithContentType(mimeProblem))
		}
		if err := r.AddOperation(oc); err != nil {
			return nil, err
		}
	}

	for _, rt := range rs {
		if err := addRoute(r, rt); err != nil {
			return nil, fmt.Errorf("openapi: %s %s: %w", rt.Method, rt.Path, err)
		}
	}
	return json.Marshal(r.Spec)
}

func addRoute(r *openapi31.Reflector, rt route) error {
	path := apiPrefix + openAPIPath(rt.Path)
	oc, err := r.NewOperationContext(rt.Method, path)
	if err != nil {
		return err
	}
	op := oc.(openapi31.OperationExposer).Operation()

	roles := make([]string, len(rt.Roles))
	for i, role := range rt.Roles {
		roles[i] = string(role)
	}
	oc.SetSummary(rt.Summary)
	oc.SetDescription("Roles: " + strings.Join(roles, ", ") + ".")
	oc.SetID(operationID(rt.Method, rt.Path))
	oc.SetTags(strings.Split(strings.TrimPrefix(rt.Path, "/"), "/")[0])
	oc.AddSecurity(bearerAuth)
	op.WithMapOfAnythingItem("x-roles", roles)

	for _, m := range echoParam.FindAllStringSubmatch(rt.Path, -1) {
		p := openapi31.Parameter{Name: m[1], In: openapi31.ParameterInPath}
		p.WithRequired(true)
		if m[1] == "sub" {
			p.WithDescription("a user id (the token's sub)")
			p.Schema = map[string]any{"type": "string"}
		} else {
			p.WithDescription("a ULID")
			p.Schema = map[string]any{"type": "string", "pattern": ulidPattern}
		}
		op.Parameters = append(op.Parameters, openapi31.ParameterOrReference{Parameter: &p})
	}
	for _, q := range queryParams(rt.Method, rt.Path) {
		p := openapi31.Parameter{Name: q.name, In: openapi31.ParameterInQuery}
		p.WithDescription(q.desc)
		if q.typ == "date" {
			p.Schema = map[string]any{"type": "string", "format": "date"}
		} else {
			p.Schema = map[string]any{"type": q.typ}
		}
		op.Parameters = append(op.Parameters, openapi31.ParameterOrReference{Parameter: &p})
	}
	header := func(name, desc string, schema map[string]any) {
		p := openapi31.Parameter{Name: name, In: openapi31.ParameterInHeader}
		p.WithDescription(desc)
		p.Schema = schema
		op.Parameters = append(op.Parameters, openapi31.ParameterOrReference{Parameter: &p})
	}
	body, etag := responseOf(rt.Method, rt.Path)
	write := rt.Method != http.MethodGet && body == nil
	if write {
		header("If-Match", `the aggregate version the write expects, e.g. "3"; a stale version is answered 412`,
			map[string]any{"type": "string", "pattern": `^(W/)?"?[0-9]+"?$`})
		header("Idempotency-Key", "a retried write with the same key returns the first response and appends nothing",
			map[string]any{"type": "string", "pattern": `^[\x21-\x7e]{1,200}$`})
	}
	header("X-Request-Id", "kept when it matches ^[A-Za-z0-9._-]{1,64}$, else replaced; echoed in the response",
		map[string]any{"type": "string"})

	if rt.Body != nil {
		oc.AddReqStructure(rt.Body, openapi.WithContentType(mimeJSON))
	}

	status := rt.Status
	if status == 0 {
		status = http.StatusOK
	}
	location := status == http.StatusCreated && !strings.Contains(rt.Path, ":")
	custom := func(extra string) func(cor openapi.ContentOrReference) {
		return func(cor openapi.ContentOrReference) {
			ror, ok := cor.(*openapi31.ResponseOrReference)
			if !ok || ror.Response == nil {
				return
			}
			resp := ror.Response
			if extra != "" {
				if mt, ok := resp.Content[mimeJSON]; ok {
					mt.Schema = map[string]any{"allOf": []any{
						mt.Schema,
						map[string]any{
							"type":       "object",
							"required":   []string{extra},
							"properties": map[string]any{extra: map[string]any{"$ref": componentsPrefix + "ID"}},
						},
					}}
					resp.Content[mimeJSON] = mt
				}
			}
			if etag {
				resp.WithHeadersItem("ETag", openapi31.HeaderOrReference{Header: (&openapi31.Header{
					Schema: map[string]any{"type": "string"},
				}).WithDescription(`the aggregate version, e.g. "3"`)})
			}
			if location {
				resp.WithHeadersItem("Location", openapi31.HeaderOrReference{Header: (&openapi31.Header{
					Schema: map[string]any{"type": "string", "format": "uri-reference"},
				}).WithDescription("the created record")})
			}
		}
	}
	if write {
		oc.AddRespStructure(writeResponse{}, openapi.WithHTTPStatus(status), openapi.WithCustomize(custom(writeExtra(rt.Path))))
	} else {
		oc.AddRespStructure(body, openapi.WithHTTPStatus(status), openapi.WithCustomize(custom("")))
	}
	if strings.HasPrefix(rt.Path, "/reports/") {
		oc.AddRespStructure(nil, openapi.WithHTTPStatus(status), openapi.WithContentType(mimeCSV))
		oc.AddRespStructure(nil, openapi.WithHTTPStatus(status), openapi.WithContentType(mimeXLSX))
	}

	problems := []int{http.StatusUnauthorized, http.StatusForbidden, http.StatusNotFound}
	if rt.Method != http.MethodGet {
		problems = []int{http.StatusBadRequest, http.StatusUnauthorized, http.StatusForbidden, http.StatusNotFound,
			http.StatusConflict, http.StatusPreconditionFailed, http.StatusRequestEntityTooLarge,
			http.StatusUnsupportedMediaType, http.StatusUnprocessableEntity}
		if !write {
			problems = []int{http.StatusBadRequest, http.StatusUnauthorized, http.StatusForbidden, http.StatusNotFound,
				http.StatusRequestEntityTooLarge, http.StatusUnsupportedMediaType}
		}
	} else if len(queryParams(rt.Method, rt.Path)) > 0 {
		problems = append([]int{http.StatusBadRequest}, problems...)
	}
	for _, code := range problems {
		oc.AddRespStructure(Problem{}, openapi.WithHTTPStatus(code), openapi.WithContentType(mimeProblem))
	}
	return r.AddOperation(oc)
}

// operationID is e.g. postCasesIdPlacementsPidSchooling.
func operationID(method, path string) string {
	var b strings.Builder
	b.WriteString(strings.ToLower(method))
	for _, part := range strings.FieldsFunc(path, func(r rune) bool { return r == '/' || r == '-' || r == ':' || r == '_' }) {
		b.WriteString(strings.ToUpper(part[:1]) + part[1:])
	}
	return b.String()
}
