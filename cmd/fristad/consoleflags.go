package main

import (
	"context"
	"errors"
	"flag"
	"log/slog"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/fristad/fristad/api/auth"
	"github.com/fristad/fristad/console"
)

// consoleFlags configure the web console under /ui/: sign-in with an
// OpenID Connect issuer, or with --dev (the store's development flag) the
// development sign-in page.
type consoleFlags struct {
	oidcIssuer   string
	oidcClientID string
	publicURL    string
}

func (f *consoleFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.oidcIssuer, "oidc-issuer", "", "OpenID Connect issuer the console signs users in with (client secret, if any, in FRISTAD_OIDC_CLIENT_SECRET)")
	fs.StringVar(&f.oidcClientID, "oidc-client-id", "fristad-console", "the console's client id at the OIDC issuer")
	fs.StringVar(&f.publicURL, "public-url", "", "the URL browsers reach this server at (for the OIDC redirect), e.g. https://fristad.kommun.se")
}

// handler mounts the console beside the API; without sign-in configured
// the API is served alone.
func (f *consoleFlags) handler(ctx context.Context, log *slog.Logger, apiHandler http.Handler, verifier *auth.Verifier, af authFlags, dev bool, devKey []byte) (http.Handler, error) {
	cfg := console.Config{API: apiHandler, Verify: verifier.Verify, Logger: log}
	// The development sign-in mints with the development key; with --jwks
	// the API does not accept such tokens, so there is none.
	if dev && len(devKey) > 0 {
		cfg.DevMint = func(p auth.Principal) (string, error) {
			return auth.Mint(devKey, p, af.issuer, af.audience, 8*time.Hour, time.Now())
		}
	}
	if f.oidcIssuer != "" {
		if f.publicURL == "" {
			return nil, errors.New("--oidc-issuer needs --public-url (the console's redirect URL is built from it)")
		}
		cfg.OIDC = &console.OIDCConfig{Issuer: f.oidcIssuer, ClientID: f.oidcClientID, ClientSecret: os.Getenv("FRISTAD_OIDC_CLIENT_SECRET"),
			RedirectURL: strings.TrimSuffix(f.publicURL, "/") + console.Prefix + "oidc/callback", Scopes: []string{"profile"}}
	}
	if cfg.DevMint == nil && cfg.OIDC == nil {
		return apiHandler, nil
	}
	ui, err := console.New(ctx, cfg)
	if err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	mux.Handle(console.Prefix, ui.Handler())
	mux.Handle("/", apiHandler)
	return mux, nil
}
