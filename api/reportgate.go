package api

import (
	"strconv"
	"sync"
)

// reportRetryAfter is the Retry-After, in seconds, of a report refused
// because the queue is full: about what one report over a large store
// takes (README: seconds at a million events).
const reportRetryAfter = 5

// reportGate bounds how many reports run at once. A report replays the
// whole stream and holds its tables in memory (up to GBs at a million
// events), so unbounded concurrency is unbounded memory; beyond the limit
// a request is told to retry (503 with Retry-After) instead of queueing,
// and the server stays ready for everything else (the refusals count in
// fristad_http_requests_total with status 503). The limit is the
// settings' report_concurrency, read per request, so a change applies at
// once.
type reportGate struct {
	mu      sync.Mutex
	running int
}

// enter takes a slot if fewer than limit reports run; the caller calls
// leave when it is done.
func (g *reportGate) enter(limit int) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.running >= limit {
		return false
	}
	g.running++
	return true
}

func (g *reportGate) leave() {
	g.mu.Lock()
	g.running--
	g.mu.Unlock()
}

// errReportsBusy is the answer beyond the limit.
func errReportsBusy() *Problem {
	return errUnavailable("the maximum number of reports is running; retry after the time in Retry-After")
}

var reportRetryAfterHeader = strconv.Itoa(reportRetryAfter)
