package eventstore

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
)

// SyncAlways is the embedded server's default sync policy: every write is
// fsynced before JetStream acknowledges it, so an acknowledged entry in the
// system of record survives a power loss. It costs throughput (docs/adr/
// 0002-durability-default.md); SyncPolicy may instead name an interval, which risks losing the
// writes of that interval on power loss (not on a process crash).
const SyncAlways = "always"

// EmbeddedConfig configures the in-process nats-server that fristad runs
// when no --nats-url is given.
type EmbeddedConfig struct {
	// DataDir holds JetStream's file store (under DataDir/jetstream).
	DataDir string
	// SyncPolicy is "always" (default) or a Go duration such as "2m".
	SyncPolicy string
	// ListenAddr, when set ("127.0.0.1:4222"), also lets other processes
	// connect. Empty means in-process only: nothing listens on a port, so the
	// raw event log is not reachable from the network.
	ListenAddr string
}

// Embedded is a running in-process nats-server with JetStream.
type Embedded struct {
	srv  *server.Server
	lock *os.File // held while the server runs (lockDataDir)
}

// StartEmbedded starts nats-server with JetStream file storage in
// cfg.DataDir and waits until it accepts connections.
func StartEmbedded(cfg EmbeddedConfig) (*Embedded, error) {
	if cfg.DataDir == "" {
		return nil, errors.New("embedded nats: data dir is required")
	}
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return nil, fmt.Errorf("embedded nats: data dir: %w", err)
	}
	lock, err := lockDataDir(cfg.DataDir)
	if err != nil {
		return nil, err
	}
	e, err := startLocked(cfg)
	if err != nil {
		lock.Close()
		return nil, err
	}
	e.lock = lock
	return e, nil
}

// startLocked starts the server once the data dir is locked.
func startLocked(cfg EmbeddedConfig) (*Embedded, error) {
	opts := &server.Options{
		ServerName: "fristad-embedded",
		JetStream:  true,
		StoreDir:   filepath.Join(cfg.DataDir, "jetstream"),
		NoSigs:     true,
		NoLog:      true,
		DontListen: true,
	}
	switch policy := cfg.SyncPolicy; policy {
	case "", SyncAlways:
		opts.SyncAlways = true
	default:
		d, err := time.ParseDuration(policy)
		if err != nil || d <= 0 {
			return nil, fmt.Errorf("embedded nats: sync policy %q: want %q or a positive duration such as 2m", policy, SyncAlways)
		}
		opts.SyncInterval = d
	}
	if cfg.ListenAddr != "" {
		host, port, err := splitHostPort(cfg.ListenAddr)
		if err != nil {
			return nil, fmt.Errorf("embedded nats: listen address: %w", err)
		}
		opts.DontListen = false
		opts.Host, opts.Port = host, port
	}
	srv, err := server.NewServer(opts)
	if err != nil {
		return nil, fmt.Errorf("embedded nats: %w", err)
	}
	srv.Start()
	if !srv.ReadyForConnections(30 * time.Second) {
		srv.Shutdown()
		return nil, errors.New("embedded nats: not ready within 30s")
	}
	return &Embedded{srv: srv}, nil
}

// Connect opens a client connection to the embedded server, in process.
func (e *Embedded) Connect() (*nats.Conn, error) {
	nc, err := nats.Connect("", nats.InProcessServer(e.srv), nats.Name("fristad"), nats.MaxReconnects(-1))
	if err != nil {
		return nil, fmt.Errorf("embedded nats: connect: %w", err)
	}
	return nc, nil
}

// ClientURL is the URL other processes use when ListenAddr was set, and
// "" otherwise (the server's own default URL would name a port nothing
// listens on).
func (e *Embedded) ClientURL() string {
	if e.srv.Addr() == nil {
		return ""
	}
	return e.srv.ClientURL()
}

// Shutdown stops the server; JetStream flushes its store before it
// returns, and only then is the data dir's lock released.
func (e *Embedded) Shutdown() {
	e.srv.Shutdown()
	e.srv.WaitForShutdown()
	if e.lock != nil {
		e.lock.Close()
	}
}

// ConnectURLs connects to an existing NATS deployment; urls is a
// comma-separated list of servers of one cluster.
func ConnectURLs(urls string, opts ...nats.Option) (*nats.Conn, error) {
	if urls == "" {
		return nil, errors.New("nats: no url given")
	}
	opts = append([]nats.Option{nats.Name("fristad"), nats.MaxReconnects(-1), nats.RetryOnFailedConnect(false)}, opts...)
	nc, err := nats.Connect(urls, opts...)
	if err != nil {
		return nil, fmt.Errorf("nats: connect: %w", err)
	}
	return nc, nil
}
