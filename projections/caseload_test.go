package projections_test

import (
	"context"
	"testing"
	"time"

	"github.com/fristad/fristad/domain"
	"github.com/fristad/fristad/projections"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func runLive(t *testing.T, w world, opt projections.Options) (*projections.Runner, *projections.Cases, context.CancelFunc) {
	t.Helper()
	links, cases := projections.NewPersonLinks(), projections.NewCases()
	r, err := projections.NewRunner(w.s, opt, links, cases, projections.NewProviders())
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { _ = r.Run(ctx); close(done) }()
	stop := func() { cancel(); <-done }
	t.Cleanup(stop)
	return r, cases, stop
}

func caughtUp(t *testing.T, w world, r *projections.Runner) {
	t.Helper()
	require.NoError(t, r.CatchUp(context.Background(), 5*time.Second))
}

func TestCaseloadOrderFiltersAndPages(t *testing.T) {
	w := world{t: t, s: newStore(t)}
	late := w.openCase("vuxen", "anna", domain.AdultVictim)
	w.followUpDue(late, domain.NewDate(2026, 5, 1)) // overdue on June 1
	soon := w.openCase("vuxen", "anna", domain.AdultVictim)
	w.followUpDue(soon, domain.NewDate(2026, 6, 10))
	later := w.openCase("vuxen", "bertil", domain.AdultVictim)
	w.followUpDue(later, domain.NewDate(2026, 9, 1))
	none := w.openCase("vuxen", "anna", domain.AdultVictim)
	w.exec(domain.KindCase, none, domain.AssessRisk{Instrument: domain.InstrFredaDanger, Level: domain.RiskHigh, Concerns: domain.ConcernAdult, AssessedOn: domain.NewDate(2026, 3, 1)})
	other := w.openCase("barn", "olle", domain.ChildVictim)

	// A perpetrator's case whose partner contact reports new violence.
	perp := w.openCase("vuxen", "anna", domain.Perpetrator)
	pc, partner := domain.NewID(), domain.NewID()
	offer := domain.OfferPartnerContact{TreatmentCaseID: perp, Partner: domain.PartnerDetails{Name: "P"}, PartnerID: partner, Today: today}
	w.exec(domain.KindPerson, partner, offer.RegisterPartner())
	w.exec(domain.KindPartnerContact, pc, offer)
	w.exec(domain.KindPartnerSide, pc, domain.OpenPartnerSide{TreatmentCaseID: perp, PartnerID: partner})
	w.exec(domain.KindPartnerContact, pc, domain.RecordConsent{Status: domain.ConsentGiven, SignedOn: today, Document: "d"})
	w.exec(domain.KindPartnerSide, pc, domain.NoteTreatmentSide{Consent: domain.ConsentGiven})
	w.exec(domain.KindPartnerSide, pc, domain.RecordApproach{Channel: domain.ChannelPhone, Outcome: domain.ApproachReached, On: today})
	// New violence is on the partner side's record.
	w.exec(domain.KindPartnerSide, pc, domain.ReportNewViolence{ReportedOn: today})

	r, cases, _ := runLive(t, w, projections.Options{NoSnapshots: true})
	caughtUp(t, w, r)

	q := projections.Query{Units: []string{"vuxen"}, Today: today}
	rows, next, err := cases.Caseload(q)
	require.NoError(t, err)
	assert.Empty(t, next)
	var ids []domain.ID
	for _, row := range rows {
		ids = append(ids, row.ID)
	}
	require.Len(t, ids, 5, "only the reader's unit")
	assert.Equal(t, []domain.ID{late, soon, later}, ids[:3], "overdue first, then by due date")
	assert.ElementsMatch(t, []domain.ID{none, perp}, ids[3:], "no follow-up due: last")
	assert.True(t, rows[0].Overdue)
	assert.False(t, rows[1].Overdue)
	assert.NotContains(t, ids, other)
	for _, row := range rows {
		assert.Empty(t, row.PartnerContactFlags, "case workers do not see partner-contact flags")
	}

	q.Supervisor = true
	rows, _, err = cases.Caseload(q)
	require.NoError(t, err)
	for _, row := range rows {
		if row.ID == perp {
			assert.Equal(t, []string{"new_violence"}, row.PartnerContactFlags)
		}
	}

	for _, c := range []struct {
		name string
		q    projections.Query
		want []domain.ID
	}{
		{"assignee", projections.Query{Units: []string{"vuxen"}, Today: today, Assignee: "bertil"}, []domain.ID{later}},
		{"overdue", projections.Query{Units: []string{"vuxen"}, Today: today, Overdue: true}, []domain.ID{late}},
		{"risk", projections.Query{Units: []string{"vuxen"}, Today: today, Risk: domain.RiskHigh}, []domain.ID{none}},
		{"unit outside the reader's", projections.Query{Units: []string{"vuxen"}, Today: today, Unit: "barn"}, nil},
		{"closed", projections.Query{Units: []string{"vuxen"}, Today: today, Status: domain.StatusClosed}, nil},
	} {
		rows, _, err := cases.Caseload(c.q)
		require.NoError(t, err)
		var got []domain.ID
		for _, row := range rows {
			got = append(got, row.ID)
		}
		assert.Equal(t, c.want, got, c.name)
	}

	// Pages of one: every row once, in order.
	var paged []domain.ID
	cursor := ""
	for i := 0; i < 10; i++ {
		rows, next, err := cases.Caseload(projections.Query{Units: []string{"vuxen"}, Today: today, Limit: 1, Cursor: cursor})
		require.NoError(t, err)
		for _, row := range rows {
			paged = append(paged, row.ID)
		}
		if next == "" {
			break
		}
		cursor = next
	}
	assert.Equal(t, ids, paged)
	_, _, err = cases.Caseload(projections.Query{Units: []string{"vuxen"}, Cursor: "bogus"})
	assert.ErrorIs(t, err, projections.ErrBadCursor)

	dash := cases.OverdueIn([]string{"vuxen"}, today, 30, true)
	require.Len(t, dash.FollowUps, 1)
	assert.Equal(t, late, dash.FollowUps[0].ID)
	require.Len(t, dash.RiskChecks, 1, "high risk assessed on March 1 is older than 30 days")
	assert.Equal(t, none, dash.RiskChecks[0].ID)
}

func TestPlacementRow(t *testing.T) {
	w := world{t: t, s: newStore(t)}
	id := w.openCase("vuxen", "anna", domain.AdultVictim)
	child := domain.NewID()
	w.exec(domain.KindPerson, child, domain.RegisterPerson{PersonDetails: domain.PersonDetails{Sex: domain.SexMale, BirthYear: 2016, Name: "C"}, Today: today})
	w.exec(domain.KindCase, id, domain.AddChild{PersonID: child, Relation: domain.ChildWitnessed, Today: today})
	housing, childDecision, placement := domain.NewID(), domain.NewID(), domain.NewID()
	grant := func(d, c domain.ID) {
		w.exec(domain.KindCase, id, domain.MakeDecision{SupportType: domain.SupportProtectedHousing, Outcome: domain.OutcomeGranted, Goals: []string{"g"},
			ValidFrom: domain.NewDate(2026, 4, 1), ValidTo: domain.NewDate(2026, 5, 15), ChildID: c, DecisionID: d,
			DecidedOn: domain.NewDate(2026, 4, 1), Reasons: "r", Authority: domain.Authority{Sub: "sara", Roles: []string{domain.RoleSupervisor}, Order: domain.DefaultDelegationOrder()}})
	}
	grant(housing, "")
	grant(childDecision, child)
	w.exec(domain.KindCase, id, domain.StartPlacement{DecisionID: housing, ProviderID: "01J0000000PR0V1DER0000000A", MovedInOn: domain.NewDate(2026, 5, 1), ChildIDs: []domain.ID{child}, PlacementID: placement, At: municipalShelter("01J0000000PR0V1DER0000000A")})

	r, cases, _ := runLive(t, w, projections.Options{NoSnapshots: true})
	caughtUp(t, w, r)
	rows, _, err := cases.Caseload(projections.Query{Units: []string{"vuxen"}, Today: today})
	require.NoError(t, err)
	require.NotNil(t, rows[0].Placement)
	p := rows[0].Placement
	assert.Equal(t, 32, p.DaysInShelter, "May 1 to June 1, both days counted")
	assert.Equal(t, []projections.RowSchooled{{ChildID: child, Schooled: false}}, p.Children)
	dash := cases.OverdueIn([]string{"vuxen"}, today, 30, false)
	require.Len(t, dash.Placements, 1, "the placement outlived its decision (May 15)")

	w.exec(domain.KindCase, id, domain.ArrangeSchooling{PlacementID: placement, ChildID: child, ArrangedOn: today, SchoolKind: domain.SchoolNew})
	caughtUp(t, w, r)
	rows, _, _ = cases.Caseload(projections.Query{Units: []string{"vuxen"}, Today: today})
	assert.True(t, rows[0].Placement.Children[0].Schooled)
}
