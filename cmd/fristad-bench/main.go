// Command fristad-bench measures fristad next to its baselines (raw
// nats.go, PostgreSQL doing the same work) over loopback. It is kept out of
// the product binary: `fristad` links no PostgreSQL driver and runs no
// initdb. `make bench` runs `fristad-bench all`; docs/benchmarks.md says
// how to read its table.
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
		{Name: "all", Summary: "every figure next to its baseline, as one Markdown table (make bench)", Run: runBenchAll},
		{Name: "api", Summary: "the API mix from concurrent clients against a server in a temp dir", Run: runBenchAPI},
		{Name: "cluster", Summary: "appends on three replicas (three embedded servers on loopback)", Run: runBenchCluster},
		{Name: "peer", Summary: "appends against PostgreSQL with the same durability", Run: runBenchPeer},
		{Name: "replay", Summary: "rebuild every projection of a data dir next to a raw read of its stream", Run: runBenchReplay},
		{Name: "report", Summary: "the mapping report of a data dir next to a raw read of its stream", Run: runBenchReport},
		{Name: "soak", Summary: "the API mix for a long time: throughput, p99 and memory over time", Run: runBenchSoak},
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
	return cli.Program{Name: "fristad-bench", Commands: commands()}
}
