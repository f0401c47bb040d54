package eventstore

// SupportsAtomicBatch is supportsAtomicBatch for the tests.
var SupportsAtomicBatch = supportsAtomicBatch

// ErrCommitterClosed is errCommitterClosed for the tests.
var ErrCommitterClosed = errCommitterClosed
