package domain

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Given / When / Then for the access review: recorded once, with its note
// sealed under the review's own key; bad commands write nothing.
func TestAccessReviewDecider(t *testing.T) {
	d := AccessReviewDecider()
	id := NewID()
	e1, e2 := NewID(), NewID()
	recorded := []Recorded{{ID: NewID(), Version: 1, Facts: AccessReviewed{Entries: []ID{e1}, Outcome: ReviewJustified, Units: []string{"vuxen"}}}}
	cases := []struct {
		name    string
		given   []Recorded
		when    RecordAccessReview
		then    []Event
		wantErr string // "validation" or a rule
	}{
		{"with a note", nil, RecordAccessReview{Entries: []ID{e1, e2}, Outcome: ReviewToInvestigate, Note: "Utred", Units: []string{"vuxen"}},
			[]Event{{Facts: AccessReviewed{Entries: []ID{e1, e2}, Outcome: ReviewToInvestigate, Units: []string{"vuxen"}}, Personal: ReviewNote{"Utred"}, SealWith: ReviewKey(id)}}, ""},
		{"without a note", nil, RecordAccessReview{Entries: []ID{e1}, Outcome: ReviewJustified, Units: []string{"vuxen"}},
			[]Event{{Facts: AccessReviewed{Entries: []ID{e1}, Outcome: ReviewJustified, Units: []string{"vuxen"}}}}, ""},
		{"twice", recorded, RecordAccessReview{Entries: []ID{e1}, Outcome: ReviewJustified}, nil, "review-exists"},
		{"no entries", nil, RecordAccessReview{Outcome: ReviewJustified}, nil, "validation"},
		{"repeated entry", nil, RecordAccessReview{Entries: []ID{e1, e1}, Outcome: ReviewJustified}, nil, "validation"},
		{"bad entry id", nil, RecordAccessReview{Entries: []ID{"x"}, Outcome: ReviewJustified}, nil, "validation"},
		{"no outcome", nil, RecordAccessReview{Entries: []ID{e1}}, nil, "validation"},
		{"unknown outcome", nil, RecordAccessReview{Entries: []ID{e1}, Outcome: "fine"}, nil, "validation"},
		{"too many entries", nil, RecordAccessReview{Entries: manyIDs(MaxReviewEntries + 1), Outcome: ReviewJustified}, nil, "validation"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := d.Decide(d.Fold(id, tc.given), tc.when)
			switch tc.wantErr {
			case "":
				require.NoError(t, err)
				assert.Equal(t, tc.then, got)
			case "validation":
				var ve *ValidationError
				assert.True(t, errors.As(err, &ve), "got %v", err)
				assert.Empty(t, got)
			default:
				var re *RuleError
				require.True(t, errors.As(err, &re), "got %v", err)
				assert.Equal(t, tc.wantErr, re.Rule)
				assert.Empty(t, got)
			}
		})
	}
}

func manyIDs(n int) []ID {
	out := make([]ID, n)
	for i := range out {
		out[i] = NewID()
	}
	return out
}
