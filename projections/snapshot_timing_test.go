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
// its timer (here ticks sent by the test): first for what it applied
// catching up at start, then for what arrived later. Events alone do not
// take one: SnapshotEvery is out of reach and the interval (an hour) is
// only checked when an event arrives.
func TestIdleRunnerSnapshotsOnItsTimer(t *testing.T) {
	w := world{t: t, s: newStore(t)}
	w.openCase("vuxen", "anna", domain.AdultVictim)
	tick := make(chan time.Time)
	r, _, stop := runLive(t, w, projections.Options{SnapshotEvery: 1_000_000, SnapshotInterval: time.Hour, IdleTick: tick})
	caughtUp(t, w, r)
	require.Zero(t, snapshotSeq(t, w), "the catch-up at start takes no snapshot below SnapshotEvery")
	// tickUntil ticks (a snapshot already in flight lets a tick pass)
	// until the snapshot stands at seq.
	tickUntil := func(seq uint64, msg string) {
		require.Eventually(t, func() bool {
			select {
			case tick <- time.Now():
			default:
			}
			return snapshotSeq(t, w) == seq
		}, 10*time.Second, 5*time.Millisecond, msg)
	}
	tickUntil(r.Applied(), "idle after the catch-up: the timer saves it")
	first := r.Applied()

	w.openCase("vuxen", "anna", domain.AdultVictim)
	caughtUp(t, w, r)
	assert.Equal(t, first, snapshotSeq(t, w), "events alone take no snapshot")
	tickUntil(r.Applied(), "idle after new events: the timer saves them")

	// Stopping after more events saves the final snapshot.
	w.openCase("vuxen", "bertil", domain.AdultVictim)
	caughtUp(t, w, r)
	last := r.Applied()
	stop()
	assert.Equal(t, last, snapshotSeq(t, w), "the final snapshot at shutdown stands at the last applied event")
}
