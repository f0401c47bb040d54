package eventstore

import (
	"context"
	"runtime"
	"sync"
)

// decodeBatch is how many messages travel through the parallel decoder
// together. Handing them over one by one cost four channel operations and
// a wake-up per message, as much as decoding a small one.
const decodeBatch = 256

// batch is a run of messages on their way through the parallel decoder.
type batch struct {
	msgs []rawMsg
	envs [][]Envelope // per message, once done is closed
	err  error        // the first message that failed to decode
	done chan struct{}
}

// decodeOrdered decodes the messages that produce emits on every core and
// hands each message's events to consume in stream order. Decoding JSON
// is what bounds a replay; applying events stays on one goroutine.
//
// Messages are decoded in batches. A batch is handed over when it is full,
// when the message says nothing more is pending (rawMsg.pending is 0: a
// live subscription at the end of the stream waits for nothing), or when
// produce returns.
func (s *Store) decodeOrdered(ctx context.Context, produce func(ctx context.Context, emit func(rawMsg) bool) error, consume func([]Envelope) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	workers := max(1, runtime.GOMAXPROCS(0))
	work := make(chan *batch, 2*workers)
	order := make(chan *batch, 2*workers)
	send := func(b *batch) bool {
		select {
		case work <- b:
		case <-ctx.Done():
			return false
		}
		select {
		case order <- b:
			return true
		case <-ctx.Done():
			return false
		}
	}
	var produced error
	go func() {
		defer close(order)
		defer close(work)
		var b *batch
		produced = produce(ctx, func(m rawMsg) bool {
			if b == nil {
				b = &batch{msgs: make([]rawMsg, 0, decodeBatch), done: make(chan struct{})}
			}
			b.msgs = append(b.msgs, m)
			if len(b.msgs) < decodeBatch && m.pending > 0 {
				return ctx.Err() == nil
			}
			full := b
			b = nil
			return send(full)
		})
		if b != nil && produced == nil {
			send(b)
		}
	}()
	var wg sync.WaitGroup
	defer wg.Wait()
	for i := 0; i < workers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for b := range work {
				b.envs = make([][]Envelope, len(b.msgs))
				for i, m := range b.msgs {
					envs, err := s.decodeMessage(m.seq, m.subject, m.data, nil)
					if err != nil {
						b.envs, b.err = b.envs[:i], err
						break
					}
					b.envs[i] = envs
				}
				close(b.done)
			}
		}()
	}
	fail := func(err error) error {
		cancel()
		for range order { // let the producer finish
		}
		return err
	}
	for b := range order {
		<-b.done
		// The events of the messages before a corrupt one are applied,
		// as they were when messages went through one by one.
		for _, envs := range b.envs {
			if err := consume(envs); err != nil {
				return fail(err)
			}
		}
		if b.err != nil {
			return fail(b.err)
		}
	}
	// The producer's result is visible here: it was set before order closed.
	return produced
}
