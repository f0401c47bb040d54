package main

import (
	"context"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/fristad/fristad/api/auth"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestReplayOfSeededPopulationEqualsLive: a server keeps its projections
// live while `fristad seed --cases 20000` writes into it through
// --nats-url; afterwards `fristad replay` (from zero) yields the same
// projections, caseload included, as the live server. It takes about a
// minute, so it runs without the race detector (make test runs it in its
// own step, FRISTAD_LONG=1).
func TestReplayOfSeededPopulationEqualsLive(t *testing.T) {
	if os.Getenv("FRISTAD_LONG") != "1" {
		t.Skip("set FRISTAD_LONG=1 (make test does, without -race)")
	}
	cases := 20000
	if v, err := strconv.Atoi(os.Getenv("FRISTAD_LONG_CASES")); err == nil && v > 0 {
		cases = v
	}
	dir := t.TempDir()
	natsAddr := freeAddr(t)
	p := startServe(t, dir, "--sync", "1m", "--nats-listen", natsAddr)
	url := "nats://" + natsAddr

	start := time.Now()
	code, _, stderr := runCLI(t, context.Background(), "seed", "--cases", strconv.Itoa(cases), "--data-dir", dir, "--nats-url", url, "--master-key-file", devMasterKey(dir))
	require.Equal(t, 0, code, stderr)
	t.Logf("%s(%s)", stderr, time.Since(start).Round(time.Second))

	key, err := auth.DevKey(dir)
	require.NoError(t, err)
	admin, err := auth.Mint(key, auth.Principal{Sub: "root", Roles: []auth.Role{auth.RoleAdmin}}, auth.DevIssuer, auth.DevAudience, time.Hour, time.Now())
	require.NoError(t, err)
	var st struct {
		Applied uint64 `json:"applied_seq"`
		Digest  string `json:"digest"`
	}
	require.Eventually(t, func() bool {
		return p.call(t, admin, "GET", "/api/v1/admin/projections?digest=true", "", &st) == 200 && st.Applied > 0 && st.Digest != ""
	}, 30*time.Second, 200*time.Millisecond)

	code, out, stderr := runCLI(t, context.Background(), "replay", "--data-dir", dir, "--nats-url", url, "--master-key-file", devMasterKey(dir))
	require.Equal(t, 0, code, stderr)
	t.Log(out)
	assert.Contains(t, out, "projections "+st.Digest, "replay from zero equals the live projections")
}
