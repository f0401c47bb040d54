package reports

import (
	"bytes"
	"testing"

	"github.com/xuri/excelize/v2"
)

// The workbook: byte-identical for the same report, a sheet per table with
// numbers as numbers and suppressed cells as "för få", and a definitions
// sheet.
func TestXLSX(t *testing.T) {
	envs, asOf := mappingWorld()
	p := mappingParams(asOf, 3)
	r := build(t, p, envs).Report()
	var a, b bytes.Buffer
	if err := WriteXLSX(&a, r); err != nil {
		t.Fatal(err)
	}
	if err := WriteXLSX(&b, build(t, p, envs).Report()); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Fatal("the same report gives different workbooks")
	}
	f, err := excelize.OpenReader(bytes.NewReader(a.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if sheets[0] != "Definitioner" || len(sheets) < 5 {
		t.Fatalf("sheets: %v", sheets)
	}
	var numbers, tooFewCells int
	for _, c := range r.Cells {
		if c.Table != "persons" {
			continue
		}
		if c.Suppressed {
			tooFewCells++
		} else {
			numbers++
		}
	}
	rows, err := f.GetRows("Personer")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != numbers+tooFewCells+1 || rows[0][len(rows[0])-1] != "Antal" {
		t.Fatalf("persons sheet has %d rows, header %v", len(rows), rows[0])
	}
	var gotTooFew int
	for i, row := range rows[1:] {
		v := row[len(row)-1]
		if v == tooFew {
			gotTooFew++
			continue
		}
		typ, err := f.GetCellType("Personer", cellName(len(row), i+2))
		if err != nil || typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString {
			t.Fatalf("value %q at row %d is not a number (type %v)", v, i+2, typ)
		}
	}
	if gotTooFew != tooFewCells {
		t.Fatalf("%d cells read för få, want %d", gotTooFew, tooFewCells)
	}
}

func cellName(col, row int) string {
	n, _ := excelize.CoordinatesToCellName(col, row)
	return n
}

func TestSafeText(t *testing.T) {
	for in, want := range map[string]string{"=SUM(A1)": "'=SUM(A1)", "+1": "'+1", "-2": "'-2", "@x": "'@x", "vuxen": "vuxen"} {
		if got := safeText(in); got != want {
			t.Errorf("safeText(%q) = %q", in, got)
		}
	}
}
