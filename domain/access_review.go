package domain

import (
	"fmt"
	"slices"
)

// KindAccessReview is a supervisor's review of access-log entries
// (logguppföljning). Each review is its own aggregate of one event, so the
// review itself is on the stream: who reviewed which reads, with what
// outcome, and when.
const KindAccessReview Kind = "access_review"

// ReviewOutcome is what the reviewer concluded about the reads (bedömning).
type ReviewOutcome string

const (
	ReviewJustified     ReviewOutcome = "justified"      // befogad
	ReviewToInvestigate ReviewOutcome = "to_investigate" // ska utredas
)

var reviewOutcomes = newVocabulary[ReviewOutcome](
	ReviewJustified, "Befogad",
	ReviewToInvestigate, "Ska utredas",
)

func (o ReviewOutcome) Valid() bool            { return reviewOutcomes.valid(o) }
func (o ReviewOutcome) Label() string          { return reviewOutcomes.label(o) }
func ReviewOutcomes() []ReviewOutcome          { return reviewOutcomes.values() }
func ReviewKey(review ID) KeyID                { return KeyID("review." + string(review)) }
func (RecordAccessReview) CommandName() string { return "access_review.record" }

// MaxReviewEntries bounds one review.
const MaxReviewEntries = 200

// RecordAccessReview records that access-log entries were reviewed.
type RecordAccessReview struct {
	Entries []ID          `json:"entries"`
	Outcome ReviewOutcome `json:"outcome"`
	Note    string        `json:"note"`
	// Units are the units of the reviewed entries (set by the server,
	// which has checked that they are the reviewer's).
	Units []string `json:"-"`
}

func (c RecordAccessReview) Validate() error {
	var p problems
	switch {
	case len(c.Entries) == 0:
		p.add("entries", "needs at least one value")
	case len(c.Entries) > MaxReviewEntries:
		p.add("entries", "must be between 1 and %d entries", MaxReviewEntries)
	}
	for i, id := range c.Entries {
		if !id.Valid() {
			p.add(index("entries", i), "must be a ULID")
		} else if slices.Contains(c.Entries[:i], id) {
			p.add(index("entries", i), "repeats an id")
		}
	}
	code(&p, "outcome", c.Outcome, true)
	p.text("note", c.Note, maxText, false)
	return p.err()
}

// AccessReviewed: entries of the access log were reviewed. The note is
// sealed (it may name people); the reviewer is the event's actor.
type AccessReviewed struct {
	Entries []ID          `json:"entries"`
	Outcome ReviewOutcome `json:"outcome"`
	Units   []string      `json:"units"`
}

func (AccessReviewed) EventName() string { return "access_review.recorded" }

// ReviewNote is the sealed part of a review.
type ReviewNote struct {
	Note string `json:"note"`
}

// AccessReview is the state of one review.
type AccessReview struct {
	ID     ID
	Exists bool
	AccessReviewed
}

// AccessReviewDecider records reviews; a review is written once.
func AccessReviewDecider() Decider[AccessReview] {
	return Decider[AccessReview]{
		Kind:    KindAccessReview,
		Initial: func(id ID) AccessReview { return AccessReview{ID: id} },
		Decide: func(s AccessReview, cmd Command) ([]Event, error) {
			c, ok := deref(cmd).(RecordAccessReview)
			if !ok {
				return nil, fmt.Errorf("access review: %w %T", ErrUnknownCommand, cmd)
			}
			if err := c.Validate(); err != nil {
				return nil, err
			}
			if s.Exists {
				return nil, ruleErr("review-exists", "review %s is already recorded", s.ID)
			}
			f := AccessReviewed{Entries: slices.Clone(c.Entries), Outcome: c.Outcome, Units: slices.Clone(c.Units)}
			if c.Note == "" {
				return []Event{{Facts: f}}, nil
			}
			return []Event{{Facts: f, Personal: ReviewNote{c.Note}, SealWith: ReviewKey(s.ID)}}, nil
		},
		Evolve: func(s AccessReview, ev Recorded) AccessReview {
			if f, ok := ev.Facts.(AccessReviewed); ok {
				s.Exists, s.AccessReviewed = true, f
			}
			return s
		},
	}
}
