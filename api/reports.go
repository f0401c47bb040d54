package api

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/fristad/fristad/api/auth"
	"github.com/fristad/fristad/api/policy"
	"github.com/fristad/fristad/domain"
	"github.com/fristad/fristad/projections/reports"
	"github.com/labstack/echo/v4"
)

// report serves one of the three reports, computed by replaying the event
// stream (never from the live projections). Reports hold aggregates only;
// a statistician reaches no personal data by any route. A supervisor
// reports on their own units.
func report(kind reports.Kind) func(*Server, echo.Context, auth.Principal) error {
	return func(s *Server, c echo.Context, p auth.Principal) error {
		params, format, err := reportParams(c, kind, s.now())
		if err != nil {
			return err
		}
		allowed := policy.Report(p, params.Unit)
		if kind == reports.Providers {
			allowed = policy.ProvidersReport(p, params.Unit)
		}
		if !allowed {
			return newProblem(http.StatusForbidden, "forbidden", "Not allowed", "supervisors report on one of their own units: set unit")
		}
		settings, err := s.store.Settings(c.Request().Context())
		if err != nil {
			return err
		}
		if !s.reports.enter(settings.Values.ReportConcurrency) {
			c.Response().Header().Set("Retry-After", reportRetryAfterHeader)
			return errReportsBusy()
		}
		defer s.reports.leave()
		if s.reportStarted != nil {
			s.reportStarted() // tests: hold a report in flight
		}
		r, _, err := reports.Run(c.Request().Context(), s.store, params, nil)
		var pe *reports.ParamError
		if errors.As(err, &pe) {
			return errBadRequest(pe.Message, domain.FieldProblem{Field: queryName(pe.Param), Message: pe.Message})
		}
		if err != nil {
			return err
		}
		var buf bytes.Buffer
		var write func(io.Writer, reports.Report) error
		contentType := "application/json"
		switch format {
		case "json":
			write = reports.WriteJSON
		case "csv":
			write, contentType = reports.WriteCSV, "text/csv; charset=utf-8"
		case "xlsx":
			write, contentType = reports.WriteXLSX, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
		}
		if err := write(&buf, r); err != nil {
			return err
		}
		if format != "json" {
			name := fmt.Sprintf("fristad-%s-%s-%s.%s", kind, r.Meta.From, r.Meta.To, format)
			c.Response().Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
		}
		return c.Blob(http.StatusOK, contentType, buf.Bytes())
	}
}

// queryName maps a report parameter to its query parameter.
func queryName(param string) string { return strings.ReplaceAll(param, "-", "_") }

func reportParams(c echo.Context, kind reports.Kind, now time.Time) (reports.Params, string, error) {
	p := reports.Params{Report: kind, MinCell: reports.DefaultMinCell, GeneratedAt: now.UTC().Truncate(time.Second)}
	var problems []domain.FieldProblem
	bad := func(field, msg string) { problems = append(problems, domain.FieldProblem{Field: field, Message: msg}) }
	for name := range c.QueryParams() {
		switch name {
		case "from", "to", "unit", "format", "year", "as_of", "min_cell":
		default:
			bad(name, "unknown parameter")
		}
	}
	date := func(name string) domain.Date {
		v := c.QueryParam(name)
		if v == "" {
			return domain.Date{}
		}
		d, err := domain.ParseDate(v)
		if err != nil {
			bad(name, "must be a date YYYY-MM-DD")
		}
		return d
	}
	p.From, p.To, p.Unit = date("from"), date("to"), c.QueryParam("unit")
	if v := c.QueryParam("year"); v != "" {
		y, err := strconv.Atoi(v)
		if err != nil {
			bad("year", "must be a year")
		}
		p.Year = y
	}
	if v := c.QueryParam("min_cell"); v != "" {
		k, err := strconv.Atoi(v)
		if err != nil {
			bad("min_cell", "must be an integer")
		}
		p.MinCell = k
	}
	if v := c.QueryParam("as_of"); v != "" {
		t, err := time.Parse(time.RFC3339, v)
		if err != nil {
			bad("as_of", "must be an RFC 3339 instant")
		}
		p.AsOf = t.UTC()
	}
	format := c.QueryParam("format")
	switch format {
	case "":
		format = "json"
	case "json", "csv", "xlsx":
	default:
		bad("format", "must be json, csv or xlsx")
	}
	if len(problems) > 0 {
		return p, "", errBadRequest("some query parameters are not valid", problems...)
	}
	if err := p.Validate(); err != nil {
		var pe *reports.ParamError
		if errors.As(err, &pe) {
			return p, "", errBadRequest(pe.Message, domain.FieldProblem{Field: queryName(pe.Param), Message: pe.Message})
		}
		return p, "", err
	}
	return p, format, nil
}
