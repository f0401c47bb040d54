// Package appendonly holds the one rule both of fristad's record streams
// (the event log and the access log) are configured by.
package appendonly

import (
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// Stream is the configuration of a stream that never loses a record: no
// limits, new writes refused rather than old ones discarded, delete and
// purge denied (culling destroys keys, not messages), direct reads on, a
// duplicate window for idempotent retries, and messages up to maxMsgSize.
func Stream(name, description, subjects string, replicas int, duplicates time.Duration, maxMsgSize int32) jetstream.StreamConfig {
	return jetstream.StreamConfig{
		Name:         name,
		Description:  description,
		Subjects:     []string{subjects},
		Storage:      jetstream.FileStorage,
		Replicas:     replicas,
		Retention:    jetstream.LimitsPolicy,
		MaxMsgs:      -1,
		MaxBytes:     -1,
		MaxConsumers: -1,
		Discard:      jetstream.DiscardNew,
		DenyDelete:   true,
		DenyPurge:    true,
		AllowDirect:  true,
		Duplicates:   duplicates,
		MaxMsgSize:   maxMsgSize,
	}
}
