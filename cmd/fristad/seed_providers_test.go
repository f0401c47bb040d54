package main

import (
	"context"
	"testing"

	"github.com/fristad/fristad/domain"
	"github.com/fristad/fristad/eventstore"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSeedPlacesAtRegisteredProviders: `fristad seed` registers the
// providers first, and every synthetic placement is at one of them, with
// a permit valid on the move-in day where one is required.
func TestSeedPlacesAtRegisteredProviders(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	code, _, stderr := runCLI(t, ctx, "seed", "--cases", "150", "--seed", "3", "--dev", "--data-dir", dir)
	require.Equal(t, 0, code, stderr)

	b, err := eventstore.OpenBackend(ctx, eventstore.BackendConfig{DataDir: dir, DevKeys: true})
	require.NoError(t, err)
	defer b.Close()
	dec := domain.ProviderDecider()
	providers := map[domain.ID]domain.Provider{}
	var placements []domain.PlacementStarted
	_, err = b.Store.Read(ctx, 1, func(e *eventstore.Envelope) error {
		switch f := e.Facts.(type) {
		case domain.PlacementStarted:
			placements = append(placements, f)
		default:
			if e.Aggregate == domain.KindProvider {
				s, ok := providers[e.AggregateID]
				if !ok {
					s = dec.Initial(e.AggregateID)
				}
				providers[e.AggregateID] = dec.Evolve(s, e.Recorded())
			}
		}
		return nil
	})
	require.NoError(t, err)
	assert.Len(t, providers, 10)
	require.NotEmpty(t, placements)
	used := map[domain.ID]bool{}
	for _, p := range placements {
		at, ok := providers[p.ProviderID]
		require.True(t, ok && at.Exists, "placement at an unregistered provider")
		assert.True(t, at.PermitValidOn(p.MovedInOn), "placement at %s on %s without a valid permit", at.Name, p.MovedInOn)
		used[p.ProviderID] = true
	}
	assert.Greater(t, len(used), 2, "placements spread over the registry")
}
