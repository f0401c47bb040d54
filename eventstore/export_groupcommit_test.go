package eventstore

// SupportsAtomicBatch is supportsAtomicBatch for the tests.
var SupportsAtomicBatch = supportsAtomicBatch

// ErrCommitterClosed is errCommitterClosed for the tests.
var ErrCommitterClosed = errCommitterClosed

// HoldGroupCommit keeps the store's committer from taking queued
// commands (as while a lone writer publishes) and in batching mode, so a
// test can gather writers deterministically; release lets the committer
// take every queued command into one batch. queued counts the commands
// waiting.
func HoldGroupCommit(s *Store) (queued func() int, release func()) {
	c := s.committer
	c.mu.Lock()
	c.alone = true
	c.choose.batching = true
	c.mu.Unlock()
	queued = func() int {
		c.mu.Lock()
		defer c.mu.Unlock()
		return len(c.queue)
	}
	release = func() {
		c.mu.Lock()
		c.alone = false
		c.target = max(len(c.queue), 1)
		c.mu.Unlock()
		c.signal()
	}
	return queued, release
}
