package api

import (
	"errors"
	"testing"

	"github.com/fristad/fristad/domain"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestStrictJSON: each form API.md forbids is refused with every bad
// field named, an unknown member by its parent's path and never by its
// name; a valid body decodes.
func TestStrictJSON(t *testing.T) {
	for _, tc := range []struct {
		name, body string
		target     func() any
		want       []domain.FieldProblem // nil: decodes
		absent     string
	}{
		{name: "valid", body: `{"text":"x"}`, target: func() any { return &domain.AddNote{} }},
		{name: "name in upper case", body: `{"TEXT":"x"}`, target: func() any { return &domain.AddNote{} },
			want: []domain.FieldProblem{{Field: "(body)", Message: "unknown member"}}, absent: "TEXT"},
		{name: "name in title case", body: `{"Text":"x"}`, target: func() any { return &domain.AddNote{} },
			want: []domain.FieldProblem{{Field: "(body)", Message: "unknown member"}}},
		{name: "duplicate member", body: `{"text":"x","text":"y"}`, target: func() any { return &domain.AddNote{} },
			want: []domain.FieldProblem{{Field: "text", Message: "duplicate member"}}},
		{name: "unknown member nested", body: `{"unit":"vuxen","subject":{"name":"A","19850315-1234":"x"}}`, target: func() any { return &domain.OpenCase{} },
			want: []domain.FieldProblem{{Field: "subject", Message: "unknown member"}}, absent: "19850315"},
		{name: "duplicate in free-form JSON", body: `{"event_id":"01J00000000000000000000000","reason":"r","corrected":{"a":1,"a":2}}`, target: func() any { return &domain.Correct{} },
			want: []domain.FieldProblem{{Field: "corrected", Message: "duplicate member"}}},
		{name: "every bad field", body: `{"unit":1,"target_group":true,"received_on":"2026-02-30","subject":{"birth_year":"x"},"special_needs":"y"}`,
			target: func() any { return &domain.OpenCase{} },
			want: []domain.FieldProblem{{Field: "unit", Message: "must be a string"}, {Field: "target_group", Message: "must be a string"},
				{Field: "received_on", Message: "must be a date YYYY-MM-DD"}, {Field: "subject.birth_year", Message: "must be an integer"},
				{Field: "special_needs", Message: "must be an array"}}},
		{name: "array elements", body: `{"unit":"v","special_needs":["a",2]}`, target: func() any { return &domain.OpenCase{} },
			want: []domain.FieldProblem{{Field: "special_needs[1]", Message: "must be a string"}}},
		{name: "not an object", body: `[1]`, target: func() any { return &domain.AddNote{} },
			want: []domain.FieldProblem{{Field: "(body)", Message: "must be an object"}}},
		{name: "integer overflow", body: `{"subject":{"birth_year":1e40}}`, target: func() any { return &domain.OpenCase{} },
			want: []domain.FieldProblem{{Field: "subject.birth_year", Message: "must be an integer"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := tc.target()
			err := decodeJSON([]byte(tc.body), v)
			if tc.want == nil {
				require.NoError(t, err)
				return
			}
			var p *Problem
			require.True(t, errors.As(err, &p), "%v", err)
			assert.Equal(t, 400, p.Status)
			assert.ElementsMatch(t, tc.want, p.Errors)
			if tc.absent != "" {
				assert.NotContains(t, p.Detail+mustJSON(p.Errors), tc.absent)
			}
		})
	}
	// Invalid UTF-8 anywhere, even in a free-text field, is refused.
	var note domain.AddNote
	err := decodeJSON([]byte("{\"text\":\"a\xc3\x28\"}"), &note)
	var p *Problem
	require.True(t, errors.As(err, &p))
	assert.Equal(t, 400, p.Status)
	assert.Empty(t, note.Text, "nothing decoded")
}
