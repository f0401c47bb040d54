package api

import (
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/fristad/fristad/domain"
)

// Query parameters are declared on their route (routes.go, route.Query):
// guard refuses an undeclared one, one given twice, or a value of the
// wrong form with 400 before the handler runs, and the OpenAPI document
// describes the same declarations. Handlers read values that have the
// declared form; what a value means (a cursor of this list, a unit of
// the caller's) stays theirs to check.

// paramKind is the form a query parameter's value takes.
type paramKind int

const (
	pString  paramKind = iota // printable text, at most maxLen (default 200)
	pInteger                  // a decimal integer from min to max
	pBoolean                  // true or false
	pDate                     // YYYY-MM-DD
	pInstant                  // an RFC 3339 instant or a YYYY-MM-DD day
	pTime                     // an RFC 3339 instant
	pEnum                     // one of enum
	pCursor                   // an opaque cursor: printable ASCII, at most 200
)

// param is one query parameter a route takes.
type param struct {
	Name     string
	Kind     paramKind
	Enum     []string
	Min, Max int
	MaxLen   int
	Desc     string
}

// unknownParam is the problem of an undeclared parameter; its name is the
// client's text and is not echoed (API.md).
const queryPath = "(query)"

// checkQuery returns the problems of q against the declared params.
func checkQuery(params []param, q url.Values) []domain.FieldProblem {
	var out []domain.FieldProblem
	bad := func(field, msg string) { out = append(out, domain.FieldProblem{Field: field, Message: msg}) }
	names := make([]string, 0, len(q))
	for name := range q {
		names = append(names, name)
	}
	slices.Sort(names)
	unknown := false
	for _, name := range names {
		i := slices.IndexFunc(params, func(p param) bool { return p.Name == name })
		if i < 0 {
			unknown = true
			continue
		}
		p, vs := params[i], q[name]
		if len(vs) > 1 {
			bad(name, "given more than once")
			continue
		}
		if msg := p.check(vs[0]); msg != "" {
			bad(name, msg)
		}
	}
	if unknown {
		bad(queryPath, "unknown parameter")
	}
	return out
}

// check returns what is wrong with v ("" for nothing).
func (p param) check(v string) string {
	switch p.Kind {
	case pInteger:
		n, err := strconv.Atoi(v)
		if err != nil || n < p.Min || n > p.Max {
			return "must be an integer from " + strconv.Itoa(p.Min) + " to " + strconv.Itoa(p.Max)
		}
	case pBoolean:
		if v != "true" && v != "false" {
			return "must be true or false"
		}
	case pDate:
		if _, err := domain.ParseDate(v); err != nil {
			return "must be a date YYYY-MM-DD"
		}
	case pInstant:
		if _, err := time.Parse(time.RFC3339Nano, v); err == nil {
			return ""
		}
		if _, err := time.Parse(time.DateOnly, v); err != nil {
			return "must be an RFC 3339 instant or a YYYY-MM-DD date"
		}
	case pTime:
		if _, err := time.Parse(time.RFC3339, v); err != nil {
			return "must be an RFC 3339 instant"
		}
	case pEnum:
		if !slices.Contains(p.Enum, v) {
			return "must be one of " + strings.Join(p.Enum, ", ")
		}
	case pCursor:
		if v == "" || len(v) > 200 || strings.IndexFunc(v, func(r rune) bool { return r < 0x21 || r > 0x7e }) >= 0 {
			return "not a cursor from this list"
		}
	default:
		limit := p.MaxLen
		if limit == 0 {
			limit = 200
		}
		if v == "" || len(v) > limit || !utf8.ValidString(v) || strings.IndexFunc(v, unicode.IsControl) >= 0 {
			return "must be text of 1 to " + strconv.Itoa(limit) + " characters"
		}
	}
	return ""
}

// schema is the JSON schema of the parameter's value.
func (p param) schema() map[string]any {
	switch p.Kind {
	case pInteger:
		return map[string]any{"type": "integer", "minimum": p.Min, "maximum": p.Max}
	case pBoolean:
		return map[string]any{"type": "boolean"}
	case pDate:
		return map[string]any{"type": "string", "format": "date"}
	case pTime:
		return map[string]any{"type": "string", "format": "date-time"}
	case pInstant:
		return map[string]any{"type": "string", "description": "an RFC 3339 instant or a YYYY-MM-DD day (UTC)"}
	case pEnum:
		return map[string]any{"type": "string", "enum": p.Enum}
	case pCursor:
		return map[string]any{"type": "string", "minLength": 1, "maxLength": 200}
	}
	limit := p.MaxLen
	if limit == 0 {
		limit = 200
	}
	return map[string]any{"type": "string", "minLength": 1, "maxLength": limit}
}

func codes[T ~string](vs []T) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = string(v)
	}
	return out
}

// The parameters of API.md's routes.
var (
	qLimit       = func(max int) param { return param{Name: "limit", Kind: pInteger, Min: 1, Max: max, Desc: "page size"} }
	qCursor      = param{Name: "cursor", Kind: pCursor, Desc: "next_cursor of the previous page"}
	qUnit        = param{Name: "unit", Kind: pString, Desc: "a unit id"}
	qFormat      = param{Name: "format", Kind: pEnum, Enum: []string{"json", "csv", "xlsx"}, Desc: "json (default), csv or xlsx"}
	qAsOf        = param{Name: "as_of", Kind: pTime, Desc: "report the state as of this instant"}
	qMinCell     = param{Name: "min_cell", Kind: pInteger, Min: 1, Max: 1000, Desc: "smallest count shown; smaller counts are suppressed"}
	qAuditFrom   = param{Name: "from", Kind: pInstant, Desc: "start: an RFC 3339 instant or a YYYY-MM-DD day (UTC)"}
	qAuditTo     = param{Name: "to", Kind: pInstant, Desc: "end: an RFC 3339 instant (exclusive) or a YYYY-MM-DD day (inclusive)"}
	qAuditUser   = param{Name: "user", Kind: pString, MaxLen: 256, Desc: "a user id"}
	qAuditLimit  = param{Name: "limit", Kind: pInteger, Min: 1, Max: 1000, Desc: "page size (default 100)"}
	qAuditCursor = param{Name: "cursor", Kind: pCursor, Desc: "next_cursor of the previous page"}

	caseloadQuery = []param{
		{Name: "assignee", Kind: pString, MaxLen: 256, Desc: "`me` or a user id"},
		qUnit,
		{Name: "status", Kind: pEnum, Enum: codes(domain.CaseStatuses()), Desc: "case status"},
		{Name: "overdue", Kind: pBoolean, Desc: "only cases with an overdue follow-up"},
		{Name: "risk", Kind: pEnum, Enum: codes(domain.RiskLevels()), Desc: "latest risk level"},
		qLimit(500), qCursor,
	}
	caseFileQuery  = []param{{Name: "view", Kind: pEnum, Enum: []string{"party"}, Desc: "party: the party view (kommunicering)"}}
	historyQuery   = []param{{Name: "limit", Kind: pInteger, Min: 1, Max: 500, Desc: "page size (default 100)"}, qCursor}
	periodReport   = []param{{Name: "from", Kind: pDate, Desc: "first day"}, {Name: "to", Kind: pDate, Desc: "last day"}, qUnit, qFormat, qAsOf, qMinCell}
	yearReport     = []param{{Name: "year", Kind: pInteger, Min: 2000, Max: 2100, Desc: "survey year"}, qUnit, qFormat, qAsOf, qMinCell}
	digestQuery    = []param{{Name: "digest", Kind: pBoolean, Desc: "also hash the projections' state (costly on a large store)"}}
	auditCaseQuery = []param{qAuditFrom, qAuditTo, qAuditUser, qAuditLimit, qAuditCursor}
	auditUserQuery = []param{qAuditFrom, qAuditTo, qUnit, qAuditLimit, qAuditCursor,
		{Name: "recorded_cursor", Kind: pCursor, Desc: "recorded_next_cursor of the previous page"}}
	auditAccessQuery = []param{qAuditFrom, qAuditTo, qUnit, qAuditUser, qAuditLimit, qAuditCursor}
)
