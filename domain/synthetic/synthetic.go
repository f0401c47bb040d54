// Package synthetic generates a deterministic synthetic population of
// cases as plans of commands: no I/O, so the same seed always gives the
// same plans, and a plan can be checked against the deciders in memory.
// `fristad seed` runs the plans through the event store.
//
// Proportions follow the national pictures in the source documents: adult
// victims are mostly women, about half of the adult cases have children,
// some lead to protected housing, perpetrator cases can bring a partner
// contact, most granted supports are followed up. The people are invented
// and their personal numbers are valid in form only.
package synthetic

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/fristad/fristad/domain"
	"github.com/oklog/ulid/v2"
)

// Step is one command on one aggregate, as one user would issue it.
type Step struct {
	Kind    domain.Kind
	ID      domain.ID
	Command domain.Command
	At      time.Time // when it is recorded
	Actor   string
	// PersonalNumber is set on a person's registration so the runner can
	// add it to the blind index first.
	PersonalNumber string
}

// Plan is everything that happens in one case, in order.
type Plan struct {
	Index int
	Steps []Step
}

// Units the population is spread over.
var Units = []string{"vuxen-nord", "vuxen-syd", "barn-nord", "barn-syd"}

// Start is the first day cases are received on; cases spread over three
// years from it.
var Start = domain.NewDate(2024, time.January, 1)

// Generate calls fn with the plan of each of n cases. Case i depends only
// on (seed, i), so plans can be generated and run in any order.
func Generate(seed uint64, n int, fn func(Plan) error) error {
	for i := 0; i < n; i++ {
		if err := fn(PlanFor(seed, i)); err != nil {
			return err
		}
	}
	return nil
}

// PlanFor is the plan of case i of a population.
func PlanFor(seed uint64, i int) Plan {
	g := &gen{rng: rand.New(rand.NewPCG(seed, uint64(i))), plan: Plan{Index: i}} // #nosec G115 G404 -- deterministic synthetic data: a seeded generator is the point; i is a non-negative case index
	g.day = Start.AddDays(g.rng.IntN(3 * 365))
	switch r := g.rng.Float64(); {
	case r < 0.68:
		g.adultVictimCase()
	case r < 0.85:
		g.perpetratorCase()
	default:
		g.childCase()
	}
	return g.plan
}

type gen struct {
	rng    *rand.Rand
	plan   Plan
	day    domain.Date
	minute int
	actor  string
	placed bool // a placement is open: the case cannot close
}

// --- helpers ---------------------------------------------------------------

func (g *gen) id() domain.ID {
	// ULIDs from the plan's own random source and time: deterministic.
	ms := ulid.Timestamp(g.day.Time().Add(time.Duration(g.minute) * time.Minute))
	return domain.ID(ulid.MustNew(ms, entropy{g.rng}).String())
}

// entropy feeds ULIDs from the plan's random source.
type entropy struct{ r *rand.Rand }

func (e entropy) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(e.r.Uint32()) // #nosec G115 -- a byte of random entropy: truncation intended
	}
	return len(p), nil
}

func (g *gen) later(minDays, maxDays int) {
	g.day = g.day.AddDays(minDays + g.rng.IntN(maxDays-minDays+1))
}

func (g *gen) add(kind domain.Kind, id domain.ID, cmd domain.Command) {
	g.minute++
	at := g.day.Time().Add(8*time.Hour + time.Duration(g.minute)*time.Minute)
	g.plan.Steps = append(g.plan.Steps, Step{Kind: kind, ID: id, Command: cmd, At: at, Actor: g.actor})
}

// cross adds the step that carries the previous one across a partner
// contact's barrier to the other side's record, at the same minute: it
// takes nothing from the random source or the clock, so the population
// of a seed is what it was before the contact had two records.
func (g *gen) cross(kind domain.Kind, id domain.ID, cmd domain.Command) {
	last := g.plan.Steps[len(g.plan.Steps)-1]
	g.plan.Steps = append(g.plan.Steps, Step{Kind: kind, ID: id, Command: cmd, At: last.At, Actor: last.Actor})
}

func pick[T any](g *gen, xs ...T) T { return xs[g.rng.IntN(len(xs))] }

func (g *gen) chance(p float64) bool { return g.rng.Float64() < p }

var firstNames = map[domain.Sex][]string{
	domain.SexFemale:  {"Anna", "Maria", "Sara", "Fatima", "Elin", "Amina", "Johanna", "Leila", "Karin", "Noor"},
	domain.SexMale:    {"Erik", "Ahmed", "Johan", "Mikael", "Ali", "Anders", "Omar", "Lars", "Daniel", "Hassan"},
	domain.SexOther:   {"Kim", "Alex", "Robin", "Sam"},
	domain.SexUnknown: {"Kim", "Alex"},
}

var lastNames = []string{"Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson", "Persson", "Hassan", "Ali", "Svensson", "Gustafsson"}

// person registers an invented person and returns their id.
func (g *gen) person(sex domain.Sex, birthYear int) domain.ID {
	id := g.id()
	month := 1 + g.rng.IntN(12)
	day := 1 + g.rng.IntN(28)
	pnr := personalNumber(birthYear, month, day, g.rng.IntN(1000))
	details := domain.PersonDetails{
		Sex: sex, BirthYear: birthYear,
		Name:           pick(g, firstNames[sex]...) + " " + pick(g, lastNames...),
		PersonalNumber: pnr,
		Phone:          fmt.Sprintf("070-%03d %02d %02d", g.rng.IntN(1000), g.rng.IntN(100), g.rng.IntN(100)),
		Address:        fmt.Sprintf("%s %d, %03d %02d Staden", pick(g, "Storgatan", "Skolvägen", "Kyrkvägen", "Parkgatan"), 1+g.rng.IntN(80), 100+g.rng.IntN(900), g.rng.IntN(100)),
	}
	g.add(domain.KindPerson, id, domain.RegisterPerson{PersonDetails: details, Today: g.day})
	g.plan.Steps[len(g.plan.Steps)-1].PersonalNumber = pnr
	return id
}

// personalNumber is a valid-in-form personnummer YYYYMMDDNNNC.
func personalNumber(year, month, day, serial int) string {
	base := fmt.Sprintf("%04d%02d%02d%03d", year, month, day, serial)
	ten := base[2:]
	sum := 0
	for i, r := range ten {
		d := int(r - '0')
		if i%2 == 0 {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return base + fmt.Sprint((10-sum%10)%10)
}

func (g *gen) adultSex(victim bool) domain.Sex {
	r := g.rng.Float64()
	switch {
	case r < 0.02:
		return domain.SexUnknown
	case r < 0.03:
		return domain.SexOther
	case (r < 0.86) == victim:
		return domain.SexFemale
	default:
		return domain.SexMale
	}
}

func (g *gen) adultBirthYear() int {
	switch r := g.rng.Float64(); {
	case r < 0.12:
		return 1999 + g.rng.IntN(7) // 18-24
	case r < 0.92:
		return 1962 + g.rng.IntN(37) // 25-64
	default:
		return 1935 + g.rng.IntN(27) // 65+
	}
}

func (g *gen) worker(unit string) string {
	return fmt.Sprintf("hl-%s-%02d", unit, 1+g.rng.IntN(20))
}

func (g *gen) needs(sex domain.Sex, birthYear int) []domain.SpecialNeed {
	var out []domain.SpecialNeed
	for _, n := range []struct {
		need domain.SpecialNeed
		p    float64
	}{{domain.NeedDisability, 0.08}, {domain.NeedSubstanceAbuse, 0.10}, {domain.NeedForeignBackground, 0.25},
		{domain.NeedHonourRelated, 0.05}, {domain.NeedLGBTQ, 0.02}, {domain.NeedHasPet, 0.06}} {
		if g.chance(n.p) {
			out = append(out, n.need)
		}
	}
	if 2026-birthYear >= 65 {
		out = append(out, domain.NeedElderly)
	}
	return out
}
