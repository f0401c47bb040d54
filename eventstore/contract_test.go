package eventstore_test

import (
	"context"
	"testing"
	"time"

	"github.com/fristad/fristad/domain"
	"github.com/fristad/fristad/eventstore"
	"github.com/fristad/fristad/eventstore/eventstoretest"
	"github.com/stretchr/testify/require"
)

// The store's contract on one embedded server (the package's shared one,
// a fresh stream per test).
func TestContractEmbedded(t *testing.T) {
	eventstoretest.Run(t, func(t *testing.T, reg *domain.Registry) (*eventstore.Store, eventstore.Config) {
		cfg := testConfig(t)
		cfg.Registry = reg
		return openStore(t, cfg), cfg
	})
}

// The store's contract on a three-node cluster on loopback, every stream
// and bucket at three replicas, with the group committer off (what auto
// chooses on three replicas) and on.
func TestContractCluster(t *testing.T) {
	c := eventstoretest.StartCluster(t)
	nc := c.Connect(t, 0)
	for _, mode := range []struct {
		name string
		gc   eventstore.GroupCommit
	}{{"off", eventstore.GroupCommitOff}, {"on", eventstore.GroupCommitOn}} {
		t.Run(mode.name, func(t *testing.T) {
			eventstoretest.Run(t, func(t *testing.T, reg *domain.Registry) (*eventstore.Store, eventstore.Config) {
				cfg := testConfig(t) // a stream name of its own, on the cluster too
				cfg.Conn, cfg.Replicas, cfg.Registry, cfg.GroupCommit = nc, 3, reg, mode.gc
				var s *eventstore.Store
				require.Eventually(t, func() bool { // the meta leader may still be electing
					ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
					defer cancel()
					var err error
					s, err = eventstore.Open(ctx, cfg)
					return err == nil
				}, time.Minute, 250*time.Millisecond, "open on the cluster")
				t.Cleanup(s.Close)
				require.Equal(t, mode.gc == eventstore.GroupCommitOn, s.GroupCommitting())
				return s, cfg
			})
		})
	}
}

// The store's contract with the group committer forced on and off (the
// embedded tests above run with its default, GroupCommitAuto).
func TestContractGroupCommit(t *testing.T) {
	for name, gc := range map[string]eventstore.GroupCommit{"on": eventstore.GroupCommitOn, "off": eventstore.GroupCommitOff} {
		t.Run(name, func(t *testing.T) {
			eventstoretest.Run(t, func(t *testing.T, reg *domain.Registry) (*eventstore.Store, eventstore.Config) {
				cfg := testConfig(t)
				cfg.Registry, cfg.GroupCommit = reg, gc
				return openStore(t, cfg), cfg
			})
		})
	}
}
