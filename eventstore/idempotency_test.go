package eventstore_test

import (
	"context"
	"sync"
	"testing"

	"github.com/fristad/fristad/domain"
	"github.com/fristad/fristad/eventstore"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func execFP(s *eventstore.Store, id domain.ID, cmd domain.Command, cmdID, fp string) (eventstore.Result, error) {
	return eventstore.Execute(context.Background(), s, testDecider(), id, cmd, eventstore.ExecOptions{
		AppendOptions: eventstore.AppendOptions{Actor: "anna", CommandID: cmdID, Fingerprint: fp},
	})
}

// TestCommandIDNeverAnswersForAnotherRecord: JetStream answers a duplicate
// message id with the first message's acknowledgement wherever it landed;
// the store must refuse it, never return the other record's result, and
// write nothing.
func TestCommandIDNeverAnswersForAnotherRecord(t *testing.T) {
	s := newStore(t)
	a, b := domain.NewID(), domain.NewID()
	mustExec(t, s, a, openCmd{Unit: "u", Name: "a"})
	mustExec(t, s, b, openCmd{Unit: "u", Name: "b"})

	onA, err := execFP(s, a, noteCmd{N: 1}, "same-key", "aa")
	require.NoError(t, err)
	require.False(t, onA.Duplicate)

	// Through Execute: refused, B unchanged.
	onB, err := execFP(s, b, noteCmd{N: 1}, "same-key", "aa")
	var reused *eventstore.CommandReusedError
	require.ErrorAs(t, err, &reused, "got %+v", onB)
	assert.NotEqual(t, a, onB.ID)

	// Through Append directly: the duplicate acknowledgement is checked.
	hb, err := s.Load(ctx(t), domain.KindCase, b)
	require.NoError(t, err)
	_, err = s.Append(ctx(t), hb, []domain.Event{{Facts: noted{N: 9}}}, eventstore.AppendOptions{Actor: "anna", CommandID: "same-key", Fingerprint: "aa"})
	var elsewhere *eventstore.DuplicateElsewhereError
	require.ErrorAs(t, err, &elsewhere)

	for id, want := range map[domain.ID]uint64{a: 2, b: 1} {
		h, err := s.Load(ctx(t), domain.KindCase, id)
		require.NoError(t, err)
		assert.Equal(t, want, h.Version, "nothing written by the refused commands")
	}
}

// TestCommandIDWithAnotherFingerprint: the same command id with another
// body is refused on the same record, now and after the record moved on,
// and for a creating command (found through the command record); the same
// fingerprint is a retry.
func TestCommandIDWithAnotherFingerprint(t *testing.T) {
	s := newStore(t)
	id := domain.NewID()
	created, err := execFP(s, id, openCmd{Unit: "u", Name: "n"}, "open-k", "01")
	require.NoError(t, err)

	var reused *eventstore.CommandReusedError
	_, err = execFP(s, domain.NewID(), openCmd{Unit: "u", Name: "other"}, "open-k", "02")
	require.ErrorAs(t, err, &reused, "a creating command's key with another body")
	again, err := execFP(s, domain.NewID(), openCmd{Unit: "u", Name: "n"}, "open-k", "01")
	require.NoError(t, err)
	assert.True(t, again.Duplicate)
	assert.Equal(t, created.ID, again.ID)

	first, err := execFP(s, id, noteCmd{N: 1}, "note-k", "0a")
	require.NoError(t, err)
	_, err = execFP(s, id, noteCmd{N: 2}, "note-k", "0b")
	require.ErrorAs(t, err, &reused, "right after")
	mustExec(t, s, id, noteCmd{N: 3})
	_, err = execFP(s, id, noteCmd{N: 2}, "note-k", "0b")
	require.ErrorAs(t, err, &reused, "after the record moved on")
	retry, err := execFP(s, id, noteCmd{N: 1}, "note-k", "0a")
	require.NoError(t, err)
	assert.True(t, retry.Duplicate)
	assert.Equal(t, first.Seq, retry.Seq)

	h, err := s.Load(ctx(t), domain.KindCase, id)
	require.NoError(t, err)
	assert.Equal(t, uint64(3), h.Version, "open, note 1, note 3")

	_, err = execFP(s, id, noteCmd{N: 4}, "note-k2", "not-hex")
	var invalid *eventstore.InvalidError
	require.ErrorAs(t, err, &invalid)
}

// TestRetryOvertakenByItsFirstAttempt: a retry (same command id and body)
// decided on a fresh history, which its first attempt then appends past,
// is refused by the server's expected-sequence check, which comes before
// its duplicate check. The command is stored, so the retry returns the
// first result; a conflict would tell the client its write was not made.
func TestRetryOvertakenByItsFirstAttempt(t *testing.T) {
	for _, tc := range []struct {
		name    string
		ifMatch bool
	}{{"without If-Match", false}, {"with If-Match", true}} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := testConfig(t)
			s := openStore(t, cfg)
			other := openStore(t, cfg) // a second instance: its first load is fresh
			id := domain.NewID()
			mustExec(t, s, id, openCmd{Unit: "u", Name: "n"})

			opt := eventstore.ExecOptions{AppendOptions: eventstore.AppendOptions{Actor: "anna", CommandID: "note-k", Fingerprint: "0a"}}
			if tc.ifMatch {
				v := uint64(1)
				opt.ExpectVersion = &v
			}
			var first eventstore.Result
			var once sync.Once
			d := testDecider()
			decide := d.Decide
			d.Decide = func(st state, c domain.Command) ([]domain.Event, error) {
				// The first attempt appends after the retry has loaded.
				once.Do(func() {
					var err error
					first, err = eventstore.Execute(ctx(t), s, testDecider(), id, c, opt)
					require.NoError(t, err)
				})
				return decide(st, c)
			}
			retry, err := eventstore.Execute(ctx(t), other, d, id, noteCmd{N: 1}, opt)
			require.NoError(t, err)
			assert.True(t, retry.Duplicate)
			assert.Equal(t, first.Seq, retry.Seq)
			assert.Equal(t, first.Version, retry.Version)

			h, err := s.Load(ctx(t), domain.KindCase, id)
			require.NoError(t, err)
			assert.Equal(t, uint64(2), h.Version, "the note is stored once")
		})
	}
}
