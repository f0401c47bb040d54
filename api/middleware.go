package api

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"regexp"
	"strings"
	"time"

	"github.com/fristad/fristad/api/auth"
	"github.com/fristad/fristad/eventstore"
	"github.com/labstack/echo/v4"
)

var requestIDRE = regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}$`)

// requestID keeps a client's X-Request-Id when it is harmless, else makes one.
func (s *Server) requestID(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		id := c.Request().Header.Get(echo.HeaderXRequestID)
		if !requestIDRE.MatchString(id) {
			b := make([]byte, 8)
			_, _ = rand.Read(b)
			id = hex.EncodeToString(b)
		}
		c.Response().Header().Set(echo.HeaderXRequestID, id)
		return next(c)
	}
}

// observe logs one structured line per request and records metrics. It
// logs the route template, never the path (ids) or anything from the body:
// request id, method, route, status, latency and user id only.
func (s *Server) observe(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		err := next(c)
		if err != nil {
			c.Error(err)
		}
		route := c.Path()
		if route == "" {
			route = "unmatched"
		}
		status := c.Response().Status
		elapsed := time.Since(start)
		s.metrics.request(c.Request().Method, route, status, elapsed)
		attrs := []any{
			"request_id", c.Response().Header().Get(echo.HeaderXRequestID),
			"method", c.Request().Method, "route", route, "status", status,
			"latency_ms", float64(elapsed.Microseconds()) / 1000,
		}
		if p, ok := c.Get(principalKey).(auth.Principal); ok {
			attrs = append(attrs, "user", p.Sub)
		}
		level := slog.LevelInfo
		if status >= 500 {
			level = slog.LevelError
		}
		s.log.Log(c.Request().Context(), level, "request", attrs...)
		return nil
	}
}

// recoverPanics answers 500 for a bug instead of dropping the connection;
// the panic value is logged by type only, since it may hold personal data.
func (s *Server) recoverPanics(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) (err error) {
		defer func() {
			if r := recover(); r != nil {
				s.log.Error("panic in handler", "route", c.Path(), "panic_type", fmt.Sprintf("%T", r))
				err = errInternal()
			}
		}()
		return next(c)
	}
}

const (
	principalKey = "fristad.principal"
	routeKey     = "fristad.route"
)

// guard authenticates the caller, checks the route's roles and its query
// parameters (route.Query): the one place where role × route is decided. Scope (unit, provider, side) is
// decided per record in policy.go.
func (s *Server) guard(r route) echo.HandlerFunc {
	return func(c echo.Context) error {
		h := c.Request().Header.Get(echo.HeaderAuthorization)
		token, ok := strings.CutPrefix(h, "Bearer ")
		if !ok || token == "" {
			return errUnauthorized()
		}
		s.refreshTokenTTL(c.Request().Context())
		p, err := s.cfg.Verifier.Verify(strings.TrimSpace(token))
		if err != nil {
			s.log.Info("token refused", "route", c.Path(), "reason", tokenReason(err))
			return errUnauthorized()
		}
		c.Set(principalKey, p)
		c.Set(routeKey, r)
		if !p.HasAny(r.Roles...) {
			return errForbidden()
		}
		if problems := checkQuery(r.Query, c.QueryParams()); len(problems) > 0 {
			return errBadRequest("some query parameters are not valid", problems...)
		}
		return r.Handle(s, c, p)
	}
}

// tokenReason keeps the verifier's reason short and free of token bytes.
func tokenReason(err error) string {
	msg := err.Error()
	if i := strings.Index(msg, ": "); i >= 0 {
		msg = msg[i+2:]
	}
	if len(msg) > 120 {
		msg = msg[:120]
	}
	return msg
}

// safeErr describes an internal error for the log by its type and, for
// the store's own typed errors, their (personal-data-free) message.
func safeErr(err error) string {
	var corrupt *eventstore.CorruptError
	if errors.As(err, &corrupt) {
		return corrupt.Error()
	}
	return fmt.Sprintf("%T", errors.Unwrap(err)) + ": " + fmt.Sprintf("%T", err)
}
