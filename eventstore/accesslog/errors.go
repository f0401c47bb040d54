package accesslog

import (
	"errors"
	"fmt"
)

// InvalidError is an entry Append refuses (no user, an unknown action, an
// invalid id, a reason too long, an entry too large). Nothing was stored.
type InvalidError struct{ Reason string }

func (e *InvalidError) Error() string { return "access log: " + e.Reason }

// CorruptError is a stored message Query cannot read as entries.
type CorruptError struct {
	Seq uint64
	Err error
}

func (e *CorruptError) Error() string {
	return fmt.Sprintf("access log message %d: malformed access entry: %v", e.Seq, e.Err)
}

func (e *CorruptError) Unwrap() error { return e.Err }

// errClosed is an Append after Close, or one Close abandoned.
var errClosed = errors.New("access log: closed")
