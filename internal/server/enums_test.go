package server_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/hotdata-dev/hotdata/internal/testenv"
)

// enumFixture is an upstream with its own types: an enum, an array of
// it, domains over an integer and over the enum.
var enumFixture = []string{
	`CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy')`,
	`CREATE DOMAIN posint AS integer CHECK (VALUE > 0)`,
	`CREATE DOMAIN mood_d AS mood`,
	`CREATE TABLE feelings (id integer PRIMARY KEY, m mood, ms mood[], n posint, md mood_d)`,
	`INSERT INTO feelings VALUES (1, 'happy', '{sad,happy}', 3, 'ok'), (2, 'sad', NULL, 1, NULL), (3, NULL, '{}', NULL, 'happy'),
		(4, 'ok', '{ok,NULL}', 7, 'sad')`,
}

// TestUpstreamEnums: pgx (text and binary results, parameters of the
// enum) and psql (\dT, \d) see an upstream's enum and domains through
// Hotdata's cache as the upstream shows them: the enum's OID in
// RowDescription, its labels as values, its sort order, its catalog rows.
func TestUpstreamEnums(t *testing.T) {
	h := start(t)
	h.Upstream = testenv.Postgres(t)
	testenv.PostgresExec(t, h.Upstream, enumFixture...)
	registerSchemas(t, h, "shop", h.Upstream, "public")
	ctx := context.Background()
	up, err := pgconn.Connect(ctx, h.Upstream)
	if err != nil {
		t.Fatal(err)
	}
	defer up.Close(ctx)
	hd, err := pgconn.Connect(ctx, h.pgURL(testToken, "default"))
	if err != nil {
		t.Fatal(err)
	}
	defer hd.Close(ctx)

	// answer runs q with the extended protocol, every result column in
	// format, and prints the description and the raw values.
	answer := func(c *pgconn.PgConn, q string, format int16, params ...string) string {
		t.Helper()
		var args [][]byte
		for _, p := range params {
			args = append(args, []byte(p))
		}
		res := c.ExecParams(ctx, q, args, nil, nil, []int16{format}).Read()
		if res.Err != nil {
			return "error " + res.Err.(*pgconn.PgError).Code
		}
		var b strings.Builder
		for _, f := range res.FieldDescriptions {
			fmt.Fprintf(&b, "%s:%d:%d:%d ", f.Name, f.DataTypeOID, f.TypeModifier, f.DataTypeSize)
		}
		for _, r := range res.Rows {
			b.WriteString("\n")
			for _, v := range r {
				if v == nil {
					b.WriteString("NULL|")
				} else {
					fmt.Fprintf(&b, "%x|", v)
				}
			}
		}
		return b.String()
	}
	for _, q := range []struct {
		sql    string
		params []string
	}{
		{sql: `SELECT id, m, ms, n, md FROM feelings ORDER BY m NULLS FIRST, id`},
		{sql: `SELECT m, count(*) FROM feelings GROUP BY m ORDER BY m DESC`},
		{sql: `SELECT id FROM feelings WHERE m = $1 ORDER BY id`, params: []string{"ok"}},
		{sql: `SELECT id FROM feelings WHERE m >= $1 ORDER BY id`, params: []string{"ok"}},
		{sql: `SELECT id FROM feelings WHERE m = $1`, params: []string{"angry"}},
		{sql: `SELECT min(m), max(m), enum_range(NULL::mood), 'happy'::mood > 'sad', pg_typeof(m)::text FROM feelings GROUP BY m ORDER BY m LIMIT 1`},
		{sql: `SELECT to_json(m), ms::text, md::text FROM feelings ORDER BY id`},
	} {
		for _, format := range []int16{0, 1} {
			want := answer(up, strings.ReplaceAll(q.sql, "feelings", "public.feelings"), format, q.params...)
			got := answer(hd, q.sql, format, q.params...)
			if got != want {
				t.Errorf("%s (format %d) through Hotdata:\n%s\nupstream:\n%s", q.sql, format, got, want)
			}
		}
	}

	// The catalog rows drivers look types up by (pgjdbc, psycopg,
	// asyncpg read pg_type and pg_enum by OID and name).
	for _, q := range []string{
		`SELECT t.oid, t.typname, t.typtype, t.typcategory, t.typlen, t.typbyval, t.typelem, t.typarray, t.typbasetype, t.typtypmod,
			t.typnotnull, t.typinput::oid, t.typoutput::oid, t.typreceive::oid, t.typsend::oid, t.typdelim
			FROM pg_catalog.pg_type t WHERE t.typname IN ('mood', '_mood', 'posint', '_posint', 'mood_d') ORDER BY t.typname`,
		`SELECT e.enumlabel, e.enumsortorder FROM pg_catalog.pg_enum e JOIN pg_catalog.pg_type t ON t.oid = e.enumtypid
			WHERE t.typname = 'mood' ORDER BY e.enumsortorder`,
		`SELECT 'mood'::regtype::oid, to_regtype('mood')::oid, format_type('mood'::regtype, NULL), 'mood[]'::regtype::text,
			format_type('posint'::regtype, -1)`,
		`SELECT column_name, data_type, udt_name, domain_name FROM information_schema.columns WHERE table_name = 'feelings' ORDER BY ordinal_position`,
		`SELECT a.attname, a.atttypid, a.atttypmod, format_type(a.atttypid, a.atttypmod) FROM pg_catalog.pg_attribute a
			JOIN pg_catalog.pg_class c ON c.oid = a.attrelid WHERE c.relname = 'feelings' AND a.attnum > 0 ORDER BY a.attnum`,
	} {
		if got, want := answer(hd, q, 0), answer(up, q, 0); got != want {
			t.Errorf("%s through Hotdata:\n%s\nupstream:\n%s", q, got, want)
		}
	}

	// pgx itself, with the enum as a string in both directions.
	conn, err := pgx.Connect(ctx, h.pgURL(testToken, "default"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var ids []int32
	rows, err := conn.Query(ctx, `SELECT id, m FROM feelings WHERE m <> $1 ORDER BY m`, "ok")
	if err != nil {
		t.Fatal(err)
	}
	var labels []string
	for rows.Next() {
		var id int32
		var m string
		if err := rows.Scan(&id, &m); err != nil {
			t.Fatal(err)
		}
		ids, labels = append(ids, id), append(labels, m)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(ids, labels) != "[2 1] [sad happy]" {
		t.Errorf("pgx: %v %v, want [2 1] [sad happy]", ids, labels)
	}

	// psql's \dT and \d, unaligned (Hotdata's schema is "shop.public").
	psql := tool(t, "psql")
	run := func(url, cmd string) string {
		t.Helper()
		c := exec.Command(psql, url, "-X", "-A", "-v", "ON_ERROR_STOP=1", "-c", cmd)
		c.Env = append(os.Environ(), "PGCONNECT_TIMEOUT=10", "PGTZ=UTC")
		out, err := c.CombinedOutput()
		if err != nil {
			t.Fatalf("psql %s: %v\n%s", cmd, err, out)
		}
		return string(out)
	}
	for _, cmd := range [][2]string{{`\dT`, `\dT`}, {`\dT+ mood`, `\dT+ "shop.public".mood`}, {`\d public.feelings`, `\d "shop.public".feelings`}} {
		want := run(h.Upstream, cmd[0])
		got := strings.ReplaceAll(run(h.pgURL(testToken, "default"), cmd[1]), "shop.public", "public")
		if strings.HasPrefix(cmd[0], `\dT`) {
			// The owner is Hotdata's.
			want = strings.ReplaceAll(want, "|postgres|", "|hotdata|")
		}
		if got != want {
			t.Errorf("%s through Hotdata:\n%s\nupstream:\n%s", cmd[1], got, want)
		}
	}
}
