package accesslog

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/fristad/fristad/domain"
	"github.com/fristad/fristad/eventstore/internal/appendonly"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/oklog/ulid/v2"
)

// Sealer seals and unseals an entry's reason, bound to the entry's id.
// The event store's keyring is the one implementation (its sealvalue.go):
// the key choice (the person's key, else the month's) is a rule about keys.
type Sealer interface {
	// SealReason seals reason for entry id, read at at, about person
	// (may be empty).
	SealReason(ctx context.Context, id, person domain.ID, at time.Time, reason string) (json.RawMessage, error)
	// UnsealReason opens what SealReason sealed for entry id. A destroyed
	// key gives the store's *ShreddedError.
	UnsealReason(ctx context.Context, id domain.ID, sealed json.RawMessage) (string, error)
}

// Config says where the log lives. Stream and SubjectPrefix are the event
// stream's: the log's own names are derived from them (see the package doc).
type Config struct {
	Conn            *nats.Conn
	Stream          string
	SubjectPrefix   string
	Replicas        int
	DuplicateWindow time.Duration
	// Timeout bounds each request to JetStream when ctx has no deadline.
	Timeout time.Duration
	Sealer  Sealer
	// Now stamps entries (default time.Now). Queries are positioned by the
	// server's message timestamps, so it must keep within ClockSkew of the
	// server's clock; tests step it to order entries without sleeping.
	Now func() time.Time
	// ClockSkew is how far Now and the server's clock may disagree: a query
	// by time starts this much early and stops this much late (required).
	ClockSkew time.Duration
}

// Log is the access log's stream and its committer.
type Log struct {
	stream   jetstream.Stream
	name     string
	prefix   string
	sealer   Sealer
	timeout  time.Duration
	now      func() time.Time
	skew     time.Duration
	maxBytes int // the stream's MaxMsgSize (headers included)

	// The committer (group commit, commit.go).
	pub    jetstream.JetStream // for PublishMsgAsync, with an ack timeout
	reqs   chan *request
	closed chan struct{} // closed by Close
	exited chan struct{} // closed when the committer has returned
	stop   context.CancelFunc
	once   sync.Once
}

// maxMsgSize is the stream's MaxMsgSize.
const maxMsgSize = 64 << 10

// subjectPrefix derives the log's subject prefix from the events'.
func subjectPrefix(events string) string {
	if base, ok := strings.CutSuffix(events, ".events"); ok {
		return base + ".access"
	}
	return events + "_access"
}

// Open creates or updates the log's stream and starts its committer; Close
// stops it.
func Open(ctx context.Context, cfg Config) (*Log, error) {
	if cfg.Conn == nil || cfg.Sealer == nil || cfg.Stream == "" || cfg.SubjectPrefix == "" || cfg.Timeout <= 0 || cfg.ClockSkew <= 0 {
		return nil, errors.New("access log: config needs a connection, a sealer, the event stream's names, a timeout and a clock skew")
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	js, err := jetstream.New(cfg.Conn)
	if err != nil {
		return nil, fmt.Errorf("access log: %w", err)
	}
	name := cfg.Stream + "_ACCESS"
	prefix := subjectPrefix(cfg.SubjectPrefix)
	stream, err := js.CreateOrUpdateStream(ctx, appendonly.Stream(name, "fristad access log: who read which personal data (append-only)",
		prefix+".>", cfg.Replicas, cfg.DuplicateWindow, maxMsgSize))
	if err != nil {
		return nil, fmt.Errorf("access log stream %s: %w", name, err)
	}
	// Its own JetStream context: async publishes whose ack never comes are
	// dropped after the timeout instead of piling up.
	pub, err := jetstream.New(cfg.Conn, jetstream.WithPublishAsyncTimeout(cfg.Timeout))
	if err != nil {
		return nil, fmt.Errorf("access log: %w", err)
	}
	cctx, stop := context.WithCancel(context.Background())
	l := &Log{stream: stream, name: name, prefix: prefix, sealer: cfg.Sealer, timeout: cfg.Timeout, now: cfg.Now, skew: cfg.ClockSkew, maxBytes: maxMsgSize,
		pub: pub, reqs: make(chan *request, 4*maxGroupEntries), closed: make(chan struct{}), exited: make(chan struct{}), stop: stop}
	go l.committer(cctx)
	return l, nil
}

// Close stops the committer: waiting Appends get an error, a round in
// flight is abandoned (its Appends get an error, though its messages may
// still be stored). It returns once the committer has returned. It does
// not close the connection, which the caller owns.
func (l *Log) Close() {
	l.once.Do(func() {
		close(l.closed)
		l.stop()
		<-l.exited
		l.pub.CleanupPublisher()
	})
}

// StreamName is the log's stream (for operators and tests).
func (l *Log) StreamName() string { return l.name }

var plainUnitRE = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)

// unitToken is a unit id as one subject token (see the package doc).
func unitToken(unit string) string {
	if plainUnitRE.MatchString(unit) {
		return unit
	}
	return "~" + hex.EncodeToString([]byte(unit))
}

// Subject is the subject an entry of unit is stored under.
func (l *Log) Subject(unit string) string { return l.prefix + "." + unitToken(unit) }

func (l *Log) withTimeout(ctx context.Context) (context.Context, context.CancelFunc) {
	if _, ok := ctx.Deadline(); ok {
		return ctx, func() {}
	}
	return context.WithTimeout(ctx, l.timeout)
}

// Append stores one entry and returns the stream sequence of the message
// that holds it once JetStream acknowledged that message (entries of
// concurrent Appends share a message: group commit). It stamps ID and At
// and seals Reason. The entry passed in is not changed. An error means the
// entry may not be stored: the read it records must fail closed.
func (l *Log) Append(ctx context.Context, e Entry) (uint64, error) {
	if err := e.check(); err != nil {
		return 0, err
	}
	ctx, cancel := l.withTimeout(ctx)
	defer cancel()
	e.ID = domain.ID(ulid.Make().String())
	e.At = l.now().UTC().Truncate(time.Microsecond)
	e.SealedReason = nil
	if e.Reason != "" {
		sealed, err := l.sealer.SealReason(ctx, e.ID, e.PersonID, e.At, e.Reason)
		if err != nil {
			return 0, err
		}
		e.SealedReason = sealed
	}
	data, err := json.Marshal(e)
	if err != nil {
		return 0, fmt.Errorf("access entry: %w", err)
	}
	if len(data)+2 > l.maxData() {
		return 0, &InvalidError{Reason: "entry too large"}
	}
	r := &request{ctx: ctx, id: e.ID, subject: l.Subject(e.Unit), data: data, done: make(chan result, 1)}
	select {
	case l.reqs <- r:
	case <-ctx.Done():
		return 0, fmt.Errorf("access log: %w", ctx.Err())
	case <-l.closed:
		return 0, errClosed
	}
	select {
	case res := <-r.done:
		return res.seq, res.err
	case <-ctx.Done():
		return 0, fmt.Errorf("access log: %w", ctx.Err())
	case <-l.exited:
		// The committer answered every request it took before returning.
		select {
		case res := <-r.done:
			return res.seq, res.err
		default:
			return 0, errClosed
		}
	}
}

// UnsealReason opens an entry's reason ("" for none). A destroyed key
// gives the store's *ShreddedError.
func (l *Log) UnsealReason(ctx context.Context, e *Entry) (string, error) {
	if e.SealedReason == nil {
		return "", nil
	}
	return l.sealer.UnsealReason(ctx, e.ID, e.SealedReason)
}
