package server_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/hotdata-dev/hotdata/internal/hdtest"
	"github.com/hotdata-dev/hotdata/internal/server"
)

// These tests check the protections against one tenant starving the
// process: the engines' shared memory budget, idle engine eviction,
// statement size, statement timeout over planning, REST query timeout
// and cancel, and the stored result cap.

// engineQuery runs a statement that needs the workspace's engine.
const engineQuery = "SELECT count(*) FROM generate_series(0, 999) t(i) WHERE i % 7 = 0"

func engineLoaded(t *testing.T, h *hdtest.Harness, ws string) bool {
	t.Helper()
	return field(t, callAs(t, h, hdtest.Token, "", "GET", "/v1/workspaces/"+ws, nil, 200), "workspace")["engine_loaded"].(bool)
}

func newWorkspace(t *testing.T, h *hdtest.Harness, name string) string {
	t.Helper()
	return field(t, callAs(t, h, hdtest.Token, "", "POST", "/v1/workspaces", map[string]any{"name": name}, 201), "workspace")["public_id"].(string)
}

func runEngineQuery(c *pgx.Conn) error {
	var n int64
	if err := c.QueryRow(context.Background(), engineQuery).Scan(&n); err != nil {
		return err
	}
	if n != 143 {
		return errors.New("wrong count")
	}
	return nil
}

// waitFor polls cond until it holds or a generous deadline passes.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(90 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestEngineMemoryBudget: engines share the process's memory budget. An
// engine that does not fit fails with 53200 while the others are in use,
// and opens once one of them is idle (which is closed for it).
func TestEngineMemoryBudget(t *testing.T) {
	h := hdtest.Start(t, func(c *server.Config) {
		c.EngineMemoryBytes = 128 << 20
		c.EngineMemoryBudget = 256 << 20
		c.EngineIdleTimeout = 0
	})
	wsB := newWorkspace(t, h, "b")
	newWorkspace(t, h, "c")
	a := connect(t, h.PGURL(hdtest.Token, "default", "disable"))
	b := connect(t, h.PGURL(hdtest.Token, "b", "disable"))
	for _, c := range []*pgx.Conn{a, b} {
		if err := runEngineQuery(c); err != nil {
			t.Fatal(err)
		}
	}
	c := connect(t, h.PGURL(hdtest.Token, "c", "disable"))
	err := runEngineQuery(c)
	var pe *pgconn.PgError
	if !errors.As(err, &pe) || pe.Code != "53200" || pe.Hint == "" {
		t.Fatalf("third engine past the budget: %v, want 53200 with a hint", err)
	}
	// The workspaces in the budget still answer.
	if err := runEngineQuery(a); err != nil {
		t.Fatal(err)
	}
	// Once b's session ends, its engine makes room for c's.
	b.Close(context.Background())
	waitFor(t, "b's session to end", func() bool {
		err := runEngineQuery(c)
		return err == nil
	})
	if engineLoaded(t, h, wsB) {
		t.Fatal("b's engine is still open")
	}
	if err := runEngineQuery(a); err != nil {
		t.Fatal(err)
	}
}

// TestEngineIdleEviction: an engine unused for the idle timeout is
// closed, never while a session is open on it, and opens again on the
// next statement.
func TestEngineIdleEviction(t *testing.T) {
	idle := 100 * time.Millisecond
	h := hdtest.Start(t, func(c *server.Config) { c.EngineIdleTimeout = idle })
	a := connect(t, h.PGURL(hdtest.Token, "default", "disable"))
	if err := runEngineQuery(a); err != nil {
		t.Fatal(err)
	}
	// Many idle periods pass with the session open: the engine stays.
	time.Sleep(10 * idle)
	if !engineLoaded(t, h, h.WSID) {
		t.Fatal("the engine of a workspace with an open session was closed")
	}
	if err := runEngineQuery(a); err != nil {
		t.Fatal(err)
	}
	a.Close(context.Background())
	waitFor(t, "the idle engine to close", func() bool { return !engineLoaded(t, h, h.WSID) })
	b := connect(t, h.PGURL(hdtest.Token, "default", "disable"))
	if err := runEngineQuery(b); err != nil {
		t.Fatalf("after eviction: %v", err)
	}
	if !engineLoaded(t, h, h.WSID) {
		t.Fatal("the engine did not open again")
	}
}

// TestStatementTooLong: a statement past the size limit fails with
// 54000 over pgwire (the session goes on) and with a 400 over REST.
func TestStatementTooLong(t *testing.T) {
	h := hdtest.Start(t, func(c *server.Config) { c.MaxStatementBytes = 64 << 10 })
	long := "SELECT 1 /*" + strings.Repeat("x", 100<<10) + "*/"
	failAs(t, h, hdtest.Token, h.WSID, "POST", "/v1/query", map[string]any{"sql": long}, 400, "QUERY_ERROR", "statement is too long")
	c := connect(t, h.PGURL(hdtest.Token, "default", "disable"))
	if _, err := c.Exec(context.Background(), long); sqlstate(err) != "54000" {
		t.Fatalf("pgwire: %v, want 54000", err)
	}
	if err := runEngineQuery(c); err != nil {
		t.Fatalf("after: %v", err)
	}
}

// orChain is a statement that takes seconds to plan (in Hotdata's
// planner and in DuckDB's).
func orChain(size int) string {
	var b strings.Builder
	b.WriteString("SELECT count(*) FROM generate_series(1, 10) t(i) WHERE i = 0")
	for i := 1; b.Len() < size; i++ {
		fmt.Fprintf(&b, " OR i = %d", i)
	}
	return b.String()
}

// TestStatementTimeoutCoversPlanning: statement_timeout stops a
// statement while it is still being planned, over both protocols. The
// client's own deadline is many times the timeout but shorter than the
// planning: before the fix the server answered only after planning, so
// the client gave up first.
func TestStatementTimeoutCoversPlanning(t *testing.T) {
	h := hdtest.Start(t)
	c := connect(t, h.PGURL(hdtest.Token, "default", "disable"))
	if _, err := c.Exec(context.Background(), "SET statement_timeout = '300ms'"); err != nil {
		t.Fatal(err)
	}
	q := orChain(209 << 10)
	for _, mode := range []pgx.QueryExecMode{pgx.QueryExecModeSimpleProtocol, pgx.QueryExecModeDescribeExec} {
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
		var n int64
		err := c.QueryRow(ctx, q, mode).Scan(&n)
		cancel()
		var pe *pgconn.PgError
		if !errors.As(err, &pe) || pe.Code != "57014" || !strings.Contains(pe.Message, "statement timeout") {
			t.Fatalf("%v: %v, want 57014 canceling statement due to statement timeout", mode, err)
		}
	}
	// Another workspace answers meanwhile, and so does this session.
	newWorkspace(t, h, "other")
	if err := runEngineQuery(connect(t, h.PGURL(hdtest.Token, "other", "disable"))); err != nil {
		t.Fatal(err)
	}
	// Its next statements wait for the abandoned planning (within their
	// own timeout), then run.
	waitFor(t, "the session to take statements again", func() bool {
		_, err := c.Exec(context.Background(), "SET statement_timeout = 0")
		return err == nil
	})
	if err := runEngineQuery(c); err != nil {
		t.Fatal(err)
	}
}

// slowQuery runs for many seconds in the engine.
const slowQuery = "SELECT count(*) FROM generate_series(1, 100000) a(i), generate_series(1, 100000) b(j) WHERE (i * j) % 7 = 3"

// TestRESTQueryTimeout: a REST query past the server's REST query
// timeout fails with 408 QUERY_CANCELED (57014) and its run is recorded
// as canceled; the workspace answers the next query.
func TestRESTQueryTimeout(t *testing.T) {
	h := hdtest.Start(t, func(c *server.Config) { c.RESTQueryTimeout = 300 * time.Millisecond })
	out := callAs(t, h, hdtest.Token, h.WSID, "POST", "/v1/query", map[string]any{"sql": slowQuery}, 408)
	wantError(t, out, "QUERY_CANCELED", "statement timeout")
	runs := callAs(t, h, hdtest.Token, h.WSID, "GET", "/v1/query-runs", nil, 200)["query_runs"].([]any)
	if st := runs[0].(map[string]any)["status"]; st != "canceled" {
		t.Fatalf("run status %v", st)
	}
	// Planning counts too.
	out = callAs(t, h, hdtest.Token, h.WSID, "POST", "/v1/query", map[string]any{"sql": orChain(209 << 10)}, 408)
	wantError(t, out, "QUERY_CANCELED", "statement timeout")
	callAs(t, h, hdtest.Token, h.WSID, "POST", "/v1/query", map[string]any{"sql": "SELECT 1"}, 200)
}

// TestRESTQueryCancel: POST /v1/query-runs/{id}/cancel stops a running
// REST query, whose run ends canceled; a run that is not running is a
// conflict.
func TestRESTQueryCancel(t *testing.T) {
	h := hdtest.Start(t, func(c *server.Config) { c.RESTQueryTimeout = 0 })
	acc := callAs(t, h, hdtest.Token, h.WSID, "POST", "/v1/query", map[string]any{"sql": slowQuery, "async": true}, 202)
	id := acc["query_run_id"].(string)
	callAs(t, h, hdtest.Token, h.WSID, "POST", "/v1/query-runs/"+id+"/cancel", nil, 202)
	waitFor(t, "the run to end", func() bool {
		return callAs(t, h, hdtest.Token, h.WSID, "GET", "/v1/query-runs/"+id, nil, 200)["status"] != "running"
	})
	run := callAs(t, h, hdtest.Token, h.WSID, "GET", "/v1/query-runs/"+id, nil, 200)
	if run["status"] != "canceled" {
		t.Fatalf("run = %v", run)
	}
	failAs(t, h, hdtest.Token, h.WSID, "POST", "/v1/query-runs/"+id+"/cancel", nil, 409, "NOT_RUNNING")
	failAs(t, h, hdtest.Token, h.WSID, "POST", "/v1/query-runs/qrun_nosuchrun/cancel", nil, 404, "NOT_FOUND")
	callAs(t, h, hdtest.Token, h.WSID, "POST", "/v1/query", map[string]any{"sql": "SELECT 1"}, 200)
}

// TestStoredResultCap: a stored result past the server's row or byte cap
// is truncated, and says so; the query itself succeeds.
func TestStoredResultCap(t *testing.T) {
	for _, tc := range []struct {
		name string
		opt  func(*server.Config)
		rows float64 // stored rows, -1: fewer than all
	}{
		{"rows", func(c *server.Config) { c.MaxResultRows = 100 }, 100},
		{"bytes", func(c *server.Config) { c.MaxResultBytes = 64 << 10 }, -1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := hdtest.Start(t, tc.opt)
			out := callAs(t, h, hdtest.Token, h.WSID, "POST", "/v1/query", map[string]any{"sql": "SELECT i, md5(i::text) AS m FROM generate_series(1, 100000) t(i)"}, 200)
			if w, _ := out["warning"].(string); !strings.Contains(w, "truncated") {
				t.Fatalf("warning = %q", w)
			}
			res := callAs(t, h, hdtest.Token, h.WSID, "GET", "/v1/results", nil, 200)["results"].([]any)[0].(map[string]any)
			msg, _ := res["error_message"].(string)
			n := res["row_count"].(float64)
			if res["status"] != "succeeded" || !strings.HasPrefix(msg, "truncated: ") || n <= 0 || n >= 100000 || tc.rows >= 0 && n != tc.rows {
				t.Fatalf("result = %v", res)
			}
			got := callAs(t, h, hdtest.Token, h.WSID, "GET", "/v1/results/"+res["id"].(string), nil, 200)
			if rows, _ := got["rows"].([]any); float64(len(rows)) != n {
				t.Fatalf("stored rows = %d, want %v", len(rows), n)
			}
		})
	}
}
