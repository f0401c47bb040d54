package api

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/fristad/fristad/api/auth"
	"github.com/fristad/fristad/domain"
	"github.com/fristad/fristad/eventstore"
	"github.com/fristad/fristad/projections"
	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func freePort(t *testing.T) int {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// cluster is three nats-servers with JetStream, routed on loopback.
type cluster struct {
	opts []*server.Options
	srvs []*server.Server
}

func startCluster(t *testing.T) *cluster {
	c := &cluster{}
	routes := make([]string, 3)
	cports := make([]int, 3)
	for i := range cports {
		cports[i] = freePort(t)
		routes[i] = fmt.Sprintf("nats://127.0.0.1:%d", cports[i])
	}
	for i := 0; i < 3; i++ {
		o := &server.Options{
			ServerName: fmt.Sprintf("n%d", i), Host: "127.0.0.1", Port: freePort(t), JetStream: true, StoreDir: t.TempDir(),
			Cluster: server.ClusterOpts{Name: "fristad-test", Host: "127.0.0.1", Port: cports[i]},
			Routes:  server.RoutesFromStr(strings.Join(routes, ",")), NoLog: true, NoSigs: true,
		}
		c.opts = append(c.opts, o)
		c.srvs = append(c.srvs, nil)
		c.start(t, i)
	}
	t.Cleanup(func() {
		for _, s := range c.srvs {
			if s != nil {
				s.Shutdown()
			}
		}
	})
	return c
}

func (c *cluster) start(t *testing.T, i int) {
	s, err := server.NewServer(c.opts[i])
	require.NoError(t, err)
	s.Start()
	require.True(t, s.ReadyForConnections(10*time.Second))
	c.srvs[i] = s
}

func (c *cluster) urls(first int) string {
	var u []string
	for k := 0; k < 3; k++ {
		u = append(u, c.srvs[(first+k)%3].ClientURL())
	}
	return strings.Join(u, ",")
}

// TestClusterFailover: two API instances on a three-node JetStream
// cluster with every stream at three replicas. Under a steady write load
// the stream leader's server is stopped, writing goes on, the server comes
// back: no acknowledged write is lost, the conflict check still holds
// (JetStream answers R>1 conflicts with its own error code), and reads
// through the other instance honour X-Min-Seq.
func TestClusterFailover(t *testing.T) {
	if testing.Short() {
		t.Skip("cluster test")
	}
	c := startCluster(t)
	master, jwtKey := make([]byte, 32), make([]byte, 32)
	_, _ = rand.Read(master)
	_, _ = rand.Read(jwtKey)
	verifier, err := auth.NewVerifier(context.Background(), auth.Config{HS256Key: jwtKey, Issuer: auth.DevIssuer, Audience: auth.DevAudience})
	require.NoError(t, err)

	type instance struct {
		store *eventstore.Store
		http  *httptest.Server
	}
	open := func(first int) instance {
		nc, err := nats.Connect(c.urls(first), nats.MaxReconnects(-1), nats.ReconnectWait(100*time.Millisecond))
		require.NoError(t, err)
		t.Cleanup(nc.Close)
		var s *eventstore.Store
		require.Eventually(t, func() bool { // the meta leader needs a moment
			s, err = eventstore.Open(context.Background(), eventstore.Config{Conn: nc, Replicas: 3, MasterKey: master})
			return err == nil
		}, 30*time.Second, 250*time.Millisecond, "open on the cluster")
		t.Cleanup(s.Close)
		links, cases, providers := projections.NewPersonLinks(), projections.NewCases(), projections.NewProviders()
		r, err := projections.NewRunner(s, projections.Options{NoSnapshots: true}, links, cases, providers)
		require.NoError(t, err)
		ctx, cancel := context.WithCancel(context.Background())
		t.Cleanup(cancel)
		go func() {
			if err := r.Run(ctx); err != nil && ctx.Err() == nil {
				t.Errorf("projections of the instance stopped: %v", err) // serve exits on this
			}
		}()
		srv, err := New(Config{Store: s, Verifier: verifier, Runner: r, Links: links, Cases: cases, Providers: providers, Logger: slog.New(slog.DiscardHandler)})
		require.NoError(t, err)
		hs := httptest.NewServer(srv.Handler())
		t.Cleanup(hs.Close)
		// Traffic only once the instance is ready (its projections have
		// caught up with the stream, as /readyz tells a load balancer): an
		// instance whose consumer is still being set up on a loaded
		// cluster answers X-Min-Seq reads 503.
		require.NoError(t, r.CatchUp(context.Background(), 30*time.Second), "instance ready")
		return instance{store: s, http: hs}
	}
	a, b := open(0), open(1)
	registerTestUnits(t, a.store)
	ha := &harness{t: t, http: a.http, key: jwtKey, reason: "test"}
	hb := &harness{t: t, http: b.http, key: jwtKey, reason: "test"}

	caseID := ha.must(201, "POST", "/api/v1/cases", &anna, map[string]any{"unit": "vuxen", "target_group": "adult_victim", "source": "report",
		"received_on": "2026-03-01", "subject": map[string]any{"sex": "female", "name": "Kluster Test"}}).str(t, "id")
	notes := "/api/v1/cases/" + caseID + "/notes"

	// X-Min-Seq: a write through A is read at once through B.
	w := ha.must(201, "POST", notes, &anna, map[string]any{"text": "via A"})
	seq := fmt.Sprint(w.json(t)["seq"])
	file := hb.must(200, "GET", "/api/v1/cases/"+caseID, &anna, nil, "X-Min-Seq", seq)
	assert.Equal(t, w.json(t)["version"], file.json(t)["version"], "B waited for A's write")

	// Steady load through both instances while the leader goes away.
	var mu sync.Mutex
	acked := map[string]bool{}
	ackedCount := func() int { mu.Lock(); defer mu.Unlock(); return len(acked) }
	// ackedMore waits (bounded) until n more writes than now are
	// acknowledged: the load runs for a number of writes, not a duration.
	ackedMore := func(n int, phase string) {
		want := ackedCount() + n
		require.Eventually(t, func() bool { return ackedCount() >= want }, 60*time.Second, 20*time.Millisecond, phase)
	}
	var stop atomic.Bool
	var wg sync.WaitGroup
	for i, h := range []*harness{ha, hb, ha, hb} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for n := 0; !stop.Load(); n++ {
				r, err := h.try("POST", notes, &anna, map[string]any{"text": fmt.Sprintf("w%d-%d", i, n)})
				if err == nil && r.code == 201 {
					mu.Lock()
					acked[r.str(t, "note_id")] = true
					mu.Unlock()
				}
				if err != nil || r.code >= 500 {
					time.Sleep(50 * time.Millisecond) // failover in progress
				}
			}
		}()
	}
	ackedMore(10, "writes before the failover")
	js, err := jetstream.New(mustConn(t, c.urls(2)))
	require.NoError(t, err)
	info, err := js.Stream(context.Background(), "FRISTAD")
	require.NoError(t, err)
	leader := info.CachedInfo().Cluster.Leader
	idx := int(leader[1] - '0')
	c.srvs[idx].Shutdown()
	c.srvs[idx].WaitForShutdown()
	ackedMore(10, "writing goes on while the leader's server is down")
	c.start(t, idx)
	ackedMore(10, "writing goes on once it is back")
	stop.Store(true)
	wg.Wait()
	require.NotEmpty(t, acked)

	// Every acknowledged write is there exactly once, seen from B.
	var hist struct {
		Events []struct {
			Type string         `json:"type"`
			Data map[string]any `json:"data"`
		} `json:"events"`
	}
	require.Eventually(t, func() bool {
		r, err := hb.try("GET", "/api/v1/cases/"+caseID+"/events", &anna, nil)
		if err != nil || r.code != 200 {
			return false
		}
		hist.Events = nil
		require.NoError(t, json.Unmarshal(r.body, &hist))
		return true
	}, 20*time.Second, 200*time.Millisecond)
	seen := map[string]int{}
	for _, e := range hist.Events {
		if e.Type == "case.note_added" {
			seen[e.Data["note_id"].(string)]++
		}
	}
	for id := range acked {
		assert.Equal(t, 1, seen[id], "acknowledged note %s", id)
	}
	t.Logf("leader %s stopped and restarted; %d writes acknowledged, %d stored", leader, len(acked), len(seen))

	// The conflict check holds on the replicated stream.
	h, err := a.store.Load(context.Background(), domain.KindCase, domain.ID(caseID))
	require.NoError(t, err)
	errs := make([]error, 2)
	var cw sync.WaitGroup
	for i := range errs {
		cw.Add(1)
		go func() {
			defer cw.Done()
			_, errs[i] = a.store.Append(context.Background(), h, []domain.Event{{Facts: domain.NoteAdded{NoteID: domain.NewID()}}}, eventstore.AppendOptions{Actor: "anna"})
		}()
	}
	cw.Wait()
	var conflict *eventstore.ConflictError
	assert.True(t, (errs[0] == nil) != (errs[1] == nil), "exactly one append wins: %v", errs)
	assert.True(t, errors.As(errs[0], &conflict) || errors.As(errs[1], &conflict), "the loser gets a typed conflict: %v", errs)
}

func mustConn(t *testing.T, urls string) *nats.Conn {
	nc, err := nats.Connect(urls)
	require.NoError(t, err)
	t.Cleanup(nc.Close)
	return nc
}
