package console_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp/kb"
	"github.com/fristad/fristad/api/auth"
	"github.com/fristad/fristad/domain"
	"github.com/fristad/fristad/eventstore"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// shelterAddress is every test shelter's address: the API never puts it
// in a match or a report, so no console page may show it.
const shelterAddress = "Jourgränd 13, 752 20 Uppsala"

// shelters registers three providers through the real decider and store:
// Jour Ljuset fits (permit, wheelchair, vacancies), Jour Norr lies in the
// region the household avoids, Boendet AB is a company without a permit.
func (s *stack) shelters(t *testing.T) {
	t.Helper()
	ctx := context.Background()
	opt := eventstore.ExecOptions{AppendOptions: eventstore.AppendOptions{Actor: "admin-1"}}
	now := time.Now()
	today := domain.NewDate(now.Year(), now.Month(), now.Day())
	for _, p := range []struct {
		id, name, region string
		kind             domain.ProviderKind
		permit, vacant   bool
	}{
		{"01J00000000000000000000P01", "Jour Ljuset", "Uppsala län", domain.ProviderWomensShelter, true, true},
		{"01J00000000000000000000P02", "Jour Norr", "Norrbottens län", domain.ProviderWomensShelter, true, false},
		{"01J00000000000000000000P03", "Boendet AB", "Uppsala län", domain.ProviderCompany, false, false},
	} {
		d := domain.ProviderDetails{Name: p.name, Kind: p.kind, Municipality: "Uppsala", Region: p.region, Address: shelterAddress,
			PlacesAdults: 6, PlacesChildren: 8, TargetGroups: []domain.ProviderTargetGroup{domain.ProvidesWomen}, ChildrenMaxAge: 17,
			Wheelchair: true, Languages: []string{"sv"}, Staffed: domain.StaffedAlways}
		id := domain.ID(p.id)
		_, err := eventstore.Execute(ctx, s.store, domain.ProviderDecider(), id, domain.RegisterProvider{ProviderDetails: d}, opt)
		require.NoError(t, err)
		if p.permit {
			_, err = eventstore.Execute(ctx, s.store, domain.ProviderDecider(), id,
				domain.RecordPermit{Authority: "IVO", Number: "3.5.1-1/2024", ValidFrom: domain.NewDate(2024, 4, 1)}, opt)
			require.NoError(t, err)
		}
		if p.vacant {
			_, err = eventstore.Execute(ctx, s.store, domain.ProviderDecider(), id,
				domain.ReportVacancies{Adults: 2, Children: 3, AsOf: today, Today: today}, opt)
			require.NoError(t, err)
		}
	}
}

// A case worker matches a case to the shelters from the case file, with
// the keyboard alone: the fitting shelter ranked with its score, needs
// and vacancies; the others with their reasons in the domain's Swedish
// labels; never a shelter's address.
func TestShelterMatchingForACase(t *testing.T) {
	s := newStack(t, stackOptions{dev: true})
	_, plainID := s.protectedCase(t)
	s.shelters(t)
	ctx := browser(t)
	axe := axeSource(t)
	s.quickSignIn(t, ctx, "anna", "caseworker", "vuxen")
	s.open(t, ctx, "/ui/arenden/"+plainID)
	tabTo(t, ctx, "l-match")
	submitWith(t, ctx, kb.Enter)
	require.Equal(t, "Matchning mot skyddade boenden", heading(t, ctx), problemText(t, ctx))
	checkAxe(t, ctx, axe, "matching on the case alone")

	fill(t, ctx, "f-adults", "1")
	tabTo(t, ctx, "f-wheelchair")
	typeText(t, ctx, " ")
	fill(t, ctx, "f-avoid_regions", "Norrbottens län")
	tabTo(t, ctx, "b-match")
	submitWith(t, ctx, kb.Enter)
	require.Equal(t, "Matchning mot skyddade boenden", heading(t, ctx), problemText(t, ctx))
	checkAxe(t, ctx, axe, "matching result")
	checkKeyboardReach(t, ctx, "matching result")
	assert.True(t, eval[bool](t, ctx, `document.getElementById("f-wheelchair").checked`), "the form keeps its values")

	fit := eval[string](t, ctx, `document.getElementById("t-fit").innerText`)
	assert.Contains(t, fit, "Jour Ljuset")
	assert.Contains(t, fit, "2 vuxna, 3 barn", "the vacancies")
	assert.Contains(t, fit, "Tillgängligt med rullstol", "a met need in Swedish")
	assert.Contains(t, fit, "%", "the score")
	assert.NotContains(t, fit, "Jour Norr")
	assert.NotContains(t, fit, "Boendet AB")
	unfit := eval[string](t, ctx, `document.getElementById("t-unfit").innerText`)
	assert.Contains(t, unfit, "Jour Norr")
	assert.Contains(t, unfit, domain.ReasonRegionAvoided.Label())
	assert.Contains(t, unfit, "Boendet AB")
	assert.Contains(t, unfit, domain.ReasonNoValidPermit.Label())
	for _, code := range []string{"region_avoided", "no_valid_permit", "wheelchair", "vacancies_reported"} {
		assert.NotContains(t, fit+unfit, code, "codes are shown as their Swedish labels")
	}
	assert.NotContains(t, html(t, ctx), shelterAddress)
}

// The matching page mirrors the API's status for every user (the case
// worker of another unit, a statistician, a provider, an unknown case, a
// malformed id), and no user's page shows a shelter's address or the
// protected person's whereabouts.
func TestShelterMatchingMirrorsTheAPI(t *testing.T) {
	s := newStack(t, stackOptions{dev: true})
	protectedID, plainID := s.protectedCase(t)
	s.shelters(t)
	users := []struct {
		sub, role, units string
		p                auth.Principal
	}{
		{"anna", "caseworker", "vuxen", anna},
		{"bertil", "caseworker", "vuxen", auth.Principal{Sub: "bertil", Roles: []auth.Role{auth.RoleCaseworker}, Units: []string{"vuxen"}}},
		{"olle", "caseworker", "barn", auth.Principal{Sub: "olle", Roles: []auth.Role{auth.RoleCaseworker}, Units: []string{"barn"}}},
		{"sup-barn", "supervisor", "barn", auth.Principal{Sub: "sup-barn", Roles: []auth.Role{auth.RoleSupervisor}, Units: []string{"barn"}}},
		{"stat", "statistician", "", auth.Principal{Sub: "stat", Roles: []auth.Role{auth.RoleStatistician}}},
		{"jouren", "provider", "", auth.Principal{Sub: "jouren", Roles: []auth.Role{auth.RoleProvider}}},
	}
	ids := []string{protectedID, plainID, "01J00000000000000000000001", "inte-ett-id"}
	for _, u := range users {
		c := s.client(t)
		c.signIn(u.sub, u.role, u.units)
		for _, id := range ids {
			want, _ := s.apiCall(u.p, "POST", "/providers/match", map[string]any{"case_id": id})
			res, body := c.get("/ui/arenden/" + url.PathEscape(id) + "/boende")
			assert.Equal(t, want, res.StatusCode, "%s on %s", u.sub, id)
			for _, secret := range []string{street, phone, shelterAddress, "Zlatana"} {
				assert.NotContains(t, body, secret, "%s on %s", u.sub, id)
			}
			if want == http.StatusOK {
				assert.Contains(t, body, "Jour Ljuset", "the check above can fail: %s sees the result", u.sub)
				// The form's post: the same status, the same silence.
				res, body = c.post("/ui/arenden/"+url.PathEscape(id)+"/boende", url.Values{"csrf": {c.csrf(body)}, "adults": {"1"}, "languages": {"sv, ar"}})
				assert.Equal(t, http.StatusOK, res.StatusCode, "%s posts on %s", u.sub, id)
				assert.False(t, strings.Contains(body, shelterAddress) || strings.Contains(body, street))
			}
		}
	}
	// A field the API refuses comes back in Swedish, with the form.
	c := s.client(t)
	c.signIn("anna", "caseworker", "vuxen")
	_, body := c.get("/ui/arenden/" + plainID + "/boende")
	res, body := c.post("/ui/arenden/"+plainID+"/boende", url.Values{"csrf": {c.csrf(body)}, "adults": {"två"}})
	assert.Equal(t, http.StatusBadRequest, res.StatusCode)
	assert.Contains(t, body, "Antal vuxna måste vara ett heltal")
	// Without the session's CSRF token the form is refused (it writes
	// nothing, but it carries the regions to avoid).
	res, body = c.post("/ui/arenden/"+plainID+"/boende", url.Values{"csrf": {"fel"}, "adults": {"1"}})
	assert.Equal(t, http.StatusForbidden, res.StatusCode)
	assert.NotContains(t, body, "Jour Ljuset")
}
