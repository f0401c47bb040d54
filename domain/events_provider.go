package domain

// Events of the Provider aggregate: a shelter (skyddat boende) in the
// municipality's registry of providers. A provider's address is itself
// secret (whereabouts of everyone it houses): it travels only in the
// sealed personal part, under a data key of the provider's own
// (ProviderKey), never in facts.

// ProviderKey is the data key that seals one provider's address and the
// free text about it (competences, follow-up notes and findings).
func ProviderKey(provider ID) KeyID { return KeyID("provider." + string(provider)) }

// ProviderProfile is a provider's profile as facts: what the registry
// lists and matching reads. It holds no address and no free text; the
// provider's name is the name of an organisation, not of a person.
type ProviderProfile struct {
	Name           string                `json:"name"`
	Kind           ProviderKind          `json:"kind"`
	Municipality   string                `json:"municipality"`
	Region         string                `json:"region"`
	PlacesAdults   int                   `json:"places_adults"`
	PlacesChildren int                   `json:"places_children"`
	TargetGroups   []ProviderTargetGroup `json:"target_groups"`
	// ChildrenMaxAge is the oldest accompanying child taken (years);
	// BoysMaxAge, when set, the oldest boy (some shelters take no
	// teenage boys).
	ChildrenMaxAge int      `json:"children_max_age"`
	BoysMaxAge     *int     `json:"boys_max_age,omitempty"`
	PetsAccepted   bool     `json:"pets_accepted"`
	AllergyFree    bool     `json:"allergy_free"`
	Wheelchair     bool     `json:"wheelchair"`
	VisionAdapted  bool     `json:"vision_adapted"`
	HearingAdapted bool     `json:"hearing_adapted"`
	Languages      []string `json:"languages"`
	Staffed        Staffing `json:"staffed"`
}

// ProviderPrivate is a provider's sealed part: its address and the free
// text of its profile.
type ProviderPrivate struct {
	Address     string   `json:"address"`
	Competences []string `json:"competences,omitempty"`
}

// ProviderRegistered adds a provider to the registry.
type ProviderRegistered struct {
	ProviderProfile
}

func (ProviderRegistered) EventName() string { return "provider.registered" }

// ProviderProfileChanged replaces the profile as a whole.
type ProviderProfileChanged struct {
	ProviderProfile
}

func (ProviderProfileChanged) EventName() string { return "provider.profile_changed" }

// PermitRecorded is the provider's permit (tillstånd) for protected
// housing, e.g. from IVO. The authority and the permit's number are
// public registry data about an organisation, kept in facts so the
// registry can show them without opening sealed data.
type PermitRecorded struct {
	Authority string `json:"authority"`
	Number    string `json:"number"`
	ValidFrom Date   `json:"valid_from"`
	ValidTo   Date   `json:"valid_to,omitzero"` // zero: until further notice
}

func (PermitRecorded) EventName() string { return "provider.permit_recorded" }

// ValidOn reports whether the permit holds on day d.
func (p PermitRecorded) ValidOn(d Date) bool {
	if p.ValidFrom.IsZero() || d.Before(p.ValidFrom) {
		return false
	}
	return p.ValidTo.IsZero() || !d.After(p.ValidTo)
}

// VacanciesReported is the provider's own report of free places.
type VacanciesReported struct {
	Adults   int  `json:"adults"`
	Children int  `json:"children"`
	AsOf     Date `json:"as_of"`
}

func (VacanciesReported) EventName() string { return "provider.vacancies_reported" }

// ChecklistAnswered is one question of the checklist as answered.
type ChecklistAnswered struct {
	Question string          `json:"question"`
	Answer   ChecklistAnswer `json:"answer"`
}

// ActionAgreed is an action agreed at a follow-up, with its due date.
type ActionAgreed struct {
	ActionID ID   `json:"action_id"`
	DueOn    Date `json:"due_on"`
}

// ProviderFollowedUp is the board's follow-up of a provider with the
// county boards' checklist, in the version the answers were given to.
type ProviderFollowedUp struct {
	FollowUpID       ID                  `json:"follow_up_id"`
	ChecklistVersion string              `json:"checklist_version"`
	FollowedUpOn     Date                `json:"followed_up_on"`
	Answers          []ChecklistAnswered `json:"answers"`
	Actions          []ActionAgreed      `json:"actions"`
	NextFollowUpOn   Date                `json:"next_follow_up_on,omitzero"`
}

func (ProviderFollowedUp) EventName() string { return "provider.followed_up" }

// ProviderFollowUpTexts is a follow-up's free text: a note per answer (in
// the order of the answers), the findings, and the agreed actions.
type ProviderFollowUpTexts struct {
	Notes    []string `json:"notes"`
	Findings string   `json:"findings"`
	Actions  []string `json:"actions"`
}

// ProviderActionDone records that an agreed action was carried out.
type ProviderActionDone struct {
	ActionID ID   `json:"action_id"`
	DoneOn   Date `json:"done_on"`
}

func (ProviderActionDone) EventName() string { return "provider.action_done" }
