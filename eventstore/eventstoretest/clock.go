package eventstoretest

import (
	"sync"
	"time"
)

// Clock is a clock for what a test orders against instants it takes in
// between (access entries, events): each reading is the real time, to the
// microsecond the store keeps, but strictly after the previous reading, and
// Between is an instant after every reading so far and before the next. A
// test separates "before" from "after" with it instead of sleeping, and the
// readings stay with the server's clock (the store positions reads by the
// server's message timestamps).
type Clock struct {
	mu   sync.Mutex
	last time.Time
}

// Now is the next reading.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	t := time.Now().UTC().Truncate(time.Microsecond)
	if !t.After(c.last) {
		t = c.last.Add(time.Microsecond)
	}
	c.last = t
	return t
}

// Between is after every reading so far and before the next one.
func (c *Clock) Between() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.last.IsZero() {
		return time.Now().UTC().Truncate(time.Microsecond).Add(-time.Microsecond)
	}
	return c.last.Add(500 * time.Nanosecond)
}
