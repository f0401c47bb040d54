package api

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fristad/fristad/api/auth"
	"github.com/fristad/fristad/domain"
	"github.com/fristad/fristad/eventstore"
	"github.com/fristad/fristad/eventstore/eventstoretest"
	"github.com/fristad/fristad/projections"
	"github.com/stretchr/testify/require"
)

// One real embedded nats-server with JetStream serves the package's
// tests; each harness gets its own stream and buckets on it.
var shared *eventstoretest.Shared

func TestMain(m *testing.M) { os.Exit(eventstoretest.Main(m, "API", &shared)) }

// syncBuffer collects log lines from concurrent handlers.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

type harness struct {
	t      testing.TB
	srv    *Server
	http   *httptest.Server
	store  *eventstore.Store
	key    []byte
	logs   *syncBuffer
	stream string
	cfg    eventstore.Config // the store's, to open another store on the same stream
	// reason is sent as X-Access-Reason on reads ("" sends none).
	reason string
	// clock stamps the access log's entries: Between separates entries
	// without sleeping.
	clock *eventstoretest.Clock
}

func newHarness(t testing.TB) *harness { t.Helper(); return newHarnessWith(t, nil) }

// newHarnessAt is newHarness with the server's clock (nil: time.Now).
func newHarnessAt(t testing.TB, now func() time.Time) *harness {
	t.Helper()
	return newHarnessWith(t, func(c *Config) { c.Now = now })
}

// newHarnessWith lets a test change the server's configuration (a clock).
func newHarnessWith(t testing.TB, configure func(*Config)) *harness {
	t.Helper()
	key := make([]byte, 32)
	_, _ = rand.Read(key)
	h := startInstance(t, shared.Config(), key, configure)
	registerTestUnits(t, h.store)
	return h
}

// newHarnessBeside starts a second instance of the API on h's stream, as
// a second `fristad serve --nats-url` would run: a store, projections and
// locks of its own, the same token key.
func newHarnessBeside(t testing.TB, h *harness) *harness {
	t.Helper()
	cfg := h.cfg
	cfg.AccessClock = nil
	return startInstance(t, cfg, h.key, nil)
}

func startInstance(t testing.TB, cfg eventstore.Config, key []byte, configure func(*Config)) *harness {
	t.Helper()
	clock := &eventstoretest.Clock{}
	cfg.AccessClock = clock.Now
	store, err := eventstore.Open(context.Background(), cfg)
	require.NoError(t, err)
	t.Cleanup(store.Close)
	stream := cfg.Stream
	verifier, err := auth.NewVerifier(context.Background(), auth.Config{HS256Key: key, Issuer: auth.DevIssuer, Audience: auth.DevAudience})
	require.NoError(t, err)
	logs := &syncBuffer{}
	links, cases, providers := projections.NewPersonLinks(), projections.NewCases(), projections.NewProviders()
	runner, err := projections.NewRunner(store, projections.Options{NoSnapshots: true}, links, cases, providers)
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	go func() { _ = runner.Run(ctx) }()
	t.Cleanup(cancel)
	scfg := Config{Store: store, Verifier: verifier, Runner: runner, Links: links, Cases: cases, Providers: providers, Logger: slog.New(slog.NewJSONHandler(logs, nil))}
	if configure != nil {
		configure(&scfg)
	}
	srv, err := New(scfg)
	require.NoError(t, err)
	hs := httptest.NewServer(srv.Handler())
	t.Cleanup(hs.Close)
	return &harness{t: t, srv: srv, http: hs, store: store, key: key, logs: logs, stream: stream, cfg: cfg, reason: "Handläggning av ärendet", clock: clock}
}

// metrics reads /metrics from the server's metrics handler (the listener
// of its own that serve --metrics-addr opens), not the API's address.
func (h *harness) metrics() response {
	h.t.Helper()
	rec := httptest.NewRecorder()
	h.srv.MetricsHandler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	return response{code: rec.Code, header: rec.Header(), body: rec.Body.Bytes()}
}

// user is a caller: a token with roles, units and provider.
type user struct {
	sub      string
	roles    []auth.Role
	units    []string
	provider string
}

func (h *harness) token(u user) string {
	tok, err := auth.Mint(h.key, auth.Principal{Sub: u.sub, Name: u.sub, Roles: u.roles, Units: u.units, Provider: u.provider},
		auth.DevIssuer, auth.DevAudience, time.Hour, time.Now())
	require.NoError(h.t, err)
	return tok
}

type response struct {
	code   int
	header http.Header
	body   []byte
}

func (r response) json(t testing.TB) map[string]any {
	t.Helper()
	var m map[string]any
	require.NoError(t, json.Unmarshal(r.body, &m), string(r.body))
	return m
}

func (r response) str(t testing.TB, field string) string {
	t.Helper()
	v, ok := r.json(t)[field].(string)
	require.True(t, ok, "no string %q in %s", field, r.body)
	return v
}

// do sends a request; body may be nil, a string (sent as is) or a value
// (sent as JSON). headers are name, value pairs.
func (h *harness) do(method, path string, u *user, body any, headers ...string) response {
	h.t.Helper()
	r, err := h.try(method, path, u, body, headers...)
	require.NoError(h.t, err)
	return r
}

// must sends a request and requires the status.
func (h *harness) must(status int, method, path string, u *user, body any, headers ...string) response {
	h.t.Helper()
	r := h.do(method, path, u, body, headers...)
	require.Equal(h.t, status, r.code, "%s %s: %s", method, path, r.body)
	return r
}

// Users of the tests.
var (
	anna     = user{sub: "anna", roles: []auth.Role{auth.RoleCaseworker}, units: []string{"vuxen"}}
	bertil   = user{sub: "bertil", roles: []auth.Role{auth.RoleCaseworker}, units: []string{"vuxen"}}
	olle     = user{sub: "olle", roles: []auth.Role{auth.RoleCaseworker}, units: []string{"barn"}}
	sara     = user{sub: "sara", roles: []auth.Role{auth.RoleSupervisor}, units: []string{"vuxen"}}
	jouren   = user{sub: "jouren-1", roles: []auth.Role{auth.RoleProvider}, provider: "01J0000000PR0V1DER0000000A"}
	jour2    = user{sub: "jouren-2", roles: []auth.Role{auth.RoleProvider}, provider: "01J0000000PR0V1DER0000000B"}
	behandla = user{sub: "beh-1", roles: []auth.Role{auth.RoleTreatment}, units: []string{"vuxen"}}
	partnerk = user{sub: "pk-1", roles: []auth.Role{auth.RolePartnerContact}, units: []string{"vuxen"}}
	statist  = user{sub: "stat-1", roles: []auth.Role{auth.RoleStatistician}}
	admin    = user{sub: "admin-1", roles: []auth.Role{auth.RoleAdmin}}
)

const providerA = "01J0000000PR0V1DER0000000A"

// raw sends a body with an explicit content type ("" for none).
func (h *harness) raw(method, path string, u *user, body, contentType string) response {
	h.t.Helper()
	req, err := http.NewRequest(method, h.http.URL+path, strings.NewReader(body))
	require.NoError(h.t, err)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if u != nil {
		req.Header.Set("Authorization", "Bearer "+h.token(*u))
	}
	res, err := h.http.Client().Do(req)
	require.NoError(h.t, err)
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	require.NoError(h.t, err)
	return response{code: res.StatusCode, header: res.Header, body: b}
}

// try is do without failing the test on a transport error (failover).
func (h *harness) try(method, path string, u *user, body any, headers ...string) (response, error) {
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			return response{}, err
		}
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, h.http.URL+path, rd)
	if err != nil {
		return response{}, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if u != nil {
		req.Header.Set("Authorization", "Bearer "+h.token(*u))
	}
	if method == http.MethodGet && h.reason != "" {
		req.Header.Set("X-Access-Reason", h.reason)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := h.http.Client().Do(req)
	if err != nil {
		return response{}, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	return response{code: res.StatusCode, header: res.Header, body: b}, err
}

// testUnits are the units the tests' users work in: registered in each
// harness's store, as an admin would (a case in an unknown unit is 400).
var testUnits = []string{"vuxen", "barn", "unga", "bench"}

func registerTestUnits(t testing.TB, store *eventstore.Store) {
	t.Helper()
	for _, u := range testUnits {
		_, err := eventstore.Execute(context.Background(), store, domain.SettingsDecider(), domain.SettingsID,
			domain.SetUnit{Unit: u, Name: u, Kind: domain.UnitOther}, eventstore.ExecOptions{AppendOptions: eventstore.AppendOptions{Actor: "admin-1"}})
		require.NoError(t, err)
	}
}
