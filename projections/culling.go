package projections

import (
	"slices"
	"time"

	"github.com/fristad/fristad/domain"
	"github.com/fristad/fristad/eventstore"
)

// Culling finds the personal files due for culling (gallring, old SoL
// 12:1): five years after the last entry about the person, and not while
// other data on the person remain (an open case). Files of persons born
// on the 5th, 15th or 25th are kept for research (Socialtjänstförordningen
// 7:2). It folds facts only.
type Culling struct {
	persons  map[domain.ID]*cullPerson
	cases    map[domain.ID]*cullCase
	contacts map[domain.ID]cullContact
}

type cullPerson struct {
	last     time.Time
	research bool
	culled   bool
}

type cullCase struct {
	persons []domain.ID // subject and children
	open    bool
}

// cullContact is a partner contact: its partner, and whether it ended
// with a consent document whose key must be gone.
type cullContact struct {
	partner  domain.ID
	ended    bool
	document bool
}

// NewCulling returns an empty fold.
func NewCulling() *Culling {
	return &Culling{persons: map[domain.ID]*cullPerson{}, cases: map[domain.ID]*cullCase{}, contacts: map[domain.ID]cullContact{}}
}

func (c *Culling) person(id domain.ID) *cullPerson {
	p := c.persons[id]
	if p == nil {
		p = &cullPerson{}
		c.persons[id] = p
	}
	return p
}

// touch records an entry about a person.
func (c *Culling) touch(id domain.ID, at time.Time) {
	if id == "" {
		return
	}
	if p := c.person(id); at.After(p.last) {
		p.last = at
	}
}

// Apply folds one event.
func (c *Culling) Apply(env *eventstore.Envelope) {
	switch env.Aggregate {
	case domain.KindPerson:
		p := c.person(env.AggregateID)
		switch f := env.Facts.(type) {
		case domain.PersonRegistered:
			p.research = f.ResearchException
		case domain.PersonDetailsChanged:
			p.research = f.ResearchException
		case domain.PersonCulled:
			p.culled = true
			return // the culling itself is no entry about the person
		}
		c.touch(env.AggregateID, env.RecordedAt)
	case domain.KindCase:
		k := c.cases[env.AggregateID]
		if k == nil {
			k = &cullCase{}
			c.cases[env.AggregateID] = k
		}
		switch f := env.Facts.(type) {
		case domain.CaseOpened:
			k.persons, k.open = append(k.persons, f.PersonID), true
		case domain.ChildAdded:
			if !slices.Contains(k.persons, f.ChildID) {
				k.persons = append(k.persons, f.ChildID)
			}
		case domain.CaseClosed:
			k.open = false
		case domain.CaseReopened:
			k.open = true
		}
		for _, p := range k.persons {
			c.touch(p, env.RecordedAt)
		}
	case domain.KindPartnerContact, domain.KindPartnerSide:
		// Both records of a contact share its id; each entry is about the
		// partner. Only the treatment side's record holds the consent.
		pc := c.contacts[env.AggregateID]
		switch f := env.Facts.(type) {
		case domain.PartnerContactOffered:
			pc.partner = f.PartnerID
		case domain.PartnerSideOpened:
			pc.partner = f.PartnerID
		case domain.ConsentRecorded:
			pc.document = pc.document || f.HasDocument
		case domain.PartnerContactEnded:
			pc.ended = true
		}
		c.contacts[env.AggregateID] = pc
		c.touch(pc.partner, env.RecordedAt)
	}
}

// Candidate is a personal file and what culling decides about it.
type Candidate struct {
	PersonID  domain.ID   `json:"person_id"`
	LastEntry domain.Date `json:"last_entry"`
	// Kept says why a file past five years is not culled ("" when it is):
	// research (born on the 5th, 15th or 25th) or open_case.
	Kept string `json:"kept,omitempty"`
}

// Due lists, by person id, the files whose last entry is more than five
// years before asOf and not yet culled, with those kept and why.
func (c *Culling) Due(asOf domain.Date) []Candidate {
	open := map[domain.ID]bool{}
	for _, k := range c.cases {
		if k.open {
			for _, p := range k.persons {
				open[p] = true
			}
		}
	}
	var out []Candidate
	for id, p := range c.persons {
		if p.culled || p.last.IsZero() {
			continue
		}
		last := domain.DateOf(p.last)
		if !last.AddYears(5).Before(asOf) {
			continue
		}
		cand := Candidate{PersonID: id, LastEntry: last}
		switch {
		case p.research:
			cand.Kept = "research"
		case open[id]:
			cand.Kept = "open_case"
		}
		out = append(out, cand)
	}
	slices.SortFunc(out, func(a, b Candidate) int {
		if a.PersonID < b.PersonID {
			return -1
		}
		return 1
	})
	return out
}

// Culled lists the persons already culled (their keys must be gone).
func (c *Culling) Culled() []domain.ID {
	var out []domain.ID
	for id, p := range c.persons {
		if p.culled {
			out = append(out, id)
		}
	}
	slices.Sort(out)
	return out
}

// EndedWithDocument lists ended partner contacts that had a consent
// document: its key must be destroyed.
func (c *Culling) EndedWithDocument() []domain.ID {
	var out []domain.ID
	for id, pc := range c.contacts {
		if pc.ended && pc.document {
			out = append(out, id)
		}
	}
	slices.Sort(out)
	return out
}
