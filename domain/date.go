package domain

import (
	"encoding/json"
	"fmt"
	"reflect"
	"time"
)

// Date is a calendar date without time or zone, written YYYY-MM-DD.
// The zero Date means "not given".
type Date struct{ t time.Time }

const dateLayout = "2006-01-02"

// NewDate builds a date.
func NewDate(year int, month time.Month, day int) Date {
	return Date{time.Date(year, month, day, 0, 0, 0, 0, time.UTC)}
}

// ParseDate parses YYYY-MM-DD strictly.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(dateLayout, s)
	if err != nil {
		return Date{}, fmt.Errorf("invalid date: want YYYY-MM-DD")
	}
	return Date{t}, nil
}

// DateOf is the UTC calendar date of an instant.
func DateOf(t time.Time) Date {
	y, m, d := t.UTC().Date()
	return NewDate(y, m, d)
}

func (d Date) IsZero() bool         { return d.t.IsZero() }
func (d Date) String() string       { return d.t.Format(dateLayout) }
func (d Date) Year() int            { return d.t.Year() }
func (d Date) Before(o Date) bool   { return d.t.Before(o.t) }
func (d Date) After(o Date) bool    { return d.t.After(o.t) }
func (d Date) Equal(o Date) bool    { return d.t.Equal(o.t) }
func (d Date) AddDays(n int) Date   { return Date{d.t.AddDate(0, 0, n)} }
func (d Date) AddYears(n int) Date  { return Date{d.t.AddDate(n, 0, 0)} }
func (d Date) Time() time.Time      { return d.t }
func (d Date) DaysUntil(o Date) int { return int(o.t.Sub(d.t).Hours() / 24) }

// MarshalJSON writes "YYYY-MM-DD", or null for the zero date.
func (d Date) MarshalJSON() ([]byte, error) {
	if d.IsZero() {
		return []byte("null"), nil
	}
	return json.Marshal(d.String())
}

// UnmarshalJSON reads "YYYY-MM-DD" or null. A wrong type or format is a
// *json.UnmarshalTypeError, which encoding/json annotates with the field's
// path, so a client learns which date was wrong.
func (d *Date) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*d = Date{}
		return nil
	}
	var s string
	if inner, ok := plainJSONString(b); ok {
		s = inner // the usual case, without a full JSON decode (replays decode millions)
	} else if err := json.Unmarshal(b, &s); err != nil {
		return &json.UnmarshalTypeError{Value: "non-string", Type: reflect.TypeFor[Date]()}
	}
	p, err := ParseDate(s)
	if err != nil {
		return &json.UnmarshalTypeError{Value: "string", Type: reflect.TypeFor[Date]()}
	}
	*d = p
	return nil
}

// plainJSONString returns the contents of a JSON string literal that has no
// escapes and no control characters, and false for anything else.
func plainJSONString(b []byte) (string, bool) {
	if len(b) < 2 || b[0] != '"' || b[len(b)-1] != '"' {
		return "", false
	}
	inner := b[1 : len(b)-1]
	for _, c := range inner {
		if c == '\\' || c == '"' || c < 0x20 {
			return "", false
		}
	}
	return string(inner), true
}
