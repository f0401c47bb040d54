// Package seeding writes the deterministic synthetic population of
// domain/synthetic into a store: `fristad seed` and the benchmarks share it,
// so that one seed gives the same store whichever binary wrote it.
package seeding

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/fristad/fristad/domain"
	"github.com/fristad/fristad/domain/synthetic"
	"github.com/fristad/fristad/eventstore"
)

// Units registers the units the synthetic population is spread over, as
// an admin would before the first intake, so a seeded store takes new cases
// in them at once (cases open only in registered units). A repeated seed
// records nothing: an unchanged unit is no event.
func Units(ctx context.Context, s *eventstore.Store) error {
	for _, u := range synthetic.Units {
		kind, name := domain.UnitAdults, "Vuxenenheten "+u[strings.LastIndex(u, "-")+1:]
		if strings.HasPrefix(u, "barn") {
			kind, name = domain.UnitChildren, "Barn- och ungaenheten "+u[strings.LastIndex(u, "-")+1:]
		}
		_, err := eventstore.Execute(ctx, s, domain.SettingsDecider(), domain.SettingsID, domain.SetUnit{Unit: u, Name: name, Kind: kind},
			eventstore.ExecOptions{AppendOptions: eventstore.AppendOptions{Actor: "fristad-seed"}})
		if err != nil {
			return fmt.Errorf("register unit %s: %w", u, err)
		}
	}
	return nil
}

// Providers registers the synthetic providers (shelters and treatment
// programmes) that the cases are placed with, and returns the events
// written.
func Providers(ctx context.Context, s *eventstore.Store, seed uint64) (int, error) {
	return Plan(ctx, s, seed, synthetic.Plan{Index: -1, Steps: synthetic.ProviderSteps()})
}

// Cases writes the synthetic population of cases cases (seed seed) with
// workers cases in parallel, calling caseDone with the number of cases done
// after each. It returns the events written and the cases done.
func Cases(ctx context.Context, s *eventstore.Store, seed uint64, cases, workers int, caseDone func(done int)) (int64, int64, error) {
	var events, done atomic.Int64
	plans := make(chan synthetic.Plan)
	errc := make(chan error, workers)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for p := range plans {
				n, err := Plan(ctx, s, seed, p)
				if err != nil {
					errc <- err
					cancel()
					return
				}
				events.Add(int64(n))
				caseDone(int(done.Add(1)))
			}
		}()
	}
	genErr := synthetic.Generate(seed, cases, func(p synthetic.Plan) error {
		select {
		case plans <- p:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	})
	close(plans)
	wg.Wait()
	close(errc)
	if err := <-errc; err != nil {
		return events.Load(), done.Load(), err
	}
	return events.Load(), done.Load(), genErr
}

// Plan runs one plan's steps in order (a case's, or with index -1 the
// registry of providers) and returns the events written.
// Each step's command id is derived from the seed, case and step, so a
// seed run that is repeated or resumed writes nothing twice.
func Plan(ctx context.Context, s *eventstore.Store, seed uint64, p synthetic.Plan) (int, error) {
	n := 0
	for i, step := range p.Steps {
		if step.PersonalNumber != "" {
			if err := s.Index().Add(ctx, step.PersonalNumber, step.ID); err != nil {
				return n, err
			}
		}
		opt := eventstore.ExecOptions{AppendOptions: eventstore.AppendOptions{
			Actor: step.Actor, Now: step.At, CommandID: fmt.Sprintf("seed-%d-%d-%d", seed, p.Index, i),
		}}
		var res eventstore.Result
		var err error
		switch step.Kind {
		case domain.KindPerson:
			res, err = eventstore.Execute(ctx, s, domain.PersonDecider(), step.ID, step.Command, opt)
		case domain.KindCase:
			res, err = eventstore.Execute(ctx, s, domain.CaseDecider(), step.ID, step.Command, opt)
		case domain.KindPartnerContact:
			res, err = eventstore.Execute(ctx, s, domain.TreatmentSideDecider(), step.ID, step.Command, opt)
		case domain.KindProvider:
			res, err = eventstore.Execute(ctx, s, domain.ProviderDecider(), step.ID, step.Command, opt)
		case domain.KindPartnerSide:
			res, err = eventstore.Execute(ctx, s, domain.PartnerSideDecider(domain.PartnerSide{}), step.ID, step.Command, opt)
		default:
			err = errors.New("unknown aggregate kind " + string(step.Kind))
		}
		if err != nil {
			return n, fmt.Errorf("case %d, step %d (%s): %w", p.Index, i, step.Command.CommandName(), err)
		}
		if !res.Duplicate {
			n += len(res.Events)
		}
	}
	return n, nil
}
