package domain

import (
	"errors"
	"fmt"
	"strings"
)

// RuleError is a command refused because it would break a domain rule, e.g.
// a placement without a granted housing decision. Rule is a stable id that
// clients may branch on (the API turns it into a problem type, HTTP 422).
type RuleError struct {
	Rule   string
	Detail string
}

func (e *RuleError) Error() string { return "domain rule " + e.Rule + ": " + e.Detail }

// ruleErr is shorthand for deciders.
func ruleErr(rule, format string, args ...any) error {
	return &RuleError{Rule: rule, Detail: fmt.Sprintf(format, args...)}
}

// FieldProblem is one invalid field of a command, by its JSON path.
type FieldProblem struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// ValidationError lists every invalid field of a command (HTTP 400).
type ValidationError struct {
	Problems []FieldProblem
}

func (e *ValidationError) Error() string {
	parts := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		parts[i] = p.Field + ": " + p.Message
	}
	return "invalid command: " + strings.Join(parts, "; ")
}

// problems collects field problems while a command is validated.
type problems []FieldProblem

func (p *problems) add(field, format string, args ...any) {
	*p = append(*p, FieldProblem{Field: field, Message: fmt.Sprintf(format, args...)})
}

// err returns nil when nothing was added.
func (p problems) err() error {
	if len(p) == 0 {
		return nil
	}
	return &ValidationError{Problems: p}
}

// UnknownEventError is an event type no registry entry knows.
type UnknownEventError struct{ Name string }

func (e *UnknownEventError) Error() string { return "unknown event type " + fmt.Sprintf("%q", e.Name) }

// SchemaError is a stored event whose facts cannot be read as its type.
type SchemaError struct {
	Name   string
	Schema int
	Reason string
}

func (e *SchemaError) Error() string {
	return fmt.Sprintf("event %s/v%d: %s", e.Name, e.Schema, e.Reason)
}

// ErrUnknownCommand is a command the decider does not handle.
var ErrUnknownCommand = errors.New("unknown command")

// ErrWrongAggregate is an event folded into an aggregate it does not belong to.
var ErrWrongAggregate = errors.New("event belongs to another aggregate")
