package api

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/fristad/fristad/domain"
	"github.com/fristad/fristad/eventstore"
	"github.com/labstack/echo/v4"
)

// ProblemBase prefixes every problem type (RFC 9457). The types are stable:
// clients branch on them.
const ProblemBase = "https://fristad.example/problems/"

// Problem is an RFC 9457 problem detail. It never carries a stack trace,
// an internal error text or personal data.
type Problem struct {
	Type           string                `json:"type"`
	Title          string                `json:"title"`
	Status         int                   `json:"status"`
	Detail         string                `json:"detail,omitempty"`
	Errors         []domain.FieldProblem `json:"errors,omitempty"`
	Rule           string                `json:"rule,omitempty"`
	CurrentVersion *uint64               `json:"current_version,omitempty"`
}

func (p *Problem) Error() string { return fmt.Sprintf("%d %s", p.Status, p.Type) }

func newProblem(status int, typ, title, detail string) *Problem {
	return &Problem{Type: ProblemBase + typ, Title: title, Status: status, Detail: detail}
}

// Problems the handlers return.
func errBadRequest(detail string, fields ...domain.FieldProblem) *Problem {
	p := newProblem(http.StatusBadRequest, "validation", "The request is not valid", detail)
	p.Errors = fields
	return p
}
func errUnauthorized() *Problem {
	return newProblem(http.StatusUnauthorized, "unauthorized", "Authentication required", "send a valid bearer token")
}
func errForbidden() *Problem {
	return newProblem(http.StatusForbidden, "forbidden", "Not allowed", "your role does not allow this")
}
func errNotFound() *Problem {
	return newProblem(http.StatusNotFound, "not-found", "Not found", "")
}
func errUnavailable(detail string) *Problem {
	return newProblem(http.StatusServiceUnavailable, "unavailable", "Service unavailable", detail)
}
func errInternal() *Problem {
	return newProblem(http.StatusInternalServerError, "internal", "Internal error", "the error was logged")
}

// problemFor maps an error from the domain or the store to a problem.
// Errors it does not know become a 500 without detail; the caller logs them.
func problemFor(err error) *Problem {
	var (
		p        *Problem
		invalid  *domain.ValidationError
		rule     *domain.RuleError
		denied   *domain.NotEntitledError
		mismatch *eventstore.VersionMismatchError
		conflict *eventstore.ConflictError
		bad      *eventstore.InvalidError
		httpErr  *echo.HTTPError
	)
	switch {
	case errors.As(err, &p):
		return p
	case errors.As(err, &invalid):
		return errBadRequest("some fields are not valid", invalid.Problems...)
	case errors.As(err, &denied):
		return newProblem(http.StatusForbidden, "not-entitled", "Not allowed", denied.Detail)
	case errors.As(err, &rule):
		if rule.Rule == "not-found" {
			return errNotFound()
		}
		q := newProblem(http.StatusUnprocessableEntity, "rule/"+rule.Rule, "The command breaks a rule", rule.Detail)
		q.Rule = rule.Rule
		return q
	case errors.As(err, &mismatch):
		q := newProblem(http.StatusPreconditionFailed, "version-mismatch", "The record has changed",
			fmt.Sprintf("If-Match named version %d; the record is at version %d", mismatch.Expected, mismatch.Current))
		v := mismatch.Current
		q.CurrentVersion = &v
		return q
	case errors.As(err, &conflict):
		return newProblem(http.StatusConflict, "version-conflict", "Another write came first", "reload the record and try again")
	case errors.As(err, &bad):
		return errBadRequest(bad.Reason)
	case errors.As(err, &httpErr):
		return echoProblem(httpErr)
	}
	return errInternal()
}

func echoProblem(e *echo.HTTPError) *Problem {
	switch e.Code {
	case http.StatusNotFound:
		return errNotFound()
	case http.StatusMethodNotAllowed:
		return newProblem(e.Code, "method-not-allowed", "Method not allowed", "")
	case http.StatusRequestEntityTooLarge:
		return errTooLarge()
	case http.StatusUnsupportedMediaType:
		return errMediaType()
	case http.StatusUnauthorized:
		return errUnauthorized()
	case http.StatusServiceUnavailable:
		return errUnavailable("")
	}
	if e.Code >= 400 && e.Code < 500 {
		return newProblem(e.Code, strings.ToLower(strings.ReplaceAll(http.StatusText(e.Code), " ", "-")), http.StatusText(e.Code), "")
	}
	return errInternal()
}

func errTooLarge() *Problem {
	return newProblem(http.StatusRequestEntityTooLarge, "too-large", "Request body too large", "the limit is 1 MiB")
}

func errMediaType() *Problem {
	return newProblem(http.StatusUnsupportedMediaType, "unsupported-media-type", "Unsupported media type", "send Content-Type: application/json")
}

// writeProblem sends a problem as application/problem+json.
func writeProblem(c echo.Context, p *Problem) error {
	c.Response().Header().Set(echo.HeaderContentType, "application/problem+json")
	return c.JSON(p.Status, p)
}
