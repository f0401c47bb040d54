package api

import (
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestNoPersonalDataInLogsErrorsOrMetrics runs a whole case and a set of
// bad requests carrying personal data, then searches every log line, every
// error body and the metrics for the subject's name, number and address.
func TestNoPersonalDataInLogsErrorsOrMetrics(t *testing.T) {
	h := newHarness(t)
	caseID, personID := openTestCase(h, anna)
	c := "/api/v1/cases/" + caseID
	h.must(200, "POST", c+"/protected-identity", &anna, map[string]any{"level": "fingerade_personuppgifter"})
	h.must(201, "POST", c+"/children", &anna, map[string]any{"sex": "female", "birth_year": 2015, "name": childName, "personal_number": childPnr, "relation": "witnessed"})
	h.must(200, "GET", c, &anna, nil)
	h.must(200, "GET", c+"/events", &anna, nil)
	h.must(200, "GET", "/api/v1/persons/"+personID, &anna, nil)
	h.must(200, "POST", "/api/v1/persons/search", &anna, map[string]any{"personal_number": subjectPnr})

	var errorBodies []string
	bad := func(status int, method, path string, body any) {
		r := h.do(method, path, &anna, body)
		require.Equal(t, status, r.code, string(r.body))
		errorBodies = append(errorBodies, string(r.body))
	}
	badNumber := subjectPnr[:11] + string('0'+(subjectPnr[11]-'0'+1)%10) // wrong check digit
	bad(400, "POST", "/api/v1/persons", map[string]any{"sex": "female", "name": subjectName, "personal_number": badNumber, "address": subjectStreet})
	bad(400, "POST", "/api/v1/persons/search", map[string]any{"personal_number": badNumber})
	bad(400, "POST", "/api/v1/persons", map[string]any{"sex": "female", "name": subjectName, "birth_year": subjectStreet})
	bad(400, "POST", "/api/v1/persons", map[string]any{"sex": subjectName, "name": subjectName})
	bad(400, "POST", "/api/v1/persons", map[string]any{"sex": "female", "name": subjectName, subjectStreet: 1})
	bad(400, "POST", c+"/notes", `{"text": "`+subjectName+`"`)
	bad(422, "POST", c+"/reopen", map[string]any{"reason": subjectName})

	metrics := h.metrics()
	require.Equal(t, http.StatusOK, metrics.code)
	for _, name := range []string{"fristad_http_requests_total", "fristad_http_request_duration_seconds", "fristad_append_duration_seconds", "fristad_projection_lag_events",
		"fristad_group_commit_batches_total", "fristad_group_commit_commands_total", "fristad_group_commit_refused_total"} {
		require.Contains(t, string(metrics.body), name)
	}

	secrets := []string{subjectName, "Zlatana", "Testdottir", childName, subjectPnr, subjectPnr[2:8], childPnr, subjectStreet, badNumber, "070-111"}
	logs := h.logs.String()
	require.NotEmpty(t, logs)
	for _, s := range secrets {
		assert.NotContains(t, logs, s, "logs")
		assert.NotContains(t, string(metrics.body), s, "metrics")
		for _, b := range errorBodies {
			assert.NotContains(t, b, s, "error body %s", b)
		}
	}
	// The logs still say who did what: user, route template, status.
	assert.Contains(t, logs, `"user":"anna"`)
	assert.Contains(t, logs, `"route":"/api/v1/cases/:id/children"`)
	assert.False(t, strings.Contains(logs, caseID), "paths with ids are logged as templates")
}

// Concurrent notes through the API go through the store's group
// committer, and its counters on /metrics say so.
func TestGroupCommitCountersMove(t *testing.T) {
	h := newHarness(t)
	const writers = 24
	cases := make([]string, writers)
	for i := range cases {
		cases[i], _ = openTestCase(h, anna)
	}
	var wg sync.WaitGroup
	for round := 0; round < 5; round++ {
		for _, id := range cases {
			wg.Add(1)
			go func() {
				defer wg.Done()
				r := h.do("POST", "/api/v1/cases/"+id+"/notes", &anna, map[string]any{"text": "en anteckning"})
				assert.Equal(t, http.StatusCreated, r.code, string(r.body))
			}()
		}
		wg.Wait()
	}
	m := string(h.metrics().body)
	value := func(name string) float64 {
		for _, line := range strings.Split(m, "\n") {
			if v, ok := strings.CutPrefix(line, name+" "); ok {
				f, err := strconv.ParseFloat(v, 64)
				require.NoError(t, err)
				return f
			}
		}
		t.Fatalf("%s not on /metrics", name)
		return 0
	}
	batches, commands := value("fristad_group_commit_batches_total"), value("fristad_group_commit_commands_total")
	assert.Positive(t, batches, "concurrent notes were batched")
	assert.GreaterOrEqual(t, commands, 2*batches, "a batch carries two commands or more")
	assert.LessOrEqual(t, commands, float64(writers*5+writers*3), "no more commands than were written")
}
