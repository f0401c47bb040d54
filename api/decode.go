package api

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"reflect"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/fristad/fristad/domain"
	"github.com/labstack/echo/v4"
)

// MaxBody is the largest request body accepted (API.md: over 1 MiB → 413).
const MaxBody = 1 << 20

// maxDepth bounds JSON nesting: no request needs more than a few levels,
// and deep nesting is a cheap way to make a parser work hard.
const maxDepth = 16

// decodeBody reads a JSON request body into v strictly: the content type
// must be JSON, the body at most MaxBody, nesting shallow, no unknown
// fields, no trailing data, and every type right. Errors name the field.
func decodeBody(c echo.Context, v any) error {
	mt, _, err := mime.ParseMediaType(c.Request().Header.Get(echo.HeaderContentType))
	if err != nil || mt != echo.MIMEApplicationJSON {
		return errMediaType()
	}
	body, err := io.ReadAll(http.MaxBytesReader(c.Response(), c.Request().Body, MaxBody))
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return errTooLarge()
		}
		return errBadRequest("the body could not be read")
	}
	c.Set(bodyKey, body)
	if err := decodeJSON(body, v); err != nil {
		return err
	}
	c.Set(fingerprintKey, bodyFingerprint(v))
	return nil
}

// fingerprintKey holds the request's body fingerprint for writeOptions.
const fingerprintKey = "fristad.fingerprint"

// bodyFingerprint digests a decoded body: its canonical JSON (the struct's
// member order, no whitespace), so a retry that only spaces or orders its
// members differently is the same request.
func bodyFingerprint(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return ""
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:16])
}

// decodeJSON is decodeBody after the transport checks (also fuzzed): the
// body must be valid UTF-8, one JSON value and nothing after it, and of
// the shape of v as checkJSON (strictjson.go) has it.
func decodeJSON(body []byte, v any) error {
	if len(bytes.TrimSpace(body)) == 0 {
		return errBadRequest("the body is empty; send a JSON object")
	}
	if !utf8.Valid(body) {
		return errBadRequest("the body is not valid UTF-8")
	}
	if depth(body) > maxDepth {
		return errBadRequest(fmt.Sprintf("JSON nested deeper than %d levels", maxDepth))
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	var raw json.RawMessage
	if err := dec.Decode(&raw); err != nil {
		return decodeProblem(err)
	}
	if dec.More() {
		return errBadRequest("unexpected data after the JSON object")
	}
	if _, err := dec.Token(); err != io.EOF {
		return errBadRequest("unexpected data after the JSON object")
	}
	if problems := checkJSON(raw, reflect.TypeOf(v)); len(problems) > 0 {
		return errBadRequest("some fields are not valid", problems...)
	}
	strict := json.NewDecoder(bytes.NewReader(raw))
	strict.DisallowUnknownFields()
	if err := strict.Decode(v); err != nil {
		return decodeProblem(err)
	}
	return nil
}

func decodeProblem(err error) *Problem {
	var (
		syntax *json.SyntaxError
		typ    *json.UnmarshalTypeError
	)
	switch {
	case errors.As(err, &syntax):
		return errBadRequest(fmt.Sprintf("malformed JSON at byte %d", syntax.Offset))
	case errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF):
		return errBadRequest("malformed JSON: the body ends too early")
	case errors.As(err, &typ):
		field := jsonPath(typ.Field)
		if field == "" {
			field = rootPath
		}
		return errBadRequest("a field has the wrong type", domain.FieldProblem{Field: field, Message: "must be " + describe(typ.Type)})
	}
	if strings.HasPrefix(err.Error(), "json: unknown field ") {
		return errBadRequest("some fields are not valid", domain.FieldProblem{Field: rootPath, Message: "unknown member"})
	}
	return errBadRequest("the body is not valid JSON for this route")
}

// jsonPath drops the Go names of embedded structs from a decoder's field
// path ("PersonDetails.birth_year" → "birth_year"); JSON names are
// snake_case, Go names start upper-case.
func jsonPath(p string) string {
	parts := strings.Split(p, ".")
	out := parts[:0]
	for _, s := range parts {
		if s != "" && !(s[0] >= 'A' && s[0] <= 'Z') {
			out = append(out, s)
		}
	}
	return strings.Join(out, ".")
}

var fieldNameRE = regexp.MustCompile(`^[a-z][a-z0-9_]{0,40}$`)

var dateType = reflect.TypeFor[domain.Date]()

func describe(t reflect.Type) string {
	if t == nil {
		return "of another type"
	}
	if t == dateType {
		return "a date YYYY-MM-DD"
	}
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "an integer"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Slice, reflect.Array:
		return "an array"
	case reflect.Struct, reflect.Map, reflect.Pointer:
		return "an object"
	}
	return "of another type"
}

// depth is the deepest nesting of arrays and objects in b, outside strings.
func depth(b []byte) int {
	var d, top int
	inString, escaped := false, false
	for _, c := range b {
		switch {
		case escaped:
			escaped = false
		case inString && c == '\\':
			escaped = true
		case c == '"':
			inString = !inString
		case inString:
		case c == '{' || c == '[':
			d++
			top = max(top, d)
		case c == '}' || c == ']':
			d--
		}
	}
	return top
}
