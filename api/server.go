// Package api is fristad's HTTP API: Echo v4, JSON under /api/v1, bearer
// JWT authentication, authorization by role and scope, RFC 9457 problems.
package api

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/fristad/fristad/api/auth"
	"github.com/fristad/fristad/domain"
	"github.com/fristad/fristad/eventstore"
	"github.com/fristad/fristad/projections"
	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"
)

// Config configures the API server.
type Config struct {
	Store    *eventstore.Store
	Verifier *auth.Verifier
	// Runner keeps the projections current; Links is the projection of
	// which units work with which persons (read scope of personal files).
	Runner *projections.Runner
	Links  *projections.PersonLinks
	Cases  *projections.Cases
	// Providers is the registry of providers (shelters): the provider
	// routes, matching and the placement rule read it.
	Providers *projections.Providers
	// MaxRiskAge is how many days a high-risk case's latest risk
	// assessment may age before the overdue dashboard lists it (default 30).
	MaxRiskAge int
	// CatchUpWait bounds how long a read waits for the projections to
	// reach this instance's writes and the client's X-Min-Seq before it is
	// answered 503 with Retry-After (default 2s).
	CatchUpWait time.Duration
	// Deadlines are the deadline settings for decisions and appeals on the
	// overdue dashboard; nil (the default) reads the municipality's
	// settings from the store on each request (GET /admin/settings).
	Deadlines projections.DeadlineSettings
	// Ready reports whether the service can take traffic.
	Ready  func(ctx context.Context) error
	Logger *slog.Logger
	// Registry receives the metrics (default: a new registry).
	Registry *prometheus.Registry
	// Now is the clock (tests); default time.Now.
	Now func() time.Time
}

// Server is the HTTP API.
type Server struct {
	echo    *echo.Echo
	cfg     Config
	store   *eventstore.Store
	log     *slog.Logger
	metrics *metrics
	now     func() time.Time
	// The deciders, built once: each holds the event registry.
	persons    domain.Decider[domain.Person]
	cases      domain.Decider[domain.Case]
	contacts   domain.Decider[domain.TreatmentSide] // a partner contact's treatment side; the partner side's decider depends on the record (loadPartnerRecord)
	delegation domain.Decider[domain.DelegationOrder]
	shelters   domain.Decider[domain.Provider]
	// tokenTTL follows the municipality's max_token_ttl (token_ttl.go).
	tokenTTL tokenTTL
	// numberLocks serialize, per personal identity number (striped), the
	// look-up and registration of a personal file on this instance, so
	// two intakes at once do not open two files for one person.
	numberLocks [64]sync.Mutex
	// reports bounds the reports running at once (reportgate.go);
	// reportStarted, set by tests, runs inside the bound.
	reports       reportGate
	reportStarted func()
}

// New validates cfg and builds the routes.
func New(cfg Config) (*Server, error) {
	if cfg.Store == nil || cfg.Verifier == nil || cfg.Runner == nil || cfg.Links == nil || cfg.Cases == nil || cfg.Providers == nil {
		return nil, errors.New("api: a store, a token verifier, a projection runner and the person-links, cases and providers projections are required")
	}
	if cfg.MaxRiskAge <= 0 {
		cfg.MaxRiskAge = 30
	}
	if cfg.CatchUpWait <= 0 {
		cfg.CatchUpWait = 2 * time.Second
	}
	if cfg.Ready == nil {
		// Ready once the store answers and the projections have caught up.
		cfg.Ready = func(ctx context.Context) error { return cfg.Runner.CatchUp(ctx, time.Second) }
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Registry == nil {
		cfg.Registry = prometheus.NewRegistry()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	s := &Server{echo: e, cfg: cfg, store: cfg.Store, log: cfg.Logger, now: cfg.Now, metrics: newMetrics(cfg.Registry),
		persons: domain.PersonDecider(), cases: domain.CaseDecider(), contacts: domain.TreatmentSideDecider(),
		delegation: domain.DelegationDecider(), shelters: domain.ProviderDecider()}
	s.tokenTTL.ceiling = cfg.Verifier.MaxTokenTTL()
	cfg.Registry.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "fristad_projection_lag_events", Help: "Stream messages not yet applied by the projections (-1: store unreachable).",
	}, s.projectionLag))
	// The group committer's work, to size the disk by: batches sent, the
	// commands they carried, batches refused (a stale command among them).
	// No labels: a count by kind would say what was written.
	groupCommit := func(count func(eventstore.GroupCommitStats) int64) func() float64 {
		return func() float64 { return float64(count(s.store.GroupCommitStats())) }
	}
	cfg.Registry.MustRegister(
		prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name: "fristad_group_commit_batches_total", Help: "Atomic batches the group committer sent.",
		}, groupCommit(func(st eventstore.GroupCommitStats) int64 { return st.Batches })),
		prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name: "fristad_group_commit_commands_total", Help: "Commands the group committer's batches carried.",
		}, groupCommit(func(st eventstore.GroupCommitStats) int64 { return st.Commands })),
		prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name: "fristad_group_commit_refused_total", Help: "Batches the server refused (a stale or retried command in them; resolved one by one).",
		}, groupCommit(func(st eventstore.GroupCommitStats) int64 { return st.Refused })),
	)
	e.HTTPErrorHandler = s.handleError
	e.Use(s.requestID, s.observe, s.recoverPanics)

	e.GET("/healthz", s.healthz)
	e.GET("/readyz", s.readyz)
	// No /metrics here: it is served on a listener of its own
	// (MetricsHandler, serve --metrics-addr); here it answers 404.
	e.GET("/api/v1/openapi.json", s.openAPI)
	for _, r := range routes() {
		e.Add(r.Method, "/api/v1"+r.Path, s.guard(r))
	}
	return s, nil
}

// Handler is the server as an http.Handler.
func (s *Server) Handler() http.Handler { return s.echo }

// MetricsHandler serves the Prometheus metrics, for a listener of its own:
// the API's address does not serve them (API.md: /metrics is never on the
// API's listener), so who may reach the API learns nothing from them.
func (s *Server) MetricsHandler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", s.metrics.handler(s.cfg.Registry))
	return mux
}

func (s *Server) healthz(c echo.Context) error {
	return c.JSON(http.StatusOK, map[string]string{"status": "ok"})
}

func (s *Server) readyz(c echo.Context) error {
	ctx, cancel := context.WithTimeout(c.Request().Context(), 2*time.Second)
	defer cancel()
	if err := s.cfg.Ready(ctx); err != nil {
		s.log.Warn("not ready", "err", err)
		return writeProblem(c, errUnavailable("the event store is not reachable"))
	}
	return c.JSON(http.StatusOK, map[string]string{"status": "ready"})
}

func (s *Server) projectionLag() float64 {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	last, err := s.store.LastSeq(ctx)
	if err != nil {
		return -1
	}
	applied := s.cfg.Runner.Applied()
	if applied >= last {
		return 0
	}
	return float64(last - applied)
}

// handleError turns every error into a problem; unknown errors are logged
// (by type and request id, without the request body) and answered 500.
func (s *Server) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	p := problemFor(err)
	scrubProblem(c, p)
	if p.Status >= 500 {
		s.log.Error("request failed", "request_id", c.Response().Header().Get(echo.HeaderXRequestID), "route", c.Path(), "err", safeErr(err))
	}
	_ = writeProblem(c, p)
}
