package domain

import (
	"time"
	_ "time/tzdata" // Swedish calendar dates on any host
)

// The calendar of statutory time is in statutory.go (lag 1930:173); this
// file turns instants into the Swedish calendar dates it counts in.

// stockholmZone is the municipality's time zone: days and months count in it.
func stockholmZone() *time.Location {
	loc, err := time.LoadLocation("Europe/Stockholm")
	if err != nil { // the zone database is embedded; this cannot happen
		panic("domain: no Europe/Stockholm zone: " + err.Error())
	}
	return loc
}

// DateIn is the calendar date of an instant in a zone (the API and the
// deciders use Europe/Stockholm).
func DateIn(t time.Time, loc *time.Location) Date {
	y, m, d := t.In(loc).Date()
	return NewDate(y, m, d)
}
