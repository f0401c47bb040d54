package eventstore

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/fristad/fristad/domain"
)

// Sealing a value that is not an event's personal data: an access-log
// reason, a document kept beside the record. Like seal.go (AES-256-GCM
// under a data key of the keyring), bound to a string the holder names,
// so a blob copied elsewhere does not open.

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

// UnsealValue opens what SealValue sealed with the same bind into v. A
// destroyed key gives *ShreddedError.
func (k *Keyring) UnsealValue(ctx context.Context, s *Sealed, bind string, v any) error {
	if s == nil {
		return errors.New("unseal: nothing sealed")
	}
	a, err := k.aead(ctx, s.Key, false)
	if err != nil {
		return err
	}
	plain, err := a.Open(nil, s.Nonce, s.Data, valueAAD(bind, s.Key))
	if err != nil {
		return errors.New("unseal sealed value: authentication failed")
	}
	if err := json.Unmarshal(plain, v); err != nil {
		return fmt.Errorf("unseal sealed value: %w", err)
	}
	return nil
}

// AccessMonthKey is the key that seals the reasons of a month's access
// entries that are about no (remaining) person; an operator may destroy it
// to shred that month's reasons.
func AccessMonthKey(t time.Time) domain.KeyID {
	return domain.KeyID("access." + t.UTC().Format("2006-01"))
}

// accessReasons seals access-log reasons for package accesslog (its
// Sealer): with the key of the person the read was about while that key
// exists (a person's key is never created here: that would resurrect a
// culled person's key), so culling the person shreds the reason too; else
// with the month's key.
type accessReasons struct{ keys *Keyring }

func accessAAD(entryID domain.ID) string { return "access " + string(entryID) }

func (r accessReasons) SealReason(ctx context.Context, id, person domain.ID, at time.Time, reason string) (json.RawMessage, error) {
	aad := accessAAD(id)
	var s *Sealed
	var err error
	if person != "" {
		s, err = r.keys.sealValue(ctx, domain.PersonKey(person), aad, reason, false)
	}
	var shredded *ShreddedError
	if person == "" || errors.As(err, &shredded) {
		s, err = r.keys.sealValue(ctx, AccessMonthKey(at), aad, reason, true)
	}
	if err != nil {
		return nil, err
	}
	return json.Marshal(s)
}

func (r accessReasons) UnsealReason(ctx context.Context, id domain.ID, sealed json.RawMessage) (string, error) {
	var s Sealed
	if err := json.Unmarshal(sealed, &s); err != nil {
		return "", fmt.Errorf("unseal access reason: %w", err)
	}
	var reason string
	if err := r.keys.UnsealValue(ctx, &s, accessAAD(id), &reason); err != nil {
		return "", err
	}
	return reason, nil
}
