package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/fristad/fristad/api/auth"
	"github.com/fristad/fristad/eventstore"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The test binary doubles as the fristad binary: with FRISTAD_BE_MAIN set
// it runs main, so a test can start, SIGKILL and restart a real server.
func TestMain(m *testing.M) {
	if os.Getenv("FRISTAD_BE_MAIN") == "1" {
		main()
		return
	}
	os.Exit(m.Run())
}

type process struct {
	cmd  *exec.Cmd
	addr string
}

func startServe(t *testing.T, dir string, extra ...string) *process {
	t.Helper()
	return startServeLogged(t, dir, os.Stderr, extra...)
}

// startServeLogged starts the test binary as `fristad serve --dev` on dir
// with the server's log in logs, and waits until it is ready.
func startServeLogged(t *testing.T, dir string, logs io.Writer, extra ...string) *process {
	t.Helper()
	addr := freeAddr(t)
	cmd := exec.Command(os.Args[0], append([]string{"serve", "--dev", "--data-dir", dir, "--addr", addr, "--metrics-addr", "off"}, extra...)...)
	cmd.Env = append(os.Environ(), "FRISTAD_BE_MAIN=1")
	cmd.Stdout, cmd.Stderr = logs, logs
	require.NoError(t, cmd.Start())
	p := &process{cmd: cmd, addr: addr}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _, _ = cmd.Process.Wait() })
	waitReady(t, addr, 30*time.Second)
	return p
}

// waitReady waits until the server at addr answers /readyz with 200: a
// 503 before that (projections catching up) is what /readyz is for.
func waitReady(t *testing.T, addr string, within time.Duration, msgAndArgs ...any) {
	t.Helper()
	require.Eventually(t, func() bool {
		r, err := http.Get("http://" + addr + "/readyz")
		if err != nil {
			return false
		}
		r.Body.Close()
		return r.StatusCode == http.StatusOK
	}, within, 50*time.Millisecond, msgAndArgs...)
}

// waitExit cancels a serve run in-process and asserts that it stops with
// exit code 0 (its log in the failure message).
func waitExit(t *testing.T, cancel context.CancelFunc, done <-chan int, log fmt.Stringer) {
	t.Helper()
	cancel()
	select {
	case code := <-done:
		assert.Equal(t, 0, code, log.String())
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not stop")
	}
}

func (p *process) call(t *testing.T, token, method, path string, body string, into any) int {
	t.Helper()
	req, err := http.NewRequest(method, "http://"+p.addr+path, strings.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+token)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer res.Body.Close()
	if into != nil {
		require.NoError(t, json.NewDecoder(res.Body).Decode(into))
	}
	return res.StatusCode
}

// TestKilledServerRestartsFromSnapshotAndEqualsRebuild: kill the server
// with SIGKILL after N writes and restart it: every acknowledged write is
// there, the projections replay only the tail after their last snapshot,
// and they equal a rebuild from zero (fristad replay).
func TestKilledServerRestartsFromSnapshotAndEqualsRebuild(t *testing.T) {
	dir := t.TempDir()
	p := startServe(t, dir, "--snapshot-every", "25")
	p.registerUnit(t, dir, "vuxen")
	key, err := auth.DevKey(dir)
	require.NoError(t, err)
	mint := func(sub string, role auth.Role) string {
		tok, err := auth.Mint(key, auth.Principal{Sub: sub, Roles: []auth.Role{role}, Units: []string{"vuxen"}}, auth.DevIssuer, auth.DevAudience, time.Hour, time.Now())
		require.NoError(t, err)
		return tok
	}
	worker, admin := mint("anna", auth.RoleCaseworker), mint("root", auth.RoleAdmin)

	acked := map[string]float64{}
	for i := 0; i < 6; i++ {
		var res map[string]any
		require.Equal(t, 201, p.call(t, worker, "POST", "/api/v1/cases", `{"unit":"vuxen","target_group":"adult_victim","source":"report","received_on":"2026-03-01","subject":{"sex":"female","name":"Krasch Test"}}`, &res))
		id := res["id"].(string)
		for j := 0; j < 8; j++ {
			require.Equal(t, 201, p.call(t, worker, "POST", "/api/v1/cases/"+id+"/notes", `{"text":"n"}`, &res))
		}
		acked[id] = res["version"].(float64)
	}
	require.NoError(t, p.cmd.Process.Signal(os.Kill)) // SIGKILL: no final snapshot, no flush
	_, _ = p.cmd.Process.Wait()

	p = startServe(t, dir, "--snapshot-every", "25")
	for id, version := range acked {
		var file map[string]any
		require.Equal(t, 200, p.call(t, worker, "GET", "/api/v1/cases/"+id, "", &file))
		assert.Equal(t, version, file["version"], "every acknowledged write survives")
	}
	var st struct {
		Applied    uint64 `json:"applied_seq"`
		RestoredAt uint64 `json:"restored_from_snapshot_seq"`
		SinceStart int64  `json:"applied_since_start"`
		Digest     string `json:"digest"`
	}
	require.Equal(t, 200, p.call(t, admin, "GET", "/api/v1/admin/projections?digest=true", "", &st))
	require.NoError(t, p.cmd.Process.Signal(os.Interrupt))
	_, _ = p.cmd.Process.Wait()

	require.NotZero(t, st.RestoredAt, "the restart starts from a snapshot")
	b, err := eventstore.OpenBackend(context.Background(), eventstore.BackendConfig{DataDir: dir, DevKeys: true})
	require.NoError(t, err)
	var tail, total int64
	_, err = b.Store.Read(context.Background(), 1, func(e *eventstore.Envelope) error {
		total++
		if e.Seq > st.RestoredAt {
			tail++
		}
		return nil
	})
	b.Close()
	require.NoError(t, err)
	assert.Equal(t, tail, st.SinceStart, "only the events after the snapshot are replayed")
	assert.Less(t, st.SinceStart, total)

	code, out, stderr := runCLI(t, context.Background(), "replay", "--dev", "--data-dir", dir)
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, out, "projections "+st.Digest, "a rebuild from zero equals the restarted projections")
}

// devMasterKey is the development master key file serve --dev generated
// in dir: a process reaching that server over --nats-url names it like
// an operator's key file (--dev is refused with --nats-url).
func devMasterKey(dir string) string { return filepath.Join(dir, "keys", "master.key") }

// registerUnit registers unit in the server's units registry as an admin
// would: cases open only in registered units.
func (p *process) registerUnit(t *testing.T, dir, unit string) {
	t.Helper()
	key, err := auth.DevKey(dir)
	require.NoError(t, err)
	tok, err := auth.Mint(key, auth.Principal{Sub: "root", Roles: []auth.Role{auth.RoleAdmin}}, auth.DevIssuer, auth.DevAudience, time.Hour, time.Now())
	require.NoError(t, err)
	require.Equal(t, 200, p.call(t, tok, "PUT", "/api/v1/admin/units/"+unit, `{"name":"Enhet `+unit+`","kind":"adults"}`, nil))
}
