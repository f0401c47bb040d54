package eventstore

import (
	"crypto/hmac"
	"crypto/sha256"
)

// chain computes the links of the per-aggregate hash chain. A link is an
// HMAC-SHA-256 over the stored bytes of an event record, which include the
// previous link. It is keyed (by a secret in the keyring) so that someone
// who can publish to the stream with raw NATS calls still cannot forge a
// valid link; it is over the sealed bytes so that destroying a data key
// (culling) leaves every chain verifiable.
type chain struct {
	key []byte
}

func (c chain) link(raw []byte) []byte {
	m := hmac.New(sha256.New, c.key)
	m.Write(raw)
	return m.Sum(nil)
}

// chainPos is where an aggregate's chain stands: its version and last link.
type chainPos struct {
	version uint64
	hash    []byte
}
