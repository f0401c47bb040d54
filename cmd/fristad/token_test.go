package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/fristad/fristad/api/auth"
)

func runTokenCLI(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), append([]string{"token", "--dev"}, args...), &out, &errb)
	return code, out.String(), errb.String()
}

// verifyDevToken checks tok the way `serve` does without --jwks.
func verifyDevToken(t *testing.T, dataDir, tok, issuer, audience string) (auth.Principal, error) {
	t.Helper()
	key, err := auth.DevKey(dataDir)
	require.NoError(t, err)
	v, err := auth.NewVerifier(context.Background(), auth.Config{HS256Key: key, Issuer: issuer, Audience: audience})
	require.NoError(t, err)
	return v.Verify(tok)
}

func TestTokenMintsAVerifiableToken(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	code, stdout, stderr := runTokenCLI(t, "--data-dir", dir, "--sub", "anna", "--name", "Anna A",
		"--role", "caseworker", "--unit", "vuxen", "--role", "supervisor,partner_contact", "--unit", "barn, unga",
		"--provider", "jouren")
	require.Equal(t, 0, code, stderr)
	assert.Empty(t, stderr)
	require.True(t, strings.HasSuffix(stdout, "\n"))
	tok := strings.TrimSuffix(stdout, "\n")
	require.NotContains(t, tok, "\n", "one line")
	assert.Len(t, strings.Split(tok, "."), 3)

	p, err := verifyDevToken(t, dir, tok, auth.DevIssuer, auth.DevAudience)
	require.NoError(t, err)
	assert.Equal(t, auth.Principal{
		Sub: "anna", Name: "Anna A",
		Roles:    []auth.Role{auth.RoleCaseworker, auth.RoleSupervisor, auth.RolePartnerContact},
		Units:    []string{"vuxen", "barn", "unga"},
		Provider: "jouren",
	}, p)

	// HS256, default 8h lifetime.
	parts := strings.Split(tok, ".")
	var hdr map[string]any
	raw, err := base64.RawURLEncoding.DecodeString(parts[0])
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(raw, &hdr))
	assert.Equal(t, "HS256", hdr["alg"])
	var c struct{ Exp, Iat int64 }
	raw, err = base64.RawURLEncoding.DecodeString(parts[1])
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(raw, &c))
	assert.Equal(t, int64((8 * time.Hour).Seconds()), c.Exp-c.Iat)

	// The key is reused: a second token verifies with the same key, and a
	// token from another data dir does not.
	code, stdout2, _ := runTokenCLI(t, "--data-dir", dir, "--sub", "bo", "--ttl", "15m")
	require.Equal(t, 0, code)
	p, err = verifyDevToken(t, dir, strings.TrimSpace(stdout2), auth.DevIssuer, auth.DevAudience)
	require.NoError(t, err)
	assert.Equal(t, "bo", p.Sub)
	assert.Empty(t, p.Roles)
	_, err = verifyDevToken(t, t.TempDir(), tok, auth.DevIssuer, auth.DevAudience)
	assert.ErrorIs(t, err, auth.ErrInvalidToken)
}

func TestTokenIssuerAndAudience(t *testing.T) {
	dir := t.TempDir()
	code, stdout, stderr := runTokenCLI(t, "--data-dir", dir, "--sub", "anna", "--role", "admin",
		"--issuer", "https://idp.test", "--audience", "api.test", "--ttl", "168h")
	require.Equal(t, 0, code, stderr)
	tok := strings.TrimSpace(stdout)
	p, err := verifyDevToken(t, dir, tok, "https://idp.test", "api.test")
	require.NoError(t, err)
	assert.True(t, p.Has(auth.RoleAdmin))
	_, err = verifyDevToken(t, dir, tok, auth.DevIssuer, auth.DevAudience)
	assert.ErrorIs(t, err, auth.ErrInvalidToken, "the default verifier wants the default issuer")
}

func TestTokenBadUsageExitsTwo(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--role", "caseworker"}, "--sub is required"},
		{[]string{"--sub", "anna a"}, "--sub"},
		{[]string{"--sub", "anna\n"}, "--sub"},
		{[]string{"--sub", "anna/../x"}, "--sub"},
		{[]string{"--sub", strings.Repeat("a", 129)}, "--sub"},
		{[]string{"--sub", "anna", "--role", "root"}, `unknown role`},
		{[]string{"--sub", "anna", "--role", "caseworker,Admin"}, `"Admin"`},
		{[]string{"--sub", "anna", "--role", "caseworker,"}, "empty value"},
		{[]string{"--sub", "anna", "--unit", ""}, "empty value"},
		{[]string{"--sub", "anna", "--ttl", "0s"}, "positive"},
		{[]string{"--sub", "anna", "--ttl", "-1h"}, "positive"},
		{[]string{"--sub", "anna", "--ttl", "169h"}, "at most"},
		{[]string{"--sub", "anna", "--ttl", "soon"}, "invalid value"},
		{[]string{"--sub", "anna", "--issuer", ""}, "--issuer"},
		{[]string{"--sub", "anna", "--audience", " "}, "--audience"},
		{[]string{"--sub", "anna", "--data-dir", ""}, "--data-dir"},
		{[]string{"--sub", "anna", "extra"}, "unexpected arguments"},
		{[]string{"--sub", "anna", "--nats-url", "nats://x"}, "not defined"},
		{[]string{"--sub"}, "needs an argument"},
	} {
		args := append([]string{"--data-dir", dir}, tc.args...)
		code, stdout, stderr := runTokenCLI(t, args...)
		assert.Equal(t, 2, code, "%q: %s", tc.args, stderr)
		assert.Empty(t, stdout, "%q", tc.args)
		assert.Contains(t, stderr, tc.want, "%q", tc.args)
	}
}

func TestTokenHelp(t *testing.T) {
	code, stdout, stderr := runTokenCLI(t, "--help")
	assert.Equal(t, 0, code)
	assert.Empty(t, stderr, "help asked for is the answer: stdout")
	assert.Contains(t, stdout, "usage: fristad token")
	assert.Contains(t, stdout, "partner_contact")

	var out, errb bytes.Buffer
	assert.Equal(t, 0, run(context.Background(), []string{"--help"}, &out, &errb))
	assert.Contains(t, out.String(), "token")
	assert.Empty(t, errb.String())
}

func TestTokenFailsOnACorruptKey(t *testing.T) {
	dir := t.TempDir()
	code, _, _ := runTokenCLI(t, "--data-dir", dir, "--sub", "anna")
	require.Equal(t, 0, code)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "keys", "jwt-hs256.key"), nil, 0o600))
	code, stdout, stderr := runTokenCLI(t, "--data-dir", dir, "--sub", "anna")
	assert.Equal(t, 1, code, stderr)
	assert.Empty(t, stdout)
	assert.Contains(t, stderr, "corrupt")
}
