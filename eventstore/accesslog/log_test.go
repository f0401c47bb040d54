package accesslog_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fristad/fristad/domain"
	"github.com/fristad/fristad/eventstore"
	"github.com/fristad/fristad/eventstore/accesslog"
	"github.com/fristad/fristad/eventstore/eventstoretest"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func accessStream(t *testing.T, l *accesslog.Log) jetstream.Stream {
	t.Helper()
	js, err := jetstream.New(shared.Conn)
	require.NoError(t, err)
	st, err := js.Stream(context.Background(), l.StreamName())
	require.NoError(t, err)
	return st
}

// rawAccessBytes is every stored message of the access log, as stored.
func rawAccessBytes(t *testing.T, l *accesslog.Log) string {
	t.Helper()
	ctx := context.Background()
	st := accessStream(t, l)
	info, err := st.Info(ctx)
	require.NoError(t, err)
	var b strings.Builder
	for seq := info.State.FirstSeq; seq <= info.State.LastSeq && seq > 0; seq++ {
		m, err := st.GetMsg(ctx, seq)
		require.NoError(t, err)
		b.WriteString(m.Subject)
		b.Write(m.Data)
		for k, vs := range m.Header {
			b.WriteString(k + strings.Join(vs, ","))
		}
	}
	return b.String()
}

func TestAccessLogStreamIsItsOwnAndAppendOnly(t *testing.T) {
	cfg := testConfig(t)
	s := openStore(t, cfg)
	l := s.Access()
	require.NotNil(t, l)
	assert.Equal(t, cfg.Stream+"_ACCESS", l.StreamName())
	assert.Equal(t, strings.TrimSuffix(cfg.SubjectPrefix, ".events")+".access.vuxen", l.Subject("vuxen"))
	assert.Equal(t, strings.TrimSuffix(cfg.SubjectPrefix, ".events")+".access.~", l.Subject(""))
	assert.NotContains(t, l.Subject("barn och unga"), " ", "a unit that is no subject token is encoded")

	ctx := context.Background()
	info, err := accessStream(t, l).Info(ctx)
	require.NoError(t, err)
	c := info.Config
	assert.Equal(t, jetstream.FileStorage, c.Storage)
	assert.True(t, c.DenyDelete)
	assert.True(t, c.DenyPurge)
	assert.Equal(t, int64(-1), c.MaxMsgs)
	assert.Equal(t, int64(-1), c.MaxBytes)
	assert.Zero(t, c.MaxAge)
	assert.Equal(t, jetstream.DiscardNew, c.Discard)

	seq, err := l.Append(ctx, accesslog.Entry{User: "anna", Roles: []string{"caseworker"}, Action: accesslog.ReadCaseFile, Unit: "vuxen", CaseID: domain.NewID()})
	require.NoError(t, err)
	assert.NotZero(t, seq)
	assert.Error(t, accessStream(t, l).DeleteMsg(ctx, seq), "entries cannot be deleted")
	assert.Error(t, accessStream(t, l).Purge(ctx), "the log cannot be purged")

	// Reopening the store keeps the log.
	s2 := openStore(t, cfg)
	got, _, err := s2.Access().Query(ctx, accesslog.Query{})
	require.NoError(t, err)
	require.Len(t, got, 1)
	assert.Equal(t, "anna", got[0].User)
	assert.Equal(t, seq, got[0].Seq)
}

func TestAccessLogRefusesBadEntries(t *testing.T) {
	l := newStore(t).Access()
	ctx := context.Background()
	for name, e := range map[string]accesslog.Entry{
		"no user":        {Action: accesslog.ReadPerson},
		"unknown action": {User: "anna", Action: "peek"},
		"bad id":         {User: "anna", Action: accesslog.ReadPerson, PersonID: "nope"},
		"long reason":    {User: "anna", Action: accesslog.ReadPerson, Reason: strings.Repeat("x", accesslog.MaxReason+1)},
	} {
		_, err := l.Append(ctx, e)
		var invalid *accesslog.InvalidError
		assert.True(t, errors.As(err, &invalid), "%s: %v", name, err)
	}
	got, _, err := l.Query(ctx, accesslog.Query{})
	require.NoError(t, err)
	assert.Empty(t, got)
}

func TestAccessLogQueryFiltersAndPages(t *testing.T) {
	var clock eventstoretest.Clock
	cfg := testConfig(t)
	cfg.AccessClock = clock.Now
	l := openStore(t, cfg).Access()
	ctx := context.Background()
	caseA, caseB, person, other := domain.NewID(), domain.NewID(), domain.NewID(), domain.NewID()
	app := func(e accesslog.Entry) uint64 {
		t.Helper()
		seq, err := l.Append(ctx, e)
		require.NoError(t, err)
		return seq
	}
	app(accesslog.Entry{User: "anna", Action: accesslog.ReadCaseFile, Unit: "vuxen", CaseID: caseA, PersonID: person})
	app(accesslog.Entry{User: "olle", Action: accesslog.ReadCaseFile, Unit: "barn", CaseID: caseB})
	mid := clock.Between()
	app(accesslog.Entry{User: "anna", Action: accesslog.SearchPersons, Unit: "vuxen", Found: []domain.ID{other, person}})
	app(accesslog.Entry{User: "bertil", Action: accesslog.ReadCaseEvents, Unit: "vuxen", CaseID: caseA})
	app(accesslog.Entry{User: "admin", Action: accesslog.ReadAudit})
	app(accesslog.Entry{User: "eva", Action: accesslog.ReadPerson, Unit: "barn och unga", PersonID: other})

	users := func(q accesslog.Query) []string {
		t.Helper()
		got, _, err := l.Query(ctx, q)
		require.NoError(t, err)
		var out []string
		for _, e := range got {
			out = append(out, e.User)
		}
		return out
	}
	assert.Equal(t, []string{"anna", "olle", "anna", "bertil", "admin", "eva"}, users(accesslog.Query{}))
	assert.Equal(t, []string{"anna", "anna", "bertil"}, users(accesslog.Query{Units: []string{"vuxen"}}))
	assert.Equal(t, []string{"anna", "olle", "anna", "bertil", "eva"}, users(accesslog.Query{Units: []string{"vuxen", "barn", "barn och unga"}}))
	assert.Equal(t, []string{"eva"}, users(accesslog.Query{Units: []string{"barn och unga"}}))
	assert.Empty(t, users(accesslog.Query{Units: []string{}}), "no units: nothing")
	assert.Equal(t, []string{"anna", "anna"}, users(accesslog.Query{User: "anna"}))
	assert.Equal(t, []string{"anna", "bertil"}, users(accesslog.Query{CaseID: caseA}))
	assert.Equal(t, []string{"anna", "anna"}, users(accesslog.Query{PersonID: person}), "a search that found the person counts")
	assert.Equal(t, []string{"anna", "bertil", "admin", "eva"}, users(accesslog.Query{From: mid}))
	assert.Equal(t, []string{"anna", "olle"}, users(accesslog.Query{To: mid}))
	assert.Equal(t, []string{"anna"}, users(accesslog.Query{From: mid, User: "anna", Units: []string{"vuxen"}}))

	// Pages: limit 2, cursors chain through everything once, and the same
	// cursor gives the same page.
	var all []uint64
	var after uint64
	for i := 0; ; i++ {
		require.Less(t, i, 10)
		page, next, err := l.Query(ctx, accesslog.Query{Limit: 2, After: after})
		require.NoError(t, err)
		again, next2, err := l.Query(ctx, accesslog.Query{Limit: 2, After: after})
		require.NoError(t, err)
		assert.Equal(t, page, again)
		assert.Equal(t, next, next2)
		for _, e := range page {
			all = append(all, e.Seq)
		}
		if next == 0 {
			break
		}
		assert.Len(t, page, 2)
		after = next
	}
	assert.Equal(t, []uint64{1, 2, 3, 4, 5, 6}, all)
	// A full last page has no next cursor.
	_, next, err := l.Query(ctx, accesslog.Query{Limit: 6})
	require.NoError(t, err)
	assert.Zero(t, next)
}

func TestAccessLogSealsTheReason(t *testing.T) {
	s := newStore(t)
	l := s.Access()
	ctx := context.Background()
	person := domain.NewID()
	// The person's key exists once their personal data was sealed.
	_, err := s.Keys().SealValue(ctx, domain.PersonKey(person), "test", "x")
	require.NoError(t, err)

	const reason = "Orosanmälan från skolan om Greta Svensson, Storgatan 1"
	_, err = l.Append(ctx, accesslog.Entry{User: "anna", Action: accesslog.ReadPerson, Unit: "vuxen", PersonID: person, Reason: reason})
	require.NoError(t, err)
	_, err = l.Append(ctx, accesslog.Entry{User: "anna", Action: accesslog.SearchPersons, Unit: "vuxen", Reason: reason})
	require.NoError(t, err)

	raw := rawAccessBytes(t, l)
	assert.NotContains(t, raw, "Greta")
	assert.NotContains(t, raw, "Storgatan")
	assert.NotContains(t, raw, "skolan")

	got, _, err := l.Query(ctx, accesslog.Query{})
	require.NoError(t, err)
	require.Len(t, got, 2)
	assert.Empty(t, got[0].Reason, "queries return reasons sealed")
	require.NotNil(t, got[0].SealedReason)
	assert.Equal(t, domain.PersonKey(person), sealedKey(t, got[0]), "sealed with the person's key")
	assert.Equal(t, eventstore.AccessMonthKey(got[1].At), sealedKey(t, got[1]), "no person: the month's key")
	for i := range got {
		r, err := l.UnsealReason(ctx, &got[i])
		require.NoError(t, err)
		assert.Equal(t, reason, r)
	}

	// A sealed reason does not open under another entry's id.
	swapped := got[1]
	swapped.ID = got[0].ID
	_, err = l.UnsealReason(ctx, &swapped)
	assert.Error(t, err)

	// Culling the person shreds the reason of the read about them.
	require.NoError(t, s.Keys().Destroy(ctx, domain.PersonKey(person)))
	_, err = l.UnsealReason(ctx, &got[0])
	var shredded *eventstore.ShreddedError
	assert.True(t, errors.As(err, &shredded), "%v", err)
	// A later read about the culled person does not resurrect their key.
	_, err = l.Append(ctx, accesslog.Entry{User: "anna", Action: accesslog.ReadPerson, PersonID: person, Reason: "efter gallring"})
	require.NoError(t, err)
	exists, err := s.Keys().Exists(ctx, domain.PersonKey(person))
	require.NoError(t, err)
	assert.False(t, exists)
}

// sealAccessStream makes the access log's stream refuse every write, as
// an outage would.
func sealAccessStream(t *testing.T, l *accesslog.Log) {
	t.Helper()
	ctx := context.Background()
	info, err := accessStream(t, l).Info(ctx)
	require.NoError(t, err)
	cfg := info.Config
	cfg.Sealed = true
	js, err := jetstream.New(shared.Conn)
	require.NoError(t, err)
	_, err = js.UpdateStream(ctx, cfg)
	require.NoError(t, err)
}

// TestAccessLogOutage: a stream that refuses writes (sealed) makes Append
// fail, so readers can fail closed.
func TestAccessLogOutage(t *testing.T) {
	l := newStore(t).Access()
	ctx := context.Background()
	sealAccessStream(t, l)

	_, err := l.Append(ctx, accesslog.Entry{User: "anna", Action: accesslog.ReadCaseFile, CaseID: domain.NewID()})
	assert.Error(t, err)
}

// accessMsgCount is how many messages the access log's stream holds.
func accessMsgCount(t *testing.T, l *accesslog.Log) uint64 {
	t.Helper()
	info, err := accessStream(t, l).Info(context.Background())
	require.NoError(t, err)
	return info.State.Msgs
}

// allAccess pages through every entry of q with q.Limit, checking that each
// page ends at a message boundary and holds at most Limit entries unless it
// is a single message.
func allAccess(t *testing.T, l *accesslog.Log, q accesslog.Query) []accesslog.Entry {
	t.Helper()
	var all []accesslog.Entry
	for i := 0; ; i++ {
		require.Less(t, i, 10000)
		page, next, err := l.Query(context.Background(), q)
		require.NoError(t, err)
		if q.Limit > 0 && len(page) > q.Limit {
			assert.Equal(t, page[0].Seq, page[len(page)-1].Seq, "a page over the limit is one message")
		}
		if next != 0 {
			require.NotEmpty(t, page)
			assert.Equal(t, page[len(page)-1].Seq, next)
		}
		all = append(all, page...)
		if next == 0 {
			return all
		}
		q.After = next
	}
}

// TestAccessLogGroupCommit: concurrent Appends share messages (group
// commit), each returns once its entry is stored, and every entry is read
// back exactly once, by unit too, across pages that split no message.
func TestAccessLogGroupCommit(t *testing.T) {
	l := newStore(t).Access()
	ctx := context.Background()
	const n = 200
	units := []string{"vuxen", "barn", "barn och unga", ""}
	seqs := make([]uint64, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			seqs[i], errs[i] = l.Append(ctx, accesslog.Entry{User: "anna", Action: accesslog.ReadCaseFile,
				Unit: units[i%len(units)], CaseID: domain.NewID(), Detail: fmt.Sprintf("n=%d", i)})
		}()
	}
	close(start)
	wg.Wait()
	for i := range n {
		require.NoError(t, errs[i], "append %d", i)
		require.NotZero(t, seqs[i])
	}
	msgs := accessMsgCount(t, l)
	assert.Less(t, msgs, uint64(n), "concurrent entries share messages")
	t.Logf("%d entries in %d messages", n, msgs)

	check := func(got []accesslog.Entry, want func(i int) bool) {
		t.Helper()
		seen := map[string]bool{}
		ids := map[domain.ID]bool{}
		var lastSeq uint64
		for _, e := range got {
			assert.False(t, seen[e.Detail], "%s read twice", e.Detail)
			seen[e.Detail] = true
			assert.False(t, ids[e.ID], "id %s twice", e.ID)
			ids[e.ID] = true
			assert.GreaterOrEqual(t, e.Seq, lastSeq, "oldest first")
			lastSeq = e.Seq
			var i int
			_, err := fmt.Sscanf(e.Detail, "n=%d", &i)
			require.NoError(t, err)
			assert.True(t, want(i), "entry %d does not belong", i)
			assert.Equal(t, seqs[i], e.Seq, "Append returned the sequence of the message holding entry %d", i)
			assert.Equal(t, units[i%len(units)], e.Unit)
		}
		for i := range n {
			if want(i) {
				assert.True(t, seen[fmt.Sprintf("n=%d", i)], "entry %d missing", i)
			}
		}
	}
	everything := func(int) bool { return true }
	check(allAccess(t, l, accesslog.Query{Limit: 1000}), everything)
	check(allAccess(t, l, accesslog.Query{Limit: 7}), everything)
	check(allAccess(t, l, accesslog.Query{Limit: 1}), everything)
	check(allAccess(t, l, accesslog.Query{Limit: 5, Units: []string{"barn och unga"}}), func(i int) bool { return i%len(units) == 2 })
	check(allAccess(t, l, accesslog.Query{Units: []string{"vuxen", ""}}), func(i int) bool { return i%len(units) == 0 || i%len(units) == 3 })

	// Entries of one message share a subject: a unit's message holds no
	// other unit's entries.
	st := accessStream(t, l)
	for seq := uint64(1); seq <= msgs; seq++ {
		m, err := st.GetMsg(ctx, seq)
		require.NoError(t, err)
		var group []accesslog.Entry
		require.NoError(t, json.Unmarshal(m.Data, &group), "a group message is a JSON array")
		require.NotEmpty(t, group)
		for _, e := range group {
			assert.Equal(t, l.Subject(e.Unit), m.Subject)
		}
		assert.Equal(t, string(group[0].ID), m.Header.Get(jetstream.MsgIDHeader), "Nats-Msg-Id is the first entry's id")
	}

	// A lone Append is not held back waiting for company: with no other
	// Append to come, a committer that waited for one would leave it
	// unanswered until its own timeout (an error). It is answered, and
	// its message holds it alone.
	seq, err := l.Append(ctx, accesslog.Entry{User: "olle", Action: accesslog.ReadPerson})
	require.NoError(t, err)
	m, err := st.GetMsg(ctx, seq)
	require.NoError(t, err)
	var lone []accesslog.Entry
	require.NoError(t, json.Unmarshal(m.Data, &lone))
	require.Len(t, lone, 1)
	assert.Equal(t, "olle", lone[0].User)
}

// TestAccessLogGroupOutage: when the stream refuses writes, every Append of
// every group fails, so every read fails closed.
func TestAccessLogGroupOutage(t *testing.T) {
	l := newStore(t).Access()
	ctx := context.Background()
	_, err := l.Append(ctx, accesslog.Entry{User: "anna", Action: accesslog.ReadCaseFile, Unit: "vuxen"})
	require.NoError(t, err)
	sealAccessStream(t, l)

	const n = 100
	errs := make([]error, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			_, errs[i] = l.Append(ctx, accesslog.Entry{User: "anna", Action: accesslog.ReadCaseFile,
				Unit: []string{"vuxen", "barn"}[i%2], CaseID: domain.NewID()})
		}()
	}
	close(start)
	wg.Wait()
	for i, err := range errs {
		assert.Error(t, err, "append %d", i)
	}
	got, _, err := l.Query(ctx, accesslog.Query{})
	require.NoError(t, err)
	assert.Len(t, got, 1, "nothing stored while sealed")
}

// TestAccessLogReadsSingleEntryMessages: messages written before group
// commit (one JSON object each) stay readable next to group messages.
func TestAccessLogReadsSingleEntryMessages(t *testing.T) {
	l := newStore(t).Access()
	ctx := context.Background()
	js, err := jetstream.New(shared.Conn)
	require.NoError(t, err)
	caseID := domain.NewID()
	var oldIDs []domain.ID
	for i, unit := range []string{"vuxen", "barn och unga", "vuxen"} {
		id := domain.NewID()
		oldIDs = append(oldIDs, id)
		data, err := json.Marshal(map[string]any{
			"id": id, "at": time.Now().UTC().Truncate(time.Microsecond), "user": fmt.Sprintf("old%d", i),
			"roles": []string{"caseworker"}, "action": "read_case_file", "unit": unit, "case_id": caseID,
		})
		require.NoError(t, err)
		msg := nats.NewMsg(l.Subject(unit))
		msg.Data = data
		msg.Header.Set(jetstream.MsgIDHeader, string(id))
		_, err = js.PublishMsg(ctx, msg)
		require.NoError(t, err)
	}
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := l.Append(ctx, accesslog.Entry{User: fmt.Sprintf("new%d", i), Action: accesslog.ReadCaseFile, Unit: "vuxen", CaseID: caseID})
			assert.NoError(t, err)
		}()
	}
	wg.Wait()

	got := allAccess(t, l, accesslog.Query{Limit: 3})
	require.Len(t, got, 23)
	for i := range 3 {
		assert.Equal(t, fmt.Sprintf("old%d", i), got[i].User)
		assert.Equal(t, oldIDs[i], got[i].ID)
		assert.Equal(t, uint64(i+1), got[i].Seq)
		assert.Equal(t, caseID, got[i].CaseID)
	}
	for _, e := range got[3:] {
		assert.True(t, strings.HasPrefix(e.User, "new"))
		assert.Greater(t, e.Seq, uint64(3))
	}
	vuxen, _, err := l.Query(ctx, accesslog.Query{Units: []string{"vuxen"}, CaseID: caseID})
	require.NoError(t, err)
	assert.Len(t, vuxen, 22)
	barn, _, err := l.Query(ctx, accesslog.Query{Units: []string{"barn och unga"}})
	require.NoError(t, err)
	require.Len(t, barn, 1)
	assert.Equal(t, "old1", barn[0].User)
}

// TestAccessLogClosed: after Store.Close, Append fails at once instead of
// waiting for a committer that is gone.
func TestAccessLogClosed(t *testing.T) {
	s := newStore(t)
	l := s.Access()
	s.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, err := l.Append(ctx, accesslog.Entry{User: "anna", Action: accesslog.ReadCaseFile})
	require.Error(t, err)
	assert.NoError(t, ctx.Err(), "failed at once")
}
