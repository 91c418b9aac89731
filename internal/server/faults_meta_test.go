package server_test

import (
	"context"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/hotdata-dev/hotdata/internal/hdtest"
	"github.com/hotdata-dev/hotdata/internal/server"
	"github.com/hotdata-dev/hotdata/internal/testenv"
)

// TestFaultMetastoreRestart: the metastore's PostgreSQL (a private
// server of the test's own) restarts under a running process, first as
// an administrator's fast restart, then as a crash. While it is down,
// cached reads of open sessions go on, and logins, REST calls and syncs
// fail at once with 57P03 / 503 naming the metastore; once it is back,
// everything works again without restarting Hotdata.
func TestFaultMetastoreRestart(t *testing.T) {
	meta := testenv.StartPrivatePostgres(t)
	h := hdtest.Start(t, func(c *server.Config) { c.MetastoreURL = meta.URL("postgres") })
	h.ConnectUpstream("src", `CREATE TABLE t (id int PRIMARY KEY, v text)`, `INSERT INTO t SELECT g, 'v' || g FROM generate_series(1, 1000) g`)
	ctx := context.Background()
	url := h.PGURL(testToken, "default", "disable")
	c, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(ctx)
	count := func() (int, error) {
		qctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		defer cancel()
		var n int
		err := c.QueryRow(qctx, "SELECT count(*) FROM src.public.t").Scan(&n)
		return n, err
	}
	want := 1000
	if n, err := count(); err != nil || n != want { // the first read syncs
		t.Fatalf("first read: %d, %v", n, err)
	}
	for _, mode := range []string{"fast", "immediate"} {
		// The first read after a sync loads the catalog it published.
		if n, err := count(); err != nil || n != want {
			t.Fatalf("%s: read before: %d, %v; want %d", mode, n, err, want)
		}
		meta.Stop(mode)

		if n, err := count(); err != nil || n != want {
			t.Errorf("%s: a cached read of an open session while the metastore is down: %d, %v; want %d", mode, n, err, want)
		}
		_, err := pgx.Connect(ctx, url)
		if pe := (*pgconn.PgError)(nil); !errors.As(err, &pe) || pe.Code != "57P03" || pe.Severity != "FATAL" || !strings.Contains(pe.Message, "metastore is unavailable") {
			t.Errorf("%s: a login while the metastore is down: %v; want FATAL 57P03 naming the metastore", mode, err)
		} else if strings.Contains(pe.Message, "127.0.0.1") || strings.Contains(pe.Message, "postgres") {
			t.Errorf("%s: the login error reveals the metastore's address: %q", mode, pe.Message)
		}
		status, body := h.APIRaw("GET", "/v1/connections", nil, testToken, h.WSID)
		if code := errCode(body); status != http.StatusServiceUnavailable || code != "UNAVAILABLE" {
			t.Errorf("%s: REST while the metastore is down: %d %v; want 503 UNAVAILABLE", mode, status, body)
		}

		meta.Start()
		testenv.PostgresExec(t, h.Upstream, `INSERT INTO t SELECT g, 'v' || g FROM generate_series(`+strconv.Itoa(want+1)+`, `+strconv.Itoa(want+100)+`) g`)
		want += 100
		if n, err := count(); err != nil || n != want-100 {
			t.Errorf("%s: a cached read once the metastore is back: %d, %v; want %d", mode, n, err, want-100)
		}
		c2, err := pgx.Connect(ctx, url)
		if err != nil {
			t.Errorf("%s: a login once the metastore is back: %v", mode, err)
		} else {
			c2.Close(ctx)
		}
		h.API("GET", "/v1/connections", nil, http.StatusOK)
		if out := h.API("POST", "/v1/refresh", map[string]any{"connection_id": "src", "data": true}, http.StatusOK); out["ok"] != true {
			t.Errorf("%s: a sync once the metastore is back: %v", mode, out)
		}
	}
	if n, err := count(); err != nil || n != want {
		t.Errorf("read after the last sync: %d, %v; want %d", n, err, want)
	}
}

// TestFaultMetastoreCrashDuringSync: the metastore crashes while a sync
// reads a slow upstream and comes back. The sync's job does not stay
// "running" for ever, every snapshot folder on disk is one the metastore
// knows (a publish whose commit was in doubt is settled), and the next
// sync serves every row.
func TestFaultMetastoreCrashDuringSync(t *testing.T) {
	meta := testenv.StartPrivatePostgres(t)
	h := hdtest.Start(t, func(c *server.Config) { c.MetastoreURL = meta.URL("postgres") })
	db := testenv.Postgres(t)
	testenv.PostgresExec(t, db, `CREATE TABLE items AS SELECT i AS id, md5(i::text) AS v FROM generate_series(1, 100000) i`)
	p := newFaultProxy(t, upstreamAddr(t, db))
	registerThrough(h, "slow", db, p)
	p.pause.Store(int64(10 * time.Millisecond)) // about 150 chunks: 1.5 s or more

	out := h.API("POST", "/v1/refresh", map[string]any{"connection_id": "slow", "data": true, "include_uncached": true, "async": true}, http.StatusAccepted)
	refreshJob, _ := out["job"].(map[string]any)["id"].(string)
	deadline := time.Now().Add(30 * time.Second)
	for !syncRunning(t, h) {
		if time.Now().After(deadline) {
			t.Fatalf("the sync never started: %v", h.API("GET", "/v1/jobs?limit=50", nil, http.StatusOK))
		}
		time.Sleep(20 * time.Millisecond)
	}
	meta.Stop("immediate")
	time.Sleep(2 * time.Second) // the sync reads on, and ends while the metastore is down
	meta.Start()
	p.pause.Store(0)

	// Every job ends: none is left running.
	deadline = time.Now().Add(60 * time.Second)
	for {
		jobs := h.API("GET", "/v1/jobs?limit=50", nil, http.StatusOK)["jobs"].([]any)
		running := 0
		for _, j := range jobs {
			if j.(map[string]any)["status"] == "running" {
				running++
			}
		}
		if running == 0 {
			for _, j := range jobs {
				job := j.(map[string]any)
				t.Logf("job %v %v %v %v", job["id"], job["type"], job["status"], job["error"])
				// Either outcome is right (the sync may have published
				// before the crash, or after the restart): it must be one.
				if job["id"] == refreshJob && job["status"] != "succeeded" && job["status"] != "failed" {
					t.Errorf("the refresh whose sync met the crash ended %v", job)
				}
				if msg, _ := job["error"].(string); job["status"] == "failed" && !strings.Contains(msg, "metastore") {
					t.Errorf("a job failed for another reason than the metastore: %v", job)
				}
				if msg, _ := job["error"].(string); strings.Contains(msg, "127.0.0.1") || strings.Contains(msg, "user=") {
					t.Errorf("a job's error reveals the metastore's address: %q", msg)
				}
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d jobs still running a minute after the metastore came back: %v", running, jobs)
		}
		time.Sleep(100 * time.Millisecond)
	}

	// No snapshot folder the metastore does not know.
	mc, err := pgx.Connect(context.Background(), meta.URL("postgres"))
	if err != nil {
		t.Fatal(err)
	}
	defer mc.Close(context.Background())
	known := map[string]bool{}
	rows, err := mc.Query(context.Background(), `SELECT path FROM snapshots`)
	if err != nil {
		t.Fatal(err)
	}
	paths, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range paths {
		known[filepath.Base(p)] = true
	}
	deadline = time.Now().Add(30 * time.Second)
	for {
		var unknown []string
		dirs, _ := filepath.Glob(filepath.Join(h.DataDir, "workspaces", h.WSID, "tables", "*", "*", "*", "*"))
		for _, d := range dirs {
			if st, err := os.Stat(d); err == nil && st.IsDir() && !known[filepath.Base(d)] {
				unknown = append(unknown, d)
			}
		}
		if len(unknown) == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("snapshot folders the metastore does not know: %v", unknown)
		}
		time.Sleep(100 * time.Millisecond)
	}

	if out := h.API("POST", "/v1/refresh", map[string]any{"connection_id": "slow", "data": true}, http.StatusOK); out["ok"] != true {
		t.Fatalf("a sync after the metastore came back: %v", out)
	}
	c, err := pgx.Connect(context.Background(), h.PGURL(testToken, "default", "disable"))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(context.Background())
	var n int
	if err := c.QueryRow(context.Background(), "SELECT count(*) FROM slow.public.items").Scan(&n); err != nil || n != 100000 {
		t.Fatalf("read after the crash and a sync: %d, %v", n, err)
	}
}

// syncRunning reports whether a sync job is running.
func syncRunning(t *testing.T, h *hdtest.Harness) bool {
	for _, j := range h.API("GET", "/v1/jobs?limit=50", nil, http.StatusOK)["jobs"].([]any) {
		if job := j.(map[string]any); job["type"] == "sync" && job["status"] == "running" {
			return true
		}
	}
	return false
}

func errCode(body map[string]any) string {
	e, _ := body["error"].(map[string]any)
	code, _ := e["code"].(string)
	return code
}
