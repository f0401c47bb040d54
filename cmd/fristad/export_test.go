package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/fristad/fristad/domain"
	"github.com/fristad/fristad/eventstore"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// copyMasterKey gives a new data dir the exporting store's master key (an
// import needs it, as the keys in an export stay wrapped by it).
func copyMasterKey(t *testing.T, from, to string) {
	b, err := os.ReadFile(filepath.Join(from, "keys", "master.key"))
	require.NoError(t, err)
	require.NoError(t, os.MkdirAll(filepath.Join(to, "keys"), 0o700))
	require.NoError(t, os.WriteFile(filepath.Join(to, "keys", "master.key"), b, 0o600))
}

func digestOf(t *testing.T, dir string) string {
	code, out, stderr := runCLI(t, context.Background(), "replay", "--dev", "--data-dir", dir)
	require.Equal(t, 0, code, stderr)
	m := regexp.MustCompile(`projections (sha256:[0-9a-f]+)`).FindStringSubmatch(out)
	require.Len(t, m, 2, out)
	return m[1]
}

func TestExportImportRoundTripAndTamperRefusal(t *testing.T) {
	ctx := context.Background()
	src := t.TempDir()
	code, _, stderr := runCLI(t, ctx, "seed", "--cases", "30", "--dev", "--data-dir", src)
	require.Equal(t, 0, code, stderr)
	file := filepath.Join(t.TempDir(), "backup.ndjson")
	code, _, stderr = runCLI(t, ctx, "export", "--dev", "--data-dir", src, "-o", file, "--reason", "nattlig säkerhetskopia")
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, stderr, "exported")
	raw, err := os.ReadFile(file)
	require.NoError(t, err)
	assert.NotContains(t, string(raw), "Andersson", "sealed personal data stays sealed")

	dst := t.TempDir()
	copyMasterKey(t, src, dst)
	code, _, stderr = runCLI(t, ctx, "import", "--dev", "--data-dir", dst, "-i", file)
	require.Equal(t, 0, code, stderr)
	code, out, _ := runCLI(t, ctx, "verify", "--dev", "--data-dir", dst)
	require.Equal(t, 0, code, out)
	assert.Equal(t, digestOf(t, src), digestOf(t, dst), "the imported store folds to the same projections")

	// Personal data opens in the imported store.
	b, err := eventstore.OpenBackend(ctx, eventstore.BackendConfig{DataDir: dst, DevKeys: true})
	require.NoError(t, err)
	opened := 0
	_, err = b.Store.Read(ctx, 1, func(e *eventstore.Envelope) error {
		if _, registered := e.Facts.(domain.PersonRegistered); registered && opened < 3 {
			h, err := b.Store.Load(ctx, domain.KindPerson, e.AggregateID)
			require.NoError(t, err)
			_, err = b.Store.Unseal(ctx, &h.Events[0])
			require.NoError(t, err)
			opened++
		}
		return nil
	})
	require.NoError(t, err)
	b.Close()
	assert.Equal(t, 3, opened)

	// Importing again into a store that is not empty is refused.
	code, _, stderr = runCLI(t, ctx, "import", "--dev", "--data-dir", dst, "-i", file)
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr, "not empty")

	lines := strings.Split(strings.TrimSuffix(string(raw), "\n"), "\n")
	tamper := func(fixDigest bool) string {
		out := append([]string(nil), lines...)
		for i, l := range out {
			if strings.Contains(l, `"kind":"event"`) {
				out[i] = strings.Replace(l, `"actor":"`, `"actor":"x`, 1)
				break
			}
		}
		if fixDigest {
			sum := sha256.New()
			for _, l := range out[:len(out)-1] {
				sum.Write([]byte(l + "\n"))
			}
			var m map[string]any
			require.NoError(t, json.Unmarshal([]byte(out[len(out)-1]), &m))
			m["digest"] = "sha256:" + hex.EncodeToString(sum.Sum(nil))
			fixed, _ := json.Marshal(m)
			out[len(out)-1] = string(fixed)
		}
		p := filepath.Join(t.TempDir(), "tampered.ndjson")
		require.NoError(t, os.WriteFile(p, []byte(strings.Join(out, "\n")+"\n"), 0o600))
		return p
	}
	for _, c := range []struct {
		name, file, says string
	}{
		{"altered", tamper(false), "digest"},
		{"altered with a recomputed digest", tamper(true), "import refused"},
		{"truncated", func() string {
			p := filepath.Join(t.TempDir(), "short.ndjson")
			require.NoError(t, os.WriteFile(p, []byte(strings.Join(lines[:len(lines)/2], "\n")+"\n"), 0o600))
			return p
		}(), "truncated"},
	} {
		target := t.TempDir()
		copyMasterKey(t, src, target)
		code, _, stderr := runCLI(t, ctx, "import", "--dev", "--data-dir", target, "-i", c.file)
		assert.Equal(t, 1, code, c.name)
		assert.Contains(t, stderr, c.says, c.name)
		code, out, _ := runCLI(t, ctx, "verify", "--dev", "--data-dir", target)
		assert.Equal(t, 0, code)
		assert.Contains(t, out, "verified 0 events", "a refused import writes nothing (%s)", c.name)
	}
}
