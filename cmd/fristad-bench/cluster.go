package main

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/fristad/fristad/eventstore"
	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go/jetstream"
)

// runBenchCluster measures appends on a stream with three replicas: three
// nats-servers in this process, routed on loopback, each with its own temp
// store (a stand-in for three machines: same disk, same cores), fristad's
// appends next to raw publishes to another R3 stream.
func runBenchCluster(ctx context.Context, env *cliEnv, args []string) error {
	fs := newFlagSet(env, "cluster", "cluster [--ops 2000]")
	ops := fs.Int("ops", 2000, "appends per measurement")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *ops < 100 || *ops > 1_000_000 {
		return usageError{Msg: "--ops must be between 100 and 1,000,000"}
	}
	var srvs []*server.Server
	defer func() {
		for _, s := range srvs {
			s.Shutdown()
		}
	}()
	var routes, urls []string
	cports := []int{freeLoopbackPort(), freeLoopbackPort(), freeLoopbackPort()}
	for _, p := range cports {
		routes = append(routes, fmt.Sprintf("nats://127.0.0.1:%d", p))
	}
	for i, cp := range cports {
		dir, err := os.MkdirTemp("", "fristad-cluster-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		s, err := server.NewServer(&server.Options{ServerName: fmt.Sprintf("n%d", i), Host: "127.0.0.1", Port: freeLoopbackPort(),
			JetStream: true, StoreDir: dir, SyncAlways: true, NoLog: true, NoSigs: true,
			Cluster: server.ClusterOpts{Name: "fristad-bench", Host: "127.0.0.1", Port: cp}, Routes: server.RoutesFromStr(strings.Join(routes, ","))})
		if err != nil {
			return err
		}
		s.Start()
		if !s.ReadyForConnections(10 * time.Second) {
			return errors.New("a cluster node did not start")
		}
		srvs = append(srvs, s)
		urls = append(urls, s.ClientURL())
	}
	nc, err := eventstore.ConnectURLs(strings.Join(urls, ","))
	if err != nil {
		return err
	}
	defer nc.Close()
	key := make([]byte, 32)
	_, _ = rand.Read(key)
	var store *eventstore.Store
	deadline := time.Now().Add(30 * time.Second)
	for store == nil { // the cluster elects its meta leader first
		if store, err = eventstore.Open(ctx, eventstore.Config{Conn: nc, Replicas: 3, MasterKey: key}); err != nil {
			if time.Now().After(deadline) {
				return err
			}
			time.Sleep(250 * time.Millisecond)
		}
	}
	defer store.Close()
	// The same appends through the group committer, on a stream of their own.
	grouped, err := eventstore.Open(ctx, eventstore.Config{Conn: nc, Replicas: 3, MasterKey: key, Stream: "FRISTAD_GC", SubjectPrefix: "fristad.gc", GroupCommit: eventstore.GroupCommitOn})
	if err != nil {
		return err
	}
	defer grouped.Close()
	js, err := jetstream.New(nc)
	if err != nil {
		return err
	}
	if _, err := js.CreateStream(ctx, jetstream.StreamConfig{Name: "PEER_RAW", Subjects: []string{"peer.raw.>"}, Storage: jetstream.FileStorage, Replicas: 3}); err != nil {
		return err
	}
	body := make([]byte, 420)
	fmt.Fprintf(env.Stdout, "Appends on three replicas (3 in-process nats-servers on loopback, one disk, sync: always), %d per row:\n\n| what | per second | p50 ms | p99 ms |\n|---|---|---|---|\n", *ops)
	for _, writers := range []int{1, 16, 64} {
		r, err := benchFristadAppends(ctx, grouped, writers, *ops)
		if err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "| append, %d writers: fristad, group commit, R3 | %.0f | %s | %s |\n", writers, r.rate, ms(r.p50), ms(r.p99))
		if r, err = benchFristadAppends(ctx, store, writers, *ops); err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "| append, %d writers: fristad, one publish per command, R3 | %.0f | %s | %s |\n", writers, r.rate, ms(r.p50), ms(r.p99))
		if r, err = benchRawAppends(ctx, js, writers, *ops, body); err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "| append, %d writers: raw nats.go publish, R3 | %.0f | %s | %s |\n", writers, r.rate, ms(r.p50), ms(r.p99))
	}
	return nil
}
