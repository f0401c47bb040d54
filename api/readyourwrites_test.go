package api

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestReadYourWrites: a write followed at once by a read by the same
// client always sees the write, 1,000 times over: the case file and the
// caseload come from projections that the read waits for.
func TestReadYourWrites(t *testing.T) {
	h := newHarness(t)
	caseID, _ := openTestCase(h, anna)
	c := "/api/v1/cases/" + caseID
	for i := 1; i <= 1000; i++ {
		w := h.must(201, "POST", c+"/notes", &anna, map[string]any{"text": "anteckning"})
		version := w.json(t)["version"]
		file := h.must(200, "GET", c, &anna, nil).json(t)
		require.Equal(t, version, file["version"], "iteration %d", i)
		require.Equal(t, float64(i), file["notes"], "iteration %d", i)
		if i%100 == 0 {
			rows := h.must(200, "GET", "/api/v1/cases?assignee=me", &anna, nil).json(t)["items"].([]any)
			require.Len(t, rows, 1)
			require.Equal(t, version, rows[0].(map[string]any)["version"], fmt.Sprint("caseload at ", i))
		}
	}
}
