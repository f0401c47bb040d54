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

	// Tasks (tasks.go): derived from the states above by the rules, plus
	// what derivations read besides a case.
	rules        []domain.CaseTaskRule
	periods      domain.TaskPeriods
	births       map[domain.ID]int         // person -> birth year (school age)
	placedIn     map[domain.ID][]domain.ID // child -> cases that placed the child
	contactTasks map[domain.ID][]domain.Task
	stale        int // cases whose tasks are stale
	// linkedFrom: case -> links recorded on other cases that name it.
	linkedFrom map[domain.ID][]domain.CaseLinked
}

type caseEntry struct {
	state domain.Case
	row   Row
	tasks []domain.Task
	stale bool // tasks not derived since the last event (tasks.go)
}

// contactLink remembers a partner contact's treatment case and whether it
// carries an open new-violence report.
type contactLink struct {
	Case        domain.ID `json:"case"`
	NewViolence bool      `json:"new_violence"`
	Ended       bool      `json:"ended"`
	// Dates of new violence with children affected and of the reports of
	// concern made after it (the new_violence tasks).
	Violence []domain.Date `json:"violence,omitempty"`
	Concerns []domain.Date `json:"concerns,omitempty"`
}

// NewCases returns an empty projection.
func NewCases() *Cases {
	return &Cases{decider: domain.CaseDecider(), cases: map[domain.ID]*caseEntry{},
		byUnit: map[string]map[domain.ID]struct{}{}, contacts: map[domain.ID]contactLink{}, byCase: map[domain.ID][]domain.ID{},
		rules: domain.CaseTaskRules(), periods: domain.DefaultTaskPeriods(), births: map[domain.ID]int{},
		placedIn: map[domain.ID][]domain.ID{}, contactTasks: map[domain.ID][]domain.Task{},
		linkedFrom: map[domain.ID][]domain.CaseLinked{}}
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
		switch f := env.Facts.(type) {
		case domain.PlacementStarted:
			for _, child := range f.ChildIDs {
				c.placedIn[child] = append(c.placedIn[child], env.AggregateID)
			}
		case domain.CaseLinked:
			c.linkedFrom[f.CaseID] = append(c.linkedFrom[f.CaseID], domain.CaseLinked{CaseID: env.AggregateID, Relation: f.Relation})
		}
		c.caseChanged(env.AggregateID, e)
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
			if f.ChildrenAffected {
				link.Violence = append(link.Violence, f.ReportedOn)
			}
		case domain.ConcernReported:
			link.Concerns = append(link.Concerns, f.ReportedOn)
		case domain.PartnerContactEnded:
			link.Ended = true
		}
		c.contacts[env.AggregateID] = link
		if e := c.cases[link.Case]; e != nil {
			e.row = c.rowOf(e.state)
		}
		c.deriveContactTasks(env.AggregateID)
	case domain.KindPerson:
		c.applyPerson(env)
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
	Format   int                       `json:"format"`
	Cases    []domain.CaseSnapshot     `json:"cases"`
	Contacts map[domain.ID]contactLink `json:"contacts"`
	Births   map[domain.ID]int         `json:"births"`
}

// casesDocument encodes to what casesSnapshot decodes.
type casesDocument struct {
	Format   int                       `json:"format"`
	Cases    []domain.CaseDocument     `json:"cases"`
	Contacts map[domain.ID]contactLink `json:"contacts"`
	Births   map[domain.ID]int         `json:"births"`
}

// casesFormat is the snapshot's format: a snapshot of another format (one
// written before tasks were derived, without the persons' birth years and
// the new-violence dates) does not restore, and the runner rebuilds.
const casesFormat = 2

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
	births := maps.Clone(c.births)
	c.mu.RUnlock()
	return func() ([]byte, error) {
		slices.SortFunc(frozen, func(a, b domain.FrozenCase) int { return cmp.Compare(a.ID(), b.ID()) })
		doc := casesDocument{Format: casesFormat, Cases: make([]domain.CaseDocument, len(frozen)), Contacts: contacts, Births: births}
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
	if snap.Format != casesFormat {
		return fmt.Errorf("cases snapshot: format %d, want %d", snap.Format, casesFormat)
	}
	reg := domain.Events()
	fresh := NewCases()
	if snap.Contacts != nil {
		fresh.contacts = snap.Contacts
	}
	if snap.Births != nil {
		fresh.births = snap.Births
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
	for id, e := range fresh.cases {
		e.row = fresh.rowOf(e.state)
		for _, p := range e.state.Placements {
			for _, child := range p.ChildIDs {
				fresh.placedIn[child] = append(fresh.placedIn[child], id)
			}
		}
		for _, l := range e.state.Links {
			fresh.linkedFrom[l.CaseID] = append(fresh.linkedFrom[l.CaseID], domain.CaseLinked{CaseID: id, Relation: l.Relation})
		}
	}
	for _, e := range fresh.cases {
		fresh.markStale(e)
	}
	for id := range fresh.contacts {
		fresh.deriveContactTasks(id)
	}
	c.replace(fresh)
	return nil
}

func (c *Cases) replace(fresh *Cases) {
	c.mu.Lock()
	c.cases, c.byUnit, c.contacts, c.byCase = fresh.cases, fresh.byUnit, fresh.contacts, fresh.byCase
	c.births, c.placedIn, c.contactTasks, c.linkedFrom = fresh.births, fresh.placedIn, fresh.contactTasks, fresh.linkedFrom
	c.stale = fresh.stale
	c.mu.Unlock()
}

// Reset empties the projection.
func (c *Cases) Reset() {
	c.replace(NewCases())
}
