package flagvalue

import (
	"errors"
	"testing"

	"github.com/fristad/fristad/cmd/internal/cli"
	"github.com/fristad/fristad/domain"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestOptionalDate(t *testing.T) {
	day, err := domain.ParseDate("2026-03-01")
	require.NoError(t, err)
	for _, tc := range []struct {
		in      string
		want    domain.Date
		wantErr string
	}{
		{in: "", want: domain.Date{}},
		{in: "2026-03-01", want: day},
		{in: "2026-13-01", wantErr: "--from: want YYYY-MM-DD"},
		{in: "1 mars", wantErr: "--from: want YYYY-MM-DD"},
	} {
		got, err := OptionalDate("from", tc.in)
		if tc.wantErr == "" {
			require.NoError(t, err, tc.in)
			assert.Equal(t, tc.want, got, tc.in)
			continue
		}
		var ue cli.UsageError
		require.True(t, errors.As(err, &ue), "%q is bad usage (exit 2), got %v", tc.in, err)
		assert.Equal(t, tc.wantErr, ue.Msg)
		assert.NotContains(t, ue.Msg, tc.in, "the value is not echoed")
		assert.Equal(t, domain.Date{}, got)
	}
}
