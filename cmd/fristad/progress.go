package main

import (
	"os"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

// progress is a progress bar on stderr, shown only when stderr is a
// terminal (DESIGN.md: scripts and CI logs get no bar).
type progress struct {
	bar *progressbar.ProgressBar
}

func newProgress(env *cliEnv, what string) *progress {
	f, ok := env.stderr.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return &progress{}
	}
	return &progress{bar: progressbar.NewOptions64(-1,
		progressbar.OptionSetWriter(f),
		progressbar.OptionSetDescription(what),
		progressbar.OptionShowCount(),
		progressbar.OptionShowIts(),
		progressbar.OptionSetItsString("events"),
		progressbar.OptionThrottle(100_000_000),
		progressbar.OptionClearOnFinish(),
	)}
}

// set reports n done out of total (0 = unknown).
func (p *progress) set(n, total uint64) {
	if p.bar == nil {
		return
	}
	if total > 0 && p.bar.GetMax64() != int64(total) { // #nosec G115 -- event counts are far below 2^63
		p.bar.ChangeMax64(int64(total)) // #nosec G115 -- event counts are far below 2^63
	}
	_ = p.bar.Set64(int64(n)) // #nosec G115 -- event counts are far below 2^63
}

func (p *progress) done() {
	if p.bar != nil {
		_ = p.bar.Finish()
	}
}
