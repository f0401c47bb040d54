package eventstore

import (
	"context"

	"github.com/fristad/fristad/domain"
)

// Settings reads the municipality's settings as they stand now: the units
// registry and the board's intervals and limits (domain/settings.go). It
// is the one way other packages read them, e.g.
// Settings(ctx).Values.DecisionCommunicationDays; before any change they
// are domain.DefaultSettings() with an empty registry. The read costs one
// round trip for new events: the settings' history is cached. The state
// returned is shared (its Units map too): read it, never change it.
func (s *Store) Settings(ctx context.Context) (domain.Settings, error) {
	d := domain.SettingsDecider()
	h, err := s.Load(ctx, d.Kind, domain.SettingsID)
	if err != nil {
		return domain.Settings{}, err
	}
	return State(d, h), nil
}
