package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/hotdata-dev/hotdata/internal/hdtest"
)

// TestMetrics: GET /metrics (no token) counts statements by route and
// outcome, errors by SQLSTATE, sessions and syncs.
func TestMetrics(t *testing.T) {
	h := hdtest.Start(t)
	h.ConnectUpstream("shop", `CREATE TABLE t (id int)`, `INSERT INTO t VALUES (1), (2)`)
	ctx := context.Background()
	c, err := pgx.Connect(ctx, h.PGURL(testToken, "default", "disable"))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(ctx)
	var n int
	if err := c.QueryRow(ctx, "SELECT count(*) FROM shop.public.t").Scan(&n); err != nil || n != 2 {
		t.Fatalf("query: %d, %v", n, err)
	}
	if _, err := c.Exec(ctx, "SELECT 1/0"); err == nil {
		t.Fatal("1/0 succeeded")
	}
	resp, err := http.Get("http://" + h.P.HTTPAddr() + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	text := string(body)
	for _, want := range []string{
		`hotdata_statements_total{outcome="ok",route="cached"}`,
		`hotdata_statements_total{outcome="error",route="cached"}`,
		`hotdata_statement_errors_total{sqlstate="22012"}`,
		`hotdata_statement_duration_seconds_bucket{route="cached",le=`,
		`hotdata_syncs_total{outcome="ok"}`,
		`hotdata_sync_rows_total`,
		"go_goroutines", "process_open_fds",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	if !strings.Contains(text, "hotdata_pgwire_sessions ") || strings.Contains(text, "hotdata_pgwire_sessions 0\n") {
		t.Errorf("/metrics does not count the open session:\n%s", grepLines(text, "hotdata_pgwire_sessions"))
	}
	if strings.Contains(text, h.WSID) || strings.Contains(text, "default") {
		t.Errorf("/metrics names a tenant")
	}
}

func grepLines(text, prefix string) string {
	var out []string
	for _, l := range strings.Split(text, "\n") {
		if strings.HasPrefix(l, prefix) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// TestStatementLog: each pgwire statement is one structured log line
// whose query_run_id is the id of its recorded query run.
func TestStatementLog(t *testing.T) {
	var buf syncBuffer
	h := hdtest.StartLogged(t, &buf)
	ctx := context.Background()
	c, err := pgx.Connect(ctx, h.PGURL(testToken, "default", "disable"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Exec(ctx, "SELECT 1/0"); err == nil {
		t.Fatal("1/0 succeeded")
	}
	c.Close(ctx)
	var runID string
	for _, line := range strings.Split(buf.String(), "\n") {
		var rec map[string]any
		if json.Unmarshal([]byte(line), &rec) != nil || rec["msg"] != "statement" || rec["sqlstate"] != "22012" {
			continue
		}
		runID, _ = rec["query_run_id"].(string)
		if rec["route"] != "cached" || rec["level"] != "INFO" {
			t.Errorf("statement line: %v", rec)
		}
	}
	if !strings.HasPrefix(runID, "qrun_") {
		t.Fatalf("no statement line with a query run id for 1/0 in:\n%s", buf.String())
	}
	// The run is recorded under that id (runs are written in batches).
	for range 100 {
		status, _ := h.APIRaw("GET", "/v1/query-runs/"+runID, nil, testToken, h.WSID)
		if status == http.StatusOK {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Errorf("no query run %s", runID)
}

// syncBuffer is a bytes.Buffer safe for the server's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
