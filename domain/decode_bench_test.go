package domain

import (
	"encoding/json"
	"testing"
)

// BenchmarkDecodeStrict: one stored record's envelope, strictly decoded
// (the figure decodeStrict's comment cites).
func BenchmarkDecodeStrict(b *testing.B) {
	rec := []byte(`{"id":"01KF9SAQB00H8173J6RN44GGG3","type":"case.risk_assessed","schema":2,"aggregate":"case","aggregate_id":"01KF9SAQB00H8173J6RN44GGG2","version":7,"recorded_at":"2026-01-01T09:12:13.123456789Z","actor":"anna","command":"c-1","facts":{"instrument":"sara","level":"high","concerns":"adult","assessed_on":"2026-01-01"}}`)
	type record struct {
		ID          string          `json:"id"`
		Type        string          `json:"type"`
		Schema      int             `json:"schema"`
		Aggregate   string          `json:"aggregate"`
		AggregateID string          `json:"aggregate_id"`
		Version     int             `json:"version"`
		RecordedAt  string          `json:"recorded_at"`
		Actor       string          `json:"actor"`
		Command     string          `json:"command"`
		Facts       json.RawMessage `json:"facts"`
	}
	b.ReportAllocs()
	for b.Loop() {
		var v record
		if err := decodeStrict(rec, &v); err != nil {
			b.Fatal(err)
		}
	}
}
