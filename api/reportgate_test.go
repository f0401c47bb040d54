package api

import (
	"net/http"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Reports run a bounded number at a time (the settings'
// report_concurrency): with the slots held, 20 more requests are each told
// to retry (503 with Retry-After) while the server stays ready; the held
// reports then finish, their slots are free again, and a change of the
// setting applies at once.
func TestReportQueueIsBounded(t *testing.T) {
	h := newHarness(t)
	openTestCase(h, anna)
	started := make(chan struct{})
	release := make(chan struct{})
	h.srv.reportStarted = func() {
		started <- struct{}{}
		<-release
	}
	const path = "/api/v1/reports/mapping?from=2026-01-01&to=2026-12-31&unit=vuxen"
	limit := 2 // the default
	var wg sync.WaitGroup
	held := make([]int, limit)
	for i := range limit {
		wg.Go(func() { held[i] = h.do("GET", path, &sara, nil).code })
		<-started
	}

	refused := 0
	for range 20 {
		res := h.do("GET", path, &statist, nil)
		if res.code == http.StatusServiceUnavailable {
			refused++
			assert.Equal(t, "5", res.header.Get("Retry-After"))
			assert.Equal(t, "application/problem+json", res.header.Get("Content-Type"))
		}
	}
	assert.Equal(t, 20, refused, "every request beyond the bound is told to retry")
	ready, err := http.Get(h.http.URL + "/readyz")
	require.NoError(t, err)
	ready.Body.Close()
	assert.Equal(t, http.StatusOK, ready.StatusCode, "the server stays ready")
	// Other routes are served meanwhile.
	h.must(200, "GET", "/api/v1/cases?assignee=me", &anna, nil)

	close(release)
	wg.Wait()
	assert.Equal(t, []int{200, 200}, held, "the reports in flight are served")

	// The slots are free again; a report that fails (bad parameters are
	// refused before the gate, a store error inside it) does not keep one.
	h.srv.reportStarted = nil
	for range 3 {
		h.must(200, "GET", path, &statist, nil)
	}

	// report_concurrency 1: one report held, the next refused.
	h.must(200, "PUT", "/api/v1/admin/settings", &admin, map[string]any{"decision_communication_days": 14, "appeal_forward_days": 7,
		"placement_reconsider_months": 3, "max_token_ttl": 43200, "report_concurrency": 1})
	release = make(chan struct{})
	h.srv.reportStarted = func() {
		started <- struct{}{}
		<-release
	}
	var one int
	wg.Go(func() { one = h.do("GET", path, &sara, nil).code })
	<-started
	assert.Equal(t, http.StatusServiceUnavailable, h.do("GET", path, &statist, nil).code)
	close(release)
	wg.Wait()
	assert.Equal(t, 200, one)
}
