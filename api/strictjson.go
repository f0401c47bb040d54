package api

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strconv"
	"strings"
	"sync"

	"github.com/fristad/fristad/domain"
)

// Strict JSON (API.md): member names match exactly (encoding/json matches
// them case-insensitively), a member appears once (encoding/json keeps the
// last), a member the route does not take is refused, and every bad field
// is named, not only the first. checkJSON walks the body against the Go
// type it is decoded into before encoding/json sees it; only a body that
// passes is decoded. An unknown member is reported by its parent's path
// with the message "unknown member": its name is the client's text and
// may be anything, personal data included.

// rootPath names the body itself in a problem.
const rootPath = "(body)"

// maxProblems bounds the problems reported for one body.
const maxProblems = 50

type shapeChecker struct {
	problems []domain.FieldProblem
	seen     map[domain.FieldProblem]bool
}

func (s *shapeChecker) add(field, msg string) {
	if field == "" {
		field = rootPath
	}
	p := domain.FieldProblem{Field: field, Message: msg}
	if s.seen[p] || len(s.problems) >= maxProblems {
		return
	}
	if s.seen == nil {
		s.seen = map[domain.FieldProblem]bool{}
	}
	s.seen[p] = true
	s.problems = append(s.problems, p)
}

// checkJSON returns the problems of body (syntactically valid JSON) as a
// value of type t.
func checkJSON(body []byte, t reflect.Type) []domain.FieldProblem {
	var s shapeChecker
	s.walk(bytes.TrimSpace(body), t, "")
	return s.problems
}

var (
	rawMessageType  = reflect.TypeFor[json.RawMessage]()
	unmarshalerType = reflect.TypeFor[json.Unmarshaler]()
)

func joinPath(parent, name string) string {
	if parent == "" {
		return name
	}
	return parent + "." + name
}

// members splits a JSON object into its members in order; ok is false
// when raw is not an object.
func members(raw []byte) (names []string, values []json.RawMessage, ok bool) {
	if len(raw) == 0 || raw[0] != '{' {
		return nil, nil, false
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	if _, err := dec.Token(); err != nil {
		return nil, nil, false
	}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, nil, false
		}
		name, _ := tok.(string)
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return nil, nil, false
		}
		names, values = append(names, name), append(values, v)
	}
	return names, values, true
}

// elements splits a JSON array; ok is false when raw is not an array.
func elements(raw []byte) ([]json.RawMessage, bool) {
	if len(raw) == 0 || raw[0] != '[' {
		return nil, false
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	if _, err := dec.Token(); err != nil {
		return nil, false
	}
	var out []json.RawMessage
	for dec.More() {
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return nil, false
		}
		out = append(out, v)
	}
	return out, true
}

func isNull(raw []byte) bool { return string(raw) == "null" }

// walk checks raw against t at path.
func (s *shapeChecker) walk(raw []byte, t reflect.Type, path string) {
	for t.Kind() == reflect.Pointer {
		if isNull(raw) {
			return
		}
		t = t.Elem()
	}
	switch {
	case t == rawMessageType || t.Kind() == reflect.Interface:
		s.anyValue(raw, path) // any JSON, but no duplicate members in it
		return
	case reflect.PointerTo(t).Implements(unmarshalerType):
		if err := json.Unmarshal(raw, reflect.New(t).Interface()); err != nil {
			s.add(path, "must be "+describe(t))
		}
		return
	}
	switch t.Kind() {
	case reflect.Struct:
		if isNull(raw) {
			return
		}
		names, values, ok := members(raw)
		if !ok {
			s.add(path, "must be an object")
			return
		}
		fields := jsonFields(t)
		seen := make(map[string]bool, len(names))
		for i, name := range names {
			f, known := fields[name]
			if !known {
				s.add(path, "unknown member")
				continue
			}
			if seen[name] {
				s.add(joinPath(path, name), "duplicate member")
				continue
			}
			seen[name] = true
			s.walk(values[i], f.typ, joinPath(path, name))
		}
	case reflect.Map:
		if isNull(raw) {
			return
		}
		names, values, ok := members(raw)
		if !ok {
			s.add(path, "must be an object")
			return
		}
		seen := make(map[string]bool, len(names))
		for i, name := range names {
			if seen[name] {
				s.add(path, "duplicate member")
				continue
			}
			seen[name] = true
			s.walk(values[i], t.Elem(), path) // keys are the client's text: not echoed
		}
	case reflect.Slice, reflect.Array:
		if isNull(raw) {
			return
		}
		items, ok := elements(raw)
		if !ok {
			s.add(path, "must be an array")
			return
		}
		for i, item := range items {
			s.walk(item, t.Elem(), path+"["+strconv.Itoa(i)+"]")
		}
	default:
		if isNull(raw) {
			return
		}
		if err := json.Unmarshal(raw, reflect.New(t).Interface()); err != nil {
			s.add(path, "must be "+describe(t))
		}
	}
}

// anyValue checks a free-form value: objects hold each member once.
func (s *shapeChecker) anyValue(raw []byte, path string) {
	switch {
	case len(raw) > 0 && raw[0] == '{':
		names, values, _ := members(raw)
		seen := make(map[string]bool, len(names))
		for i, name := range names {
			if seen[name] {
				s.add(path, "duplicate member")
			}
			seen[name] = true
			s.anyValue(values[i], path)
		}
	case len(raw) > 0 && raw[0] == '[':
		items, _ := elements(raw)
		for i, item := range items {
			s.anyValue(item, path+"["+strconv.Itoa(i)+"]")
		}
	}
}

// jsonField is a member a struct takes.
type jsonField struct{ typ reflect.Type }

var fieldCache sync.Map // reflect.Type → map[string]jsonField

// jsonFields are the member names encoding/json decodes into t, exactly
// as spelled: tagged names, untagged exported names, and the fields of
// embedded structs (the shallower wins, as encoding/json has it).
func jsonFields(t reflect.Type) map[string]jsonField {
	if m, ok := fieldCache.Load(t); ok {
		return m.(map[string]jsonField)
	}
	out := map[string]jsonField{}
	collectFields(t, out, map[reflect.Type]bool{})
	fieldCache.Store(t, out)
	return out
}

func collectFields(t reflect.Type, out map[string]jsonField, visiting map[reflect.Type]bool) {
	if visiting[t] {
		return
	}
	visiting[t] = true
	defer delete(visiting, t)
	var embedded []reflect.Type
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, _, _ := strings.Cut(tag, ",")
		if f.Anonymous && name == "" {
			et := f.Type
			if et.Kind() == reflect.Pointer {
				et = et.Elem()
			}
			if et.Kind() == reflect.Struct {
				embedded = append(embedded, et)
				continue
			}
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		out[name] = jsonField{typ: f.Type}
	}
	for _, et := range embedded {
		inner := map[string]jsonField{}
		collectFields(et, inner, visiting)
		for k, v := range inner {
			if _, ok := out[k]; !ok {
				out[k] = v
			}
		}
	}
}
