package main

import (
	"context"
	"os"
	"path/filepath"
	"testing"

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
