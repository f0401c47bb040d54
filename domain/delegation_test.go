package domain

import (
	"testing"
)

func delegationGiven(t *testing.T, evs ...any) *spec[DelegationOrder] {
	return given(t, DelegationDecider(), DelegationOrderID, evs...)
}

func TestDelegationOrder(t *testing.T) {
	rules := []DelegationRule{{Point: "4.2", SupportType: SupportTalks, Outcome: OutcomeDenied, Roles: []string{RoleSupervisor, RoleCaseworker, RoleSupervisor}}}
	r := delegationGiven(t).when(ReplaceDelegationOrder{Rules: rules}).
		thenFacts(DelegationOrderReplaced{Rules: []DelegationRule{{Point: "4.2", SupportType: SupportTalks, Outcome: OutcomeDenied, Roles: []string{RoleCaseworker, RoleSupervisor}}}})
	s := r.after()
	if !s.Exists || s.Version != 1 {
		t.Fatalf("%+v", s)
	}
	if m, ok := s.MandateFor(SupportTalks, OutcomeDenied, []string{RoleCaseworker}); !ok || m != (Mandate{Point: "4.2", Role: RoleCaseworker, OrderVersion: 1}) {
		t.Fatalf("mandate %+v %v", m, ok)
	}
	if _, ok := s.MandateFor(SupportTalks, OutcomeGranted, []string{RoleSupervisor}); ok {
		t.Fatal("a pair without a rule gives a mandate")
	}
	delegationGiven(t).when(ReplaceDelegationOrder{Rules: []DelegationRule{
		{Point: "", SupportType: "x", Outcome: OutcomeDenied, Roles: []string{"admin"}},
		{Point: "Ring Eva på 070-123 45 67 efter lunch", SupportType: SupportTalks, Outcome: OutcomeDenied},
		{Point: "1", SupportType: SupportTalks, Outcome: OutcomeDenied, Roles: []string{RoleCaseworker}},
	}}).thenInvalid("rules[0].point", "rules[0].support_type", "rules[0].roles[0]", "rules[1].point", "rules[1].roles", "rules[2]")
	delegationGiven(t).when(ReplaceDelegationOrder{}).thenInvalid("rules")
}

func TestDefaultDelegationOrder(t *testing.T) {
	o := DelegationDecider().Initial(DelegationOrderID)
	if o.Exists || o.Version != 0 {
		t.Fatalf("%+v", o)
	}
	cw, sup := []string{RoleCaseworker}, []string{RoleSupervisor}
	for _, tc := range []struct {
		st    SupportType
		out   DecisionOutcome
		roles []string
		ok    bool
	}{
		{SupportProtectedHousing, OutcomeGranted, cw, false},
		{SupportProtectedHousing, OutcomeGranted, sup, true},
		{SupportProtectedHousing, OutcomeDenied, sup, true},
		{SupportTalks, OutcomeGranted, cw, true},
		{SupportTalks, OutcomeDenied, cw, false},
		{SupportTalks, OutcomePartlyGranted, cw, false},
		{SupportTalks, OutcomeDenied, sup, true},
		{SupportFinancialAid, OutcomeGranted, []string{"admin"}, false},
	} {
		if _, ok := o.MandateFor(tc.st, tc.out, tc.roles); ok != tc.ok {
			t.Errorf("%s %s %v: %v", tc.st, tc.out, tc.roles, ok)
		}
	}
	if err := (ReplaceDelegationOrder{Rules: o.Rules}).Validate(); err != nil {
		t.Fatalf("the default order is not a valid order: %v", err)
	}
}
