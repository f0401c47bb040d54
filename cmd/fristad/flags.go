package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"

	"github.com/fristad/fristad/cmd/internal/cli"
	"github.com/fristad/fristad/eventstore"
)

// storeFlags are the flags every sub-command shares (DESIGN.md, command-line
// conventions): where the event log is and how it is kept.
type storeFlags struct {
	dataDir       string
	natsURL       string
	replicas      int
	sync          string
	masterKeyFile string
	stream        string
	listen        string // serve only: let other processes reach the embedded server
	groupCommit   string
	dev           bool
	// existing: the command reads a store and must not create one
	// (set by the command before open).
	existing bool
}

func (f *storeFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.dataDir, "data-dir", "./data", "directory of the embedded JetStream store and development keys")
	fs.StringVar(&f.natsURL, "nats-url", "", "use an existing NATS cluster instead of the embedded server (comma-separated URLs)")
	fs.IntVar(&f.replicas, "replicas", 1, "replica count of the event stream (3 in a cluster)")
	fs.StringVar(&f.sync, "sync", eventstore.SyncAlways, `embedded server's sync policy: "always" (fsync before every acknowledgement) or an interval such as 2m`)
	fs.StringVar(&f.masterKeyFile, "master-key-file", "", "file with the base64 master key (else $FRISTAD_MASTER_KEY; one of the two is required without --dev)")
	fs.BoolVar(&f.dev, "dev", false, "development mode: use (and on first use generate) a master key and a token signing key in the data dir; refused with --nats-url")
	fs.StringVar(&f.stream, "stream", "FRISTAD", "name of the event stream")
	fs.StringVar(&f.groupCommit, "group-commit", "auto", `concurrent appends share atomic batches: "auto" (one-replica streams on servers that support it), "on" or "off"`)
}

// check refuses what cannot work before anything is started or written:
// development keys against a cluster, and no master key without --dev.
func (f *storeFlags) check() error {
	switch {
	case f.dev && f.natsURL != "":
		return usageError{Msg: "--dev is for a local data dir only; it is refused with --nats-url"}
	case !f.dev && f.masterKeyFile == "" && os.Getenv(eventstore.MasterKeyEnv) == "":
		return usageError{Msg: "no master key: set " + eventstore.MasterKeyEnv + " or --master-key-file (or --dev for development keys in the data dir)"}
	case f.natsURL == "" && f.dataDir == "":
		return usageError{Msg: "--data-dir must not be empty"}
	}
	return nil
}

func (f *storeFlags) open(ctx context.Context, env *cliEnv) (*eventstore.Backend, error) {
	gc, err := eventstore.ParseGroupCommit(f.groupCommit)
	if err != nil {
		return nil, usageError{Msg: err.Error()}
	}
	if err := f.check(); err != nil {
		return nil, err
	}
	b, err := eventstore.OpenBackend(ctx, eventstore.BackendConfig{
		DataDir: f.dataDir, NATSURL: f.natsURL, Replicas: f.replicas, SyncPolicy: f.sync,
		MasterKeyFile: f.masterKeyFile, Stream: f.stream, ListenAddr: f.listen, Logger: env.Log,
		DevKeys: f.dev, ExistingOnly: f.existing, GroupCommit: gc,
	})
	if errors.Is(err, eventstore.ErrNoStore) {
		where := "data dir " + f.dataDir
		if f.natsURL != "" {
			where = "stream " + f.stream + " at the NATS url"
		}
		return nil, fmt.Errorf("%s holds no event store (nothing was created; check --data-dir or --nats-url)", where)
	}
	return b, err
}

// openExisting opens a store that must already exist (a command that
// reads one).
func (f *storeFlags) openExisting(ctx context.Context, env *cliEnv) (*eventstore.Backend, error) {
	f.existing = true
	return f.open(ctx, env)
}

// newFlagSet makes a sub-command's flag set (cli.NewFlagSet).
func newFlagSet(env *cliEnv, name, synopsis string) *flag.FlagSet {
	return cli.NewFlagSet(env, "fristad", name, synopsis)
}

// parse parses args (cli.Parse).
func parse(fs *flag.FlagSet, args []string) error { return cli.Parse(fs, args) }
