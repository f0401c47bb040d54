package eventstore_test

import (
	"context"
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
