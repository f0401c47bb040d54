package eventstore

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/nats-io/nats.go/jetstream"
)

// Snapshots keeps projection snapshots: the serialized state of the
// projections and the stream sequence it reflects, so a restart replays
// only the tail. They live in a JetStream object store (KV values are
// bounded by the message size; a snapshot of many cases is not), one
// object per name, replaced on every save.
type Snapshots struct {
	os jetstream.ObjectStore
}

// ErrNoSnapshot is a name that was never saved.
var ErrNoSnapshot = errors.New("no snapshot")

func newSnapshots(ctx context.Context, js jetstream.JetStream, bucket string, replicas int) (*Snapshots, error) {
	os, err := js.CreateOrUpdateObjectStore(ctx, jetstream.ObjectStoreConfig{
		Bucket: bucket, Description: "projection snapshots", Storage: jetstream.FileStorage, Replicas: replicas,
	})
	if err != nil {
		return nil, fmt.Errorf("snapshots: %w", err)
	}
	return &Snapshots{os: os}, nil
}

// Save stores data as the snapshot name at stream sequence seq.
func (s *Snapshots) Save(ctx context.Context, name string, seq uint64, data []byte) error {
	_, err := s.os.PutBytes(ctx, name, data)
	if err != nil {
		return fmt.Errorf("snapshots: save %s: %w", name, err)
	}
	// The sequence goes into the object's metadata with the digest of the
	// data it belongs to. Load accepts a snapshot only when the two match,
	// so a crash between the steps leaves an unusable snapshot (rebuild
	// from zero), never data paired with the wrong sequence.
	info, err := s.os.GetInfo(ctx, name)
	if err != nil {
		return fmt.Errorf("snapshots: save %s: %w", name, err)
	}
	meta := info.ObjectMeta
	meta.Metadata = map[string]string{"seq": strconv.FormatUint(seq, 10), "digest": info.Digest}
	if err := s.os.UpdateMeta(ctx, name, meta); err != nil {
		return fmt.Errorf("snapshots: save %s: %w", name, err)
	}
	return nil
}

// Load returns the snapshot name and its stream sequence.
func (s *Snapshots) Load(ctx context.Context, name string) (uint64, []byte, error) {
	info, err := s.os.GetInfo(ctx, name)
	if errors.Is(err, jetstream.ErrObjectNotFound) {
		return 0, nil, ErrNoSnapshot
	}
	if err != nil {
		return 0, nil, fmt.Errorf("snapshots: load %s: %w", name, err)
	}
	seq, err := strconv.ParseUint(info.Metadata["seq"], 10, 64)
	if err != nil || info.Metadata["digest"] != info.Digest {
		// Data saved but its sequence not (a crash in between): unusable.
		return 0, nil, ErrNoSnapshot
	}
	data, err := s.os.GetBytes(ctx, name)
	if err != nil {
		return 0, nil, fmt.Errorf("snapshots: load %s: %w", name, err)
	}
	return seq, data, nil
}

// Delete removes a snapshot (a rebuild from zero).
func (s *Snapshots) Delete(ctx context.Context, name string) error {
	err := s.os.Delete(ctx, name)
	if err != nil && !errors.Is(err, jetstream.ErrObjectNotFound) {
		return fmt.Errorf("snapshots: delete %s: %w", name, err)
	}
	return nil
}
