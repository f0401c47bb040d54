package cli

import (
	"flag"
	"fmt"
	"io"
	"strings"
)

// NewFlagSet makes a sub-command's flag set that reports errors instead of
// exiting, so the exit code convention (2 for bad usage) holds. Asked for
// with -h or --help, the usage goes to stdout (it is the answer, exit 0);
// after a bad flag it goes to stderr with the error (exit 2).
func NewFlagSet(env *Env, program, name, synopsis string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: %s %s\n\n", program, synopsis)
		fs.PrintDefaults()
	}
	h := &helpFlag{out: env.Stdout}
	fs.Var(h, "h", "print this help")
	fs.Var(h, "help", "print this help")
	return fs
}

// helpFlag is -h/--help: it records that help was asked for, so that Parse
// prints the usage to stdout instead of the flag package to stderr.
type helpFlag struct {
	set bool
	out io.Writer
}

func (h *helpFlag) String() string   { return "" }
func (h *helpFlag) IsBoolFlag() bool { return true }
func (h *helpFlag) Set(v string) error {
	h.set = v != "false"
	return nil
}

// Parse parses args; the flag package has already printed the usage when
// it returns an error, so a flag error becomes a short UsageError.
func Parse(fs *flag.FlagSet, args []string) error {
	err := fs.Parse(args)
	if f := fs.Lookup("help"); f != nil {
		if h, ok := f.Value.(*helpFlag); ok && h.set && err == nil {
			fs.SetOutput(h.out)
			fs.Usage()
			return flag.ErrHelp
		}
	}
	switch {
	case err == flag.ErrHelp:
		return err
	case err != nil:
		return UsageError{err.Error()}
	case fs.NArg() > 0:
		return UsageError{"unexpected arguments: " + strings.Join(fs.Args(), " ")}
	}
	return nil
}
