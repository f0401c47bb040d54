package eventstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/nats-io/nuid"
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
	// batchMaxMsgs is nats-server's default atomic batch size limit.
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
// one atomic batch. One goroutine per store sends the batches, so one
// batch at most is in flight on the stream (two halved throughput).
//
// Durability is the server's: a batch is acknowledged only after its one
// stream fsync (sync always), and an atomic batch is stored whole or not
// at all, so each command's acknowledgement means what a lone publish's
// does. The committer never reports a command stored unless the server's
// reply says so; when the reply is lost, each command gets the error and
// nothing is retried (the caller's command id then decides, as today).
type committer struct {
	nc *nats.Conn
	js jetstream.JetStream
	// subjectAt names the subject of the stored message at seq.
	subjectAt func(ctx context.Context, seq uint64) (string, error)
	fillWait  time.Duration
	timeout   time.Duration
	window    time.Duration // JetStream's duplicate window

	mu     sync.Mutex
	queue  []*commitRequest
	recent map[string]time.Time // command ids batched within the duplicate window
	target int                  // how many commands the last batch carried: the writers to expect
	busy   bool                 // a batch or a lone publish is in flight
	// What a batch and a message on its own cost lately (moving averages,
	// ns): a batch pays only when its commands would take longer one by
	// one. Its fixed cost (the server creates, syncs and removes a staging
	// store) differs by disk: about 2.3 ms on one, 5 ms on another.
	batchCost, perMsg float64
	decisions         int

	enabled   atomic.Bool // false once the server refused atomic batches
	wake      chan struct{}
	stop      chan struct{}
	closeOnce sync.Once
	stopped   chan struct{}

	// stats for tests and the bench: batches sent, commands they carried,
	// batches refused, stale commands found by the server's reply.
	batches, batched, refused, found atomic.Int64
}

func newCommitter(nc *nats.Conn, js jetstream.JetStream, subjectAt func(context.Context, uint64) (string, error), fillWait, timeout, window time.Duration) *committer {
	c := &committer{
		nc: nc, js: js, subjectAt: subjectAt, fillWait: fillWait, timeout: timeout, window: window,
		recent: map[string]time.Time{}, target: 1,
		wake: make(chan struct{}, 1), stop: make(chan struct{}), stopped: make(chan struct{}),
	}
	c.enabled.Store(true)
	go c.run()
	return c
}

// close stops the committer; queued commands fail with errCommitterClosed. It may
// be called more than once (Store.Close may be).
func (c *committer) close() {
	c.closeOnce.Do(func() { close(c.stop) })
	<-c.stopped
}

// publish stores msg as a lone publish would, through a batch when other
// writers' commands are pending, and reports the server's sequence.
func (c *committer) publish(ctx context.Context, subject, cmdID string, msg *nats.Msg) (commitOutcome, error) {
	if !c.enabled.Load() || c.isRecent(cmdID) {
		return c.publishOne(ctx, msg), nil
	}
	r := &commitRequest{ctx: ctx, subject: subject, cmdID: cmdID, msg: msg, size: msgSize(msg), done: make(chan commitOutcome, 1)}
	c.mu.Lock()
	if !c.busy && len(c.queue) == 0 {
		// Nothing in flight, nobody waiting: this writer publishes itself,
		// with no hand-over to the committer's goroutine (a lone writer's
		// latency stays what it was). Whoever comes meanwhile queues and
		// goes in the next batch.
		c.busy = true
		c.mu.Unlock()
		start := time.Now()
		out := c.publishOne(ctx, msg)
		c.mu.Lock()
		if out.err == nil {
			c.perMsg = ewma(c.perMsg, float64(time.Since(start)))
		}
		c.busy = false
		queued := len(c.queue) > 0
		c.mu.Unlock()
		if queued {
			c.signal()
		}
		return out, nil
	}
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

// isRecent reports a command id this committer has batched within the
// duplicate window: a retry. A duplicate id aborts an atomic batch, so a
// retry goes on its own and gets the first result as today.
func (c *committer) isRecent(cmdID string) bool {
	if cmdID == "" {
		return false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
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

func (c *committer) run() {
	defer close(c.stopped)
	for {
		select {
		case <-c.stop:
			c.failQueued(errCommitterClosed)
			return
		case <-c.wake:
		}
		for {
			batch := c.take()
			if len(batch) == 0 {
				break
			}
			c.send(batch)
			c.mu.Lock()
			c.busy = false
			c.mu.Unlock()
		}
	}
}

func (c *committer) failQueued(err error) {
	c.mu.Lock()
	q := c.queue
	c.queue = nil
	c.mu.Unlock()
	for _, r := range q {
		r.done <- commitOutcome{err: err}
	}
}

// take assembles the next batch from the queue: at most one command per
// aggregate and per command id (a second waits for the next batch, since
// two expectations on one subject abort a batch), within the server's
// message limit and our byte bound. When fewer commands are queued than
// the last batch carried, other writers are likely a moment away: it
// waits for them, at most fillWait. A lone writer (last batch of one)
// never waits.
func (c *committer) take() []*commitRequest {
	c.mu.Lock()
	if len(c.queue) == 0 || c.busy {
		// A lone publish in flight hands over when it is done.
		c.mu.Unlock()
		return nil
	}
	if want := c.target; len(c.queue) < want && c.fillWait > 0 {
		c.mu.Unlock()
		deadline := time.NewTimer(c.fillWait)
	fill:
		for {
			select {
			case <-c.wake:
				c.mu.Lock()
				n := len(c.queue)
				c.mu.Unlock()
				if n >= want {
					break fill
				}
			case <-deadline.C:
				break fill
			case <-c.stop:
				break fill
			}
		}
		deadline.Stop()
		c.mu.Lock()
		if len(c.queue) == 0 || c.busy {
			c.mu.Unlock()
			return nil
		}
	}
	batch := make([]*commitRequest, 0, min(len(c.queue), batchMaxMsgs))
	subjects := make(map[string]struct{}, cap(batch))
	ids := make(map[string]struct{}, cap(batch))
	rest := c.queue[:0]
	bytes := 0
	for _, r := range c.queue {
		_, dupSubj := subjects[r.subject]
		_, dupID := ids[r.cmdID]
		full := len(batch) >= batchMaxMsgs || (len(batch) > 0 && bytes+r.size > batchMaxBytes)
		if dupSubj || (r.cmdID != "" && dupID) || full {
			rest = append(rest, r)
			continue
		}
		subjects[r.subject] = struct{}{}
		if r.cmdID != "" {
			ids[r.cmdID] = struct{}{}
		}
		bytes += r.size
		batch = append(batch, r)
	}
	clear(c.queue[len(rest):])
	c.queue = rest
	c.busy = true
	c.target = max(1, len(batch))
	if len(batch) > 1 {
		now := time.Now()
		for _, r := range batch {
			if r.cmdID != "" {
				c.recent[r.cmdID] = now
			}
		}
		c.pruneRecent(now)
	}
	c.mu.Unlock()
	return batch
}

// pruneRecent forgets command ids older than the duplicate window; past
// it JetStream no longer drops a retry, and the store's own checks
// (history, command results) recognise it before it reaches a batch.
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

// recentMax bounds the command ids remembered (about 10 MB).
const recentMax = 1 << 16

// send stores a batch and hands each command its outcome.
func (c *committer) send(batch []*commitRequest) {
	if len(batch) == 1 {
		// One command: a lone publish costs one fsync and no staging.
		batch[0].done <- c.publishOne(batch[0].ctx, batch[0].msg)
		return
	}
	if !c.batchPays(len(batch)) {
		start := time.Now()
		c.publishEach(batch)
		c.mu.Lock()
		c.perMsg = ewma(c.perMsg, float64(time.Since(start))/float64(len(batch)))
		c.mu.Unlock()
		return
	}
	c.batches.Add(1)
	c.batched.Add(int64(len(batch)))
	start := time.Now()
	last, apiErr, err := c.sendAtomic(batch)
	if err == nil && apiErr == nil {
		c.mu.Lock()
		c.batchCost = ewma(c.batchCost, float64(time.Since(start)))
		c.mu.Unlock()
	}
	switch {
	case apiErr != nil:
		// Refused: nothing of the batch is stored. The reply does not say
		// which command failed (a stale expected sequence, a retried id),
		// so each is published on its own: the stale one fails with the
		// same conflict as without batching, the others are stored.
		c.refused.Add(1)
		if apiErr.ErrorCode == errCodeAtomicDisabled {
			c.enabled.Store(false)
			c.publishEach(batch)
			return
		}
		stale := c.findStale(batch, apiErr)
		if stale < 0 {
			c.publishEach(batch)
			return
		}
		c.found.Add(1)
		batch[stale].done <- commitOutcome{err: apiErr}
		rest := append(batch[:stale:stale], batch[stale+1:]...)
		again := false
		for _, r := range rest {
			clearBatchHeaders(r.msg)
			r.refusals++
			again = again || r.refusals > 2
		}
		if again {
			// Many stale commands together: one by one is cheaper than a
			// batch for each.
			c.publishEach(rest)
			return
		}
		// The innocent ones go first into the next batch.
		c.mu.Lock()
		c.queue = append(rest, c.queue...)
		c.target = len(rest)
		c.mu.Unlock()
	case err == nil:
		// The stored batch is contiguous: message j is at last-n+1+j.
		first := last - uint64(len(batch)) + 1
		for j, r := range batch {
			r.done <- commitOutcome{seq: first + uint64(j)}
		}
	default:
		// No answer: the batch may or may not be stored. Retrying could
		// store it twice, acknowledging could acknowledge what is not
		// stored; each caller gets the error, as a lone publish's caller
		// would, and its command id makes its retry safe.
		for _, r := range batch {
			r.done <- commitOutcome{err: err}
		}
	}
}

// findStale names the command a refused batch failed on, or -1. The
// server stops at the first message whose expected sequence is wrong and
// says which sequence the subject really ends at; a stream sequence
// belongs to one subject, so the stored message there names the command.
// Only a command whose own expectation differs from it is named: that
// one fails exactly as a lone publish would.
func (c *committer) findStale(batch []*commitRequest, apiErr *jetstream.APIError) int {
	if apiErr.ErrorCode != jetstream.JSErrCodeStreamWrongLastSequence {
		return -1
	}
	actual := lastSeqFrom(apiErr.Description)
	if actual == 0 {
		return -1
	}
	ctx, cancel := context.WithTimeout(context.Background(), c.timeout)
	defer cancel()
	subject, err := c.subjectAt(ctx, actual)
	if err != nil {
		return -1
	}
	for i, r := range batch {
		if r.subject == subject {
			if r.msg.Header.Get(jetstream.ExpectedLastSubjSeqHeader) == strconv.FormatUint(actual, 10) {
				return -1
			}
			return i
		}
	}
	return -1
}

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

// batchPays reports whether n commands are cheaper as one batch than
// published on their own (then all at once, as concurrent writers do
// without the committer). Until both costs are known, and every 16th
// decision to keep them current, it batches.
func (c *committer) batchPays(n int) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.decisions++
	if c.batchCost == 0 || c.perMsg == 0 || c.decisions%16 == 0 {
		return true
	}
	return float64(n)*c.perMsg > c.batchCost
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

// publishEach publishes a refused batch's messages on their own, all at
// once: they are on distinct aggregates, so their order does not matter.
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

// atomicReply is the server's answer to a batch's commit.
type atomicReply struct {
	Sequence  uint64              `json:"seq"`
	BatchID   string              `json:"batch"`
	BatchSize uint64              `json:"count"`
	Error     *jetstream.APIError `json:"error"`
}

// sendAtomic publishes the batch (ADR-50): every message carries the
// batch id and its place in it; the last one commits and waits for the
// reply. It returns the sequence of the last message stored, or the
// server's refusal, or err when the outcome is unknown.
func (c *committer) sendAtomic(batch []*commitRequest) (uint64, *jetstream.APIError, error) {
	ctx, cancel := context.WithTimeout(context.Background(), c.timeout)
	defer cancel()
	id := nuid.Next()
	for j, r := range batch {
		r.msg.Header.Set("Nats-Batch-Id", id)
		r.msg.Header.Set("Nats-Batch-Sequence", strconv.Itoa(j+1))
		if j < len(batch)-1 {
			if err := c.nc.PublishMsg(r.msg); err != nil {
				// Nothing committed: the server drops an uncommitted batch.
				return 0, &jetstream.APIError{Description: "batch not sent"}, nil
			}
		}
	}
	commit := batch[len(batch)-1].msg
	commit.Header.Set("Nats-Batch-Commit", "1")
	reply, err := c.nc.RequestMsgWithContext(ctx, commit)
	if err != nil {
		if errors.Is(err, nats.ErrNoResponders) {
			return 0, &jetstream.APIError{Description: "no responders"}, nil
		}
		return 0, nil, fmt.Errorf("eventstore: atomic batch of %d: %w", len(batch), err)
	}
	var ack atomicReply
	if err := json.Unmarshal(reply.Data, &ack); err != nil {
		return 0, nil, fmt.Errorf("eventstore: atomic batch reply: %w", err)
	}
	if ack.Error != nil {
		return 0, ack.Error, nil
	}
	if ack.BatchID != id || ack.BatchSize != uint64(len(batch)) || ack.Sequence < uint64(len(batch)) {
		// A reply this code does not understand: the batch may be stored,
		// so nothing is acknowledged and nothing retried.
		return 0, nil, fmt.Errorf("eventstore: atomic batch of %d: reply names %d messages", len(batch), ack.BatchSize)
	}
	return ack.Sequence, nil, nil
}

func clearBatchHeaders(m *nats.Msg) {
	m.Header.Del("Nats-Batch-Id")
	m.Header.Del("Nats-Batch-Sequence")
	m.Header.Del("Nats-Batch-Commit")
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

// errCommitterClosed is a command still queued when its store closed:
// it was not sent, so nothing of it is stored.
var errCommitterClosed = errors.New("eventstore: store closed before the append was sent")
