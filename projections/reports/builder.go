package reports

import (
	"maps"
	"slices"
	"time"

	"github.com/fristad/fristad/domain"
	"github.com/fristad/fristad/eventstore"
)

// Report is one computed report: what it was computed for, and its cells.
type Report struct {
	Meta  Meta   `json:"meta"`
	Cells []Cell `json:"cells"`
}

// Meta says what a report was computed for (REPORTS.md, "JSON shape").
type Meta struct {
	Report Kind    `json:"report"`
	From   string  `json:"from"`
	To     string  `json:"to"`
	Unit   *string `json:"unit"` // null: all units
	// AsOf is the instant the report reflects: the as_of asked for, or else
	// the recording time of the last event applied ("" when there was none).
	// Asking again with this as_of gives the same figures.
	AsOf        string `json:"as_of"`
	AsOfSeq     uint64 `json:"as_of_seq"` // stream sequence of the last event applied
	MinCell     int    `json:"min_cell"`
	GeneratedAt string `json:"generated_at"`
}

// Cell is one figure: a table id, its dimensions and a value, null when
// suppressed.
type Cell struct {
	Table      string            `json:"table"`
	Dims       map[string]string `json:"dims"`
	Value      *int              `json:"value"`
	Suppressed bool              `json:"suppressed"`
}

// Builder folds event envelopes into the state a report needs and
// computes the report from it. It reads facts only, never sealed personal
// data, so a report comes out the same after every data key is destroyed.
// A Builder is not safe for concurrent use.
//
// Its memory is bounded by persons and what they were granted (cases,
// children, decisions, placements), not by events: a case is folded with
// the case decider and then compacted to what reports count (follow-ups
// in the period, one per decision; one risk assessment per instrument; the
// forms of violence), and the case's log of facts is dropped. A correction
// needs that log, so a corrected case is set aside and, once every event
// has been applied, refolded from its whole history (Finish).
type Builder struct {
	p         Params
	caseDec   domain.Decider[domain.Case]
	personDec domain.Decider[domain.Person]
	cases     map[domain.ID]*domain.Case // pointers: a case is folded in place, not copied in and out per event
	persons   map[domain.ID]domain.Person
	contacts  map[domain.ID]*contact
	units     map[string]struct{}
	corrected map[domain.ID]bool // cases Finish must refold
	// The registry of providers, for the providers report.
	providerDec domain.Decider[domain.Provider]
	providers   map[domain.ID]*domain.Provider
	lastSeq     uint64
	lastAt      time.Time
}

// contact is what the partner_contact table needs of a partner contact.
type contact struct {
	version        uint64 // of the treatment side's record (or an old single one)
	partnerVersion uint64 // of the partner side's record
	offered        bool
	treatment      domain.ID
	partner        domain.ID
	offeredOn      domain.Date
	furthest       step
}

// NewBuilder validates the parameters and returns an empty builder.
func NewBuilder(p Params) (*Builder, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	return &Builder{
		p:         p.normalized(),
		caseDec:   domain.CaseDecider(),
		personDec: domain.PersonDecider(),
		cases:     map[domain.ID]*domain.Case{},
		persons:   map[domain.ID]domain.Person{},
		contacts:  map[domain.ID]*contact{},
		units:     map[string]struct{}{},
		corrected: map[domain.ID]bool{},

		providerDec: domain.ProviderDecider(),
		providers:   map[domain.ID]*domain.Provider{},
	}, nil
}

// Params returns the parameters the builder works with (for indicators,
// From and To set from Year).
func (b *Builder) Params() Params { return b.p }

// Apply folds one event, in stream order. Events recorded after AsOf are
// skipped, and so is an event an aggregate has already applied (a version
// not above its current one), so a replayed tail does no harm.
func (b *Builder) Apply(env *eventstore.Envelope) {
	if env == nil || env.Facts == nil {
		return
	}
	if !b.p.AsOf.IsZero() && env.RecordedAt.After(b.p.AsOf) {
		return
	}
	id := env.AggregateID
	if ignored[env.Type] {
		return
	}
	switch env.Aggregate {
	case domain.KindCase:
		if _, ok := env.Facts.(domain.Corrected); ok {
			b.corrected[id] = true
		}
		if !b.corrected[id] {
			s := b.cases[id]
			if s == nil {
				initial := b.caseDec.Initial(id)
				s = &initial
				b.cases[id] = s
			} else if env.Version != 0 && env.Version <= s.Version {
				return
			}
			*s = b.compact(b.caseDec.Evolve(*s, env.Recorded()), env.Facts)
			if s.Unit != "" {
				b.units[s.Unit] = struct{}{}
			}
		}
	case domain.KindPerson:
		s, ok := b.persons[id]
		if !ok {
			s = b.personDec.Initial(id)
		} else if env.Version != 0 && env.Version <= s.Version {
			return
		}
		b.persons[id] = b.personDec.Evolve(s, env.Recorded())
	case domain.KindPartnerContact, domain.KindPartnerSide:
		// Both records of a contact share its id, each with its own
		// versions.
		c := b.contacts[id]
		if c == nil {
			c = &contact{}
			b.contacts[id] = c
		}
		seen := &c.version
		if env.Aggregate == domain.KindPartnerSide {
			seen = &c.partnerVersion
		}
		if env.Version != 0 && env.Version <= *seen {
			return
		}
		*seen = env.Version
		c.apply(env)
	case domain.KindProvider:
		if !b.applyProvider(env.Recorded(), id) {
			return
		}
	default:
		return
	}
	if env.Seq > b.lastSeq {
		b.lastSeq = env.Seq
	}
	if env.RecordedAt.After(b.lastAt) {
		b.lastAt = env.RecordedAt
	}
}

// Pending lists, sorted, the corrected cases Finish must refold.
func (b *Builder) Pending() []domain.ID {
	return slices.Sorted(maps.Keys(b.corrected))
}

// Finish refolds every corrected case from its history, as history
// returns it (the case's events in order; events after the last one
// applied, recorded after AsOf or of no report's concern are left out
// here), and must be called before Report when Pending is not empty.
// Corrections are rare, so this is a load per corrected case.
func (b *Builder) Finish(history func(id domain.ID) ([]*eventstore.Envelope, error)) error {
	for _, id := range b.Pending() {
		envs, err := history(id)
		if err != nil {
			return err
		}
		s := b.caseDec.Initial(id)
		for _, env := range envs {
			if env.Aggregate != domain.KindCase || env.AggregateID != id || env.Facts == nil || ignored[env.Type] ||
				env.Seq > b.lastSeq || (!b.p.AsOf.IsZero() && env.RecordedAt.After(b.p.AsOf)) ||
				(env.Version != 0 && env.Version <= s.Version) {
				continue
			}
			s = b.caseDec.Evolve(s, env.Recorded())
		}
		s = b.compact(s, nil)
		b.cases[id] = &s
		if s.Unit != "" {
			b.units[s.Unit] = struct{}{}
		}
		delete(b.corrected, id)
	}
	return nil
}

// compact keeps of a case what the reports count and drops its log of
// facts. ev is the event just folded: only the list it added to can have
// grown. With nil (a whole history refolded) every list is compacted.
func (b *Builder) compact(s domain.Case, ev domain.Facts) domain.Case {
	_, followUp := ev.(domain.FollowedUp)
	_, risk := ev.(domain.RiskAssessed)
	_, violence := ev.(domain.ViolenceDocumented)
	all := ev == nil
	if all || followUp {
		s.FollowUps = followUpsInPeriod(s.FollowUps, b.p.From, b.p.To)
	}
	if all || risk {
		s.RiskAssessments = onePerInstrument(s.RiskAssessments)
	}
	if all || violence {
		s.Violence = formsOnly(s.Violence)
	}
	return s.ForgetLog()
}

// followUpsInPeriod keeps the follow-ups dated in from..to, one per
// decision: the latest (a later date, or the later event on the same
// date), marked as participated if the person took part in any of them,
// and with a complaint if any of them had one.
// That is all the follow-up tables read.
func followUpsInPeriod(fs []domain.FollowedUp, from, to domain.Date) []domain.FollowedUp {
	out := fs[:0]
	for _, f := range fs {
		if !within(f.FollowedUpOn, from, to) {
			continue
		}
		i := slices.IndexFunc(out, func(o domain.FollowedUp) bool { return o.DecisionID == f.DecisionID })
		if i < 0 {
			out = append(out, f)
			continue
		}
		took := out[i].Participated || f.Participated
		complaint := out[i].Complaint || f.Complaint
		if !f.FollowedUpOn.Before(out[i].FollowedUpOn) {
			out[i] = f
		}
		out[i].Participated, out[i].Complaint = took, complaint
	}
	clear(fs[len(out):]) // drop the references the removed ones held
	return out
}

// onePerInstrument keeps the first risk assessment by each instrument:
// the reports ask only which instruments a case was assessed with.
func onePerInstrument(rs []domain.RiskAssessed) []domain.RiskAssessed {
	out := rs[:0]
	for _, r := range rs {
		if !slices.ContainsFunc(out, func(o domain.RiskAssessed) bool { return o.Instrument == r.Instrument }) {
			out = append(out, r)
		}
	}
	clear(rs[len(out):])
	return out
}

// formsOnly merges the violence documented into one entry holding every
// form, in the order first documented: the reports count forms only.
func formsOnly(vs []domain.ViolenceDocumented) []domain.ViolenceDocumented {
	if len(vs) == 0 {
		return vs
	}
	var forms []domain.ViolenceForm
	for _, v := range vs {
		for _, f := range v.Forms {
			if !slices.Contains(forms, f) {
				forms = append(forms, f)
			}
		}
	}
	return []domain.ViolenceDocumented{{Forms: forms}}
}

// ignored are case events no report counts: the case state is folded
// without them, which keeps the builder's memory to what reports need
// (a correction of one of them changes nothing a report shows).
var ignored = map[string]bool{
	"case.note_added": true, "case.safety_planned": true, "case.assignment_issued": true,
	"case.implementation_plan_recorded": true, "case.flag_raised": true, "case.flag_resolved": true,
	"case.decision_proposed": true, "case.decision_communicated": true,
}

// Units lists, sorted, every unit a case applied so far has belonged to.
func (b *Builder) Units() []string {
	out := make([]string, 0, len(b.units))
	for u := range b.units {
		out = append(out, u)
	}
	slices.Sort(out)
	return out
}

// Report computes the report from the events applied so far. It changes
// nothing, so it may be called again after more events.
func (b *Builder) Report() Report {
	if len(b.corrected) > 0 {
		panic("reports: Report before Finish: corrected cases are not refolded")
	}
	d := b.compute()
	values := make([]int, len(d.cells))
	basis := make([]int, len(d.cells))
	for i, c := range d.cells {
		values[i], basis[i] = c.value, c.basis
	}
	sup := suppress(values, basis, b.p.MinCell, d.rels, d.ders)
	cells := make([]Cell, len(d.cells))
	for i, c := range d.cells {
		cells[i] = Cell{Table: c.table, Dims: c.dims, Suppressed: sup[i]}
		if !sup[i] {
			v := c.value
			cells[i].Value = &v
		}
	}
	return Report{Meta: b.meta(), Cells: cells}
}

// compute computes the cells with their true values and relations.
func (b *Builder) compute() *draft {
	d := &draft{}
	switch b.p.Report {
	case Mapping:
		b.mapping(d)
	case FollowUp:
		b.followUp(d)
	case Indicators:
		b.indicators(d)
	case Appeals:
		b.appeals(d)
	case Providers:
		b.providersReport(d)
	}
	return d
}

func (b *Builder) meta() Meta {
	m := Meta{
		Report: b.p.Report, From: b.p.From.String(), To: b.p.To.String(),
		AsOfSeq: b.lastSeq, MinCell: b.p.MinCell,
	}
	if b.p.Unit != "" {
		u := b.p.Unit
		m.Unit = &u
	}
	switch {
	case !b.p.AsOf.IsZero():
		m.AsOf = stamp(b.p.AsOf)
	case !b.lastAt.IsZero():
		m.AsOf = stamp(b.lastAt)
	}
	if !b.p.GeneratedAt.IsZero() {
		m.GeneratedAt = stamp(b.p.GeneratedAt)
	}
	return m
}

func stamp(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

// draft is a report being computed: cells with their true values, and the
// relations between them that suppression must respect.
type draft struct {
	cells []draftCell
	rels  []relation
	ders  []derivation
}

type draftCell struct {
	table string
	dims  map[string]string
	value int
	basis int // persons behind the value; decides primary suppression
}

// add appends a cell whose value counts persons; kv are dim names and values.
func (d *draft) add(table string, value int, kv ...string) int {
	return d.addBasis(table, value, value, kv...)
}

// addBasis appends a cell that counts something else (goals, days) with
// basis persons behind it.
func (d *draft) addBasis(table string, value, basis int, kv ...string) int {
	dims := make(map[string]string, len(kv)/2)
	for i := 0; i+1 < len(kv); i += 2 {
		dims[kv[i]] = kv[i+1]
	}
	d.cells = append(d.cells, draftCell{table: table, dims: dims, value: value, basis: basis})
	return len(d.cells) - 1
}

func (d *draft) relate(total int, parts ...int) {
	d.rels = append(d.rels, relation{Total: total, Parts: parts})
}

// set is a set of persons (or of other ids).
type set map[domain.ID]struct{}

// tally counts distinct persons per combination of dim values.
type tally map[dims]set

// dims are the dim values a count is kept under (up to four, the rest
// empty): an array, so a key costs no allocation, as joined strings did.
type dims [4]string

func key(parts ...string) dims {
	var k dims
	copy(k[:], parts)
	return k
}

func (t tally) add(id domain.ID, parts ...string) {
	k := key(parts...)
	s := t[k]
	if s == nil {
		s = set{}
		t[k] = s
	}
	s[id] = struct{}{}
}

func (t tally) n(parts ...string) int { return len(t[key(parts...)]) }

// sortedCases are the existing cases of the unit asked for, by id. They
// are the builder's own: the reports read them and change nothing.
func (b *Builder) sortedCases() []*domain.Case {
	ids := make([]domain.ID, 0, len(b.cases))
	for id, c := range b.cases {
		if c.Exists && (b.p.Unit == "" || c.Unit == b.p.Unit) {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	out := make([]*domain.Case, len(ids))
	for i, id := range ids {
		out[i] = b.cases[id]
	}
	return out
}

// sex of a person as a report dim; unknown when not recorded.
func (b *Builder) sex(id domain.ID) string {
	if p, ok := b.persons[id]; ok && p.Sex.Valid() {
		return string(p.Sex)
	}
	return string(domain.SexUnknown)
}

// birthYear of a person, 0 when unknown.
func (b *Builder) birthYear(id domain.ID) int { return b.persons[id].BirthYear }

// within reports whether d lies in from..to (inclusive); a zero d never does.
func within(d, from, to domain.Date) bool {
	return !d.IsZero() && !d.Before(from) && !d.After(to)
}

// active reports whether a case is active in from..to: opened (received)
// on or before to and not closed before from. A reopened case has no
// closing date.
func active(c *domain.Case, from, to domain.Date) bool {
	if c.ReceivedOn.IsZero() || c.ReceivedOn.After(to) {
		return false
	}
	return c.ClosedOn.IsZero() || !c.ClosedOn.Before(from)
}

// decisionPerson is whom a decision is for: the child it names, or the
// person the case is about.
func decisionPerson(c *domain.Case, d domain.DecisionMade) domain.ID {
	if d.ChildID != "" {
		return d.ChildID
	}
	return c.PersonID
}

const all = "all"

func sexes() []string {
	var out []string
	for _, s := range domain.Sexes() {
		out = append(out, string(s))
	}
	return out
}
