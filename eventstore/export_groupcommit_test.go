package eventstore

// SupportsAtomicBatch is supportsAtomicBatch for the tests.
var SupportsAtomicBatch = supportsAtomicBatch
