package projections_test

import (
	"context"
	"testing"

	"github.com/fristad/fristad/domain"
	"github.com/fristad/fristad/eventstore"
	"github.com/fristad/fristad/projections"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestWhereaboutsSurviveASnapshot: the whereabouts state (protected
// persons, their entitlements, case-bound grants, links by intake and
// tasks for cases elsewhere) is the same after a snapshot and restart as
// after a rebuild from the stream.
func TestWhereaboutsSurviveASnapshot(t *testing.T) {
	w := world{t: t, s: newStore(t)}
	caseA := w.openCase("vuxen", "anna", domain.AdultVictim)
	ctx := context.Background()
	h, err := w.s.Load(ctx, domain.KindCase, caseA)
	require.NoError(t, err)
	var person domain.ID
	for _, e := range h.Events {
		if f, ok := e.Facts.(domain.CaseOpened); ok {
			person = f.PersonID
		}
	}
	w.exec(domain.KindPerson, person, domain.ChangeProtection{Level: domain.ProtectionRegistered, CaseID: caseA,
		By: domain.Reader{Sub: "anna"}, Assignee: "anna", Unit: "vuxen", Today: today})
	w.exec(domain.KindPerson, person, domain.GrantWhereabouts{Sub: "bo", Until: today.AddDays(10), Reason: "r", GrantID: domain.NewID(),
		By: domain.Reader{Sub: "sara", SupervisorUnits: []string{"vuxen"}}, Today: today})
	// A case on the person in barn: vuxen's supervisors get a task.
	caseB := domain.NewID()
	w.exec(domain.KindCase, caseB, domain.OpenCase{Unit: "barn", TargetGroup: domain.AdultVictim, Source: domain.SourceReport,
		ReceivedOn: domain.NewDate(2026, 1, 10), PersonID: person, Assignee: "olle", Today: today})
	w.exec(domain.KindPerson, person, domain.AddContact{Phone: "070"})

	check := func(l *projections.PersonLinks) {
		t.Helper()
		st, ok := l.Whereabouts(person)
		require.True(t, ok)
		assert.True(t, st.EntitledNow(domain.Reader{Sub: "bo"}, today, nil))
		assert.True(t, st.EntitledNow(domain.Reader{Sub: "anna"}, today, nil))
		assert.False(t, st.EntitledNow(domain.Reader{Sub: "olle"}, today, nil))
		assert.Equal(t, []string{"anna"}, l.LinkedBy(person))
		tasks := l.ProtectedCasesElsewhere(domain.Reader{Sub: "sara", SupervisorUnits: []string{"vuxen"}}, today, nil)
		require.Len(t, tasks, 1)
		assert.Equal(t, caseB, tasks[0].CaseID)
		assert.Empty(t, l.ProtectedCasesElsewhere(domain.Reader{Sub: "sven", SupervisorUnits: []string{"barn"}}, today, nil))
	}
	fresh := projections.NewPersonLinks()
	_, err = w.s.Read(ctx, 1, func(e *eventstore.Envelope) error { fresh.Apply(e); return nil })
	require.NoError(t, err)
	check(fresh)
	data, err := fresh.Capture()()
	require.NoError(t, err)
	restored := projections.NewPersonLinks()
	require.NoError(t, restored.Restore(data))
	check(restored)
	again, err := restored.Capture()()
	require.NoError(t, err)
	assert.JSONEq(t, string(data), string(again), "a restored projection snapshots the same")
}
