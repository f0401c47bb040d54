package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
)

// UsageError is bad usage of a command: the binary says so and exits 2.
type UsageError struct{ Msg string }

func (e UsageError) Error() string { return e.Msg }

// Env is what every sub-command gets: its output streams and logger.
type Env struct {
	Stdout, Stderr io.Writer
	Log            *slog.Logger
}

// Command is one sub-command of a binary.
type Command struct {
	Name    string
	Summary string
	Run     func(ctx context.Context, env *Env, args []string) error
}

// Program is a binary made of sub-commands: fristad and fristad-bench.
type Program struct {
	Name     string
	Commands []Command
	// Footer is printed after the list of commands ("" for none).
	Footer string
}

// Main runs the sub-command the process's arguments name, with its
// streams, until SIGINT or SIGTERM cancels it, and exits with its code.
func (p Program) Main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := p.Run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// Run runs the sub-command args[0] with the rest of args and returns the
// exit code: 0 done or help asked for, 1 failed, 2 bad usage. Help asked
// for goes to stdout (it is the answer); help after bad usage goes to
// stderr with the error.
func (p Program) Run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	env := &Env{Stdout: stdout, Stderr: stderr, Log: slog.New(slog.NewJSONHandler(stderr, nil))}
	if len(args) == 0 {
		p.PrintUsage(stderr)
		return 2
	}
	if args[0] == "-h" || args[0] == "--help" || args[0] == "-help" || args[0] == "help" {
		p.PrintUsage(stdout)
		return 0
	}
	for _, c := range p.Commands {
		if c.Name != args[0] {
			continue
		}
		err := c.Run(ctx, env, args[1:])
		var ue UsageError
		switch {
		case err == nil, errors.Is(err, flag.ErrHelp):
			return 0
		case errors.As(err, &ue):
			fmt.Fprintf(stderr, "%s %s: %s\n(see %s %s --help)\n", p.Name, c.Name, ue.Msg, p.Name, c.Name)
			return 2
		default:
			fmt.Fprintf(stderr, "%s %s: %v\n", p.Name, c.Name, err)
			return 1
		}
	}
	fmt.Fprintf(stderr, "%s: unknown command %q\n", p.Name, args[0])
	p.PrintUsage(stderr)
	return 2
}

// PrintUsage lists the commands.
func (p Program) PrintUsage(w io.Writer) {
	fmt.Fprintf(w, "usage: %s <command> [flags]\n\ncommands:\n", p.Name)
	for _, c := range p.Commands {
		fmt.Fprintf(w, "  %-8s %s\n", c.Name, c.Summary)
	}
	if p.Footer != "" {
		fmt.Fprintf(w, "\n%s\n", p.Footer)
	}
}
