package server_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/hotdata-dev/hotdata/internal/hdtest"
)

// TestCatalogEmulation reads the emulated pg_catalog and information_schema
// through pgwire, in both protocols, and checks the session functions.
func TestCatalogEmulation(t *testing.T) {
	h := hdtest.Start(t)
	h.ConnectUpstream("sales", typesTable, typesRows)
	ctx := context.Background()
	for _, mode := range []pgx.QueryExecMode{pgx.QueryExecModeSimpleProtocol, pgx.QueryExecModeCacheStatement} {
		t.Run(mode.String(), func(t *testing.T) {
			cfg, err := pgx.ParseConfig(h.PGURL(testToken, "default", "disable"))
			if err != nil {
				t.Fatal(err)
			}
			cfg.DefaultQueryExecMode = mode
			cfg.User = "bi_user"
			c, err := pgx.ConnectConfig(ctx, cfg)
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close(ctx)

			// Table OIDs agree across pg_class, regclass and pg_attribute.
			var oid, regOID uint32
			var nsp, owner string
			if err := c.QueryRow(ctx, `SELECT c.oid, n.nspname, pg_catalog.pg_get_userbyid(c.relowner), 'sales.public.items'::regclass::oid
				FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE c.relname = 'items'`).Scan(&oid, &nsp, &owner, &regOID); err != nil {
				t.Fatal(err)
			}
			if oid < 16384 || oid != regOID || nsp != "sales.public" || owner != "hotdata" {
				t.Fatalf("pg_class: oid %d, regclass %d, schema %q, owner %q", oid, regOID, nsp, owner)
			}
			rows, err := c.Query(ctx, `SELECT attname, pg_catalog.format_type(atttypid, atttypmod), attnotnull FROM pg_catalog.pg_attribute
				WHERE attrelid = $1 AND attnum > 0 ORDER BY attnum`, oid)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for rows.Next() {
				var name, typ string
				var notNull bool
				if err := rows.Scan(&name, &typ, &notNull); err != nil {
					t.Fatal(err)
				}
				if notNull {
					typ += " not null"
				}
				got = append(got, name+" "+typ)
			}
			if err := rows.Err(); err != nil {
				t.Fatal(err)
			}
			want := "id integer not null|name text|price numeric(12,2)|big bigint|ratio double precision|created timestamp with time zone|active boolean"
			if strings.Join(got, "|") != want {
				t.Errorf("columns:\n got %s\nwant %s", strings.Join(got, "|"), want)
			}
			var cols []string
			rows, _ = c.Query(ctx, `SELECT column_name || ':' || data_type FROM information_schema.columns
				WHERE table_schema = 'sales.public' AND table_name = 'items' ORDER BY ordinal_position`)
			cols, err = pgx.CollectRows(rows, pgx.RowTo[string])
			if err != nil || strings.Join(cols, ",") != "id:integer,name:text,price:numeric,big:bigint,ratio:double precision,created:timestamp with time zone,active:boolean" {
				t.Errorf("information_schema.columns: %v, %v", cols, err)
			}

			// Session values.
			var user, schema, tz, db string
			var schemas []string
			var pid int32
			if err := c.QueryRow(ctx, `SELECT current_user, current_schema(), current_schemas(true), current_setting('TimeZone'), current_database(), pg_backend_pid()`).
				Scan(&user, &schema, &schemas, &tz, &db, &pid); err != nil {
				t.Fatal(err)
			}
			if user != "bi_user" || schema != "sales.public" || strings.Join(schemas, ",") != "pg_catalog,sales.public" || tz != "UTC" || db != "default" || uint32(pid) != c.PgConn().PID() {
				t.Errorf("session values: %q %q %q %q %q %d (pid %d)", user, schema, schemas, tz, db, pid, c.PgConn().PID())
			}
			if _, err := c.Exec(ctx, "SET TimeZone = 'Europe/Paris'"); err != nil {
				t.Fatal(err)
			}
			if err := c.QueryRow(ctx, `SELECT current_setting('timezone')`).Scan(&tz); err != nil || tz != "Europe/Paris" {
				t.Errorf("current_setting after SET: %q, %v", tz, err)
			}
			var missing *string
			if err := c.QueryRow(ctx, `SELECT current_setting('no.such', true)`).Scan(&missing); err != nil || missing != nil {
				t.Errorf("current_setting missing_ok: %v, %v", missing, err)
			}

			// Errors name the problem, with PostgreSQL's SQLSTATE; the session goes on.
			for _, c2 := range []struct{ sql, code string }{
				{"SELECT 'sales.public.nope'::regclass", "42P01"},
				{"SELECT 'nonesuch'::regtype", "42704"},
				{"SELECT * FROM pg_catalog.pg_nonesuch", "42P01"},
				{"SELECT current_setting('no.such')", "42704"},
				{"SELECT * FROM hd_pg.pg.hd_names", "42P01"},
			} {
				_, err := c.Exec(ctx, c2.sql)
				var pe *pgconn.PgError
				if !errors.As(err, &pe) || pe.Code != c2.code {
					t.Errorf("%s: %v, want SQLSTATE %s", c2.sql, err, c2.code)
				}
			}
			var n int
			if err := c.QueryRow(ctx, "SELECT count(*) FROM sales.items").Scan(&n); err != nil || n != 4 {
				t.Errorf("after errors: %d, %v", n, err)
			}
		})
	}
}
