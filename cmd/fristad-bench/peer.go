package main

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"text/tabwriter"
	"time"

	"github.com/fristad/fristad/cmd/internal/cli"
	"github.com/fristad/fristad/domain"
	"github.com/fristad/fristad/eventstore"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/nats-io/nuid"
)

// runBenchPeer compares, in one run and with the same durability (an
// fsync before each acknowledgement): fristad's appends, raw nats.go
// publishes with the same expected-sequence check, and PostgreSQL (an
// events table with a unique (stream, version) key, synchronous_commit on),
// for 1 and 16 writers; and loading a 30-event aggregate.
func runBenchPeer(ctx context.Context, env *cliEnv, args []string) error {
	fs := newFlagSet(env, "peer", "peer [--ops 6000] [--writers 1,16,64] [--rounds 3] [-o FILE]")
	ops := fs.Int("ops", 6000, "appends per row")
	writersFlag := fs.String("writers", "1,16,64", "comma-separated writer counts of the append rows")
	rounds := fs.Int("rounds", peerRounds, "rounds the durable append rows are measured in, interleaved")
	out := fs.String("o", "", "also write the Markdown table to this file")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the run to this file")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *ops < 100 || *ops > 1_000_000 {
		return usageError{Msg: "--ops must be between 100 and 1,000,000"}
	}
	if *rounds < 1 || *rounds > 100 {
		return usageError{Msg: "--rounds must be between 1 and 100"}
	}
	writers, err := parseWriters(*writersFlag)
	if err != nil {
		return usageError{Msg: err.Error()}
	}
	stopProfile, err := cli.StartCPUProfile(*cpuProfile)
	if err != nil {
		return err
	}
	defer stopProfile()
	pg, stopPG, err := startPostgres(ctx)
	if err != nil {
		return fmt.Errorf("postgresql: %w", err)
	}
	defer stopPG()
	res, err := peerAppends(ctx, pg, writers, *ops, *rounds, env.Stderr)
	if err != nil {
		return err
	}
	var rows [][]string
	add := func(what string, r benchResult) {
		rows = append(rows, []string{what, fmt.Sprintf("%.0f", r.rate), ms(r.p50), ms(r.p99)})
	}
	for i, w := range res.writers {
		add(fmt.Sprintf("append, %d writers: fristad, group commit (load+decide+append)", w), res.grouped[i])
		add(fmt.Sprintf("append, %d writers: fristad, one publish per command", w), res.fristad[i])
		add(fmt.Sprintf("append, %d writers: raw nats.go publish", w), res.raw[i])
		if w > 1 {
			add(fmt.Sprintf("append, %d writers: raw nats.go atomic batches of %d, one at a time (ceiling; p = a batch)", w, w), res.atomic[i])
		}
		add(fmt.Sprintf("append, %d writers: PostgreSQL insert", w), res.pg[i])
	}
	add("append, 16 writers, sync every 2 min: fristad", res.lazyFristad)
	add("append, 16 writers, sync every 2 min: raw nats.go publish", res.lazyRaw)
	add("load a 30-event aggregate: fristad, cached", res.loadFristad)
	add("load a 30-event aggregate: PostgreSQL select", res.loadPG)

	var table []byte
	buf := &byteWriter{b: &table}
	tw := tabwriter.NewWriter(buf, 0, 0, 1, ' ', 0)
	fmt.Fprintln(tw, "| what\t| per second\t| p50 ms\t| p99 ms\t|")
	fmt.Fprintln(tw, "|---\t|---\t|---\t|---\t|")
	for _, r := range rows {
		fmt.Fprintf(tw, "| %s\t| %s\t| %s\t| %s\t|\n", r[0], r[1], r[2], r[3])
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "Durable appends and loads, %d appends per row, fsync before every acknowledgement (JetStream sync: always; PostgreSQL synchronous_commit on) unless the row says otherwise:\n\n%s", *ops, table)
	if *out != "" {
		return os.WriteFile(*out, table, 0o644) // #nosec G306 -- benchmark figures
	}
	return nil
}

// peerWriters are the writer counts every append comparison uses by default.
var peerWriters = []int{1, 16, 64}

// peerRounds is how many interleaved rounds the append rows run in by
// default.
const peerRounds = 3

// parseWriters reads "1,16,64".
func parseWriters(s string) ([]int, error) {
	var out []int
	for _, f := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 || n > 1024 {
			return nil, fmt.Errorf("--writers: %q is not a count from 1 to 1024", f)
		}
		out = append(out, n)
	}
	return out, nil
}

// peerResults are the append and load figures of one run; index i of the
// slices is for writers[i] writers.
type peerResults struct {
	writers                   []int
	grouped, fristad, raw, pg []benchResult
	// atomic is the server alone: raw atomic batches of as many messages
	// as there are writers, one after another (none for one writer).
	atomic               []benchResult
	lazyFristad, lazyRaw benchResult // 16 writers, sync every 2 minutes
	loadFristad, loadPG  benchResult
}

// peerAppends measures appends on fristad, raw nats.go and PostgreSQL (pg
// must be an empty database of its own), and loading a 30-event aggregate.
func peerAppends(ctx context.Context, pg *pgxpool.Pool, writers []int, ops, rounds int, progress io.Writer) (peerResults, error) {
	n := len(writers)
	res := peerResults{writers: writers, grouped: make([]benchResult, n), fristad: make([]benchResult, n), raw: make([]benchResult, n),
		atomic: make([]benchResult, n), pg: make([]benchResult, n)}
	dir, err := os.MkdirTemp("", "fristad-peer-")
	if err != nil {
		return res, err
	}
	defer os.RemoveAll(dir)
	open := func(name, sync string, gc eventstore.GroupCommit) (*eventstore.Backend, jetstream.JetStream, error) {
		b, err := eventstore.OpenBackend(ctx, eventstore.BackendConfig{DataDir: filepath.Join(dir, name), SyncPolicy: sync, GroupCommit: gc, DevKeys: true, Logger: slog.New(slog.DiscardHandler)})
		if err != nil {
			return nil, nil, err
		}
		js, err := jetstream.New(b.Conn)
		if err == nil {
			_, err = js.CreateStream(ctx, jetstream.StreamConfig{Name: "PEER_RAW", Subjects: []string{"peer.raw.>"}, Storage: jetstream.FileStorage})
		}
		if err != nil {
			b.Close()
			return nil, nil, err
		}
		return b, js, nil
	}
	backend, js, err := open("always", eventstore.SyncAlways, eventstore.GroupCommitOff)
	if err != nil {
		return res, err
	}
	defer backend.Close()
	grouped, groupedJS, err := open("grouped", eventstore.SyncAlways, eventstore.GroupCommitOn)
	if err != nil {
		return res, err
	}
	defer grouped.Close()
	if !grouped.Store.GroupCommitting() {
		return res, errors.New("the embedded server does not take atomic batches")
	}
	if _, err := groupedJS.CreateStream(ctx, jetstream.StreamConfig{Name: "PEER_ATOMIC", Subjects: []string{"peer.atomic.>"},
		Storage: jetstream.FileStorage, AllowAtomicPublish: true}); err != nil {
		return res, err
	}
	if _, err := pg.Exec(ctx, `CREATE TABLE events (id bigserial PRIMARY KEY, stream text NOT NULL, version int NOT NULL, data bytea NOT NULL, UNIQUE (stream, version))`); err != nil {
		return res, err
	}
	body := make([]byte, 420)
	_, _ = rand.Read(body)
	for i, writers := range writers {
		fmt.Fprintf(progress, "appending with %d writer(s)...\n", writers)
		one, err := fristadAppender(ctx, backend.Store, writers)
		if err != nil {
			return res, err
		}
		group, err := fristadAppender(ctx, grouped.Store, writers)
		if err != nil {
			return res, err
		}
		type row struct {
			out       *benchResult
			op        appendOp
			writers   int
			perCall   int // appends per call of op
			collected sample
		}
		table := []*row{
			{out: &res.grouped[i], op: group, writers: writers, perCall: 1},
			{out: &res.fristad[i], op: one, writers: writers, perCall: 1},
			{out: &res.raw[i], op: rawAppender(ctx, js, writers, body), writers: writers, perCall: 1},
			{out: &res.pg[i], op: pgAppender(ctx, pg, writers, body), writers: writers, perCall: 1},
		}
		if writers > 1 {
			table = append(table, &row{out: &res.atomic[i], op: rawAtomicAppender(ctx, grouped.Conn, writers, body), writers: 1, perCall: writers})
		}
		// The disk's fsync rate drifts within seconds on a shared machine:
		// every row runs in each round, in an order that rotates, so that
		// drift falls on all of them alike.
		before := grouped.Store.GroupCommitStats()
		for round := 0; round < rounds; round++ {
			for k := range table {
				r := table[(k+round)%len(table)]
				calls := max(1, ops/rounds/r.perCall)
				s, err := runRow(r.writers, calls, r.op)
				if err != nil {
					return res, err
				}
				s.appends *= r.perCall
				r.collected.add(s)
			}
		}
		after := grouped.Store.GroupCommitStats()
		fmt.Fprintf(progress, "group commit, %d writers: %d batches carrying %d commands, %d refused\n",
			writers, after.Batches-before.Batches, after.Commands-before.Commands, after.Refused-before.Refused)
		for _, r := range table {
			*r.out = r.collected.result()
		}
	}
	// Without fsyncs these appends are quick; a few thousand take 0.1-0.2 s,
	// too short to measure. Twenty times as many give a steady rate.
	lazyOps := 20 * ops
	fmt.Fprintf(progress, "appending with 16 writers, sync every 2 minutes...\n")
	lazy, lazyJS, err := open("lazy", "2m", eventstore.GroupCommitOff)
	if err != nil {
		return res, err
	}
	defer lazy.Close()
	if res.lazyFristad, err = benchFristadAppends(ctx, lazy.Store, 16, lazyOps); err != nil {
		return res, err
	}
	if res.lazyRaw, err = benchRawAppends(ctx, lazyJS, 16, lazyOps, body); err != nil {
		return res, err
	}

	// Loading a 30-event aggregate (its events among everything above).
	id := domain.NewID()
	h, _ := backend.Store.Load(ctx, domain.KindCase, id)
	if _, err := backend.Store.Append(ctx, h, []domain.Event{{Facts: domain.CaseOpened{Unit: "u", TargetGroup: domain.AdultVictim, Source: domain.SourceReport, ReceivedOn: domain.NewDate(2026, 1, 1), PersonID: domain.NewID(), Assignee: "a"}}}, eventstore.AppendOptions{Actor: "bench"}); err != nil {
		return res, err
	}
	for i := 1; i < 30; i++ {
		h, err := backend.Store.Load(ctx, domain.KindCase, id)
		if err != nil {
			return res, err
		}
		if _, err := backend.Store.Append(ctx, h, []domain.Event{{Facts: domain.NoteAdded{NoteID: domain.NewID()}}}, eventstore.AppendOptions{Actor: "bench"}); err != nil {
			return res, err
		}
		if _, err := pg.Exec(ctx, `INSERT INTO events (stream, version, data) VALUES ($1, $2, $3)`, "case."+string(id), i, body); err != nil {
			return res, err
		}
	}
	res.loadFristad = timeOps(1000, func() error {
		_, err := backend.Store.Load(ctx, domain.KindCase, id)
		return err
	})
	res.loadPG = timeOps(1000, func() error {
		rows, err := pg.Query(ctx, `SELECT version, data FROM events WHERE stream = $1 ORDER BY version`, "case."+string(id))
		if err != nil {
			return err
		}
		for rows.Next() {
		}
		rows.Close()
		return rows.Err()
	})
	return res, nil
}

type byteWriter struct{ b *[]byte }

func (w *byteWriter) Write(p []byte) (int, error) { *w.b = append(*w.b, p...); return len(p), nil }

type benchResult struct {
	rate     float64
	p50, p99 time.Duration
}

// sample is what rounds of one row measured: each operation's latency,
// and the time and the appends all its rounds took together.
type sample struct {
	lat     []time.Duration
	elapsed time.Duration
	appends int
}

func (s *sample) add(o sample) {
	s.lat = append(s.lat, o.lat...)
	s.elapsed += o.elapsed
	s.appends += o.appends
}

func (s sample) result() benchResult {
	if s.elapsed <= 0 {
		return benchResult{}
	}
	slices.Sort(s.lat)
	return benchResult{rate: float64(s.appends) / s.elapsed.Seconds(), p50: quantile(s.lat, .5), p99: quantile(s.lat, .99)}
}

// measure runs ops calls of op spread over writers goroutines; op gets
// the writer's index and the call's number for that writer.
func measure(writers, ops int, op func(w, n int) error) (benchResult, error) {
	s, err := runRow(writers, ops, op)
	return s.result(), err
}

// runRow is measure's sample, each call counted as one append.
func runRow(writers, ops int, op func(w, n int) error) (sample, error) {
	var next atomic.Int64
	var mu sync.Mutex
	lat := make([]time.Duration, 0, ops)
	var firstErr error
	start := time.Now()
	var wg sync.WaitGroup
	for w := 0; w < writers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for n := 0; next.Add(1) <= int64(ops); n++ {
				t0 := time.Now()
				err := op(w, n)
				d := time.Since(t0)
				mu.Lock()
				if err != nil && firstErr == nil {
					firstErr = err
				}
				lat = append(lat, d)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return sample{lat: lat, elapsed: time.Since(start), appends: ops}, firstErr
}

func timeOps(n int, op func() error) benchResult {
	r, _ := measure(1, n, func(int, int) error { return op() })
	return r
}

func benchFristadAppends(ctx context.Context, s *eventstore.Store, writers, ops int) (benchResult, error) {
	op, err := fristadAppender(ctx, s, writers)
	if err != nil {
		return benchResult{}, err
	}
	return measure(writers, ops, op)
}

// appendOp appends writer w's n-th command of a row.
type appendOp func(w, n int) error

// fristadAppender sets up 100 cases per writer (each with its person) and
// returns the row's operation: a note on one of the writer's cases,
// loaded, decided and appended as the API server does.
func fristadAppender(ctx context.Context, s *eventstore.Store, writers int) (appendOp, error) {
	const perWriter = 100 // case-sized histories
	ids := make([][]domain.ID, writers)
	opt := eventstore.ExecOptions{AppendOptions: eventstore.AppendOptions{Actor: "bench"}}
	persons := domain.PersonDecider()
	for w := range ids {
		for range perWriter {
			// The subject is registered first, as the API does: that creates
			// the data key a note is sealed with. Before, the first note on
			// each case created it inside the measured append (a key lookup
			// and a durable key write, two more round trips).
			person := domain.NewID()
			if _, err := eventstore.Execute(ctx, s, persons, person, domain.RegisterPerson{PersonDetails: domain.PersonDetails{Sex: domain.SexFemale,
				BirthYear: 1980, Name: "Bench"}, Today: domain.NewDate(2026, 1, 1)}, opt); err != nil {
				return nil, err
			}
			id := domain.NewID()
			h, _ := s.Load(ctx, domain.KindCase, id)
			if _, err := s.Append(ctx, h, []domain.Event{{Facts: domain.CaseOpened{Unit: "u", TargetGroup: domain.AdultVictim, Source: domain.SourceReport,
				ReceivedOn: domain.NewDate(2026, 1, 1), PersonID: person, Assignee: "a"}}}, opt.AppendOptions); err != nil {
				return nil, err
			}
			ids[w] = append(ids[w], id)
		}
	}
	decider := domain.CaseDecider() // once, as the API server does
	return func(w, n int) error {
		_, err := eventstore.Execute(ctx, s, decider, ids[w][n%perWriter], domain.AddNote{Text: "benchmark", NoteID: domain.NewID()}, opt)
		return err
	}, nil
}

func benchRawAppends(ctx context.Context, js jetstream.JetStream, writers, ops int, body []byte) (benchResult, error) {
	return measure(writers, ops, rawAppender(ctx, js, writers, body))
}

// rawAppender publishes body with nats.go on 100 subjects per writer,
// each with its expected last sequence, as fristad's messages carry.
func rawAppender(ctx context.Context, js jetstream.JetStream, writers int, body []byte) appendOp {
	const perWriter = 100
	last := make([][]uint64, writers)
	for w := range last {
		last[w] = make([]uint64, perWriter)
	}
	run := strconv.FormatInt(time.Now().UnixNano(), 36)
	return func(w, n int) error {
		a := n % perWriter
		m := nats.NewMsg(fmt.Sprintf("peer.raw.%s.%d.%d", run, w, a))
		m.Data = body
		m.Header.Set(jetstream.ExpectedLastSubjSeqHeader, strconv.FormatUint(last[w][a], 10))
		ack, err := js.PublishMsg(ctx, m)
		if err != nil {
			return err
		}
		last[w][a] = ack.Sequence
		return nil
	}
}

// rawAtomicAppender is the server alone: each call publishes an atomic
// batch of n messages, each on its own subject with its expected
// sequence and committed with an end-of-batch marker as the group
// committer sends them, with nothing to load or decide. One goroutine
// publishing them one after another bounds what a committer can reach
// with n writers and one batch at a time.
func rawAtomicAppender(ctx context.Context, nc *nats.Conn, n int, body []byte) appendOp {
	const perSlot = 100
	last := make([]uint64, n*perSlot)
	run := strconv.FormatInt(time.Now().UnixNano(), 36)
	return func(_, b int) error {
		id := nuid.Next()
		for i := 0; i < n; i++ {
			k := i*perSlot + b%perSlot
			m := nats.NewMsg(fmt.Sprintf("peer.atomic.%s.%d", run, k))
			m.Data = body
			m.Header.Set(jetstream.ExpectedLastSubjSeqHeader, strconv.FormatUint(last[k], 10))
			m.Header.Set("Nats-Batch-Id", id)
			m.Header.Set("Nats-Batch-Sequence", strconv.Itoa(i+1))
			if err := nc.PublishMsg(m); err != nil {
				return err
			}
		}
		eob := nats.NewMsg(fmt.Sprintf("peer.atomic.%s.eob", run))
		eob.Header.Set("Nats-Batch-Id", id)
		eob.Header.Set("Nats-Batch-Sequence", strconv.Itoa(n+1))
		eob.Header.Set("Nats-Batch-Commit", "eob")
		reply, err := nc.RequestMsgWithContext(ctx, eob)
		if err != nil {
			return err
		}
		var ack struct {
			Seq   uint64              `json:"seq"`
			Count int                 `json:"count"`
			Error *jetstream.APIError `json:"error"`
		}
		if err := json.Unmarshal(reply.Data, &ack); err != nil {
			return err
		}
		if ack.Error != nil {
			return ack.Error
		}
		if ack.Count != n {
			return fmt.Errorf("atomic batch of %d: the server stored %d", n, ack.Count)
		}
		// The stored batch is contiguous and ends at ack.Seq.
		seq := ack.Seq
		for i := n - 1; i >= 0; i-- {
			last[i*perSlot+b%perSlot] = seq
			seq--
		}
		return nil
	}
}

// pgAppender inserts body into PostgreSQL on 100 streams per writer, the
// version unique per stream as an event store's would be.
func pgAppender(ctx context.Context, pg *pgxpool.Pool, writers int, body []byte) appendOp {
	const perWriter = 100
	version := make([][]int, writers)
	for w := range version {
		version[w] = make([]int, perWriter)
	}
	run := strconv.FormatInt(time.Now().UnixNano(), 36)
	return func(w, n int) error {
		a := n % perWriter
		version[w][a]++
		_, err := pg.Exec(ctx, `INSERT INTO events (stream, version, data) VALUES ($1, $2, $3)`, fmt.Sprintf("%s.%d.%d", run, w, a), version[w][a], body)
		return err
	}
}

// startPostgres starts Debian's PostgreSQL in dir on a free loopback port
// (as the postgres user when run as root, which PostgreSQL refuses) and
// returns a pool; stop shuts it down.
func startPostgres(ctx context.Context) (*pgxpool.Pool, func(), error) {
	bin, err := pgBin()
	if err != nil {
		return nil, nil, err
	}
	// A temp dir of its own: the postgres user must be able to reach it.
	dir, err := os.MkdirTemp("", "fristad-pg-")
	if err != nil {
		return nil, nil, err
	}
	asUser := func(name string, args ...string) *exec.Cmd {
		if u, err := user.Current(); err == nil && u.Uid == "0" {
			if err := chownR(dir, "postgres"); err == nil {
				return exec.Command("runuser", append([]string{"-u", "postgres", "--", filepath.Join(bin, name)}, args...)...) // #nosec G204 -- fixed binaries
			}
		}
		return exec.Command(filepath.Join(bin, name), args...) // #nosec G204 -- fixed binaries
	}
	data := filepath.Join(dir, "data")
	if out, err := asUser("initdb", "-D", data, "-A", "trust", "-U", "fristad").CombinedOutput(); err != nil {
		return nil, nil, fmt.Errorf("initdb: %v: %s", err, out)
	}
	port := freeLoopbackPort()
	opts := fmt.Sprintf("-c listen_addresses=127.0.0.1 -p %d -c unix_socket_directories=%s -c max_connections=50", port, dir)
	if out, err := asUser("pg_ctl", "-D", data, "-o", opts, "-l", filepath.Join(dir, "log"), "-w", "start").CombinedOutput(); err != nil {
		return nil, nil, fmt.Errorf("pg_ctl start: %v: %s", err, out)
	}
	stop := func() {
		_ = asUser("pg_ctl", "-D", data, "-m", "fast", "stop").Run()
		_ = os.RemoveAll(dir)
	}
	cfg, err := pgxpool.ParseConfig(fmt.Sprintf("postgres://fristad@127.0.0.1:%d/postgres?sslmode=disable&pool_max_conns=20", port))
	if err != nil {
		stop()
		return nil, nil, err
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		stop()
		return nil, nil, err
	}
	var once sync.Once
	return pool, func() { once.Do(func() { pool.Close(); stop() }) }, nil
}

func pgBin() (string, error) {
	matches, _ := filepath.Glob("/usr/lib/postgresql/*/bin/initdb")
	if len(matches) == 0 {
		return "", errors.New("PostgreSQL is not installed (Debian: apt-get install postgresql; make bench does it)")
	}
	slices.Sort(matches)
	return filepath.Dir(matches[len(matches)-1]), nil
}

func chownR(dir, name string) error {
	return exec.Command("chown", "-R", name, dir).Run() // #nosec G204 -- fixed arguments
}

func freeLoopbackPort() int {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 55432
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}
