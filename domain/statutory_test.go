package domain

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestEasterSunday(t *testing.T) {
	for year, want := range map[int]string{
		2008: "2008-03-23", 2019: "2019-04-21", 2024: "2024-03-31", 2025: "2025-04-20",
		2026: "2026-04-05", 2027: "2027-03-28", 2038: "2038-04-25", 2285: "2285-03-22",
	} {
		assert.Equal(t, want, EasterSunday(year).String(), "%d", year)
	}
}

func TestIsSwedishHoliday(t *testing.T) {
	for _, tc := range []struct {
		day  string
		want bool
		why  string
	}{
		{"2026-01-01", true, "New Year's Day"},
		{"2026-01-06", true, "Epiphany"},
		{"2026-04-03", true, "Good Friday"},
		{"2026-04-05", true, "Easter Day"},
		{"2026-04-06", true, "Easter Monday"},
		{"2026-04-02", false, "Maundy Thursday is a weekday"},
		{"2026-05-01", true, "1 May"},
		{"2026-05-14", true, "Ascension Day"},
		{"2026-05-24", true, "Whit Sunday"},
		{"2026-05-25", false, "Whit Monday is no holiday since 2005"},
		{"2026-06-06", true, "National Day"},
		{"2026-06-19", true, "midsummer eve (1930:173)"},
		{"2026-06-20", true, "Midsummer Day"},
		{"2026-06-26", false, "a Friday after midsummer"},
		{"2025-06-20", true, "midsummer eve 2025"},
		{"2026-10-31", true, "All Saints' Day"},
		{"2025-11-01", true, "All Saints' Day 2025"},
		{"2026-11-07", false, "the Saturday after All Saints' Day"},
		{"2026-12-24", true, "Christmas eve (1930:173)"},
		{"2026-12-25", true, "Christmas Day"},
		{"2026-12-26", true, "Boxing Day"},
		{"2026-12-31", true, "New Year's eve (1930:173)"},
		{"2026-03-08", true, "a Sunday"},
		{"2026-03-07", false, "a Saturday is no holiday, though no period ends on it"},
		{"2026-03-09", false, "a Monday"},
	} {
		assert.Equal(t, tc.want, IsSwedishHoliday(day(tc.day)), "%s: %s", tc.day, tc.why)
	}
}

func TestStatutoryLastDay(t *testing.T) {
	for _, tc := range []struct{ last, want, why string }{
		{"2026-03-02", "2026-03-02", "a Monday stays"},
		{"2026-03-07", "2026-03-09", "Saturday to Monday"},
		{"2026-03-08", "2026-03-09", "Sunday to Monday"},
		{"2026-01-06", "2026-01-07", "Epiphany to the next day"},
		{"2026-04-03", "2026-04-07", "Good Friday over Easter to Tuesday"},
		{"2027-03-26", "2027-03-30", "Good Friday 2027 (Easter computed) to Tuesday"},
		{"2026-05-01", "2026-05-04", "1 May, a Friday, to Monday"},
		{"2026-05-14", "2026-05-15", "Ascension Day to Friday"},
		{"2025-06-06", "2025-06-09", "National Day 2025, a Friday, to Monday"},
		{"2026-06-19", "2026-06-22", "midsummer eve to Monday"},
		{"2026-12-24", "2026-12-28", "Christmas eve over Christmas to Monday"},
		{"2026-12-31", "2027-01-04", "New Year's eve over New Year's Day and a weekend"},
		{"2026-10-31", "2026-11-02", "All Saints' Day"},
	} {
		assert.Equal(t, tc.want, StatutoryLastDay(day(tc.last)).String(), "%s: %s", tc.last, tc.why)
	}
	assert.True(t, StatutoryLastDay(Date{}).IsZero())
}

// TestAppealPeriodEnd: three weeks from the day the person received the
// decision (FL 44 §), moved by lag 1930:173.
func TestAppealPeriodEnd(t *testing.T) {
	for _, tc := range []struct{ received, want, why string }{
		{"2026-03-02", "2026-03-23", "the same weekday three weeks later"},
		{"2026-03-14", "2026-04-07", "day 21 is Easter Saturday: over Easter"},
		{"2026-03-13", "2026-04-07", "day 21 is Good Friday"},
		{"2026-05-29", "2026-06-22", "day 21 is midsummer eve"},
		{"2026-12-03", "2026-12-28", "day 21 is Christmas eve"},
		{"2026-12-10", "2027-01-04", "day 21 is New Year's eve"},
		{"2026-02-28", "2026-03-23", "day 21 is a Saturday"},
		{"2026-03-01", "2026-03-23", "day 21 is a Sunday"},
	} {
		assert.Equal(t, tc.want, WeeksPeriodEnd(day(tc.received), 3).String(), "%s: %s", tc.received, tc.why)
	}
}

func TestAddMonths(t *testing.T) {
	for _, tc := range []struct {
		from string
		n    int
		want string
	}{
		{"2026-01-31", 1, "2026-02-28"},
		{"2024-01-31", 1, "2024-02-29"},
		{"2026-03-31", 1, "2026-04-30"},
		{"2026-08-31", 1, "2026-09-30"},
		{"2026-10-15", 3, "2027-01-15"},
		{"2026-11-30", 3, "2027-02-28"},
		{"2026-12-31", -1, "2026-11-30"},
		{"2026-05-31", 4, "2026-09-30"},
	} {
		assert.Equal(t, tc.want, AddMonths(day(tc.from), tc.n).String(), "%s + %d", tc.from, tc.n)
	}
	assert.Equal(t, "2026-06-30", MonthsPeriodEnd(day("2026-03-31"), 3).String())
	assert.Equal(t, "2026-06-29", MonthsPeriodEnd(day("2026-02-28"), 4).String(), "28 June 2026 is a Sunday")
	assert.Equal(t, "2026-03-16", DaysPeriodEnd(day("2026-03-01"), 14).String(), "the 15th is a Sunday")
}

// TestStatutoryLastDayIsAlwaysAWeekday walks ten years: every result is a
// weekday no earlier than the day given, and a weekday maps to itself.
func TestStatutoryLastDayIsAlwaysAWeekday(t *testing.T) {
	for d := day("2020-01-01"); d.Before(day("2030-01-01")); d = d.AddDays(1) {
		got := StatutoryLastDay(d)
		wd := got.Time().Weekday()
		if got.Before(d) || wd == time.Saturday || wd == time.Sunday || IsSwedishHoliday(got) {
			t.Fatalf("%s -> %s", d, got)
		}
		if IsWeekday(d) && !got.Equal(d) {
			t.Fatalf("weekday %s moved to %s", d, got)
		}
	}
}
