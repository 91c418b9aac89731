package server_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/hotdata-dev/hotdata/internal/hdtest"
	"github.com/hotdata-dev/hotdata/internal/server"
	"github.com/hotdata-dev/hotdata/internal/testenv"
)

// faultProxy stands between Hotdata and an upstream PostgreSQL: it can
// go down (refusing and cutting every connection) and come back, or cut
// connections once they have carried a number of bytes.
type faultProxy struct {
	t      *testing.T
	target string
	addr   string

	mu    sync.Mutex
	ln    net.Listener
	conns map[net.Conn]bool
	// cutAfter, when positive, cuts a connection once the upstream has
	// sent it that many bytes; pause, when positive, is a wait after each
	// chunk the upstream sends (a slow network).
	cutAfter atomic.Int64
	pause    atomic.Int64
	wg       sync.WaitGroup
}

func newFaultProxy(t *testing.T, target string) *faultProxy {
	p := &faultProxy{t: t, target: target, conns: map[net.Conn]bool{}}
	p.start("127.0.0.1:0")
	t.Cleanup(func() { p.down(); p.wg.Wait() })
	return p
}

func (p *faultProxy) start(addr string) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		p.t.Fatal(err)
	}
	p.mu.Lock()
	p.ln, p.addr = ln, ln.Addr().String()
	p.mu.Unlock()
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			p.wg.Add(1)
			go func() { defer p.wg.Done(); p.pipe(c) }()
		}
	}()
}

func (p *faultProxy) pipe(c net.Conn) {
	up, err := net.Dial("tcp", p.target)
	if err != nil {
		c.Close()
		return
	}
	p.mu.Lock()
	p.conns[c], p.conns[up] = true, true
	p.mu.Unlock()
	defer func() {
		p.mu.Lock()
		delete(p.conns, c)
		delete(p.conns, up)
		p.mu.Unlock()
		c.Close()
		up.Close()
	}()
	done := make(chan struct{}, 2)
	go func() { _, _ = io.Copy(up, c); done <- struct{}{} }()
	go func() {
		var sent int64
		buf := make([]byte, 32<<10)
		for {
			n, err := up.Read(buf)
			if n > 0 {
				if _, werr := c.Write(buf[:n]); werr != nil {
					break
				}
				sent += int64(n)
				if d := p.pause.Load(); d > 0 {
					time.Sleep(time.Duration(d))
				}
				if limit := p.cutAfter.Load(); limit > 0 && sent > limit {
					break
				}
			}
			if err != nil {
				break
			}
		}
		done <- struct{}{}
	}()
	<-done
}

// down closes the listener and cuts every connection.
func (p *faultProxy) down() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ln != nil {
		p.ln.Close()
		p.ln = nil
	}
	for c := range p.conns {
		c.Close()
	}
}

// up listens again on the same address.
func (p *faultProxy) up() { p.start(p.addr) }

// registerThrough registers the upstream database dbURL as connection
// name, reached through the proxy.
func registerThrough(h *hdtest.Harness, name, dbURL string, p *faultProxy) {
	u, err := url.Parse(dbURL)
	if err != nil {
		h.T.Fatal(err)
	}
	host, port, _ := net.SplitHostPort(p.addr)
	u.Host = net.JoinHostPort(host, port)
	h.Register(name, u.String())
}

func upstreamAddr(t *testing.T, dbURL string) string {
	u, err := url.Parse(dbURL)
	if err != nil {
		t.Fatal(err)
	}
	return u.Host
}

// TestFaultUpstreamDown: with the upstream unreachable, cached tables
// keep answering from their snapshot, live queries and syncs fail with
// a clear error at once (no hang), and everything recovers when the
// upstream is back.
func TestFaultUpstreamDown(t *testing.T) {
	h := hdtest.Start(t)
	db := testenv.Postgres(t)
	testenv.PostgresExec(t, db, `CREATE TABLE t (id int PRIMARY KEY, v text)`, `INSERT INTO t SELECT g, 'v' || g FROM generate_series(1, 1000) g`)
	p := newFaultProxy(t, upstreamAddr(t, db))
	registerThrough(h, "fragile", db, p)
	ctx := context.Background()
	c, err := pgx.Connect(ctx, h.PGURL(testToken, "default", "disable"))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(ctx)
	count := func(q string) (int, error) {
		qctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		defer cancel()
		var n int
		// The simple protocol: a prepared statement keeps the route it
		// was prepared on.
		err := c.QueryRow(qctx, q, pgx.QueryExecModeSimpleProtocol).Scan(&n)
		return n, err
	}
	if n, err := count("SELECT count(*) FROM fragile.public.t"); err != nil || n != 1000 {
		t.Fatalf("first read (sync): %d, %v", n, err)
	}

	p.down()
	testenv.PostgresExec(t, db, `INSERT INTO t SELECT g, 'v' || g FROM generate_series(1001, 1500) g`)
	if n, err := count("SELECT count(*) FROM fragile.public.t"); err != nil || n != 1000 {
		t.Errorf("cached read with the upstream down: %d, %v; want the snapshot's 1000", n, err)
	}
	if _, err := c.Exec(ctx, "SET hotdata.freshness = live"); err != nil {
		t.Fatal(err)
	}
	_, err = count("SELECT count(*) FROM fragile.public.t")
	var pe *pgconn.PgError
	if !errors.As(err, &pe) || !strings.HasPrefix(pe.Code, "08") {
		t.Errorf("live read with the upstream down: %v, want a connection error (class 08)", err)
	}
	if _, err := c.Exec(ctx, "SET hotdata.freshness = cached"); err != nil {
		t.Fatalf("the session after a failed live query: %v", err)
	}
	status, body := h.APIRaw("POST", "/v1/refresh", map[string]any{"connection_id": "fragile", "data": true}, testToken, h.WSID)
	if status < 400 && body["ok"] != false {
		t.Errorf("a sync with the upstream down answered %d %v, want an error", status, body)
	}
	if n, err := count("SELECT count(*) FROM fragile.public.t"); err != nil || n != 1000 {
		t.Errorf("cached read after a failed sync: %d, %v; want the old snapshot's 1000", n, err)
	}

	p.up()
	if out := h.API("POST", "/v1/refresh", map[string]any{"connection_id": "fragile", "data": true}, http.StatusOK); out["ok"] != true {
		t.Errorf("a sync after the upstream came back: %v", out)
	}
	if n, err := count("SELECT count(*) FROM fragile.public.t"); err != nil || n != 1500 {
		t.Errorf("cached read after the upstream came back and a sync: %d, %v; want 1500", n, err)
	}
}

// TestFaultUpstreamCutMidway: the upstream connection breaks while a
// live result streams and while a sync reads: the client gets an error
// (not a hang, not a short answer), its session goes on, the failed
// sync publishes nothing, and the next sync succeeds.
func TestFaultUpstreamCutMidway(t *testing.T) {
	h := hdtest.Start(t)
	db := testenv.Postgres(t)
	testenv.PostgresExec(t, db, `CREATE TABLE big (id int PRIMARY KEY, pad text)`,
		`INSERT INTO big SELECT g, repeat('x', 100) FROM generate_series(1, 200000) g`)
	p := newFaultProxy(t, upstreamAddr(t, db))
	registerThrough(h, "cut", db, p)
	ctx := context.Background()
	c, err := pgx.Connect(ctx, h.PGURL(testToken, "default", "disable"))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(ctx)
	// The first sync: the whole table.
	var n int
	if err := c.QueryRow(ctx, "SELECT count(*) FROM cut.public.big").Scan(&n); err != nil || n != 200000 {
		t.Fatalf("first read: %d, %v", n, err)
	}
	testenv.PostgresExec(t, db, `INSERT INTO big SELECT g, repeat('y', 100) FROM generate_series(200001, 210000) g`)

	// A sync cut after 1 MB: it fails, and the old snapshot serves.
	p.cutAfter.Store(1 << 20)
	status, body := h.APIRaw("POST", "/v1/refresh", map[string]any{"connection_id": "cut", "data": true}, testToken, h.WSID)
	if status < 400 && body["ok"] != false {
		t.Errorf("a sync cut midway answered %d %v, want an error", status, body)
	}
	if err := c.QueryRow(ctx, "SELECT count(*) FROM cut.public.big").Scan(&n); err != nil || n != 200000 {
		t.Errorf("after a cut sync: %d rows, %v; want the old snapshot's 200000", n, err)
	}

	// A live result cut midway: an error, never a short answer.
	if _, err := c.Exec(ctx, "SET hotdata.freshness = live"); err != nil {
		t.Fatal(err)
	}
	qctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	rows, err := c.Query(qctx, "SELECT id, pad FROM cut.public.big")
	got := 0
	if err == nil {
		for rows.Next() {
			got++
		}
		err = rows.Err()
		rows.Close()
	}
	cancel()
	if err == nil {
		t.Errorf("a live result cut after 1 MB ended without an error after %d rows (of 210000)", got)
	} else if errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("a live result cut midway hung: %v", err)
	}
	if _, err := c.Exec(ctx, "SET hotdata.freshness = cached"); err != nil {
		t.Fatalf("the session after a cut live query: %v", err)
	}

	// Restored: the next sync publishes the new rows.
	p.cutAfter.Store(0)
	if out := h.API("POST", "/v1/refresh", map[string]any{"connection_id": "cut", "data": true}, http.StatusOK); out["ok"] != true {
		t.Errorf("a sync after the upstream recovered: %v", out)
	}
	if err := c.QueryRow(ctx, "SELECT count(*) FROM cut.public.big").Scan(&n); err != nil || n != 210000 {
		t.Errorf("after the upstream recovered: %d rows, %v; want 210000", n, err)
	}
}

// smallDisk mounts a tmpfs of size bytes for a data directory (root
// only: CI runs as root; elsewhere the test is skipped unless services
// are required).
func smallDisk(t *testing.T, size string) string {
	dir := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size="+size, "tmpfs", dir).CombinedOutput(); err != nil {
		msg := fmt.Sprintf("cannot mount a small tmpfs for the disk-full test: %v %s", err, out)
		if testenv.RequireServices() {
			t.Fatal(msg + "; HOTDATA_TEST_REQUIRE_SERVICES=1 forbids skipping")
		}
		t.Skip(msg)
	}
	t.Cleanup(func() { _ = exec.Command("umount", "-l", dir).Run() })
	return dir
}

// TestFaultDiskFull: with the data directory's disk full, a sync fails
// cleanly (an error, nothing published), the cached snapshot keeps
// answering, and once space is back the next sync succeeds.
func TestFaultDiskFull(t *testing.T) {
	dir := smallDisk(t, "48m")
	h := hdtest.Start(t, func(c *server.Config) { c.DataDir = filepath.Join(dir, "data") })
	h.ConnectUpstream("shop", `CREATE TABLE t (id int PRIMARY KEY, pad text)`,
		`INSERT INTO t SELECT g, md5(g::text) FROM generate_series(1, 20000) g`)
	ctx := context.Background()
	c, err := pgx.Connect(ctx, h.PGURL(testToken, "default", "disable"))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(ctx)
	var n int
	if err := c.QueryRow(ctx, "SELECT count(*) FROM shop.public.t").Scan(&n); err != nil || n != 20000 {
		t.Fatalf("first read: %d, %v", n, err)
	}
	// The upstream grows past what the disk can take; the disk fills up.
	testenv.PostgresExec(t, h.Upstream, `INSERT INTO t SELECT g, repeat(md5(g::text), 40) FROM generate_series(20001, 120000) g`)
	filler := filepath.Join(dir, "filler")
	if out, err := exec.Command("dd", "if=/dev/zero", "of="+filler, "bs=1M", "count=64").CombinedOutput(); err == nil {
		t.Fatalf("the filler did not fill the disk: %s", out)
	}
	status, body := h.APIRaw("POST", "/v1/refresh", map[string]any{"connection_id": "shop", "data": true}, testToken, h.WSID)
	if status < 400 && body["ok"] != false {
		t.Errorf("a sync on a full disk answered %d %v, want an error", status, body)
	}
	if err := c.QueryRow(ctx, "SELECT count(*) FROM shop.public.t").Scan(&n); err != nil || n != 20000 {
		t.Errorf("cached read on a full disk: %d, %v; want the old snapshot's 20000", n, err)
	}
	if err := os.Remove(filler); err != nil {
		t.Fatal(err)
	}
	testenv.PostgresExec(t, h.Upstream, `DELETE FROM t WHERE id > 30000`)
	if out := h.API("POST", "/v1/refresh", map[string]any{"connection_id": "shop", "data": true}, http.StatusOK); out["ok"] != true {
		t.Errorf("a sync once space is back: %v", out)
	}
	if err := c.QueryRow(ctx, "SELECT count(*) FROM shop.public.t").Scan(&n); err != nil || n != 30000 {
		t.Errorf("after the disk recovered: %d rows, %v; want 30000", n, err)
	}
}

// TestFaultSlowClient: a client that asks for a large result and stops
// reading holds only what the socket buffers hold: the server's memory
// stays bounded, other sessions are served, and its session ends when
// it goes away.
func TestFaultSlowClient(t *testing.T) {
	h := hdtest.Start(t)
	ctx := context.Background()
	runtime.GC()
	before := heapInUse()
	baseGoroutines := runtime.NumGoroutine()
	// A raw client: send the query, read nothing.
	conn, err := pgconn.Connect(ctx, h.PGURL(testToken, "default", "disable"))
	if err != nil {
		t.Fatal(err)
	}
	raw := conn.Conn()
	msg := []byte{'Q', 0, 0, 0, 0}
	q := "SELECT g, repeat('x', 1000) FROM generate_series(1, 3000000) g\x00"
	msg = append(msg, q...)
	n := len(msg) - 1
	msg[1], msg[2], msg[3], msg[4] = byte(n>>24), byte(n>>16), byte(n>>8), byte(n)
	if _, err := raw.Write(msg); err != nil {
		t.Fatal(err)
	}
	time.Sleep(2 * time.Second) // the server streams until the socket is full
	runtime.GC()
	grown := int64(heapInUse()) - int64(before)
	if grown > 256<<20 {
		t.Errorf("a client that reads nothing made the server hold %d MB (a 3 GB result): buffering is not bounded", grown>>20)
	}
	other, err := pgx.Connect(ctx, h.PGURL(testToken, "default", "disable"))
	if err != nil {
		t.Fatalf("another session while one client stalls: %v", err)
	}
	var one int
	if err := other.QueryRow(ctx, "SELECT 1").Scan(&one); err != nil || one != 1 {
		t.Errorf("another session's query while one client stalls: %v", err)
	}
	other.Close(ctx)
	raw.Close() // the slow client vanishes
	for range 100 {
		if runtime.NumGoroutine() <= baseGoroutines+5 {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Errorf("the vanished client's session still runs: %d goroutines, %d before", runtime.NumGoroutine(), baseGoroutines)
}
