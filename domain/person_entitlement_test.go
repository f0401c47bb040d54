package domain

import (
	"errors"
	"testing"
)

// Who may see a protected person's whereabouts, Given events / When
// command / Then events or error.

var (
	protCase   = tid(50)
	otherCase  = tid(51)
	supVuxen   = Reader{Sub: "sara", SupervisorUnits: []string{"vuxen"}}
	supBarn    = Reader{Sub: "sven", SupervisorUnits: []string{"barn"}}
	workerAnna = Reader{Sub: "anna"}
	workerBo   = Reader{Sub: "bo"}
	today      = day("2026-03-10")
	// The first protection, recorded by anna through a case assigned to
	// her in vuxen: what the decider writes for it.
	firstProtection = []any{
		registered,
		Recorded{Actor: "anna", Facts: ProtectionChanged{Level: ProtectionRegistered, CaseID: protCase}},
		Recorded{Actor: "anna", Facts: EntitlementRecorded{Subs: []string{"anna"}, SupervisorUnits: []string{"vuxen"}, CaseID: protCase}},
	}
)

func (r *result[S]) thenNotEntitled() {
	r.spec.t.Helper()
	var ne *NotEntitledError
	if !errors.As(r.err, &ne) {
		r.spec.t.Fatalf("want NotEntitledError, got %v (events %v)", r.err, names(r.events))
	}
}

func TestFirstProtectionEntitlesRecorderAssigneeAndUnitSupervisors(t *testing.T) {
	s := personGiven(t, firstProtection...).state()
	for _, c := range []struct {
		who  Reader
		want bool
	}{
		{workerAnna, true}, {supVuxen, true}, {workerBo, false}, {supBarn, false},
		{Reader{Sub: "sara"}, false}, // sara without the supervisor role in the token
	} {
		if got := s.EntitledNow(c.who, today, nil); got != c.want {
			t.Errorf("%+v entitled = %v, want %v", c.who, got, c.want)
		}
	}
}

func TestRaisingOrLoweringEntitlesNoOne(t *testing.T) {
	// bo reaches the person and raises the level: allowed, but he is
	// not entitled by it, and no entitlement is recorded.
	r := personGiven(t, firstProtection...).
		when(ChangeProtection{Level: ProtectionFictitious, CaseID: otherCase, By: workerBo, Assignee: "bo", Unit: "barn", Today: today}).
		thenFacts(ProtectionChanged{Level: ProtectionFictitious, CaseID: otherCase})
	s := r.after()
	if s.EntitledNow(workerBo, today, nil) || s.EntitledNow(supBarn, today, nil) {
		t.Fatalf("raising entitled someone: %+v", s)
	}
	// Lowering by an entitled supervisor entitles no one else either.
	r = personGiven(t, firstProtection...).
		when(ChangeProtection{Level: ProtectionMarked, Reason: "Skyddet har upphört", By: supVuxen, Assignee: "bo", Unit: "barn", Today: today})
	r.then(Event{Facts: ProtectionLowered{Level: ProtectionMarked}, Personal: ReasonText{"Skyddet har upphört"}, SealWith: PersonKey(personID)})
	if s := r.after(); s.EntitledNow(workerBo, today, nil) || s.Protection != ProtectionMarked {
		t.Fatalf("after lowering: %+v", s)
	}
}

func TestLoweringIsForAnEntitledSupervisorWithAReason(t *testing.T) {
	for _, c := range []struct {
		name string
		by   Reader
	}{
		{"an entitled worker", workerAnna},
		{"an unentitled worker", workerBo},
		{"a supervisor of another unit", supBarn},
	} {
		t.Run(c.name, func(t *testing.T) {
			for _, level := range []ProtectionLevel{ProtectionNone, ProtectionMarked} {
				personGiven(t, firstProtection...).when(ChangeProtection{Level: level, Reason: "x", By: c.by, Today: today}).thenNotEntitled()
			}
		})
	}
	personGiven(t, firstProtection...).when(ChangeProtection{Level: ProtectionNone, By: supVuxen, Today: today}).thenInvalid("reason")
	personGiven(t, firstProtection...).when(ChangeProtection{Level: ProtectionNone, Reason: "Avregistrerad", By: supVuxen, Today: today}).
		thenFacts(ProtectionLowered{Level: ProtectionNone})
}

func TestGrantsSeeExpireAndAreRevoked(t *testing.T) {
	grant := GrantWhereabouts{Sub: "bo", Until: day("2026-03-31"), Reason: "Vikarierar", GrantID: tid(70), By: supVuxen, Today: today}
	r := personGiven(t, firstProtection...).when(grant).
		then(Event{Facts: WhereaboutsGranted{GrantID: tid(70), Sub: "bo", Until: day("2026-03-31")}, Personal: ReasonText{"Vikarierar"}, SealWith: PersonKey(personID)})
	s := r.after()
	for _, c := range []struct {
		on   string
		want bool
	}{{"2026-03-10", true}, {"2026-03-31", true}, {"2026-04-01", false}} {
		if got := s.EntitledNow(workerBo, day(c.on), nil); got != c.want {
			t.Errorf("on %s: entitled %v, want %v (the end date is inclusive)", c.on, got, c.want)
		}
	}
	granted := append(append([]any{}, firstProtection...), WhereaboutsGranted{GrantID: tid(70), Sub: "bo", Until: day("2026-03-31")})
	r = personGiven(t, granted...).when(RevokeGrant{Reason: "Klart", GrantID: tid(70), By: supVuxen, Today: today}).
		then(Event{Facts: WhereaboutsGrantRevoked{GrantID: tid(70)}, Personal: ReasonText{"Klart"}, SealWith: PersonKey(personID)})
	if r.after().EntitledNow(workerBo, today, nil) {
		t.Fatal("a revoked grant still entitles")
	}
	revoked := append(append([]any{}, granted...), WhereaboutsGrantRevoked{GrantID: tid(70)})
	personGiven(t, revoked...).when(RevokeGrant{Reason: "igen", GrantID: tid(70), By: supVuxen}).thenRule("grant-revoked")
	personGiven(t, firstProtection...).when(RevokeGrant{Reason: "x", GrantID: tid(71), By: supVuxen}).thenRule("grant-not-found")

	t.Run("only an entitled supervisor grants or revokes", func(t *testing.T) {
		for _, by := range []Reader{workerAnna, workerBo, supBarn} {
			g := grant
			g.By = by
			personGiven(t, firstProtection...).when(g).thenNotEntitled()
			personGiven(t, granted...).when(RevokeGrant{Reason: "x", GrantID: tid(70), By: by}).thenNotEntitled()
		}
		// A grantee is entitled, but grants only if they supervise.
		g := grant
		g.Sub, g.GrantID, g.By = "cilla", tid(72), workerBo
		personGiven(t, granted...).when(g).thenNotEntitled()
	})
	t.Run("bad grants", func(t *testing.T) {
		personGiven(t, firstProtection...).when(GrantWhereabouts{By: supVuxen, Today: today}).thenInvalid("sub", "until", "reason", "grant_id")
		personGiven(t, firstProtection...).when(GrantWhereabouts{Sub: "bo", Until: day("2026-03-09"), Reason: "x", GrantID: tid(73), By: supVuxen, Today: today}).thenInvalid("until")
		personGiven(t, firstProtection...).when(GrantWhereabouts{Sub: "bo", Until: day("2027-03-11"), Reason: "x", GrantID: tid(73), By: supVuxen, Today: today}).thenInvalid("until")
		personGiven(t, registered).when(GrantWhereabouts{Sub: "bo", Until: day("2026-03-20"), Reason: "x", GrantID: tid(73), By: supVuxen, Today: today}).thenRule("not-protected")
	})
}

func TestReassignmentGrantHoldsWhileAssignee(t *testing.T) {
	r := personGiven(t, firstProtection...).
		when(GrantWhereabouts{Sub: "bo", Reason: "Omfördelning", GrantID: tid(74), CaseID: protCase, By: supVuxen, Today: today}).
		thenFacts(WhereaboutsGranted{GrantID: tid(74), Sub: "bo", CaseID: protCase})
	s := r.after()
	assignee := "bo"
	of := func(id ID) string {
		if id == protCase {
			return assignee
		}
		return ""
	}
	if !s.EntitledNow(workerBo, today, of) {
		t.Fatal("the new assignee is not entitled")
	}
	assignee = "cilla"
	if s.EntitledNow(workerBo, today, of) {
		t.Fatal("entitled after the case moved on")
	}
	if s.EntitledNow(workerBo, today, nil) {
		t.Fatal("a case-bound grant counted without the case")
	}
}

func TestEntitlementDerivedInAnOldStore(t *testing.T) {
	// Before EntitlementRecorded existed, the first protection was a
	// ProtectionChanged alone; the recorder is entitled from it and the
	// case's assignee and unit at that moment by Derive.
	old := personGiven(t, registered, Recorded{Actor: "anna", Facts: ProtectionChanged{Level: ProtectionMarked, CaseID: protCase}}).state()
	if old.DerivedFrom != protCase || !old.EntitledNow(workerAnna, today, nil) || old.EntitledNow(supVuxen, today, nil) {
		t.Fatalf("old state: %+v", old)
	}
	d := old.Derive(Derivation{Assignee: "bo", Unit: "vuxen"})
	if !d.EntitledNow(workerBo, today, nil) || !d.EntitledNow(supVuxen, today, nil) || d.EntitledNow(supBarn, today, nil) {
		t.Fatalf("derived: %+v", d)
	}
	if old.EntitledNow(workerBo, today, nil) {
		t.Fatal("Derive changed the state it was given")
	}
	// A new store's state needs no derivation.
	if s := personGiven(t, firstProtection...).state(); s.DerivedFrom != "" {
		t.Fatalf("derivation pending in a new store: %+v", s)
	}
	// The decider derives with what the server found: the old unit's
	// supervisor may lower.
	personGiven(t, registered, Recorded{Actor: "anna", Facts: ProtectionChanged{Level: ProtectionMarked, CaseID: protCase}}).
		when(ChangeProtection{Level: ProtectionNone, Reason: "Upphört", By: supVuxen, Today: today, Derived: Derivation{Assignee: "bo", Unit: "vuxen"}}).
		thenFacts(ProtectionLowered{Level: ProtectionNone})
}

func TestAddContact(t *testing.T) {
	personGiven(t, registered).when(AddContact{Phone: "070-9", Address: "Nya vägen 1"}).
		then(Event{Facts: PersonContactAdded{}, Personal: PersonIdentity{Phone: "070-9", Address: "Nya vägen 1"}, SealWith: PersonKey(personID)})
	personGiven(t, registered).when(AddContact{}).then(Event{Facts: PersonContactAdded{}, Personal: PersonIdentity{}, SealWith: PersonKey(personID)})
	personGiven(t).when(AddContact{}).thenRule("not-found")
}

func TestReassignRules(t *testing.T) {
	for _, c := range []struct {
		name      string
		by        Reader
		protected bool
		allowed   bool
	}{
		{"the assignee hands off their own case", workerAnna, false, true},
		{"a worker takes someone else's case", workerBo, false, false},
		{"the assignee hands off a protected person's case", workerAnna, true, false},
		{"a supervisor reassigns", supVuxen, false, true},
		{"a supervisor reassigns a protected person's case", supVuxen, true, true},
		{"nobody", Reader{}, false, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := caseGiven(t, opened).when(Reassign{Assignee: "bo", Unit: "vuxen", By: c.by, Protected: c.protected})
			if c.allowed {
				r.thenFacts(Reassigned{Assignee: "bo", Unit: "vuxen"})
			} else {
				r.thenNotEntitled()
			}
		})
	}
}
