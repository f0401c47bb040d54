package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fristad/fristad/api/auth"
	"github.com/fristad/fristad/domain"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestMeasureConcurrentReports is the measurement of the bounded report
// queue until `fristad-bench report --concurrent 20` exists: a seeded store
// (FRISTAD_MEASURE_CASES, default 10,000 cases), a real server process,
// 20 concurrent mapping reports; it logs how many were served and how
// many told to retry, and the server's peak RSS (VmHWM), at the default
// report_concurrency 2 and at 16. Run with FRISTAD_MEASURE=1 -v; it
// asserts only that every request got 200 or 503 and the server stayed
// ready (no figure is asserted).
func TestMeasureConcurrentReports(t *testing.T) {
	if os.Getenv("FRISTAD_MEASURE") != "1" {
		t.Skip("set FRISTAD_MEASURE=1 (seeds a large store; takes minutes)")
	}
	cases := 10000
	if v, err := strconv.Atoi(os.Getenv("FRISTAD_MEASURE_CASES")); err == nil && v > 0 {
		cases = v
	}
	dir := t.TempDir()
	code, _, stderr := runCLI(t, context.Background(), "seed", "--dev", "--cases", strconv.Itoa(cases), "--data-dir", dir)
	require.Equal(t, 0, code, stderr)
	t.Log(strings.TrimSpace(stderr))
	key, err := auth.DevKey(dir)
	require.NoError(t, err)
	mint := func(role auth.Role) string {
		tok, err := auth.Mint(key, auth.Principal{Sub: "m", Roles: []auth.Role{role}}, auth.DevIssuer, auth.DevAudience, time.Hour, time.Now())
		require.NoError(t, err)
		return tok
	}
	statist, admin := mint(auth.RoleStatistician), mint(auth.RoleAdmin)

	for _, limit := range []int{2, 16} {
		p := startServe(t, dir)
		body := fmt.Sprintf(`{"decision_communication_days":14,"appeal_forward_days":7,"placement_reconsider_months":3,"max_token_ttl":43200,"report_concurrency":%d}`, limit)
		require.Equal(t, 200, p.call(t, admin, "PUT", "/api/v1/admin/settings", body, nil))
		base := peakRSS(t, p.cmd.Process.Pid)
		var mu sync.Mutex
		codes := map[int]int{}
		var wg sync.WaitGroup
		start := time.Now()
		for range 20 {
			wg.Go(func() {
				// A failed request (the server's 60 s write timeout cuts a
				// report that takes longer) counts as code 0.
				c := 0
				req, _ := http.NewRequest("GET", "http://"+p.addr+"/api/v1/reports/mapping?from=2025-01-01&to=2025-12-31", nil)
				req.Header.Set("Authorization", "Bearer "+statist)
				if res, err := http.DefaultClient.Do(req); err == nil {
					_, _ = io.Copy(io.Discard, res.Body)
					res.Body.Close()
					c = res.StatusCode
				}
				mu.Lock()
				codes[c]++
				mu.Unlock()
			})
		}
		// Readiness while the reports run.
		r, err := http.Get("http://" + p.addr + "/readyz")
		require.NoError(t, err)
		r.Body.Close()
		assert.Equal(t, 200, r.StatusCode, "ready while reports run")
		wg.Wait()
		t.Logf("report_concurrency %d: %d served, %d told to retry (503), %d failed, %d other; peak RSS %d MB (after start-up %d MB); %s",
			limit, codes[200], codes[503], codes[0], 20-codes[200]-codes[503]-codes[0], peakRSS(t, p.cmd.Process.Pid)>>20, base>>20, time.Since(start).Round(time.Millisecond))
		if limit == domain.DefaultSettings().ReportConcurrency {
			assert.Equal(t, 20, codes[200]+codes[503], "at the default bound every request is served or told to retry")
		}
		require.NoError(t, p.cmd.Process.Signal(os.Interrupt))
		_, _ = p.cmd.Process.Wait()
	}
}

// peakRSS is a process's peak resident set (VmHWM), in bytes.
func peakRSS(t *testing.T, pid int) int64 {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	require.NoError(t, err)
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			require.NoError(t, err)
			return kb << 10
		}
	}
	t.Fatal("no VmHWM")
	return 0
}
