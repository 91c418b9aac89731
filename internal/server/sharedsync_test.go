package server_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/hotdata-dev/hotdata/internal/hdtest"
	"github.com/hotdata-dev/hotdata/internal/testenv"
)

// TestSharedSyncSurvivesOneCallersTimeout: two sessions read a table
// that is not cached yet and share its sync; the session that started it
// hitting its statement_timeout fails its own statement only — the
// other's statement still gets the rows, and the sync job succeeds.
func TestSharedSyncSurvivesOneCallersTimeout(t *testing.T) {
	h := hdtest.Start(t)
	db := testenv.Postgres(t)
	testenv.PostgresExec(t, db, `CREATE TABLE items AS SELECT i AS id, md5(i::text) AS v, i * 0.5 AS x FROM generate_series(1, 300000) i`)
	// A slow network: the sync outlasts A's statement_timeout whatever
	// the machine's speed (about 600 chunks of 32 KB, 5 ms each).
	p := newFaultProxy(t, upstreamAddr(t, db))
	p.pause.Store(int64(5 * time.Millisecond))
	registerThrough(h, "sales", db, p)
	ctx := context.Background()
	a, err := pgxAs(h, hdtest.Token, "default")
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close(ctx)
	b, err := pgxAs(h, hdtest.Token, "default")
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close(ctx)
	if _, err := a.Exec(ctx, "SET statement_timeout = '1500ms'"); err != nil {
		t.Fatal(err)
	}
	const q = "SELECT count(*) FROM sales.items"
	aErr := make(chan error, 1)
	go func() {
		var n int64
		aErr <- a.QueryRow(ctx, q).Scan(&n)
	}()
	// B asks once A's sync is running, so that it shares it.
	running := func() bool {
		for _, j := range h.API("GET", "/v1/jobs", nil, http.StatusOK)["jobs"].([]any) {
			if j.(map[string]any)["status"] == "running" {
				return true
			}
		}
		return false
	}
	deadline := time.Now().Add(30 * time.Second)
	for !running() {
		if time.Now().After(deadline) {
			t.Fatal("the sync did not start")
		}
		time.Sleep(10 * time.Millisecond)
	}
	type answer struct {
		n   int64
		err error
	}
	bAns := make(chan answer, 1)
	go func() {
		var n int64
		err := b.QueryRow(ctx, q).Scan(&n)
		bAns <- answer{n, err}
	}()
	if err := <-aErr; sqlstate(err) != "57014" {
		t.Fatalf("A's statement: %v, want 57014 (its statement_timeout during the shared sync)", err)
	}
	got := <-bAns
	if got.err != nil || got.n != 300000 {
		t.Fatalf("the other session: %d rows, %v; want 300000 (one caller's timeout failed a sync others were waiting for)", got.n, got.err)
	}
	for _, j := range h.API("GET", "/v1/jobs", nil, http.StatusOK)["jobs"].([]any) {
		if s := j.(map[string]any)["status"]; s != "succeeded" {
			t.Errorf("job %v", j)
		}
	}
}
