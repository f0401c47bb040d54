package eventstore_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/fristad/fristad/eventstore"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The development master key is made and used only when asked for; the
// library refuses it against a cluster, and a store that must exist is
// looked for before anything is written.
func TestDevelopmentKeyOnlyWhenAllowed(t *testing.T) {
	t.Setenv(eventstore.MasterKeyEnv, "")
	dir := t.TempDir()
	_, _, err := eventstore.LoadMasterKey("", dir, false)
	assert.ErrorIs(t, err, eventstore.ErrNoMasterKey)
	assert.NoFileExists(t, filepath.Join(dir, "keys", "master.key"), "no key is written without dev")

	k, src, err := eventstore.LoadMasterKey("", dir, true)
	require.NoError(t, err)
	assert.Len(t, k, 32)
	assert.Equal(t, eventstore.FromDevFile, src)

	// An operator's key wins over dev, and no development key is read.
	t.Setenv(eventstore.MasterKeyEnv, "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=")
	_, src, err = eventstore.LoadMasterKey("", dir, true)
	require.NoError(t, err)
	assert.Equal(t, eventstore.FromEnv, src)

	_, err = eventstore.OpenBackend(context.Background(), eventstore.BackendConfig{NATSURL: "nats://127.0.0.1:1", DevKeys: true})
	assert.ErrorIs(t, err, eventstore.ErrDevWithCluster)
}

func TestExistingOnlyCreatesNothing(t *testing.T) {
	t.Setenv(eventstore.MasterKeyEnv, "")
	ctx := context.Background()
	missing := filepath.Join(t.TempDir(), "nothing-here")
	_, err := eventstore.OpenBackend(ctx, eventstore.BackendConfig{DataDir: missing, DevKeys: true, ExistingOnly: true})
	assert.True(t, errors.Is(err, eventstore.ErrNoStore), "%v", err)
	_, statErr := os.Stat(missing)
	assert.True(t, os.IsNotExist(statErr), "the data dir is not created")

	// A data dir whose server holds another stream has no event store of
	// this name either.
	dir := t.TempDir()
	b, err := eventstore.OpenBackend(ctx, eventstore.BackendConfig{DataDir: dir, DevKeys: true, Stream: "OTHER"})
	require.NoError(t, err)
	b.Close()
	_, err = eventstore.OpenBackend(ctx, eventstore.BackendConfig{DataDir: dir, DevKeys: true, ExistingOnly: true})
	assert.ErrorIs(t, err, eventstore.ErrNoStore)
	b, err = eventstore.OpenBackend(ctx, eventstore.BackendConfig{DataDir: dir, DevKeys: true, ExistingOnly: true, Stream: "OTHER"})
	require.NoError(t, err)
	b.Close()
}
