package projections

import (
	"maps"
	"slices"

	"github.com/fristad/fristad/domain"
	"github.com/fristad/fristad/eventstore"
)

// The whereabouts part of PersonLinks: what the API needs to decide, for
// lists of many cases (caseload, dashboard) and for reach, who may see a
// protected person's whereabouts without loading every person.

// protectedPerson is a person who was ever protected: their state folded
// by the Person decider's own Evolve, and, for a first protection written
// before EntitlementRecorded existed, the case's assignee and unit at that
// moment (the events before it in the stream tell them).
type protectedPerson struct {
	State      domain.Person     `json:"state"`
	Derivation domain.Derivation `json:"derivation"`
}

type whereaboutsSnapshot struct {
	LinkedBy     map[domain.ID][]string        `json:"linked_by,omitempty"`
	PartnerCases map[domain.ID][]domain.ID     `json:"partner_cases,omitempty"`
	CaseAssignee map[domain.ID]string          `json:"case_assignee,omitempty"`
	Closed       map[domain.ID]bool            `json:"closed,omitempty"`
	Protected    map[domain.ID]protectedPerson `json:"protected,omitempty"`
}

// applyWhereabouts folds the events PersonLinks.Apply does not (l.mu held).
func (l *PersonLinks) applyWhereabouts(env *eventstore.Envelope) {
	switch f := env.Facts.(type) {
	case domain.PersonContactAdded:
		if !slices.Contains(l.linkedBy[env.AggregateID], env.Actor) {
			l.linkedBy[env.AggregateID] = append(l.linkedBy[env.AggregateID], env.Actor)
		}
	case domain.PartnerContactOffered:
		l.partnerCases[f.PartnerID] = append(l.partnerCases[f.PartnerID], f.TreatmentCaseID)
	case domain.CaseClosed:
		l.closed[env.AggregateID] = true
	case domain.CaseReopened:
		delete(l.closed, env.AggregateID)
	case domain.ProtectionChanged, domain.ProtectionLowered, domain.EntitlementRecorded,
		domain.WhereaboutsGranted, domain.WhereaboutsGrantRevoked:
		pp := l.protected[env.AggregateID]
		if pp == nil {
			pp = &protectedPerson{State: l.persons.Initial(env.AggregateID)}
			l.protected[env.AggregateID] = pp
		}
		first := !pp.State.Protection.Protected()
		pp.State = l.persons.Evolve(pp.State, env.Recorded())
		if pc, ok := f.(domain.ProtectionChanged); ok && first && pc.Level.Protected() {
			pp.Derivation = domain.Derivation{Assignee: l.caseAssignee[pc.CaseID], Unit: l.caseUnit[pc.CaseID]}
		}
	}
}

// Whereabouts is the entitlement state of a person who was ever protected
// (derived for an old store); false for anyone else.
func (l *PersonLinks) Whereabouts(person domain.ID) (domain.Person, bool) {
	l.mu.RLock()
	defer l.mu.RUnlock()
	pp := l.protected[person]
	if pp == nil {
		return domain.Person{}, false
	}
	return pp.State.Derive(pp.Derivation), true
}

// Derivation is what a first protection written before entitlements were
// recorded takes from its case (zero when there is nothing to derive).
func (l *PersonLinks) Derivation(person domain.ID) domain.Derivation {
	l.mu.RLock()
	defer l.mu.RUnlock()
	if pp := l.protected[person]; pp != nil {
		return pp.Derivation
	}
	return domain.Derivation{}
}

// LinkedBy lists the users whose intake or registration linked to this
// existing file (they reach it as its registrar does).
func (l *PersonLinks) LinkedBy(person domain.ID) []string {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return slices.Clone(l.linkedBy[person])
}

// PartnerUnits lists the units of the treatment cases of the partner
// contacts in which the person is the partner.
func (l *PersonLinks) PartnerUnits(person domain.ID) []string {
	l.mu.RLock()
	defer l.mu.RUnlock()
	var out []string
	for _, c := range l.partnerCases[person] {
		if u := l.caseUnit[c]; u != "" && !slices.Contains(out, u) {
			out = append(out, u)
		}
	}
	return out
}

// ProtectedCase is an open case on a protected person in a unit whose
// supervisors are not entitled on them: their entitled supervisors get a
// task (protected_person_new_case), derived from the events.
type ProtectedCase struct {
	PersonID domain.ID
	CaseID   domain.ID
	Unit     string
}

// ProtectedCasesElsewhere lists, for a reader entitled on protected
// persons, the open cases on them outside their entitled units.
func (l *PersonLinks) ProtectedCasesElsewhere(r domain.Reader, today domain.Date, assigneeOf func(domain.ID) string) []ProtectedCase {
	l.mu.RLock()
	defer l.mu.RUnlock()
	var out []ProtectedCase
	for id, pp := range l.protected {
		st := pp.State.Derive(pp.Derivation)
		if !st.Protection.Protected() || !r.Supervisor() || !st.EntitledNow(r, today, assigneeOf) {
			continue
		}
		for _, c := range l.personCases[id] {
			u := l.caseUnit[c]
			if l.closed[c] || slices.Contains(st.SupervisorUnits, u) {
				continue
			}
			out = append(out, ProtectedCase{PersonID: id, CaseID: c, Unit: u})
		}
	}
	slices.SortFunc(out, func(a, b ProtectedCase) int {
		if a.CaseID < b.CaseID {
			return -1
		}
		if a.CaseID > b.CaseID {
			return 1
		}
		return 0
	})
	return out
}

// captureWhereabouts copies the whereabouts maps for a snapshot (l.mu
// held for reading): a protected person's slices are copied, because
// Evolve appends to them.
func (l *PersonLinks) captureWhereabouts() whereaboutsSnapshot {
	prot := make(map[domain.ID]protectedPerson, len(l.protected))
	for id, pp := range l.protected {
		c := *pp
		c.State.Entitlements = slices.Clone(c.State.Entitlements)
		c.State.SupervisorUnits = slices.Clone(c.State.SupervisorUnits)
		prot[id] = c
	}
	return whereaboutsSnapshot{LinkedBy: maps.Clone(l.linkedBy), PartnerCases: maps.Clone(l.partnerCases),
		CaseAssignee: maps.Clone(l.caseAssignee), Closed: maps.Clone(l.closed), Protected: prot}
}

// restoreWhereabouts fills a fresh projection from a snapshot.
func (l *PersonLinks) restoreWhereabouts(w whereaboutsSnapshot) {
	maps.Copy(l.linkedBy, w.LinkedBy)
	maps.Copy(l.partnerCases, w.PartnerCases)
	maps.Copy(l.caseAssignee, w.CaseAssignee)
	maps.Copy(l.closed, w.Closed)
	for id, pp := range w.Protected {
		l.protected[id] = &pp
	}
}

// CasePersons lists the persons of a case: its subject and children.
func (l *PersonLinks) CasePersons(caseID domain.ID) []domain.ID {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return slices.Clone(l.casePersons[caseID])
}
