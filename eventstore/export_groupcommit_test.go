package eventstore

// GroupCommitStats exposes the committer's counters to the package's
// external tests: batches sent, commands they carried, batches refused.
func GroupCommitStats(s *Store) (batches, batched, refused int64) {
	if s.committer == nil {
		return 0, 0, 0
	}
	return s.committer.batches.Load(), s.committer.batched.Load(), s.committer.refused.Load()
}

// SupportsAtomicBatch is supportsAtomicBatch for the tests.
var SupportsAtomicBatch = supportsAtomicBatch
