package main

import (
	"context"
	"flag"
	"strings"
	"time"

	"github.com/fristad/fristad/api/auth"
)

// authFlags choose how bearer tokens are verified: by default HS256 with
// the development key in the data dir (minted by `fristad token`); with
// --jwks, RS256/ES256/EdDSA against a JWKS file or URL.
type authFlags struct {
	jwks     string
	issuer   string
	audience string
	maxTTL   time.Duration
}

func (f *authFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.jwks, "jwks", "", "JWKS file or https URL of the identity provider's keys (else HS256 with the development key)")
	fs.StringVar(&f.issuer, "issuer", auth.DevIssuer, "expected token issuer (iss)")
	fs.StringVar(&f.audience, "audience", auth.DevAudience, "expected token audience (aud)")
	fs.DurationVar(&f.maxTTL, "max-token-ttl", auth.DefaultMaxTokenTTL, "refuse tokens that live longer than this (exp - iat)")
}

func (f *authFlags) verifier(ctx context.Context, dataDir string) (*auth.Verifier, error) {
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
