package api

import (
	"fmt"
	"net/http"
	"testing"
)

// BenchmarkTreatmentSideRead reads a partner contact as the treatment side
// with no and with many partner-side events: the read loads the treatment
// side's record and case only, so its cost must not grow with the partner
// side's history (a timing side channel across the barrier).
//
//	go test -run '^$' -bench TreatmentSideRead -benchtime 300x ./api/
func BenchmarkTreatmentSideRead(b *testing.B) {
	for _, n := range []int{0, 300} {
		b.Run(fmt.Sprintf("partner-events=%d", n), func(b *testing.B) {
			h := newHarness(b)
			caseID := h.must(201, "POST", "/api/v1/cases", &anna, map[string]any{"unit": "vuxen", "target_group": "perpetrator", "source": "application",
				"received_on": "2026-02-01", "subject": map[string]any{"sex": "male", "birth_year": 1979, "name": "Per"}}).str(b, "id")
			pc := "/api/v1/partner-contacts/" + h.must(201, "POST", "/api/v1/partner-contacts", &behandla, map[string]any{"treatment_case_id": caseID,
				"partner": map[string]any{"name": "Paula"}, "children_in_contact": 0}).str(b, "id")
			h.must(200, "POST", pc+"/consent", &behandla, map[string]any{"status": "given", "signed_on": "2026-02-03", "document": "x"})
			for i := 0; i < n; i++ {
				h.must(200, "POST", pc+"/approaches", &partnerk, map[string]any{"channel": "letter", "outcome": "not_reached", "on": "2026-02-04"})
			}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if r := h.do(http.MethodGet, pc, &behandla, nil); r.code != 200 {
					b.Fatal(r.code)
				}
			}
		})
	}
}
