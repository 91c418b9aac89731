package server_test

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/hotdata-dev/hotdata/internal/hdtest"
	"github.com/hotdata-dev/hotdata/internal/testenv"
)

func cacheStats(t *testing.T, c *pgx.Conn) (hits, misses int) {
	t.Helper()
	var s string
	if err := c.QueryRow(context.Background(), "SHOW hotdata.result_cache_stats").Scan(&s); err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`hits=(\d+) misses=(\d+)`).FindStringSubmatch(s)
	if m == nil {
		t.Fatalf("stats %q", s)
	}
	hits, _ = strconv.Atoi(m[1])
	misses, _ = strconv.Atoi(m[2])
	return hits, misses
}

// TestResultCache: a repeated query is answered from the result cache;
// a new snapshot, other parameter values, a volatile function or the
// session setting each make it run again.
func TestResultCache(t *testing.T) {
	h := hdtest.Start(t)
	h.ConnectUpstream("app", eventsTable, eventsRows(1, 100))
	ctx := context.Background()
	c := connect(t, h.PGURL(testToken, "default", "disable"))
	sum := func(sql string, args ...any) int64 {
		t.Helper()
		var n int64
		if err := c.QueryRow(ctx, sql, args...).Scan(&n); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
		return n
	}
	const q = "SELECT sum(id) FROM app.events WHERE id <= $1"
	if got := sum(q, 10); got != 55 {
		t.Fatalf("first: %d", got)
	}
	h0, m0 := cacheStats(t, c)
	if got := sum(q, 10); got != 55 {
		t.Fatalf("second: %d", got)
	}
	if h1, m1 := cacheStats(t, c); h1 != h0+1 || m1 != m0 {
		t.Fatalf("a repeated query is a hit: hits %d→%d, misses %d→%d", h0, h1, m0, m1)
	}
	// Other parameter values are another result.
	if got := sum(q, 20); got != 210 {
		t.Fatalf("other parameters: %d", got)
	}
	// A new snapshot: the cached result is not served.
	testenv.PostgresExec(t, h.Upstream, `UPDATE events SET id = id + 1000 WHERE id = 10`)
	h.API("POST", "/v1/refresh", map[string]any{"connection_id": "app", "data": true}, http.StatusOK)
	if got := sum(q, 10); got != 45 {
		t.Fatalf("after a refresh the cached result is stale: %d, want 45", got)
	}
	// Volatile functions and the session setting bypass the cache.
	h2, m2 := cacheStats(t, c)
	for i := 0; i < 2; i++ {
		var ts string
		if err := c.QueryRow(ctx, "SELECT clock_timestamp()::text FROM app.events LIMIT 1").Scan(&ts); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := c.Exec(ctx, "SET hotdata.result_cache = off"); err != nil {
		t.Fatal(err)
	}
	sum(q, 10)
	sum(q, 10)
	if h3, m3 := cacheStats(t, c); h3 != h2 || m3 != m2 {
		t.Fatalf("volatile and bypassed statements touched the cache: hits %d→%d, misses %d→%d", h2, h3, m2, m3)
	}
	if _, err := c.Exec(ctx, "RESET hotdata.result_cache"); err != nil {
		t.Fatal(err)
	}
	// Simple protocol with inlined constants hits too, with the same values.
	cfg, _ := pgx.ParseConfig(h.PGURL(testToken, "default", "disable"))
	cfg.DefaultQueryExecMode = pgx.QueryExecModeSimpleProtocol
	s, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close(ctx)
	var first, second string
	for _, dst := range []*string{&first, &second} {
		rows, err := s.Query(ctx, "SELECT kind, count(*) FROM app.events GROUP BY kind ORDER BY kind")
		if err != nil {
			t.Fatal(err)
		}
		vals, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (string, error) {
			var k string
			var n int64
			err := r.Scan(&k, &n)
			return fmt.Sprintf("%s=%d", k, n), err
		})
		if err != nil {
			t.Fatal(err)
		}
		*dst = fmt.Sprint(vals)
	}
	if first != second || first != "[k0=33 k1=34 k2=33]" {
		t.Fatalf("cached rows differ: %s vs %s", first, second)
	}
}

// TestFreshnessAuto: with hotdata.freshness = auto, a table not cached
// yet is read live (no waiting for a sync) while a background sync caches
// it; then the cache answers.
func TestFreshnessAuto(t *testing.T) {
	h := hdtest.Start(t)
	h.ConnectUpstream("app", eventsTable, eventsRows(1, 100))
	ctx := context.Background()
	cfg, _ := pgx.ParseConfig(h.PGURL(testToken, "default", "disable"))
	cfg.RuntimeParams["hotdata.freshness"] = "auto"
	c, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(ctx)
	var plan string
	if err := c.QueryRow(ctx, "EXPLAIN SELECT count(*) FROM app.events").Scan(&plan); err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`(?i)live`).MatchString(plan) {
		t.Fatalf("an uncached table under auto is read live; plan starts %q", plan)
	}
	for _, mode := range []pgx.QueryExecMode{pgx.QueryExecModeSimpleProtocol, pgx.QueryExecModeCacheStatement} {
		var n int64
		if err := c.QueryRow(ctx, "SELECT count(*) FROM app.events", mode).Scan(&n); err != nil || n != 100 {
			t.Fatalf("%v: count %d, %v", mode, n, err)
		}
	}
	// The background sync caches it.
	deadline := time.Now().Add(10 * time.Second)
	for h.API("GET", "/v1/information_schema?table=events", nil, http.StatusOK)["tables"].([]any)[0].(map[string]any)["synced"] != true {
		if time.Now().After(deadline) {
			t.Fatal("auto did not sync the table in the background")
		}
		time.Sleep(50 * time.Millisecond)
	}
	// Now the cache answers: an upstream change is not seen until a
	// refresh. (A statement prepared while the table was read live keeps
	// that route, since its description came from the upstream: use the
	// simple protocol, or a new prepared statement.)
	testenv.PostgresExec(t, h.Upstream, eventsRows(101, 110))
	var n int64
	if err := c.QueryRow(ctx, "SELECT count(*) FROM app.events", pgx.QueryExecModeSimpleProtocol).Scan(&n); err != nil || n != 100 {
		t.Fatalf("a cached table under auto reads the cache: %d, %v", n, err)
	}
	if err := c.QueryRow(ctx, "SELECT count(*) AS n FROM app.events").Scan(&n); err != nil || n != 100 {
		t.Fatalf("a statement prepared once the table is cached reads the cache: %d, %v", n, err)
	}
}
