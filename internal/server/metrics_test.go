package server_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

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
