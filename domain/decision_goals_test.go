package domain

import "testing"

// TestGrantNeedsGoals: every way a decision comes about refuses a grant
// without goals on the field goals, and lets a refusal be without them.
func TestGrantNeedsGoals(t *testing.T) {
	cases := []struct {
		name string
		cmd  func(out DecisionOutcome) Command
	}{
		{"made", func(out DecisionOutcome) Command {
			return MakeDecision{SupportType: SupportProtectedHousing, Outcome: out, ValidFrom: day("2026-03-02"),
				DecidedOn: day("2026-03-02"), DecisionID: dec1}
		}},
		{"made anew on reconsideration", func(out DecisionOutcome) Command {
			return ReconsiderAppeal{DecidedOn: day("2026-03-02"), Changed: true, Outcome: out, AppealID: tid(1), NewDecisionID: dec1}
		}},
		{"made by the court", func(out DecisionOutcome) Command {
			return RecordRuling{RuledOn: day("2026-03-02"), Outcome: RulingChanged, NewOutcome: out, AppealID: tid(1), NewDecisionID: dec1}
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			assertInvalid(t, validate(tc.cmd(OutcomeGranted)), "goals")
			if err := validate(tc.cmd(OutcomeDenied)); err != nil {
				t.Fatalf("a refusal without goals: %v", err)
			}
		})
	}
	t.Run("a proposal decided without the proposal's goals or its own", func(t *testing.T) {
		proposed := DecisionProposed{ProposalID: tid(150), SupportType: SupportProtectedHousing, Outcome: OutcomeGranted,
			ValidFrom: day("2026-03-02"), ProposedBy: "anna", ProposedOn: day("2026-03-01")}
		caseGiven(t, opened, proposed).when(DecideProposal{Outcome: OutcomeGranted, DecidedOn: day("2026-03-02"), ProposalID: tid(150),
			DecisionID: dec1, Authority: supervisorSara, Today: day("2026-03-02"), Reasons: "Hög risk."}).thenInvalid("goals")
	})
}
