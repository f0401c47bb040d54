package eventstore

import (
	"testing"

	"github.com/nats-io/nats.go/jetstream"
	"github.com/stretchr/testify/assert"
)

// Only a refusal that can come from the commit itself leaves a batch
// possibly part-stored; every other refusal is resolved by publishing
// each command alone.
func TestWhichRefusalsMayBePartlyStored(t *testing.T) {
	for code, want := range map[int]bool{
		10077: true,  // storing a message failed
		10023: true,  // insufficient resources
		10071: false, // wrong last sequence: checked before anything is stored
		10164: false, // wrong last sequence (constant)
		10201: false, // duplicate message id in the batch
		10176: false, // incomplete batch
		10199: false, // batch too large
		10174: false, // atomic publish disabled
	} {
		assert.Equal(t, want, mayBePartlyStored(&jetstream.APIError{ErrorCode: jetstream.ErrorCode(code)}), "code %d", code)
	}
}
