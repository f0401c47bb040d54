package api

import (
	"net/http"
	"slices"
	"testing"
	"time"
)

// BenchmarkMatchAPI300 is POST /providers/match against 300 registered
// providers through the whole HTTP stack (token check, decode, match,
// encode), a household with children, a pet and needs; it reports the
// p50 and p99 of the requests it made.
//
//	go test -run '^$' -bench BenchmarkMatchAPI300 -benchtime 2000x ./api/
func BenchmarkMatchAPI300(b *testing.B) {
	h := newHarness(b)
	h.reason = ""
	registerMany(h, 300)
	body := map[string]any{"adults": 1, "children": []map[string]any{{"age": 14, "sex": "male"}, {"age": 4, "sex": "female"}},
		"pets": 1, "target_group": "women", "languages": []string{"sv", "ar"}, "special_needs": []string{"honour_related"},
		"avoid_regions": []string{"Län 3"}}
	durations := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for b.Loop() {
		start := time.Now()
		r := h.do("POST", "/api/v1/providers/match", &anna, body)
		durations = append(durations, time.Since(start))
		if r.code != http.StatusOK {
			b.Fatalf("status %d: %s", r.code, r.body)
		}
	}
	b.StopTimer()
	slices.Sort(durations)
	pct := func(p float64) float64 { return float64(durations[int(p*float64(len(durations)-1))].Microseconds()) }
	b.ReportMetric(pct(0.50), "p50-µs")
	b.ReportMetric(pct(0.99), "p99-µs")
}
