package main

import (
	"context"
	"flag"
	"strings"
	"time"

	"github.com/fristad/fristad/api/auth"
)

// authFlags choose how bearer tokens are verified: with --jwks,
// RS256/ES256/EdDSA against the identity provider's JWKS file or URL
// (required); only with --dev and no --jwks, HS256 with the development
// key in the data dir (minted by `fristad token --dev`).
type authFlags struct {
	jwks     string
	issuer   string
	audience string
	maxTTL   time.Duration
}

func (f *authFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.jwks, "jwks", "", "JWKS file or https URL of the identity provider's keys (required unless --dev)")
	fs.StringVar(&f.issuer, "issuer", auth.DevIssuer, "expected token issuer (iss)")
	fs.StringVar(&f.audience, "audience", auth.DevAudience, "expected token audience (aud)")
	fs.DurationVar(&f.maxTTL, "max-token-ttl", auth.DefaultMaxTokenTTL, "refuse tokens that live longer than this (exp - iat)")
}

// check refuses a server with no way to verify tokens but a development key.
func (f *authFlags) check(dev bool) error {
	if f.jwks == "" && !dev {
		return usageError{Msg: "--jwks is required (the identity provider's keys); --dev verifies development tokens instead"}
	}
	return nil
}

func (f *authFlags) verifier(ctx context.Context, dataDir string, dev bool) (*auth.Verifier, error) {
	if err := f.check(dev); err != nil {
		return nil, err
	}
	cfg := auth.Config{Issuer: f.issuer, Audience: f.audience, MaxTokenTTL: f.maxTTL}
	switch {
	case strings.HasPrefix(f.jwks, "https://") || strings.HasPrefix(f.jwks, "http://"):
		cfg.JWKSURL = f.jwks
	case f.jwks != "":
		cfg.JWKSFile = f.jwks
	default:
		key, err := auth.DevKey(dataDir)
		if err != nil {
			return nil, err
		}
		cfg.HS256Key = key
	}
	return auth.NewVerifier(ctx, cfg)
}
