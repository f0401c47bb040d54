package projections

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/fristad/fristad/eventstore"
)

// Projection is a fold over event envelopes. Apply is called from one
// goroutine, in stream order; a projection guards its own state for the
// readers that query it concurrently.
type Projection interface {
	Name() string
	Apply(env *eventstore.Envelope)
}

// Runner keeps projections current from one ordered consumer per process
// (not one per projection) and lets readers wait until a stream sequence
// has been applied, so a writer always reads its own writes.
type Runner struct {
	store       *eventstore.Store
	projections []Projection

	mu      sync.Mutex
	applied uint64
	changed chan struct{} // closed and replaced whenever applied moves
	err     error
}

// NewRunner makes a runner over the given projections.
func NewRunner(store *eventstore.Store, ps ...Projection) (*Runner, error) {
	if store == nil || len(ps) == 0 {
		return nil, errors.New("projections: a store and at least one projection are required")
	}
	return &Runner{store: store, projections: ps, changed: make(chan struct{})}, nil
}

// Run applies events from the start of the stream until ctx ends.
func (r *Runner) Run(ctx context.Context) error {
	err := r.store.Subscribe(ctx, 1, func(envs []eventstore.Envelope) error {
		for i := range envs {
			for _, p := range r.projections {
				p.Apply(&envs[i])
			}
		}
		r.advance(envs[len(envs)-1].Seq)
		return nil
	})
	if err != nil && ctx.Err() == nil {
		r.mu.Lock()
		r.err = err
		close(r.changed)
		r.changed = make(chan struct{})
		r.mu.Unlock()
	}
	return err
}

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
