package eventstore

import "context"

// What the package's external tests need of its insides, compiled only
// into tests.

// ScanMessages calls fn with every stored message up to the end of the
// stream as it was when the scan began, undecoded.
func (s *Store) ScanMessages(ctx context.Context, fn func(seq uint64, subject string, data []byte) error) error {
	last, err := s.LastSeq(ctx)
	if err != nil {
		return err
	}
	return s.readMessages(ctx, 1, last, func(m rawMsg) error { return fn(m.seq, m.subject, m.data) })
}

// ReadFrom decodes messages from elsewhere (an altered copy of the log)
// as Read decodes the stream's.
func (s *Store) ReadFrom(ctx context.Context, source func(ctx context.Context, emit func(seq uint64, subject string, data []byte) bool) error, fn func(*Envelope) error) error {
	return s.readFrom(ctx, source, fn)
}
