package domain

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Dates decode from "YYYY-MM-DD" strings only, whether or not the string
// takes the fast path (no escapes).
func TestDateFromJSON(t *testing.T) {
	tests := []struct {
		in   string
		want Date
		err  bool
	}{
		{in: `"2026-01-02"`, want: NewDate(2026, 1, 2)},
		{in: `"\u0032026-01-02"`, want: NewDate(2026, 1, 2)}, // an escape: the full decoder
		{in: `null`, want: Date{}},
		{in: `"2026-13-01"`, err: true},
		{in: `"2026-1-2"`, err: true},
		{in: `"2026-01-02T00:00:00Z"`, err: true},
		{in: `""`, err: true},
		{in: `20260102`, err: true},
		{in: `"2026-01-02\"x"`, err: true},
		{in: "\"2026-01-02\t\"", err: true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			var d Date
			err := d.UnmarshalJSON([]byte(tt.in))
			if tt.err {
				require.Error(t, err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, d)
			var viaDecoder struct{ D Date }
			require.NoError(t, json.Unmarshal([]byte(`{"D":`+tt.in+`}`), &viaDecoder))
			assert.Equal(t, tt.want, viaDecoder.D)
		})
	}
}
