package reports

import (
	"github.com/fristad/fristad/domain"
)

// validIn reports whether a decision is dated in from..to and is still the
// valid one at to (no later decision dated by then replaced it).
func validIn(x domain.Decision, from, to domain.Date) bool {
	if !within(x.Date(), from, to) {
		return false
	}
	return x.ReplacedBy == "" || x.ReplacedOn.After(to)
}

// decisionGroup is the target group a decision counts under: the case's,
// or for a child's own decision the child's (a subjected child is a
// victim, otherwise a witness).
func decisionGroup(c *domain.Case, x domain.DecisionMade) domain.TargetGroup {
	if x.ChildID == "" {
		return c.TargetGroup
	}
	if ch, ok := c.Child(x.ChildID); ok && ch.Relation.Subjected() {
		return domain.ChildVictim
	}
	return domain.ChildWitness
}

// appealOutcomes are the outcome dims of the appeals table (REPORTS.md).
var appealOutcomes = []string{"pending", "reconsidered_changed", "upheld", "changed", "returned", "dismissed"}

// appeals computes the appeals report: appeals received in the period by
// timeliness and latest step, and decisions changed on reconsideration or
// by a court in the period, by support type. Appeals are counted per
// person appealing (a person counts once per cell).
func (b *Builder) appeals(d *draft) {
	from, to := b.p.From, b.p.To
	byStep := tally{}  // in_time, outcome
	changed := tally{} // support_type
	for _, c := range b.sortedCases() {
		for _, a := range c.Appeals {
			orig, ok := c.Decision(a.DecisionID)
			if !ok {
				continue
			}
			p := decisionPerson(c, orig.DecisionMade)
			if within(a.ReceivedOn, from, to) {
				in := "no"
				if a.InTime {
					in = "yes"
				}
				byStep.add(p, in, a.Outcome())
			}
			switch {
			case a.Changed && within(a.ReconsideredOn, from, to):
				changed.add(p, string(orig.SupportType))
			case a.Ruling == domain.RulingChanged && within(a.RuledOn, from, to):
				changed.add(p, string(orig.SupportType))
			}
		}
	}
	for _, in := range []string{"yes", "no"} {
		for _, o := range appealOutcomes {
			d.add("appeals", byStep.n(in, o), "in_time", in, "outcome", o)
		}
	}
	for _, st := range domain.SupportTypes() {
		d.add("decisions_changed", changed.n(string(st)), "support_type", string(st))
	}
}
