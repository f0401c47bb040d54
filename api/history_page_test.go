package api

import (
	"encoding/json"
	"fmt"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestHistoryPaging: pages run oldest to newest, the newest page last
// (next_cursor null on it), 100 events without limit, every event exactly
// once; a cursor keeps its place while the case grows; limit and cursor
// are checked.
func TestHistoryPaging(t *testing.T) {
	h := newHarness(t)
	caseID, _ := openTestCase(h, anna)
	c := "/api/v1/cases/" + caseID
	for i := range 104 {
		h.must(201, "POST", c+"/notes", &anna, map[string]any{"text": fmt.Sprintf("n%d", i)})
	}
	const total = 105 // the opening and 104 notes

	type page struct {
		Version    uint64                     `json:"version"`
		Events     []struct{ Version uint64 } `json:"events"`
		NextCursor *string                    `json:"next_cursor"`
	}
	get := func(query string) page {
		t.Helper()
		var p page
		r := h.must(200, "GET", c+"/events"+query, &anna, nil)
		require.NoError(t, json.Unmarshal(r.body, &p))
		return p
	}

	first := get("")
	require.Len(t, first.Events, 100, "100 events unless limit says otherwise")
	assert.Equal(t, uint64(1), first.Events[0].Version, "the oldest first")
	require.NotNil(t, first.NextCursor)
	assert.Equal(t, uint64(total), first.Version, "version is the record's, not the page's")

	var seen []uint64
	cursor := ""
	pages := 0
	for {
		p := get("?limit=40" + cursor)
		pages++
		for _, e := range p.Events {
			seen = append(seen, e.Version)
		}
		if p.NextCursor == nil {
			assert.Equal(t, uint64(total), p.Events[len(p.Events)-1].Version, "the newest page last")
			break
		}
		cursor = "&cursor=" + *p.NextCursor
	}
	assert.Equal(t, 3, pages)
	require.Len(t, seen, total)
	for i, v := range seen {
		require.Equal(t, uint64(i+1), v, "every event once, in order")
	}

	// The last cursor, followed again after new writes, gives what is new.
	last := get("?limit=100")
	require.NotNil(t, last.NextCursor)
	h.must(201, "POST", c+"/notes", &anna, map[string]any{"text": "ny"})
	rest := get("?limit=100&cursor=" + *last.NextCursor)
	assert.Len(t, rest.Events, total+1-100)
	assert.Nil(t, rest.NextCursor)

	for _, bad := range []string{"?limit=0", "?limit=501", "?limit=x", "?cursor=v999", "?cursor=abc", "?cursor=v0", "?limit=1&limit=2"} {
		r := h.do("GET", c+"/events"+bad, &anna, nil)
		assert.Equal(t, http.StatusBadRequest, r.code, "%s: %s", bad, r.body)
	}
	h.must(200, "GET", c+"/events?limit=500", &anna, nil)
}
