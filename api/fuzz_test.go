package api

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"github.com/fristad/fristad/domain"
	"github.com/fristad/fristad/projections/reports"
	"github.com/labstack/echo/v4"
)

// FuzzDecodeJSON: the request decoder never panics, and anything it
// refuses is a 400 problem (never a 500) that echoes no input.
func FuzzDecodeJSON(f *testing.F) {
	for _, seed := range []string{
		`{"unit":"vuxen","target_group":"adult_victim","source":"report","received_on":"2026-03-01","subject":{"sex":"female","name":"A"}}`,
		`{"goals":["a","b"],"valid_from":"2026-01-01"}`, `[]`, `{`, `{"a":{"b":[1,2,{"c":null}]}}`, `"\u0000"`, `{"received_on":12}`,
		`{"goal_outcomes":[{"goal":"x","outcome":"fully"}]}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		targets := []func() any{
			func() any { return &domain.OpenCase{} }, func() any { return &domain.FollowUp{} },
			func() any { return &domain.MakeDecision{} }, func() any { return &domain.Correct{} },
			func() any { return &domain.RecordImplementationPlan{} }, func() any { return &domain.OfferPartnerContact{} },
		}
		for _, mk := range targets {
			v := mk()
			err := decodeJSON(body, v)
			if err == nil {
				// A decoded command validates without panicking.
				if c, ok := v.(interface{ Validate() error }); ok {
					var invalid *domain.ValidationError
					if verr := c.Validate(); verr != nil && !errors.As(verr, &invalid) {
						t.Fatalf("validation returned %T", verr)
					}
				}
				continue
			}
			var p *Problem
			if !errors.As(err, &p) || p.Status != 400 {
				t.Fatalf("decode error is not a 400 problem: %v", err)
			}
			for _, fp := range p.Errors {
				if len(fp.Field) > 64 {
					t.Fatalf("field path too long: %q", fp.Field)
				}
			}
		}
	})
}

// FuzzReportParams: any query string for a report is a valid parameter
// set or a 400 problem naming a parameter; never a panic or a 500.
func FuzzReportParams(f *testing.F) {
	for _, seed := range []string{"from=2026-01-01&to=2026-12-31", "year=2026", "from=2026-12-31&to=2026-01-01", "min_cell=0", "format=pdf",
		"as_of=2026-01-01T00:00:00Z", "unit=%3Dcmd", "from=2026-02-30", "year=-1&format=xlsx"} {
		f.Add("mapping", seed)
		f.Add("indicators", seed)
	}
	e := echo.New()
	f.Fuzz(func(t *testing.T, kind, query string) {
		// The query as the server receives it: raw, possibly malformed.
		req := &http.Request{Method: http.MethodGet, URL: &url.URL{Path: "/", RawQuery: query}, Header: http.Header{}}
		c := e.NewContext(req, httptest.NewRecorder())
		_, _, err := reportParams(c, reports.Kind(kind), time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC))
		if err == nil {
			return
		}
		var p *Problem
		if !errors.As(err, &p) || p.Status != 400 {
			t.Fatalf("report parameters gave %v", err)
		}
	})
}
