package reports

import (
	"strconv"

	"github.com/fristad/fristad/domain"
)

// Answers in the indicators report's "answer" dim.
const (
	answerYes    = "yes"
	answerNo     = "no"
	answerTooFew = "too_few"
)

// indicators computes the draft answers for one year (From..To), each
// with the figures behind it. See the package documentation for the
// tables.
func (b *Builder) indicators(d *draft) {
	from, to := b.p.From, b.p.To
	k := b.p.MinCell
	cases := b.sortedCases()
	yesNo := func(n int) string {
		if n > 0 {
			return answerYes
		}
		return answerNo
	}
	groupAnswer := func(n int) string {
		switch {
		case n == 0:
			return answerNo
		case n < k:
			return answerTooFew
		}
		return answerYes
	}

	// V3: adult victims granted protected housing by a decision in the year.
	v3 := tally{}
	for _, c := range cases {
		if c.TargetGroup != domain.AdultVictim {
			continue
		}
		for _, x := range c.Decisions {
			if x.ChildID == "" && x.SupportType == domain.SupportProtectedHousing && x.Outcome.Granted() && validIn(x, from, to) {
				v3.add(c.PersonID, b.sex(c.PersonID))
			}
		}
	}
	for _, s := range []domain.Sex{domain.SexFemale, domain.SexMale} {
		n := v3.n(string(s))
		d.add("V3", n, "sex", string(s), "answer", yesNo(n))
	}

	// V7, V7a: adult victims whose own support was followed up in the year.
	followed := tally{}
	for _, r := range b.followUpsIn(cases, from, to) {
		if r.c.TargetGroup != domain.AdultVictim || r.d.ChildID != "" {
			continue
		}
		followed.add(r.person, b.sex(r.person))
		followed.add(r.person, all)
	}
	nAll := followed.n(all)
	v7 := d.add("V7", nAll, "answer", groupAnswer(nAll))
	var parts []int
	split := answerNo
	if nAll > 0 {
		split = answerYes
	}
	for _, s := range sexes() {
		n := followed.n(s)
		parts = append(parts, d.add("V7a", n, "sex", s, "answer", groupAnswer(n)))
		if (s == string(domain.SexFemale) || s == string(domain.SexMale)) && n > 0 && n < k {
			split = answerTooFew
		}
	}
	v7a := d.add("V7a", nAll, "sex", all, "answer", split)
	d.relate(v7a, parts...)
	d.relate(v7, parts...)
	d.relate(v7, v7a)

	// G20: adult victims with a case active in the 24 months ending with
	// the year.
	g20 := tally{}
	window := to.AddYears(-2).AddDays(1)
	for _, c := range cases {
		if c.TargetGroup == domain.AdultVictim && active(c, window, to) {
			g20.add(c.PersonID, all)
		}
	}
	n := g20.n(all)
	d.add("G20", n, "answer", yesNo(n))

	// V1: adult-victim investigations opened in the year with at least one
	// standardized assessment instrument.
	inv, std := 0, 0
	for _, c := range cases {
		if c.TargetGroup != domain.AdultVictim || !within(c.InvestigationOpenedOn, from, to) {
			continue
		}
		inv++
		for _, r := range c.RiskAssessments {
			if r.Instrument.Standardized() {
				std++
				break
			}
		}
	}
	perMille := 0
	if inv > 0 {
		perMille = (std*1000*2 + inv) / (2 * inv) // rounded half up
	}
	a := yesNo(std)
	den := d.add("V1", inv, "measure", "investigations", "answer", a)
	num := d.add("V1", std, "measure", "with_standardized", "answer", a)
	share := d.addBasis("V1", perMille, 0, "measure", "per_mille", "answer", a)
	d.ders = append(d.ders, derivation{Cell: share, Sources: []int{num, den}})

	b.appealIndicators(d, cases)
}

// appealIndicators are V2 and the share of decisions changed after appeal,
// each naming the survey year that asks about the report's year (the
// national survey is answered early in the following year).
func (b *Builder) appealIndicators(d *draft, cases []*domain.Case) {
	from, to := b.p.From, b.p.To
	survey := strconv.Itoa(to.Year() + 1)

	// V2: persons who used violence granted support talks or treatment by
	// a decision in the year, to women and to men.
	v2 := tally{}
	for _, c := range cases {
		if c.TargetGroup != domain.Perpetrator {
			continue
		}
		for _, x := range c.Decisions {
			if x.ChildID == "" && (x.SupportType == domain.SupportTalks || x.SupportType == domain.SupportPerpetratorTreatment) &&
				x.Outcome.Granted() && validIn(x, from, to) {
				v2.add(c.PersonID, b.sex(c.PersonID))
			}
		}
	}
	for _, s := range []domain.Sex{domain.SexFemale, domain.SexMale} {
		n := v2.n(string(s))
		answer := answerNo
		if n > 0 {
			answer = answerYes
		}
		d.add("V2", n, "sex", string(s), "answer", answer, "survey_year", survey)
	}

	// Decisions changed after appeal: of the decisions whose appeal was
	// finally examined in the year (reconsidered with a change, or ruled),
	// the share changed on reconsideration or by the court, per mille.
	examined, changed := 0, 0
	for _, c := range cases {
		for _, a := range c.Appeals {
			switch {
			case a.Changed && within(a.ReconsideredOn, from, to):
				examined++
				changed++
			case a.Ruling != "" && within(a.RuledOn, from, to):
				examined++
				if a.Ruling == domain.RulingChanged {
					changed++
				}
			}
		}
	}
	perMille := 0
	if examined > 0 {
		perMille = (changed*1000*2 + examined) / (2 * examined)
	}
	den := d.add("decisions_changed_after_appeal", examined, "measure", "appeals_examined", "survey_year", survey)
	num := d.add("decisions_changed_after_appeal", changed, "measure", "changed", "survey_year", survey)
	share := d.addBasis("decisions_changed_after_appeal", perMille, 0, "measure", "per_mille", "survey_year", survey)
	d.ders = append(d.ders, derivation{Cell: share, Sources: []int{num, den}})
}
