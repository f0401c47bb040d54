package main

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/fristad/fristad/cmd/internal/cli"
	"github.com/fristad/fristad/projections"
)

func runReplay(ctx context.Context, env *cliEnv, args []string) error {
	fs := newFlagSet(env, "replay", "replay [--data-dir DIR | --nats-url URLS] [--json]")
	var sf storeFlags
	sf.register(fs)
	asJSON := fs.Bool("json", false, "print the result as JSON on stdout")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the rebuild to this file")
	if err := parse(fs, args); err != nil {
		return err
	}
	backend, err := sf.openExisting(ctx, env)
	if err != nil {
		return err
	}
	defer backend.Close()
	runner, err := projections.NewRunner(backend.Store, projections.Options{Logger: env.Log}, projections.All()...)
	if err != nil {
		return err
	}
	stopProfile, err := cli.StartCPUProfile(*cpuProfile)
	if err != nil {
		return err
	}
	defer stopProfile()
	cli.BatchGC()
	last, err := backend.Store.LastSeq(ctx)
	if err != nil {
		return err
	}
	// Rebuild reports the stream position: messages, not events (a
	// message holds one command's events).
	bar := newProgress(env, "replaying", "messages")
	st, err := runner.Rebuild(ctx, func(seq, _ uint64) { bar.set(seq, last) })
	bar.done()
	if err != nil {
		return err
	}
	digest, err := runner.Digest()
	if err != nil {
		return err
	}
	rate := float64(st.Events) / st.Duration.Seconds()
	if *asJSON {
		return json.NewEncoder(env.Stdout).Encode(map[string]any{"events": st.Events, "last_seq": st.LastSeq,
			"seconds": st.Duration.Seconds(), "events_per_second": rate, "digest": digest})
	}
	// The raw-read baseline (an ordered consumer decoding nothing) is
	// fristad-bench replay's: the product binary measures only its own work.
	fmt.Fprintf(env.Stdout, "replayed %d events (stream sequence 1..%d) in %s: %.0f events/s\n", st.Events, st.LastSeq, st.Duration.Round(1e6), rate)
	fmt.Fprintf(env.Stdout, "snapshot of %.1f MB: captured in %s (the live runner waits this long), serialized in %s, saved in %s\n",
		float64(st.Snapshot.Bytes)/1e6, st.Snapshot.Capture.Round(1e5), st.Snapshot.Serialize.Round(1e6), st.Snapshot.Save.Round(1e6))
	fmt.Fprintf(env.Stdout, "projections %s\n", digest)
	return nil
}
