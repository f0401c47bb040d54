package api

import (
	"context"
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/fristad/fristad/eventstore"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// enumFields hold codes of a vocabulary; reason is a code on two routes
// and free text elsewhere.
var enumFields = map[string]bool{
	"decision": true, "forms": true, "relation": true, "instrument": true, "level": true, "concerns": true, "for": true,
	"occasion": true, "support_type": true, "outcome": true, "school_kind": true, "goal_attainment": true, "status": true,
	"channel": true, "category": true, "target_group": true, "source": true, "sex": true,
}

var dateRE = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)

type badCase struct {
	name        string
	body        string
	contentType string
	status      int
	field       string // a field the problem must name, if any
}

// badBodies derives malformed variants of a valid body.
func badBodies(path string, valid map[string]any) []badCase {
	cases := []badCase{
		{name: "invalid json", body: `{"a":`, status: 400},
		{name: "not json", body: `hello`, status: 400},
		{name: "array", body: `[]`, status: 400},
		{name: "empty", body: ``, status: 400},
		{name: "trailing data", body: mustJSON(valid) + `{}`, status: 400},
		{name: "wrong content type", body: mustJSON(valid), contentType: "text/plain", status: 415},
		{name: "no content type", body: mustJSON(valid), contentType: "-", status: 415},
		{name: "2 MiB body", body: `{"text":"` + strings.Repeat("a", 2<<20) + `"}`, status: 413},
		{name: "deep nesting", body: strings.Repeat("[", 200) + strings.Repeat("]", 200), status: 400},
		{name: "unknown field", body: mustJSON(with(valid, "surprise", 1)), status: 400, field: "surprise"},
		{name: "server-set field", body: mustJSON(with(valid, "actor", "mallory")), status: 400, field: "actor"},
	}
	enumReason := strings.HasSuffix(path, "/move-out") || strings.HasSuffix(path, "/exception")
	for k, v := range valid {
		wrong := map[string]any{}
		switch v.(type) {
		case string:
			wrong[k] = 12345
		case float64, int:
			wrong[k] = "many"
		case bool:
			wrong[k] = "yes"
		case []any, []string, []map[string]any:
			wrong[k] = map[string]any{"not": "an array"}
		default:
			wrong[k] = "not an object"
		}
		cases = append(cases, badCase{name: "wrong type of " + k, body: mustJSON(with(valid, k, wrong[k])), status: 400, field: k})
		if s, ok := v.(string); ok && dateRE.MatchString(s) {
			cases = append(cases,
				badCase{name: "impossible date in " + k, body: mustJSON(with(valid, k, "2026-02-30")), status: 400, field: k},
				badCase{name: "not a date in " + k, body: mustJSON(with(valid, k, "yesterday")), status: 400, field: k})
		}
		if enumFields[k] || (k == "reason" && enumReason) {
			bad := any("not_a_code")
			if _, isList := v.([]string); isList {
				bad = []string{"not_a_code"}
			}
			cases = append(cases, badCase{name: "invalid code in " + k, body: mustJSON(with(valid, k, bad)), status: 400, field: k})
		}
	}
	return cases
}

func with(m map[string]any, k string, v any) map[string]any {
	out := map[string]any{}
	for a, b := range m {
		out[a] = b
	}
	out[k] = v
	return out
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// TestBadInputToEveryWriteRoute: every malformed body is a problem+json
// 400/413/415 naming the field where there is one, and nothing is written.
func TestBadInputToEveryWriteRoute(t *testing.T) {
	h := newHarness(t)
	f := newFixture(h)
	before, err := h.store.LastSeq(context.Background())
	require.NoError(t, err)

	for _, r := range routes() {
		if r.Method != http.MethodPost {
			continue
		}
		path, body := f.cell(r)
		valid := map[string]any{}
		require.NoError(t, json.Unmarshal([]byte(mustJSON(body)), &valid))
		u := inScope[r.Roles[0]]
		t.Run(r.Path, func(t *testing.T) {
			for _, bc := range badBodies(path, valid) {
				ct := "application/json"
				if bc.contentType != "" {
					ct = bc.contentType
				}
				headers := []string{}
				if ct != "-" {
					headers = append(headers, "Content-Type", ct)
				}
				var res response
				if ct == "-" {
					res = h.raw("POST", path, &u, bc.body, "") // do() would set a JSON content type
				} else {
					res = h.do("POST", path, &u, []byte(bc.body), headers...)
				}
				require.Equal(t, bc.status, res.code, "%s: %s", bc.name, res.body)
				assert.True(t, strings.HasPrefix(res.header.Get("Content-Type"), "application/problem+json"), bc.name)
				p := res.json(t)
				assert.Contains(t, p["type"], ProblemBase, bc.name)
				if bc.field != "" {
					assert.Contains(t, string(res.body), `"field":"`+bc.field, "%s must name the field: %s", bc.name, res.body)
				}
				assert.NotContains(t, string(res.body), "goroutine", bc.name)
			}
			// A malformed id in the path names nothing.
			if strings.Contains(r.Path, ":id") {
				bad := strings.Replace(path, f.caseA, "not-an-id", 1)
				bad = strings.Replace(bad, f.caseB, "not-an-id", 1)
				bad = strings.Replace(bad, f.caseC, "not-an-id", 1)
				bad = strings.Replace(bad, f.contact, "not-an-id", 1)
				bad = strings.Replace(bad, f.report, "not-an-id", 1)
				bad = strings.Replace(bad, providerA, "not-an-id", 1)
				bad = strings.Replace(bad, f.protected, "not-an-id", 1)
				assert.Equal(t, http.StatusNotFound, h.do("POST", bad, &u, valid).code)
			}
		})
	}
	after, err := h.store.LastSeq(context.Background())
	require.NoError(t, err)
	if !assert.Equal(t, before, after, "bad input must write nothing") {
		_, _ = h.store.Read(context.Background(), before+1, func(e *eventstore.Envelope) error {
			t.Logf("written: seq %d %s by %s", e.Seq, e.Type, e.Actor)
			return nil
		})
	}
}

// TestConditionalWrites: If-Match with a stale version is 412 with the
// current version; two clients with the same If-Match: one wins, one 412.
func TestConditionalWrites(t *testing.T) {
	h := newHarness(t)
	caseID, _ := openTestCase(h, anna)
	notes := "/api/v1/cases/" + caseID + "/notes"
	res := h.must(201, "POST", notes, &anna, map[string]any{"text": "en"})
	etagV := res.header.Get("ETag")
	require.Equal(t, `"2"`, etagV)

	type outcome struct{ code int }
	results := make(chan int, 2)
	for _, u := range []user{anna, bertil} {
		go func() {
			results <- h.do("POST", notes, &u, map[string]any{"text": "samtidig"}, "If-Match", etagV).code
		}()
	}
	codes := []int{<-results, <-results}
	assert.ElementsMatch(t, []int{201, 412}, codes)

	stale := h.must(412, "POST", notes, &anna, map[string]any{"text": "gammal"}, "If-Match", `"1"`)
	p := stale.json(t)
	assert.Equal(t, ProblemBase+"version-mismatch", p["type"])
	assert.Equal(t, float64(3), p["current_version"])
	h.must(400, "POST", notes, &anna, map[string]any{"text": "x"}, "If-Match", `"abc"`)

	file := h.must(200, "GET", "/api/v1/cases/"+caseID, &anna, nil)
	assert.Equal(t, `"3"`, file.header.Get("ETag"), "open, the first note and the winner: nothing lost, nothing twice")
	assert.Equal(t, float64(2), file.json(t)["notes"])
}

// TestIdempotencyKey: a retried write returns the first response and
// appends nothing; the key is scoped to the user.
func TestIdempotencyKey(t *testing.T) {
	h := newHarness(t)
	body := map[string]any{"unit": "vuxen", "target_group": "adult_victim", "source": "report", "received_on": "2026-03-01",
		"subject": map[string]any{"sex": "female", "birth_year": 1990, "name": "Idem Potent"}}
	first := h.must(201, "POST", "/api/v1/cases", &anna, body, "Idempotency-Key", "intake-42")
	again := h.must(201, "POST", "/api/v1/cases", &anna, body, "Idempotency-Key", "intake-42")
	assert.JSONEq(t, string(first.body), string(again.body))
	seq, err := h.store.LastSeq(context.Background())
	require.NoError(t, err)

	note := "/api/v1/cases/" + first.str(t, "id") + "/notes"
	n1 := h.must(201, "POST", note, &anna, map[string]any{"text": "en"}, "Idempotency-Key", "note-1")
	n2 := h.must(201, "POST", note, &anna, map[string]any{"text": "en"}, "Idempotency-Key", "note-1")
	assert.JSONEq(t, string(n1.body), string(n2.body))
	after, err := h.store.LastSeq(context.Background())
	require.NoError(t, err)
	assert.Equal(t, seq+1, after, "one note written, not two")

	// Another user's identical key is another command.
	other := h.must(201, "POST", note, &bertil, map[string]any{"text": "en"}, "Idempotency-Key", "note-1")
	assert.NotEqual(t, n1.str(t, "note_id"), other.str(t, "note_id"))
	h.must(400, "POST", note, &anna, map[string]any{"text": "x"}, "Idempotency-Key", "bad\tkey")
}
