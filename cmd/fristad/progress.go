package main

import (
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

// progress is a progress bar on stderr, shown only when stderr is a
// terminal (DESIGN.md: scripts and CI logs get no bar). It counts one kind
// of thing (events, messages, cases, persons, bytes) and shows its own
// rate in that unit, averaged since the bar started: the library's
// per-render rate is wrong for counts that jump (a callback every 20,000
// events) and names every unit "events".
type progress struct {
	mu    sync.Mutex
	bar   *progressbar.ProgressBar
	what  string
	unit  string // "events", "cases", ...; "bytes" shows MB and MB/s
	start time.Time
	now   func() time.Time
}

func newProgress(env *cliEnv, what, unit string) *progress {
	f, ok := env.Stderr.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return &progress{}
	}
	return newProgressOn(f, what, unit, time.Now)
}

// newProgressOn draws on w whatever it is (tests draw on a buffer).
func newProgressOn(w io.Writer, what, unit string, now func() time.Time) *progress {
	return &progress{what: what, unit: unit, start: now(), now: now, bar: progressbar.NewOptions64(-1,
		progressbar.OptionSetWriter(w),
		progressbar.OptionSetDescription(what),
		progressbar.OptionShowCount(),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionClearOnFinish(),
	)}
}

// set reports n done out of total (0 = unknown).
func (p *progress) set(n, total uint64) {
	if p.bar == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if total > 0 && p.bar.GetMax64() != int64(total) { // #nosec G115 -- counts are far below 2^63
		p.bar.ChangeMax64(int64(total)) // #nosec G115 -- counts are far below 2^63
	}
	p.bar.Describe(p.describe(n))
	_ = p.bar.Set64(int64(n)) // #nosec G115 -- counts are far below 2^63
}

// describe is the bar's text: what it does and the rate so far.
func (p *progress) describe(n uint64) string {
	secs := p.now().Sub(p.start).Seconds()
	if secs < 0.2 {
		return p.what
	}
	rate := float64(n) / secs
	if p.unit == "bytes" {
		return fmt.Sprintf("%s (%.1f MB, %.1f MB/s)", p.what, float64(n)/1e6, rate/1e6)
	}
	return fmt.Sprintf("%s (%.0f %s/s)", p.what, rate, p.unit)
}

func (p *progress) done() {
	if p.bar != nil {
		_ = p.bar.Finish()
	}
}

// countingWriter counts the bytes and lines written through it and
// reports them to a progress bar.
type countingWriter struct {
	w     io.Writer
	lines uint64
	bar   *progress
}

func (c *countingWriter) Write(b []byte) (int, error) {
	n, err := c.w.Write(b)
	for _, ch := range b[:n] {
		if ch == '\n' {
			c.lines++
		}
	}
	c.bar.set(c.lines, 0)
	return n, err
}

// countingReader reports the bytes read through it to a progress bar.
type countingReader struct {
	r     io.Reader
	n     uint64
	total uint64
	bar   *progress
}

func (c *countingReader) Read(b []byte) (int, error) {
	n, err := c.r.Read(b)
	c.n += uint64(n) // #nosec G115 -- n is non-negative
	c.bar.set(c.n, c.total)
	return n, err
}
