package domain

import "testing"

// Stored facts and records are decoded strictly: an unknown field, a
// wrong type or trailing data is an error, never silently dropped.
func TestDecodeStrictRefusesUnknownFields(t *testing.T) {
	var f CaseClosed
	for _, bad := range []string{`{"closed_on":"2026-01-01","surprise":1}`, `{"closed_on":5}`, `{"closed_on":"2026-01-01"} {}`, `{`} {
		if err := DecodeStrict([]byte(bad), &f); err == nil {
			t.Errorf("accepted %s", bad)
		}
	}
	if err := DecodeStrict([]byte(`{"closed_on":"2026-01-01","goal_attainment":"fully"}`), &f); err != nil || f.GoalAttainment != GoalFully {
		t.Fatalf("refused a valid record: %v", err)
	}
}
