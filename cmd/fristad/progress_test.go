package main

import (
	"bytes"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

// The bar names the unit it counts and shows the rate in it, from the
// count and the clock (not from the library's per-render guess).
func TestProgressShowsTheRateInItsUnit(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		unit string
		n    uint64
		secs int
		want string
	}{
		{"cases", 500, 2, "seeding (250 cases/s)"},
		{"events", 60_000, 3, "seeding (20000 events/s)"},
		{"bytes", 30_000_000, 10, "seeding (30.0 MB, 3.0 MB/s)"},
	} {
		now := t0
		var out bytes.Buffer
		p := newProgressOn(&out, "seeding", c.unit, func() time.Time { return now })
		assert.Equal(t, "seeding", p.describe(0), "no rate before any time has passed")
		now = t0.Add(time.Duration(c.secs) * time.Second)
		assert.Equal(t, c.want, p.describe(c.n))
		p.set(c.n, 0)
		p.done()
	}
	// No terminal, no bar: set and done do nothing.
	var quiet progress
	quiet.set(1, 2)
	quiet.done()
}

// export counts records (lines) and import bytes through the bar.
func TestProgressCountsWhatPassesThrough(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var drawn, sink bytes.Buffer
	bar := newProgressOn(&drawn, "exporting", "records", func() time.Time { return now })
	w := &countingWriter{w: &sink, bar: bar}
	_, _ = w.Write([]byte("{\"a\":1}\n{\"b\":2}\n{\"c\""))
	_, _ = w.Write([]byte(":3}\n"))
	assert.Equal(t, uint64(3), w.lines)
	assert.Equal(t, "{\"a\":1}\n{\"b\":2}\n{\"c\":3}\n", sink.String(), "the bytes pass unchanged")

	r := &countingReader{r: bytes.NewReader(make([]byte, 5000)), total: 5000, bar: newProgressOn(&drawn, "importing", "bytes", func() time.Time { return now })}
	buf := make([]byte, 1024)
	for {
		if _, err := r.Read(buf); err != nil {
			break
		}
	}
	assert.Equal(t, uint64(5000), r.n)
}
