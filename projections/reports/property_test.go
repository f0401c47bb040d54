package reports

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/fristad/fristad/domain"
	"github.com/fristad/fristad/eventstore"
)

// randomPopulation is a small random population of persons, cases and
// partner contacts around 2025-2026, as envelopes.
func randomPopulation(r *rand.Rand) []*eventstore.Envelope {
	s := newStream()
	pick := func(n int) int { return r.IntN(n) }
	date := func() domain.Date { return day("2025-01-01").AddDays(pick(730)) }
	when := func(d domain.Date) time.Time { return d.Time().Add(9 * time.Hour) }
	sexes := domain.Sexes()

	nPersons := 4 + pick(30)
	persons := make([]domain.ID, nPersons)
	for i := range persons {
		persons[i] = domain.ID(fmt.Sprintf("P%02d", i))
		born := 1940 + pick(86)
		if pick(10) == 0 {
			born = 0
		}
		// Most are women or men; a few other or unknown.
		sex := sexes[pick(2)]
		if pick(8) == 0 {
			sex = sexes[pick(4)]
		}
		s.person(on("2024-12-01"), persons[i], sex, born)
		if pick(10) == 0 {
			s.at(on("2024-12-02"), domain.KindPerson, persons[i], domain.PersonDetailsChanged{Sex: sexes[pick(4)], BirthYear: born})
		}
	}
	person := func() domain.ID { return persons[pick(nPersons)] }
	groups, forms, needs := domain.TargetGroups(), domain.ViolenceForms(), domain.SpecialNeeds()
	supports, outcomes, goals := domain.SupportTypes(), domain.DecisionOutcomes(), domain.GoalOutcomes()
	instruments := domain.Instruments()
	units := []string{"vuxen", "barn"}

	nCases := 2 + pick(25)
	var caseIDs []domain.ID
	for c := range nCases {
		id := domain.ID(fmt.Sprintf("K%02d", c))
		caseIDs = append(caseIDs, id)
		subject := person()
		received := date()
		var sn []domain.SpecialNeed
		for _, n := range needs {
			if pick(6) == 0 {
				sn = append(sn, n)
			}
		}
		opened := s.kase(when(received), id, domain.CaseOpened{Unit: units[pick(2)], TargetGroup: groups[pick(4)], Source: domain.SourceReport,
			ReceivedOn: received, PersonID: subject, Assignee: "anna", SpecialNeeds: sn})
		var children []domain.ID
		for range pick(3) {
			ch := person()
			if ch == subject {
				continue
			}
			children = append(children, ch)
			s.kase(when(received), id, domain.ChildAdded{ChildID: ch, Relation: domain.ChildRelations()[pick(3)]})
		}
		for range pick(3) {
			var fs []domain.ViolenceForm
			for _, f := range forms {
				if pick(4) == 0 {
					fs = append(fs, f)
				}
			}
			s.kase(when(received), id, domain.ViolenceDocumented{Forms: fs, Relation: domain.RelPartner})
		}
		if pick(2) == 0 {
			d := received.AddDays(pick(20))
			s.kase(when(d), id, domain.InvestigationOpened{OpenedOn: d})
			for range pick(3) {
				s.kase(when(d), id, domain.RiskAssessed{Instrument: instruments[pick(len(instruments))], Level: domain.RiskLow, Concerns: domain.ConcernAdult, AssessedOn: d})
			}
		}
		var decisions []domain.ID
		var decisionEvents []domain.ID
		for i := range pick(4) {
			dec := domain.ID(fmt.Sprintf("%s-D%d", id, i))
			var child domain.ID
			if len(children) > 0 && pick(3) == 0 {
				child = children[pick(len(children))]
			}
			o := outcomes[pick(3)]
			from := received.AddDays(pick(200))
			decisionEvents = append(decisionEvents, s.kase(when(from), id, domain.DecisionMade{DecisionID: dec, SupportType: supports[pick(len(supports))],
				Outcome: o, GoalCount: 1 + pick(3), ValidFrom: from, ChildID: child}))
			decisions = append(decisions, dec)
			for range pick(3) {
				var os []domain.GoalOutcome
				for range 1 + pick(3) {
					os = append(os, goals[pick(3)])
				}
				d := from.AddDays(pick(300))
				s.kase(when(d), id, domain.FollowedUp{DecisionID: dec, FollowedUpOn: d, Participated: pick(2) == 0, Outcomes: os})
			}
		}
		if len(decisions) > 0 && pick(2) == 0 {
			pl := domain.ID(fmt.Sprintf("%s-PL", id))
			in := received.AddDays(pick(100))
			var with []domain.ID
			for _, ch := range children {
				if pick(2) == 0 {
					with = append(with, ch)
				}
			}
			s.kase(when(in), id, domain.PlacementStarted{PlacementID: pl, DecisionID: decisions[0], ProviderID: "SH", MovedInOn: in, ChildIDs: with})
			for _, ch := range with {
				if pick(2) == 0 {
					s.kase(when(in), id, domain.SchoolingArranged{PlacementID: pl, ChildID: ch, ArrangedOn: in.AddDays(pick(30)), SchoolKind: domain.SchoolSame})
				}
			}
			if pick(2) == 0 {
				out := in.AddDays(pick(200))
				s.kase(when(out), id, domain.MovedOut{PlacementID: pl, MovedOutOn: out, Reason: domain.MoveOutOther, GoalAttainment: domain.GoalPartly})
			}
		}
		// Corrections of the group or of a decision's outcome.
		if pick(4) == 0 {
			s.correct(when(received.AddDays(1)), id, opened, "case.opened", fmt.Sprintf(`{"target_group":%q}`, groups[pick(4)]))
		}
		if len(decisionEvents) > 0 && pick(4) == 0 {
			s.correct(when(received.AddDays(2)), id, decisionEvents[0], "case.decision_made", fmt.Sprintf(`{"outcome":%q}`, outcomes[pick(3)]))
		}
		if pick(3) == 0 {
			closed := received.AddDays(pick(400))
			s.kase(when(closed), id, domain.CaseClosed{ClosedOn: closed, GoalAttainment: domain.GoalFully})
			if pick(3) == 0 {
				s.kase(when(closed.AddDays(10)), id, domain.CaseReopened{ReopenedOn: closed.AddDays(10)})
			}
		}
	}
	for i := range pick(5) {
		id := domain.ID(fmt.Sprintf("PC%d", i))
		s.contact(when(date()), id, domain.PartnerContactOffered{TreatmentCaseID: caseIDs[pick(len(caseIDs))], PartnerID: person()})
		if pick(3) > 0 {
			st := []domain.ConsentStatus{domain.ConsentGiven, domain.ConsentRefused}[pick(2)]
			s.contact(on("2026-06-01"), id, domain.ConsentRecorded{Status: st, SignedOn: day("2026-06-01")})
			if st == domain.ConsentGiven && pick(2) == 0 {
				s.contact(on("2026-06-02"), id, domain.PartnerApproached{Channel: domain.ChannelSMS, Outcome: domain.ApproachReached, On: day("2026-06-02")})
				if pick(2) == 0 {
					s.contact(on("2026-06-03"), id, domain.PartnerResponded{Accepted: pick(2) == 0})
				}
			}
		}
		if pick(5) == 0 {
			s.contact(on("2026-07-01"), id, domain.NewViolenceReported{ReportedOn: day("2026-07-01")})
		}
	}
	return s.envs
}

// TestSuppressionProperties: over random small populations, for every
// report and several k, (1) shown cells carry their true values, (2) every
// person count from 1 to k-1 is suppressed, (3) every relation the report
// relies on holds for the true values, (4) no relation has exactly one
// suppressed member while the rest are shown, and (5) no suppressed value
// is determined by the shown values through the relations taken together
// (linear algebra, so combinations of relations count too).
func TestSuppressionProperties(t *testing.T) {
	notPersons := map[string]bool{"goal_outcomes": true, "placement_days": true, "provider_placements": true, "provider_days": true, "provider_open_actions": true}
	primary, secondary := 0, 0
	for iter := range 200 {
		r := rand.New(rand.NewPCG(uint64(iter), 2026))
		envs := randomPopulation(r)
		for _, kind := range Kinds() {
			for _, k := range []int{2, 3, 5} {
				p := Params{Report: kind, From: day("2026-01-01"), To: day("2026-12-31"), Year: 2026, MinCell: k}
				if iter%3 == 1 {
					p.From = day("2025-07-01")
				}
				if iter%5 == 2 {
					p.Unit = "vuxen"
				}
				name := fmt.Sprintf("iter %d %s k=%d", iter, kind, k)
				truth := build(t, withK(p, 1), envs)
				d := truth.compute()
				rep := build(t, p, envs).Report()
				if len(rep.Cells) != len(d.cells) {
					t.Fatalf("%s: %d cells, truth %d", name, len(rep.Cells), len(d.cells))
				}
				sup := make([]bool, len(rep.Cells))
				for i, c := range rep.Cells {
					tc := d.cells[i]
					sup[i] = c.Suppressed
					// The indicators' answers depend on k; the rest must match.
					if c.Table != tc.table || dimString(withoutAnswer(c.Dims)) != dimString(withoutAnswer(tc.dims)) {
						t.Fatalf("%s: cell %d is %s, truth %s|%s", name, i, cellKey(c), tc.table, dimString(tc.dims))
					}
					if c.Suppressed != (c.Value == nil) {
						t.Fatalf("%s: %s suppressed=%v with value %v", name, cellKey(c), c.Suppressed, c.Value)
					}
					if c.Value != nil && *c.Value != tc.value {
						t.Errorf("%s: %s shows %d, truth %d", name, cellKey(c), *c.Value, tc.value)
					}
					if !notPersons[c.Table] && tc.basis == tc.value && tc.value >= 1 && tc.value < k && !c.Suppressed {
						t.Errorf("%s: %s = %d shown with k=%d", name, cellKey(c), tc.value, k)
					}
					if c.Suppressed {
						if tc.basis >= 1 && tc.basis < k {
							primary++
						} else {
							secondary++
						}
					}
					if tc.basis >= 1 && tc.basis < k && !c.Suppressed {
						t.Errorf("%s: %s rests on %d persons, shown", name, cellKey(c), tc.basis)
					}
				}
				for _, rel := range d.rels {
					sum := 0
					for _, p := range rel.Parts {
						sum += d.cells[p].value
					}
					if sum != d.cells[rel.Total].value {
						t.Errorf("%s: relation %s = sum of %d parts does not hold: %d != %d", name, cellKey(rep.Cells[rel.Total]), len(rel.Parts), d.cells[rel.Total].value, sum)
					}
					if hidden(sup, rel) == 1 {
						t.Errorf("%s: %s and its parts have exactly one suppressed member", name, cellKey(rep.Cells[rel.Total]))
					}
				}
				for _, i := range determined(d.rels, sup) {
					t.Errorf("%s: %s (true %d) can be computed from shown cells", name, cellKey(rep.Cells[i]), d.cells[i].value)
				}
				for _, der := range d.ders {
					for _, s := range der.Sources {
						if sup[s] && !sup[der.Cell] {
							t.Errorf("%s: %s shown though its source %s is suppressed", name, cellKey(rep.Cells[der.Cell]), cellKey(rep.Cells[s]))
						}
					}
				}
			}
		}
	}
	// The populations must be big enough to exercise both kinds.
	t.Logf("suppressed cells: %d primary, %d secondary", primary, secondary)
	if primary < 1000 || secondary < 100 {
		t.Errorf("too little suppression exercised: %d primary, %d secondary", primary, secondary)
	}
}

func withoutAnswer(dims map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range dims {
		if k != "answer" {
			out[k] = v
		}
	}
	return out
}

func withK(p Params, k int) Params { p.MinCell = k; return p }

// determined lists the suppressed cells whose value follows from the shown
// cells and the relations: writing each relation as an equation in the
// suppressed cells (shown cells are constants), a cell is determined when
// its unit vector lies in the row space of the equations.
func determined(rels []relation, sup []bool) []int {
	col := map[int]int{}
	var cells []int
	for i, s := range sup {
		if s {
			col[i] = len(cells)
			cells = append(cells, i)
		}
	}
	var rows [][]float64
	for _, r := range rels {
		row := make([]float64, len(cells))
		any := false
		if c, ok := col[r.Total]; ok {
			row[c] += 1
			any = true
		}
		for _, p := range r.Parts {
			if c, ok := col[p]; ok {
				row[c] -= 1
				any = true
			}
		}
		if any {
			rows = append(rows, row)
		}
	}
	basis := echelon(rows)
	var out []int
	for j, cell := range cells {
		e := make([]float64, len(cells))
		e[j] = 1
		if inSpan(basis, e) {
			out = append(out, cell)
		}
	}
	return out
}

const eps = 1e-9

// echelon reduces rows to a basis in reduced row echelon form, each row
// with its pivot column.
func echelon(rows [][]float64) []pivotRow {
	var basis []pivotRow
	for _, row := range rows {
		v := reduce(basis, row)
		p := -1
		for j, x := range v {
			if math.Abs(x) > eps {
				p = j
				break
			}
		}
		if p < 0 {
			continue
		}
		scale := v[p]
		for j := range v {
			v[j] /= scale
		}
		for i := range basis {
			if f := basis[i].v[p]; math.Abs(f) > eps {
				for j := range v {
					basis[i].v[j] -= f * v[j]
				}
			}
		}
		basis = append(basis, pivotRow{p, v})
	}
	return basis
}

type pivotRow struct {
	pivot int
	v     []float64
}

func reduce(basis []pivotRow, row []float64) []float64 {
	v := append([]float64(nil), row...)
	for _, b := range basis {
		if f := v[b.pivot]; math.Abs(f) > eps {
			for j := range v {
				v[j] -= f * b.v[j]
			}
		}
	}
	return v
}

func inSpan(basis []pivotRow, e []float64) bool {
	for _, x := range reduce(basis, e) {
		if math.Abs(x) > eps {
			return false
		}
	}
	return true
}

// The linear check itself: a total with one hidden part determines it.
func TestDeterminedFindsRecoverableCells(t *testing.T) {
	rels := []relation{{3, []int{0, 1, 2}}}
	if got := determined(rels, []bool{false, true, false, false}); len(got) != 1 || got[0] != 1 {
		t.Errorf("one hidden part: %v", got)
	}
	if got := determined(rels, []bool{true, true, false, false}); len(got) != 0 {
		t.Errorf("two hidden parts: %v", got)
	}
	// Two totals over the same parts, both hidden with two parts: the
	// totals are equal but each unknown; no single cell follows...
	rels = []relation{{3, []int{0, 1, 2}}, {4, []int{0, 1, 2}}}
	if got := determined(rels, []bool{true, true, false, true, true}); len(got) != 0 {
		t.Errorf("two totals: %v", got)
	}
	// ...unless one of them is shown.
	if got := determined(rels, []bool{true, true, false, true, false}); len(got) != 1 || got[0] != 3 {
		t.Errorf("one total shown: %v", got)
	}
}
