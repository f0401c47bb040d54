package api

import (
	"fmt"
	"slices"
	"testing"
	"time"
)

// BenchmarkCaseEvents: GET /cases/{id}/events on a 300-event case, the
// whole history in one page (limit=500) against the default page of 100
// and the newest page; reports the p99 latency.
//
//	go test -run '^$' -bench BenchmarkCaseEvents -benchtime 300x ./api/
func BenchmarkCaseEvents(b *testing.B) {
	h := newHarness(b)
	caseID, _ := openTestCase(h, anna)
	c := "/api/v1/cases/" + caseID + "/events"
	for i := range 299 {
		h.must(201, "POST", "/api/v1/cases/"+caseID+"/notes", &anna, map[string]any{"text": fmt.Sprintf("anteckning %d", i)})
	}
	for _, bc := range []struct{ name, query string }{
		{"all-300", "?limit=500"}, {"page-100", ""}, {"newest-page", "?cursor=v200"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			lat := make([]time.Duration, 0, b.N)
			for b.Loop() {
				start := time.Now()
				h.must(200, "GET", c+bc.query, &anna, nil)
				lat = append(lat, time.Since(start))
			}
			slices.Sort(lat)
			b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
		})
	}
}
