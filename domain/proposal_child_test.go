package domain

import "testing"

// TestProposalForAChild: a proposal for a child names a child of the case,
// like a decision does.
func TestProposalForAChild(t *testing.T) {
	propose := ProposeDecision{
		SupportType: SupportProtectedHousing, Outcome: OutcomeGranted, Goals: []string{"Trygghet"}, ValidFrom: day("2026-03-02"),
		ChildID: child1, Reasons: "Den andra vårdnadshavaren har inte samtyckt.", ProposalID: tid(150), ProposedBy: "anna", Today: day("2026-03-01"),
	}
	caseGiven(t, opened).when(propose).thenRule("child-not-in-case")
	caseGiven(t, opened, ChildAdded{ChildID: child1, Relation: ChildWitnessed}).when(propose).thenFacts(DecisionProposed{
		ProposalID: tid(150), SupportType: SupportProtectedHousing, Outcome: OutcomeGranted, GoalCount: 1, ValidFrom: day("2026-03-02"),
		ChildID: child1, ProposedBy: "anna", ProposedOn: day("2026-03-01"),
	})
}
