package auth_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"math/big"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fristad/fristad/api/auth"
)

const (
	testIss = "https://idp.example"
	testAud = "fristad-api"
)

var testKey = []byte("0123456789abcdef0123456789abcdef") // 32 bytes

// baseClaims are the claims of a valid token; cases change or drop fields.
func baseClaims() jwt.MapClaims {
	now := time.Now()
	return jwt.MapClaims{
		"sub":      "anna",
		"name":     "Anna A",
		"roles":    []string{"caseworker"},
		"units":    []string{"vuxen"},
		"provider": "",
		"iss":      testIss,
		"aud":      testAud,
		"iat":      now.Unix(),
		"nbf":      now.Unix(),
		"exp":      now.Add(time.Hour).Unix(),
	}
}

func signHS(t *testing.T, method jwt.SigningMethod, key []byte, c jwt.MapClaims) string {
	t.Helper()
	s, err := jwt.NewWithClaims(method, c).SignedString(key)
	require.NoError(t, err)
	return s
}

func b64(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

func b64JSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return b64(b)
}

func hsVerifier(t *testing.T) *auth.Verifier {
	t.Helper()
	v, err := auth.NewVerifier(context.Background(), auth.Config{HS256Key: testKey, Issuer: testIss, Audience: testAud})
	require.NoError(t, err)
	return v
}

// tamper re-encodes the payload of tok with change applied, keeping header
// and signature.
func tamper(t *testing.T, tok string, change func(jwt.MapClaims)) string {
	t.Helper()
	parts := strings.Split(tok, ".")
	require.Len(t, parts, 3)
	raw, err := base64.RawURLEncoding.DecodeString(parts[1])
	require.NoError(t, err)
	var c jwt.MapClaims
	require.NoError(t, json.Unmarshal(raw, &c))
	change(c)
	parts[1] = b64JSON(t, c)
	return strings.Join(parts, ".")
}

func with(change func(jwt.MapClaims)) jwt.MapClaims {
	c := baseClaims()
	change(c)
	return c
}

func TestVerifierHS256(t *testing.T) {
	now := time.Now()
	valid := signHS(t, jwt.SigningMethodHS256, testKey, baseClaims())
	otherKey := []byte("fedcba9876543210fedcba9876543210")
	noneHeader := b64JSON(t, map[string]string{"alg": "none", "typ": "JWT"})
	noneHeaderCaps := b64JSON(t, map[string]string{"alg": "NONE", "typ": "JWT"})

	cases := []struct {
		name  string
		token string
		ok    bool
	}{
		{"valid", valid, true},
		{"valid, aud as array among others", signHS(t, jwt.SigningMethodHS256, testKey, with(func(c jwt.MapClaims) { c["aud"] = []string{"other", testAud} })), true},
		{"valid, no nbf and no iat", signHS(t, jwt.SigningMethodHS256, testKey, with(func(c jwt.MapClaims) { delete(c, "nbf"); delete(c, "iat") })), true},
		{"expired", signHS(t, jwt.SigningMethodHS256, testKey, with(func(c jwt.MapClaims) { c["exp"] = now.Add(-5 * time.Minute).Unix() })), false},
		{"expired within leeway", signHS(t, jwt.SigningMethodHS256, testKey, with(func(c jwt.MapClaims) { c["exp"] = now.Add(-10 * time.Second).Unix() })), true},
		{"not yet valid", signHS(t, jwt.SigningMethodHS256, testKey, with(func(c jwt.MapClaims) { c["nbf"] = now.Add(5 * time.Minute).Unix() })), false},
		{"nbf within leeway", signHS(t, jwt.SigningMethodHS256, testKey, with(func(c jwt.MapClaims) { c["nbf"] = now.Add(10 * time.Second).Unix() })), true},
		{"issued in the future", signHS(t, jwt.SigningMethodHS256, testKey, with(func(c jwt.MapClaims) { c["iat"] = now.Add(5 * time.Minute).Unix() })), false},
		{"wrong issuer", signHS(t, jwt.SigningMethodHS256, testKey, with(func(c jwt.MapClaims) { c["iss"] = "https://evil.example" })), false},
		{"missing issuer", signHS(t, jwt.SigningMethodHS256, testKey, with(func(c jwt.MapClaims) { delete(c, "iss") })), false},
		{"wrong audience", signHS(t, jwt.SigningMethodHS256, testKey, with(func(c jwt.MapClaims) { c["aud"] = "someone-else" })), false},
		{"missing audience", signHS(t, jwt.SigningMethodHS256, testKey, with(func(c jwt.MapClaims) { delete(c, "aud") })), false},
		{"missing exp", signHS(t, jwt.SigningMethodHS256, testKey, with(func(c jwt.MapClaims) { delete(c, "exp") })), false},
		{"exp not a number", signHS(t, jwt.SigningMethodHS256, testKey, with(func(c jwt.MapClaims) { c["exp"] = "tomorrow" })), false},
		{"alg none", noneHeader + "." + b64JSON(t, baseClaims()) + ".", false},
		{"alg NONE", noneHeaderCaps + "." + b64JSON(t, baseClaims()) + ".", false},
		{"alg none with the valid signature", noneHeader + "." + b64JSON(t, baseClaims()) + "." + strings.Split(valid, ".")[2], false},
		{"HS384 with the right key", signHS(t, jwt.SigningMethodHS384, testKey, baseClaims()), false},
		{"HS512 with the right key", signHS(t, jwt.SigningMethodHS512, testKey, baseClaims()), false},
		{"tampered sub", tamper(t, valid, func(c jwt.MapClaims) { c["sub"] = "admin" }), false},
		{"tampered roles", tamper(t, valid, func(c jwt.MapClaims) { c["roles"] = []string{"admin"} }), false},
		{"tampered exp", tamper(t, valid, func(c jwt.MapClaims) { c["exp"] = now.Add(1000 * time.Hour).Unix() }), false},
		{"signature stripped", strings.Join(strings.Split(valid, ".")[:2], ".") + ".", false},
		{"signed with another key", signHS(t, jwt.SigningMethodHS256, otherKey, baseClaims()), false},
		{"empty sub", signHS(t, jwt.SigningMethodHS256, testKey, with(func(c jwt.MapClaims) { c["sub"] = "" })), false},
		{"missing sub", signHS(t, jwt.SigningMethodHS256, testKey, with(func(c jwt.MapClaims) { delete(c, "sub") })), false},
		{"sub with space", signHS(t, jwt.SigningMethodHS256, testKey, with(func(c jwt.MapClaims) { c["sub"] = "anna a" })), false},
		{"sub with trailing newline", signHS(t, jwt.SigningMethodHS256, testKey, with(func(c jwt.MapClaims) { c["sub"] = "anna\n" })), false},
		{"sub with inner newline", signHS(t, jwt.SigningMethodHS256, testKey, with(func(c jwt.MapClaims) { c["sub"] = "anna\nadmin" })), false},
		{"sub too long", signHS(t, jwt.SigningMethodHS256, testKey, with(func(c jwt.MapClaims) { c["sub"] = strings.Repeat("a", 129) })), false},
		{"sub at max length", signHS(t, jwt.SigningMethodHS256, testKey, with(func(c jwt.MapClaims) { c["sub"] = strings.Repeat("a", 128) })), true},
		{"sub email-like", signHS(t, jwt.SigningMethodHS256, testKey, with(func(c jwt.MapClaims) { c["sub"] = "anna.a-1_x@kommun.se" })), true},
		{"roles not an array", signHS(t, jwt.SigningMethodHS256, testKey, with(func(c jwt.MapClaims) { c["roles"] = "admin" })), false},
		{"not a JWT", "not-a-jwt", false},
		{"empty", "", false},
	}
	v := hsVerifier(t)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p, err := v.Verify(tc.token)
			if tc.ok {
				require.NoError(t, err)
				assert.NotEmpty(t, p.Sub)
				return
			}
			require.Error(t, err)
			assert.True(t, errors.Is(err, auth.ErrInvalidToken), "want ErrInvalidToken, got %v", err)
			assert.Equal(t, auth.Principal{}, p)
		})
	}
}

func TestVerifierPrincipalClaims(t *testing.T) {
	v := hsVerifier(t)
	tok := signHS(t, jwt.SigningMethodHS256, testKey, with(func(c jwt.MapClaims) {
		c["roles"] = []string{"caseworker", "root", "Admin", "supervisor", ""}
		c["units"] = []string{"vuxen", "barn"}
		c["provider"] = "kvinnojouren"
	}))
	p, err := v.Verify(tok)
	require.NoError(t, err)
	assert.Equal(t, "anna", p.Sub)
	assert.Equal(t, "Anna A", p.Name)
	assert.Equal(t, []auth.Role{auth.RoleCaseworker, auth.RoleSupervisor}, p.Roles, "unknown roles are dropped")
	assert.Equal(t, []string{"vuxen", "barn"}, p.Units)
	assert.Equal(t, "kvinnojouren", p.Provider)
	assert.True(t, p.InUnit("barn"))
	assert.False(t, p.Has(auth.RoleAdmin))

	// Only unknown roles: a principal without roles, not an error.
	tok = signHS(t, jwt.SigningMethodHS256, testKey, with(func(c jwt.MapClaims) { c["roles"] = []string{"superuser"} }))
	p, err = v.Verify(tok)
	require.NoError(t, err)
	assert.Empty(t, p.Roles)
}

func TestVerifierMintRoundTrip(t *testing.T) {
	v := hsVerifier(t)
	in := auth.Principal{Sub: "bo", Name: "Bo B", Roles: []auth.Role{auth.RoleProvider}, Units: []string{"u1"}, Provider: "p1"}
	tok, err := auth.Mint(testKey, in, testIss, testAud, time.Hour, time.Now())
	require.NoError(t, err)
	p, err := v.Verify(tok)
	require.NoError(t, err)
	assert.Equal(t, in, p)

	// Minted long ago: expired.
	tok, err = auth.Mint(testKey, in, testIss, testAud, time.Hour, time.Now().Add(-2*time.Hour))
	require.NoError(t, err)
	_, err = v.Verify(tok)
	assert.ErrorIs(t, err, auth.ErrInvalidToken)

	_, err = auth.Mint(testKey[:31], in, testIss, testAud, time.Hour, time.Now())
	assert.Error(t, err, "short key")
}

func TestNewVerifierConfig(t *testing.T) {
	ctx := context.Background()
	jwksFile := writeJWKS(t, []jwk{{"kty": "OKP", "crv": "Ed25519", "x": b64(make([]byte, 32)), "kid": "k"}})
	bad := filepath.Join(t.TempDir(), "bad.json")
	require.NoError(t, os.WriteFile(bad, []byte("{not json"), 0o600))
	cases := []struct {
		name string
		cfg  auth.Config
		ok   bool
	}{
		{"HS256", auth.Config{HS256Key: testKey, Issuer: testIss, Audience: testAud}, true},
		{"JWKS file", auth.Config{JWKSFile: jwksFile, Issuer: testIss, Audience: testAud}, true},
		{"no source", auth.Config{Issuer: testIss, Audience: testAud}, false},
		{"HS256 and JWKS file", auth.Config{HS256Key: testKey, JWKSFile: jwksFile, Issuer: testIss, Audience: testAud}, false},
		{"JWKS file and URL", auth.Config{JWKSFile: jwksFile, JWKSURL: "http://127.0.0.1:1/jwks", Issuer: testIss, Audience: testAud}, false},
		{"all three", auth.Config{HS256Key: testKey, JWKSFile: jwksFile, JWKSURL: "http://127.0.0.1:1/jwks", Issuer: testIss, Audience: testAud}, false},
		{"short HS256 key", auth.Config{HS256Key: testKey[:31], Issuer: testIss, Audience: testAud}, false},
		{"missing issuer", auth.Config{HS256Key: testKey, Audience: testAud}, false},
		{"missing audience", auth.Config{HS256Key: testKey, Issuer: testIss}, false},
		{"JWKS file missing", auth.Config{JWKSFile: filepath.Join(t.TempDir(), "nope.json"), Issuer: testIss, Audience: testAud}, false},
		{"JWKS file not JSON", auth.Config{JWKSFile: bad, Issuer: testIss, Audience: testAud}, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			v, err := auth.NewVerifier(ctx, tc.cfg)
			if tc.ok {
				require.NoError(t, err)
				assert.NotNil(t, v)
			} else {
				assert.Error(t, err)
				assert.Nil(t, v)
			}
		})
	}
}

// --- JWKS ---

type jwk map[string]any

type testKeys struct {
	rsa    *rsa.PrivateKey
	ec     *ecdsa.PrivateKey
	ed     ed25519.PrivateKey
	rsaOut *rsa.PrivateKey // not in the set
	set    []jwk
}

func newTestKeys(t *testing.T) testKeys {
	t.Helper()
	var k testKeys
	var err error
	k.rsa, err = rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)
	k.rsaOut, err = rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)
	k.ec, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	_, k.ed, err = ed25519.GenerateKey(rand.Reader)
	require.NoError(t, err)
	k.set = []jwk{rsaJWK(t, &k.rsa.PublicKey, "rsa-1"), ecJWK(t, &k.ec.PublicKey, "ec-1"), edJWK(k.ed.Public().(ed25519.PublicKey), "ed-1")}
	return k
}

func rsaJWK(t *testing.T, pub *rsa.PublicKey, kid string) jwk {
	t.Helper()
	return jwk{"kty": "RSA", "kid": kid, "use": "sig", "alg": "RS256",
		"n": b64(pub.N.Bytes()), "e": b64(big.NewInt(int64(pub.E)).Bytes())}
}

func ecJWK(t *testing.T, pub *ecdsa.PublicKey, kid string) jwk {
	t.Helper()
	e, err := pub.ECDH()
	require.NoError(t, err)
	pt := e.Bytes() // 0x04 || X || Y, 32 bytes each on P-256
	require.Len(t, pt, 65)
	return jwk{"kty": "EC", "kid": kid, "use": "sig", "alg": "ES256", "crv": "P-256",
		"x": b64(pt[1:33]), "y": b64(pt[33:])}
}

func edJWK(pub ed25519.PublicKey, kid string) jwk {
	return jwk{"kty": "OKP", "kid": kid, "use": "sig", "alg": "EdDSA", "crv": "Ed25519", "x": b64(pub)}
}

func jwksJSON(t *testing.T, keys []jwk) []byte {
	t.Helper()
	b, err := json.Marshal(map[string]any{"keys": keys})
	require.NoError(t, err)
	return b
}

func writeJWKS(t *testing.T, keys []jwk) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "jwks.json")
	require.NoError(t, os.WriteFile(path, jwksJSON(t, keys), 0o600))
	return path
}

func sign(t *testing.T, method jwt.SigningMethod, kid string, key any, c jwt.MapClaims) string {
	t.Helper()
	tok := jwt.NewWithClaims(method, c)
	if kid != "" {
		tok.Header["kid"] = kid
	}
	s, err := tok.SignedString(key)
	require.NoError(t, err)
	return s
}

type jwksCase struct {
	name  string
	token string
	ok    bool
}

func jwksCases(t *testing.T, k testKeys) []jwksCase {
	t.Helper()
	c := baseClaims
	pubDER, err := x509.MarshalPKIXPublicKey(&k.rsa.PublicKey)
	require.NoError(t, err)
	pubPEM := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pubDER})
	pkcs1PEM := pem.EncodeToMemory(&pem.Block{Type: "RSA PUBLIC KEY", Bytes: x509.MarshalPKCS1PublicKey(&k.rsa.PublicKey)})
	edPub := []byte(k.ed.Public().(ed25519.PublicKey))
	return []jwksCase{
		{"RS256 by rsa-1", sign(t, jwt.SigningMethodRS256, "rsa-1", k.rsa, c()), true},
		{"ES256 by ec-1", sign(t, jwt.SigningMethodES256, "ec-1", k.ec, c()), true},
		{"EdDSA by ed-1", sign(t, jwt.SigningMethodEdDSA, "ed-1", k.ed, c()), true},
		{"RS256 without kid, key in the set", sign(t, jwt.SigningMethodRS256, "", k.rsa, c()), true},

		{"RS256 with unknown kid", sign(t, jwt.SigningMethodRS256, "rsa-9", k.rsa, c()), false},
		{"RS256 by a key not in the set, kid rsa-1", sign(t, jwt.SigningMethodRS256, "rsa-1", k.rsaOut, c()), false},
		{"RS256 by a key not in the set, no kid", sign(t, jwt.SigningMethodRS256, "", k.rsaOut, c()), false},
		{"PS256 by rsa-1 (JWK says RS256)", sign(t, jwt.SigningMethodPS256, "rsa-1", k.rsa, c()), false},
		{"RS256 claiming ec-1", sign(t, jwt.SigningMethodRS256, "ec-1", k.rsa, c()), false},
		{"ES256 claiming ed-1", sign(t, jwt.SigningMethodES256, "ed-1", k.ec, c()), false},

		// Algorithm confusion: the public key used as an HMAC secret.
		{"HS256 keyed with rsa-1 PKIX PEM", sign(t, jwt.SigningMethodHS256, "rsa-1", pubPEM, c()), false},
		{"HS256 keyed with rsa-1 PKCS1 PEM", sign(t, jwt.SigningMethodHS256, "rsa-1", pkcs1PEM, c()), false},
		{"HS256 keyed with rsa-1 DER", sign(t, jwt.SigningMethodHS256, "rsa-1", pubDER, c()), false},
		{"HS256 keyed with rsa-1 n", sign(t, jwt.SigningMethodHS256, "rsa-1", k.rsa.N.Bytes(), c()), false},
		{"HS256 keyed with ed-1 bytes", sign(t, jwt.SigningMethodHS256, "ed-1", edPub, c()), false},
		{"HS256 keyed with rsa-1 PEM, no kid", sign(t, jwt.SigningMethodHS256, "", pubPEM, c()), false},
		{"alg none with kid rsa-1", b64JSON(t, map[string]string{"alg": "none", "typ": "JWT", "kid": "rsa-1"}) + "." + b64JSON(t, c()) + ".", false},

		{"RS256 by rsa-1, expired", sign(t, jwt.SigningMethodRS256, "rsa-1", k.rsa, with(func(m jwt.MapClaims) { m["exp"] = time.Now().Add(-time.Hour).Unix() })), false},
		{"ES256 by ec-1, wrong audience", sign(t, jwt.SigningMethodES256, "ec-1", k.ec, with(func(m jwt.MapClaims) { m["aud"] = "x" })), false},
		{"EdDSA by ed-1, bad sub", sign(t, jwt.SigningMethodEdDSA, "ed-1", k.ed, with(func(m jwt.MapClaims) { m["sub"] = "a b" })), false},
		{"EdDSA by ed-1, tampered", tamper(t, sign(t, jwt.SigningMethodEdDSA, "ed-1", k.ed, c()), func(m jwt.MapClaims) { m["roles"] = []string{"admin"} }), false},
	}
}

func runJWKSCases(t *testing.T, v *auth.Verifier, cases []jwksCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p, err := v.Verify(tc.token)
			if tc.ok {
				require.NoError(t, err)
				assert.Equal(t, "anna", p.Sub)
				assert.Equal(t, []auth.Role{auth.RoleCaseworker}, p.Roles)
				assert.Equal(t, []string{"vuxen"}, p.Units)
				return
			}
			require.Error(t, err)
			assert.True(t, errors.Is(err, auth.ErrInvalidToken), "want ErrInvalidToken, got %v", err)
		})
	}
}

func TestVerifierJWKSFile(t *testing.T) {
	k := newTestKeys(t)
	v, err := auth.NewVerifier(context.Background(), auth.Config{JWKSFile: writeJWKS(t, k.set), Issuer: testIss, Audience: testAud})
	require.NoError(t, err)
	runJWKSCases(t, v, jwksCases(t, k))
}

// jwksServer serves a JWKS on loopback whose keys the test may replace.
type jwksServer struct {
	mu    sync.Mutex
	body  []byte
	hits  int
	srv   *httptest.Server
	close func()
}

func newJWKSServer(t *testing.T, body []byte) *jwksServer {
	t.Helper()
	s := &jwksServer{body: body}
	s.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		s.mu.Lock()
		defer s.mu.Unlock()
		s.hits++
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(s.body)
	}))
	require.True(t, strings.HasPrefix(s.srv.URL, "http://127.0.0.1:"), s.srv.URL)
	t.Cleanup(s.srv.Close)
	return s
}

func (s *jwksServer) set(body []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.body = body
}

func TestVerifierJWKSURL(t *testing.T) {
	k := newTestKeys(t)
	srv := newJWKSServer(t, jwksJSON(t, k.set))
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel) // ends keyfunc's refresh goroutine
	v, err := auth.NewVerifier(ctx, auth.Config{JWKSURL: srv.srv.URL + "/jwks.json", Issuer: testIss, Audience: testAud})
	require.NoError(t, err)

	// Key rotation first (the unknown-kid refresh is rate limited): a token
	// with a kid the server publishes only now verifies after a refetch.
	rotated, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)
	srv.set(jwksJSON(t, append(append([]jwk{}, k.set...), rsaJWK(t, &rotated.PublicKey, "rsa-2"))))
	p, err := v.Verify(sign(t, jwt.SigningMethodRS256, "rsa-2", rotated, baseClaims()))
	require.NoError(t, err, "a key published after start is fetched on first sight of its kid")
	assert.Equal(t, "anna", p.Sub)

	runJWKSCases(t, v, jwksCases(t, k))
}

func TestVerifierJWKSURLEmptySetRefusesAll(t *testing.T) {
	k := newTestKeys(t)
	srv := newJWKSServer(t, jwksJSON(t, nil))
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	v, err := auth.NewVerifier(ctx, auth.Config{JWKSURL: srv.srv.URL, Issuer: testIss, Audience: testAud})
	require.NoError(t, err)
	for _, tok := range []string{
		sign(t, jwt.SigningMethodRS256, "rsa-1", k.rsa, baseClaims()),
		sign(t, jwt.SigningMethodRS256, "", k.rsa, baseClaims()),
		signHS(t, jwt.SigningMethodHS256, testKey, baseClaims()),
	} {
		_, err := v.Verify(tok)
		assert.ErrorIs(t, err, auth.ErrInvalidToken)
	}
}

// --- DevKey ---

func TestDevKeyCreatedOnceWithMode0600(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	k1, err := auth.DevKey(dir)
	require.NoError(t, err)
	assert.Len(t, k1, 32)

	path := filepath.Join(dir, "keys", "jwt-hs256.key")
	fi, err := os.Stat(path)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), fi.Mode().Perm())
	di, err := os.Stat(filepath.Dir(path))
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o700), di.Mode().Perm())

	k2, err := auth.DevKey(dir)
	require.NoError(t, err)
	assert.Equal(t, k1, k2, "second call reads the same key")
	fi2, err := os.Stat(path)
	require.NoError(t, err)
	assert.Equal(t, fi.ModTime(), fi2.ModTime(), "file not rewritten")

	other, err := auth.DevKey(t.TempDir())
	require.NoError(t, err)
	assert.NotEqual(t, k1, other, "each data dir has its own key")

	// The key works for minting and verifying.
	v, err := auth.NewVerifier(context.Background(), auth.Config{HS256Key: k1, Issuer: auth.DevIssuer, Audience: auth.DevAudience})
	require.NoError(t, err)
	tok, err := auth.Mint(k2, auth.Principal{Sub: "anna"}, auth.DevIssuer, auth.DevAudience, time.Minute, time.Now())
	require.NoError(t, err)
	_, err = v.Verify(tok)
	require.NoError(t, err)

	_, err = auth.DevKey("")
	assert.Error(t, err)
}

func TestDevKeyRefusesACorruptFile(t *testing.T) {
	for name, content := range map[string]string{
		"empty":     "",
		"not b64":   "%%%\n",
		"too short": base64.StdEncoding.EncodeToString([]byte("short")) + "\n",
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			require.NoError(t, os.MkdirAll(filepath.Join(dir, "keys"), 0o700))
			require.NoError(t, os.WriteFile(filepath.Join(dir, "keys", "jwt-hs256.key"), []byte(content), 0o600))
			key, err := auth.DevKey(dir)
			assert.Error(t, err, "got key %x", key)
		})
	}
}

func TestDevKeyConcurrentFirstUse(t *testing.T) {
	for range 50 {
		dir := t.TempDir()
		const n = 8
		keys := make([][]byte, n)
		errs := make([]error, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() { keys[i], errs[i] = auth.DevKey(dir) })
		}
		wg.Wait()
		for i := range n {
			require.NoError(t, errs[i])
			require.Len(t, keys[i], 32, "caller %d", i)
			require.Equal(t, keys[0], keys[i], "caller %d", i)
		}
	}
}

// An unreachable or failing JWKS URL stops start-up instead of leaving a
// verifier that refuses every token.
func TestJWKSURLThatFailsStopsStartup(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "down", http.StatusInternalServerError)
	}))
	defer srv.Close()
	_, err := auth.NewVerifier(context.Background(), auth.Config{JWKSURL: srv.URL, Issuer: "i", Audience: "a"})
	if err == nil {
		t.Fatal("a failing JWKS URL must be an error at start-up")
	}
}

// signHSHeader signs claims with extra header members.
func signHSHeader(t *testing.T, header map[string]any, c jwt.MapClaims) string {
	t.Helper()
	tok := jwt.NewWithClaims(jwt.SigningMethodHS256, c)
	for k, v := range header {
		tok.Header[k] = v
	}
	s, err := tok.SignedString(testKey)
	require.NoError(t, err)
	return s
}

// TestVerifierCritAndLifetime: a token naming any critical extension is
// refused (RFC 7515 4.1.11: fristad understands none), and so is a token
// that lives longer than the maximum, measured from iat or, without iat,
// from now; the maximum changes at run time.
func TestVerifierCritAndLifetime(t *testing.T) {
	now := time.Now()
	v := hsVerifier(t)
	require.Equal(t, auth.DefaultMaxTokenTTL, v.MaxTokenTTL())
	cases := []struct {
		name  string
		token string
		ok    bool
	}{
		{"crit naming an unknown extension", signHSHeader(t, map[string]any{"crit": []string{"exp-2"}, "exp-2": 1}, baseClaims()), false},
		{"crit empty", signHSHeader(t, map[string]any{"crit": []string{}}, baseClaims()), false},
		{"crit null", signHSHeader(t, map[string]any{"crit": nil}, baseClaims()), false},
		{"an unknown non-critical header", signHSHeader(t, map[string]any{"x-note": "ok"}, baseClaims()), true},
		{"lives 12h", signHS(t, jwt.SigningMethodHS256, testKey, with(func(c jwt.MapClaims) { c["exp"] = now.Add(12 * time.Hour).Unix() })), true},
		{"lives 100 years", signHS(t, jwt.SigningMethodHS256, testKey, with(func(c jwt.MapClaims) { c["exp"] = now.AddDate(100, 0, 0).Unix() })), false},
		{"lives 13h", signHS(t, jwt.SigningMethodHS256, testKey, with(func(c jwt.MapClaims) { c["exp"] = now.Add(13 * time.Hour).Unix() })), false},
		{"iat backdated, exp soon: lived too long", signHS(t, jwt.SigningMethodHS256, testKey, with(func(c jwt.MapClaims) {
			c["iat"] = now.Add(-30 * time.Hour).Unix()
		})), false},
		{"no iat, exp in 100 years", signHS(t, jwt.SigningMethodHS256, testKey, with(func(c jwt.MapClaims) {
			delete(c, "iat")
			c["exp"] = now.AddDate(100, 0, 0).Unix()
		})), false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := v.Verify(tc.token)
			if tc.ok {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, auth.ErrInvalidToken)
		})
	}

	eightHours := signHS(t, jwt.SigningMethodHS256, testKey, with(func(c jwt.MapClaims) { c["exp"] = now.Add(8 * time.Hour).Unix() }))
	_, err := v.Verify(eightHours)
	require.NoError(t, err)
	require.NoError(t, v.SetMaxTokenTTL(time.Hour))
	_, err = v.Verify(eightHours)
	require.ErrorIs(t, err, auth.ErrInvalidToken, "a lowered maximum holds for tokens already issued")
	require.Error(t, v.SetMaxTokenTTL(0))

	_, err = auth.NewVerifier(context.Background(), auth.Config{HS256Key: testKey, Issuer: testIss, Audience: testAud, MaxTokenTTL: -time.Hour})
	require.Error(t, err)
}
