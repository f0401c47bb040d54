package main

import (
	"context"
	"fmt"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// rawScan is the baseline a replay or report is compared with: every
// message of the stream read with an ordered consumer through nats.go,
// nothing decoded.
type rawScan struct {
	Messages int
	Bytes    int64
	Duration time.Duration
}

// scanStream reads every message of stream up to its last sequence when
// the scan began, calling fn (may be nil) with each, in order.
func scanStream(ctx context.Context, nc *nats.Conn, stream string, fn func(seq uint64, subject string, data []byte) error) (rawScan, error) {
	var st rawScan
	js, err := jetstream.New(nc)
	if err != nil {
		return st, err
	}
	s, err := js.Stream(ctx, stream)
	if err != nil {
		return st, fmt.Errorf("stream %s: %w", stream, err)
	}
	info, err := s.Info(ctx)
	if err != nil {
		return st, err
	}
	last := info.State.LastSeq
	if last == 0 {
		return st, nil
	}
	c, err := s.OrderedConsumer(ctx, jetstream.OrderedConsumerConfig{})
	if err != nil {
		return st, err
	}
	start := time.Now()
	done := make(chan error, 1)
	finished := false
	cc, err := c.Consume(func(m jetstream.Msg) {
		if finished {
			return
		}
		md, err := m.Metadata()
		if err == nil && fn != nil {
			err = fn(md.Sequence.Stream, m.Subject(), m.Data())
		}
		if err != nil {
			finished = true
			done <- err
			return
		}
		st.Messages++
		st.Bytes += int64(len(m.Data()))
		if md.Sequence.Stream >= last {
			finished = true
			done <- nil
		}
	}, jetstream.PullMaxMessages(4096))
	if err != nil {
		return st, err
	}
	select {
	case err = <-done:
	case <-ctx.Done():
		err = ctx.Err()
	}
	st.Duration = time.Since(start)
	cc.Stop()
	<-cc.Closed()
	return st, err
}
