// Package flagvalue turns command-line flag values into domain values the
// same way in both binaries (fristad and fristad-bench), with the same
// bad-usage error (exit code 2).
package flagvalue

import (
	"github.com/fristad/fristad/cmd/internal/cli"
	"github.com/fristad/fristad/domain"
)

// OptionalDate reads the value s of the flag --name as a day; empty means
// no day (the zero Date). A malformed day is bad usage, and the message
// names the flag but does not echo the value.
func OptionalDate(name, s string) (domain.Date, error) {
	if s == "" {
		return domain.Date{}, nil
	}
	d, err := domain.ParseDate(s)
	if err != nil {
		return domain.Date{}, cli.UsageError{Msg: "--" + name + ": want YYYY-MM-DD"}
	}
	return d, nil
}
