package eventstore

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	"github.com/nats-io/nats.go/jetstream"
)

// Snapshots keeps projection snapshots: the serialized state of the
// projections and the stream sequence it reflects, so a restart replays
// only the tail. They live in a JetStream object store (KV values are
// bounded by the message size; a snapshot of many cases is not).
//
// A snapshot is stored as parts of at most snapshotPartSize bytes and an
// index object naming them. The object store publishes an object's chunks
// without waiting for their acknowledgements, up to 4,000 at a time; for
// an object of hundreds of MB on a `sync: always` stream that overflows
// the server's ingest queue (128 MB) and the save fails with 429 "too many
// requests". Each part is acknowledged in full before the next is sent.
type Snapshots struct {
	os jetstream.ObjectStore
}

// snapshotPartSize bounds what one object store Put has in flight.
const snapshotPartSize = 8 << 20

// ErrNoSnapshot is a name that was never saved, or whose save did not finish.
var ErrNoSnapshot = errors.New("no snapshot")

// snapshotIndex is the index object: the sequence the snapshot reflects
// and its parts, each with the SHA-256 of its bytes.
type snapshotIndex struct {
	Seq   uint64         `json:"seq"`
	Parts []snapshotPart `json:"parts"`
	Size  int            `json:"size"`
}

type snapshotPart struct {
	Name   string `json:"name"`
	SHA256 string `json:"sha256"`
}

func newSnapshots(ctx context.Context, js jetstream.JetStream, bucket string, replicas int) (*Snapshots, error) {
	os, err := js.CreateOrUpdateObjectStore(ctx, jetstream.ObjectStoreConfig{
		Bucket: bucket, Description: "projection snapshots", Storage: jetstream.FileStorage, Replicas: replicas,
	})
	if err != nil {
		return nil, fmt.Errorf("snapshots: %w", err)
	}
	return &Snapshots{os: os}, nil
}

// Save stores data as the snapshot name at stream sequence seq. The parts
// go first, under names of their own (this save's sequence), then the
// index that names them, then the previous save's parts are deleted: a
// crash at any step leaves the previous snapshot or this one, never a mix.
func (s *Snapshots) Save(ctx context.Context, name string, seq uint64, data []byte) error {
	old, _ := s.index(ctx, name)
	idx := snapshotIndex{Seq: seq, Size: len(data)}
	for i := 0; i == 0 || i*snapshotPartSize < len(data); i++ {
		part := data[i*snapshotPartSize : min((i+1)*snapshotPartSize, len(data))]
		pname := name + ".s" + strconv.FormatUint(seq, 10) + ".p" + strconv.Itoa(i)
		if _, err := s.os.PutBytes(ctx, pname, part); err != nil {
			return fmt.Errorf("snapshots: save %s: %w", name, err)
		}
		sum := sha256.Sum256(part)
		idx.Parts = append(idx.Parts, snapshotPart{Name: pname, SHA256: hex.EncodeToString(sum[:])})
	}
	b, err := json.Marshal(idx)
	if err != nil {
		return fmt.Errorf("snapshots: save %s: %w", name, err)
	}
	if _, err := s.os.PutBytes(ctx, name, b); err != nil {
		return fmt.Errorf("snapshots: save %s: %w", name, err)
	}
	if old != nil {
		s.deleteParts(ctx, old, idx)
	}
	return nil
}

// index reads the index object of name; nil when there is none or it is
// not an index (a snapshot written before parts: unusable, rebuilt).
func (s *Snapshots) index(ctx context.Context, name string) (*snapshotIndex, error) {
	b, err := s.os.GetBytes(ctx, name)
	if errors.Is(err, jetstream.ErrObjectNotFound) {
		return nil, ErrNoSnapshot
	}
	if err != nil {
		return nil, fmt.Errorf("snapshots: load %s: %w", name, err)
	}
	var idx snapshotIndex
	if err := json.Unmarshal(b, &idx); err != nil || len(idx.Parts) == 0 {
		return nil, ErrNoSnapshot
	}
	return &idx, nil
}

// deleteParts removes the parts of old that keep does not use.
func (s *Snapshots) deleteParts(ctx context.Context, old *snapshotIndex, keep snapshotIndex) {
	used := map[string]bool{}
	for _, p := range keep.Parts {
		used[p.Name] = true
	}
	for _, p := range old.Parts {
		if !used[p.Name] {
			// A part left behind only costs space; the next save retries.
			_ = s.os.Delete(ctx, p.Name)
		}
	}
}

// Load returns the snapshot name and its stream sequence. A snapshot
// whose parts are missing or do not match the index is ErrNoSnapshot.
func (s *Snapshots) Load(ctx context.Context, name string) (uint64, []byte, error) {
	idx, err := s.index(ctx, name)
	if err != nil {
		return 0, nil, err
	}
	data := make([]byte, 0, idx.Size)
	for _, p := range idx.Parts {
		part, err := s.os.GetBytes(ctx, p.Name)
		if errors.Is(err, jetstream.ErrObjectNotFound) {
			return 0, nil, ErrNoSnapshot
		}
		if err != nil {
			return 0, nil, fmt.Errorf("snapshots: load %s: %w", name, err)
		}
		sum := sha256.Sum256(part)
		if hex.EncodeToString(sum[:]) != p.SHA256 {
			return 0, nil, ErrNoSnapshot
		}
		data = append(data, part...)
	}
	if len(data) != idx.Size {
		return 0, nil, ErrNoSnapshot
	}
	return idx.Seq, data, nil
}

// Delete removes a snapshot (a rebuild from zero).
func (s *Snapshots) Delete(ctx context.Context, name string) error {
	idx, err := s.index(ctx, name)
	if err != nil && !errors.Is(err, ErrNoSnapshot) {
		return err
	}
	if err := s.os.Delete(ctx, name); err != nil && !errors.Is(err, jetstream.ErrObjectNotFound) {
		return fmt.Errorf("snapshots: delete %s: %w", name, err)
	}
	if idx != nil {
		s.deleteParts(ctx, idx, snapshotIndex{})
	}
	return nil
}
