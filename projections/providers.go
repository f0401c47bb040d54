package projections

import (
	"cmp"
	"fmt"
	"slices"
	"sync"

	"github.com/fristad/fristad/domain"
	"github.com/fristad/fristad/eventstore"
	gojson "github.com/goccy/go-json"
)

// Providers is the registry of providers (shelters), folded from facts
// with the same decider the writes use: what the registry list, matching,
// the placement rule and the overdue dashboard read. It holds no address
// (the address is sealed and only opened for one provider's page).
type Providers struct {
	mu      sync.RWMutex
	decider domain.Decider[domain.Provider]
	states  map[domain.ID]domain.Provider
	// list is every registered provider sorted by id, rebuilt after a
	// change and shared with readers, which must not change it: matching
	// against the whole registry then allocates no copy of it.
	list []domain.Provider
}

// NewProviders returns an empty registry.
func NewProviders() *Providers {
	return &Providers{decider: domain.ProviderDecider(), states: map[domain.ID]domain.Provider{}}
}

func (p *Providers) Name() string { return "providers" }

// Apply folds one provider event; other events are not the registry's.
func (p *Providers) Apply(env *eventstore.Envelope) {
	if env.Aggregate != domain.KindProvider {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	s, ok := p.states[env.AggregateID]
	if !ok {
		s = p.decider.Initial(env.AggregateID)
	} else if env.Version != 0 && env.Version <= s.Version {
		return // a replayed tail
	} else {
		s = s.Clone() // readers may hold the listed state
	}
	p.states[env.AggregateID] = p.decider.Evolve(s, env.Recorded())
	p.list = nil
}

// Provider is one provider's state; false when it is not registered.
func (p *Providers) Provider(id domain.ID) (domain.Provider, bool) {
	p.mu.RLock()
	defer p.mu.RUnlock()
	s, ok := p.states[id]
	if !ok || !s.Exists {
		return domain.Provider{}, false
	}
	return s.Clone(), true
}

// All is every registered provider, sorted by id. The slice is shared:
// read it, never change it.
func (p *Providers) All() []domain.Provider {
	p.mu.RLock()
	list := p.list
	p.mu.RUnlock()
	if list != nil {
		return list
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.list == nil {
		list := make([]domain.Provider, 0, len(p.states))
		for _, s := range p.states {
			if s.Exists {
				list = append(list, s)
			}
		}
		slices.SortFunc(list, func(a, b domain.Provider) int { return cmp.Compare(a.ID, b.ID) })
		p.list = list
	}
	return p.list
}

// ProviderDue is something due about a provider: an agreed action or
// the next follow-up (the tasks provider_action and provider_follow_up).
type ProviderDue struct {
	Kind       string      `json:"kind"` // provider_action, provider_follow_up
	ProviderID domain.ID   `json:"provider_id"`
	Name       string      `json:"name"`
	ActionID   domain.ID   `json:"action_id,omitempty"`
	FollowUpID domain.ID   `json:"follow_up_id,omitempty"`
	DueOn      domain.Date `json:"due_on"`
	Overdue    bool        `json:"overdue"`
}

// Due lists every open agreed action and every planned next follow-up,
// earliest first, each marked overdue when its day has passed.
func (p *Providers) Due(today domain.Date) []ProviderDue {
	out := []ProviderDue{}
	for _, s := range p.All() {
		for _, a := range s.Actions {
			if a.Open() {
				out = append(out, ProviderDue{Kind: "provider_action", ProviderID: s.ID, Name: s.Name, ActionID: a.ActionID,
					FollowUpID: a.FollowUpID, DueOn: a.DueOn, Overdue: a.DueOn.Before(today)})
			}
		}
		if !s.NextFollowUpOn.IsZero() {
			out = append(out, ProviderDue{Kind: "provider_follow_up", ProviderID: s.ID, Name: s.Name,
				DueOn: s.NextFollowUpOn, Overdue: s.NextFollowUpOn.Before(today)})
		}
	}
	slices.SortStableFunc(out, func(a, b ProviderDue) int {
		if c := a.DueOn.Time().Compare(b.DueOn.Time()); c != 0 {
			return c
		}
		return cmp.Compare(a.ProviderID, b.ProviderID)
	})
	return out
}

// Capture copies the states (sorted by id) for the snapshot.
func (p *Providers) Capture() func() ([]byte, error) {
	list := p.All()
	frozen := make([]domain.Provider, len(list))
	for i, s := range list {
		frozen[i] = s.Clone()
	}
	return func() ([]byte, error) { return gojson.Marshal(frozen) }
}

// Restore replaces the registry with a snapshot's.
func (p *Providers) Restore(data []byte) error {
	var list []domain.Provider
	if err := gojson.Unmarshal(data, &list); err != nil {
		return fmt.Errorf("providers snapshot: %w", err)
	}
	states := make(map[domain.ID]domain.Provider, len(list))
	for _, s := range list {
		states[s.ID] = s
	}
	p.mu.Lock()
	p.states, p.list = states, nil
	p.mu.Unlock()
	return nil
}

// Reset empties the registry.
func (p *Providers) Reset() {
	p.mu.Lock()
	p.states, p.list = map[domain.ID]domain.Provider{}, nil
	p.mu.Unlock()
}
