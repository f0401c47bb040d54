package domain

import (
	"reflect"
	"testing"
)

// The API decodes request bodies strictly into command structs, so the
// JSON names must be API.md's and server-set fields must not be settable.
func TestCommandsDecodeFromAPIBodies(t *testing.T) {
	for _, tc := range []struct {
		body string
		into any
		want any
	}{
		{`{"sex":"female","birth_year":1985,"name":"Eva","personal_number":"850715-2380","phone":"070","address":"Gatan 1"}`,
			&RegisterPerson{}, &RegisterPerson{PersonDetails: PersonDetails{
				Sex: SexFemale, BirthYear: 1985, Name: "Eva", PersonalNumber: "850715-2380", Phone: "070", Address: "Gatan 1"}}},
		{`{"unit":"vuxen","target_group":"adult_victim","source":"report","received_on":"2026-01-05",
		   "subject":{"sex":"female","birth_year":1990,"name":"Eva","personal_number":"","phone":"","address":""},
		   "special_needs":["has_pet"],"description":"d"}`,
			&OpenCase{}, &OpenCase{Unit: "vuxen", TargetGroup: AdultVictim, Source: SourceReport, ReceivedOn: day("2026-01-05"),
				Subject:      &PersonDetails{Sex: SexFemale, BirthYear: 1990, Name: "Eva"},
				SpecialNeeds: []SpecialNeed{NeedHasPet}, Description: "d"}},
		{`{"support_type":"protected_housing","outcome":"granted","goals":["a"],"valid_from":"2026-01-10","valid_to":"2026-03-10","child_id":null}`,
			&MakeDecision{}, &MakeDecision{SupportType: SupportProtectedHousing, Outcome: OutcomeGranted, Goals: []string{"a"},
				ValidFrom: day("2026-01-10"), ValidTo: day("2026-03-10")}},
		{`{"decision_id":"` + string(dec1) + `","followed_up_on":"2026-02-10","participated":true,
		   "goal_outcomes":[{"goal":"a","outcome":"partly"}],"complaint":"","next_follow_up_on":null}`,
			&FollowUp{}, &FollowUp{DecisionID: dec1, FollowedUpOn: day("2026-02-10"), Participated: true,
				GoalOutcomes: []GoalResult{{Goal: "a", Outcome: GoalPartly}}}},
		{`{"activities":[{"name":"n","goal":"g","responsible":"r","when":"w"}],"follow_up_on":"2026-02-01","participated":false}`,
			&RecordImplementationPlan{}, &RecordImplementationPlan{Activities: []Activity{{"n", "g", "r", "w"}}, FollowUpOn: day("2026-02-01")}},
		{`{"treatment_case_id":"` + string(treatmentCase) + `","partner":{"name":"Eva","phone":"070","address":"x"},"children_in_contact":1}`,
			&OfferPartnerContact{}, &OfferPartnerContact{TreatmentCaseID: treatmentCase,
				Partner: PartnerDetails{Name: "Eva", Phone: "070", Address: "x"}, ChildrenInContact: 1}},
		{`{"for":"adult","occasion":"move_in","made_on":"2026-01-11","plan":"p"}`,
			&PlanSafety{}, &PlanSafety{For: ConcernAdult, Occasion: OccasionMoveIn, MadeOn: day("2026-01-11"), Plan: "p"}},
	} {
		if err := DecodeStrict([]byte(tc.body), tc.into); err != nil {
			t.Fatalf("%T: %v", tc.into, err)
		}
		if !reflect.DeepEqual(tc.into, tc.want) {
			t.Fatalf("%T:\n got %+v\nwant %+v", tc.into, tc.into, tc.want)
		}
	}
	for _, tc := range []struct {
		body string
		into any
	}{
		{`{"decision_id":"` + string(dec1) + `"}`, &MakeDecision{}},      // the server chooses it
		{`{"assignee":"eve"}`, &OpenCase{}},                              // the caller is the assignee
		{`{"placement_id":"` + string(plc1) + `"}`, &MoveOut{}},          // from the route
		{`{"side":"treatment","category":"escalation"}`, &ShareSignal{}}, // from the caller's role
		{`{"closed_on":"2020-01-01","reason":"x"}`, &CloseCase{}},        // today, not the client's
	} {
		if err := DecodeStrict([]byte(tc.body), tc.into); err == nil {
			t.Errorf("%T accepted a server-set field: %s", tc.into, tc.body)
		}
	}
}
