//go:build crash

package main

import (
	"context"
	"encoding/json"
	"math/rand/v2"
	"net/http"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/fristad/fristad/api/auth"
	"github.com/fristad/fristad/eventstore"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestCrashLoop (go test -tags crash): writers append through the API as
// fast as they can while the server, and with it the embedded JetStream
// server, is killed with SIGKILL at random moments, 20 times. After every
// restart each acknowledged write is present exactly once; at the end
// verify passes and the projections equal a rebuild. The writers spread
// over several cases and the group committer is on, so the kills land in
// the middle of atomic batches.
func TestCrashLoop(t *testing.T) {
	dir := t.TempDir()
	rng := rand.New(rand.NewPCG(42, 7))
	p := startServe(t, dir, "--snapshot-every", "200", "--group-commit", "on")
	p.registerUnit(t, dir, "vuxen")
	key, err := auth.DevKey(dir)
	require.NoError(t, err)
	tok, err := auth.Mint(key, auth.Principal{Sub: "anna", Roles: []auth.Role{auth.RoleCaseworker}, Units: []string{"vuxen"}}, auth.DevIssuer, auth.DevAudience, time.Hour, time.Now())
	require.NoError(t, err)
	const cases = 8
	var caseIDs []string
	for range cases {
		var res map[string]any
		require.Equal(t, 201, p.call(t, tok, "POST", "/api/v1/cases", `{"unit":"vuxen","target_group":"adult_victim","source":"report","received_on":"2026-03-01","subject":{"sex":"female","name":"Krasch"}}`, &res))
		caseIDs = append(caseIDs, res["id"].(string))
	}

	var mu sync.Mutex
	acked := map[string]bool{} // note ids acknowledged with 201
	client := &http.Client{Timeout: 5 * time.Second}
	write := func(addr, caseID string) bool {
		req, _ := http.NewRequest("POST", "http://"+addr+"/api/v1/cases/"+caseID+"/notes", strings.NewReader(`{"text":"n"}`))
		req.Header.Set("Authorization", "Bearer "+tok)
		req.Header.Set("Content-Type", "application/json")
		resp, err := client.Do(req)
		if err != nil {
			return false
		}
		defer resp.Body.Close()
		if resp.StatusCode != http.StatusCreated {
			return resp.StatusCode == http.StatusConflict // a lost race: retry
		}
		var out map[string]any
		if json.NewDecoder(resp.Body).Decode(&out) == nil {
			mu.Lock()
			acked[out["note_id"].(string)] = true
			mu.Unlock()
		}
		return true
	}
	for round := 0; round < 20; round++ {
		var stop atomic.Bool
		var wg sync.WaitGroup
		for w := 0; w < 16; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for !stop.Load() && write(p.addr, caseIDs[w%cases]) {
				}
			}()
		}
		time.Sleep(time.Duration(50+rng.IntN(400)) * time.Millisecond)
		require.NoError(t, p.cmd.Process.Signal(os.Kill))
		_, _ = p.cmd.Process.Wait()
		stop.Store(true)
		wg.Wait()

		p = startServe(t, dir, "--snapshot-every", "200", "--group-commit", "on")
		// The history is paged (oldest first): walk every page.
		seen := map[string]int{}
		for _, caseID := range caseIDs {
			cursor := ""
			for {
				var hist struct {
					Events []struct {
						Type string          `json:"type"`
						Data json.RawMessage `json:"data"`
					} `json:"events"`
					NextCursor *string `json:"next_cursor"`
				}
				require.Equal(t, 200, p.call(t, tok, "GET", "/api/v1/cases/"+caseID+"/events?limit=500"+cursor, "", &hist))
				for _, e := range hist.Events {
					if e.Type == "case.note_added" {
						var f struct {
							NoteID string `json:"note_id"`
						}
						require.NoError(t, json.Unmarshal(e.Data, &f))
						seen[f.NoteID]++
					}
				}
				if hist.NextCursor == nil {
					break
				}
				cursor = "&cursor=" + *hist.NextCursor
			}
		}
		mu.Lock()
		for id := range acked {
			require.Equal(t, 1, seen[id], "round %d: acknowledged note %s present exactly once", round, id)
		}
		for id, n := range seen {
			require.Equal(t, 1, n, "round %d: note %s stored %d times", round, id, n)
		}
		t.Logf("round %d: %d acknowledged, %d stored", round, len(acked), len(seen))
		mu.Unlock()
	}
	var st struct {
		Digest string `json:"digest"`
	}
	adminTok, err := auth.Mint(key, auth.Principal{Sub: "root", Roles: []auth.Role{auth.RoleAdmin}}, auth.DevIssuer, auth.DevAudience, time.Hour, time.Now())
	require.NoError(t, err)
	require.Equal(t, 200, p.call(t, adminTok, "GET", "/api/v1/admin/projections?digest=true", "", &st))
	require.NoError(t, p.cmd.Process.Signal(os.Interrupt))
	_, _ = p.cmd.Process.Wait()

	code, out, stderr := runCLI(t, context.Background(), "verify", "--dev", "--data-dir", dir)
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, out, "every chain verified")
	code, out, stderr = runCLI(t, context.Background(), "replay", "--dev", "--data-dir", dir)
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, out, "projections "+st.Digest, "projections after 20 crashes equal a rebuild")

	// The writes went in atomic batches (the server keeps a batched
	// message's batch headers), so the kills landed among batches.
	ctx := context.Background()
	b, err := eventstore.OpenBackend(ctx, eventstore.BackendConfig{DataDir: dir, DevKeys: true, ExistingOnly: true})
	require.NoError(t, err)
	defer b.Close()
	js, err := jetstream.New(b.Conn)
	require.NoError(t, err)
	stream, err := js.Stream(ctx, "FRISTAD")
	require.NoError(t, err)
	batched := 0
	for seq := stream.CachedInfo().State.FirstSeq; seq <= stream.CachedInfo().State.LastSeq; seq++ {
		if m, err := stream.GetMsg(ctx, seq); err == nil && m.Header.Get("Nats-Batch-Id") != "" {
			batched++
		}
	}
	t.Logf("%d of %d messages stored in atomic batches", batched, stream.CachedInfo().State.Msgs)
	assert.Positive(t, batched)
}
