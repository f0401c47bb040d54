package console_test

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"math/big"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp/kb"
	"github.com/fristad/fristad/api/auth"
	"github.com/fristad/fristad/console"
	"github.com/golang-jwt/jwt/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// testIssuer is a minimal OpenID Connect issuer: discovery, JWKS, an
// authorization endpoint that approves at once as one user, and a token
// endpoint that checks the PKCE verifier.
type testIssuer struct {
	t       *testing.T
	srv     *httptest.Server
	key     *rsa.PrivateKey
	user    auth.Principal
	mu      sync.Mutex
	codes   map[string]grant
	methods []string // code_challenge_method of each authorization request
}

type grant struct{ challenge, nonce, redirect, client string }

const (
	clientID    = "fristad-console"
	apiAudience = "fristad"
)

func newTestIssuer(t *testing.T, user auth.Principal) *testIssuer {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)
	is := &testIssuer{t: t, key: key, user: user, codes: map[string]grant{}}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /.well-known/openid-configuration", is.discovery)
	mux.HandleFunc("GET /jwks", is.jwks)
	mux.HandleFunc("GET /authorize", is.authorize)
	mux.HandleFunc("POST /token", is.token)
	is.srv = httptest.NewServer(mux)
	t.Cleanup(is.srv.Close)
	return is
}

func (is *testIssuer) url() string { return is.srv.URL }

func (is *testIssuer) discovery(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, map[string]any{
		"issuer": is.url(), "authorization_endpoint": is.url() + "/authorize", "token_endpoint": is.url() + "/token",
		"jwks_uri": is.url() + "/jwks", "response_types_supported": []string{"code"}, "subject_types_supported": []string{"public"},
		"id_token_signing_alg_values_supported": []string{"RS256"}, "code_challenge_methods_supported": []string{"S256"},
	})
}

func (is *testIssuer) jwks(w http.ResponseWriter, _ *http.Request) {
	b64 := base64.RawURLEncoding.EncodeToString
	writeJSON(w, map[string]any{"keys": []map[string]any{{"kty": "RSA", "kid": "k1", "use": "sig", "alg": "RS256",
		"n": b64(is.key.N.Bytes()), "e": b64(big.NewInt(int64(is.key.E)).Bytes())}}})
}

func (is *testIssuer) authorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	is.mu.Lock()
	is.methods = append(is.methods, q.Get("code_challenge_method"))
	is.mu.Unlock()
	if q.Get("response_type") != "code" || q.Get("client_id") != clientID || q.Get("code_challenge") == "" || q.Get("state") == "" {
		http.Error(w, "bad authorization request", http.StatusBadRequest)
		return
	}
	code := rand.Text()
	is.mu.Lock()
	is.codes[code] = grant{challenge: q.Get("code_challenge"), nonce: q.Get("nonce"), redirect: q.Get("redirect_uri"), client: q.Get("client_id")}
	is.mu.Unlock()
	http.Redirect(w, r, q.Get("redirect_uri")+"?"+url.Values{"code": {code}, "state": {q.Get("state")}}.Encode(), http.StatusFound)
}

func (is *testIssuer) token(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	is.mu.Lock()
	g, ok := is.codes[r.PostForm.Get("code")]
	delete(is.codes, r.PostForm.Get("code")) // a code is used once
	is.mu.Unlock()
	sum := sha256.Sum256([]byte(r.PostForm.Get("code_verifier")))
	if !ok || r.PostForm.Get("grant_type") != "authorization_code" || r.PostForm.Get("redirect_uri") != g.redirect ||
		base64.RawURLEncoding.EncodeToString(sum[:]) != g.challenge {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		_, _ = w.Write([]byte(`{"error":"invalid_grant"}`))
		return
	}
	now := time.Now()
	sign := func(c jwt.MapClaims) string {
		tok := jwt.NewWithClaims(jwt.SigningMethodRS256, c)
		tok.Header["kid"] = "k1"
		s, err := tok.SignedString(is.key)
		require.NoError(is.t, err)
		return s
	}
	base := func(aud string) jwt.MapClaims {
		return jwt.MapClaims{"iss": is.url(), "sub": is.user.Sub, "aud": aud, "iat": now.Unix(), "exp": now.Add(time.Hour).Unix()}
	}
	id := base(g.client)
	id["nonce"] = g.nonce
	access := base(apiAudience)
	access["name"], access["roles"], access["units"] = is.user.Name, is.user.Roles, is.user.Units
	writeJSON(w, map[string]any{"access_token": sign(access), "id_token": sign(id), "token_type": "Bearer", "expires_in": 3600})
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

func oidcStack(t *testing.T, is *testIssuer) *stack {
	t.Helper()
	v, err := auth.NewVerifier(context.Background(), auth.Config{JWKSURL: is.url() + "/jwks", Issuer: is.url(), Audience: apiAudience})
	require.NoError(t, err)
	return newStack(t, stackOptions{verifier: v, oidc: &console.OIDCConfig{Issuer: is.url(), ClientID: clientID}})
}

// Sign-in with OpenID Connect: authorization code with PKCE (S256) at a
// local test issuer, with the keyboard; the API accepts the access token.
func TestOIDCSignIn(t *testing.T) {
	is := newTestIssuer(t, auth.Principal{Sub: "anna", Name: "Anna Andersson", Roles: []auth.Role{auth.RoleCaseworker}, Units: []string{"vuxen"}})
	s := oidcStack(t, is)
	ctx := browser(t)
	axe := axeSource(t)

	s.open(t, ctx, "/ui/arenden")
	require.Equal(t, "Logga in", heading(t, ctx))
	assert.NotContains(t, html(t, ctx), "Utvecklingsinloggning", "no development sign-in without --dev")
	checkAxe(t, ctx, axe, "sign-in (OIDC)")
	tabTo(t, ctx, "b-oidc")
	run(t, ctx, chromeKey(kb.Enter))
	for range 500 {
		if h, err := headingNow(ctx); err == nil && h == "Ärenden" {
			break
		}
		time.Sleep(20 * time.Millisecond) // polling for the redirect chain, bounded
	}
	require.Equal(t, "Ärenden", heading(t, ctx))
	assert.Contains(t, html(t, ctx), "Anna Andersson")
	assert.Equal(t, []string{"S256"}, is.methods, "PKCE with S256")
	cookies := eval[string](t, ctx, `document.cookie`)
	assert.NotContains(t, cookies, "fristad-session", "the session cookie is HttpOnly")
}

func headingNow(ctx context.Context) (string, error) {
	v, err := runEval[string](ctx, `(document.querySelector("h1")||{}).textContent||""`)
	return strings.TrimSpace(v), err
}

// The callback refuses what an attacker can bring: a state it did not
// issue, a state replayed, a code for another browser (login CSRF), an
// issuer error. None of them signs anyone in.
func TestOIDCCallbackRefusals(t *testing.T) {
	is := newTestIssuer(t, auth.Principal{Sub: "anna", Name: "Anna", Roles: []auth.Role{auth.RoleCaseworker}, Units: []string{"vuxen"}})
	s := oidcStack(t, is)
	newClient := func() *http.Client {
		jar, _ := cookiejar.New(nil)
		return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	}
	// start returns the issuer's redirect back to the console (code, state).
	start := func(c *http.Client) *url.URL {
		res, err := c.Get(s.url + "/ui/oidc/start")
		require.NoError(t, err)
		res.Body.Close()
		require.Equal(t, http.StatusFound, res.StatusCode)
		auth, err := url.Parse(res.Header.Get("Location"))
		require.NoError(t, err)
		assert.Equal(t, "S256", auth.Query().Get("code_challenge_method"))
		assert.NotEmpty(t, auth.Query().Get("nonce"))
		res, err = c.Get(auth.String())
		require.NoError(t, err)
		res.Body.Close()
		back, err := url.Parse(res.Header.Get("Location"))
		require.NoError(t, err)
		return back
	}
	signedIn := func(c *http.Client) bool {
		res, err := c.Get(s.url + "/ui/arenden")
		require.NoError(t, err)
		res.Body.Close()
		return res.StatusCode == http.StatusOK
	}
	callback := func(c *http.Client, u string) int {
		res, err := c.Get(u)
		require.NoError(t, err)
		res.Body.Close()
		return res.StatusCode
	}
	// Cookies are Secure: the jar sends them to http://127.0.0.1 as Chromium does.
	victim, attacker := newClient(), newClient()
	back := start(attacker)
	q := back.Query()

	forged := *back
	forged.RawQuery = url.Values{"code": {q.Get("code")}, "state": {"not-issued"}}.Encode()
	assert.Equal(t, http.StatusSeeOther, callback(attacker, forged.String()))
	assert.False(t, signedIn(attacker), "a state the console did not issue")

	assert.Equal(t, http.StatusSeeOther, callback(victim, back.String()))
	assert.False(t, signedIn(victim), "the attacker's callback in the victim's browser (login CSRF)")

	errURL := *back
	errURL.RawQuery = url.Values{"error": {"access_denied"}, "state": {q.Get("state")}}.Encode()
	assert.Equal(t, http.StatusSeeOther, callback(attacker, errURL.String()))
	assert.False(t, signedIn(attacker), "an issuer error")

	back2 := start(attacker)
	assert.Equal(t, http.StatusOK, callback(attacker, back2.String()))
	assert.True(t, signedIn(attacker), "the genuine flow")
	fresh := newClient()
	assert.Equal(t, http.StatusSeeOther, callback(fresh, back2.String()))
	assert.False(t, signedIn(fresh), "a replayed callback")
}
