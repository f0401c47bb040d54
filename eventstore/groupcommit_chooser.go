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
	chooserWindow = 25 * time.Millisecond
	// chooserProbe: every chooserProbe-th window measures the mode that
	// lost, since what lost a moment ago may win now; chooserProbeFar
	// when it lost by more than chooserFar in at least two measurements
	// (one may have caught the disk at a bad moment).
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
	// warm: batching just began, and this window only lets it settle
	// (batches take a few rounds to gather every writer): not measured.
	warm    bool
	start   time.Time // of the current window
	count   int       // commands acknowledged in it
	buckets [chooserBuckets]modeRates
}

// modeRates is what the chooser measured at one level of concurrency:
// commands per second directly ([0]) and batched ([1]), and how many
// windows measured each.
type modeRates struct {
	rate     [2]float64
	samples  [2]int
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
// likely sees too). It reports whether a window ended.
func (ch *chooser) acked(n, peak int, now time.Time) bool {
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
		ch.set(b.best())
		return true
	}
	if ch.warm {
		ch.warm = false
		return true
	}
	m := modeIndex(ch.batching)
	b.rate[m] = ewma(b.rate[m], float64(count)/elapsed.Seconds())
	b.samples[m]++
	b.windows++
	ch.set(b.next(m))
	return true
}

// set changes the mode. Batching starts with a window to settle in:
// the first batches carry only the writers that happen to be queued.
func (ch *chooser) set(batching bool) {
	if batching && !ch.batching {
		ch.warm = true
	}
	ch.batching = batching
}

// next picks the mode after a window measured in mode m: the faster,
// but the other one now and then (seldom when it lost by far).
func (b *modeRates) next(m int) bool {
	other := 1 - m
	probe := chooserProbe
	if b.samples[other] >= 2 && min(b.rate[0], b.rate[1])*chooserFar < max(b.rate[0], b.rate[1]) {
		probe = chooserProbeFar
	}
	if b.samples[other] == 0 || b.windows%probe == 0 {
		return other == 1
	}
	return b.best()
}

// best is the faster mode measured here: batching when nothing was
// measured yet, direct when batching is not clearly faster.
func (b *modeRates) best() bool {
	if b.samples[0] == 0 || b.samples[1] == 0 {
		return b.samples[1] == 0
	}
	return b.rate[1] > b.rate[0]*chooserMargin
}
