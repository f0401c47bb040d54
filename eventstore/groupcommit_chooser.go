package eventstore

import (
	"math/bits"
	"time"
)

// Windows the chooser measures in.
const (
	// chooserWindow is how long one measurement lasts: long enough for
	// dozens of batches, short enough to follow the disk, whose fsync
	// and metadata costs drift within seconds on a shared machine.
	chooserWindow = 50 * time.Millisecond
	// chooserProbe: every chooserProbe-th window measures the mode that
	// lost, since what lost a moment ago may win now; chooserProbeFar
	// when it lost by more than chooserFar.
	chooserProbe    = 8
	chooserProbeFar = 32
	chooserFar      = 1.5
	// chooserMargin is how much faster batching must be to be chosen: at
	// equal rates (a load the disk keeps up with either way) a batch only
	// adds latency.
	chooserMargin = 1.05
	// chooserBuckets: concurrency 1, 2-3, 4-7, ... 512 and more.
	chooserBuckets = 11
)

// chooser decides whether concurrent commands go through atomic batches
// or are published directly by their writers, by what each measured:
// commands acknowledged per second, in alternating windows. A batch has
// a fixed cost on the server (a staging store created, synced and
// removed) that pays only when it carries enough commands, and how many
// is enough depends on the disk and on how many writers there are;
// rather than model that, the chooser measures both modes for each
// order of magnitude of concurrency and keeps the faster.
type chooser struct {
	batching bool
	start    time.Time // of the current window
	count    int       // commands acknowledged in it
	buckets  [chooserBuckets]modeRates
}

// modeRates is what the chooser measured at one level of concurrency:
// commands per second directly ([0]) and batched ([1]).
type modeRates struct {
	rate     [2]float64
	windows  int
	batching bool
}

func modeIndex(batching bool) int {
	if batching {
		return 1
	}
	return 0
}

// bucketOf names the level of concurrency of peak commands in flight.
func bucketOf(peak int) int {
	return min(chooserBuckets-1, bits.Len(uint(max(peak, 1)))-1)
}

// acked records n commands acknowledged at now in the current mode. At
// the end of a window it records the window's rate for the concurrency
// the window saw at its peak, and picks the next window's mode from
// what was measured at that concurrency (which the next window most
// likely sees too).
func (ch *chooser) acked(n, peak int, now time.Time) (windowEnded bool) {
	if ch.start.IsZero() {
		ch.start = now
	}
	ch.count += n
	elapsed := now.Sub(ch.start)
	if elapsed < chooserWindow {
		return false
	}
	ch.start = now
	count := ch.count
	ch.count = 0
	b := &ch.buckets[bucketOf(peak)]
	if elapsed > 4*chooserWindow {
		// Idle in between: the window measured the load, not the mode.
		ch.batching = b.choice()
		return true
	}
	m := modeIndex(ch.batching)
	b.rate[m] = ewma(b.rate[m], float64(count)/elapsed.Seconds())
	b.windows++
	other := 1 - m
	probe := chooserProbe
	if lo, hi := min(b.rate[0], b.rate[1]), max(b.rate[0], b.rate[1]); lo > 0 && hi > chooserFar*lo {
		probe = chooserProbeFar
	}
	switch {
	case b.rate[other] == 0:
		b.batching = other == 1 // never measured here: measure it
	case b.windows%probe == 0:
		b.batching = other == 1
	default:
		b.batching = b.rate[1] > b.rate[0]*chooserMargin
	}
	ch.batching = b.batching
	return true
}

// choice is the mode a level of concurrency starts a window in: the
// faster, batching when nothing was measured yet.
func (b *modeRates) choice() bool {
	if b.rate[0] == 0 || b.rate[1] == 0 {
		return b.rate[1] == 0
	}
	return b.rate[1] > b.rate[0]*chooserMargin
}
