// Command fristad-bench measures fristad next to its baselines (raw
// nats.go, PostgreSQL doing the same work) over loopback. It is kept out of
// the product binary: `fristad` links no PostgreSQL driver and runs no
// initdb. `make bench` runs `fristad-bench all`; docs/benchmarks.md says
// how to read its table.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
)

// usageError is bad usage: exit code 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

type command struct {
	name    string
	summary string
	run     func(ctx context.Context, env *cliEnv, args []string) error
}

func commands() []command {
	return []command{
		{"all", "every figure next to its baseline, as one Markdown table (make bench)", runBenchAll},
		{"api", "the API mix from concurrent clients against a server in a temp dir", runBenchAPI},
		{"cluster", "appends on three replicas (three embedded servers on loopback)", runBenchCluster},
		{"peer", "appends against PostgreSQL with the same durability", runBenchPeer},
		{"replay", "rebuild every projection of a data dir next to a raw read of its stream", runBenchReplay},
		{"report", "the mapping report of a data dir next to a raw read of its stream", runBenchReport},
		{"soak", "the API mix for a long time: throughput, p99 and memory over time", runBenchSoak},
	}
}

// cliEnv is what every sub-command gets: its output streams and logger.
type cliEnv struct {
	stdout, stderr io.Writer
	log            *slog.Logger
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	env := &cliEnv{stdout: stdout, stderr: stderr, log: slog.New(slog.NewJSONHandler(stderr, nil))}
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		printUsage(stdout)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	for _, c := range commands() {
		if c.name != args[0] {
			continue
		}
		err := c.run(ctx, env, args[1:])
		var ue usageError
		switch {
		case err == nil, errors.Is(err, flag.ErrHelp):
			return 0
		case errors.As(err, &ue):
			fmt.Fprintf(stderr, "fristad-bench %s: %s\n(see fristad-bench %s --help)\n", c.name, ue.msg, c.name)
			return 2
		default:
			fmt.Fprintf(stderr, "fristad-bench %s: %v\n", c.name, err)
			return 1
		}
	}
	fmt.Fprintf(stderr, "fristad-bench: unknown command %q\n", args[0])
	printUsage(stderr)
	return 2
}

func printUsage(w io.Writer) {
	fmt.Fprintln(w, "usage: fristad-bench <command> [flags]\n\ncommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-8s %s\n", c.name, c.summary)
	}
}
