package eventstoretest

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fristad/fristad/domain"
	"github.com/fristad/fristad/eventstore"
	"github.com/nats-io/nats.go/jetstream"
)

// The store's contract, in the spirit of an event-sourcing library's
// shared test suite: what every configuration of the store must keep (one
// embedded server, a three-node cluster, and later the append path with
// group commit on and off). It runs against its own small aggregate (a
// ledger on case subjects), so that it tests the store and not fristad's
// rules.

// Factory opens a store on a fresh stream for one test, with the registry
// the suite gives, and closes it when the test ends. It returns the config
// the store was opened with: the suite reads what is stored through its
// connection and stream.
type Factory func(t *testing.T, registry *domain.Registry) (*eventstore.Store, eventstore.Config)

// Run runs the contract against the stores open makes.
func Run(t *testing.T, open Factory) {
	for _, c := range []struct {
		name string
		run  func(*testing.T, Factory)
	}{
		{"AtomicCommands", atomicCommands},
		{"OptimisticConcurrency", optimisticConcurrency},
		{"IdempotencyScopedToTheAggregate", idempotencyScoped},
		{"ChainLinks", chainLinks},
		{"FactsOnlyReads", factsOnlyReads},
		{"Sealing", sealing},
		{"Shredding", shredding},
	} {
		t.Run(c.name, func(t *testing.T) { c.run(t, open) })
	}
}

// --- the suite's aggregate ---------------------------------------------------

type ledgerOpened struct {
	Unit string `json:"unit"`
}

func (ledgerOpened) EventName() string { return "case.ledger_opened" }

type ledgerEntry struct {
	N int `json:"n"`
}

func (ledgerEntry) EventName() string { return "case.ledger_entry" }

type ledgerOwner struct {
	Name string `json:"name"`
}

func suiteRegistry() *domain.Registry {
	r := domain.NewRegistry()
	domain.Register[ledgerOpened, ledgerOwner](r, domain.KindCase, 1)
	domain.Register[ledgerEntry, ledgerOwner](r, domain.KindCase, 1)
	return r
}

type ledger struct {
	id      domain.ID
	exists  bool
	entries []int
}

// openLedger opens a ledger whose owner's name is personal data, sealed
// with the ledger's own person key.
type openLedger struct{ Unit, Owner string }

// addEntries adds N entries as one command; Note, when set, is personal
// data on the middle entry and Unsealed leaves it without a key (an
// invalid event, so the whole command must be refused).
type addEntries struct {
	N        int
	Note     string
	Unsealed bool
}

func (openLedger) CommandName() string { return "open-ledger" }
func (addEntries) CommandName() string { return "add-entries" }

func ledgerDecider() domain.Decider[ledger] {
	return domain.Decider[ledger]{
		Kind:    domain.KindCase,
		Initial: func(id domain.ID) ledger { return ledger{id: id} },
		Decide: func(s ledger, c domain.Command) ([]domain.Event, error) {
			switch c := c.(type) {
			case openLedger:
				if s.exists {
					return nil, &domain.RuleError{Rule: "already-exists", Detail: "exists"}
				}
				return []domain.Event{{Facts: ledgerOpened{Unit: c.Unit}, Personal: ledgerOwner{Name: c.Owner}, SealWith: domain.PersonKey(s.id)}}, nil
			case addEntries:
				if !s.exists {
					return nil, &domain.RuleError{Rule: "not-found", Detail: "no such ledger"}
				}
				var out []domain.Event
				for i := range c.N {
					ev := domain.Event{Facts: ledgerEntry{N: len(s.entries) + i}}
					if i == c.N/2 && c.Note != "" {
						ev.Personal = ledgerOwner{Name: c.Note}
						if !c.Unsealed {
							ev.SealWith = domain.PersonKey(s.id)
						}
					}
					out = append(out, ev)
				}
				return out, nil
			}
			return nil, domain.ErrUnknownCommand
		},
		Evolve: func(s ledger, ev domain.Recorded) ledger {
			switch f := ev.Facts.(type) {
			case ledgerOpened:
				s.exists = true
			case ledgerEntry:
				s.entries = append(s.entries, f.N)
			}
			return s
		},
	}
}

// --- helpers -----------------------------------------------------------------

func suiteCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	t.Cleanup(cancel)
	return ctx
}

func execute(ctx context.Context, s *eventstore.Store, id domain.ID, cmd domain.Command, commandID string) (eventstore.Result, error) {
	return eventstore.Execute(ctx, s, ledgerDecider(), id, cmd, eventstore.ExecOptions{
		AppendOptions: eventstore.AppendOptions{Actor: "anna", CommandID: commandID},
	})
}

func mustExecute(t *testing.T, s *eventstore.Store, id domain.ID, cmd domain.Command) eventstore.Result {
	t.Helper()
	r, err := execute(suiteCtx(t), s, id, cmd, "")
	if err != nil {
		t.Fatalf("%s: %v", cmd.CommandName(), err)
	}
	return r
}

func load(t *testing.T, s *eventstore.Store, id domain.ID) *eventstore.History {
	t.Helper()
	h, err := s.Load(suiteCtx(t), domain.KindCase, id)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func lastSeq(t *testing.T, s *eventstore.Store) uint64 {
	t.Helper()
	seq, err := s.LastSeq(suiteCtx(t))
	if err != nil {
		t.Fatal(err)
	}
	return seq
}

// storedBytes is every stored message of the store's stream (subject,
// headers and data) as one string, for searching.
func storedBytes(t *testing.T, cfg eventstore.Config) string {
	t.Helper()
	ctx := suiteCtx(t)
	js, err := jetstream.New(cfg.Conn)
	if err != nil {
		t.Fatal(err)
	}
	st, err := js.Stream(ctx, cfg.Stream)
	if err != nil {
		t.Fatal(err)
	}
	info, err := st.Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for seq := info.State.FirstSeq; seq <= info.State.LastSeq && info.State.Msgs > 0; seq++ {
		m, err := st.GetMsg(ctx, seq)
		if err != nil {
			t.Fatal(err)
		}
		b.WriteString(m.Subject)
		b.Write(m.Data)
		for k, v := range m.Header {
			b.WriteString(k + strings.Join(v, ","))
		}
	}
	return b.String()
}

// --- the contract ------------------------------------------------------------

// atomicCommands: a command's events are one message, stored whole or
// not at all.
func atomicCommands(t *testing.T, open Factory) {
	s, _ := open(t, suiteRegistry())
	id := domain.NewID()
	mustExecute(t, s, id, openLedger{Unit: "u", Owner: "Ägare Ett"})
	before := lastSeq(t, s)
	r := mustExecute(t, s, id, addEntries{N: 5})
	if got := lastSeq(t, s); got != before+1 {
		t.Fatalf("five events took %d messages, want 1", got-before)
	}
	if len(r.Events) != 5 {
		t.Fatalf("result holds %d events, want 5", len(r.Events))
	}
	for i, e := range r.Events {
		if e.Seq != r.Seq || e.Index != i || e.Last != (i == 4) {
			t.Errorf("event %d: seq %d index %d last %v; want the command's message %d", i, e.Seq, e.Index, e.Last, r.Seq)
		}
	}
	// A command with one bad event in the middle writes none of them.
	_, err := execute(suiteCtx(t), s, id, addEntries{N: 5, Note: "x", Unsealed: true}, "")
	var invalid *eventstore.InvalidError
	if !errors.As(err, &invalid) {
		t.Fatalf("personal data without a key: got %v, want *InvalidError", err)
	}
	if got := lastSeq(t, s); got != before+1 {
		t.Errorf("the refused command wrote %d messages", got-before-1)
	}
	if h := load(t, s, id); h.Version != 6 {
		t.Errorf("version %d after open and five entries, want 6", h.Version)
	}
}

// optimisticConcurrency: an append decided on a history that moved on is
// refused with *ConflictError and writes nothing; of two racing appends
// on one history exactly one wins.
func optimisticConcurrency(t *testing.T, open Factory) {
	s, _ := open(t, suiteRegistry())
	ctx := suiteCtx(t)
	id := domain.NewID()
	mustExecute(t, s, id, openLedger{Unit: "u", Owner: "n"})
	h := load(t, s, id)
	opt := eventstore.AppendOptions{Actor: "anna"}
	errs := make([]error, 2)
	var wg sync.WaitGroup
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = s.Append(ctx, h, []domain.Event{{Facts: ledgerEntry{N: i}}}, opt)
		}()
	}
	wg.Wait()
	var conflict *eventstore.ConflictError
	if (errs[0] == nil) == (errs[1] == nil) {
		t.Fatalf("want exactly one winner: %v", errs)
	}
	if !errors.As(errs[0], &conflict) && !errors.As(errs[1], &conflict) {
		t.Fatalf("the loser gets a *ConflictError: %v", errs)
	}
	before := lastSeq(t, s)
	if _, err := s.Append(ctx, h, []domain.Event{{Facts: ledgerEntry{N: 9}}}, opt); !errors.As(err, &conflict) {
		t.Fatalf("a stale history: got %v, want *ConflictError", err)
	}
	if got := lastSeq(t, s); got != before {
		t.Errorf("a refused append wrote %d messages", got-before)
	}
	if got := load(t, s, id).Version; got != 2 {
		t.Errorf("version %d, want 2 (open and the one winner)", got)
	}
}

// idempotencyScoped: a command id retried on its aggregate returns the
// first result and writes nothing; so does a creation retried under a
// fresh id; the id of a command on one existing aggregate used on another
// is never answered with the first aggregate's result.
func idempotencyScoped(t *testing.T, open Factory) {
	s, _ := open(t, suiteRegistry())
	ctx := suiteCtx(t)
	a, b := domain.NewID(), domain.NewID()
	for _, step := range []struct {
		cmd domain.Command
		key string
	}{{openLedger{Unit: "u", Owner: "n"}, "key-open"}, {addEntries{N: 2}, "key-add"}} {
		first, err := execute(ctx, s, a, step.cmd, step.key)
		if err != nil {
			t.Fatal(err)
		}
		before := lastSeq(t, s)
		again, err := execute(ctx, s, a, step.cmd, step.key)
		if err != nil {
			t.Fatal(err)
		}
		if !again.Duplicate || again.Seq != first.Seq || again.Version != first.Version || again.ID != a {
			t.Errorf("%s retried: %+v, want the first result (seq %d, version %d)", step.key, again, first.Seq, first.Version)
		}
		if got := lastSeq(t, s); got != before {
			t.Errorf("%s retried wrote %d messages", step.key, got-before)
		}
	}
	// A creating command retried under a fresh id (a client retrying a
	// POST that mints the id) is the same creation: the first result,
	// nothing written.
	before := lastSeq(t, s)
	again, err := execute(ctx, s, domain.NewID(), openLedger{Unit: "u", Owner: "n"}, "key-open")
	if err != nil || again.ID != a || !again.Duplicate {
		t.Errorf("a creation retried under a fresh id: %+v %v, want %s's first result", again, err, a)
	}
	if got := lastSeq(t, s); got != before {
		t.Errorf("the retried creation wrote %d messages", got-before)
	}
	// The id of a command on an existing aggregate, used on another
	// existing aggregate, is never answered with the first one's result.
	mustExecute(t, s, b, openLedger{Unit: "u", Owner: "m"})
	if res, err := execute(ctx, s, b, addEntries{N: 1}, "key-add"); err == nil && (res.ID != b || res.Duplicate) {
		t.Errorf("key-add on another aggregate was answered with %s's result", res.ID)
	}
	if got := load(t, s, a).Version; got != 3 {
		t.Errorf("aggregate a at version %d, want 3", got)
	}
}

// chainLinks: every event links to its predecessor's hash across
// commands, and Verify walks the chains without a break.
func chainLinks(t *testing.T, open Factory) {
	s, _ := open(t, suiteRegistry())
	ids := []domain.ID{domain.NewID(), domain.NewID()}
	for _, id := range ids {
		mustExecute(t, s, id, openLedger{Unit: "u", Owner: "n"})
		mustExecute(t, s, id, addEntries{N: 3})
		mustExecute(t, s, id, addEntries{N: 1})
	}
	for _, id := range ids {
		h := load(t, s, id)
		if len(h.Events) != 5 {
			t.Fatalf("%d events, want 5", len(h.Events))
		}
		if len(h.Events[0].Prev) != 0 {
			t.Errorf("the first event links to something")
		}
		for i := 1; i < len(h.Events); i++ {
			if len(h.Events[i-1].Hash) == 0 || string(h.Events[i].Prev) != string(h.Events[i-1].Hash) {
				t.Errorf("event %d does not link to event %d", i, i-1)
			}
		}
	}
	rep, err := s.Verify(suiteCtx(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	if !rep.OK() || rep.Events != 10 || rep.Aggregates != 2 {
		t.Errorf("verify: %+v, want 10 events of 2 aggregates and no break", rep)
	}
}

// factsOnlyReads: Read and Subscribe hand out facts without personal data
// or links, and Unseal refuses such envelopes; Load's unseal.
func factsOnlyReads(t *testing.T, open Factory) {
	s, _ := open(t, suiteRegistry())
	ctx := suiteCtx(t)
	id := domain.NewID()
	mustExecute(t, s, id, openLedger{Unit: "u", Owner: "Ägare Två"})
	mustExecute(t, s, id, addEntries{N: 2})
	check := func(how string, envs []eventstore.Envelope) {
		t.Helper()
		if len(envs) != 3 {
			t.Fatalf("%s: %d events, want 3", how, len(envs))
		}
		for _, e := range envs {
			if !e.FactsOnly || e.Sealed != nil || e.Prev != nil {
				t.Errorf("%s: event %s carries more than facts", how, e.ID)
			}
		}
		if _, err := s.Unseal(ctx, &envs[0]); err == nil {
			t.Errorf("%s: Unseal opened a facts-only envelope", how)
		}
		if got, ok := envs[0].Facts.(ledgerOpened); !ok || got.Unit != "u" {
			t.Errorf("%s: facts %#v", how, envs[0].Facts)
		}
	}
	var read []eventstore.Envelope
	if _, err := s.Read(ctx, 1, func(e *eventstore.Envelope) error { read = append(read, *e); return nil }); err != nil {
		t.Fatal(err)
	}
	check("Read", read)

	var sub []eventstore.Envelope
	sctx, cancel := context.WithCancel(ctx)
	err := s.Subscribe(sctx, 1, func(envs []eventstore.Envelope) error {
		sub = append(sub, envs...)
		if len(sub) >= 3 {
			cancel()
		}
		return nil
	})
	if err != nil && !errors.Is(err, context.Canceled) {
		t.Fatal(err)
	}
	check("Subscribe", sub)

	h := load(t, s, id)
	p, err := s.Unseal(ctx, &h.Events[0])
	if err != nil {
		t.Fatal(err)
	}
	if o, ok := p.(*ledgerOwner); !ok || o.Name != "Ägare Två" {
		t.Errorf("unsealed %#v", p)
	}
}

// sealing: personal data never lies on the stream in clear, in no
// message and no header.
func sealing(t *testing.T, open Factory) {
	s, cfg := open(t, suiteRegistry())
	id := domain.NewID()
	mustExecute(t, s, id, openLedger{Unit: "u", Owner: "Zlatana Hemligsdottir"})
	mustExecute(t, s, id, addEntries{N: 3, Note: "Storgatan 12, Ystad"})
	raw := storedBytes(t, cfg)
	for _, clear := range []string{"Zlatana", "Hemligsdottir", "Storgatan", "Ystad"} {
		if strings.Contains(raw, clear) {
			t.Errorf("%q is on the stream in clear", clear)
		}
	}
	h := load(t, s, id)
	p, err := s.Unseal(suiteCtx(t), &h.Events[2])
	if err != nil {
		t.Fatal(err)
	}
	if o, ok := p.(*ledgerOwner); !ok || o.Name != "Storgatan 12, Ystad" {
		t.Errorf("unsealed %#v", p)
	}
	for _, e := range h.Events {
		if e.Sealed != nil && e.Sealed.Key != domain.PersonKey(id) {
			t.Errorf("event %s sealed with %s, want the person's key", e.ID, e.Sealed.Key)
		}
	}
}

// shredding: destroying a person's key makes their personal data
// unreadable everywhere (*ShreddedError), while the facts, the chain and
// every other person's data stay.
func shredding(t *testing.T, open Factory) {
	s, _ := open(t, suiteRegistry())
	ctx := suiteCtx(t)
	gone, kept := domain.NewID(), domain.NewID()
	mustExecute(t, s, gone, openLedger{Unit: "u", Owner: "Gallras"})
	mustExecute(t, s, kept, openLedger{Unit: "u", Owner: "Sparas"})
	if err := s.Keys().Destroy(ctx, domain.PersonKey(gone)); err != nil {
		t.Fatal(err)
	}
	h := load(t, s, gone)
	_, err := s.Unseal(ctx, &h.Events[0])
	var shredded *eventstore.ShreddedError
	if !errors.As(err, &shredded) {
		t.Fatalf("after culling: %v, want *ShreddedError", err)
	}
	if f, ok := h.Events[0].Facts.(ledgerOpened); !ok || f.Unit != "u" {
		t.Errorf("facts after culling: %#v", h.Events[0].Facts)
	}
	hk := load(t, s, kept)
	if p, err := s.Unseal(ctx, &hk.Events[0]); err != nil || p.(*ledgerOwner).Name != "Sparas" {
		t.Errorf("another person's data: %v %v", p, err)
	}
	// A later write about the person never makes the old data readable
	// again, whatever key it is sealed with.
	_, _ = execute(ctx, s, gone, addEntries{N: 1, Note: "ny"}, "")
	h = load(t, s, gone)
	if p, err := s.Unseal(ctx, &h.Events[0]); err == nil {
		t.Errorf("old personal data opened again after a later write: %v", p)
	}
	rep, err := s.Verify(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !rep.OK() {
		t.Errorf("culling broke a chain: %v", rep.Breaks)
	}
}
