package accesslog_test

import (
	"encoding/json"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/fristad/fristad/domain"
	"github.com/fristad/fristad/eventstore"
	"github.com/fristad/fristad/eventstore/accesslog"
	"github.com/fristad/fristad/eventstore/eventstoretest"
	"github.com/stretchr/testify/require"
)

// One embedded server for the package; each test has its own streams.
var shared *eventstoretest.Shared

func TestMain(m *testing.M) { os.Exit(eventstoretest.Main(m, "ACC", &shared)) }

func testConfig(testing.TB) eventstore.Config { return shared.Config() }

func openStore(t testing.TB, cfg eventstore.Config) *eventstore.Store {
	t.Helper()
	s, err := eventstore.Open(t.Context(), cfg)
	require.NoError(t, err)
	t.Cleanup(s.Close)
	return s
}

func newStore(t testing.TB) *eventstore.Store { return shared.Open(t) }

// sealedKey is the data key an entry's reason is sealed with.
func sealedKey(t *testing.T, e accesslog.Entry) domain.KeyID {
	t.Helper()
	var s eventstore.Sealed
	require.NoError(t, json.Unmarshal(e.SealedReason, &s))
	return s.Key
}

// stepClock is a clock for entries that moves a millisecond per reading
// from the moment it was made: entries are ordered in time without the
// test sleeping, and stay within the server's clock skew.
type stepClock struct {
	mu   sync.Mutex
	base time.Time
	n    int
}

func newStepClock() *stepClock { return &stepClock{base: time.Now().UTC()} }

func (c *stepClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.n++
	return c.base.Add(time.Duration(c.n) * time.Millisecond)
}

// between is an instant after every reading so far and before the next.
func (c *stepClock) between() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.base.Add(time.Duration(c.n)*time.Millisecond + 500*time.Microsecond)
}
