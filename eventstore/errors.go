package eventstore

import "fmt"

// The store's errors are types, because callers branch on what they carry.
// An aggregate with no events is not an error: Load returns an empty
// History (Version 0), which a decider reads as "does not exist yet".

// ConflictError is an append that lost a race: the aggregate moved on since
// the caller loaded it. Nothing was written. Callers branch with errors.As.
type ConflictError struct {
	Subject string
	// ExpectedSeq is the last stream sequence the caller saw on the subject;
	// ActualSeq what the server had (0 when the server did not say).
	ExpectedSeq uint64
	ActualSeq   uint64
}

func (e *ConflictError) Error() string {
	return fmt.Sprintf("append to %s: version conflict (expected last sequence %d, stream has %d)", e.Subject, e.ExpectedSeq, e.ActualSeq)
}

// CorruptError is a stored message that cannot be read as fristad events:
// malformed JSON, an unknown event type, a record for another aggregate.
type CorruptError struct {
	Seq    uint64
	Reason string
	Err    error
}

func (e *CorruptError) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("stream message %d: %s: %v", e.Seq, e.Reason, e.Err)
	}
	return fmt.Sprintf("stream message %d: %s", e.Seq, e.Reason)
}

func (e *CorruptError) Unwrap() error { return e.Err }

// InvalidError is a call with bad arguments (an invalid id, a command id
// that cannot travel in a header, an event of another aggregate kind).
// Nothing was written.
type InvalidError struct {
	Op     string
	Reason string
}

func (e *InvalidError) Error() string { return e.Op + ": " + e.Reason }

// ShreddedError is personal data whose data key was destroyed (culled, or a
// consent document destroyed at the end of a partner contact).
type ShreddedError struct{ Key string }

func (e *ShreddedError) Error() string { return "personal data destroyed (key " + e.Key + ")" }

// CommandReusedError is a command id (an idempotency key) that was used
// before for another command: another body (a different fingerprint), or
// a message that JetStream holds on another aggregate's subject. Nothing
// was written, and the first command's result is not returned: it belongs
// to another request, possibly another record.
type CommandReusedError struct {
	// Seq is the stream sequence of the first command's message (0 if
	// unknown); it is for logs, never for the client.
	Seq uint64
}

func (e *CommandReusedError) Error() string {
	return fmt.Sprintf("command id already used for another command (message %d)", e.Seq)
}
