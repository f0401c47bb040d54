package domain

import "time"

// Recorded is an event as it was stored: the decider's facts plus what the
// event store added (id, version, time, actor). Evolve folds these.
type Recorded struct {
	ID         ID
	Version    uint64
	RecordedAt time.Time
	Actor      string
	Facts      Facts
	// Schema is the schema version the event was stored with (its facts
	// are already upcast to the current one); 0 when not known, which
	// folds as the current version. Only a fold that must tell events of
	// old code from new ones reads it (the partner contact's split, ADR 0200).
	Schema int
}

// Command is anything a decider can be asked to do. Each aggregate has its
// own command types; a decider refuses the others with ErrUnknownCommand.
type Command interface {
	// CommandName is a stable name for logs and metrics (never personal data).
	CommandName() string
}

// Decider is an aggregate as two pure functions (the decider pattern):
// Decide checks a command against the current state and returns the new
// events or an error; Evolve folds one stored event into the state. Neither
// does I/O, so both are tested Given events / When command / Then events.
type Decider[S any] struct {
	Kind    Kind
	Initial func(id ID) S
	Decide  func(state S, cmd Command) ([]Event, error)
	Evolve  func(state S, ev Recorded) S
	// Clone, when set, copies a state so that Evolve on the copy leaves the
	// original as it was (Evolve may change what it is given in place). It
	// lets the event store keep a folded state with a cached history and
	// fold only the new events onto a copy, instead of the whole history
	// for every command.
	Clone func(state S) S
}

// Fold replays history into a state.
func (d Decider[S]) Fold(id ID, history []Recorded) S {
	s := d.Initial(id)
	for _, ev := range history {
		s = d.Evolve(s, ev)
	}
	return s
}
