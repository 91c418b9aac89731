package server_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/hotdata-dev/hotdata/internal/hdtest"
)

// liveUpstream is an upstream with a table, a function that writes to a
// side table when called, and a user-defined operator over it: what a
// live query must never run.
var liveUpstream = []string{
	`CREATE TABLE items (id int PRIMARY KEY, tags text[], grid int[], addr inet, at timestamptz)`,
	`INSERT INTO items VALUES
		(1, '{a,b}', '{{1,2},{3,4}}', '10.0.0.1', '2024-03-10 00:30:00+00'),
		(2, '{c}', '{{5,6},{7,8}}', '10.0.0.9', '2024-03-10 20:00:00+00'),
		(3, NULL, NULL, '192.168.1.1', '2024-03-11 04:00:00+00')`,
	`CREATE TABLE touched (at timestamptz DEFAULT now())`,
	`CREATE FUNCTION probe(int) RETURNS int LANGUAGE sql VOLATILE AS 'INSERT INTO touched DEFAULT VALUES RETURNING 1'`,
	`CREATE FUNCTION probe_op(int, int) RETURNS bool LANGUAGE sql VOLATILE AS 'INSERT INTO touched DEFAULT VALUES RETURNING true'`,
	`CREATE OPERATOR === (LEFTARG = int, RIGHTARG = int, FUNCTION = probe_op)`,
	`CREATE SEQUENCE seq`,
}

func liveConn(t *testing.T, h *hdtest.Harness) *pgx.Conn {
	t.Helper()
	cfg, err := pgx.ParseConfig(h.PGURL(testToken, "default", "disable"))
	if err != nil {
		t.Fatal(err)
	}
	cfg.RuntimeParams["hotdata.freshness"] = "live"
	c, err := pgx.ConnectConfig(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close(context.Background()) })
	return c
}

// TestLiveRefusesWhatReachesPastTheData: a live statement goes to the
// upstream as written, so each function, operator and cast in it is
// checked first. Calls that would change the upstream's state, read
// its files, settings, roles or catalog, or run its own functions are
// refused with 0A000 — on both protocols — and the upstream shows that
// nothing ran.
func TestLiveRefusesWhatReachesPastTheData(t *testing.T) {
	h := hdtest.Start(t)
	h.ConnectUpstream("app", liveUpstream...)
	c := liveConn(t, h)
	ctx := context.Background()
	refused := []string{
		"SELECT probe(id) FROM app.items",
		"SELECT public.probe(id) FROM app.items",
		"SELECT id FROM app.items WHERE id === 1",
		"SELECT id FROM app.items WHERE id OPERATOR(public.===) 1",
		"SELECT nextval('seq'), id FROM app.items",
		"SELECT setval('seq', 5), id FROM app.items",
		"SELECT set_config('search_path', 'x', false), id FROM app.items",
		"SELECT pg_read_file('/etc/passwd'), id FROM app.items",
		"SELECT pg_ls_dir('.'), id FROM app.items",
		"SELECT pg_sleep(0), id FROM app.items",
		"SELECT pg_advisory_lock(1), id FROM app.items",
		"SELECT lo_import('/etc/passwd'), id FROM app.items",
		"SELECT query_to_xml('SELECT probe(1)', true, true, ''), id FROM app.items",
		"SELECT table_to_xml('touched', true, true, ''), id FROM app.items",
		"SELECT current_setting('data_directory'), id FROM app.items",
		"SELECT version(), id FROM app.items",
		"SELECT current_user, id FROM app.items",
		"SELECT session_user, id FROM app.items",
		"SELECT current_database(), id FROM app.items",
		"SELECT has_table_privilege('touched', 'SELECT'), id FROM app.items",
		"SELECT pg_get_userbyid(10), id FROM app.items",
		"SELECT 'touched'::regclass, id FROM app.items",
		"SELECT inet_server_addr(), id FROM app.items",
		"SELECT id FROM app.items WHERE id IN (SELECT probe(1))",
		"SELECT (SELECT count(*) FROM pg_catalog.pg_class), id FROM app.items",
	}
	for _, sql := range refused {
		for _, mode := range []pgx.QueryExecMode{pgx.QueryExecModeSimpleProtocol, pgx.QueryExecModeDescribeExec} {
			rows, err := c.Query(ctx, sql, mode)
			if err == nil {
				rows.Close()
				err = rows.Err()
			}
			var pe *pgconn.PgError
			if !errors.As(err, &pe) || pe.Code != "0A000" {
				t.Errorf("%s (%v): want 0A000, got %v", sql, mode, err)
			}
		}
	}
	// The session goes on, and nothing ran upstream.
	var n int
	if err := c.QueryRow(ctx, "SELECT count(*) FROM app.items").Scan(&n); err != nil || n != 3 {
		t.Fatalf("after the refusals: %d, %v", n, err)
	}
	up, err := pgx.Connect(ctx, h.Upstream)
	if err != nil {
		t.Fatal(err)
	}
	defer up.Close(ctx)
	var touched int
	var last int64
	if err := up.QueryRow(ctx, "SELECT (SELECT count(*) FROM touched), (SELECT last_value FROM seq)").Scan(&touched, &last); err != nil {
		t.Fatal(err)
	}
	if touched != 0 || last != 1 {
		t.Fatalf("a refused live statement ran upstream: touched %d, seq %d", touched, last)
	}
}

// TestLiveRunsWhatTheCacheCannot: the upstream computes what the cache
// engine refuses (two-dimensional arrays, functions it does not
// implement), so a live query answers it with PostgreSQL's
// own values; the same statement on the cache is a clear 0A000.
func TestLiveRunsWhatTheCacheCannot(t *testing.T) {
	h := hdtest.Start(t)
	h.ConnectUpstream("app", liveUpstream...)
	c := liveConn(t, h)
	ctx := context.Background()
	up, err := pgx.Connect(ctx, h.Upstream)
	if err != nil {
		t.Fatal(err)
	}
	defer up.Close(ctx)
	cases := []struct{ hotdata, upstream string }{
		{"SELECT id, grid, grid[2][1] FROM app.items ORDER BY id", "SELECT id, grid, grid[2][1] FROM items ORDER BY id"},
		{"SELECT min(addr), max(addr), array_agg(grid ORDER BY id) FROM app.items WHERE grid IS NOT NULL",
			"SELECT min(addr), max(addr), array_agg(grid ORDER BY id) FROM items WHERE grid IS NOT NULL"},
		{"SELECT id, to_tsvector('simple', array_to_string(tags, ' ')) FROM app.items ORDER BY addr DESC", "SELECT id, to_tsvector('simple', array_to_string(tags, ' ')) FROM items ORDER BY addr DESC"},
	}
	for _, tc := range cases {
		for _, mode := range []pgx.QueryExecMode{pgx.QueryExecModeSimpleProtocol, pgx.QueryExecModeCacheStatement} {
			got := liveRows(t, c, tc.hotdata, mode)
			want := liveRows(t, up, tc.upstream, pgx.QueryExecModeSimpleProtocol)
			if got != want {
				t.Errorf("%s (%v):\n got %s\nwant %s", tc.hotdata, mode, got, want)
			}
		}
		// On the cache it is refused clearly.
		if _, err := c.Exec(ctx, "SET hotdata.freshness = cached"); err != nil {
			t.Fatal(err)
		}
		_, err := c.Exec(ctx, tc.hotdata)
		var pe *pgconn.PgError
		if !errors.As(err, &pe) || pe.Code != "0A000" {
			t.Errorf("%s on the cache: want 0A000, got %v", tc.hotdata, err)
		}
		if _, err := c.Exec(ctx, "SET hotdata.freshness = live"); err != nil {
			t.Fatal(err)
		}
	}
}

// TestLiveSettingsReachPreparedStatements: the upstream reads a
// statement's constants under the TimeZone in effect when it prepares
// it; a statement prepared for one session's TimeZone must not answer
// another's.
func TestLiveSettingsReachPreparedStatements(t *testing.T) {
	h := hdtest.Start(t)
	h.ConnectUpstream("app", liveUpstream...)
	ctx := context.Background()
	const q = "SELECT count(*) FROM app.items WHERE at >= '2024-03-10' AND at < '2024-03-11'"
	want := map[string]int64{"UTC": 2, "Asia/Kolkata": 1, "America/New_York": 1}
	for round := 0; round < 3; round++ {
		for _, tz := range []string{"UTC", "Asia/Kolkata", "America/New_York"} {
			c := liveConn(t, h)
			if _, err := c.Exec(ctx, "SET TimeZone = '"+tz+"'"); err != nil {
				t.Fatal(err)
			}
			for _, mode := range []pgx.QueryExecMode{pgx.QueryExecModeSimpleProtocol, pgx.QueryExecModeCacheStatement, pgx.QueryExecModeDescribeExec} {
				var n int64
				if err := c.QueryRow(ctx, q, mode).Scan(&n); err != nil || n != want[tz] {
					t.Errorf("round %d, %s, %v: count %d, %v; want %d", round, tz, mode, n, err, want[tz])
				}
			}
		}
	}
}

// liveRows renders a result's rows as text.
func liveRows(t *testing.T, c *pgx.Conn, sql string, mode pgx.QueryExecMode) string {
	t.Helper()
	rows, err := c.Query(context.Background(), sql, mode)
	if err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	defer rows.Close()
	var b strings.Builder
	for rows.Next() {
		vals, err := rows.Values()
		if err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
		fmt.Fprintf(&b, "%v;", vals)
	}
	if err := rows.Err(); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return b.String()
}

// TestLocaleSettings: Hotdata formats money, to_char's separators and
// month names in the C locale; a session that asks for another locale is
// told so instead of getting C output under its name.
func TestLocaleSettings(t *testing.T) {
	h := hdtest.Start(t)
	c, err := pgx.Connect(context.Background(), h.PGURL(testToken, "default", "disable"))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(context.Background())
	ctx := context.Background()
	for _, ok := range []string{"SET lc_monetary = 'C'", "SET lc_numeric = 'POSIX'", "SET lc_time = 'en_US.UTF-8'", "SET lc_monetary = 'C.UTF-8'"} {
		if _, err := c.Exec(ctx, ok); err != nil {
			t.Errorf("%s: %v", ok, err)
		}
	}
	for _, bad := range []string{"SET lc_monetary = 'de_DE.UTF-8'", "SET lc_numeric = 'fr_FR'", "SET lc_time = 'ja_JP.UTF-8'"} {
		_, err := c.Exec(ctx, bad)
		var pe *pgconn.PgError
		if !errors.As(err, &pe) || pe.Code != "0A000" {
			t.Errorf("%s: want 0A000, got %v", bad, err)
		}
	}
	var money string
	if err := c.QueryRow(ctx, "SELECT 1234.5::money::text").Scan(&money); err != nil || money != "$1,234.50" {
		t.Fatalf("money after the refusals: %q, %v", money, err)
	}
}

// TestLiveEnumCasts: a cast to an upstream enum reaches the upstream
// with the enum's upstream name (the live connection's search_path is
// pg_catalog only), and answers as PostgreSQL does; a cast to an
// upstream domain stays refused (its CHECK could run code).
func TestLiveEnumCasts(t *testing.T) {
	h := hdtest.Start(t)
	h.ConnectUpstream("app",
		`CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy')`,
		`CREATE DOMAIN posint AS int CHECK (VALUE > 0)`,
		`CREATE TABLE feelings (id int PRIMARY KEY, m mood, p posint)`,
		`INSERT INTO feelings VALUES (1, 'sad', 1), (2, 'happy', 2), (3, 'ok', 3)`)
	c := liveConn(t, h)
	for _, mode := range bothProtocols {
		got, err := runAll(c, `SELECT id, m > 'ok'::mood, 'happy'::app.public.mood = m FROM app.feelings ORDER BY id`, mode)
		if err != nil || got != "[1 false false];[2 true true];[3 false false];" {
			t.Errorf("%v: enum casts on the live route: %q, %v", mode, got, err)
		}
		if _, err := runAll(c, `SELECT id, 'x'::mood FROM app.feelings`, mode); sqlState(err) != "22P02" {
			t.Errorf("%v: an unknown label: %v, want the upstream's 22P02", mode, err)
		}
		if _, err := runAll(c, `SELECT 5::posint, id FROM app.feelings`, mode); sqlState(err) != "0A000" {
			t.Errorf("%v: a cast to an upstream domain: %v, want 0A000", mode, err)
		}
	}
}
