package api

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/fristad/fristad/domain"
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
	mimePDF          = "application/pdf"
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
			"If-Match makes a write conditional, Idempotency-Key (scoped to the user, the route and the records in the path) makes a retry safe, " +
			"and the same key with another body is refused (422 idempotency-key-reused). " +
			"JSON is strict: exact member names, no duplicate members, valid UTF-8; an unknown member is 400, reported by its parent's path " +
			"(\"(body)\" at the top) with the message \"unknown member\", and errors[] names every bad field. No error echoes a value the client sent. " +
			"A 503 carries Retry-After. Tokens with a crit header, or living longer than the configured maximum (default 12h), are refused (401).")
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
			oc.AddRespStructure(Problem{}, openapi.WithHTTPStatus(http.StatusServiceUnavailable), openapi.WithContentType(mimeProblem),
				openapi.WithCustomize(func(cor openapi.ContentOrReference) {
					if ror, ok := cor.(*openapi31.ResponseOrReference); ok && ror.Response != nil {
						ror.Response.WithHeadersItem("Retry-After", openapi31.HeaderOrReference{Header: (&openapi31.Header{
							Schema: map[string]any{"type": "string", "pattern": "^[0-9]+$"}}).WithDescription(retryAfterDesc).WithRequired(true)})
					}
				}))
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

// statusBody is the body of /healthz and /readyz.
type statusBody struct {
	Status string `json:"status" required:"true"`
}

// Headers the routes take and send (API.md).
var (
	ifMatchSchema  = map[string]any{"type": "string", "pattern": `^(W/)?"?[0-9]+"?$`}
	idemKeySchema  = map[string]any{"type": "string", "pattern": `^[\x21-\x7e]{1,200}$`}
	minSeqSchema   = map[string]any{"type": "string", "pattern": `^[0-9]{1,20}$`}
	reasonSchema   = map[string]any{"type": "string", "maxLength": 500}
	requestIDDesc  = "kept when it matches ^[A-Za-z0-9._-]{1,64}$, else replaced; echoed in the response"
	retryAfterDesc = "seconds to wait before retrying"
)

// namePathParams are path parameters that name something other than a
// record by its ULID: a user id, a unit id. They are free text in the
// document, and a route with only these answers no 404 for them.
var namePathParams = map[string]string{"sub": "a user id (the token's sub)", "unit": "a unit id (1-64 letters, digits, '.', '_' or '-')"}

// namesRecord reports whether path has a record id parameter.
func namesRecord(path string) bool {
	for _, m := range echoParam.FindAllStringSubmatch(path, -1) {
		if _, ok := namePathParams[m[1]]; !ok {
			return true
		}
	}
	return false
}

// problemStatuses are the problems r may answer, as the route table
// says: every route can be refused (401, 403), every path answers 405 for
// a method it does not take; the rest follow from what the route takes.
func problemStatuses(r route) []int {
	out := []int{http.StatusUnauthorized, http.StatusForbidden, http.StatusMethodNotAllowed, http.StatusInternalServerError}
	if r.Body != nil || len(r.Query) > 0 || r.Logged || r.Fresh || r.write() || strings.Contains(r.Path, ":sub") || strings.Contains(r.Path, ":unit") {
		out = append(out, http.StatusBadRequest)
	}
	if namesRecord(r.Path) || r.Refers {
		out = append(out, http.StatusNotFound)
	}
	if r.Body != nil {
		out = append(out, http.StatusRequestEntityTooLarge, http.StatusUnsupportedMediaType)
	}
	if r.write() {
		out = append(out, http.StatusConflict, http.StatusPreconditionFailed, http.StatusUnprocessableEntity)
	}
	if r.Logged || r.Fresh || r.Busy {
		out = append(out, http.StatusServiceUnavailable)
	}
	slices.Sort(out)
	return out
}

var problemDescriptions = map[int]string{
	http.StatusBadRequest:            "a malformed body, query parameter or header (errors[] names each bad field; an unknown member by its parent's path), or a missing X-Access-Reason for a protected person",
	http.StatusUnauthorized:          "no valid bearer token",
	http.StatusForbidden:             "the caller's role does not allow the route",
	http.StatusNotFound:              "no such record, or one the caller may not know exists",
	http.StatusMethodNotAllowed:      "the path does not take this method",
	http.StatusConflict:              "another write came first (version-conflict)",
	http.StatusPreconditionFailed:    "If-Match named another version (version-mismatch; current_version holds the record's)",
	http.StatusRequestEntityTooLarge: "the body is over 1 MiB",
	http.StatusUnsupportedMediaType:  "the body is not application/json",
	http.StatusUnprocessableEntity:   "the command breaks a domain rule (type rule/<name>), or the Idempotency-Key was used for another request (idempotency-key-reused)",
	http.StatusInternalServerError:   "a fault of the service (logged; the body says nothing more)",
	http.StatusServiceUnavailable:    "the service cannot answer now (the read model lags, the access log cannot be written, or too many reports run): retry after Retry-After",
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

	addParam := func(in openapi31.ParameterIn, name, desc string, required bool, schema map[string]any) {
		p := openapi31.Parameter{Name: name, In: in}
		p.WithDescription(desc)
		if required {
			p.WithRequired(true)
		}
		p.Schema = schema
		op.Parameters = append(op.Parameters, openapi31.ParameterOrReference{Parameter: &p})
	}
	for _, m := range echoParam.FindAllStringSubmatch(rt.Path, -1) {
		if desc, ok := namePathParams[m[1]]; ok {
			addParam(openapi31.ParameterInPath, m[1], desc, true, map[string]any{"type": "string", "minLength": 1, "maxLength": 256})
		} else {
			addParam(openapi31.ParameterInPath, m[1], "a ULID", true, map[string]any{"type": "string", "pattern": ulidPattern})
		}
	}
	for _, q := range rt.Query {
		addParam(openapi31.ParameterInQuery, q.Name, q.Desc, false, q.schema())
	}
	if rt.write() {
		addParam(openapi31.ParameterInHeader, "If-Match", `the aggregate version the write expects, e.g. "3"; another version is answered 412`, false, ifMatchSchema)
		addParam(openapi31.ParameterInHeader, "Idempotency-Key",
			"a retry with the same key, body, route and record returns the first response and appends nothing; the same key with another body is answered 422 idempotency-key-reused. Scoped to the user, the route and the records in the path.",
			false, idemKeySchema)
	}
	if rt.Logged {
		addParam(openapi31.ParameterInHeader, accessReasonHeader, "why the record is read (sealed into the access log); required when the record concerns a person with protected personal data, else 400", false, reasonSchema)
	}
	if rt.Fresh {
		addParam(openapi31.ParameterInHeader, "X-Min-Seq", "the seq of a write the read must reflect (read-your-writes across instances); 503 with Retry-After if the read model has not reached it in time", false, minSeqSchema)
	}
	addParam(openapi31.ParameterInHeader, "X-Request-Id", requestIDDesc, false, map[string]any{"type": "string"})

	if rt.Body != nil {
		oc.AddReqStructure(rt.Body, openapi.WithContentType(mimeJSON))
	}

	status := rt.Status
	if status == 0 {
		status = http.StatusOK
	}
	etag := rt.Versioned || rt.write()
	location := status == http.StatusCreated && !strings.Contains(rt.Path, ":")
	header := func(resp *openapi31.Response, name, desc string, schema map[string]any) {
		resp.WithHeadersItem(name, openapi31.HeaderOrReference{Header: (&openapi31.Header{Schema: schema}).WithDescription(desc)})
	}
	success := func(cor openapi.ContentOrReference) {
		ror, ok := cor.(*openapi31.ResponseOrReference)
		if !ok || ror.Response == nil {
			return
		}
		resp := ror.Response
		if rt.Returns != "" {
			if mt, ok := resp.Content[mimeJSON]; ok {
				mt.Schema = map[string]any{"allOf": []any{
					mt.Schema,
					map[string]any{
						"type":       "object",
						"required":   []string{rt.Returns},
						"properties": map[string]any{rt.Returns: map[string]any{"$ref": componentsPrefix + "ID"}},
					},
				}}
				resp.Content[mimeJSON] = mt
			}
		}
		if etag {
			header(resp, "ETag", `the record's version, e.g. "3"`, map[string]any{"type": "string"})
		}
		if location {
			header(resp, "Location", "the created record", map[string]any{"type": "string", "format": "uri-reference"})
		}
		header(resp, "X-Request-Id", requestIDDesc, map[string]any{"type": "string"})
	}
	if rt.write() {
		oc.AddRespStructure(writeResponse{}, openapi.WithHTTPStatus(status), openapi.WithCustomize(success))
	} else {
		oc.AddRespStructure(rt.Response, openapi.WithHTTPStatus(status), openapi.WithCustomize(success))
	}
	for _, mime := range rt.Formats {
		oc.AddRespStructure(nil, openapi.WithHTTPStatus(status), openapi.WithContentType(mime))
	}
	for _, code := range problemStatuses(rt) {
		desc := problemDescriptions[code]
		oc.AddRespStructure(Problem{}, openapi.WithHTTPStatus(code), openapi.WithContentType(mimeProblem),
			openapi.WithCustomize(func(cor openapi.ContentOrReference) {
				ror, ok := cor.(*openapi31.ResponseOrReference)
				if !ok || ror.Response == nil {
					return
				}
				ror.Response.WithDescription(desc)
				if code == http.StatusMethodNotAllowed {
					header(ror.Response, "Allow", "the methods the path takes", map[string]any{"type": "string"})
					ror.Response.Headers["Allow"].Header.WithRequired(true)
				}
				if code == http.StatusServiceUnavailable {
					header(ror.Response, "Retry-After", retryAfterDesc, map[string]any{"type": "string", "pattern": "^[0-9]+$"})
					ror.Response.Headers["Retry-After"].Header.WithRequired(true)
				}
			}))
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
