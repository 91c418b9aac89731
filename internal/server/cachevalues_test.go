package server_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/hotdata-dev/hotdata/internal/hdtest"
	"github.com/hotdata-dev/hotdata/internal/testenv"
)

// The cache holds every value exactly, or refuses the column loudly:
// these tests put values at the edges of what the cache's forms hold in
// a real upstream, sync them through the real code, and compare what a
// client reads from the cache with what PostgreSQL answers.

// answer is a statement's outcome as a client sees it: rows in text
// and in binary, or the error's SQLSTATE and message.
type answer struct {
	text, binary [][]string
	code, msg    string
}

func (a answer) String() string {
	if a.code != "" {
		return a.code + " " + a.msg
	}
	return fmt.Sprintf("%q / binary %q", a.text, a.binary)
}

// ask runs sql on url twice: with the simple protocol (text) and the
// extended protocol with every result column in binary.
func ask(t *testing.T, url, sql string) answer {
	t.Helper()
	ctx := context.Background()
	c, err := pgconn.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(ctx)
	var a answer
	for _, binary := range []bool{false, true} {
		var res *pgconn.ResultReader
		var rows [][]string
		if binary {
			res = c.ExecParams(ctx, sql, nil, nil, nil, []int16{1})
		} else {
			all, err := c.Exec(ctx, sql).ReadAll()
			if err == nil && len(all) == 1 {
				err = all[0].Err
			}
			if err != nil {
				return errAnswer(t, err)
			}
			a.text = textCells(all[0].Rows)
			continue
		}
		r := res.Read()
		if r.Err != nil {
			return errAnswer(t, r.Err)
		}
		rows = textCells(r.Rows)
		a.binary = rows
	}
	return a
}

func textCells(rows [][][]byte) [][]string {
	out := make([][]string, len(rows))
	for i, r := range rows {
		out[i] = make([]string, len(r))
		for j, v := range r {
			if v == nil {
				out[i][j] = "<NULL>"
			} else {
				out[i][j] = string(v)
			}
		}
	}
	return out
}

func errAnswer(t *testing.T, err error) answer {
	t.Helper()
	var pe *pgconn.PgError
	if !asPgError(err, &pe) {
		t.Fatalf("not a server error: %v", err)
	}
	return answer{code: pe.Code, msg: pe.Message}
}

func asPgError(err error, pe **pgconn.PgError) bool {
	if p, ok := err.(*pgconn.PgError); ok {
		*pe = p
		return true
	}
	return false
}

// sameAsUpstream checks that each statement, read from Hotdata's cache,
// answers what the upstream PostgreSQL answers: first from the snapshot's
// Parquet files, then again once the native copy of table is made.
func sameAsUpstream(t *testing.T, h *hdtest.Harness, table string, stmts ...string) {
	t.Helper()
	hd := cachedURL(h)
	for _, form := range []string{"parquet", "native"} {
		if form == "native" {
			waitNative(t, h, table, "", hd, stmts[0])
			if route := explainRoute(t, hd, stmts[0]); !strings.Contains(route, "native)") {
				t.Fatalf("EXPLAIN %s: %q, want the native copy", stmts[0], route)
			}
		}
		for _, q := range stmts {
			want := ask(t, h.Upstream, q)
			if want.code != "" {
				t.Fatalf("upstream fails %s: %v", q, want)
			}
			if got := ask(t, hd, q); got.String() != want.String() {
				t.Errorf("%s (%s):\n got %v\nwant %v", q, form, got, want)
			}
		}
	}
}

// cachedURL is the workspace's pgwire URL with the cached route.
func cachedURL(h *hdtest.Harness) string {
	return h.PGURL(testToken, "default", "disable") + "&options=-c%20hotdata.freshness%3Dcached"
}

// refused checks that a statement fails with SQLSTATE 0A000 and a
// message containing each of parts.
func refused(t *testing.T, h *hdtest.Harness, q string, parts ...string) {
	t.Helper()
	got := ask(t, cachedURL(h), q)
	if got.code != "0A000" {
		t.Errorf("%s: %v, want 0A000", q, got)
		return
	}
	for _, p := range parts {
		if !strings.Contains(got.msg, p) {
			t.Errorf("%s: message %q does not say %q", q, got.msg, p)
		}
	}
}

// TestCacheInfiniteDatetimes: ±infinity dates and timestamps, alone and
// in arrays, read from the cache as PostgreSQL prints them (they were
// cached as NULL).
func TestCacheInfiniteDatetimes(t *testing.T) {
	h := hdtest.Start(t)
	h.ConnectUpstream("up",
		`CREATE TABLE inf (id int PRIMARY KEY, d date, ts timestamp, tstz timestamptz, da date[], tsa timestamptz[])`,
		`INSERT INTO inf VALUES
			(1, 'infinity', 'infinity', 'infinity', '{infinity,2024-01-01}', '{-infinity}'),
			(2, '-infinity', '-infinity', '-infinity', '{-infinity,NULL}', '{infinity,"2024-01-01 00:00:00+00"}'),
			(3, '2024-02-29', '2024-02-29 12:00:00', '2024-02-29 12:00:00+00', '{2024-02-29}', '{}'),
			(4, NULL, NULL, NULL, NULL, NULL)`)
	sameAsUpstream(t, h, "inf",
		"SELECT * FROM inf ORDER BY id",
		"SELECT id, d::text, ts::text, tstz::text FROM inf ORDER BY id",
		"SELECT id FROM inf ORDER BY d NULLS FIRST, id",
		"SELECT id FROM inf ORDER BY tstz DESC NULLS LAST, id",
		"SELECT id FROM inf WHERE d = 'infinity' OR ts = '-infinity' ORDER BY id",
		"SELECT id FROM inf WHERE tstz > '2024-01-01' ORDER BY id",
		"SELECT min(d), max(d), min(ts), max(tstz) FROM inf",
		"SELECT id, da[1], tsa[1] FROM inf ORDER BY id",
	)
}

// TestCacheNumericSpecials: NaN in numeric(p,s) columns (which the
// cache holds as decimals, which have no NaN; PostgreSQL refuses
// ±Infinity in them) was cached as NULL. Such a column is now held as
// PostgreSQL's text output and read as numeric from it.
func TestCacheNumericSpecials(t *testing.T) {
	h := hdtest.Start(t)
	h.ConnectUpstream("up",
		`CREATE TABLE nums (id int PRIMARY KEY, n numeric(12,4), n0 numeric(10,0), nb numeric(38,10), plain numeric(8,2))`,
		`INSERT INTO nums VALUES
			(1, 1.5, 2, 1.5, 1.25), (2, 'NaN', 'NaN', 'NaN', 2.5), (3, 'NaN', 7, -3.25, 3),
			(4, 'NaN', -7, 'NaN', -1), (5, -0.0001, 0, 9999999999999999999999999999.9999999999, 0),
			(6, NULL, NULL, NULL, NULL), (7, 99999999.9999, 'NaN', -0.5, 999999.99)`)
	sameAsUpstream(t, h, "nums",
		"SELECT * FROM nums ORDER BY id",
		"SELECT id, n::text, n0::text, nb::text, plain FROM nums ORDER BY id",
		"SELECT id FROM nums ORDER BY n NULLS FIRST, id",
		"SELECT id FROM nums ORDER BY nb DESC NULLS LAST, id",
		"SELECT id FROM nums WHERE n = 'NaN' OR n0 = 'NaN' ORDER BY id",
		"SELECT id FROM nums WHERE n > 0 ORDER BY id",
		"SELECT id, n0 + 1, n * 2 FROM nums WHERE n0 <> 'NaN' ORDER BY id",
		"SELECT max(n), min(nb), sum(n0) FROM nums",
		"SELECT count(*), count(n), count(nb) FROM nums",
	)
}

// TestCacheArraysKeptOrRefused: arrays the cache holds as lists read
// back as PostgreSQL prints them; a column with arrays it cannot hold as
// lists (more dimensions, another lower bound, an element its lists
// cannot hold) no longer fails the sync nor loses its bounds silently:
// the table syncs, the other columns are served, and a statement that
// reads the column is refused with the reason.
func TestCacheArraysKeptOrRefused(t *testing.T) {
	h := hdtest.Start(t)
	h.ConnectUpstream("up",
		`CREATE TABLE matrix (id int PRIMARY KEY, m int[], tm text[], ok int[])`,
		`INSERT INTO matrix VALUES (1, '{{1,2},{3,4}}', '{{a,b}}', '{1,2}'), (2, '{5}', '{x}', '{}'), (3, NULL, NULL, NULL)`,
		`CREATE TABLE bounds (id int PRIMARY KEY, ia int[], ta text[])`,
		`INSERT INTO bounds VALUES (1, '[0:2]={7,8,9}', '{x,y}'), (2, '{1,2}', '[5:5]={z}')`,
		`CREATE TABLE elems (id int PRIMARY KEY, na numeric(6,2)[], da date[], label text)`,
		`INSERT INTO elems VALUES (1, '{1.5,NaN}', '{infinity,2024-01-01}', 'one'), (2, '{2.25}', '{}', 'two')`)
	sameAsUpstream(t, h, "matrix",
		"SELECT id, ok FROM matrix ORDER BY id",
		"SELECT count(*) FROM matrix",
		"SELECT id FROM bounds ORDER BY id",
	)
	const form = "Hotdata caches one-dimensional arrays with lower bound 1"
	refused(t, h, "SELECT * FROM matrix", `column "m" of matrix is not in the cache`, "it holds 2-dimensional arrays", form)
	refused(t, h, "SELECT id, tm FROM matrix", `column "tm"`, "2-dimensional")
	refused(t, h, "SELECT id FROM matrix WHERE m IS NULL", `column "m"`)
	refused(t, h, "SELECT ia FROM bounds", `column "ia" of bounds is not in the cache`, "lower bound 0", form)
	refused(t, h, "SELECT ta FROM bounds", `column "ta"`, "lower bound 5")
	refused(t, h, "SELECT na FROM elems", `column "na"`, "NaN")
	sameAsUpstream(t, h, "elems",
		"SELECT id, da, label FROM elems ORDER BY id",
	)
	// Read live, they are the upstream's: what the cache holds does not
	// matter.
	live := h.PGURL(testToken, "default", "disable") + "&options=-c%20hotdata.freshness%3Dlive"
	for _, q := range []string{"SELECT * FROM matrix ORDER BY id", "SELECT ia, ta FROM bounds ORDER BY id", "SELECT na FROM elems ORDER BY id"} {
		if got, want := ask(t, live, q), ask(t, h.Upstream, q); got.String() != want.String() {
			t.Errorf("live %s:\n got %v\nwant %v", q, got, want)
		}
	}
}

// TestCacheTimestampRange: PostgreSQL's timestamps reach 294276 AD, the
// engine's 294247: a column with later values is refused (it was cached
// with the values wrapped around to 290308 BC); years past 9999 within
// the range, and BC dates, read back exactly.
func TestCacheTimestampRange(t *testing.T) {
	h := hdtest.Start(t)
	h.ConnectUpstream("up",
		`CREATE TABLE farts (id int PRIMARY KEY, ts timestamp, tstz timestamptz, d date)`,
		`INSERT INTO farts VALUES
			(1, '294276-12-31 23:59:59.999999', '2024-01-01 00:00:00+00', '5874897-12-31'),
			(2, '10000-01-01 00:00:00', '294246-12-31 23:59:59+00', '4713-01-01 BC'),
			(3, '4713-01-01 00:00:00 BC', '0001-01-01 00:00:00+00 BC', '0044-03-15 BC')`,
		`CREATE TABLE wide (id int PRIMARY KEY, ts timestamp, tstz timestamptz, d date)`,
		`INSERT INTO wide VALUES
			(1, '10000-01-01 00:00:00', '294246-12-31 23:59:59+00', '5874897-12-31'),
			(2, '4713-01-01 00:00:00 BC', '0001-01-01 00:00:00+00 BC', '4713-01-01 BC')`)
	sameAsUpstream(t, h, "wide",
		"SELECT * FROM wide ORDER BY id",
		"SELECT id, ts::text, tstz::text, d::text FROM wide ORDER BY id",
		"SELECT id FROM wide ORDER BY ts DESC, id",
	)
	refused(t, h, "SELECT ts FROM farts", `column "ts" of farts is not in the cache`, "294247-01-10")
	sameAsUpstream(t, h, "farts", "SELECT id, tstz, d FROM farts ORDER BY id")
}

// TestCacheFormsFollowRefreshes: how a column is held follows the
// upstream's values through refreshes, and statements follow it: an
// incremental sync that meets a NaN in new rows becomes a full one with
// the column as text; a statement prepared before a refresh changed a
// column's form, or before the sync on first use, runs against the new
// form; a full refresh after the upstream fixed its values serves the
// column natively again, or refuses it when it holds arrays the cache
// cannot keep.
func TestCacheFormsFollowRefreshes(t *testing.T) {
	h := hdtest.Start(t)
	h.ConnectUpstream("up",
		`CREATE TABLE prices (id int PRIMARY KEY, price numeric(10,2), tags int[])`,
		`INSERT INTO prices SELECT i, i * 1.25, ARRAY[i] FROM generate_series(1, 20) i`)
	ctx := context.Background()
	const q = "SELECT id, price, tags FROM prices WHERE id > $1 ORDER BY id"
	// Prepared before the table is synced: planned with no snapshot.
	before, err := pgconn.Connect(ctx, cachedURL(h))
	if err != nil {
		t.Fatal(err)
	}
	defer before.Close(ctx)
	if _, err := before.Prepare(ctx, "p", q, nil); err != nil {
		t.Fatal(err)
	}
	testenv.PostgresExec(t, h.Upstream, `UPDATE prices SET price = 'NaN' WHERE id = 20`)
	check := func(step string) {
		t.Helper()
		res := before.ExecPrepared(ctx, "p", [][]byte{[]byte("15")}, nil, nil).Read()
		want := ask(t, h.Upstream, "SELECT id, price, tags FROM prices WHERE id > 15 ORDER BY id")
		if res.Err != nil || fmt.Sprint(textCells(res.Rows)) != fmt.Sprint(want.text) {
			t.Fatalf("%s: prepared statement read %q, %v; want %q", step, textCells(res.Rows), res.Err, want.text)
		}
		sameAsUpstreamNow(t, h, step, "SELECT * FROM prices ORDER BY id", "SELECT id FROM prices ORDER BY price DESC, id")
	}
	check("first use")

	// Incremental: the new rows' NaN makes the sync a full one.
	h.API("PUT", "/v1/connections/up/tables/public/prices/policy", map[string]any{"refresh": "manual", "incremental_column": "id"}, http.StatusOK)
	testenv.PostgresExec(t, h.Upstream, `UPDATE prices SET price = 25 WHERE id = 20`)
	h.API("POST", "/v1/refresh", map[string]any{"connection_id": "up", "data": true}, http.StatusOK)
	check("full refresh, no NaN")
	testenv.PostgresExec(t, h.Upstream, `INSERT INTO prices VALUES (21, 'NaN', '{21}'), (22, 3.5, '{22}')`)
	out := h.API("POST", "/v1/refresh", map[string]any{"connection_id": "up", "data": true}, http.StatusOK)
	if tr := out["tables"].([]any)[0].(map[string]any); tr["incremental"] != false || tr["row_count"] != 22.0 {
		t.Fatalf("refresh after a NaN in new rows: %v, want a full sync of 22 rows", tr)
	}
	check("NaN in new rows")

	// Arrays the cache cannot keep: refused after the refresh (a full
	// one: an incremental sync does not see updates), the prepared
	// statement too.
	h.API("PUT", "/v1/connections/up/tables/public/prices/policy", map[string]any{"refresh": "manual", "incremental_column": ""}, http.StatusOK)
	testenv.PostgresExec(t, h.Upstream, `UPDATE prices SET tags = '[0:0]={1}' WHERE id = 1`)
	h.API("POST", "/v1/refresh", map[string]any{"connection_id": "up", "data": true}, http.StatusOK)
	res := before.ExecPrepared(ctx, "p", [][]byte{[]byte("15")}, nil, nil).Read()
	var pe *pgconn.PgError
	if !asPgError(res.Err, &pe) || pe.Code != "0A000" || !strings.Contains(pe.Message, `column "tags" of prices is not in the cache`) {
		t.Fatalf("prepared statement after tags became unavailable: %v %q", res.Err, textCells(res.Rows))
	}
	refused(t, h, "SELECT tags FROM prices", "lower bound 0")
	sameAsUpstreamNow(t, h, "tags unavailable", "SELECT id, price FROM prices ORDER BY id")

	// Fixed upstream: served natively again.
	testenv.PostgresExec(t, h.Upstream, `UPDATE prices SET tags = '{1}' WHERE id = 1`, `DELETE FROM prices WHERE price = 'NaN'`)
	h.API("POST", "/v1/refresh", map[string]any{"connection_id": "up", "data": true}, http.StatusOK)
	check("fixed upstream")
}

// sameAsUpstreamNow is sameAsUpstream for the snapshot as it is (no
// wait for a native copy).
func sameAsUpstreamNow(t *testing.T, h *hdtest.Harness, step string, stmts ...string) {
	t.Helper()
	for _, q := range stmts {
		want, got := ask(t, h.Upstream, q), ask(t, cachedURL(h), q)
		if got.String() != want.String() {
			t.Errorf("%s: %s:\n got %v\nwant %v", step, q, got, want)
		}
	}
}

// TestCacheValueEdges: edge values of the types the cache holds natively
// read back exactly, and those of types it holds as text; interval arrays (stored as lists of their parts) read
// as intervals (they were printed as "(0,1,0)"); intervals whose time
// part the engine's results cannot carry, and trailing spaces of a bpchar
// without a length (which the cache trims, as for character(n)), are
// refused rather than changed.
func TestCacheValueEdges(t *testing.T) {
	h := hdtest.Start(t)
	h.ConnectUpstream("up",
		`CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy')`,
		`CREATE DOMAIN posint AS int CHECK (VALUE > 0)`,
		`CREATE TABLE edges (id int PRIMARY KEY, f4 float4, f8 float8, d date, t time, ts timestamp, tstz timestamptz,
			iv interval, ia interval[], j json, jb jsonb, c char(5), vc varchar(8), e mood, p posint, by bytea, fa float8[])`,
		`INSERT INTO edges VALUES
			(1, '-0', '-0', '0044-03-15 BC', '24:00:00', '10000-01-01 00:00:00', '0001-01-01 00:00:00+00 BC',
			 '178000000 years', '{"1 day","-178000000 years",NULL}', '  { "a" :1 , "b":[1 ,2] } ', '{"b":1,"a":2, "a": 3}', 'ab', 'ab  ', 'happy', 5, '\x00ff', '{-0,NaN,Infinity,-Infinity}'),
			(2, 'NaN', 'Infinity', '5874897-12-31', '00:00:00', '4713-01-01 00:00:00 BC', '294246-12-31 23:59:59+00',
			 '-178000000 years -1 mons -2147483648 days -2562047:47:16.854775', '{}', '[]', '[]', '', '', 'sad', 1, '', '{}'),
			(3, '-Infinity', 4.9e-324, '2000-01-01', '23:59:59.999999', '2000-01-01', '2000-01-01 00:00:00+00',
			 '2147483647 mons 2147483647 days 2562047:47:16.854775', NULL, 'null', 'null', NULL, NULL, NULL, NULL, NULL, NULL)`,
		`CREATE TABLE wide (id int PRIMARY KEY, iv interval, ivs interval[], bp bpchar, ok text)`,
		`INSERT INTO wide VALUES (1, '2562047788:00:54.775807', '{"1 day"}', 'ab', 'x'), (2, '1 day', '{"-2562047788 hours"}', 'ab  ', 'y')`)
	sameAsUpstream(t, h, "edges",
		"SELECT * FROM edges ORDER BY id",
		"SELECT id, iv::text, ia::text, j::text, jb::text, c::text, d::text, ts::text FROM edges ORDER BY id",
		"SELECT id, ia[1], ia[2] FROM edges ORDER BY id",
		"SELECT id FROM edges ORDER BY iv, id",
	)
	// Types cached as their text (in the text protocol only: the binary
	// one refuses them) are the output function's text, not a cast's
	// (inet's cast to text adds the netmask: '::1/128').
	h.API("POST", "/v1/refresh", map[string]any{"connection_id": "up"}, http.StatusOK)
	testenv.PostgresExec(t, h.Upstream, `CREATE TABLE texty (id int PRIMARY KEY, ip inet, ttz timetz, x xml)`,
		`INSERT INTO texty VALUES (1, '::1', '24:00:00+00', '<a>b</a>'), (2, '10.0.0.1/8', '12:34:56.789-11:59', NULL)`)
	h.API("POST", "/v1/refresh", map[string]any{"connection_id": "up"}, http.StatusOK)
	const tq = "SELECT * FROM texty ORDER BY id"
	_, want := textRows(t, h.Upstream, tq)
	if _, got := textRows(t, cachedURL(h), tq); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("%s:\n got %q\nwant %q", tq, got, want)
	}

	refused(t, h, "SELECT iv FROM wide", `column "iv" of wide is not in the cache`, "intervals whose time part exceeds")
	refused(t, h, "SELECT ivs FROM wide", `column "ivs"`, "intervals whose time part exceeds")
	refused(t, h, "SELECT bp FROM wide", `column "bp"`, "trailing spaces")
	sameAsUpstream(t, h, "wide", "SELECT id, ok FROM wide ORDER BY id")
}

// TestCacheProfileTextHeld: the profile of a column held as text counts
// its NaN as a value (it counted it as NULL) and gives no min, max or top
// values, which its text would order wrongly ("10.00" before "9.00").
func TestCacheProfileTextHeld(t *testing.T) {
	h := hdtest.Start(t)
	h.ConnectUpstream("up",
		`CREATE TABLE items (id int PRIMARY KEY, price numeric(8,2), m int[])`,
		`INSERT INTO items VALUES (1, 9, '{{1}}'), (2, 10, '{2}'), (3, 'NaN', NULL), (4, 10, '{2}')`)
	h.API("POST", "/v1/refresh", map[string]any{"connection_id": "up", "data": true, "include_uncached": true}, http.StatusOK)
	p := h.API("GET", "/v1/connections/up/tables/public/items/profile", nil, http.StatusOK)
	cols := p["columns"].([]any)
	for i, want := range []struct {
		name            string
		nulls, distinct float64
	}{{"price", 0, 3}, {"m", 1, 2}} {
		c := cols[i+1].(map[string]any)
		if c["name"] != want.name || c["null_count"] != want.nulls || c["distinct_count"] != want.distinct || c["min"] != nil || c["max"] != nil || len(c["top_values"].([]any)) != 0 {
			t.Errorf("profile of %s: %v", want.name, c)
		}
	}
	if c := cols[0].(map[string]any); c["min"] != "1" || c["max"] != "4" {
		t.Errorf("profile of id: %v", c)
	}
}
