package api

import (
	"context"
	"math"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/fristad/fristad/api/policy"
	"github.com/fristad/fristad/domain"
	"github.com/fristad/fristad/eventstore/accesslog"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestWithheldReadsAreMarkedInTheAccessLog: every logged read route that
// withholds a protected person's whereabouts by the policy marks its
// access entry whereabouts_withheld when read by a reader who is not
// entitled, and not when read by an entitled one; before the protection
// no read is marked (nothing is withheld from anyone).
func TestWithheldReadsAreMarkedInTheAccessLog(t *testing.T) {
	pk2 := user{sub: "pk-2", roles: partnerk.roles, units: partnerk.units} // in the contact's unit, not entitled
	sc := scenarios()
	rows := []struct {
		name       string
		sc         scenario
		path       func(w *world) string
		action     accesslog.Action
		unentitled []user
		entitled   []user // none for provider staff: they never see whereabouts
	}{
		{"case file, protected subject", sc[0], func(w *world) string { return "/api/v1/cases/" + w.caseA },
			accesslog.ReadCaseFile, []user{bertil}, []user{anna, sara}},
		{"case file, party view", sc[0], func(w *world) string { return "/api/v1/cases/" + w.caseA + "?view=party" },
			accesslog.ReadCaseFile, []user{bertil}, []user{anna}},
		{"case file, provider's assignment view", sc[0], func(w *world) string { return "/api/v1/cases/" + w.caseA },
			accesslog.ReadCaseFile, []user{jouren}, nil},
		{"case events", sc[0], func(w *world) string { return "/api/v1/cases/" + w.caseA + "/events" },
			accesslog.ReadCaseEvents, []user{bertil}, []user{anna, sara}},
		{"personal file", sc[0], func(w *world) string { return "/api/v1/persons/" + w.subject },
			accesslog.ReadPerson, []user{bertil}, []user{anna, sara}},
		{"audit of a user", sc[0], func(w *world) string { return "/api/v1/audit/users/anna" },
			accesslog.ReadAudit, []user{admin}, []user{sara}},
		{"case file, protected child", sc[1], func(w *world) string { return "/api/v1/cases/" + w.caseA },
			accesslog.ReadCaseFile, []user{bertil}, []user{anna, sara}},
		{"case events, protected child", sc[1], func(w *world) string { return "/api/v1/cases/" + w.caseA + "/events" },
			accesslog.ReadCaseEvents, []user{bertil}, []user{anna}},
		{"personal file, protected child", sc[1], func(w *world) string { return "/api/v1/persons/" + w.child },
			accesslog.ReadPerson, []user{bertil}, []user{anna}},
		{"partner contact", sc[2], func(w *world) string { return "/api/v1/partner-contacts/" + w.contact },
			accesslog.ReadPartnerContact, []user{pk2}, []user{partnerk, sara}},
	}
	for _, r := range rows {
		t.Run(r.name, func(t *testing.T) {
			h := newHarness(t)
			w := newWorld(h)
			path := r.path(w)
			marked := func(u user) bool {
				t.Helper()
				h.must(200, "GET", path, &u, nil)
				log := h.accessLog()
				require.NotEmpty(t, log)
				e := log[len(log)-1]
				require.Equal(t, u.sub, e.User, "the read's own entry")
				require.Equal(t, r.action, e.Action)
				return slices.Contains(strings.Split(e.Detail, "&"), detailWithheld)
			}
			for _, u := range append(slices.Clone(r.unentitled), r.entitled...) {
				assert.False(t, marked(u), "%s before the protection: nothing withheld", u.sub)
			}
			r.sc.protect(w)
			for _, u := range r.unentitled {
				assert.True(t, marked(u), "%s is not entitled: the entry is marked", u.sub)
			}
			for _, u := range r.entitled {
				assert.False(t, marked(u), "%s is entitled: the entry is not marked", u.sub)
			}
		})
	}
}

// TestAuditOfAUserMarksThePagesThatWithhold: the audit of what a user
// recorded is read in pages; an entry is marked when an event left out
// for the reader lies within that page's range (after the previous
// cursor, up to its own), not when the left-out event belongs to a later
// page, which is marked in its turn.
func TestAuditOfAUserMarksThePagesThatWithhold(t *testing.T) {
	h := newHarness(t)
	w := newWorld(h)
	scenarios()[0].protect(w)
	// Sara's grant and its revocation on the protected subject are
	// messages of their own, left out for admin (not entitled), between
	// events of hers that are shown: the decisions before and one after.
	person := "/api/v1/persons/" + w.subject
	gid := h.must(201, "POST", person+"/grants", &sara, map[string]any{"sub": "bertil", "until": "2026-12-31", "reason": "Vikarie"}).str(t, "grant_id")
	h.must(200, "POST", person+"/grants/"+gid+"/revoke", &sara, map[string]any{"reason": "Klar"})
	h.must(201, "POST", "/api/v1/cases/"+w.caseA+"/decisions", &sara, map[string]any{"support_type": "protected_housing", "outcome": "granted",
		"goals": []string{"Trygghet"}, "valid_from": "2026-10-01", "valid_to": "2026-12-31"})
	hist, err := h.store.Load(context.Background(), domain.KindPerson, domain.ID(w.subject))
	require.NoError(t, err)
	var hidden []uint64
	for _, e := range hist.Events {
		if e.Actor == sara.sub && !policy.AuditShowsPersonEvent(e.Type, false) {
			hidden = append(hidden, e.Seq)
		}
	}
	require.Len(t, hidden, 2, "the grant and its revocation")

	var prev uint64
	pages, markedPages := 0, 0
	for {
		path := "/api/v1/audit/users/sara?limit=1"
		if prev != 0 {
			path += "&recorded_cursor=" + strconv.FormatUint(prev, 10)
		}
		body := h.must(200, "GET", path, &admin, nil).json(t)
		log := h.accessLog()
		e := log[len(log)-1]
		require.Equal(t, admin.sub, e.User)
		next := uint64(math.MaxUint64)
		if c, ok := body["recorded_next_cursor"].(string); ok {
			next, err = strconv.ParseUint(c, 10, 64)
			require.NoError(t, err)
		}
		want := slices.ContainsFunc(hidden, func(seq uint64) bool { return seq > prev && seq <= next })
		got := slices.Contains(strings.Split(e.Detail, "&"), detailWithheld)
		assert.Equal(t, want, got, "page after %d up to %d", prev, next)
		pages++
		if got {
			markedPages++
		}
		if next == math.MaxUint64 {
			break
		}
		prev = next
	}
	assert.Greater(t, pages, markedPages, "some pages withhold nothing and are not marked")
	assert.Positive(t, markedPages)
}
