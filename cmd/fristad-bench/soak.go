package main

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
	"strconv"
	"strings"
	"time"

	"github.com/fristad/fristad/eventstore"
)

// runBenchSoak runs the API mix for a long time and reports throughput,
// p99 and the process's resident memory every interval, so growth
// without bound shows (not part of CI: fristad bench soak --duration 10m).
func runBenchSoak(ctx context.Context, env *cliEnv, args []string) error {
	fs := newFlagSet(env, "soak", "soak [--duration 10m] [--every 1m] [--clients 50] [--cases 200]")
	duration := fs.Duration("duration", 10*time.Minute, "how long to run")
	every := fs.Duration("every", time.Minute, "how often to report")
	clients := fs.Int("clients", 50, "concurrent clients")
	cases := fs.Int("cases", 200, "cases created first")
	memProfile := fs.String("memprofile", "", "write a heap profile to this file at the end")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *duration <= 0 || *every <= 0 || *every > *duration || *clients < 1 || *clients > 1000 || *cases < 1 {
		return usageError{Msg: "--duration and --every must be positive with --every ≤ --duration; --clients 1..1000; --cases ≥ 1"}
	}
	b, err := startBenchServer(ctx, eventstore.SyncAlways)
	if err != nil {
		return err
	}
	defer b.close()
	ids, err := b.seed(*cases)
	if err != nil {
		return err
	}
	// Events stored go with RSS: memory that follows the data is the
	// projections and caches holding it; growth beyond it would be a leak.
	fmt.Fprintf(env.Stdout, "| interval | requests/s | p99 ms (all) | p99 ms (writes) | events stored | RSS MB | RSS KB per 1,000 events |\n|---|---|---|---|---|---|---|\n")
	start := time.Now()
	for n := 1; time.Since(start) < *duration && ctx.Err() == nil; n++ {
		b.resetStats()
		t0 := time.Now()
		b.run(ctx, ids, *clients, *every, 0)
		elapsed := time.Since(t0)
		f := b.figures(elapsed)
		events, err := b.backend.Store.LastSeq(ctx)
		if err != nil {
			return err
		}
		rss := rssMB()
		fmt.Fprintf(env.Stdout, "| %d | %.0f | %s | %s | %d | %.0f | %.0f |\n", n, f.perSec, ms(f.allP99), ms(f.writeP99),
			events, rss, rss*1024/float64(max(events, 1))*1000)
	}
	if *memProfile != "" {
		f, err := os.Create(*memProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		runtime.GC()
		return pprof.WriteHeapProfile(f)
	}
	return nil
}

// rssMB is this process's resident set (Linux), or -1.
func rssMB() float64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return -1
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, err := strconv.ParseFloat(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 64)
			if err == nil {
				return kb / 1024
			}
		}
	}
	return -1
}
