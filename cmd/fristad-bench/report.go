package main

import (
	"context"
	"fmt"
	"runtime"
	"runtime/debug"
	"sync"
	"time"

	"github.com/fristad/fristad/cmd/internal/cli"
	"github.com/fristad/fristad/cmd/internal/flagvalue"
	"github.com/fristad/fristad/projections/reports"
)

// runBenchReport measures the mapping report on an existing data dir next
// to a raw ordered-consumer read of the same stream, in the same run.
func runBenchReport(ctx context.Context, env *cliEnv, args []string) error {
	fs := newFlagSet(env, "report", "report [--data-dir DIR | --nats-url URLS] [--from D] [--to D]")
	var sf storeFlags
	sf.register(fs)
	from := fs.String("from", "2025-01-01", "period start")
	to := fs.String("to", "2025-12-31", "period end")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the report to this file")
	if err := parse(fs, args); err != nil {
		return err
	}
	p := reports.Params{Report: reports.Mapping, MinCell: reports.DefaultMinCell, GeneratedAt: time.Now().UTC()}
	var err error
	if p.From, err = flagvalue.OptionalDate("from", *from); err != nil {
		return err
	}
	if p.To, err = flagvalue.OptionalDate("to", *to); err != nil {
		return err
	}
	backend, err := sf.open(ctx, env)
	if err != nil {
		return err
	}
	defer backend.Close()
	raw, err := scanStream(ctx, backend.Conn, sf.stream, nil)
	if err != nil {
		return err
	}
	// Peak heap while the report runs, sampled. peak is read only after
	// the sampler has stopped; on an early return it is stopped too.
	var peak uint64
	done, sampled := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(sampled)
		t := time.NewTicker(50 * time.Millisecond)
		defer t.Stop()
		for {
			var m runtime.MemStats
			runtime.ReadMemStats(&m)
			peak = max(peak, m.HeapInuse)
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	stopSampling := sync.OnceFunc(func() { close(done); <-sampled })
	defer stopSampling()
	cli.BatchGC() // as fristad report runs
	debug.FreeOSMemory()
	stopProfile, err := cli.StartCPUProfile(*cpuProfile)
	if err != nil {
		return err
	}
	r, st, err := reports.Run(ctx, backend.Store, p, nil)
	stopProfile()
	stopSampling()
	if err != nil {
		return err
	}
	rate := float64(st.Events) / st.Duration.Seconds()
	rawRate := float64(st.Events) / raw.Duration.Seconds()
	fmt.Fprintf(env.Stdout, "mapping report %s..%s over %d events: %s wall, %.0f events/s, %d cells\n", r.Meta.From, r.Meta.To, st.Events, st.Duration.Round(time.Millisecond), rate, len(r.Cells))
	fmt.Fprintf(env.Stdout, "raw ordered-consumer read of the same stream: %s, %.0f events/s; report is %.0f%% of raw\n", raw.Duration.Round(time.Millisecond), rawRate, 100*rate/rawRate)
	fmt.Fprintf(env.Stdout, "peak heap in use during the report: %.0f MB\n", float64(peak)/1e6)
	return nil
}
