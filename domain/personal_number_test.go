package domain

import (
	"errors"
	"strings"
	"testing"
)

func TestParsePersonalNumber(t *testing.T) {
	today := day("2026-03-01")
	for _, tc := range []struct {
		in   string
		want PersonalNumber
	}{
		{"19811218-9876", "198112189876"},
		{"198112189876", "198112189876"},
		{"811218-9876", "198112189876"},
		{"8112189876", "198112189876"},
		{"811218+9876", "188112189876"}, // + means 100 or older
		{"260105-1234", "202601051234"}, // this year, already born
		{"990101-1230", "199901011230"},
		{"811278-9873", "198112789873"}, // samordningsnummer: day 18 + 60
	} {
		got, err := ParsePersonalNumber(tc.in, today)
		if err != nil || got != tc.want {
			t.Errorf("%s: got %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
}

func TestParsePersonalNumberCenturyTurnsAtToday(t *testing.T) {
	today := day("2026-03-01")
	for in, want := range map[string]int{
		"260302-1235": 1926, // would be born tomorrow: a century back
		"260301-1236": 2026, // born today
		"260301+1236": 1926,
	} {
		got, err := ParsePersonalNumber(in, today)
		if err != nil || got.BirthYear() != want {
			t.Errorf("%s: born %d (%v), want %d", in, got.BirthYear(), err, want)
		}
	}
}

func TestParsePersonalNumberRejects(t *testing.T) {
	today := day("2026-03-01")
	for _, in := range []string{
		"19811218-9875", // bad Luhn
		"811218-9875",   // bad Luhn
		"19811318-9876", // month 13
		"19810230-9876", // 30 February
		"811292-9876",   // samordningsnummer day 32
		"8112189",       // too short
		"19811218+9876", // + with a four-digit year
		"81-12189876",   // separator in the wrong place
		"811218 9876",   // stray character
		"20270101-1234", // in the future
	} {
		_, err := ParsePersonalNumber(in, today)
		if !errors.Is(err, ErrPersonalNumber) {
			t.Errorf("%s: want ErrPersonalNumber, got %v", in, err)
			continue
		}
		if strings.Contains(err.Error(), strings.TrimLeft(in, "19")[:6]) {
			t.Errorf("%s: error echoes the number: %v", in, err)
		}
	}
	if _, err := ParsePersonalNumber("811218-9876", Date{}); !errors.Is(err, ErrPersonalNumber) {
		t.Errorf("short form without a reference date: want error, got %v", err)
	}
}

func TestPersonalNumberParts(t *testing.T) {
	n := PersonalNumber("198112789873")
	if !n.Valid() || !n.Coordination() || n.BirthDay() != 18 || n.BirthYear() != 1981 ||
		!n.BirthDate().Equal(day("1981-12-18")) || n.Masked() != "19811278-****" || n.Formatted() != "19811278-9873" {
		t.Fatalf("samordningsnummer parts wrong: %v %v %v %v", n.Valid(), n.Coordination(), n.BirthDay(), n.BirthDate())
	}
	if PersonalNumber("198112189875").Valid() {
		t.Fatal("bad check digit counted as valid")
	}
}

func TestResearchException(t *testing.T) {
	for _, tc := range []struct {
		n    PersonalNumber
		want bool
	}{
		{"198507051236", true},
		{"198507152380", true},
		{"198507251232", true},
		{"198507651233", true}, // samordningsnummer for the 5th
		{"198507142381", false},
		{"198112189876", false},
		{"", false},
	} {
		if got := tc.n.ResearchException(); got != tc.want {
			t.Errorf("%s: research exception %v, want %v", tc.n.Masked(), got, tc.want)
		}
	}
}
