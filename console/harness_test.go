package console_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/fristad/fristad/api"
	"github.com/fristad/fristad/api/auth"
	"github.com/fristad/fristad/console"
	"github.com/fristad/fristad/domain"
	"github.com/fristad/fristad/eventstore"
	"github.com/fristad/fristad/eventstore/eventstoretest"
	"github.com/fristad/fristad/projections"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var shared *eventstoretest.Shared

func TestMain(m *testing.M) { os.Exit(eventstoretest.Main(m, "CONSOLE", &shared)) }

// stack is fristad's API and console on one test server, the way
// `fristad serve` mounts them.
type stack struct {
	t     *testing.T
	url   string
	key   []byte
	store *eventstore.Store
}

type stackOptions struct {
	dev      bool
	oidc     *console.OIDCConfig
	verifier *auth.Verifier // default: HS256 with the stack's key
}

func newStack(t *testing.T, opt stackOptions) *stack {
	t.Helper()
	key := make([]byte, 32)
	_, _ = rand.Read(key)
	store, err := eventstore.Open(context.Background(), shared.Config())
	require.NoError(t, err)
	t.Cleanup(store.Close)
	// The units the tests' users work in, registered as an admin would (a
	// case in an unknown unit is 400).
	for _, u := range []string{"vuxen", "barn"} {
		_, err := eventstore.Execute(context.Background(), store, domain.SettingsDecider(), domain.SettingsID,
			domain.SetUnit{Unit: u, Name: u, Kind: domain.UnitOther}, eventstore.ExecOptions{AppendOptions: eventstore.AppendOptions{Actor: "admin"}})
		require.NoError(t, err)
	}
	verifier := opt.verifier
	if verifier == nil {
		verifier, err = auth.NewVerifier(context.Background(), auth.Config{HS256Key: key, Issuer: auth.DevIssuer, Audience: auth.DevAudience})
		require.NoError(t, err)
	}
	links, cases, providers := projections.NewPersonLinks(), projections.NewCases(), projections.NewProviders()
	runner, err := projections.NewRunner(store, projections.Options{NoSnapshots: true}, links, cases, providers)
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	go func() { _ = runner.Run(ctx) }()
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	srv, err := api.New(api.Config{Store: store, Verifier: verifier, Runner: runner, Links: links, Cases: cases, Providers: providers, Logger: logger})
	require.NoError(t, err)
	mux := http.NewServeMux()
	hs := httptest.NewUnstartedServer(mux)
	hs.Start()
	t.Cleanup(hs.Close)
	cfg := console.Config{API: srv.Handler(), Verify: verifier.Verify, Logger: logger}
	if opt.dev {
		cfg.DevMint = func(p auth.Principal) (string, error) {
			return auth.Mint(key, p, auth.DevIssuer, auth.DevAudience, time.Hour, time.Now())
		}
	}
	if opt.oidc != nil {
		o := *opt.oidc
		o.RedirectURL = hs.URL + "/ui/oidc/callback"
		cfg.OIDC = &o
	}
	ui, err := console.New(context.Background(), cfg)
	require.NoError(t, err)
	mux.Handle("/ui/", ui.Handler())
	mux.Handle("/", srv.Handler())
	return &stack{t: t, url: hs.URL, key: key, store: store}
}

// token is a bearer token for direct API calls in test set-up.
func (s *stack) token(p auth.Principal) string {
	tok, err := auth.Mint(s.key, p, auth.DevIssuer, auth.DevAudience, time.Hour, time.Now())
	require.NoError(s.t, err)
	return tok
}

// apiCall calls the API directly (set-up only; the browser drives the console).
func (s *stack) apiCall(p auth.Principal, method, path string, body any, headers ...string) (int, map[string]any) {
	s.t.Helper()
	var b []byte
	if body != nil {
		b, _ = json.Marshal(body)
	}
	req, err := http.NewRequest(method, s.url+"/api/v1"+path, bytes.NewReader(b))
	require.NoError(s.t, err)
	req.Header.Set("Authorization", "Bearer "+s.token(p))
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	require.NoError(s.t, err)
	defer res.Body.Close()
	var m map[string]any
	_ = json.NewDecoder(res.Body).Decode(&m)
	return res.StatusCode, m
}

// browser starts a fresh headless Chromium for one test. Without Chromium
// the test fails, unless FRISTAD_BROWSER_OPTIONAL=1 says it may skip (CI
// never sets it: `make test` installs Chromium).
func browser(t *testing.T) context.Context {
	t.Helper()
	path, err := exec.LookPath("chromium")
	if err != nil {
		if os.Getenv("FRISTAD_BROWSER_OPTIONAL") == "1" {
			t.Skip("chromium is not installed and FRISTAD_BROWSER_OPTIONAL=1: browser test skipped (make test installs it)")
		}
		t.Fatal("chromium is not installed: run `make test` (it installs Debian's chromium) or set FRISTAD_BROWSER_OPTIONAL=1 to skip")
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
	}
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelB := chromedp.NewContext(actx)
	t.Cleanup(func() { cancelB(); cancelA() })
	require.NoError(t, chromedp.Do(ctx)) // starts the browser, which lives as long as ctx
	tctx, cancelC := context.WithTimeout(ctx, 100*time.Second)
	t.Cleanup(cancelC)
	return tctx
}

// run runs browser actions and fails the test on error.
func run(t *testing.T, ctx context.Context, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	require.NoError(t, chromedp.Do(ctx, actions...))
}

func eval[T any](t *testing.T, ctx context.Context, js string, opts ...chromedp.EvaluateOption) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js, opts...))
	require.NoError(t, err, js)
	return v
}

// open navigates to a console path.
func (s *stack) open(t *testing.T, ctx context.Context, path string) {
	t.Helper()
	run(t, ctx, chromedp.Navigate(s.url+path))
}

// html is the page's current document.
func html(t *testing.T, ctx context.Context) string {
	t.Helper()
	return eval[string](t, ctx, `document.documentElement.outerHTML`)
}

func heading(t *testing.T, ctx context.Context) string {
	t.Helper()
	return strings.TrimSpace(eval[string](t, ctx, `(document.querySelector("h1")||{}).textContent||""`))
}

// axeSource is axe-core, installed by `make test` into .cache/axe.
func axeSource(t *testing.T) string {
	t.Helper()
	p := filepath.Join("..", ".cache", "axe", "node_modules", "axe-core", "axe.min.js")
	b, err := os.ReadFile(p)
	if err != nil {
		if os.Getenv("FRISTAD_BROWSER_OPTIONAL") == "1" {
			t.Skip("axe-core is not installed (make test installs it)")
		}
		t.Fatalf("axe-core is not installed at %s: run `make test`", p)
	}
	return string(b)
}

type axeViolation struct {
	ID    string `json:"id"`
	Help  string `json:"help"`
	Nodes []struct {
		HTML string `json:"html"`
	} `json:"nodes"`
}

// checkAxe runs axe-core on the current page (through DevTools, which the
// page's CSP does not govern) and fails on any WCAG 2.1 A/AA violation.
func checkAxe(t *testing.T, ctx context.Context, axe, where string) {
	t.Helper()
	checkKeyboardReach(t, ctx, where)
	for _, v := range axeViolations(t, ctx, axe) {
		var nodes []string
		for _, n := range v.Nodes {
			nodes = append(nodes, n.HTML)
		}
		t.Errorf("axe on %s: %s (%s): %s", where, v.ID, v.Help, strings.Join(nodes, " | "))
	}
}

func axeViolations(t *testing.T, ctx context.Context, axe string) []axeViolation {
	t.Helper()
	eval[bool](t, ctx, axe+";true")
	js := `axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}).then(r => r.violations)`
	return eval[[]axeViolation](t, ctx, js, chromedp.EvalAwaitPromise)
}

// tabTo presses Tab until the element with id has the focus: the element
// is reachable with the keyboard alone.
func tabTo(t *testing.T, ctx context.Context, id string) {
	t.Helper()
	var seen []string
	for range 400 {
		active := eval[string](t, ctx, `document.activeElement ? (document.activeElement.id || document.activeElement.tagName) : ""`)
		if active == id {
			return
		}
		seen = append(seen, active)
		run(t, ctx, chromedp.KeyEvent("\t"))
	}
	t.Fatalf("%s is not reachable with Tab (passed %v)", id, seen)
}

// typeText types into the focused element.
func typeText(t *testing.T, ctx context.Context, s string) {
	t.Helper()
	run(t, ctx, chromedp.KeyEvent(s))
}

// submitWith presses key (Enter, or Space on a button) on the focused
// element and waits until the next page has loaded.
func submitWith(t *testing.T, ctx context.Context, key string) {
	t.Helper()
	eval[bool](t, ctx, `window.__before = true`)
	run(t, ctx, chromedp.KeyEvent(key))
	waitNewPage(t, ctx)
}

// waitNewPage waits until the page marked with window.__before is replaced.
func waitNewPage(t *testing.T, ctx context.Context) {
	t.Helper()
	for range 500 {
		v, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`window.__before !== true && document.readyState === "complete"`))
		if err == nil && v {
			return
		}
		time.Sleep(20 * time.Millisecond) // polling for the navigation, bounded
	}
	t.Fatal("no new page after the key press")
}

// fill tabs to a field and types into it.
func fill(t *testing.T, ctx context.Context, id, text string) {
	t.Helper()
	tabTo(t, ctx, id)
	typeText(t, ctx, text)
}

// choose selects an option in a select by typing its label's start.
func choose(t *testing.T, ctx context.Context, id, value string) {
	t.Helper()
	tabTo(t, ctx, id)
	// Arrow keys change a focused select without opening it; stop at value.
	for range 40 {
		if eval[string](t, ctx, `document.activeElement.value`) == value {
			return
		}
		run(t, ctx, chromedp.KeyEvent(kb.ArrowDown))
	}
	t.Fatalf("%s has no option %s reachable with the arrow keys", id, value)
}

// chromeKey is a key press on the focused element.
func chromeKey(k string) chromedp.Action[chromedp.Void] { return chromedp.KeyEvent(k) }

func runEval[T any](ctx context.Context, js string) (T, error) {
	return chromedp.Run(ctx, chromedp.Evaluate[T](js))
}

// checkKeyboardReach presses Tab through the whole page and fails when a
// form control is not reached (a radio group counts as reached through
// any of its buttons) or when the page sets a positive tabindex.
func checkKeyboardReach(t *testing.T, ctx context.Context, where string) {
	t.Helper()
	require.Zero(t, eval[int](t, ctx, `document.querySelectorAll("[tabindex]:not([tabindex='-1']):not([tabindex='0'])").length`), "%s: positive tabindex", where)
	assert.Empty(t, keyboardMissed(t, ctx), "%s: form controls not reachable with Tab", where)
}

// keyboardMissed lists the form controls that Tab does not reach.
func keyboardMissed(t *testing.T, ctx context.Context) []string {
	t.Helper()
	n := eval[int](t, ctx, `(() => {
		window.__seen = new Set();
		const controls = Array.from(document.querySelectorAll("form input:not([type=hidden]), form select, form textarea, form button"));
		controls.forEach((el, i) => el.dataset.k = el.type === "radio" ? "radio:" + el.name : "c" + i);
		document.addEventListener("focusin", e => { if (e.target.dataset && e.target.dataset.k) window.__seen.add(e.target.dataset.k) });
		document.activeElement && document.activeElement.blur();
		return document.querySelectorAll("a[href], input, select, textarea, button").length + 5;
	})()`)
	run(t, ctx, chromedp.KeyEvent(strings.Repeat("\t", n)))
	return eval[[]string](t, ctx, `Array.from(new Set(Array.from(document.querySelectorAll("[data-k]")).map(e => e.dataset.k))).filter(k => !window.__seen.has(k)).map(k => {
		const el = document.querySelector("[data-k='" + k + "']"); return (el.id || el.name || el.textContent || k).trim() })`)
}
