package eventstore_test

import (
	"context"
	"crypto/rand"
	"errors"
	"testing"

	"github.com/fristad/fristad/eventstore"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Snapshots larger than what one object store Put may have in flight are
// saved in parts and load back whole; a later save replaces them, and a
// part that does not match the index makes the snapshot unusable rather
// than wrong.
func TestSnapshotsInParts(t *testing.T) {
	cfg := testConfig(t)
	s := openStore(t, cfg)
	snaps := s.Snapshots()
	c := context.Background()

	_, _, err := snaps.Load(c, "p")
	require.ErrorIs(t, err, eventstore.ErrNoSnapshot)

	big := make([]byte, 20<<20+123)
	_, _ = rand.Read(big)
	require.NoError(t, snaps.Save(c, "p", 7, big))
	seq, got, err := snaps.Load(c, "p")
	require.NoError(t, err)
	assert.Equal(t, uint64(7), seq)
	assert.Equal(t, big, got)

	js, err := jetstream.New(sharedNC)
	require.NoError(t, err)
	obs, err := js.ObjectStore(c, cfg.Stream+"_snapshots")
	require.NoError(t, err)
	names := func() []string {
		list, err := obs.List(c)
		if errors.Is(err, jetstream.ErrNoObjectsFound) {
			return nil
		}
		require.NoError(t, err)
		var out []string
		for _, o := range list {
			out = append(out, o.Name)
		}
		return out
	}
	assert.ElementsMatch(t, []string{"p", "p.s7.p0", "p.s7.p1", "p.s7.p2"}, names())

	small := []byte("later state")
	require.NoError(t, snaps.Save(c, "p", 9, small))
	seq, got, err = snaps.Load(c, "p")
	require.NoError(t, err)
	assert.Equal(t, uint64(9), seq)
	assert.Equal(t, small, got)
	assert.ElementsMatch(t, []string{"p", "p.s9.p0"}, names(), "the earlier save's parts are deleted")

	_, err = obs.PutBytes(c, "p.s9.p0", []byte("tampered"))
	require.NoError(t, err)
	_, _, err = snaps.Load(c, "p")
	require.ErrorIs(t, err, eventstore.ErrNoSnapshot)

	require.NoError(t, snaps.Delete(c, "p"))
	assert.Empty(t, names())
}
