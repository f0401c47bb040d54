package domain

// Events of the Person aggregate: one personal file (personakt) per person.
// Cases, children and partners refer to persons by id, so statistics count
// persons from these facts without opening any personal data.

// PersonIdentity is the personal data of a person: sealed with the person's
// own key, so destroying that key culls it everywhere.
type PersonIdentity struct {
	Name           string         `json:"name,omitempty"`
	PersonalNumber PersonalNumber `json:"personal_number,omitempty"`
	Phone          string         `json:"phone,omitempty"`
	Address        string         `json:"address,omitempty"`
	Workplace      string         `json:"workplace,omitempty"`
}

// PersonRegistered opens a personal file.
type PersonRegistered struct {
	Sex       Sex `json:"sex"`
	BirthYear int `json:"birth_year"` // 0 when unknown
	// ResearchException is decided from the personal number when the file is
	// opened, because the number is sealed and culling must not need it.
	ResearchException bool `json:"research_exception"`
}

func (PersonRegistered) EventName() string { return "person.registered" }

// PersonDetailsChanged replaces the identity (personal) and the facts derived
// from it, e.g. when a personal number becomes known.
type PersonDetailsChanged struct {
	Sex               Sex  `json:"sex"`
	BirthYear         int  `json:"birth_year"`
	ResearchException bool `json:"research_exception"`
}

func (PersonDetailsChanged) EventName() string { return "person.details_changed" }

// ProtectionChanged sets the protected-identity level (skyddade
// personuppgifter). It belongs to the person, not the case, but is recorded
// through a case, which CaseID names.
type ProtectionChanged struct {
	Level  ProtectionLevel `json:"level"`
	CaseID ID              `json:"case_id"`
}

func (ProtectionChanged) EventName() string { return "person.protection_changed" }

// PersonCulled records that the personal file was culled (gallrad): the
// person's data key is destroyed alongside, and the file accepts nothing more.
type PersonCulled struct {
	CulledOn Date `json:"culled_on"`
}

func (PersonCulled) EventName() string { return "person.culled" }
