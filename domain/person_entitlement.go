package domain

import (
	"fmt"
	"slices"
)

// Entitlement is one user's right to see a protected person's whereabouts
// (address, phone, workplace, and the shelter and school of the person or
// of a child placed with them).
type Entitlement struct {
	Sub     string
	GrantID ID   // "" when entitled by the first protection
	Until   Date // inclusive; zero: no end date
	CaseID  ID   // set: only while Sub is that case's assignee
	Revoked bool
}

// Active reports whether the entitlement holds today. assigneeOf answers
// who is a case's assignee now (nil: case-bound grants do not count).
func (e Entitlement) Active(today Date, assigneeOf func(ID) string) bool {
	if e.Revoked || (!e.Until.IsZero() && today.After(e.Until)) {
		return false
	}
	if e.CaseID != "" {
		return assigneeOf != nil && assigneeOf(e.CaseID) == e.Sub
	}
	return true
}

// Reader is who asks: a user and, when they hold the supervisor role, the
// units they supervise.
type Reader struct {
	Sub             string   `json:"-"`
	SupervisorUnits []string `json:"-"`
}

// Supervisor reports whether the reader supervises any unit.
func (r Reader) Supervisor() bool { return len(r.SupervisorUnits) > 0 }

// Derivation is what a store written before EntitlementRecorded existed
// needs from the case that protection was first recorded through: its
// assignee and unit at that moment. The API and the projections fill it
// from the events; Person.Derive applies it.
type Derivation struct {
	Assignee string
	Unit     string
}

// Derive completes the entitlement of a first protection recorded without
// EntitlementRecorded (an old store): the case's assignee and the
// supervisors of its unit at that moment join the recorder.
func (s Person) Derive(d Derivation) Person {
	if s.DerivedFrom == "" {
		return s
	}
	s.Entitlements = slices.Clone(s.Entitlements)
	if d.Assignee != "" {
		s.Entitlements = append(s.Entitlements, Entitlement{Sub: d.Assignee})
	}
	if d.Unit != "" && !slices.Contains(s.SupervisorUnits, d.Unit) {
		s.SupervisorUnits = append(slices.Clone(s.SupervisorUnits), d.Unit)
	}
	s.DerivedFrom = ""
	return s
}

// EntitledNow reports whether the reader is entitled on the person today.
// A person without protection has no whereabouts to protect: everyone who
// reaches the file is.
func (s Person) EntitledNow(r Reader, today Date, assigneeOf func(ID) string) bool {
	if !s.Protection.Protected() {
		return true
	}
	for _, u := range r.SupervisorUnits {
		if slices.Contains(s.SupervisorUnits, u) {
			return true
		}
	}
	for _, e := range s.Entitlements {
		if e.Sub == r.Sub && e.Active(today, assigneeOf) {
			return true
		}
	}
	return false
}

// Grant finds a grant by id.
func (s Person) Grant(id ID) (Entitlement, bool) {
	return find(s.Entitlements, func(e Entitlement) bool { return e.GrantID == id })
}

// NotEntitledError is a command given by someone who reaches the record
// but may not give it: lowering protection, grants and revocations are for
// an entitled supervisor; taking someone else's case or reassigning a
// protected person's case is for a supervisor. The API answers 403.
type NotEntitledError struct{ Detail string }

func (e *NotEntitledError) Error() string { return e.Detail }

func notEntitled(action string) error {
	return &NotEntitledError{Detail: fmt.Sprintf("only a supervisor entitled on the person may %s", action)}
}

// protectionRank orders the levels: lowering is a move down.
func protectionRank(l ProtectionLevel) int {
	switch l {
	case ProtectionMarked:
		return 1
	case ProtectionRegistered:
		return 2
	case ProtectionFictitious:
		return 3
	}
	return 0
}

// entitledSupervisor: the actor supervises and is entitled (case-bound
// grants are for assignees and do not count here).
func (s Person) entitledSupervisor(by Reader, today Date) bool {
	return by.Supervisor() && s.EntitledNow(by, today, nil)
}

// GrantWhereabouts entitles a user (POST /persons/{id}/grants), or, with
// CaseID set by the server, the new assignee of a reassigned case while
// they stay assignee.
type GrantWhereabouts struct {
	Sub    string `json:"sub"`
	Until  Date   `json:"until"`
	Reason string `json:"reason"`

	GrantID ID         `json:"-"`
	CaseID  ID         `json:"-"`
	By      Reader     `json:"-"`
	Today   Date       `json:"-"`
	Derived Derivation `json:"-"` // for a store written before entitlements were recorded
}

func (GrantWhereabouts) CommandName() string { return "person.grant_whereabouts" }

func (c GrantWhereabouts) Validate() error {
	var p problems
	p.text("sub", c.Sub, maxName, true)
	if c.Sub != "" {
		p.userID("sub", c.Sub)
	}
	if c.CaseID == "" {
		p.date("until", c.Until, true)
		if !c.Until.IsZero() && !c.Today.IsZero() && c.Until.Before(c.Today) {
			p.add("until", "must not be in the past")
		}
		if !c.Until.IsZero() && !c.Today.IsZero() && c.Until.After(c.Today.AddYears(1)) {
			p.add("until", "at most one year ahead")
		}
	}
	p.text("reason", c.Reason, maxText, true)
	p.id("grant_id", c.GrantID, true)
	return p.err()
}

// RevokeGrant ends a grant (POST /persons/{id}/grants/{gid}/revoke).
type RevokeGrant struct {
	Reason  string     `json:"reason"`
	GrantID ID         `json:"-"`
	By      Reader     `json:"-"`
	Today   Date       `json:"-"`
	Derived Derivation `json:"-"`
}

func (RevokeGrant) CommandName() string { return "person.revoke_grant" }

func (c RevokeGrant) Validate() error {
	var p problems
	p.text("reason", c.Reason, maxText, true)
	p.id("grant_id", c.GrantID, true)
	return p.err()
}

// AddContact adds contact data to an existing file (see PersonContactAdded);
// with none it records the link alone.
type AddContact struct {
	Phone     string
	Address   string
	Workplace string
}

func (AddContact) CommandName() string { return "person.add_contact" }

func (c AddContact) Validate() error {
	var p problems
	p.text("phone", c.Phone, maxPhone, false)
	p.text("address", c.Address, maxAddress, false)
	p.text("workplace", c.Workplace, maxAddress, false)
	return p.err()
}

func decideProtection(s Person, c ChangeProtection) ([]Event, error) {
	if c.Level == s.Protection {
		return nil, ruleErr("protection-unchanged", "the person already has protection level %s", c.Level)
	}
	st := s.Derive(c.Derived)
	if protectionRank(c.Level) < protectionRank(s.Protection) {
		if !st.entitledSupervisor(c.By, c.Today) {
			return nil, notEntitled("lower or remove protection")
		}
		if c.Reason == "" {
			return nil, &ValidationError{Problems: []FieldProblem{{Field: "reason", Message: "is required when lowering protection"}}}
		}
		return []Event{{Facts: ProtectionLowered{Level: c.Level, CaseID: c.CaseID}, Personal: ReasonText{c.Reason}, SealWith: PersonKey(s.ID)}}, nil
	}
	evs := []Event{{Facts: ProtectionChanged{Level: c.Level, CaseID: c.CaseID}}}
	if !s.Protection.Protected() {
		// First protection of an unprotected person: who is entitled from
		// now on. Raising an existing protection entitles no one.
		subs := []string{c.By.Sub}
		if c.Assignee != "" && c.Assignee != c.By.Sub {
			subs = append(subs, c.Assignee)
		}
		units := []string{}
		if c.Unit != "" {
			units = append(units, c.Unit)
		}
		evs = append(evs, Event{Facts: EntitlementRecorded{Subs: subs, SupervisorUnits: units, CaseID: c.CaseID}})
	}
	return evs, nil
}

func decideGrant(s Person, c GrantWhereabouts) ([]Event, error) {
	st := s.Derive(c.Derived)
	if !st.entitledSupervisor(c.By, c.Today) {
		return nil, notEntitled("grant access to whereabouts")
	}
	if !s.Protection.Protected() {
		return nil, ruleErr("not-protected", "the person has no protected personal data")
	}
	if _, dup := s.Grant(c.GrantID); dup {
		return nil, ruleErr("already-exists", "grant %s already exists", c.GrantID)
	}
	f := WhereaboutsGranted{GrantID: c.GrantID, Sub: c.Sub, Until: c.Until, CaseID: c.CaseID}
	if c.CaseID != "" {
		f.Until = Date{}
	}
	return []Event{{Facts: f, Personal: ReasonText{c.Reason}, SealWith: PersonKey(s.ID)}}, nil
}

func decideRevoke(s Person, c RevokeGrant) ([]Event, error) {
	st := s.Derive(c.Derived)
	if !st.entitledSupervisor(c.By, c.Today) {
		return nil, notEntitled("revoke a grant")
	}
	g, ok := s.Grant(c.GrantID)
	if !ok {
		return nil, ruleErr("grant-not-found", "no such grant on the person")
	}
	if g.Revoked {
		return nil, ruleErr("grant-revoked", "the grant was already revoked")
	}
	return []Event{{Facts: WhereaboutsGrantRevoked{GrantID: c.GrantID}, Personal: ReasonText{c.Reason}, SealWith: PersonKey(s.ID)}}, nil
}

// evolveWhereabouts folds the entitlement events; ok is false for others.
func evolveWhereabouts(s Person, ev Recorded) (Person, bool) {
	switch f := ev.Facts.(type) {
	case ProtectionChanged:
		if !s.Protection.Protected() && f.Level.Protected() {
			// The recorder is entitled; who else was is recorded by the
			// EntitlementRecorded that follows in the same command, or, in
			// a store written before it existed, derived from the case.
			s.Entitlements = append(s.Entitlements, Entitlement{Sub: ev.Actor})
			s.DerivedFrom = f.CaseID
		}
		s.Protection, s.ProtectionCaseID = f.Level, f.CaseID
	case ProtectionLowered:
		s.Protection, s.ProtectionCaseID = f.Level, f.CaseID
	case EntitlementRecorded:
		s.DerivedFrom = ""
		for _, sub := range f.Subs {
			s.Entitlements = append(s.Entitlements, Entitlement{Sub: sub})
		}
		for _, u := range f.SupervisorUnits {
			if !slices.Contains(s.SupervisorUnits, u) {
				s.SupervisorUnits = append(s.SupervisorUnits, u)
			}
		}
	case WhereaboutsGranted:
		s.Entitlements = append(s.Entitlements, Entitlement{Sub: f.Sub, GrantID: f.GrantID, Until: f.Until, CaseID: f.CaseID})
	case WhereaboutsGrantRevoked:
		update(s.Entitlements, func(e Entitlement) bool { return e.GrantID == f.GrantID }, func(e *Entitlement) { e.Revoked = true })
	case PersonContactAdded:
	default:
		return s, false
	}
	return s, true
}
