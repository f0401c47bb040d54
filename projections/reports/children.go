package reports

import (
	"time"

	"github.com/fristad/fristad/domain"
)

// reportsOfConcern counts children reported in the period (a report of
// concern received from..to), once per reporter category and once in the
// total (REPORTS.md: children, not reports).
func (b *Builder) reportsOfConcern(d *draft, cases []*domain.Case) {
	by := tally{}
	for _, c := range cases {
		if !c.IsReportOfConcern() || !within(c.ReceivedOn, b.p.From, b.p.To) {
			continue
		}
		by.add(c.PersonID, string(c.Report.Reporter))
		by.add(c.PersonID, all)
	}
	var parts []int
	for _, r := range domain.ReporterCategories() {
		parts = append(parts, d.add("reports_of_concern", by.n(string(r)), "reporter_category", string(r)))
	}
	d.relate(d.add("reports_of_concern", by.n(all), "reporter_category", all), parts...)
}

// deadlineCodes name the statutory deadlines in the deadlines table.
var deadlineCodes = map[domain.TaskKind]string{
	domain.TaskProtectionAssessment:  "protection_same_day",
	domain.TaskPreliminaryAssessment: "preliminary_14_days",
	domain.TaskInvestigation:         "investigation_4_months",
}

// deadlines counts children whose deadline fell in the period, by whether
// it was met (done on or before its last day). A deadline not yet met whose
// last day is on or after the reference day (as_of, else generated_at, in
// Europe/Stockholm) is still running and counted in neither; without a
// reference day every unmet deadline counts as not met.
func (b *Builder) deadlines(d *draft, cases []*domain.Case) {
	ref := b.p.AsOf
	if ref.IsZero() {
		ref = b.p.GeneratedAt
	}
	var today domain.Date
	if !ref.IsZero() {
		today = domain.DateIn(ref, stockholm())
	}
	by := tally{}
	for _, c := range cases {
		for _, dl := range c.ChildDeadlineList() {
			if !within(dl.Due, b.p.From, b.p.To) {
				continue
			}
			met := "yes"
			switch {
			case dl.Done.IsZero() && !today.IsZero() && !dl.Due.Before(today):
				continue // still running
			case dl.Done.IsZero() || dl.Done.After(dl.Due):
				met = "no"
			}
			by.add(c.PersonID, deadlineCodes[dl.Kind], met)
		}
	}
	for _, k := range []domain.TaskKind{domain.TaskProtectionAssessment, domain.TaskPreliminaryAssessment, domain.TaskInvestigation} {
		for _, met := range []string{"yes", "no"} {
			d.add("deadlines", by.n(deadlineCodes[k], met), "deadline", deadlineCodes[k], "met", met)
		}
	}
}

func stockholm() *time.Location {
	loc, err := time.LoadLocation("Europe/Stockholm")
	if err != nil {
		return time.UTC
	}
	return loc
}
