package reports

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"time"

	"github.com/fristad/fristad/domain"
	"github.com/fristad/fristad/eventstore"
)

// The report of granted decisions not carried out within three months
// (old SoL 16:6 f, a duty that stands in SoL 2025:400), which the board
// sends to IVO each quarter. One row per decision, with no name, number
// or id of the person, and not suppressed: IVO asks for each decision.

// NotCarried is the report's kind; it has rows, not cells, so it is not
// among Kinds.
const NotCarried Kind = "not-carried-out"

// NotCarriedRow is one decision.
type NotCarriedRow struct {
	Sex          string      `json:"sex"`
	BirthYear    *int        `json:"birth_year"`
	SupportType  string      `json:"support_type"`
	DecidedOn    domain.Date `json:"decided_on"`
	CarriedOutOn domain.Date `json:"carried_out_on"` // null: not carried out
	DelayReason  string      `json:"delay_reason"`   // "" when none was recorded
	Unit         string      `json:"unit"`
	CaseID       domain.ID   `json:"case_id,omitempty"` // the board's own copy only
}

// NotCarriedReport is the report for one quarter.
type NotCarriedReport struct {
	Meta struct {
		Report      Kind    `json:"report"`
		Quarter     string  `json:"quarter"`
		From        string  `json:"from"`
		To          string  `json:"to"`
		Unit        *string `json:"unit"`
		AsOf        string  `json:"as_of"`
		AsOfSeq     uint64  `json:"as_of_seq"`
		GeneratedAt string  `json:"generated_at"`
	} `json:"meta"`
	Rows []NotCarriedRow `json:"rows"`
}

var quarterRE = regexp.MustCompile(`^(\d{4})Q([1-4])$`)

// Quarter parses "2026Q3" into its first and last day.
func Quarter(q string) (from, to domain.Date, err error) {
	m := quarterRE.FindStringSubmatch(q)
	if m == nil {
		return from, to, &ParamError{"quarter", "must be a quarter like 2026Q3"}
	}
	y, _ := strconv.Atoi(m[1])
	n, _ := strconv.Atoi(m[2])
	if y < MinYear || y > MaxYear {
		return from, to, &ParamError{"quarter", fmt.Sprintf("the year must be from %d to %d", MinYear, MaxYear)}
	}
	from = domain.NewDate(y, time.Month(3*n-2), 1)
	return from, domain.AddMonths(from, 3).AddDays(-1), nil
}

// RunNotCarriedOut replays the stream and lists, for the quarter, every
// granted decision (still the valid one at the quarter's end) whose three
// months ran out before the quarter's end without it being carried out,
// or that was carried out late within the quarter.
//
// withCase adds each row's case id: the board's own copy, never IVO's.
func RunNotCarriedOut(ctx context.Context, store *eventstore.Store, quarter, unit string, asOf, generatedAt time.Time, withCase bool) (NotCarriedReport, error) {
	var r NotCarriedReport
	from, to, err := Quarter(quarter)
	if err != nil {
		return r, err
	}
	b, err := NewBuilder(Params{Report: Mapping, From: from, To: to, Unit: unit, AsOf: asOf, MinCell: 1})
	if err != nil {
		return r, err
	}
	if _, err := store.Read(ctx, 1, func(env *eventstore.Envelope) error { b.Apply(env); return nil }); err != nil {
		return r, err
	}
	if err := b.Finish(caseHistory(ctx, store)); err != nil {
		return r, err
	}
	if unit != "" && !slices.Contains(b.Units(), unit) {
		return r, &ParamError{Param: "unit", Message: "no case has ever been in that unit"}
	}
	r = b.notCarriedOut(quarter)
	if !withCase {
		for i := range r.Rows {
			r.Rows[i].CaseID = ""
		}
	}
	if !generatedAt.IsZero() {
		r.Meta.GeneratedAt = stamp(generatedAt)
	}
	return r, nil
}

func (b *Builder) notCarriedOut(quarter string) NotCarriedReport {
	from, to := b.p.From, b.p.To
	var r NotCarriedReport
	m := b.meta()
	r.Meta.Report, r.Meta.Quarter, r.Meta.From, r.Meta.To, r.Meta.Unit = NotCarried, quarter, m.From, m.To, m.Unit
	r.Meta.AsOf, r.Meta.AsOfSeq = m.AsOf, m.AsOfSeq
	r.Rows = []NotCarriedRow{}
	for _, c := range b.sortedCases() {
		for _, x := range c.Decisions {
			if !x.Outcome.Granted() || x.Date().IsZero() || x.Date().After(to) || (x.ReplacedBy != "" && !x.ReplacedOn.After(to)) {
				continue
			}
			deadline := domain.CarryOutDeadline(x.Date())
			carried := x.CarriedOutOn
			if !carried.IsZero() && carried.After(to) {
				carried = domain.Date{} // not yet at the quarter's end
			}
			pending := carried.IsZero() && deadline.Before(to)
			lateInQuarter := !carried.IsZero() && carried.After(deadline) && within(carried, from, to)
			if !pending && !lateInQuarter {
				continue
			}
			p := decisionPerson(c, x.DecisionMade)
			row := NotCarriedRow{Sex: b.sex(p), SupportType: string(x.SupportType), DecidedOn: x.Date(), CarriedOutOn: carried,
				DelayReason: string(x.Delay), Unit: c.Unit, CaseID: c.ID}
			if y := b.birthYear(p); y != 0 {
				row.BirthYear = &y
			}
			r.Rows = append(r.Rows, row)
		}
	}
	slices.SortStableFunc(r.Rows, func(a, b NotCarriedRow) int {
		switch {
		case a.DecidedOn.Before(b.DecidedOn):
			return -1
		case b.DecidedOn.Before(a.DecidedOn):
			return 1
		}
		return 0
	})
	return r
}

// WriteNotCarriedJSON writes the report as one JSON document.
func WriteNotCarriedJSON(w io.Writer, r NotCarriedReport) error {
	b, err := json.Marshal(r)
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}

// WriteNotCarriedCSV writes one row per decision.
func WriteNotCarriedCSV(w io.Writer, r NotCarriedReport) error {
	cw := csv.NewWriter(w)
	header := []string{"sex", "birth_year", "support_type", "decided_on", "carried_out_on", "delay_reason", "unit"}
	board := len(r.Rows) > 0 && r.Rows[0].CaseID != ""
	if board {
		header = append(header, "case_id")
	}
	_ = cw.Write(header)
	for _, row := range r.Rows {
		by, carried := "", ""
		if row.BirthYear != nil {
			by = strconv.Itoa(*row.BirthYear)
		}
		if !row.CarriedOutOn.IsZero() {
			carried = row.CarriedOutOn.String()
		}
		rec := []string{row.Sex, by, row.SupportType, row.DecidedOn.String(), carried, row.DelayReason, safe(row.Unit)}
		if board {
			rec = append(rec, string(row.CaseID))
		}
		_ = cw.Write(rec)
	}
	cw.Flush()
	return cw.Error()
}
