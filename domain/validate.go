package domain

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// Bounds on what a command may carry. Free text is bounded so one request
// cannot fill the stream; names and short fields more tightly.
const (
	maxText    = 10_000 // descriptions, reasons, summaries, plans, notes
	maxName    = 200    // names, units, assignees, activity names
	maxUserID  = 128    // a token's sub
	maxPhone   = 50
	maxAddress = 500
	maxItems   = 50 // goals, activities, children, forms, needs
	minYear    = 1900
	maxYear    = 2200
)

// path joins a JSON path prefix and a field: path("subject", "name") is
// "subject.name"; path("", "name") is "name".
func path(prefix, field string) string {
	if prefix == "" {
		return field
	}
	return prefix + "." + field
}

// index is the JSON path of a list element, e.g. goals[1].
func index(field string, i int) string { return field + "[" + strconv.Itoa(i) + "]" }

func (p *problems) text(field, s string, max int, required bool) {
	switch {
	case !utf8.ValidString(s):
		p.add(field, "must be valid UTF-8")
	case strings.TrimSpace(s) == "":
		if required {
			p.add(field, "is required")
		}
	case utf8.RuneCountInString(s) > max:
		p.add(field, "is longer than %d characters", max)
	}
}

// userID checks a user id that a command names (a grantee, an assignee):
// the shape a token's sub has (api/auth), so a grant or an assignment
// names someone who can sign in, never a string with control characters
// or spaces that no token will ever match.
func (p *problems) userID(field, s string) {
	if s == "" {
		p.add(field, "is required")
		return
	}
	if len(s) > maxUserID || strings.IndexFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '_' || r == '@' || r == '-')
	}) >= 0 {
		p.add(field, "must be a user id: 1 to %d letters, digits, '.', '_', '@' or '-'", maxUserID)
	}
}

func (p *problems) id(field string, id ID, required bool) {
	switch {
	case id == "":
		if required {
			p.add(field, "is required")
		}
	case !id.Valid():
		p.add(field, "must be a ULID")
	}
}

func (p *problems) date(field string, d Date, required bool) {
	switch {
	case d.IsZero():
		if required {
			p.add(field, "is required")
		}
	case d.Year() < minYear || d.Year() > maxYear:
		p.add(field, "is out of range")
	}
}

// order checks from ≤ to when both are given.
func (p *problems) order(fromField string, from Date, toField string, to Date) {
	if !from.IsZero() && !to.IsZero() && to.Before(from) {
		p.add(toField, "must not be before %s", fromField)
	}
}

// validity checks a period of validity (valid_from, valid_to): the start
// when required, the end optional, and not the end before the start.
func (p *problems) validity(from, to Date, fromRequired bool) {
	p.date("valid_from", from, fromRequired)
	p.date("valid_to", to, false)
	p.order("valid_from", from, "valid_to", to)
}

// after checks that later is strictly after earlier when both are given.
func (p *problems) after(earlierField string, earlier Date, laterField string, later Date) {
	if !earlier.IsZero() && !later.IsZero() && !later.After(earlier) {
		p.add(laterField, "must be after %s", earlierField)
	}
}

func (p *problems) count(field string, n, max int) {
	if n < 0 || n > max {
		p.add(field, "must be between 0 and %d", max)
	}
}

// code checks a vocabulary value.
type validCode interface {
	~string
	Valid() bool
}

func code[T validCode](p *problems, field string, v T, required bool) {
	switch {
	case v == "":
		if required {
			p.add(field, "is required")
		}
	case !v.Valid():
		p.add(field, "is not one of the allowed codes")
	}
}

// codes checks a list of vocabulary values: each known, none repeated.
func codes[T validCode](p *problems, field string, vs []T, required bool) {
	if len(vs) == 0 {
		if required {
			p.add(field, "needs at least one value")
		}
		return
	}
	if len(vs) > maxItems {
		p.add(field, "has more than %d values", maxItems)
		return
	}
	seen := map[T]bool{}
	for i, v := range vs {
		code(p, index(field, i), v, true)
		if seen[v] {
			p.add(index(field, i), "repeats an earlier value")
		}
		seen[v] = true
	}
}

// ids checks a list of ids: each a ULID, none repeated.
func ids(p *problems, field string, vs []ID) {
	if len(vs) > maxItems {
		p.add(field, "has more than %d values", maxItems)
		return
	}
	seen := map[ID]bool{}
	for i, v := range vs {
		p.id(index(field, i), v, true)
		if seen[v] {
			p.add(index(field, i), "repeats an id")
		}
		seen[v] = true
	}
}

// texts checks a list of free-text items (goals).
func texts(p *problems, field string, vs []string, max int) {
	if len(vs) > maxItems {
		p.add(field, "has more than %d values", maxItems)
		return
	}
	for i, v := range vs {
		p.text(index(field, i), v, max, true)
	}
}
