package api

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/fristad/fristad/api/auth"
	"github.com/fristad/fristad/domain"
	"github.com/fristad/fristad/eventstore"
	"github.com/fristad/fristad/eventstore/eventstoretest"
	"github.com/fristad/fristad/projections"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

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
	c := eventstoretest.StartCluster(t)
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
		nc := c.Connect(t, first)
		var s *eventstore.Store
		var err error
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
		go func() { _ = r.Run(ctx) }()
		srv, err := New(Config{Store: s, Verifier: verifier, Runner: r, Links: links, Cases: cases, Providers: providers, Logger: slog.New(slog.DiscardHandler)})
		require.NoError(t, err)
		hs := httptest.NewServer(srv.Handler())
		t.Cleanup(hs.Close)
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
	ackedSoFar := func() int {
		mu.Lock()
		defer mu.Unlock()
		return len(acked)
	}
	require.Eventually(t, func() bool { return ackedSoFar() >= 20 }, 30*time.Second, 10*time.Millisecond, "writes before the failover")
	js, err := jetstream.New(mustConn(t, c.URLs(2)))
	require.NoError(t, err)
	leaderOf := func() string {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		info, err := js.Stream(ctx, "FRISTAD")
		if err != nil || info.CachedInfo().Cluster == nil {
			return ""
		}
		return info.CachedInfo().Cluster.Leader
	}
	leader := leaderOf()
	require.NotEmpty(t, leader)
	idx := c.Index(leader)
	c.Stop(idx)
	// Writing goes on once another server leads the stream.
	require.Eventually(t, func() bool { l := leaderOf(); return l != "" && l != leader }, 30*time.Second, 50*time.Millisecond, "a new leader")
	atFailover := ackedSoFar()
	require.Eventually(t, func() bool { return ackedSoFar() >= atFailover+20 }, 30*time.Second, 10*time.Millisecond, "writes after the failover")
	c.Start(t, idx)
	// The restarted server catches up while the writes go on.
	require.Eventually(t, func() bool {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		info, err := js.Stream(ctx, "FRISTAD")
		if err != nil || info.CachedInfo().Cluster == nil {
			return false
		}
		for _, r := range info.CachedInfo().Cluster.Replicas {
			if r.Name == leader {
				return r.Current
			}
		}
		return false
	}, 30*time.Second, 50*time.Millisecond, "the restarted server caught up")
	atRestart := ackedSoFar()
	require.Eventually(t, func() bool { return ackedSoFar() >= atRestart+20 }, 30*time.Second, 10*time.Millisecond, "writes after the restart")
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
