package eventstore

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/fristad/fristad/domain"
	"github.com/fristad/fristad/eventstore/accesslog"
	"github.com/fristad/fristad/eventstore/internal/appendonly"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// Config configures a Store. Zero values take the documented defaults.
type Config struct {
	// Conn is a connection to the embedded server or to a NATS cluster.
	Conn *nats.Conn
	// Stream is the JetStream stream that holds every event (default
	// "FRISTAD"); its KV buckets are named after it.
	Stream string
	// SubjectPrefix is the subject prefix of events (default
	// "fristad.events"); an aggregate's subject is prefix.kind.id.
	SubjectPrefix string
	// Replicas is the stream's replica count (1 embedded; 3 in a cluster).
	Replicas int
	// Registry knows the event types (default domain.Events()).
	Registry *domain.Registry
	// MasterKey wraps every data key (32 bytes, required).
	MasterKey []byte
	// DuplicateWindow is how long JetStream remembers command ids to drop
	// a retried append (default 2m).
	DuplicateWindow time.Duration
	// IdempotencyTTL is how long the result of a command that created an
	// aggregate is kept for retries after the duplicate window (default 7 days).
	IdempotencyTTL time.Duration
	// CacheSize bounds the aggregates whose history is cached (default
	// 32768). A miss costs the server a scan: it finds an aggregate's
	// messages by walking the stream between them.
	CacheSize int
	// CacheEvents bounds the events those histories hold together (default
	// 1,000,000), so that very long histories cannot grow the cache
	// without bound.
	CacheEvents int
	// KeysBucket names the keyring's KV bucket (default Stream+"_keys").
	// Two streams share one keyring during a migration (import).
	KeysBucket string
	// Timeout bounds each request to JetStream when ctx has no deadline
	// (default 10s).
	Timeout time.Duration
	// AccessClock stamps access-log entries (default time.Now); see
	// accesslog.Config.Now.
	AccessClock func() time.Time
	// GroupCommit says whether concurrent appends share atomic batches
	// (default GroupCommitAuto; see groupcommit.go). Whether the server
	// supports them is detected, never configured.
	GroupCommit GroupCommit
	// GroupCommitWait bounds how long a batch waits for writers expected
	// back (default 1ms; a lone writer never waits).
	GroupCommitWait time.Duration
}

// defaultStream is the event stream's name unless Config.Stream says otherwise.
const defaultStream = "FRISTAD"

var nameRE = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)
var prefixRE = regexp.MustCompile(`^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$`)

func (c *Config) withDefaults() error {
	if c.Conn == nil {
		return errors.New("eventstore: config needs a NATS connection")
	}
	if c.Stream == "" {
		c.Stream = defaultStream
	}
	if !nameRE.MatchString(c.Stream) {
		return fmt.Errorf("eventstore: stream name %q: letters, digits, - and _ only", c.Stream)
	}
	if c.SubjectPrefix == "" {
		c.SubjectPrefix = "fristad.events"
	}
	if !prefixRE.MatchString(c.SubjectPrefix) {
		return fmt.Errorf("eventstore: subject prefix %q is not a literal subject", c.SubjectPrefix)
	}
	if c.Replicas == 0 {
		c.Replicas = 1
	}
	if c.Replicas < 1 || c.Replicas > 5 {
		return fmt.Errorf("eventstore: replicas %d: want 1 to 5", c.Replicas)
	}
	if c.Registry == nil {
		c.Registry = domain.Events()
	}
	if len(c.MasterKey) != 32 {
		return errors.New("eventstore: master key must be 32 bytes")
	}
	if c.DuplicateWindow == 0 {
		c.DuplicateWindow = 2 * time.Minute
	}
	if c.IdempotencyTTL == 0 {
		c.IdempotencyTTL = 7 * 24 * time.Hour
	}
	if c.CacheSize == 0 {
		c.CacheSize = 32768
	}
	if c.CacheEvents == 0 {
		c.CacheEvents = 1_000_000
	}
	if c.CacheSize < 0 || c.CacheEvents < 0 {
		return errors.New("eventstore: CacheSize and CacheEvents must not be negative")
	}
	if c.KeysBucket == "" {
		c.KeysBucket = c.Stream + "_keys"
	}
	if !nameRE.MatchString(c.KeysBucket) {
		return fmt.Errorf("eventstore: keys bucket %q: letters, digits, - and _ only", c.KeysBucket)
	}
	if c.Timeout == 0 {
		c.Timeout = 10 * time.Second
	}
	if c.GroupCommit < GroupCommitAuto || c.GroupCommit > GroupCommitOn {
		return fmt.Errorf("eventstore: group commit mode %d", c.GroupCommit)
	}
	if c.GroupCommitWait == 0 {
		c.GroupCommitWait = defaultFillWait
	}
	if c.GroupCommitWait < 0 || c.GroupCommitWait > 100*time.Millisecond {
		return errors.New("eventstore: GroupCommitWait must be between 0 and 100ms")
	}
	return nil
}

// Store is fristad's event store on JetStream: the only code that talks to
// it. It is safe for concurrent use.
type Store struct {
	cfg      Config
	nc       *nats.Conn
	js       jetstream.JetStream
	stream   jetstream.Stream
	registry *domain.Registry
	keys     *Keyring
	index    *BlindIndex
	commands jetstream.KeyValue
	snaps    *Snapshots
	chain    chain
	cache    *historyCache
	direct   *directGetter
	cancel   context.CancelFunc
	access   *accesslog.Log // the access log, on its own stream
	// committer batches concurrent appends (nil: each publishes alone).
	committer *committer
	// appended is the highest stream sequence this instance has written:
	// where its readers must wait for projections to read their writes.
	appended atomic.Uint64
}

// Open connects the store: it creates or updates the stream and the KV
// buckets, loads the store's own keys and starts the key watcher.
func Open(ctx context.Context, cfg Config) (*Store, error) {
	if err := cfg.withDefaults(); err != nil {
		return nil, err
	}
	js, err := jetstream.New(cfg.Conn)
	if err != nil {
		return nil, fmt.Errorf("eventstore: %w", err)
	}
	streamCfg := appendonly.Stream(cfg.Stream, "fristad event log (append-only)", cfg.SubjectPrefix+".>", cfg.Replicas, cfg.DuplicateWindow, 4<<20)
	// Atomic batches (ADR-50) where the server has them: what the group
	// committer stores concurrent commands with.
	streamCfg.AllowAtomicPublish = supportsAtomicBatch(cfg.Conn.ConnectedServerVersion())
	stream, err := js.CreateOrUpdateStream(ctx, streamCfg)
	if err != nil && streamCfg.AllowAtomicPublish {
		// A server that claims the feature but refuses it on this stream
		// keeps today's path.
		streamCfg.AllowAtomicPublish = false
		stream, err = js.CreateOrUpdateStream(ctx, streamCfg)
	}
	if err != nil {
		return nil, fmt.Errorf("eventstore: stream %s: %w", cfg.Stream, err)
	}
	keys, err := newKeyring(ctx, js, cfg.KeysBucket, cfg.Replicas, cfg.MasterKey)
	if err != nil {
		return nil, err
	}
	chainKey, err := keys.rawKey(ctx, chainKeyID)
	if err != nil {
		return nil, err
	}
	index, err := newBlindIndex(ctx, js, cfg.Stream+"_pnr", cfg.Replicas, keys)
	if err != nil {
		return nil, err
	}
	commands, err := js.CreateOrUpdateKeyValue(ctx, jetstream.KeyValueConfig{
		Bucket:      cfg.Stream + "_commands",
		Description: "results of commands that created an aggregate, for idempotent retries",
		TTL:         cfg.IdempotencyTTL,
		Storage:     jetstream.FileStorage,
		Replicas:    cfg.Replicas,
	})
	if err != nil {
		return nil, fmt.Errorf("eventstore: commands bucket: %w", err)
	}
	snaps, err := newSnapshots(ctx, js, cfg.Stream+"_snapshots", cfg.Replicas)
	if err != nil {
		return nil, err
	}
	access, err := accesslog.Open(ctx, accesslog.Config{
		Conn: cfg.Conn, Stream: cfg.Stream, SubjectPrefix: cfg.SubjectPrefix, Replicas: cfg.Replicas,
		DuplicateWindow: cfg.DuplicateWindow, Timeout: cfg.Timeout, Sealer: accessReasons{keys}, Now: cfg.AccessClock, ClockSkew: ClockSkew,
	})
	if err != nil {
		return nil, err
	}
	direct, err := newDirectGetter(cfg.Conn, "$JS.API.DIRECT.GET."+cfg.Stream)
	if err != nil {
		access.Close()
		return nil, err
	}
	wctx, cancel := context.WithCancel(context.Background())
	if err := keys.watch(wctx); err != nil {
		cancel()
		direct.close()
		access.Close()
		return nil, err
	}
	s := &Store{
		cfg: cfg, nc: cfg.Conn, js: js, stream: stream, registry: cfg.Registry,
		keys: keys, index: index, commands: commands, snaps: snaps, chain: chain{key: chainKey},
		cache: newHistoryCache(cfg.CacheSize, cfg.CacheEvents), direct: direct, cancel: cancel,
		access: access,
	}
	// The stream's own config says whether the server took allow_atomic
	// (an older one drops the field it does not know).
	atomicOK := stream.CachedInfo().Config.AllowAtomicPublish
	if atomicOK && (cfg.GroupCommit == GroupCommitOn || (cfg.GroupCommit == GroupCommitAuto && cfg.Replicas == 1)) {
		subjectAt := func(ctx context.Context, seq uint64) (string, error) {
			m, err := stream.GetMsg(ctx, seq)
			if err != nil {
				return "", err
			}
			return m.Subject, nil
		}
		c, err := newCommitter(cfg.Conn, js, subjectAt, cfg.GroupCommitWait, cfg.Timeout, cfg.DuplicateWindow)
		if err != nil {
			s.Close()
			return nil, err
		}
		s.committer = c
	}
	return s, nil
}

// GroupCommitting reports whether appends go through the group committer.
func (s *Store) GroupCommitting() bool {
	return s.committer != nil && s.committer.enabled.Load()
}

// supportsAtomicBatch reports a server version whose atomic batches the
// group committer can use: atomic batch publish came with nats-server
// 2.12, the end-of-batch commit it commits with in 2.14.
func supportsAtomicBatch(version string) bool {
	major, rest, _ := strings.Cut(strings.TrimPrefix(version, "v"), ".")
	minor, _, _ := strings.Cut(rest, ".")
	ma, err1 := strconv.Atoi(major)
	mi, err2 := strconv.Atoi(minor)
	if err1 != nil || err2 != nil {
		return false
	}
	return ma > 2 || (ma == 2 && mi >= 14)
}

// Close stops the store's background work. It does not close the NATS
// connection, which the caller owns.
func (s *Store) Close() {
	if s.committer != nil {
		s.committer.close()
	}
	s.cancel()
	s.direct.close()
	s.access.Close()
}

// LastAppended is the highest stream sequence this instance appended.
func (s *Store) LastAppended() uint64 { return s.appended.Load() }

func (s *Store) noteAppended(seq uint64) {
	for {
		cur := s.appended.Load()
		if seq <= cur || s.appended.CompareAndSwap(cur, seq) {
			return
		}
	}
}

// Registry is the event registry the store decodes with.
func (s *Store) Registry() *domain.Registry { return s.registry }

// Keys is the keyring (for culling and tests).
func (s *Store) Keys() *Keyring { return s.keys }

// Snapshots keeps projection snapshots.
func (s *Store) Snapshots() *Snapshots { return s.snaps }

// Access is the access log (logguppföljning), on its own stream.
func (s *Store) Access() *accesslog.Log { return s.access }

// Index is the blind index of personal identity numbers.
func (s *Store) Index() *BlindIndex { return s.index }

// LastSeq is the stream's last sequence: where projections must reach to be
// current.
func (s *Store) LastSeq(ctx context.Context) (uint64, error) {
	ctx, cancel := s.withTimeout(ctx)
	defer cancel()
	info, err := s.stream.Info(ctx)
	if err != nil {
		return 0, fmt.Errorf("eventstore: stream info: %w", err)
	}
	return info.State.LastSeq, nil
}

func (s *Store) withTimeout(ctx context.Context) (context.Context, context.CancelFunc) {
	if _, ok := ctx.Deadline(); ok {
		return ctx, func() {}
	}
	return context.WithTimeout(ctx, s.cfg.Timeout)
}
