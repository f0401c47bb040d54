package console_test

import (
	"fmt"
	"net/http"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
)

// The caseload page with 500 cases: time to first byte, to interactive,
// and page weight, measured in the browser (Navigation Timing) and logged,
// never asserted (go test -v -run TestCaseloadOf500Measured ./console/).
func TestCaseloadOf500Measured(t *testing.T) {
	s := newStack(t, stackOptions{dev: true})
	const n = 500
	var wg sync.WaitGroup
	errs := make(chan error, n)
	sem := make(chan struct{}, 4)
	for i := range n {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			code, body := s.apiCall(anna, "POST", "/cases", map[string]any{"unit": "vuxen", "target_group": "adult_victim", "source": "report",
				"received_on": "2026-03-02", "subject": map[string]any{"sex": "female", "birth_year": 1980 + i%30, "name": fmt.Sprintf("Person %d", i)}})
			if code != http.StatusCreated {
				errs <- fmt.Errorf("case %d: %d %v", i, code, body)
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	ctx := browser(t)
	s.devSignIn(t, ctx, "anna", []string{"caseworker"}, "vuxen")
	type timing struct {
		TTFB, Interactive, Loaded, Transfer, Body, Resources float64
		Rows                                                 int
	}
	var runs []timing
	for range 3 {
		s.open(t, ctx, "/ui/arenden?limit=500")
		m := eval[timing](t, ctx, `(() => {
			const n = performance.getEntriesByType("navigation")[0];
			const res = performance.getEntriesByType("resource").reduce((a, r) => a + r.transferSize, 0);
			return {TTFB: n.responseStart - n.requestStart, Interactive: n.domInteractive - n.startTime, Loaded: n.loadEventEnd - n.startTime,
				Transfer: n.transferSize, Body: n.decodedBodySize, Resources: res,
				Rows: document.querySelectorAll("tbody tr").length};
		})()`)
		runs = append(runs, m)
	}
	require.Equal(t, n, runs[0].Rows, "all 500 cases on one page")
	for i, m := range runs {
		t.Logf("caseload of %d cases, run %d: TTFB %.1f ms, interactive %.1f ms, load %.1f ms; HTML %.0f bytes decoded, %.0f transferred; CSS+JS %.0f bytes transferred",
			n, i+1, m.TTFB, m.Interactive, m.Loaded, m.Body, m.Transfer, m.Resources)
	}
}
