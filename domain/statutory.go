package domain

import "time"

// Statutory time (lag 1930:173 om beräkning av lagstadgad tid). Every
// period the law or the board sets (the three weeks to appeal, the board's
// own deadlines) ends on a last day; when that day is a Saturday, a Sunday,
// a public holiday (allmän helgdag, lag 1989:253), midsummer eve, Christmas
// eve or New Year's eve, the period ends on the next weekday instead.
//
// Dates are calendar dates in Europe/Stockholm (the API's "today" is the
// Swedish date), so nothing here needs a zone: a Date is already the day
// the law counts in.
//
// The API of this file, for every deadline in fristad:
//
//	StatutoryLastDay(d)          the last day d, moved as the act says
//	DaysPeriodEnd(start, n)      n days after start (e.g. 14 days)
//	WeeksPeriodEnd(start, n)     n weeks after start (the appeal's three weeks)
//	MonthsPeriodEnd(start, n)    n months after start (e.g. four months)
//	AddMonths(d, n)              calendar months, a month from the 31st ending
//	                             on the month's last day (no moving)
//	IsSwedishHoliday(d)          a public holiday or an eve the act equates
//	EasterSunday(year)           Easter Day (Gregorian computus)

// StatutoryLastDay is the day a period whose last day is d really ends: d,
// or the first following day that is neither Saturday, Sunday, a public
// holiday nor midsummer eve, Christmas eve or New Year's eve (1930:173 2 §).
func StatutoryLastDay(d Date) Date {
	if d.IsZero() {
		return d
	}
	for !IsWeekday(d) {
		d = d.AddDays(1)
	}
	return d
}

// IsWeekday (vardag) reports whether d is a day a period may end on: not a
// Saturday or Sunday, nor a day IsSwedishHoliday names.
func IsWeekday(d Date) bool {
	switch d.t.Weekday() {
	case time.Saturday, time.Sunday:
		return false
	}
	return !IsSwedishHoliday(d)
}

// DaysPeriodEnd is the last day of a period of n days counted from start
// (start itself is day 0: "within 14 days of the 1st" ends on the 15th).
func DaysPeriodEnd(start Date, n int) Date { return StatutoryLastDay(start.AddDays(n)) }

// WeeksPeriodEnd is the last day of n weeks counted from start: the same
// weekday n weeks later, moved by the act. The appeal period (FL 44 §) is
// WeeksPeriodEnd(the day the person received the decision, 3).
func WeeksPeriodEnd(start Date, n int) Date { return DaysPeriodEnd(start, 7*n) }

// MonthsPeriodEnd is the last day of n months counted from start: the same
// day of the month n months later (or the month's last day when it has no
// such day), moved by the act.
func MonthsPeriodEnd(start Date, n int) Date { return StatutoryLastDay(AddMonths(start, n)) }

// AddMonths is d moved n calendar months; when the month reached has no
// such day (from the 31st, or the 29th-31st into February) it is that
// month's last day, never a day in the month after (time.AddDate would
// normalise 31 April to 1 May).
func AddMonths(d Date, n int) Date {
	if d.IsZero() {
		return d
	}
	y, m, day := d.t.Date()
	first := time.Date(y, m+time.Month(n), 1, 0, 0, 0, 0, time.UTC)
	last := first.AddDate(0, 1, -1).Day()
	return NewDate(first.Year(), first.Month(), min(day, last))
}

// IsSwedishHoliday reports whether d is a Swedish public holiday (lag
// 1989:253: New Year's Day, Epiphany, Good Friday, Easter Day, Easter
// Monday, 1 May, Ascension Day, Whit Sunday, the National Day, Midsummer
// Day, All Saints' Day, Christmas Day, Boxing Day; every Sunday is one
// too) or one of the eves lag 1930:173 treats alike: midsummer eve,
// Christmas eve and New Year's eve.
func IsSwedishHoliday(d Date) bool {
	if d.IsZero() {
		return false
	}
	y, m, day := d.t.Date()
	switch {
	case m == time.January && (day == 1 || day == 6),
		m == time.May && day == 1,
		m == time.June && day == 6,
		m == time.December && (day == 24 || day == 25 || day == 26 || day == 31):
		return true
	}
	wd := d.t.Weekday()
	if wd == time.Sunday {
		return true
	}
	// Midsummer eve is the Friday and Midsummer Day the Saturday between
	// 19-25 and 20-26 June; All Saints' Day the Saturday from 31 October
	// to 6 November.
	if m == time.June && ((wd == time.Friday && day >= 19 && day <= 25) || (wd == time.Saturday && day >= 20 && day <= 26)) {
		return true
	}
	if wd == time.Saturday && ((m == time.October && day == 31) || (m == time.November && day <= 6)) {
		return true
	}
	easter := EasterSunday(y)
	for _, offset := range []int{-2, 0, 1, 39, 49} { // Good Friday, Easter Day, Easter Monday, Ascension, Whit Sunday
		if d.Equal(easter.AddDays(offset)) {
			return true
		}
	}
	return false
}

// EasterSunday is Easter Day of a Gregorian year (the anonymous Gregorian
// algorithm, "Meeus/Jones/Butcher").
func EasterSunday(year int) Date {
	a := year % 19
	b, c := year/100, year%100
	d, e := b/4, b%4
	f := (b + 8) / 25
	g := (b - f + 1) / 3
	h := (19*a + b - d - g + 15) % 30
	i, k := c/4, c%4
	l := (32 + 2*e + 2*i - h - k) % 7
	m := (a + 11*h + 22*l) / 451
	month := (h + l - 7*m + 114) / 31
	day := (h+l-7*m+114)%31 + 1
	return NewDate(year, time.Month(month), day)
}
