package eventstore

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
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
	// DevKeys allows a development master key generated into DataDir when
	// no key is given (fristad --dev). It is refused with NATSURL: a
	// cluster holds real records.
	DevKeys bool
	// ExistingOnly opens only a store that is already there: the commands
	// that read one (verify, report, export, replay, cull) fail with
	// ErrNoStore on a mistyped data dir instead of creating an empty
	// store, or a development key, and reporting on nothing.
	ExistingOnly bool
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

// ErrDevWithCluster is development keys asked for against a NATS cluster.
var ErrDevWithCluster = errors.New("development keys are for a local data dir only, never with a NATS url")

// ErrNoStore is a store asked for with ExistingOnly that is not there.
var ErrNoStore = errors.New("no event store here")

// streamExists reports ErrNoStore when the event stream does not exist
// (a cluster, or a data dir whose server never held one).
func streamExists(ctx context.Context, nc *nats.Conn, stream string) error {
	if stream == "" {
		stream = defaultStream
	}
	js, err := jetstream.New(nc)
	if err != nil {
		return fmt.Errorf("eventstore: %w", err)
	}
	if _, err := js.Stream(ctx, stream); errors.Is(err, jetstream.ErrStreamNotFound) {
		return ErrNoStore
	} else if err != nil {
		return fmt.Errorf("eventstore: stream %s: %w", stream, err)
	}
	return nil
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
	if cfg.DevKeys && cfg.NATSURL != "" {
		return nil, ErrDevWithCluster
	}
	if cfg.ExistingOnly && cfg.NATSURL == "" {
		// Checked before anything is started or written: the embedded
		// server would create the directory it is given.
		if fi, err := os.Stat(filepath.Join(cfg.DataDir, "jetstream")); err != nil || !fi.IsDir() {
			return nil, ErrNoStore
		}
	}
	key, source, err := LoadMasterKey(cfg.MasterKeyFile, cfg.DataDir, cfg.DevKeys)
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
	if cfg.ExistingOnly {
		if err := streamExists(ctx, b.Conn, cfg.Stream); err != nil {
			b.Close()
			return nil, err
		}
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
