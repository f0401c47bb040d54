package eventstore_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/fristad/fristad/domain"
	"github.com/fristad/fristad/eventstore"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRestartLosesNoAcknowledgedEvent(t *testing.T) {
	dir := t.TempDir()
	key := masterKey(t)
	open := func() (*eventstore.Embedded, *eventstore.Store) {
		srv, err := eventstore.StartEmbedded(eventstore.EmbeddedConfig{DataDir: dir})
		require.NoError(t, err)
		nc, err := srv.Connect()
		require.NoError(t, err)
		s, err := eventstore.Open(ctx(t), eventstore.Config{Conn: nc, Registry: testRegistry(), MasterKey: key})
		require.NoError(t, err)
		t.Cleanup(func() { s.Close(); nc.Close() })
		return srv, s
	}
	srv, s := open()
	ids := make([]domain.ID, 20)
	acked := map[domain.ID]uint64{}
	for i := range ids {
		ids[i] = domain.NewID()
		mustExec(t, s, ids[i], openCmd{Unit: "u", Name: "Name " + string(rune('A'+i))})
		r := mustExec(t, s, ids[i], manyCmd{N: 3})
		acked[ids[i]] = r.Version
	}
	srv.Shutdown()

	srv, s = open()
	defer srv.Shutdown()
	for _, id := range ids {
		h, err := s.Load(ctx(t), domain.KindCase, id)
		require.NoError(t, err)
		assert.Equal(t, acked[id], h.Version)
		p, err := s.Unseal(ctx(t), &h.Events[0])
		require.NoError(t, err, "data keys survive the restart")
		assert.True(t, strings.HasPrefix(p.(*identity).Name, "Name "))
	}
	rep, err := s.Verify(ctx(t), nil)
	require.NoError(t, err)
	assert.True(t, rep.OK(), "%v", rep.Breaks)
	assert.Equal(t, 20*4, rep.Events)
	assert.Equal(t, 20, rep.Aggregates)
}

func TestVerifyNamesAForgedEvent(t *testing.T) {
	cfg := testConfig(t)
	s := openStore(t, cfg)
	id := domain.NewID()
	mustExec(t, s, id, openCmd{Unit: "u", Name: "n"})
	mustExec(t, s, id, noteCmd{N: 1})
	h, err := s.Load(ctx(t), domain.KindCase, id)
	require.NoError(t, err)

	// A forger who can publish with raw nats.go writes a well-formed record
	// with the right version, linked by plain SHA-256 guesswork.
	forged := domain.NewID()
	rec := map[string]any{
		"id": forged, "type": "case.noted", "schema": 1, "aggregate": "case", "aggregate_id": id,
		"version": 3, "recorded_at": time.Now().UTC(), "actor": "mallory", "facts": map[string]any{"n": 99},
		"prev": h.Events[1].Hash[:16],
	}
	body, _ := json.Marshal([]any{rec})
	_, err = sharedNC.Request(cfg.SubjectPrefix+".case."+string(id), body, 5*time.Second)
	require.NoError(t, err)
	mustExec(t, openStore(t, cfg), domain.NewID(), openCmd{Unit: "u", Name: "after"})

	rep, err := s.Verify(ctx(t), nil)
	require.NoError(t, err)
	require.Len(t, rep.Breaks, 1)
	assert.Equal(t, forged, rep.Breaks[0].EventID)
	assert.Contains(t, rep.Breaks[0].String(), string(forged))
	// And the aggregate refuses to load rather than fold a forged event.
	_, err = openStore(t, cfg).Load(ctx(t), domain.KindCase, id)
	var corrupt *eventstore.CorruptError
	require.ErrorAs(t, err, &corrupt)
}

// The stream denies deletes, so a deleted event is simulated the way it
// would reach a verifier: a copy of the stream (a tampered backup, a
// rebuilt store) missing one message from the middle of an aggregate.
func TestVerifyNamesTheEventAfterADeletedOne(t *testing.T) {
	cfg := testConfig(t)
	s := openStore(t, cfg)
	id := domain.NewID()
	var results []eventstore.Result
	results = append(results, mustExec(t, s, id, openCmd{Unit: "u", Name: "n"}))
	for i := 0; i < 4; i++ {
		results = append(results, mustExec(t, s, id, noteCmd{N: i}))
	}
	mustExec(t, s, domain.NewID(), openCmd{Unit: "u", Name: "other"})
	deleted := results[2].Seq
	after := results[3].Events[0].ID

	copyCfg := testConfig(t)
	copyCfg.KeysBucket = cfg.Stream + "_keys" // same keyring, as an import would use
	copyCfg.MasterKey = cfg.MasterKey
	cp := openStore(t, copyCfg)
	js, err := sharedNC.JetStream()
	require.NoError(t, err)
	last, err := s.LastSeq(ctx(t))
	require.NoError(t, err)
	for seq := uint64(1); seq <= last; seq++ {
		if seq == deleted {
			continue
		}
		m, err := js.GetMsg(cfg.Stream, seq)
		require.NoError(t, err)
		subj := copyCfg.SubjectPrefix + strings.TrimPrefix(m.Subject, cfg.SubjectPrefix)
		_, err = sharedNC.Request(subj, m.Data, 5*time.Second)
		require.NoError(t, err)
	}
	rep, err := cp.Verify(ctx(t), nil)
	require.NoError(t, err)
	require.Len(t, rep.Breaks, 1, "%v", rep.Breaks)
	assert.Equal(t, after, rep.Breaks[0].EventID)
	assert.Contains(t, rep.Breaks[0].Reason, "missing")

	// The untouched original verifies.
	rep, err = s.Verify(ctx(t), nil)
	require.NoError(t, err)
	assert.True(t, rep.OK())
}
