package accesslog

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/fristad/fristad/domain"
	"github.com/nats-io/nats.go/jetstream"
)

// Query selects entries. Zero fields do not filter.
type Query struct {
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

// Query returns the entries that match q, oldest first, and the cursor of
// the next page (0 when this page is the last). It reads from the cursor,
// or from From by the server's time index, and stops after To (see the
// package doc). A page ends at a message boundary.
func (l *Log) Query(ctx context.Context, q Query) ([]Entry, uint64, error) {
	if q.Limit <= 0 {
		q.Limit = 100
	}
	q.Limit = min(q.Limit, 1000)
	if q.Units != nil && len(q.Units) == 0 {
		return []Entry{}, 0, nil
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
		start := q.From.Add(-l.skew)
		cc.DeliverPolicy, cc.OptStartTime = jetstream.DeliverByStartTimePolicy, &start
	}
	cons, err := l.stream.CreateConsumer(ctx, cc)
	if err != nil {
		return nil, 0, fmt.Errorf("access log query: %w", err)
	}
	defer func() {
		dctx, dcancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer dcancel()
		_ = l.stream.DeleteConsumer(dctx, cons.CachedInfo().Name)
	}()
	pending := cons.CachedInfo().NumPending
	out := []Entry{}
	if pending == 0 {
		return out, 0, nil
	}
	it, err := cons.Messages(jetstream.PullMaxMessages(512))
	if err != nil {
		return nil, 0, fmt.Errorf("access log query: %w", err)
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
			return nil, 0, fmt.Errorf("access log query: %w", err)
		}
		md, err := m.Metadata()
		if err != nil {
			return nil, 0, fmt.Errorf("access log query: %w", err)
		}
		if !q.To.IsZero() && md.Timestamp.After(q.To.Add(l.skew)) {
			break // every later entry is later than To
		}
		entries, err := decodeMessage(m.Data())
		if err != nil {
			return nil, 0, &CorruptError{Seq: md.Sequence.Stream, Err: err}
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

// decodeMessage decodes one message of the access stream: a JSON array of
// entries (group commit) or, as written before it, one entry object.
func decodeMessage(data []byte) ([]Entry, error) {
	trimmed := bytes.TrimLeft(data, " \t\r\n")
	if len(trimmed) > 0 && trimmed[0] == '[' {
		var entries []Entry
		if err := json.Unmarshal(trimmed, &entries); err != nil {
			return nil, err
		}
		if len(entries) == 0 {
			return nil, errors.New("an empty group")
		}
		return entries, nil
	}
	var e Entry
	if err := json.Unmarshal(data, &e); err != nil {
		return nil, err
	}
	return []Entry{e}, nil
}

func (q *Query) matches(e *Entry) bool {
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
