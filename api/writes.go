package api

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // "today" is a Swedish calendar date on any host

	"github.com/fristad/fristad/api/auth"
	"github.com/fristad/fristad/domain"
	"github.com/fristad/fristad/eventstore"
	"github.com/labstack/echo/v4"
)

var stockholm, _ = time.LoadLocation("Europe/Stockholm")

// today is the calendar date in Sweden, which decisions and deadlines use.
func (s *Server) today() domain.Date {
	y, m, d := s.now().In(stockholm).Date()
	return domain.NewDate(y, m, d)
}

// writeResponse is what every write returns (API.md).
type writeResponse struct {
	ID      domain.ID `json:"id" required:"true"`
	Version uint64    `json:"version" required:"true"`
	Seq     uint64    `json:"seq" required:"true"`
}

var idemKeyRE = regexp.MustCompile(`^[\x21-\x7e]{1,200}$`)

// writeOptions reads If-Match and Idempotency-Key. The command id is
// scoped to the user, the route and the records named in the path (API.md),
// so two users' keys never collide, and one key cannot replay another
// route's or another record's result. The fingerprint is the decoded body
// (bodyFingerprint): the same key with another body is refused with 422
// idempotency-key-reused by the store, never answered with the first result.
func (s *Server) writeOptions(c echo.Context, p auth.Principal, part string) (eventstore.ExecOptions, error) {
	opt := eventstore.ExecOptions{AppendOptions: eventstore.AppendOptions{Actor: p.Sub, Now: s.now()}}
	if v := c.Request().Header.Get("If-Match"); v != "" {
		n, err := strconv.ParseUint(strings.Trim(strings.TrimPrefix(strings.TrimSpace(v), "W/"), `"`), 10, 64)
		if err != nil {
			return opt, errBadRequest("If-Match must be a version, e.g. \"3\"", domain.FieldProblem{Field: "If-Match", Message: "not a version"})
		}
		opt.ExpectVersion = &n
	}
	if k := c.Request().Header.Get("Idempotency-Key"); k != "" {
		if !idemKeyRE.MatchString(k) {
			return opt, errBadRequest("Idempotency-Key must be 1-200 printable ASCII characters", domain.FieldProblem{Field: "Idempotency-Key", Message: "invalid"})
		}
		scope := sha256.New()
		for _, s := range []string{p.Sub, c.Request().Method, c.Path(), k, part} {
			scope.Write([]byte(s))
			scope.Write([]byte{0})
		}
		// The records in the path: /cases/A/notes and /cases/B/notes are
		// two scopes (the values are canonical ULIDs by now: pathID).
		names, values := c.ParamNames(), c.ParamValues()
		for i := range names {
			if i < len(values) {
				scope.Write([]byte(names[i] + "=" + values[i]))
				scope.Write([]byte{0})
			}
		}
		opt.CommandID = "idem2-" + hex.EncodeToString(scope.Sum(nil)[:24])
		opt.Fingerprint, _ = c.Get(fingerprintKey).(string)
	}
	return opt, nil
}

// execute runs one command through its decider and the store.
func (s *Server) execute(c echo.Context, kind domain.Kind, id domain.ID, cmd domain.Command, opt eventstore.ExecOptions) (eventstore.Result, error) {
	ctx := c.Request().Context()
	if err := s.checkUnit(ctx, cmd); err != nil {
		return eventstore.Result{}, err
	}
	start := time.Now()
	var res eventstore.Result
	var err error
	switch kind {
	case domain.KindPerson:
		res, err = eventstore.Execute(ctx, s.store, s.persons, id, cmd, opt)
	case domain.KindCase:
		res, err = eventstore.Execute(ctx, s.store, s.cases, id, cmd, opt)
	case domain.KindPartnerContact:
		res, err = eventstore.Execute(ctx, s.store, s.contacts, id, cmd, opt)
	case domain.KindSettings:
		res, err = eventstore.Execute(ctx, s.store, domain.SettingsDecider(), id, cmd, opt)
	case domain.KindDelegation:
		res, err = eventstore.Execute(ctx, s.store, s.delegation, id, cmd, opt)
	case domain.KindProvider:
		res, err = eventstore.Execute(ctx, s.store, s.shelters, id, cmd, opt)
	default:
		return res, fmt.Errorf("api: unknown kind %s", kind)
	}
	s.metrics.appends.WithLabelValues(metricsKind(kind)).Observe(time.Since(start).Seconds())
	if err != nil {
		s.metrics.conflict(kind, err)
	}
	return res, err
}

// write runs cmd with the request's write options; part scopes the
// Idempotency-Key within the route (writeOptions).
func (s *Server) write(c echo.Context, p auth.Principal, part string, kind domain.Kind, id domain.ID, cmd domain.Command) (eventstore.Result, error) {
	opt, err := s.writeOptions(c, p, part)
	if err != nil {
		return eventstore.Result{}, err
	}
	return s.execute(c, kind, id, cmd, opt)
}

// writeAndRespond runs cmd as write does and answers with the status its
// route declares (200 where none) and the fields extra derives from the
// result (nil: none): the tail of every table-driven command handler.
func (s *Server) writeAndRespond(c echo.Context, p auth.Principal, kind domain.Kind, id domain.ID, cmd domain.Command, extra func(eventstore.Result) map[string]any) error {
	res, err := s.write(c, p, "", kind, id, cmd)
	if err != nil {
		return err
	}
	status := http.StatusOK
	if r, ok := c.Get(routeKey).(route); ok {
		status = r.Status
	}
	var fields map[string]any
	if extra != nil {
		fields = extra(res)
	}
	return respond(c, status, res, fields)
}

// respond sends a write's result with its ETag and any extra fields.
func respond(c echo.Context, status int, res eventstore.Result, extra map[string]any) error {
	c.Response().Header().Set("ETag", fmt.Sprintf("%q", strconv.FormatUint(res.Version, 10)))
	if len(extra) == 0 {
		return c.JSON(status, writeResponse{ID: res.ID, Version: res.Version, Seq: res.Seq})
	}
	out := map[string]any{"id": res.ID, "version": res.Version, "seq": res.Seq}
	for k, v := range extra {
		out[k] = v
	}
	return c.JSON(status, out)
}

// pathID reads an id from the route; a malformed one is 404 (it names
// nothing that exists), never an echo of the value.
func pathID(c echo.Context, name string) (domain.ID, error) {
	id, err := domain.ParseID(c.Param(name))
	if err != nil {
		return "", errNotFound()
	}
	return id, nil
}

// factsOf finds the facts of type T among a result's events.
func factsOf[T domain.Facts](res eventstore.Result) (T, bool) {
	for _, e := range res.Events {
		if f, ok := e.Facts.(T); ok {
			return f, true
		}
	}
	var zero T
	return zero, false
}
