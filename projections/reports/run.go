package reports

import (
	"context"
	"slices"
	"time"

	"github.com/fristad/fristad/domain"
	"github.com/fristad/fristad/eventstore"
)

// Stats says what computing a report cost.
type Stats struct {
	Events   int
	LastSeq  uint64
	Duration time.Duration
}

// Run computes a report by replaying the event stream from its start: it
// never reads the live projections, which could drift. progress, when not
// nil, is called now and then with the events replayed.
func Run(ctx context.Context, store *eventstore.Store, p Params, progress func(events int, seq uint64)) (Report, Stats, error) {
	b, err := NewBuilder(p)
	if err != nil {
		return Report{}, Stats{}, err
	}
	start := time.Now()
	var st Stats
	st.LastSeq, err = store.Read(ctx, 1, func(env *eventstore.Envelope) error {
		b.Apply(env)
		st.Events++
		if progress != nil && st.Events%50_000 == 0 {
			progress(st.Events, env.Seq)
		}
		return nil
	})
	if err == nil {
		err = b.Finish(caseHistory(ctx, store))
	}
	st.Duration = time.Since(start)
	if err != nil {
		return Report{}, st, err
	}
	if p.Unit != "" && !slices.Contains(b.Units(), p.Unit) {
		return Report{}, st, &ParamError{Param: "unit", Message: "no case has ever been in that unit"}
	}
	return b.Report(), st, nil
}

// caseHistory loads a case's history from the store, for Builder.Finish
// to refold a corrected case.
func caseHistory(ctx context.Context, store *eventstore.Store) func(domain.ID) ([]*eventstore.Envelope, error) {
	return func(id domain.ID) ([]*eventstore.Envelope, error) {
		h, err := store.Load(ctx, domain.KindCase, id)
		if err != nil {
			return nil, err
		}
		envs := make([]*eventstore.Envelope, len(h.Events))
		for i := range h.Events {
			envs[i] = &h.Events[i]
		}
		return envs, nil
	}
}
