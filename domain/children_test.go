package domain

import (
	"testing"
	"time"
)

// Reports of concern and their deadlines, Given events / When command /
// Then events or error, on the edges of the calendar in Europe/Stockholm.

// sthlm is an instant given as Stockholm wall-clock time.
func sthlm(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, stockholmZone())
	if err != nil {
		panic(err)
	}
	return t
}

func yes() *bool { b := true; return &b }
func no() *bool  { b := false; return &b }

func reportCmd(at time.Time) OpenCase {
	return OpenCase{Unit: "barn", TargetGroup: ChildWitness, Source: SourceReportOfConcern, PersonID: subject,
		ReporterCategory: ReporterSchool, ReceivedAt: Instant{at}, ConcernsViolence: yes(), Assignee: "anna", Today: day("2026-12-31")}
}

func reportOpened(at time.Time) CaseOpened {
	return CaseOpened{Unit: "barn", TargetGroup: ChildWitness, Source: SourceReportOfConcern, ReceivedOn: DateIn(at, stockholmZone()),
		PersonID: subject, Assignee: "anna", ReporterCategory: ReporterSchool, ReceivedAt: at.UTC(), ConcernsViolence: true}
}

func taskOf(t *testing.T, s Case, kind TaskKind) Task {
	t.Helper()
	for _, task := range CaseTasks(s, CaseTaskRules(), TaskInputs{Periods: DefaultTaskPeriods()}) {
		if task.Kind == kind {
			return task
		}
	}
	t.Fatalf("no %s task", kind)
	return Task{}
}

func TestReportOfConcernDeadlines(t *testing.T) {
	for _, tc := range []struct {
		name           string
		received       time.Time
		receivedOn     string
		protectionDue  string
		preliminaryDue string
	}{
		// 23:50 on a Friday in Stockholm is 21:50 UTC: the same Friday.
		{"received 23:50 on a Friday", sthlm("2026-04-17 23:50"), "2026-04-17", "2026-04-17", "2026-05-04"}, // 1 May (Fri) holiday, then the weekend
		// 00:30 on Saturday in Stockholm is still Friday in UTC: the day is Saturday.
		{"received 00:30 on a Saturday (Friday in UTC)", sthlm("2026-04-18 00:30"), "2026-04-18", "2026-04-18", "2026-05-04"},
		{"the 14th day is Ascension Day (Thursday)", sthlm("2026-04-30 10:00"), "2026-04-30", "2026-04-30", "2026-05-15"},
		{"the 14th day is midsummer eve", sthlm("2026-06-05 10:00"), "2026-06-05", "2026-06-05", "2026-06-22"},
		{"the 14th day is Christmas eve", sthlm("2026-12-10 10:00"), "2026-12-10", "2026-12-10", "2026-12-28"},
		{"the 14th day is a plain Tuesday", sthlm("2026-03-03 10:00"), "2026-03-03", "2026-03-03", "2026-03-17"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := caseGiven(t).when(reportCmd(tc.received)).thenFacts(reportOpened(tc.received))
			s := r.after()
			if s.ReceivedOn != day(tc.receivedOn) {
				t.Fatalf("received on %s, want %s", s.ReceivedOn, tc.receivedOn)
			}
			if got := taskOf(t, s, TaskProtectionAssessment); got.DueOn != day(tc.protectionDue) || got.Done || !got.Urgent {
				t.Fatalf("protection task %+v, want due %s", got, tc.protectionDue)
			}
			if got := taskOf(t, s, TaskPreliminaryAssessment); got.DueOn != day(tc.preliminaryDue) || got.Done {
				t.Fatalf("preliminary task %+v, want due %s", got, tc.preliminaryDue)
			}
		})
	}
}

func TestProtectionAssessmentSameDayInStockholm(t *testing.T) {
	received := sthlm("2026-04-17 23:50")
	for _, tc := range []struct {
		name    string
		at      time.Time
		doneOn  string
		sameDay bool
	}{
		{"five minutes later, still Friday", sthlm("2026-04-17 23:55"), "2026-04-17", true},
		// 00:10 on Saturday in Stockholm is 22:10 UTC on Friday: a UTC
		// calendar would call it the same day.
		{"twenty minutes later, Saturday in Stockholm", sthlm("2026-04-18 00:10"), "2026-04-18", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cmd := AssessProtection{AssessedAt: Instant{tc.at}, ImmediateProtection: no(), Summary: "Inget akut skyddsbehov", Now: tc.at}
			r := caseGiven(t, reportOpened(received)).when(cmd).then(Event{
				Facts:    ProtectionAssessed{AssessedAt: tc.at.UTC(), AssessedOn: day(tc.doneOn)},
				Personal: SummaryText{"Inget akut skyddsbehov"}, SealWith: subjKey,
			})
			task := taskOf(t, r.after(), TaskProtectionAssessment)
			if !task.Done || task.DoneOn != day(tc.doneOn) || task.Late() == tc.sameDay {
				t.Fatalf("task %+v: want done on %s, late %v", task, tc.doneOn, !tc.sameDay)
			}
		})
	}
	at := sthlm("2026-04-18 09:00")
	cmd := AssessProtection{AssessedAt: Instant{at}, ImmediateProtection: yes(), Summary: "x", Now: at}
	t.Run("only on a report of concern", func(t *testing.T) { caseGiven(t, opened).when(cmd).thenRule("not-a-report-of-concern") })
	t.Run("once", func(t *testing.T) {
		caseGiven(t, reportOpened(received), ProtectionAssessed{AssessedAt: at, AssessedOn: day("2026-04-18")}).when(cmd).thenRule("protection-assessment-done")
	})
	t.Run("not before the report came in", func(t *testing.T) {
		c := cmd
		c.AssessedAt = Instant{received.Add(-time.Minute)}
		caseGiven(t, reportOpened(received)).when(c).thenRule("assessed-before-received")
	})
	t.Run("not in the future, with a verdict and a summary", func(t *testing.T) {
		c := AssessProtection{AssessedAt: Instant{at.Add(time.Hour)}, Now: at}
		caseGiven(t, reportOpened(received)).when(c).thenInvalid("assessed_at", "immediate_protection", "summary")
	})
}

func TestReportOfConcernIntakeRules(t *testing.T) {
	at := sthlm("2026-04-17 23:50")
	for _, tc := range []struct {
		name   string
		change func(*OpenCase)
		fields []string
	}{
		{"reporter, time and violence are required", func(c *OpenCase) { c.ReporterCategory, c.ReceivedAt, c.ConcernsViolence = "", Instant{}, nil },
			[]string{"reporter_category", "received_at", "received_on", "concerns_violence"}},
		{"an unknown reporter", func(c *OpenCase) { c.ReporterCategory = "neighbour" }, []string{"reporter_category"}},
		{"about a child", func(c *OpenCase) { c.TargetGroup = AdultVictim }, []string{"target_group"}},
		{"received_on must agree with received_at in Stockholm", func(c *OpenCase) { c.ReceivedOn = day("2026-04-18") }, []string{"received_on"}},
		{"not in the future", func(c *OpenCase) { c.Today = day("2026-04-16") }, []string{"received_at"}},
		{"report fields only on a report of concern", func(c *OpenCase) {
			c.Source = SourceApplication
			c.TargetGroup = AdultVictim
			c.ReceivedOn = day("2026-04-17")
		},
			[]string{"reporter_category", "received_at", "concerns_violence"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := reportCmd(at)
			tc.change(&c)
			caseGiven(t).when(c).thenInvalid(tc.fields...)
		})
	}
	t.Run("received_on may be given when it agrees", func(t *testing.T) {
		c := reportCmd(at)
		c.ReceivedOn = day("2026-04-17")
		caseGiven(t).when(c).thenFacts(reportOpened(at))
	})
	t.Run("an old intake without the new fields still opens", func(t *testing.T) {
		s := caseGiven(t, opened).state()
		if s.IsReportOfConcern() || s.ChildDeadlines() || len(CaseTasks(s, CaseTaskRules(), TaskInputs{})) != 0 {
			t.Fatalf("an adult's application got children's deadlines: %+v", s.Report)
		}
	})
}

func TestInvestigationDeadline(t *testing.T) {
	received := sthlm("2026-10-20 10:00")
	for _, tc := range []struct{ opened, due string }{
		{"2026-10-31", "2027-03-01"}, // 28 Feb 2027 is a Sunday
		{"2027-10-31", "2028-02-29"}, // a leap year: the month's last day, a Tuesday
		{"2026-06-30", "2026-10-30"},
		{"2026-08-29", "2026-12-29"},
	} {
		t.Run("opened "+tc.opened, func(t *testing.T) {
			s := caseGiven(t, reportOpened(received), PreliminaryAssessed{Decision: PrelimOpenInvestigation, AssessedOn: day(tc.opened)},
				InvestigationOpened{OpenedOn: day(tc.opened)}).state()
			if got := taskOf(t, s, TaskInvestigation); got.DueOn != day(tc.due) || got.Done {
				t.Fatalf("investigation task %+v, want due %s", got, tc.due)
			}
		})
	}
	base := []any{reportOpened(received), PreliminaryAssessed{Decision: PrelimOpenInvestigation, AssessedOn: day("2026-10-31")},
		InvestigationOpened{OpenedOn: day("2026-10-31")}}
	t.Run("an extension with reasons moves the deadline", func(t *testing.T) {
		cmd := ExtendInvestigation{Until: day("2027-04-30"), Reasons: "Väntar på BBIC-utlåtande", Today: day("2027-02-20")}
		r := caseGiven(t, base...).when(cmd).then(Event{Facts: InvestigationExtended{Until: day("2027-04-30"), DecidedOn: day("2027-02-20")},
			Personal: ExtensionReasons{"Väntar på BBIC-utlåtande"}, SealWith: subjKey})
		if got := taskOf(t, r.after(), TaskInvestigation); got.DueOn != day("2027-04-30") {
			t.Fatalf("extended task %+v", got)
		}
	})
	t.Run("an extension must go beyond the deadline", func(t *testing.T) {
		caseGiven(t, base...).when(ExtendInvestigation{Until: day("2027-03-01"), Reasons: "x", Today: day("2027-02-20")}).thenRule("extension-not-after-deadline")
	})
	t.Run("reasons are required", func(t *testing.T) {
		caseGiven(t, base...).when(ExtendInvestigation{Until: day("2027-04-30"), Today: day("2027-02-20")}).thenInvalid("reasons")
	})
	t.Run("no investigation, no extension", func(t *testing.T) {
		caseGiven(t, reportOpened(received)).when(ExtendInvestigation{Until: day("2027-04-30"), Reasons: "x", Today: day("2027-02-20")}).thenRule("no-child-investigation")
	})
	t.Run("a decision ends the investigation", func(t *testing.T) {
		d := DecisionMade{DecisionID: tid(5), SupportType: SupportChild, Outcome: OutcomeGranted, GoalCount: 1, ValidFrom: day("2027-01-15")}
		s := caseGiven(t, append(base, d)...).state()
		if got := taskOf(t, s, TaskInvestigation); !got.Done || got.DoneOn != day("2027-01-15") {
			t.Fatalf("task %+v", got)
		}
		caseGiven(t, append(base, d)...).when(ExtendInvestigation{Until: day("2027-04-30"), Reasons: "x", Today: day("2027-02-20")}).thenRule("investigation-finished")
	})
	t.Run("the preliminary assessment is done by its event", func(t *testing.T) {
		if got := taskOf(t, caseGiven(t, base...).state(), TaskPreliminaryAssessment); !got.Done || got.DoneOn != day("2026-10-31") || got.DueOn != day("2026-11-03") || got.Late() {
			t.Fatalf("task %+v: want done in time on 2026-10-31, due 2026-11-03", got)
		}
	})
}

// TestOldEventsStillDecode: events written before reports of concern and
// children on safety plans decode as they were, with the new fields empty.
func TestOldEventsStillDecode(t *testing.T) {
	reg := Events()
	f, err := reg.DecodeFacts("case.opened", 1, []byte(`{"unit":"vuxen","target_group":"adult_victim","source":"report","received_on":"2024-05-02","person_id":"01J00000000000000000000101","assignee":"anna","special_needs":null}`))
	if err != nil {
		t.Fatal(err)
	}
	if o := f.(CaseOpened); o.Source != SourceReport || !o.ReceivedAt.IsZero() || o.ReporterCategory != "" || o.ConcernsViolence {
		t.Fatalf("old intake decoded as %+v", o)
	}
	f, err = reg.DecodeFacts("case.safety_planned", 1, []byte(`{"for":"child","occasion":"move_in","made_on":"2024-05-02"}`))
	if err != nil || f.(SafetyPlanned).ChildID != "" {
		t.Fatalf("old safety plan: %+v %v", f, err)
	}
}
