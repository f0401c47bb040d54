package eventstore_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/fristad/fristad/domain"
	"github.com/fristad/fristad/eventstore"
	"github.com/stretchr/testify/require"
)

// Execute keeps each history's folded state and folds only a command's new
// events onto a copy of it. The state kept after every command equals a
// fold of the whole history, and a state kept earlier never changes when
// later commands fold onto it: placements and decisions updated in place,
// schooling appended to a placement, flags resolved, a correction that
// rewrites an earlier fact.
func TestKeptStateEqualsAFoldOfTheWholeHistory(t *testing.T) {
	cfg := testConfig(t)
	cfg.Registry = domain.Events()
	s := openStore(t, cfg)
	ctx := context.Background()
	opt := eventstore.ExecOptions{AppendOptions: eventstore.AppendOptions{Actor: "anna"}}
	today := domain.NewDate(2026, 6, 1)
	person, child, id := domain.NewID(), domain.NewID(), domain.NewID()
	for _, p := range []struct {
		id  domain.ID
		sex domain.Sex
	}{{person, domain.SexFemale}, {child, domain.SexMale}} {
		_, err := eventstore.Execute(ctx, s, domain.PersonDecider(), p.id, domain.RegisterPerson{
			PersonDetails: domain.PersonDetails{Sex: p.sex, BirthYear: 2016, Name: "N"}, Today: today}, opt)
		require.NoError(t, err)
	}
	d := domain.CaseDecider()
	housing, placement, flag := domain.NewID(), domain.NewID(), domain.NewID()
	var opened domain.ID
	commands := []domain.Command{
		domain.OpenCase{Unit: "vuxen", TargetGroup: domain.AdultVictim, Source: domain.SourceReport, ReceivedOn: domain.NewDate(2026, 1, 10),
			PersonID: person, Assignee: "anna", Today: today},
		domain.AddChild{PersonID: child, Relation: domain.ChildWitnessed, Today: today},
		domain.MakeDecision{SupportType: domain.SupportProtectedHousing, Outcome: domain.OutcomeGranted, Goals: []string{"g"},
			ValidFrom: domain.NewDate(2026, 4, 1), ValidTo: domain.NewDate(2026, 5, 15), DecisionID: housing,
			DecidedOn: domain.NewDate(2026, 4, 1), Authority: domain.Authority{Sub: "sara", Roles: []string{domain.RoleSupervisor}, Order: domain.DefaultDelegationOrder()}},
		domain.MakeDecision{SupportType: domain.SupportProtectedHousing, Outcome: domain.OutcomeGranted, Goals: []string{"g"},
			ValidFrom: domain.NewDate(2026, 4, 1), ValidTo: domain.NewDate(2026, 5, 15), ChildID: child, DecisionID: domain.NewID(),
			DecidedOn: domain.NewDate(2026, 4, 1), Reasons: "r", Authority: domain.Authority{Sub: "sara", Roles: []string{domain.RoleSupervisor}, Order: domain.DefaultDelegationOrder()}},
		domain.StartPlacement{DecisionID: housing, ProviderID: "01J0000000PR0V1DER0000000A", MovedInOn: domain.NewDate(2026, 5, 1),
			ChildIDs: []domain.ID{child}, PlacementID: placement,
			At: &domain.Provider{ID: "01J0000000PR0V1DER0000000A", Exists: true, ProviderProfile: domain.ProviderProfile{Kind: domain.ProviderMunicipal}}},
		domain.ArrangeSchooling{PlacementID: placement, ChildID: child, ArrangedOn: today, SchoolKind: domain.SchoolNew},
		domain.RaiseFlag{Message: "ring tillbaka", FlagID: flag},
		domain.AddNote{Text: "x", NoteID: domain.NewID()},
		domain.ResolveFlag{FlagID: flag, Note: "klart"},
		domain.FollowUp{DecisionID: housing, FollowedUpOn: domain.NewDate(2026, 5, 20), Participated: true,
			GoalOutcomes: []domain.GoalResult{{Goal: "g", Outcome: domain.GoalPartly}}, NextFollowUpOn: domain.NewDate(2026, 7, 1)},
		nil, // the correction, once the opening's event id is known
		domain.AddNote{Text: "y", NoteID: domain.NewID()},
	}
	var all []*eventstore.History
	for _, cmd := range commands {
		if cmd == nil {
			cmd = domain.Correct{EventID: opened, Reason: "fel målgrupp", Corrected: json.RawMessage(`{"target_group":"perpetrator"}`)}
		}
		_, err := eventstore.Execute(ctx, s, d, id, cmd, opt)
		require.NoError(t, err, cmd.CommandName())
		h, err := s.Load(ctx, domain.KindCase, id)
		require.NoError(t, err)
		opened = h.Events[0].ID
		got := eventstore.State(d, h)
		require.Equal(t, d.Fold(id, h.Recorded()), got, "after %s", cmd.CommandName())
		all = append(all, h)
	}
	last := eventstore.State(d, all[len(all)-1])
	require.Equal(t, domain.Perpetrator, last.TargetGroup, "the correction counts")
	require.Len(t, last.Placements[0].Schooling, 1)
	for i, h := range all {
		require.Equal(t, d.Fold(id, h.Recorded()), eventstore.State(d, h), "the state kept after command %d changed", i)
	}
}
