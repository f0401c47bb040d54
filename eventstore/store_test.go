package eventstore_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fristad/fristad/domain"
	"github.com/fristad/fristad/eventstore"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAppendAndLoadRoundTrip(t *testing.T) {
	s := newStore(t)
	id := domain.NewID()
	r1 := mustExec(t, s, id, openCmd{Unit: "vuxen", Name: "Zlatana Testdottir"})
	r2 := mustExec(t, s, id, noteCmd{N: 7})
	assert.Equal(t, uint64(1), r1.Version)
	assert.Equal(t, uint64(2), r2.Version)
	assert.Greater(t, r2.Seq, r1.Seq)

	h, err := s.Load(ctx(t), domain.KindCase, id)
	require.NoError(t, err)
	require.Len(t, h.Events, 2)
	assert.Equal(t, uint64(2), h.Version)
	assert.Equal(t, r2.Seq, h.LastSeq)
	assert.Equal(t, opened{Unit: "vuxen"}, h.Events[0].Facts)
	assert.Equal(t, noted{N: 7}, h.Events[1].Facts)
	assert.Equal(t, "anna", h.Events[1].Actor)

	p, err := s.Unseal(ctx(t), &h.Events[0])
	require.NoError(t, err)
	assert.Equal(t, &identity{Name: "Zlatana Testdottir"}, p)

	none, err := s.Load(ctx(t), domain.KindCase, domain.NewID())
	require.NoError(t, err)
	assert.False(t, none.Exists())
}

func TestLoadSeesOtherWritersThroughCache(t *testing.T) {
	cfg := testConfig(t)
	a := openStore(t, cfg)
	b := openStore(t, cfg)
	id := domain.NewID()
	mustExec(t, a, id, openCmd{Unit: "u", Name: "n"})
	_, err := a.Load(ctx(t), domain.KindCase, id) // cached in a
	require.NoError(t, err)
	mustExec(t, b, id, noteCmd{N: 1})
	h, err := a.Load(ctx(t), domain.KindCase, id)
	require.NoError(t, err)
	assert.Equal(t, uint64(2), h.Version, "a cached history must be brought up to date")
}

func TestConcurrentAppendsAtSameVersion(t *testing.T) {
	s := newStore(t)
	id := domain.NewID()
	mustExec(t, s, id, openCmd{Unit: "u", Name: "n"})
	h, err := s.Load(ctx(t), domain.KindCase, id)
	require.NoError(t, err)

	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = s.Append(ctx(t), h, []domain.Event{{Facts: noted{N: i}}}, eventstore.AppendOptions{Actor: "anna"})
		}()
	}
	wg.Wait()
	var ok, conflicts int
	for _, err := range errs {
		var ce *eventstore.ConflictError
		switch {
		case err == nil:
			ok++
		case errors.As(err, &ce):
			conflicts++
			assert.Equal(t, h.LastSeq, ce.ExpectedSeq)
			assert.Greater(t, ce.ActualSeq, h.LastSeq)
		default:
			t.Fatalf("unexpected error: %v", err)
		}
	}
	assert.Equal(t, 1, ok)
	assert.Equal(t, 1, conflicts)
	h, err = s.Load(ctx(t), domain.KindCase, id)
	require.NoError(t, err)
	assert.Equal(t, uint64(2), h.Version)
}

func TestFiftyRacingWritersLoseNothing(t *testing.T) {
	s := newStore(t)
	id := domain.NewID()
	mustExec(t, s, id, openCmd{Unit: "u", Name: "n"})
	const writers = 50
	var wg sync.WaitGroup
	var mu sync.Mutex
	var conflicts int
	for i := 0; i < writers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				_, err := exec(t, s, id, noteCmd{N: i}, "")
				var ce *eventstore.ConflictError
				if errors.As(err, &ce) {
					mu.Lock()
					conflicts++
					mu.Unlock()
					continue // a lost race wrote nothing: retry on fresh state
				}
				assert.NoError(t, err)
				return
			}
		}()
	}
	wg.Wait()
	h, err := s.Load(ctx(t), domain.KindCase, id)
	require.NoError(t, err)
	assert.Equal(t, uint64(writers+1), h.Version)
	var seen []int
	for _, e := range h.Events[1:] {
		seen = append(seen, e.Facts.(noted).N)
	}
	slices.Sort(seen)
	want := make([]int, writers)
	for i := range want {
		want[i] = i
	}
	assert.Equal(t, want, seen, "every writer's event exactly once")
	t.Logf("%d conflicts retried", conflicts)
	rep, err := s.Verify(ctx(t), nil)
	require.NoError(t, err)
	assert.True(t, rep.OK(), "%v", rep.Breaks)
}

func TestMultiEventCommandLandsWholeOrNotAtAll(t *testing.T) {
	s := newStore(t)
	id := domain.NewID()
	mustExec(t, s, id, openCmd{Unit: "u", Name: "n"})
	before, err := s.LastSeq(ctx(t))
	require.NoError(t, err)

	for _, broken := range []string{"unsealed", "unknown"} {
		t.Run(broken, func(t *testing.T) {
			_, err := exec(t, s, id, manyCmd{N: 5, Broken: broken}, "")
			require.Error(t, err)
			after, err := s.LastSeq(ctx(t))
			require.NoError(t, err)
			assert.Equal(t, before, after, "nothing of the command may be written")
			h, err := s.Load(ctx(t), domain.KindCase, id)
			require.NoError(t, err)
			assert.Equal(t, uint64(1), h.Version)
		})
	}
	r := mustExec(t, s, id, manyCmd{N: 5})
	assert.Equal(t, uint64(6), r.Version)
	h, err := s.Load(ctx(t), domain.KindCase, id)
	require.NoError(t, err)
	for _, e := range h.Events[1:] {
		assert.Equal(t, r.Seq, e.Seq, "all events of a command share one message")
	}
}

func TestRetriedCommandAppendsNothing(t *testing.T) {
	s := newStore(t)
	id := domain.NewID()

	first, err := exec(t, s, id, openCmd{Unit: "u", Name: "n"}, "cmd-open-1")
	require.NoError(t, err)
	// A retry of a creating command with a fresh aggregate id (as a client
	// that lost the response would send) returns the first aggregate.
	again, err := exec(t, s, domain.NewID(), openCmd{Unit: "u", Name: "n"}, "cmd-open-1")
	require.NoError(t, err)
	assert.True(t, again.Duplicate)
	assert.Equal(t, first.ID, again.ID)
	assert.Equal(t, first.Seq, again.Seq)

	n1, err := exec(t, s, id, noteCmd{N: 1}, "cmd-note-1")
	require.NoError(t, err)
	mustExec(t, s, id, noteCmd{N: 2}) // the aggregate moves on
	n1again, err := exec(t, s, id, noteCmd{N: 1}, "cmd-note-1")
	require.NoError(t, err)
	assert.True(t, n1again.Duplicate)
	assert.Equal(t, n1.Seq, n1again.Seq)
	assert.Equal(t, n1.Version, n1again.Version)

	h, err := s.Load(ctx(t), domain.KindCase, id)
	require.NoError(t, err)
	assert.Equal(t, uint64(3), h.Version, "open, note 1, note 2: the retries wrote nothing")
}

func TestRetryAfterDuplicateWindowStillIdempotent(t *testing.T) {
	cfg := testConfig(t)
	cfg.DuplicateWindow = 100 * 1e6 // 100ms
	s := openStore(t, cfg)
	first, err := exec(t, s, domain.NewID(), openCmd{Unit: "u", Name: "n"}, "late-retry")
	require.NoError(t, err)
	waitDuplicateWindowPassed(t, cfg)
	fresh := openStore(t, cfg) // no cache, a second instance
	again, err := exec(t, fresh, domain.NewID(), openCmd{Unit: "u", Name: "n"}, "late-retry")
	require.NoError(t, err)
	assert.True(t, again.Duplicate)
	assert.Equal(t, first.ID, again.ID)
}

func TestConditionalCommand(t *testing.T) {
	s := newStore(t)
	id := domain.NewID()
	mustExec(t, s, id, openCmd{Unit: "u", Name: "n"})
	stale := uint64(0)
	_, err := eventstore.Execute(ctx(t), s, testDecider(), id, noteCmd{N: 1}, eventstore.ExecOptions{
		AppendOptions: eventstore.AppendOptions{Actor: "anna"}, ExpectVersion: &stale})
	var vm *eventstore.VersionMismatchError
	require.ErrorAs(t, err, &vm)
	assert.Equal(t, uint64(1), vm.Current)
	current := uint64(1)
	r, err := eventstore.Execute(ctx(t), s, testDecider(), id, noteCmd{N: 1}, eventstore.ExecOptions{
		AppendOptions: eventstore.AppendOptions{Actor: "anna"}, ExpectVersion: &current})
	require.NoError(t, err)
	assert.Equal(t, uint64(2), r.Version)
}

func TestBadInputIsATypedErrorAndWritesNothing(t *testing.T) {
	s := newStore(t)
	id := domain.NewID()
	mustExec(t, s, id, openCmd{Unit: "u", Name: "n"})
	mustExec(t, s, id, closeCmd{})
	h, err := s.Load(ctx(t), domain.KindCase, id)
	require.NoError(t, err)
	before, err := s.LastSeq(ctx(t))
	require.NoError(t, err)

	var invalid *eventstore.InvalidError
	var unknown *domain.UnknownEventError
	var rule *domain.RuleError
	cases := []struct {
		name  string
		run   func() error
		check func(error) bool
	}{
		{"invalid ulid", func() error { _, err := s.Load(ctx(t), domain.KindCase, "not-a-ulid"); return err },
			func(err error) bool { return errors.As(err, &invalid) }},
		{"lower-case ulid", func() error {
			_, err := s.Load(ctx(t), domain.KindCase, domain.ID(strings.ToLower(string(id))))
			return err
		}, func(err error) bool { return errors.As(err, &invalid) }},
		{"unknown kind", func() error { _, err := s.Load(ctx(t), "invoice", id); return err },
			func(err error) bool { return errors.As(err, &invalid) }},
		{"unknown event type", func() error {
			_, err := s.Append(ctx(t), h, []domain.Event{{Facts: unregistered{}}}, eventstore.AppendOptions{Actor: "a"})
			return err
		}, func(err error) bool { return errors.As(err, &unknown) }},
		{"no actor", func() error {
			_, err := s.Append(ctx(t), h, []domain.Event{{Facts: noted{}}}, eventstore.AppendOptions{})
			return err
		}, func(err error) bool { return errors.As(err, &invalid) }},
		{"command id with newline", func() error {
			_, err := s.Append(ctx(t), h, []domain.Event{{Facts: noted{}}}, eventstore.AppendOptions{Actor: "a", CommandID: "x\r\nEvil: 1"})
			return err
		}, func(err error) bool { return errors.As(err, &invalid) }},
		{"command on closed case", func() error { _, err := exec(t, s, id, noteCmd{N: 1}, ""); return err },
			func(err error) bool { return errors.As(err, &rule) && rule.Rule == "case-closed" }},
		{"command on missing case", func() error { _, err := exec(t, s, domain.NewID(), noteCmd{N: 1}, ""); return err },
			func(err error) bool { return errors.As(err, &rule) && rule.Rule == "not-found" }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := c.run()
			require.Error(t, err)
			assert.True(t, c.check(err), "wrong error type: %T %v", err, err)
		})
	}
	after, err := s.LastSeq(ctx(t))
	require.NoError(t, err)
	assert.Equal(t, before, after)
}

func TestCorruptMessagesOnTheStream(t *testing.T) {
	cfg := testConfig(t)
	s := openStore(t, cfg)
	good := domain.NewID()
	mustExec(t, s, good, openCmd{Unit: "u", Name: "n"})
	other := domain.NewID()
	subject := func(id domain.ID) string { return cfg.SubjectPrefix + ".case." + string(id) }
	var goodMsg []byte
	require.NoError(t, s.ScanMessages(ctx(t), func(_ uint64, subj string, data []byte) error {
		if subj == subject(good) {
			goodMsg = data
		}
		return nil
	}))
	require.NotEmpty(t, goodMsg)
	cases := []struct {
		name string
		data []byte
	}{
		{"not json", []byte("{not json")},
		{"empty array", []byte("[]")},
		{"unknown fields", []byte(`[{"id":"x","surprise":1}]`)},
		// The good aggregate's message stored under another aggregate's subject.
		{"wrong aggregate", goodMsg},
	}
	var corrupt *eventstore.CorruptError
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			target := domain.NewID()
			if c.name == "wrong aggregate" {
				target = other
			}
			_, err := sharedNC.Request(subject(target), c.data, 5e9)
			require.NoError(t, err)
			_, err = s.Load(ctx(t), domain.KindCase, target)
			require.ErrorAs(t, err, &corrupt)
			// The decider never runs on a corrupt history: nothing is written.
			_, err = exec(t, s, target, noteCmd{N: 1}, "")
			require.ErrorAs(t, err, &corrupt)
		})
	}
	rep, err := s.Verify(ctx(t), nil)
	require.NoError(t, err)
	assert.Len(t, rep.Breaks, len(cases))
}

func TestPersonalDataNeverInClearOnTheStream(t *testing.T) {
	cfg := testConfig(t)
	s := openStore(t, cfg)
	const name = "Zlatana Testdottir"
	id := domain.NewID()
	mustExec(t, s, id, openCmd{Unit: "u", Name: name})
	const pnr = "197001011239"
	require.NoError(t, s.Index().Add(ctx(t), pnr, id))

	for _, stream := range []string{cfg.Stream, "KV_" + cfg.Stream + "_keys", "KV_" + cfg.Stream + "_pnr", "KV_" + cfg.Stream + "_commands"} {
		raw := rawStreamBytes(t, sharedNC, stream)
		assert.NotContains(t, raw, name, stream)
		assert.NotContains(t, raw, "Zlatana", stream)
		assert.NotContains(t, raw, pnr, stream)
		assert.NotContains(t, raw, "700101", stream)
	}
	found, err := s.Index().Find(ctx(t), pnr)
	require.NoError(t, err)
	assert.Equal(t, []domain.ID{id}, found)
}

func TestDestroyedKeyShredsPersonalDataButKeepsTheChain(t *testing.T) {
	cfg := testConfig(t)
	s := openStore(t, cfg)
	id := domain.NewID()
	mustExec(t, s, id, openCmd{Unit: "u", Name: "Greta Gone"})
	keysBefore := rawStreamBytes(t, sharedNC, "KV_"+cfg.Stream+"_keys")
	require.NoError(t, s.Keys().Destroy(ctx(t), domain.PersonKey(id)))
	require.NoError(t, s.Keys().Destroy(ctx(t), domain.PersonKey(id)), "destroying twice is not an error")

	other := openStore(t, cfg) // another instance with a cold cache
	for _, st := range []*eventstore.Store{s, other} {
		h, err := st.Load(ctx(t), domain.KindCase, id)
		require.NoError(t, err)
		_, err = st.Unseal(ctx(t), &h.Events[0])
		var shredded *eventstore.ShreddedError
		require.ErrorAs(t, err, &shredded)
		assert.Equal(t, opened{Unit: "u"}, h.Events[0].Facts, "facts stay readable")
	}
	exists, err := s.Keys().Exists(ctx(t), domain.PersonKey(id))
	require.NoError(t, err)
	assert.False(t, exists)
	keysAfter := rawStreamBytes(t, sharedNC, "KV_"+cfg.Stream+"_keys")
	assert.Less(t, len(keysAfter), len(keysBefore), "the wrapped key is gone from the bucket")

	// A new event for the person must not silently resurrect a key.
	_, err = exec(t, s, id, noteCmd{N: 1}, "")
	require.NoError(t, err, "events without personal data still append")

	rep, err := s.Verify(ctx(t), nil)
	require.NoError(t, err)
	assert.True(t, rep.OK(), "%v", rep.Breaks)
}

func TestBlindIndex(t *testing.T) {
	s := newStore(t)
	a, b := domain.NewID(), domain.NewID()
	ix := s.Index()
	require.NoError(t, ix.Add(ctx(t), "197001011239", a))
	require.NoError(t, ix.Add(ctx(t), "197001011239", b))
	require.NoError(t, ix.Add(ctx(t), "197001011239", a))
	got, err := ix.Find(ctx(t), "197001011239")
	require.NoError(t, err)
	assert.ElementsMatch(t, []domain.ID{a, b}, got)
	none, err := ix.Find(ctx(t), "198002022222")
	require.NoError(t, err)
	assert.Empty(t, none)
	require.NoError(t, ix.Remove(ctx(t), "197001011239", a))
	require.NoError(t, ix.Remove(ctx(t), "197001011239", b))
	got, err = ix.Find(ctx(t), "197001011239")
	require.NoError(t, err)
	assert.Empty(t, got)
}

func TestSubscribeFromSequence(t *testing.T) {
	s := newStore(t)
	id := domain.NewID()
	mustExec(t, s, id, openCmd{Unit: "u", Name: "n"})
	r2 := mustExec(t, s, id, noteCmd{N: 2})

	got := make(chan domain.Facts, 10)
	c, cancel := contextWithCancel(t)
	done := make(chan error, 1)
	go func() {
		done <- s.Subscribe(c, r2.Seq, func(envs []eventstore.Envelope) error {
			for _, e := range envs {
				got <- e.Facts
			}
			return nil
		})
	}()
	assert.Equal(t, noted{N: 2}, <-got, "starts at the given sequence")
	mustExec(t, s, id, noteCmd{N: 3})
	assert.Equal(t, noted{N: 3}, <-got, "and follows later appends")
	cancel()
	<-done
}

func TestUpcastOnRead(t *testing.T) {
	cfg := testConfig(t)
	// Version 1 of case.noted stored a string count.
	v1 := domain.NewRegistry()
	domain.Register[opened, identity](v1, domain.KindCase, 1)
	domain.Register[notedV1, domain.NoPersonal](v1, domain.KindCase, 1)
	cfg.Registry = v1
	old := openStore(t, cfg)
	id := domain.NewID()
	h, err := old.Load(ctx(t), domain.KindCase, id)
	require.NoError(t, err)
	_, err = old.Append(ctx(t), h, []domain.Event{{Facts: notedV1{Count: "42"}}}, eventstore.AppendOptions{Actor: "a"})
	require.NoError(t, err)

	v2 := domain.NewRegistry()
	domain.Register[opened, identity](v2, domain.KindCase, 1)
	domain.Register[noted, identity](v2, domain.KindCase, 2)
	v2.AddUpcaster("case.noted", 1, func(raw json.RawMessage) (json.RawMessage, error) {
		var in notedV1
		if err := domain.DecodeStrict(raw, &in); err != nil {
			return nil, err
		}
		var n int
		_, err := fmt.Sscan(in.Count, &n)
		return json.RawMessage(fmt.Sprintf(`{"n":%d}`, n)), err
	})
	cfg.Registry = v2
	cur := openStore(t, cfg)
	h, err = cur.Load(ctx(t), domain.KindCase, id)
	require.NoError(t, err)
	assert.Equal(t, noted{N: 42}, h.Events[0].Facts)
	assert.Equal(t, 1, h.Events[0].Schema, "the stored event is not rewritten")
}

type notedV1 struct {
	Count string `json:"count"`
}

func (notedV1) EventName() string { return "case.noted" }

// copiedMsg is one message of a copy of the log.
type copiedMsg struct {
	seq     uint64
	subject string
	data    []byte
}

// copyLog copies the log with ScanMessages.
func copyLog(t *testing.T, s *eventstore.Store) []copiedMsg {
	var copied []copiedMsg
	require.NoError(t, s.ScanMessages(ctx(t), func(seq uint64, subject string, data []byte) error {
		copied = append(copied, copiedMsg{seq, subject, data})
		return nil
	}))
	return copied
}

// readCopy reads a copy of the log back with ReadFrom.
func readCopy(t *testing.T, s *eventstore.Store, copied []copiedMsg, fn func(*eventstore.Envelope) error) error {
	return s.ReadFrom(ctx(t), func(_ context.Context, emit func(uint64, string, []byte) bool) error {
		for _, m := range copied {
			if !emit(m.seq, m.subject, m.data) {
				return nil
			}
		}
		return nil
	}, fn)
}

// A copy of the log made with ScanMessages and read back with ReadFrom
// gives the same events, in the same order, as Read: the decoder depends
// on nothing but the messages.
func TestCopiedLogReadsLikeTheStream(t *testing.T) {
	s := newStore(t)
	a, b := domain.NewID(), domain.NewID()
	mustExec(t, s, a, openCmd{Unit: "u", Name: "n"})
	mustExec(t, s, b, openCmd{Unit: "v", Name: "m"})
	mustExec(t, s, a, noteCmd{N: 2})

	copied := copyLog(t, s)
	require.Len(t, copied, 3)

	type seen struct {
		Seq   uint64
		ID    domain.ID
		Facts domain.Facts
	}
	var fromStream, fromCopy []seen
	_, err := s.Read(ctx(t), 1, func(e *eventstore.Envelope) error {
		fromStream = append(fromStream, seen{e.Seq, e.ID, e.Facts})
		return nil
	})
	require.NoError(t, err)
	err = readCopy(t, s, copied, func(e *eventstore.Envelope) error {
		fromCopy = append(fromCopy, seen{e.Seq, e.ID, e.Facts})
		return nil
	})
	require.NoError(t, err)
	assert.Equal(t, fromStream, fromCopy)
	assert.Equal(t, noted{N: 2}, fromCopy[2].Facts)

	// A copied message that was altered is refused as corrupt, as on the stream.
	bad := copied[0]
	bad.data = []byte(`[{"id":1}]`)
	err = s.ReadFrom(ctx(t), func(_ context.Context, emit func(uint64, string, []byte) bool) error {
		emit(bad.seq, bad.subject, bad.data)
		return nil
	}, func(*eventstore.Envelope) error { return nil })
	var corrupt *eventstore.CorruptError
	assert.ErrorAs(t, err, &corrupt)
}

// A read ends with the error its callback returns, calling it no more, or
// with its context's error.
func TestReadStopsOnCallbackErrorAndCancel(t *testing.T) {
	s := newStore(t)
	for range 5 {
		mustExec(t, s, domain.NewID(), openCmd{Unit: "u", Name: "n"})
	}
	stop := errors.New("enough")
	calls := 0
	_, err := s.Read(ctx(t), 1, func(*eventstore.Envelope) error {
		calls++
		if calls == 2 {
			return stop
		}
		return nil
	})
	require.ErrorIs(t, err, stop)
	assert.Equal(t, 2, calls)

	c, cancel := contextWithCancel(t)
	cancel()
	_, err = s.Read(c, 1, func(*eventstore.Envelope) error { return nil })
	require.ErrorIs(t, err, context.Canceled)
}

// The embedded server listens on no port unless asked to, and says so.
func TestEmbeddedListensOnlyWhenAsked(t *testing.T) {
	quiet, err := eventstore.StartEmbedded(eventstore.EmbeddedConfig{DataDir: t.TempDir()})
	require.NoError(t, err)
	defer quiet.Shutdown()
	assert.Empty(t, quiet.ClientURL(), "no URL for a server nothing can reach")

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())
	open, err := eventstore.StartEmbedded(eventstore.EmbeddedConfig{DataDir: t.TempDir(), ListenAddr: addr})
	require.NoError(t, err)
	defer open.Shutdown()
	assert.Equal(t, "nats://"+addr, open.ClientURL())
}

// Read hands out facts only: personal data stays sealed in the stream and
// Unseal refuses such an envelope instead of answering "no personal data".
func TestReadCarriesFactsOnly(t *testing.T) {
	s := newStore(t)
	id := domain.NewID()
	mustExec(t, s, id, openCmd{Unit: "u", Name: "Zlatana Testdottir"})
	var got []eventstore.Envelope
	_, err := s.Read(ctx(t), 1, func(e *eventstore.Envelope) error {
		got = append(got, *e)
		return nil
	})
	require.NoError(t, err)
	require.Len(t, got, 1)
	assert.True(t, got[0].FactsOnly)
	assert.Nil(t, got[0].Sealed)
	assert.Equal(t, opened{Unit: "u"}, got[0].Facts)
	_, err = s.Unseal(ctx(t), &got[0])
	var invalid *eventstore.InvalidError
	require.ErrorAs(t, err, &invalid)

	h, err := s.Load(ctx(t), domain.KindCase, id)
	require.NoError(t, err)
	assert.False(t, h.Events[0].FactsOnly)
	p, err := s.Unseal(ctx(t), &h.Events[0])
	require.NoError(t, err)
	assert.Equal(t, &identity{Name: "Zlatana Testdottir"}, p)
}

// Reads decode messages in batches on several cores; whatever the batch
// boundaries, events arrive once each and in stream order, and a corrupt
// message in the middle of a batch ends the read with the events before
// it delivered and none after.
func TestReadKeepsOrderAcrossDecodeBatches(t *testing.T) {
	s := newStore(t)
	id := domain.NewID()
	mustExec(t, s, id, openCmd{Unit: "u", Name: "n"})
	const notes = 700 // several batches of 256, the last one partial
	for i := 1; i <= notes; i++ {
		mustExec(t, s, id, noteCmd{N: i})
	}
	var got []int
	var seqs []uint64
	last, err := s.Read(ctx(t), 1, func(e *eventstore.Envelope) error {
		seqs = append(seqs, e.Seq)
		if n, ok := e.Facts.(noted); ok {
			got = append(got, n.N)
		}
		return nil
	})
	require.NoError(t, err)
	require.Len(t, got, notes)
	for i, n := range got {
		require.Equal(t, i+1, n, "note %d out of order", i)
	}
	assert.True(t, slices.IsSorted(seqs))
	assert.Equal(t, last, seqs[len(seqs)-1])

	copied := copyLog(t, s)
	const corruptAt = 300 // inside the second batch
	copied[corruptAt].data = []byte(`[{"id":1}]`)
	var before []uint64
	err = readCopy(t, s, copied, func(e *eventstore.Envelope) error {
		before = append(before, e.Seq)
		return nil
	})
	var corrupt *eventstore.CorruptError
	require.ErrorAs(t, err, &corrupt)
	assert.Equal(t, copied[corruptAt].seq, corrupt.Seq)
	assert.Len(t, before, corruptAt)
	assert.Equal(t, copied[corruptAt-1].seq, before[len(before)-1])
}

// SeqAt positions a read by the server's message timestamps: the first
// message stored at or after an instant, the end of the stream after the
// last one, the first message before the first one.
func TestSeqAtPositionsByTime(t *testing.T) {
	cfg := testConfig(t)
	s := openStore(t, cfg)
	var seqs []uint64
	for range 4 {
		seqs = append(seqs, mustExec(t, s, domain.NewID(), openCmd{Unit: "u", Name: "n"}).Seq)
	}
	js, err := jetstream.New(sharedNC)
	require.NoError(t, err)
	stream, err := js.Stream(ctx(t), cfg.Stream)
	require.NoError(t, err)
	var stamps []time.Time
	for _, seq := range seqs {
		m, err := stream.GetMsg(ctx(t), seq)
		require.NoError(t, err)
		stamps = append(stamps, m.Time)
	}
	cases := []struct {
		name string
		at   time.Time
		want uint64
	}{
		{"long before the first", stamps[0].Add(-24 * time.Hour), seqs[0]},
		{"exactly the first", stamps[0], seqs[0]},
		{"just after the second", stamps[1].Add(time.Nanosecond), seqs[2]},
		{"exactly the last", stamps[3], seqs[3]},
		{"after the last", stamps[3].Add(time.Nanosecond), seqs[3] + 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := s.SeqAt(ctx(t), c.at)
			require.NoError(t, err)
			assert.Equal(t, c.want, got)
		})
	}
}

// Two embedded servers never share a data dir (nats-server does not lock
// its store): the second start is refused with ErrDataDirInUse, and once
// the first has shut down the dir opens again.
func TestDataDirIsLockedWhileOpen(t *testing.T) {
	dir := t.TempDir()
	first, err := eventstore.StartEmbedded(eventstore.EmbeddedConfig{DataDir: dir})
	require.NoError(t, err)
	second, err := eventstore.StartEmbedded(eventstore.EmbeddedConfig{DataDir: dir})
	require.ErrorIs(t, err, eventstore.ErrDataDirInUse)
	require.Nil(t, second)
	first.Shutdown()
	again, err := eventstore.StartEmbedded(eventstore.EmbeddedConfig{DataDir: dir})
	require.NoError(t, err)
	again.Shutdown()
}

// A claim on a number that another registration claimed moments ago is
// pending (that person may not be appended yet); past the window, or for
// the same person, it is taken; a number nobody claimed is taken at once.
func TestBlindIndexClaim(t *testing.T) {
	s := openStore(t, testConfig(t))
	ix := s.Index()
	const window = 5 * time.Second
	first, second := domain.NewID(), domain.NewID()
	number := "198503029802"

	require.NoError(t, ix.Claim(ctx(t), number, first, time.Now(), window), "nobody's number")
	require.NoError(t, ix.Claim(ctx(t), number, first, time.Now(), window), "the same person again")
	err := ix.Claim(ctx(t), number, second, time.Now(), window)
	require.ErrorIs(t, err, eventstore.ErrClaimPending)
	ids, err := ix.Find(ctx(t), number)
	require.NoError(t, err)
	assert.Equal(t, []domain.ID{first}, ids, "a pending claim writes nothing")

	// The first claim's person never came: past the window it is taken.
	require.NoError(t, ix.Claim(ctx(t), number, second, time.Now().Add(window+time.Second), window))
	ids, err = ix.Find(ctx(t), number)
	require.NoError(t, err)
	assert.Equal(t, []domain.ID{first, second}, ids)
}
