package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/fristad/fristad/api"
	"github.com/fristad/fristad/projections"
)

func runServe(ctx context.Context, env *cliEnv, args []string) error {
	fs := newFlagSet(env, "serve", "serve [--addr 127.0.0.1:8080] [--metrics-addr 127.0.0.1:9090|off] [--data-dir DIR | --nats-url URLS --replicas N]")
	var sf storeFlags
	sf.register(fs)
	addr := fs.String("addr", "127.0.0.1:8080", "address the HTTP API listens on")
	metricsAddr := fs.String("metrics-addr", "127.0.0.1:9090", "address /metrics listens on, apart from the API (\"\" or \"off\": no metrics listener); never served on --addr")
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
	if m := strings.TrimSpace(*metricsAddr); m == strings.TrimSpace(*addr) {
		return usageError{"--metrics-addr must differ from --addr: the metrics are never served on the API's address"}
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
	links, cases := projections.NewPersonLinks(), projections.NewCases()
	runner, err := projections.NewRunner(backend.Store, projections.Options{Logger: env.log, SnapshotEvery: *snapEvery, SnapshotInterval: *snapInterval, IgnoreSnapshot: *rebuild}, links, cases)
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
	srv, err := api.New(api.Config{Store: backend.Store, Verifier: verifier, Runner: runner, Links: links, Cases: cases, Logger: env.log})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", *addr, err)
	}
	hs := &http.Server{Handler: srv.Handler(), ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second, WriteTimeout: 60 * time.Second, IdleTimeout: 2 * time.Minute}
	errc := make(chan error, 2)
	// The metrics have a listener of their own (loopback by default), so
	// who may reach the API does not reach them.
	var ms *http.Server
	if m := strings.TrimSpace(*metricsAddr); m != "" && m != "off" {
		if host, _, err := net.SplitHostPort(m); err == nil && !net.ParseIP(host).IsLoopback() {
			// Allowed (a Prometheus on another host), but said: the
			// metrics carry no personal data, yet they are for operators.
			env.log.Warn("metrics listen beyond this machine; restrict who reaches them", "addr", m)
		}
		mln, err := net.Listen("tcp", m)
		if err != nil {
			ln.Close()
			return fmt.Errorf("listen on %s (metrics): %w", m, err)
		}
		ms = &http.Server{Handler: srv.MetricsHandler(), ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 10 * time.Second, WriteTimeout: 30 * time.Second}
		env.log.Info("metrics serving", "addr", mln.Addr().String())
		go func() { errc <- ms.Serve(mln) }()
	}
	env.log.Info("fristad serving", "addr", ln.Addr().String(), "embedded", backend.Embedded(), "data_dir", sf.dataDir, "nats", backend.ClientURL())

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
	if ms != nil {
		_ = ms.Shutdown(sctx)
	}
	if err := hs.Shutdown(sctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("shutdown: %w", err)
	}
	env.log.Info("stopped")
	return nil
}
