package reports

import (
	"slices"

	"github.com/fristad/fristad/domain"
)

// mapping computes the mapping report's tables, in REPORTS.md order.
func (b *Builder) mapping(d *draft) {
	from, to := b.p.From, b.p.To
	cases := b.sortedCases()

	// Persons with an active case, by target group: the person the case is
	// about by the case's group, its children as witnesses and/or victims.
	group := tally{} // group
	bySex := tally{} // group, sex
	byAge := tally{} // group, band
	needs := tally{} // group, need
	forms := tally{} // group, form
	member := func(g domain.TargetGroup, id domain.ID) {
		group.add(id, string(g))
		bySex.add(id, string(g), b.sex(id))
		byAge.add(id, string(g), string(domain.AgeBandFor(b.birthYear(id), to.Year())))
	}
	for _, c := range cases {
		if !active(c, from, to) {
			continue
		}
		member(c.TargetGroup, c.PersonID)
		for _, ch := range c.Children {
			if ch.Relation.Witnessed() {
				member(domain.ChildWitness, ch.PersonID)
			}
			if ch.Relation.Subjected() {
				member(domain.ChildVictim, ch.PersonID)
			}
		}
		for _, n := range c.SpecialNeeds {
			needs.add(c.PersonID, string(c.TargetGroup), string(n))
		}
		for _, v := range c.Violence {
			for _, f := range v.Forms {
				forms.add(c.PersonID, string(c.TargetGroup), string(f))
			}
		}
	}

	// persons, with sex "all" as each group's total.
	totals := map[domain.TargetGroup]int{}
	for _, g := range domain.TargetGroups() {
		var parts []int
		for _, s := range sexes() {
			parts = append(parts, d.add("persons", bySex.n(string(g), s), "target_group", string(g), "sex", s))
		}
		totals[g] = d.add("persons", group.n(string(g)), "target_group", string(g), "sex", all)
		d.relate(totals[g], parts...)
	}
	// persons_by_age: the bands add up to the persons total of the group.
	for _, g := range domain.TargetGroups() {
		var parts []int
		for _, a := range domain.AgeBands() {
			parts = append(parts, d.add("persons_by_age", byAge.n(string(g), string(a)), "target_group", string(g), "age_band", string(a)))
		}
		d.relate(totals[g], parts...)
	}
	for _, g := range domain.TargetGroups() {
		for _, n := range domain.SpecialNeeds() {
			d.add("special_needs", needs.n(string(g), string(n)), "target_group", string(g), "need", string(n))
		}
	}
	for _, g := range domain.TargetGroups() {
		for _, f := range domain.ViolenceForms() {
			d.add("violence_forms", forms.n(string(g), string(f)), "target_group", string(g), "form", string(f))
		}
	}

	// decisions dated in the period (decided_on; valid_from for decisions
	// recorded before decisions had a date), by whom they are for and
	// their target group. A decision changed by a later one dated by the
	// period's end no longer counts: the new one is the valid one.
	dec := tally{}
	for _, c := range cases {
		for _, x := range c.Decisions {
			if !validIn(x, from, to) {
				continue
			}
			p := decisionPerson(c, x.DecisionMade)
			g := string(decisionGroup(c, x.DecisionMade))
			dec.add(p, string(x.SupportType), string(x.Outcome), g, b.sex(p))
			dec.add(p, string(x.SupportType), string(x.Outcome), g, all)
		}
	}
	for _, st := range domain.SupportTypes() {
		for _, o := range domain.DecisionOutcomes() {
			for _, g := range domain.TargetGroups() {
				var parts []int
				for _, s := range sexes() {
					parts = append(parts, d.add("decisions", dec.n(string(st), string(o), string(g), s),
						"support_type", string(st), "outcome", string(o), "target_group", string(g), "sex", s))
				}
				d.relate(d.add("decisions", dec.n(string(st), string(o), string(g), all),
					"support_type", string(st), "outcome", string(o), "target_group", string(g), "sex", all), parts...)
			}
		}
	}

	b.placements(d, cases)
	b.riskInstruments(d, cases)
	b.partnerContacts(d)
	b.reportsOfConcern(d, cases)
	b.deadlines(d, cases)
}

// placements computes placements, placement_days and schooling.
func (b *Builder) placements(d *draft, cases []*domain.Case) {
	from, to := b.p.From, b.p.To
	placed := tally{}                  // sex or "children"
	days := map[domain.ID][]interval{} // person -> days inside the period
	schooled := map[domain.ID]bool{}   // school-age child -> arranged
	first, end := dayNum(from), dayNum(to)+1
	for _, c := range cases {
		for _, p := range c.Placements {
			if p.MovedInOn.IsZero() || p.MovedInOn.After(to) || (!p.MovedOutOn.IsZero() && p.MovedOutOn.Before(from)) {
				continue
			}
			// Days are nights (vårddygn): from move-in up to, not
			// including, move-out; an open placement runs to the period's end.
			iv := interval{max(dayNum(p.MovedInOn), first), end}
			if !p.MovedOutOn.IsZero() {
				iv.end = min(dayNum(p.MovedOutOn), end)
			}
			row := b.sex(c.PersonID)
			if c.TargetGroup.IsChild() {
				row = "children"
			}
			placed.add(c.PersonID, row)
			days[c.PersonID] = append(days[c.PersonID], iv)
			for _, ch := range p.ChildIDs {
				placed.add(ch, "children")
				days[ch] = append(days[ch], iv)
				if y := b.birthYear(ch); y == 0 || to.Year()-y < 6 || to.Year()-y > 17 {
					continue
				}
				arranged := slices.ContainsFunc(p.Schooling, func(s domain.SchoolingArranged) bool {
					return s.ChildID == ch && !s.ArrangedOn.After(to)
				})
				schooled[ch] = schooled[ch] || arranged
			}
		}
	}
	for _, s := range append(sexes(), "children") {
		d.add("placements", placed.n(s), "sex", s)
	}
	total, persons := 0, 0
	for _, ivs := range days {
		if n := union(ivs); n > 0 {
			total += n
			persons++
		}
	}
	d.addBasis("placement_days", total, persons)
	arranged, not := 0, 0
	for _, ok := range schooled {
		if ok {
			arranged++
		} else {
			not++
		}
	}
	d.add("schooling", arranged, "status", "arranged")
	d.add("schooling", not, "status", "not_arranged")
}

// riskInstruments counts investigations opened in the period by the
// instruments their case was assessed with.
func (b *Builder) riskInstruments(d *draft, cases []*domain.Case) {
	by := map[string]int{}
	for _, c := range cases {
		if !within(c.InvestigationOpenedOn, b.p.From, b.p.To) {
			continue
		}
		used := map[domain.Instrument]bool{}
		standardized := false
		for _, r := range c.RiskAssessments {
			used[r.Instrument] = true
			standardized = standardized || r.Instrument.Standardized()
		}
		for i := range used {
			by[string(i)]++
		}
		if standardized {
			by["any_standardized"]++
		}
		if len(c.RiskAssessments) == 0 {
			by["none"]++
		}
	}
	for _, i := range domain.Instruments() {
		d.add("risk_instruments", by[string(i)], "instrument", string(i))
	}
	d.add("risk_instruments", by["any_standardized"], "instrument", "any_standardized")
	d.add("risk_instruments", by["none"], "instrument", "none")
}

// partnerContacts counts partners whose contact was opened in the period,
// each once at the furthest step any of those contacts reached.
func (b *Builder) partnerContacts(d *draft) {
	furthest := map[domain.ID]step{}
	for _, c := range b.contacts {
		if !c.offered || !within(c.offeredOn, b.p.From, b.p.To) {
			continue
		}
		if b.p.Unit != "" {
			if tc, ok := b.cases[c.treatment]; !ok || tc.Unit != b.p.Unit {
				continue
			}
		}
		if s, seen := furthest[c.partner]; !seen || c.furthest > s {
			furthest[c.partner] = c.furthest
		}
	}
	by := map[step]int{}
	for _, s := range furthest {
		by[s]++
	}
	for _, s := range steps {
		d.add("partner_contact", by[s.step], "step", s.code)
	}
}

// interval is a half-open range of day numbers.
type interval struct{ start, end int }

func dayNum(d domain.Date) int { return int(d.Time().Unix() / 86400) }

// union is the number of days the intervals cover together.
func union(ivs []interval) int {
	ivs = slices.Clone(ivs)
	slices.SortFunc(ivs, func(a, b interval) int { return a.start - b.start })
	n, reach := 0, 0
	for i, iv := range ivs {
		if i == 0 || iv.start > reach {
			reach = iv.start
		}
		if iv.end > reach {
			n += iv.end - reach
			reach = iv.end
		}
	}
	return n
}
