package eventstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"time"

	"github.com/nats-io/nats.go"
)

// directGetter reads an aggregate's messages with JetStream's batched direct
// get (ADR-31: next_by_subj with batch), which the jetstream package does not
// offer. One wildcard reply subscription serves every request, so a load
// costs one round trip and no consumer or subscription set-up.
type directGetter struct {
	nc     *nats.Conn
	api    string
	prefix string
	sub    *nats.Subscription

	mu      sync.Mutex
	next    uint64
	waiting map[string]chan *nats.Msg
}

const directBatch = 256

func newDirectGetter(nc *nats.Conn, api string) (*directGetter, error) {
	d := &directGetter{nc: nc, api: api, prefix: nc.NewRespInbox() + ".", waiting: map[string]chan *nats.Msg{}}
	sub, err := nc.Subscribe(d.prefix+"*", d.dispatch)
	if err != nil {
		return nil, fmt.Errorf("eventstore: direct get: %w", err)
	}
	// Replies of one batch may be many; never drop them as a slow consumer.
	_ = sub.SetPendingLimits(-1, -1)
	d.sub = sub
	return d, nil
}

func (d *directGetter) close() { _ = d.sub.Unsubscribe() }

func (d *directGetter) dispatch(m *nats.Msg) {
	token := m.Subject[len(d.prefix):]
	d.mu.Lock()
	ch := d.waiting[token]
	d.mu.Unlock()
	if ch != nil {
		// Capacity is batch+1 (the server sends at most batch messages and
		// one end-of-batch), so this never blocks.
		ch <- m
	}
}

type rawMsg struct {
	seq     uint64
	subject string
	data    []byte
	// pending is how many messages the reader knows are still to come
	// after this one (0: none yet, so a batch must not wait for more).
	pending uint64
}

// fetch returns every message on subject with sequence >= from, in order.
func (d *directGetter) fetch(ctx context.Context, subject string, from uint64) ([]rawMsg, error) {
	if from == 0 {
		from = 1
	}
	var out []rawMsg
	for {
		msgs, pending, err := d.batch(ctx, subject, from)
		if err != nil {
			return nil, err
		}
		out = append(out, msgs...)
		if pending == 0 || len(msgs) == 0 {
			return out, nil
		}
		from = msgs[len(msgs)-1].seq + 1
	}
}

func (d *directGetter) batch(ctx context.Context, subject string, from uint64) ([]rawMsg, uint64, error) {
	req, _ := json.Marshal(struct {
		Seq     uint64 `json:"seq"`
		NextFor string `json:"next_by_subj"`
		Batch   int    `json:"batch"`
	}{from, subject, directBatch})
	return d.request(ctx, subject, req, directBatch)
}

// firstAt is the sequence of the first message the server stored at or
// after t (by its message timestamps), ok false when there is none. The
// server finds it without reading messages: its file store keeps each
// block's first and last timestamps, a time index of the stream.
func (d *directGetter) firstAt(ctx context.Context, t time.Time) (uint64, bool, error) {
	req, _ := json.Marshal(struct {
		StartTime time.Time `json:"start_time"`
		Batch     int       `json:"batch"`
	}{t.UTC(), 1})
	msgs, _, err := d.request(ctx, "the stream by time", req, 1)
	if err != nil || len(msgs) == 0 {
		return 0, false, err
	}
	return msgs[0].seq, true, nil
}

// request sends one batched direct get and gathers its replies (at most
// batch messages) until the end of the batch.
func (d *directGetter) request(ctx context.Context, subject string, req []byte, batch int) ([]rawMsg, uint64, error) {
	ch := make(chan *nats.Msg, batch+1)
	d.mu.Lock()
	d.next++
	token := strconv.FormatUint(d.next, 36)
	d.waiting[token] = ch
	d.mu.Unlock()
	defer func() {
		d.mu.Lock()
		delete(d.waiting, token)
		d.mu.Unlock()
	}()
	if err := d.nc.PublishRequest(d.api, d.prefix+token, req); err != nil {
		return nil, 0, fmt.Errorf("eventstore: direct get: %w", err)
	}
	var out []rawMsg
	for {
		select {
		case <-ctx.Done():
			return nil, 0, fmt.Errorf("eventstore: direct get %s: %w", subject, ctx.Err())
		case m := <-ch:
			switch m.Header.Get("Status") {
			case "":
			case "404":
				return out, 0, nil
			case "204": // end of batch
				pending, _ := strconv.ParseUint(m.Header.Get("Nats-Num-Pending"), 10, 64)
				return out, pending, nil
			case "503":
				return nil, 0, errors.New("eventstore: direct get: no responders (is the stream available?)")
			default:
				return nil, 0, fmt.Errorf("eventstore: direct get: status %s %s", m.Header.Get("Status"), m.Header.Get("Description"))
			}
			seq, err := strconv.ParseUint(m.Header.Get("Nats-Sequence"), 10, 64)
			if err != nil {
				return nil, 0, errors.New("eventstore: direct get: reply without sequence")
			}
			out = append(out, rawMsg{seq: seq, subject: m.Header.Get("Nats-Subject"), data: m.Data})
		}
	}
}
