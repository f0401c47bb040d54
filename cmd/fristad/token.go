package main

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/fristad/fristad/api/auth"
)

// tokenMaxTTL bounds a development token's lifetime: no longer than a
// server accepts by default (serve --max-token-ttl).
const tokenMaxTTL = auth.DefaultMaxTokenTTL

// tokenSubRE is the verifier's rule for sub (auth.Verify); keep the two in
// step. runToken also verifies what it minted, so a drift shows as an error
// rather than as a token the server refuses.
var tokenSubRE = regexp.MustCompile(`^[A-Za-z0-9._@-]{1,128}$`)

// tokenListFlag is a repeatable flag that also takes comma-separated values:
// --role caseworker --role supervisor, or --role caseworker,supervisor.
type tokenListFlag []string

func (l *tokenListFlag) String() string {
	if l == nil {
		return ""
	}
	return strings.Join(*l, ",")
}

func (l *tokenListFlag) Set(s string) error {
	for part := range strings.SplitSeq(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			return fmt.Errorf("empty value in %q", s)
		}
		if !slices.Contains(*l, part) {
			*l = append(*l, part)
		}
	}
	return nil
}

func runToken(_ context.Context, env *cliEnv, args []string) error {
	fs := newFlagSet(env, "token",
		`token --dev --sub ID [--name "Full Name"] [--role ROLE ...] [--unit UNIT ...] [--provider ID] [--data-dir DIR] [--ttl 8h]`)
	dev := fs.Bool("dev", false, "required: the token is signed with the data dir's development key, which only serve --dev accepts")
	dataDir := fs.String("data-dir", "./data", "data directory holding the development signing key (created on first use)")
	sub := fs.String("sub", "", "user id (sub claim); letters, digits and . _ @ - only, at most 128")
	name := fs.String("name", "", "display name (name claim)")
	var roles, units tokenListFlag
	fs.Var(&roles, "role", "role, repeatable or comma-separated: "+tokenRoleList())
	fs.Var(&units, "unit", "unit id the user works in, repeatable or comma-separated")
	provider := fs.String("provider", "", "provider id, for provider staff (provider claim)")
	ttl := fs.Duration("ttl", 8*time.Hour, "lifetime of the token, at most 12h (the server's default maximum)")
	issuer := fs.String("issuer", auth.DevIssuer, "issuer (iss); must match serve --issuer")
	audience := fs.String("audience", auth.DevAudience, "audience (aud); must match serve --audience")
	if err := parse(fs, args); err != nil {
		return err
	}

	switch {
	case !*dev:
		return usageError{Msg: "token mints development tokens only: give --dev (production tokens come from the identity provider)"}
	case *sub == "":
		return usageError{Msg: "--sub is required"}
	case !tokenSubRE.MatchString(*sub):
		return usageError{Msg: fmt.Sprintf("--sub %q: use 1 to 128 letters, digits, '.', '_', '@' or '-'", *sub)}
	case *ttl <= 0:
		return usageError{Msg: fmt.Sprintf("--ttl %s: must be positive", *ttl)}
	case *ttl > tokenMaxTTL:
		return usageError{Msg: fmt.Sprintf("--ttl %s: at most %s", *ttl, tokenMaxTTL)}
	case strings.TrimSpace(*issuer) == "":
		return usageError{Msg: "--issuer must not be empty"}
	case strings.TrimSpace(*audience) == "":
		return usageError{Msg: "--audience must not be empty"}
	case *dataDir == "":
		return usageError{Msg: "--data-dir must not be empty"}
	}
	p := auth.Principal{Sub: *sub, Name: *name, Units: []string(units), Provider: *provider}
	for _, r := range roles {
		if !auth.Role(r).Valid() {
			return usageError{Msg: fmt.Sprintf("--role %q: unknown role; one of %s", r, tokenRoleList())}
		}
		p.Roles = append(p.Roles, auth.Role(r))
	}

	key, err := auth.DevKey(*dataDir)
	if err != nil {
		return err
	}
	tok, err := auth.Mint(key, p, *issuer, *audience, *ttl, time.Now())
	if err != nil {
		return err
	}
	// Self-check: the development verifier (serve without --jwks) must
	// accept what we print.
	v, err := auth.NewVerifier(context.Background(), auth.Config{HS256Key: key, Issuer: *issuer, Audience: *audience})
	if err != nil {
		return err
	}
	if _, err := v.Verify(tok); err != nil {
		return fmt.Errorf("minted token does not verify: %w", err)
	}
	_, err = fmt.Fprintln(env.Stdout, tok)
	return err
}

func tokenRoleList() string {
	rs := auth.Roles()
	s := make([]string, len(rs))
	for i, r := range rs {
		s[i] = string(r)
	}
	return strings.Join(s, ", ")
}
