package cli

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestProgramExitCodesAndWhereHelpGoes(t *testing.T) {
	p := Program{Name: "prog", Footer: "the footer", Commands: []Command{
		{Name: "ok", Summary: "succeeds", Run: func(context.Context, *Env, []string) error { return nil }},
		{Name: "bad", Summary: "bad usage", Run: func(context.Context, *Env, []string) error { return UsageError{Msg: "--x: want a number"} }},
		{Name: "fail", Summary: "fails", Run: func(context.Context, *Env, []string) error { return errors.New("store unreachable") }},
		{Name: "flags", Summary: "parses flags", Run: func(_ context.Context, env *Env, args []string) error {
			fs := NewFlagSet(env, "prog", "flags", "flags [--n N]")
			fs.Int("n", 1, "a number")
			return Parse(fs, args)
		}},
	}}
	tests := []struct {
		args           []string
		code           int
		stdout, stderr string // substrings; "" = must be empty
	}{
		{nil, 2, "", "usage: prog <command>"},
		{[]string{"--help"}, 0, "the footer", ""},
		{[]string{"-help"}, 0, "usage: prog <command>", ""},
		{[]string{"nope"}, 2, "", `unknown command "nope"`},
		{[]string{"ok"}, 0, "", ""},
		{[]string{"bad"}, 2, "", "prog bad: --x: want a number\n(see prog bad --help)"},
		{[]string{"fail"}, 1, "", "prog fail: store unreachable"},
		{[]string{"flags", "-h"}, 0, "usage: prog flags [--n N]", ""},
		{[]string{"flags", "--n", "x"}, 2, "", "invalid value"},
		{[]string{"flags", "extra"}, 2, "", "unexpected arguments: extra"},
	}
	for _, tt := range tests {
		var out, errOut bytes.Buffer
		code := p.Run(context.Background(), tt.args, &out, &errOut)
		assert.Equal(t, tt.code, code, "%v", tt.args)
		for _, c := range []struct {
			got, want string
		}{{out.String(), tt.stdout}, {errOut.String(), tt.stderr}} {
			if c.want == "" {
				assert.Empty(t, c.got, "%v", tt.args)
			} else {
				assert.Contains(t, c.got, c.want, "%v", tt.args)
			}
		}
	}
}

func TestParseHelpIsErrHelp(t *testing.T) {
	var out, errOut bytes.Buffer
	fs := NewFlagSet(&Env{Stdout: &out, Stderr: &errOut}, "prog", "x", "x")
	assert.ErrorIs(t, Parse(fs, []string{"--help"}), flag.ErrHelp)
	assert.Contains(t, out.String(), "usage: prog x")
	assert.Empty(t, errOut.String())
}
