package eventstore

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/nats-io/nats.go"
)

// BackendConfig says where the event log lives: the embedded server in a
// data directory (the default), or an existing NATS cluster.
type BackendConfig struct {
	// DataDir holds the embedded server's store and the development keys.
	DataDir string
	// NATSURL, when set, connects to an existing NATS deployment instead
	// of starting the embedded server (comma-separated URLs).
	NATSURL string
	// Replicas is the stream's replica count (default 1).
	Replicas int
	// SyncPolicy is the embedded server's sync policy ("always" or a
	// duration); ignored with NATSURL, where the cluster's setting rules.
	SyncPolicy string
	// MasterKeyFile names the operator's master key; see LoadMasterKey.
	MasterKeyFile string
	// Stream overrides the stream name (default "FRISTAD").
	Stream string
	// ListenAddr lets other processes (fristad seed, replay, verify)
	// connect to the embedded server, e.g. 127.0.0.1:4222; empty: none.
	ListenAddr string
	// GroupCommit says whether concurrent appends share atomic batches.
	GroupCommit GroupCommit
	// Logger receives the development-key warning.
	Logger *slog.Logger
}

// Backend is an open event store and what it runs on.
type Backend struct {
	Store     *Store
	Conn      *nats.Conn
	KeySource MasterKeySource
	embedded  *Embedded
}

// OpenBackend starts or connects to NATS and opens the store on it.
func OpenBackend(ctx context.Context, cfg BackendConfig) (*Backend, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.NATSURL == "" && cfg.DataDir == "" {
		return nil, errors.New("either a data dir or a NATS url is required")
	}
	key, source, err := LoadMasterKey(cfg.MasterKeyFile, cfg.DataDir)
	if err != nil {
		return nil, err
	}
	if source == FromDevFile {
		cfg.Logger.Warn("USING A DEVELOPMENT MASTER KEY stored next to the data: personal data is only as safe as this directory; set FRISTAD_MASTER_KEY or --master-key-file in production",
			"key_file", "keys/master.key")
	}
	b := &Backend{KeySource: source}
	if cfg.NATSURL != "" {
		b.Conn, err = ConnectURLs(cfg.NATSURL)
	} else {
		b.embedded, err = StartEmbedded(EmbeddedConfig{DataDir: cfg.DataDir, SyncPolicy: cfg.SyncPolicy, ListenAddr: cfg.ListenAddr})
		if err == nil {
			b.Conn, err = b.embedded.Connect()
		}
	}
	if err != nil {
		b.Close()
		return nil, err
	}
	b.Store, err = Open(ctx, Config{Conn: b.Conn, Stream: cfg.Stream, Replicas: cfg.Replicas, MasterKey: key, GroupCommit: cfg.GroupCommit})
	if err != nil {
		b.Close()
		return nil, err
	}
	return b, nil
}

// ClientURL is where other processes reach the embedded server ("" when
// it does not listen).
func (b *Backend) ClientURL() string {
	if b.embedded == nil {
		return ""
	}
	return b.embedded.ClientURL()
}

// Embedded reports whether the backend runs its own server.
func (b *Backend) Embedded() bool { return b.embedded != nil }

// Close closes the store, drains the connection (pending acks arrive) and
// stops the embedded server, which flushes its store.
func (b *Backend) Close() {
	if b.Store != nil {
		b.Store.Close()
	}
	if b.Conn != nil {
		_ = b.Conn.Flush()
		b.Conn.Close()
	}
	if b.embedded != nil {
		b.embedded.Shutdown()
	}
}

// Ping checks the store answers (readiness).
func (b *Backend) Ping(ctx context.Context) error {
	if _, err := b.Store.LastSeq(ctx); err != nil {
		return fmt.Errorf("event store: %w", err)
	}
	return nil
}
