package eventstore

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/fristad/fristad/domain"
	"github.com/nats-io/nats.go/jetstream"
)

// VersionMismatchError is a conditional command (If-Match) whose expected
// aggregate version is not the current one. Nothing was written.
type VersionMismatchError struct {
	Expected, Current uint64
}

func (e *VersionMismatchError) Error() string {
	return fmt.Sprintf("aggregate is at version %d, not %d", e.Current, e.Expected)
}

// ExecOptions are AppendOptions plus an optional expected version.
type ExecOptions struct {
	AppendOptions
	// ExpectVersion, when set, makes the command conditional (If-Match).
	ExpectVersion *uint64
}

// Execute runs one command against one aggregate: load its history, fold
// it, decide, append the events as one message. A retried command id
// returns the first result and appends nothing, whether the retry comes
// within JetStream's duplicate window or long after (for commands on an
// existing aggregate the history itself shows the command id; for those
// that created one, a KV record keeps the result for IdempotencyTTL).
func Execute[S any](ctx context.Context, s *Store, d domain.Decider[S], id domain.ID, cmd domain.Command, opt ExecOptions) (Result, error) {
	if opt.CommandID != "" {
		if r, ok, err := s.lookupCommand(ctx, d.Kind, opt.AppendOptions); err != nil || ok {
			return r, err
		}
	}
	// Decide on the cached history when there is one: the server's
	// expected-sequence check refuses the append if it was stale, and only
	// then is the history reloaded and the command decided again. A lost
	// race is reported only when it is lost against fresh state too.
	h, fresh, err := s.cachedOrLoad(ctx, d.Kind, id)
	if err != nil {
		return Result{}, err
	}
	for {
		res, err := decideAndAppend(ctx, s, d, h, cmd, opt)
		var conflict *ConflictError
		var mismatch *VersionMismatchError
		if fresh && opt.CommandID != "" && errors.As(err, &conflict) {
			// The server checks the expected sequence before the
			// message id, so a retry whose first attempt appended after
			// the retry loaded is refused as a conflict, not answered as
			// a duplicate: the history shows whether the command is in.
			return retriedCommandOr(ctx, s, d.Kind, id, opt, err)
		}
		if fresh || !(errors.As(err, &conflict) || errors.As(err, &mismatch)) {
			return res, err
		}
		if h, err = s.Load(ctx, d.Kind, id); err != nil {
			return Result{}, err
		}
		fresh = true
	}
}

// retriedCommandOr returns the result of the command with opt's id if the
// aggregate's history now holds it, else conflict.
func retriedCommandOr(ctx context.Context, s *Store, kind domain.Kind, id domain.ID, opt ExecOptions, conflict error) (Result, error) {
	h, err := s.Load(ctx, kind, id)
	if err != nil {
		return Result{}, err
	}
	if r, ok, err := resultInHistory(h, opt.AppendOptions); ok || err != nil {
		return r, err
	}
	return Result{}, conflict
}

func decideAndAppend[S any](ctx context.Context, s *Store, d domain.Decider[S], h *History, cmd domain.Command, opt ExecOptions) (Result, error) {
	if opt.CommandID != "" {
		if r, ok, err := resultInHistory(h, opt.AppendOptions); ok || err != nil {
			return r, err
		}
	}
	if opt.ExpectVersion != nil && *opt.ExpectVersion != h.Version {
		return Result{}, &VersionMismatchError{Expected: *opt.ExpectVersion, Current: h.Version}
	}
	state := State(d, h)
	events, err := d.Decide(state, cmd)
	if err != nil {
		return Result{}, err
	}
	if len(events) == 0 {
		return Result{Kind: h.Kind, ID: h.ID, Version: h.Version, Seq: h.LastSeq}, nil
	}
	res, err := s.Append(ctx, h, events, opt.AppendOptions)
	var elsewhere *DuplicateElsewhereError
	if errors.As(err, &elsewhere) {
		// A creating command retried while its first attempt is within
		// JetStream's duplicate window: the first attempt created the
		// aggregate under another fresh id. That result is this command's
		// own (same command id and fingerprint, same kind); for a command
		// on an existing aggregate it never is.
		first := elsewhere.First
		if !h.Exists() && first.Kind == h.Kind && opt.carries(first) && first.Events[0].Version == 1 {
			return first, nil
		}
		return Result{}, &CommandReusedError{Seq: elsewhere.Seq}
	}
	if err != nil {
		return Result{}, err
	}
	if opt.CommandID != "" && !h.Exists() && !res.Duplicate {
		s.rememberCommand(ctx, opt.AppendOptions, res)
	}
	if d.Clone != nil && res.history != nil {
		// The state after the append is the state decided on plus the new
		// events, folded onto a copy: the decided-on state stays as it is
		// for whoever else holds the older history.
		next := d.Clone(state)
		for i := range res.Events {
			next = d.Evolve(next, res.Events[i].Recorded())
		}
		res.history.folded.CompareAndSwap(nil, &foldedState{kind: d.Kind, state: next})
	}
	return res, nil
}

// State is the state of h's aggregate as d folds it. A decider that can
// clone its states (Decider.Clone) folds a history once: the state is kept
// with the history, Decide only reads it, and Execute folds a command's
// new events onto a clone. Folding a long history for every command or
// read cost as much as the rest of it. The state returned is shared: read
// it, never change it.
func State[S any](d domain.Decider[S], h *History) S {
	if f := h.folded.Load(); f != nil && f.kind == d.Kind {
		if state, ok := f.state.(S); ok {
			return state
		}
	}
	state := d.Initial(h.ID)
	for i := range h.Events {
		state = d.Evolve(state, h.Events[i].Recorded())
	}
	if d.Clone != nil {
		h.folded.CompareAndSwap(nil, &foldedState{kind: d.Kind, state: state})
	}
	return state
}

// resultInHistory finds the message a command appended earlier; the same
// command id with another fingerprint is a *CommandReusedError.
func resultInHistory(h *History, opt AppendOptions) (Result, bool, error) {
	for i := range h.Events {
		e := &h.Events[i]
		if !e.Last {
			continue
		}
		same, reused := opt.SameCommand(e.Command)
		if reused {
			return Result{}, false, &CommandReusedError{Seq: e.Seq}
		}
		if !same {
			continue
		}
		first := i
		for first > 0 && h.Events[first-1].Seq == e.Seq {
			first--
		}
		return Result{Kind: h.Kind, ID: h.ID, Version: e.Version, Seq: e.Seq, Events: h.Events[first : i+1], Duplicate: true}, true, nil
	}
	return Result{}, false, nil
}

type commandRecord struct {
	Kind    domain.Kind `json:"kind"`
	ID      domain.ID   `json:"id"`
	Version uint64      `json:"version"`
	Seq     uint64      `json:"seq"`
	// Command is the stored command id (with its fingerprint); records
	// written before it was kept have none.
	Command string `json:"command,omitempty"`
}

func commandKey(id string) string {
	sum := sha256.Sum256([]byte(id))
	return hex.EncodeToString(sum[:])
}

// lookupCommand finds the result of a creating command by its id. A
// record of another kind of aggregate, another fingerprint, or whose
// message does not carry the command is a *CommandReusedError.
func (s *Store) lookupCommand(ctx context.Context, kind domain.Kind, opt AppendOptions) (Result, bool, error) {
	e, err := s.commands.Get(ctx, commandKey(opt.CommandID))
	if errors.Is(err, jetstream.ErrKeyNotFound) || errors.Is(err, jetstream.ErrKeyDeleted) {
		return Result{}, false, nil
	}
	if err != nil {
		return Result{}, false, fmt.Errorf("eventstore: command lookup: %w", err)
	}
	var rec commandRecord
	if err := json.Unmarshal(e.Value(), &rec); err != nil {
		return Result{}, false, fmt.Errorf("eventstore: command lookup: malformed record: %w", err)
	}
	r, err := s.resultAt(ctx, rec.Seq)
	if err != nil {
		return Result{}, false, err
	}
	if !opt.carries(r) || r.Kind != kind || r.ID != rec.ID {
		return Result{}, false, &CommandReusedError{Seq: rec.Seq}
	}
	return r, true, nil
}

// rememberCommand records a creating command's result. It is best effort:
// if it fails, a retry within the duplicate window is still caught by
// JetStream, and the first result stands in the stream either way.
func (s *Store) rememberCommand(ctx context.Context, opt AppendOptions, r Result) {
	b, _ := json.Marshal(commandRecord{Kind: r.Kind, ID: r.ID, Version: r.Version, Seq: r.Seq, Command: opt.storedCommand()})
	_, _ = s.commands.Put(ctx, commandKey(opt.CommandID), b)
}
