package domain

import (
	"fmt"
	"reflect"
	"time"
)

// Person is the state of one personal file, from facts only: what rules
// and projections need without opening sealed data.
type Person struct {
	ID                ID
	Version           uint64
	Exists            bool
	Sex               Sex
	BirthYear         int
	ResearchException bool
	Protection        ProtectionLevel
	ProtectionCaseID  ID // the case through which the level was last set
	// Who may see the whereabouts of a protected person: users (the first
	// protection's recorder and assignee, grants) and the supervisors of
	// units (the first protection's case's unit). See EntitledNow.
	Entitlements    []Entitlement
	SupervisorUnits []string
	// DerivedFrom is the case a first protection was recorded through in
	// a store written before EntitlementRecorded existed: the assignee and
	// unit of that case at that moment are entitled too (Derive).
	DerivedFrom    ID
	Culled         bool
	CulledOn       Date
	RegisteredAt   time.Time
	LastRecordedAt time.Time // the last entry, from which culling counts
}

// PersonDecider is the Person aggregate.
func PersonDecider() Decider[Person] {
	return Decider[Person]{
		Kind:    KindPerson,
		Initial: func(id ID) Person { return Person{ID: id, Protection: ProtectionNone} },
		Decide:  decidePerson,
		Evolve:  evolvePerson,
	}
}

func decidePerson(s Person, cmd Command) ([]Event, error) {
	cmd = deref(cmd)
	if !isPersonCommand(cmd) {
		return nil, fmt.Errorf("person: %w %T", ErrUnknownCommand, cmd)
	}
	if err := validate(cmd); err != nil {
		return nil, err
	}
	if _, creates := cmd.(RegisterPerson); creates {
		if s.Exists {
			return nil, ruleErr("already-exists", "person %s already has a personal file", s.ID)
		}
	} else {
		if !s.Exists {
			return nil, ruleErr("not-found", "no person %s", s.ID)
		}
		if s.Culled {
			return nil, ruleErr("person-culled", "the personal file was culled on %s", s.CulledOn)
		}
	}
	key := PersonKey(s.ID)
	switch c := cmd.(type) {
	case RegisterPerson:
		who, year, research := c.identity(c.Today)
		return []Event{{
			Facts:    PersonRegistered{Sex: c.Sex, BirthYear: year, ResearchException: research},
			Personal: who, SealWith: key,
		}}, nil
	case ChangePersonDetails:
		who, year, research := c.identity(c.Today)
		return []Event{{
			Facts:    PersonDetailsChanged{Sex: c.Sex, BirthYear: year, ResearchException: research},
			Personal: who, SealWith: key,
		}}, nil
	case ChangeProtection:
		return decideProtection(s, c)
	case GrantWhereabouts:
		return decideGrant(s, c)
	case RevokeGrant:
		return decideRevoke(s, c)
	case AddContact:
		return []Event{{Facts: PersonContactAdded{}, Personal: PersonIdentity{Phone: c.Phone, Address: c.Address, Workplace: c.Workplace}, SealWith: key}}, nil
	case CullPerson:
		if s.ResearchException {
			return nil, ruleErr("research-exception", "files of people born on the 5th, 15th or 25th are kept for research")
		}
		return []Event{{Facts: PersonCulled{CulledOn: c.CulledOn}}}, nil
	}
	return nil, fmt.Errorf("person: %w %T", ErrUnknownCommand, cmd)
}

func isPersonCommand(cmd Command) bool {
	switch cmd.(type) {
	case RegisterPerson, ChangePersonDetails, ChangeProtection, CullPerson, GrantWhereabouts, RevokeGrant, AddContact:
		return true
	}
	return false
}

func evolvePerson(s Person, ev Recorded) Person {
	s.Version = ev.Version
	s.LastRecordedAt = ev.RecordedAt
	if next, ok := evolveWhereabouts(s, ev); ok {
		return next
	}
	switch f := ev.Facts.(type) {
	case PersonRegistered:
		s.Exists = true
		s.Sex, s.BirthYear, s.ResearchException = f.Sex, f.BirthYear, f.ResearchException
		s.RegisteredAt = ev.RecordedAt
	case PersonDetailsChanged:
		s.Sex, s.BirthYear, s.ResearchException = f.Sex, f.BirthYear, f.ResearchException
	case PersonCulled:
		s.Culled, s.CulledOn = true, f.CulledOn
	}
	return s
}

// validate runs a command's own field checks, if it has any.
func validate(cmd Command) error {
	if v, ok := cmd.(interface{ Validate() error }); ok {
		return v.Validate()
	}
	return nil
}

// deref lets callers pass a command by pointer or by value.
func deref(cmd Command) Command {
	v := reflect.ValueOf(cmd)
	if v.Kind() == reflect.Pointer && !v.IsNil() {
		if c, ok := v.Elem().Interface().(Command); ok {
			return c
		}
	}
	return cmd
}
