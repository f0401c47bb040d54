package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"time"

	"github.com/fristad/fristad/cmd/internal/seeding"
	"github.com/fristad/fristad/domain"
	"github.com/fristad/fristad/eventstore"
	"github.com/fristad/fristad/projections"
	"github.com/fristad/fristad/projections/reports"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// runBenchAll is what `make bench` runs: every figure the issues ask for,
// measured in one run next to its baseline (raw nats.go, or PostgreSQL
// doing the same work), written as one Markdown table.
func runBenchAll(ctx context.Context, env *cliEnv, args []string) error {
	fs := newFlagSet(env, "all", "all [--ops 6000] [--cases 10000] [--api-duration 10s] [--rate 1000] [-o FILE]")
	ops := fs.Int("ops", 6000, "appends per append row")
	cases := fs.Int("cases", 10000, "synthetic cases seeded for the replay and report measurements")
	apiDuration := fs.Duration("api-duration", 10*time.Second, "how long each API measurement runs")
	rate := fs.Float64("rate", 1000, "requests/s the 50 paced API clients offer together")
	out := fs.String("o", "", "also write the Markdown table to this file")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *ops < 100 || *ops > 1_000_000 || *cases < 100 || *cases > 1_000_000 || *apiDuration < time.Second || *apiDuration > time.Hour || *rate <= 0 || *rate > 1e6 {
		return usageError{Msg: "--ops 100..1,000,000, --cases 100..1,000,000, --api-duration 1s..1h, --rate 1..1,000,000"}
	}
	pg, stopPG, err := startPostgres(ctx)
	if err != nil {
		return fmt.Errorf("postgresql: %w", err)
	}
	defer stopPG()

	peer, err := peerAppends(ctx, pg, peerWriters, *ops, peerRounds, env.Stderr)
	if err != nil {
		return err
	}
	rep, err := replayFigures(ctx, pg, *cases, env.Stderr)
	if err != nil {
		return err
	}
	// PostgreSQL is done: stopped here, its checkpoint does not share the
	// disk with the API's fsyncs.
	stopPG()
	fmt.Fprintf(env.Stderr, "API mix...\n")
	web, err := apiMixFigures(ctx, *apiDuration, *rate)
	if err != nil {
		return err
	}

	var t benchTable
	for i, w := range peer.writers {
		t.add(fmt.Sprintf("append, %d writer(s), fsync before ack: appends/s", w), peer.fristad[i].rate, "raw nats.go publish, same check", peer.raw[i].rate)
		t.add(fmt.Sprintf("append, %d writer(s), fsync before ack: appends/s", w), peer.fristad[i].rate, "PostgreSQL insert, synchronous_commit on", peer.pg[i].rate)
		t.addMS(fmt.Sprintf("append, %d writer(s): p99 ms", w), peer.fristad[i].p99, "PostgreSQL insert p99", peer.pg[i].p99)
		t.add(fmt.Sprintf("append, %d writer(s), group commit: appends/s", w), peer.grouped[i].rate, "fristad, one publish per command", peer.fristad[i].rate)
		t.add(fmt.Sprintf("append, %d writer(s), group commit: appends/s", w), peer.grouped[i].rate, "PostgreSQL insert, synchronous_commit on", peer.pg[i].rate)
		t.addMS(fmt.Sprintf("append, %d writer(s), group commit: p99 ms", w), peer.grouped[i].p99, "fristad, one publish per command, p99", peer.fristad[i].p99)
	}
	t.add("append, 16 writers, sync every 2 min: appends/s", peer.lazyFristad.rate, "raw nats.go publish, same sync", peer.lazyRaw.rate)
	t.add("load a 30-event aggregate (cached): loads/s", peer.loadFristad.rate, "PostgreSQL select", peer.loadPG.rate)
	ev := float64(rep.events)
	t.add(fmt.Sprintf("replay %d events into every projection: events/s", rep.events), ev/rep.replay.Seconds(), "raw ordered-consumer read", ev/rep.raw.Seconds())
	t.add("raw read of the log: events/s", ev/rep.raw.Seconds(), "PostgreSQL: SELECT of the copy in order", ev/rep.pgRaw.Seconds())
	t.add("mapping report over the same events: events/s", ev/rep.report.Seconds(), "raw ordered-consumer read", ev/rep.raw.Seconds())
	t.add("API mix, 50 clients, closed loop: requests/s", web.closed.perSec, "", 0)
	for _, row := range []struct {
		name string
		f    apiFigures
	}{{fmt.Sprintf("API mix, 50 clients paced at %.0f req/s", *rate), web.paced}, {"API mix, 50 clients, closed loop", web.closed}} {
		t.addMS(row.name+": read p99 ms", row.f.readP99, "1 client, closed loop, read p99", web.single.readP99)
		t.addMS(row.name+": read p99 ms", row.f.readP99, idleName+", read p99", web.idle.readP99)
		t.addMS(row.name+": write p99 ms", row.f.writeP99, "1 client, closed loop, write p99", web.single.writeP99)
		t.addMS(row.name+": write p99 ms", row.f.writeP99, idleName+", write p99", web.idle.writeP99)
	}

	header := fmt.Sprintf("fristad bench all, %s: %d appends per fsync append row (20 times as many with the 2-minute sync); %d seeded cases (%d events, %d messages) for replay and report; API rows %s each, 70%% reads / 30%% writes.\n\n",
		time.Now().UTC().Format("2006-01-02 15:04 MST"), *ops, *cases, rep.events, rep.messages, *apiDuration)
	table := t.markdown()
	fmt.Fprint(env.Stdout, header+table)
	if *out != "" {
		return os.WriteFile(*out, []byte(header+table), 0o644) // #nosec G306 -- benchmark figures
	}
	return nil
}

// benchTable is the one table `make bench` writes: a figure, what it is
// compared with in the same run, and the ratio.
type benchTable struct{ rows [][5]string }

func (t *benchTable) add(what string, v float64, versus string, w float64) {
	row := [5]string{what, fmt.Sprintf("%.0f", v), versus, "", ""}
	if versus != "" {
		row[3], row[4] = fmt.Sprintf("%.0f", w), fmt.Sprintf("%.2f", v/w)
	}
	t.rows = append(t.rows, row)
}

func (t *benchTable) addMS(what string, v time.Duration, versus string, w time.Duration) {
	t.rows = append(t.rows, [5]string{what, ms(v), versus, ms(w), fmt.Sprintf("%.2f", float64(v)/float64(max(w, 1)))})
}

func (t *benchTable) markdown() string {
	var b strings.Builder
	b.WriteString("| measurement | fristad | compared with (same run) | that | fristad ÷ that |\n|---|---:|---|---:|---:|\n")
	for _, r := range t.rows {
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s |\n", r[0], r[1], r[2], r[3], r[4])
	}
	return b.String()
}

// replayResults time reading and folding one seeded log, from JetStream
// and from a copy of it in PostgreSQL.
type replayResults struct {
	events                     int
	messages                   int
	raw, replay, report, pgRaw time.Duration
	digest                     string
}

// replayFigures seeds cases synthetic cases, then times: a raw ordered-
// consumer read, a replay into every projection, the mapping report, and
// the same log copied into PostgreSQL (one row per message, in stream
// order) read raw. (Decoding the copy would need a hook into the store's
// decoder that only a benchmark uses; the store does not carry one.)
func replayFigures(ctx context.Context, pg *pgxpool.Pool, cases int, progress io.Writer) (replayResults, error) {
	var res replayResults
	dir, err := os.MkdirTemp("", "fristad-replay-")
	if err != nil {
		return res, err
	}
	defer os.RemoveAll(dir)
	// Seeding only has to be quick; what is measured here is reading.
	backend, err := openBenchBackend(ctx, filepath.Join(dir, "data"), "1m")
	if err != nil {
		return res, err
	}
	defer backend.Close()
	store := backend.Store
	fmt.Fprintf(progress, "seeding %d cases...\n", cases)
	if err := seeding.Units(ctx, store); err != nil {
		return res, err
	}
	if _, err := seeding.Providers(ctx, store, 1); err != nil {
		return res, err
	}
	if _, _, err := seeding.Cases(ctx, store, 1, cases, 16, func(int) {}); err != nil {
		return res, err
	}
	// As fristad replay does: a batch job whose heap only grows.
	defer debug.SetGCPercent(debug.SetGCPercent(400))

	fmt.Fprintf(progress, "replaying...\n")
	raw, err := scanStream(ctx, backend.Conn, "FRISTAD", nil)
	if err != nil {
		return res, err
	}
	res.raw, res.messages = raw.Duration, raw.Messages
	runner, err := projections.NewRunner(store, projections.Options{NoSnapshots: true}, projections.All()...)
	if err != nil {
		return res, err
	}
	st, err := runner.Rebuild(ctx, nil)
	if err != nil {
		return res, err
	}
	res.events, res.replay = st.Events, st.Duration
	if res.digest, err = runner.Digest(); err != nil {
		return res, err
	}
	p := reports.Params{Report: reports.Mapping, From: domain.NewDate(2025, 1, 1), To: domain.NewDate(2025, 12, 31), MinCell: reports.DefaultMinCell}
	_, rst, err := reports.Run(ctx, store, p, nil)
	if err != nil {
		return res, err
	}
	res.report = rst.Duration

	fmt.Fprintf(progress, "copying the log into PostgreSQL...\n")
	if _, err := pg.Exec(ctx, `CREATE TABLE log (seq bigint PRIMARY KEY, subject text NOT NULL, data bytea NOT NULL)`); err != nil {
		return res, err
	}
	var rows [][]any
	if _, err := scanStream(ctx, backend.Conn, "FRISTAD", func(seq uint64, subject string, data []byte) error {
		rows = append(rows, []any{int64(seq), subject, data}) // #nosec G115 -- stream sequences fit in int64
		return nil
	}); err != nil {
		return res, err
	}
	if _, err := pg.CopyFrom(ctx, pgx.Identifier{"log"}, []string{"seq", "subject", "data"}, pgx.CopyFromRows(rows)); err != nil {
		return res, err
	}
	rows = nil
	if _, err := pg.Exec(ctx, `VACUUM ANALYZE log`); err != nil {
		return res, err
	}
	// Each PostgreSQL reading is timed from the query to the last row.
	selectAll := func(ctx context.Context, emit func(seq uint64, subject string, data []byte) bool) error {
		rs, err := pg.Query(ctx, `SELECT seq, subject, data FROM log ORDER BY seq`)
		if err != nil {
			return err
		}
		defer rs.Close()
		for rs.Next() {
			v := rs.RawValues()
			var seq int64
			var subject string
			if err := rs.Scan(&seq, &subject, nil); err != nil {
				return err
			}
			if !emit(uint64(seq), subject, append([]byte(nil), v[2]...)) { // #nosec G115 -- sequences are positive
				return ctx.Err()
			}
		}
		return rs.Err()
	}
	start := time.Now()
	if err := selectAll(ctx, func(uint64, string, []byte) bool { return true }); err != nil {
		return res, err
	}
	res.pgRaw = time.Since(start)
	return res, nil
}

// apiMix holds the API figures: one client, 50 paced clients, 50 clients
// in a closed loop.
// apiMix is the API mix under four loads. Two of them are unloaded, with
// one client: back to back (the server never idles, so it answers from
// warm caches and running threads), and paced so that the server idles
// between requests, as an unloaded server does; each wakes up first.
type apiMix struct{ single, idle, paced, closed apiFigures }

// idleRate paces the idle single client: a request every 20 ms.
const idleRate = 50

var idleName = fmt.Sprintf("1 client paced at %d req/s (server idle between requests)", idleRate)

func apiMixFigures(ctx context.Context, d time.Duration, rate float64) (apiMix, error) {
	var res apiMix
	b, err := startBenchServer(ctx, eventstore.SyncAlways)
	if err != nil {
		return res, err
	}
	defer b.close()
	ids, err := b.seed(200)
	if err != nil {
		return res, err
	}
	b.run(ctx, ids, 50, 2*time.Second, 0) // warm-up, discarded
	for _, m := range []struct {
		into    *apiFigures
		clients int
		rate    float64
	}{{&res.single, 1, 0}, {&res.idle, 1, idleRate}, {&res.paced, 50, rate}, {&res.closed, 50, 0}} {
		b.resetStats()
		start := time.Now()
		b.run(ctx, ids, m.clients, d, m.rate)
		*m.into = b.figures(time.Since(start))
	}
	return res, nil
}
