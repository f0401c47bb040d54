package eventstore

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/fristad/fristad/domain"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/oklog/ulid/v2"
)

// The access log (logguppföljning): every read of personal data appends one
// entry (who, with which roles, did what to which case, person or partner
// contact, in which unit, when, and why if they said) to a JetStream stream
// of its own, and the read fails closed when the entry cannot be stored.
//
// Layout. The stream is named <Stream>_ACCESS and holds the subjects
// <access prefix>.<unit token>, where the access prefix is the event subject
// prefix with its last token "events" replaced by "access"
// ("fristad.events" -> "fristad.access"; a prefix not ending in ".events"
// gets "_access" appended: "x" -> "x_access"), so the two streams never
// overlap. The unit token is the unit id itself when it is a plain token
// ([A-Za-z0-9_-], at most 64), otherwise "~" followed by the hex of the unit
// id; an entry without a unit is stored under "~". One subject per unit
// lets a supervisor's review read only their units' entries.
//
// Storage: file storage, the store's replica count, no limits, new writes
// refused rather than old ones dropped, delete and purge denied: an access
// log is evidence and nobody may thin it out. Append waits for JetStream's
// acknowledgement, so an entry is stored (as durably as the server's sync
// policy makes any event) before the read it records returns data.
//
// Group commit. Under `sync: always` every stored message costs an fsync,
// so one message per read made concurrent reads queue behind each other's
// fsyncs. Appends therefore go through one committer goroutine (started by
// openAccessLog, stopped by Store.Close): it takes every request waiting
// (at most maxGroupEntries entries, maxGroupBytes bytes), groups them by
// subject (unit) in order of arrival, publishes one message per subject
// (split only if it would exceed the stream's message size) holding the
// JSON array of the entries, all messages at once, waits for their acks
// and only then answers each Append with the sequence of the message that
// holds its entry, or with that message's error: a failed publish fails
// every read of its group closed. There is no timer: a lone entry is
// published at once, and entries that arrive while a publish is in flight
// form the next group. Each message carries Nats-Msg-Id (the id of its
// first entry), so a retried publish is stored once. Messages written
// before group commit hold a single JSON object; Query reads both forms.
// The entries of one message share its stream sequence (Seq), so a page
// of Query ends at a message boundary.
//
// Sealing. The reason a worker gives (X-Access-Reason) is free text and may
// hold personal data, so it never lies on the stream in clear: it is sealed
// (AES-256-GCM, like event personal data) with the data key of the person
// the read was about, so culling that person shreds it too; without such a
// person (or when that key is gone) with a key per calendar month,
// "access.YYYY-MM", which an operator may destroy to shred the reasons of
// that month. Everything else in an entry is ids, roles, an action and a
// unit: no name, address, phone or location ever enters the access log.
//
// Cost of a query: it is a scan. A query reads every entry of the selected
// units' subjects (all subjects when no unit is given) from the cursor or
// the start time (JetStream positions the consumer by time from the message
// timestamps, 1 minute early for clock skew) onwards, and filters the rest
// (user, case, person, end time) in memory; it stops after limit+1 matches
// or at the end. At ~300 bytes an entry that is about 3 MB and a few
// milliseconds per 10 000 entries scanned: fine for a supervisor's review
// of a period, not for an interactive search over years, which would need
// an index (a projection) first.

// AccessAction is what a reader did.
type AccessAction string

// The actions of the access log.
const (
	AccessReadCaseFile       AccessAction = "read_case_file"
	AccessReadCaseEvents     AccessAction = "read_case_events"
	AccessReadPerson         AccessAction = "read_person"
	AccessSearchPersons      AccessAction = "search_persons"
	AccessReadPartnerContact AccessAction = "read_partner_contact"
	AccessReadAudit          AccessAction = "read_audit"
	AccessExport             AccessAction = "export"
	// AccessReadProvider is a read of one provider's page, which holds its
	// address (whereabouts of everyone it houses).
	AccessReadProvider AccessAction = "read_provider"
)

// AccessActions lists the vocabulary.
func AccessActions() []AccessAction {
	return []AccessAction{AccessReadCaseFile, AccessReadCaseEvents, AccessReadPerson, AccessSearchPersons,
		AccessReadPartnerContact, AccessReadAudit, AccessExport, AccessReadProvider}
}

// Valid reports whether a is in the vocabulary.
func (a AccessAction) Valid() bool { return slices.Contains(AccessActions(), a) }

// MaxAccessReason bounds the reason's length in characters.
const MaxAccessReason = 500

// AccessEntry is one read of personal data. Reason is the clear text, only
// ever in memory: Append seals it into SealedReason and Query returns it
// sealed (open it with OpenReason).
type AccessEntry struct {
	Seq       uint64       `json:"-"` // stream sequence of the message holding it (the cursor), set by Query
	ID        domain.ID    `json:"id"`
	At        time.Time    `json:"at"`
	User      string       `json:"user"`
	Roles     []string     `json:"roles"`
	Action    AccessAction `json:"action"`
	Unit      string       `json:"unit,omitempty"`
	CaseID    domain.ID    `json:"case_id,omitempty"`
	PersonID  domain.ID    `json:"person_id,omitempty"`
	ContactID domain.ID    `json:"contact_id,omitempty"`
	// Found are the persons a search returned.
	Found []domain.ID `json:"found,omitempty"`
	// Detail says what an audit read looked at (a user id, a filter): ids
	// and parameters, never personal data.
	Detail       string  `json:"detail,omitempty"`
	Reason       string  `json:"-"`
	SealedReason *Sealed `json:"reason,omitempty"`
}

// AccessQuery selects entries. Zero fields do not filter.
type AccessQuery struct {
	From, To time.Time // At in [From, To)
	// Units: entries of any of these units; nil means every unit,
	// including entries without one.
	Units    []string
	User     string
	CaseID   domain.ID
	PersonID domain.ID // the person read, or one a search found
	// After is a cursor: the Seq of the last entry of the previous page.
	After uint64
	// Limit bounds the page (default 100, at most 1000); a page ends at a
	// message boundary, so a single message with more matches than Limit
	// (at most maxGroupEntries) makes a longer page.
	Limit int
}

// AccessLog is the access log's stream.
type AccessLog struct {
	js       jetstream.JetStream
	stream   jetstream.Stream
	name     string
	prefix   string
	keys     *Keyring
	timeout  time.Duration
	now      func() time.Time
	maxBytes int // the stream's MaxMsgSize (headers included)

	// The committer (group commit, see above).
	pub    jetstream.JetStream // for PublishMsgAsync, with an ack timeout
	reqs   chan *accessReq
	closed chan struct{} // closed by close
	exited chan struct{} // closed when the committer has returned
	stop   context.CancelFunc
	once   sync.Once
}

// Limits of one commit round and of one message.
const (
	maxGroupEntries = 256
	maxGroupBytes   = 256 << 10
	// accessHeaderRoom is kept free in a message for its headers
	// (Nats-Msg-Id), which count against MaxMsgSize.
	accessHeaderRoom = 256
)

// accessReq is one Append waiting for the acknowledgement of the message
// that holds its entry.
type accessReq struct {
	ctx     context.Context
	id      domain.ID
	subject string
	data    []byte // the entry, JSON
	done    chan accessResult
}

type accessResult struct {
	seq uint64
	err error
}

var errAccessLogClosed = errors.New("eventstore: access log: store closed")

// accessPrefix derives the access log's subject prefix from the events'.
func accessPrefix(events string) string {
	if base, ok := strings.CutSuffix(events, ".events"); ok {
		return base + ".access"
	}
	return events + "_access"
}

func openAccessLog(ctx context.Context, js jetstream.JetStream, cfg Config, keys *Keyring) (*AccessLog, error) {
	name := cfg.Stream + "_ACCESS"
	prefix := accessPrefix(cfg.SubjectPrefix)
	stream, err := js.CreateOrUpdateStream(ctx, jetstream.StreamConfig{
		Name:         name,
		Description:  "fristad access log: who read which personal data (append-only)",
		Subjects:     []string{prefix + ".>"},
		Storage:      jetstream.FileStorage,
		Replicas:     cfg.Replicas,
		Retention:    jetstream.LimitsPolicy,
		MaxMsgs:      -1,
		MaxBytes:     -1,
		MaxConsumers: -1,
		Discard:      jetstream.DiscardNew,
		DenyDelete:   true,
		DenyPurge:    true,
		AllowDirect:  true,
		Duplicates:   cfg.DuplicateWindow,
		MaxMsgSize:   64 << 10,
	})
	if err != nil {
		return nil, fmt.Errorf("eventstore: access log stream %s: %w", name, err)
	}
	// Its own JetStream context: async publishes whose ack never comes are
	// dropped after the timeout instead of piling up.
	pub, err := jetstream.New(js.Conn(), jetstream.WithPublishAsyncTimeout(cfg.Timeout))
	if err != nil {
		return nil, fmt.Errorf("eventstore: access log: %w", err)
	}
	cctx, stop := context.WithCancel(context.Background())
	l := &AccessLog{js: js, stream: stream, name: name, prefix: prefix, keys: keys, timeout: cfg.Timeout, now: time.Now, maxBytes: 64 << 10,
		pub: pub, reqs: make(chan *accessReq, 4*maxGroupEntries), closed: make(chan struct{}), exited: make(chan struct{}), stop: stop}
	go l.committer(cctx)
	return l, nil
}

// close stops the committer: waiting Appends get an error, a round in
// flight is abandoned (its Appends get an error, though its messages may
// still be stored). It returns once the committer has returned.
func (l *AccessLog) close() {
	l.once.Do(func() {
		close(l.closed)
		l.stop()
		<-l.exited
		// Drop the async reply subscription: the connection is the caller's.
		l.pub.CleanupPublisher()
	})
}

// StreamName is the access log's stream (for operators and tests).
func (l *AccessLog) StreamName() string { return l.name }

var plainUnitRE = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)

// unitToken is a unit id as one subject token (see the layout above).
func unitToken(unit string) string {
	if plainUnitRE.MatchString(unit) {
		return unit
	}
	return "~" + hex.EncodeToString([]byte(unit))
}

// Subject is the subject an entry of unit is stored under.
func (l *AccessLog) Subject(unit string) string { return l.prefix + "." + unitToken(unit) }

func (l *AccessLog) withTimeout(ctx context.Context) (context.Context, context.CancelFunc) {
	if _, ok := ctx.Deadline(); ok {
		return ctx, func() {}
	}
	return context.WithTimeout(ctx, l.timeout)
}

func accessAAD(entryID domain.ID) string { return "access " + string(entryID) }

// Append stores one entry and returns the stream sequence of the message
// that holds it once JetStream acknowledged that message (entries of
// concurrent Appends share a message: see group commit above). It stamps
// ID and At (the real clock: time filters rely on it agreeing with the
// server's message timestamps) and seals Reason. The entry passed in is
// not changed. An error means the entry may not be stored: the read it
// records must fail closed.
func (l *AccessLog) Append(ctx context.Context, e AccessEntry) (uint64, error) {
	if err := e.check(); err != nil {
		return 0, err
	}
	ctx, cancel := l.withTimeout(ctx)
	defer cancel()
	e.ID = domain.ID(ulid.Make().String())
	e.At = l.now().UTC().Truncate(time.Microsecond)
	e.SealedReason = nil
	if e.Reason != "" {
		sealed, err := l.sealReason(ctx, e)
		if err != nil {
			return 0, err
		}
		e.SealedReason = sealed
	}
	data, err := json.Marshal(e)
	if err != nil {
		return 0, fmt.Errorf("eventstore: access entry: %w", err)
	}
	if len(data)+2 > l.maxData() {
		return 0, &InvalidError{Op: "access log", Reason: "entry too large"}
	}
	r := &accessReq{ctx: ctx, id: e.ID, subject: l.Subject(e.Unit), data: data, done: make(chan accessResult, 1)}
	select {
	case l.reqs <- r:
	case <-ctx.Done():
		return 0, fmt.Errorf("eventstore: access log: %w", ctx.Err())
	case <-l.closed:
		return 0, errAccessLogClosed
	}
	select {
	case res := <-r.done:
		return res.seq, res.err
	case <-ctx.Done():
		return 0, fmt.Errorf("eventstore: access log: %w", ctx.Err())
	case <-l.exited:
		// The committer answered every request it took before returning.
		select {
		case res := <-r.done:
			return res.seq, res.err
		default:
			return 0, errAccessLogClosed
		}
	}
}

// maxData is the most entry bytes one message holds.
func (l *AccessLog) maxData() int { return l.maxBytes - accessHeaderRoom }

// committer runs the commit rounds until ctx ends, then answers whatever
// is still waiting with errAccessLogClosed.
func (l *AccessLog) committer(ctx context.Context) {
	defer close(l.exited)
	var carry *accessReq // taken from the channel but over the last round's budget
	for {
		first := carry
		carry = nil
		if first == nil {
			select {
			case <-ctx.Done():
				l.drain()
				return
			case first = <-l.reqs:
			}
		}
		if ctx.Err() != nil {
			first.done <- accessResult{err: errAccessLogClosed}
			l.drain()
			return
		}
		group, size := []*accessReq{first}, len(first.data)+1
	gather:
		for len(group) < maxGroupEntries {
			select {
			case r := <-l.reqs:
				if size+len(r.data)+1 > maxGroupBytes {
					carry = r
					break gather
				}
				group = append(group, r)
				size += len(r.data) + 1
			default:
				break gather
			}
		}
		l.commit(ctx, group)
	}
}

func (l *AccessLog) drain() {
	for {
		select {
		case r := <-l.reqs:
			r.done <- accessResult{err: errAccessLogClosed}
		default:
			return
		}
	}
}

// accessMsg is one message of a round and the requests it answers.
type accessMsg struct {
	reqs []*accessReq
	size int
	fut  jetstream.PubAckFuture
	res  accessResult
}

// commit publishes one round: one message per subject (more only when the
// entries exceed a message), all at once, then answers every request with
// its message's outcome.
func (l *AccessLog) commit(ctx context.Context, group []*accessReq) {
	var msgs []*accessMsg
	bySubject := map[string]*accessMsg{} // the subject's message being filled
	for _, r := range group {
		if err := r.ctx.Err(); err != nil {
			// Its Append has given up (or is about to): nothing to log.
			r.done <- accessResult{err: fmt.Errorf("eventstore: access log: %w", err)}
			continue
		}
		m := bySubject[r.subject]
		if m == nil || m.size+len(r.data)+1 > l.maxData() {
			m = &accessMsg{size: 1}
			bySubject[r.subject] = m
			msgs = append(msgs, m)
		}
		m.reqs = append(m.reqs, r)
		m.size += len(r.data) + 1
	}
	if len(msgs) == 0 {
		return
	}
	pctx, cancel := context.WithTimeout(ctx, l.timeout)
	defer cancel()
	for _, m := range msgs {
		data := make([]byte, 0, m.size)
		data = append(data, '[')
		for i, r := range m.reqs {
			if i > 0 {
				data = append(data, ',')
			}
			data = append(data, r.data...)
		}
		data = append(data, ']')
		msg := nats.NewMsg(m.reqs[0].subject)
		msg.Data = data
		// A retried publish of the same message is stored once.
		msg.Header.Set(jetstream.MsgIDHeader, string(m.reqs[0].id))
		fut, err := l.pub.PublishMsgAsync(msg)
		if err != nil {
			m.res.err = fmt.Errorf("eventstore: access log: %w", err)
			continue
		}
		m.fut = fut
	}
	for _, m := range msgs {
		if m.fut == nil {
			continue
		}
		select {
		case ack := <-m.fut.Ok():
			m.res.seq = ack.Sequence
		case err := <-m.fut.Err():
			m.res.err = fmt.Errorf("eventstore: access log: %w", err)
		case <-pctx.Done():
			m.res.err = fmt.Errorf("eventstore: access log: %w", pctx.Err())
		}
	}
	for _, m := range msgs {
		for _, r := range m.reqs {
			r.done <- m.res
		}
	}
}

func (e *AccessEntry) check() error {
	bad := func(reason string) error { return &InvalidError{Op: "access log", Reason: reason} }
	switch {
	case e.User == "" || strings.ContainsAny(e.User, "\r\n"):
		return bad("an entry needs a user")
	case !e.Action.Valid():
		return bad("unknown action " + string(e.Action))
	case e.CaseID != "" && !e.CaseID.Valid(), e.PersonID != "" && !e.PersonID.Valid(), e.ContactID != "" && !e.ContactID.Valid():
		return bad("invalid id")
	case !utf8.ValidString(e.Reason) || utf8.RuneCountInString(e.Reason) > MaxAccessReason:
		return bad(fmt.Sprintf("a reason is valid UTF-8 of at most %d characters", MaxAccessReason))
	case len(e.Detail) > 1000:
		return bad("detail too long")
	}
	for _, id := range e.Found {
		if !id.Valid() {
			return bad("invalid id")
		}
	}
	return nil
}

// sealReason seals with the person's key when there is one that still
// exists (a person's key is never created here: that would resurrect a
// culled person's key), else with the month's access key.
func (l *AccessLog) sealReason(ctx context.Context, e AccessEntry) (*Sealed, error) {
	aad := accessAAD(e.ID)
	if e.PersonID != "" {
		s, err := l.keys.sealValue(ctx, domain.PersonKey(e.PersonID), aad, e.Reason, false)
		var shredded *ShreddedError
		if !errors.As(err, &shredded) {
			return s, err
		}
	}
	return l.keys.sealValue(ctx, AccessMonthKey(e.At), aad, e.Reason, true)
}

// AccessMonthKey is the key that seals the reasons of a month's entries
// that are about no (remaining) person.
func AccessMonthKey(t time.Time) domain.KeyID {
	return domain.KeyID("access." + t.UTC().Format("2006-01"))
}

// OpenReason opens an entry's reason ("" for none). A destroyed key gives
// *ShreddedError.
func (l *AccessLog) OpenReason(ctx context.Context, e *AccessEntry) (string, error) {
	if e.SealedReason == nil {
		return "", nil
	}
	var reason string
	if err := l.keys.openValue(ctx, e.SealedReason, accessAAD(e.ID), &reason); err != nil {
		return "", err
	}
	return reason, nil
}

// Query returns the entries that match q, oldest first, and the cursor of
// the next page (0 when this page is the last). See the cost above. A page
// ends at a message boundary (see group commit above).
func (l *AccessLog) Query(ctx context.Context, q AccessQuery) ([]AccessEntry, uint64, error) {
	if q.Limit <= 0 {
		q.Limit = 100
	}
	q.Limit = min(q.Limit, 1000)
	if q.Units != nil && len(q.Units) == 0 {
		return []AccessEntry{}, 0, nil
	}
	ctx, cancel := l.withTimeout(ctx)
	defer cancel()

	cc := jetstream.ConsumerConfig{
		AckPolicy:         jetstream.AckNonePolicy,
		InactiveThreshold: time.Minute,
		MemoryStorage:     true,
		Replicas:          1,
	}
	if q.Units == nil {
		cc.FilterSubject = l.prefix + ".>"
	} else {
		seen := map[string]bool{}
		for _, u := range q.Units {
			if s := l.Subject(u); !seen[s] {
				seen[s] = true
				cc.FilterSubjects = append(cc.FilterSubjects, s)
			}
		}
	}
	switch {
	case q.After > 0:
		cc.DeliverPolicy, cc.OptStartSeq = jetstream.DeliverByStartSequencePolicy, q.After+1
	case !q.From.IsZero():
		start := q.From.Add(-clockSkew)
		cc.DeliverPolicy, cc.OptStartTime = jetstream.DeliverByStartTimePolicy, &start
	}
	cons, err := l.stream.CreateConsumer(ctx, cc)
	if err != nil {
		return nil, 0, fmt.Errorf("eventstore: access log query: %w", err)
	}
	defer func() {
		dctx, dcancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer dcancel()
		_ = l.stream.DeleteConsumer(dctx, cons.CachedInfo().Name)
	}()
	pending := cons.CachedInfo().NumPending
	out := []AccessEntry{}
	if pending == 0 {
		return out, 0, nil
	}
	it, err := cons.Messages(jetstream.PullMaxMessages(512))
	if err != nil {
		return nil, 0, fmt.Errorf("eventstore: access log query: %w", err)
	}
	defer it.Stop()
	stop := context.AfterFunc(ctx, it.Stop)
	defer stop()
	for ; pending > 0; pending-- {
		m, err := it.Next()
		if err != nil {
			if ctx.Err() != nil {
				return nil, 0, ctx.Err()
			}
			return nil, 0, fmt.Errorf("eventstore: access log query: %w", err)
		}
		md, err := m.Metadata()
		if err != nil {
			return nil, 0, fmt.Errorf("eventstore: access log query: %w", err)
		}
		if !q.To.IsZero() && md.Timestamp.After(q.To.Add(clockSkew)) {
			break // every later entry is later than To
		}
		entries, err := decodeAccessMsg(m.Data())
		if err != nil {
			return nil, 0, &CorruptError{Seq: md.Sequence.Stream, Reason: "malformed access entry", Err: err}
		}
		matched := entries[:0]
		for _, e := range entries {
			e.Seq = md.Sequence.Stream
			if q.matches(&e) {
				matched = append(matched, e)
			}
		}
		if len(matched) == 0 {
			continue
		}
		// A page ends at a message boundary (the cursor is a message's
		// sequence): it holds at most Limit entries, unless one message
		// alone holds more matches, which then make the page.
		if len(out) > 0 && len(out)+len(matched) > q.Limit {
			return out, out[len(out)-1].Seq, nil
		}
		out = append(out, matched...)
	}
	return out, 0, nil
}

// decodeAccessMsg decodes one message of the access stream: a JSON array
// of entries (group commit) or, as written before it, one entry object.
func decodeAccessMsg(data []byte) ([]AccessEntry, error) {
	trimmed := bytes.TrimLeft(data, " \t\r\n")
	if len(trimmed) > 0 && trimmed[0] == '[' {
		var entries []AccessEntry
		if err := json.Unmarshal(trimmed, &entries); err != nil {
			return nil, err
		}
		if len(entries) == 0 {
			return nil, errors.New("an empty group")
		}
		return entries, nil
	}
	var e AccessEntry
	if err := json.Unmarshal(data, &e); err != nil {
		return nil, err
	}
	return []AccessEntry{e}, nil
}

// clockSkew is how far the application's clock (At) and the server's
// (message timestamps, used to position and stop a scan) may disagree.
const clockSkew = time.Minute

func (q *AccessQuery) matches(e *AccessEntry) bool {
	switch {
	case !q.From.IsZero() && e.At.Before(q.From):
		return false
	case !q.To.IsZero() && !e.At.Before(q.To):
		return false
	case q.User != "" && e.User != q.User:
		return false
	case q.CaseID != "" && e.CaseID != q.CaseID:
		return false
	case q.PersonID != "" && e.PersonID != q.PersonID && !slices.Contains(e.Found, q.PersonID):
		return false
	case q.Units != nil && !slices.Contains(q.Units, e.Unit):
		return false
	}
	return true
}

// --- sealing an arbitrary value ---------------------------------------------

func valueAAD(bind string, key domain.KeyID) []byte {
	return []byte("fristad value " + bind + " " + string(key))
}

// SealValue seals any JSON-encodable value with a data key, bound to
// bind (say, the id of the record that holds it: a blob copied
// elsewhere does not open). The key is created when missing.
func (k *Keyring) SealValue(ctx context.Context, key domain.KeyID, bind string, v any) (*Sealed, error) {
	return k.sealValue(ctx, key, bind, v, true)
}

func (k *Keyring) sealValue(ctx context.Context, key domain.KeyID, bind string, v any, create bool) (*Sealed, error) {
	plain, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("seal: %w", err)
	}
	a, err := k.aead(ctx, key, create)
	if err != nil {
		return nil, err
	}
	nonce := make([]byte, a.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return nil, fmt.Errorf("seal: %w", err)
	}
	return &Sealed{Key: key, Nonce: nonce, Data: a.Seal(nil, nonce, plain, valueAAD(bind, key))}, nil
}

// OpenValue opens what SealValue sealed with the same bind into v. A
// destroyed key gives *ShreddedError.
func (k *Keyring) OpenValue(ctx context.Context, s *Sealed, bind string, v any) error {
	return k.openValue(ctx, s, bind, v)
}

func (k *Keyring) openValue(ctx context.Context, s *Sealed, bind string, v any) error {
	if s == nil {
		return errors.New("open: nothing sealed")
	}
	a, err := k.aead(ctx, s.Key, false)
	if err != nil {
		return err
	}
	plain, err := a.Open(nil, s.Nonce, s.Data, valueAAD(bind, s.Key))
	if err != nil {
		return errors.New("open sealed value: authentication failed")
	}
	if err := json.Unmarshal(plain, v); err != nil {
		return fmt.Errorf("open sealed value: %w", err)
	}
	return nil
}
