package console_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp/kb"
	"github.com/fristad/fristad/api/auth"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	street = "Hemliga gatan 7"
	phone  = "070-111 22 33"
)

var (
	anna = auth.Principal{Sub: "anna", Name: "Anna", Roles: []auth.Role{auth.RoleCaseworker}, Units: []string{"vuxen"}}
	sara = auth.Principal{Sub: "sara", Name: "Sara", Roles: []auth.Role{auth.RoleSupervisor}, Units: []string{"vuxen"}}
)

// protectedCase opens a case whose subject lives at street, protects the
// subject, and has anna read it (with a reason) and an ordinary case.
func (s *stack) protectedCase(t *testing.T) (protectedID, plainID string) {
	t.Helper()
	open := func(number string, withAddress bool) string {
		subject := map[string]any{"sex": "female", "name": "Zlatana Testdottir", "personal_number": number}
		if withAddress {
			subject["address"], subject["phone"] = street, phone
		}
		code, body := s.apiCall(anna, "POST", "/cases", map[string]any{"unit": "vuxen", "target_group": "adult_victim", "source": "application",
			"received_on": "2026-03-02", "subject": subject})
		require.Equal(t, http.StatusCreated, code, body)
		return body["id"].(string)
	}
	protectedID = open(pnr("19850315", 123), true)
	plainID = open(pnr("19900101", 234), false)
	code, body := s.apiCall(anna, "POST", "/cases/"+protectedID+"/protected-identity", map[string]any{"level": "skyddad_folkbokforing"})
	require.Equal(t, http.StatusOK, code, body)
	code, _ = s.apiCall(anna, "GET", "/cases/"+protectedID, nil, "X-Access-Reason", "Planering av skyddat boende")
	require.Equal(t, http.StatusOK, code)
	code, _ = s.apiCall(anna, "GET", "/cases/"+plainID, nil)
	require.Equal(t, http.StatusOK, code)
	return protectedID, plainID
}

// A supervisor reviews the access log in the console: the sample shows
// the read of the protected person first; the review is recorded with the
// keyboard alone and is then in the API's list of reviews.
func TestSupervisorReviewsTheAccessLog(t *testing.T) {
	s := newStack(t, stackOptions{dev: true})
	protectedID, _ := s.protectedCase(t)
	ctx := browser(t)
	axe := axeSource(t)

	s.devSignIn(t, ctx, "sara", []string{"supervisor"}, "vuxen")
	s.open(t, ctx, "/ui/logguppfoljning")
	require.Equal(t, "Logguppföljning", heading(t, ctx), problemText(t, ctx))
	checkAxe(t, ctx, axe, "access-log review")
	firstRow := eval[string](t, ctx, `document.querySelector("section[aria-labelledby=h-sample] tbody tr").textContent`)
	assert.Contains(t, firstRow, "Skyddad", "reads of protected persons first")
	assert.Contains(t, firstRow, protectedID)
	entry := eval[string](t, ctx, `document.querySelector("section[aria-labelledby=h-sample] tbody input[type=checkbox]").id`)

	tabTo(t, ctx, entry)
	typeText(t, ctx, " ")
	tabTo(t, ctx, "f-outcome-justified") // Tab enters a radio group at its checked button
	run(t, ctx, chromeKey(kb.ArrowDown))
	assert.Equal(t, "to_investigate", eval[string](t, ctx, `document.querySelector("input[name=outcome]:checked").value`))
	fill(t, ctx, "f-note", "Kontrollera skälet med handläggaren")
	submitWith(t, ctx, kb.Enter)
	require.Equal(t, "Granskningen är registrerad.", flash(t, ctx), problemText(t, ctx))
	assert.Contains(t, eval[string](t, ctx, `document.querySelector("section[aria-labelledby=h-reviews]").textContent`), "Ska utredas")
	checkAxe(t, ctx, axe, "access-log review after recording")

	code, body := s.apiCall(sara, "GET", "/audit/reviews", nil)
	require.Equal(t, http.StatusOK, code)
	items := body["items"].([]any)
	require.Len(t, items, 1)
	rv := items[0].(map[string]any)
	assert.Equal(t, "to_investigate", rv["outcome"])
	assert.Equal(t, "sara", rv["reviewer"])
	assert.Equal(t, "Kontrollera skälet med handläggaren", rv["note"])
	assert.Equal(t, []any{strings.TrimPrefix(entry, "e-")}, rv["entries"])

	// A case worker has no review page: the API's 403, not a page of data.
	s.devSignIn(t, ctx, "anna", []string{"caseworker"}, "vuxen")
	s.open(t, ctx, "/ui/logguppfoljning")
	assert.Equal(t, "Ingen behörighet", heading(t, ctx))
	assert.NotContains(t, html(t, ctx), protectedID)
}

// A protected person's whereabouts never appear on any console page a
// user who is not entitled to them can open, while the entitled case
// worker does see them (so the check can fail).
func TestProtectedWhereaboutsNeverShownToTheNonEntitled(t *testing.T) {
	s := newStack(t, stackOptions{dev: true})
	protectedID, plainID := s.protectedCase(t)
	s.shelters(t)
	ctx := browser(t)
	axe := axeSource(t)

	// Every page that shows case or person data (the forms without data
	// are left out to keep the test short).
	pages := []string{"/ui/arenden", "/ui/arenden?status=open", "/ui/uppgifter", "/ui/arenden/" + protectedID,
		"/ui/arenden/" + protectedID + "?sida=2", "/ui/arenden/" + plainID, "/ui/logguppfoljning",
		"/ui/rapporter?rapport=mapping&unit=vuxen&from=2026-01-01&to=2026-12-31",
		"/ui/arenden/" + protectedID + "/boende", "/ui/arenden/" + plainID + "/boende",
		"/ui/rapporter?rapport=providers&unit=vuxen&from=2026-01-01&to=2026-12-31"}
	visit := func(ctx context.Context, who string) string {
		var all strings.Builder
		for _, p := range pages {
			s.open(t, ctx, p)
			if heading(t, ctx) == "Skäl för åtkomst" {
				eval[bool](t, ctx, `(() => { document.getElementById("f-reason").value = "Kontroll"; window.__before = true; document.getElementById("b-skal").click(); return true })()`)
				waitNewPage(t, ctx)
			}
			all.WriteString(html(t, ctx))
		}
		return all.String()
	}
	for _, u := range []struct {
		sub, roles, units string
	}{
		{"bertil", "caseworker", "vuxen"},  // same unit, not entitled
		{"olle", "caseworker", "barn"},     // another unit
		{"sup-barn", "supervisor", "barn"}, // another unit's supervisor
		{"stat", "statistician", ""},       // reports only
		{"jouren", "provider", ""},         // a provider without the assignment
		{"beh", "treatment", "vuxen"},      // the treatment side
		{"pk", "partner_contact", "vuxen"}, // the partner-contact side
	} {
		t.Run(u.sub, func(t *testing.T) {
			s.quickSignIn(t, ctx, u.sub, u.roles, u.units)
			body := visit(ctx, u.sub)
			assert.NotContains(t, body, street)
			assert.NotContains(t, body, "Hemliga")
			assert.NotContains(t, body, phone)
			assert.NotContains(t, body, "070-111")
			assert.NotContains(t, body, shelterAddress)
		})
	}
	// bertil reaches the file (same unit) with the whereabouts masked.
	s.quickSignIn(t, ctx, "bertil", "caseworker", "vuxen")
	s.open(t, ctx, "/ui/arenden/"+protectedID)
	if heading(t, ctx) == "Skäl för åtkomst" {
		fill(t, ctx, "f-reason", "Kontroll")
		submitWith(t, ctx, kb.Enter)
	}
	assert.Equal(t, "Ärende", heading(t, ctx))
	assert.Contains(t, html(t, ctx), "Dolt för dig")
	checkAxe(t, ctx, axe, "case file, whereabouts masked")

	// The entitled case worker sees them: the check above can fail.
	s.quickSignIn(t, ctx, "anna", "caseworker", "vuxen")
	assert.Contains(t, visit(ctx, "anna"), street)
}
