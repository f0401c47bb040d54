package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/fristad/fristad/api"
	"github.com/fristad/fristad/projections"
)

func runServe(ctx context.Context, env *cliEnv, args []string) error {
	fs := newFlagSet(env, "serve", "serve [--addr 127.0.0.1:8080] [--data-dir DIR | --nats-url URLS --replicas N]")
	var sf storeFlags
	sf.register(fs)
	addr := fs.String("addr", "127.0.0.1:8080", "address the HTTP API listens on")
	grace := fs.Duration("shutdown-grace", 15*time.Second, "how long in-flight requests may take to finish on shutdown")
	var af authFlags
	af.register(fs)
	fs.StringVar(&sf.listen, "nats-listen", "", "also let other fristad processes reach the embedded server on this loopback address (e.g. 127.0.0.1:4222); off by default")
	snapEvery := fs.Int("snapshot-every", 50_000, "snapshot the projections after this many events")
	rebuild := fs.Bool("rebuild", false, "ignore the projections' snapshot and rebuild them from the start of the stream")
	snapInterval := fs.Duration("snapshot-interval", time.Minute, "snapshot the projections at least this often while events arrive")
	if err := parse(fs, args); err != nil {
		return err
	}
	if sf.listen != "" {
		host, _, err := net.SplitHostPort(sf.listen)
		if err != nil || !net.ParseIP(host).IsLoopback() {
			// The embedded server has no authentication of its own: it may
			// only be reachable from this machine.
			return usageError{"--nats-listen must be a loopback address such as 127.0.0.1:4222"}
		}
	}
	backend, err := sf.open(ctx, env)
	if err != nil {
		return err
	}
	defer backend.Close()

	verifier, err := af.verifier(ctx, sf.dataDir)
	if err != nil {
		return err
	}
	links, cases, providers := projections.NewPersonLinks(), projections.NewCases(), projections.NewProviders()
	runner, err := projections.NewRunner(backend.Store, projections.Options{Logger: env.log, SnapshotEvery: *snapEvery, SnapshotInterval: *snapInterval, IgnoreSnapshot: *rebuild}, links, cases, providers)
	if err != nil {
		return err
	}
	// The runner outlives the signal: in-flight reads may still wait on it.
	rctx, stopRunner := context.WithCancel(context.Background())
	defer stopRunner()
	go func() {
		if err := runner.Run(rctx); err != nil && rctx.Err() == nil {
			env.log.Error("projections stopped", "err", err)
		}
	}()
	srv, err := api.New(api.Config{Store: backend.Store, Verifier: verifier, Runner: runner, Links: links, Cases: cases, Providers: providers, Logger: env.log})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", *addr, err)
	}
	hs := &http.Server{Handler: srv.Handler(), ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second, WriteTimeout: 60 * time.Second, IdleTimeout: 2 * time.Minute}
	env.log.Info("fristad serving", "addr", ln.Addr().String(), "embedded", backend.Embedded(), "data_dir", sf.dataDir, "nats", backend.ClientURL())

	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("http server: %w", err)
	case <-ctx.Done():
	}
	// In-flight requests finish; then the deferred Close drains NATS and
	// stops the embedded server, which flushes its store.
	env.log.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), *grace)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("shutdown: %w", err)
	}
	env.log.Info("stopped")
	return nil
}
