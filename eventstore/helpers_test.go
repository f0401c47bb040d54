package eventstore_test

import (
	"context"
	"testing"
	"time"

	"github.com/fristad/fristad/domain"
	"github.com/fristad/fristad/eventstore"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/stretchr/testify/require"
)

// waitDuplicateWindowPassed returns once the stream has forgotten every
// message id it saw before the call: it publishes a probe with a fresh id
// and polls until the same id is stored again rather than dropped as a
// duplicate (ids expire oldest first). The probe's subject is an
// aggregate no test uses.
func waitDuplicateWindowPassed(t testing.TB, cfg eventstore.Config) {
	t.Helper()
	js, err := jetstream.New(cfg.Conn)
	require.NoError(t, err)
	probe := nats.NewMsg(cfg.SubjectPrefix + ".probe." + string(domain.NewID()))
	probe.Header.Set(jetstream.MsgIDHeader, "probe-"+string(domain.NewID()))
	_, err = js.PublishMsg(context.Background(), probe)
	require.NoError(t, err)
	require.Eventually(t, func() bool {
		ack, err := js.PublishMsg(context.Background(), probe)
		return err == nil && !ack.Duplicate
	}, 30*time.Second, 10*time.Millisecond, "the duplicate window never passed")
}

func contextWithCancel(t testing.TB) (context.Context, context.CancelFunc) {
	c, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	return c, cancel
}
