package domain

import (
	"encoding/json"
	"testing"
)

func TestCorrect(t *testing.T) {
	// evID(n) is the id of the n-th given event.
	risk := RiskAssessed{Instrument: InstrSARA, Level: RiskLow, Concerns: ConcernAdult, AssessedOn: day("2026-01-12")}
	history := []any{opened, risk}

	t.Run("a facts field: patch holds only what changed", func(t *testing.T) {
		caseGiven(t, history...).when(Correct{
			EventID: evID(2), Reason: "Felskrivning",
			Corrected: json.RawMessage(`{"level":"high","instrument":"sara"}`),
		}).then(Event{
			Facts: Corrected{
				EventID: evID(2), EventType: "case.risk_assessed", Fields: []string{"level"},
				Patch: json.RawMessage(`{"level":"high"}`),
			},
			Personal: CorrectionTexts{Reason: "Felskrivning"}, SealWith: subjKey,
		})
	})
	t.Run("a personal field travels sealed, not in the patch", func(t *testing.T) {
		caseGiven(t, history...).when(Correct{
			EventID: evID(2), Reason: "Komplettering", Corrected: json.RawMessage(`{"summary":"Ny text"}`),
		}).then(Event{
			Facts:    Corrected{EventID: evID(2), EventType: "case.risk_assessed", Fields: []string{}, Patch: json.RawMessage(`{}`)},
			Personal: CorrectionTexts{Reason: "Komplettering", Corrected: json.RawMessage(`{"summary":"Ny text"}`)},
			SealWith: subjKey,
		})
	})
	t.Run("the corrected fact counts everywhere", func(t *testing.T) {
		// A housing decision's end corrected: the placement made under it
		// runs to the corrected end.
		r := caseGiven(t, opened, housing(dec1, ""), placed(plc1, dec1)).when(Correct{
			EventID: evID(2), Reason: "Fel slutdatum", Corrected: json.RawMessage(`{"valid_to":"2026-04-10"}`),
		})
		r.thenFacts(Corrected{EventID: evID(2), EventType: "case.decision_made", Fields: []string{"valid_to"}, Patch: json.RawMessage(`{"valid_to":"2026-04-10"}`)})
		s := r.after()
		if p, _ := s.Placement(plc1); !p.Until.Equal(day("2026-04-10")) || s.Corrections != 1 {
			t.Fatalf("correction not applied: %+v", p)
		}
	})
	t.Run("a decision's outcome changes only by a new decision", func(t *testing.T) {
		caseGiven(t, opened, withOutcome(housing(dec1, ""), OutcomeDenied)).when(Correct{
			EventID: evID(2), Reason: "Fel utfall", Corrected: json.RawMessage(`{"outcome":"granted"}`),
		}).thenRule("correction-locked")
	})
	t.Run("allowed on a closed case", func(t *testing.T) {
		caseGiven(t, opened, risk, closed).when(Correct{
			EventID: evID(3), Reason: "Fel datum", Corrected: json.RawMessage(`{"closed_on":"2026-05-30"}`),
		}).thenFacts(Corrected{EventID: evID(3), EventType: "case.closed", Fields: []string{"closed_on"}, Patch: json.RawMessage(`{"closed_on":"2026-05-30"}`)})
	})
	t.Run("names an earlier event of this case", func(t *testing.T) {
		caseGiven(t, history...).when(Correct{EventID: tid(999), Reason: "x", Corrected: json.RawMessage(`{"level":"high"}`)}).
			thenRule("correction-target-unknown")
	})
	t.Run("not a correction itself", func(t *testing.T) {
		fix := Corrected{EventID: evID(2), EventType: "case.risk_assessed", Fields: []string{"level"}, Patch: json.RawMessage(`{"level":"high"}`)}
		caseGiven(t, opened, risk, fix).when(Correct{EventID: evID(3), Reason: "x", Corrected: json.RawMessage(`{"fields":[]}`)}).
			thenRule("correction-of-correction")
	})
	t.Run("ids stay", func(t *testing.T) {
		caseGiven(t, history...).when(Correct{EventID: evID(1), Reason: "x", Corrected: json.RawMessage(`{"person_id":"` + string(tid(5)) + `"}`)}).
			thenRule("correction-changes-id")
		// Naming an id with its current value changes nothing, so it is no breach.
		caseGiven(t, history...).when(Correct{EventID: evID(1), Reason: "x", Corrected: json.RawMessage(`{"person_id":"` + string(subject) + `","unit":"barn"}`)}).
			thenFacts(Corrected{EventID: evID(1), EventType: "case.opened", Fields: []string{"unit"}, Patch: json.RawMessage(`{"unit":"barn"}`)})
	})
	t.Run("patch must fit the event and still validate", func(t *testing.T) {
		caseGiven(t, history...).when(Correct{EventID: evID(2), Reason: "x", Corrected: json.RawMessage(`{"lvl":"high","level":3}`)}).
			thenInvalid("corrected.lvl", "corrected.level")
		caseGiven(t, history...).when(Correct{EventID: evID(2), Reason: "x", Corrected: json.RawMessage(`{"level":"extreme"}`)}).
			thenInvalid("corrected.level")
		caseGiven(t, history...).when(Correct{EventID: evID(2), Reason: "x", Corrected: json.RawMessage(`{"concerns":"partner"}`)}).
			thenInvalid("corrected.concerns")
		caseGiven(t, opened, ViolenceDocumented{Forms: []ViolenceForm{FormPhysical}, Relation: RelPartner, PeriodFrom: day("2025-01-01"), PeriodTo: day("2025-02-01")}).
			when(Correct{EventID: evID(2), Reason: "x", Corrected: json.RawMessage(`{"period_from":"2025-03-01"}`)}).
			thenInvalid("corrected.period_to")
		caseGiven(t, history...).when(Correct{EventID: evID(2), Reason: "x", Corrected: json.RawMessage(`{"summary":7}`)}).
			thenInvalid("corrected")
	})
	t.Run("must change something", func(t *testing.T) {
		caseGiven(t, history...).when(Correct{EventID: evID(2), Reason: "x", Corrected: json.RawMessage(`{"level":"low"}`)}).
			thenInvalid("corrected")
	})
	t.Run("command fields", func(t *testing.T) {
		caseGiven(t, history...).when(Correct{Corrected: json.RawMessage(`[1]`)}).thenInvalid("event_id", "reason", "corrected")
		caseGiven(t, history...).when(Correct{EventID: evID(2), Reason: "x", Corrected: json.RawMessage(`{}`)}).thenInvalid("corrected")
		caseGiven(t, history...).when(Correct{EventID: evID(2), Reason: "x"}).thenInvalid("corrected")
	})
}
