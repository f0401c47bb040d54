package eventstore

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/fristad/fristad/domain"
	"github.com/nats-io/nats.go/jetstream"
)

// BlindIndex finds persons by personal identity number without storing the
// number: the KV key is an HMAC of the number under a secret index key, so
// neither the bucket nor the immutable stream reveals it. It lives in KV,
// not in the stream, so a culled person's entry can be deleted for real.
type BlindIndex struct {
	kv  jetstream.KeyValue
	key []byte
}

func newBlindIndex(ctx context.Context, js jetstream.JetStream, bucket string, replicas int, keys *Keyring) (*BlindIndex, error) {
	key, err := keys.rawKey(ctx, indexKeyID)
	if err != nil {
		return nil, err
	}
	kv, err := js.CreateOrUpdateKeyValue(ctx, jetstream.KeyValueConfig{
		Bucket:      bucket,
		Description: "blind index: keyed hash of personal identity number -> person ids",
		Storage:     jetstream.FileStorage,
		Replicas:    replicas,
	})
	if err != nil {
		return nil, fmt.Errorf("blind index: %w", err)
	}
	return &BlindIndex{kv: kv, key: key}, nil
}

// token is the index key of a normalized personal identity number.
func (b *BlindIndex) token(number string) string {
	m := hmac.New(sha256.New, b.key)
	m.Write([]byte("pnr:" + number))
	return hex.EncodeToString(m.Sum(nil))
}

// Find returns the persons registered with the number (normally one; more
// when a person was registered twice by mistake).
func (b *BlindIndex) Find(ctx context.Context, number string) ([]domain.ID, error) {
	e, err := b.entry(ctx, b.token(number))
	return e.ids, err
}

// Add records that person id has the number. Callers add before they
// append the person's registration, so a crash leaves at worst an entry
// pointing at no person, never a person that cannot be found.
func (b *BlindIndex) Add(ctx context.Context, number string, id domain.ID) error {
	return b.update(ctx, b.token(number), func(e indexEntry) ([]domain.ID, error) {
		if slices.Contains(e.ids, id) {
			return e.ids, nil
		}
		return append(e.ids, id), nil
	})
}

// Remove deletes person id from the number's entry, and the entry with its
// history once no person is left (culling).
func (b *BlindIndex) Remove(ctx context.Context, number string, id domain.ID) error {
	return b.update(ctx, b.token(number), func(e indexEntry) ([]domain.ID, error) {
		return slices.DeleteFunc(e.ids, func(x domain.ID) bool { return x == id }), nil
	})
}

// ErrClaimPending is a number another registration claimed moments ago:
// its person may not be appended yet. Look for that person again rather
// than open a second personal file.
var ErrClaimPending = errors.New("blind index: the number was claimed moments ago by another registration")

// Claim adds person id to the number's entry unless another id was added
// less than window before now (the entry's time on the server): then it
// returns ErrClaimPending. Instances serialize registrations of one
// number only among their own requests; across instances this is what
// keeps two concurrent registrations from opening two personal files. A
// claim whose person never came (its instance stopped between the claim
// and the append) stops counting after window.
func (b *BlindIndex) Claim(ctx context.Context, number string, id domain.ID, now time.Time, window time.Duration) error {
	return b.update(ctx, b.token(number), func(e indexEntry) ([]domain.ID, error) {
		switch {
		case slices.Contains(e.ids, id):
			return e.ids, nil
		case len(e.ids) > 0 && now.Sub(e.at) < window:
			return nil, ErrClaimPending
		}
		return append(e.ids, id), nil
	})
}

// indexEntry is a number's entry: the persons, its revision (0: none)
// and when it was last written, by the server's clock.
type indexEntry struct {
	ids []domain.ID
	rev uint64
	at  time.Time
}

func (b *BlindIndex) entry(ctx context.Context, tok string) (indexEntry, error) {
	e, err := b.kv.Get(ctx, tok)
	if errors.Is(err, jetstream.ErrKeyNotFound) || errors.Is(err, jetstream.ErrKeyDeleted) {
		return indexEntry{}, nil
	}
	if err != nil {
		return indexEntry{}, fmt.Errorf("blind index: %w", err)
	}
	var ids []domain.ID
	if err := json.Unmarshal(e.Value(), &ids); err != nil {
		return indexEntry{}, fmt.Errorf("blind index: malformed entry: %w", err)
	}
	return indexEntry{ids: ids, rev: e.Revision(), at: e.Created()}, nil
}

// update applies change with optimistic concurrency, retrying lost races.
// change gets a copy of the entry and returns its new persons, or an error
// that ends the update with nothing written.
func (b *BlindIndex) update(ctx context.Context, tok string, change func(indexEntry) ([]domain.ID, error)) error {
	for attempt := 0; attempt < 10; attempt++ {
		e, err := b.entry(ctx, tok)
		if err != nil {
			return err
		}
		rev := e.rev
		e.ids = slices.Clone(e.ids)
		next, err := change(e)
		if err != nil {
			return err
		}
		switch {
		case len(next) == 0 && rev == 0:
			return nil
		case len(next) == 0:
			err = b.kv.Purge(ctx, tok, jetstream.LastRevision(rev))
		default:
			val, _ := json.Marshal(next)
			if rev == 0 {
				_, err = b.kv.Create(ctx, tok, val)
			} else {
				_, err = b.kv.Update(ctx, tok, val, rev)
			}
		}
		if err == nil {
			return nil
		}
		var apiErr *jetstream.APIError
		if !errors.Is(err, jetstream.ErrKeyExists) && !(errors.As(err, &apiErr) && apiErr.ErrorCode == jetstream.JSErrCodeStreamWrongLastSequence) {
			return fmt.Errorf("blind index: %w", err)
		}
	}
	return errors.New("blind index: too many concurrent updates")
}
