package reports

import (
	"fmt"
	"strings"
	"time"

	"github.com/fristad/fristad/domain"
)

// Kind is a report: mapping (kartläggning), systematic follow-up or the
// draft answers to the national indicators.
type Kind string

const (
	Mapping    Kind = "mapping"
	FollowUp   Kind = "follow-up"
	Indicators Kind = "indicators"
	Appeals    Kind = "appeals"
	Providers  Kind = "providers" // per provider: placements, persons, days, move-outs, complaints, open actions
)

// Kinds lists the reports in the order REPORTS.md describes them.
func Kinds() []Kind { return []Kind{Mapping, FollowUp, Indicators, Appeals, Providers} }

// DefaultMinCell is k, the smallest person count shown, unless the caller
// asks for another (--min-cell). Params carries k explicitly: a zero
// MinCell is an error, never a silent default.
const DefaultMinCell = 5

// The years an indicators report may be asked for.
const (
	MinYear = 2000
	MaxYear = 2100
)

// Params are what a report is computed for.
type Params struct {
	Report Kind
	// From and To are inclusive. For indicators NewBuilder sets them to the
	// calendar year Year; what the caller put there is ignored.
	From, To domain.Date
	Year     int    // indicators only
	Unit     string // "" = all units; else the case's unit after reassignment
	// AsOf zero replays everything; else only events recorded at or before it.
	AsOf time.Time
	// MinCell is k: person counts from 1 to k-1 are suppressed. Must be >= 1.
	MinCell int
	// GeneratedAt is the one timestamp in the output; the caller sets it
	// (to now, or to --generated-at for byte-identical output). Zero gives
	// an empty generated_at.
	GeneratedAt time.Time
}

// ParamError names the parameter that is wrong (as the CLI flag is named,
// without dashes: report, from, to, year, min-cell).
type ParamError struct {
	Param   string
	Message string
}

func (e *ParamError) Error() string { return "report parameter " + e.Param + ": " + e.Message }

// Validate checks the parameters on their own. Whether Unit names a unit
// that exists is the caller's check, against Builder.Units.
func (p Params) Validate() error {
	switch p.Report {
	case Mapping, FollowUp, Appeals, Providers:
		if p.From.IsZero() {
			return &ParamError{"from", "is required (YYYY-MM-DD)"}
		}
		if p.To.IsZero() {
			return &ParamError{"to", "is required (YYYY-MM-DD)"}
		}
		if p.To.Before(p.From) {
			return &ParamError{"to", fmt.Sprintf("%s is before from (%s)", p.To, p.From)}
		}
	case Indicators:
		if p.Year == 0 {
			return &ParamError{"year", "is required for the indicators report"}
		}
		if p.Year < MinYear || p.Year > MaxYear {
			return &ParamError{"year", fmt.Sprintf("must be from %d to %d", MinYear, MaxYear)}
		}
	case "":
		return &ParamError{"report", "is required: one of " + kindList()}
	default:
		return &ParamError{"report", fmt.Sprintf("unknown report %q: one of %s", string(p.Report), kindList())}
	}
	if p.MinCell < 1 {
		return &ParamError{"min-cell", fmt.Sprintf("must be at least 1, got %d", p.MinCell)}
	}
	return nil
}

func kindList() string {
	var s []string
	for _, k := range Kinds() {
		s = append(s, string(k))
	}
	return strings.Join(s, ", ")
}

// normalized returns the parameters the builder works with: for
// indicators, the period is the year.
func (p Params) normalized() Params {
	if p.Report == Indicators {
		p.From = domain.NewDate(p.Year, time.January, 1)
		p.To = domain.NewDate(p.Year, time.December, 31)
	}
	return p
}
