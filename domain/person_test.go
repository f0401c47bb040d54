package domain

import (
	"errors"
	"testing"
)

var personID = tid(1)

func personGiven(t *testing.T, evs ...any) *spec[Person] {
	return given(t, PersonDecider(), personID, evs...)
}

var registered = PersonRegistered{Sex: SexFemale, BirthYear: 1985, ResearchException: false}

func TestRegisterPerson(t *testing.T) {
	today := day("2026-03-01")
	t.Run("derives birth year and research exception from the personal number", func(t *testing.T) {
		personGiven(t).when(RegisterPerson{PersonDetails: PersonDetails{
			Sex: SexFemale, Name: "Eva E", PersonalNumber: "850715-2380", Phone: "070-1", Address: "Gatan 1",
		}, Today: today}).then(Event{
			Facts:    PersonRegistered{Sex: SexFemale, BirthYear: 1985, ResearchException: true},
			Personal: PersonIdentity{Name: "Eva E", PersonalNumber: "198507152380", Phone: "070-1", Address: "Gatan 1"},
			SealWith: PersonKey(personID),
		})
	})
	t.Run("without a personal number keeps the given birth year", func(t *testing.T) {
		personGiven(t).when(RegisterPerson{PersonDetails: PersonDetails{Sex: SexMale, BirthYear: 1970, Name: "Per"}, Today: today}).
			thenFacts(PersonRegistered{Sex: SexMale, BirthYear: 1970})
	})
	t.Run("already exists", func(t *testing.T) {
		personGiven(t, registered).when(RegisterPerson{PersonDetails: PersonDetails{Sex: SexMale, Name: "Per"}}).
			thenRule("already-exists")
	})
	t.Run("invalid fields are all listed", func(t *testing.T) {
		personGiven(t).when(RegisterPerson{PersonDetails: PersonDetails{
			Sex: "woman", BirthYear: 1850, PersonalNumber: "850715-2381",
		}, Today: today}).thenInvalid("sex", "birth_year", "name", "personal_number")
	})
	t.Run("birth year must agree with the personal number", func(t *testing.T) {
		personGiven(t).when(RegisterPerson{PersonDetails: PersonDetails{
			Sex: SexFemale, BirthYear: 1986, Name: "Eva", PersonalNumber: "198507152380",
		}, Today: today}).thenInvalid("birth_year")
	})
	t.Run("birth year not in the future", func(t *testing.T) {
		personGiven(t).when(RegisterPerson{PersonDetails: PersonDetails{Sex: SexFemale, BirthYear: 2027, Name: "Eva"}, Today: today}).
			thenInvalid("birth_year")
	})
}

func TestChangePersonDetails(t *testing.T) {
	personGiven(t, registered).when(&ChangePersonDetails{PersonDetails: PersonDetails{
		Sex: SexFemale, Name: "Eva Ny", PersonalNumber: "198507142381",
	}}).then(Event{
		Facts:    PersonDetailsChanged{Sex: SexFemale, BirthYear: 1985, ResearchException: false},
		Personal: PersonIdentity{Name: "Eva Ny", PersonalNumber: "198507142381"},
		SealWith: PersonKey(personID),
	})
	personGiven(t).when(ChangePersonDetails{PersonDetails: PersonDetails{Sex: SexFemale, Name: "Eva"}}).thenRule("not-found")
}

func TestChangeProtection(t *testing.T) {
	caseID := tid(50)
	anna := Reader{Sub: "anna"}
	r := personGiven(t, registered).when(ChangeProtection{Level: ProtectionRegistered, CaseID: caseID, By: anna, Assignee: "bo", Unit: "vuxen"}).
		then(Event{Facts: ProtectionChanged{Level: ProtectionRegistered, CaseID: caseID}},
			Event{Facts: EntitlementRecorded{Subs: []string{"anna", "bo"}, SupervisorUnits: []string{"vuxen"}, CaseID: caseID}})
	if s := r.after(); s.Protection != ProtectionRegistered || !s.Protection.Protected() || s.ProtectionCaseID != caseID {
		t.Fatalf("state after protection: %+v", s)
	}
	personGiven(t, registered, ProtectionChanged{Level: ProtectionMarked, CaseID: caseID}).
		when(ChangeProtection{Level: ProtectionMarked, CaseID: caseID, By: anna}).thenRule("protection-unchanged")
	personGiven(t, registered).when(ChangeProtection{Level: "secret", CaseID: "x"}).thenInvalid("level", "case_id")
}

func TestCullPerson(t *testing.T) {
	on := day("2032-12-31")
	personGiven(t, registered).when(CullPerson{CulledOn: on}).then(Event{Facts: PersonCulled{CulledOn: on}})
	personGiven(t, PersonRegistered{Sex: SexMale, ResearchException: true}).
		when(CullPerson{CulledOn: on}).thenRule("research-exception")
	// A later change of number can lift the exception.
	personGiven(t, PersonRegistered{Sex: SexMale, ResearchException: true}, PersonDetailsChanged{Sex: SexMale}).
		when(CullPerson{CulledOn: on}).thenFacts(PersonCulled{CulledOn: on})
	personGiven(t, registered).when(CullPerson{}).thenInvalid("culled_on")
}

func TestCulledPersonAcceptsNothing(t *testing.T) {
	culled := []any{registered, PersonCulled{CulledOn: day("2032-01-01")}}
	for _, cmd := range []Command{
		ChangePersonDetails{PersonDetails: PersonDetails{Sex: SexFemale, Name: "Eva"}},
		ChangeProtection{Level: ProtectionMarked, CaseID: tid(50), By: Reader{Sub: "anna"}},
		CullPerson{CulledOn: day("2033-01-01")},
	} {
		personGiven(t, culled...).when(cmd).thenRule("person-culled")
	}
	personGiven(t, culled...).when(RegisterPerson{PersonDetails: PersonDetails{Sex: SexFemale, Name: "Eva"}}).
		thenRule("already-exists")
}

func TestPersonNotFoundAndUnknownCommand(t *testing.T) {
	personGiven(t).when(CullPerson{CulledOn: day("2030-01-01")}).thenRule("not-found")
	_, err := PersonDecider().Decide(Person{}, AddNote{Text: "x", NoteID: tid(3)})
	if !errors.Is(err, ErrUnknownCommand) {
		t.Fatalf("want ErrUnknownCommand, got %v", err)
	}
}

func TestPersonState(t *testing.T) {
	s := personGiven(t, registered, PersonDetailsChanged{Sex: SexOther, BirthYear: 1990, ResearchException: true}).state()
	if !s.Exists || s.Sex != SexOther || s.BirthYear != 1990 || !s.ResearchException || s.Version != 2 ||
		s.Protection != ProtectionNone || !s.LastRecordedAt.Equal(t0.Add(1*3600e9)) {
		t.Fatalf("state: %+v", s)
	}
}
