package server_test

// Second round of attacks on the live route. Each test asserts the SAFE
// behaviour, so it fails while the hole is open.

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgproto3"

	"github.com/hotdata-dev/hotdata/internal/hdtest"
)

// TestLiveAttack2AttributeNotationCallsFunction: PostgreSQL reads
// `t.f` (and `(t).f`) as the call f(t) when t has no column f.
// liveCheck only looks at FuncCall nodes, so a ColumnRef calls any
// pg_catalog function of one composite/"any" argument: pg_typeof, which
// LiveFunction refuses by name, answers with the upstream's own
// schema-qualified type name; pg_column_compression likewise.
func TestLiveAttack2AttributeNotationCallsFunction(t *testing.T) {
	h := hdtest.Start(t)
	h.ConnectUpstream("app", liveUpstream...)
	c := liveConn(t, h)
	for _, sql := range []string{
		`SELECT i.pg_typeof FROM app.items i`,
		`SELECT (i).pg_typeof::text FROM app.items i`,
		`SELECT i.pg_column_compression FROM app.items i`,
	} {
		for _, mode := range bothProtocols {
			got, err := runAll(c, sql, mode)
			if err == nil {
				t.Errorf("%s (%v): a refused function ran through attribute notation: %s", sql, mode, got)
			}
		}
	}
}

// TestLiveAttack2RelationNameOracle: satisfies_hash_partition(oid, …)
// is immutable and takes a plain oid, so LiveFunction lets it run; it
// opens (and locks) ANY relation by OID and names it in its error. A
// member walks OIDs and reads the names of every upstream relation,
// pg_authid included, outside the exposed tables.
func TestLiveAttack2RelationNameOracle(t *testing.T) {
	h := hdtest.Start(t)
	h.ConnectUpstream("app", liveUpstream...)
	c := liveConn(t, h)
	sql := `SELECT satisfies_hash_partition(1260, 1, 0, 1) FROM app.items LIMIT 1`
	for _, mode := range bothProtocols {
		_, err := runAll(c, sql, mode)
		if err != nil && strings.Contains(err.Error(), "pg_authid") {
			t.Errorf("%s (%v): the upstream named relation 1260: %v", sql, mode, err)
		} else if code := sqlState(err); code != "0A000" {
			t.Errorf("%s (%v): %v, want 0A000", sql, mode, err)
		}
	}
}

// TestLiveAttack2LanguageValidators: fmgr_c_validator,
// fmgr_sql_validator and fmgr_internal_validator are stable built-ins
// with an oid argument and no refused prefix, so they run upstream: they
// look up any function by OID (an existence oracle over pg_proc),
// analyze SQL function bodies, and fmgr_c_validator loads the shared
// library of a C function into the pooled backend.
func TestLiveAttack2LanguageValidators(t *testing.T) {
	h := hdtest.Start(t)
	h.ConnectUpstream("app", liveUpstream...)
	c := liveConn(t, h)
	for _, sql := range []string{
		`SELECT fmgr_c_validator(12345) FROM app.items LIMIT 1`,
		`SELECT fmgr_sql_validator(1) FROM app.items LIMIT 1`,
		`SELECT fmgr_internal_validator(1242) FROM app.items LIMIT 1`,
	} {
		for _, mode := range bothProtocols {
			got, err := runAll(c, sql, mode)
			if code := sqlState(err); code != "0A000" {
				t.Errorf("%s (%v): reached the upstream (rows %s, err %v), want 0A000", sql, mode, got, err)
			}
		}
	}
}

// rawUntilReady reads messages up to ReadyForQuery.
func rawUntilReady(ctx context.Context, pc *pgconn.PgConn) ([]string, error) {
	var out []string
	for {
		m, err := pc.ReceiveMessage(ctx)
		if err != nil {
			return out, err
		}
		switch m := m.(type) {
		case *pgproto3.ReadyForQuery:
			return append(out, "Z"+string(m.TxStatus)), nil
		case *pgproto3.ErrorResponse:
			out = append(out, "E:"+m.Code)
		case *pgproto3.PortalSuspended:
			out = append(out, "s")
		case *pgproto3.CommandComplete:
			out = append(out, "C:"+string(m.CommandTag))
		}
	}
}

// TestLiveAttack2EarlyCloseDrainsUpstream: closing a live result that
// was read only in part (a portal suspended by Execute's row limit and
// then ended by Sync, a cursor CLOSEd after one FETCH) reads the rest of
// the upstream's result to its end (liveCursor.close → ResultReader.Close)
// before answering. A member asks for one row of a cross join with
// generate_series(1, 1e11): the session hangs and the upstream backend
// computes rows (and holds its pooled connection, lock and snapshot) for
// hours. The upstream statement should be cancelled, or its connection
// closed, instead.
func TestLiveAttack2EarlyCloseDrainsUpstream(t *testing.T) {
	h := hdtest.Start(t)
	h.ConnectUpstream("app", liveUpstream...)
	ctx := context.Background()
	// A set-returning function in the select list streams (no tuplestore,
	// no temporary files upstream: see TestLiveAttack2UpstreamTempFiles).
	const huge = "SELECT i.id, generate_series(1, 100000000000) FROM app.items i"

	t.Run("portal", func(t *testing.T) {
		c := liveConn(t, h)
		pc := c.PgConn()
		if _, err := pc.Prepare(ctx, "huge", huge, nil); err != nil {
			t.Fatal(err)
		}
		f := pc.Frontend()
		f.Send(&pgproto3.Bind{DestinationPortal: "p", PreparedStatement: "huge"})
		f.Send(&pgproto3.Execute{Portal: "p", MaxRows: 1})
		f.Send(&pgproto3.Sync{})
		if err := f.Flush(); err != nil {
			t.Fatal(err)
		}
		rctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		got, err := rawUntilReady(rctx, pc)
		if err != nil {
			t.Errorf("Execute(max 1 row) + Sync: no ReadyForQuery within 5 s (%v; got %v): Hotdata reads the rest of the upstream result", err, got)
		}
	})

	t.Run("cursor", func(t *testing.T) {
		c := liveConn(t, h)
		tx, err := c.Begin(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := tx.Exec(ctx, "DECLARE big CURSOR FOR "+huge); err != nil {
			t.Fatal(err)
		}
		if _, err := runAll(c, "FETCH 1 FROM big", pgx.QueryExecModeSimpleProtocol); err != nil {
			t.Fatal(err)
		}
		cctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		if _, err := c.Exec(cctx, "CLOSE big"); err != nil {
			t.Errorf("CLOSE after FETCH 1: %v (Hotdata reads the rest of the upstream result before closing)", err)
		}
	})
}

// TestLiveAttack2UpstreamTempFiles: the live pool sets neither
// temp_file_limit nor statement_timeout, so one live query spills
// without bound to the upstream's disk. A function in FROM on the inner
// side of a join is materialized in a tuplestore: `SELECT … FROM
// app.items i, generate_series(1, 1e11) g` filled this machine's 76 GB
// free disk in about five minutes ("could not write to file
// base/pgsql_tmp/…: No space left on device") — every application on
// that PostgreSQL then fails to write. This test spills a bounded
// amount (about 1 GB) and wants the upstream to have stopped it well
// before.
func TestLiveAttack2UpstreamTempFiles(t *testing.T) {
	h := hdtest.Start(t)
	h.ConnectUpstream("app", liveUpstream...)
	ctx := context.Background()
	up := upstreamConn(t, h)
	tempBytes := func() int64 {
		var n int64
		if err := up.QueryRow(ctx, "SELECT temp_bytes FROM pg_stat_database WHERE datname = current_database()").Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	c := liveConn(t, h)
	before := tempBytes()
	_, err := runAll(c, "SELECT count(*) FROM app.items i, generate_series(1, 30000000) g", pgx.QueryExecModeSimpleProtocol)
	time.Sleep(700 * time.Millisecond) // statistics are reported at the end of a transaction, with a delay
	spilled := tempBytes() - before
	if spilled > 256<<20 {
		t.Errorf("one live query wrote %d MB of temporary files upstream (err %v): no temp_file_limit on the live pool", spilled>>20, err)
	}
}

// TestLiveAttack2SessionsExhaustPool: the cap on open live statements
// is per session (4) while the live pool is per connector (half of
// pool_size, 8 by default) and shared by every member of the workspace.
// Two sessions of one member, each in a transaction with 4 idle
// cursors, hold every live connection: every other session's live query
// waits 10 s and fails with 53300 for as long as they stay idle.
func TestLiveAttack2SessionsExhaustPool(t *testing.T) {
	h := hdtest.Start(t)
	h.ConnectUpstream("app", liveUpstream...)
	ctx := context.Background()
	held := false
	for s := 0; s < 2 && !held; s++ {
		a := liveConn(t, h)
		if _, err := a.Exec(ctx, "BEGIN"); err != nil {
			t.Fatal(err)
		}
		for i := 0; i < 4; i++ {
			if _, err := a.Exec(ctx, fmt.Sprintf("DECLARE hog%d CURSOR FOR SELECT i.id, g FROM app.items i, generate_series(1, 5000000) g", i)); err != nil {
				if sqlState(err) != "53300" {
					t.Fatalf("session %d cursor %d: %v, want success or 53300", s, i, err)
				}
				held = true // refused: the cap on held live statements
				break
			}
			if _, err := runAll(a, fmt.Sprintf("FETCH 1 FROM hog%d", i), pgx.QueryExecModeSimpleProtocol); err != nil {
				t.Fatal(err)
			}
		}
	}
	victim := liveConn(t, h)
	tctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	var n int
	if err := victim.QueryRow(tctx, "SELECT count(*) FROM app.items").Scan(&n); err != nil {
		t.Errorf("another member's live query: %v (two idle sessions hold the whole live pool)", err)
	}
}
