package projections

import (
	"slices"
	"strings"

	"github.com/fristad/fristad/domain"
)

// Deadlines of decisions and appeals on the overdue dashboard: a decision
// not communicated to the person within a set number of days, an appeal
// not examined and forwarded "without delay" (FL 46 §; a setting, by
// default 7 days), and a granted decision not carried out within three
// months. Every due day is a last day by lag 1930:173.

// DeadlineSettings are the municipality's settings the deadlines use
// (GET /admin/settings: decision_communication_days, appeal_forward_days).
type DeadlineSettings interface {
	DecisionCommunicationDays() int
	AppealForwardDays() int
}

// DefaultDeadlines are the settings until the municipality sets its own.
type DefaultDeadlines struct{}

// DecisionCommunicationDays: a decision reaches the person within a week.
func (DefaultDeadlines) DecisionCommunicationDays() int { return 7 }

// AppealForwardDays: "without delay" is taken as a week.
func (DefaultDeadlines) AppealForwardDays() int { return 7 }

// DecisionDeadline is one decision or appeal past its deadline.
type DecisionDeadline struct {
	CaseID     domain.ID   `json:"case_id"`
	DecisionID domain.ID   `json:"decision_id"`
	AppealID   domain.ID   `json:"appeal_id,omitempty"`
	DueOn      domain.Date `json:"due_on"`
	Unit       string      `json:"unit"`
	Assignee   string      `json:"assignee"`
}

// DecisionsOverdue is the dashboard's part about decisions.
type DecisionsOverdue struct {
	NotCommunicated []DecisionDeadline `json:"decisions_not_communicated"`
	AppealsWaiting  []DecisionDeadline `json:"appeals_not_forwarded"`
	NotCarriedOut   []DecisionDeadline `json:"decisions_not_carried_out"`
}

// DecisionsOverdueIn lists, for the cases of the units (closed ones too:
// a decision's communication and appeal outlive its case), the decisions and
// appeals whose deadline passed before today. Decisions recorded before
// the delegation order (old stores) were never asked to be communicated
// through fristad and are left out of that list.
func (c *Cases) DecisionsOverdueIn(units []string, today domain.Date, set DeadlineSettings) DecisionsOverdue {
	c.mu.RLock()
	defer c.mu.RUnlock()
	out := DecisionsOverdue{NotCommunicated: []DecisionDeadline{}, AppealsWaiting: []DecisionDeadline{}, NotCarriedOut: []DecisionDeadline{}}
	for _, unit := range units {
		for id := range c.byUnit[unit] {
			// Communication and appeals outlive a closed case; carrying out
			// is asked of open cases only.
			s := &c.cases[id].state
			open := s.Status == domain.StatusOpen
			at := func(did domain.ID, due domain.Date) DecisionDeadline {
				return DecisionDeadline{CaseID: s.ID, DecisionID: did, DueOn: due, Unit: s.Unit, Assignee: s.Assignee}
			}
			for _, d := range s.Decisions {
				if !d.Current() {
					continue
				}
				if due := domain.DaysPeriodEnd(d.Date(), set.DecisionCommunicationDays()); d.UnderDelegation() && d.CommunicatedOn.IsZero() && due.Before(today) {
					out.NotCommunicated = append(out.NotCommunicated, at(d.DecisionID, due))
				}
				if due := domain.CarryOutDeadline(d.Date()); open && d.Outcome.Granted() && d.CarriedOutOn.IsZero() && due.Before(today) {
					out.NotCarriedOut = append(out.NotCarriedOut, at(d.DecisionID, due))
				}
			}
			for _, a := range s.Appeals {
				if due := domain.DaysPeriodEnd(a.ReceivedOn, set.AppealForwardDays()); !a.Final() && a.ForwardedOn.IsZero() && due.Before(today) {
					x := at(a.ConcernsID, due)
					x.AppealID = a.AppealID
					out.AppealsWaiting = append(out.AppealsWaiting, x)
				}
			}
		}
	}
	for _, xs := range [][]DecisionDeadline{out.NotCommunicated, out.AppealsWaiting, out.NotCarriedOut} {
		slices.SortFunc(xs, func(a, b DecisionDeadline) int {
			if c := strings.Compare(a.DueOn.String(), b.DueOn.String()); c != 0 {
				return c
			}
			return strings.Compare(string(a.DecisionID)+string(a.AppealID), string(b.DecisionID)+string(b.AppealID))
		})
	}
	return out
}
