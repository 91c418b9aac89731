package server_test

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/hotdata-dev/hotdata/internal/hdtest"
	"github.com/hotdata-dev/hotdata/internal/server"
	"github.com/hotdata-dev/hotdata/internal/testenv"
)

// TestKilledFirstSyncResumes: a first sync of a large table, read in
// parts, is SIGKILLed past the middle; while Hotdata is down the
// upstream changes rows in a part already kept and adds rows. After a
// restart the next sync keeps the parts whose rows did not change, reads
// the others, says so in its job, and the cached table equals the
// upstream's row for row.
func TestKilledFirstSyncResumes(t *testing.T) {
	db := testenv.Postgres(t)
	testenv.PostgresExec(t, db,
		`CREATE TABLE wide (id int PRIMARY KEY, label text, pad text)`,
		`INSERT INTO wide SELECT i, md5(i::text), repeat('x', 200) FROM generate_series(1, 40000) i`)
	u, err := url.Parse(db)
	if err != nil {
		t.Fatal(err)
	}
	// The upstream through a link slow enough to kill the read mid-way.
	link := startThrottle(t, u.Host, 2<<20)
	t.Setenv("HOTDATA_SYNC_PARTS_FROM", "6553600") // parts of 100 pages: about 14
	t.Setenv("HOTDATA_SYNC_READERS", "1")          // in order: the first ones finish first
	dataDir := t.TempDir()
	httpAddr, pgAddr := freePort(t), freePort(t)
	c := startChild(t, dataDir, httpAddr, pgAddr)
	lh, lp, _ := net.SplitHostPort(link.addr())
	port, _ := strconv.Atoi(lp)
	if status, out := c.api("POST", "/v1/connections", map[string]any{"name": "app", "source_type": "postgres",
		"config": map[string]any{"host": lh, "port": port, "user": u.User.Username(), "database": strings.TrimPrefix(u.Path, "/"), "sslmode": "disable"}}); status != 201 {
		t.Fatalf("create connection: %d %v", status, out)
	}
	status, out := c.api("POST", "/v1/refresh", map[string]any{"connection_id": "app", "data": true, "include_uncached": true, "async": true})
	if status != http.StatusAccepted {
		t.Fatalf("async refresh: %d %v", status, out)
	}
	waitSyncPast(t, c, 24000)
	kept, _ := filepath.Glob(filepath.Join(dataDir, "workspaces", "*", "resume", "*", "*.parquet"))
	if len(kept) < 3 {
		t.Fatalf("parts kept before the kill: %v", kept)
	}
	if err := c.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	c.cmd.Wait()

	// While Hotdata is down: rows of the first part change, rows are added.
	testenv.PostgresExec(t, db, `UPDATE wide SET label = 'changed' WHERE id = 3`, `DELETE FROM wide WHERE id = 5`,
		`INSERT INTO wide SELECT i, md5(i::text), 'y' FROM generate_series(40001, 40100) i`)
	link.rate.Store(0)
	c = startChild(t, dataDir, httpAddr, pgAddr)
	status, out = c.api("POST", "/v1/refresh", map[string]any{"connection_id": "app", "data": true, "include_uncached": true})
	if status != http.StatusOK || out["ok"] != true {
		t.Fatalf("refresh after restart: %d %v", status, out)
	}
	tr := out["tables"].([]any)[0].(map[string]any)
	warnings := fmt.Sprint(tr["warnings"])
	m := regexp.MustCompile(`kept (\d+) of (\d+) parts`).FindStringSubmatch(warnings)
	if m == nil {
		t.Fatalf("the sync after the restart did not resume: %v", tr)
	}
	k, n := atoi(m[1]), atoi(m[2])
	t.Logf("%s (%d parts written before the kill)", m[0], len(kept))
	// The first part changed: read again, with those after the kill.
	if k < 2 || k >= n-1 || k > len(kept)-1 {
		t.Fatalf("kept %d of %d parts (%d were written before the kill)", k, n, len(kept))
	}
	if left, _ := filepath.Glob(filepath.Join(dataDir, "workspaces", "*", "resume", "*")); len(left) != 0 {
		t.Fatalf("an unfinished read left after the sync published: %v", left)
	}

	// Row for row what the upstream holds.
	sameRows(t, fmt.Sprintf("postgres://admin:%s@%s/default?sslmode=disable", testToken, c.pgAddr), db, "app.wide", "wide", "id")
	if n := c.count(t, "app.wide"); n != 40099 {
		t.Fatalf("%d rows cached, want 40099", n)
	}
}

// waitSyncPast waits until a running sync job of the child has read more
// than rows.
func waitSyncPast(t *testing.T, c *child, rows float64) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		_, jobs := c.api("GET", "/v1/jobs", nil)
		for _, j := range jobs["jobs"].([]any) {
			job := j.(map[string]any)
			if job["type"] == "sync" && job["status"] == "running" && job["progress"].(map[string]any)["rows"].(float64) > rows {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("no sync got past %.0f rows: %v", rows, jobs)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

// throttle is a TCP link to an upstream whose replies flow at most rate
// bytes a second (0: unlimited).
type throttle struct {
	ln     net.Listener
	rate   atomic.Int64
	mu     sync.Mutex
	conns  []net.Conn
	wg     sync.WaitGroup
	target string
}

func startThrottle(t *testing.T, target string, rate int64) *throttle {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	l := &throttle{ln: ln, target: target}
	l.rate.Store(rate)
	l.wg.Add(1)
	go l.accept()
	t.Cleanup(func() {
		ln.Close()
		l.mu.Lock()
		for _, c := range l.conns {
			c.Close()
		}
		l.mu.Unlock()
		l.wg.Wait()
	})
	return l
}

func (l *throttle) addr() string { return l.ln.Addr().String() }

func (l *throttle) accept() {
	defer l.wg.Done()
	for {
		down, err := l.ln.Accept()
		if err != nil {
			return
		}
		up, err := net.Dial("tcp", l.target)
		if err != nil {
			down.Close()
			continue
		}
		l.mu.Lock()
		l.conns = append(l.conns, down, up)
		l.mu.Unlock()
		l.wg.Add(2)
		go func() {
			defer l.wg.Done()
			io.Copy(up, down)
			up.Close()
			down.Close()
		}()
		go func() {
			defer l.wg.Done()
			buf := make([]byte, 16<<10)
			for {
				n, err := up.Read(buf)
				if n > 0 {
					if _, werr := down.Write(buf[:n]); werr != nil {
						break
					}
					if r := l.rate.Load(); r > 0 {
						time.Sleep(time.Duration(int64(n) * int64(time.Second) / r))
					}
				}
				if err != nil {
					break
				}
			}
			up.Close()
			down.Close()
		}()
	}
}

// TestCDCFirstReadResumes: the first read of a table under the cdc
// policy, in parts, is SIGKILLed past the middle; the upstream changes
// while Hotdata is down. After a restart the first read resumes (in a
// new exported snapshot, the parts whose rows did not change kept), the
// stream carries on from that snapshot's position, and the cached table
// follows the upstream row for row.
func TestCDCFirstReadResumes(t *testing.T) {
	up := cdcUpstream(t)
	upURL := up.URL("postgres")
	testenv.PostgresExec(t, upURL,
		`CREATE TABLE wide (id int PRIMARY KEY, label text, pad text)`,
		`INSERT INTO wide SELECT i, md5(i::text), repeat('x', 200) FROM generate_series(1, 40000) i`)
	u, err := url.Parse(upURL)
	if err != nil {
		t.Fatal(err)
	}
	link := startThrottle(t, u.Host, 2<<20)
	t.Setenv("HOTDATA_SYNC_PARTS_FROM", "6553600")
	t.Setenv("HOTDATA_SYNC_READERS", "2")
	dir := t.TempDir()
	httpAddr, pgAddr := freePort(t), freePort(t)
	c := startChild(t, dir, httpAddr, pgAddr)
	defer func() {
		if t.Failed() {
			t.Logf("child log:\n%s", c.stderr.String())
		}
	}()
	linked := *u
	linked.Host = link.addr()
	registerChild(t, c, "src", linked.String())
	if status, out := c.api("PUT", "/v1/connections/src/tables/public/wide/policy", map[string]any{"refresh": "cdc"}); status != http.StatusOK {
		t.Fatalf("policy cdc: %d %v", status, out)
	}
	waitSyncPast(t, c, 24000)
	if err := c.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	c.cmd.Wait()
	testenv.PostgresExec(t, upURL, `UPDATE wide SET label = 'changed' WHERE id = 3`, `DELETE FROM wide WHERE id = 5`,
		`INSERT INTO wide SELECT i, md5(i::text), 'y' FROM generate_series(40001, 40100) i`)
	link.rate.Store(0)
	c = startChild(t, dir, httpAddr, pgAddr)
	hdURL := fmt.Sprintf("postgres://admin:%s@%s/default?sslmode=disable", testToken, pgAddr)
	sameRows(t, hdURL, upURL, "src.public.wide", "wide", "id")
	// Changes after the resumed read stream in.
	testenv.PostgresExec(t, upURL, `UPDATE wide SET label = 'again' WHERE id % 1000 = 0`, `DELETE FROM wide WHERE id BETWEEN 30000 AND 30010`)
	sameRows(t, hdURL, upURL, "src.public.wide", "wide", "id")

	_, jobs := c.api("GET", "/v1/jobs", nil)
	resumed := ""
	for _, j := range jobs["jobs"].([]any) {
		job := j.(map[string]any)
		if w := fmt.Sprint(job["warnings"]); job["type"] == "sync" && job["status"] == "succeeded" && strings.Contains(w, "resumed an earlier read") {
			resumed = w
		}
	}
	m := regexp.MustCompile(`kept (\d+) of (\d+) parts`).FindStringSubmatch(resumed)
	if m == nil || atoi(m[1]) < 2 || atoi(m[1]) >= atoi(m[2]) {
		t.Fatalf("the first read after the restart did not resume: %v", jobs)
	}
	t.Logf("%s", m[0])
}

// TestSyncInPartsNoRows: a table large enough to be read in parts whose
// rows are all deleted (its pages remain until a vacuum) syncs to an
// empty snapshot, then to the rows it holds again.
func TestSyncInPartsNoRows(t *testing.T) {
	h := hdtest.Start(t, func(cfg *server.Config) { cfg.SyncPartsFrom = 1 << 20 }) // parts of 16 pages
	h.ConnectUpstream("app", `CREATE TABLE gone (id int PRIMARY KEY, pad text)`,
		`INSERT INTO gone SELECT i, repeat('x', 200) FROM generate_series(1, 20000) i`,
		`DELETE FROM gone`)
	hdURL := h.PGURL(testToken, "default", "disable")
	refresh := func() map[string]any {
		t.Helper()
		out := h.API("POST", "/v1/refresh", map[string]any{"connection_id": "app", "data": true, "include_uncached": true}, http.StatusOK)
		return out["tables"].([]any)[0].(map[string]any)
	}
	if tr := refresh(); tr["status"] != "succeeded" || tr["row_count"] != float64(0) {
		t.Fatalf("refresh of a table of no rows: %v", tr)
	}
	sameRows(t, hdURL, h.Upstream, "app.public.gone", "gone", "id")
	testenv.PostgresExec(t, h.Upstream, `INSERT INTO gone SELECT i, 'y' FROM generate_series(1, 10) i`)
	if tr := refresh(); tr["status"] != "succeeded" || tr["row_count"] != float64(10) {
		t.Fatalf("refresh: %v", tr)
	}
	sameRows(t, hdURL, h.Upstream, "app.public.gone", "gone", "id")
}
