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

// countEvents is how many events the stream holds now.
func countEvents(t *testing.T, w world) int {
	n := 0
	_, err := w.s.Read(context.Background(), 1, func(*eventstore.Envelope) error { n++; return nil })
	require.NoError(t, err)
	return n
}

// TestRestartReplaysOnlyTheTail: a runner stopped after a snapshot starts
// again from it, applies only what came after, and ends equal to a rebuild
// from zero.
func TestRestartReplaysOnlyTheTail(t *testing.T) {
	w := world{t: t, s: newStore(t)}
	for i := 0; i < 5; i++ {
		id := w.openCase("vuxen", "anna", domain.AdultVictim)
		w.followUpDue(id, domain.NewDate(2026, 7, i+1))
	}
	r1, _, stop := runLive(t, w, projections.Options{SnapshotEvery: 3})
	caughtUp(t, w, r1)
	live, err := r1.Digest()
	require.NoError(t, err)
	stop() // saves a final snapshot
	before := countEvents(t, w)

	tail := w.openCase("vuxen", "bertil", domain.AdultVictim)
	w.exec(domain.KindCase, tail, domain.AddNote{Text: "x", NoteID: domain.NewID()})
	tailEvents := countEvents(t, w) - before

	r2, cases, _ := runLive(t, w, projections.Options{SnapshotEvery: 3})
	caughtUp(t, w, r2)
	assert.Equal(t, int64(tailEvents), r2.AppliedSinceStart(), "only the tail is replayed")
	assert.NotZero(t, r2.RestoredAt())
	_, ok := cases.Case(tail)
	assert.True(t, ok)

	restarted, err := r2.Digest()
	require.NoError(t, err)
	assert.NotEqual(t, live, restarted)
	fresh, err := projections.NewRunner(w.s, projections.Options{NoSnapshots: true}, projections.All()...)
	require.NoError(t, err)
	_, err = fresh.Rebuild(context.Background(), nil)
	require.NoError(t, err)
	rebuilt, err := fresh.Digest()
	require.NoError(t, err)
	assert.Equal(t, rebuilt, restarted, "restart from snapshot + tail equals a rebuild from zero")
}

// A snapshot that does not restore means a rebuild, not a wrong state.
func TestBrokenSnapshotRebuilds(t *testing.T) {
	w := world{t: t, s: newStore(t)}
	w.openCase("vuxen", "anna", domain.AdultVictim)
	require.NoError(t, w.s.Snapshots().Save(context.Background(), "projections", 999, []byte(`{"cases": "garbage"}`)))
	r, cases, _ := runLive(t, w, projections.Options{SnapshotEvery: 1000})
	caughtUp(t, w, r)
	assert.Zero(t, r.RestoredAt())
	assert.Equal(t, 1, cases.Len())
}

// A snapshot is captured between two events and serialized while later
// events are applied: what it serializes is the state at the capture,
// whatever is applied meanwhile (a correction rewriting an earlier fact, a
// child linked to a case, new cases), and the race detector finds no
// shared memory written under it.
func TestCaptureIsTheStateAtCapture(t *testing.T) {
	w := world{t: t, s: newStore(t)}
	var first []domain.ID
	for range 5 {
		first = append(first, w.openCase("vuxen", "anna", domain.AdultVictim))
	}
	decision := w.exec(domain.KindCase, first[0], domain.MakeDecision{SupportType: domain.SupportTalks, Outcome: domain.OutcomeGranted,
		Goals: []string{"g"}, ValidFrom: domain.NewDate(2026, 1, 15), ValidTo: domain.NewDate(2026, 12, 31), DecisionID: domain.NewID(),
		DecidedOn: domain.NewDate(2026, 1, 15), Authority: domain.Authority{Sub: "sara", Roles: []string{domain.RoleSupervisor}, Order: domain.DefaultDelegationOrder()}})
	// A third event leaves room in the case's log (capacity 4), so the
	// correction below is appended in place and rewrites the decision there.
	w.exec(domain.KindCase, first[0], domain.AddNote{Text: "x", NoteID: domain.NewID()})
	shelterID := domain.NewID()
	w.exec(domain.KindProvider, shelterID, domain.RegisterProvider{ProviderDetails: shelter("A")})
	atCapture := countEvents(t, w)

	child := domain.NewID()
	w.exec(domain.KindPerson, child, domain.RegisterPerson{PersonDetails: domain.PersonDetails{Sex: domain.SexMale, BirthYear: 2015, Name: "C"}, Today: today})
	w.exec(domain.KindCase, first[1], domain.AddChild{PersonID: child, Relation: domain.ChildWitnessed, Today: today})
	w.exec(domain.KindCase, first[0], domain.Correct{EventID: decision.Events[0].ID, Reason: "fel slutdatum", Corrected: []byte(`{"valid_to":"2026-06-30"}`)})
	for range 3 {
		w.openCase("barn", "bertil", domain.ChildVictim)
	}
	w.exec(domain.KindProvider, shelterID, domain.ReportVacancies{Adults: 2, AsOf: today})

	var envs []eventstore.Envelope
	_, err := w.s.Read(context.Background(), 1, func(e *eventstore.Envelope) error { envs = append(envs, *e); return nil })
	require.NoError(t, err)
	require.Greater(t, len(envs), atCapture)

	live := projections.All()
	for i := range envs[:atCapture] {
		for _, p := range live {
			p.Apply(&envs[i])
		}
	}
	serializers := make([]func() ([]byte, error), len(live))
	for i, p := range live {
		serializers[i] = p.Capture()
	}
	captured := make([][]byte, len(live))
	done := make(chan error, 1)
	go func() { // serialized while the rest is applied
		for i, serialize := range serializers {
			b, err := serialize()
			if err != nil {
				done <- err
				return
			}
			captured[i] = b
		}
		done <- nil
	}()
	for i := range envs[atCapture:] {
		for _, p := range live {
			p.Apply(&envs[atCapture+i])
		}
	}
	require.NoError(t, <-done)

	for i, p := range projections.All() {
		for j := range envs[:atCapture] {
			p.Apply(&envs[j])
		}
		want, err := p.Capture()()
		require.NoError(t, err)
		assert.Equal(t, string(want), string(captured[i]), p.Name())
		now, err := live[i].Capture()()
		require.NoError(t, err)
		assert.NotEqual(t, string(want), string(now), "%s: the later events changed the live state", p.Name())
	}
}
