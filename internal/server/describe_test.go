package server_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/hotdata-dev/hotdata/internal/testenv"
)

// describeFixture is an upstream with the keys and indexes psql's \d+
// shows: a primary key under its own name, a unique constraint, a
// unique index, a descending, a partial and a covering index, foreign
// keys with actions, a composite and a self-referencing one, and a
// foreign key to a schema the connection leaves out. No column has a
// default (Hotdata does not carry them).
var describeFixture = []string{
	`CREATE SCHEMA other`,
	`CREATE TABLE other.regions (id integer PRIMARY KEY)`,
	`CREATE TABLE customers (id integer CONSTRAINT customers_pk PRIMARY KEY, email varchar(100) NOT NULL, name text,
		region_id integer REFERENCES other.regions (id),
		CONSTRAINT customers_email_key UNIQUE (email))`,
	`CREATE UNIQUE INDEX customers_lower_name ON customers (lower(name))`,
	`CREATE TABLE orders (id bigint PRIMARY KEY, customer_id integer NOT NULL, status text, total numeric(12,2), placed timestamptz,
		parent_id bigint REFERENCES orders (id) ON DELETE SET NULL,
		CONSTRAINT orders_customer_fkey FOREIGN KEY (customer_id) REFERENCES customers (id) ON UPDATE CASCADE ON DELETE RESTRICT DEFERRABLE INITIALLY DEFERRED)`,
	`CREATE INDEX orders_customer_placed ON orders (customer_id, placed DESC NULLS LAST)`,
	`CREATE INDEX orders_open ON orders (status) WHERE status <> 'done'`,
	`CREATE INDEX orders_covering ON orders USING btree (customer_id) INCLUDE (total)`,
	`CREATE INDEX orders_status_hash ON orders USING hash (status)`,
	`CREATE TABLE order_lines (order_id bigint, line integer, qty integer NOT NULL, PRIMARY KEY (order_id, line))`,
	`CREATE TABLE shipments (id integer PRIMARY KEY, order_id bigint, line integer,
		CONSTRAINT shipments_line_fkey FOREIGN KEY (order_id, line) REFERENCES order_lines (order_id, line) MATCH FULL)`,
}

// TestPsqlDescribe compares psql's \d+ of each table and index through
// Hotdata with psql's \d+ of the same upstream: columns, indexes,
// foreign keys and the tables that reference it are printed alike, but
// for the schema's name.
func TestPsqlDescribe(t *testing.T) {
	psql := tool(t, "psql")
	h := start(t)
	h.Upstream = testenv.Postgres(t)
	testenv.PostgresExec(t, h.Upstream, describeFixture...)
	registerSchemas(t, h, "sales", h.Upstream, "public")

	run := func(url, cmd string) string {
		t.Helper()
		c := exec.Command(psql, url, "-X", "-v", "ON_ERROR_STOP=1", "-c", cmd)
		c.Env = append(os.Environ(), "PGCONNECT_TIMEOUT=10", "PGTZ=UTC")
		out, err := c.CombinedOutput()
		if err != nil {
			t.Fatalf("psql %s: %v\n%s", cmd, err, out)
		}
		return string(out)
	}
	for _, table := range []string{"customers", "orders", "order_lines", "shipments",
		// and the indexes
		"customers_pk", "customers_email_key", "customers_lower_name", "orders_customer_placed", "orders_open", "orders_covering",
		"orders_status_hash"} {
		want := run(h.Upstream, `\d+ public.`+table)
		got := run(h.pgURL(testToken, "default"), `\d+ "sales.public".`+table)
		// Hotdata's schema is "sales.public", and the tables of a
		// foreign key are named with it (see docs/sql.md).
		got = strings.ReplaceAll(got, `"sales.public.`, `"public.`)
		got = strings.ReplaceAll(got, `REFERENCES "sales.public".`, `REFERENCES `)
		if table == "customers" {
			// The key to other.regions: other is not in the workspace.
			if strings.Contains(got, "Foreign-key constraints") || strings.Contains(got, "regions") {
				t.Errorf("a foreign key to a table outside the workspace is shown:\n%s", got)
			}
			want = regexp.MustCompile(`Foreign-key constraints:\n    "customers_region_id_fkey"[^\n]*\n`).ReplaceAllString(want, "")
		}
		// psql centers the title over the table: the longer schema name
		// moves it.
		got, want = trimTitle(got), trimTitle(want)
		if got != want {
			t.Errorf(`\d+ %s through Hotdata:`+"\n%s\nupstream:\n%s", table, got, want)
		}
	}
	// Built-in functions, casts, operators and types, as in PostgreSQL.
	for _, cmd := range []string{`\dfS upper`, `\dfS generate_series`, `\dC int4`} {
		if got, want := run(h.pgURL(testToken, "default"), cmd), run(h.Upstream, cmd); got != want {
			t.Errorf("%s through Hotdata:\n%s\nupstream:\n%s", cmd, got, want)
		}
	}
	// psql reads a.b.c as database.schema.table: the schema is quoted.
	c := exec.Command(psql, h.pgURL(testToken, "default"), "-X", "-c", `\d sales.public.orders`)
	out, _ := c.CombinedOutput()
	if !strings.Contains(string(out), "cross-database references are not implemented") {
		t.Errorf(`\d sales.public.orders: %s`, out)
	}
}

// TestPgDump runs pg_dump --schema-only through Hotdata: it completes,
// and its tables, columns, types, keys and indexes are pg_dump's of the
// upstream but for the schema's name (and owner).
func TestPgDump(t *testing.T) {
	pgDump := tool(t, "pg_dump")
	h := start(t)
	h.Upstream = testenv.Postgres(t)
	testenv.PostgresExec(t, h.Upstream, describeFixture...)
	registerSchemas(t, h, "sales", h.Upstream, "public")

	dump := func(url string) string {
		t.Helper()
		c := exec.Command(pgDump, "--schema-only", "--no-owner", "--dbname", url)
		c.Env = append(os.Environ(), "PGCONNECT_TIMEOUT=10")
		var stderr strings.Builder
		c.Stderr = &stderr
		out, err := c.Output()
		if err != nil {
			t.Fatalf("pg_dump: %v\n%s", err, stderr.String())
		}
		return string(out)
	}
	hd := dump(h.pgURL(testToken, "default"))
	up := dump(h.Upstream)
	if !strings.Contains(hd, `CREATE SCHEMA "sales.public";`) {
		t.Errorf("no CREATE SCHEMA in:\n%s", hd)
	}
	// The statements about the tables of public, in pg_dump's order.
	got := tableStatements(strings.ReplaceAll(hd, `"sales.public".`, "public."), "public.")
	want := tableStatements(up, "public.")
	// other.regions is not in the workspace, nor the key to it.
	want = regexp.MustCompile(`(?s)ALTER TABLE ONLY public.customers\n    ADD CONSTRAINT customers_region_id_fkey [^;]*;\n`).ReplaceAllString(want, "")
	if got != want {
		t.Errorf("pg_dump through Hotdata:\n%s\nupstream:\n%s", got, want)
	}
	for _, s := range []string{"CREATE TABLE public.orders (", "    total numeric(12,2),", "ADD CONSTRAINT customers_pk PRIMARY KEY (id);",
		"FOREIGN KEY (customer_id) REFERENCES public.customers(id) ON UPDATE CASCADE ON DELETE RESTRICT DEFERRABLE INITIALLY DEFERRED;",
		"CREATE INDEX orders_open ON public.orders USING btree (status) WHERE (status <> 'done'::text);"} {
		if !strings.Contains(got, s) {
			t.Errorf("pg_dump through Hotdata lacks %q", s)
		}
	}
}

// tableStatements keeps a dump's CREATE TABLE, ALTER TABLE … ADD
// CONSTRAINT and CREATE INDEX statements on tables of schema (a prefix
// such as "public."), without comments, defaults or owners.
func tableStatements(dump, schema string) string {
	var out []string
	for _, stmt := range strings.Split(dump, ";\n") {
		var lines []string
		for _, l := range strings.Split(stmt, "\n") {
			if l != "" && !strings.HasPrefix(l, "--") {
				lines = append(lines, l)
			}
		}
		s := strings.Join(lines, "\n")
		switch {
		case strings.HasPrefix(s, "CREATE TABLE "+schema), strings.HasPrefix(s, "ALTER TABLE ONLY "+schema) && strings.Contains(s, "ADD CONSTRAINT"),
			strings.HasPrefix(s, "CREATE INDEX"), strings.HasPrefix(s, "CREATE UNIQUE INDEX"):
			out = append(out, s+";\n")
		}
	}
	return strings.Join(out, "")
}

// registerSchemas registers dbURL as connection name, discovering only
// the given schemas.
func registerSchemas(t *testing.T, h *harness, name, dbURL string, schemas ...string) {
	t.Helper()
	u, _ := url.Parse(dbURL)
	port, _ := strconv.Atoi(u.Port())
	h.api("POST", "/v1/secrets", map[string]any{"name": name + "_pw", "value": "unused-with-trust-auth"}, http.StatusCreated)
	body := h.api("POST", "/v1/connections", map[string]any{
		"name": name, "source_type": "postgres", "secret_name": name + "_pw",
		"config": map[string]any{"host": u.Hostname(), "port": port, "user": u.User.Username(), "database": u.Path[1:], "sslmode": "disable",
			"schemas": schemas},
	}, http.StatusCreated)
	if body["discovery_status"] != "succeeded" {
		t.Fatalf("discovery: %v", body)
	}
}

// tool finds a client binary that scripts/test.sh installs.
func tool(t *testing.T, name string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		if testenv.RequireServices() {
			t.Fatalf("%s is not installed (scripts/test.sh installs it)", name)
		}
		t.Skipf("%s is not installed", name)
	}
	return path
}

// trimTitle trims the spaces that center the first line of psql's output.
func trimTitle(s string) string {
	title, rest, _ := strings.Cut(s, "\n")
	return strings.TrimSpace(title) + "\n" + rest
}

// TestInformationSchemaKeys compares information_schema's views of keys
// (what BI tools join on) through Hotdata with the upstream's: primary,
// unique and foreign keys, their columns and referential rules.
func TestInformationSchemaKeys(t *testing.T) {
	h := start(t)
	h.Upstream = testenv.Postgres(t)
	testenv.PostgresExec(t, h.Upstream, describeFixture...)
	registerSchemas(t, h, "sales", h.Upstream, "public")
	ctx := context.Background()
	up, err := pgx.Connect(ctx, h.Upstream)
	if err != nil {
		t.Fatal(err)
	}
	defer up.Close(ctx)
	hd, err := h.pgx(testToken, "default")
	if err != nil {
		t.Fatal(err)
	}
	defer hd.Close(ctx)
	// The key to other.regions is left out: other is not in the workspace.
	const keys = `constraint_type IN ('PRIMARY KEY', 'UNIQUE', 'FOREIGN KEY') AND constraint_name <> 'customers_region_id_fkey'`
	for _, q := range []string{
		`SELECT constraint_schema, constraint_name, table_schema, table_name, constraint_type, is_deferrable, initially_deferred, enforced, nulls_distinct
		FROM information_schema.table_constraints WHERE table_schema = $1 AND ` + keys + ` ORDER BY 2`,
		`SELECT constraint_schema, constraint_name, table_schema, table_name, column_name, ordinal_position, position_in_unique_constraint
		FROM information_schema.key_column_usage WHERE table_schema = $1 AND constraint_name <> 'customers_region_id_fkey' ORDER BY 2, 6`,
		`SELECT constraint_schema, constraint_name, unique_constraint_schema, unique_constraint_name, match_option, update_rule, delete_rule
		FROM information_schema.referential_constraints WHERE constraint_schema = $1 AND constraint_name <> 'customers_region_id_fkey' ORDER BY 2`,
		`SELECT table_schema, table_name, column_name, constraint_schema, constraint_name FROM information_schema.constraint_column_usage
		WHERE constraint_schema = $1 AND constraint_name IN (SELECT constraint_name FROM information_schema.table_constraints WHERE ` + keys + `)
		ORDER BY 5, 3`,
	} {
		want := joinedRows(t, up, q, "public")
		got := joinedRows(t, hd, q, "sales.public")
		for i := range got {
			got[i] = strings.ReplaceAll(got[i], "sales.public", "public")
		}
		if strings.Join(got, "\n") != strings.Join(want, "\n") || len(want) == 0 {
			t.Errorf("%s\nthrough Hotdata:\n%s\nupstream:\n%s", q, strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	}
}

// joinedRows runs q and returns each row's values joined by |.
func joinedRows(t *testing.T, c *pgx.Conn, q string, args ...any) []string {
	t.Helper()
	rows, err := c.Query(context.Background(), q, args...)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		vals, err := rows.Values()
		if err != nil {
			t.Fatal(err)
		}
		parts := make([]string, len(vals))
		for i, v := range vals {
			parts[i] = fmt.Sprint(v)
		}
		out = append(out, strings.Join(parts, "|"))
	}
	if err := rows.Err(); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return out
}

// TestTypeLoading: the catalog query Ruby pg's type maps run (a join of
// pg_type with pg_proc on typinput) answers as PostgreSQL for every type
// Hotdata has, in both protocols.
func TestTypeLoading(t *testing.T) {
	h := start(t)
	ctx := context.Background()
	up, err := pgx.Connect(ctx, testenv.Postgres(t))
	if err != nil {
		t.Fatal(err)
	}
	defer up.Close(ctx)
	const q = `SELECT t.oid, t.typname, t.typelem, t.typdelim, ti.proname AS typinput
		FROM pg_type as t JOIN pg_proc as ti ON ti.oid = t.typinput`
	for _, mode := range []pgx.QueryExecMode{pgx.QueryExecModeSimpleProtocol, pgx.QueryExecModeCacheStatement} {
		cfg, err := pgx.ParseConfig(h.pgURL(testToken, "default"))
		if err != nil {
			t.Fatal(err)
		}
		cfg.DefaultQueryExecMode = mode
		hd, err := pgx.ConnectConfig(ctx, cfg)
		if err != nil {
			t.Fatal(err)
		}
		got := joinedRows(t, hd, q+" ORDER BY 1")
		hd.Close(ctx)
		var oids []uint32
		for _, r := range got {
			n, _ := strconv.ParseUint(strings.SplitN(r, "|", 2)[0], 10, 32)
			oids = append(oids, uint32(n))
		}
		want := joinedRows(t, up, q+" WHERE t.oid = ANY($1) ORDER BY 1", oids)
		if len(got) < 100 || strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("%v: %d types through Hotdata, %d upstream; first differences:\n%s", mode, len(got), len(want), firstDiff(got, want))
		}
	}
}

// firstDiff shows the first rows where a and b differ.
func firstDiff(a, b []string) string {
	for i := 0; i < len(a) || i < len(b); i++ {
		var x, y string
		if i < len(a) {
			x = a[i]
		}
		if i < len(b) {
			y = b[i]
		}
		if x != y {
			return fmt.Sprintf("row %d: %q\n     vs %q", i, x, y)
		}
	}
	return ""
}
