package console

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"net/http"
	"sync"
	"time"

	"github.com/fristad/fristad/api/auth"
)

// Cookie names. __Host- cookies are Secure, Path=/ and bound to this host.
const (
	sessionCookie = "__Host-fristad-session"
	preCookie     = "__Host-fristad-pre" // before sign-in: CSRF of the sign-in forms, the OIDC login state
)

// session is a signed-in user: the bearer token the console calls the
// API with, kept on the server only (the cookie holds a random id).
type session struct {
	id        string
	csrf      string
	token     string
	principal auth.Principal
	expires   time.Time
	// reasons given for reading protected cases (X-Access-Reason), by
	// case id, for the rest of the session.
	reasons map[string]string
	flash   string
}

// sessions are kept in memory: a restart signs everyone out, and
// sessions are not shared between instances (run one console instance
// behind sticky routing, or sign in again).
type sessions struct {
	mu  sync.Mutex
	m   map[string]*session
	pre map[string]preLogin
	now func() time.Time
}

// preLogin is an OIDC sign-in under way.
type preLogin struct {
	verifier, nonce string
	expires         time.Time
}

func newSessions(now func() time.Time) *sessions {
	return &sessions{m: map[string]*session{}, pre: map[string]preLogin{}, now: now}
}

func randomToken() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic("console: no randomness: " + err.Error()) // crypto/rand does not fail on supported platforms
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

func (ss *sessions) create(token string, p auth.Principal, expires time.Time) *session {
	s := &session{id: randomToken(), csrf: randomToken(), token: token, principal: p, expires: expires, reasons: map[string]string{}}
	ss.mu.Lock()
	defer ss.mu.Unlock()
	ss.sweep()
	ss.m[s.id] = s
	return s
}

func (ss *sessions) pending() int {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	return len(ss.pre)
}

// sweep drops expired sessions and logins; the caller holds mu.
func (ss *sessions) sweep() {
	now := ss.now()
	for id, s := range ss.m {
		if !now.Before(s.expires) {
			delete(ss.m, id)
		}
	}
	for id, p := range ss.pre {
		if !now.Before(p.expires) {
			delete(ss.pre, id)
		}
	}
}

func (ss *sessions) get(r *http.Request) (*session, bool) {
	ck, err := r.Cookie(sessionCookie)
	if err != nil || ck.Value == "" {
		return nil, false
	}
	ss.mu.Lock()
	defer ss.mu.Unlock()
	s, ok := ss.m[ck.Value]
	if !ok || !ss.now().Before(s.expires) {
		delete(ss.m, ck.Value)
		return nil, false
	}
	return s, true
}

func (ss *sessions) drop(id string) {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	delete(ss.m, id)
}

func (ss *sessions) setReason(s *session, caseID, reason string) {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	if _, ok := s.reasons[caseID]; !ok && len(s.reasons) >= maxReasons {
		clear(s.reasons) // give them again: a reason is asked per case
	}
	s.reasons[caseID] = reason
}

func (ss *sessions) reason(s *session, caseID string) string {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	return s.reasons[caseID]
}

func (ss *sessions) setFlash(s *session, msg string) {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	s.flash = msg
}

func (ss *sessions) takeFlash(s *session) string {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	f := s.flash
	s.flash = ""
	return f
}

// Bounds on what unauthenticated or one user's requests can make the
// console keep in memory.
const (
	maxPendingLogins = 10_000 // OIDC sign-ins under way (each lives 10 minutes)
	maxReasons       = 1_000  // reasons kept in one session
)

// putLogin records a sign-in under way; false when too many are (the
// start page is reachable without signing in, so it must not grow without
// bound).
func (ss *sessions) putLogin(state string, p preLogin) bool {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	if len(ss.pre) >= maxPendingLogins {
		ss.sweep()
		if len(ss.pre) >= maxPendingLogins {
			return false
		}
	}
	ss.pre[state] = p
	return true
}

// takeLogin returns and forgets a login: a state is used once.
func (ss *sessions) takeLogin(state string) (preLogin, bool) {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	p, ok := ss.pre[state]
	delete(ss.pre, state)
	if !ok || !ss.now().Before(p.expires) {
		return preLogin{}, false
	}
	return p, true
}

func setSessionCookie(w http.ResponseWriter, s *session) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: s.id, Path: "/", Expires: s.expires,
		HttpOnly: true, Secure: true, SameSite: http.SameSiteStrictMode})
}

func clearCookie(w http.ResponseWriter, name string) {
	http.SetCookie(w, &http.Cookie{Name: name, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, Secure: true, SameSite: http.SameSiteLaxMode})
}

// preToken returns the pre-sign-in token of the browser, setting one when
// it has none. It is Lax, not Strict: the OIDC issuer's redirect back is a
// cross-site navigation that must carry it.
func preToken(w http.ResponseWriter, r *http.Request) string {
	if ck, err := r.Cookie(preCookie); err == nil && len(ck.Value) >= 40 {
		return ck.Value
	}
	v := randomToken()
	http.SetCookie(w, &http.Cookie{Name: preCookie, Value: v, Path: "/", MaxAge: 1800, HttpOnly: true, Secure: true, SameSite: http.SameSiteLaxMode})
	return v
}

func equalTokens(a, b string) bool {
	return a != "" && subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}

// signedIn guards a page: no session → the sign-in page; a POST needs the
// session's CSRF token and a same-origin Origin when the browser sends one.
func (c *Console) signedIn(h func(http.ResponseWriter, *http.Request, *session)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s, ok := c.sessions.get(r)
		if !ok {
			if r.Method == http.MethodGet {
				http.Redirect(w, r, Prefix+"logga-in", http.StatusSeeOther)
				return
			}
			c.render(w, r, nil, http.StatusForbidden, "message", page{Title: "Inte inloggad", Data: map[string]any{"Text": "Du är inte inloggad. Logga in och försök igen."}})
			return
		}
		if r.Method == http.MethodPost && !c.csrfOK(r, s.csrf) {
			c.render(w, r, s, http.StatusForbidden, "message", page{Title: "Formuläret kunde inte skickas", Data: map[string]any{"Text": "Formuläret har gått ut eller kom inte från den här sidan. Ladda om sidan och försök igen."}})
			return
		}
		h(w, r, s)
	}
}

const maxForm = 256 << 10

func (c *Console) csrfOK(r *http.Request, want string) bool {
	if o := r.Header.Get("Origin"); o != "" && o != "null" && !sameOrigin(r, o) {
		return false
	}
	r.Body = http.MaxBytesReader(nil, r.Body, maxForm)
	if err := r.ParseForm(); err != nil {
		return false
	}
	return equalTokens(r.PostFormValue("csrf"), want)
}

func sameOrigin(r *http.Request, origin string) bool {
	return origin == "https://"+r.Host || origin == "http://"+r.Host
}
