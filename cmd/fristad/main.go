// Command fristad is the system of record for municipal case work on
// violence in close relationships: one binary with sub-commands.
package main

import (
	"context"
	"io"

	"github.com/fristad/fristad/cmd/internal/cli"
)

// usageError is bad usage: exit code 2.
type usageError = cli.UsageError

type command = cli.Command

func commands() []command {
	return []command{
		{Name: "serve", Summary: "run the HTTP API on the event store", Run: runServe},
		{Name: "seed", Summary: "write a deterministic synthetic population of cases", Run: runSeed},
		{Name: "cull", Summary: "cull personal files five years after their last entry (gallring) by destroying their keys", Run: runCull},
		{Name: "export", Summary: "write the event log, keys and index as NDJSON with a manifest of chain heads (backup)", Run: runExport},
		{Name: "import", Summary: "verify an export and load it into an empty store", Run: runImport},
		{Name: "replay", Summary: "rebuild every projection from zero and print its digest and events/s", Run: runReplay},
		{Name: "report", Summary: "mapping, follow-up, indicators, appeals, providers or not-carried-out report by replaying events", Run: runReport},
		{Name: "verify", Summary: "walk every hash chain and report the first broken link", Run: runVerify},
		{Name: "token", Summary: "print a development bearer token signed with the data dir's key", Run: runToken},
	}
}

// cliEnv is what every sub-command gets: its output streams and logger.
type cliEnv = cli.Env

func main() { program().Main() }

// run is main for the tests: given arguments and streams, it returns the
// exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	return program().Run(ctx, args, stdout, stderr)
}

func program() cli.Program {
	return cli.Program{Name: "fristad", Commands: commands(), Footer: "Every command takes --data-dir (embedded store, default ./data) or --nats-url; see fristad <command> --help."}
}
