package eventstore_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/fristad/fristad/domain"
	"github.com/fristad/fristad/eventstore"
	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func groupStore(t *testing.T, mode eventstore.GroupCommit) *eventstore.Store {
	cfg := testConfig(t)
	cfg.GroupCommit = mode
	return openStore(t, cfg)
}

func appendNote(s *eventstore.Store, h *eventstore.History, n int, cmdID string) (eventstore.Result, error) {
	return s.Append(context.Background(), h, []domain.Event{{Facts: noted{N: n}}}, eventstore.AppendOptions{Actor: "anna", CommandID: cmdID})
}

// Sixty-four writers on thirty-two aggregates, with and without the
// committer. On each aggregate an honest writer appends on its own fresh
// history (it is the aggregate's only successful writer, so it must never
// see a conflict) and now and then sends the same command twice at once;
// a stale writer appends on the history it loaded at the start, so every
// one of its appends must fail with a conflict naming its own aggregate.
// Afterwards every acknowledged command is stored exactly once and
// nothing else is.
func TestSixtyFourWritersStaleAndRetriedThroughTheCommitter(t *testing.T) {
	for _, mode := range []eventstore.GroupCommit{eventstore.GroupCommitOff, eventstore.GroupCommitOn} {
		t.Run(fmt.Sprintf("mode=%d", mode), func(t *testing.T) {
			s := groupStore(t, mode)
			require.Equal(t, mode == eventstore.GroupCommitOn, s.GroupCommitting())
			const aggregates, rounds = 32, 12
			ids := make([]domain.ID, aggregates)
			stale := make([]*eventstore.History, aggregates)
			for a := range ids {
				ids[a] = domain.NewID()
				mustExec(t, s, ids[a], openCmd{Unit: "u", Name: "n"})
				h, err := s.Load(ctx(t), domain.KindCase, ids[a])
				require.NoError(t, err)
				stale[a] = h
				mustExec(t, s, ids[a], noteCmd{N: 500}) // from here on stale[a] is stale
			}
			var mu sync.Mutex
			acked := map[string]uint64{} // command id -> sequence acknowledged
			var wg sync.WaitGroup
			for a := range ids {
				wg.Add(2)
				go func() { // the honest writer
					defer wg.Done()
					for r := 0; r < rounds; r++ {
						h, err := s.Load(context.Background(), domain.KindCase, ids[a])
						if !assert.NoError(t, err) {
							return
						}
						cmdID := fmt.Sprintf("a%d-r%d", a, r)
						copies := 1
						if r%3 == 0 {
							copies = 2 // a retry racing its first attempt
						}
						res := make([]eventstore.Result, copies)
						errs := make([]error, copies)
						var cw sync.WaitGroup
						for c := 0; c < copies; c++ {
							cw.Add(1)
							go func() {
								defer cw.Done()
								if copies == 1 {
									res[c], errs[c] = appendNote(s, h, r, cmdID)
									return
								}
								// Copies go through Execute, as the API's do:
								// the copy that loses the race finds the
								// first result in the reloaded history.
								res[c], errs[c] = exec(t, s, ids[a], noteCmd{N: r}, cmdID)
							}()
						}
						cw.Wait()
						for c := 0; c < copies; c++ {
							if !assert.NoError(t, errs[c], "honest writer %d round %d must not fail", a, r) {
								return
							}
							assert.Equal(t, res[0].Seq, res[c].Seq, "a retry gets the first result")
						}
						if copies == 2 {
							assert.True(t, res[0].Duplicate != res[1].Duplicate, "exactly one copy is stored")
						}
						// a retry after the first result, too
						if r%4 == 1 {
							again, err := exec(t, s, ids[a], noteCmd{N: r}, cmdID)
							if assert.NoError(t, err) {
								assert.True(t, again.Duplicate)
								assert.Equal(t, res[0].Seq, again.Seq)
							}
						}
						mu.Lock()
						acked[cmdID] = res[0].Seq
						mu.Unlock()
					}
				}()
				go func() { // the stale writer
					defer wg.Done()
					subject := ""
					for r := 0; r < rounds; r++ {
						_, err := appendNote(s, stale[a], 1000+r, fmt.Sprintf("s%d-r%d", a, r))
						var ce *eventstore.ConflictError
						if !assert.ErrorAs(t, err, &ce, "stale writer %d round %d", a, r) {
							return
						}
						assert.Equal(t, stale[a].LastSeq, ce.ExpectedSeq, "the conflict is this writer's own")
						if subject == "" {
							subject = ce.Subject
						}
						assert.Equal(t, subject, ce.Subject)
					}
				}()
			}
			wg.Wait()
			require.Len(t, acked, aggregates*rounds)
			seqs := map[uint64]bool{}
			for a, id := range ids {
				h, err := s.Load(ctx(t), domain.KindCase, id)
				require.NoError(t, err)
				require.Equal(t, uint64(2+rounds), h.Version, "aggregate %d holds its honest commands and nothing else", a)
				seen := map[string]int{}
				for _, e := range h.Events[2:] {
					seen[e.Command]++
					assert.Equal(t, acked[e.Command], e.Seq, "stored where acknowledged")
					assert.Less(t, e.Facts.(noted).N, 1000, "no stale command stored")
					assert.False(t, seqs[e.Seq])
					seqs[e.Seq] = true
				}
				for r := 0; r < rounds; r++ {
					assert.Equal(t, 1, seen[fmt.Sprintf("a%d-r%d", a, r)], "stored exactly once")
				}
			}
			rep, err := s.Verify(ctx(t), nil)
			require.NoError(t, err)
			assert.True(t, rep.OK(), "%v", rep.Breaks)
			st := s.GroupCommitStats()
			batches, batched, refused, found := st.Batches, st.Commands, st.Refused, st.Named
			t.Logf("batches %d carrying %d commands, %d refused, %d stale commands named by the reply", batches, batched, refused, found)
			if mode == eventstore.GroupCommitOn {
				assert.Positive(t, batches, "the committer batched")
				assert.Positive(t, refused, "stale commands made batches refused, and only they failed")
				assert.Positive(t, found, "the server's reply named stale commands")
			}
		})
	}
}

// A lone writer never waits for company and never pays for a batch: its
// appends go one by one.
func TestLoneWriterIsNotBatched(t *testing.T) {
	s := groupStore(t, eventstore.GroupCommitOn)
	id := domain.NewID()
	mustExec(t, s, id, openCmd{Unit: "u", Name: "n"})
	for i := 0; i < 20; i++ {
		mustExec(t, s, id, noteCmd{N: i})
	}
	assert.Zero(t, s.GroupCommitStats().Batches)
}

// The stream gets allow_atomic from a server that has it; if an operator
// (or an older fristad) takes it away underneath, appends still land,
// one by one.
func TestAtomicTakenAwayFallsBackToSeparatePublishes(t *testing.T) {
	cfg := testConfig(t)
	cfg.GroupCommit = eventstore.GroupCommitOn
	s := openStore(t, cfg)
	js, err := jetstream.New(sharedNC)
	require.NoError(t, err)
	st, err := js.Stream(ctx(t), cfg.Stream)
	require.NoError(t, err)
	sc := st.CachedInfo().Config
	require.True(t, sc.AllowAtomicPublish)
	sc.AllowAtomicPublish = false
	_, err = js.UpdateStream(ctx(t), sc)
	require.NoError(t, err)

	ids := make([]domain.ID, 16)
	for i := range ids {
		ids[i] = domain.NewID()
	}
	var wg sync.WaitGroup
	for _, id := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := exec(t, s, id, openCmd{Unit: "u", Name: "n"}, "open-"+string(id))
			assert.NoError(t, err)
			for i := 0; i < 5; i++ {
				_, err := exec(t, s, id, noteCmd{N: i}, "")
				assert.NoError(t, err)
			}
		}()
	}
	wg.Wait()
	for _, id := range ids {
		h, err := s.Load(ctx(t), domain.KindCase, id)
		require.NoError(t, err)
		assert.Equal(t, uint64(6), h.Version)
	}
}

func TestAtomicBatchNeedsServer214(t *testing.T) {
	for v, want := range map[string]bool{
		"2.15.2": true, "2.14.0": true, "v2.14.1": true, "3.0.0": true,
		"2.13.9": false, "2.12.1": false, "2.11.9": false, "2.10.22": false, "": false, "garbage": false, "1.99.0": false,
	} {
		assert.Equal(t, want, eventstore.SupportsAtomicBatch(v), v)
	}
}

// A command retried on another instance, whose cached history does not
// show the first attempt, reaches that instance's batches: its message
// id (or its stale expectation) makes the server refuse the batch. The
// retry still gets the first result, nothing is stored twice, and the
// other commands of the batch are stored.
func TestRetryFromAnotherInstanceAmongBatches(t *testing.T) {
	cfg := testConfig(t)
	cfg.GroupCommit = eventstore.GroupCommitOn
	a, b := openStore(t, cfg), openStore(t, cfg)
	ids := make([]domain.ID, 16)
	for i := range ids {
		ids[i] = domain.NewID()
		mustExec(t, a, ids[i], openCmd{Unit: "u", Name: "n"})
		_, err := b.Load(ctx(t), domain.KindCase, ids[i]) // b caches the history
		require.NoError(t, err)
	}
	first, err := exec(t, a, ids[0], noteCmd{N: 1}, "retried")
	require.NoError(t, err)
	for round := 0; round < 3; round++ {
		var wg sync.WaitGroup
		for i := range ids {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if i == 0 {
					res, err := exec(t, b, ids[0], noteCmd{N: 1}, "retried")
					if assert.NoError(t, err) {
						assert.True(t, res.Duplicate)
						assert.Equal(t, first.Seq, res.Seq)
					}
					return
				}
				_, err := exec(t, b, ids[i], noteCmd{N: round}, fmt.Sprintf("b-%d-%d", i, round))
				assert.NoError(t, err)
			}()
		}
		wg.Wait()
	}
	h, err := a.Load(ctx(t), domain.KindCase, ids[0])
	require.NoError(t, err)
	assert.Equal(t, uint64(2), h.Version, "the retried command is stored once")
	for _, id := range ids[1:] {
		h, err := a.Load(ctx(t), domain.KindCase, id)
		require.NoError(t, err)
		assert.Equal(t, uint64(4), h.Version)
	}
}

// openedCases opens n cases and returns their histories, each fresh.
func openedCases(t *testing.T, s *eventstore.Store, n int) []*eventstore.History {
	t.Helper()
	hs := make([]*eventstore.History, n)
	for i := range hs {
		id := domain.NewID()
		mustExec(t, s, id, openCmd{Unit: "u", Name: "n"})
		h, err := s.Load(ctx(t), domain.KindCase, id)
		require.NoError(t, err)
		hs[i] = h
	}
	return hs
}

// unclosedGroupStore opens a store with the committer on that the test
// closes itself (and its config, to open the stream again after).
func unclosedGroupStore(t *testing.T) (*eventstore.Store, eventstore.Config) {
	t.Helper()
	cfg := testConfig(t)
	cfg.GroupCommit = eventstore.GroupCommitOn
	s, err := eventstore.Open(ctx(t), cfg)
	require.NoError(t, err)
	return s, cfg
}

// Closing the store while 48 writers append through the committer: an
// append that reported a sequence is stored there, once; one that failed
// because the store closed before its batch was committed is not stored
// at all (its batch may already be staged on the server, which drops it).
func TestCloseAmongBatches(t *testing.T) {
	s, cfg := unclosedGroupStore(t)
	const writers = 48
	ids := make([]domain.ID, writers)
	for i := range ids {
		ids[i] = domain.NewID()
		mustExec(t, s, ids[i], openCmd{Unit: "u", Name: "n"})
	}
	type outcome struct {
		cmdID string
		seq   uint64
		err   error
	}
	var (
		mu       sync.Mutex
		outcomes []outcome
		wg       sync.WaitGroup
		enough   = make(chan struct{})
		once     sync.Once
	)
	for w := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for r := 0; ; r++ {
				cmdID := fmt.Sprintf("w%d-r%d", w, r)
				res, err := exec(t, s, ids[w], noteCmd{N: r}, cmdID)
				mu.Lock()
				outcomes = append(outcomes, outcome{cmdID, res.Seq, err})
				n := len(outcomes)
				mu.Unlock()
				if n > 300 {
					once.Do(func() { close(enough) })
				}
				if err != nil {
					return
				}
			}
		}()
	}
	<-enough
	s.Close()
	wg.Wait()

	after := openStore(t, cfg)
	stored := map[string]uint64{}
	for _, id := range ids {
		h, err := after.Load(ctx(t), domain.KindCase, id)
		require.NoError(t, err)
		for _, e := range h.Events[1:] {
			require.NotContains(t, stored, e.Command, "stored once")
			stored[e.Command] = e.Seq
		}
	}
	acked, closed := 0, 0
	for _, o := range outcomes {
		switch {
		case o.err == nil:
			acked++
			assert.Equal(t, o.seq, stored[o.cmdID], "%s is stored where it was acknowledged", o.cmdID)
		case errors.Is(o.err, eventstore.ErrCommitterClosed):
			closed++
			assert.NotContains(t, stored, o.cmdID, "%s failed as not committed, so it is not stored", o.cmdID)
		}
	}
	assert.Greater(t, acked, 300)
	t.Logf("%d acknowledged, %d failed as not committed, %d stored", acked, closed, len(stored))
}

// heldBatch gathers the appends of n writers in the committer's queue,
// then lets the committer take them all into one batch. A writer that
// returns while the committer is held never reached the queue or left
// it; whileHeld runs once every writer is queued or returned.
func heldBatch(t *testing.T, s *eventstore.Store, writers []func(), whileHeld func()) {
	t.Helper()
	queued, release := eventstore.HoldGroupCommit(s)
	var returned atomic.Int64
	var wg sync.WaitGroup
	for _, w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w()
			returned.Add(1)
		}()
	}
	require.Eventually(t, func() bool { return queued()+int(returned.Load()) == len(writers) },
		10*time.Second, time.Millisecond, "every writer queued or returned")
	if whileHeld != nil {
		whileHeld()
	}
	release()
	wg.Wait()
}

// A command too large for the connection is refused by the client before
// the server sees it: alone its writer gets nats.ErrMaxPayload and nothing
// is stored. Through the committer it must fail the same way, alone; the
// commands gathered with it are innocent and must be stored.
func TestOversizedCommandFailsAloneAmongBatched(t *testing.T) {
	s := groupStore(t, eventstore.GroupCommitOn)
	const innocents = 6
	hs := openedCases(t, s, innocents)
	bigID := domain.NewID()
	bigH, err := s.Load(ctx(t), domain.KindCase, bigID)
	require.NoError(t, err)
	big := strings.Repeat("x", int(sharedNC.MaxPayload())+1024) // within the stream's 4 MiB

	res := make([]eventstore.Result, innocents)
	errs := make([]error, innocents)
	var bigErr error
	writers := []func(){func() {
		_, bigErr = s.Append(context.Background(), bigH, []domain.Event{{Facts: opened{Unit: big}}}, eventstore.AppendOptions{Actor: "anna", CommandID: "big"})
	}}
	for i := range hs {
		writers = append(writers, func() { res[i], errs[i] = appendNote(s, hs[i], i, fmt.Sprintf("small-%d", i)) })
	}
	before := s.GroupCommitStats().Batches
	heldBatch(t, s, writers, nil)

	require.ErrorIs(t, bigErr, nats.ErrMaxPayload, "the oversized command fails as a lone publish does")
	h, err := s.Load(ctx(t), domain.KindCase, bigID)
	require.NoError(t, err)
	assert.Zero(t, h.Version, "the oversized command is not stored")
	for i := range hs {
		if !assert.NoError(t, errs[i], "innocent command %d", i) {
			continue
		}
		h, err := s.Load(ctx(t), domain.KindCase, hs[i].ID)
		require.NoError(t, err)
		require.Equal(t, uint64(2), h.Version)
		assert.Equal(t, res[i].Seq, h.Events[1].Seq, "stored where acknowledged")
	}
	assert.Greater(t, s.GroupCommitStats().Batches, before, "the innocent commands went in a batch")
}

// A writer whose context ends while its command waits for a batch takes
// it back: it gets the context's error and nothing of it is stored; the
// batch the others go in is not affected.
func TestCancelledWhileQueuedIsWithdrawn(t *testing.T) {
	s := groupStore(t, eventstore.GroupCommitOn)
	const n = 5
	hs := openedCases(t, s, n)
	cctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	errs := make([]error, n)
	writers := make([]func(), n)
	gone := make(chan struct{})
	for i := range hs {
		writers[i] = func() {
			c := context.Background()
			if i == 0 {
				c = cctx
				defer close(gone)
			}
			_, errs[i] = s.Append(c, hs[i], []domain.Event{{Facts: noted{N: i}}}, eventstore.AppendOptions{Actor: "anna", CommandID: fmt.Sprintf("q-%d", i)})
		}
	}
	// The cancelled writer has left before the committer may take it.
	heldBatch(t, s, writers, func() { cancel(); <-gone })

	require.ErrorIs(t, errs[0], context.Canceled)
	for i := range hs {
		h, err := s.Load(ctx(t), domain.KindCase, hs[i].ID)
		require.NoError(t, err)
		if i == 0 {
			assert.Equal(t, uint64(1), h.Version, "the withdrawn command is not stored")
			continue
		}
		assert.NoError(t, errs[i])
		assert.Equal(t, uint64(2), h.Version)
	}
}

// Closing the store while commands wait for a batch: each writer is
// answered (none hangs), with ErrCommitterClosed, and nothing of theirs
// is stored.
func TestCloseWithQueuedCommands(t *testing.T) {
	s, cfg := unclosedGroupStore(t)
	const n = 5
	hs := openedCases(t, s, n)
	queued, _ := eventstore.HoldGroupCommit(s)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range hs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = appendNote(s, hs[i], i, fmt.Sprintf("c-%d", i))
		}()
	}
	require.Eventually(t, func() bool { return queued() == n }, 10*time.Second, time.Millisecond)
	s.Close()
	wg.Wait()

	after := openStore(t, cfg)
	for i := range hs {
		assert.ErrorIs(t, errs[i], eventstore.ErrCommitterClosed)
		h, err := after.Load(ctx(t), domain.KindCase, hs[i].ID)
		require.NoError(t, err)
		assert.Equal(t, uint64(1), h.Version, "a command failed as not committed is not stored")
	}
}

// A server whose batch limit is below the default (max_batch_size 4)
// refuses a batch of 16 whole; the committer keeps to the limit from then
// on: the 16 commands are stored in batches of at most four, and no other
// batch is refused.
func TestBatchLimitBelowTheDefault(t *testing.T) {
	srv, err := server.NewServer(&server.Options{Host: "127.0.0.1", Port: -1, JetStream: true, StoreDir: t.TempDir(),
		NoLog: true, NoSigs: true, JetStreamLimits: server.JSLimitOpts{MaxBatchSize: 4}})
	require.NoError(t, err)
	srv.Start()
	t.Cleanup(srv.Shutdown)
	require.True(t, srv.ReadyForConnections(10*time.Second))
	nc, err := nats.Connect(srv.ClientURL())
	require.NoError(t, err)
	t.Cleanup(nc.Close)
	cfg := testConfig(t)
	cfg.Conn, cfg.GroupCommit = nc, eventstore.GroupCommitOn
	s := openStore(t, cfg)

	const n = 16
	hs := openedCases(t, s, n)
	res := make([]eventstore.Result, n)
	errs := make([]error, n)
	writers := make([]func(), n)
	for i := range writers {
		writers[i] = func() { res[i], errs[i] = appendNote(s, hs[i], i, fmt.Sprintf("c-%d", i)) }
	}
	before := s.GroupCommitStats()
	heldBatch(t, s, writers, nil)
	after := s.GroupCommitStats()

	for i := range hs {
		require.NoError(t, errs[i], "command %d", i)
		h, err := s.Load(ctx(t), domain.KindCase, hs[i].ID)
		require.NoError(t, err)
		require.Equal(t, uint64(2), h.Version, "stored once")
		assert.Equal(t, res[i].Seq, h.Events[1].Seq, "stored where acknowledged")
	}
	assert.Equal(t, int64(1), after.Refused-before.Refused, "only the first batch, too large, was refused")
	stored := (after.Commands - before.Commands) - n // the refused batch counted its 16 too
	batches := (after.Batches - before.Batches) - 1
	assert.Equal(t, int64(n), stored, "every command went in a later batch")
	assert.GreaterOrEqual(t, batches, int64(n/4), "batches of at most four")
}
