package eventstore

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// GroupCommit says whether concurrent appends share one atomic batch
// (ADR-50) and so one fsync.
type GroupCommit int

const (
	// GroupCommitAuto batches where it was measured to help: a one-replica
	// stream on a server that supports atomic batches (docs/groupcommit.md).
	GroupCommitAuto GroupCommit = iota
	// GroupCommitOff publishes every command on its own, as before.
	GroupCommitOff
	// GroupCommitOn batches whenever the server supports atomic batches,
	// whatever the replica count.
	GroupCommitOn
)

// ParseGroupCommit reads "auto", "on" or "off".
func ParseGroupCommit(s string) (GroupCommit, error) {
	switch s {
	case "", "auto":
		return GroupCommitAuto, nil
	case "off":
		return GroupCommitOff, nil
	case "on":
		return GroupCommitOn, nil
	}
	return 0, fmt.Errorf("group commit %q: want auto, on or off", s)
}

// Server limits and our own bounds on one batch.
const (
	// batchMaxMsgs is nats-server's default atomic batch size limit; the
	// end-of-batch marker does not count.
	batchMaxMsgs = 1000
	// batchMaxBytes bounds what one batch stages on the server; a single
	// larger message (up to the stream's 4 MiB) goes alone.
	batchMaxBytes = 8 << 20
	// defaultFillWait bounds how long a batch waits for writers expected
	// to come back. Measured: without it 16 writers did worse than
	// separate publishes; with up to 1 ms, 1.4x better.
	defaultFillWait = time.Millisecond
)

// Error codes of an atomic batch that the committer branches on.
const (
	errCodeAtomicDisabled = 10174
	errCodeBatchTooLarge  = 10199 // "atomic publish batch is too large: <limit>"
	// Storage failing while a batch commits: it may be partly stored.
	errCodeStoreFailed           = 10077
	errCodeInsufficientResources = 10023
)

// commitRequest is one command's message waiting for the committer.
type commitRequest struct {
	ctx     context.Context
	subject string
	cmdID   string
	msg     *nats.Msg
	size    int
	done    chan commitOutcome // buffered: the committer never blocks on it
	// refusals counts the refused batches this command was innocent in.
	refusals int
}

// commitOutcome is what the server did with one command's message: stored
// at seq (dup: stored earlier), or err, exactly as a lone publish reports.
type commitOutcome struct {
	seq uint64
	dup bool
	err error
}

// committer hands what concurrent writers have pending to the server as
// one atomic batch, and keeps one batch committing at a time (two halved
// throughput: each carried half the writers for the same fixed cost).
//
// The fixed cost of a one-replica batch is the server's: it creates,
// syncs and removes a staging store for it (about 2 ms on the disks
// measured). The committer hides much of it behind the writers: it
// opens the next batch and sends each command to it as soon as the
// command is queued, while the batch before is still committing, so the
// server creates the staging store while the writers just answered
// decide their next commands. It commits the batch with an end-of-batch
// marker (nats-server 2.14) once the writers it expects are in it, or
// after a bounded wait.
//
// Durability is the server's: a batch is acknowledged only after its one
// stream fsync (sync always), and an atomic batch is stored whole or not
// at all, so each command's acknowledgement means what a lone publish's
// does. The committer never reports a command stored unless the server's
// reply says so; when the reply is lost, each command gets the error and
// nothing is retried (the caller's command id then decides, as today).
// A batch never committed is never stored: the server drops it.
type committer struct {
	nc *nats.Conn
	js jetstream.JetStream
	// subjectAt names the subject of the stored message at seq.
	subjectAt func(ctx context.Context, seq uint64) (string, error)
	fillWait  time.Duration
	timeout   time.Duration
	window    time.Duration // JetStream's duplicate window

	// Commit replies arrive on inbox.<batch id>.
	inbox   string
	replies chan *nats.Msg
	sub     *nats.Subscription

	mu     sync.Mutex
	queue  []*commitRequest
	recent map[string]time.Time // command ids batched within the duplicate window
	// target is how many commands the next batch should carry: the
	// writers the last batch answered (they come back) and those who
	// queued meanwhile. At most 1, a writer publishes on its own.
	target int
	alone  bool // a writer is publishing its own command
	// maxMsgs bounds a batch: the server's default limit until the server
	// says its own is lower.
	maxMsgs int
	active  bool // the committer has a batch open or committing, or publishes
	// choose says whether commands go through batches at all, by what
	// each mode measured at the concurrency seen: inflight commands in
	// publish now, peak the most since the chooser's window began.
	choose         chooser
	inflight, peak int

	enabled   atomic.Bool // false once the server refused atomic batches
	wake      chan struct{}
	stop      chan struct{}
	closeOnce sync.Once
	stopped   chan struct{}

	// stats for tests and the bench: batches sent, commands they carried,
	// batches refused, stale commands found by the server's reply.
	batches, batched, refused, found atomic.Int64
}

func newCommitter(nc *nats.Conn, js jetstream.JetStream, subjectAt func(context.Context, uint64) (string, error), fillWait, timeout, window time.Duration) (*committer, error) {
	c := &committer{
		nc: nc, js: js, subjectAt: subjectAt, fillWait: fillWait, timeout: timeout, window: window,
		inbox: nats.NewInbox(), replies: make(chan *nats.Msg, 16),
		recent: map[string]time.Time{}, target: 1, maxMsgs: batchMaxMsgs,
		wake: make(chan struct{}, 1), stop: make(chan struct{}), stopped: make(chan struct{}),
	}
	sub, err := nc.ChanSubscribe(c.inbox+".*", c.replies)
	if err != nil {
		return nil, fmt.Errorf("eventstore: group commit replies: %w", err)
	}
	c.sub = sub
	c.choose.batching = true // measured first: the committer is on to batch
	c.enabled.Store(true)
	go c.run()
	return c, nil
}

// close stops the committer: a batch committing gets its answer, queued
// commands and a batch not yet committed fail with errCommitterClosed
// (nothing of them is stored). It may be called more than once (Store.Close
// may be).
func (c *committer) close() {
	c.closeOnce.Do(func() { close(c.stop) })
	<-c.stopped
}

// publish stores msg as a lone publish would, through a batch when other
// writers' commands are pending, and reports the server's sequence.
func (c *committer) publish(ctx context.Context, subject, cmdID string, msg *nats.Msg) (commitOutcome, error) {
	size := msgSize(msg)
	if !c.enabled.Load() || !c.fitsConn(size) {
		return c.publishOne(ctx, msg), nil
	}
	c.mu.Lock()
	c.inflight++
	c.peak = max(c.peak, c.inflight)
	retry := c.isRecentLocked(cmdID)
	direct := retry || !c.choose.batching
	lone := !direct && !c.alone && !c.active && len(c.queue) == 0 && c.target <= 1
	if direct || lone {
		// A retry (a duplicate id aborts an atomic batch); or batches
		// measured no faster just now; or nothing is in flight and nobody
		// waits or is expected: this writer publishes itself, with no
		// hand-over to the committer's goroutine (a lone writer's latency
		// stays what it was, and pays two lock round trips for the
		// committer). Whoever comes meanwhile queues and goes in a batch.
		if lone {
			c.alone = true
		}
		c.mu.Unlock()
		out := c.publishOne(ctx, msg)
		c.mu.Lock()
		c.inflight--
		if lone {
			c.alone = false
		}
		if out.err == nil && !retry {
			c.acked(1, time.Now())
		}
		queued := len(c.queue) > 0
		c.mu.Unlock()
		if queued {
			c.signal()
		}
		return out, nil
	}
	r := &commitRequest{ctx: ctx, subject: subject, cmdID: cmdID, msg: msg, size: size, done: make(chan commitOutcome, 1)}
	defer func() {
		c.mu.Lock()
		c.inflight--
		c.mu.Unlock()
	}()
	c.queue = append(c.queue, r)
	c.mu.Unlock()
	c.signal()
	select {
	case out := <-r.done:
		return out, nil
	case <-ctx.Done():
		if c.withdraw(r) {
			return commitOutcome{}, ctx.Err()
		}
		// Already on its way: the server's answer decides, and the caller
		// is told only what happened.
		return <-r.done, nil
	case <-c.stopped:
		if c.withdraw(r) {
			return commitOutcome{}, errCommitterClosed
		}
		return <-r.done, nil
	}
}

// isRecentLocked reports a command id this committer has batched within
// the duplicate window, or has queued: a retry. A duplicate id aborts an
// atomic batch, so a retry goes on its own and gets the first result as
// today. Called with c.mu held.
func (c *committer) isRecentLocked(cmdID string) bool {
	if cmdID == "" {
		return false
	}
	if _, ok := c.recent[cmdID]; ok {
		return true
	}
	for _, q := range c.queue {
		if q.cmdID == cmdID {
			return true
		}
	}
	return false
}

// batchHeaderRoom bounds what the batch headers add to a message on the
// wire (id and sequence: about 70 bytes).
const batchHeaderRoom = 128

// fitsConn reports whether a message of size (msgSize) still fits the
// connection's payload limit with the batch headers. The client refuses
// a larger one before sending it, and in a batch that would leave the
// batch unsendable and fail every command in it; alone, its writer gets
// exactly what a lone publish gets and nobody else is touched.
func (c *committer) fitsConn(size int) bool {
	return int64(size+batchHeaderRoom) <= c.nc.MaxPayload()
}

func (c *committer) signal() {
	select {
	case c.wake <- struct{}{}:
	default:
	}
}

// withdraw takes r out of the queue if the committer has not taken it.
func (c *committer) withdraw(r *commitRequest) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	for i, q := range c.queue {
		if q == r {
			c.queue = append(c.queue[:i], c.queue[i+1:]...)
			return true
		}
	}
	return false
}

// pruneRecent forgets command ids older than the duplicate window; past
// it JetStream no longer drops a retry, and the store's own checks
// (history, command results) recognise it before it reaches a batch.
// Called with c.mu held.
func (c *committer) pruneRecent(now time.Time) {
	if len(c.recent) < 4096 {
		return
	}
	for id, t := range c.recent {
		if now.Sub(t) > c.window {
			delete(c.recent, id)
		}
	}
	if len(c.recent) > recentMax {
		// Forgetting costs only speed: a retry that lands in a batch
		// aborts it, and the batch is then resolved one by one.
		clear(c.recent)
	}
}

// acked tells the chooser n commands were acknowledged; called with c.mu
// held.
func (c *committer) acked(n int, now time.Time) {
	if c.choose.acked(n, c.peak, now) {
		c.peak = c.inflight
	}
}

// recentMax bounds the command ids remembered (about 10 MB).
const recentMax = 1 << 16

// GroupCommitStats counts what the group committer did since the store
// opened.
type GroupCommitStats struct {
	Batches  int64 // atomic batches sent
	Commands int64 // commands they carried
	Refused  int64 // batches the server refused (a stale command, a retried id)
	Named    int64 // stale commands named by the server's reply
}

// GroupCommitStats reports the committer's counts (zero without one).
func (s *Store) GroupCommitStats() GroupCommitStats {
	c := s.committer
	if c == nil {
		return GroupCommitStats{}
	}
	return GroupCommitStats{Batches: c.batches.Load(), Commands: c.batched.Load(), Refused: c.refused.Load(), Named: c.found.Load()}
}

// ewma moves avg a fifth of the way to v.
func ewma(avg, v float64) float64 {
	if avg == 0 {
		return v
	}
	return avg + (v-avg)/5
}

// publishOne is the path without batching.
func (c *committer) publishOne(ctx context.Context, msg *nats.Msg) commitOutcome {
	return publishAlone(ctx, c.js, msg)
}

// publishAlone stores one message on its own: a store without a committer
// and a committer's lone writer take the same path.
func publishAlone(ctx context.Context, js jetstream.JetStream, msg *nats.Msg) commitOutcome {
	ack, err := js.PublishMsg(ctx, msg)
	if err != nil {
		return commitOutcome{err: err}
	}
	return commitOutcome{seq: ack.Sequence, dup: ack.Duplicate}
}

// publishEach publishes commands on their own, all at once: they are on
// distinct aggregates or were decided concurrently, so their order does
// not matter.
func (c *committer) publishEach(batch []*commitRequest) {
	futures := make([]jetstream.PubAckFuture, len(batch))
	for i, r := range batch {
		clearBatchHeaders(r.msg)
		f, err := c.js.PublishMsgAsync(r.msg)
		if err != nil {
			// Not sent: publish it synchronously instead.
			r.done <- c.publishOne(r.ctx, r.msg)
			continue
		}
		futures[i] = f
	}
	timer := time.NewTimer(c.timeout)
	defer timer.Stop()
	for i, f := range futures {
		if f == nil {
			continue
		}
		select {
		case ack := <-f.Ok():
			batch[i].done <- commitOutcome{seq: ack.Sequence, dup: ack.Duplicate}
		case err := <-f.Err():
			batch[i].done <- commitOutcome{err: err}
		case <-timer.C:
			batch[i].done <- commitOutcome{err: fmt.Errorf("eventstore: no acknowledgement: %w", context.DeadlineExceeded)}
			timer.Reset(0)
		}
	}
}

func clearBatchHeaders(m *nats.Msg) {
	m.Header.Del(batchIDHeader)
	m.Header.Del(batchSeqHeader)
}

func msgSize(m *nats.Msg) int {
	n := len(m.Subject) + len(m.Data)
	for k, vs := range m.Header {
		for _, v := range vs {
			n += len(k) + len(v) + 4
		}
	}
	return n
}

// errCommitterClosed is a command not committed when its store closed:
// nothing of it is stored.
var errCommitterClosed = errors.New("eventstore: store closed before the append was committed")
