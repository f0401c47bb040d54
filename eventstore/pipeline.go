package eventstore

import (
	"context"
	"runtime"
	"sync"
)

// decoded is one message on its way through the parallel decoder.
type decoded struct {
	msg  rawMsg
	envs []Envelope
	err  error
	done chan struct{}
}

// decodeOrdered decodes the messages that produce emits on every core and
// hands each message's events to consume in stream order. Decoding JSON
// is what bounds a replay; applying events stays on one goroutine.
func (s *Store) decodeOrdered(ctx context.Context, produce func(ctx context.Context, emit func(rawMsg) bool) error, consume func([]Envelope) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	workers := max(1, runtime.GOMAXPROCS(0))
	work := make(chan *decoded, 512)
	order := make(chan *decoded, 512)
	var produced error
	go func() {
		defer close(order)
		defer close(work)
		produced = produce(ctx, func(m rawMsg) bool {
			d := &decoded{msg: m, done: make(chan struct{})}
			select {
			case work <- d:
			case <-ctx.Done():
				return false
			}
			select {
			case order <- d:
				return true
			case <-ctx.Done():
				return false
			}
		})
	}()
	var wg sync.WaitGroup
	defer wg.Wait()
	for i := 0; i < workers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for d := range work {
				d.envs, d.err = s.decodeMessage(d.msg.seq, d.msg.subject, d.msg.data, nil)
				close(d.done)
			}
		}()
	}
	for d := range order {
		<-d.done
		err := d.err
		if err == nil {
			err = consume(d.envs)
		}
		if err != nil {
			cancel()
			for range order { // let the producer finish
			}
			return err
		}
	}
	// The producer's result is visible here: it was set before order closed.
	return produced
}
