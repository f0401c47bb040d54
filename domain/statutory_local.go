package domain

import (
	"time"
	_ "time/tzdata" // Swedish calendar dates on any host
)

// TEMPORARY: the decisions branch owns domain/statutory.go (lag 1930:173,
// Swedish public holidays). These few functions stand in for it until it
// lands; they are replaced by calls into it then.

// stockholmZone is the municipality's time zone: days and months count in it.
func stockholmZone() *time.Location {
	loc, err := time.LoadLocation("Europe/Stockholm")
	if err != nil { // the zone database is embedded; this cannot happen
		panic("domain: no Europe/Stockholm zone: " + err.Error())
	}
	return loc
}

// DateIn is the calendar date of an instant in Europe/Stockholm.
func DateIn(t time.Time, loc *time.Location) Date {
	y, m, d := t.In(loc).Date()
	return NewDate(y, m, d)
}

// addMonthsClamped counts n months from d; a month without d's day ends
// on its last day (a month from 31 January is 28 or 29 February).
func addMonthsClamped(d Date, n int) Date {
	y, m, day := d.Time().Date()
	first := time.Date(y, m+time.Month(n), 1, 0, 0, 0, 0, time.UTC)
	last := first.AddDate(0, 1, -1).Day()
	return NewDate(first.Year(), first.Month(), min(day, last))
}

// statutoryLastDay moves a period's last day off a Saturday, Sunday,
// public holiday, midsummer eve, Christmas eve or New Year's eve to the
// next weekday (lag 1930:173 om beräkning av lagstadgad tid).
func statutoryLastDay(d Date) Date {
	for !workday(d) {
		d = d.AddDays(1)
	}
	return d
}

func workday(d Date) bool {
	switch d.Time().Weekday() {
	case time.Saturday, time.Sunday:
		return false
	}
	return !swedishHoliday(d)
}

// swedishHoliday: public holidays (lag 1989:253) and the eves the 1930 act
// treats like them.
func swedishHoliday(d Date) bool {
	y, m, day := d.Time().Date()
	switch {
	case m == time.January && (day == 1 || day == 6),
		m == time.May && day == 1,
		m == time.June && day == 6,
		m == time.December && (day == 24 || day == 25 || day == 26 || day == 31):
		return true
	case m == time.June && day >= 19 && day <= 26:
		wd := d.Time().Weekday()
		return (wd == time.Friday && day <= 25) || (wd == time.Saturday && day >= 20) // midsummer eve and day
	case (m == time.October && day == 31) || (m == time.November && day <= 6):
		return d.Time().Weekday() == time.Saturday // All Saints' Day
	}
	easter := easterSunday(y)
	for _, off := range []int{-2, 0, 1, 39, 49} { // Good Friday, Easter, Easter Monday, Ascension, Pentecost
		if d.Equal(easter.AddDays(off)) {
			return true
		}
	}
	return false
}

// easterSunday by the anonymous Gregorian algorithm.
func easterSunday(y int) Date {
	a, b, c := y%19, y/100, y%100
	d, e := b/4, b%4
	f := (b + 8) / 25
	g := (b - f + 1) / 3
	h := (19*a + b - d - g + 15) % 30
	i, k := c/4, c%4
	l := (32 + 2*e + 2*i - h - k) % 7
	m := (a + 11*h + 22*l) / 451
	month := (h + l - 7*m + 114) / 31
	day := (h+l-7*m+114)%31 + 1
	return NewDate(y, time.Month(month), day)
}
