package eventstore

import (
	"bytes"
	"context"
	"errors"
	"fmt"

	"github.com/fristad/fristad/domain"
)

// Break is one place where the record is not what fristad wrote: a broken
// hash-chain link, a version gap, a record that cannot be read.
type Break struct {
	Seq     uint64    `json:"seq"`
	Subject string    `json:"subject"`
	EventID domain.ID `json:"event_id,omitempty"`
	Reason  string    `json:"reason"`
}

func (b Break) String() string {
	if b.EventID != "" {
		return fmt.Sprintf("stream sequence %d, event %s on %s: %s", b.Seq, b.EventID, b.Subject, b.Reason)
	}
	return fmt.Sprintf("stream sequence %d on %s: %s", b.Seq, b.Subject, b.Reason)
}

// VerifyReport sums up a walk of every chain.
type VerifyReport struct {
	LastSeq    uint64  `json:"last_seq"`
	Messages   int     `json:"messages"`
	Events     int     `json:"events"`
	Aggregates int     `json:"aggregates"`
	Breaks     []Break `json:"breaks"`
}

// OK reports whether every chain verified.
func (r VerifyReport) OK() bool { return len(r.Breaks) == 0 }

// maxBreaks bounds the report; the first break is what an operator needs.
const maxBreaks = 100

// Verify walks every aggregate's hash chain from the start of the stream.
// It reads each record's stored bytes, checks it belongs to its subject,
// that versions follow on and that each link matches the previous event's,
// and that its facts still decode. A break does not stop the walk: the
// chain continues from the broken event, so one forged event is reported
// once and not as a cascade. progress, when not nil, is called now and then.
func (s *Store) Verify(ctx context.Context, progress func(seq, last uint64)) (VerifyReport, error) {
	last, err := s.LastSeq(ctx)
	if err != nil {
		return VerifyReport{}, err
	}
	rep := VerifyReport{LastSeq: last}
	heads := map[string]chainPos{}
	add := func(b Break) {
		if len(rep.Breaks) < maxBreaks {
			rep.Breaks = append(rep.Breaks, b)
		}
	}
	err = s.readMessages(ctx, 1, last, func(m rawMsg) error {
		rep.Messages++
		if progress != nil && rep.Messages%10000 == 0 {
			progress(m.seq, last)
		}
		kind, id, ok := s.aggregateOf(m.subject)
		if !ok {
			add(Break{Seq: m.seq, Subject: m.subject, Reason: "not an aggregate subject"})
			return nil
		}
		raws, err := splitRecords(m.seq, m.data)
		if err != nil {
			add(Break{Seq: m.seq, Subject: m.subject, Reason: reasonOf(err)})
			return nil
		}
		pos := heads[m.subject]
		for _, raw := range raws {
			rep.Events++
			r, err := parseRecord(m.seq, raw)
			if err != nil {
				add(Break{Seq: m.seq, Subject: m.subject, Reason: reasonOf(err)})
				continue
			}
			link := s.chain.link(raw)
			switch {
			case r.Aggregate != kind || r.AggregateID != id:
				add(Break{m.seq, m.subject, r.ID, "event belongs to " + string(r.Aggregate) + " " + string(r.AggregateID)})
			case !bytes.Equal(r.Prev, pos.hash):
				add(Break{m.seq, m.subject, r.ID, fmt.Sprintf("version %d does not link to the previous event (version %d): an event is missing, altered or forged", r.Version, pos.version)})
			case r.Version != pos.version+1:
				add(Break{m.seq, m.subject, r.ID, fmt.Sprintf("version %d follows version %d", r.Version, pos.version)})
			default:
				if _, err := s.registry.DecodeFacts(r.Type, r.Schema, r.Facts); err != nil {
					add(Break{m.seq, m.subject, r.ID, err.Error()})
				}
			}
			pos = chainPos{version: r.Version, hash: link}
		}
		heads[m.subject] = pos
		return nil
	})
	rep.Aggregates = len(heads)
	if progress != nil {
		progress(last, last)
	}
	return rep, err
}

func reasonOf(err error) string {
	var ce *CorruptError
	if errors.As(err, &ce) {
		return ce.Reason
	}
	return err.Error()
}
