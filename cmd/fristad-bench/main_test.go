package main

import (
	"bytes"
	"context"
	"os/exec"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func runCLI(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), args, &out, &errb)
	return code, out.String(), errb.String()
}

// Bad usage exits 2 before anything is started (no server, no PostgreSQL).
func TestUsageErrorsExitTwo(t *testing.T) {
	for _, args := range [][]string{{}, {"nope"}, {"api", "--rate", "-1"}, {"all", "--cases", "1"}, {"all", "--rate", "0"},
		{"soak", "--every", "0s"}, {"replay", "extra"}} {
		code, _, stderr := runCLI(t, args...)
		assert.Equal(t, 2, code, "%v: %s", args, stderr)
	}
	code, _, _ := runCLI(t, "api", "--help")
	assert.Equal(t, 0, code)
}

// The API benchmark runs end to end against its own server in a temp dir
// and reports every route of the mix.
func TestBenchAPIRunsTheMix(t *testing.T) {
	code, stdout, stderr := runCLI(t, "api", "--clients", "2", "--duration", "1s", "--cases", "2")
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, stdout, "\nall ")
	for _, op := range mix {
		assert.Contains(t, stdout, op.route, "route %s in the table", op.route)
	}
}

// The product binary links no PostgreSQL driver: the peer comparison lives
// only here.
func TestProductBinaryLinksNoPostgreSQL(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "github.com/fristad/fristad/cmd/fristad").CombinedOutput()
	require.NoError(t, err, string(out))
	assert.NotContains(t, string(out), "pgx")
	assert.NotContains(t, strings.ToLower(string(out)), "postgres")
}
