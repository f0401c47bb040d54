package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/fristad/fristad/domain"
	"github.com/fristad/fristad/domain/synthetic"
	"github.com/fristad/fristad/eventstore"
	"github.com/fristad/fristad/projections"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestCullShredsPersonsAndKeepsTheRecord: persons whose last entry is more
// than five years old lose name, number, contact details and free text by
// key destruction; files kept for research and persons with an open case
// stay; reports and the hash chains are unchanged.
func TestCullShredsPersonsAndKeepsTheRecord(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	const cases = 60
	code, _, stderr := runCLI(t, ctx, "seed", "--cases", "60", "--seed", "3", "--dev", "--data-dir", dir)
	require.Equal(t, 0, code, stderr)
	numbers := map[domain.ID]string{}
	for i := 0; i < cases; i++ {
		for _, s := range synthetic.PlanFor(3, i).Steps {
			if s.PersonalNumber != "" {
				numbers[s.ID] = s.PersonalNumber
			}
		}
	}
	report := func() []byte {
		out := filepath.Join(t.TempDir(), "m.json")
		code, _, stderr := runCLI(t, ctx, "report", "mapping", "--from", "2024-01-01", "--to", "2025-12-31", "--as-of", "2026-01-01T00:00:00Z",
			"--generated-at", "2026-01-02T00:00:00Z", "--dev", "--data-dir", dir, "-o", out)
		require.Equal(t, 0, code, stderr)
		b, err := os.ReadFile(out)
		require.NoError(t, err)
		return b
	}
	before := report()

	var dry struct {
		Persons []projections.Candidate `json:"persons"`
		Culled  int                     `json:"culled"`
		Kept    int                     `json:"kept"`
	}
	code, out, stderr := runCLI(t, ctx, "cull", "--dry-run", "--as-of", "2040-01-01", "--json", "--dev", "--data-dir", dir)
	require.Equal(t, 0, code, stderr)
	require.NoError(t, json.Unmarshal([]byte(out), &dry))
	require.NotZero(t, dry.Culled)
	require.NotZero(t, dry.Kept, "some files are kept (research or open case)")
	for name := range numbers {
		assert.NotContains(t, out, numbers[name], "the dry run lists no personal data")
	}

	b, err := eventstore.OpenBackend(ctx, eventstore.BackendConfig{DataDir: dir, DevKeys: true})
	require.NoError(t, err)
	for _, c := range dry.Persons {
		exists, err := b.Store.Keys().Exists(ctx, domain.PersonKey(c.PersonID))
		require.NoError(t, err)
		assert.True(t, exists, "a dry run destroys nothing")
	}
	b.Close()

	code, out, stderr = runCLI(t, ctx, "cull", "--as-of", "2040-01-01", "--dev", "--data-dir", dir)
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, out, "culled")

	b, err = eventstore.OpenBackend(ctx, eventstore.BackendConfig{DataDir: dir, DevKeys: true})
	require.NoError(t, err)
	culled := 0
	for _, c := range dry.Persons {
		exists, err := b.Store.Keys().Exists(ctx, domain.PersonKey(c.PersonID))
		require.NoError(t, err)
		h, err := b.Store.Load(ctx, domain.KindPerson, c.PersonID)
		require.NoError(t, err)
		st := domain.PersonDecider().Fold(c.PersonID, h.Recorded())
		if c.Kept != "" {
			assert.True(t, exists, "kept files keep their key (%s)", c.Kept)
			assert.False(t, st.Culled)
			continue
		}
		culled++
		assert.False(t, exists, "a culled person's key is gone")
		assert.True(t, st.Culled, "person.culled is recorded")
		_, err = b.Store.Unseal(ctx, &h.Events[0])
		var shredded *eventstore.ShreddedError
		assert.ErrorAs(t, err, &shredded, "the name and number are unreadable")
		if pnr := numbers[c.PersonID]; pnr != "" {
			found, err := b.Store.Index().Find(ctx, pnr)
			require.NoError(t, err)
			assert.Empty(t, found, "the blind index forgets the number")
		}
	}
	// Nothing readable remains in the raw stores either: the event stream,
	// the keyring, the blind index, the command and access logs.
	raw := rawStores(t, b)
	require.Greater(t, len(raw), 10000, "the raw stores were read")
	for _, c := range dry.Persons {
		if pnr := numbers[c.PersonID]; c.Kept == "" && pnr != "" {
			assert.NotContains(t, raw, pnr)
			assert.NotContains(t, raw, pnr[2:])
		}
	}
	b.Close()
	assert.Equal(t, dry.Culled, culled)

	assert.Equal(t, string(before), string(report()), "reports are unchanged by culling")
	code, out, stderr = runCLI(t, ctx, "verify", "--dev", "--data-dir", dir)
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, out, "every chain verified")

	// A second run culls nothing more.
	code, out, _ = runCLI(t, ctx, "cull", "--as-of", "2040-01-01", "--dev", "--data-dir", dir)
	require.Equal(t, 0, code)
	assert.Contains(t, out, "culled 0 personal files")
}

// rawStores is every stored message of every stream of the store, as text.
func rawStores(t *testing.T, b *eventstore.Backend) string {
	js, err := b.Conn.JetStream()
	require.NoError(t, err)
	var out []byte
	for name := range js.StreamNames() {
		info, err := js.StreamInfo(name)
		require.NoError(t, err)
		for seq := info.State.FirstSeq; seq <= info.State.LastSeq && info.State.Msgs > 0; seq++ {
			if m, err := js.GetMsg(name, seq); err == nil {
				out = append(out, m.Data...)
				out = append(out, m.Subject...)
			}
		}
	}
	return string(out)
}
