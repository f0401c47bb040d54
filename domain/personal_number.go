package domain

import (
	"errors"
	"fmt"
	"time"
)

// PersonalNumber is a Swedish personal identity number (personnummer) or
// coordination number (samordningsnummer, day of birth plus 60), normalized
// to 12 digits YYYYMMDDNNNN. It is personal data: keep it out of facts,
// logs and error messages.
type PersonalNumber string

// ErrPersonalNumber is wrapped by every parse error. The messages say what
// is wrong but never repeat the number, so they are safe to log and return.
var ErrPersonalNumber = errors.New("invalid personal number")

// ParsePersonalNumber normalizes "YYYYMMDD-NNNN", "YYYYMMDDNNNN",
// "YYMMDD-NNNN", "YYMMDDNNNN" and "YYMMDD+NNNN" to 12 digits. The short forms
// need today to place the century: the latest year not in the future, and
// with "+" (written for people who have turned 100) another century back.
// A zero today refuses short forms rather than guess.
func ParsePersonalNumber(s string, today Date) (PersonalNumber, error) {
	bad := func(format string, args ...any) (PersonalNumber, error) {
		return "", fmt.Errorf("%w: %s", ErrPersonalNumber, fmt.Sprintf(format, args...))
	}
	digits := make([]byte, 0, 12)
	sep, sepAt := byte(0), -1
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			digits = append(digits, c)
		case (c == '-' || c == '+') && sep == 0:
			sep, sepAt = c, len(digits)
		default:
			return bad("want YYYYMMDD-NNNN, only digits and one - or +")
		}
	}
	if sep != 0 && sepAt != len(digits)-4 {
		return bad("the separator must come before the last four digits")
	}
	var year int
	var rest []byte // MMDDNNNN
	switch len(digits) {
	case 12:
		if sep == '+' {
			return bad("+ is only used with a two-digit year")
		}
		year = atoi(digits[:4])
		rest = digits[4:]
	case 10:
		if today.IsZero() {
			return bad("a two-digit year needs the full form YYYYMMDD-NNNN here")
		}
		yy := atoi(digits[:2])
		rest = digits[2:]
		month, day := atoi(rest[:2]), realDay(atoi(rest[2:4]))
		year = today.Year()/100*100 + yy
		if year > today.Year() || (validDate(year, month, day) && NewDate(year, time.Month(month), day).After(today)) {
			year -= 100
		}
		if sep == '+' {
			year -= 100
		}
	default:
		return bad("want 10 or 12 digits")
	}
	month, day := atoi(rest[:2]), atoi(rest[2:4])
	if !validDate(year, month, realDay(day)) {
		return bad("no such date of birth")
	}
	if !today.IsZero() && NewDate(year, time.Month(month), realDay(day)).After(today) {
		return bad("date of birth is in the future")
	}
	n := fmt.Sprintf("%04d%s", year, rest)
	if !luhnValid(n[2:]) {
		return bad("check digit does not match")
	}
	return PersonalNumber(n), nil
}

// realDay undoes the coordination-number offset.
func realDay(d int) int {
	if d > 60 {
		return d - 60
	}
	return d
}

func validDate(y, m, d int) bool {
	if m < 1 || m > 12 || d < 1 || d > 31 {
		return false
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	return t.Month() == time.Month(m) && t.Day() == d
}

func atoi(b []byte) int {
	n := 0
	for _, c := range b {
		n = n*10 + int(c-'0')
	}
	return n
}

// luhnValid checks the last digit of ten against the Luhn sum of the nine
// before it, weights 2,1,2,1,… from the left.
func luhnValid(ten string) bool {
	if len(ten) != 10 {
		return false
	}
	sum := 0
	for i := 0; i < 10; i++ {
		d := int(ten[i] - '0')
		if i%2 == 0 {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return sum%10 == 0
}

// Valid reports whether n is a normalized, checked number.
func (n PersonalNumber) Valid() bool {
	_, err := ParsePersonalNumber(string(n), Date{})
	return len(n) == 12 && err == nil
}

// Coordination reports whether n is a samordningsnummer.
func (n PersonalNumber) Coordination() bool { return len(n) == 12 && atoi([]byte(n[6:8])) > 60 }

// BirthYear is the year of birth.
func (n PersonalNumber) BirthYear() int {
	if len(n) != 12 {
		return 0
	}
	return atoi([]byte(n[:4]))
}

// BirthDay is the day of the month of birth, with the coordination-number
// offset removed.
func (n PersonalNumber) BirthDay() int {
	if len(n) != 12 {
		return 0
	}
	return realDay(atoi([]byte(n[6:8])))
}

// BirthDate is the date of birth.
func (n PersonalNumber) BirthDate() Date {
	if len(n) != 12 {
		return Date{}
	}
	return NewDate(n.BirthYear(), time.Month(atoi([]byte(n[4:6]))), n.BirthDay())
}

// ResearchException reports whether the person's file is kept for research
// instead of culled: born on the 5th, 15th or 25th day of a month
// (Socialtjänstförordningen 7 kap. 2 §).
func (n PersonalNumber) ResearchException() bool {
	switch n.BirthDay() {
	case 5, 15, 25:
		return true
	}
	return false
}

// Formatted is the number as people write it, YYYYMMDD-NNNN.
func (n PersonalNumber) Formatted() string {
	if len(n) != 12 {
		return string(n)
	}
	return string(n[:8]) + "-" + string(n[8:])
}

// Masked hides the last four digits, for lists and logs that need to tell
// people apart without identifying them fully.
func (n PersonalNumber) Masked() string {
	if len(n) != 12 {
		return "****"
	}
	return string(n[:8]) + "-****"
}
