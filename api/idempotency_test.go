package api

import (
	"context"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestIdempotencyKeyScopedToRecord: the same key on two records writes
// both (each answered with its own record's result); the same key with
// another body on one record is refused with 422 idempotency-key-reused
// and writes nothing. Nothing is ever answered with another record's
// result.
func TestIdempotencyKeyScopedToRecord(t *testing.T) {
	h := newHarness(t)
	a, _ := openTestCase(h, anna)
	b, _ := openTestCase(h, anna)
	noteOn := func(id string) string { return "/api/v1/cases/" + id + "/notes" }

	onA := h.must(201, "POST", noteOn(a), &anna, map[string]any{"text": "samma"}, "Idempotency-Key", "k-1")
	onB := h.must(201, "POST", noteOn(b), &anna, map[string]any{"text": "samma"}, "Idempotency-Key", "k-1")
	assert.Equal(t, a, onA.str(t, "id"))
	assert.Equal(t, b, onB.str(t, "id"), "B's write answered with B's record")
	assert.NotEqual(t, onA.str(t, "note_id"), onB.str(t, "note_id"))
	assert.NotEqual(t, onA.json(t)["seq"], onB.json(t)["seq"])
	for _, id := range []string{a, b} {
		file := h.must(200, "GET", "/api/v1/cases/"+id, &anna, nil)
		assert.Equal(t, float64(1), file.json(t)["notes"], "the note landed on %s", id)
	}

	// The same key with another body on the same record: 422, nothing written.
	seq, err := h.store.LastSeq(context.Background())
	require.NoError(t, err)
	r := h.must(422, "POST", noteOn(a), &anna, map[string]any{"text": "annan"}, "Idempotency-Key", "k-1")
	p := r.json(t)
	assert.Equal(t, "https://fristad.example/problems/idempotency-key-reused", p["type"])
	assert.NotContains(t, string(r.body), a)
	assert.NotContains(t, string(r.body), onA.str(t, "note_id"))
	after, err := h.store.LastSeq(context.Background())
	require.NoError(t, err)
	assert.Equal(t, seq, after, "nothing written")

	// The retry with the first body is still the first response.
	again := h.must(201, "POST", noteOn(a), &anna, map[string]any{"text": "samma"}, "Idempotency-Key", "k-1")
	assert.JSONEq(t, string(onA.body), string(again.body))
	// Member order and spacing do not make another body.
	h.must(201, "POST", noteOn(a), &anna, "{ \"text\" :  \"samma\" }", "Idempotency-Key", "k-1")

	// The same key on another route of the same record is another command.
	flag := h.must(201, "POST", "/api/v1/cases/"+a+"/flags", &anna, map[string]any{"message": "titta"}, "Idempotency-Key", "k-1")
	assert.Equal(t, a, flag.str(t, "id"))

	// A creating route: the key with another body is refused too.
	body := map[string]any{"unit": "vuxen", "target_group": "adult_victim", "source": "report", "received_on": "2026-03-01",
		"subject": map[string]any{"sex": "female", "birth_year": 1990, "name": "Gamma Tre"}}
	first := h.must(201, "POST", "/api/v1/cases", &anna, body, "Idempotency-Key", "intake-k")
	body["received_on"] = "2026-03-02"
	h.must(422, "POST", "/api/v1/cases", &anna, body, "Idempotency-Key", "intake-k")
	body["received_on"] = "2026-03-01"
	assert.JSONEq(t, string(first.body), string(h.must(201, "POST", "/api/v1/cases", &anna, body, "Idempotency-Key", "intake-k").body))
}

// TestIdempotencyKeyUnderConcurrency: one key sent at once on two records
// and with two bodies on one record: every answer is its own record's,
// each (record, body) is written at most once, and on one record only one
// body wins: the other is refused with 422.
func TestIdempotencyKeyUnderConcurrency(t *testing.T) {
	h := newHarness(t)
	a, _ := openTestCase(h, anna)
	b, _ := openTestCase(h, anna)
	type sent struct {
		record, text string
		res          response
	}
	var (
		mu   sync.Mutex
		all  []sent
		wg   sync.WaitGroup
		plan = []struct{ record, text string }{{a, "ett"}, {b, "ett"}, {a, "två"}}
	)
	for i := range 18 {
		p := plan[i%len(plan)]
		wg.Add(1)
		go func() {
			defer wg.Done()
			r, err := h.try("POST", "/api/v1/cases/"+p.record+"/notes", &anna, map[string]any{"text": p.text}, "Idempotency-Key", "samtidig")
			require.NoError(t, err)
			mu.Lock()
			all = append(all, sent{p.record, p.text, r})
			mu.Unlock()
		}()
	}
	wg.Wait()
	noteOf := map[string]string{} // record/text → note id
	winners := map[string]map[string]bool{}
	for _, s := range all {
		switch s.res.code {
		case 201:
			assert.Equal(t, s.record, s.res.str(t, "id"), "answered with its own record")
			key := s.record + "/" + s.text
			if prev, ok := noteOf[key]; ok {
				assert.Equal(t, prev, s.res.str(t, "note_id"), "one write per record and body")
			}
			noteOf[key] = s.res.str(t, "note_id")
			if winners[s.record] == nil {
				winners[s.record] = map[string]bool{}
			}
			winners[s.record][s.text] = true
		case 409, 422:
			// refused: lost a race, or the key was taken by the other body
		default:
			t.Errorf("status %d: %s", s.res.code, s.res.body)
		}
	}
	assert.Len(t, winners[b], 1)
	assert.LessOrEqual(t, len(winners[a]), 1, "one body per key on one record")
	for _, id := range []string{a, b} {
		file := h.must(200, "GET", "/api/v1/cases/"+id, &anna, nil)
		assert.Equal(t, float64(len(winners[id])), file.json(t)["notes"], "notes written on %s", id)
	}
}
