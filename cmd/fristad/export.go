package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/user"

	"github.com/fristad/fristad/eventstore"
	"github.com/fristad/fristad/eventstore/accesslog"
)

func runExport(ctx context.Context, env *cliEnv, args []string) error {
	fs := newFlagSet(env, "export", "export [-o FILE] [--reason TEXT] [--data-dir DIR | --nats-url URLS]")
	var sf storeFlags
	sf.register(fs)
	out := fs.String("o", "", "output file (default stdout)")
	reason := fs.String("reason", "", "why the export is made (logged, sealed, in the access log)")
	if err := parse(fs, args); err != nil {
		return err
	}
	backend, err := sf.openExisting(ctx, env)
	if err != nil {
		return err
	}
	defer backend.Close()
	// An export carries (sealed) personal data: it is access-logged first,
	// and refused if the access log cannot be written.
	who := "fristad-export"
	if u, err := user.Current(); err == nil {
		who = "os:" + u.Username
	}
	if _, err := backend.Store.Access().Append(ctx, accesslog.Entry{User: who, Roles: []string{"operator"},
		Action: accesslog.Export, Detail: "export of the event log", Reason: *reason}); err != nil {
		return fmt.Errorf("access log not written, export refused: %w", err)
	}
	var w io.Writer = env.Stdout
	var f *os.File
	if *out != "" {
		if f, err = os.OpenFile(*out, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600); err != nil {
			return err
		}
		w = f
	}
	bar := newProgress(env, "exporting", "records")
	m, err := backend.Store.Export(ctx, &countingWriter{w: w, bar: bar})
	bar.done()
	if f != nil {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stderr, "exported %d events in %d messages (%d aggregates, %d keys, stream sequence 1..%d), %s\n",
		m.Events, m.Messages, len(m.Heads), m.Keys, m.LastSeq, m.Digest)
	return nil
}

func runImport(ctx context.Context, env *cliEnv, args []string) error {
	fs := newFlagSet(env, "import", "import [-i FILE] [--data-dir DIR | --nats-url URLS] (into an empty store, with the exporting store's master key)")
	var sf storeFlags
	sf.register(fs)
	in := fs.String("i", "", "input file (default stdin)")
	if err := parse(fs, args); err != nil {
		return err
	}
	var r io.Reader = os.Stdin
	var size uint64
	if *in != "" {
		f, err := os.Open(*in)
		if err != nil {
			return err
		}
		defer f.Close()
		if fi, err := f.Stat(); err == nil && fi.Size() > 0 {
			size = uint64(fi.Size()) // #nosec G115 -- a positive file size
		}
		r = bufio.NewReaderSize(f, 1<<20)
	}
	backend, err := sf.open(ctx, env)
	if err != nil {
		return err
	}
	defer backend.Close()
	bar := newProgress(env, "importing", "bytes")
	m, err := backend.Store.Import(ctx, &countingReader{r: r, total: size, bar: bar})
	bar.done()
	var refused *eventstore.ImportError
	if errors.As(err, &refused) {
		return err
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stderr, "imported and verified %d events in %d messages (%d aggregates, %d keys)\n", m.Events, m.Messages, len(m.Heads), m.Keys)
	return nil
}
