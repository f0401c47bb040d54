package eventstore

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/fristad/fristad/domain"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/oklog/ulid/v2"
)

// AppendOptions says who appends and for which command.
type AppendOptions struct {
	// Actor is the user id (JWT sub) recorded on every event (required).
	Actor string
	// CommandID makes the append idempotent: JetStream drops a message whose
	// id it saw within the duplicate window and the store returns the first
	// result. 1-128 printable ASCII characters.
	CommandID string
	// Fingerprint is a digest of what the command carried (lower-case hex,
	// at most 64 digits). With it, the same CommandID with another
	// fingerprint is a *CommandReusedError, never the first result. The
	// record keeps "CommandID~Fingerprint" as its command (and JetStream
	// its message id).
	Fingerprint string
	// Now overrides the recording time (tests, seeding); zero means now.
	Now time.Time
}

var (
	commandIDRE   = regexp.MustCompile(`^[\x21-\x7e]{1,128}$`)
	fingerprintRE = regexp.MustCompile(`^[0-9a-f]{1,64}$`)
)

// fingerprintSep separates a command id from its fingerprint in a record.
const fingerprintSep = "~"

// storedCommand is the command id as records and JetStream keep it.
func (o AppendOptions) storedCommand() string {
	if o.CommandID == "" || o.Fingerprint == "" {
		return o.CommandID
	}
	return o.CommandID + fingerprintSep + o.Fingerprint
}

// SameCommand compares a stored command id (Envelope.Command) with opt's:
// ok when it is the same command, reused when the id is the same but the
// fingerprint differs (the caller must refuse: *CommandReusedError). A
// record written without a fingerprint matches any.
func (o AppendOptions) SameCommand(stored string) (ok, reused bool) {
	if stored == "" || o.CommandID == "" {
		return false, false
	}
	id, fp, hasFP := strings.Cut(stored, fingerprintSep)
	if !hasFP {
		id = stored
	}
	if id != o.CommandID {
		return false, false
	}
	if hasFP && o.Fingerprint != "" && fp != o.Fingerprint {
		return false, true
	}
	return true, false
}

// carries reports whether r (a result read back from the stream) is this
// command's: its message carries the same command id and fingerprint.
func (o AppendOptions) carries(r Result) bool {
	same, _ := o.SameCommand(r.Events[len(r.Events)-1].Command)
	return same
}

// Result is what an append wrote.
type Result struct {
	Kind    domain.Kind
	ID      domain.ID
	Version uint64 // aggregate version after the append
	Seq     uint64 // stream sequence of the message holding the events
	Events  []Envelope
	// Duplicate is set when the command had already been appended; the
	// result is then the first one and nothing new was written.
	Duplicate bool
	history   *History // the aggregate's history after the append
	subject   string   // the message's subject (a result read back: resultAt)
}

// Append writes the events of one command to an aggregate as one message,
// so they land together or not at all. h is the history the command was
// decided on; the server refuses the message unless the aggregate's last
// stream sequence is still h.LastSeq (a lost race is a *ConflictError).
func (s *Store) Append(ctx context.Context, h *History, events []domain.Event, opt AppendOptions) (Result, error) {
	if h == nil || !h.Kind.Valid() || !h.ID.Valid() {
		return Result{}, &InvalidError{Op: "append", Reason: "no valid aggregate history"}
	}
	if len(events) == 0 {
		return Result{}, &InvalidError{Op: "append", Reason: "no events"}
	}
	if opt.Actor == "" || strings.ContainsAny(opt.Actor, "\r\n") {
		return Result{}, &InvalidError{Op: "append", Reason: "an actor is required"}
	}
	if opt.CommandID != "" && !commandIDRE.MatchString(opt.CommandID) {
		return Result{}, &InvalidError{Op: "append", Reason: "command id must be 1-128 printable ASCII characters"}
	}
	if opt.Fingerprint != "" && (opt.CommandID == "" || !fingerprintRE.MatchString(opt.Fingerprint) ||
		strings.Contains(opt.CommandID, fingerprintSep) || len(opt.storedCommand()) > 128) {
		return Result{}, &InvalidError{Op: "append", Reason: "a fingerprint must be hex, go with a command id without " + fingerprintSep + ", and fit 128 characters with it"}
	}
	now := opt.Now
	if now.IsZero() {
		now = time.Now()
	}
	now = now.UTC().Truncate(time.Microsecond)
	ctx, cancel := s.withTimeout(ctx)
	defer cancel()

	subject := s.subjectFor(h.Kind, h.ID)
	body := bytes.NewBuffer(make([]byte, 0, 512*len(events)))
	body.WriteByte('[')
	envs := make([]Envelope, len(events))
	prev, version := h.head, h.Version
	for i, ev := range events {
		env, raw, err := s.encodeEvent(ctx, h, ev, version+1, prev, now, opt)
		if err != nil {
			return Result{}, err
		}
		if i > 0 {
			body.WriteByte(',')
		}
		body.Write(raw)
		env.Index, env.Last = i, i == len(events)-1
		envs[i] = env
		prev, version = env.Hash, env.Version
	}
	body.WriteByte(']')

	msg := nats.NewMsg(subject)
	msg.Data = body.Bytes()
	// Headers only for the server: every reader parses every header of
	// every message it reads (measured: two more headers cost a replay 7%
	// of its delivery time), and the records already name their types and
	// command. Messages written before kept two such hints; nothing reads them.
	msg.Header.Set(jetstream.ExpectedLastSubjSeqHeader, strconv.FormatUint(h.LastSeq, 10))
	if opt.CommandID != "" {
		msg.Header.Set(jetstream.MsgIDHeader, opt.storedCommand())
	}
	ack, err := s.publish(ctx, subject, opt.storedCommand(), msg)
	if err != nil {
		var apiErr *jetstream.APIError
		if errors.As(err, &apiErr) && (apiErr.ErrorCode == jetstream.JSErrCodeStreamWrongLastSequence ||
			apiErr.ErrorCode == jetstream.JSErrCodeStreamWrongLastSequenceConstant) {
			return Result{}, &ConflictError{Subject: subject, ExpectedSeq: h.LastSeq, ActualSeq: lastSeqFrom(apiErr.Description)}
		}
		return Result{}, fmt.Errorf("eventstore: append to %s: %w", subject, err)
	}
	s.noteAppended(ack.seq)
	if ack.dup {
		// JetStream answers a duplicate message id with the FIRST
		// message's acknowledgement, wherever that message landed. Its
		// result is ours only if it is on our subject and carries our
		// command; anything else is refused, never reported as this
		// command's result.
		first, err := s.resultAt(ctx, ack.seq)
		if err != nil {
			return Result{}, err
		}
		if first.subject != subject {
			return Result{}, &DuplicateElsewhereError{Seq: ack.seq, First: first}
		}
		if !opt.carries(first) {
			return Result{}, &CommandReusedError{Seq: ack.seq}
		}
		return first, nil
	}
	for i := range envs {
		envs[i].Seq = ack.seq
	}
	next := h.extend(envs)
	s.cache.put(subject, next)
	return Result{Kind: h.Kind, ID: h.ID, Version: version, Seq: ack.seq, Events: envs, history: next}, nil
}

// publish stores one command's message: through the group committer when
// the store has one, else on its own. Either way the message keeps its
// own expected-sequence header and id, and the outcome is the server's.
func (s *Store) publish(ctx context.Context, subject, cmdID string, msg *nats.Msg) (commitOutcome, error) {
	var out commitOutcome
	var err error
	if s.committer == nil {
		out = publishAlone(ctx, s.js, msg)
	} else {
		out, err = s.committer.publish(ctx, subject, cmdID, msg)
	}
	if err == nil {
		err = out.err
	}
	return out, err
}

// encodeEvent seals the personal data and builds the stored record of one
// event; it returns the envelope (without Seq) and the record's bytes.
func (s *Store) encodeEvent(ctx context.Context, h *History, ev domain.Event, version uint64, prev []byte, now time.Time, opt AppendOptions) (Envelope, []byte, error) {
	if ev.Facts == nil {
		return Envelope{}, nil, &InvalidError{Op: "append", Reason: "event without facts"}
	}
	name := ev.Name()
	if _, ok := s.registry.Aggregate(name); !ok {
		return Envelope{}, nil, &domain.UnknownEventError{Name: name}
	}
	if !s.registry.AllowedOn(name, h.Kind) {
		return Envelope{}, nil, &InvalidError{Op: "append", Reason: fmt.Sprintf("event %s cannot be appended to a %s", name, h.Kind)}
	}
	facts, schema, err := s.registry.EncodeFacts(ev.Facts)
	if err != nil {
		return Envelope{}, nil, err
	}
	id := domain.ID(ulid.Make().String())
	r := record{recordFacts: recordFacts{
		ID: id, Type: name, Schema: schema, Aggregate: h.Kind, AggregateID: h.ID,
		Version: version, RecordedAt: now, Actor: opt.Actor, Command: opt.storedCommand(),
		Facts: facts,
	}, Prev: prev}
	if ev.Personal != nil {
		if !s.registry.HasPersonal(name) {
			return Envelope{}, nil, &InvalidError{Op: "append", Reason: "event " + name + " carries no personal data"}
		}
		if ev.SealWith == "" {
			return Envelope{}, nil, &InvalidError{Op: "append", Reason: "personal data of " + name + " names no key to seal it with"}
		}
		if r.Sealed, err = s.keys.seal(ctx, id, ev.SealWith, ev.Personal); err != nil {
			return Envelope{}, nil, err
		}
	}
	raw, err := json.Marshal(r)
	if err != nil {
		return Envelope{}, nil, fmt.Errorf("eventstore: encode %s: %w", name, err)
	}
	return Envelope{
		ID: id, Type: name, Schema: schema, Aggregate: h.Kind, AggregateID: h.ID,
		Version: version, RecordedAt: now, Actor: opt.Actor, Command: opt.storedCommand(),
		Facts: ev.Facts, Sealed: r.Sealed, Prev: prev, Hash: s.chain.link(raw),
	}, raw, nil
}

// resultAt rebuilds the result of the message at seq: the first append of
// a command that was retried.
func (s *Store) resultAt(ctx context.Context, seq uint64) (Result, error) {
	m, err := s.stream.GetMsg(ctx, seq)
	if err != nil {
		return Result{}, fmt.Errorf("eventstore: read first result at %d: %w", seq, err)
	}
	envs, err := s.decodeMessage(seq, m.Subject, m.Data, nil)
	if err != nil {
		return Result{}, err
	}
	last := envs[len(envs)-1]
	return Result{Kind: last.Aggregate, ID: last.AggregateID, Version: last.Version, Seq: seq, Events: envs, Duplicate: true, subject: m.Subject}, nil
}

// DuplicateElsewhereError is an append JetStream took for a duplicate
// (same message id) of a message stored on another subject: the command
// id was used on another aggregate. Nothing was written. Execute accepts
// First only for a command that creates its aggregate under a fresh id
// (a retried creation); everyone else must refuse it.
type DuplicateElsewhereError struct {
	Seq   uint64
	First Result
}

func (e *DuplicateElsewhereError) Error() string {
	return fmt.Sprintf("command id already used on another aggregate (message %d)", e.Seq)
}

// lastSeqFrom reads the sequence out of "wrong last sequence: 42".
func lastSeqFrom(desc string) uint64 {
	_, n, ok := strings.Cut(desc, ": ")
	if !ok {
		return 0
	}
	v, _ := strconv.ParseUint(strings.TrimSpace(n), 10, 64)
	return v
}
