package projections

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/fristad/fristad/eventstore"
	gojson "github.com/goccy/go-json"
)

// Projection is a fold over event envelopes. Apply is called from one
// goroutine, in stream order; a projection guards its own state for the
// readers that query it concurrently. Capture and Restore save and load
// its whole state; Reset empties it.
//
// Capture is called between two events and the runner waits for it, so it
// only copies what later events could change. The function it returns
// serializes that copy into deterministic bytes (equal states, equal
// snapshots) and may run on another goroutine while Apply goes on: at a
// million events serializing takes seconds, copying tens of milliseconds.
type Projection interface {
	Name() string
	Apply(env *eventstore.Envelope)
	Capture() (serialize func() ([]byte, error))
	Restore(data []byte) error
	Reset()
}

// Options tune a runner.
type Options struct {
	// SnapshotEvery and SnapshotInterval say when to snapshot: after this
	// many events or this long, whichever comes first (defaults 50,000
	// and 1 minute), and on shutdown. Zero SnapshotEvery with
	// NoSnapshots set turns snapshots off (fristad replay, tests).
	SnapshotEvery    int
	SnapshotInterval time.Duration
	NoSnapshots      bool
	// IgnoreSnapshot rebuilds from the start of the stream at start-up
	// (and saves snapshots as usual afterwards).
	IgnoreSnapshot bool
	Logger         *slog.Logger
	// IdleTick, when set, replaces the idle timer (a ticker every
	// SnapshotInterval) that lets a quiet runner snapshot what it applied
	// since its last snapshot: tests send on it instead of waiting.
	IdleTick <-chan time.Time
}

// snapshotName is the object holding every projection's snapshot; they
// are saved together so that they always stand at one stream sequence.
const snapshotName = "projections"

// Runner keeps projections current from one ordered consumer per process
// (not one per projection) and lets readers wait until a stream sequence
// has been applied, so a writer always reads its own writes.
type Runner struct {
	store       *eventstore.Store
	projections []Projection
	opt         Options

	appliedNow atomic.Int64 // events applied since Run started
	restoredAt uint64       // the snapshot's sequence, 0 when none
	saving     sync.WaitGroup
	inFlight   atomic.Bool // a periodic snapshot is being saved

	// applyMu is held while events are applied and while a snapshot is
	// captured, so the idle timer captures between two batches, never in
	// the middle of one. It guards the fields below.
	applyMu    sync.Mutex
	since      int       // events applied since the last snapshot's capture
	lastSnap   time.Time // when the last snapshot was captured
	catchingUp bool      // still applying what the stream held at start

	mu      sync.Mutex
	applied uint64
	changed chan struct{} // closed and replaced whenever applied moves
	err     error
}

// NewRunner makes a runner over the given projections.
func NewRunner(store *eventstore.Store, opt Options, ps ...Projection) (*Runner, error) {
	if store == nil || len(ps) == 0 {
		return nil, errors.New("projections: a store and at least one projection are required")
	}
	if opt.SnapshotEvery <= 0 {
		opt.SnapshotEvery = 50_000
	}
	if opt.SnapshotInterval <= 0 {
		opt.SnapshotInterval = time.Minute
	}
	if opt.Logger == nil {
		opt.Logger = slog.Default()
	}
	return &Runner{store: store, projections: ps, opt: opt, changed: make(chan struct{})}, nil
}

// Run restores the latest snapshot, applies the events after it and keeps
// applying new ones until ctx ends; then it saves a final snapshot. While
// no events arrive, a timer snapshots what was applied since the last
// snapshot, so a quiet instance does not replay it all on restart.
func (r *Runner) Run(ctx context.Context) error {
	from := r.restore(ctx)
	// Catching up at start-up (or after a rebuild) does not snapshot: a
	// snapshot serializes the whole state, and the catch-up would pay for
	// it again and again. One is taken when the catch-up is done.
	startLast, err := r.store.LastSeq(ctx)
	if err != nil {
		return err
	}
	r.applyMu.Lock()
	r.catchingUp = startLast >= from
	r.since, r.lastSnap = 0, time.Now()
	r.applyMu.Unlock()

	idleDone := make(chan struct{})
	idleCtx, stopIdle := context.WithCancel(ctx)
	go func() {
		defer close(idleDone)
		r.idleSnapshots(idleCtx)
	}()

	err = r.store.Subscribe(ctx, from, func(envs []eventstore.Envelope) error {
		r.applyMu.Lock()
		defer r.applyMu.Unlock()
		for i := range envs {
			for _, p := range r.projections {
				p.Apply(&envs[i])
			}
		}
		seq := envs[len(envs)-1].Seq
		r.appliedNow.Add(int64(len(envs)))
		r.advance(seq)
		r.since += len(envs)
		due := r.since >= r.opt.SnapshotEvery || time.Since(r.lastSnap) >= r.opt.SnapshotInterval
		if r.catchingUp {
			r.catchingUp = seq < startLast
			due = !r.catchingUp && r.since >= r.opt.SnapshotEvery
		}
		if due {
			r.snapshotInBackground(ctx, seq)
		}
		return nil
	})
	stopIdle()
	<-idleDone
	r.saving.Wait() // the final snapshot below is newer; it must land last
	r.applyMu.Lock()
	since := r.since
	r.applyMu.Unlock()
	if !r.opt.NoSnapshots && since > 0 {
		// On shutdown: the state stands at Applied, between messages. The
		// store must still be open: the caller closes it after Run returns.
		sctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		if _, serr := r.saveSnapshot(sctx, r.Applied()); serr != nil {
			r.opt.Logger.Warn("final projection snapshot failed", "err", serr)
		}
		cancel()
	}
	if err != nil && ctx.Err() == nil {
		r.mu.Lock()
		r.err = err
		close(r.changed)
		r.changed = make(chan struct{})
		r.mu.Unlock()
	}
	return err
}

// snapshotInBackground captures the state, which stands at seq, and
// serializes and saves it in the background, so the events that arrive
// meanwhile are applied (at scale both take seconds). One snapshot at a
// time: while one is in flight, a due snapshot waits for the next batch
// or tick. The caller holds applyMu.
func (r *Runner) snapshotInBackground(ctx context.Context, seq uint64) {
	if r.opt.NoSnapshots || !r.inFlight.CompareAndSwap(false, true) {
		return
	}
	serialize := r.capture()
	r.since, r.lastSnap = 0, time.Now()
	r.saving.Add(1)
	go func() {
		defer r.saving.Done()
		defer r.inFlight.Store(false)
		data, err := serialize()
		if err == nil {
			// A save in progress finishes even when Run is being stopped.
			sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
			defer cancel()
			err = r.store.Snapshots().Save(sctx, snapshotName, seq, data)
		}
		if err != nil {
			r.opt.Logger.Warn("projection snapshot failed", "err", err)
		}
	}()
}

// idleSnapshots is the idle timer: on each tick, if events were applied
// since the last snapshot and none has been taken for SnapshotInterval,
// it takes one. Without it the interval is only checked when an event
// arrives, and a quiet instance never saves what it applied last.
func (r *Runner) idleSnapshots(ctx context.Context) {
	if r.opt.NoSnapshots {
		return
	}
	tick := r.opt.IdleTick
	forced := tick != nil
	if tick == nil {
		t := time.NewTicker(r.opt.SnapshotInterval)
		defer t.Stop()
		tick = t.C
	}
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick:
		}
		r.applyMu.Lock()
		if r.since > 0 && !r.catchingUp && (forced || time.Since(r.lastSnap) >= r.opt.SnapshotInterval) {
			r.snapshotInBackground(ctx, r.Applied())
		}
		r.applyMu.Unlock()
	}
}

// restore loads the snapshot into every projection and returns the
// sequence to continue from. A missing or unreadable snapshot means a
// rebuild from the start of the stream.
func (r *Runner) restore(ctx context.Context) uint64 {
	if r.opt.NoSnapshots || r.opt.IgnoreSnapshot {
		return 1
	}
	seq, data, err := r.store.Snapshots().Load(ctx, snapshotName)
	if err != nil {
		if !errors.Is(err, eventstore.ErrNoSnapshot) {
			r.opt.Logger.Warn("projection snapshot unreadable; rebuilding from the start", "err", err)
		}
		return 1
	}
	if err := r.restoreParts(data); err != nil {
		r.opt.Logger.Warn("projection snapshot does not restore; rebuilding from the start", "err", err)
		for _, p := range r.projections {
			p.Reset()
		}
		return 1
	}
	r.restoredAt = seq
	r.advance(seq)
	return seq + 1
}

// restoreParts restores each projection from its part of a snapshot; a
// missing part (a projection added since) fails the whole restore.
func (r *Runner) restoreParts(data []byte) error {
	var parts map[string]json.RawMessage
	if err := gojson.Unmarshal(data, &parts); err != nil {
		return err
	}
	for _, p := range r.projections {
		part, ok := parts[p.Name()]
		if !ok {
			return fmt.Errorf("snapshot has no part for %s", p.Name())
		}
		if err := p.Restore(part); err != nil {
			return err
		}
	}
	return nil
}

// capture captures every projection (see Projection) and returns the
// serializer of the whole snapshot: one document with a part per
// projection, all standing at the same stream sequence.
func (r *Runner) capture() func() ([]byte, error) {
	serializers := make(map[string]func() ([]byte, error), len(r.projections))
	for _, p := range r.projections {
		serializers[p.Name()] = p.Capture()
	}
	return func() ([]byte, error) {
		// The document is put together by hand, names sorted: encoding a
		// map of raw parts would scan hundreds of MB again to check them.
		names := slices.Sorted(maps.Keys(serializers))
		doc := []byte{'{'}
		for i, name := range names {
			b, err := serializers[name]()
			if err != nil {
				return nil, fmt.Errorf("snapshot %s: %w", name, err)
			}
			if i > 0 {
				doc = append(doc, ',')
			}
			quoted, err := gojson.Marshal(name)
			if err != nil {
				return nil, err
			}
			doc = append(append(doc, quoted...), ':')
			doc = append(doc, b...)
		}
		return append(doc, '}'), nil
	}
}

// Snapshot serializes every projection as one document.
func (r *Runner) Snapshot() ([]byte, error) { return r.capture()() }

// saveSnapshot captures the state at seq, serializes and saves it,
// reporting how long each step took.
func (r *Runner) saveSnapshot(ctx context.Context, seq uint64) (SnapshotStats, error) {
	var st SnapshotStats
	t0 := time.Now()
	serialize := r.capture()
	st.Capture, t0 = time.Since(t0), time.Now()
	data, err := serialize()
	if err != nil {
		return st, err
	}
	st.Serialize, st.Bytes, t0 = time.Since(t0), len(data), time.Now()
	err = r.store.Snapshots().Save(ctx, snapshotName, seq, data)
	st.Save = time.Since(t0)
	return st, err
}

// SnapshotStats is what taking a snapshot cost.
type SnapshotStats struct {
	// Capture is how long the runner waited: copying what later events
	// could change. Serialize and Save happen beside the runner, except
	// after a rebuild and on shutdown.
	Capture, Serialize, Save time.Duration
	Bytes                    int
}

// AppliedSinceStart counts the events this Run applied (not restored).
func (r *Runner) AppliedSinceStart() int64 { return r.appliedNow.Load() }

// RestoredAt is the sequence of the snapshot Run started from (0: none).
func (r *Runner) RestoredAt() uint64 { return r.restoredAt }

func (r *Runner) advance(seq uint64) {
	r.mu.Lock()
	r.applied = seq
	close(r.changed)
	r.changed = make(chan struct{})
	r.mu.Unlock()
}

// Applied is the last stream sequence every projection has applied.
func (r *Runner) Applied() uint64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.applied
}

// ErrBehind is a wait that timed out: the projections have not yet
// reached the sequence (the API answers 503 with Retry-After).
var ErrBehind = errors.New("projections are behind")

// WaitFor blocks until seq is applied, the timeout passes or ctx ends.
func (r *Runner) WaitFor(ctx context.Context, seq uint64, timeout time.Duration) error {
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		r.mu.Lock()
		applied, changed, err := r.applied, r.changed, r.err
		r.mu.Unlock()
		if applied >= seq {
			return nil
		}
		if err != nil {
			return fmt.Errorf("projections stopped: %w", err)
		}
		select {
		case <-changed:
		case <-deadline.C:
			return fmt.Errorf("%w: at %d, waiting for %d", ErrBehind, applied, seq)
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// CatchUp waits until everything in the stream now has been applied.
func (r *Runner) CatchUp(ctx context.Context, timeout time.Duration) error {
	last, err := r.store.LastSeq(ctx)
	if err != nil {
		return err
	}
	return r.WaitFor(ctx, last, timeout)
}

// RebuildStats sums up a rebuild from zero.
type RebuildStats struct {
	Events   int
	LastSeq  uint64
	Duration time.Duration
	// Snapshot is what the snapshot after the rebuild cost.
	Snapshot SnapshotStats
}

// Rebuild empties every projection, applies the whole stream as it is now
// and saves the result as the new snapshot (unless snapshots are off). It
// must not run beside Run on the same runner.
func (r *Runner) Rebuild(ctx context.Context, progress func(seq, last uint64)) (RebuildStats, error) {
	for _, p := range r.projections {
		p.Reset()
	}
	start := time.Now()
	var st RebuildStats
	last, err := r.store.Read(ctx, 1, func(env *eventstore.Envelope) error {
		for _, p := range r.projections {
			p.Apply(env)
		}
		st.Events++
		if progress != nil && st.Events%20_000 == 0 {
			progress(env.Seq, 0)
		}
		return nil
	})
	st.Duration, st.LastSeq = time.Since(start), last
	if err != nil {
		return st, err
	}
	r.advance(last)
	if progress != nil {
		progress(last, last)
	}
	if !r.opt.NoSnapshots {
		var err error
		if st.Snapshot, err = r.saveSnapshot(ctx, last); err != nil {
			return st, err
		}
	}
	return st, nil
}

// Digest is a hash of every projection's state: equal states, equal
// digests (snapshots are deterministic).
func (r *Runner) Digest() (string, error) {
	b, err := r.Snapshot()
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(b)
	return "sha256:" + hex.EncodeToString(sum[:]), nil
}

// Status describes the runner for operators.
type Status struct {
	Applied           uint64 `json:"applied_seq"`
	RestoredAt        uint64 `json:"restored_from_snapshot_seq"`
	AppliedSinceStart int64  `json:"applied_since_start"`
	Digest            string `json:"digest,omitempty"`
}

// Status reports where the runner stands; withDigest also hashes the
// state (costly on a large store).
func (r *Runner) Status(withDigest bool) (Status, error) {
	st := Status{Applied: r.Applied(), RestoredAt: r.RestoredAt(), AppliedSinceStart: r.AppliedSinceStart()}
	if withDigest {
		d, err := r.Digest()
		if err != nil {
			return st, err
		}
		st.Digest = d
	}
	return st, nil
}

// All returns a fresh set of every projection fristad keeps, in the order
// the API expects them: person links, cases, then the providers.
func All() []Projection {
	return []Projection{NewPersonLinks(), NewCases(), NewProviders()}
}
