package reports

import (
	"bytes"
	"encoding/csv"
	"errors"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/fristad/fristad/domain"
	"github.com/fristad/fristad/eventstore"
)

// Same events and parameters give byte-identical JSON and CSV, also when
// the events of different aggregates arrive interleaved differently.
func TestDeterministicOutput(t *testing.T) {
	envs, asOf := mappingWorld()
	for _, kind := range Kinds() {
		p := mappingParams(asOf, 3)
		p.Report, p.Year = kind, 2026
		var j1, j2, c1, c2 bytes.Buffer
		r1 := build(t, p, envs).Report()
		// Shuffle aggregates against each other, keeping each one's order.
		shuffled := interleave(envs, rand.New(rand.NewPCG(7, 7)))
		r2 := build(t, p, shuffled).Report()
		for _, w := range []struct {
			r   Report
			j   *bytes.Buffer
			csv *bytes.Buffer
		}{{r1, &j1, &c1}, {r2, &j2, &c2}} {
			if err := WriteJSON(w.j, w.r); err != nil {
				t.Fatal(err)
			}
			if err := WriteCSV(w.csv, w.r); err != nil {
				t.Fatal(err)
			}
		}
		if !bytes.Equal(j1.Bytes(), j2.Bytes()) {
			t.Errorf("%s: JSON differs", kind)
		}
		if !bytes.Equal(c1.Bytes(), c2.Bytes()) {
			t.Errorf("%s: CSV differs", kind)
		}
		// And again from the same builder.
		var j3 bytes.Buffer
		b := build(t, p, envs)
		_ = WriteJSON(&j3, b.Report())
		j3.Reset()
		_ = WriteJSON(&j3, b.Report())
		var j4 bytes.Buffer
		_ = WriteJSON(&j4, r1)
		if !bytes.Equal(j3.Bytes(), j4.Bytes()) {
			t.Errorf("%s: a second Report differs", kind)
		}
	}
}

func TestJSONShape(t *testing.T) {
	v := 7
	r := Report{
		Meta:  Meta{Report: Mapping, From: "2026-01-01", To: "2026-12-31", AsOf: "2027-01-01T00:00:00Z", AsOfSeq: 9, MinCell: 5, GeneratedAt: "2027-01-02T00:00:00Z"},
		Cells: []Cell{{Table: "persons", Dims: map[string]string{"target_group": "adult_victim", "sex": "female"}, Value: &v}, {Table: "placement_days", Dims: map[string]string{}, Suppressed: true}},
	}
	var buf bytes.Buffer
	if err := WriteJSON(&buf, r); err != nil {
		t.Fatal(err)
	}
	want := `{"meta":{"report":"mapping","from":"2026-01-01","to":"2026-12-31","unit":null,"as_of":"2027-01-01T00:00:00Z","as_of_seq":9,"min_cell":5,"generated_at":"2027-01-02T00:00:00Z"},` +
		`"cells":[{"table":"persons","dims":{"sex":"female","target_group":"adult_victim"},"value":7,"suppressed":false},{"table":"placement_days","dims":{},"value":null,"suppressed":true}]}` + "\n"
	if buf.String() != want {
		t.Errorf("JSON\n got %s\nwant %s", buf.String(), want)
	}
}

func TestCSV(t *testing.T) {
	v, z := 12, 0
	r := Report{Cells: []Cell{
		{Table: "persons", Dims: map[string]string{"target_group": "adult_victim", "sex": "female"}, Value: &v},
		{Table: "persons", Dims: map[string]string{"target_group": "adult_victim", "sex": "male"}, Suppressed: true},
		{Table: "placement_days", Dims: map[string]string{}, Value: &z},
		{Table: "=cmd|' /C calc'!A0", Dims: map[string]string{"+x": "-1", "unit": "@SUM(A1)", "tab": "\tx", "cr": "\rx"}, Value: &v},
		{Table: "-2+3", Dims: map[string]string{"a": "b,c"}, Value: &v},
	}}
	var buf bytes.Buffer
	if err := WriteCSV(&buf, r); err != nil {
		t.Fatal(err)
	}
	want := "table,dims,value,suppressed\n" +
		"persons,sex=female;target_group=adult_victim,12,false\n" +
		"persons,sex=male;target_group=adult_victim,,true\n" +
		"placement_days,,0,false\n" +
		"'=cmd|' /C calc'!A0,\"'+x='-1;cr='\rx;tab='\tx;unit='@SUM(A1)\",12,false\n" +
		"'-2+3,\"a=b,c\",12,false\n"
	if buf.String() != want {
		t.Errorf("CSV\n got %q\nwant %q", buf.String(), want)
	}
	// Every field of every record read back is safe.
	recs, err := csv.NewReader(strings.NewReader(buf.String())).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for _, rec := range recs {
		for _, f := range rec {
			if f != "" && strings.ContainsRune("=+-@\t\r", rune(f[0])) {
				t.Errorf("field %q starts with a formula character", f)
			}
		}
	}
}

func TestParamErrors(t *testing.T) {
	ok := Params{Report: Mapping, From: day("2026-01-01"), To: day("2026-12-31"), MinCell: 5}
	if err := ok.Validate(); err != nil {
		t.Fatalf("valid params: %v", err)
	}
	for _, tc := range []struct {
		name  string
		p     func(p *Params)
		param string
	}{
		{"unknown report", func(p *Params) { p.Report = "census" }, "report"},
		{"no report", func(p *Params) { p.Report = "" }, "report"},
		{"to before from", func(p *Params) { p.To = day("2025-12-31") }, "to"},
		{"missing from", func(p *Params) { p.From = domain.Date{} }, "from"},
		{"missing to", func(p *Params) { p.To = domain.Date{} }, "to"},
		{"min-cell zero", func(p *Params) { p.MinCell = 0 }, "min-cell"},
		{"min-cell negative", func(p *Params) { p.MinCell = -3 }, "min-cell"},
		{"indicators without year", func(p *Params) { p.Report = Indicators }, "year"},
		{"year too early", func(p *Params) { p.Report, p.Year = Indicators, 1999 }, "year"},
		{"year too late", func(p *Params) { p.Report, p.Year = Indicators, 2101 }, "year"},
		{"follow-up min-cell", func(p *Params) { p.Report, p.MinCell = FollowUp, 0 }, "min-cell"},
	} {
		p := ok
		tc.p(&p)
		_, err := NewBuilder(p)
		var pe *ParamError
		if !errors.As(err, &pe) {
			t.Errorf("%s: err %v, want *ParamError", tc.name, err)
			continue
		}
		if pe.Param != tc.param || pe.Message == "" {
			t.Errorf("%s: param %q (%s), want %q", tc.name, pe.Param, pe.Message, tc.param)
		}
		if !strings.Contains(pe.Error(), tc.param) {
			t.Errorf("%s: message %q does not name %s", tc.name, pe.Error(), tc.param)
		}
	}
	// Indicators take their period from the year; one day is a valid period.
	for _, p := range []Params{
		{Report: Indicators, Year: 2026, MinCell: 1},
		{Report: FollowUp, From: day("2026-03-01"), To: day("2026-03-01"), MinCell: 1},
	} {
		if _, err := NewBuilder(p); err != nil {
			t.Errorf("%+v: %v", p, err)
		}
	}
}

func TestAsOfBoundaryIsInclusive(t *testing.T) {
	envs, _ := mappingWorld()
	last := envs[len(envs)-1].RecordedAt
	b := build(t, mappingParams(last, 1), envs)
	if b.Report().Meta.AsOfSeq != uint64(len(envs)) {
		t.Error("an event recorded exactly at as_of was skipped")
	}
	b = build(t, mappingParams(last.Add(-time.Nanosecond), 1), envs)
	if b.Report().Meta.AsOfSeq != uint64(len(envs)-1) {
		t.Error("an event recorded after as_of was applied")
	}
}

// Applying an event twice (a replayed tail) changes nothing.
func TestReappliedEventsIgnored(t *testing.T) {
	envs, asOf := mappingWorld()
	var a, b bytes.Buffer
	_ = WriteJSON(&a, build(t, mappingParams(asOf, 1), envs).Report())
	_ = WriteJSON(&b, build(t, mappingParams(asOf, 1), append(append([]*eventstore.Envelope{}, envs...), envs...)).Report())
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("re-applied events changed the report")
	}
}
