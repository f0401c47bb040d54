package api

import (
	"context"

	"github.com/fristad/fristad/domain"
	"github.com/fristad/fristad/eventstore"
	"github.com/stretchr/testify/require"
)

// secretAddress is the address every test shelter gets: no response,
// log or report may show it to anyone outside the provider's scope.
const secretAddress = "Jourgränd 13, 752 20 Uppsala"

// shelterBody is a women's shelter's profile as a client sends it.
func shelterBody(name string) map[string]any {
	return map[string]any{"name": name, "kind": "womens_shelter", "municipality": "Uppsala", "region": "Uppsala län",
		"address": secretAddress, "places_adults": 6, "places_children": 8, "target_groups": []string{"women"},
		"children_max_age": 17, "boys_max_age": 12, "pets_accepted": false, "allergy_free": false, "wheelchair": false,
		"vision_adapted": false, "hearing_adapted": false, "languages": []string{"sv", "ar"}, "competences": []string{"Heder"}, "staffed": "always"}
}

// shelter registers a provider under a fixed id (the provider claim of
// the test tokens), with a permit valid from 2024-04-01 until further
// notice, through the real decider and store: the API gives new
// providers ids of its own.
func (h *harness) shelter(id string) {
	h.t.Helper()
	ctx := context.Background()
	opt := eventstore.ExecOptions{AppendOptions: eventstore.AppendOptions{Actor: "admin-1"}}
	if hist, err := h.store.Load(ctx, domain.KindProvider, domain.ID(id)); err == nil && hist.Exists() {
		return // registered by an earlier fixture of the same harness
	}
	d := domain.ProviderDetails{Name: "Jour " + id[len(id)-1:], Kind: domain.ProviderWomensShelter, Municipality: "Uppsala", Region: "Uppsala län",
		Address: secretAddress, PlacesAdults: 6, PlacesChildren: 8, TargetGroups: []domain.ProviderTargetGroup{domain.ProvidesWomen},
		ChildrenMaxAge: 17, Languages: []string{"sv"}, Staffed: domain.StaffedAlways}
	_, err := eventstore.Execute(ctx, h.store, domain.ProviderDecider(), domain.ID(id), domain.RegisterProvider{ProviderDetails: d}, opt)
	require.NoError(h.t, err)
	_, err = eventstore.Execute(ctx, h.store, domain.ProviderDecider(), domain.ID(id),
		domain.RecordPermit{Authority: "IVO", Number: "3.5.1-1/2024", ValidFrom: domain.NewDate(2024, 4, 1)}, opt)
	require.NoError(h.t, err)
}

// followUpBody is a follow-up of a provider with one answer and one action.
func followUpBody() map[string]any {
	return map[string]any{"checklist_version": "2026.1", "followed_up_on": "2026-03-01",
		"answers":  []map[string]any{{"question": "safety.fire", "answer": "no", "note": "Brandsyn saknas"}},
		"findings": "Brandskyddet är inte kontrollerat", "actions": []map[string]any{{"action": "Boka brandsyn", "due_on": "2026-04-01"}},
		"next_follow_up_on": "2027-03-01"}
}
