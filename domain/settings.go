package domain

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// The municipality's settings (kommunens inställningar) are an aggregate of
// their own (DESIGN.md, second round): the units registry and the
// intervals and limits the board sets. Every change is an event, so a later
// decision or deadline can name the rule in force when it was made. There is
// one settings aggregate per store, under SettingsID.

// SettingsID is the id of the municipality's one settings aggregate.
const SettingsID ID = "00000000000000000000000001"

// UnitKind is what a unit works with (enhetens inriktning).
type UnitKind string

const (
	UnitAdults    UnitKind = "adults"    // vuxenenhet
	UnitChildren  UnitKind = "children"  // barn- och ungaenhet
	UnitTreatment UnitKind = "treatment" // behandlingsenhet
	UnitOther     UnitKind = "other"     // annan enhet
)

var unitKinds = newVocabulary[UnitKind](
	UnitAdults, "Vuxenenhet",
	UnitChildren, "Barn- och ungaenhet",
	UnitTreatment, "Behandlingsenhet",
	UnitOther, "Annan enhet",
)

func (k UnitKind) Valid() bool   { return unitKinds.valid(k) }
func (k UnitKind) Label() string { return unitKinds.label(k) }
func UnitKinds() []UnitKind      { return unitKinds.values() }

// unitIDRE is what a unit id may be: an identifier, not a text. It starts
// with a letter or digit, so no spreadsheet reads it as a formula
// (=HYPERLINK(...), +, -, @), and holds no space, quote or bracket.
var unitIDRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)

// ValidUnitID reports whether s has the form of a unit id. Whether the
// unit exists is the registry's question (Settings.HasUnit).
func ValidUnitID(s string) bool { return unitIDRE.MatchString(s) }

const maxUnitName = 100

// validUnitName is a unit's display name: letters, digits, spaces and
// ordinary punctuation, starting with a letter or digit (never a formula).
// It names an organisational unit, never a person, which is why it may
// stand in clear in the facts.
func validUnitName(s string) bool {
	if !utf8.ValidString(s) || s == "" || utf8.RuneCountInString(s) > maxUnitName || strings.TrimSpace(s) != s {
		return false
	}
	for i, r := range s {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
		case i > 0 && strings.ContainsRune(" -_.,&()/'", r):
		default:
			return false
		}
	}
	return true
}

// Unit is one unit of the municipality's registry (enhet).
type Unit struct {
	ID   string   `json:"unit"`
	Name string   `json:"name"`
	Kind UnitKind `json:"kind"`
}

// SettingValues are the board's intervals and limits. The zero value is
// not valid; DefaultSettings holds what applies until an admin sets them.
type SettingValues struct {
	// DecisionCommunicationDays: a decision not communicated within this
	// many days becomes a task (kommunicering av beslut, FL 33 §).
	DecisionCommunicationDays int `json:"decision_communication_days"`
	// AppealForwardDays: an appeal is forwarded to the administrative
	// court within this many days of its receipt ("utan dröjsmål", FL 46 §).
	AppealForwardDays int `json:"appeal_forward_days"`
	// PlacementReconsiderMonths: a child's placement in protected housing
	// is reconsidered at least this often.
	PlacementReconsiderMonths int `json:"placement_reconsider_months"`
	// MaxTokenTTL is the longest lifetime, in seconds, of a bearer token
	// the API accepts (exp - iat).
	MaxTokenTTL int `json:"max_token_ttl"`
	// ReportConcurrency is how many report requests run at once; more are
	// answered 503 with Retry-After.
	ReportConcurrency int `json:"report_concurrency"`
}

// DefaultSettings are the settings before an admin changes them.
func DefaultSettings() SettingValues {
	return SettingValues{
		DecisionCommunicationDays: 7,
		AppealForwardDays:         7,
		PlacementReconsiderMonths: 3,
		MaxTokenTTL:               12 * 60 * 60,
		ReportConcurrency:         2,
	}
}

// Bounds of each setting: outside them a value is a mistake, not a policy.
var settingBounds = []struct {
	field    string
	min, max int
	get      func(SettingValues) int
}{
	{"decision_communication_days", 1, 90, func(v SettingValues) int { return v.DecisionCommunicationDays }},
	{"appeal_forward_days", 1, 30, func(v SettingValues) int { return v.AppealForwardDays }},
	{"placement_reconsider_months", 1, 12, func(v SettingValues) int { return v.PlacementReconsiderMonths }},
	{"max_token_ttl", 5 * 60, 7 * 24 * 60 * 60, func(v SettingValues) int { return v.MaxTokenTTL }},
	{"report_concurrency", 1, 16, func(v SettingValues) int { return v.ReportConcurrency }},
}

func (v SettingValues) check(p *problems) {
	for _, b := range settingBounds {
		if n := b.get(v); n < b.min || n > b.max {
			p.add(b.field, "must be between %d and %d", b.min, b.max)
		}
	}
}

// TokenTTL is MaxTokenTTL as a duration.
func (v SettingValues) TokenTTL() time.Duration { return time.Duration(v.MaxTokenTTL) * time.Second }

// Settings is the state of the settings aggregate.
type Settings struct {
	ID      ID
	Version uint64
	Values  SettingValues
	Units   map[string]Unit
}

// HasUnit reports whether unit is in the registry.
func (s Settings) HasUnit(unit string) bool { _, ok := s.Units[unit]; return ok }

// UnitList is the registry sorted by unit id.
func (s Settings) UnitList() []Unit {
	out := make([]Unit, 0, len(s.Units))
	for _, u := range s.Units {
		out = append(out, u)
	}
	slices.SortFunc(out, func(a, b Unit) int { return strings.Compare(a.ID, b.ID) })
	return out
}

// --- events ---

// UnitSet registers a unit or changes its name or kind.
type UnitSet struct {
	Unit     string   `json:"unit"`
	UnitName string   `json:"unit_name"` // an organisational unit's name (validUnitName), never a person's
	Kind     UnitKind `json:"kind"`
	// FoundInStream marks a unit registered at start-up because cases
	// already named it, not by an admin.
	FoundInStream bool `json:"found_in_stream"`
}

func (UnitSet) EventName() string { return "settings.unit_set" }

// SettingsChanged holds every setting after the change.
type SettingsChanged struct {
	DecisionCommunicationDays int `json:"decision_communication_days"`
	AppealForwardDays         int `json:"appeal_forward_days"`
	PlacementReconsiderMonths int `json:"placement_reconsider_months"`
	MaxTokenTTL               int `json:"max_token_ttl"`
	ReportConcurrency         int `json:"report_concurrency"`
}

func (SettingsChanged) EventName() string { return "settings.changed" }

// --- commands ---

// SetUnit registers or changes one unit.
type SetUnit struct {
	Unit string   `json:"-"` // from the path
	Name string   `json:"name"`
	Kind UnitKind `json:"kind"`
}

func (SetUnit) CommandName() string { return "settings.set_unit" }

func (c SetUnit) Validate() error {
	var p problems
	if !ValidUnitID(c.Unit) {
		p.add("unit", "must be 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit")
	}
	if !validUnitName(c.Name) {
		p.add("name", "must be 1 to %d letters, digits, spaces or - _ . , & ( ) / ', starting with a letter or digit", maxUnitName)
	}
	if !c.Kind.Valid() {
		p.add("kind", "must be adults, children, treatment or other")
	}
	return p.err()
}

// ChangeSettings replaces the settings' values.
type ChangeSettings struct {
	SettingValues
}

func (ChangeSettings) CommandName() string { return "settings.change" }

func (c ChangeSettings) Validate() error {
	var p problems
	c.check(&p)
	return p.err()
}

// RegisterFoundUnits registers the units that cases already name, so a
// store written before the registry keeps working: each unit not yet
// registered whose id is valid becomes a unit of kind other named by its
// id. Ids that are not valid unit ids are left out (the caller reports
// how many).
type RegisterFoundUnits struct {
	Units []string `json:"units"`
}

func (RegisterFoundUnits) CommandName() string { return "settings.register_found_units" }

// --- decider ---

// SettingsDecider is the settings aggregate.
func SettingsDecider() Decider[Settings] {
	return Decider[Settings]{
		Kind:    KindSettings,
		Initial: func(id ID) Settings { return Settings{ID: id, Values: DefaultSettings(), Units: map[string]Unit{}} },
		Decide:  decideSettings,
		Evolve:  evolveSettings,
		Clone: func(s Settings) Settings {
			s.Units = maps.Clone(s.Units)
			return s
		},
	}
}

func decideSettings(s Settings, cmd Command) ([]Event, error) {
	cmd = deref(cmd)
	if err := validate(cmd); err != nil {
		return nil, err
	}
	switch c := cmd.(type) {
	case SetUnit:
		if u, ok := s.Units[c.Unit]; ok && u.Name == c.Name && u.Kind == c.Kind {
			return nil, nil // unchanged: nothing to record
		}
		return []Event{{Facts: UnitSet{Unit: c.Unit, UnitName: c.Name, Kind: c.Kind}}}, nil
	case ChangeSettings:
		if c.SettingValues == s.Values {
			return nil, nil // unchanged: nothing to record
		}
		v := c.SettingValues
		return []Event{{Facts: SettingsChanged{DecisionCommunicationDays: v.DecisionCommunicationDays, AppealForwardDays: v.AppealForwardDays,
			PlacementReconsiderMonths: v.PlacementReconsiderMonths, MaxTokenTTL: v.MaxTokenTTL, ReportConcurrency: v.ReportConcurrency}}}, nil
	case RegisterFoundUnits:
		var evs []Event
		seen := map[string]bool{}
		for _, u := range c.Units {
			if seen[u] || s.HasUnit(u) || !ValidUnitID(u) {
				continue
			}
			seen[u] = true
			evs = append(evs, Event{Facts: UnitSet{Unit: u, UnitName: u, Kind: UnitOther, FoundInStream: true}})
		}
		return evs, nil
	}
	return nil, fmt.Errorf("settings: %w %T", ErrUnknownCommand, cmd)
}

func evolveSettings(s Settings, ev Recorded) Settings {
	s.Version = ev.Version
	switch f := ev.Facts.(type) {
	case UnitSet:
		if s.Units == nil {
			s.Units = map[string]Unit{}
		}
		s.Units[f.Unit] = Unit{ID: f.Unit, Name: f.UnitName, Kind: f.Kind}
	case SettingsChanged:
		s.Values = SettingValues{DecisionCommunicationDays: f.DecisionCommunicationDays, AppealForwardDays: f.AppealForwardDays,
			PlacementReconsiderMonths: f.PlacementReconsiderMonths, MaxTokenTTL: f.MaxTokenTTL, ReportConcurrency: f.ReportConcurrency}
	}
	return s
}
