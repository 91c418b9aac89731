package postgres

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/hotdata-dev/hotdata/internal/testenv"
)

// TestLivePreparedStatementsBounded runs many distinct statements on one
// live connection: it keeps at most maxPrepared of them prepared, on the
// upstream as in its own bookkeeping.
func TestLivePreparedStatementsBounded(t *testing.T) {
	ctx := context.Background()
	dbURL := testenv.Postgres(t)
	cfg := configFor(t, dbURL)
	cfg.PoolSize = 2
	c, err := Open(ctx, cfg, "")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	up, err := c.Acquire(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer up.Release()
	const n = 3 * maxPrepared
	for i := range n {
		rr, err := up.ExecPrepared(ctx, fmt.Sprintf("SELECT %d + $1::int4", i), nil, [][]byte{[]byte("1")}, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		res := rr.Read()
		if res.Err != nil || len(res.Rows) != 1 || string(res.Rows[0][0]) != fmt.Sprint(i+1) {
			t.Fatalf("statement %d: %v %q", i, res.Err, res.Rows)
		}
	}
	if got := up.PreparedCount(); got != maxPrepared {
		t.Errorf("bookkeeping holds %d prepared statements, want %d", got, maxPrepared)
	}
	res := up.Exec(ctx, "SELECT count(*) FROM pg_prepared_statements").Read()
	if res.Err != nil {
		t.Fatal(res.Err)
	}
	if got := string(res.Rows[0][0]); got != fmt.Sprint(maxPrepared) {
		t.Errorf("the upstream connection holds %s prepared statements, want %d", got, maxPrepared)
	}
	// The most recent statement is still prepared and runs again.
	rr, err := up.ExecPrepared(ctx, fmt.Sprintf("SELECT %d + $1::int4", n-1), nil, [][]byte{[]byte("1")}, nil, nil)
	if err != nil || rr.Read().Err != nil {
		t.Fatalf("re-running the newest statement: %v", err)
	}
}

// TestLiveSessionIsPinned checks the live connection's session settings:
// read-only transactions, built-ins first, and one statement per Exec.
func TestLiveSessionIsPinned(t *testing.T) {
	ctx := context.Background()
	dbURL := testenv.Postgres(t)
	testenv.PostgresExec(t, dbURL, `DROP TABLE IF EXISTS live_pin`, `CREATE TABLE live_pin (id int)`)
	c, err := Open(ctx, configFor(t, dbURL), "")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	up, err := c.Acquire(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer up.Release()
	if res := up.Exec(ctx, "INSERT INTO public.live_pin VALUES (1)").Read(); res.Err == nil {
		t.Error("an INSERT ran on a live connection")
	} else if pgCode(res.Err) != "25006" {
		t.Errorf("INSERT on a live connection: %v, want 25006", res.Err)
	}
	if res := up.Exec(ctx, "SELECT 1; INSERT INTO public.live_pin VALUES (2)").Read(); res.Err == nil {
		t.Error("two statements ran in one Exec")
	}
	res := up.Exec(ctx, "SELECT current_setting('search_path'), current_setting('standard_conforming_strings')").Read()
	if res.Err != nil {
		t.Fatal(res.Err)
	}
	if got := string(res.Rows[0][0]) + "," + string(res.Rows[0][1]); got != "pg_catalog,on" {
		t.Errorf("live session settings: %s", got)
	}
	var n int
	if err := c.pool.QueryRow(ctx, "SELECT count(*) FROM public.live_pin").Scan(&n); err != nil || n != 0 {
		t.Errorf("live_pin holds %d rows (%v), want 0", n, err)
	}
}

func pgCode(err error) string {
	var pe interface{ SQLState() string }
	if errors.As(err, &pe) {
		return pe.SQLState()
	}
	return ""
}
