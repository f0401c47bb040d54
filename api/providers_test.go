package api

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/fristad/fristad/api/auth"
	"github.com/fristad/fristad/domain"
	"github.com/fristad/fristad/eventstore"
	"github.com/fristad/fristad/eventstore/accesslog"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func staffOf(id string) user {
	return user{sub: "staff-" + id[len(id)-4:], roles: []auth.Role{auth.RoleProvider}, provider: id}
}

// registerShelter registers a provider through the API and returns its id.
func registerShelter(h *harness, body map[string]any) string {
	h.t.Helper()
	r := h.must(201, "POST", "/api/v1/providers", &admin, body)
	id := r.str(h.t, "provider_id")
	require.Equal(h.t, "/api/v1/providers/"+id, r.header.Get("Location"))
	return id
}

func TestProviderRegistryThroughTheAPI(t *testing.T) {
	h := newHarness(t)
	id := registerShelter(h, shelterBody("Kvinnojouren Linnea"))
	other := registerShelter(h, shelterBody("Kvinnojouren Annan"))
	p := "/api/v1/providers/" + id
	own, stranger := staffOf(id), staffOf(other)

	h.must(200, "POST", p+"/permit", &sara, map[string]any{"authority": "IVO", "number": "3.5.1-77/2024", "valid_from": "2024-04-01", "valid_to": "2030-03-31"})
	h.must(403, "POST", p+"/permit", &own, map[string]any{"authority": "IVO", "number": "1", "valid_from": "2024-04-01"})

	// Vacancies: the provider's own staff or a supervisor; another
	// provider's staff do not find it.
	h.must(200, "POST", p+"/vacancies", &own, map[string]any{"adults": 2, "children": 3, "as_of": "2026-03-01"})
	h.must(404, "POST", p+"/vacancies", &stranger, map[string]any{"adults": 0, "children": 0, "as_of": "2026-03-02"})
	r := h.must(422, "POST", p+"/vacancies", &sara, map[string]any{"adults": 1, "children": 0, "as_of": "2026-02-01"})
	assert.Equal(t, "vacancies-outdated", r.json(t)["rule"])
	h.must(400, "POST", p+"/vacancies", &own, map[string]any{"adults": 1, "children": 0, "as_of": "2999-01-01"})
	r = h.must(412, "POST", p+"/vacancies", &own, map[string]any{"adults": 1, "children": 1, "as_of": "2026-03-02"}, "If-Match", `"1"`)
	assert.Equal(t, float64(3), r.json(t)["current_version"], "registered, permit, vacancies")

	// Profile: the own staff may change the profile, but not the
	// organisation form that decides whether a permit is needed.
	changed := shelterBody("Kvinnojouren Linnea")
	changed["places_adults"] = 7
	h.must(200, "POST", p+"/profile", &own, changed)
	changed["kind"] = "municipal"
	r = h.must(422, "POST", p+"/profile", &own, changed)
	assert.Equal(t, "provider-kind-locked", r.json(t)["rule"])
	h.must(404, "POST", p+"/profile", &stranger, shelterBody("Kapat"))

	// The registry list: permit validity and last vacancies, no address.
	list := h.must(200, "GET", "/api/v1/providers?kind=womens_shelter&region=Uppsala%20l%C3%A4n", &anna, nil)
	assert.NotContains(t, string(list.body), secretAddress)
	var items []map[string]any
	for _, it := range list.json(t)["items"].([]any) {
		items = append(items, it.(map[string]any))
	}
	require.Len(t, items, 2)
	for _, it := range items {
		if it["provider_id"] == id {
			assert.Equal(t, true, it["permit"].(map[string]any)["valid_today"])
			assert.Equal(t, float64(2), it["vacancies"].(map[string]any)["adults"])
			assert.Equal(t, float64(7), it["places_adults"])
		} else {
			assert.Nil(t, it["permit"], "no permit recorded")
		}
	}
	assert.Empty(t, h.must(200, "GET", "/api/v1/providers?kind=company", &anna, nil).json(t)["items"])
	h.must(400, "GET", "/api/v1/providers?kind=hotel", &anna, nil)
	h.must(400, "GET", "/api/v1/providers?colour=red", &anna, nil)

	// One provider: the address for the municipality's staff and its own.
	for _, u := range []user{anna, sara, admin, own} {
		got := h.must(200, "GET", p, &u, nil).json(t)
		assert.Equal(t, secretAddress, got["address"], u.sub)
	}
	h.must(404, "GET", p, &stranger, nil)
	h.must(404, "GET", "/api/v1/providers/"+string(domain.NewID()), &anna, nil)
	h.must(404, "GET", "/api/v1/providers/not-an-id", &anna, nil)

	// A shelter known before the registry is registered under the id its
	// placements and its staff's tokens already use; an id taken is 422.
	known := shelterBody("Känd sedan tidigare")
	known["provider_id"] = providerA
	require.Equal(t, providerA, registerShelter(h, known))
	r = h.must(422, "POST", "/api/v1/providers", &admin, known)
	assert.Equal(t, "already-exists", r.json(t)["rule"])
	known["provider_id"] = "not-a-ulid"
	h.must(400, "POST", "/api/v1/providers", &admin, known)

	// Every read of the page (it holds the address) is in the access log;
	// refused reads are not; an outage of the log refuses the read.
	log := h.accessLog()
	var reads []accesslog.Entry
	for _, e := range log {
		if e.Action == accesslog.ReadProvider {
			reads = append(reads, e)
		}
	}
	require.Len(t, reads, 4)
	assert.Equal(t, "provider "+id, reads[3].Detail)
	assert.Equal(t, own.sub, reads[3].User)
	h.breakAccessLog()
	r = h.must(503, "GET", p, &anna, nil)
	assert.NotContains(t, string(r.body), secretAddress)
}

func TestProviderFollowUpWithTheChecklist(t *testing.T) {
	h := newHarness(t)
	id := registerShelter(h, shelterBody("Kvinnojouren Linnea"))
	p := "/api/v1/providers/" + id

	cl := h.must(200, "GET", "/api/v1/providers/checklist", ptr(staffOf(id)), nil).json(t)
	assert.Equal(t, domain.CurrentChecklistVersion, cl["version"])
	areas := cl["areas"].([]any)
	require.NotEmpty(t, areas)
	first := areas[0].(map[string]any)["questions"].([]any)[0].(map[string]any)
	assert.NotEmpty(t, first["text"])
	h.must(404, "GET", "/api/v1/providers/checklist?version=1999.1", &anna, nil)

	before, err := h.store.LastSeq(context.Background())
	require.NoError(t, err)
	// An answer to a question the version does not have is refused, and
	// nothing is written.
	bad := followUpBody()
	bad["answers"] = []map[string]any{{"question": "safety.unicorns", "answer": "yes"}}
	r := h.must(400, "POST", p+"/follow-ups", &sara, bad)
	assert.Contains(t, string(r.body), `"field":"answers[0].question"`)
	assert.NotContains(t, string(r.body), "unicorns", "no echo of the client's value")
	bad = followUpBody()
	bad["checklist_version"] = "2099.1"
	h.must(400, "POST", p+"/follow-ups", &sara, bad)
	after, err := h.store.LastSeq(context.Background())
	require.NoError(t, err)
	assert.Equal(t, before, after)
	h.must(403, "POST", p+"/follow-ups", &anna, followUpBody())

	fu := h.must(201, "POST", p+"/follow-ups", &sara, followUpBody()).json(t)
	action := fu["action_ids"].([]any)[0].(string)

	// Due on the supervisors' dashboard, not on a case worker's.
	dash := h.must(200, "GET", "/api/v1/dashboard/overdue", &sara, nil).json(t)
	items := dash["provider_items"].([]any)
	require.Len(t, items, 2)
	assert.Equal(t, "provider_action", items[0].(map[string]any)["kind"])
	assert.Equal(t, true, items[0].(map[string]any)["overdue"], "due 2026-04-01")
	assert.Equal(t, "provider_follow_up", items[1].(map[string]any)["kind"])
	assert.Nil(t, h.must(200, "GET", "/api/v1/dashboard/overdue", &anna, nil).json(t)["provider_items"])

	h.must(404, "POST", p+"/actions/"+string(domain.NewID())+"/done", &sara, map[string]any{"note": "x"})
	h.must(200, "POST", p+"/actions/"+action+"/done", &sara, map[string]any{"note": "Brandsyn gjord"})
	r = h.must(422, "POST", p+"/actions/"+action+"/done", &sara, map[string]any{"note": "igen"})
	assert.Equal(t, "action-done", r.json(t)["rule"])

	// The provider's page shows the follow-up with the question as its
	// version asked it, the note, the action done.
	got := h.must(200, "GET", p, &sara, nil).json(t)
	f := got["follow_ups"].([]any)[0].(map[string]any)
	assert.Equal(t, "2026.1", f["checklist_version"])
	ans := f["answers"].([]any)[0].(map[string]any)
	assert.Equal(t, "safety.fire", ans["question"])
	assert.Equal(t, "Har brandskyddet kontrollerats?", ans["text"])
	assert.Equal(t, "Brandsyn saknas", ans["note"])
	act := f["actions"].([]any)[0].(map[string]any)
	assert.Equal(t, "Boka brandsyn", act["action"])
	assert.NotNil(t, act["done_on"])
	assert.Equal(t, "Brandsyn gjord", act["note"])
	assert.Equal(t, float64(0), got["open_actions"])
	items = h.must(200, "GET", "/api/v1/dashboard/overdue", &sara, nil).json(t)["provider_items"].([]any)
	assert.Len(t, items, 1, "only the next follow-up remains due")

	// The answers are stored with their version, the notes sealed.
	hist, err := h.store.Load(context.Background(), domain.KindProvider, domain.ID(id))
	require.NoError(t, err)
	for _, e := range hist.Events {
		if fu, ok := e.Facts.(domain.ProviderFollowedUp); ok {
			assert.Equal(t, "2026.1", fu.ChecklistVersion)
			require.NotNil(t, e.Sealed)
		}
	}
}

// TestProviderAddressReachesNoOneElse: the address shows to the
// municipality's staff and the provider's own, and to no one else by any
// route: another provider, a statistician, the other roles, the registry
// list, matching, the case file and history, the dashboard, reports,
// the logs and the stream in clear.
func TestProviderAddressReachesNoOneElse(t *testing.T) {
	h := newHarness(t)
	id := registerShelter(h, shelterBody("Kvinnojouren Linnea"))
	other := registerShelter(h, shelterBody("Kvinnojouren Annan"))
	p := "/api/v1/providers/" + id
	h.must(200, "POST", p+"/permit", &sara, map[string]any{"authority": "IVO", "number": "3.5.1-77/2024", "valid_from": "2024-04-01"})
	h.must(201, "POST", p+"/follow-ups", &sara, followUpBody())

	// A case placed at the provider, with the subject protected.
	caseID, _ := openTestCase(h, anna)
	c := "/api/v1/cases/" + caseID
	h.must(200, "POST", c+"/protected-identity", &anna, map[string]any{"level": "skyddad_folkbokforing"})
	dec := h.must(201, "POST", c+"/decisions", &sara, map[string]any{"support_type": "protected_housing", "outcome": "granted",
		"goals": []string{"Trygghet"}, "valid_from": "2026-03-04", "valid_to": "2026-12-31"}).str(t, "decision_id")
	h.must(201, "POST", c+"/assignments", &anna, map[string]any{"decision_id": dec, "provider_id": id, "needs_assessment": "Skydd", "includes": "Boende",
		"goals": []string{"Trygghet"}, "follow_up": "Månadsvis", "return_information": "Sammanfattning", "responsible_worker": "Anna"})
	h.must(201, "POST", c+"/placements", &anna, map[string]any{"decision_id": dec, "provider_id": id, "moved_in_on": "2026-03-05"})

	stranger := staffOf(other)
	refused := []struct {
		u      user
		status int
	}{{stranger, 404}, {statist, 403}, {behandla, 403}, {partnerk, 403}}
	for _, x := range refused {
		for _, path := range []string{p, "/api/v1/providers", "/api/v1/providers?kind=womens_shelter"} {
			res := h.do("GET", path, &x.u, nil)
			assert.NotContains(t, string(res.body), secretAddress, "%s on %s", x.u.sub, path)
			if path == p {
				assert.Equal(t, x.status, res.code, "%s on %s", x.u.sub, path)
			}
		}
		for _, path := range []string{p + "/profile", p + "/vacancies"} {
			res := h.do("POST", path, &x.u, map[string]any{"adults": 1, "children": 0, "as_of": "2026-03-01"})
			assert.NotContains(t, string(res.body), secretAddress, "%s on %s", x.u.sub, path)
			assert.Contains(t, []int{400, 403, 404}, res.code, "%s on %s: %s", x.u.sub, path, res.body)
		}
	}

	// Readers who get a view, but never the address in it.
	views := []struct {
		u    user
		path string
		body any
	}{
		{anna, "/api/v1/providers", nil},
		{anna, c, nil},
		{anna, c + "?view=party", nil},
		{anna, c + "/events", nil},
		{sara, "/api/v1/dashboard/overdue", nil},
		{staffOf(id), c, nil}, // the assignment view
		{statist, "/api/v1/reports/providers?from=2026-01-01&to=2026-12-31", nil},
		{statist, "/api/v1/reports/providers?from=2026-01-01&to=2026-12-31&format=csv", nil},
		{statist, "/api/v1/reports/mapping?from=2026-01-01&to=2026-12-31", nil},
	}
	for _, v := range views {
		res := h.must(200, "GET", v.path, &v.u, v.body)
		assert.NotContains(t, string(res.body), secretAddress, "%s on %s", v.u.sub, v.path)
		assert.NotContains(t, string(res.body), "Jourgränd", "%s on %s", v.u.sub, v.path)
	}
	match := h.must(200, "POST", "/api/v1/providers/match", &anna, map[string]any{"case_id": caseID})
	assert.NotContains(t, string(match.body), secretAddress)

	// Logs, the access log and the event stream hold it nowhere in clear.
	assert.NotContains(t, h.logs.String(), "Jourgränd")
	assert.NotContains(t, h.rawAccessLog(), "Jourgränd")
	assert.NotContains(t, h.rawEvents(), "Jourgränd")
}

// rawEvents is the event stream as stored: subjects, headers, data.
func (h *harness) rawEvents() string {
	h.t.Helper()
	raw := h.rawStream(h.stream)
	require.Contains(h.t, raw, "provider.registered", "the stream was read")
	return raw
}

func TestPlacementOnlyAtARegisteredProviderWithAPermit(t *testing.T) {
	h := newHarness(t)
	withPermit := registerShelter(h, shelterBody("Med tillstånd"))
	h.must(200, "POST", "/api/v1/providers/"+withPermit+"/permit", &sara, map[string]any{"authority": "IVO", "number": "1", "valid_from": "2024-04-01", "valid_to": "2026-03-31"})
	noPermit := registerShelter(h, shelterBody("Utan tillstånd"))
	municipalBody := shelterBody("Kommunens boende")
	municipalBody["kind"] = "municipal"
	municipal := registerShelter(h, municipalBody)

	caseID, _ := openTestCase(h, anna)
	c := "/api/v1/cases/" + caseID
	dec := h.must(201, "POST", c+"/decisions", &sara, map[string]any{"support_type": "protected_housing", "outcome": "granted",
		"goals": []string{"Trygghet"}, "valid_from": "2026-03-04", "valid_to": "2026-12-31"}).str(t, "decision_id")
	place := func(provider, on string) response {
		return h.do("POST", c+"/placements", &anna, map[string]any{"decision_id": dec, "provider_id": provider, "moved_in_on": on})
	}
	for _, tc := range []struct {
		name, provider, on, rule string
	}{
		{"an id no one registered", string(domain.NewID()), "2026-03-05", "provider-not-registered"},
		{"a private provider without a permit", noPermit, "2026-03-05", "provider-permit-not-valid"},
		{"a permit that ended before the move-in", withPermit, "2026-04-01", "provider-permit-not-valid"},
	} {
		r := place(tc.provider, tc.on)
		require.Equal(t, 422, r.code, "%s: %s", tc.name, r.body)
		assert.Equal(t, tc.rule, r.json(t)["rule"], tc.name)
		assert.NotContains(t, string(r.body), tc.provider, "no echo of the id")
	}
	// A municipality's own shelter needs no permit.
	r := place(municipal, "2026-04-01")
	require.Equal(t, 201, r.code, string(r.body))
	got := h.must(200, "GET", c, &anna, nil).json(t)
	pl := got["placements"].([]any)[0].(map[string]any)
	assert.Equal(t, true, pl["provider_registered"])

	// A placement recorded before the registry, at an unregistered id,
	// still reads, marked as such.
	old, _ := openTestCase(h, anna)
	oldDec := h.must(201, "POST", "/api/v1/cases/"+old+"/decisions", &sara, map[string]any{"support_type": "protected_housing", "outcome": "granted",
		"goals": []string{"Trygghet"}, "valid_from": "2026-03-04", "valid_to": "2026-12-31"}).str(t, "decision_id")
	unknown := domain.ID("01J0000000PR0V1DER0000000Z")
	_, err := eventstore.Execute(context.Background(), h.store, domain.CaseDecider(), domain.ID(old),
		domain.StartPlacement{DecisionID: domain.ID(oldDec), ProviderID: unknown, MovedInOn: domain.NewDate(2026, 3, 5), PlacementID: domain.NewID(),
			At: &domain.Provider{ID: unknown, Exists: true, ProviderProfile: domain.ProviderProfile{Kind: domain.ProviderMunicipal}}},
		eventstore.ExecOptions{AppendOptions: eventstore.AppendOptions{Actor: "anna"}})
	require.NoError(t, err)
	got = h.must(200, "GET", "/api/v1/cases/"+old, &anna, nil).json(t)
	pl = got["placements"].([]any)[0].(map[string]any)
	assert.Equal(t, string(unknown), pl["provider_id"])
	assert.Equal(t, false, pl["provider_registered"])
	party := h.must(200, "GET", "/api/v1/cases/"+old+"?view=party", &anna, nil).json(t)
	assert.Nil(t, party["placements"].([]any)[0].(map[string]any)["provider_registered"], "the party view shows no provider")
}

func TestReportBackEndsTheAssignment(t *testing.T) {
	h := newHarness(t)
	h.shelter(providerA)
	f := newFixture(h)
	rb := "/api/v1/cases/" + f.caseA + "/assignments/" + f.assignment + "/report-back"
	body := map[string]any{"reported_on": "2026-03-20", "summary": "Har flyttat till egen bostad", "goal_attainment": "partly"}
	h.must(404, "POST", rb, &jour2, body)
	h.must(403, "POST", rb, &anna, body)
	h.must(404, "POST", "/api/v1/cases/"+f.caseA+"/assignments/"+string(domain.NewID())+"/report-back", &jouren, body)
	h.must(200, "POST", rb, &jouren, body)
	r := h.must(422, "POST", rb, &jouren, body)
	assert.Equal(t, "assignment-ended", r.json(t)["rule"])
	cs, ok := h.srv.cfg.Cases.Case(domain.ID(f.caseA))
	require.True(t, ok)
	got, ended := cs.ReportedBack(domain.ID(f.assignment))
	require.True(t, ended)
	assert.Equal(t, domain.GoalPartly, got.GoalAttainment)
	// The case file and the provider's assignment view show it ended.
	file := h.must(200, "GET", "/api/v1/cases/"+f.caseA, &sara, nil).json(t)
	assert.Equal(t, "2026-03-20", file["assignments"].([]any)[0].(map[string]any)["reported_back_on"])
	view := h.must(200, "GET", "/api/v1/cases/"+f.caseA, &jouren, nil).json(t)
	assert.Equal(t, "2026-03-20", view["assignments"].([]any)[0].(map[string]any)["reported_back_on"])
}

func TestMatchThroughTheAPI(t *testing.T) {
	h := newHarness(t)
	noTeenBoys := registerShelter(h, shelterBody("A Inga tonårspojkar")) // boys up to 12, no pets
	petsBody := shelterBody("B Djur välkomna")
	delete(petsBody, "boys_max_age")
	petsBody["pets_accepted"] = true
	pets := registerShelter(h, petsBody)
	expiredBody := shelterBody("C Utgånget")
	delete(expiredBody, "boys_max_age")
	expiredBody["pets_accepted"] = true
	expired := registerShelter(h, expiredBody)
	for id, to := range map[string]string{noTeenBoys: "2030-01-01", pets: "2030-01-01", expired: "2025-01-01"} {
		h.must(200, "POST", "/api/v1/providers/"+id+"/permit", &sara, map[string]any{"authority": "IVO", "number": "1", "valid_from": "2024-04-01", "valid_to": to})
	}
	h.must(200, "POST", "/api/v1/providers/"+pets+"/vacancies", &sara, map[string]any{"adults": 1, "children": 2, "as_of": "2026-03-01"})

	// A mother with a 14-year-old son and a dog.
	year := time.Now().Year()
	caseID := h.must(201, "POST", "/api/v1/cases", &anna, map[string]any{"unit": "vuxen", "target_group": "adult_victim", "source": "application",
		"received_on": "2026-03-01", "special_needs": []string{"has_pet"}, "subject": map[string]any{"sex": "female", "birth_year": 1988, "name": "Mamma M"}}).str(t, "id")
	h.must(201, "POST", "/api/v1/cases/"+caseID+"/children", &anna, map[string]any{"sex": "male", "birth_year": year - 14, "name": "Son S", "relation": "witnessed"})

	res := h.must(200, "POST", "/api/v1/providers/match", &anna, map[string]any{"case_id": caseID, "languages": []string{"ar"}}).json(t)
	hh := res["household"].(map[string]any)
	assert.Equal(t, "women", hh["target_group"])
	assert.Equal(t, float64(1), hh["pets"])
	byID := map[string]map[string]any{}
	var order []string
	for _, m := range res["matches"].([]any) {
		mm := m.(map[string]any)
		byID[mm["provider_id"].(string)] = mm
		order = append(order, mm["provider_id"].(string))
	}
	require.Len(t, order, 3)
	assert.Equal(t, pets, order[0], "the one that fits comes first")
	assert.Equal(t, true, byID[pets]["fits"])
	assert.Contains(t, byID[pets]["met"], "languages")
	assert.Equal(t, float64(1), byID[pets]["vacancies"].(map[string]any)["adults"])
	assert.Equal(t, false, byID[noTeenBoys]["fits"])
	assert.Equal(t, []any{"boy_age_not_taken", "pets_not_accepted"}, byID[noTeenBoys]["reasons"])
	assert.Equal(t, []any{"no_valid_permit"}, byID[expired]["reasons"])

	// Explicit needs, no case.
	res = h.must(200, "POST", "/api/v1/providers/match", &sara, map[string]any{"adults": 1, "children": []map[string]any{{"age": 4, "sex": "female"}},
		"target_group": "women", "avoid_regions": []string{"Uppsala län"}}).json(t)
	for _, m := range res["matches"].([]any) {
		assert.Contains(t, m.(map[string]any)["reasons"], "region_avoided")
	}
	// The case's children come from the case; a case out of scope is not there.
	h.must(400, "POST", "/api/v1/providers/match", &anna, map[string]any{"case_id": caseID, "children": []map[string]any{{"age": 4, "sex": "female"}}})
	h.must(404, "POST", "/api/v1/providers/match", &olle, map[string]any{"case_id": caseID})
	h.must(400, "POST", "/api/v1/providers/match", &olle, map[string]any{"case_id": caseID, "pets": -1}) // bad input before any look-up
	h.must(403, "POST", "/api/v1/providers/match", &jouren, map[string]any{"adults": 1})
	r := h.must(400, "POST", "/api/v1/providers/match", &anna, map[string]any{"children": []map[string]any{{"age": 30, "sex": "alien"}}})
	assert.Contains(t, string(r.body), "children[0].age")
	assert.NotContains(t, string(r.body), "alien")
}

// TestMatchAgainst300Providers measures nothing (benchmarks do); it
// checks that a registry of 300 matches whole through the API.
func TestMatchAgainst300Providers(t *testing.T) {
	if testing.Short() {
		t.Skip("registers 300 providers")
	}
	h := newHarness(t)
	registerMany(h, 300)
	res := h.must(200, "POST", "/api/v1/providers/match", &anna, map[string]any{"adults": 1, "target_group": "women", "pets": 1}).json(t)
	assert.Len(t, res["matches"], 300)
}

// registerMany registers n providers straight through the store (the
// API would take a token per write) and waits for the registry.
func registerMany(h *harness, n int) {
	h.t.Helper()
	ctx := context.Background()
	opt := eventstore.ExecOptions{AppendOptions: eventstore.AppendOptions{Actor: "admin-1"}}
	kinds := []domain.ProviderKind{domain.ProviderWomensShelter, domain.ProviderCompany, domain.ProviderMunicipal, domain.ProviderGirlsShelter}
	for i := range n {
		id := domain.NewID()
		d := domain.ProviderDetails{Name: fmt.Sprintf("Jour %03d", i), Kind: kinds[i%len(kinds)], Municipality: "M", Region: fmt.Sprintf("Län %d", i%21),
			Address: secretAddress, PlacesAdults: 1 + i%9, PlacesChildren: i % 7, TargetGroups: []domain.ProviderTargetGroup{domain.ProvidesWomen},
			ChildrenMaxAge: 17, PetsAccepted: i%3 == 0, Wheelchair: i%4 == 0, Languages: []string{"sv"}, Staffed: domain.StaffedAlways}
		_, err := eventstore.Execute(ctx, h.store, domain.ProviderDecider(), id, domain.RegisterProvider{ProviderDetails: d}, opt)
		require.NoError(h.t, err)
		if i%5 != 0 {
			_, err = eventstore.Execute(ctx, h.store, domain.ProviderDecider(), id, domain.RecordPermit{Authority: "IVO", Number: "1", ValidFrom: domain.NewDate(2024, 4, 1)}, opt)
			require.NoError(h.t, err)
		}
	}
	require.NoError(h.t, h.srv.cfg.Runner.CatchUp(ctx, 10*time.Second))
	require.Len(h.t, h.srv.cfg.Providers.All(), n)
}

// The reasons a provider does not fit are readable by a case worker: the
// OpenAPI document gives every code its Swedish label.
func TestOpenAPIGivesMatchReasonsSwedishLabels(t *testing.T) {
	h := newHarness(t)
	doc := string(h.must(200, "GET", "/api/v1/openapi.json", nil, nil).body)
	for _, r := range domain.MatchReasons() {
		assert.Contains(t, doc, string(r)+": "+r.Label())
	}
	for _, n := range domain.MatchNeeds() {
		assert.Contains(t, doc, string(n)+": "+n.Label())
	}
	assert.Contains(t, doc, "not_applicable: Ej tillämpligt")
}

// TestWhoSeesTheProviderAddressMatrix: every reader × every read route
// of the fixture (provider A housing case A's subject): the provider's
// address shows on GET /providers/A to the municipality's case workers,
// supervisors and admins (any unit) and to provider A's own staff, and
// nowhere else, to no one.
func TestWhoSeesTheProviderAddressMatrix(t *testing.T) {
	h := newHarness(t)
	f := newFixture(h)
	c := "/api/v1/cases/" + f.caseA
	own := "/api/v1/providers/" + providerA
	supBarn := user{sub: "sup-barn", roles: []auth.Role{auth.RoleSupervisor}, units: []string{"barn"}}
	readers := []struct {
		name string
		u    user
		sees bool
	}{
		{"assigned case worker", anna, true}, {"other case worker, same unit", bertil, true}, {"supervisor", sara, true},
		{"case worker of another unit", olle, true}, {"supervisor of another unit", supBarn, true}, {"admin", admin, true},
		{"the provider's own staff", jouren, true}, {"another provider", jour2, false},
		{"treatment", behandla, false}, {"partner contact", partnerk, false}, {"statistician", statist, false},
	}
	paths := []string{own, "/api/v1/providers", "/api/v1/providers/checklist", c, c + "?view=party", c + "/events",
		"/api/v1/persons/" + f.subject, "/api/v1/dashboard/overdue", "/api/v1/audit/cases/" + f.caseA,
		"/api/v1/reports/providers?from=2026-01-01&to=2026-12-31", "/api/v1/reports/providers?from=2026-01-01&to=2026-12-31&format=csv",
		"/api/v1/reports/mapping?from=2026-01-01&to=2026-12-31&unit=vuxen"}
	for _, rd := range readers {
		for _, path := range paths {
			r := h.do("GET", path, &rd.u, nil)
			shows := strings.Contains(string(r.body), secretAddress)
			want := rd.sees && path == own
			assert.Equal(t, want, shows, "%s on %s (%d)", rd.name, path, r.code)
			if want {
				assert.Equal(t, 200, r.code, "%s on %s", rd.name, path)
			}
		}
		r := h.do("POST", "/api/v1/providers/match", &rd.u, map[string]any{"case_id": f.caseA})
		assert.NotContains(t, string(r.body), secretAddress, "%s on match", rd.name)
	}
}
