package eventstore_test

import (
	"context"
	"testing"
	"time"
)

func waitFor(t testing.TB, ms int) { time.Sleep(time.Duration(ms) * time.Millisecond) }

func contextWithCancel(t testing.TB) (context.Context, context.CancelFunc) {
	c, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	return c, cancel
}
