package projections_test

import (
	"context"
	"strings"
	"testing"

	"github.com/fristad/fristad/domain"
	"github.com/fristad/fristad/projections"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func shelter(name string) domain.ProviderDetails {
	return domain.ProviderDetails{Name: name, Kind: domain.ProviderWomensShelter, Municipality: "Staden", Region: "Mellanlän",
		Address: "Hemliga vägen 7", PlacesAdults: 4, PlacesChildren: 4, TargetGroups: []domain.ProviderTargetGroup{domain.ProvidesWomen},
		ChildrenMaxAge: 17, Languages: []string{"sv"}, Staffed: domain.StaffedAlways}
}

func TestProvidersRegistryDueAndSnapshot(t *testing.T) {
	w := world{t: t, s: newStore(t)}
	a, b := domain.NewID(), domain.NewID()
	w.exec(domain.KindProvider, a, domain.RegisterProvider{ProviderDetails: shelter("A")})
	w.exec(domain.KindProvider, b, domain.RegisterProvider{ProviderDetails: shelter("B")})
	w.exec(domain.KindProvider, a, domain.RecordPermit{Authority: "IVO", Number: "1", ValidFrom: domain.NewDate(2025, 1, 1)})
	act1, act2 := domain.NewID(), domain.NewID()
	w.exec(domain.KindProvider, a, domain.FollowUpProvider{ChecklistVersion: domain.CurrentChecklistVersion, FollowedUpOn: domain.NewDate(2026, 4, 1),
		Answers:        []domain.ChecklistAnswerInput{{Question: "safety.fire", Answer: domain.AnswerNo}},
		Actions:        []domain.ActionInput{{Action: "Brandsyn", DueOn: domain.NewDate(2026, 5, 1)}, {Action: "Rutin", DueOn: domain.NewDate(2026, 7, 1)}},
		NextFollowUpOn: domain.NewDate(2027, 4, 1), FollowUpID: domain.NewID(), ActionIDs: []domain.ID{act1, act2}})
	w.exec(domain.KindProvider, a, domain.CompleteProviderAction{ActionID: act2, DoneOn: domain.NewDate(2026, 5, 2)})

	provs := projections.NewProviders()
	r, err := projections.NewRunner(w.s, projections.Options{NoSnapshots: true}, provs)
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { _ = r.Run(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	caughtUp(t, w, r)

	all := provs.All()
	require.Len(t, all, 2)
	pa, ok := provs.Provider(a)
	require.True(t, ok)
	assert.True(t, pa.PermitValidOn(today))
	assert.Equal(t, 1, pa.OpenActions())
	_, ok = provs.Provider(domain.NewID())
	assert.False(t, ok)

	due := provs.Due(today)
	require.Len(t, due, 2, "the open action and the next follow-up; the done action is not due")
	assert.Equal(t, "provider_action", due[0].Kind)
	assert.Equal(t, act1, due[0].ActionID)
	assert.True(t, due[0].Overdue, "May 1 is past on June 1")
	assert.Equal(t, "provider_follow_up", due[1].Kind)
	assert.False(t, due[1].Overdue)

	// A snapshot holds no address and restores the same registry.
	data, err := provs.Capture()()
	require.NoError(t, err)
	assert.NotContains(t, string(data), "Hemliga")
	restored := projections.NewProviders()
	require.NoError(t, restored.Restore(data))
	again, err := restored.Capture()()
	require.NoError(t, err)
	assert.Equal(t, string(data), string(again))
	assert.Equal(t, due, restored.Due(today))

	// A later event does not change a list a reader already holds.
	w.exec(domain.KindProvider, b, domain.ReportVacancies{Adults: 1, AsOf: today})
	caughtUp(t, w, r)
	for _, p := range all {
		assert.Nil(t, p.Vacancies, "a shared list changed under its reader")
	}
	assert.True(t, strings.Contains(string(mustSnap(t, provs)), `"adults":1`))
}

func mustSnap(t *testing.T, p *projections.Providers) []byte {
	t.Helper()
	b, err := p.Capture()()
	require.NoError(t, err)
	return b
}
