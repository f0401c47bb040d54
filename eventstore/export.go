package eventstore

import (
	"bufio"
	"bytes"
	"context"
	"crypto/cipher"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"slices"
	"strconv"

	"github.com/fristad/fristad/domain"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// An export is NDJSON: one line per stored message of the event log (its
// subject and its exact bytes, so sealed personal data stays sealed and
// every chain link still verifies), one per data key as stored (wrapped
// by the master key, so an export is no more readable than the store),
// one per blind-index entry, and a last line, the manifest: counts, the
// head of every aggregate's chain, and a SHA-256 over all lines before it.
// It is the backup and the migration path.
type exportLine struct {
	Kind    string          `json:"kind"` // event, key, index, manifest
	Seq     uint64          `json:"seq,omitempty"`
	Subject string          `json:"subject,omitempty"`
	Key     string          `json:"key,omitempty"`
	Data    json.RawMessage `json:"data,omitempty"`
	Value   []byte          `json:"value,omitempty"`
	*Manifest
}

// Manifest closes an export.
type Manifest struct {
	Stream   string              `json:"stream"`
	LastSeq  uint64              `json:"last_seq"`
	Messages int                 `json:"messages"`
	Events   int                 `json:"events"`
	Keys     int                 `json:"keys"`
	Heads    map[string]ChainEnd `json:"heads"`
	Digest   string              `json:"digest"`
}

// ChainEnd is where one aggregate's chain ends.
type ChainEnd struct {
	Version uint64 `json:"version"`
	Link    []byte `json:"link"`
}

// Export writes the whole store to w.
func (s *Store) Export(ctx context.Context, w io.Writer) (Manifest, error) {
	bw := bufio.NewWriter(w)
	sum := sha256.New()
	// Stored bytes must come out exactly as stored: no HTML escaping.
	var line bytes.Buffer
	enc := json.NewEncoder(&line)
	enc.SetEscapeHTML(false)
	put := func(l exportLine) error {
		line.Reset()
		if err := enc.Encode(l); err != nil {
			return err
		}
		sum.Write(line.Bytes())
		_, err := bw.Write(line.Bytes())
		return err
	}
	m := Manifest{Stream: s.cfg.Stream, Heads: map[string]ChainEnd{}}
	last, err := s.LastSeq(ctx)
	if err != nil {
		return m, err
	}
	m.LastSeq = last
	err = s.readMessages(ctx, 1, last, func(msg rawMsg) error {
		raws, err := splitRecords(msg.seq, msg.data)
		if err != nil {
			return err
		}
		m.Messages++
		m.Events += len(raws)
		rel := relSubject(s.cfg.SubjectPrefix, msg.subject)
		head := m.Heads[rel]
		for _, raw := range raws {
			r, err := parseRecord(msg.seq, raw)
			if err != nil {
				return err
			}
			head = ChainEnd{Version: r.Version, Link: s.chain.link(raw)}
		}
		m.Heads[rel] = head
		return put(exportLine{Kind: "event", Seq: msg.seq, Subject: rel, Data: msg.data})
	})
	if err != nil {
		return m, fmt.Errorf("export: %w", err)
	}
	for _, kv := range []struct {
		kind string
		kv   jetstream.KeyValue
	}{{"key", s.keys.kv}, {"index", s.index.kv}} {
		keys, err := kv.kv.ListKeys(ctx)
		if err != nil {
			return m, fmt.Errorf("export: %w", err)
		}
		var names []string
		for k := range keys.Keys() {
			names = append(names, k)
		}
		slices.Sort(names)
		for _, k := range names {
			e, err := kv.kv.Get(ctx, k)
			if errors.Is(err, jetstream.ErrKeyNotFound) || errors.Is(err, jetstream.ErrKeyDeleted) {
				continue
			}
			if err != nil {
				return m, fmt.Errorf("export: %w", err)
			}
			if kv.kind == "key" {
				m.Keys++
			}
			if err := put(exportLine{Kind: kv.kind, Key: k, Value: e.Value()}); err != nil {
				return m, err
			}
		}
	}
	m.Digest = "sha256:" + hex.EncodeToString(sum.Sum(nil))
	line.Reset()
	if err := enc.Encode(exportLine{Kind: "manifest", Manifest: &m}); err != nil {
		return m, err
	}
	if _, err := bw.Write(line.Bytes()); err != nil {
		return m, err
	}
	return m, bw.Flush()
}

// relSubject is a subject without the stream's prefix ("case.<id>"), so
// an export imports under another prefix.
func relSubject(prefix, subject string) string { return subject[len(prefix)+1:] }

// ImportError is an export that does not verify; nothing was written.
type ImportError struct{ Reason string }

func (e *ImportError) Error() string { return "import refused: " + e.Reason }

// Import loads an export into an empty store. It reads and verifies the
// whole file first: the digest, every chain link (with the exported chain
// key, unwrapped by this store's master key: the same master key is
// needed) and every chain head against the manifest. Only then does it
// write keys, index and events, each message with the expected-sequence
// check, so the events land in the same order with the same bytes.
func (s *Store) Import(ctx context.Context, r io.Reader) (Manifest, error) {
	if last, err := s.LastSeq(ctx); err != nil {
		return Manifest{}, err
	} else if last != 0 {
		return Manifest{}, &ImportError{Reason: "the store is not empty"}
	}
	lines, m, err := readExport(r)
	if err != nil {
		return Manifest{}, err
	}
	var chainKey []byte
	for _, l := range lines {
		if l.Kind == "key" && domain.KeyID(l.Key) == chainKeyID {
			if chainKey, err = s.keys.unwrap(chainKeyID, l.Value); err != nil {
				return m, &ImportError{Reason: "the export's keys do not open with this master key"}
			}
		}
	}
	if chainKey == nil {
		return m, &ImportError{Reason: "the export has no chain key"}
	}
	if err := verifyExport(chain{key: chainKey}, lines, m); err != nil {
		return m, err
	}
	// Verified: write. Keys first (the store's own keys are replaced by the
	// exported ones), then the blind index, then the events.
	for _, l := range lines {
		var err error
		switch l.Kind {
		case "key":
			_, err = s.keys.kv.Put(ctx, l.Key, l.Value)
		case "index":
			_, err = s.index.kv.Put(ctx, l.Key, l.Value)
		}
		if err != nil {
			return m, fmt.Errorf("import: %w", err)
		}
	}
	if err := s.reloadOwnKeys(ctx); err != nil {
		return m, err
	}
	lastOf := map[string]uint64{}
	for _, l := range lines {
		if l.Kind != "event" {
			continue
		}
		msg := nats.NewMsg(s.cfg.SubjectPrefix + "." + l.Subject)
		msg.Data = l.Data
		msg.Header.Set(jetstream.ExpectedLastSubjSeqHeader, strconv.FormatUint(lastOf[l.Subject], 10))
		ack, err := s.js.PublishMsg(ctx, msg)
		if err != nil {
			return m, fmt.Errorf("import: event at export sequence %d: %w", l.Seq, err)
		}
		lastOf[l.Subject] = ack.Sequence
	}
	return m, nil
}

func readExport(r io.Reader) ([]exportLine, Manifest, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 1<<20), 64<<20)
	var lines []exportLine
	var m *Manifest
	var sum hash.Hash = sha256.New()
	for sc.Scan() {
		raw := sc.Bytes()
		var l exportLine
		if err := json.Unmarshal(raw, &l); err != nil {
			return nil, Manifest{}, &ImportError{Reason: fmt.Sprintf("line %d is not an export line", len(lines)+1)}
		}
		if m != nil {
			return nil, Manifest{}, &ImportError{Reason: "data after the manifest"}
		}
		if l.Kind == "manifest" && l.Manifest != nil {
			m = l.Manifest
			continue
		}
		sum.Write(raw)
		sum.Write([]byte{'\n'})
		lines = append(lines, l)
	}
	if err := sc.Err(); err != nil {
		return nil, Manifest{}, fmt.Errorf("import: %w", err)
	}
	if m == nil {
		return nil, Manifest{}, &ImportError{Reason: "no manifest: the file is truncated"}
	}
	if got := "sha256:" + hex.EncodeToString(sum.Sum(nil)); got != m.Digest {
		return nil, *m, &ImportError{Reason: "the digest does not match: the file was altered"}
	}
	return lines, *m, nil
}

// verifyExport walks every chain of an export like Verify does.
func verifyExport(c chain, lines []exportLine, m Manifest) error {
	heads := map[string]chainPos{}
	msgs, events := 0, 0
	for _, l := range lines {
		if l.Kind != "event" {
			continue
		}
		msgs++
		raws, err := splitRecords(l.Seq, l.Data)
		if err != nil {
			return &ImportError{Reason: err.Error()}
		}
		pos := heads[l.Subject]
		for _, raw := range raws {
			events++
			r, err := parseRecord(l.Seq, raw)
			if err != nil {
				return &ImportError{Reason: err.Error()}
			}
			if string(r.Aggregate)+"."+string(r.AggregateID) != l.Subject {
				return &ImportError{Reason: fmt.Sprintf("event %s is stored under another aggregate", r.ID)}
			}
			if r.Version != pos.version+1 || !bytes.Equal(r.Prev, pos.hash) {
				return &ImportError{Reason: fmt.Sprintf("event %s does not link to the previous event of %s", r.ID, l.Subject)}
			}
			pos = chainPos{version: r.Version, hash: c.link(raw)}
		}
		heads[l.Subject] = pos
	}
	if msgs != m.Messages || events != m.Events || len(heads) != len(m.Heads) {
		return &ImportError{Reason: "the export does not hold what its manifest lists"}
	}
	for subject, pos := range heads {
		end, ok := m.Heads[subject]
		if !ok || end.Version != pos.version || !bytes.Equal(end.Link, pos.hash) {
			return &ImportError{Reason: "chain head of " + subject + " differs from the manifest"}
		}
	}
	return nil
}

// reloadOwnKeys re-reads the chain and index keys after an import
// replaced them.
func (s *Store) reloadOwnKeys(ctx context.Context) error {
	ck, err := s.keys.rawKey(ctx, chainKeyID)
	if err != nil {
		return err
	}
	ik, err := s.keys.rawKey(ctx, indexKeyID)
	if err != nil {
		return err
	}
	s.chain = chain{key: ck}
	s.index.key = ik
	s.keys.mu.Lock()
	s.keys.cache = map[domain.KeyID]cipher.AEAD{}
	s.keys.mu.Unlock()
	return nil
}
