package api

import (
	"testing"
	"time"

	"github.com/fristad/fristad/domain"
)

// BenchmarkRenderLetter: laying out one decision letter as a PDF (what
// GET .../letter adds to loading the case).
func BenchmarkRenderLetter(b *testing.B) {
	in := letterInput{caseID: domain.NewID(), name: "Zlatana Testdottir", address: "Storgatan 1", reasons: "Behovet tillgodoses på annat sätt.",
		decision: domain.Decision{DecisionMade: domain.DecisionMade{DecisionID: domain.NewID(), SupportType: domain.SupportTalks,
			Outcome: domain.OutcomeDenied, ValidFrom: domain.NewDate(2026, 3, 2), DecidedOn: domain.NewDate(2026, 3, 2), DecidedBy: "sara",
			Point: "SoL 1.3", DecidedAs: domain.RoleSupervisor}, CommunicatedOn: domain.NewDate(2026, 3, 13)}}
	now := time.Date(2026, 3, 14, 0, 0, 0, 0, time.UTC)
	for b.Loop() {
		if _, err := renderLetter(letterLines(in), now); err != nil {
			b.Fatal(err)
		}
	}
}
