package main

import (
	"context"
	"flag"
	"fmt"
	"strings"

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
}

func (f *storeFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.dataDir, "data-dir", "./data", "directory of the embedded JetStream store and development keys")
	fs.StringVar(&f.natsURL, "nats-url", "", "use an existing NATS cluster instead of the embedded server (comma-separated URLs)")
	fs.IntVar(&f.replicas, "replicas", 1, "replica count of the event stream (3 in a cluster)")
	fs.StringVar(&f.sync, "sync", eventstore.SyncAlways, `embedded server's sync policy: "always" (fsync before every acknowledgement) or an interval such as 2m`)
	fs.StringVar(&f.masterKeyFile, "master-key-file", "", "file with the base64 master key (else $FRISTAD_MASTER_KEY, else a development key in the data dir)")
	fs.StringVar(&f.stream, "stream", "FRISTAD", "name of the event stream")
	fs.StringVar(&f.groupCommit, "group-commit", "auto", `concurrent appends share atomic batches: "auto" (one-replica streams on servers that support it), "on" or "off"`)
}

func (f *storeFlags) open(ctx context.Context, env *cliEnv) (*eventstore.Backend, error) {
	gc, err := eventstore.ParseGroupCommit(f.groupCommit)
	if err != nil {
		return nil, usageError{err.Error()}
	}
	return eventstore.OpenBackend(ctx, eventstore.BackendConfig{
		DataDir: f.dataDir, NATSURL: f.natsURL, Replicas: f.replicas, SyncPolicy: f.sync,
		MasterKeyFile: f.masterKeyFile, Stream: f.stream, ListenAddr: f.listen, Logger: env.log,
		GroupCommit: gc,
	})
}

// newFlagSet makes a sub-command's flag set that reports errors instead of
// exiting, so the exit code convention (2 for bad usage) holds.
func newFlagSet(env *cliEnv, name, synopsis string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	fs.Usage = func() {
		fmt.Fprintf(env.stderr, "usage: fristad %s\n\n", synopsis)
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
