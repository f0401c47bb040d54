package main

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/fristad/fristad/cmd/internal/cli"
	"github.com/fristad/fristad/projections"
)

// runBenchReplay rebuilds every projection of an existing data dir next to
// a raw ordered-consumer read of the same stream, in the same run.
func runBenchReplay(ctx context.Context, env *cliEnv, args []string) error {
	fs := newFlagSet(env, "replay", "replay [--data-dir DIR | --nats-url URLS] [--json]")
	var sf storeFlags
	sf.register(fs)
	asJSON := fs.Bool("json", false, "print the result as JSON on stdout")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the rebuild to this file")
	if err := parse(fs, args); err != nil {
		return err
	}
	backend, err := sf.open(ctx, env)
	if err != nil {
		return err
	}
	defer backend.Close()
	runner, err := projections.NewRunner(backend.Store, projections.Options{Logger: env.Log, NoSnapshots: true}, projections.All()...)
	if err != nil {
		return err
	}
	cli.BatchGC() // as fristad replay runs
	raw, err := scanStream(ctx, backend.Conn, sf.stream, nil)
	if err != nil {
		return err
	}
	stopProfile, err := cli.StartCPUProfile(*cpuProfile)
	if err != nil {
		return err
	}
	st, err := runner.Rebuild(ctx, nil)
	stopProfile()
	if err != nil {
		return err
	}
	digest, err := runner.Digest()
	if err != nil {
		return err
	}
	rate := float64(st.Events) / st.Duration.Seconds()
	// The raw read counts messages; a message carries a command's events,
	// so its rate in events is the events read over the raw time.
	rawRate := float64(st.Events) / raw.Duration.Seconds()
	if *asJSON {
		return json.NewEncoder(env.Stdout).Encode(map[string]any{"events": st.Events, "last_seq": st.LastSeq,
			"seconds": st.Duration.Seconds(), "events_per_second": rate, "digest": digest,
			"raw_read_seconds": raw.Duration.Seconds(), "raw_read_events_per_second": rawRate, "ratio_to_raw": rate / rawRate})
	}
	fmt.Fprintf(env.Stdout, "replayed %d events (stream sequence 1..%d) in %s: %.0f events/s\n", st.Events, st.LastSeq, st.Duration.Round(1e6), rate)
	fmt.Fprintf(env.Stdout, "raw ordered-consumer read of the same stream: %d messages, %.1f MB in %s: %.0f events/s; replay is %.0f%% of raw\n",
		raw.Messages, float64(raw.Bytes)/1e6, raw.Duration.Round(1e6), rawRate, 100*rate/rawRate)
	fmt.Fprintf(env.Stdout, "projections %s\n", digest)
	return nil
}
