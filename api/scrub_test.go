package api

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestCutWord(t *testing.T) {
	for _, tc := range []struct{ s, v, want string }{
		{"decision 01J0000000000000000000000A is not granted", "01J0000000000000000000000A", "decision … is not granted"},
		{"2026-12-31 is before from (2026-01-01)", "2026-01-01", "2026-12-31 is before from (…)"},
		{"however it was", "ever", "however it was"},
		{"ever and ever", "ever", "… and …"},
		{"unit vuxen_2 is not vuxen", "vuxen", "unit vuxen_2 is not …"},
		{"x=(a+b)", "(a+b)", "x=…"},
	} {
		assert.Equal(t, tc.want, cutWord(tc.s, tc.v), tc.s)
	}
}
