package domain

import (
	"encoding/json"
	"reflect"
	"time"
)

// Instant is a point in time as the API takes it: RFC 3339 (any offset;
// stored in UTC). The zero Instant means "not given". A wrong type or
// format is a *json.UnmarshalTypeError, so the client learns which field.
type Instant struct{ time.Time }

// UnmarshalJSON reads an RFC 3339 string or null.
func (i *Instant) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*i = Instant{}
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return &json.UnmarshalTypeError{Value: "non-string", Type: reflect.TypeFor[Instant]()}
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil || t.Year() < minYear || t.Year() > maxYear {
		return &json.UnmarshalTypeError{Value: "string", Type: reflect.TypeFor[Instant]()}
	}
	*i = Instant{t}
	return nil
}

// MarshalJSON writes RFC 3339 in UTC, or null.
func (i Instant) MarshalJSON() ([]byte, error) {
	if i.IsZero() {
		return []byte("null"), nil
	}
	return json.Marshal(i.UTC().Format(time.RFC3339Nano))
}
