package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/fristad/fristad/cmd/internal/cli"
	"github.com/fristad/fristad/cmd/internal/flagvalue"
	"github.com/fristad/fristad/domain"
	"github.com/fristad/fristad/projections/reports"
)

func runReport(ctx context.Context, env *cliEnv, args []string) error {
	synopsis := "report mapping|follow-up|indicators|appeals|providers --from YYYY-MM-DD --to YYYY-MM-DD [--year YYYY] [--unit U] [--as-of T] [--min-cell 5] [--format json|csv|xlsx] [-o FILE] [--generated-at T]\n       fristad report not-carried-out --quarter 2026Q3 [--unit U] [--as-of T] [--format json|csv] [-o FILE] [--generated-at T]"
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
			fmt.Fprintln(env.Stdout, "usage: fristad "+synopsis)
			return nil
		}
		return usageError{Msg: "name the report: mapping, follow-up, indicators, appeals, providers or not-carried-out"}
	}
	kind := reports.Kind(args[0])
	fs := newFlagSet(env, "report "+args[0], synopsis)
	var sf storeFlags
	sf.register(fs)
	from := fs.String("from", "", "first day of the period (YYYY-MM-DD)")
	to := fs.String("to", "", "last day of the period (YYYY-MM-DD)")
	year := fs.Int("year", 0, "the year (indicators)")
	quarter := fs.String("quarter", "", "the quarter, e.g. 2026Q3 (not-carried-out)")
	unit := fs.String("unit", "", "one unit (default: all)")
	asOf := fs.String("as-of", "", "count only events recorded up to this instant (RFC 3339) or the end of this day (YYYY-MM-DD)")
	minCell := fs.Int("min-cell", reports.DefaultMinCell, "suppress cells counting 1 to k-1 persons")
	format := fs.String("format", "json", "json, csv or xlsx")
	out := fs.String("o", "", "output file (default stdout)")
	generatedAt := fs.String("generated-at", "", "the timestamp written into the report (RFC 3339; default now): fix it for byte-identical output")
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	p := reports.Params{Report: kind, Year: *year, Unit: *unit, MinCell: *minCell, GeneratedAt: time.Now().UTC().Truncate(time.Second)}
	var perr error
	if p.From, perr = flagvalue.OptionalDate("from", *from); perr != nil {
		return perr
	}
	if p.To, perr = flagvalue.OptionalDate("to", *to); perr != nil {
		return perr
	}
	if *asOf != "" {
		t, err := parseInstant(*asOf, true)
		if err != nil {
			return usageError{Msg: "--as-of: " + err.Error()}
		}
		p.AsOf = t
	}
	if *generatedAt != "" {
		t, err := time.Parse(time.RFC3339, *generatedAt)
		if err != nil {
			return usageError{Msg: "--generated-at: want an RFC 3339 instant"}
		}
		p.GeneratedAt = t.UTC()
	}
	if kind == reports.NotCarried {
		return runNotCarriedOut(ctx, env, &sf, *quarter, p, *format, *out)
	}
	write, err := reportWriter(*format)
	if err != nil {
		return err
	}
	if err := p.Validate(); err != nil {
		return paramUsage(err)
	}
	backend, err := sf.openExisting(ctx, env)
	if err != nil {
		return err
	}
	defer backend.Close()
	bar := newProgress(env, "replaying", "events")
	cli.BatchGC()
	r, st, err := reports.Run(ctx, backend.Store, p, func(n int, _ uint64) { bar.set(uint64(n), 0) }) // #nosec G115 -- a non-negative event count
	bar.done()
	if err != nil {
		return paramUsage(err)
	}
	var buf bytes.Buffer
	if err := write(&buf, r); err != nil {
		return err
	}
	dest, err := writeReport(env, *out, buf.Bytes())
	if err != nil {
		return err
	}
	suppressed := 0
	for _, c := range r.Cells {
		if c.Suppressed {
			suppressed++
		}
	}
	fmt.Fprintf(env.Stderr, "%s report %s..%s: %d events replayed in %s (%.0f events/s), %d cells (%d suppressed) → %s\n",
		kind, r.Meta.From, r.Meta.To, st.Events, st.Duration.Round(time.Millisecond), float64(st.Events)/st.Duration.Seconds(), len(r.Cells), suppressed, dest)
	return nil
}

func reportWriter(format string) (func(io.Writer, reports.Report) error, error) {
	switch format {
	case "json":
		return reports.WriteJSON, nil
	case "csv":
		return reports.WriteCSV, nil
	case "xlsx":
		return reports.WriteXLSX, nil
	}
	return nil, usageError{Msg: "--format must be json, csv or xlsx"}
}

// paramUsage turns a report parameter error into bad usage (exit 2).
func paramUsage(err error) error {
	var pe *reports.ParamError
	if errors.As(err, &pe) {
		return usageError{Msg: "--" + pe.Param + ": " + pe.Message}
	}
	return err
}

// writeReport writes a rendered report to the file out, or to stdout when
// out is empty, and says where it went (for the summary on stderr).
func writeReport(env *cliEnv, out string, report []byte) (string, error) {
	if out == "" {
		_, err := env.Stdout.Write(report)
		return "stdout", err
	}
	// The file is readable by others (0644) as before: every report holds
	// aggregates or rows without identity, never personal data.
	if err := os.WriteFile(out, report, 0o644); err != nil { // #nosec G306 G703 -- the operator names the output file; reports carry no identity
		return "", err
	}
	return out, nil
}

// parseInstant reads an RFC 3339 instant or a day; a day means its end
// when endOfDay (as-of: everything recorded that day) else its start.
func parseInstant(s string, endOfDay bool) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.UTC(), nil
	}
	d, err := domain.ParseDate(s)
	if err != nil {
		return time.Time{}, errors.New("want an RFC 3339 instant or YYYY-MM-DD")
	}
	if endOfDay {
		return d.Time().Add(24*time.Hour - time.Nanosecond), nil
	}
	return d.Time(), nil
}

// runNotCarriedOut writes the quarter's decisions not carried out within
// three months (for IVO and the board): one row each, no identity.
func runNotCarriedOut(ctx context.Context, env *cliEnv, sf *storeFlags, quarter string, p reports.Params, format, out string) error {
	write := reports.WriteNotCarriedJSON
	switch format {
	case "json":
	case "csv":
		write = reports.WriteNotCarriedCSV
	default:
		return usageError{Msg: "--format must be json or csv for not-carried-out"}
	}
	if _, _, err := reports.Quarter(quarter); err != nil {
		return paramUsage(err)
	}
	backend, err := sf.openExisting(ctx, env)
	if err != nil {
		return err
	}
	defer backend.Close()
	r, err := reports.RunNotCarriedOut(ctx, backend.Store, quarter, p.Unit, p.AsOf, p.GeneratedAt, false)
	if err != nil {
		return paramUsage(err)
	}
	var buf bytes.Buffer
	if err := write(&buf, r); err != nil {
		return err
	}
	dest, err := writeReport(env, out, buf.Bytes())
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stderr, "not-carried-out %s: %d decisions → %s\n", quarter, len(r.Rows), dest)
	return nil
}
