package server_test

import (
	"context"
	"errors"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// TestNotFoundAndDatetimeErrors: unknown type names, names looked up
// when a statement runs, and bad date and time parameters fail with
// PostgreSQL's SQLSTATE and message (checked against PostgreSQL 15), in
// both protocols.
func TestNotFoundAndDatetimeErrors(t *testing.T) {
	h := start(t)
	h.connectUpstream("sales", `CREATE TABLE events (id integer PRIMARY KEY, day date, at timestamptz)`,
		`INSERT INTO events VALUES (1, '2024-01-01', '2024-01-01 10:00+00')`)
	ctx := context.Background()
	for _, mode := range []pgx.QueryExecMode{pgx.QueryExecModeSimpleProtocol, pgx.QueryExecModeDescribeExec} {
		t.Run(mode.String(), func(t *testing.T) {
			cfg, err := pgx.ParseConfig(h.pgURL(testToken, "default"))
			if err != nil {
				t.Fatal(err)
			}
			cfg.DefaultQueryExecMode = mode
			c, err := pgx.ConnectConfig(ctx, cfg)
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close(ctx)
			for _, tc := range []struct {
				sql        string
				args       []any
				code, msg  string
				simpleOnly bool
			}{
				{sql: "SELECT 'x'::nosuchtype", code: "42704", msg: `type "nosuchtype" does not exist`},
				{sql: "SELECT CAST(NULL AS pg_catalog.nosuchtype)", code: "42704", msg: `type "pg_catalog.nosuchtype" does not exist`},
				{sql: "SELECT 'nosuchtype'::regtype", code: "42704", msg: `type "nosuchtype" does not exist`},
				{sql: "SELECT pg_catalog.format_type('nosuchtype'::regtype, NULL)", code: "42704", msg: `type "nosuchtype" does not exist`},
				{sql: "SELECT $1::text::regtype", args: []any{"nosuchtype"}, code: "42704", msg: `type "nosuchtype" does not exist`},
				{sql: "SELECT $1::text::regclass", args: []any{"nope"}, code: "42P01", msg: `relation "nope" does not exist`, simpleOnly: true},
				{sql: "PREPARE p(nosuchtype) AS SELECT $1", code: "42704", msg: `type "nosuchtype" does not exist`, simpleOnly: true},
				{sql: "SELECT count(*) FROM sales.events WHERE day > $1", args: []any{"nonsense"}, code: "22007", msg: `invalid input syntax for type date: "nonsense"`},
				{sql: "SELECT count(*) FROM sales.events WHERE day > $1", args: []any{"2024-13-45"}, code: "22008", msg: `date/time field value out of range: "2024-13-45"`},
				{sql: "SELECT count(*) FROM sales.events WHERE at > $1", args: []any{"yesterday-ish"}, code: "22007"},
				{sql: "SELECT '2024-02-30'::date", code: "22008", msg: `date/time field value out of range: "2024-02-30"`},
			} {
				if tc.simpleOnly && mode != pgx.QueryExecModeSimpleProtocol {
					continue
				}
				_, err := c.Exec(ctx, tc.sql, tc.args...)
				var pe *pgconn.PgError
				if !errors.As(err, &pe) || pe.Code != tc.code || tc.msg != "" && pe.Message != tc.msg {
					t.Errorf("%s %v: %v, want %s %s", tc.sql, tc.args, err, tc.code, tc.msg)
				}
			}
			var n int
			if err := c.QueryRow(ctx, "SELECT count(*) FROM sales.events WHERE day >= $1", "2024-01-01").Scan(&n); err != nil || n != 1 {
				t.Errorf("a good date after the bad ones: %d, %v", n, err)
			}
		})
	}
}
