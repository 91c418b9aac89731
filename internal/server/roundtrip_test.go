package server_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/hotdata-dev/hotdata/internal/hdtest"
)

// pgRoundTrip has a column of every PostgreSQL type the connector maps,
// with boundary values.
var pgRoundTrip = []string{
	`CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy ✓')`,
	`CREATE DOMAIN money2 AS numeric(10,2) CHECK (VALUE > -1000000)`,
	`CREATE DOMAIN short_text AS varchar(8)`,
	`CREATE TABLE rt (
		id int PRIMARY KEY,
		i2 int2, i4 int4, i8 int8, f4 float4, f8 float8,
		n numeric(38,10), nu numeric, n0 numeric(5,0),
		t text, vc varchar(12), c char(5), b bool, by bytea,
		d date, tm time, ts timestamp(6), tstz timestamptz, iv interval,
		u uuid, j json, jb jsonb, e mood, dm money2, ds short_text,
		ia int[], ta text[], na numeric(6,2)[], tsa timestamptz[], ba bool[])`,
	`INSERT INTO rt VALUES
		(1, -32768, -2147483648, -9223372036854775808, -3.4e38, -1.7976931348623157e308,
		 -1234567890123456789012345678.0123456789, -0.000000000000000000000000001, -99999,
		 'ünïcode "quoted" \ back', 'twelve chars', 'ab', false, '\x00ff10',
		 '0001-01-01', '00:00:00', '1970-01-01 00:00:00', '1999-12-31 23:59:59.999999+05:30', '-1 year -2 mons -3 days -04:05:06.789',
		 '00000000-0000-0000-0000-000000000000', '{"a": [1, 2, {"b": null}]}', '{"z": 1, "a": "ü"}', 'sad', -999999.99, '',
		 '{-2147483648,0,2147483647}', '{"a b","",NULL,"q\"uote"}', '{-9999.99,0.01}', '{"2024-03-01 12:30:45+00"}', '{t,f,NULL}'),
		(2, 32767, 2147483647, 9223372036854775807, 3.4e38, 1.7976931348623157e308,
		 1234567890123456789012345678.0123456789, 123456789012345678901234567890.123456789, 99999,
		 '', 'x', 'abcde', true, '',
		 '9999-12-31', '23:59:59.999999', '2262-04-11 23:47:16.854775', '2024-02-29 12:00:00+00', '178000000 years',
		 'ffffffff-ffff-ffff-ffff-ffffffffffff', '[]', '[]', 'happy ✓', 0.01, 'eight ch',
		 '{}', '{}', '{}', '{}', '{}'),
		(3, 0, 0, 0, 1.5, 0.1, 0, 0, 0, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, '1 day 00:00:00.000001',
		 NULL, 'null', 'null', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
		(4, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
		 NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)`,
}

// textRows reads a query's rows as PostgreSQL's text output (simple
// protocol), NULL as "<NULL>", with the column names and type OIDs.
func textRows(t *testing.T, url, sql string) (cols []string, rows [][]string) {
	t.Helper()
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		t.Fatal(err)
	}
	cfg.DefaultQueryExecMode = pgx.QueryExecModeSimpleProtocol
	c, err := pgx.ConnectConfig(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(context.Background())
	res := c.PgConn().Exec(context.Background(), sql)
	all, err := res.ReadAll()
	if err != nil || len(all) != 1 || all[0].Err != nil {
		t.Fatalf("%s: %v %v", sql, err, all)
	}
	for _, f := range all[0].FieldDescriptions {
		cols = append(cols, f.Name)
	}
	for _, r := range all[0].Rows {
		row := make([]string, len(r))
		for i, v := range r {
			if v == nil {
				row[i] = "<NULL>"
			} else {
				row[i] = string(v)
			}
		}
		rows = append(rows, row)
	}
	return cols, rows
}

// TestPostgresTypeRoundTrip: every value written upstream reads back
// through Hotdata (from the cache) as PostgreSQL prints it.
func TestPostgresTypeRoundTrip(t *testing.T) {
	h := hdtest.Start(t)
	h.ConnectUpstream("up", pgRoundTrip...)
	const q = "SELECT * FROM rt ORDER BY id"
	wantCols, want := textRows(t, h.Upstream, q)
	for _, read := range []string{"first read (sync)", "cached read"} {
		gotCols, got := textRows(t, h.PGURL(testToken, "default", "disable"), "SELECT * FROM up.rt ORDER BY id")
		if strings.Join(gotCols, ",") != strings.Join(wantCols, ",") {
			t.Fatalf("%s: columns %v, want %v", read, gotCols, wantCols)
		}
		if len(got) != len(want) {
			t.Fatalf("%s: %d rows, want %d", read, len(got), len(want))
		}
		for i := range want {
			for j := range want[i] {
				if got[i][j] != want[i][j] {
					t.Errorf("%s: row %d column %s: got %q, want %q", read, i+1, wantCols[j], got[i][j], want[i][j])
				}
			}
		}
	}
	// Expressions over the cached values behave as PostgreSQL's do:
	// character(n) comparisons ignore the padding, intervals with a
	// field qualifier mean that field.
	for _, q := range []string{
		"SELECT id FROM rt WHERE c = 'ab' ORDER BY id",
		"SELECT id, length(c), c || '|', c::text FROM rt ORDER BY id",
		"SELECT id FROM rt WHERE c IN ('ab', 'zz') OR c LIKE 'abc%' ORDER BY id",
		"SELECT id, d + interval '1' year, d - interval '3' month, ts + interval '2' day, ts + interval '90' minute FROM rt ORDER BY id",
	} {
		_, want := textRows(t, h.Upstream, q)
		_, got := textRows(t, h.PGURL(testToken, "default", "disable"), strings.Replace(q, "FROM rt", "FROM up.rt", 1))
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%s:\n got %q\nwant %q", q, got, want)
		}
	}
}
