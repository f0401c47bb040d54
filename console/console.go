// Package console is the web interface of fristad (konsolen): server-rendered
// Swedish pages under /ui/ for case workers and supervisors.
//
// The console shows nothing the API would not, by construction: every page
// is built from the JSON of an in-process call to the API's own handler,
// made with the signed-in user's bearer token. Scope (404/403), masking of
// whereabouts, access reasons and the access log are therefore the API's,
// applied by the same code; the console holds no rule of its own about who
// may see what.
package console

import (
	"context"
	"embed"
	"errors"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"time"

	"github.com/fristad/fristad/api/auth"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Prefix is where the console is mounted.
const Prefix = "/ui/"

// Config wires the console to the API and to sign-in.
type Config struct {
	// API is the API's handler; the console calls it in-process.
	API http.Handler
	// Verify checks a bearer token the way the API does (the same
	// verifier), so a sign-in whose token the API would refuse fails.
	Verify func(token string) (auth.Principal, error)
	// OIDC, when set, signs users in with the authorization code flow
	// and PKCE against an OpenID Connect issuer.
	OIDC *OIDCConfig
	// DevMint, when set (serve --dev only), enables the development
	// sign-in page, which mints a token for a chosen user.
	DevMint func(p auth.Principal) (string, error)
	// SessionTTL bounds a session (default 8 hours; never longer than
	// the token it holds).
	SessionTTL time.Duration
	Logger     *slog.Logger
	Now        func() time.Time
}

// Console is the web interface.
type Console struct {
	cfg      Config
	log      *slog.Logger
	now      func() time.Time
	tmpl     map[string]*template.Template
	sessions *sessions
	oidc     *oidcClient
	mux      *http.ServeMux
	static   http.Handler
	assets   map[string]string // static file name → content hash
}

// New builds the console. ctx bounds the OIDC discovery at start.
func New(ctx context.Context, cfg Config) (*Console, error) {
	if cfg.API == nil || cfg.Verify == nil {
		return nil, errors.New("console: the API handler and the token verifier are required")
	}
	if cfg.OIDC == nil && cfg.DevMint == nil {
		return nil, errors.New("console: configure an OIDC issuer or run with --dev")
	}
	if cfg.SessionTTL <= 0 {
		cfg.SessionTTL = 8 * time.Hour
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	c := &Console{cfg: cfg, log: cfg.Logger, now: cfg.Now, sessions: newSessions(cfg.Now)}
	var err error
	if c.tmpl, err = parseTemplates(); err != nil {
		return nil, err
	}
	if cfg.OIDC != nil {
		if c.oidc, err = newOIDCClient(ctx, *cfg.OIDC); err != nil {
			return nil, err
		}
	}
	sub, err := fs.Sub(staticFS, "static")
	if err != nil {
		return nil, err
	}
	if c.assets, err = hashAssets(sub); err != nil {
		return nil, err
	}
	c.static = c.cacheStatic(http.StripPrefix(Prefix+"static/", http.FileServer(http.FS(sub))))
	c.routes()
	return c, nil
}

// Handler serves /ui/.
func (c *Console) Handler() http.Handler { return c.securityHeaders(c.mux) }

func (c *Console) routes() {
	m := http.NewServeMux()
	m.Handle("GET /ui/static/", c.static)
	m.HandleFunc("GET /ui/{$}", c.home)
	m.HandleFunc("GET /ui/logga-in", c.signInPage)
	m.HandleFunc("GET /ui/oidc/start", c.oidcStart)
	m.HandleFunc("GET /ui/oidc/callback", c.oidcCallback)
	m.HandleFunc("POST /ui/dev/logga-in", c.devSignIn)
	m.HandleFunc("POST /ui/logga-ut", c.signedIn(c.signOut))

	m.HandleFunc("GET /ui/start", c.signedIn(c.start))
	m.HandleFunc("GET /ui/arenden", c.signedIn(c.caseload))
	m.HandleFunc("GET /ui/uppgifter", c.signedIn(c.tasks))
	m.HandleFunc("GET /ui/arenden/ny", c.signedIn(c.intakeForm))
	m.HandleFunc("POST /ui/arenden/ny", c.signedIn(c.intake))
	m.HandleFunc("GET /ui/arenden/{id}", c.signedIn(c.caseFile))
	m.HandleFunc("POST /ui/arenden/{id}/skal", c.signedIn(c.giveReason))
	m.HandleFunc("POST /ui/arenden/{id}/{step}", c.signedIn(c.caseStep))
	m.HandleFunc("GET /ui/arenden/{id}/boende", c.signedIn(c.matching))
	m.HandleFunc("POST /ui/arenden/{id}/boende", c.signedIn(c.matching))

	m.HandleFunc("GET /ui/logguppfoljning", c.signedIn(c.auditReview))
	m.HandleFunc("POST /ui/logguppfoljning", c.signedIn(c.recordReview))
	m.HandleFunc("GET /ui/rapporter", c.signedIn(c.reportsPage))
	m.HandleFunc("GET /ui/rapporter/hamta", c.signedIn(c.reportDownload))
	m.HandleFunc("/ui/", c.notFound)
	c.mux = m
}

// csp: only this server's own script and style; no inline script or
// style, no frames, forms post only here.
const csp = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; " +
	"form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

func (c *Console) securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", csp)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Cross-Origin-Resource-Policy", "same-origin")
		if !isStatic(r) {
			h.Set("Cache-Control", "no-store")
		}
		next.ServeHTTP(w, r)
	})
}

func isStatic(r *http.Request) bool {
	return len(r.URL.Path) > len(Prefix+"static/") && r.URL.Path[:len(Prefix+"static/")] == Prefix+"static/"
}

func (c *Console) home(w http.ResponseWriter, r *http.Request) {
	if s, ok := c.sessions.get(r); ok {
		http.Redirect(w, r, landing(s.principal), http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, Prefix+"logga-in", http.StatusSeeOther)
}

// landing is where a user starts: the caseload for those who have one,
// the reports for statisticians, else the start page.
func landing(p auth.Principal) string {
	switch {
	case p.HasAny(auth.RoleCaseworker, auth.RoleSupervisor):
		return Prefix + "arenden"
	case p.Has(auth.RoleStatistician):
		return Prefix + "rapporter"
	}
	return Prefix + "start"
}

// start: for roles the console has no pages for yet (providers, the
// partner-contact and treatment sides), which use the API.
func (c *Console) start(w http.ResponseWriter, r *http.Request, s *session) {
	c.render(w, r, s, http.StatusOK, "message", page{Title: "Välkommen", Data: map[string]any{
		"Text": "Konsolen har ännu inga sidor för din roll. Använd verksamhetssystemets gränssnitt (API) för ditt arbete."}})
}

func (c *Console) notFound(w http.ResponseWriter, r *http.Request) {
	s, _ := c.sessions.get(r)
	c.render(w, r, s, http.StatusNotFound, "message", page{Title: "Sidan finns inte", Data: map[string]any{
		"Text": "Sidan finns inte, eller så har du inte behörighet till den."}})
}
