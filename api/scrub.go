package api

import (
	"bytes"
	"encoding/json"
	"sort"
	"strings"

	"github.com/labstack/echo/v4"
)

// Error bodies never echo a value the client sent (API.md): an id, a
// code, a date, a version, a key. Handlers and the domain write their
// problems without client values where they can; scrubProblem is the net
// under them: every value the request carried (path parameters, query
// names and values, the headers a handler reads, and every string and
// number in the JSON body) is cut out of the problem's detail and
// messages before it is sent, where it stands as a word of its own.
// Values shorter than minEcho are left alone: they cannot identify
// anything, and cutting "1" or "not" would garble the text.
const minEcho = 4

// bodyKey holds the raw request body for scrubProblem.
const bodyKey = "fristad.body"

// echoedHeaders are the request headers whose values a handler may see.
var echoedHeaders = []string{"If-Match", "Idempotency-Key", accessReasonHeader, "X-Min-Seq"}

// clientValues lists the values c's request carried, longest first.
func clientValues(c echo.Context) []string {
	var vals []string
	add := func(v string) {
		v = strings.TrimSpace(v)
		if len(v) >= minEcho {
			vals = append(vals, v)
		}
	}
	for _, v := range c.ParamValues() {
		add(v)
	}
	for name, vs := range c.Request().URL.Query() {
		add(name)
		for _, v := range vs {
			add(v)
		}
	}
	for _, h := range echoedHeaders {
		v := c.Request().Header.Get(h)
		add(v)
		add(strings.Trim(strings.TrimPrefix(v, "W/"), `"`))
	}
	if body, ok := c.Get(bodyKey).([]byte); ok {
		dec := json.NewDecoder(bytes.NewReader(body))
		dec.UseNumber()
		for {
			tok, err := dec.Token()
			if err != nil {
				break
			}
			switch t := tok.(type) {
			case string:
				add(t)
			case json.Number:
				add(t.String())
			}
		}
	}
	sort.Slice(vals, func(i, j int) bool { return len(vals[i]) > len(vals[j]) })
	return vals
}

// scrubProblem removes the request's values from p's texts.
func scrubProblem(c echo.Context, p *Problem) {
	if p.Status < 400 || p.Status >= 500 {
		return
	}
	vals := clientValues(c)
	if len(vals) == 0 {
		return
	}
	cut := func(s string) string {
		for _, v := range vals {
			s = cutWord(s, v)
		}
		return s
	}
	p.Detail = cut(p.Detail)
	if len(p.Errors) > 0 {
		errs := append(p.Errors[:0:0], p.Errors...)
		for i := range errs {
			errs[i].Message = cut(errs[i].Message)
		}
		p.Errors = errs
	}
}

// cutWord replaces v in s by "…" where it is not part of a longer word.
func cutWord(s, v string) string {
	var b strings.Builder
	for {
		i := strings.Index(s, v)
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		end := i + len(v)
		if (i > 0 && wordByte(s[i-1]) && wordByte(v[0])) || (end < len(s) && wordByte(s[end]) && wordByte(v[len(v)-1])) {
			b.WriteString(s[:i+1])
			s = s[i+1:]
			continue
		}
		b.WriteString(s[:i])
		b.WriteString("…")
		s = s[end:]
	}
}

func wordByte(c byte) bool {
	return c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80
}
