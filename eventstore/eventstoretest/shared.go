// Package eventstoretest starts the real embedded JetStream server that a
// test package shares (one per package, in a temp dir: it takes
// milliseconds), and hands each test its own stream on it.
package eventstoretest

import (
	"context"
	"crypto/rand"
	"fmt"
	"os"
	"sync/atomic"
	"testing"

	"github.com/fristad/fristad/eventstore"
	"github.com/nats-io/nats.go"
)

// Shared is one embedded server and a connection to it.
type Shared struct {
	Server *eventstore.Embedded
	Conn   *nats.Conn
	dir    string
	prefix string
	n      atomic.Int64
}

// Start starts a server with the production default sync policy.
func Start(prefix string) (*Shared, error) {
	dir, err := os.MkdirTemp("", "fristad-test-")
	if err != nil {
		return nil, err
	}
	srv, err := eventstore.StartEmbedded(eventstore.EmbeddedConfig{DataDir: dir})
	if err != nil {
		return nil, err
	}
	nc, err := srv.Connect()
	if err != nil {
		srv.Shutdown()
		return nil, err
	}
	return &Shared{Server: srv, Conn: nc, dir: dir, prefix: prefix}, nil
}

// Main runs a test package around a shared server: use it as TestMain's
// body, `os.Exit(eventstoretest.Main(m, "API", &shared))`.
func Main(m *testing.M, prefix string, into **Shared) int {
	s, err := Start(prefix)
	if err != nil {
		fmt.Fprintln(os.Stderr, "eventstoretest:", err)
		return 1
	}
	*into = s
	defer s.Stop()
	return m.Run()
}

// Stop stops the server and removes its data.
func (s *Shared) Stop() {
	s.Conn.Close()
	s.Server.Shutdown()
	_ = os.RemoveAll(s.dir)
}

// Config is a fresh stream (name, subjects, buckets) with a random master
// key, for one test.
func (s *Shared) Config() eventstore.Config {
	n := s.n.Add(1)
	key := make([]byte, 32)
	_, _ = rand.Read(key)
	return eventstore.Config{
		Conn: s.Conn, Stream: fmt.Sprintf("%s%d", s.prefix, n),
		SubjectPrefix: fmt.Sprintf("%s%d.events", lower(s.prefix), n), MasterKey: key,
	}
}

// Open opens a store on a fresh stream, closed when the test ends.
func (s *Shared) Open(tb testing.TB) *eventstore.Store {
	tb.Helper()
	st, err := eventstore.Open(context.Background(), s.Config())
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(st.Close)
	return st
}

func lower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}
