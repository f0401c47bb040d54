package projections_test

import (
	"context"
	"testing"
	"time"

	"github.com/fristad/fristad/domain"
	"github.com/fristad/fristad/projections"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// snapshotSeq is the sequence of the saved projections snapshot (0: none).
func snapshotSeq(t *testing.T, w world) uint64 {
	t.Helper()
	seq, _, err := w.s.Snapshots().Load(context.Background(), "projections")
	if err != nil {
		return 0
	}
	return seq
}

// An idle runner that applied events since its last snapshot takes one on
// its timer (here a tick sent by the test); with nothing new it takes
// none. Events alone would never trigger it: SnapshotEvery is out of reach
// and the interval is only checked when an event arrives.
func TestIdleRunnerSnapshotsOnItsTimer(t *testing.T) {
	w := world{t: t, s: newStore(t)}
	w.openCase("vuxen", "anna", domain.AdultVictim)
	tick := make(chan time.Time)
	r, _, stop := runLive(t, w, projections.Options{SnapshotEvery: 1_000_000, SnapshotInterval: time.Hour, IdleTick: tick})
	caughtUp(t, w, r)
	// The catch-up at start takes no snapshot below SnapshotEvery...
	require.Zero(t, snapshotSeq(t, w))

	// ...and a tick with nothing applied since start takes none either.
	tick <- time.Now()
	tick <- time.Now() // the first tick has been handled when the second is taken
	assert.Zero(t, snapshotSeq(t, w), "nothing applied since the last snapshot: no snapshot")

	// Events arrive, then nothing: the timer snapshots them.
	w.openCase("vuxen", "anna", domain.AdultVictim)
	caughtUp(t, w, r)
	applied := r.Applied()
	tick <- time.Now()
	require.Eventually(t, func() bool { return snapshotSeq(t, w) == applied }, 10*time.Second, 10*time.Millisecond,
		"the idle timer saves the state at the last applied event")

	// Stopping with nothing new since writes no newer snapshot; stopping
	// after more events does (the final snapshot).
	w.openCase("vuxen", "bertil", domain.AdultVictim)
	caughtUp(t, w, r)
	last := r.Applied()
	stop()
	assert.Equal(t, last, snapshotSeq(t, w), "the final snapshot at shutdown stands at the last applied event")
}
