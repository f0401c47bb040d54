package domain

import (
	"errors"
	"slices"
	"testing"
)

// TestNotFuture: every command that refuses a date after today refuses it
// on its own field, accepts today itself, and checks nothing when the
// server gave no today.
func TestNotFuture(t *testing.T) {
	d := day("2026-03-10")
	cases := []struct {
		name  string
		field string
		cmd   func(today Date) Command
	}{
		{"child views", "heard_on", func(today Date) Command { return RecordChildViews{ChildID: tid(1), HeardOn: d, Today: today} }},
		{"report back", "reported_on", func(today Date) Command {
			return ReportBack{AssignmentID: tid(1), ReportedOn: d, Today: today}
		}},
		{"vacancies", "as_of", func(today Date) Command { return ReportVacancies{AsOf: d, Today: today} }},
		{"provider follow-up", "followed_up_on", func(today Date) Command {
			return FollowUpProvider{FollowedUpOn: d, Today: today}
		}},
		{"case opened on a day", "received_on", func(today Date) Command {
			return OpenCase{Source: SourceReportOfConcern, ReceivedOn: d, Today: today}
		}},
		{"placement basis decided", "decided_on", func(today Date) Command {
			return RecordPlacementBasis{DecidedOn: d, Today: today}
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if !slices.Contains(problemFields(validate(tc.cmd(day("2026-03-09")))), tc.field) {
				t.Errorf("a day after today: no problem on %s", tc.field)
			}
			for _, today := range []Date{d, {}} {
				if slices.Contains(problemFields(validate(tc.cmd(today))), tc.field) {
					t.Errorf("today %v: problem on %s", today, tc.field)
				}
			}
		})
	}
}

func problemFields(err error) []string {
	var ve *ValidationError
	if !errors.As(err, &ve) {
		return nil
	}
	var fs []string
	for _, p := range ve.Problems {
		if p.Message == "must not be in the future" {
			fs = append(fs, p.Field)
		}
	}
	return fs
}
