package eventstore

import (
	"testing"

	"github.com/fristad/fristad/domain"
)

// BenchmarkDecodeMessage: one stored message of one event, as Read decodes
// it (records parsed strictly, facts decoded, no chain links).
func BenchmarkDecodeMessage(b *testing.B) {
	s := &Store{cfg: Config{SubjectPrefix: "fristad.events"}, registry: domain.Events(), chain: chain{key: make([]byte, 32)}}
	subject := "fristad.events.case.01KF9SAQB00H8173J6RN44GGG2"
	msg := []byte(`[{"id":"01KF9SAQB00H8173J6RN44GGG3","type":"case.risk_assessed","schema":2,"aggregate":"case","aggregate_id":"01KF9SAQB00H8173J6RN44GGG2","version":7,"recorded_at":"2026-01-01T09:12:13.123456789Z","actor":"anna","command":"c-1","facts":{"instrument":"sara","level":"high","concerns":"adult","assessed_on":"2026-01-01"},"sealed":{"key":"person.01KF9SAQB00H8173J6RN44GGG5","nonce":"AAECAwQFBgcICQoL","data":"CvyHDt5P2IuUCE3twID9gUoUrE6kb7IoI25oNViGp2q6ykBbUg0fJjMjWIdWmEXs9hpYD3r5S1Oq1drlIBb8cn8+oDXu7E9Cf0eGZ8ImA57cP1iZLJZNr0Jmm4dszGk3clg+MYiEZNAOuEyj2ycis5WonR1O4p0A"},"prev":"3q2+7wABAgMEBQYHCAkKCwwNDg8QERITFBUWFxgZGhs="}]`)
	if _, err := s.decodeMessage(1, subject, msg, nil); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.decodeMessage(1, subject, msg, nil); err != nil {
			b.Fatal(err)
		}
	}
}
