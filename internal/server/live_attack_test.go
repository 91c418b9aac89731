package server_test

// Attacks on the live route (hotdata.freshness = live/auto): statements a
// workspace member can send that reach past the data on the upstream.
// Each test asserts the SAFE behaviour, so it fails while the hole is
// open. See the report on branch attack for the analysis of each.

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/hotdata-dev/hotdata/internal/hdtest"
	"github.com/hotdata-dev/hotdata/internal/testenv"
)

// attackUpstream adds to liveUpstream what an application database
// commonly holds: a domain whose CHECK calls a function, a "computed
// column" function over a table's row type (PostgREST style), functions
// and operators that overload built-in names for other argument types.
// Every one of them records its call in touched.
var attackUpstream = append(append([]string{}, liveUpstream...),
	`CREATE DOMAIN probed AS int CHECK (probe(VALUE) = 1)`,
	`CREATE FUNCTION probe_row(items) RETURNS int LANGUAGE sql VOLATILE AS 'INSERT INTO touched DEFAULT VALUES RETURNING 1'`,
	`CREATE FUNCTION public.abs(text) RETURNS int LANGUAGE sql VOLATILE AS 'INSERT INTO touched DEFAULT VALUES RETURNING 1'`,
	`CREATE FUNCTION probe_plus(int, text) RETURNS int LANGUAGE sql VOLATILE AS 'INSERT INTO touched DEFAULT VALUES RETURNING 1'`,
	`CREATE OPERATOR + (LEFTARG = int, RIGHTARG = text, FUNCTION = probe_plus)`,
)

var bothProtocols = []pgx.QueryExecMode{pgx.QueryExecModeSimpleProtocol, pgx.QueryExecModeDescribeExec}

// runAll runs sql and returns its rows as text, or the error.
func runAll(c *pgx.Conn, sql string, mode pgx.QueryExecMode) (string, error) {
	rows, err := c.Query(context.Background(), sql, mode)
	if err != nil {
		return "", err
	}
	defer rows.Close()
	var b strings.Builder
	for rows.Next() {
		vals, err := rows.Values()
		if err != nil {
			return b.String(), err
		}
		fmt.Fprintf(&b, "%v;", vals)
	}
	return b.String(), rows.Err()
}

func upstreamConn(t *testing.T, h *hdtest.Harness) *pgx.Conn {
	t.Helper()
	up, err := pgx.Connect(context.Background(), h.Upstream)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { up.Close(context.Background()) })
	return up
}

func touchedCount(t *testing.T, up *pgx.Conn) int {
	t.Helper()
	var n int
	if err := up.QueryRow(context.Background(), "SELECT count(*) FROM touched").Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// expectNoUpstreamCall runs each statement on both protocols and fails
// when it succeeds or when touched grew (an upstream function ran).
func expectNoUpstreamCall(t *testing.T, c *pgx.Conn, up *pgx.Conn, stmts []string) {
	t.Helper()
	for _, sql := range stmts {
		for _, mode := range bothProtocols {
			before := touchedCount(t, up)
			got, err := runAll(c, sql, mode)
			after := touchedCount(t, up)
			if after != before {
				t.Errorf("%s (%v): ran an upstream user-defined function %d time(s); rows %s, err %v", sql, mode, after-before, got, err)
			} else if err == nil {
				t.Errorf("%s (%v): want a refusal, got rows %s", sql, mode, got)
			}
		}
	}
}

// TestLiveAttackCTENameShadowsCatalog: upstreamSQL skips every RangeVar
// whose name equals ANY WITH name in the statement (cteNames ignores
// scope), so the name is sent unqualified and unchecked. In a
// non-recursive WITH a CTE does not see itself, so
// `WITH pg_authid AS (SELECT … FROM pg_authid)` reads the upstream's real
// pg_catalog.pg_authid; a WITH in a subquery also hides an outer
// reference. readsSystem stays false and the superuser connection
// answers.
func TestLiveAttackCTENameShadowsCatalog(t *testing.T) {
	h := hdtest.Start(t)
	h.ConnectUpstream("app", liveUpstream...)
	ctx := context.Background()
	leaks := []struct{ sql, secret string }{
		{`WITH pg_authid AS (SELECT rolname::text AS n, rolsuper::text AS s FROM pg_authid) SELECT a.n, a.s, i.id FROM pg_authid a, app.items i`, "pg_read_server_files"},
		{`WITH pg_settings AS (SELECT name, setting FROM pg_settings WHERE name = 'data_directory') SELECT s.setting, i.id FROM pg_settings s, app.items i`, "/"},
		{`WITH pg_hba_file_rules AS (SELECT type, auth_method FROM pg_hba_file_rules) SELECT r.*, i.id FROM pg_hba_file_rules r, app.items i`, "trust"},
		// A WITH inside a subquery hides a reference outside its scope.
		{`SELECT i.id, s.usename::text FROM app.items i, (WITH pg_stat_activity AS (SELECT 1) SELECT 1) z, pg_stat_activity s WHERE s.usename IS NOT NULL`, "postgres"},
		// A sequence the workspace does not expose.
		{`WITH seq AS (SELECT last_value, is_called FROM seq) SELECT 'seq:' || s.last_value, i.id FROM seq s, app.items i`, "seq:1"},
	}
	for _, freshness := range []string{"live", "auto"} {
		c := liveConn(t, h)
		if _, err := c.Exec(ctx, "SET hotdata.freshness = "+freshness); err != nil {
			t.Fatal(err)
		}
		for _, l := range leaks {
			for _, mode := range bothProtocols {
				got, err := runAll(c, l.sql, mode)
				if err == nil && strings.Contains(got, l.secret) {
					t.Errorf("[%s, %v] %s\n  leaked the upstream's catalog: %.200s", freshness, mode, l.sql, got)
				}
			}
		}
		// The same through DECLARE … CURSOR and FETCH.
		tx, err := c.Begin(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := tx.Exec(ctx, `DECLARE leak CURSOR FOR WITH pg_authid AS (SELECT rolname::text AS n FROM pg_authid) SELECT a.n FROM pg_authid a, app.items i`); err == nil {
			var name string
			if err := tx.QueryRow(ctx, "FETCH 1 FROM leak").Scan(&name); err == nil {
				t.Errorf("[%s] DECLARE: fetched role %q from upstream pg_authid", freshness, name)
			}
		}
		_ = tx.Rollback(ctx)
	}
}

// TestLiveAttackCTENameReadsUnexposedTable: the connection exposes only
// schema sales, yet the same CTE trick reads public.salaries (on the
// upstream role's search_path), which the workspace never sees.
func TestLiveAttackCTENameReadsUnexposedTable(t *testing.T) {
	h := hdtest.Start(t)
	h.Upstream = testenv.Postgres(t)
	testenv.PostgresExec(t, h.Upstream,
		`CREATE SCHEMA sales`,
		`CREATE TABLE sales.orders (id int PRIMARY KEY)`,
		`INSERT INTO sales.orders VALUES (1)`,
		`CREATE TABLE public.salaries (name text, salary int)`,
		`INSERT INTO public.salaries VALUES ('ceo', 987654)`)
	u, _ := url.Parse(h.Upstream)
	port, _ := strconv.Atoi(u.Port())
	h.API("POST", "/v1/secrets", map[string]any{"name": "app_pw", "value": "unused-with-trust-auth"}, http.StatusCreated)
	h.API("POST", "/v1/connections", map[string]any{
		"name": "app", "source_type": "postgres", "secret_name": "app_pw",
		"config": map[string]any{"host": u.Hostname(), "port": port, "user": u.User.Username(), "database": u.Path[1:],
			"sslmode": "disable", "schemas": []string{"sales"}},
	}, http.StatusCreated)
	c := liveConn(t, h)
	ctx := context.Background()
	// Not exposed: the cache route says so.
	if _, err := c.Exec(ctx, "SELECT * FROM app.public.salaries"); err == nil {
		t.Fatal("app.public.salaries is exposed; the test needs it hidden")
	}
	for _, sql := range []string{
		`WITH salaries AS (SELECT name, salary FROM salaries) SELECT s.name, s.salary, o.id FROM salaries s, app.sales.orders o`,
		`SELECT o.id, s.salary FROM app.sales.orders o, (WITH salaries AS (SELECT 1) SELECT 1) z, salaries s`,
	} {
		for _, mode := range bothProtocols {
			got, err := runAll(c, sql, mode)
			if err == nil && strings.Contains(got, "987654") {
				t.Errorf("%s (%v): read an unexposed upstream table: %s", sql, mode, got)
			}
		}
	}
}

// TestLiveAttackSubLinkOperator: `x op ANY/ALL/SOME (subquery)` is a
// SubLink whose OperName liveCheck never looks at (it checks A_Expr
// only), so the upstream's own operator runs.
func TestLiveAttackSubLinkOperator(t *testing.T) {
	h := hdtest.Start(t)
	h.ConnectUpstream("app", attackUpstream...)
	c := liveConn(t, h)
	up := upstreamConn(t, h)
	expectNoUpstreamCall(t, c, up, []string{
		`SELECT id FROM app.items WHERE id === ANY (SELECT 1)`,
		`SELECT id FROM app.items WHERE id === SOME (SELECT 1)`,
		`SELECT id FROM app.items WHERE id OPERATOR(public.===) ALL (SELECT 1)`,
		`SELECT x FROM app.items, LATERAL (SELECT id === ANY (SELECT 1) AS x) l`,
	})
}

// TestLiveAttackUserTypes: LiveCast looks only at a cast's last name and
// only refuses reg*; a cast to an upstream domain runs its CHECK (here a
// user function), schema-qualified or not, as an array element type
// too, and column definition lists (AS x(col type), ROWS FROM) convert
// to any type without a TypeCast node at all.
func TestLiveAttackUserTypes(t *testing.T) {
	h := hdtest.Start(t)
	h.ConnectUpstream("app", attackUpstream...)
	c := liveConn(t, h)
	up := upstreamConn(t, h)
	expectNoUpstreamCall(t, c, up, []string{
		`SELECT 1::probed, id FROM app.items`,
		`SELECT CAST(id AS public.probed) FROM app.items`,
		`SELECT id FROM app.items WHERE id = ANY (ARRAY[1]::probed[])`,
		`SELECT x.r, i.id FROM app.items i, json_to_record('{"r":"1"}') AS x(r probed)`,
		`SELECT x.r, i.id FROM app.items i, ROWS FROM (json_to_record('{"r":"1"}') AS (r public.probed)) x`,
	})
}

// TestLiveAttackShadowedBuiltinNames: liveCheck accepts any function or
// operator whose NAME is a built-in's, but the upstream resolves the
// call by argument types over its whole search_path: public.abs(text)
// beats every pg_catalog.abs for a text argument, a user `+`(int, text)
// is chosen for int + text. Attribute notation (t.f is f(t)) calls a
// user function with no FuncCall node at all.
func TestLiveAttackShadowedBuiltinNames(t *testing.T) {
	h := hdtest.Start(t)
	h.ConnectUpstream("app", attackUpstream...)
	c := liveConn(t, h)
	up := upstreamConn(t, h)
	expectNoUpstreamCall(t, c, up, []string{
		`SELECT abs(id::text) FROM app.items`,
		`SELECT id + 'x'::text FROM app.items`,
		`SELECT i.probe_row FROM app.items i`,
	})
}

// TestLiveAttackCatalogLookups: what LiveCast and the function lists
// miss that still looks names up in the upstream's catalog: array reg*
// types (_regrole, _regclass), reg* types in a column definition list,
// parameters the client declares as reg* (extended protocol, passed
// through as the upstream's parameter types), aclitem output (role names
// from makeaclitem/acldefault, immutable so never checked),
// format_type/oidvectortypes (stable, no denied prefix).
func TestLiveAttackCatalogLookups(t *testing.T) {
	h := hdtest.Start(t)
	h.ConnectUpstream("app", attackUpstream...)
	c := liveConn(t, h)
	up := upstreamConn(t, h)
	ctx := context.Background()
	var domainOID uint32
	if err := up.QueryRow(ctx, "SELECT 'probed'::regtype::oid").Scan(&domainOID); err != nil {
		t.Fatal(err)
	}
	leaks := []struct{ sql, secret string }{
		{`SELECT '{10}'::_regrole, id FROM app.items`, "postgres"},
		{`SELECT '{pg_authid}'::_regclass::oid[], id FROM app.items`, "1260"},
		{`SELECT x.r, i.id FROM app.items i, json_to_record('{"r":"10"}') AS x(r regrole)`, "postgres"},
		{`SELECT x.r::oid, i.id FROM app.items i, json_to_record('{"r":"pg_authid"}') AS x(r regclass)`, "1260"},
		{`SELECT makeaclitem(10, 10, 'SELECT', false)::text, id FROM app.items`, "postgres"},
		{`SELECT acldefault('r', 10)::text, id FROM app.items`, "postgres"},
		{fmt.Sprintf(`SELECT format_type(%d, NULL), id FROM app.items`, domainOID), "probed"},
		{fmt.Sprintf(`SELECT oidvectortypes('%d'), id FROM app.items`, domainOID), "probed"},
	}
	for _, l := range leaks {
		for _, mode := range bothProtocols {
			got, err := runAll(c, l.sql, mode)
			if err == nil && strings.Contains(got, l.secret) {
				t.Errorf("%s (%v): read the upstream's catalog: %.120s", l.sql, mode, got)
			}
		}
	}
	// Extended protocol: the parameter's declared type goes upstream.
	for _, p := range []struct {
		oid         uint32
		val, secret string
	}{{4096, "10", "postgres"}, {2205, "pg_authid", "pg_authid"}, {4089, "pg_toast", "pg_toast"}} {
		if _, err := c.PgConn().Prepare(ctx, "", "SELECT $1, id FROM app.items", []uint32{p.oid}); err != nil {
			continue
		}
		res := c.PgConn().ExecPrepared(ctx, "", [][]byte{[]byte(p.val)}, nil, nil).Read()
		if res.Err == nil && len(res.Rows) > 0 && string(res.Rows[0][0]) == p.secret {
			t.Errorf("parameter of type OID %d = %q: the upstream looked it up in its catalog (%q)", p.oid, p.val, res.Rows[0][0])
		}
	}
}

// TestLiveAttackHoldCursorsExhaustPool: a live cursor keeps its pooled
// upstream connection until it is closed. WITH HOLD cursors (which would
// outlive the transaction) are refused on the live route, a session may
// hold only a few live statements open (53300 past that), and the live
// pool is separate from the syncs', so one member's idle cursors leave
// connections for every other session.
func TestLiveAttackHoldCursorsExhaustPool(t *testing.T) {
	h := hdtest.Start(t)
	h.ConnectUpstream("app", liveUpstream...)
	ctx := context.Background()
	attacker := liveConn(t, h)
	_, err := attacker.Exec(ctx, "DECLARE hog CURSOR WITH HOLD FOR SELECT id FROM app.items")
	if code := sqlState(err); code != "0A000" {
		t.Fatalf("DECLARE … WITH HOLD on the live route: %v, want 0A000", err)
	}
	if _, err := attacker.Exec(ctx, "BEGIN"); err != nil {
		t.Fatal(err)
	}
	opened := 0
	for i := 0; i < 16; i++ {
		_, err := attacker.Exec(ctx, fmt.Sprintf("DECLARE hog%d CURSOR FOR SELECT id FROM app.items", i))
		if err != nil {
			if code := sqlState(err); code != "53300" {
				t.Fatalf("declare %d: %v, want 53300 past the session's limit", i, err)
			}
			break
		}
		opened++
	}
	if opened == 16 {
		t.Fatalf("one session held %d live cursors open: no per-session limit", opened)
	}
	defer attacker.Exec(ctx, "ROLLBACK")
	victim := liveConn(t, h)
	tctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	var n int
	if err := victim.QueryRow(tctx, "SELECT count(*) FROM app.items").Scan(&n); err != nil {
		t.Errorf("another session's live query: %v (the attacker's idle cursors hold the whole upstream pool)", err)
	}
}

// TestLiveAttackLiteralSmuggling: the plan cache (Normalize) puts the
// client's literal TEXT back into the upstream SQL (WithConsts →
// ReplaceParams), and EXPLAIN, DECLARE and the fallback of a failed
// prepare send that text with the simple protocol, which runs several
// statements. Normalize reads '\” as Hotdata's parser does (standard
// strings); an upstream whose database, role or server sets
// standard_conforming_strings = off reads the same bytes as a
// backslash-escaped quote, so what Hotdata planned as one string
// literal is code there: any SQL, as the upstream's (super)user.
func TestLiveAttackLiteralSmuggling(t *testing.T) {
	h := hdtest.Start(t)
	h.ConnectUpstream("app", append(append([]string{}, liveUpstream...),
		`DO $$ BEGIN EXECUTE format('ALTER DATABASE %I SET standard_conforming_strings = off', current_database()); END $$`)...)
	c := liveConn(t, h)
	up := upstreamConn(t, h)
	ctx := context.Background()
	stmts := []string{
		`EXPLAIN SELECT 1, '\''; INSERT INTO touched DEFAULT VALUES; SELECT pg_advisory_lock(4242); -- ' AS x FROM app.items`,
		`DECLARE smuggle CURSOR WITH HOLD FOR SELECT 1, '\''; INSERT INTO touched DEFAULT VALUES; -- ' AS x FROM app.items`,
	}
	for _, sql := range stmts {
		_, _ = c.Exec(ctx, sql, pgx.QueryExecModeSimpleProtocol)
	}
	_, _ = c.Exec(ctx, "CLOSE ALL")
	if n := touchedCount(t, up); n != 0 {
		t.Errorf("smuggled statements ran upstream: %d INSERT(s) into touched", n)
	}
	var locks int
	if err := up.QueryRow(ctx, "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND objid = 4242").Scan(&locks); err != nil {
		t.Fatal(err)
	}
	if locks != 0 {
		t.Errorf("a pooled upstream connection now holds a session advisory lock taken by a smuggled statement")
	}
}

// TestLiveAttackHoldCursorLocksUpstreamTable: a live cursor over a result
// larger than the socket buffers leaves its upstream backend blocked in
// the middle of the statement, holding its lock and snapshot for as long
// as the cursor stays open (forever for WITH HOLD, no statement_timeout
// upstream): the upstream application's own DDL on the table waits
// behind it, and every later query on the table queues behind that DDL.
func TestLiveAttackHoldCursorLocksUpstreamTable(t *testing.T) {
	h := hdtest.Start(t)
	h.ConnectUpstream("app", liveUpstream...)
	ctx := context.Background()
	attacker := liveConn(t, h)
	_, err := attacker.Exec(ctx, "DECLARE pin CURSOR WITH HOLD FOR SELECT i.id, g FROM app.items i, generate_series(1, 5000000) g")
	if code := sqlState(err); err != nil && code != "0A000" {
		t.Fatalf("DECLARE … WITH HOLD: %v, want it refused with 0A000 (or held without a lock)", err)
	}
	defer attacker.Exec(ctx, "CLOSE ALL")
	time.Sleep(500 * time.Millisecond)
	up := upstreamConn(t, h)
	if _, err := up.Exec(ctx, "SET lock_timeout = '3s'"); err != nil {
		t.Fatal(err)
	}
	if _, err := up.Exec(ctx, "ALTER TABLE items ADD COLUMN note text"); err != nil {
		t.Errorf("the upstream's own ALTER TABLE: %v (an idle Hotdata cursor holds the table's lock)", err)
	}
}

// The prepared statements a live connection keeps are bounded per
// connection: connectors/postgres TestLivePreparedStatementsBounded.

// sqlState is err's SQLSTATE, empty when it is not a server error.
func sqlState(err error) string {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code
	}
	return ""
}
