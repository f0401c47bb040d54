// Command fristad is the system of record for municipal case work on
// violence in close relationships: one binary with sub-commands.
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
		{"serve", "run the HTTP API on the event store", runServe},
		{"seed", "write a deterministic synthetic population of cases", runSeed},
		{"cull", "cull personal files five years after their last entry (gallring) by destroying their keys", runCull},
		{"export", "write the event log, keys and index as NDJSON with a manifest of chain heads (backup)", runExport},
		{"import", "verify an export and load it into an empty store", runImport},
		{"replay", "rebuild every projection from zero and print its digest and events/s", runReplay},
		{"report", "mapping, follow-up, indicators, appeals, providers or not-carried-out report by replaying events", runReport},
		{"verify", "walk every hash chain and report the first broken link", runVerify},
		{"token", "print a development bearer token signed with the data dir's key", runToken},
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
	if len(args) == 0 {
		printUsage(stderr) // bad usage: the help goes with the error stream
		return 2
	}
	if args[0] == "-h" || args[0] == "--help" || args[0] == "-help" || args[0] == "help" {
		printUsage(stdout) // asked for: the help is the answer
		return 0
	}
	for _, c := range commands() {
		if c.name != args[0] {
			continue
		}
		err := c.run(ctx, env, args[1:])
		var ue usageError
		switch {
		case err == nil:
			return 0
		case errors.Is(err, flag.ErrHelp):
			return 0
		case errors.As(err, &ue):
			fmt.Fprintf(stderr, "fristad %s: %s\n(see fristad %s --help)\n", c.name, ue.msg, c.name)
			return 2
		default:
			fmt.Fprintf(stderr, "fristad %s: %v\n", c.name, err)
			return 1
		}
	}
	fmt.Fprintf(stderr, "fristad: unknown command %q\n", args[0])
	printUsage(stderr)
	return 2
}

func printUsage(w io.Writer) {
	fmt.Fprintln(w, "usage: fristad <command> [flags]\n\ncommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-8s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nEvery command takes --data-dir (embedded store, default ./data) or --nats-url; see fristad <command> --help.")
}
