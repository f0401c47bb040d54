package eventstore

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"errors"
	"fmt"
	"sync"

	"github.com/fristad/fristad/domain"
	"github.com/nats-io/nats.go/jetstream"
)

// Keyring keeps one AES-256 data key per person and per consent document in
// a JetStream KV bucket, each wrapped (AES-256-GCM) by the master key.
// Destroying a key erases it from the bucket's storage, which makes every
// piece of personal data sealed with it unreadable (crypto-shredding) while
// the events themselves, their facts and the hash chain stay.
type Keyring struct {
	kv     jetstream.KeyValue
	stream jetstream.Stream // the bucket's backing stream, for secure erase
	master cipher.AEAD

	mu    sync.RWMutex
	cache map[domain.KeyID]cipher.AEAD
}

const wrapVersion = 1

// Reserved key names for the store's own secrets.
const (
	chainKeyID domain.KeyID = "sys.chain" // keys the hash chain (HMAC)
	indexKeyID domain.KeyID = "sys.index" // keys the blind index of personal numbers
)

func newKeyring(ctx context.Context, js jetstream.JetStream, bucket string, replicas int, master []byte) (*Keyring, error) {
	if len(master) != 32 {
		return nil, errors.New("keyring: master key must be 32 bytes")
	}
	block, err := aes.NewCipher(master)
	if err != nil {
		return nil, fmt.Errorf("keyring: %w", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, fmt.Errorf("keyring: %w", err)
	}
	// The bucket's stream is made by hand rather than by CreateKeyValue
	// because KV buckets deny message deletion, and destroying a key must
	// overwrite its bytes on disk (secure erase), not only hide them.
	stream, err := js.CreateOrUpdateStream(ctx, jetstream.StreamConfig{
		Name:              "KV_" + bucket,
		Subjects:          []string{"$KV." + bucket + ".>"},
		MaxMsgsPerSubject: 1,
		MaxBytes:          -1,
		MaxMsgSize:        -1,
		MaxMsgs:           -1,
		MaxConsumers:      -1,
		Storage:           jetstream.FileStorage,
		Replicas:          replicas,
		AllowRollup:       true,
		AllowDirect:       true,
		Discard:           jetstream.DiscardNew,
	})
	if err != nil {
		return nil, fmt.Errorf("keyring: bucket %s: %w", bucket, err)
	}
	kv, err := js.KeyValue(ctx, bucket)
	if err != nil {
		return nil, fmt.Errorf("keyring: bucket %s: %w", bucket, err)
	}
	return &Keyring{kv: kv, stream: stream, master: aead, cache: map[domain.KeyID]cipher.AEAD{}}, nil
}

// aead returns the cipher for a data key. With create, a missing key is
// generated; without, a missing key is a *ShreddedError.
func (k *Keyring) aead(ctx context.Context, id domain.KeyID, create bool) (cipher.AEAD, error) {
	k.mu.RLock()
	a, ok := k.cache[id]
	k.mu.RUnlock()
	if ok {
		return a, nil
	}
	raw, err := k.load(ctx, id, create)
	if err != nil {
		return nil, err
	}
	a, err = newGCM(raw)
	if err != nil {
		return nil, err
	}
	k.mu.Lock()
	k.cache[id] = a
	k.mu.Unlock()
	return a, nil
}

// rawKey returns the unwrapped bytes of a key (used for the store's own
// HMAC keys), creating it if missing.
func (k *Keyring) rawKey(ctx context.Context, id domain.KeyID) ([]byte, error) {
	return k.load(ctx, id, true)
}

func (k *Keyring) load(ctx context.Context, id domain.KeyID, create bool) ([]byte, error) {
	entry, err := k.kv.Get(ctx, string(id))
	switch {
	case err == nil:
		return k.unwrap(id, entry.Value())
	case errors.Is(err, jetstream.ErrKeyNotFound) || errors.Is(err, jetstream.ErrKeyDeleted):
		if !create {
			return nil, &ShreddedError{Key: string(id)}
		}
	default:
		return nil, fmt.Errorf("keyring: get %s: %w", id, err)
	}
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return nil, fmt.Errorf("keyring: %w", err)
	}
	wrapped, err := k.wrap(id, raw)
	if err != nil {
		return nil, err
	}
	if _, err := k.kv.Create(ctx, string(id), wrapped); err != nil {
		if errors.Is(err, jetstream.ErrKeyExists) {
			// Another writer created it first (or it was destroyed and
			// left a marker): use theirs, or refuse to resurrect.
			return k.load(ctx, id, false)
		}
		return nil, fmt.Errorf("keyring: create %s: %w", id, err)
	}
	return raw, nil
}

func (k *Keyring) wrap(id domain.KeyID, raw []byte) ([]byte, error) {
	nonce := make([]byte, k.master.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return nil, fmt.Errorf("keyring: %w", err)
	}
	out := append([]byte{wrapVersion}, nonce...)
	return k.master.Seal(out, nonce, raw, []byte("fristad key "+id)), nil
}

func (k *Keyring) unwrap(id domain.KeyID, b []byte) ([]byte, error) {
	ns := k.master.NonceSize()
	if len(b) < 1+ns || b[0] != wrapVersion {
		return nil, fmt.Errorf("keyring: key %s: unknown wrapping", id)
	}
	raw, err := k.master.Open(nil, b[1:1+ns], b[1+ns:], []byte("fristad key "+id))
	if err != nil {
		return nil, fmt.Errorf("keyring: key %s: cannot unwrap (wrong master key?)", id)
	}
	return raw, nil
}

// Destroy erases a data key: every stored revision is overwritten on disk
// (secure delete) and a purge marker tells other instances to drop their
// cached copy. Destroying a missing key is not an error, so culling can be
// re-run after a crash.
func (k *Keyring) Destroy(ctx context.Context, id domain.KeyID) error {
	if id == chainKeyID || id == indexKeyID {
		return &InvalidError{Op: "destroy key", Reason: "the store's own keys cannot be destroyed"}
	}
	k.mu.Lock()
	delete(k.cache, id)
	k.mu.Unlock()
	if entry, err := k.kv.Get(ctx, string(id)); err == nil {
		if err := k.stream.SecureDeleteMsg(ctx, entry.Revision()); err != nil && !errors.Is(err, jetstream.ErrMsgNotFound) {
			return fmt.Errorf("keyring: erase %s: %w", id, err)
		}
	} else if !errors.Is(err, jetstream.ErrKeyNotFound) && !errors.Is(err, jetstream.ErrKeyDeleted) {
		return fmt.Errorf("keyring: destroy %s: %w", id, err)
	}
	if err := k.kv.Purge(ctx, string(id)); err != nil {
		return fmt.Errorf("keyring: purge %s: %w", id, err)
	}
	return nil
}

// Exists reports whether a data key is present (not destroyed).
func (k *Keyring) Exists(ctx context.Context, id domain.KeyID) (bool, error) {
	_, err := k.kv.Get(ctx, string(id))
	switch {
	case err == nil:
		return true, nil
	case errors.Is(err, jetstream.ErrKeyNotFound) || errors.Is(err, jetstream.ErrKeyDeleted):
		return false, nil
	default:
		return false, fmt.Errorf("keyring: %w", err)
	}
}

// forget drops a cached key; the watcher calls it when another instance
// destroyed it.
func (k *Keyring) forget(id domain.KeyID) {
	k.mu.Lock()
	delete(k.cache, id)
	k.mu.Unlock()
}

// watch drops cached keys that another instance destroys, until ctx ends.
func (k *Keyring) watch(ctx context.Context) error {
	w, err := k.kv.WatchAll(ctx, jetstream.UpdatesOnly())
	if err != nil {
		return fmt.Errorf("keyring: watch: %w", err)
	}
	go func() {
		defer w.Stop()
		for entry := range w.Updates() {
			if entry == nil {
				continue
			}
			if op := entry.Operation(); op == jetstream.KeyValueDelete || op == jetstream.KeyValuePurge {
				k.forget(domain.KeyID(entry.Key()))
			}
		}
	}()
	return nil
}

func newGCM(key []byte) (cipher.AEAD, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("keyring: %w", err)
	}
	return cipher.NewGCM(block)
}
