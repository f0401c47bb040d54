package reports

import (
	"github.com/fristad/fristad/domain"
)

// followUpRow is one follow-up dated in a period, with whom and what it
// was about.
type followUpRow struct {
	c      *domain.Case
	f      domain.FollowedUp
	d      domain.Decision
	person domain.ID
	index  int // position among the case's follow-ups
}

// followUpsIn lists the follow-ups dated in from..to, in case order.
func (b *Builder) followUpsIn(cases []*domain.Case, from, to domain.Date) []followUpRow {
	var out []followUpRow
	for _, c := range cases {
		for i, f := range c.FollowUps {
			if !within(f.FollowedUpOn, from, to) {
				continue
			}
			dec, ok := c.Decision(f.DecisionID)
			if !ok {
				continue
			}
			out = append(out, followUpRow{c: c, f: f, d: dec, person: decisionPerson(c, dec.DecisionMade), index: i})
		}
	}
	return out
}

// followUp computes the follow-up report: follow_ups, goal_outcomes,
// participation.
func (b *Builder) followUp(d *draft) {
	rows := b.followUpsIn(b.sortedCases(), b.p.From, b.p.To)

	fu := tally{} // support type, sex
	took := map[domain.ID]bool{}
	// Each decision's goals count once, at the latest follow-up in the
	// period (a later date, or the later event on the same date).
	latest := map[domain.ID]followUpRow{}
	for _, r := range rows {
		st, sex := string(r.d.SupportType), b.sex(r.person)
		fu.add(r.person, st, sex)
		fu.add(r.person, st, all)
		took[r.person] = took[r.person] || r.f.Participated
		if l, ok := latest[r.d.DecisionID]; !ok || !r.f.FollowedUpOn.Before(l.f.FollowedUpOn) {
			latest[r.d.DecisionID] = r
		}
	}
	goals := map[dims]int{}
	goalPersons := tally{}
	for _, r := range latest {
		st, sex := string(r.d.SupportType), b.sex(r.person)
		for _, o := range r.f.Outcomes {
			for _, s := range []string{sex, all} {
				goals[key(st, s, string(o))]++
				goalPersons.add(r.person, st, s, string(o))
			}
		}
	}
	part := tally{} // sex, participated
	for p, ok := range took {
		v := "false"
		if ok {
			v = "true"
		}
		part.add(p, b.sex(p), v)
		part.add(p, all, v)
	}

	for _, st := range domain.SupportTypes() {
		var parts []int
		for _, s := range sexes() {
			parts = append(parts, d.add("follow_ups", fu.n(string(st), s), "support_type", string(st), "sex", s))
		}
		d.relate(d.add("follow_ups", fu.n(string(st), all), "support_type", string(st), "sex", all), parts...)
	}
	for _, st := range domain.SupportTypes() {
		parts := map[domain.GoalOutcome][]int{}
		for _, s := range append(sexes(), all) {
			for _, o := range domain.GoalOutcomes() {
				k := key(string(st), s, string(o))
				i := d.addBasis("goal_outcomes", goals[k], len(goalPersons[k]), "support_type", string(st), "sex", s, "outcome", string(o))
				if s == all {
					d.relate(i, parts[o]...)
				} else {
					parts[o] = append(parts[o], i)
				}
			}
		}
	}
	parts := map[string][]int{}
	for _, s := range append(sexes(), all) {
		for _, v := range []string{"true", "false"} {
			i := d.add("participation", part.n(s, v), "sex", s, "participated", v)
			if s == all {
				d.relate(i, parts[v]...)
			} else {
				parts[v] = append(parts[v], i)
			}
		}
	}
}
