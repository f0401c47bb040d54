package domain

import (
	"errors"
	"testing"
)

func settingsGiven(facts ...Facts) Settings {
	d := SettingsDecider()
	var h []Recorded
	for i, f := range facts {
		h = append(h, Recorded{Version: uint64(i + 1), Facts: f})
	}
	return d.Fold(SettingsID, h)
}

func TestSettingsDecider(t *testing.T) {
	vuxen := UnitSet{Unit: "vuxen", UnitName: "Vuxenenheten", Kind: UnitAdults}
	changed := DefaultSettings()
	changed.ReportConcurrency = 4
	for _, tc := range []struct {
		name    string
		given   []Facts
		when    Command
		then    []Facts
		invalid []string // fields named by a ValidationError
	}{
		{"register a unit", nil, SetUnit{Unit: "vuxen", Name: "Vuxenenheten", Kind: UnitAdults}, []Facts{vuxen}, nil},
		{"rename a unit", []Facts{vuxen}, SetUnit{Unit: "vuxen", Name: "Vuxenenheten Norr", Kind: UnitAdults},
			[]Facts{UnitSet{Unit: "vuxen", UnitName: "Vuxenenheten Norr", Kind: UnitAdults}}, nil},
		{"an unchanged unit records nothing", []Facts{vuxen}, SetUnit{Unit: "vuxen", Name: "Vuxenenheten", Kind: UnitAdults}, nil, nil},
		{"a formula is no unit id", nil, SetUnit{Unit: `=HYPERLINK("http://x","y")`, Name: "X", Kind: UnitOther}, nil, []string{"unit"}},
		{"a leading sign is no unit id", nil, SetUnit{Unit: "-vuxen", Name: "X", Kind: UnitOther}, nil, []string{"unit"}},
		{"every bad field is named", nil, SetUnit{Unit: "a b", Name: "=SUM(A1)", Kind: "adult"}, nil, []string{"unit", "name", "kind"}},
		{"change settings", nil, ChangeSettings{changed}, []Facts{SettingsChanged{DecisionCommunicationDays: 7, AppealForwardDays: 7,
			PlacementReconsiderMonths: 3, MaxTokenTTL: 43200, ReportConcurrency: 4}}, nil},
		{"unchanged settings record nothing", nil, ChangeSettings{DefaultSettings()}, nil, nil},
		{"out of bounds, each named", nil, ChangeSettings{SettingValues{MaxTokenTTL: 100 * 365 * 24 * 3600, ReportConcurrency: 0,
			DecisionCommunicationDays: 14, AppealForwardDays: 7, PlacementReconsiderMonths: 13}}, nil,
			[]string{"placement_reconsider_months", "max_token_ttl", "report_concurrency"}},
		{"found units: new and valid ones only, once each", []Facts{vuxen}, RegisterFoundUnits{Units: []string{"vuxen", "barn", "barn", "=SUM(A1)"}},
			[]Facts{UnitSet{Unit: "barn", UnitName: "barn", Kind: UnitOther, FoundInStream: true}}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			evs, err := decideSettings(settingsGiven(tc.given...), tc.when)
			if tc.invalid != nil {
				var ve *ValidationError
				if !errors.As(err, &ve) {
					t.Fatalf("want a validation error, got %v", err)
				}
				if len(ve.Problems) != len(tc.invalid) {
					t.Fatalf("problems %v, want fields %v", ve.Problems, tc.invalid)
				}
				for i, f := range tc.invalid {
					if ve.Problems[i].Field != f {
						t.Errorf("problem %d names %q, want %q", i, ve.Problems[i].Field, f)
					}
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(evs) != len(tc.then) {
				t.Fatalf("events %v, want %v", evs, tc.then)
			}
			for i := range evs {
				if evs[i].Facts != tc.then[i] {
					t.Errorf("event %d: %#v, want %#v", i, evs[i].Facts, tc.then[i])
				}
			}
		})
	}
}

func TestSettingsFold(t *testing.T) {
	s := settingsGiven()
	if s.Values != DefaultSettings() || len(s.Units) != 0 {
		t.Fatalf("initial state %#v", s)
	}
	s = settingsGiven(UnitSet{Unit: "barn", UnitName: "Barn", Kind: UnitChildren}, UnitSet{Unit: "vuxen", UnitName: "Vuxen", Kind: UnitAdults},
		SettingsChanged{DecisionCommunicationDays: 10, AppealForwardDays: 3, PlacementReconsiderMonths: 6, MaxTokenTTL: 3600, ReportConcurrency: 1})
	if !s.HasUnit("barn") || s.HasUnit("BARN") || s.UnitList()[1].ID != "vuxen" || s.Values.AppealForwardDays != 3 || s.Values.TokenTTL().Hours() != 1 {
		t.Fatalf("folded %#v", s)
	}
	// A clone is independent of the original.
	c := SettingsDecider().Clone(s)
	c = evolveSettings(c, Recorded{Version: 4, Facts: UnitSet{Unit: "ny", UnitName: "Ny", Kind: UnitOther}})
	if s.HasUnit("ny") || !c.HasUnit("ny") {
		t.Fatal("clone shares the units map")
	}
}
