package api

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"unicode"

	"github.com/fristad/fristad/api/auth"
	"github.com/fristad/fristad/domain"
	"github.com/fristad/fristad/eventstore"
	"github.com/fristad/fristad/projections"
)

// oasServer builds a Server on its own embedded JetStream server, so the
// test does not depend on any other test file's setup.
func oasServer(t *testing.T) *Server {
	t.Helper()
	ctx := context.Background()
	emb, err := eventstore.StartEmbedded(eventstore.EmbeddedConfig{DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(emb.Shutdown)
	nc, err := emb.Connect()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc.Close)
	key := make([]byte, 32)
	_, _ = rand.Read(key)
	store, err := eventstore.Open(ctx, eventstore.Config{Conn: nc, Stream: "OAS", SubjectPrefix: "oas.events", MasterKey: key})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(store.Close)
	hs := make([]byte, 32)
	_, _ = rand.Read(hs)
	v, err := auth.NewVerifier(ctx, auth.Config{HS256Key: hs, Issuer: auth.DevIssuer, Audience: auth.DevAudience})
	if err != nil {
		t.Fatal(err)
	}
	links, cases, providers := projections.NewPersonLinks(), projections.NewCases(), projections.NewProviders()
	runner, err := projections.NewRunner(store, projections.Options{NoSnapshots: true}, links, cases, providers)
	if err != nil {
		t.Fatal(err)
	}
	s, err := New(Config{Store: store, Verifier: v, Runner: runner, Links: links, Cases: cases, Providers: providers, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

type oasDoc struct {
	OpenAPI    string                               `json:"openapi"`
	Info       struct{ Title, Version string }      `json:"info"`
	Paths      map[string]map[string]map[string]any `json:"paths"`
	Components struct {
		Schemas         map[string]map[string]any `json:"schemas"`
		SecuritySchemes map[string]map[string]any `json:"securitySchemes"`
	} `json:"components"`
}

var oasMethods = []string{"get", "put", "post", "delete", "options", "head", "patch", "trace"}

func fetchOpenAPI(t *testing.T, s *Server) (oasDoc, []byte) {
	t.Helper()
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/api/v1/openapi.json", nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("GET /api/v1/openapi.json: %d %s", rec.Code, rec.Body)
	}
	if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Fatalf("Content-Type %q", ct)
	}
	var doc oasDoc
	if err := json.Unmarshal(rec.Body.Bytes(), &doc); err != nil {
		t.Fatalf("the document is not JSON: %v", err)
	}
	return doc, rec.Body.Bytes()
}

func TestOpenAPICoversEveryRegisteredRoute(t *testing.T) {
	s := oasServer(t)
	doc, _ := fetchOpenAPI(t, s)

	// What Echo serves, from its own registry.
	param := regexp.MustCompile(`:([A-Za-z0-9_]+)`)
	registered := map[string]bool{}
	for _, r := range s.echo.Routes() {
		if !slices.Contains(oasMethods, strings.ToLower(r.Method)) || strings.Contains(r.Path, "*") {
			continue // Echo internals (route-not-found, any)
		}
		registered[r.Method+" "+param.ReplaceAllString(r.Path, "{$1}")] = true
	}
	// What the document describes, from the parsed JSON.
	documented := map[string]bool{}
	for path, item := range doc.Paths {
		for m := range item {
			if slices.Contains(oasMethods, m) {
				documented[strings.ToUpper(m)+" "+path] = true
			}
		}
	}
	if len(registered) < len(routes())+3 { // healthz, readyz, openapi.json (metrics have their own listener)
		t.Fatalf("only %d routes registered in Echo", len(registered))
	}
	for _, k := range oasSortedKeys(registered) {
		if !documented[k] {
			t.Errorf("registered but not in the OpenAPI document: %s", k)
		}
	}
	for _, k := range oasSortedKeys(documented) {
		if !registered[k] {
			t.Errorf("in the OpenAPI document but not registered: %s", k)
		}
	}
}

func TestOpenAPIDocument(t *testing.T) {
	s := oasServer(t)
	doc, raw := fetchOpenAPI(t, s)

	if doc.OpenAPI != "3.1.0" {
		t.Errorf("openapi = %q", doc.OpenAPI)
	}
	if doc.Info.Title != "fristad" || doc.Info.Version != "1" {
		t.Errorf("info = %+v", doc.Info)
	}
	bearer := doc.Components.SecuritySchemes["bearerAuth"]
	if bearer["type"] != "http" || bearer["scheme"] != "bearer" || bearer["bearerFormat"] != "JWT" {
		t.Errorf("bearerAuth = %v", bearer)
	}

	// Every $ref resolves.
	for _, ref := range regexp.MustCompile(`"\$ref":"([^"]+)"`).FindAllStringSubmatch(string(raw), -1) {
		name, ok := strings.CutPrefix(ref[1], "#/components/schemas/")
		if !ok || doc.Components.Schemas[name] == nil {
			t.Errorf("unresolved $ref %s", ref[1])
		}
	}

	// Security: bearer on every API route, none on the operational ones.
	for path, item := range doc.Paths {
		for m, op := range item {
			secured := op["security"] != nil
			public := !strings.HasPrefix(path, "/api/v1/") || path == "/api/v1/openapi.json"
			if public && secured {
				t.Errorf("%s %s: operational route with security", m, path)
			}
			if !public && !oasHasBearer(op["security"]) {
				t.Errorf("%s %s: no bearerAuth security", m, path)
			}
		}
	}

	for _, r := range routes() {
		path := "/api/v1" + regexp.MustCompile(`:([A-Za-z0-9_]+)`).ReplaceAllString(r.Path, "{$1}")
		op := doc.Paths[path][strings.ToLower(r.Method)]
		name := r.Method + " " + path
		if op == nil {
			t.Errorf("%s: not documented", name)
			continue
		}
		if op["summary"] != r.Summary {
			t.Errorf("%s: summary %q", name, op["summary"])
		}
		var roles []string
		for _, role := range r.Roles {
			roles = append(roles, string(role))
			if !strings.Contains(oasStr(op["description"]), string(role)) {
				t.Errorf("%s: role %s not in the description", name, role)
			}
		}
		if got := oasStrs(op["x-roles"]); !slices.Equal(got, roles) {
			t.Errorf("%s: x-roles %v, want %v", name, got, roles)
		}

		params := map[string]map[string]any{}
		for _, p := range oasList(op["parameters"]) {
			pm := p.(map[string]any)
			params[oasStr(pm["in"])+":"+oasStr(pm["name"])] = pm
		}
		for _, m := range regexp.MustCompile(`:([A-Za-z0-9_]+)`).FindAllStringSubmatch(r.Path, -1) {
			p := params["path:"+m[1]]
			if p == nil || p["required"] != true {
				t.Errorf("%s: path parameter %s missing or not required", name, m[1])
				continue
			}
			if m[1] != "sub" && oasObj(p["schema"])["pattern"] == nil {
				t.Errorf("%s: path parameter %s is not documented as a ULID", name, m[1])
			}
		}
		if params["header:X-Request-Id"] == nil {
			t.Errorf("%s: no X-Request-Id header", name)
		}

		responses := oasObj(op["responses"])
		if oasObj(responses[oasItoa(r.Status)]) == nil {
			t.Errorf("%s: no %d response", name, r.Status)
		}
		problems := []int{401, 403, 404}
		if r.Path == "/persons/search" || r.Path == "/providers/match" { // a query sent as POST, not a write
			problems = []int{400, 401, 403, 413, 415}
		} else if r.Method == http.MethodPost {
			problems = []int{400, 401, 403, 404, 409, 412, 413, 415, 422}
			if params["header:If-Match"] == nil || params["header:Idempotency-Key"] == nil {
				t.Errorf("%s: If-Match or Idempotency-Key header missing", name)
			}
			if oasObj(oasObj(oasObj(oasObj(responses[oasItoa(r.Status)])["content"])["application/json"])["schema"]) == nil {
				t.Errorf("%s: no JSON schema for the success response", name)
			}
		}
		for _, code := range problems {
			schema := oasObj(oasObj(oasObj(oasObj(responses[oasItoa(code)])["content"])["application/problem+json"])["schema"])
			if schema["$ref"] != "#/components/schemas/Problem" {
				t.Errorf("%s: %d is not an application/problem+json Problem: %v", name, code, responses[oasItoa(code)])
			}
		}

		if r.Body == nil {
			if op["requestBody"] != nil {
				t.Errorf("%s: a request body for a route without one", name)
			}
			continue
		}
		schema := oasObj(oasObj(oasObj(oasObj(op["requestBody"])["content"])["application/json"])["schema"])
		if ref, ok := schema["$ref"].(string); ok {
			schema = doc.Components.Schemas[strings.TrimPrefix(ref, "#/components/schemas/")]
		}
		props := oasObj(schema["properties"])
		if props == nil {
			t.Errorf("%s: no application/json request schema with properties", name)
			continue
		}
		shown, hidden := oasJSONFields(reflect.TypeOf(r.Body))
		for _, f := range shown {
			if props[f] == nil {
				t.Errorf("%s: request property %s missing", name, f)
			}
		}
		for _, f := range hidden {
			if props[f] != nil {
				t.Errorf("%s: request schema shows %s, a json:\"-\" field", name, f)
			}
		}
		for p := range props {
			if !slices.Contains(shown, p) {
				t.Errorf("%s: request property %s is not a field of %T", name, p, r.Body)
			}
		}
	}

	// The example of the brief, spelled out.
	mk := doc.Components.Schemas["MakeDecision"]
	if props := oasObj(mk["properties"]); props["support_type"] == nil || props["decision_id"] != nil {
		t.Errorf("MakeDecision request schema: %v", mk)
	}
	if _, hidden := oasJSONFields(reflect.TypeOf(domain.MakeDecision{})); !slices.Contains(hidden, "decision_id") {
		t.Errorf("the test's json:\"-\" detection missed MakeDecision.DecisionID: %v", hidden)
	}
}

// jsonFields lists a struct's JSON property names, and the snake_case
// names of its fields tagged json:"-" (which must not be documented).
func oasJSONFields(t reflect.Type) (shown, hidden []string) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		name, _, _ := strings.Cut(tag, ",")
		switch {
		case tag == "-":
			hidden = append(hidden, oasSnake(f.Name))
		case f.Anonymous && name == "":
			s, h := oasJSONFields(f.Type)
			shown, hidden = append(shown, s...), append(hidden, h...)
		case !f.IsExported():
		case name == "":
			shown = append(shown, f.Name)
		default:
			shown = append(shown, name)
		}
	}
	return shown, hidden
}

// snake turns DecisionID into decision_id.
func oasSnake(s string) string {
	var b strings.Builder
	rs := []rune(s)
	for i, r := range rs {
		if unicode.IsUpper(r) && i > 0 && (unicode.IsLower(rs[i-1]) || (i+1 < len(rs) && unicode.IsLower(rs[i+1]))) {
			b.WriteByte('_')
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

func oasHasBearer(v any) bool {
	for _, req := range oasList(v) {
		if _, ok := oasObj(req)["bearerAuth"]; ok {
			return true
		}
	}
	return false
}

func oasObj(v any) map[string]any { m, _ := v.(map[string]any); return m }
func oasList(v any) []any         { l, _ := v.([]any); return l }
func oasStr(v any) string         { s, _ := v.(string); return s }
func oasItoa(n int) string        { b, _ := json.Marshal(n); return string(b) }

func oasStrs(v any) []string {
	var out []string
	for _, x := range oasList(v) {
		out = append(out, oasStr(x))
	}
	return out
}

func oasSortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
