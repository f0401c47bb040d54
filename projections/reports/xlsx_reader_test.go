package reports

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// testReports are the three reports over their test worlds.
func testReports(t *testing.T) []Report {
	envs, asOf := mappingWorld()
	return []Report{build(t, mappingParams(asOf, 1), envs).Report(),
		build(t, Params{Report: FollowUp, From: day("2026-01-01"), To: day("2026-12-31"), MinCell: 1}, followUpWorld()).Report(),
		build(t, Params{Report: Indicators, Year: 2026, MinCell: 1}, indicatorWorld()).Report(),
		build(t, Params{Report: Appeals, From: day("2026-01-01"), To: day("2026-12-31"), MinCell: 1}, appealsWorld().envs).Report(),
		build(t, Params{Report: Providers, From: day("2026-01-01"), To: day("2026-03-31"), MinCell: 1}, providersWorld().envs).Report()}
}

// Every code in a report's dims reaches the workbook as a Swedish label:
// the domain's vocabularies and the reports' own codes (partner-contact
// steps, schooling status, any_standardized, answers, measures, age
// bands).
func TestXLSXLabelsEveryCode(t *testing.T) {
	for _, r := range testReports(t) {
		for _, c := range r.Cells {
			for d, v := range c.Dims {
				if _, err := strconv.Atoi(v); err == nil {
					continue // a year is its own label
				}
				if d == "provider" || d == "name" {
					continue // a provider's id and name are their own labels
				}
				if l := valueLabel(d, v); l == v || l == "" {
					t.Errorf("%s: %s=%s has no Swedish label", c.Table, d, v)
				}
			}
		}
	}
	for d, v := range map[string]string{"step": "partner_reached", "status": "arranged", "instrument": "any_standardized", "answer": "too_few"} {
		if strings.Contains(valueLabel(d, v), "_") {
			t.Errorf("%s=%s: %q", d, v, valueLabel(d, v))
		}
	}
}

// The core-properties part is the form readers expect: cp:coreProperties
// with cp:lastModifiedBy, dc and dcterms members, not the same document
// with cp as the default namespace (which exceljs refuses).
func TestXLSXCorePropertiesPart(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteXLSX(&buf, testReports(t)[0]); err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	var core []byte
	for _, f := range zr.File {
		if f.Name == corePropsPart {
			rc, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			core, _ = io.ReadAll(rc)
			rc.Close()
		}
	}
	s := string(core)
	for _, want := range []string{"<cp:coreProperties ", `xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"`,
		"<cp:lastModifiedBy>fristad</cp:lastModifiedBy>", "<dc:creator>fristad</dc:creator>", "<dc:title>fristad mapping</dc:title>",
		`<dcterms:created xsi:type="dcterms:W3CDTF">2027-01-20T10:00:00Z</dcterms:created>`} {
		if !strings.Contains(s, want) {
			t.Errorf("core.xml lacks %s:\n%s", want, s)
		}
	}
	if strings.Contains(s, "<coreProperties") || strings.Contains(s, "<lastModifiedBy") {
		t.Errorf("core.xml has unprefixed members:\n%s", s)
	}
	// Well-formed, and the members are in the namespaces they claim.
	var doc struct {
		XMLName        xml.Name
		LastModifiedBy struct{ XMLName xml.Name } `xml:"lastModifiedBy"`
	}
	if err := xml.Unmarshal(core, &doc); err != nil {
		t.Fatal(err)
	}
	const cp = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
	if doc.XMLName.Space != cp || doc.LastModifiedBy.XMLName.Space != cp {
		t.Errorf("namespaces: %v, %v", doc.XMLName, doc.LastModifiedBy.XMLName)
	}
}

// TestXLSXOpensInExceljs opens the three workbooks with exceljs, the
// reader that refused them. It needs node and npm and the network, so it
// runs only with FRISTAD_EXCELJS=1 (exceljs is installed in a temp dir).
func TestXLSXOpensInExceljs(t *testing.T) {
	if os.Getenv("FRISTAD_EXCELJS") != "1" {
		t.Skip("set FRISTAD_EXCELJS=1 (installs exceljs with npm into a temp dir)")
	}
	dir := t.TempDir()
	install := exec.Command("npm", "install", "--no-audit", "--no-fund", "exceljs@4")
	install.Dir = dir
	if out, err := install.CombinedOutput(); err != nil {
		t.Fatalf("npm install exceljs: %v\n%s", err, out)
	}
	script := `const E=require('exceljs');(async()=>{for(const f of process.argv.slice(1)){const wb=new E.Workbook();await wb.xlsx.readFile(f);` +
		`if(wb.creator!=='fristad'||!wb.created||wb.worksheets.length<2)throw new Error(f+': '+wb.creator);}console.log('ok')})().catch(e=>{console.error(e.message);process.exit(1)})`
	args := []string{"-e", script}
	for _, r := range testReports(t) {
		var buf bytes.Buffer
		if err := WriteXLSX(&buf, r); err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, string(r.Meta.Report)+".xlsx")
		if err := os.WriteFile(p, buf.Bytes(), 0o600); err != nil {
			t.Fatal(err)
		}
		args = append(args, p)
	}
	node := exec.Command("node", args...)
	node.Dir = dir
	node.WaitDelay = time.Minute
	if out, err := node.CombinedOutput(); err != nil || !strings.Contains(string(out), "ok") {
		t.Fatalf("exceljs: %v\n%s", err, out)
	}
}
