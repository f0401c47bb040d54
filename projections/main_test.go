package projections_test

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/fristad/fristad/domain"
	"github.com/fristad/fristad/eventstore"
	"github.com/fristad/fristad/eventstore/eventstoretest"
	"github.com/stretchr/testify/require"
)

var shared *eventstoretest.Shared

func TestMain(m *testing.M) { os.Exit(eventstoretest.Main(m, "P", &shared)) }

func newStore(t testing.TB) *eventstore.Store { return shared.Open(t) }

// world writes commands through the real deciders and store.
type world struct {
	t testing.TB
	s *eventstore.Store
}

func (w world) exec(kind domain.Kind, id domain.ID, cmd domain.Command) eventstore.Result {
	w.t.Helper()
	var res eventstore.Result
	var err error
	opt := eventstore.ExecOptions{AppendOptions: eventstore.AppendOptions{Actor: "anna"}}
	ctx := context.Background()
	switch kind {
	case domain.KindPerson:
		res, err = eventstore.Execute(ctx, w.s, domain.PersonDecider(), id, cmd, opt)
	case domain.KindCase:
		res, err = eventstore.Execute(ctx, w.s, domain.CaseDecider(), id, cmd, opt)
	case domain.KindProvider:
		res, err = eventstore.Execute(ctx, w.s, domain.ProviderDecider(), id, cmd, opt)
	case domain.KindPartnerSide:
		res, err = eventstore.Execute(ctx, w.s, domain.PartnerSideDecider(domain.PartnerSide{}), id, cmd, opt)
	default:
		res, err = eventstore.Execute(ctx, w.s, domain.TreatmentSideDecider(), id, cmd, opt)
	}
	require.NoError(w.t, err, cmd.CommandName())
	return res
}

var today = domain.NewDate(2026, time.June, 1)

// openCase opens a case in unit with a new subject and returns its id.
func (w world) openCase(unit, assignee string, group domain.TargetGroup) domain.ID {
	person, id := domain.NewID(), domain.NewID()
	w.exec(domain.KindPerson, person, domain.RegisterPerson{PersonDetails: domain.PersonDetails{Sex: domain.SexFemale, BirthYear: 1980, Name: "N"}, Today: today})
	w.exec(domain.KindCase, id, domain.OpenCase{Unit: unit, TargetGroup: group, Source: domain.SourceReport, ReceivedOn: domain.NewDate(2026, 1, 10),
		PersonID: person, Assignee: assignee, Today: today})
	return id
}

// followUpDue gives a case a granted decision followed up with the next
// follow-up due on the given date.
func (w world) followUpDue(caseID domain.ID, due domain.Date) {
	d := domain.NewID()
	w.exec(domain.KindCase, caseID, domain.MakeDecision{SupportType: domain.SupportTalks, Outcome: domain.OutcomeGranted, Goals: []string{"g"},
		ValidFrom: domain.NewDate(2026, 1, 15), ValidTo: domain.NewDate(2026, 12, 31), DecisionID: d,
		DecidedOn: domain.NewDate(2026, 1, 15), Authority: domain.Authority{Sub: "sara", Roles: []string{domain.RoleSupervisor}, Order: domain.DefaultDelegationOrder()}})
	w.exec(domain.KindCase, caseID, domain.FollowUp{DecisionID: d, FollowedUpOn: domain.NewDate(2026, 2, 1), Participated: true,
		GoalOutcomes: []domain.GoalResult{{Goal: "g", Outcome: domain.GoalPartly}}, NextFollowUpOn: due})
}

// municipalShelter is a registered municipal shelter's state, as the API
// looks a placement's provider up (a municipal shelter needs no permit).
func municipalShelter(id domain.ID) *domain.Provider {
	return &domain.Provider{ID: id, Exists: true, ProviderProfile: domain.ProviderProfile{Kind: domain.ProviderMunicipal}}
}
