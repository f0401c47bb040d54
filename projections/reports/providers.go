package reports

import (
	"slices"

	"github.com/fristad/fristad/domain"
)

// The providers report (REPORTS.md, second round): one row per provider
// in each table. A provider is any in the registry and any a placement
// in the period names (an unregistered id from before the registry too,
// named "okänd"). Person counts are suppressed as everywhere; provider ids
// and names are not personal data.

// unregisteredName is the name dim of a provider not in the registry.
const unregisteredName = "okänd (ej registrerad)"

// applyProvider folds a provider event into the registry the report sees.
func (b *Builder) applyProvider(env domain.Recorded, id domain.ID) bool {
	s, ok := b.providers[id]
	if !ok {
		initial := b.providerDec.Initial(id)
		s = &initial
		b.providers[id] = s
	} else if env.Version != 0 && env.Version <= s.Version {
		return false
	}
	*s = b.providerDec.Evolve(*s, env)
	return true
}

// providersReport computes the tables of the providers report.
func (b *Builder) providersReport(d *draft) {
	from, to := b.p.From, b.p.To
	first, end := dayNum(from), dayNum(to)+1
	placements := map[domain.ID]int{}
	adults, persons, children, complaints := tally{}, tally{}, tally{}, tally{}
	moveOuts, goals := tally{}, tally{}
	days := map[domain.ID]map[domain.ID][]interval{} // provider -> person -> days
	seen := map[domain.ID]bool{}
	for id, p := range b.providers {
		if p.Exists {
			seen[id] = true
		}
	}
	for _, c := range b.sortedCases() {
		for _, p := range c.Placements {
			if p.MovedInOn.IsZero() || p.MovedInOn.After(to) || (!p.MovedOutOn.IsZero() && p.MovedOutOn.Before(from)) {
				continue
			}
			prov := string(p.ProviderID)
			seen[p.ProviderID] = true
			placements[p.ProviderID]++
			iv := interval{max(dayNum(p.MovedInOn), first), end}
			if !p.MovedOutOn.IsZero() {
				iv.end = min(dayNum(p.MovedOutOn), end)
			}
			if days[p.ProviderID] == nil {
				days[p.ProviderID] = map[domain.ID][]interval{}
			}
			adults.add(c.PersonID, prov)
			persons.add(c.PersonID, prov)
			days[p.ProviderID][c.PersonID] = append(days[p.ProviderID][c.PersonID], iv)
			for _, ch := range p.ChildIDs {
				persons.add(ch, prov)
				children.add(ch, prov)
				days[p.ProviderID][ch] = append(days[p.ProviderID][ch], iv)
			}
			if within(p.MovedOutOn, from, to) {
				moveOuts.add(c.PersonID, prov, string(p.MoveOutReason))
				goals.add(c.PersonID, prov, string(p.GoalAttainment))
			}
			// Complaints at follow-ups of the housing decision in the
			// period (the builder keeps one follow-up per decision,
			// complaint if any of them had one).
			for _, f := range c.FollowUps {
				if f.DecisionID == p.DecisionID && f.Complaint {
					complaints.add(c.PersonID, prov)
				}
			}
		}
	}
	ids := make([]domain.ID, 0, len(seen))
	for id := range seen {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		prov, name := string(id), unregisteredName
		if s := b.providers[id]; s != nil && s.Exists {
			name = s.Name
		}
		row := []string{"provider", prov, "name", name}
		d.addBasis("provider_placements", placements[id], adults.n(prov), row...)
		d.add("provider_persons", persons.n(prov), row...)
		d.add("provider_children", children.n(prov), row...)
		total, who := 0, 0
		for _, ivs := range days[id] {
			if n := union(ivs); n > 0 {
				total += n
				who++
			}
		}
		d.addBasis("provider_days", total, who, row...)
		// A person may move out twice in a period, for two reasons: no
		// total is published, so no relation could make one derivable.
		for _, r := range domain.MoveOutReasons() {
			d.add("provider_move_outs", moveOuts.n(prov, string(r)), append(row, "reason", string(r))...)
		}
		for _, o := range domain.GoalOutcomes() {
			d.add("provider_goal_attainment", goals.n(prov, string(o)), append(row, "outcome", string(o))...)
		}
		d.add("provider_complaints", complaints.n(prov), row...)
		// Open actions count no persons: never suppressed.
		d.addBasis("provider_open_actions", b.openActions(id), 0, row...)
	}
}

// openActions counts the actions agreed at follow-ups on or before the
// period's end and not carried out by then.
func (b *Builder) openActions(id domain.ID) int {
	s := b.providers[id]
	if s == nil {
		return 0
	}
	agreed := map[domain.ID]domain.Date{}
	for _, f := range s.FollowUps {
		agreed[f.FollowUpID] = f.FollowedUpOn
	}
	n := 0
	for _, a := range s.Actions {
		on, ok := agreed[a.FollowUpID]
		if ok && !on.After(b.p.To) && (a.DoneOn.IsZero() || a.DoneOn.After(b.p.To)) {
			n++
		}
	}
	return n
}
