package server_test

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"os/exec"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgproto3"

	"github.com/hotdata-dev/hotdata/internal/hdtest"
	"github.com/hotdata-dev/hotdata/internal/server"
)

const bigTable = `CREATE TABLE big AS SELECT i AS id, md5(i::text) AS label FROM generate_series(1, 100000) i`

func connect(t *testing.T, url string) *pgx.Conn {
	t.Helper()
	c, err := pgx.Connect(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close(context.Background()) })
	return c
}

// TestExtendedProtocol drives prepared statements, parameters in text and
// binary, NULLs and portals with pgx's extended protocol.
func TestExtendedProtocol(t *testing.T) {
	h := hdtest.Start(t)
	h.ConnectUpstream("sales", typesTable, typesRows, bigTable)
	ctx := context.Background()
	c := connect(t, h.PGURL(testToken, "default", "disable"))

	// A typed parameter inferred from the comparison, binary both ways.
	var name string
	var price float64
	if err := c.QueryRow(ctx, "SELECT name, price::float8 FROM sales.items WHERE id = $1", 1).Scan(&name, &price); err != nil || name != "widget" || price != 19.99 {
		t.Fatalf("row 1: %q %v %v", name, price, err)
	}
	// The same statement again, from pgx's statement cache, with another value.
	if err := c.QueryRow(ctx, "SELECT name, price::float8 FROM sales.items WHERE id = $1", 2).Scan(&name, &price); err != nil || name != "gadget ünïcode" {
		t.Fatalf("row 2: %q %v", name, err)
	}
	// Untyped parameters in arithmetic and in the select list.
	var sum int64
	var label string
	if err := c.QueryRow(ctx, "SELECT id + $1, $2 FROM sales.items WHERE id = 4", 10, "hello").Scan(&sum, &label); err != nil || sum != 14 || label != "hello" {
		t.Fatalf("untyped parameters: %d %q %v", sum, label, err)
	}
	// NULL parameter.
	var n int64
	if err := c.QueryRow(ctx, "SELECT count(*) FROM sales.items WHERE name = $1", nil).Scan(&n); err != nil || n != 0 {
		t.Fatalf("NULL parameter: %d %v", n, err)
	}
	// Timestamps and numerics in binary.
	var created time.Time
	if err := c.QueryRow(ctx, "SELECT created FROM sales.items WHERE created > $1 ORDER BY created LIMIT 1", time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)).Scan(&created); err != nil ||
		!created.Equal(time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC)) {
		t.Fatalf("timestamp parameter: %v %v", created, err)
	}
	// 100k rows through the extended protocol.
	rows, err := c.Query(ctx, "SELECT id, label FROM sales.big WHERE id > $1 ORDER BY id", 0)
	if err != nil {
		t.Fatal(err)
	}
	var count, idSum int64
	for rows.Next() {
		var id int64
		var l string
		if err := rows.Scan(&id, &l); err != nil {
			t.Fatal(err)
		}
		count++
		idSum += id
	}
	if rows.Err() != nil || count != 100000 || idSum != 5000050000 {
		t.Fatalf("big: %d rows, sum %d, %v", count, idSum, rows.Err())
	}
	// Errors come back with their SQLSTATE and the session goes on.
	_, err = c.Exec(ctx, "SELECT * FROM sales.nope WHERE id = $1", 1)
	if sqlstate(err) != "42P01" {
		t.Fatalf("unknown table: %v", err)
	}
	if err := c.QueryRow(ctx, "SELECT count(*) FROM sales.big").Scan(&n); err != nil || n != 100000 {
		t.Fatalf("after error: %d %v", n, err)
	}
}

// TestPortalSuspension fetches a portal in pieces (max_rows) inside a
// transaction, the way JDBC's setFetchSize does, speaking the protocol by
// hand: Bind once, Execute with max_rows 400 three times.
func TestPortalSuspension(t *testing.T) {
	h := hdtest.Start(t)
	h.ConnectUpstream("sales", bigTable)
	ctx := context.Background()
	pc, err := pgconn.Connect(ctx, h.PGURL(testToken, "default", "disable"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := pc.Exec(ctx, "BEGIN").ReadAll(); err != nil {
		t.Fatal(err)
	}
	if _, err := pc.Prepare(ctx, "s1", "SELECT id FROM sales.big WHERE id <= $1 ORDER BY id", nil); err != nil {
		t.Fatal(err)
	}
	hc, err := pc.Hijack()
	if err != nil {
		t.Fatal(err)
	}
	defer hc.Conn.Close()
	fe := hc.Frontend
	fe.Send(&pgproto3.Bind{DestinationPortal: "p1", PreparedStatement: "s1", Parameters: [][]byte{[]byte("1000")}})
	for i := 0; i < 3; i++ {
		fe.Send(&pgproto3.Execute{Portal: "p1", MaxRows: 400})
	}
	fe.Send(&pgproto3.Sync{})
	if err := fe.Flush(); err != nil {
		t.Fatal(err)
	}
	var rows []string
	var events []string
	for {
		msg, err := fe.Receive()
		if err != nil {
			t.Fatal(err)
		}
		switch m := msg.(type) {
		case *pgproto3.DataRow:
			rows = append(rows, string(m.Values[0]))
		case *pgproto3.PortalSuspended:
			events = append(events, fmt.Sprintf("suspended after %d", len(rows)))
		case *pgproto3.CommandComplete:
			events = append(events, fmt.Sprintf("%s after %d", m.CommandTag, len(rows)))
		case *pgproto3.ErrorResponse:
			t.Fatalf("error: %s", m.Message)
		case *pgproto3.ReadyForQuery:
			if m.TxStatus != 'T' {
				t.Fatalf("transaction status %c", m.TxStatus)
			}
			want := "[suspended after 400 suspended after 800 SELECT 200 after 1000]"
			if fmt.Sprint(events) != want || len(rows) != 1000 || rows[0] != "1" || rows[999] != "1000" {
				t.Fatalf("events %v, %d rows (%s … %s); want %s", events, len(rows), rows[0], rows[len(rows)-1], want)
			}
			return
		}
	}
}

// TestCancelAndTimeout: CancelRequest and statement_timeout stop a long
// engine query with 57014; the session stays usable.
func TestCancelAndTimeout(t *testing.T) {
	h := hdtest.Start(t)
	h.ConnectUpstream("sales", bigTable)
	ctx := context.Background()
	c := connect(t, h.PGURL(testToken, "default", "disable"))
	var n int64
	if err := c.QueryRow(ctx, "SELECT count(*) FROM sales.big").Scan(&n); err != nil {
		t.Fatal(err)
	}
	long := "SELECT count(*) FROM sales.big a, sales.big b WHERE a.label < b.label"
	go func() {
		time.Sleep(300 * time.Millisecond)
		_ = c.PgConn().CancelRequest(context.Background())
	}()
	start := time.Now()
	_, err := c.Exec(ctx, long)
	if sqlstate(err) != "57014" || time.Since(start) > 20*time.Second {
		t.Fatalf("cancel: %v after %v", err, time.Since(start))
	}
	if _, err := c.Exec(ctx, "SET statement_timeout = '200ms'"); err != nil {
		t.Fatal(err)
	}
	start = time.Now()
	_, err = c.Exec(ctx, long)
	var pe *pgconn.PgError
	if !errors.As(err, &pe) || pe.Code != "57014" || !strings.Contains(pe.Message, "statement timeout") || time.Since(start) > 20*time.Second {
		t.Fatalf("statement_timeout: %v after %v", err, time.Since(start))
	}
	if err := c.QueryRow(ctx, "SELECT count(*) FROM sales.big").Scan(&n); err != nil || n != 100000 {
		t.Fatalf("after cancel: %d %v", n, err)
	}
}

// TestTLS: sslmode=require works with the self-signed certificate, psql
// negotiates SCRAM-SHA-256-PLUS with channel binding, and the server can
// require TLS and accept cleartext passwords over TLS only.
func TestTLS(t *testing.T) {
	h := hdtest.Start(t, func(c *server.Config) { c.PGCleartext = false })
	h.ConnectUpstream("sales", typesTable, typesRows)
	ctx := context.Background()
	c := connect(t, h.PGURL(testToken, "default", "require"))
	if _, ok := c.PgConn().Conn().(*tls.Conn); !ok {
		t.Fatal("sslmode=require did not give a TLS connection")
	}
	var n int64
	if err := c.QueryRow(ctx, "SELECT count(*) FROM sales.items").Scan(&n); err != nil || n != 4 {
		t.Fatalf("over TLS: %d %v", n, err)
	}
	if psql, err := exec.LookPath("psql"); err == nil {
		out, err := exec.Command(psql, h.PGURL(testToken, "default", "require")+"&channel_binding=require", "-XAtc", "SELECT count(*) FROM sales.items").CombinedOutput()
		if err != nil || strings.TrimSpace(lastLine(string(out))) != "4" {
			t.Fatalf("psql with channel_binding=require: %v\n%s", err, out)
		}
	}

	// A server that requires TLS refuses plain connections.
	h2 := hdtest.Start(t, func(c *server.Config) { c.PGRequireTLS = true; c.PGCleartext = true })
	_, err := pgx.Connect(ctx, h2.PGURL(testToken, "default", "disable"))
	if sqlstate(err) != "28000" {
		t.Fatalf("plain connection to a TLS-only server: %v", err)
	}
	// Cleartext over TLS: right and wrong token.
	c2 := connect(t, h2.PGURL(testToken, "default", "require"))
	if err := c2.Ping(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := pgx.Connect(ctx, h2.PGURL("hd_wrong", "default", "require")); sqlstate(err) != "28P01" {
		t.Fatalf("wrong cleartext token: %v", err)
	}
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[len(lines)-1]
}

// TestAuthThrottle: after a few failures from one address, answers to
// wrong tokens slow down.
func TestAuthThrottle(t *testing.T) {
	h := hdtest.Start(t)
	ctx := context.Background()
	var last time.Duration
	for i := 0; i < 7; i++ {
		start := time.Now()
		_, err := pgx.Connect(ctx, h.PGURL("hd_wrong_token_guess", "default", "disable"))
		last = time.Since(start)
		if sqlstate(err) != "28P01" {
			t.Fatalf("attempt %d: %v", i, err)
		}
	}
	if last < 400*time.Millisecond {
		t.Fatalf("the 7th failure answered in %v; want a delay", last)
	}
	// The right token still works at once.
	start := time.Now()
	c := connect(t, h.PGURL(testToken, "default", "disable"))
	_ = c
	if time.Since(start) > 2*time.Second {
		t.Fatalf("good token slowed down too: %v", time.Since(start))
	}
}

// TestConnectionLimits: caps per server and per workspace answer 53300.
func TestConnectionLimits(t *testing.T) {
	h := hdtest.Start(t, func(c *server.Config) { c.PGMaxConnections = 3; c.MaxSessionsPerWorkspace = 2 })
	ctx := context.Background()
	connect(t, h.PGURL(testToken, "default", "disable"))
	connect(t, h.PGURL(testToken, "default", "disable"))
	_, err := pgx.Connect(ctx, h.PGURL(testToken, "default", "disable"))
	if sqlstate(err) != "53300" {
		t.Fatalf("third session of the workspace: %v", err)
	}
}

// TestIdleTimeouts: idle_in_transaction_session_timeout ends a session
// left in a transaction.
func TestIdleTimeouts(t *testing.T) {
	h := hdtest.Start(t)
	ctx := context.Background()
	c := connect(t, h.PGURL(testToken, "default", "disable"))
	if _, err := c.Exec(ctx, "SET idle_in_transaction_session_timeout = '200ms'"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Exec(ctx, "BEGIN"); err != nil {
		t.Fatal(err)
	}
	time.Sleep(600 * time.Millisecond)
	if _, err := c.Exec(ctx, "SELECT 1"); err == nil {
		t.Fatal("session outlived idle_in_transaction_session_timeout")
	}
}

// TestVanishingClient: a client that disconnects in the middle of a big
// result leaves no goroutine or engine connection behind.
func TestVanishingClient(t *testing.T) {
	h := hdtest.Start(t)
	h.ConnectUpstream("sales", bigTable)
	ctx := context.Background()
	c := connect(t, h.PGURL(testToken, "default", "disable"))
	var n int64
	if err := c.QueryRow(ctx, "SELECT count(*) FROM sales.big").Scan(&n); err != nil {
		t.Fatal(err)
	}
	before := runtime.NumGoroutine()
	for i := 0; i < 5; i++ {
		raw, err := pgconn.Connect(ctx, h.PGURL(testToken, "default", "disable"))
		if err != nil {
			t.Fatal(err)
		}
		rr := raw.Exec(ctx, "SELECT a.id, a.label FROM sales.big a, sales.big b WHERE b.id < 20")
		// Read a little, then drop the socket without Terminate.
		if rr.NextResult() {
			r := rr.ResultReader()
			for j := 0; j < 100 && r.NextRow(); j++ {
			}
		}
		raw.Conn().Close()
	}
	deadline := time.Now().Add(10 * time.Second)
	for runtime.NumGoroutine() > before+2 {
		if time.Now().After(deadline) {
			t.Fatalf("goroutines: %d before, %d after clients vanished", before, runtime.NumGoroutine())
		}
		time.Sleep(50 * time.Millisecond)
	}
	if err := c.QueryRow(ctx, "SELECT count(*) FROM sales.big").Scan(&n); err != nil || n != 100000 {
		t.Fatalf("server unusable after vanished clients: %v", err)
	}
}

// TestSessionCommands: DISCARD ALL, DEALLOCATE, SHOW, RESET and COPY.
func TestSessionCommands(t *testing.T) {
	h := hdtest.Start(t)
	h.ConnectUpstream("sales", typesTable, typesRows)
	ctx := context.Background()
	c := connect(t, h.PGURL(testToken, "default", "disable"))
	pc := c.PgConn()
	exec := func(sql string) []*pgconn.Result {
		t.Helper()
		res, err := pc.Exec(ctx, sql).ReadAll()
		if err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
		return res
	}
	exec("SET application_name = 'reporting'")
	if got := pc.ParameterStatus("application_name"); got != "reporting" {
		t.Fatalf("ParameterStatus application_name = %q", got)
	}
	if res := exec("SHOW application_name"); string(res[0].Rows[0][0]) != "reporting" {
		t.Fatalf("SHOW = %q", res[0].Rows[0][0])
	}
	if _, err := pc.Prepare(ctx, "named", "SELECT 1", nil); err != nil {
		t.Fatal(err)
	}
	exec("DEALLOCATE named")
	if _, err := pc.Exec(ctx, "DEALLOCATE named").ReadAll(); sqlstate(err) != "26000" {
		t.Fatalf("second DEALLOCATE: %v", err)
	}
	exec("DISCARD ALL")
	if res := exec("SHOW application_name"); string(res[0].Rows[0][0]) != "" {
		t.Fatalf("after DISCARD ALL application_name = %q", res[0].Rows[0][0])
	}
	if res := exec("COPY (SELECT id, name FROM sales.items WHERE id < 3 ORDER BY id) TO STDOUT WITH (FORMAT csv, HEADER)"); len(res) != 1 || res[0].CommandTag.String() != "COPY 2" {
		t.Fatalf("COPY: %+v", res)
	}
	var buf strings.Builder
	tag, err := pc.CopyTo(ctx, &buf, "COPY (SELECT id, name FROM sales.items WHERE id < 4 ORDER BY id) TO STDOUT WITH (FORMAT csv, HEADER)")
	if err != nil || tag.String() != "COPY 3" || buf.String() != "id,name\n1,widget\n2,gadget ünïcode\n3,\n" {
		t.Fatalf("COPY csv = %q %v %v", buf.String(), tag, err)
	}
	buf.Reset()
	if _, err := pc.CopyTo(ctx, &buf, "COPY sales.items (id, name) TO STDOUT"); err != nil || !strings.Contains(buf.String(), "3\t\\N\n") {
		t.Fatalf("COPY text = %q %v", buf.String(), err)
	}
	if _, err := pc.Exec(ctx, "COPY sales.items FROM STDIN").ReadAll(); sqlstate(err) != "25006" {
		t.Fatalf("COPY FROM: %v", err)
	}
}

// TestSQLCursorsAndPrepare: DECLARE/FETCH/MOVE/CLOSE (psycopg2's named
// cursors) and SQL PREPARE/EXECUTE/DEALLOCATE.
func TestSQLCursorsAndPrepare(t *testing.T) {
	h := hdtest.Start(t)
	h.ConnectUpstream("sales", bigTable)
	ctx := context.Background()
	pc, err := pgconn.Connect(ctx, h.PGURL(testToken, "default", "disable"))
	if err != nil {
		t.Fatal(err)
	}
	defer pc.Close(ctx)
	run := func(sql string) *pgconn.Result {
		t.Helper()
		res, err := pc.Exec(ctx, sql).ReadAll()
		if err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
		return res[len(res)-1]
	}
	if _, err := pc.Exec(ctx, "DECLARE c CURSOR FOR SELECT id FROM sales.big").ReadAll(); sqlstate(err) != "25P01" {
		t.Fatalf("DECLARE outside a transaction: %v", err)
	}
	run("BEGIN")
	run("DECLARE c CURSOR WITHOUT HOLD FOR SELECT id FROM sales.big WHERE id <= 2500 ORDER BY id")
	r := run("FETCH FORWARD 1000 FROM c")
	if len(r.Rows) != 1000 || string(r.Rows[0][0]) != "1" || r.CommandTag.String() != "FETCH 1000" || len(r.FieldDescriptions) != 1 {
		t.Fatalf("first FETCH: %d rows, tag %s", len(r.Rows), r.CommandTag)
	}
	if r := run("MOVE 500 IN c"); r.CommandTag.String() != "MOVE 500" || len(r.Rows) != 0 {
		t.Fatalf("MOVE: %s, %d rows", r.CommandTag, len(r.Rows))
	}
	r = run("FETCH ALL FROM c")
	if len(r.Rows) != 1000 || string(r.Rows[0][0]) != "1501" || r.CommandTag.String() != "FETCH 1000" || len(r.FieldDescriptions) != 1 {
		t.Fatalf("FETCH ALL: %d rows from %s, tag %s", len(r.Rows), r.Rows[0][0], r.CommandTag)
	}
	if r := run("FETCH NEXT FROM c"); len(r.Rows) != 0 || r.CommandTag.String() != "FETCH 0" {
		t.Fatalf("FETCH past the end: %d rows, %s", len(r.Rows), r.CommandTag)
	}
	run("CLOSE c")
	if _, err := pc.Exec(ctx, "FETCH 1 FROM c").ReadAll(); sqlstate(err) != "34000" {
		t.Fatalf("FETCH of a closed cursor: %v", err)
	}
	run("ROLLBACK")
	// A cursor WITH HOLD outlives its transaction; others do not.
	run("BEGIN; DECLARE h CURSOR WITH HOLD FOR SELECT 1 AS one; DECLARE n CURSOR FOR SELECT 2; COMMIT")
	if r := run("FETCH 1 FROM h"); string(r.Rows[0][0]) != "1" {
		t.Fatalf("held cursor: %q", r.Rows)
	}
	if _, err := pc.Exec(ctx, "FETCH 1 FROM n").ReadAll(); sqlstate(err) != "34000" {
		t.Fatalf("cursor without hold after COMMIT: %v", err)
	}
	run("CLOSE ALL")

	run("PREPARE q (int, text) AS SELECT count(*) AS n, $2 AS label FROM sales.big WHERE id <= $1")
	r = run("EXECUTE q (42, 'x''y')")
	if string(r.Rows[0][0]) != "42" || string(r.Rows[0][1]) != "x'y" {
		t.Fatalf("EXECUTE: %q", r.Rows)
	}
	if _, err := pc.Exec(ctx, "EXECUTE q (1)").ReadAll(); sqlstate(err) != "42601" {
		t.Fatalf("EXECUTE with too few arguments: %v", err)
	}
	run("DEALLOCATE q")
	if _, err := pc.Exec(ctx, "EXECUTE q (1, 'a')").ReadAll(); sqlstate(err) != "26000" {
		t.Fatalf("EXECUTE after DEALLOCATE: %v", err)
	}
}
