// Package api is fristad's HTTP API (Echo v4, JSON under /api/v1). This
// first cut serves the operational endpoints; the case routes of API.md
// build on it.
package api

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
)

// Config configures the API server.
type Config struct {
	// Ready reports whether the service can take traffic (the store
	// answers; later also: projections caught up).
	Ready  func(ctx context.Context) error
	Logger *slog.Logger
}

// Server is the HTTP API.
type Server struct {
	echo *echo.Echo
	cfg  Config
}

// New validates cfg and builds the routes.
func New(cfg Config) (*Server, error) {
	if cfg.Ready == nil {
		return nil, errors.New("api: a readiness check is required")
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	s := &Server{echo: e, cfg: cfg}
	e.GET("/healthz", s.healthz)
	e.GET("/readyz", s.readyz)
	return s, nil
}

// Handler is the server as an http.Handler.
func (s *Server) Handler() http.Handler { return s.echo }

func (s *Server) healthz(c echo.Context) error {
	return c.JSON(http.StatusOK, map[string]string{"status": "ok"})
}

func (s *Server) readyz(c echo.Context) error {
	ctx, cancel := context.WithTimeout(c.Request().Context(), 2*time.Second)
	defer cancel()
	if err := s.cfg.Ready(ctx); err != nil {
		s.cfg.Logger.Warn("not ready", "err", err)
		c.Response().Header().Set(echo.HeaderContentType, "application/problem+json")
		return c.JSON(http.StatusServiceUnavailable, map[string]any{
			"type":   "https://fristad.example/problems/not-ready",
			"title":  "Service not ready",
			"status": http.StatusServiceUnavailable,
		})
	}
	return c.JSON(http.StatusOK, map[string]string{"status": "ready"})
}
