package eventstore

import (
	"testing"

	"github.com/fristad/fristad/domain"
)

// FuzzDecodeMessage: any bytes on the stream decode to events or a typed
// *CorruptError, never a panic. Upcasting runs on every decoded event.
func FuzzDecodeMessage(f *testing.F) {
	s := &Store{cfg: Config{SubjectPrefix: "fristad.events"}, registry: domain.Events(), chain: chain{key: make([]byte, 32)}}
	subject := "fristad.events.case.01KF9SAQB00H8173J6RN44GGG2"
	for _, seed := range []string{
		`[{"id":"01KF9SAQB00H8173J6RN44GGG3","type":"case.note_added","schema":1,"aggregate":"case","aggregate_id":"01KF9SAQB00H8173J6RN44GGG2","version":1,"recorded_at":"2026-01-01T00:00:00Z","actor":"a","facts":{"note_id":"01KF9SAQB00H8173J6RN44GGG4"}}]`,
		`[{"id":"01KF9SAQB00H8173J6RN44GGG3","type":"case.risk_assessed","schema":1,"aggregate":"case","aggregate_id":"01KF9SAQB00H8173J6RN44GGG2","version":1,"recorded_at":"2026-01-01T00:00:00Z","actor":"a","facts":{"instrument":"sara","level":"high","child":true,"assessed_on":"2026-01-01"}}]`,
		`[]`, `{}`, `[{"id":1}]`, `not json`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		envs, err := s.decodeMessage(1, subject, data, nil)
		if err != nil {
			if _, ok := err.(*CorruptError); !ok {
				t.Fatalf("error is %T, want *CorruptError", err)
			}
			return
		}
		if len(envs) == 0 {
			t.Fatal("no events and no error")
		}
	})
}
