package eventstore

// GroupCommitStats exposes the committer's counters to the package's
// external tests: batches sent, commands they carried, batches refused;
// found: stale commands named by the server's reply.
func GroupCommitStats(s *Store) (batches, batched, refused, found int64) {
	if s.committer == nil {
		return 0, 0, 0, 0
	}
	c := s.committer
	return c.batches.Load(), c.batched.Load(), c.refused.Load(), c.found.Load()
}

// SupportsAtomicBatch is supportsAtomicBatch for the tests.
var SupportsAtomicBatch = supportsAtomicBatch
