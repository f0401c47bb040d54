package domain

import (
	"slices"
	"testing"
)

// vocab is one vocabulary seen through its exported functions.
type vocab struct {
	name   string
	codes  []string
	valid  func(string) bool
	label  func(string) string
	expect []string // the codes API.md and REPORTS.md spell, in order
}

func vocabOf[T interface {
	~string
	Valid() bool
	Label() string
}](name string, values []T, expect ...string) vocab {
	v := vocab{name: name, expect: expect}
	for _, c := range values {
		v.codes = append(v.codes, string(c))
	}
	v.valid = func(s string) bool { return T(s).Valid() }
	v.label = func(s string) string { return T(s).Label() }
	return v
}

func TestVocabularies(t *testing.T) {
	for _, v := range []vocab{
		vocabOf("sex", Sexes(), "female", "male", "other", "unknown"),
		vocabOf("age band", AgeBands(), "0-5", "6-12", "13-17", "18-24", "25-64", "65+", "unknown"),
		vocabOf("target group", TargetGroups(), "adult_victim", "child_victim", "child_witness", "perpetrator"),
		vocabOf("special need", SpecialNeeds(), "disability", "substance_abuse", "foreign_background", "lgbtq", "elderly",
			"national_minority", "honour_related", "prostitution_trafficking", "has_pet"),
		vocabOf("violence form", ViolenceForms(), "physical", "psychological", "sexual", "material", "latent",
			"disability_related", "neglect", "economic", "honour_related"),
		vocabOf("relation", Relations(), "partner", "former_partner", "parent", "child", "sibling", "other_relative", "other_close", "staff"),
		vocabOf("instrument", Instruments(), "freda_short", "freda_description", "freda_danger", "sara", "sam", "patriark", "check65", "clinical"),
		vocabOf("risk level", RiskLevels(), "low", "medium", "high"),
		vocabOf("concern", Concerns(), "adult", "child", "partner"),
		vocabOf("safety occasion", SafetyOccasions(), "intake", "move_in", "move_out", "other"),
		vocabOf("intake source", IntakeSources(), "application", "report", "other", "report_of_concern"),
		vocabOf("reporter category", ReporterCategories(), "police", "school", "preschool", "health_care", "social_services", "other_authority", "private_person", "anonymous"),
		vocabOf("placement basis", PlacementBases(), "guardians_consent", "court_decision", "urgent_board_decision"),
		vocabOf("link relation", LinkRelations(), "child_case", "parent_case", "related"),
		vocabOf("preliminary decision", PreliminaryDecisions(), "open_investigation", "no_investigation"),
		vocabOf("protection level", ProtectionLevels(), "none", "sekretessmarkering", "skyddad_folkbokforing", "fingerade_personuppgifter"),
		vocabOf("support type", SupportTypes(), "protected_housing", "temporary_housing", "support_talks", "contact_person",
			"financial_aid", "parenting_support", "housing_help", "perpetrator_treatment", "child_support", "other"),
		vocabOf("decision outcome", DecisionOutcomes(), "granted", "partly_granted", "denied"),
		vocabOf("goal outcome", GoalOutcomes(), "fully", "partly", "not"),
		vocabOf("child relation", ChildRelations(), "witnessed", "subjected", "both"),
		vocabOf("school kind", SchoolKinds(), "same_school", "new_school", "distance"),
		vocabOf("move-out reason", MoveOutReasons(), "permanent_housing", "returned_home", "other_shelter", "broke_off", "other"),
		vocabOf("consent status", ConsentStatuses(), "given", "refused", "withdrawn"),
		vocabOf("approach channel", ApproachChannels(), "letter", "phone", "sms"),
		vocabOf("approach outcome", ApproachOutcomes(), "reached", "not_reached"),
		vocabOf("treatment status", TreatmentStatuses(), "in_treatment", "dropped_out", "completed"),
		vocabOf("signal category", SignalCategories(), "escalation", "increased_fear", "concern_for_children", "wants_to_end_relationship"),
		vocabOf("signal side", SignalSides(), "treatment", "partner_contact"),
		vocabOf("contact exception", ContactExceptions(), "partner_in_protected_housing", "partner_abroad", "no_recent_contact", "controlling_pattern"),
		vocabOf("case status", CaseStatuses(), "open", "closed"),
	} {
		if !slices.Equal(v.codes, v.expect) {
			t.Errorf("%s codes %v, want %v", v.name, v.codes, v.expect)
		}
		for _, c := range v.codes {
			if !v.valid(c) || v.label(c) == "" {
				t.Errorf("%s %q: valid %v, label %q", v.name, c, v.valid(c), v.label(c))
			}
		}
		for _, bad := range []string{"", "Female", "unknown_code"} {
			if v.valid(bad) {
				t.Errorf("%s accepts %q", v.name, bad)
			}
		}
	}
	if SexFemale.Label() != "Kvinna" || GoalNot.Label() != "Inte" || SexUnknown.Label() != "Okänd" {
		t.Error("Swedish labels wrong")
	}
}

func TestVocabularyListsAreCopies(t *testing.T) {
	s := Sexes()
	s[0] = "changed"
	if Sexes()[0] != SexFemale {
		t.Fatal("a caller changed the vocabulary")
	}
}

func TestAgeBandFor(t *testing.T) {
	for _, tc := range []struct {
		born, year int
		want       AgeBand
	}{
		{0, 2026, AgeUnknown}, {2027, 2026, AgeUnknown},
		{2026, 2026, Age0to5}, {2021, 2026, Age0to5}, {2020, 2026, Age6to12}, {2014, 2026, Age6to12},
		{2013, 2026, Age13to17}, {2009, 2026, Age13to17}, {2008, 2026, Age18to24}, {2002, 2026, Age18to24},
		{2001, 2026, Age25to64}, {1962, 2026, Age25to64}, {1961, 2026, Age65Plus}, {1900, 2026, Age65Plus},
	} {
		if got := AgeBandFor(tc.born, tc.year); got != tc.want {
			t.Errorf("born %d in %d: %s, want %s", tc.born, tc.year, got, tc.want)
		}
	}
}

func TestVocabularyPredicates(t *testing.T) {
	for _, i := range Instruments() {
		if i.Standardized() == (i == InstrClinical) {
			t.Errorf("%s standardized = %v", i, i.Standardized())
		}
	}
	if Instrument("gut").Standardized() {
		t.Error("unknown instrument counted as standardized")
	}
	if !OutcomeGranted.Granted() || !OutcomePartlyGranted.Granted() || OutcomeDenied.Granted() {
		t.Error("Granted wrong")
	}
	if ProtectionNone.Protected() || !ProtectionMarked.Protected() {
		t.Error("Protected wrong")
	}
	if ConcernPartner.InCase() || !ConcernChild.InCase() || ConcernAdult.InPartnerContact() {
		t.Error("concern scopes wrong")
	}
	if !ChildBoth.Witnessed() || !ChildBoth.Subjected() || ChildWitnessed.Subjected() || ChildSubjected.Witnessed() {
		t.Error("child relation predicates wrong")
	}
	if !AdultVictim.Valid() || AdultVictim.IsChild() || !ChildWitness.IsChild() {
		t.Error("target group predicates wrong")
	}
}
