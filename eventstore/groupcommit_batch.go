package eventstore

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/nats-io/nuid"
)

// ADR-50 headers of an atomic batch.
const (
	batchIDHeader     = "Nats-Batch-Id"
	batchSeqHeader    = "Nats-Batch-Sequence"
	batchCommitHeader = "Nats-Batch-Commit"
	// commitEOB commits a batch with a marker the server does not store
	// (nats-server 2.14); the last command sent gets the usual commit
	// header.
	commitEOB = "eob"
)

// atomicBatch is one atomic batch: open while commands are sent to it, then
// committing until the server answers.
type atomicBatch struct {
	id       string
	members  []*commitRequest
	subjects map[string]struct{}
	ids      map[string]struct{}
	bytes    int
	full     bool  // a queued command did not fit: commit now
	broken   error // a message could not be sent: never commit
}

// loop is the committer goroutine's own state.
type loop struct {
	c      *committer
	open   *atomicBatch // commands sent to the server, not committed
	flight *atomicBatch // committed, awaiting the server's answer
	// fill bounds the wait for the writers the open batch expects; it
	// runs only while the open batch could commit but is short of them.
	fill       *time.Timer
	fillOn     bool
	fillDue    bool
	replyTimer *time.Timer // bounds the wait for the flight's answer
}

func stoppedTimer() *time.Timer {
	t := time.NewTimer(time.Hour)
	t.Stop()
	return t
}

func (c *committer) run() {
	defer close(c.stopped)
	l := &loop{c: c, fill: stoppedTimer(), replyTimer: stoppedTimer()}
	for {
		l.advance()
		select {
		case <-c.stop:
			l.shutdown()
			return
		case <-c.wake:
		case m := <-c.replies:
			l.answer(m)
		case <-l.fill.C:
			l.fillOn, l.fillDue = false, true
		case <-l.replyTimer.C:
			l.giveUp()
		}
	}
}

// advance sends what is queued to the open batch (opening one, or
// publishing a single command on its own when no company is expected)
// and commits the open batch when it is due.
func (l *loop) advance() {
	for {
		l.stage()
		if !l.commitIfDue() {
			break
		}
	}
	l.c.setActive(l.open != nil || l.flight != nil)
}

// stage sends the queued commands that fit to the open batch.
func (l *loop) stage() {
	c := l.c
	if l.open == nil {
		n, expected, alone := c.pending()
		if n == 0 || alone {
			// A lone writer's publish hands over when it is done.
			return
		}
		if n == 1 && expected <= 1 {
			// No company expected: a batch of one costs a staging store
			// for nothing.
			if l.flight == nil {
				l.each(c.takeAll())
			}
			return
		}
		l.open = &atomicBatch{id: nuid.Next(), subjects: map[string]struct{}{}, ids: map[string]struct{}{}}
		l.fillDue = false
	}
	b := l.open
	if b.broken != nil {
		// It will fail as a whole once no batch is committing; what is
		// queued meanwhile waits for the next one.
		return
	}
	from := len(b.members)
	c.takeFitting(b)
	for i := from; i < len(b.members) && b.broken == nil; i++ {
		m := b.members[i].msg
		m.Header.Set(batchIDHeader, b.id)
		m.Header.Set(batchSeqHeader, strconv.Itoa(i+1))
		if err := c.nc.PublishMsg(m); err != nil {
			// Nothing of the batch is committed: the server drops it.
			b.broken = err
		}
	}
}

// commitIfDue commits the open batch when no batch is committing and it
// holds the writers expected, or the wait for them is over, or it is
// full; it reports whether it committed.
func (l *loop) commitIfDue() bool {
	c := l.c
	b := l.open
	if b == nil || l.flight != nil || len(b.members) == 0 {
		return false
	}
	_, expected, _ := c.pending()
	if b.broken == nil && !b.full && !l.fillDue && len(b.members) < expected && c.fillWait > 0 {
		if !l.fillOn {
			l.fill.Reset(c.fillWait)
			l.fillOn = true
		}
		return false
	}
	l.open = nil
	l.fill.Stop()
	l.fillOn, l.fillDue = false, false
	if b.broken == nil {
		eob := nats.NewMsg(b.members[len(b.members)-1].subject)
		eob.Header.Set(batchIDHeader, b.id)
		eob.Header.Set(batchSeqHeader, strconv.Itoa(len(b.members)+1))
		eob.Header.Set(batchCommitHeader, commitEOB)
		eob.Reply = c.inbox + "." + b.id
		b.broken = c.nc.PublishMsg(eob)
	}
	if b.broken != nil {
		err := fmt.Errorf("eventstore: append not sent: %w", b.broken)
		for _, r := range b.members {
			r.done <- commitOutcome{err: err}
		}
		return true
	}
	c.batches.Add(1)
	c.batched.Add(int64(len(b.members)))
	l.flight = b
	l.replyTimer.Reset(c.timeout)
	return true
}

// atomicReply is the server's answer to a batch's commit.
type atomicReply struct {
	Sequence  uint64              `json:"seq"`
	BatchID   string              `json:"batch"`
	BatchSize uint64              `json:"count"`
	Error     *jetstream.APIError `json:"error"`
}

// answer hands each command of the committing batch its outcome from
// the server's reply.
func (l *loop) answer(m *nats.Msg) {
	c := l.c
	b := l.flight
	if b == nil || m.Subject != c.inbox+"."+b.id {
		return // the answer to a batch given up on
	}
	l.flight = nil
	l.replyTimer.Stop()
	now := time.Now()
	n := uint64(len(b.members))
	if m.Header.Get("Status") == "503" {
		// No responders: nothing stored. Each on its own gets its own
		// error.
		l.each(b.members)
		return
	}
	var ack atomicReply
	if err := json.Unmarshal(m.Data, &ack); err != nil {
		l.fail(b, fmt.Errorf("eventstore: atomic batch reply: %w", err))
		return
	}
	if ack.Error != nil {
		l.refused(b, ack.Error)
		return
	}
	if ack.BatchID != b.id || ack.BatchSize != n || ack.Sequence < n {
		// A reply this code does not understand: the batch may be stored,
		// so nothing is acknowledged and nothing retried.
		l.fail(b, fmt.Errorf("eventstore: atomic batch of %d: reply names %d messages", n, ack.BatchSize))
		return
	}
	// The stored batch is contiguous: message j is at last-n+1+j.
	first := ack.Sequence - n + 1
	for j, r := range b.members {
		r.done <- commitOutcome{seq: first + uint64(j)}
	}
	c.batchDone(len(b.members), l.staged(), now)
}

// staged counts the commands sent to the open batch.
func (l *loop) staged() int {
	if l.open == nil {
		return 0
	}
	return len(l.open.members)
}

// refused handles a batch the server refused: nothing of it is stored.
// The reply does not say which command failed unless a stale expected
// sequence names its subject; that one fails with the same conflict as
// without batching, the innocent ones go first into the next batch.
// Otherwise each is published on its own and gets its own outcome.
func (l *loop) refused(b *atomicBatch, apiErr *jetstream.APIError) {
	c := l.c
	c.refused.Add(1)
	if apiErr.ErrorCode == errCodeAtomicDisabled {
		c.enabled.Store(false)
		l.each(b.members)
		return
	}
	if mayBePartlyStored(apiErr) {
		// The server failed to store a message while committing the batch
		// (with a sync policy other than always it answers after each
		// message): the messages before it may be stored. Published again,
		// those would meet their own conflict; each command gets the
		// server's error instead, as a lone publish's caller would, and
		// its command id makes a retry safe.
		l.fail(b, apiErr)
		return
	}
	if apiErr.ErrorCode == errCodeBatchTooLarge {
		// The server's limit is lower than its default: keep to it from
		// now on. The commands were refused whole, none is stale; they go
		// first into the next batches.
		c.lowerMaxMsgs(len(b.members), apiErr.Description)
		for _, r := range b.members {
			clearBatchHeaders(r.msg)
		}
		c.requeue(b.members, l.staged())
		return
	}
	stale := c.findStale(b.members, apiErr)
	if stale < 0 {
		l.each(b.members)
		return
	}
	c.found.Add(1)
	b.members[stale].done <- commitOutcome{err: apiErr}
	rest := append(b.members[:stale:stale], b.members[stale+1:]...)
	again := false
	for _, r := range rest {
		clearBatchHeaders(r.msg)
		r.refusals++
		again = again || r.refusals > 2
	}
	if again {
		// Many stale commands together: one by one is cheaper than a
		// batch for each.
		l.each(rest)
		return
	}
	c.requeue(rest, l.staged())
}

// mayBePartlyStored reports a refusal that can come from the commit
// itself, after some of the batch's messages were stored: a storage
// failure or exhausted resources. Every other refusal (a stale expected
// sequence, a duplicate id, the batch protocol, the server's limits)
// comes from the checks the server runs before it stores anything.
func mayBePartlyStored(apiErr *jetstream.APIError) bool {
	switch apiErr.ErrorCode {
	case errCodeStoreFailed, errCodeInsufficientResources:
		return true
	}
	return false
}

// fail gives every command of b the error: its outcome is unknown.
func (l *loop) fail(b *atomicBatch, err error) {
	for _, r := range b.members {
		r.done <- commitOutcome{err: err}
	}
}

// giveUp ends the wait for the committing batch's answer. The batch may
// or may not be stored: retrying could store it twice, acknowledging
// could acknowledge what is not stored; each caller gets the error, as a
// lone publish's caller would, and its command id makes its retry safe.
func (l *loop) giveUp() {
	b := l.flight
	if b == nil {
		return
	}
	l.flight = nil
	l.fail(b, fmt.Errorf("eventstore: atomic batch of %d: no answer: %w", len(b.members), context.DeadlineExceeded))
}

// each publishes commands on their own.
func (l *loop) each(group []*commitRequest) {
	if len(group) == 0 {
		return
	}
	c := l.c
	c.setActive(true)
	c.publishEach(group)
	c.mu.Lock()
	c.target = min(c.maxMsgs, len(group)+len(c.queue))
	c.mu.Unlock()
}

// shutdown waits for the committing batch's answer; what is staged or
// queued was never committed and fails.
func (l *loop) shutdown() {
	c := l.c
	for l.flight != nil {
		select {
		case m := <-c.replies:
			l.answer(m)
		case <-l.replyTimer.C:
			l.giveUp()
		}
	}
	if l.open != nil {
		for _, r := range l.open.members {
			r.done <- commitOutcome{err: errCommitterClosed}
		}
		l.open = nil
	}
	c.failQueued(errCommitterClosed)
	_ = c.sub.Unsubscribe()
}

// pending reports how many commands are queued, how many the next batch
// expects, and whether a writer is publishing on its own.
func (c *committer) pending() (queued, expected int, alone bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.queue), c.target, c.alone
}

func (c *committer) setActive(active bool) {
	c.mu.Lock()
	c.active = active
	c.mu.Unlock()
}

// batchDone records a stored batch: its writers and those who queued
// meanwhile make the next batch.
func (c *committer) batchDone(members, staged int, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.acked(members, now)
	c.target = min(c.maxMsgs, members+staged+len(c.queue))
}

// lowerMaxMsgs keeps batches within the limit a refusal named ("atomic
// publish batch is too large: 4"), or half the refused batch's size when
// the reply names none.
func (c *committer) lowerMaxMsgs(refused int, desc string) {
	limit := refused / 2
	if i := strings.LastIndexByte(desc, ' '); i >= 0 {
		if n, err := strconv.Atoi(desc[i+1:]); err == nil && n > 0 {
			limit = n
		}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.maxMsgs = max(1, min(c.maxMsgs, limit))
}

// requeue puts a refused batch's innocent commands first in the queue.
func (c *committer) requeue(rs []*commitRequest, staged int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.queue = append(rs, c.queue...)
	c.target = min(c.maxMsgs, len(c.queue)+staged)
}

func (c *committer) takeAll() []*commitRequest {
	c.mu.Lock()
	defer c.mu.Unlock()
	q := c.queue
	c.queue = nil
	return q
}

func (c *committer) failQueued(err error) {
	for _, r := range c.takeAll() {
		r.done <- commitOutcome{err: err}
	}
}

// takeFitting moves from the queue into b what b can take: at most one
// command per aggregate and per command id (a second waits for the next
// batch, since two expectations on one subject abort a batch), within
// the server's message limit and our byte bound.
func (c *committer) takeFitting(b *atomicBatch) {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := time.Now()
	rest := c.queue[:0]
	took := false
	for _, r := range c.queue {
		_, dupSubj := b.subjects[r.subject]
		_, dupID := b.ids[r.cmdID]
		fits := len(b.members) < c.maxMsgs && (len(b.members) == 0 || b.bytes+r.size <= batchMaxBytes)
		if !fits {
			b.full = true
		}
		if dupSubj || (r.cmdID != "" && dupID) || !fits {
			rest = append(rest, r)
			continue
		}
		b.subjects[r.subject] = struct{}{}
		if r.cmdID != "" {
			b.ids[r.cmdID] = struct{}{}
			c.recent[r.cmdID] = now
		}
		b.bytes += r.size
		b.members = append(b.members, r)
		took = true
	}
	clear(c.queue[len(rest):])
	c.queue = rest
	if took {
		c.pruneRecent(now)
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
