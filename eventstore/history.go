package eventstore

import (
	"container/list"
	"context"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/fristad/fristad/domain"
)

// History is one aggregate's events in order. It is immutable once made:
// the cache hands the same History to many callers.
type History struct {
	Kind    domain.Kind
	ID      domain.ID
	Events  []Envelope
	Version uint64 // the last event's version; 0 for an aggregate with no events
	LastSeq uint64 // stream sequence of its last message; 0 for none
	head    []byte // last link of its hash chain
	// extended is set by the first extension, which may append into the
	// room left in Events' array: no reader of this History looks past
	// its own length. Any later extension (there is one only after a lost
	// race or a reload) copies.
	extended atomic.Bool
	// folded is a decider's state folded from Events, kept so that the
	// next command on this history need not fold it again (Execute).
	folded atomic.Pointer[foldedState]
}

// foldedState is a state of some decider's type, folded for one kind.
type foldedState struct {
	kind  domain.Kind
	state any
}

// Exists reports whether the aggregate has any event.
func (h *History) Exists() bool { return h.Version > 0 }

// Recorded returns the events as deciders fold them.
func (h *History) Recorded() []domain.Recorded {
	out := make([]domain.Recorded, len(h.Events))
	for i := range h.Events {
		out[i] = h.Events[i].Recorded()
	}
	return out
}

// extend returns a new History with more events. Copying the whole
// history on every append made each command cost more the longer its
// aggregate's history grew; now only the first extension of a History
// appends in place, amortized, and neither History sees the other's events.
func (h *History) extend(events []Envelope) *History {
	if len(events) == 0 {
		return h
	}
	base := h.Events
	if !h.extended.CompareAndSwap(false, true) {
		base = slices.Clip(base)
	}
	last := events[len(events)-1]
	return &History{
		Kind: h.Kind, ID: h.ID,
		Events:  append(base, events...),
		Version: last.Version, LastSeq: last.Seq, head: last.Hash,
	}
}

// Load reads one aggregate's history. A cached history is brought up to
// date with one batched direct get of the messages after it, so a load is
// one round trip whether or not the aggregate changed. An aggregate with no
// events gives an empty History, not an error.
func (s *Store) Load(ctx context.Context, kind domain.Kind, id domain.ID) (*History, error) {
	if !kind.Valid() {
		return nil, &InvalidError{Op: "load", Reason: "unknown aggregate kind " + string(kind)}
	}
	if !id.Valid() {
		return nil, &InvalidError{Op: "load", Reason: "invalid aggregate id"}
	}
	ctx, cancel := s.withTimeout(ctx)
	defer cancel()
	subject := s.subjectFor(kind, id)
	h := s.cache.get(subject)
	if h == nil {
		h = &History{Kind: kind, ID: id}
	}
	msgs, err := s.direct.fetch(ctx, subject, h.LastSeq+1)
	if err != nil {
		return nil, err
	}
	if len(msgs) == 0 {
		return h, nil
	}
	pos := &chainPos{version: h.Version, hash: h.head}
	var fresh []Envelope
	for _, m := range msgs {
		envs, err := s.decodeMessage(m.seq, subject, m.data, pos)
		if err != nil {
			return nil, err
		}
		last := envs[len(envs)-1]
		pos = &chainPos{version: last.Version, hash: last.Hash}
		fresh = append(fresh, envs...)
	}
	h = h.extend(fresh)
	s.cache.put(subject, h)
	return h, nil
}

// cachedOrLoad returns the cached history without a round trip, or loads
// it; fresh reports whether it was just read from the server.
func (s *Store) cachedOrLoad(ctx context.Context, kind domain.Kind, id domain.ID) (*History, bool, error) {
	if kind.Valid() && id.Valid() {
		if h := s.cache.get(s.subjectFor(kind, id)); h != nil {
			return h, false, nil
		}
	}
	h, err := s.Load(ctx, kind, id)
	return h, true, err
}

// historyCache is a small LRU of histories by subject.
type historyCache struct {
	mu        sync.Mutex
	max       int // aggregates
	maxEvents int // events of all cached histories together
	events    int
	order     *list.List // front = most recent; values are *cacheEntry
	byKey     map[string]*list.Element
}

type cacheEntry struct {
	subject string
	h       *History
}

func newHistoryCache(max, maxEvents int) *historyCache {
	return &historyCache{max: max, maxEvents: maxEvents, order: list.New(), byKey: map[string]*list.Element{}}
}

func (c *historyCache) get(subject string) *History {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.byKey[subject]
	if !ok {
		return nil
	}
	c.order.MoveToFront(el)
	return el.Value.(*cacheEntry).h
}

// put stores h unless the cache already holds a newer history of it.
func (c *historyCache) put(subject string, h *History) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.byKey[subject]; ok {
		e := el.Value.(*cacheEntry)
		if e.h.LastSeq < h.LastSeq {
			c.events += len(h.Events) - len(e.h.Events)
			e.h = h
		}
		c.order.MoveToFront(el)
	} else {
		c.byKey[subject] = c.order.PushFront(&cacheEntry{subject: subject, h: h})
		c.events += len(h.Events)
	}
	// The newest history stays even when it alone is over the event
	// budget: the command that loaded it is about to use it.
	for c.order.Len() > 1 && (c.order.Len() > c.max || c.events > c.maxEvents) {
		old := c.order.Back()
		c.order.Remove(old)
		e := old.Value.(*cacheEntry)
		delete(c.byKey, e.subject)
		c.events -= len(e.h.Events)
	}
}
