package reports

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"strings"
)

// corePropsPart is the workbook's core-properties part.
const corePropsPart = "docProps/core.xml"

// coreProperties is docProps/core.xml as Excel writes it: the element
// and its members in the "cp" prefix. excelize writes the same document
// with cp as the default namespace (<coreProperties xmlns="...">), which
// is equal XML but which readers that match prefixed names (exceljs:
// "Unexpected xml node in parseOpen: lastModifiedBy") refuse, so the
// part is written again in the conventional form.
func coreProperties(title, creator, language, stamp string) []byte {
	esc := func(s string) string {
		var b strings.Builder
		_ = xml.EscapeText(&b, []byte(s))
		return b.String()
	}
	return []byte(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" +
		`<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" ` +
		`xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" ` +
		`xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">` +
		`<dc:title>` + esc(title) + `</dc:title>` +
		`<dc:creator>` + esc(creator) + `</dc:creator>` +
		`<cp:lastModifiedBy>` + esc(creator) + `</cp:lastModifiedBy>` +
		`<dc:language>` + esc(language) + `</dc:language>` +
		`<dcterms:created xsi:type="dcterms:W3CDTF">` + esc(stamp) + `</dcterms:created>` +
		`<dcterms:modified xsi:type="dcterms:W3CDTF">` + esc(stamp) + `</dcterms:modified>` +
		`</cp:coreProperties>`)
}

// replacePart copies the zip package pkg to w with the part name's
// content replaced; every other part is copied as it is (compressed bytes
// and headers), so the output stays deterministic.
func replacePart(w io.Writer, pkg []byte, name string, content []byte) error {
	zr, err := zip.NewReader(bytes.NewReader(pkg), int64(len(pkg)))
	if err != nil {
		return fmt.Errorf("xlsx: %w", err)
	}
	zw := zip.NewWriter(w)
	found := false
	for _, f := range zr.File {
		if f.Name != name {
			if err := zw.Copy(f); err != nil {
				return fmt.Errorf("xlsx: %w", err)
			}
			continue
		}
		found = true
		part, err := zw.CreateHeader(&zip.FileHeader{Name: f.Name, Method: zip.Deflate, Modified: f.Modified})
		if err != nil {
			return fmt.Errorf("xlsx: %w", err)
		}
		if _, err := part.Write(content); err != nil {
			return fmt.Errorf("xlsx: %w", err)
		}
	}
	if !found {
		return fmt.Errorf("xlsx: the package has no %s", name)
	}
	return zw.Close()
}
