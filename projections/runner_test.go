package projections_test

import (
	"context"
	"testing"

	"github.com/fristad/fristad/domain"
	"github.com/fristad/fristad/eventstore"
	"github.com/fristad/fristad/projections"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// countEvents is how many events the stream holds now.
func countEvents(t *testing.T, w world) int {
	n := 0
	_, err := w.s.Read(context.Background(), 1, func(*eventstore.Envelope) error { n++; return nil })
	require.NoError(t, err)
	return n
}

// TestRestartReplaysOnlyTheTail: a runner stopped after a snapshot starts
// again from it, applies only what came after, and ends equal to a rebuild
// from zero.
func TestRestartReplaysOnlyTheTail(t *testing.T) {
	w := world{t: t, s: newStore(t)}
	for i := 0; i < 5; i++ {
		id := w.openCase("vuxen", "anna", domain.AdultVictim)
		w.followUpDue(id, domain.NewDate(2026, 7, i+1))
	}
	r1, _, stop := runLive(t, w, projections.Options{SnapshotEvery: 3})
	caughtUp(t, w, r1)
	live, err := r1.Digest()
	require.NoError(t, err)
	stop() // saves a final snapshot
	before := countEvents(t, w)

	tail := w.openCase("vuxen", "bertil", domain.AdultVictim)
	w.exec(domain.KindCase, tail, domain.AddNote{Text: "x", NoteID: domain.NewID()})
	tailEvents := countEvents(t, w) - before

	r2, cases, _ := runLive(t, w, projections.Options{SnapshotEvery: 3})
	caughtUp(t, w, r2)
	assert.Equal(t, int64(tailEvents), r2.AppliedSinceStart(), "only the tail is replayed")
	assert.NotZero(t, r2.RestoredAt())
	_, ok := cases.Case(tail)
	assert.True(t, ok)

	restarted, err := r2.Digest()
	require.NoError(t, err)
	assert.NotEqual(t, live, restarted)
	fresh, err := projections.NewRunner(w.s, projections.Options{NoSnapshots: true}, projections.All()...)
	require.NoError(t, err)
	_, err = fresh.Rebuild(context.Background(), nil)
	require.NoError(t, err)
	rebuilt, err := fresh.Digest()
	require.NoError(t, err)
	assert.Equal(t, rebuilt, restarted, "restart from snapshot + tail equals a rebuild from zero")
}

// A snapshot that does not restore means a rebuild, not a wrong state.
func TestBrokenSnapshotRebuilds(t *testing.T) {
	w := world{t: t, s: newStore(t)}
	w.openCase("vuxen", "anna", domain.AdultVictim)
	require.NoError(t, w.s.Snapshots().Save(context.Background(), "projections", 999, []byte(`{"cases": "garbage"}`)))
	r, cases, _ := runLive(t, w, projections.Options{SnapshotEvery: 1000})
	caughtUp(t, w, r)
	assert.Zero(t, r.RestoredAt())
	assert.Equal(t, 1, cases.Len())
}
