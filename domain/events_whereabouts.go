package domain

// Events of who may see a protected person's whereabouts (var den
// skyddade personen befinner sig): entitlements live on the Person
// aggregate, never on a case someone can create.

// EntitlementRecorded names who became entitled when protection was first
// recorded on an unprotected person: the worker who recorded it, the
// assignee of the case it was recorded through, and the supervisors of
// that case's unit. It is written in the same command as the
// ProtectionChanged it belongs to. Stores written before it existed derive
// the same entitlement from the events (Person.DerivedFrom).
type EntitlementRecorded struct {
	Subs            []string `json:"subs"`
	SupervisorUnits []string `json:"supervisor_units"`
	CaseID          ID       `json:"case_id,omitempty"`
}

func (EntitlementRecorded) EventName() string { return "person.entitlement_recorded" }

// WhereaboutsGranted entitles one user by an entitled supervisor's grant
// (behörighet att se vistelseuppgifter), until an end date (inclusive,
// Europe/Stockholm). A grant with CaseID set is the one a supervisor's
// reassignment gives the new assignee: it holds while they stay assignee
// of that case (Until then is zero). The reason is sealed with the
// person's key.
type WhereaboutsGranted struct {
	GrantID ID     `json:"grant_id"`
	Sub     string `json:"sub"`
	Until   Date   `json:"until"`
	CaseID  ID     `json:"case_id,omitempty"`
}

func (WhereaboutsGranted) EventName() string { return "person.whereabouts_granted" }

// WhereaboutsGrantRevoked ends a grant before its end date; the reason is
// sealed with the person's key.
type WhereaboutsGrantRevoked struct {
	GrantID ID `json:"grant_id"`
}

func (WhereaboutsGrantRevoked) EventName() string { return "person.whereabouts_grant_revoked" }

// ProtectionLowered lowers or removes protection (by an entitled
// supervisor only), with a reason sealed with the person's key. Raising
// stays ProtectionChanged, whose meaning is unchanged.
type ProtectionLowered struct {
	Level  ProtectionLevel `json:"level"`
	CaseID ID              `json:"case_id,omitempty"`
}

func (ProtectionLowered) EventName() string { return "person.protection_lowered" }

// PersonContactAdded adds contact data to an existing personal file: an
// intake, a child or a registration that carried a personal identity
// number already in the blind index links to the existing file instead
// of opening a second one, and what it supplied is added here (sealed:
// PersonIdentity with only the contact fields set).
type PersonContactAdded struct{}

func (PersonContactAdded) EventName() string { return "person.contact_added" }
