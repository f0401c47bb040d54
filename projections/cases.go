package projections

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"sync"

	"github.com/fristad/fristad/domain"
	"github.com/fristad/fristad/eventstore"
	gojson "github.com/goccy/go-json"
)

// Cases is the case projection: every case's state (folded with the same
// decider the writes use, so a read never disagrees with a rule) and its
// caseload row, indexed by unit; plus the partner-contact flags that
// concern a perpetrator's case. The caseload (ärendelista), the case file
// and the overdue dashboard read it.
type Cases struct {
	mu       sync.RWMutex
	decider  domain.Decider[domain.Case]
	cases    map[domain.ID]*caseEntry
	byUnit   map[string]map[domain.ID]struct{}
	contacts map[domain.ID]contactLink // partner contact -> treatment case
	byCase   map[domain.ID][]domain.ID // treatment case -> its partner contacts
}

type caseEntry struct {
	state domain.Case
	row   Row
}

// contactLink remembers a partner contact's treatment case and whether it
// carries an open new-violence report.
type contactLink struct {
	Case        domain.ID `json:"case"`
	NewViolence bool      `json:"new_violence"`
	Ended       bool      `json:"ended"`
}

// NewCases returns an empty projection.
func NewCases() *Cases {
	return &Cases{decider: domain.CaseDecider(), cases: map[domain.ID]*caseEntry{},
		byUnit: map[string]map[domain.ID]struct{}{}, contacts: map[domain.ID]contactLink{}, byCase: map[domain.ID][]domain.ID{}}
}

func (c *Cases) Name() string { return "cases" }

// Apply folds one event.
func (c *Cases) Apply(env *eventstore.Envelope) {
	c.mu.Lock()
	defer c.mu.Unlock()
	switch env.Aggregate {
	case domain.KindCase:
		e := c.cases[env.AggregateID]
		if e == nil {
			e = &caseEntry{state: c.decider.Initial(env.AggregateID)}
			c.cases[env.AggregateID] = e
		}
		before := e.state.Unit
		e.state = c.decider.Evolve(e.state, env.Recorded())
		c.reindex(env.AggregateID, before, e.state.Unit)
		e.row = c.rowOf(e.state)
	case domain.KindPartnerContact, domain.KindPartnerSide:
		// Both records of a contact share its id; new violence is on the
		// partner side's (or an old single record).
		link := c.contacts[env.AggregateID]
		switch f := env.Facts.(type) {
		case domain.PartnerContactOffered:
			link.Case = f.TreatmentCaseID
			c.byCase[f.TreatmentCaseID] = append(c.byCase[f.TreatmentCaseID], env.AggregateID)
		case domain.NewViolenceReported:
			link.NewViolence = true
		case domain.PartnerContactEnded:
			link.Ended = true
		}
		c.contacts[env.AggregateID] = link
		if e := c.cases[link.Case]; e != nil {
			e.row = c.rowOf(e.state)
		}
	}
}

func (c *Cases) reindex(id domain.ID, before, after string) {
	if before == after {
		return
	}
	if before != "" {
		delete(c.byUnit[before], id)
	}
	if c.byUnit[after] == nil {
		c.byUnit[after] = map[domain.ID]struct{}{}
	}
	c.byUnit[after][id] = struct{}{}
}

// Units lists the units that hold cases now, sorted.
func (c *Cases) Units() []string {
	c.mu.RLock()
	defer c.mu.RUnlock()
	out := make([]string, 0, len(c.byUnit))
	for u, ids := range c.byUnit {
		if len(ids) > 0 {
			out = append(out, u)
		}
	}
	slices.Sort(out)
	return out
}

// Case returns a copy of a case's state that the caller may keep; false
// when the projection has no such case.
func (c *Cases) Case(id domain.ID) (domain.Case, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	e, ok := c.cases[id]
	if !ok || !e.state.Exists {
		return domain.Case{}, false
	}
	return e.state.Clone(), true
}

// casesSnapshot is the projection as stored.
type casesSnapshot struct {
	Cases    []domain.CaseSnapshot     `json:"cases"`
	Contacts map[domain.ID]contactLink `json:"contacts"`
}

// casesDocument encodes to what casesSnapshot decodes.
type casesDocument struct {
	Cases    []domain.CaseDocument     `json:"cases"`
	Contacts map[domain.ID]contactLink `json:"contacts"`
}

// Capture freezes every case (a copy of its log) and the partner-contact
// links; the returned function serializes them, sorted by case id so that
// equal states give equal bytes.
func (c *Cases) Capture() func() ([]byte, error) {
	c.mu.RLock()
	frozen := make([]domain.FrozenCase, 0, len(c.cases))
	for _, e := range c.cases {
		frozen = append(frozen, e.state.Freeze())
	}
	contacts := maps.Clone(c.contacts)
	c.mu.RUnlock()
	return func() ([]byte, error) {
		slices.SortFunc(frozen, func(a, b domain.FrozenCase) int { return cmp.Compare(a.ID(), b.ID()) })
		doc := casesDocument{Cases: make([]domain.CaseDocument, len(frozen)), Contacts: contacts}
		for i, f := range frozen {
			doc.Cases[i] = f.Document()
		}
		return gojson.Marshal(doc)
	}
}

// Restore replaces the projection's state with a snapshot.
func (c *Cases) Restore(data []byte) error {
	var snap casesSnapshot
	if err := gojson.Unmarshal(data, &snap); err != nil {
		return fmt.Errorf("cases snapshot: %w", err)
	}
	reg := domain.Events()
	fresh := NewCases()
	if snap.Contacts != nil {
		fresh.contacts = snap.Contacts
	}
	for id, link := range fresh.contacts {
		fresh.byCase[link.Case] = append(fresh.byCase[link.Case], id)
	}
	for _, cs := range snap.Cases {
		s, err := domain.RestoreCase(reg, cs)
		if err != nil {
			return fmt.Errorf("cases snapshot: %w", err)
		}
		fresh.cases[s.ID] = &caseEntry{state: s}
		fresh.reindex(s.ID, "", s.Unit)
	}
	for _, e := range fresh.cases {
		e.row = fresh.rowOf(e.state)
	}
	c.mu.Lock()
	c.cases, c.byUnit, c.contacts, c.byCase = fresh.cases, fresh.byUnit, fresh.contacts, fresh.byCase
	c.mu.Unlock()
	return nil
}

// Reset empties the projection.
func (c *Cases) Reset() {
	fresh := NewCases()
	c.mu.Lock()
	c.cases, c.byUnit, c.contacts, c.byCase = fresh.cases, fresh.byUnit, fresh.contacts, fresh.byCase
	c.mu.Unlock()
}
