package domain

import "regexp"

// Commands on a Provider. JSON names are the API's; json:"-" fields are
// set by the server (new ids, today, who is asking).

// Bounds of a provider's profile.
const (
	maxPlaces     = 500
	maxChildAge   = 17
	maxLanguages  = 30
	maxPermitText = 100
)

var languageCode = regexp.MustCompile(`^[a-z]{2}$`)              // ISO 639-1
var permitNumber = regexp.MustCompile(`^[A-Za-z0-9./:-]{1,50}$`) // a registry number, no free text

// ProviderDetails is a provider's profile as a client sends it (POST
// /providers and POST /providers/{id}/profile).
type ProviderDetails struct {
	Name           string                `json:"name"`
	Kind           ProviderKind          `json:"kind"`
	Municipality   string                `json:"municipality"`
	Region         string                `json:"region"`
	Address        string                `json:"address"`
	PlacesAdults   int                   `json:"places_adults"`
	PlacesChildren int                   `json:"places_children"`
	TargetGroups   []ProviderTargetGroup `json:"target_groups"`
	ChildrenMaxAge int                   `json:"children_max_age"`
	BoysMaxAge     *int                  `json:"boys_max_age"`
	PetsAccepted   bool                  `json:"pets_accepted"`
	AllergyFree    bool                  `json:"allergy_free"`
	Wheelchair     bool                  `json:"wheelchair"`
	VisionAdapted  bool                  `json:"vision_adapted"`
	HearingAdapted bool                  `json:"hearing_adapted"`
	Languages      []string              `json:"languages"`
	Competences    []string              `json:"competences"`
	Staffed        Staffing              `json:"staffed"`
}

func (d ProviderDetails) check(p *problems) {
	p.text("name", d.Name, maxName, true)
	code(p, "kind", d.Kind, true)
	p.text("municipality", d.Municipality, maxName, true)
	p.text("region", d.Region, maxName, true)
	p.text("address", d.Address, maxAddress, true)
	if d.PlacesAdults < 1 || d.PlacesAdults > maxPlaces {
		p.add("places_adults", "must be between 1 and %d", maxPlaces)
	}
	p.count("places_children", d.PlacesChildren, maxPlaces)
	codes(p, "target_groups", d.TargetGroups, true)
	if d.ChildrenMaxAge < 0 || d.ChildrenMaxAge > maxChildAge {
		p.add("children_max_age", "must be between 0 and %d", maxChildAge)
	}
	if d.BoysMaxAge != nil {
		switch b := *d.BoysMaxAge; {
		case b < 0 || b > maxChildAge:
			p.add("boys_max_age", "must be between 0 and %d", maxChildAge)
		case b > d.ChildrenMaxAge:
			p.add("boys_max_age", "must not be above children_max_age")
		}
	}
	if d.PetsAccepted && d.AllergyFree {
		p.add("allergy_free", "an allergy-free shelter does not take pets")
	}
	switch {
	case len(d.Languages) > maxLanguages:
		p.add("languages", "has more than %d values", maxLanguages)
	default:
		seen := map[string]bool{}
		for i, l := range d.Languages {
			if !languageCode.MatchString(l) {
				p.add(index("languages", i), "must be an ISO 639-1 code in lower case")
			} else if seen[l] {
				p.add(index("languages", i), "repeats an earlier value")
			}
			seen[l] = true
		}
	}
	texts(p, "competences", d.Competences, maxName)
	code(p, "staffed", d.Staffed, true)
}

func (d ProviderDetails) profile() ProviderProfile {
	var boys *int
	if d.BoysMaxAge != nil {
		b := *d.BoysMaxAge
		boys = &b
	}
	return ProviderProfile{
		Name: d.Name, Kind: d.Kind, Municipality: d.Municipality, Region: d.Region,
		PlacesAdults: d.PlacesAdults, PlacesChildren: d.PlacesChildren, TargetGroups: d.TargetGroups,
		ChildrenMaxAge: d.ChildrenMaxAge, BoysMaxAge: boys, PetsAccepted: d.PetsAccepted, AllergyFree: d.AllergyFree,
		Wheelchair: d.Wheelchair, VisionAdapted: d.VisionAdapted, HearingAdapted: d.HearingAdapted,
		Languages: nonNilStrings(d.Languages), Staffed: d.Staffed,
	}
}

func (d ProviderDetails) private() ProviderPrivate {
	return ProviderPrivate{Address: d.Address, Competences: d.Competences}
}

func nonNilStrings(xs []string) []string {
	if xs == nil {
		return []string{}
	}
	return xs
}

// RegisterProvider adds a provider to the registry (POST /providers).
// ProviderID, when given, registers a provider under the id that
// placements, assignments and its staff's tokens already use (a shelter
// known before the registry); else the server chooses a new one.
type RegisterProvider struct {
	ProviderID ID `json:"provider_id"`
	ProviderDetails
}

func (RegisterProvider) CommandName() string { return "provider.register" }

func (c RegisterProvider) Validate() error {
	var p problems
	p.id("provider_id", c.ProviderID, false)
	c.check(&p)
	return p.err()
}

// ChangeProviderProfile replaces a provider's profile. ByProvider is set
// when the provider's own staff change it: they may not change what
// decides the rules over them (the organisation form, which says whether
// a permit is required).
type ChangeProviderProfile struct {
	ProviderDetails
	ByProvider bool `json:"-"`
}

func (ChangeProviderProfile) CommandName() string { return "provider.change_profile" }

func (c ChangeProviderProfile) Validate() error {
	var p problems
	c.check(&p)
	return p.err()
}

// RecordPermit records the provider's permit for protected housing.
type RecordPermit struct {
	Authority string `json:"authority"`
	Number    string `json:"number"`
	ValidFrom Date   `json:"valid_from"`
	ValidTo   Date   `json:"valid_to"`
}

func (RecordPermit) CommandName() string { return "provider.record_permit" }

func (c RecordPermit) Validate() error {
	var p problems
	p.text("authority", c.Authority, maxPermitText, true)
	if c.Number == "" {
		p.add("number", "is required")
	} else if !permitNumber.MatchString(c.Number) {
		p.add("number", "must be 1-50 letters, digits or . / : -")
	}
	p.validity(c.ValidFrom, c.ValidTo, true)
	return p.err()
}

// ReportVacancies reports free places (the provider's own staff or a
// supervisor).
type ReportVacancies struct {
	Adults   int  `json:"adults"`
	Children int  `json:"children"`
	AsOf     Date `json:"as_of"`
	Today    Date `json:"-"`
}

func (ReportVacancies) CommandName() string { return "provider.report_vacancies" }

func (c ReportVacancies) Validate() error {
	var p problems
	p.count("adults", c.Adults, maxPlaces)
	p.count("children", c.Children, maxPlaces)
	p.date("as_of", c.AsOf, true)
	notFuture(&p, "as_of", c.AsOf, c.Today)
	return p.err()
}

// ChecklistAnswerInput is one answer as the client sends it.
type ChecklistAnswerInput struct {
	Question string          `json:"question"`
	Answer   ChecklistAnswer `json:"answer"`
	Note     string          `json:"note"`
}

// ActionInput is one agreed action as the client sends it.
type ActionInput struct {
	Action string `json:"action"`
	DueOn  Date   `json:"due_on"`
}

// FollowUpProvider records a follow-up of a provider with the checklist.
// Answers must be to questions of the version named; the server sets the
// new ids (one per action, in order).
type FollowUpProvider struct {
	ChecklistVersion string                 `json:"checklist_version"`
	FollowedUpOn     Date                   `json:"followed_up_on"`
	Answers          []ChecklistAnswerInput `json:"answers"`
	Findings         string                 `json:"findings"`
	Actions          []ActionInput          `json:"actions"`
	NextFollowUpOn   Date                   `json:"next_follow_up_on"`

	FollowUpID ID   `json:"-"`
	ActionIDs  []ID `json:"-"`
	Today      Date `json:"-"`
}

func (FollowUpProvider) CommandName() string { return "provider.follow_up" }

// maxAnswers bounds one follow-up: the checklist has fewer questions.
const maxAnswers = 200

func (c FollowUpProvider) Validate() error {
	var p problems
	p.id("follow_up_id", c.FollowUpID, true)
	tmpl, known := ChecklistVersion(c.ChecklistVersion)
	switch {
	case c.ChecklistVersion == "":
		p.add("checklist_version", "is required")
	case !known:
		p.add("checklist_version", "is not a published version of the checklist")
	}
	p.date("followed_up_on", c.FollowedUpOn, true)
	notFuture(&p, "followed_up_on", c.FollowedUpOn, c.Today)
	switch {
	case len(c.Answers) == 0:
		p.add("answers", "needs at least one answer")
	case len(c.Answers) > maxAnswers:
		p.add("answers", "has more than %d answers", maxAnswers)
	default:
		seen := map[string]bool{}
		for i, a := range c.Answers {
			at := index("answers", i)
			if _, ok := tmpl.Question(a.Question); known && !ok {
				p.add(path(at, "question"), "is not a question of that checklist version")
			}
			if seen[a.Question] {
				p.add(path(at, "question"), "repeats an earlier question")
			}
			seen[a.Question] = true
			code(&p, path(at, "answer"), a.Answer, true)
			p.text(path(at, "note"), a.Note, maxText, false)
		}
	}
	p.text("findings", c.Findings, maxText, false)
	if len(c.Actions) > maxItems {
		p.add("actions", "has more than %d actions", maxItems)
	}
	if len(c.ActionIDs) != len(c.Actions) {
		p.add("actions", "the server gave no id to each action")
	}
	for i, a := range c.Actions {
		at := index("actions", i)
		p.text(path(at, "action"), a.Action, maxText, true)
		p.date(path(at, "due_on"), a.DueOn, true)
		p.order("followed_up_on", c.FollowedUpOn, path(at, "due_on"), a.DueOn)
	}
	p.date("next_follow_up_on", c.NextFollowUpOn, false)
	p.after("followed_up_on", c.FollowedUpOn, "next_follow_up_on", c.NextFollowUpOn)
	return p.err()
}

func (c FollowUpProvider) facts() ProviderFollowedUp {
	f := ProviderFollowedUp{FollowUpID: c.FollowUpID, ChecklistVersion: c.ChecklistVersion, FollowedUpOn: c.FollowedUpOn,
		Answers: make([]ChecklistAnswered, len(c.Answers)), Actions: make([]ActionAgreed, len(c.Actions)), NextFollowUpOn: c.NextFollowUpOn}
	for i, a := range c.Answers {
		f.Answers[i] = ChecklistAnswered{Question: a.Question, Answer: a.Answer}
	}
	for i, a := range c.Actions {
		f.Actions[i] = ActionAgreed{ActionID: c.ActionIDs[i], DueOn: a.DueOn}
	}
	return f
}

func (c FollowUpProvider) texts() ProviderFollowUpTexts {
	t := ProviderFollowUpTexts{Notes: make([]string, len(c.Answers)), Findings: c.Findings, Actions: make([]string, len(c.Actions))}
	for i, a := range c.Answers {
		t.Notes[i] = a.Note
	}
	for i, a := range c.Actions {
		t.Actions[i] = a.Action
	}
	return t
}

// CompleteProviderAction marks an agreed action as carried out.
type CompleteProviderAction struct {
	ActionID ID     `json:"-"` // from the route
	Note     string `json:"note"`
	DoneOn   Date   `json:"-"` // today
}

func (CompleteProviderAction) CommandName() string { return "provider.complete_action" }

func (c CompleteProviderAction) Validate() error {
	var p problems
	p.id("action_id", c.ActionID, true)
	p.text("note", c.Note, maxText, false)
	p.date("done_on", c.DoneOn, true)
	return p.err()
}
