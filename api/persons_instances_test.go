package api

import (
	"context"
	"net/http"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Two instances of the API on one stream register the same new personal
// identity number at the same moment, twenty times over: each time both
// answers name one personal file, and the blind index holds that one.
// (Within one instance a lock serializes registrations of a number;
// across instances the index's claim does.)
func TestTwoInstancesOpenOneFilePerNumber(t *testing.T) {
	a := newHarness(t)
	b := newHarnessBeside(t, a)
	for i := 0; i < 20; i++ {
		number := pnr("19850302", 200+i)
		body := map[string]any{"sex": "female", "name": "Test Person", "personal_number": number}
		var ra, rb response
		var wg sync.WaitGroup
		wg.Add(2)
		go func() { defer wg.Done(); ra = a.do("POST", "/api/v1/persons", &anna, body) }()
		go func() { defer wg.Done(); rb = b.do("POST", "/api/v1/persons", &anna, body) }()
		wg.Wait()
		require.Equal(t, http.StatusCreated, ra.code, string(ra.body))
		require.Equal(t, http.StatusCreated, rb.code, string(rb.body))
		assert.Equal(t, ra.str(t, "person_id"), rb.str(t, "person_id"), "number %d: one personal file", i)
		ids, err := a.store.Index().Find(context.Background(), number)
		require.NoError(t, err)
		assert.Len(t, ids, 1, "number %d: one person in the index", i)
	}
}
