package eventstore

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

// chooserRun drives a chooser through windows at a given concurrency,
// each mode achieving its own rate; it counts the windows spent in each.
type chooserRun struct {
	ch    *chooser
	at    time.Time
	modes map[bool]int
}

func newChooserRun() *chooserRun {
	return &chooserRun{ch: &chooser{batching: true}, at: time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC), modes: map[bool]int{}}
}

func (r *chooserRun) windows(n, peak int, batch, direct float64) {
	for i := 0; i < n; i++ {
		rate := direct
		if r.ch.batching {
			rate = batch
		}
		r.modes[r.ch.batching]++
		r.ch.acked(0, peak, r.at) // opens the window if none is open
		r.at = r.at.Add(chooserWindow)
		r.ch.acked(int(rate*chooserWindow.Seconds()), peak, r.at)
	}
}

// The chooser keeps the mode that acknowledged more commands per second,
// needs batching to be clearly faster, and re-measures the loser now and
// then, seldom when it lost by far.
func TestChooserKeepsTheFasterMode(t *testing.T) {
	tests := []struct {
		name          string
		batch, direct float64 // commands/s each mode achieves
		wantBatching  bool
		probeEvery    int
	}{
		{"batches carry many writers", 14000, 5000, true, chooserProbeFar},
		{"the disk's metadata is slow: batches lose", 4000, 5000, false, chooserProbe},
		{"equal: a batch only adds latency", 5000, 5000, false, chooserProbe},
		{"batching within the margin is not enough", 5100, 5000, false, chooserProbe},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newChooserRun()
			r.windows(128, 64, tt.batch, tt.direct) // learning
			r.modes = map[bool]int{}
			const windows = 128
			r.windows(windows, 64, tt.batch, tt.direct)
			lost := r.modes[!tt.wantBatching]
			assert.Positive(t, lost, "the losing mode is probed")
			// A probe is two windows: one to settle, one measured.
			assert.LessOrEqual(t, lost, 2*windows/tt.probeEvery+2, "and only now and then")
		})
	}
}

func TestChooserFollowsAChange(t *testing.T) {
	r := newChooserRun()
	r.windows(128, 64, 14000, 5000)
	r.modes = map[bool]int{}
	r.windows(64, 64, 14000, 5000)
	assert.Greater(t, r.modes[true], 56)
	// The disk turns slow for batches: within a few probes it stops.
	r.windows(64, 64, 2000, 5000)
	r.modes = map[bool]int{}
	r.windows(64, 64, 2000, 5000)
	assert.Greater(t, r.modes[false], 48)
}

// What it learnt at 64 writers does not decide for 2, nor the reverse:
// back at a concurrency seen before, it picks that concurrency's mode
// without measuring again (after the window in which the change
// happened, run in the mode chosen before it, and one to settle).
func TestChooserRemembersEachConcurrency(t *testing.T) {
	r := newChooserRun()
	r.windows(40, 64, 14000, 5000)
	r.windows(40, 2, 1000, 4000)
	r.windows(1, 64, 14000, 5000)
	r.modes = map[bool]int{}
	r.windows(5, 64, 14000, 5000)
	assert.GreaterOrEqual(t, r.modes[true], 4, "back at 64 writers it batches (after a window to settle)")
	r.windows(1, 3, 1000, 4000)
	r.modes = map[bool]int{}
	r.windows(5, 3, 1000, 4000)
	assert.GreaterOrEqual(t, r.modes[false], 4, "back at two or three it publishes directly")
}

func TestChooserIgnoresIdleWindows(t *testing.T) {
	ch := &chooser{batching: true}
	at := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	ch.acked(1, 1, at)
	ch.acked(1, 1, at.Add(time.Minute)) // one command a minute: idle, not slow
	assert.Zero(t, ch.buckets[bucketOf(1)].samples, "an idle window measures nothing")
	assert.True(t, ch.batching)
}

func TestBucketOfConcurrency(t *testing.T) {
	for peak, want := range map[int]int{0: 0, 1: 0, 2: 1, 3: 1, 4: 2, 15: 3, 16: 4, 63: 5, 64: 6, 1 << 20: chooserBuckets - 1} {
		assert.Equal(t, want, bucketOf(peak), "peak %d", peak)
	}
}
