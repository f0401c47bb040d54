package eventstore

import (
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
)

func historyOf(events int, lastSeq uint64) *History {
	return &History{Events: make([]Envelope, events), LastSeq: lastSeq}
}

type cachePut struct {
	subject string
	events  int
	seq     uint64
}

// The cache is bounded by aggregates and by the events they hold together,
// evicting the least recently used first.
func TestHistoryCacheBounds(t *testing.T) {
	tests := []struct {
		name       string
		max, evts  int
		puts       []cachePut
		get        []string // touched, in order, after the puts
		putAfter   string   // one more put after the gets
		wantCached []string
		wantEvents int
	}{
		{name: "aggregate bound", max: 2, evts: 1000,
			puts:       []cachePut{{"a", 1, 1}, {"b", 1, 2}, {"c", 1, 3}},
			wantCached: []string{"b", "c"}, wantEvents: 2},
		{name: "event bound evicts least recently used", max: 100, evts: 10,
			puts: []cachePut{{"a", 4, 1}, {"b", 4, 2}},
			get:  []string{"a"}, putAfter: "c",
			wantCached: []string{"a", "c"}, wantEvents: 8},
		{name: "a history alone over the budget stays, alone", max: 100, evts: 10,
			puts:       []cachePut{{"a", 4, 1}, {"b", 30, 2}},
			wantCached: []string{"b"}, wantEvents: 30},
		{name: "a newer history of the same aggregate replaces it", max: 100, evts: 10,
			puts:       []cachePut{{"a", 4, 1}, {"a", 6, 2}, {"a", 3, 1}},
			wantCached: []string{"a"}, wantEvents: 6},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newHistoryCache(tt.max, tt.evts)
			for _, p := range tt.puts {
				c.put(p.subject, historyOf(p.events, p.seq))
			}
			for _, s := range tt.get {
				assert.NotNil(t, c.get(s), s)
			}
			if tt.putAfter != "" {
				c.put(tt.putAfter, historyOf(4, 99))
			}
			for _, s := range []string{"a", "b", "c"} {
				_, ok := c.byKey[s]
				assert.Equal(t, slices.Contains(tt.wantCached, s), ok, "cached %s", s)
			}
			assert.Equal(t, tt.wantEvents, c.events)
		})
	}
}
