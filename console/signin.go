package console

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"github.com/fristad/fristad/api/auth"
	"golang.org/x/oauth2"
)

// OIDCConfig is the console's client registration at the issuer.
type OIDCConfig struct {
	Issuer       string
	ClientID     string
	ClientSecret string // empty for a public client (PKCE alone)
	// RedirectURL is this console's /ui/oidc/callback as the browser
	// reaches it.
	RedirectURL string
	Scopes      []string
	// HTTPClient, when set, is used to reach the issuer (tests).
	HTTPClient *http.Client
}

type oidcClient struct {
	cfg      OIDCConfig
	provider *oidc.Provider
	verifier *oidc.IDTokenVerifier
	oauth    oauth2.Config
}

func newOIDCClient(ctx context.Context, cfg OIDCConfig) (*oidcClient, error) {
	if cfg.Issuer == "" || cfg.ClientID == "" || cfg.RedirectURL == "" {
		return nil, errors.New("console: OIDC needs an issuer, a client id and a redirect URL")
	}
	if cfg.HTTPClient != nil {
		ctx = oidc.ClientContext(ctx, cfg.HTTPClient)
	}
	p, err := oidc.NewProvider(ctx, cfg.Issuer)
	if err != nil {
		return nil, fmt.Errorf("console: OIDC discovery: %w", err)
	}
	scopes := append([]string{oidc.ScopeOpenID}, cfg.Scopes...)
	return &oidcClient{cfg: cfg, provider: p, verifier: p.Verifier(&oidc.Config{ClientID: cfg.ClientID}),
		oauth: oauth2.Config{ClientID: cfg.ClientID, ClientSecret: cfg.ClientSecret, Endpoint: p.Endpoint(), RedirectURL: cfg.RedirectURL, Scopes: scopes}}, nil
}

func (c *Console) signInPage(w http.ResponseWriter, r *http.Request) {
	data := map[string]any{"OIDC": c.oidc != nil}
	if c.cfg.DevMint != nil {
		data["Pre"] = preToken(w, r)
		data["Roles"] = roleOptions()
	}
	if r.URL.Query().Get("fel") != "" {
		data["Failed"] = true
	}
	c.render(w, r, nil, http.StatusOK, "signin", page{Title: "Logga in", Data: data})
}

func roleOptions() []option {
	sv := map[auth.Role]string{auth.RoleCaseworker: "Handläggare", auth.RoleSupervisor: "Enhetschef", auth.RoleProvider: "Utförare",
		auth.RoleTreatment: "Behandlare", auth.RolePartnerContact: "Partnerkontakt", auth.RoleStatistician: "Statistiker", auth.RoleAdmin: "Administratör"}
	var out []option
	for _, r := range auth.Roles() {
		out = append(out, option{Value: string(r), Label: sv[r]})
	}
	return out
}

// startSession verifies the token as the API will and signs the browser in.
func (c *Console) startSession(w http.ResponseWriter, r *http.Request, token string, expiry time.Time) (*session, error) {
	p, err := c.cfg.Verify(token)
	if err != nil {
		return nil, err
	}
	// A new sign-in ends the browser's earlier session, if any.
	if old, ok := c.sessions.get(r); ok {
		c.sessions.drop(old.id)
	}
	exp := c.now().Add(c.cfg.SessionTTL)
	if !expiry.IsZero() && expiry.Before(exp) {
		exp = expiry
	}
	s := c.sessions.create(token, p, exp)
	setSessionCookie(w, s)
	clearCookie(w, preCookie)
	return s, nil
}

// devSignIn (serve --dev only): the development key mints a token for the
// user, roles and units chosen on the sign-in page.
func (c *Console) devSignIn(w http.ResponseWriter, r *http.Request) {
	if c.cfg.DevMint == nil {
		c.notFound(w, r)
		return
	}
	ck, err := r.Cookie(preCookie)
	if err != nil || !c.csrfOK(r, ck.Value) {
		c.render(w, r, nil, http.StatusForbidden, "message", page{Title: "Formuläret kunde inte skickas", Data: map[string]any{"Text": "Ladda om inloggningssidan och försök igen."}})
		return
	}
	p := auth.Principal{Sub: strings.TrimSpace(r.PostFormValue("sub")), Name: strings.TrimSpace(r.PostFormValue("name")),
		Provider: strings.TrimSpace(r.PostFormValue("provider"))}
	for _, v := range r.PostForm["roles"] {
		if auth.Role(v).Valid() {
			p.Roles = append(p.Roles, auth.Role(v))
		}
	}
	for _, u := range strings.Split(r.PostFormValue("units"), ",") {
		if u = strings.TrimSpace(u); u != "" {
			p.Units = append(p.Units, u)
		}
	}
	if p.Name == "" {
		p.Name = p.Sub
	}
	tok, err := c.cfg.DevMint(p)
	var s *session
	if err == nil {
		s, err = c.startSession(w, r, tok, time.Time{})
	}
	if err != nil {
		data := map[string]any{"OIDC": c.oidc != nil, "Pre": preToken(w, r), "Roles": roleOptions(), "Failed": true}
		c.render(w, r, nil, http.StatusBadRequest, "signin", page{Title: "Logga in", Data: data,
			Errors: []fieldError{{Field: "sub", Label: "Användar-id", Message: "är inte ett giltigt användar-id"}}})
		return
	}
	http.Redirect(w, r, landing(s.principal), http.StatusSeeOther)
}

// oidcStart sends the browser to the issuer: authorization code flow
// with PKCE (S256), a one-time state bound to this browser and a nonce.
func (c *Console) oidcStart(w http.ResponseWriter, r *http.Request) {
	if c.oidc == nil {
		c.notFound(w, r)
		return
	}
	pre := preToken(w, r)
	state, nonce, verifier := randomToken(), randomToken(), oauth2.GenerateVerifier()
	if !c.sessions.putLogin(state+"."+pre, preLogin{verifier: verifier, nonce: nonce, expires: c.now().Add(10 * time.Minute)}) {
		w.Header().Set("Retry-After", "60")
		c.render(w, r, nil, http.StatusServiceUnavailable, "message", page{Title: "Försök igen om en stund", Data: map[string]any{
			"Text": "Många inloggningar pågår just nu. Försök igen om en minut."}})
		return
	}
	url := c.oidc.oauth.AuthCodeURL(state, oauth2.S256ChallengeOption(verifier), oidc.Nonce(nonce))
	http.Redirect(w, r, url, http.StatusFound)
}

func (c *Console) oidcCallback(w http.ResponseWriter, r *http.Request) {
	if c.oidc == nil {
		c.notFound(w, r)
		return
	}
	fail := func(why string, err error) {
		c.log.Warn("console: OIDC sign-in refused", "why", why, "err", err)
		http.Redirect(w, r, Prefix+"logga-in?fel=1", http.StatusSeeOther)
	}
	ck, err := r.Cookie(preCookie)
	if err != nil {
		fail("no login cookie", err)
		return
	}
	q := r.URL.Query()
	login, ok := c.sessions.takeLogin(q.Get("state") + "." + ck.Value)
	if !ok || q.Get("error") != "" {
		fail("unknown state or issuer error", nil)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), 10*time.Second)
	defer cancel()
	if c.oidc.cfg.HTTPClient != nil {
		ctx = oidc.ClientContext(ctx, c.oidc.cfg.HTTPClient)
	}
	tok, err := c.oidc.oauth.Exchange(ctx, q.Get("code"), oauth2.VerifierOption(login.verifier))
	if err != nil {
		fail("code exchange", err)
		return
	}
	raw, _ := tok.Extra("id_token").(string)
	idt, err := c.oidc.verifier.Verify(ctx, raw)
	if err != nil {
		fail("id token", err)
		return
	}
	if !equalTokens(idt.Nonce, login.nonce) {
		fail("nonce", nil)
		return
	}
	// The API is called with the access token, checked by the API's own
	// verifier: an issuer whose access tokens the API does not accept
	// cannot sign anyone in to the console.
	if _, err := c.startSession(w, r, tok.AccessToken, tok.Expiry); err != nil {
		fail("access token not accepted by the API", err)
		return
	}
	// The session cookie is SameSite=Strict: a redirect at the end of the
	// issuer's cross-site chain would not carry it, so the browser
	// continues from a page of our own.
	c.render(w, r, nil, http.StatusOK, "continue", page{Title: "Inloggad"})
}

func (c *Console) signOut(w http.ResponseWriter, r *http.Request, s *session) {
	c.sessions.drop(s.id)
	clearCookie(w, sessionCookie)
	http.Redirect(w, r, Prefix+"logga-in", http.StatusSeeOther)
}
