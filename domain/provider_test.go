package domain

import (
	"strings"
	"testing"
)

var (
	shelterID  = tid(300)
	shelterKey = ProviderKey(shelterID)
	action1    = tid(301)
	action2    = tid(302)
	followUp1  = tid(303)
)

func providerGiven(t *testing.T, evs ...any) *spec[Provider] {
	return given(t, ProviderDecider(), shelterID, evs...)
}

func intp(n int) *int { return &n }

// shelterDetails is a women's shelter: women and children, girls of any
// age but boys only up to 12, no pets, no wheelchair.
func shelterDetails() ProviderDetails {
	return ProviderDetails{
		Name: "Kvinnojouren Linnea", Kind: ProviderWomensShelter, Municipality: "Uppsala", Region: "Uppsala län",
		Address: "Hemliga gatan 1", PlacesAdults: 6, PlacesChildren: 8, TargetGroups: []ProviderTargetGroup{ProvidesWomen},
		ChildrenMaxAge: 17, BoysMaxAge: intp(12), Languages: []string{"sv", "ar"}, Competences: []string{"Heder"}, Staffed: StaffedAlways,
	}
}

var shelterRegistered = ProviderRegistered{shelterDetails().profile()}

var permit2026 = PermitRecorded{Authority: "IVO", Number: "3.5.1-1234/2025", ValidFrom: day("2026-01-01"), ValidTo: day("2026-12-31")}

func TestRegisterProvider(t *testing.T) {
	d := shelterDetails()
	r := providerGiven(t).when(RegisterProvider{ProviderDetails: d}).
		then(Event{Facts: shelterRegistered, Personal: ProviderPrivate{Address: "Hemliga gatan 1", Competences: []string{"Heder"}}, SealWith: shelterKey})
	// The address is sealed and never part of the facts or the state.
	for _, e := range r.events {
		b, _, _ := Events().EncodeFacts(e.Facts)
		if strings.Contains(string(b), "Hemliga") {
			t.Fatalf("address in clear facts: %s", b)
		}
	}
	if s := r.after(); !s.Exists || s.Name != "Kvinnojouren Linnea" || s.PermitValidOn(day("2026-03-01")) {
		t.Fatalf("state: %+v", s)
	}
	providerGiven(t, shelterRegistered).when(RegisterProvider{ProviderDetails: d}).thenRule("already-exists")
	providerGiven(t).when(RecordPermit{Authority: "IVO", Number: "1", ValidFrom: day("2026-01-01")}).thenRule("not-found")

	bad := d
	bad.Kind, bad.Address, bad.PlacesAdults, bad.TargetGroups = "hotel", "", 0, []ProviderTargetGroup{"cats"}
	bad.ChildrenMaxAge, bad.BoysMaxAge, bad.PetsAccepted, bad.AllergyFree = 10, intp(14), true, true
	bad.Languages, bad.Staffed = []string{"svenska"}, ""
	providerGiven(t).when(RegisterProvider{ProviderDetails: bad}).thenInvalid("kind", "address", "places_adults", "target_groups[0]",
		"boys_max_age", "allergy_free", "languages[0]", "staffed")
}

func TestChangeProviderProfile(t *testing.T) {
	d := shelterDetails()
	d.PlacesAdults = 8
	r := providerGiven(t, shelterRegistered).when(ChangeProviderProfile{ProviderDetails: d, ByProvider: true}).
		thenFacts(ProviderProfileChanged{d.profile()})
	if s := r.after(); s.PlacesAdults != 8 {
		t.Fatalf("places: %d", s.PlacesAdults)
	}
	// The provider's own staff cannot make themselves a municipal shelter
	// (which needs no permit); a supervisor or admin can.
	d.Kind = ProviderMunicipal
	providerGiven(t, shelterRegistered).when(ChangeProviderProfile{ProviderDetails: d, ByProvider: true}).thenRule("provider-kind-locked")
	providerGiven(t, shelterRegistered).when(ChangeProviderProfile{ProviderDetails: d}).thenFacts(ProviderProfileChanged{d.profile()})
}

func TestRecordPermit(t *testing.T) {
	r := providerGiven(t, shelterRegistered).when(RecordPermit{Authority: "IVO", Number: "3.5.1-1234/2025", ValidFrom: day("2026-01-01"), ValidTo: day("2026-12-31")}).
		then(Event{Facts: permit2026})
	s := r.after()
	for _, tc := range []struct {
		on   string
		want bool
	}{{"2025-12-31", false}, {"2026-01-01", true}, {"2026-12-31", true}, {"2027-01-01", false},
		{"2024-03-31", true}, // before private providers needed a permit
		{"2024-04-01", false}} {
		if got := s.PermitValidOn(day(tc.on)); got != tc.want {
			t.Errorf("valid on %s: %v, want %v", tc.on, got, tc.want)
		}
	}
	// A permit without an end holds until further notice.
	open := PermitRecorded{Authority: "IVO", Number: "9", ValidFrom: day("2026-01-01")}
	if !providerGiven(t, shelterRegistered, open).state().PermitValidOn(day("2040-01-01")) {
		t.Error("open-ended permit not valid")
	}
	providerGiven(t, shelterRegistered).when(RecordPermit{Authority: "", Number: "a b; drop", ValidFrom: day("2026-02-01"), ValidTo: day("2026-01-01")}).
		thenInvalid("authority", "number", "valid_to")
}

func TestMunicipalShelterNeedsNoPermit(t *testing.T) {
	m := shelterRegistered
	m.Kind = ProviderMunicipal
	if !providerGiven(t, m).state().PermitValidOn(day("2026-05-01")) {
		t.Fatal("a municipality's own shelter needs no permit")
	}
}

func TestReportVacancies(t *testing.T) {
	cmd := ReportVacancies{Adults: 2, Children: 3, AsOf: day("2026-03-01"), Today: day("2026-03-02")}
	r := providerGiven(t, shelterRegistered).when(cmd).then(Event{Facts: VacanciesReported{Adults: 2, Children: 3, AsOf: day("2026-03-01")}})
	if v := r.after().Vacancies; v == nil || v.Adults != 2 {
		t.Fatalf("vacancies: %+v", v)
	}
	providerGiven(t, shelterRegistered, VacanciesReported{Adults: 1, AsOf: day("2026-03-05")}).when(cmd).thenRule("vacancies-outdated")
	providerGiven(t, shelterRegistered).when(ReportVacancies{Adults: 7, AsOf: day("2026-03-01")}).thenRule("vacancies-above-places")
	providerGiven(t, shelterRegistered).when(ReportVacancies{Adults: -1, AsOf: day("2026-03-09"), Today: day("2026-03-02")}).
		thenInvalid("adults", "as_of")
}

func followUpCmd() FollowUpProvider {
	return FollowUpProvider{
		ChecklistVersion: "2026.1", FollowedUpOn: day("2026-04-01"), Today: day("2026-04-02"),
		Answers: []ChecklistAnswerInput{
			{Question: "safety.staff_night", Answer: AnswerNo, Note: "Ingen nattpersonal"},
			{Question: "routines.lex_sarah_report", Answer: AnswerYes},
		},
		Findings:       "Nattbemanning saknas",
		Actions:        []ActionInput{{Action: "Ordna nattjour", DueOn: day("2026-06-01")}, {Action: "Ny rutin", DueOn: day("2026-05-01")}},
		NextFollowUpOn: day("2027-04-01"), FollowUpID: followUp1, ActionIDs: []ID{action1, action2},
	}
}

var followedUp = ProviderFollowedUp{
	FollowUpID: followUp1, ChecklistVersion: "2026.1", FollowedUpOn: day("2026-04-01"),
	Answers:        []ChecklistAnswered{{Question: "safety.staff_night", Answer: AnswerNo}, {Question: "routines.lex_sarah_report", Answer: AnswerYes}},
	Actions:        []ActionAgreed{{ActionID: action1, DueOn: day("2026-06-01")}, {ActionID: action2, DueOn: day("2026-05-01")}},
	NextFollowUpOn: day("2027-04-01"),
}

func TestFollowUpProvider(t *testing.T) {
	r := providerGiven(t, shelterRegistered).when(followUpCmd()).then(Event{Facts: followedUp, SealWith: shelterKey,
		Personal: ProviderFollowUpTexts{Notes: []string{"Ingen nattpersonal", ""}, Findings: "Nattbemanning saknas", Actions: []string{"Ordna nattjour", "Ny rutin"}}})
	s := r.after()
	if s.OpenActions() != 2 || !s.NextFollowUpOn.Equal(day("2027-04-01")) {
		t.Fatalf("state: %+v", s)
	}
	providerGiven(t, shelterRegistered, followedUp).when(followUpCmd()).thenRule("follow-up-exists")

	t.Run("answers only to questions of the version named", func(t *testing.T) {
		c := followUpCmd()
		c.Answers = append(c.Answers, ChecklistAnswerInput{Question: "safety.dragons", Answer: AnswerYes},
			ChecklistAnswerInput{Question: "safety.staff_night", Answer: "maybe"})
		providerGiven(t, shelterRegistered).when(c).thenInvalid("answers[2].question", "answers[3].question", "answers[3].answer")
		c = followUpCmd()
		c.ChecklistVersion = "1999.1"
		providerGiven(t, shelterRegistered).when(c).thenInvalid("checklist_version")
		c.ChecklistVersion = ""
		providerGiven(t, shelterRegistered).when(c).thenInvalid("checklist_version")
	})
	t.Run("dates", func(t *testing.T) {
		c := followUpCmd()
		c.FollowedUpOn = day("2026-04-03")
		c.NextFollowUpOn = day("2026-04-03")
		c.Actions[0].DueOn = day("2026-01-01")
		providerGiven(t, shelterRegistered).when(c).thenInvalid("followed_up_on", "next_follow_up_on", "actions[0].due_on")
	})
}

func TestCompleteProviderAction(t *testing.T) {
	cmd := CompleteProviderAction{ActionID: action1, Note: "Klart", DoneOn: day("2026-05-10")}
	r := providerGiven(t, shelterRegistered, followedUp).when(cmd).
		then(Event{Facts: ProviderActionDone{ActionID: action1, DoneOn: day("2026-05-10")}, Personal: Text{"Klart"}, SealWith: shelterKey})
	s := r.after()
	if a, _ := s.Action(action1); a.Open() || s.OpenActions() != 1 {
		t.Fatalf("actions: %+v", s.Actions)
	}
	providerGiven(t, shelterRegistered, followedUp, ProviderActionDone{ActionID: action1, DoneOn: day("2026-05-10")}).when(cmd).thenRule("action-done")
	providerGiven(t, shelterRegistered, followedUp).when(CompleteProviderAction{ActionID: tid(999), DoneOn: day("2026-05-10")}).thenRule("not-found")
	providerGiven(t, shelterRegistered, followedUp).when(CompleteProviderAction{ActionID: action2, DoneOn: day("2026-05-10")}).
		then(Event{Facts: ProviderActionDone{ActionID: action2, DoneOn: day("2026-05-10")}})
}

func TestProviderCloneIsIndependent(t *testing.T) {
	s := providerGiven(t, shelterRegistered, followedUp).state()
	c := ProviderDecider().Clone(s)
	c = ProviderDecider().Evolve(c, Recorded{Version: 9, Facts: ProviderActionDone{ActionID: action1, DoneOn: day("2026-05-10")}})
	if a, _ := s.Action(action1); !a.Open() {
		t.Fatal("evolving a clone changed the original")
	}
	if a, _ := c.Action(action1); a.Open() {
		t.Fatal("clone not evolved")
	}
}

func TestChecklistTemplate(t *testing.T) {
	c := CurrentChecklist()
	if c.Version != CurrentChecklistVersion || len(c.Areas) < 8 {
		t.Fatalf("template: %s, %d areas", c.Version, len(c.Areas))
	}
	// The areas of source 000's checklist, each with questions; ids unique.
	seen := map[string]bool{}
	for _, want := range []string{"basic", "support", "safety", "routines", "accessibility", "knowledge", "cooperation", "children"} {
		if !hasArea(c, want) {
			t.Errorf("area %s missing", want)
		}
	}
	for _, a := range c.Areas {
		if len(a.Questions) == 0 || a.Title == "" {
			t.Errorf("area %s empty", a.ID)
		}
		for _, q := range a.Questions {
			if seen[q.ID] || !strings.HasPrefix(q.ID, a.ID+".") || q.Text == "" {
				t.Errorf("question %q", q.ID)
			}
			seen[q.ID] = true
		}
	}
	// A published version never changes: these questions and their
	// wording are what stored answers were given to.
	for id, text := range map[string]string{
		"safety.staff_night":        "Finns personal tillgänglig nattetid?",
		"routines.lex_sarah_report": "Finns skriftliga rutiner för att rapportera, utreda och avhjälpa missförhållanden (lex Sarah)?",
		"children.school":           "Kan barnen delta i förskola eller skola?",
	} {
		if q, ok := c.Question(id); !ok || q.Text != text {
			t.Errorf("%s changed: %q", id, q.Text)
		}
	}
	if n := len(seen); n != 57 {
		t.Errorf("version 2026.1 has %d questions; a published version must not change", n)
	}
}

func hasArea(c Checklist, id string) bool {
	for _, a := range c.Areas {
		if a.ID == id {
			return true
		}
	}
	return false
}
