package main

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/fristad/fristad/domain"
	"github.com/fristad/fristad/eventstore"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func reportArgs(dir, kind, format, out string) []string {
	args := []string{"report", kind, "--data-dir", dir, "--format", format, "-o", out, "--generated-at", "2027-01-01T00:00:00Z", "--min-cell", "3"}
	if kind == "indicators" {
		return append(args, "--year", "2025")
	}
	return append(args, "--from", "2025-01-01", "--to", "2025-12-31")
}

// TestReportsAreReproducibleAndReadNoPersonalData: every report in every
// format is byte-identical when run twice, and again after every data key
// has been destroyed (the reports read facts only).
func TestReportsAreReproducibleAndReadNoPersonalData(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	code, _, stderr := runCLI(t, ctx, "seed", "--cases", "150", "--data-dir", dir)
	require.Equal(t, 0, code, stderr)

	outputs := func(tag string) map[string][]byte {
		got := map[string][]byte{}
		for _, kind := range []string{"mapping", "follow-up", "indicators"} {
			for _, format := range []string{"json", "csv", "xlsx"} {
				out := filepath.Join(t.TempDir(), kind+"."+format)
				code, _, stderr := runCLI(t, ctx, reportArgs(dir, kind, format, out)...)
				require.Equal(t, 0, code, "%s %s: %s", kind, format, stderr)
				assert.Contains(t, stderr, "events replayed")
				b, err := os.ReadFile(out)
				require.NoError(t, err)
				require.NotEmpty(t, b)
				got[kind+"."+format] = b
			}
		}
		return got
	}
	first, second := outputs("first"), outputs("second")
	for name, b := range first {
		assert.Equal(t, b, second[name], "%s is not byte-identical", name)
	}

	// Destroy every data key: persons' and consent documents'.
	b, err := eventstore.OpenBackend(ctx, eventstore.BackendConfig{DataDir: dir})
	require.NoError(t, err)
	var keys []domain.KeyID
	_, err = b.Store.Read(ctx, 1, func(e *eventstore.Envelope) error {
		switch e.Aggregate {
		case domain.KindPerson:
			keys = append(keys, domain.PersonKey(e.AggregateID))
		case domain.KindPartnerContact:
			keys = append(keys, domain.ConsentKey(e.AggregateID))
		}
		return nil
	})
	require.NoError(t, err)
	for _, k := range keys {
		require.NoError(t, b.Store.Keys().Destroy(ctx, k))
	}
	b.Close()
	require.NotEmpty(t, keys)
	after := outputs("after shredding")
	for name, b := range first {
		assert.Equal(t, b, after[name], "%s changed after the keys were destroyed", name)
	}
}

func TestReportBadParametersExitTwo(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	code, _, stderr := runCLI(t, ctx, "seed", "--cases", "5", "--data-dir", dir)
	require.Equal(t, 0, code, stderr)
	for _, c := range []struct {
		args []string
		says string
	}{
		{[]string{"report"}, "name the report"},
		{[]string{"report", "tables", "--from", "2025-01-01", "--to", "2025-12-31"}, "report"},
		{[]string{"report", "mapping", "--from", "2025-12-31", "--to", "2025-01-01"}, "--to"},
		{[]string{"report", "mapping", "--from", "2025-13-01", "--to", "2025-12-31"}, "--from"},
		{[]string{"report", "mapping", "--from", "2025-01-01"}, "--to"},
		{[]string{"report", "mapping", "--from", "2025-01-01", "--to", "2025-12-31", "--format", "pdf"}, "--format"},
		{[]string{"report", "mapping", "--from", "2025-01-01", "--to", "2025-12-31", "--min-cell", "0"}, "--min-cell"},
		{[]string{"report", "mapping", "--from", "2025-01-01", "--to", "2025-12-31", "--unit", "nowhere"}, "--unit"},
		{[]string{"report", "mapping", "--from", "2025-01-01", "--to", "2025-12-31", "--as-of", "soon"}, "--as-of"},
		{[]string{"report", "indicators", "--year", "1800"}, "--year"},
	} {
		code, _, stderr := runCLI(t, ctx, append(c.args, "--data-dir", dir)...)
		assert.Equal(t, 2, code, "%v: %s", c.args, stderr)
		assert.Contains(t, stderr, c.says, "%v", c.args)
	}
}
