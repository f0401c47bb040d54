package eventstore_test

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/fristad/fristad/domain"
	"github.com/fristad/fristad/eventstore"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/stretchr/testify/require"
)

// The benchmarks compare the store with raw nats.go calls doing the same
// work in the same run and on the same server, so the store's overhead is
// a ratio. Appends run against a server with the production default
// (sync: always, an fsync before every acknowledgement) in its own temp
// dir; docs/benchmarks.md has the figures.

// latencies records per-operation latencies for p50/p99 metrics.
type latencies struct {
	mu sync.Mutex
	d  []time.Duration
}

func (l *latencies) add(d time.Duration) { l.mu.Lock(); l.d = append(l.d, d); l.mu.Unlock() }

func (l *latencies) report(b *testing.B) {
	if len(l.d) == 0 {
		return
	}
	slices.Sort(l.d)
	q := func(p float64) float64 { return float64(l.d[int(p*float64(len(l.d)-1))].Microseconds()) }
	b.ReportMetric(q(0.50), "p50-µs")
	b.ReportMetric(q(0.99), "p99-µs")
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "ops/s")
}

func benchServer(b *testing.B, sync string) *nats.Conn {
	dir := b.TempDir()
	srv, err := eventstore.StartEmbedded(eventstore.EmbeddedConfig{DataDir: dir, SyncPolicy: sync})
	require.NoError(b, err)
	nc, err := srv.Connect()
	require.NoError(b, err)
	b.Cleanup(func() { nc.Close(); srv.Shutdown() })
	return nc
}

func benchStore(b *testing.B, nc *nats.Conn) *eventstore.Store {
	s, err := eventstore.Open(context.Background(), eventstore.Config{Conn: nc, Registry: testRegistry(), MasterKey: masterKey(b)})
	require.NoError(b, err)
	b.Cleanup(s.Close)
	return s
}

func syncPolicy() string {
	if p := os.Getenv("FRISTAD_BENCH_SYNC"); p != "" {
		return p
	}
	return eventstore.SyncAlways
}

// BenchmarkAppend: one note command per op on its writer's own aggregate,
// with the expected-sequence check, via Execute (load from cache + decide +
// append) against a raw PublishMsg carrying the same header and size.
func BenchmarkAppend(b *testing.B) {
	for _, writers := range []int{1, 16} {
		b.Run(fmt.Sprintf("store/writers=%d", writers), func(b *testing.B) {
			s := benchStore(b, benchServer(b, syncPolicy()))
			// Each writer works through its own aggregates round-robin, so
			// histories stay case-sized (tens of events), as in real use.
			ids := make([][]domain.ID, writers)
			for w := range ids {
				for range aggregatesPerWriter {
					id := domain.NewID()
					mustExec(b, s, id, openCmd{Unit: "u", Name: "n"})
					ids[w] = append(ids[w], id)
				}
			}
			turn := make([]int, writers)
			var lat latencies
			var next atomic.Int64
			b.ResetTimer()
			runWriters(b, writers, &next, func(w int) {
				t0 := time.Now()
				turn[w]++
				_, err := exec(b, s, ids[w][turn[w]%aggregatesPerWriter], noteCmd{N: w}, "")
				if err != nil {
					b.Error(err)
				}
				lat.add(time.Since(t0))
			})
			lat.report(b)
		})
		b.Run(fmt.Sprintf("raw/writers=%d", writers), func(b *testing.B) {
			nc := benchServer(b, syncPolicy())
			js, err := jetstream.New(nc)
			require.NoError(b, err)
			_, err = js.CreateStream(context.Background(), jetstream.StreamConfig{Name: "RAW", Subjects: []string{"raw.>"}, Storage: jetstream.FileStorage})
			require.NoError(b, err)
			last := make([][]uint64, writers)
			for w := range last {
				last[w] = make([]uint64, aggregatesPerWriter)
			}
			turn := make([]int, writers)
			body := make([]byte, 420) // the size of a stored note record
			var lat latencies
			var next atomic.Int64
			b.ResetTimer()
			runWriters(b, writers, &next, func(w int) {
				t0 := time.Now()
				turn[w]++
				a := turn[w] % aggregatesPerWriter
				m := nats.NewMsg("raw.case." + strconv.Itoa(w) + "." + strconv.Itoa(a))
				m.Data = body
				m.Header.Set(jetstream.ExpectedLastSubjSeqHeader, strconv.FormatUint(last[w][a], 10))
				ack, err := js.PublishMsg(context.Background(), m)
				if err != nil {
					b.Error(err)
					return
				}
				last[w][a] = ack.Sequence
				lat.add(time.Since(t0))
			})
			lat.report(b)
		})
	}
}

const aggregatesPerWriter = 100

// runWriters runs b.N operations spread over n goroutines, each with its
// own writer index.
func runWriters(b *testing.B, n int, next *atomic.Int64, op func(w int)) {
	var wg sync.WaitGroup
	for w := 0; w < n; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for next.Add(1) <= int64(b.N) {
				op(w)
			}
		}()
	}
	wg.Wait()
}

// BenchmarkLoad loads one 30-event aggregate out of a stream of about
// 1,000,000 events (FRISTAD_BENCH_EVENTS overrides the size).
func BenchmarkLoad(b *testing.B) {
	total := 1_000_000
	if v, err := strconv.Atoi(os.Getenv("FRISTAD_BENCH_EVENTS")); err == nil && v > 0 {
		total = v
	}
	// The fill does not need fsync: reads are what is measured.
	nc := benchServer(b, "2m")
	key := masterKey(b)
	s, err := eventstore.Open(context.Background(), eventstore.Config{Conn: nc, Registry: testRegistry(), MasterKey: key})
	require.NoError(b, err)
	b.Cleanup(s.Close)
	target := domain.NewID()
	mustExec(b, s, target, openCmd{Unit: "u", Name: "n"})
	js, err := jetstream.New(nc)
	require.NoError(b, err)
	filler := make([]byte, 400)
	fill := func(n int) {
		for i := 0; i < n; i++ {
			if _, err := js.PublishAsync("fristad.events.case."+string(domain.NewID()), filler); err != nil {
				b.Fatal(err)
			}
		}
		<-js.PublishAsyncComplete()
	}
	// Interleave the target's 30 events through the whole stream, as a case
	// handled over months would be.
	for i := 1; i < 30; i++ {
		fill(total / 30)
		mustExec(b, s, target, noteCmd{N: i})
	}
	subject := "fristad.events.case." + string(target)

	b.Run("store/cached", func(b *testing.B) {
		var lat latencies
		for i := 0; i < b.N; i++ {
			t0 := time.Now()
			h, err := s.Load(context.Background(), domain.KindCase, target)
			if err != nil || h.Version != 30 {
				b.Fatal(err, h.Version)
			}
			lat.add(time.Since(t0))
		}
		lat.report(b)
	})
	b.Run("store/cache-miss", func(b *testing.B) {
		// One running store whose cache holds one history: loading another
		// aggregate between iterations evicts the target.
		small, err := eventstore.Open(context.Background(), eventstore.Config{Conn: nc, Registry: testRegistry(), MasterKey: key, CacheSize: 1})
		require.NoError(b, err)
		defer small.Close()
		other := domain.NewID()
		mustExec(b, small, other, openCmd{Unit: "u", Name: "n"})
		var lat latencies
		for i := 0; i < b.N; i++ {
			if _, err := small.Load(context.Background(), domain.KindCase, other); err != nil {
				b.Fatal(err)
			}
			t0 := time.Now()
			h, err := small.Load(context.Background(), domain.KindCase, target)
			lat.add(time.Since(t0))
			if err != nil || h.Version != 30 {
				b.Fatal(err)
			}
		}
		lat.report(b)
	})
	b.Run("raw/direct-get-per-message", func(b *testing.B) {
		str, err := js.Stream(context.Background(), "FRISTAD")
		require.NoError(b, err)
		var lat latencies
		for i := 0; i < b.N; i++ {
			t0 := time.Now()
			var seq uint64 = 1
			n := 0
			for {
				m, err := str.GetMsg(context.Background(), seq, jetstream.WithGetMsgSubject(subject))
				if err != nil {
					break
				}
				n++
				seq = m.Sequence + 1
			}
			if n != 30 {
				b.Fatal("got", n)
			}
			lat.add(time.Since(t0))
		}
		lat.report(b)
	})
	b.Run("raw/consumer-per-load", func(b *testing.B) {
		str, err := js.Stream(context.Background(), "FRISTAD")
		require.NoError(b, err)
		var lat latencies
		for i := 0; i < b.N; i++ {
			t0 := time.Now()
			c, err := str.CreateConsumer(context.Background(), jetstream.ConsumerConfig{FilterSubject: subject, AckPolicy: jetstream.AckNonePolicy})
			require.NoError(b, err)
			batch, err := c.FetchNoWait(64)
			require.NoError(b, err)
			n := 0
			for range batch.Messages() {
				n++
			}
			lat.add(time.Since(t0))
			require.NoError(b, str.DeleteConsumer(context.Background(), c.CachedInfo().Name))
			if n != 30 {
				b.Fatal("got", n)
			}
		}
		lat.report(b)
	})
}
