package server_test

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
)

// csvTypesTable holds a value of each type a client reads, and the
// strings CSV must quote.
const csvTypesTable = `CREATE TABLE vals (
	id int PRIMARY KEY, i2 smallint, i8 bigint, n numeric(10,3), f4 real, f8 double precision, b bool,
	t text, vc varchar(10), c char(4), by bytea, d date, tm time, ts timestamp, tstz timestamptz, iv interval,
	u uuid, j json, jb jsonb, ta text[], ia int[])`

const csvTypesRows = `INSERT INTO vals VALUES
	(1, -32768, 9223372036854775807, 1234567.125, 1.5, 0.1, true,
	 'plain', 'a,b', 'x', '\x00ff10', '2024-02-29', '23:59:59.999999', '2024-01-01 00:01:00', '2025-01-01 00:01:00+00', '1 year 2 mons 3 days 04:05:06.5',
	 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '{"a": [1, 2]}', '{"b": "c", "a": 1}', '{a,"b c",NULL,""}', '{1,NULL,3}'),
	(2, 0, -1, -0.001, -0.25, 1e-300, false,
	 'say "hi"', '', 'ab', '', '0001-01-01', '00:00:00', '1999-12-31 23:59:59.5', '1999-12-31 23:59:59.5+05:30', '-1 days +02:00:00',
	 '00000000-0000-0000-0000-000000000000', '[]', '[1, "2"]', '{}', '{}'),
	(3, NULL, NULL, NULL, NULL, NULL, NULL, E'two\nlines\r', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
	(4, 1, 2, 3, 'NaN', '-Infinity', true, '\.', 'é', 'é', '\x', '2000-01-01', '12:00', '2000-01-01', '2000-01-01 12:00+00', '0 seconds',
	 NULL, 'null', '"s"', '{"\\","\""}', '{-1}')`

// TestResultsCSVIsCopy: a REST result downloaded as CSV is, byte for
// byte, what PostgreSQL's COPY (query) TO STDOUT (FORMAT csv, HEADER)
// writes for the same rows, in TimeZone UTC.
func TestResultsCSVIsCopy(t *testing.T) {
	h := start(t)
	h.connectUpstream("sales", csvTypesTable, csvTypesRows)
	ctx := context.Background()
	up, err := pgx.Connect(ctx, h.Upstream)
	if err != nil {
		t.Fatal(err)
	}
	defer up.Close(ctx)
	if _, err := up.Exec(ctx, "SET TimeZone = 'UTC'"); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		"SELECT * FROM %svals ORDER BY id",
		// One column: \. alone on a line is quoted, as COPY's end marker.
		"SELECT t FROM %svals ORDER BY id",
	} {
		var want bytes.Buffer
		if _, err := up.PgConn().CopyTo(ctx, &want, "COPY ("+strings.Replace(q, "%s", "", 1)+") TO STDOUT (FORMAT csv, HEADER)"); err != nil {
			t.Fatal(err)
		}
		res := h.api("POST", "/v1/query", map[string]any{"sql": strings.Replace(q, "%s", "sales.", 1)}, http.StatusOK)
		got := fetch(t, h.Harness, "/v1/results/"+res["result_id"].(string)+"?format=csv")
		if got.status != 200 || string(got.body) != want.String() {
			t.Errorf("%s: CSV through REST:\n%s\nPostgreSQL's COPY:\n%s", q, got.body, want.String())
		}
	}
}
