package server_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/hotdata-dev/hotdata/internal/hdtest"
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
			waitNative(t, h, table, "")
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
