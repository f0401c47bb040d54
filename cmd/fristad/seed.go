package main

import (
	"context"
	"fmt"
	"time"

	"github.com/fristad/fristad/cmd/internal/seeding"
	"github.com/fristad/fristad/domain/synthetic"
)

func runSeed(ctx context.Context, env *cliEnv, args []string) error {
	fs := newFlagSet(env, "seed", "seed --cases N [--seed S] [--workers W] [--data-dir DIR | --nats-url URLS]")
	var sf storeFlags
	sf.register(fs)
	cases := fs.Int("cases", 0, "number of cases to generate (required)")
	seed := fs.Uint64("seed", 1, "random seed: the same seed gives the same population")
	workers := fs.Int("workers", 16, "cases written in parallel")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *cases <= 0 {
		return usageError{Msg: "--cases must be a positive number"}
	}
	if *workers < 1 || *workers > 256 {
		return usageError{Msg: "--workers must be between 1 and 256"}
	}
	backend, err := sf.open(ctx, env)
	if err != nil {
		return err
	}
	defer backend.Close()

	if err := seeding.Units(ctx, backend.Store); err != nil {
		return err
	}
	start := time.Now()
	providers, err := seeding.Providers(ctx, backend.Store, *seed)
	if err != nil {
		return err
	}
	bar := newProgress(env, "seeding", "cases")
	events, done, err := seeding.Cases(ctx, backend.Store, *seed, *cases, *workers, func(done int) {
		bar.set(uint64(done), uint64(*cases)) // #nosec G115 -- counts are non-negative
	})
	bar.done()
	if err != nil {
		return err
	}
	elapsed := time.Since(start)
	fmt.Fprintf(env.Stderr, "seeded %d providers and %d cases (seed %d): %d events in %s (%.0f events/s)\n",
		len(synthetic.Providers), done, *seed, int64(providers)+events, elapsed.Round(time.Millisecond), float64(int64(providers)+events)/elapsed.Seconds())
	return nil
}
