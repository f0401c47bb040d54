package projections

import (
	"fmt"
	"maps"
	"slices"
	"sync"

	"github.com/fristad/fristad/domain"
	"github.com/fristad/fristad/eventstore"
	gojson "github.com/goccy/go-json"
)

// PersonLinks knows which units work with a person: the units of the
// cases the person is the subject of or a child in. It decides who may
// open a personal file (a case worker of another unit may not), and it
// remembers who registered a person, so the registering worker can read
// a file they just made before any case refers to it.
type PersonLinks struct {
	mu           sync.RWMutex
	caseUnit     map[domain.ID]string
	casePersons  map[domain.ID][]domain.ID
	personCases  map[domain.ID][]domain.ID
	registeredBy map[domain.ID]string
	// Whereabouts (whereabouts.go): who linked to an existing file, the
	// partner contacts a person is the partner in, each case's assignee
	// (to derive a first protection's entitlement in an old store), and
	// the folded state of every person who was ever protected.
	linkedBy     map[domain.ID][]string
	partnerCases map[domain.ID][]domain.ID
	caseAssignee map[domain.ID]string
	closed       map[domain.ID]bool
	protected    map[domain.ID]*protectedPerson
	persons      domain.Decider[domain.Person]
}

// NewPersonLinks returns an empty projection.
func NewPersonLinks() *PersonLinks {
	return &PersonLinks{
		caseUnit: map[domain.ID]string{}, casePersons: map[domain.ID][]domain.ID{},
		personCases: map[domain.ID][]domain.ID{}, registeredBy: map[domain.ID]string{},
		linkedBy: map[domain.ID][]string{}, partnerCases: map[domain.ID][]domain.ID{},
		caseAssignee: map[domain.ID]string{}, closed: map[domain.ID]bool{}, protected: map[domain.ID]*protectedPerson{},
		persons: domain.PersonDecider(),
	}
}

// Name changed with the whereabouts maps: a snapshot from before has no
// part under it, so the runner rebuilds from the stream once.
func (l *PersonLinks) Name() string { return "person_links_v2" }

// Apply folds one event.
func (l *PersonLinks) Apply(env *eventstore.Envelope) {
	l.mu.Lock()
	defer l.mu.Unlock()
	switch f := env.Facts.(type) {
	case domain.PersonRegistered:
		l.registeredBy[env.AggregateID] = env.Actor
	case domain.CaseOpened:
		l.caseUnit[env.AggregateID] = f.Unit
		l.caseAssignee[env.AggregateID] = f.Assignee
		l.link(env.AggregateID, f.PersonID)
	case domain.ChildAdded:
		l.link(env.AggregateID, f.ChildID)
	case domain.Reassigned:
		if f.Unit != "" {
			l.caseUnit[env.AggregateID] = f.Unit
		}
		l.caseAssignee[env.AggregateID] = f.Assignee
	default:
		l.applyWhereabouts(env)
	}
}

func (l *PersonLinks) link(caseID, person domain.ID) {
	if !slices.Contains(l.casePersons[caseID], person) {
		l.casePersons[caseID] = append(l.casePersons[caseID], person)
		l.personCases[person] = append(l.personCases[person], caseID)
	}
}

// Units lists the units of the cases the person appears in.
func (l *PersonLinks) Units(person domain.ID) []string {
	l.mu.RLock()
	defer l.mu.RUnlock()
	var out []string
	for _, c := range l.personCases[person] {
		if u := l.caseUnit[c]; u != "" && !slices.Contains(out, u) {
			out = append(out, u)
		}
	}
	return out
}

// Cases lists the cases the person appears in.
func (l *PersonLinks) Cases(person domain.ID) []domain.ID {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return slices.Clone(l.personCases[person])
}

// RegisteredBy is the user who opened the personal file.
func (l *PersonLinks) RegisteredBy(person domain.ID) string {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return l.registeredBy[person]
}

type linksSnapshot struct {
	CaseUnit     map[domain.ID]string      `json:"case_unit"`
	CasePersons  map[domain.ID][]domain.ID `json:"case_persons"`
	RegisteredBy map[domain.ID]string      `json:"registered_by"`
	whereaboutsSnapshot
}

// Capture copies the maps a snapshot holds (later events replace or
// append to their values, never change them in place); the returned
// function serializes the copies, map keys sorted.
func (l *PersonLinks) Capture() func() ([]byte, error) {
	l.mu.RLock()
	snap := linksSnapshot{CaseUnit: maps.Clone(l.caseUnit), CasePersons: maps.Clone(l.casePersons), RegisteredBy: maps.Clone(l.registeredBy),
		whereaboutsSnapshot: l.captureWhereabouts()}
	l.mu.RUnlock()
	// go-json sorts map keys as encoding/json does, several times faster.
	return func() ([]byte, error) { return gojson.Marshal(snap) }
}

// Restore replaces the state with a snapshot.
func (l *PersonLinks) Restore(data []byte) error {
	var snap linksSnapshot
	if err := gojson.Unmarshal(data, &snap); err != nil {
		return fmt.Errorf("person links snapshot: %w", err)
	}
	fresh := NewPersonLinks()
	for k, v := range snap.CaseUnit {
		fresh.caseUnit[k] = v
	}
	for k, v := range snap.RegisteredBy {
		fresh.registeredBy[k] = v
	}
	for c, persons := range snap.CasePersons {
		for _, p := range persons {
			fresh.link(c, p)
		}
	}
	fresh.restoreWhereabouts(snap.whereaboutsSnapshot)
	l.mu.Lock()
	l.replace(fresh)
	l.mu.Unlock()
	return nil
}

// replace takes over fresh's maps (l.mu held).
func (l *PersonLinks) replace(fresh *PersonLinks) {
	l.caseUnit, l.casePersons, l.personCases, l.registeredBy = fresh.caseUnit, fresh.casePersons, fresh.personCases, fresh.registeredBy
	l.linkedBy, l.partnerCases, l.caseAssignee, l.closed, l.protected = fresh.linkedBy, fresh.partnerCases, fresh.caseAssignee, fresh.closed, fresh.protected
}

// Reset empties the projection.
func (l *PersonLinks) Reset() {
	fresh := NewPersonLinks()
	l.mu.Lock()
	l.replace(fresh)
	l.mu.Unlock()
}
