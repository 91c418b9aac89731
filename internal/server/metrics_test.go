package server_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/hotdata-dev/hotdata/internal/hdtest"
)

// TestMetrics: GET /metrics (no token) counts statements by route and
// outcome, errors by SQLSTATE, sessions, syncs, cache hits and misses,
// failed logins and the engines' memory against the budget.
func TestMetrics(t *testing.T) {
	h := hdtest.Start(t)
	h.ConnectUpstream("shop", `CREATE TABLE t (id int)`, `INSERT INTO t VALUES (1), (2)`)
	before := scrape(t, h)
	ctx := context.Background()
	c, err := pgx.Connect(ctx, h.PGURL(testToken, "default", "disable"))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(ctx)
	for range 3 { // a miss (the first read syncs), then hits
		var n int
		if err := c.QueryRow(ctx, "SELECT count(*) FROM shop.public.t").Scan(&n); err != nil || n != 2 {
			t.Fatalf("query: %d, %v", n, err)
		}
	}
	if _, err := c.Exec(ctx, "SELECT 1/0"); err == nil {
		t.Fatal("1/0 succeeded")
	}
	if _, err := pgx.Connect(ctx, h.PGURL("hd_wrongtoken00000000000000000000000000000000", "default", "disable")); err == nil {
		t.Fatal("a wrong token logged in")
	}
	if status, _ := h.APIRaw("GET", "/v1/workspaces", nil, "hd_wrongtoken00000000000000000000000000000000", ""); status != http.StatusUnauthorized {
		t.Fatalf("REST with a wrong token: %d", status)
	}
	text := scrape(t, h)
	for _, d := range []struct {
		metric string
		min    float64
	}{
		{`hotdata_cache_reads_total{outcome="miss"}`, 1},
		{`hotdata_cache_reads_total{outcome="hit"}`, 2},
		{`hotdata_auth_failures_total{frontend="pgwire",reason="credential"}`, 1},
		{`hotdata_auth_failures_total{frontend="rest",reason="credential"}`, 1},
		{`hotdata_statement_errors_total{sqlstate="22012"}`, 1},
	} {
		if got := metricValue(text, d.metric) - metricValue(before, d.metric); got < d.min {
			t.Errorf("%s rose by %v, want at least %v", d.metric, got, d.min)
		}
	}
	if open, reserved, budget := metricValue(text, "hotdata_engines_open"), metricValue(text, "hotdata_engine_memory_reserved_bytes"), metricValue(text, "hotdata_engine_memory_budget_bytes"); open < 1 || reserved < 1<<20 || budget < reserved {
		t.Errorf("engines: %v open reserving %v bytes of a %v budget", open, reserved, budget)
	}
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

// scrape reads GET /metrics.
func scrape(t *testing.T, h *hdtest.Harness) string {
	t.Helper()
	resp, err := http.Get("http://" + h.P.HTTPAddr() + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("/metrics: %d %s", resp.StatusCode, body)
	}
	return string(body)
}

// metricValue is the value of the sample named exactly so (0 if absent).
func metricValue(text, sample string) float64 {
	for _, l := range strings.Split(text, "\n") {
		if v, ok := strings.CutPrefix(l, sample+" "); ok {
			f, _ := strconv.ParseFloat(strings.TrimSpace(v), 64)
			return f
		}
	}
	return 0
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
	var buf hdtest.LogBuffer
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
