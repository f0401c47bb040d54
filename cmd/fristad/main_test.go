package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/fristad/fristad/domain"
	"github.com/fristad/fristad/eventstore"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func runCLI(t *testing.T, ctx context.Context, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(ctx, args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestUsageErrorsExitTwo(t *testing.T) {
	for _, args := range [][]string{{}, {"nope"}, {"verify", "--bogus"}, {"verify", "extra"}, {"serve", "--addr"},
		{"bench"}} {
		code, _, stderr := runCLI(t, context.Background(), args...)
		assert.Equal(t, 2, code, "%v: %s", args, stderr)
	}
	code, _, _ := runCLI(t, context.Background(), "verify", "--help")
	assert.Equal(t, 0, code)
}

func freeAddr(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())
	return addr
}

func TestServeAnswersHealthAndStopsGracefully(t *testing.T) {
	dir := t.TempDir()
	addr, metricsAddr := freeAddr(t), freeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	var stderr bytes.Buffer
	go func() {
		done <- run(ctx, []string{"serve", "--dev", "--data-dir", dir, "--addr", addr, "--metrics-addr", metricsAddr}, &bytes.Buffer{}, &stderr)
	}()

	// Ready once the projections have caught up: a 503 before that is
	// what /readyz is for, not a failure (the first answer under load).
	waitReady(t, addr, 20*time.Second, "serve becomes ready")
	h, err := http.Get("http://" + addr + "/healthz")
	require.NoError(t, err)
	var body map[string]string
	require.NoError(t, json.NewDecoder(h.Body).Decode(&body))
	h.Body.Close()
	assert.Equal(t, "ok", body["status"])

	// The metrics are on their own listener, and not on the API's.
	m, err := http.Get("http://" + metricsAddr + "/metrics")
	require.NoError(t, err)
	mb, _ := io.ReadAll(m.Body)
	m.Body.Close()
	assert.Equal(t, http.StatusOK, m.StatusCode)
	assert.Contains(t, string(mb), "fristad_http_requests_total")
	a, err := http.Get("http://" + addr + "/metrics")
	require.NoError(t, err)
	ab, _ := io.ReadAll(a.Body)
	a.Body.Close()
	assert.Equal(t, http.StatusNotFound, a.StatusCode)
	assert.NotContains(t, string(ab), "fristad_")
	for _, path := range []string{"/healthz", "/api/v1/openapi.json", "/api/v1/cases"} {
		r, err := http.Get("http://" + metricsAddr + path)
		require.NoError(t, err)
		r.Body.Close()
		assert.Equal(t, http.StatusNotFound, r.StatusCode, "the metrics listener serves the metrics only: %s", path)
	}

	waitExit(t, cancel, done, &stderr)
	assert.Contains(t, stderr.String(), "DEVELOPMENT MASTER KEY", "the development key is announced loudly")
	assert.Contains(t, stderr.String(), "DEVELOPMENT TOKENS", "so is the development token key")
}

func TestVerifyFindsAForgedEvent(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	// Write a real history through the store, then forge one event with a
	// raw NATS publish, as someone with access to the server could.
	b, err := eventstore.OpenBackend(ctx, eventstore.BackendConfig{DataDir: dir, DevKeys: true})
	require.NoError(t, err)
	d := domain.PersonDecider()
	id := domain.NewID()
	_, err = eventstore.Execute(ctx, b.Store, d, id, samplePersonCommand(id), eventstore.ExecOptions{AppendOptions: eventstore.AppendOptions{Actor: "anna"}})
	require.NoError(t, err)
	b.Close()

	code, out, stderr := runCLI(t, ctx, "verify", "--dev", "--data-dir", dir)
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, out, "every chain verified")

	b, err = eventstore.OpenBackend(ctx, eventstore.BackendConfig{DataDir: dir, DevKeys: true})
	require.NoError(t, err)
	forged := domain.NewID()
	rec := fmt.Sprintf(`[{"id":%q,"type":"person.culled","schema":1,"aggregate":"person","aggregate_id":%q,"version":2,"recorded_at":"2026-01-01T00:00:00Z","actor":"mallory","facts":{"culled_on":"2026-01-01"},"prev":"AAAA"}]`, forged, id)
	_, err = b.Conn.Request("fristad.events.person."+string(id), []byte(rec), 5*time.Second)
	require.NoError(t, err)
	b.Close()

	code, out, _ = runCLI(t, ctx, "verify", "--dev", "--data-dir", dir)
	assert.Equal(t, 1, code)
	assert.Contains(t, out, "FIRST BROKEN LINK")
	assert.True(t, strings.Contains(out, string(forged)), out)
}

func samplePersonCommand(id domain.ID) domain.Command {
	return domain.RegisterPerson{PersonDetails: domain.PersonDetails{Sex: domain.SexFemale, BirthYear: 1980, Name: "Test Person"}, Today: domain.NewDate(2026, 1, 1)}
}

func TestSeedIsDeterministicAndRepeatable(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	code, _, stderr := runCLI(t, ctx, "seed", "--cases", "40", "--seed", "9", "--dev", "--data-dir", dir)
	require.Equal(t, 0, code, stderr)
	assert.Regexp(t, `seeded 10 providers and 40 cases \(seed 9\): [1-9][0-9]* events`, stderr)

	code, _, stderr = runCLI(t, ctx, "seed", "--cases", "40", "--seed", "9", "--dev", "--data-dir", dir)
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, stderr, ": 0 events", "a repeated seed writes nothing twice")

	code, out, _ := runCLI(t, ctx, "verify", "--dev", "--data-dir", dir)
	assert.Equal(t, 0, code, out)

	for _, bad := range [][]string{{"seed"}, {"seed", "--cases", "-1"}, {"seed", "--cases", "x"}, {"seed", "--cases", "1", "--workers", "0"}} {
		code, _, _ := runCLI(t, ctx, append(bad, "--dev", "--data-dir", dir)...)
		assert.Equal(t, 2, code, "%v", bad)
	}
}

// An existing NATS deployment (here a separate server listening on
// loopback) is used through --nats-url exactly like the embedded one.
func TestCommandsAgainstAnExternalServer(t *testing.T) {
	ext, err := eventstore.StartEmbedded(eventstore.EmbeddedConfig{DataDir: t.TempDir(), ListenAddr: freeAddr(t)})
	require.NoError(t, err)
	defer ext.Shutdown()
	t.Setenv(eventstore.MasterKeyEnv, "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=")
	ctx := context.Background()
	code, _, stderr := runCLI(t, ctx, "seed", "--cases", "10", "--nats-url", ext.ClientURL(), "--data-dir", "")
	require.Equal(t, 0, code, stderr)
	assert.NotContains(t, stderr, "DEVELOPMENT MASTER KEY", "the operator's key is used")
	code, out, stderr := runCLI(t, ctx, "verify", "--nats-url", ext.ClientURL(), "--data-dir", "")
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, out, "every chain verified")
	// The wrong master key cannot open the keyring.
	t.Setenv(eventstore.MasterKeyEnv, "HxwdHhsaGRgXFhUUExIREA8ODQwLCgkIBwYFBAMCAQA=")
	code, _, stderr = runCLI(t, ctx, "verify", "--nats-url", ext.ClientURL(), "--data-dir", "")
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr, "wrong master key")
}

// serve refuses a metrics address equal to the API's (the metrics are
// never served there) and starts with none when told "off".
func TestServeMetricsAddress(t *testing.T) {
	dir := t.TempDir()
	addr := freeAddr(t)
	var stderr bytes.Buffer
	code := run(context.Background(), []string{"serve", "--data-dir", dir, "--addr", addr, "--metrics-addr", addr}, &bytes.Buffer{}, &stderr)
	assert.Equal(t, 2, code, stderr.String())
	assert.Contains(t, stderr.String(), "--metrics-addr must differ from --addr")
}
