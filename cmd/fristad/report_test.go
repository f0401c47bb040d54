package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/fristad/fristad/domain"
	"github.com/fristad/fristad/eventstore"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func reportArgs(dir, kind, format, out string) []string {
	args := []string{"report", kind, "--dev", "--data-dir", dir, "--format", format, "-o", out, "--generated-at", "2027-01-01T00:00:00Z", "--min-cell", "3"}
	if kind == "indicators" {
		return append(args, "--year", "2025")
	}
	return append(args, "--from", "2025-01-01", "--to", "2025-12-31")
}

// TestReportsAreReproducibleAndReadNoPersonalData: every report in every
// format is byte-identical when run twice, and again after every data key
// has been destroyed (the reports read facts only).
func TestReportsAreReproducibleAndReadNoPersonalData(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	code, _, stderr := runCLI(t, ctx, "seed", "--cases", "150", "--dev", "--data-dir", dir)
	require.Equal(t, 0, code, stderr)

	outputs := func(tag string) map[string][]byte {
		got := map[string][]byte{}
		for _, kind := range []string{"mapping", "follow-up", "indicators", "appeals"} {
			for _, format := range []string{"json", "csv", "xlsx"} {
				out := filepath.Join(t.TempDir(), kind+"."+format)
				code, _, stderr := runCLI(t, ctx, reportArgs(dir, kind, format, out)...)
				require.Equal(t, 0, code, "%s %s: %s", kind, format, stderr)
				assert.Contains(t, stderr, "events replayed")
				b, err := os.ReadFile(out)
				require.NoError(t, err)
				require.NotEmpty(t, b)
				got[kind+"."+format] = b
			}
		}
		return got
	}
	first, second := outputs("first"), outputs("second")
	for name, b := range first {
		assert.Equal(t, b, second[name], "%s is not byte-identical", name)
	}

	// Destroy every data key: persons' and consent documents'.
	b, err := eventstore.OpenBackend(ctx, eventstore.BackendConfig{DataDir: dir, DevKeys: true})
	require.NoError(t, err)
	var keys []domain.KeyID
	_, err = b.Store.Read(ctx, 1, func(e *eventstore.Envelope) error {
		switch e.Aggregate {
		case domain.KindPerson:
			keys = append(keys, domain.PersonKey(e.AggregateID))
		case domain.KindPartnerContact:
			keys = append(keys, domain.ConsentKey(e.AggregateID))
		}
		return nil
	})
	require.NoError(t, err)
	for _, k := range keys {
		require.NoError(t, b.Store.Keys().Destroy(ctx, k))
	}
	b.Close()
	require.NotEmpty(t, keys)
	after := outputs("after shredding")
	for name, b := range first {
		assert.Equal(t, b, after[name], "%s changed after the keys were destroyed", name)
	}
}

func TestReportBadParametersExitTwo(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	code, _, stderr := runCLI(t, ctx, "seed", "--cases", "5", "--dev", "--data-dir", dir)
	require.Equal(t, 0, code, stderr)
	for _, c := range []struct {
		args []string
		says string
	}{
		{[]string{"report"}, "name the report"},
		{[]string{"report", "tables", "--from", "2025-01-01", "--to", "2025-12-31"}, "report"},
		{[]string{"report", "mapping", "--from", "2025-12-31", "--to", "2025-01-01"}, "--to"},
		{[]string{"report", "mapping", "--from", "2025-13-01", "--to", "2025-12-31"}, "--from"},
		{[]string{"report", "mapping", "--from", "2025-01-01"}, "--to"},
		{[]string{"report", "mapping", "--from", "2025-01-01", "--to", "2025-12-31", "--format", "pdf"}, "--format"},
		{[]string{"report", "mapping", "--from", "2025-01-01", "--to", "2025-12-31", "--min-cell", "0"}, "--min-cell"},
		{[]string{"report", "mapping", "--from", "2025-01-01", "--to", "2025-12-31", "--unit", "nowhere"}, "--unit"},
		{[]string{"report", "mapping", "--from", "2025-01-01", "--to", "2025-12-31", "--as-of", "soon"}, "--as-of"},
		{[]string{"report", "indicators", "--year", "1800"}, "--year"},
	} {
		code, _, stderr := runCLI(t, ctx, append(c.args, "--dev", "--data-dir", dir)...)
		assert.Equal(t, 2, code, "%v: %s", c.args, stderr)
		assert.Contains(t, stderr, c.says, "%v", c.args)
	}
}

// A corrected fact counts as corrected in a report run against the store:
// the report refolds a corrected case from its history (the store's Load),
// and later events and events after --as-of stay out of that refold.
func TestReportCountsACorrectionFromTheStore(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	code, _, stderr := runCLI(t, ctx, "seed", "--cases", "60", "--dev", "--data-dir", dir)
	require.Equal(t, 0, code, stderr)

	persons := func(extra ...string) map[string]int {
		out := filepath.Join(t.TempDir(), "mapping.json")
		args := append([]string{"report", "mapping", "--dev", "--data-dir", dir, "--from", "2025-01-01", "--to", "2025-12-31", "--min-cell", "1", "-o", out}, extra...)
		code, _, stderr := runCLI(t, ctx, args...)
		require.Equal(t, 0, code, stderr)
		b, err := os.ReadFile(out)
		require.NoError(t, err)
		var r struct {
			Cells []struct {
				Table string            `json:"table"`
				Dims  map[string]string `json:"dims"`
				Value *int              `json:"value"`
			} `json:"cells"`
		}
		require.NoError(t, json.Unmarshal(b, &r))
		got := map[string]int{}
		for _, c := range r.Cells {
			if c.Table == "persons" && c.Dims["sex"] == "all" && c.Value != nil {
				got[c.Dims["target_group"]] = *c.Value
			}
		}
		return got
	}
	before := persons()

	// An adult victim with one case, active in 2025: its opening is
	// corrected to perpetrator.
	b, err := eventstore.OpenBackend(ctx, eventstore.BackendConfig{DataDir: dir, DevKeys: true})
	require.NoError(t, err)
	dec := domain.CaseDecider()
	histories := map[domain.ID][]domain.Recorded{}
	openedBy := map[domain.ID]domain.ID{}
	_, err = b.Store.Read(ctx, 1, func(e *eventstore.Envelope) error {
		if e.Aggregate == domain.KindCase {
			histories[e.AggregateID] = append(histories[e.AggregateID], e.Recorded())
			if e.Type == "case.opened" {
				openedBy[e.AggregateID] = e.ID
			}
		}
		return nil
	})
	require.NoError(t, err)
	casesOf := map[domain.ID]int{}
	for id, h := range histories {
		casesOf[dec.Fold(id, h).PersonID]++
	}
	var target domain.ID
	for id, h := range histories {
		s := dec.Fold(id, h)
		if s.TargetGroup == domain.AdultVictim && casesOf[s.PersonID] == 1 && !s.ReceivedOn.After(domain.NewDate(2025, 12, 31)) &&
			(s.ClosedOn.IsZero() || !s.ClosedOn.Before(domain.NewDate(2025, 1, 1))) {
			target = id
			break
		}
	}
	require.NotEmpty(t, target, "the seed has an adult victim active in 2025")
	// The corrections are recorded on a clock the test steps (a
	// millisecond apart from now on), so --as-of instants fall between
	// them without sleeping.
	clock := time.Now().UTC().Truncate(time.Millisecond)
	tick := func() time.Time { clock = clock.Add(time.Millisecond); return clock }
	correct := func(group string) string {
		_, err := eventstore.Execute(ctx, b.Store, dec, target, domain.Correct{EventID: openedBy[target], Reason: "fel målgrupp",
			Corrected: json.RawMessage(`{"target_group":"` + group + `"}`)}, eventstore.ExecOptions{AppendOptions: eventstore.AppendOptions{Actor: "anna", Now: tick()}})
		require.NoError(t, err)
		return tick().Format(time.RFC3339Nano)
	}
	beforeAny := tick().Format(time.RFC3339Nano)
	afterFirst := correct("perpetrator")
	b.Close()

	corrected := persons()
	assert.Equal(t, before["adult_victim"]-1, corrected["adult_victim"])
	assert.Equal(t, before["perpetrator"]+1, corrected["perpetrator"])
	assert.Equal(t, before, persons("--as-of", beforeAny), "a correction after --as-of does not count")

	// Corrected back later: now as before, but as of the first correction
	// the case still counts as a perpetrator's.
	b, err = eventstore.OpenBackend(ctx, eventstore.BackendConfig{DataDir: dir, DevKeys: true})
	require.NoError(t, err)
	correct("adult_victim")
	// An event recorded (back-dated, as a migration would) before that
	// instant, after the second correction in the stream.
	_, err = eventstore.Execute(ctx, b.Store, domain.PersonDecider(), domain.NewID(), domain.RegisterPerson{
		PersonDetails: domain.PersonDetails{Sex: domain.SexFemale, BirthYear: 1990, Name: "N"}, Today: domain.NewDate(2025, 6, 1)},
		eventstore.ExecOptions{AppendOptions: eventstore.AppendOptions{Actor: "anna", Now: time.Date(2025, 6, 1, 9, 0, 0, 0, time.UTC)}})
	require.NoError(t, err)
	b.Close()
	assert.Equal(t, before, persons())
	assert.Equal(t, corrected, persons("--as-of", afterFirst), "events after --as-of stay out of the refold")
}

// TestNotCarriedOutReportCommand: the quarter's rows come out as JSON with
// no identity; a malformed quarter is bad usage (exit 2).
func TestNotCarriedOutReportCommand(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	code, _, stderr := runCLI(t, ctx, "seed", "--cases", "60", "--dev", "--data-dir", dir)
	require.Equal(t, 0, code, stderr)
	out := filepath.Join(t.TempDir(), "ivo.json")
	code, _, stderr = runCLI(t, ctx, "report", "not-carried-out", "--dev", "--data-dir", dir, "--quarter", "2026Q3", "-o", out, "--generated-at", "2027-01-01T00:00:00Z")
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, stderr, "not-carried-out 2026Q3")
	b, err := os.ReadFile(out)
	require.NoError(t, err)
	var r struct {
		Meta map[string]any   `json:"meta"`
		Rows []map[string]any `json:"rows"`
	}
	require.NoError(t, json.Unmarshal(b, &r))
	assert.Equal(t, "2026Q3", r.Meta["quarter"])
	assert.Equal(t, "2027-01-01T00:00:00Z", r.Meta["generated_at"])
	for _, row := range r.Rows {
		for k := range row {
			assert.Contains(t, []string{"sex", "birth_year", "support_type", "decided_on", "carried_out_on", "delay_reason", "unit"}, k)
		}
	}
	code, _, _ = runCLI(t, ctx, "report", "not-carried-out", "--dev", "--data-dir", dir, "--quarter", "2026Q5")
	assert.Equal(t, 2, code)
}
