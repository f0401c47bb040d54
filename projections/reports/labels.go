package reports

// The Swedish labels of the reports, for other readers than the
// spreadsheet (the console): one place for them, the same as in XLSX.

// TableLabel is a table's Swedish name (the table id when it has none).
func TableLabel(table string) string {
	if l := sheetNames[table]; l != "" {
		return l
	}
	return table
}

// DimLabel is a dim's Swedish column header (the dim when it has none).
func DimLabel(dim string) string {
	if l := dimNames[dim]; l != "" {
		return l
	}
	return dim
}

// ValueLabel is a dim value's Swedish label (the value when it has none).
func ValueLabel(dim, value string) string { return valueLabel(dim, value) }
