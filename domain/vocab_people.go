package domain

// TargetGroup is who a case is about (målgrupp).
type TargetGroup string

const (
	AdultVictim  TargetGroup = "adult_victim"  // våldsutsatt vuxen
	ChildVictim  TargetGroup = "child_victim"  // våldsutsatt barn
	ChildWitness TargetGroup = "child_witness" // barn som upplevt/bevittnat våld
	Perpetrator  TargetGroup = "perpetrator"   // våldsutövare
)

var targetGroups = newVocabulary[TargetGroup](
	AdultVictim, "Våldsutsatt vuxen",
	ChildVictim, "Våldsutsatt barn",
	ChildWitness, "Barn som upplevt våld",
	Perpetrator, "Våldsutövare",
)

func (g TargetGroup) Valid() bool   { return targetGroups.valid(g) }
func (g TargetGroup) Label() string { return targetGroups.label(g) }
func TargetGroups() []TargetGroup   { return targetGroups.values() }
func (g TargetGroup) IsChild() bool { return g == ChildVictim || g == ChildWitness }

// Sex as recorded in the personal file and counted in reports (kön).
type Sex string

const (
	SexFemale  Sex = "female"  // kvinna
	SexMale    Sex = "male"    // man
	SexOther   Sex = "other"   // annan
	SexUnknown Sex = "unknown" // okänd
)

var sexes = newVocabulary[Sex](
	SexFemale, "Kvinna",
	SexMale, "Man",
	SexOther, "Annan",
	SexUnknown, "Okänd",
)

func (s Sex) Valid() bool   { return sexes.valid(s) }
func (s Sex) Label() string { return sexes.label(s) }
func Sexes() []Sex          { return sexes.values() }

// AgeBand is the age group reports use instead of an exact age, so a
// birth year never leaves the system (åldersgrupp).
type AgeBand string

const (
	Age0to5    AgeBand = "0-5"
	Age6to12   AgeBand = "6-12"
	Age13to17  AgeBand = "13-17"
	Age18to24  AgeBand = "18-24"
	Age25to64  AgeBand = "25-64"
	Age65Plus  AgeBand = "65+"
	AgeUnknown AgeBand = "unknown"
)

var ageBands = newVocabulary[AgeBand](
	Age0to5, "0–5 år",
	Age6to12, "6–12 år",
	Age13to17, "13–17 år",
	Age18to24, "18–24 år",
	Age25to64, "25–64 år",
	Age65Plus, "65 år och äldre",
	AgeUnknown, "Okänd ålder",
)

func (a AgeBand) Valid() bool   { return ageBands.valid(a) }
func (a AgeBand) Label() string { return ageBands.label(a) }
func AgeBands() []AgeBand       { return ageBands.values() }

// AgeBandFor is the band of someone born in birthYear, counted as REPORTS.md
// does: the report year minus the birth year. Birth year 0 means unknown.
func AgeBandFor(birthYear, year int) AgeBand {
	if birthYear == 0 {
		return AgeUnknown
	}
	age := year - birthYear
	switch {
	case age < 0:
		return AgeUnknown
	case age <= 5:
		return Age0to5
	case age <= 12:
		return Age6to12
	case age <= 17:
		return Age13to17
	case age <= 24:
		return Age18to24
	case age <= 64:
		return Age25to64
	default:
		return Age65Plus
	}
}

// SpecialNeed is a special-needs flag of the person a case is about; the
// mapping report counts persons per need (särskilda behov).
type SpecialNeed string

const (
	NeedDisability              SpecialNeed = "disability"               // funktionsnedsättning
	NeedSubstanceAbuse          SpecialNeed = "substance_abuse"          // missbruk och beroende
	NeedForeignBackground       SpecialNeed = "foreign_background"       // utländsk bakgrund
	NeedLGBTQ                   SpecialNeed = "lgbtq"                    // hbtq
	NeedElderly                 SpecialNeed = "elderly"                  // äldre, 65+
	NeedNationalMinority        SpecialNeed = "national_minority"        // nationell minoritet
	NeedHonourRelated           SpecialNeed = "honour_related"           // hedersrelaterat våld och förtryck
	NeedProstitutionTrafficking SpecialNeed = "prostitution_trafficking" // prostitution och människohandel
	NeedHasPet                  SpecialNeed = "has_pet"                  // har husdjur
)

var specialNeeds = newVocabulary[SpecialNeed](
	NeedDisability, "Funktionsnedsättning",
	NeedSubstanceAbuse, "Missbruk och beroende",
	NeedForeignBackground, "Utländsk bakgrund",
	NeedLGBTQ, "Hbtq",
	NeedElderly, "Äldre (65 år och äldre)",
	NeedNationalMinority, "Nationell minoritet",
	NeedHonourRelated, "Hedersrelaterat våld och förtryck",
	NeedProstitutionTrafficking, "Prostitution och människohandel",
	NeedHasPet, "Har husdjur",
)

func (n SpecialNeed) Valid() bool   { return specialNeeds.valid(n) }
func (n SpecialNeed) Label() string { return specialNeeds.label(n) }
func SpecialNeeds() []SpecialNeed   { return specialNeeds.values() }

// ProtectionLevel is the protected-identity level of a person (skyddade
// personuppgifter). Anything but none means the address and location must
// reach only those who need them.
type ProtectionLevel string

const (
	ProtectionNone       ProtectionLevel = "none"
	ProtectionMarked     ProtectionLevel = "sekretessmarkering"
	ProtectionRegistered ProtectionLevel = "skyddad_folkbokforing"
	ProtectionFictitious ProtectionLevel = "fingerade_personuppgifter"
)

var protectionLevels = newVocabulary[ProtectionLevel](
	ProtectionNone, "Inget skydd",
	ProtectionMarked, "Sekretessmarkering",
	ProtectionRegistered, "Skyddad folkbokföring",
	ProtectionFictitious, "Fingerade personuppgifter",
)

func (l ProtectionLevel) Valid() bool     { return protectionLevels.valid(l) }
func (l ProtectionLevel) Label() string   { return protectionLevels.label(l) }
func ProtectionLevels() []ProtectionLevel { return protectionLevels.values() }
func (l ProtectionLevel) Protected() bool { return l != ProtectionNone && l != "" }
