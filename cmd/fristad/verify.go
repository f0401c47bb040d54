package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
)

func runVerify(ctx context.Context, env *cliEnv, args []string) error {
	fs := newFlagSet(env, "verify", "verify [--data-dir DIR | --nats-url URLS] [--json]")
	var sf storeFlags
	sf.register(fs)
	asJSON := fs.Bool("json", false, "print the report as JSON on stdout")
	if err := parse(fs, args); err != nil {
		return err
	}
	backend, err := sf.openExisting(ctx, env)
	if err != nil {
		return err
	}
	defer backend.Close()

	bar := newProgress(env, "verifying", "messages")
	rep, err := backend.Store.Verify(ctx, func(seq, last uint64) { bar.set(seq, last) })
	bar.done()
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rep); err != nil {
			return err
		}
	} else {
		fmt.Fprintf(env.Stdout, "verified %d events in %d messages of %d aggregates (stream sequence 1..%d)\n",
			rep.Events, rep.Messages, rep.Aggregates, rep.LastSeq)
		for i, b := range rep.Breaks {
			if i == 0 {
				fmt.Fprintf(env.Stdout, "FIRST BROKEN LINK: %s\n", b)
				continue
			}
			fmt.Fprintf(env.Stdout, "broken: %s\n", b)
		}
	}
	if !rep.OK() {
		return errors.New(fmt.Sprintf("%d broken link(s); first at stream sequence %d", len(rep.Breaks), rep.Breaks[0].Seq))
	}
	if !*asJSON {
		fmt.Fprintln(env.Stdout, "every chain verified")
	}
	return nil
}
