package server_test

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/hotdata-dev/hotdata/internal/hdtest"
	"github.com/hotdata-dev/hotdata/internal/server"
	"github.com/hotdata-dev/hotdata/internal/testenv"
)

const eventsTable = `CREATE TABLE events (id int PRIMARY KEY, kind text, at timestamptz)`

func eventsRows(from, to int) string {
	return fmt.Sprintf(`INSERT INTO events SELECT i, 'k' || (i %% 3), '2024-01-01'::timestamptz + i * interval '1 minute' FROM generate_series(%d, %d) i`, from, to)
}

// queryInts runs a query returning one bigint column.
func queryInts(t *testing.T, c *pgx.Conn, sql string) []int64 {
	t.Helper()
	rows, err := c.Query(context.Background(), sql)
	if err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return out
}

func jobStatus(t *testing.T, h *hdtest.Harness, id string) map[string]any {
	t.Helper()
	return h.API("GET", "/v1/jobs/"+id, nil, http.StatusOK)
}

// TestRefreshIncrementalAndPurge: a data refresh re-syncs; with an
// incremental column only new rows are read and appended; a schema change
// upstream makes the next sync a full one; a purge makes the next read sync.
func TestRefreshIncrementalAndPurge(t *testing.T) {
	h := hdtest.Start(t)
	h.ConnectUpstream("app", eventsTable, eventsRows(1, 100))
	ctx := context.Background()
	c := connect(t, h.PGURL(testToken, "default", "disable"))
	if got := queryInts(t, c, "SELECT count(*) FROM app.events"); got[0] != 100 {
		t.Fatalf("first read: %v rows", got)
	}

	// A full data refresh sees new rows.
	testenv.PostgresExec(t, h.Upstream, eventsRows(101, 150))
	out := h.API("POST", "/v1/refresh", map[string]any{"connection_id": "app", "data": true}, http.StatusOK)
	tables := out["tables"].([]any)
	if len(tables) != 1 || tables[0].(map[string]any)["row_count"] != 150.0 || tables[0].(map[string]any)["incremental"] != false {
		t.Fatalf("refresh: %v", out)
	}
	if got := queryInts(t, c, "SELECT count(*) FROM app.events"); got[0] != 150 {
		t.Fatalf("after refresh: %v rows", got)
	}

	// Incremental: only rows with a greater id are read.
	pol := h.API("PUT", "/v1/connections/app/tables/public/events/policy", map[string]any{"refresh": "manual", "incremental_column": "id"}, http.StatusOK)
	if pol["incremental_column"] != "id" || pol["refresh"] != "manual" {
		t.Fatalf("policy: %v", pol)
	}
	// The watermark comes from a sync with the column set.
	h.API("POST", "/v1/refresh", map[string]any{"connection_id": "app", "data": true}, http.StatusOK)
	testenv.PostgresExec(t, h.Upstream, eventsRows(151, 175), `UPDATE events SET kind = 'changed' WHERE id = 1`)
	out = h.API("POST", "/v1/refresh", map[string]any{"connection_id": "app", "schema_name": "public", "table_name": "events", "data": true}, http.StatusOK)
	tr := out["tables"].([]any)[0].(map[string]any)
	if tr["incremental"] != true || tr["rows_appended"] != 25.0 || tr["row_count"] != 175.0 {
		t.Fatalf("incremental refresh: %v", tr)
	}
	if got := queryInts(t, c, "SELECT count(*) FROM app.events"); got[0] != 175 {
		t.Fatalf("after incremental refresh: %v rows", got)
	}
	var kind string
	if err := c.QueryRow(ctx, "SELECT kind FROM app.events WHERE id = 1").Scan(&kind); err != nil || kind != "k1" {
		rows, _ := c.Query(ctx, "EXPLAIN SELECT kind FROM app.events WHERE id = 1")
		plan, _ := pgx.CollectRows(rows, pgx.RowTo[string])
		t.Logf("plan: %s", strings.Join(plan, "\n"))
		for _, j := range h.API("GET", "/v1/jobs", nil, http.StatusOK)["jobs"].([]any) {
			t.Logf("job %v", j)
		}
		t.Fatalf("an incremental sync reads only new rows: id 1 kind %q, %v", kind, err)
	}
	// Nothing new: the snapshot stays.
	out = h.API("POST", "/v1/refresh", map[string]any{"connection_id": "app", "data": true}, http.StatusOK)
	if tr := out["tables"].([]any)[0].(map[string]any); tr["incremental"] != true || tr["row_count"] != 175.0 {
		t.Fatalf("empty incremental refresh: %v", tr)
	}

	// A new column upstream: the incremental sync turns into a full one.
	testenv.PostgresExec(t, h.Upstream, `ALTER TABLE events ADD COLUMN note text DEFAULT 'n'`, eventsRows(176, 180))
	out = h.API("POST", "/v1/refresh", map[string]any{"connection_id": "app", "data": true}, http.StatusOK)
	if tr := out["tables"].([]any)[0].(map[string]any); tr["incremental"] != false || tr["row_count"] != 180.0 {
		t.Fatalf("refresh after a schema change: %v", tr)
	}
	// Schema re-discovery keeps the policy and learns the column.
	out = h.API("POST", "/v1/refresh", map[string]any{"connection_id": "app"}, http.StatusOK)
	if cr := out["connections"].([]any)[0].(map[string]any); cr["tables_updated"] != 1.0 {
		t.Fatalf("rediscovery: %v", out)
	}
	var note string
	if err := c.QueryRow(ctx, "SELECT note FROM app.events WHERE id = 180").Scan(&note); err != nil || note != "n" {
		t.Fatalf("new column: %q, %v", note, err)
	}
	if err := c.QueryRow(ctx, "SELECT kind FROM app.events WHERE id = 1").Scan(&kind); err != nil || kind != "changed" {
		t.Fatalf("a full sync reads every row: %q, %v", kind, err)
	}

	// Jobs record every sync with its progress.
	jobs := h.API("GET", "/v1/jobs?limit=50", nil, http.StatusOK)["jobs"].([]any)
	var syncs int
	for _, j := range jobs {
		job := j.(map[string]any)
		if job["type"] == "sync" && job["status"] == "succeeded" {
			syncs++
			if job["progress"].(map[string]any)["rows"] == nil || job["completed_at"] == nil {
				t.Errorf("job without progress or completion: %v", job)
			}
		}
	}
	if syncs < 6 {
		t.Errorf("%d succeeded sync jobs, want at least 6: %v", syncs, jobs)
	}

	// Purge: the next read syncs again (with a notice).
	h.API("DELETE", "/v1/connections/app/tables/public/events/cache", nil, http.StatusOK)
	var notices []string
	var mu sync.Mutex
	cfg, _ := pgx.ParseConfig(h.PGURL(testToken, "default", "disable"))
	cfg.OnNotice = func(_ *pgconn.PgConn, n *pgconn.Notice) { mu.Lock(); notices = append(notices, n.Message); mu.Unlock() }
	c2, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer c2.Close(ctx)
	if got := queryInts(t, c2, "SELECT count(*) FROM app.events"); got[0] != 180 {
		t.Fatalf("after purge: %v rows", got)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(notices) == 0 || !strings.Contains(notices[0], "not cached yet") {
		t.Fatalf("a purged table syncs on its next read; notices: %q", notices)
	}

	// A table dropped upstream: re-discovery marks it vanished; it leaves
	// the catalog, and a query names it as missing.
	testenv.PostgresExec(t, h.Upstream, `CREATE TABLE extra (id int)`)
	h.API("POST", "/v1/refresh", map[string]any{"connection_id": "app"}, http.StatusOK)
	testenv.PostgresExec(t, h.Upstream, `DROP TABLE extra`)
	out = h.API("POST", "/v1/refresh", map[string]any{"connection_id": "app"}, http.StatusOK)
	if cr := out["connections"].([]any)[0].(map[string]any); cr["tables_vanished"] != 1.0 {
		t.Fatalf("rediscovery after a drop: %v", out)
	}
	if tables := h.API("GET", "/v1/information_schema?table=extra", nil, http.StatusOK)["tables"].([]any); len(tables) != 0 {
		t.Fatalf("a vanished table is still listed: %v", tables)
	}
	time.Sleep(2100 * time.Millisecond) // the session's catalog is reloaded after its TTL
	if _, err := c.Exec(ctx, "SELECT * FROM app.extra"); err == nil || !strings.Contains(err.Error(), "42P01") {
		t.Fatalf("query of a vanished table: %v", err)
	}
	// The surviving table kept its policy through the rediscoveries.
	pol = h.API("PUT", "/v1/connections/app/tables/public/events/policy", map[string]any{"refresh": "manual", "incremental_column": "id"}, http.StatusOK)
	if pol["incremental_column"] != "id" {
		t.Fatalf("policy after rediscovery: %v", pol)
	}

	// Bad input.
	for _, bad := range []struct {
		method, path string
		body         any
		status       int
	}{
		{"PUT", "/v1/connections/app/tables/public/events/policy", map[string]any{"refresh": "hourly"}, 400},
		{"PUT", "/v1/connections/app/tables/public/events/policy", map[string]any{"refresh": "every 15m", "incremental_column": "nope"}, 422},
		{"PUT", "/v1/connections/app/tables/public/nope/policy", map[string]any{"refresh": "manual"}, 404},
		{"POST", "/v1/refresh", map[string]any{"connection_id": "nope", "data": true}, 404},
		{"POST", "/v1/refresh", map[string]any{"table_name": "events", "data": true}, 400},
		{"GET", "/v1/jobs/job_nope", nil, 404},
	} {
		if status, body := h.APIRaw(bad.method, bad.path, bad.body, testToken, h.WSID); status != bad.status {
			t.Errorf("%s %s: %d %v, want %d", bad.method, bad.path, status, body, bad.status)
		}
	}
}

// TestPoliciesScheduleAndTTL: "every" tables are re-synced in the
// background; a read of a "ttl" table older than its ttl syncs first.
func TestPoliciesScheduleAndTTL(t *testing.T) {
	h := hdtest.Start(t, func(c *server.Config) { c.SchedulerTick = 200 * time.Millisecond })
	h.ConnectUpstream("app", eventsTable, eventsRows(1, 10), `CREATE TABLE fresh AS SELECT 1 AS id`)
	c := connect(t, h.PGURL(testToken, "default", "disable"))
	queryInts(t, c, "SELECT count(*) FROM app.fresh")
	h.API("PUT", "/v1/connections/app/tables/public/events/policy", map[string]any{"refresh": "every 10s"}, http.StatusOK)
	h.API("PUT", "/v1/connections/app/tables/public/fresh/policy", map[string]any{"refresh": "ttl 10s"}, http.StatusOK)
	// An "every" table never synced is synced at once by the scheduler.
	deadline := time.Now().Add(5 * time.Second)
	for {
		info := h.API("GET", "/v1/information_schema?table=events", nil, http.StatusOK)["tables"].([]any)[0].(map[string]any)
		if info["synced"] == true {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the scheduler did not sync the 'every' table")
		}
		time.Sleep(100 * time.Millisecond)
	}
	testenv.PostgresExec(t, h.Upstream, eventsRows(11, 20), `INSERT INTO fresh VALUES (2)`)
	// Within its interval, the cached snapshot serves.
	if got := queryInts(t, c, "SELECT count(*) FROM app.events"); got[0] != 10 {
		t.Fatalf("before the interval: %v", got)
	}
	if got := queryInts(t, c, "SELECT count(*) FROM app.fresh"); got[0] != 1 {
		t.Fatalf("before the ttl: %v", got)
	}
	time.Sleep(11 * time.Second)
	deadline = time.Now().Add(5 * time.Second)
	for queryInts(t, c, "SELECT count(*) FROM app.events")[0] != 20 {
		if time.Now().After(deadline) {
			t.Fatal("the scheduler did not re-sync the 'every 10s' table")
		}
		time.Sleep(200 * time.Millisecond)
	}
	// The ttl table syncs on this read, before answering.
	if got := queryInts(t, c, "SELECT count(*) FROM app.fresh"); got[0] != 2 {
		t.Fatalf("a read past the ttl: %v rows, want 2", got)
	}
}

// forwarder is a TCP proxy to an upstream that the test can cut, to make
// an upstream unreachable on demand (a real server cannot be stopped here).
type forwarder struct {
	ln    net.Listener
	to    string
	mu    sync.Mutex
	conns []net.Conn
}

func newForwarder(t *testing.T, to string) *forwarder {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	f := &forwarder{ln: ln, to: to}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			up, err := net.Dial("tcp", to)
			if err != nil {
				c.Close()
				continue
			}
			f.mu.Lock()
			f.conns = append(f.conns, c, up)
			f.mu.Unlock()
			go func() { io.Copy(up, c); up.Close() }()
			go func() { io.Copy(c, up); c.Close() }()
		}
	}()
	t.Cleanup(f.cut)
	return f
}

// cut closes the listener and every forwarded connection.
func (f *forwarder) cut() {
	f.ln.Close()
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, c := range f.conns {
		c.Close()
	}
	f.conns = nil
}

// TestUnreachableUpstream: when the upstream is gone, a refresh fails
// with the upstream's error, the job says so, and the previous snapshot
// keeps serving.
func TestUnreachableUpstream(t *testing.T) {
	h := hdtest.Start(t)
	db := testenv.Postgres(t)
	testenv.PostgresExec(t, db, eventsTable, eventsRows(1, 30))
	fw := newForwarder(t, "127.0.0.1:5432")
	h.Register("app", strings.Replace(db, "127.0.0.1:5432", fw.ln.Addr().String(), 1))
	c := connect(t, h.PGURL(testToken, "default", "disable"))
	if got := queryInts(t, c, "SELECT count(*) FROM app.events"); got[0] != 30 {
		t.Fatalf("first read: %v", got)
	}
	fw.cut()
	health := h.API("GET", "/v1/connections/app/health", nil, http.StatusOK)
	if health["healthy"] != false || health["error"] == nil {
		t.Fatalf("health of an unreachable upstream: %v", health)
	}
	out := h.API("POST", "/v1/refresh", map[string]any{"connection_id": "app", "data": true}, http.StatusOK)
	tr := out["tables"].([]any)[0].(map[string]any)
	if out["ok"] != false || tr["status"] != "failed" || !strings.Contains(fmt.Sprint(tr["error"]), "connect") {
		t.Fatalf("refresh of an unreachable upstream: %v", out)
	}
	job := jobStatus(t, h, tr["job_id"].(string))
	if job["status"] != "failed" || job["error"] == "" {
		t.Fatalf("failed sync job: %v", job)
	}
	if got := queryInts(t, c, "SELECT count(*) FROM app.events"); got[0] != 30 {
		t.Fatalf("the previous snapshot serves: %v", got)
	}
	// An async refresh answers 202 with a job that ends failed.
	out = h.API("POST", "/v1/refresh", map[string]any{"connection_id": "app", "data": true, "async": true}, http.StatusAccepted)
	id := out["job"].(map[string]any)["id"].(string)
	deadline := time.Now().Add(30 * time.Second)
	for jobStatus(t, h, id)["status"] == "running" {
		if time.Now().After(deadline) {
			t.Fatal("async refresh never finished")
		}
		time.Sleep(100 * time.Millisecond)
	}
	if job := jobStatus(t, h, id); job["status"] != "failed" || !strings.Contains(fmt.Sprint(job["error"]), "app.public.events") {
		t.Fatalf("async refresh job: %v", job)
	}
}

// TestCacheQuota: past the workspace's cache limit, the least recently
// read table is evicted and syncs again on its next read.
func TestCacheQuota(t *testing.T) {
	// Each table below is a few hundred kB as Parquet; the limit holds one.
	h := hdtest.Start(t, func(c *server.Config) { c.CacheBytes = 300 << 10 })
	h.ConnectUpstream("app",
		`CREATE TABLE a AS SELECT i AS id, md5(i::text) AS v FROM generate_series(1, 8000) i`,
		`CREATE TABLE b AS SELECT i AS id, md5(i::text) AS v FROM generate_series(1, 8000) i`)
	c := connect(t, h.PGURL(testToken, "default", "disable"))
	queryInts(t, c, "SELECT count(*) FROM app.a")
	synced := func(table string) bool {
		return h.API("GET", "/v1/information_schema?table="+table, nil, http.StatusOK)["tables"].([]any)[0].(map[string]any)["synced"] == true
	}
	if !synced("a") {
		t.Fatal("a not cached")
	}
	// a's native copy (made in the background) does not fit beside it:
	// the copy goes, not the table.
	time.Sleep(2 * time.Second)
	if !synced("a") {
		t.Fatal("a evicted to make room for its own native copy")
	}
	if copies, _ := filepath.Glob(filepath.Join(h.DataDir, "workspaces", "*", "tables", "*", "public", "a", "*", "native.duckdb")); len(copies) != 0 {
		t.Fatalf("a native copy over the cache limit was kept: %v", copies)
	}
	if got := queryInts(t, c, "SELECT count(*) FROM app.a"); got[0] != 8000 {
		t.Fatalf("a after its copy went: %v", got)
	}
	queryInts(t, c, "SELECT count(*) FROM app.b")
	if !synced("b") || synced("a") {
		t.Fatalf("after reading b over the limit: a synced %v (want evicted), b synced %v", synced("a"), synced("b"))
	}
	// The evicted table reads fine: it syncs again (and evicts b).
	if got := queryInts(t, c, "SELECT count(*) FROM app.a"); got[0] != 8000 {
		t.Fatalf("evicted table: %v", got)
	}
	if !synced("a") || synced("b") {
		t.Fatalf("after reading a again: a %v, b %v", synced("a"), synced("b"))
	}
}
