package accesslog_test

import (
	"encoding/json"
	"os"
	"testing"

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
