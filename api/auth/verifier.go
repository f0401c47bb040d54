package auth

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"time"

	"github.com/MicahParks/keyfunc/v3"
	"github.com/golang-jwt/jwt/v5"
)

// Development defaults: tokens minted by `fristad token`.
const (
	DevIssuer   = "fristad-dev"
	DevAudience = "fristad"
)

// Config selects how tokens are verified: HS256 with a shared key (the
// development default), or RS256/ES256/EdDSA against a JWKS file or URL.
type Config struct {
	HS256Key []byte
	JWKSFile string
	JWKSURL  string
	Issuer   string
	Audience string
	// Leeway tolerates clock skew on exp/nbf/iat (default 30s).
	Leeway time.Duration
	// MaxTokenTTL is the longest lifetime a token may have: exp minus
	// iat (minus now when the token has no iat). Default DefaultMaxTokenTTL.
	// The municipality's settings (max_token_ttl) change it at run time
	// through SetMaxTokenTTL.
	MaxTokenTTL time.Duration
}

// DefaultMaxTokenTTL is the longest token lifetime accepted by default: a
// working day and then some. An identity provider's access tokens live
// minutes to hours; a token that lives for years is a leaked credential
// that never goes away.
const DefaultMaxTokenTTL = 12 * time.Hour

// Verifier checks bearer tokens.
type Verifier struct {
	keyfunc  jwt.Keyfunc
	methods  []string
	issuer   string
	audience string
	leeway   time.Duration
	maxTTL   atomic.Int64 // nanoseconds
}

// ErrInvalidToken is any token that is not accepted; the reason is kept
// for logs, never sent to the client.
var ErrInvalidToken = errors.New("invalid token")

// NewVerifier validates cfg. Exactly one key source must be given.
func NewVerifier(ctx context.Context, cfg Config) (*Verifier, error) {
	sources := 0
	for _, set := range []bool{len(cfg.HS256Key) > 0, cfg.JWKSFile != "", cfg.JWKSURL != ""} {
		if set {
			sources++
		}
	}
	if sources != 1 {
		return nil, errors.New("auth: configure exactly one of an HS256 key, a JWKS file or a JWKS URL")
	}
	if cfg.Issuer == "" || cfg.Audience == "" {
		return nil, errors.New("auth: issuer and audience are required")
	}
	if cfg.Leeway == 0 {
		cfg.Leeway = 30 * time.Second
	}
	if cfg.MaxTokenTTL == 0 {
		cfg.MaxTokenTTL = DefaultMaxTokenTTL
	}
	if cfg.MaxTokenTTL < 0 {
		return nil, errors.New("auth: the maximum token lifetime must be positive")
	}
	v := &Verifier{issuer: cfg.Issuer, audience: cfg.Audience, leeway: cfg.Leeway}
	v.maxTTL.Store(int64(cfg.MaxTokenTTL))
	switch {
	case len(cfg.HS256Key) > 0:
		if len(cfg.HS256Key) < 32 {
			return nil, errors.New("auth: HS256 key must be at least 32 bytes")
		}
		key := cfg.HS256Key
		v.methods = []string{"HS256"}
		v.keyfunc = func(*jwt.Token) (any, error) { return key, nil }
	case cfg.JWKSFile != "":
		raw, err := os.ReadFile(cfg.JWKSFile) // #nosec G304 -- the operator names the JWKS file
		if err != nil {
			return nil, fmt.Errorf("auth: JWKS file: %w", err)
		}
		kf, err := keyfunc.NewJWKSetJSON(json.RawMessage(raw))
		if err != nil {
			return nil, fmt.Errorf("auth: JWKS file: %w", err)
		}
		v.keyfunc, v.methods = kf.Keyfunc, asymmetric
	default:
		// Fail at start-up when the identity provider's keys cannot be
		// fetched, rather than refuse every token later; and bound how long
		// a token with an unknown key id may wait for a refresh.
		failFirst := false
		kf, err := keyfunc.NewDefaultOverrideCtx(ctx, []string{cfg.JWKSURL}, keyfunc.Override{
			NoErrorReturnFirstHTTPReq: &failFirst,
			HTTPTimeout:               10 * time.Second,
			RateLimitWaitMax:          2 * time.Second,
		})
		if err != nil {
			return nil, fmt.Errorf("auth: JWKS URL: %w", err)
		}
		v.keyfunc, v.methods = kf.Keyfunc, asymmetric
	}
	return v, nil
}

// asymmetric are the algorithms accepted with a JWKS. HS256 is not among
// them, so a token signed with a public key as an HMAC secret (algorithm
// confusion) is refused, and so is "none".
var asymmetric = []string{"RS256", "RS384", "RS512", "PS256", "ES256", "ES384", "EdDSA"}

type claims struct {
	jwt.RegisteredClaims
	Name     string   `json:"name"`
	Roles    []string `json:"roles"`
	Units    []string `json:"units"`
	Provider string   `json:"provider,omitempty"`
}

var subRE = regexp.MustCompile(`^[A-Za-z0-9._@-]{1,128}$`)

// SetMaxTokenTTL changes the longest token lifetime accepted (the
// municipality's max_token_ttl setting); d must be positive.
func (v *Verifier) SetMaxTokenTTL(d time.Duration) error {
	if d <= 0 {
		return errors.New("auth: the maximum token lifetime must be positive")
	}
	v.maxTTL.Store(int64(d))
	return nil
}

// MaxTokenTTL is the longest token lifetime accepted now.
func (v *Verifier) MaxTokenTTL() time.Duration { return time.Duration(v.maxTTL.Load()) }

// Verify checks a token's signature, algorithm, issuer, audience, times
// and lifetime, and refuses any critical header extension, and returns
// the caller. Every failure is ErrInvalidToken wrapped with the reason.
func (v *Verifier) Verify(token string) (Principal, error) {
	return v.verifyAt(token, time.Now())
}

func (v *Verifier) verifyAt(token string, now time.Time) (Principal, error) {
	var c claims
	tok, err := jwt.ParseWithClaims(token, &c, v.keyfunc,
		jwt.WithTimeFunc(func() time.Time { return now }),
		jwt.WithValidMethods(v.methods),
		jwt.WithIssuer(v.issuer),
		jwt.WithAudience(v.audience),
		jwt.WithExpirationRequired(),
		jwt.WithIssuedAt(),
		jwt.WithLeeway(v.leeway),
	)
	if err != nil {
		return Principal{}, fmt.Errorf("%w: %v", ErrInvalidToken, err)
	}
	// RFC 7515 4.1.11: a recipient must refuse a token whose "crit" names
	// an extension it does not understand, and fristad understands none.
	// golang-jwt ignores the header, so it is checked here.
	if _, ok := tok.Header["crit"]; ok {
		return Principal{}, fmt.Errorf("%w: critical header extensions are not supported", ErrInvalidToken)
	}
	start := now
	if c.IssuedAt != nil {
		start = c.IssuedAt.Time
	}
	if c.ExpiresAt.Sub(start) > v.MaxTokenTTL()+v.leeway {
		return Principal{}, fmt.Errorf("%w: lifetime longer than the maximum of %s", ErrInvalidToken, v.MaxTokenTTL())
	}
	if !subRE.MatchString(c.Subject) {
		return Principal{}, fmt.Errorf("%w: sub missing or not a plain user id", ErrInvalidToken)
	}
	p := Principal{Sub: c.Subject, Name: c.Name, Units: c.Units, Provider: c.Provider}
	for _, r := range c.Roles {
		if Role(r).Valid() {
			p.Roles = append(p.Roles, Role(r))
		}
	}
	return p, nil
}

// Mint signs a development token with HS256.
func Mint(key []byte, p Principal, issuer, audience string, ttl time.Duration, now time.Time) (string, error) {
	if len(key) < 32 {
		return "", errors.New("auth: HS256 key must be at least 32 bytes")
	}
	roles := make([]string, len(p.Roles))
	for i, r := range p.Roles {
		roles[i] = string(r)
	}
	c := claims{
		RegisteredClaims: jwt.RegisteredClaims{
			Subject: p.Sub, Issuer: issuer, Audience: jwt.ClaimStrings{audience},
			IssuedAt: jwt.NewNumericDate(now), NotBefore: jwt.NewNumericDate(now), ExpiresAt: jwt.NewNumericDate(now.Add(ttl)),
		},
		Name: p.Name, Roles: roles, Units: p.Units, Provider: p.Provider,
	}
	return jwt.NewWithClaims(jwt.SigningMethodHS256, c).SignedString(key)
}

// devKeyLen is the size of a generated development key.
const devKeyLen = 32

// DevKey returns the development HS256 key in dataDir/keys/jwt-hs256.key,
// generating it on first use. It never leaves the data directory.
//
// The key is written to a temporary file and linked into place, so a
// concurrent caller (another process, or serve and token at once) sees
// either no key file or a complete one, never an empty one; a file that
// does not hold a key of at least 32 bytes is an error, not a weak key.
func DevKey(dataDir string) ([]byte, error) {
	if dataDir == "" {
		return nil, errors.New("auth: no data dir for the development signing key")
	}
	path := filepath.Join(dataDir, "keys", "jwt-hs256.key")
	if key, err := readDevKey(path); !errors.Is(err, os.ErrNotExist) {
		return key, err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("auth: development key: %w", err)
	}
	key := make([]byte, devKeyLen)
	if _, err := rand.Read(key); err != nil {
		return nil, err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".jwt-hs256.key.*") // mode 0600
	if err != nil {
		return nil, fmt.Errorf("auth: development key: %w", err)
	}
	defer os.Remove(tmp.Name())
	_, err = tmp.WriteString(base64.StdEncoding.EncodeToString(key) + "\n")
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, fmt.Errorf("auth: development key: %w", err)
	}
	// Link fails if the key exists: then another caller made it first.
	if err := os.Link(tmp.Name(), path); errors.Is(err, os.ErrExist) {
		return readDevKey(path)
	} else if err != nil {
		return nil, fmt.Errorf("auth: development key: %w", err)
	}
	return key, nil
}

func readDevKey(path string) ([]byte, error) {
	b, err := os.ReadFile(path) // #nosec G304 -- path inside the data dir
	if errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	if err != nil {
		return nil, fmt.Errorf("auth: development key: %w", err)
	}
	key, err := base64.StdEncoding.DecodeString(strings.TrimSpace(string(b)))
	if err != nil || len(key) < devKeyLen {
		return nil, fmt.Errorf("auth: development key %s is corrupt (want base64 of at least %d bytes); remove it to generate a new one", path, devKeyLen)
	}
	return key, nil
}
