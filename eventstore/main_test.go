package eventstore_test

import (
	"context"
	"crypto/rand"
	"fmt"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/fristad/fristad/domain"
	"github.com/fristad/fristad/eventstore"
	"github.com/nats-io/nats.go"
	"github.com/stretchr/testify/require"
)

// One real embedded nats-server with JetStream serves the whole package;
// each test gets its own stream, subjects and buckets.
var (
	shared   *eventstore.Embedded
	sharedNC *nats.Conn
	streamN  atomic.Int64
)

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "fristad-eventstore-test-")
	if err != nil {
		panic(err)
	}
	shared, err = eventstore.StartEmbedded(eventstore.EmbeddedConfig{DataDir: dir})
	if err != nil {
		panic(err)
	}
	sharedNC, err = shared.Connect()
	if err != nil {
		panic(err)
	}
	code := m.Run()
	sharedNC.Close()
	shared.Shutdown()
	_ = os.RemoveAll(dir)
	os.Exit(code)
}

func masterKey(t testing.TB) []byte {
	k := make([]byte, 32)
	_, err := rand.Read(k)
	require.NoError(t, err)
	return k
}

// testConfig is a fresh stream on the shared server.
func testConfig(t testing.TB) eventstore.Config {
	n := streamN.Add(1)
	return eventstore.Config{
		Conn:          sharedNC,
		Stream:        fmt.Sprintf("T%d", n),
		SubjectPrefix: fmt.Sprintf("t%d.events", n),
		Registry:      testRegistry(),
		MasterKey:     masterKey(t),
	}
}

func openStore(t testing.TB, cfg eventstore.Config) *eventstore.Store {
	t.Helper()
	s, err := eventstore.Open(context.Background(), cfg)
	require.NoError(t, err)
	t.Cleanup(s.Close)
	return s
}

func newStore(t testing.TB) *eventstore.Store { return openStore(t, testConfig(t)) }

// --- a small aggregate for the store's own tests --------------------------

type opened struct {
	Unit string `json:"unit"`
}

func (opened) EventName() string { return "case.opened" }

type noted struct {
	N int `json:"n"`
}

func (noted) EventName() string { return "case.noted" }

type closed struct{}

func (closed) EventName() string { return "case.closed" }

type unregistered struct{}

func (unregistered) EventName() string { return "case.unregistered" }

type identity struct {
	Name string `json:"name"`
}

func testRegistry() *domain.Registry {
	r := domain.NewRegistry()
	domain.Register[opened, identity](r, domain.KindCase, 1)
	domain.Register[noted, identity](r, domain.KindCase, 1)
	domain.Register[closed, domain.NoPersonal](r, domain.KindCase, 1)
	return r
}

type state struct {
	id     domain.ID
	exists bool
	closed bool
	notes  []int
}

type openCmd struct {
	Unit, Name string
}
type noteCmd struct{ N int }
type closeCmd struct{}

// manyCmd produces several events; Broken injects a bad one in the middle.
type manyCmd struct {
	N      int
	Broken string
}

func (openCmd) CommandName() string  { return "open" }
func (noteCmd) CommandName() string  { return "note" }
func (closeCmd) CommandName() string { return "close" }
func (manyCmd) CommandName() string  { return "many" }

func testDecider() domain.Decider[state] {
	return domain.Decider[state]{
		Kind:    domain.KindCase,
		Initial: func(id domain.ID) state { return state{id: id} },
		Decide: func(s state, c domain.Command) ([]domain.Event, error) {
			key := domain.PersonKey(s.id)
			if _, isOpen := c.(openCmd); !isOpen && !s.exists {
				return nil, &domain.RuleError{Rule: "not-found", Detail: "no such case"}
			}
			if s.closed {
				return nil, &domain.RuleError{Rule: "case-closed", Detail: "closed"}
			}
			switch c := c.(type) {
			case openCmd:
				if s.exists {
					return nil, &domain.RuleError{Rule: "already-exists", Detail: "exists"}
				}
				return []domain.Event{{Facts: opened{Unit: c.Unit}, Personal: identity{Name: c.Name}, SealWith: key}}, nil
			case noteCmd:
				return []domain.Event{{Facts: noted{N: c.N}}}, nil
			case closeCmd:
				return []domain.Event{{Facts: closed{}}}, nil
			case manyCmd:
				var out []domain.Event
				for i := 0; i < c.N; i++ {
					ev := domain.Event{Facts: noted{N: i}}
					if i == c.N/2 {
						switch c.Broken {
						case "unsealed":
							ev.Personal = identity{Name: "x"} // personal data with no key
						case "unknown":
							ev = domain.Event{Facts: unregistered{}}
						}
					}
					out = append(out, ev)
				}
				return out, nil
			}
			return nil, domain.ErrUnknownCommand
		},
		Evolve: func(s state, ev domain.Recorded) state {
			switch f := ev.Facts.(type) {
			case opened:
				s.exists = true
			case noted:
				s.notes = append(s.notes, f.N)
			case closed:
				s.closed = true
			}
			return s
		},
	}
}

func exec(t testing.TB, s *eventstore.Store, id domain.ID, cmd domain.Command, cmdID string) (eventstore.Result, error) {
	return eventstore.Execute(context.Background(), s, testDecider(), id, cmd, eventstore.ExecOptions{
		AppendOptions: eventstore.AppendOptions{Actor: "anna", CommandID: cmdID},
	})
}

func mustExec(t testing.TB, s *eventstore.Store, id domain.ID, cmd domain.Command) eventstore.Result {
	t.Helper()
	r, err := exec(t, s, id, cmd, "")
	require.NoError(t, err)
	return r
}

// rawStreamBytes returns every stored message of a stream (data and
// headers) as one string, for searching.
func rawStreamBytes(t *testing.T, nc *nats.Conn, stream string) string {
	t.Helper()
	js, err := nc.JetStream()
	require.NoError(t, err)
	info, err := js.StreamInfo(stream)
	require.NoError(t, err)
	var b strings.Builder
	for seq := info.State.FirstSeq; seq <= info.State.LastSeq && info.State.Msgs > 0; seq++ {
		m, err := js.GetMsg(stream, seq)
		if err != nil {
			continue
		}
		b.Write(m.Data)
		for k, v := range m.Header {
			b.WriteString(k + strings.Join(v, ","))
		}
	}
	return b.String()
}

func ctx(t testing.TB) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return c
}
