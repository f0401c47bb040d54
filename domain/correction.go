package domain

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"slices"
	"strings"
	"unicode/utf8"
)

// Correct is a correction (rättelse) of an earlier event of the case
// (POST /cases/{id}/corrections). Corrected holds the new values of the
// fields to correct, by the names the event uses: facts fields are
// corrected in clear, personal fields (e.g. "description") sealed.
type Correct struct {
	EventID   ID              `json:"event_id"`
	Reason    string          `json:"reason"`
	Corrected json.RawMessage `json:"corrected"`
}

func (Correct) CommandName() string { return "case.correct" }

func (c Correct) Validate() error {
	var p problems
	p.id("event_id", c.EventID, true)
	p.text("reason", c.Reason, maxText, true)
	if _, err := c.fields(); err != nil {
		p.add("corrected", "%s", err.Error())
	}
	return p.err()
}

// fields splits Corrected into its fields; it must be a non-empty object.
func (c Correct) fields() (map[string]json.RawMessage, error) {
	var m map[string]json.RawMessage
	if len(bytes.TrimSpace(c.Corrected)) == 0 {
		return nil, errString("is required")
	}
	if err := decodeStrict(c.Corrected, &m); err != nil || m == nil {
		return nil, errString("must be a JSON object of the fields to correct")
	}
	if len(m) == 0 {
		return nil, errString("names no field")
	}
	return m, nil
}

type errString string

func (e errString) Error() string { return string(e) }

// decideCorrection checks a correction against the event it corrects: an
// earlier event of this case, not a correction itself; ids stay as they
// are (a wrong reference is a new event, not a correction); and the
// corrected facts must decode strictly and still pass the event's rules.
func decideCorrection(reg *Registry, s Case, c Correct) ([]Event, error) {
	target, ok := s.EventFacts(c.EventID)
	if !ok {
		return nil, ruleErr("correction-target-unknown", "event %s is not an earlier event of this case", c.EventID)
	}
	if _, ok := target.(Corrected); ok {
		return nil, ruleErr("correction-of-correction", "correct the original event, not the correction")
	}
	name := target.EventName()
	fields, _ := c.fields()
	factNames := jsonNames(reflect.TypeOf(target))
	var personalType reflect.Type
	if p := reg.NewPersonal(name); p != nil {
		personalType = reflect.TypeOf(p).Elem()
	}
	personalNames := jsonNames(personalType)

	var prob problems
	factPatch := map[string]json.RawMessage{}
	personalPatch := map[string]json.RawMessage{}
	for _, k := range sortedKeys(fields) {
		switch {
		case slices.Contains(factNames, k):
			if _, err := patchFacts(target, mustJSON(map[string]json.RawMessage{k: fields[k]})); err != nil {
				prob.add(path("corrected", k), "does not fit %s: %s", name, cleanJSONError(err))
				continue
			}
			factPatch[k] = fields[k]
		case slices.Contains(personalNames, k):
			personalPatch[k] = fields[k]
		default:
			prob.add(path("corrected", k), "is not a field of %s", name)
		}
	}
	if err := prob.err(); err != nil {
		return nil, err
	}

	corrected, err := patchFacts(target, mustJSON(factPatch))
	if err != nil {
		prob.add("corrected", "does not fit %s: %s", name, cleanJSONError(err))
		return nil, prob.err()
	}
	if ch, ok := corrected.(factsChecker); ok {
		ch.check(&prob, "corrected")
	}
	if err := prob.err(); err != nil {
		return nil, err
	}
	before, after := factsMap(target), factsMap(corrected)
	changed := map[string]json.RawMessage{}
	var names []string
	for _, k := range sortedKeys(factPatch) {
		if bytes.Equal(before[k], after[k]) {
			continue
		}
		if strings.HasSuffix(k, "_id") || strings.HasSuffix(k, "_ids") || k == "replaces" {
			return nil, ruleErr("correction-changes-id", "%s cannot be corrected; record a new event instead", k)
		}
		if l, ok := target.(interface{ lockedFields() []string }); ok && slices.Contains(l.lockedFields(), k) {
			return nil, ruleErr("correction-locked", "%s cannot be corrected; it changes only by a new event (e.g. a new decision)", k)
		}
		changed[k] = after[k]
		names = append(names, k)
	}

	texts := CorrectionTexts{Reason: c.Reason}
	if len(personalPatch) > 0 {
		raw := mustJSON(personalPatch)
		v := reflect.New(personalType)
		if err := decodeStrict(raw, v.Interface()); err != nil {
			prob.add("corrected", "personal fields do not fit %s: %s", name, cleanJSONError(err))
			return nil, prob.err()
		}
		checkStrings(&prob, "corrected", v.Elem())
		if err := prob.err(); err != nil {
			return nil, err
		}
		texts.Corrected = raw
	}
	if len(names) == 0 && len(personalPatch) == 0 {
		prob.add("corrected", "changes nothing")
		return nil, prob.err()
	}
	if names == nil {
		names = []string{}
	}
	f := Corrected{EventID: c.EventID, EventType: name, Fields: names, Patch: mustJSON(changed)}
	return []Event{s.event(f, texts)}, nil
}

// patchFacts returns the facts with the fields of patch (a JSON object)
// replaced, decoded strictly into the same facts type.
func patchFacts(orig Facts, patch json.RawMessage) (Facts, error) {
	var p map[string]json.RawMessage
	if err := json.Unmarshal(patch, &p); err != nil {
		return nil, err
	}
	m := factsMap(orig)
	for k, v := range p {
		m[k] = v
	}
	ptr := reflect.New(reflect.TypeOf(orig))
	if err := decodeStrict(mustJSON(m), ptr.Interface()); err != nil {
		return nil, err
	}
	f, ok := ptr.Elem().Interface().(Facts)
	if !ok {
		return nil, errString("not a facts type")
	}
	return f, nil
}

// factsMap is the facts as a JSON object, field by field.
func factsMap(f Facts) map[string]json.RawMessage {
	m := map[string]json.RawMessage{}
	b, err := json.Marshal(f)
	if err == nil {
		_ = json.Unmarshal(b, &m)
	}
	return m
}

// jsonNames lists the JSON field names of a struct type.
func jsonNames(t reflect.Type) []string {
	if t == nil || t.Kind() != reflect.Struct {
		return nil
	}
	var out []string
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		switch name {
		case "-":
			continue
		case "":
			name = f.Name
		}
		out = append(out, name)
	}
	return out
}

// checkStrings bounds every string inside a corrected personal value.
func checkStrings(p *problems, at string, v reflect.Value) {
	switch v.Kind() {
	case reflect.String:
		if s := v.String(); !utf8.ValidString(s) || utf8.RuneCountInString(s) > maxText {
			p.add(at, "must be valid text of at most %d characters", maxText)
		}
	case reflect.Struct:
		names := jsonNames(v.Type())
		for i, j := 0, 0; i < v.NumField(); i++ {
			if !v.Type().Field(i).IsExported() {
				continue
			}
			checkStrings(p, path(at, names[j]), v.Field(i))
			j++
		}
	case reflect.Slice:
		if v.Len() > maxItems {
			p.add(at, "has more than %d values", maxItems)
			return
		}
		for i := range v.Len() {
			checkStrings(p, index(at, i), v.Index(i))
		}
	}
}

func sortedKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

func mustJSON(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		return json.RawMessage("{}")
	}
	return b
}

// cleanJSONError drops Go type names from decoding errors, which mean
// nothing to an API client.
func cleanJSONError(err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return "wrong type, want " + te.Type.Kind().String()
	}
	return strings.TrimPrefix(err.Error(), "json: ")
}
