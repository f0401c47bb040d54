package domain

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"
)

// A restored snapshot equals the folded state, corrections included, and
// folds on like it.
func TestCaseSnapshotRoundTrip(t *testing.T) {
	d := CaseDecider()
	id, person := NewID(), NewID()
	at := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	violence := NewID()
	hist := []Recorded{
		{ID: NewID(), Version: 1, RecordedAt: at, Actor: "a", Facts: CaseOpened{Unit: "vuxen", TargetGroup: AdultVictim, Source: SourceReport, ReceivedOn: NewDate(2026, 3, 1), PersonID: person, Assignee: "a"}},
		{ID: violence, Version: 2, RecordedAt: at, Actor: "a", Facts: ViolenceDocumented{Forms: []ViolenceForm{FormPhysical}, Relation: RelPartner, PeriodFrom: NewDate(2025, 1, 1), PeriodTo: NewDate(2026, 1, 1)}},
		{ID: NewID(), Version: 3, RecordedAt: at, Actor: "a", Facts: Corrected{EventID: violence, EventType: "case.violence_documented", Fields: []string{"relation"}, Patch: json.RawMessage(`{"relation":"former_partner"}`)}},
	}
	s := d.Fold(id, hist)
	raw, err := json.Marshal(s.Freeze().Document())
	if err != nil {
		t.Fatal(err)
	}
	var back CaseSnapshot
	if err := json.Unmarshal(raw, &back); err != nil {
		t.Fatal(err)
	}
	r, err := RestoreCase(Events(), back)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(s, r) {
		t.Fatalf("restored state differs:\n%+v\n%+v", s, r)
	}
	if r.Violence[0].Relation != RelFormerPartner {
		t.Fatal("the correction is lost")
	}
	next := Recorded{ID: NewID(), Version: 4, RecordedAt: at, Actor: "a", Facts: CaseClosed{ClosedOn: NewDate(2026, 4, 1), GoalAttainment: GoalFully}}
	if !reflect.DeepEqual(d.Evolve(s, next), d.Evolve(r, next)) {
		t.Fatal("a restored state folds on differently")
	}
}
