package accesslog

import (
	"context"
	"fmt"

	"github.com/fristad/fristad/domain"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// Limits of one commit round and of one message.
const (
	maxGroupEntries = 256
	maxGroupBytes   = 256 << 10
	// headerRoom is kept free in a message for its headers (Nats-Msg-Id),
	// which count against MaxMsgSize.
	headerRoom = 256
)

// request is one Append waiting for the acknowledgement of the message
// that holds its entry.
type request struct {
	ctx     context.Context
	id      domain.ID
	subject string
	data    []byte // the entry, JSON
	done    chan result
}

type result struct {
	seq uint64
	err error
}

// maxData is the most entry bytes one message holds.
func (l *Log) maxData() int { return l.maxBytes - headerRoom }

// committer runs the commit rounds until ctx ends, then answers whatever
// is still waiting with errClosed.
func (l *Log) committer(ctx context.Context) {
	defer close(l.exited)
	var carry *request // taken from the channel but over the last round's budget
	for {
		first := carry
		carry = nil
		if first == nil {
			select {
			case <-ctx.Done():
				l.drain()
				return
			case first = <-l.reqs:
			}
		}
		if ctx.Err() != nil {
			first.done <- result{err: errClosed}
			l.drain()
			return
		}
		group, size := []*request{first}, len(first.data)+1
	gather:
		for len(group) < maxGroupEntries {
			select {
			case r := <-l.reqs:
				if size+len(r.data)+1 > maxGroupBytes {
					carry = r
					break gather
				}
				group = append(group, r)
				size += len(r.data) + 1
			default:
				break gather
			}
		}
		l.commit(ctx, group)
	}
}

func (l *Log) drain() {
	for {
		select {
		case r := <-l.reqs:
			r.done <- result{err: errClosed}
		default:
			return
		}
	}
}

// message is one message of a round and the requests it answers.
type message struct {
	reqs []*request
	size int
	fut  jetstream.PubAckFuture
	res  result
}

// commit publishes one round: one message per subject (more only when the
// entries exceed a message), all at once, then answers every request with
// its message's outcome.
func (l *Log) commit(ctx context.Context, group []*request) {
	var msgs []*message
	bySubject := map[string]*message{} // the subject's message being filled
	for _, r := range group {
		if err := r.ctx.Err(); err != nil {
			// Its Append has given up (or is about to): nothing to log.
			r.done <- result{err: fmt.Errorf("access log: %w", err)}
			continue
		}
		m := bySubject[r.subject]
		if m == nil || m.size+len(r.data)+1 > l.maxData() {
			m = &message{size: 1}
			bySubject[r.subject] = m
			msgs = append(msgs, m)
		}
		m.reqs = append(m.reqs, r)
		m.size += len(r.data) + 1
	}
	if len(msgs) == 0 {
		return
	}
	pctx, cancel := context.WithTimeout(ctx, l.timeout)
	defer cancel()
	for _, m := range msgs {
		data := make([]byte, 0, m.size)
		data = append(data, '[')
		for i, r := range m.reqs {
			if i > 0 {
				data = append(data, ',')
			}
			data = append(data, r.data...)
		}
		data = append(data, ']')
		msg := nats.NewMsg(m.reqs[0].subject)
		msg.Data = data
		// A retried publish of the same message is stored once.
		msg.Header.Set(jetstream.MsgIDHeader, string(m.reqs[0].id))
		fut, err := l.pub.PublishMsgAsync(msg)
		if err != nil {
			m.res.err = fmt.Errorf("access log: %w", err)
			continue
		}
		m.fut = fut
	}
	for _, m := range msgs {
		if m.fut == nil {
			continue
		}
		select {
		case ack := <-m.fut.Ok():
			m.res.seq = ack.Sequence
		case err := <-m.fut.Err():
			m.res.err = fmt.Errorf("access log: %w", err)
		case <-pctx.Done():
			m.res.err = fmt.Errorf("access log: %w", pctx.Err())
		}
	}
	for _, m := range msgs {
		for _, r := range m.reqs {
			r.done <- m.res
		}
	}
}
