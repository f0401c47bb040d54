package domain

import (
	"fmt"
	"slices"
	"time"
)

// Provider is the state of one provider (utförare; here a shelter,
// skyddat boende) from facts only: what the registry lists, matching and
// the placement rule read. The address is never part of it.
type Provider struct {
	ID      ID     `json:"id"`
	Version uint64 `json:"version"`
	Exists  bool   `json:"exists"`
	ProviderProfile
	Permit         *PermitRecorded      `json:"permit,omitempty"`
	Vacancies      *VacanciesReported   `json:"vacancies,omitempty"`
	FollowUps      []ProviderFollowedUp `json:"follow_ups"`
	Actions        []ProviderAction     `json:"actions"`
	NextFollowUpOn Date                 `json:"next_follow_up_on,omitzero"`
	RegisteredAt   time.Time            `json:"registered_at"`
}

// ProviderAction is an action agreed at a follow-up and whether it is done.
type ProviderAction struct {
	ActionID   ID   `json:"action_id"`
	FollowUpID ID   `json:"follow_up_id"`
	DueOn      Date `json:"due_on"`
	DoneOn     Date `json:"done_on,omitzero"`
}

// Open reports whether the action is not yet carried out.
func (a ProviderAction) Open() bool { return a.DoneOn.IsZero() }

// PermitRequiredFrom is the day IVO's permit became required of private
// providers of protected housing (protected housing became a support of
// its own on 2024-04-01).
func PermitRequiredFrom() Date { return NewDate(2024, 4, 1) }

// PermitValidOn reports whether the provider may run protected housing
// on day d: a provider that needs a permit needs one valid that day (from
// 2024-04-01, when the requirement began).
func (s Provider) PermitValidOn(d Date) bool {
	if !s.Kind.RequiresPermit() || d.Before(PermitRequiredFrom()) {
		return true
	}
	return s.Permit != nil && s.Permit.ValidOn(d)
}

// Action finds an agreed action by id.
func (s Provider) Action(id ID) (ProviderAction, bool) {
	return find(s.Actions, func(a ProviderAction) bool { return a.ActionID == id })
}

// OpenActions counts the agreed actions not yet carried out.
func (s Provider) OpenActions() int {
	n := 0
	for _, a := range s.Actions {
		if a.Open() {
			n++
		}
	}
	return n
}

// Clone copies the state so that folding into the copy leaves s as it was.
func (s Provider) Clone() Provider {
	s.FollowUps = slices.Clone(s.FollowUps)
	s.Actions = slices.Clone(s.Actions)
	return s
}

// ProviderDecider is the Provider aggregate.
func ProviderDecider() Decider[Provider] {
	return Decider[Provider]{
		Kind:    KindProvider,
		Initial: func(id ID) Provider { return Provider{ID: id} },
		Decide:  decideProvider,
		Evolve:  evolveProvider,
		Clone:   Provider.Clone,
	}
}

func isProviderCommand(cmd Command) bool {
	switch cmd.(type) {
	case RegisterProvider, ChangeProviderProfile, RecordPermit, ReportVacancies, FollowUpProvider, CompleteProviderAction:
		return true
	}
	return false
}

func decideProvider(s Provider, cmd Command) ([]Event, error) {
	cmd = deref(cmd)
	if !isProviderCommand(cmd) {
		return nil, fmt.Errorf("provider: %w %T", ErrUnknownCommand, cmd)
	}
	if err := validate(cmd); err != nil {
		return nil, err
	}
	key := ProviderKey(s.ID)
	if c, creates := cmd.(RegisterProvider); creates {
		if s.Exists {
			return nil, ruleErr("already-exists", "provider %s is already registered", s.ID)
		}
		return []Event{{Facts: ProviderRegistered{c.profile()}, Personal: c.private(), SealWith: key}}, nil
	}
	if !s.Exists {
		return nil, ruleErr("not-found", "no provider %s", s.ID)
	}
	switch c := cmd.(type) {
	case ChangeProviderProfile:
		if c.ByProvider && c.Kind != s.Kind {
			return nil, ruleErr("provider-kind-locked", "a provider's own staff cannot change its organisation form")
		}
		return []Event{{Facts: ProviderProfileChanged{c.profile()}, Personal: c.private(), SealWith: key}}, nil
	case RecordPermit:
		return []Event{{Facts: PermitRecorded{Authority: c.Authority, Number: c.Number, ValidFrom: c.ValidFrom, ValidTo: c.ValidTo}}}, nil
	case ReportVacancies:
		if s.Vacancies != nil && c.AsOf.Before(s.Vacancies.AsOf) {
			return nil, ruleErr("vacancies-outdated", "vacancies as of a later day are already reported")
		}
		if c.Adults > s.PlacesAdults || c.Children > s.PlacesChildren {
			return nil, ruleErr("vacancies-above-places", "more vacancies than the provider has places")
		}
		return []Event{{Facts: VacanciesReported{Adults: c.Adults, Children: c.Children, AsOf: c.AsOf}}}, nil
	case FollowUpProvider:
		if slices.ContainsFunc(s.FollowUps, func(f ProviderFollowedUp) bool { return f.FollowUpID == c.FollowUpID }) {
			return nil, ruleErr("follow-up-exists", "the follow-up already exists")
		}
		return []Event{{Facts: c.facts(), Personal: c.texts(), SealWith: key}}, nil
	case CompleteProviderAction:
		a, ok := s.Action(c.ActionID)
		if !ok {
			return nil, ruleErr("not-found", "no such agreed action at this provider")
		}
		if !a.Open() {
			return nil, ruleErr("action-done", "the action was carried out on %s", a.DoneOn)
		}
		ev := Event{Facts: ProviderActionDone{ActionID: c.ActionID, DoneOn: c.DoneOn}}
		if c.Note != "" {
			ev.Personal, ev.SealWith = Text{Text: c.Note}, key
		}
		return []Event{ev}, nil
	}
	return nil, fmt.Errorf("provider: %w %T", ErrUnknownCommand, cmd)
}

func evolveProvider(s Provider, ev Recorded) Provider {
	s.Version = ev.Version
	switch f := ev.Facts.(type) {
	case ProviderRegistered:
		s.Exists, s.ProviderProfile, s.RegisteredAt = true, f.ProviderProfile, ev.RecordedAt
	case ProviderProfileChanged:
		s.ProviderProfile = f.ProviderProfile
	case PermitRecorded:
		p := f
		s.Permit = &p
	case VacanciesReported:
		v := f
		s.Vacancies = &v
	case ProviderFollowedUp:
		s.FollowUps = append(s.FollowUps, f)
		for _, a := range f.Actions {
			s.Actions = append(s.Actions, ProviderAction{ActionID: a.ActionID, FollowUpID: f.FollowUpID, DueOn: a.DueOn})
		}
		// The latest follow-up says when the next one is due.
		s.NextFollowUpOn = f.NextFollowUpOn
	case ProviderActionDone:
		update(s.Actions, func(a ProviderAction) bool { return a.ActionID == f.ActionID }, func(a *ProviderAction) { a.DoneOn = f.DoneOn })
	}
	return s
}
