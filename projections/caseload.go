package projections

import (
	"encoding/base64"
	"errors"
	"slices"
	"strings"

	"github.com/fristad/fristad/domain"
)

// Row is one line of a caseload (ärendelista). Overdue and days in
// protected housing depend on the day and are set when the caseload is
// read.
type Row struct {
	ID             domain.ID          `json:"id"`
	Version        uint64             `json:"version"`
	Unit           string             `json:"unit"`
	Assignee       string             `json:"assignee"`
	Status         domain.CaseStatus  `json:"status"`
	TargetGroup    domain.TargetGroup `json:"target_group"`
	PersonID       domain.ID          `json:"person_id"`
	ReceivedOn     domain.Date        `json:"received_on"`
	RiskLevel      domain.RiskLevel   `json:"risk_level,omitempty"`
	RiskAssessedOn domain.Date        `json:"risk_assessed_on"`
	NextFollowUpOn domain.Date        `json:"next_follow_up_on"`
	Overdue        bool               `json:"overdue"`
	Children       int                `json:"children"`
	Placement      *RowPlacement      `json:"placement,omitempty"`
	OpenFlags      int                `json:"open_flags"`
	// PartnerContactFlags are open partner-contact flags on a
	// perpetrator's case (new violence). Only supervisors see them: the
	// treatment side must not learn whether the partner was reached.
	PartnerContactFlags []string `json:"partner_contact_flags,omitempty"`
}

// RowPlacement is the open placement in protected housing.
type RowPlacement struct {
	PlacementID   domain.ID     `json:"placement_id"`
	ProviderID    domain.ID     `json:"provider_id,omitempty"` // absent when masked (Masked names it)
	Masked        []string      `json:"masked,omitempty"`
	MovedInOn     domain.Date   `json:"moved_in_on"`
	Until         domain.Date   `json:"until"`
	DaysInShelter int           `json:"days_in_shelter"`
	Children      []RowSchooled `json:"children"`
}

// RowSchooled says whether schooling is arranged for a placed child.
type RowSchooled struct {
	ChildID  domain.ID `json:"child_id"`
	Schooled bool      `json:"schooling_arranged"`
}

func (c *Cases) rowOf(s domain.Case) Row {
	r := Row{ID: s.ID, Version: s.Version, Unit: s.Unit, Assignee: s.Assignee, Status: s.Status, TargetGroup: s.TargetGroup,
		PersonID: s.PersonID, ReceivedOn: s.ReceivedOn, Children: len(s.Children)}
	if n := len(s.RiskAssessments); n > 0 {
		r.RiskLevel, r.RiskAssessedOn = s.RiskAssessments[n-1].Level, s.RiskAssessments[n-1].AssessedOn
	}
	r.NextFollowUpOn = s.NextFollowUpOn()
	if p, ok := s.OpenPlacement(); ok {
		rp := &RowPlacement{PlacementID: p.PlacementID, ProviderID: p.ProviderID, MovedInOn: p.MovedInOn, Until: p.Until}
		for _, child := range p.ChildIDs {
			schooled := slices.ContainsFunc(p.Schooling, func(a domain.SchoolingArranged) bool { return a.ChildID == child })
			rp.Children = append(rp.Children, RowSchooled{ChildID: child, Schooled: schooled})
		}
		r.Placement = rp
	}
	for _, f := range s.Flags {
		if f.Open {
			r.OpenFlags++
		}
	}
	for _, pc := range c.byCase[s.ID] {
		if link := c.contacts[pc]; link.NewViolence && !link.Ended && !slices.Contains(r.PartnerContactFlags, "new_violence") {
			r.PartnerContactFlags = append(r.PartnerContactFlags, "new_violence")
		}
	}
	return r
}

// withDay sets what depends on the day.
func withDay(r Row, today domain.Date) Row {
	r.Overdue = r.Status == domain.StatusOpen && !r.NextFollowUpOn.IsZero() && r.NextFollowUpOn.Before(today)
	if r.Placement != nil {
		p := *r.Placement
		p.DaysInShelter = p.MovedInOn.DaysUntil(today) + 1
		r.Placement = &p
	}
	return r
}

// Query selects a caseload.
type Query struct {
	// Units the reader works in: only their cases are listed.
	Units []string
	// Filters (zero: any).
	Unit     string
	Assignee string
	Status   domain.CaseStatus
	Risk     domain.RiskLevel
	Overdue  bool
	// Supervisor shows partner-contact flags.
	Supervisor bool
	Today      domain.Date
	Limit      int
	Cursor     string
}

// ErrBadCursor is a cursor this projection did not hand out.
var ErrBadCursor = errors.New("invalid cursor")

// Caseload lists rows, overdue first, then by next follow-up date (none
// last), then by id; a page of at most Limit rows and the cursor of the
// next page ("" when none).
func (c *Cases) Caseload(q Query) ([]Row, string, error) {
	after, err := decodeCursor(q.Cursor)
	if err != nil {
		return nil, "", err
	}
	limit := q.Limit
	if limit <= 0 || limit > 500 {
		limit = 50
	}
	// Candidates are small and hold no strings of their own: a unit's
	// caseload is filtered and sorted without copying its rows, and only
	// the page is copied out.
	var cands []cand
	c.mu.RLock()
	defer c.mu.RUnlock()
	for _, unit := range q.Units {
		if q.Unit != "" && unit != q.Unit {
			continue
		}
		for id := range c.byUnit[unit] {
			r := &c.cases[id].row
			k := candOf(r, q.Today)
			if (q.Assignee != "" && r.Assignee != q.Assignee) || (q.Status != "" && r.Status != q.Status) ||
				(q.Risk != "" && r.RiskLevel != q.Risk) || (q.Overdue && !k.overdue) {
				continue
			}
			if after != nil && !after.before(k) {
				continue
			}
			cands = append(cands, k)
		}
	}
	slices.SortFunc(cands, func(a, b cand) int {
		if a.before(b) {
			return -1
		}
		if b.before(a) {
			return 1
		}
		return 0
	})
	n := min(limit, len(cands))
	rows := make([]Row, n)
	for i := range n {
		rows[i] = withDay(*cands[i].row, q.Today)
		if !q.Supervisor {
			rows[i].PartnerContactFlags = nil
		}
	}
	if len(cands) <= limit {
		return rows, "", nil
	}
	return rows, encodeCursor(sortKey(rows[n-1])), nil
}

// cand is a row's place in the caseload order (a case without a follow-up
// date has due noDue: it sorts last).
type cand struct {
	listPos
	row *Row
}

const noDue = int64(1) << 62

func candOf(r *Row, today domain.Date) cand {
	k := cand{listPos: listPos{due: noDue, id: string(r.ID)}, row: r}
	if !r.NextFollowUpOn.IsZero() {
		k.due = r.NextFollowUpOn.Time().Unix() / 86400
		k.overdue = r.Status == domain.StatusOpen && r.NextFollowUpOn.Before(today)
	}
	return k
}

// before orders candidates in the list order (listPos).
func (a cand) before(b cand) bool { return a.listPos.before(b.listPos) }

// sortKey orders rows: overdue first, then due date (none last), then id.
func sortKey(r Row) string {
	overdue, due := "1", "9999-99-99"
	if r.Overdue {
		overdue = "0"
	}
	if !r.NextFollowUpOn.IsZero() {
		due = r.NextFollowUpOn.String()
	}
	return overdue + due + string(r.ID)
}

func encodeCursor(key string) string { return base64.RawURLEncoding.EncodeToString([]byte(key)) }

func decodeCursor(s string) (*cand, error) {
	if s == "" {
		return nil, nil
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || len(b) != 1+10+26 || (b[0] != '0' && b[0] != '1') || !domain.ID(b[11:]).Valid() {
		return nil, ErrBadCursor
	}
	k := &cand{listPos: listPos{overdue: b[0] == '0', due: noDue, id: string(b[11:])}}
	if due := string(b[1:11]); due != "9999-99-99" {
		d, err := domain.ParseDate(due)
		if err != nil {
			return nil, ErrBadCursor
		}
		k.due = d.Time().Unix() / 86400
	}
	return k, nil
}

// Overdue is the supervisors' dashboard of what is late in their units.
type Overdue struct {
	FollowUps  []Row `json:"follow_ups_past_due"`
	RiskChecks []Row `json:"high_risk_assessments_older_than_limit"`
	Placements []Row `json:"placements_past_decision_validity"`
	// Tasks are the overdue tasks of the units (tasks.go), the same list
	// GET /tasks?overdue=true gives.
	Tasks []TaskRow `json:"tasks"`
}

// OverdueIn lists, for open cases of the units: follow-ups past due,
// high-risk cases whose latest risk assessment is older than maxRiskAge
// days, and open placements past the validity of their decision.
func (c *Cases) OverdueIn(units []string, today domain.Date, maxRiskAge int, supervisor bool) Overdue {
	c.mu.RLock()
	defer c.mu.RUnlock()
	out := Overdue{FollowUps: []Row{}, RiskChecks: []Row{}, Placements: []Row{}}
	for _, unit := range units {
		for id := range c.byUnit[unit] {
			r := withDay(c.cases[id].row, today)
			if r.Status != domain.StatusOpen {
				continue
			}
			if !supervisor {
				r.PartnerContactFlags = nil
			}
			if r.Overdue {
				out.FollowUps = append(out.FollowUps, r)
			}
			if r.RiskLevel == domain.RiskHigh && r.RiskAssessedOn.AddDays(maxRiskAge).Before(today) {
				out.RiskChecks = append(out.RiskChecks, r)
			}
			if r.Placement != nil && !r.Placement.Until.IsZero() && r.Placement.Until.Before(today) {
				out.Placements = append(out.Placements, r)
			}
		}
	}
	for _, rs := range [][]Row{out.FollowUps, out.RiskChecks, out.Placements} {
		slices.SortFunc(rs, func(a, b Row) int { return strings.Compare(sortKey(a), sortKey(b)) }) // a short list
	}
	return out
}

// Len is the number of cases in the projection.
func (c *Cases) Len() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return len(c.cases)
}
