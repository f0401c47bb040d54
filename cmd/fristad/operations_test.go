package main

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/base64"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/fristad/fristad/api/auth"
	"github.com/fristad/fristad/domain/synthetic"
	"github.com/fristad/fristad/eventstore"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// entries lists what dir holds ("" when it does not exist).
func entries(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if os.IsNotExist(err) {
		return nil
	}
	require.NoError(t, err)
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	return names
}

// Development keys are made and used only with --dev: without it and
// without an operator's key every command is refused before it writes
// anything (no key file, no store), serve also needs --jwks, and --dev
// is refused against a cluster.
func TestDevelopmentKeysOnlyWithDev(t *testing.T) {
	t.Setenv(eventstore.MasterKeyEnv, "")
	ctx := context.Background()
	for _, c := range []struct {
		name string
		args []string
		says string
	}{
		{"seed without a key", []string{"seed", "--cases", "1"}, eventstore.MasterKeyEnv},
		{"import without a key", []string{"import", "-i", "/dev/null"}, eventstore.MasterKeyEnv},
		{"verify without a key", []string{"verify"}, eventstore.MasterKeyEnv},
		{"serve without --jwks", []string{"serve", "--addr", "127.0.0.1:0"}, "--jwks"},
		{"token without --dev", []string{"token", "--sub", "anna"}, "--dev"},
		{"--dev with --nats-url", []string{"seed", "--cases", "1", "--dev", "--nats-url", "nats://127.0.0.1:1"}, "--nats-url"},
		{"serve --dev with --nats-url", []string{"serve", "--dev", "--nats-url", "nats://127.0.0.1:1", "--addr", "127.0.0.1:0"}, "--nats-url"},
	} {
		dir := filepath.Join(t.TempDir(), "data")
		code, _, stderr := runCLI(t, ctx, append(c.args, "--data-dir", dir)...)
		assert.Equal(t, 2, code, "%s: %s", c.name, stderr)
		assert.Contains(t, stderr, c.says, c.name)
		assert.Empty(t, entries(t, dir), "%s: nothing is written", c.name)
	}

	// serve with an operator's key but no --jwks is still refused: it
	// would verify tokens with nothing but a development key.
	t.Setenv(eventstore.MasterKeyEnv, "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=")
	dir := filepath.Join(t.TempDir(), "data")
	code, _, stderr := runCLI(t, ctx, "serve", "--data-dir", dir, "--addr", "127.0.0.1:0")
	assert.Equal(t, 2, code, stderr)
	assert.Contains(t, stderr, "--jwks")
	assert.Empty(t, entries(t, dir))

	// With the operator's key a command runs and writes no development key.
	code, _, stderr = runCLI(t, ctx, "seed", "--cases", "2", "--data-dir", dir)
	require.Equal(t, 0, code, stderr)
	assert.NotContains(t, stderr, "DEVELOPMENT MASTER KEY")
	assert.NoFileExists(t, filepath.Join(dir, "keys", "master.key"))
	assert.NoFileExists(t, filepath.Join(dir, "keys", "jwt-hs256.key"))

	// With --dev the keys are made in the data dir, and announced.
	t.Setenv(eventstore.MasterKeyEnv, "")
	dev := t.TempDir()
	code, _, stderr = runCLI(t, ctx, "seed", "--cases", "2", "--dev", "--data-dir", dev)
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, stderr, "DEVELOPMENT MASTER KEY")
	assert.FileExists(t, filepath.Join(dev, "keys", "master.key"))
}

// The commands that read a store refuse a data dir that holds none, with
// exit 1, and create nothing there: a mistyped --data-dir is not an empty
// record.
func TestReadCommandsRefuseAMissingStore(t *testing.T) {
	ctx := context.Background()
	out := filepath.Join(t.TempDir(), "out")
	for _, args := range [][]string{
		{"verify"},
		{"report", "mapping", "--from", "2025-01-01", "--to", "2025-12-31"},
		{"report", "not-carried-out", "--quarter", "2026Q3"},
		{"export", "-o", out},
		{"replay"},
		{"cull", "--dry-run"},
		{"cull"},
	} {
		for _, where := range []string{"missing", "empty"} {
			dir := filepath.Join(t.TempDir(), "data")
			if where == "empty" {
				require.NoError(t, os.Mkdir(dir, 0o700))
			}
			code, stdout, stderr := runCLI(t, ctx, append(args, "--dev", "--data-dir", dir)...)
			assert.Equal(t, 1, code, "%v in a %s dir: %s", args, where, stderr)
			assert.Contains(t, stderr, "holds no event store", "%v", args)
			assert.Empty(t, stdout, "%v", args)
			assert.Empty(t, entries(t, dir), "%v in a %s dir: nothing is created", args, where)
		}
	}
	assert.NoFileExists(t, out)
}

// Help asked for goes to stdout with exit 0; bad usage goes to stderr with
// exit 2, an address that is no host:port included.
func TestHelpOnStdoutAndBadAddressIsUsage(t *testing.T) {
	ctx := context.Background()
	for _, args := range [][]string{{"--help"}, {"help"}, {"serve", "--help"}, {"serve", "-h"}, {"verify", "--help"}, {"report", "--help"}, {"seed", "-help"}} {
		code, stdout, stderr := runCLI(t, ctx, args...)
		assert.Equal(t, 0, code, "%v", args)
		assert.Contains(t, stdout, "usage: fristad", "%v", args)
		assert.Empty(t, stderr, "%v", args)
	}
	for _, addr := range []string{"nonsense", "127.0.0.1", "127.0.0.1:99999", "127.0.0.1:http"} {
		dir := filepath.Join(t.TempDir(), "data")
		code, stdout, stderr := runCLI(t, ctx, "serve", "--dev", "--data-dir", dir, "--addr", addr)
		assert.Equal(t, 2, code, "%s: %s", addr, stderr)
		assert.Empty(t, stdout)
		assert.Contains(t, stderr, "--addr")
		assert.Empty(t, entries(t, dir), "%s: refused before anything is written", addr)
	}
	code, stdout, stderr := runCLI(t, ctx, "verify", "--bogus")
	assert.Equal(t, 2, code)
	assert.Empty(t, stdout)
	assert.Contains(t, stderr, "usage: fristad verify")
}

// lockedBuffer collects a child process's stderr for the test to read.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

type projectionStatus struct {
	Applied    uint64 `json:"applied_seq"`
	RestoredAt uint64 `json:"restored_from_snapshot_seq"`
	SinceStart int64  `json:"applied_since_start"`
}

// A clean stop saves the projections' snapshot with the store still open
// (no "final projection snapshot failed"); the restart restores it and
// replays nothing; a SIGKILL after more writes and a restart replays only
// those. Snapshots by count or interval are out of reach here: only the
// shutdown snapshot can explain what the restarts restore.
func TestCleanStopSnapshotsAndRestartReplaysOnlyTheTail(t *testing.T) {
	dir := t.TempDir()
	quiet := []string{"--snapshot-every", "1000000", "--snapshot-interval", "1h"}
	var logs lockedBuffer
	p := startServeLogged(t, dir, &logs, quiet...)
	p.registerUnit(t, dir, "vuxen")
	key, err := auth.DevKey(dir)
	require.NoError(t, err)
	mint := func(sub string, role auth.Role) string {
		tok, err := auth.Mint(key, auth.Principal{Sub: sub, Roles: []auth.Role{role}, Units: []string{"vuxen"}}, auth.DevIssuer, auth.DevAudience, time.Hour, time.Now())
		require.NoError(t, err)
		return tok
	}
	worker, admin := mint("anna", auth.RoleCaseworker), mint("root", auth.RoleAdmin)
	var res map[string]any
	for range 3 {
		require.Equal(t, 201, p.call(t, worker, "POST", "/api/v1/cases", `{"unit":"vuxen","target_group":"adult_victim","source":"report","received_on":"2026-03-01","subject":{"sex":"female","name":"Stopp Test"}}`, &res))
	}
	id := res["id"].(string)
	var st projectionStatus
	require.Eventually(t, func() bool {
		return p.call(t, admin, "GET", "/api/v1/admin/projections", "", &st) == 200 && st.Applied > 0 && st.SinceStart > 0
	}, 10*time.Second, 20*time.Millisecond)
	require.NoError(t, p.cmd.Process.Signal(os.Interrupt))
	require.NoError(t, p.cmd.Wait(), "a clean stop exits 0")
	assert.NotContains(t, logs.String(), "snapshot failed", "the store is open while the final snapshot is saved")
	atStop := st.Applied

	p = startServeLogged(t, dir, &logs, quiet...)
	require.Equal(t, 200, p.call(t, admin, "GET", "/api/v1/admin/projections", "", &st))
	assert.Equal(t, atStop, st.RestoredAt, "the restart restores the snapshot of the clean stop")
	assert.Zero(t, st.SinceStart, "and replays nothing")

	const tail = 4
	for range tail {
		require.Equal(t, 201, p.call(t, worker, "POST", "/api/v1/cases/"+id+"/notes", `{"text":"n"}`, &res))
	}
	require.NoError(t, p.cmd.Process.Signal(os.Kill)) // no final snapshot
	_, _ = p.cmd.Process.Wait()

	p = startServeLogged(t, dir, &logs, quiet...)
	require.Equal(t, 200, p.call(t, admin, "GET", "/api/v1/admin/projections", "", &st))
	assert.Equal(t, atStop, st.RestoredAt, "the kill saved nothing: the clean stop's snapshot is restored")
	assert.Equal(t, int64(tail), st.SinceStart, "only the tail after the snapshot is replayed")
	assert.Equal(t, atStop+tail, st.Applied)
}

// serve without --dev runs on the operator's master key and the identity
// provider's JWKS, and writes no development key.
func TestServeInProductionModeWritesNoDevelopmentKey(t *testing.T) {
	t.Setenv(eventstore.MasterKeyEnv, "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=")
	pk, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	b64 := func(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }
	x, y := make([]byte, 32), make([]byte, 32)
	pk.PublicKey.X.FillBytes(x)
	pk.PublicKey.Y.FillBytes(y)
	jwks := filepath.Join(t.TempDir(), "jwks.json")
	require.NoError(t, os.WriteFile(jwks, []byte(`{"keys":[{"kty":"EC","crv":"P-256","kid":"k1","alg":"ES256","use":"sig","x":"`+b64(x)+`","y":"`+b64(y)+`"}]}`), 0o600))

	dir := filepath.Join(t.TempDir(), "data")
	addr := freeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	var stderr lockedBuffer
	go func() {
		done <- run(ctx, []string{"serve", "--data-dir", dir, "--addr", addr, "--metrics-addr", "off", "--jwks", jwks, "--issuer", "https://idp.example", "--audience", "fristad"}, io.Discard, &stderr)
	}()
	waitReady(t, addr, 20*time.Second, stderr.String())
	waitExit(t, cancel, done, &stderr)
	assert.NotContains(t, stderr.String(), "DEVELOPMENT MASTER KEY")
	assert.NotContains(t, stderr.String(), "DEVELOPMENT TOKENS")
	assert.NoDirExists(t, filepath.Join(dir, "keys"), "no development key of either kind")
}

// A seeded store has its units registered, so new cases open in them.
func TestSeedRegistersItsUnits(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	for range 2 { // a repeated seed records no unit twice
		code, _, stderr := runCLI(t, ctx, "seed", "--dev", "--cases", "3", "--data-dir", dir)
		require.Equal(t, 0, code, stderr)
	}
	b, err := eventstore.OpenBackend(ctx, eventstore.BackendConfig{DataDir: dir, DevKeys: true, ExistingOnly: true})
	require.NoError(t, err)
	defer b.Close()
	st, err := b.Store.Settings(ctx)
	require.NoError(t, err)
	for _, u := range synthetic.Units {
		assert.True(t, st.HasUnit(u), u)
	}
	assert.Equal(t, uint64(len(synthetic.Units)), st.Version, "one event per unit, none on the second seed")
}

// A read command on the data dir of a running server is refused (exit 1,
// "in use") instead of starting a second server on the same files, and
// the running server goes on.
func TestReadCommandsRefuseADataDirInUse(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	p := startServe(t, dir)
	for _, args := range [][]string{{"verify"}, {"replay"}, {"report", "mapping", "--from", "2025-01-01", "--to", "2025-12-31"}} {
		code, stdout, stderr := runCLI(t, context.Background(), append(args, "--dev", "--data-dir", dir)...)
		assert.Equal(t, 1, code, "%v: %s", args, stderr)
		assert.Contains(t, stderr, "in use by another fristad process", "%v", args)
		assert.Empty(t, stdout, "%v", args)
	}
	r, err := http.Get("http://" + p.addr + "/readyz")
	require.NoError(t, err)
	r.Body.Close()
	assert.Equal(t, http.StatusOK, r.StatusCode, "the running server is untouched")
}
