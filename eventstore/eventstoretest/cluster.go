package eventstoretest

import (
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
)

// Cluster is three nats-servers with JetStream routed on loopback (random
// ports, the test's temp dirs), stopped when the test ends: what a
// production deployment with three replicas runs, in process.
type Cluster struct {
	opts []*server.Options
	srvs []*server.Server
}

// StartCluster starts the three servers and waits until each accepts
// connections (the JetStream meta leader may still be electing: open a
// store with OpenEventually).
func StartCluster(tb testing.TB) *Cluster {
	tb.Helper()
	c := &Cluster{}
	routes := make([]string, 3)
	cports := make([]int, 3)
	for i := range cports {
		cports[i] = freePort(tb)
		routes[i] = fmt.Sprintf("nats://127.0.0.1:%d", cports[i])
	}
	tb.Cleanup(func() {
		for _, s := range c.srvs {
			if s != nil {
				s.Shutdown()
			}
		}
	})
	for i := 0; i < 3; i++ {
		c.opts = append(c.opts, &server.Options{
			ServerName: fmt.Sprintf("n%d", i), Host: "127.0.0.1", Port: freePort(tb), JetStream: true, StoreDir: tb.TempDir(),
			Cluster: server.ClusterOpts{Name: "fristad-test", Host: "127.0.0.1", Port: cports[i]},
			Routes:  server.RoutesFromStr(strings.Join(routes, ",")), NoLog: true, NoSigs: true,
		})
		c.srvs = append(c.srvs, nil)
		c.Start(tb, i)
	}
	return c
}

// Start starts (or restarts, on its store) server i.
func (c *Cluster) Start(tb testing.TB, i int) {
	tb.Helper()
	s, err := server.NewServer(c.opts[i])
	if err != nil {
		tb.Fatal(err)
	}
	s.Start()
	if !s.ReadyForConnections(10 * time.Second) {
		tb.Fatalf("cluster server n%d not ready", i)
	}
	c.srvs[i] = s
}

// Stop stops server i and waits until it is down.
func (c *Cluster) Stop(i int) {
	c.srvs[i].Shutdown()
	c.srvs[i].WaitForShutdown()
}

// Index is the index of the server named name ("n0".."n2"), or -1.
func (c *Cluster) Index(name string) int {
	for i, o := range c.opts {
		if o.ServerName == name {
			return i
		}
	}
	return -1
}

// URLs lists the servers' client URLs, starting with server first.
func (c *Cluster) URLs(first int) string {
	var u []string
	for k := 0; k < 3; k++ {
		u = append(u, c.srvs[(first+k)%3].ClientURL())
	}
	return strings.Join(u, ",")
}

// Connect connects to the cluster (server first preferred), reconnecting
// for ever, closed when the test ends.
func (c *Cluster) Connect(tb testing.TB, first int) *nats.Conn {
	tb.Helper()
	nc, err := nats.Connect(c.URLs(first), nats.DontRandomize(), nats.MaxReconnects(-1), nats.ReconnectWait(100*time.Millisecond))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(nc.Close)
	return nc
}

func freePort(tb testing.TB) int {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}
