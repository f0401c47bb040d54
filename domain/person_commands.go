package domain

// PersonDetails is who a person is, as a client sends it: on its own route,
// as a case's subject, or as a child in a case.
type PersonDetails struct {
	Sex            Sex    `json:"sex"`
	BirthYear      int    `json:"birth_year"` // 0 when unknown
	Name           string `json:"name"`
	PersonalNumber string `json:"personal_number"`
	Phone          string `json:"phone"`
	Address        string `json:"address"`
	Workplace      string `json:"workplace,omitempty"`
}

// IsZero reports whether no detail was given.
func (d PersonDetails) IsZero() bool { return d == PersonDetails{} }

// check validates the details under prefix and returns the normalized
// personal number ("" when none or invalid). today places the century of a
// short personal number and bounds the birth year.
func (d PersonDetails) check(p *problems, prefix string, today Date) PersonalNumber {
	code(p, path(prefix, "sex"), d.Sex, true)
	top := maxYear
	if !today.IsZero() {
		top = today.Year()
	}
	if d.BirthYear != 0 && (d.BirthYear < minYear || d.BirthYear > top) {
		p.add(path(prefix, "birth_year"), "must be between %d and %d, or 0 when unknown", minYear, top)
	}
	p.text(path(prefix, "name"), d.Name, maxName, true)
	p.text(path(prefix, "phone"), d.Phone, maxPhone, false)
	p.text(path(prefix, "address"), d.Address, maxAddress, false)
	p.text(path(prefix, "workplace"), d.Workplace, maxAddress, false)
	if d.PersonalNumber == "" {
		return ""
	}
	pn, err := ParsePersonalNumber(d.PersonalNumber, today)
	if err != nil {
		p.add(path(prefix, "personal_number"), "%v", err)
		return ""
	}
	if d.BirthYear != 0 && d.BirthYear != pn.BirthYear() {
		p.add(path(prefix, "birth_year"), "does not match personal_number")
	}
	return pn
}

// identity is the sealed personal data and the clear facts of valid details.
func (d PersonDetails) identity(today Date) (PersonIdentity, int, bool) {
	var p problems
	pn := d.check(&p, "", today)
	year := d.BirthYear
	if year == 0 {
		year = pn.BirthYear()
	}
	return PersonIdentity{
		Name: d.Name, PersonalNumber: pn, Phone: d.Phone, Address: d.Address, Workplace: d.Workplace,
	}, year, pn.ResearchException()
}

// RegisterPerson opens a personal file (POST /persons). The caller chooses
// the new person's id and passes it to PersonDecider().Initial.
type RegisterPerson struct {
	PersonDetails
	Today Date `json:"-"` // set by the server: places a short personal number's century
}

func (RegisterPerson) CommandName() string { return "person.register" }

func (c RegisterPerson) Validate() error {
	var p problems
	c.check(&p, "", c.Today)
	return p.err()
}

// ChangePersonDetails replaces a person's details as a whole.
type ChangePersonDetails struct {
	PersonDetails
	Today Date `json:"-"`
}

func (ChangePersonDetails) CommandName() string { return "person.change_details" }

func (c ChangePersonDetails) Validate() error {
	var p problems
	c.check(&p, "", c.Today)
	return p.err()
}

// ChangeProtection sets the protected-identity level of a person
// (POST /persons/{id}/protection), or of a case's subject through the case
// (POST /cases/{id}/protected-identity). Raising is for anyone who reaches
// the person; lowering or removing is for an entitled supervisor, with a
// reason. The server fills who asks and, for a first protection, whom it
// entitles besides the recorder: the case's assignee and unit.
type ChangeProtection struct {
	Level  ProtectionLevel `json:"level"`
	Reason string          `json:"reason"`

	CaseID   ID         `json:"-"` // the case from the route, if any
	By       Reader     `json:"-"`
	Assignee string     `json:"-"` // the case's assignee now
	Unit     string     `json:"-"` // whose supervisors a first protection entitles
	Today    Date       `json:"-"`
	Derived  Derivation `json:"-"` // for a store written before entitlements were recorded
}

func (ChangeProtection) CommandName() string { return "person.change_protection" }

func (c ChangeProtection) Validate() error {
	var p problems
	code(&p, "level", c.Level, true)
	p.text("reason", c.Reason, maxText, false)
	p.id("case_id", c.CaseID, false)
	return p.err()
}

// CullPerson culls the personal file (gallring). The cull job decides that
// five years have passed and no other data remain; the decider refuses a
// file kept for research.
type CullPerson struct {
	CulledOn Date `json:"-"`
}

func (CullPerson) CommandName() string { return "person.cull" }

func (c CullPerson) Validate() error {
	var p problems
	p.date("culled_on", c.CulledOn, true)
	return p.err()
}
