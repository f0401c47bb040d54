package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/fristad/fristad/api"
	"github.com/fristad/fristad/api/auth"
	"github.com/fristad/fristad/projections"
)

func runServe(ctx context.Context, env *cliEnv, args []string) error {
	fs := newFlagSet(env, "serve", "serve --jwks FILE|URL [--addr 127.0.0.1:8080] [--metrics-addr 127.0.0.1:9090|off] [--data-dir DIR | --nats-url URLS --replicas N] | serve --dev [--data-dir DIR]")
	var sf storeFlags
	sf.register(fs)
	addr := fs.String("addr", "127.0.0.1:8080", "address the HTTP API listens on")
	metricsAddr := fs.String("metrics-addr", "127.0.0.1:9090", "address /metrics listens on, apart from the API (\"\" or \"off\": no metrics listener); never served on --addr")
	grace := fs.Duration("shutdown-grace", 15*time.Second, "how long in-flight requests may take to finish on shutdown")
	var af authFlags
	af.register(fs)
	var cf consoleFlags
	cf.register(fs)
	fs.StringVar(&sf.listen, "nats-listen", "", "also let other fristad processes reach the embedded server on this loopback address (e.g. 127.0.0.1:4222); off by default")
	snapEvery := fs.Int("snapshot-every", 50_000, "snapshot the projections after this many events")
	rebuild := fs.Bool("rebuild", false, "ignore the projections' snapshot and rebuild them from the start of the stream")
	snapInterval := fs.Duration("snapshot-interval", time.Minute, "snapshot the projections at least this often when events were applied since the last one (also when the server is idle)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if host, port, err := net.SplitHostPort(*addr); err != nil || !validPort(port) || strings.ContainsAny(host, " /") {
		return usageError{Msg: "--addr must be host:port, such as 127.0.0.1:8080"}
	}
	if m := strings.TrimSpace(*metricsAddr); m == strings.TrimSpace(*addr) {
		return usageError{Msg: "--metrics-addr must differ from --addr: the metrics are never served on the API's address"}
	}
	if sf.listen != "" {
		host, _, err := net.SplitHostPort(sf.listen)
		if err != nil || !net.ParseIP(host).IsLoopback() {
			// The embedded server has no authentication of its own: it may
			// only be reachable from this machine.
			return usageError{Msg: "--nats-listen must be a loopback address such as 127.0.0.1:4222"}
		}
	}
	if err := af.check(sf.dev); err != nil {
		return err
	}
	if err := sf.check(); err != nil {
		return err
	}
	backend, err := sf.open(ctx, env)
	if err != nil {
		return err
	}
	defer backend.Close()

	verifier, err := af.verifier(ctx, sf.dataDir, sf.dev)
	if err != nil {
		return err
	}
	if af.jwks == "" {
		env.Log.Warn("ACCEPTING DEVELOPMENT TOKENS (--dev): HS256 with the key in the data dir, minted by fristad token --dev; give --jwks in production",
			"key_file", "keys/jwt-hs256.key")
	}
	links, cases, providers := projections.NewPersonLinks(), projections.NewCases(), projections.NewProviders()
	runner, err := projections.NewRunner(backend.Store, projections.Options{Logger: env.Log, SnapshotEvery: *snapEvery, SnapshotInterval: *snapInterval, IgnoreSnapshot: *rebuild}, links, cases, providers)
	if err != nil {
		return err
	}
	// The runner outlives the signal: in-flight reads may still wait on it.
	// It is stopped after the HTTP server and waited for before the
	// deferred backend.Close: its final snapshot needs the store open.
	rctx, stopRunner := context.WithCancel(context.Background())
	runnerDone := make(chan struct{})
	go func() {
		defer close(runnerDone)
		if err := runner.Run(rctx); err != nil && rctx.Err() == nil {
			env.Log.Error("projections stopped", "err", err)
		}
	}()
	defer func() {
		stopRunner()
		<-runnerDone
	}()
	srv, err := api.New(api.Config{Store: backend.Store, Verifier: verifier, Runner: runner, Links: links, Cases: cases, Providers: providers, Logger: env.Log})
	if err != nil {
		return err
	}
	// Units that cases already name (a store from before the units
	// registry, or seeded) are registered once the projections know every
	// case, so those cases stay writable. Waited for before the store
	// closes.
	uctx, stopUnits := context.WithCancel(ctx)
	unitsDone := make(chan struct{})
	defer func() {
		stopUnits()
		<-unitsDone
	}()
	go func() {
		defer close(unitsDone)
		if err := runner.CatchUp(uctx, time.Hour); err != nil {
			return
		}
		found, err := srv.RegisterFoundUnits(uctx)
		if err != nil {
			env.Log.Warn("registering the units found in the stream failed", "err", err)
			return
		}
		if found.Registered > 0 || found.Invalid > 0 {
			env.Log.Info("units found in the stream", "registered", found.Registered, "not_valid_unit_ids", found.Invalid)
		}
	}()
	var devKey []byte
	if sf.dev && af.jwks == "" {
		if devKey, err = auth.DevKey(sf.dataDir); err != nil {
			return err
		}
	}
	handler, err := cf.handler(ctx, env.Log, srv.Handler(), verifier, af, sf.dev, devKey)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", *addr, err)
	}
	hs := &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second, WriteTimeout: 60 * time.Second, IdleTimeout: 2 * time.Minute}
	errc := make(chan error, 2)
	// The metrics have a listener of their own (loopback by default), so
	// who may reach the API does not reach them.
	var ms *http.Server
	if m := strings.TrimSpace(*metricsAddr); m != "" && m != "off" {
		if host, _, err := net.SplitHostPort(m); err == nil && !net.ParseIP(host).IsLoopback() {
			// Allowed (a Prometheus on another host), but said: the
			// metrics carry no personal data, yet they are for operators.
			env.Log.Warn("metrics listen beyond this machine; restrict who reaches them", "addr", m)
		}
		mln, err := net.Listen("tcp", m)
		if err != nil {
			ln.Close()
			return fmt.Errorf("listen on %s (metrics): %w", m, err)
		}
		ms = &http.Server{Handler: srv.MetricsHandler(), ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 10 * time.Second, WriteTimeout: 30 * time.Second}
		env.Log.Info("metrics serving", "addr", mln.Addr().String())
		go func() { errc <- ms.Serve(mln) }()
	}
	env.Log.Info("fristad serving", "addr", ln.Addr().String(), "embedded", backend.Embedded(), "data_dir", sf.dataDir, "nats", backend.ClientURL())

	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("http server: %w", err)
	case <-ctx.Done():
	}
	// In-flight requests finish; then the deferred calls stop the
	// projections (which save their final snapshot), and only then drain
	// NATS and stop the embedded server, which flushes its store.
	env.Log.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), *grace)
	defer cancel()
	if ms != nil {
		_ = ms.Shutdown(sctx)
	}
	if err := hs.Shutdown(sctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("shutdown: %w", err)
	}
	stopRunner()
	<-runnerDone
	env.Log.Info("stopped")
	return nil
}

// validPort is a port number 0 to 65535 (0: any free port).
func validPort(p string) bool {
	n, err := strconv.Atoi(p)
	return err == nil && n >= 0 && n <= 65535
}
