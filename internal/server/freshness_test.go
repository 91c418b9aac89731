package server_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/hotdata-dev/hotdata/internal/hdtest"
	"github.com/hotdata-dev/hotdata/internal/testenv"
)

// TestFreshness: a cached answer says how fresh it is — a NOTICE per
// table with hotdata.report_freshness, a line of EXPLAIN, a field of REST
// answers — and hotdata.max_staleness never lets an older snapshot
// answer: a synced table is synced first, a streamed one waits for its
// stream, and when the stream is down the statement fails saying so.
func TestFreshness(t *testing.T) {
	up := cdcUpstream(t)
	upURL := up.URL("postgres")
	testenv.PostgresExec(t, upURL,
		`CREATE TABLE streamed (id int PRIMARY KEY, v text)`, `INSERT INTO streamed VALUES (1, 'a')`,
		`CREATE TABLE synced (id int PRIMARY KEY, v text)`, `INSERT INTO synced VALUES (1, 'a')`)
	h := hdtest.Start(t)
	h.Register("src", upURL)
	h.API("PUT", "/v1/connections/src/tables/public/streamed/policy", map[string]any{"refresh": "cdc"}, http.StatusOK)
	ctx := context.Background()
	var mu sync.Mutex
	var notices []string
	cfg, err := pgx.ParseConfig(h.PGURL(testToken, "default", "disable"))
	if err != nil {
		t.Fatal(err)
	}
	cfg.OnNotice = func(_ *pgconn.PgConn, n *pgconn.Notice) {
		mu.Lock()
		notices = append(notices, n.Message)
		mu.Unlock()
	}
	c, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(ctx)
	exec := func(q string) {
		t.Helper()
		if _, err := c.Exec(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	exec("SELECT * FROM src.public.streamed, src.public.synced") // first reads
	exec("SET hotdata.report_freshness = on")
	mu.Lock()
	notices = nil
	mu.Unlock()
	exec("SELECT * FROM src.public.streamed JOIN src.public.synced USING (id)")
	mu.Lock()
	got := strings.Join(notices, "\n")
	mu.Unlock()
	if !strings.Contains(got, "freshness: src.public.streamed: snapshot v") || !strings.Contains(got, "policy cdc, change stream running, lag ") ||
		!strings.Contains(got, "freshness: src.public.synced: snapshot v1") || !strings.Contains(got, "policy manual") {
		t.Fatalf("freshness notices:\n%s", got)
	}
	rows, err := c.Query(ctx, "EXPLAIN SELECT * FROM src.public.synced")
	if err != nil {
		t.Fatal(err)
	}
	plan, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil || len(plan) < 2 || !strings.HasPrefix(plan[1], "Freshness: src.public.synced: snapshot v1") {
		t.Fatalf("EXPLAIN: %q, %v", plan, err)
	}
	out := h.API("POST", "/v1/query", map[string]any{"sql": "SELECT count(*) FROM src.public.streamed"}, http.StatusOK)
	fr, _ := out["freshness"].([]any)
	if len(fr) != 1 {
		t.Fatalf("REST freshness: %v", out)
	}
	if f := fr[0].(map[string]any); f["table"] != "streamed" || f["policy"] != "cdc" || f["streaming"] != true || f["lag_bytes"] == nil || f["age_seconds"].(float64) > 60 {
		t.Fatalf("REST freshness: %v", f)
	}

	// max_staleness: an older synced snapshot is synced first.
	testenv.PostgresExec(t, upURL, `INSERT INTO synced VALUES (2, 'new')`)
	time.Sleep(1100 * time.Millisecond)
	exec("SET hotdata.max_staleness = '1s'")
	var n int
	if err := c.QueryRow(ctx, "SELECT count(*) FROM src.public.synced").Scan(&n); err != nil || n != 2 {
		t.Fatalf("a synced table older than max_staleness: %d rows, %v; want it synced first (2)", n, err)
	}
	// A streamed one answers at once while its stream runs.
	testenv.PostgresExec(t, upURL, `INSERT INTO streamed VALUES (2, 'b')`)
	deadline := time.Now().Add(10 * time.Second)
	for {
		if err := c.QueryRow(ctx, "SELECT count(*) FROM src.public.streamed").Scan(&n); err != nil {
			t.Fatalf("a streamed table under max_staleness: %v", err)
		}
		if n == 2 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the streamed change never showed")
		}
		time.Sleep(20 * time.Millisecond)
	}
	// The upstream down: the stream stops, and past max_staleness the
	// statement fails saying why.
	up.Stop("fast")
	time.Sleep(1500 * time.Millisecond)
	err = c.QueryRow(ctx, "SELECT count(*) FROM src.public.streamed").Scan(&n)
	var pe *pgconn.PgError
	if !errors.As(err, &pe) || pe.Code != "55000" || !strings.Contains(pe.Message, "hotdata.max_staleness") || !strings.Contains(pe.Hint, "hotdata.freshness = live") {
		t.Fatalf("a streamed table whose stream is down, past max_staleness: %v", err)
	}
	exec("SET hotdata.max_staleness = 0")
	if err := c.QueryRow(ctx, "SELECT count(*) FROM src.public.streamed").Scan(&n); err != nil || n != 2 {
		t.Fatalf("without a bound the last snapshot answers: %d, %v", n, err)
	}
}
