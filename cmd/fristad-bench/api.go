package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"

	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"slices"
	"sort"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/fristad/fristad/api"
	"github.com/fristad/fristad/api/auth"
	"github.com/fristad/fristad/cmd/internal/cli"
	"github.com/fristad/fristad/domain"
	"github.com/fristad/fristad/eventstore"
	"github.com/fristad/fristad/projections"
	"github.com/prometheus/client_golang/prometheus"
)

// runBenchAPI runs the API mix from concurrent clients against a complete
// fristad in a temp dir and prints latency per route.
func runBenchAPI(ctx context.Context, env *cliEnv, args []string) error {
	fs := newFlagSet(env, "api", "api [--clients 50] [--rate 0] [--duration 20s] [--cases 200] [--sync always]")
	clients := fs.Int("clients", 50, "concurrent clients")
	rate := fs.Float64("rate", 0, "requests/s offered by all clients together, evenly paced (0: each client sends its next request as soon as the last is answered)")
	duration := fs.Duration("duration", 20*time.Second, "how long to measure (after a short warm-up)")
	cases := fs.Int("cases", 200, "cases created before measuring")
	sync := fs.String("sync", eventstore.SyncAlways, "sync policy of the benchmark's own embedded server")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the measured run to this file")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *clients < 1 || *clients > 1000 || *cases < 1 || *duration <= 0 || *duration > time.Hour || *rate < 0 || *rate > 1e6 {
		return usageError{Msg: "--clients 1..1000, --cases ≥ 1, --duration up to 1h, --rate 0..1000000"}
	}
	b, err := startBenchServer(ctx, *sync)
	if err != nil {
		return err
	}
	defer b.close()
	load := "closed loop"
	if *rate > 0 {
		load = fmt.Sprintf("%.0f requests/s offered", *rate)
	}
	fmt.Fprintf(env.Stderr, "bench api: %d clients, %s, %s, %d cases, sync %s, server %s\n", *clients, load, *duration, *cases, *sync, b.base)

	ids, err := b.seed(*cases)
	if err != nil {
		return err
	}
	b.run(ctx, ids, *clients, 2*time.Second, *rate) // warm-up, discarded
	b.resetStats()
	stopProfile, err := cli.StartCPUProfile(*cpuProfile)
	if err != nil {
		return err
	}
	defer stopProfile()
	start := time.Now()
	b.run(ctx, ids, *clients, *duration, *rate)
	elapsed := time.Since(start)
	return b.report(env.Stdout, elapsed)
}

// benchServer is a complete fristad (embedded JetStream, store,
// projections, API) in a temp dir, serving on a loopback port.
type benchServer struct {
	dir      string
	backend  *eventstore.Backend
	srv      *http.Server
	base     string
	token    string
	reg      *prometheus.Registry
	client   *http.Client
	stopProj context.CancelFunc

	mu        sync.Mutex
	stats     map[string][]time.Duration
	errs      map[string]int
	conflicts map[string]int // 409: two clients wrote one case at once
}

func startBenchServer(ctx context.Context, sync string) (*benchServer, error) {
	dir, err := os.MkdirTemp("", "fristad-bench-")
	if err != nil {
		return nil, err
	}
	b := &benchServer{dir: dir, reg: prometheus.NewRegistry()}
	b.resetStats()
	if b.backend, err = openBenchBackend(ctx, dir, sync); err != nil {
		return nil, err
	}
	key, err := auth.DevKey(dir)
	if err != nil {
		return nil, err
	}
	verifier, err := auth.NewVerifier(ctx, auth.Config{HS256Key: key, Issuer: auth.DevIssuer, Audience: auth.DevAudience})
	if err != nil {
		return nil, err
	}
	if b.token, err = auth.Mint(key, auth.Principal{Sub: "bench", Roles: []auth.Role{auth.RoleCaseworker, auth.RoleSupervisor}, Units: []string{"bench"}},
		auth.DevIssuer, auth.DevAudience, 2*time.Hour, time.Now()); err != nil {
		return nil, err
	}
	links, cases, providers := projections.NewPersonLinks(), projections.NewCases(), projections.NewProviders()
	runner, err := projections.NewRunner(b.backend.Store, projections.Options{NoSnapshots: true}, links, cases, providers)
	if err != nil {
		return nil, err
	}
	pctx, cancel := context.WithCancel(context.Background())
	b.stopProj = cancel
	go func() { _ = runner.Run(pctx) }()
	handler, err := api.New(api.Config{Store: b.backend.Store, Verifier: verifier, Runner: runner, Links: links, Cases: cases, Providers: providers, Registry: b.reg,
		Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		return nil, err
	}
	// Cases open only in registered units (the settings' units registry).
	if _, err := eventstore.Execute(ctx, b.backend.Store, domain.SettingsDecider(), domain.SettingsID, domain.SetUnit{Unit: "bench", Name: "Bench", Kind: domain.UnitAdults},
		eventstore.ExecOptions{AppendOptions: eventstore.AppendOptions{Actor: "bench"}}); err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	b.base = "http://" + ln.Addr().String()
	b.srv = &http.Server{Handler: handler.Handler(), ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = b.srv.Serve(ln) }()
	b.client = &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 1000, MaxConnsPerHost: 1000}, Timeout: 30 * time.Second}
	return b, nil
}

func (b *benchServer) close() {
	_ = b.srv.Close()
	b.stopProj()
	b.backend.Close()
	_ = os.RemoveAll(b.dir)
}

type benchCase struct{ id, person string }

func (b *benchServer) seed(n int) ([]benchCase, error) {
	out := make([]benchCase, 0, n)
	for i := 0; i < n; i++ {
		body := map[string]any{"unit": "bench", "target_group": "adult_victim", "source": "report", "received_on": "2026-01-15",
			"subject":     map[string]any{"sex": "female", "birth_year": 1980 + i%30, "name": fmt.Sprintf("Bench Person %d", i)},
			"description": "Benchmark case."}
		var res struct {
			ID       string `json:"id"`
			PersonID string `json:"person_id"`
		}
		code, err := b.call("POST", "/api/v1/cases", body, &res)
		if err != nil || code != http.StatusCreated {
			return nil, fmt.Errorf("seed case %d: status %d: %v", i, code, err)
		}
		out = append(out, benchCase{res.ID, res.PersonID})
	}
	return out, nil
}

func (b *benchServer) call(method, path string, body any, into any) (int, error) {
	var rd io.Reader
	if body != nil {
		raw, _ := json.Marshal(body)
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, b.base+path, rd)
	if err != nil {
		return 0, err
	}
	req.Header.Set("Authorization", "Bearer "+b.token)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := b.client.Do(req)
	if err != nil {
		return 0, err
	}
	defer res.Body.Close()
	if into != nil {
		return res.StatusCode, json.NewDecoder(res.Body).Decode(into)
	}
	_, err = io.Copy(io.Discard, res.Body)
	return res.StatusCode, err
}

// op is one kind of request of the mix, with its share.
type op struct {
	route  string
	weight int
	do     func(b *benchServer, c benchCase) (int, error)
}

// mix: 70% reads of case files, histories and personal files, 30% writes.
var mix = []op{
	{"GET /cases/:id", 40, func(b *benchServer, c benchCase) (int, error) { return b.call("GET", "/api/v1/cases/"+c.id, nil, nil) }},
	{"GET /cases/:id/events", 15, func(b *benchServer, c benchCase) (int, error) {
		return b.call("GET", "/api/v1/cases/"+c.id+"/events", nil, nil)
	}},
	{"GET /persons/:id", 15, func(b *benchServer, c benchCase) (int, error) {
		return b.call("GET", "/api/v1/persons/"+c.person, nil, nil)
	}},
	{"POST /cases/:id/notes", 20, func(b *benchServer, c benchCase) (int, error) {
		return b.call("POST", "/api/v1/cases/"+c.id+"/notes", map[string]any{"text": "Benchmark note."}, nil)
	}},
	{"POST /cases/:id/risk-assessments", 10, func(b *benchServer, c benchCase) (int, error) {
		return b.call("POST", "/api/v1/cases/"+c.id+"/risk-assessments", map[string]any{"instrument": "freda_short", "level": "medium", "concerns": "adult", "assessed_on": "2026-02-01"}, nil)
	}},
}

// run drives the mix for d. With rate 0 each client sends its next request
// as soon as the last is answered (closed loop: the server is saturated and
// latency is whatever the queue makes it). With a rate, each client sends on
// a fixed schedule (rate/clients per second) and latency is counted from the
// scheduled moment, so a slow answer that delays the next request is not
// hidden (no coordinated omission).
func (b *benchServer) run(ctx context.Context, cases []benchCase, clients int, d time.Duration, rate float64) {
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	total := 0
	for _, o := range mix {
		total += o.weight
	}
	var wg sync.WaitGroup
	for w := 0; w < clients; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(w), 7)) // #nosec G115 G404 -- the benchmark load is seeded for repeatability; w is a non-negative worker index
			var interval time.Duration
			next := time.Now()
			if rate > 0 {
				interval = time.Duration(float64(clients) / rate * float64(time.Second))
				next = next.Add(time.Duration(rng.Int64N(int64(interval) + 1))) // spread the clients' phases
			}
			for ctx.Err() == nil {
				if interval > 0 {
					if wait := time.Until(next); wait > 0 {
						select {
						case <-ctx.Done():
							return
						case <-time.After(wait):
						}
					}
				}
				n := rng.IntN(total)
				o := mix[0]
				for _, cand := range mix {
					if n < cand.weight {
						o = cand
						break
					}
					n -= cand.weight
				}
				c := cases[rng.IntN(len(cases))]
				t0 := time.Now()
				if interval > 0 {
					t0 = next
					next = next.Add(interval)
				}
				code, err := o.do(b, c)
				lat := time.Since(t0)
				b.mu.Lock()
				switch {
				case code == http.StatusConflict:
					b.conflicts[o.route]++
				case err != nil || code >= 300:
					b.errs[o.route]++
				default:
					b.stats[o.route] = append(b.stats[o.route], lat)
				}
				b.mu.Unlock()
			}
		}()
	}
	wg.Wait()
}

func (b *benchServer) resetStats() {
	b.mu.Lock()
	b.stats, b.errs, b.conflicts = map[string][]time.Duration{}, map[string]int{}, map[string]int{}
	b.mu.Unlock()
}

// apiFigures sums up the requests measured since resetStats: throughput,
// and p50/p99 of reads (GET) and of writes (POST).
type apiFigures struct {
	perSec                                       float64
	readP50, readP99, writeP50, writeP99, allP99 time.Duration
}

func (b *benchServer) figures(elapsed time.Duration) apiFigures {
	b.mu.Lock()
	var all, reads, writes []time.Duration
	for route, ds := range b.stats {
		all = append(all, ds...)
		if strings.HasPrefix(route, "POST") {
			writes = append(writes, ds...)
		} else {
			reads = append(reads, ds...)
		}
	}
	b.mu.Unlock()
	for _, ds := range [][]time.Duration{all, reads, writes} {
		slices.Sort(ds)
	}
	return apiFigures{perSec: float64(len(all)) / elapsed.Seconds(),
		readP50: quantile(reads, .5), readP99: quantile(reads, .99),
		writeP50: quantile(writes, .5), writeP99: quantile(writes, .99), allP99: quantile(all, .99)}
}

func quantile(ds []time.Duration, q float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	return ds[int(q*float64(len(ds)-1))]
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2f", float64(d.Microseconds())/1000) }

func (b *benchServer) report(w io.Writer, elapsed time.Duration) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "route\trequests\treq/s\tp50 ms\tp99 ms\t409 lost races\terrors")
	var all []time.Duration
	routes := make([]string, 0, len(b.stats))
	for r := range b.stats {
		routes = append(routes, r)
	}
	sort.Strings(routes)
	var writes []time.Duration
	for _, r := range routes {
		ds := b.stats[r]
		slices.Sort(ds)
		all = append(all, ds...)
		if r[:4] == "POST" {
			writes = append(writes, ds...)
		}
		fmt.Fprintf(tw, "%s\t%d\t%.0f\t%s\t%s\t%d\t%d\n", r, len(ds), float64(len(ds))/elapsed.Seconds(), ms(quantile(ds, .5)), ms(quantile(ds, .99)), b.conflicts[r], b.errs[r])
	}
	slices.Sort(all)
	slices.Sort(writes)
	fmt.Fprintf(tw, "all\t%d\t%.0f\t%s\t%s\t\n", len(all), float64(len(all))/elapsed.Seconds(), ms(quantile(all, .5)), ms(quantile(all, .99)))
	if err := tw.Flush(); err != nil {
		return err
	}
	p50, p99, n, err := appendQuantiles(b.reg)
	if err != nil {
		return err
	}
	if n > 0 {
		fmt.Fprintf(w, "\nstore append latency (load+decide+append, from the server's histogram, %d commands): p50 ≈ %s ms, p99 ≈ %s ms\n", n, ms(p50), ms(p99))
		fmt.Fprintf(w, "HTTP write p50 / store p50 = %.2f; HTTP write p99 / store p99 = %.2f\n",
			float64(quantile(writes, .5))/float64(max(p50, 1)), float64(quantile(writes, .99))/float64(max(p99, 1)))
	}
	if len(all) == 0 {
		return errors.New("no request succeeded")
	}
	return nil
}

// appendQuantiles reads p50/p99 of fristad_append_duration_seconds (case
// commands, measurement window only) by interpolating its buckets.
func appendQuantiles(reg *prometheus.Registry) (time.Duration, time.Duration, uint64, error) {
	mfs, err := reg.Gather()
	if err != nil {
		return 0, 0, 0, err
	}
	for _, mf := range mfs {
		if mf.GetName() != "fristad_append_duration_seconds" {
			continue
		}
		for _, m := range mf.GetMetric() {
			h := m.GetHistogram()
			n := h.GetSampleCount()
			q := func(p float64) time.Duration {
				target := p * float64(n)
				prevCount, prevBound := 0.0, 0.0
				for _, bk := range h.GetBucket() {
					c := float64(bk.GetCumulativeCount())
					if c >= target {
						frac := (target - prevCount) / max(c-prevCount, 1)
						return time.Duration((prevBound + frac*(bk.GetUpperBound()-prevBound)) * float64(time.Second))
					}
					prevCount, prevBound = c, bk.GetUpperBound()
				}
				return time.Duration(prevBound * float64(time.Second))
			}
			return q(.5), q(.99), n, nil
		}
	}
	return 0, 0, 0, nil
}
