package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"strings"

	"github.com/fristad/fristad/domain"
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
		DataDir: f.dataDir, NATSURL: f.natsURL, MasterKeyFile: f.masterKeyFile, Stream: f.stream, Logger: env.log,
		DevKeys: f.dev, ExistingOnly: true,
	})
}

// openBenchBackend opens a benchmark's own store and embedded server in
// dir, logging nothing: a benchmark is measured, not watched.
func openBenchBackend(ctx context.Context, dir, sync string) (*eventstore.Backend, error) {
	return eventstore.OpenBackend(ctx, eventstore.BackendConfig{DataDir: dir, SyncPolicy: sync, Logger: slog.New(slog.DiscardHandler), DevKeys: true})
}

// newFlagSet makes a sub-command's flag set that reports errors instead of
// exiting, so that bad usage exits 2.
func newFlagSet(env *cliEnv, name, synopsis string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	fs.Usage = func() {
		fmt.Fprintf(env.stderr, "usage: fristad-bench %s\n\n", synopsis)
		fs.PrintDefaults()
	}
	return fs
}

// parse parses args; the flag package has already printed the usage when
// it returns an error, so a flag error becomes a short usage error.
func parse(fs *flag.FlagSet, args []string) error {
	err := fs.Parse(args)
	switch {
	case err == flag.ErrHelp:
		return err
	case err != nil:
		return usageError{err.Error()}
	case fs.NArg() > 0:
		return usageError{"unexpected arguments: " + strings.Join(fs.Args(), " ")}
	}
	return nil
}

func optionalDate(name, s string) (domain.Date, error) {
	if s == "" {
		return domain.Date{}, nil
	}
	d, err := domain.ParseDate(s)
	if err != nil {
		return domain.Date{}, usageError{"--" + name + ": want YYYY-MM-DD"}
	}
	return d, nil
}
