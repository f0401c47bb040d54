package main

import (
	"context"
	"flag"
	"log/slog"

	"github.com/fristad/fristad/cmd/internal/cli"
	"github.com/fristad/fristad/eventstore"
)

// storeFlags say where an existing store is (the commands that measure a
// data dir someone seeded: replay, report). They open it only if it is
// there: a mistyped data dir creates nothing.
type storeFlags struct {
	dataDir       string
	natsURL       string
	masterKeyFile string
	stream        string
	dev           bool
}

func (f *storeFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.dataDir, "data-dir", "./data", "directory of the embedded JetStream store")
	fs.StringVar(&f.natsURL, "nats-url", "", "use an existing NATS cluster instead of the embedded server (comma-separated URLs)")
	fs.StringVar(&f.masterKeyFile, "master-key-file", "", "file with the base64 master key (else $FRISTAD_MASTER_KEY)")
	fs.BoolVar(&f.dev, "dev", false, "use the data dir's development master key (as fristad seed --dev made it)")
	fs.StringVar(&f.stream, "stream", "FRISTAD", "name of the event stream")
}

func (f *storeFlags) open(ctx context.Context, env *cliEnv) (*eventstore.Backend, error) {
	return eventstore.OpenBackend(ctx, eventstore.BackendConfig{
		DataDir: f.dataDir, NATSURL: f.natsURL, MasterKeyFile: f.masterKeyFile, Stream: f.stream, Logger: env.Log,
		DevKeys: f.dev, ExistingOnly: true,
	})
}

// openBenchBackend opens a benchmark's own store and embedded server in
// dir, logging nothing: a benchmark is measured, not watched.
func openBenchBackend(ctx context.Context, dir, sync string) (*eventstore.Backend, error) {
	return eventstore.OpenBackend(ctx, eventstore.BackendConfig{DataDir: dir, SyncPolicy: sync, Logger: slog.New(slog.DiscardHandler), DevKeys: true})
}

// newFlagSet makes a sub-command's flag set (cli.NewFlagSet).
func newFlagSet(env *cliEnv, name, synopsis string) *flag.FlagSet {
	return cli.NewFlagSet(env, "fristad-bench", name, synopsis)
}

// parse parses args (cli.Parse).
func parse(fs *flag.FlagSet, args []string) error { return cli.Parse(fs, args) }
