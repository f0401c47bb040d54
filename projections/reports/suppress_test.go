package reports

import (
	"fmt"
	"testing"
)

func TestSuppress(t *testing.T) {
	for _, tc := range []struct {
		name   string
		values []int
		basis  []int // nil: the values
		k      int
		rels   []relation
		ders   []derivation
		want   string // one x (suppressed) or . per cell
	}{
		{"primary only, zero shown", []int{0, 1, 4, 5, 9}, nil, 5, nil, nil, ".xx.."},
		{"k=1 suppresses nothing", []int{0, 1, 2}, nil, 1, nil, nil, "..."},
		// female 4, male 1, other 0, unknown 0, all 5: male alone could be
		// recovered, so the smallest non-zero shown part goes too.
		{"secondary takes the smallest non-zero part", []int{4, 1, 0, 0, 5}, nil, 3, []relation{{4, []int{0, 1, 2, 3}}}, nil, "xx..."},
		{"secondary prefers non-zero over zero", []int{9, 2, 0, 7, 18}, nil, 3, []relation{{4, []int{0, 1, 2, 3}}}, nil, ".x.x."},
		{"the total when the other parts are zero", []int{0, 2, 0, 2}, []int{0, 2, 0, 0}, 3, []relation{{3, []int{0, 1, 2}}}, nil, ".x.x"},
		{"a zero when nothing else is shown", []int{0, 0, 0, 0, 1}, nil, 3, []relation{{2, []int{0, 1}}, {0, []int{3}}}, []derivation{{3, []int{4}}}, "xx.xx"},
		{"two suppressed need nothing more", []int{1, 2, 10, 13}, nil, 3, []relation{{3, []int{0, 1, 2}}}, nil, "xx.."},
		{"suppressed total needs a part", []int{6, 7, 13}, []int{6, 7, 2}, 3, []relation{{2, []int{0, 1}}}, nil, "x.x"},
		{"equal values: the part before the total", []int{6, 0, 6, 6}, []int{6, 0, 6, 1}, 3, []relation{{2, []int{0, 1}}, {3, []int{2}}}, nil, "x.xx"},
		// A cascade: the second relation shares a cell with the first.
		{"cascades across relations", []int{1, 4, 5, 7, 11}, nil, 3, []relation{{2, []int{0, 1}}, {4, []int{1, 3}}}, nil, "xx.x."},
		{"derived follows its sources", []int{3, 2, 667}, []int{3, 2, 0}, 3, nil, []derivation{{2, []int{0, 1}}}, ".xx"},
		{"derived shown when sources are", []int{3, 3, 1000}, []int{3, 3, 0}, 3, nil, []derivation{{2, []int{0, 1}}}, "..."},
	} {
		basis := tc.basis
		if basis == nil {
			basis = tc.values
		}
		sup := suppress(tc.values, basis, tc.k, tc.rels, tc.ders)
		got := ""
		for _, s := range sup {
			if s {
				got += "x"
			} else {
				got += "."
			}
		}
		if got != tc.want {
			t.Errorf("%s: %s, want %s", tc.name, got, tc.want)
		}
		// Whatever it decided, no relation has exactly one hidden member.
		for _, r := range tc.rels {
			if n := hidden(sup, r); n == 1 {
				t.Errorf("%s: relation %v has one hidden member", tc.name, r)
			}
		}
	}
}

func hidden(sup []bool, r relation) int {
	n := 0
	if sup[r.Total] {
		n++
	}
	for _, p := range r.Parts {
		if sup[p] {
			n++
		}
	}
	return n
}

func ExampleWriteCSV() {
	v := 42
	_ = WriteCSV(printer{}, Report{Cells: []Cell{
		{Table: "persons", Dims: map[string]string{"target_group": "adult_victim", "sex": "female"}, Value: &v},
		{Table: "persons", Dims: map[string]string{"target_group": "adult_victim", "sex": "male"}, Suppressed: true},
	}})
	// Output:
	// table,dims,value,suppressed
	// persons,sex=female;target_group=adult_victim,42,false
	// persons,sex=male;target_group=adult_victim,,true
}

type printer struct{}

func (printer) Write(b []byte) (int, error) { fmt.Print(string(b)); return len(b), nil }
