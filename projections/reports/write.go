package reports

import (
	"encoding/csv"
	"encoding/json"
	"io"
	"slices"
	"strconv"
	"strings"
)

// WriteJSON writes the report as one JSON document (REPORTS.md shape) and
// a newline. Dims keys come out sorted, so equal reports give equal bytes.
func WriteJSON(w io.Writer, r Report) error {
	if r.Cells == nil {
		r.Cells = []Cell{}
	}
	b, err := json.Marshal(r)
	if err != nil {
		return err
	}
	_, err = w.Write(append(b, '\n'))
	return err
}

// WriteCSV writes the cells as UTF-8 CSV with a header: table, dims
// ("k=v;k=v", keys sorted), value (empty when suppressed), suppressed.
// Any field, and any dim key or value, that a spreadsheet would read as a
// formula (starting with = + - @, a tab or a carriage return) gets a
// leading apostrophe.
func WriteCSV(w io.Writer, r Report) error {
	cw := csv.NewWriter(w)
	if err := cw.Write([]string{"table", "dims", "value", "suppressed"}); err != nil {
		return err
	}
	for _, c := range r.Cells {
		value := ""
		if c.Value != nil {
			value = strconv.Itoa(*c.Value)
		}
		rec := []string{safe(c.Table), safe(dimString(c.Dims)), safe(value), strconv.FormatBool(c.Suppressed)}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// dimString is "k=v;k=v" with keys sorted and each key and value made safe.
func dimString(dims map[string]string) string {
	keys := make([]string, 0, len(dims))
	for k := range dims {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = safe(k) + "=" + safe(dims[k])
	}
	return strings.Join(parts, ";")
}

// safe defuses a field a spreadsheet would evaluate as a formula.
func safe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
