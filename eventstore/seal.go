package eventstore

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"

	"github.com/fristad/fristad/domain"
)

// Sealed is personal data as it is stored: AES-256-GCM ciphertext under the
// data key Key. The additional data binds it to its event id and key, so a
// sealed blob copied into another event does not open.
type Sealed struct {
	Key   domain.KeyID `json:"key"`
	Nonce []byte       `json:"nonce"`
	Data  []byte       `json:"data"`
}

func sealAAD(eventID domain.ID, key domain.KeyID) []byte {
	return []byte("fristad event " + string(eventID) + " " + string(key))
}

// seal encrypts personal data for one event, creating the data key on first
// use (a new person's key is made with their first event).
func (k *Keyring) seal(ctx context.Context, eventID domain.ID, key domain.KeyID, personal any) (*Sealed, error) {
	plain, err := json.Marshal(personal)
	if err != nil {
		return nil, fmt.Errorf("seal: %w", err)
	}
	a, err := k.aead(ctx, key, true)
	if err != nil {
		return nil, err
	}
	nonce := make([]byte, a.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return nil, fmt.Errorf("seal: %w", err)
	}
	return &Sealed{Key: key, Nonce: nonce, Data: a.Seal(nil, nonce, plain, sealAAD(eventID, key))}, nil
}

// Unseal decrypts an event's personal data into a new value of the event
// type's personal struct (nil when the event carries none). A destroyed key
// gives *ShreddedError; an envelope read for its facts only (Read,
// Subscribe) gives *InvalidError: load the aggregate to unseal.
func (s *Store) Unseal(ctx context.Context, env *Envelope) (any, error) {
	if env.FactsOnly {
		return nil, &InvalidError{Op: "unseal", Reason: "event " + string(env.ID) + " was read for its facts only; load its aggregate to open personal data"}
	}
	if env.Sealed == nil {
		return nil, nil
	}
	a, err := s.keys.aead(ctx, env.Sealed.Key, false)
	if err != nil {
		return nil, err
	}
	plain, err := a.Open(nil, env.Sealed.Nonce, env.Sealed.Data, sealAAD(env.ID, env.Sealed.Key))
	if err != nil {
		return nil, fmt.Errorf("open personal data of event %s: authentication failed", env.ID)
	}
	v := s.registry.NewPersonal(env.Type)
	if v == nil {
		return nil, &CorruptError{Seq: env.Seq, Reason: "event type " + env.Type + " carries no personal data"}
	}
	// Personal data is decoded leniently: its shape may grow between schema
	// versions and it cannot be upcast without decrypting every event.
	if err := json.Unmarshal(plain, v); err != nil {
		return nil, &CorruptError{Seq: env.Seq, Reason: "personal data", Err: err}
	}
	return v, nil
}
