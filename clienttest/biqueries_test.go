package clienttest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/hotdata-dev/hotdata/pgcatalog"
)

// biTarget is a database the BI tools' queries run against: Hotdata, or
// the upstream PostgreSQL holding the same fixture, which is the
// reference for what every query returns.
type biTarget struct {
	label string
	ci    connInfo
	// schema is the fixture's schema as the tools see it: "src.public"
	// through Hotdata, "public" upstream.
	schema string
	// quotedSchema is the schema as quote_ident prints it.
	quotedSchema string
	// OIDs of the fixture's schema, of alltypes and of its primary key
	// index, looked up as the tools look them up.
	schemaOID, tableOID, indexOID int64
}

// biCase is one fixture file of testdata/bi_queries and how to run and
// check it.
type biCase struct {
	// name is the subtest's name; file defaults to name + ".sql".
	name, file string
	// args are the values bound to $1, $2…
	args func(tg *biTarget) []any
	// subst are the {{name}} texts the tool pastes into the query.
	subst func(tg *biTarget) map[string]string
	// setup runs on the session first (a SET the user could make).
	setup func(tg *biTarget) []string
	// compare lists the columns whose values must be the same through
	// Hotdata as upstream (as multisets of rows, Hotdata's schema name
	// read as upstream's). An empty list compares the number of rows;
	// noUpstream skips the comparison (and the column names').
	compare    []string
	keep       func(row map[string]string) bool
	noUpstream bool
	// want lists values Hotdata's result must have in a column, so that
	// a comparison of two empty results cannot pass unnoticed.
	want map[string][]string
	// rows is the number of rows Hotdata must return, if set.
	rows *int
}

// biNull stands for NULL in the text of a result.
const biNull = "<NULL>"

// biResult is a query's result as text: column names and rows.
type biResult struct {
	cols []string
	rows [][]string
}

func (r *biResult) maps() []map[string]string {
	out := make([]map[string]string, len(r.rows))
	for i, row := range r.rows {
		m := map[string]string{}
		for j, c := range r.cols {
			if _, dup := m[c]; !dup { // c.oid, c.* has two oid columns
				m[c] = row[j]
			}
		}
		out[i] = m
	}
	return out
}

var biModes = []struct {
	name string
	mode pgx.QueryExecMode
}{
	// Parameters quoted into the text by the client.
	{"simple", pgx.QueryExecModeSimpleProtocol},
	// Named server-side statements with the parameter types the server
	// infers (pgx's default; Grafana's backend).
	{"prepared", pgx.QueryExecModeCacheStatement},
	// One unnamed statement whose parameters carry the client's types
	// (int8 for a Java long, text for a string), as pgjdbc sends them.
	{"typed", pgx.QueryExecModeExec},
}

func biCases() []biCase {
	schemaArg := func(tg *biTarget) []any { return []any{tg.schema} }
	schemaOID := func(tg *biTarget) []any { return []any{tg.schemaOID} }
	tableOID := func(tg *biTarget) []any { return []any{tg.tableOID} }
	fixtureTables := []string{"alltypes", "big", "keywords"}
	searchPath := func(tg *biTarget) []string {
		return []string{"SET search_path = " + tg.quotedSchema}
	}
	return []biCase{
		// DBeaver
		{name: "dbeaver_database", args: func(tg *biTarget) []any { return []any{tg.ci.DB} },
			compare: []string{"datallowconn", "datistemplate", "datconnlimit"}, rows: rowCount(1)},
		{name: "dbeaver_context", compare: []string{"current_schema"}, rows: rowCount(1),
			want: map[string][]string{"current_schema": {"public"}, "session_user": {"admin"}}},
		{name: "dbeaver_search_path", compare: []string{"search_path"}, rows: rowCount(1)},
		{name: "dbeaver_schemas", compare: []string{"nspname"},
			keep: func(r map[string]string) bool { return !strings.HasPrefix(r["nspname"], "pg_toast") },
			want: map[string][]string{"nspname": {"pg_catalog", "information_schema", "public"}}},
		{name: "dbeaver_schema_id", args: schemaArg, compare: []string{}, rows: rowCount(1)},
		{name: "dbeaver_roles", noUpstream: true, want: map[string][]string{"rolname": {"hotdata"}, "rolcanlogin": {"t"}}},
		{name: "dbeaver_data_types", compare: []string{"typname", "typlen", "typtype", "typcategory", "typelem", "base_type_name", "relkind"},
			keep: func(r map[string]string) bool {
				switch r["typname"] {
				case "int4", "int8", "text", "numeric", "varchar", "bpchar", "bool", "_int4", "_text", "timestamptz", "uuid", "jsonb", "bytea":
					return true
				}
				return false
			},
			want: map[string][]string{"typname": {"int4", "_text", "numeric"}}},
		{name: "dbeaver_tables", args: schemaOID,
			compare: []string{"relname", "relkind", "relnatts", "relhasindex", "relpersistence", "relispartition", "partition_expr", "partition_key", "description"},
			want:    map[string][]string{"relname": fixtureTables}, rows: rowCount(3)},
		{name: "dbeaver_columns", args: tableOID,
			compare: []string{"relname", "attname", "atttypid", "attlen", "attnum", "atttypmod", "attnotnull", "attndims", "attbyval",
				"attalign", "attstorage", "attcollation", "atthasdef", "attisdropped", "def_value", "description", "objid"},
			keep: func(r map[string]string) bool { return !strings.HasPrefix(r["attnum"], "-") }, // system columns
			want: map[string][]string{"attname": columnNames(), "attnotnull": {"t", "f"}}},
		{name: "dbeaver_constraints", args: tableOID,
			compare: []string{"conname", "contype", "condeferrable", "condeferred", "convalidated", "conkey", "confkey", "tabrelname", "refnamespace", "description", "consrc_copy"},
			want:    map[string][]string{"conname": {"alltypes_pkey"}, "conkey": {"{1}"}}, rows: rowCount(1)},
		// Not indkey (int2vector): PostgreSQL writes "1 2", Hotdata's
		// pgwire writes the engine's array {1,2} (a wire/ matter).
		{name: "dbeaver_indexes", args: tableOID,
			compare: []string{"relname", "indnatts", "indnkeyatts", "indisunique", "indisprimary", "tabrelname", "relam", "pred_expr", "expr", "description"},
			want:    map[string][]string{"relname": {"alltypes_pkey"}}, rows: rowCount(1)},
		{name: "dbeaver_index_column", args: func(tg *biTarget) []any { return []any{tg.indexOID, 1} },
			compare: []string{"pg_get_indexdef"}, want: map[string][]string{"pg_get_indexdef": {"id"}}, rows: rowCount(1)},
		{name: "dbeaver_procedures", args: schemaOID, compare: []string{}, rows: rowCount(0)},
		{name: "dbeaver_statistics", args: schemaOID, compare: []string{}, rows: rowCount(4)},
		{name: "dbeaver_inheritance", args: schemaOID, compare: []string{}, rows: rowCount(0)},
		{name: "dbeaver_default_acl", args: schemaOID, compare: []string{}, rows: rowCount(0)},
		{name: "dbeaver_extensions"},
		{name: "dbeaver_access_methods", compare: []string{"amname", "amtype", "amhandler"}, want: map[string][]string{"amname": {"btree", "heap"}}},
		{name: "dbeaver_encodings"},
		{name: "dbeaver_tablespaces", compare: []string{"spcname", "loc"}, want: map[string][]string{"spcname": {"pg_default"}}},
		{name: "dbeaver_database_description", args: func(tg *biTarget) []any { return []any{tg.ci.DB} }, compare: []string{}, rows: rowCount(0)},

		// pgjdbc's keyword list, which DBeaver reads on connect.
		{name: "pgjdbc_sql_keywords", compare: []string{"string_agg"}, rows: rowCount(1)},

		// Grafana
		// Hotdata reports the PostgreSQL version its catalog comes from (pgcatalog.ServerVersion).
		{name: "grafana_version", noUpstream: true, want: map[string][]string{"version": {pgcatalog.ServerVersionNum[:len(pgcatalog.ServerVersionNum)-2]}}, rows: rowCount(1)},
		{name: "grafana_timescaledb", compare: []string{}, rows: rowCount(0)},
		{name: "grafana_schemas", compare: []string{"name"}, want: map[string][]string{"name": {"public"}}, rows: rowCount(1)},
		{name: "grafana_schema_tables", subst: func(tg *biTarget) map[string]string { return map[string]string{"schema": tg.quotedSchema} },
			compare: []string{"table"}, want: map[string][]string{"table": fixtureTables}, rows: rowCount(3)},
		// Grafana lists the search_path's tables unqualified, the others
		// qualified with the quoted schema.
		{name: "grafana_tables", noUpstream: true,
			want: map[string][]string{"table": {`"src.public".alltypes`, `"src.public".big`, `"src.public".keywords`}}, rows: rowCount(3)},
		{name: "grafana_tables/search_path", file: "grafana_tables.sql", setup: searchPath,
			compare: []string{"table"}, want: map[string][]string{"table": fixtureTables}, rows: rowCount(3)},
		{name: "grafana_columns/search_path", file: "grafana_columns.sql", setup: searchPath,
			subst:   func(tg *biTarget) map[string]string { return map[string]string{"table": "alltypes"} },
			compare: []string{"column", "type"}, want: map[string][]string{"column": columnNames(), "type": {"numeric", "character varying", "ARRAY"}}},
		// Grafana compares quote_ident(table_schema) with the unquoted
		// schema parse_ident returns: PostgreSQL finds no column of a
		// table whose schema needs quotes, and neither does Hotdata.
		{name: "grafana_columns/qualified", file: "grafana_columns.sql", noUpstream: true,
			subst: func(tg *biTarget) map[string]string { return map[string]string{"table": `"src.public".alltypes`} }, rows: rowCount(0)},
		{name: "grafana_sql_schemas", compare: []string{"schema_name"}, want: map[string][]string{"schema_name": {"public"}}, rows: rowCount(1)},
		{name: "grafana_sql_tables", args: schemaArg, compare: []string{"table_name"}, want: map[string][]string{"table_name": fixtureTables}, rows: rowCount(3)},
		{name: "grafana_sql_columns", args: func(tg *biTarget) []any { return []any{tg.schema, "alltypes"} },
			compare: []string{"column_name", "data_type", "udt_name", "numeric_precision", "numeric_scale"},
			want:    map[string][]string{"column_name": columnNames(), "numeric_precision": {"20"}, "numeric_scale": {"6"}}, rows: rowCount(len(columns))},
		{name: "grafana_sql_column_values", subst: func(tg *biTarget) map[string]string { return map[string]string{"schema": tg.quotedSchema} },
			compare: []string{"col_name", "val"}, want: map[string][]string{"val": {"1", "2", "3", "varchar", "x"}}, rows: rowCount(5)},

		// Metabase
		{name: "metabase_timezone", noUpstream: true, rows: rowCount(1)},
		{name: "metabase_enum_types", compare: []string{}, rows: rowCount(0)},
		// Hotdata is read-only: SELECT only (upstream, the superuser
		// may do everything).
		{name: "metabase_table_privileges", compare: []string{"role", "schema", "table", "select"},
			want: map[string][]string{"table": fixtureTables, "select": {"t"}, "update": {"f"}, "insert": {"f"}, "delete": {"f"}}, rows: rowCount(3)},
		{name: "metabase_tables", args: func(tg *biTarget) []any { return []any{0, "^pg_", "information_schema", tg.schema} },
			compare: []string{"schema", "name", "type", "description"}, want: map[string][]string{"name": fixtureTables, "type": {"TABLE"}}, rows: rowCount(3)},
		{name: "metabase_fields", args: func(tg *biTarget) []any { return []any{tg.schema, "alltypes", tg.schema, "alltypes"} },
			compare: []string{"name", "database-type", "database-position", "table-schema", "table-name", "pk?", "field-comment",
				"database-required", "database-is-auto-increment"},
			want: map[string][]string{"name": columnNames(), "database-type": {"int4", "numeric", "varchar", "_int4"}, "pk?": {"t", "f"},
				"database-required": {"t", "f"}}, rows: rowCount(len(columns))},
		{name: "metabase_fks", args: func(tg *biTarget) []any { return []any{"alltypes", tg.schema} }, compare: []string{}, rows: rowCount(0)},
		{name: "metabase_indexes", args: func(tg *biTarget) []any { return []any{tg.schema, "alltypes", 1} },
			compare: []string{"table-schema", "table-name", "field-name"}, want: map[string][]string{"field-name": {"id"}}, rows: rowCount(1)},
	}
}

// TestBIQueries runs the introspection queries of DBeaver, Grafana and
// Metabase (testdata/bi_queries) against Hotdata and the upstream, over
// the simple protocol, named prepared statements and typed parameters.
func TestBIQueries(t *testing.T) {
	e := start(t)
	ctx := context.Background()
	hd := &biTarget{label: "hotdata", ci: e.hotdata("disable"), schema: "src.public", quotedSchema: `"src.public"`}
	up := &biTarget{label: "upstream", ci: e.upstream(), schema: "public", quotedSchema: "public"}
	for _, tg := range []*biTarget{hd, up} {
		conn := pgxConnect(t, tg.ci, pgx.QueryExecModeSimpleProtocol)
		lookup := func(q string, args ...any) int64 {
			var oid int64
			if err := conn.QueryRow(ctx, q, args...).Scan(&oid); err != nil {
				t.Fatalf("%s: %s: %v", tg.label, q, err)
			}
			return oid
		}
		tg.schemaOID = lookup("SELECT oid::int8 FROM pg_catalog.pg_namespace WHERE nspname = $1", tg.schema)
		const rel = "SELECT c.oid::int8 FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relname = $2"
		tg.tableOID = lookup(rel, tg.schema, "alltypes")
		tg.indexOID = lookup(rel, tg.schema, "alltypes_pkey")
	}
	for _, c := range biCases() {
		t.Run(c.name, func(t *testing.T) {
			if c.file == "" {
				c.file = c.name + ".sql"
			}
			text, err := os.ReadFile(filepath.Join(srcDir(t), "testdata", "bi_queries", c.file))
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(string(text), "-- ") {
				t.Fatalf("%s does not start with a comment naming its source", c.file)
			}
			var ref *biResult
			for _, m := range biModes {
				t.Run(m.name, func(t *testing.T) {
					got, err := biRun(ctx, t, hd, c, string(text), m.mode)
					if err != nil {
						t.Fatalf("through Hotdata: %v", err)
					}
					checkBIResult(t, c, got)
					if c.noUpstream {
						return
					}
					if ref == nil {
						if ref, err = biRun(ctx, t, up, c, string(text), m.mode); err != nil {
							t.Fatalf("upstream reference: %v", err)
						}
					}
					compareBIResults(t, c, got, ref)
				})
			}
		})
	}
}

// biRun runs one case's query on a fresh session of tg.
func biRun(ctx context.Context, t *testing.T, tg *biTarget, c biCase, text string, mode pgx.QueryExecMode) (*biResult, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	conn := pgxConnect(t, tg.ci, mode)
	if c.setup != nil {
		for _, s := range c.setup(tg) {
			if _, err := conn.Exec(ctx, s, pgx.QueryExecModeSimpleProtocol); err != nil {
				return nil, fmt.Errorf("%s: %w", s, err)
			}
		}
	}
	if c.subst != nil {
		for k, v := range c.subst(tg) {
			text = strings.ReplaceAll(text, "{{"+k+"}}", strings.ReplaceAll(v, "'", "''"))
		}
	}
	if strings.Contains(text, "{{") {
		return nil, fmt.Errorf("%s: a {{placeholder}} is left", c.file)
	}
	// Every value as text: PostgreSQL's text form is what both sides
	// must agree on.
	args := []any{mode, pgx.QueryResultFormats{pgx.TextFormatCode}}
	if c.args != nil {
		args = append(args, c.args(tg)...)
	}
	rows, err := conn.Query(ctx, text, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	res := &biResult{}
	for _, f := range rows.FieldDescriptions() {
		res.cols = append(res.cols, f.Name)
	}
	for rows.Next() {
		raw := rows.RawValues()
		row := make([]string, len(raw))
		for i, v := range raw {
			row[i] = biNull
			if v != nil {
				row[i] = string(v)
			}
		}
		res.rows = append(res.rows, row)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return res, nil
}

// hotdataToUpstream reads a Hotdata value as the upstream names it.
func hotdataToUpstream(v string) string {
	return strings.ReplaceAll(strings.ReplaceAll(v, `"src.public"`, "public"), "src.public", "public")
}

// checkBIResult checks Hotdata's result on its own: well formed, with
// the rows and values the case wants.
func checkBIResult(t *testing.T, c biCase, got *biResult) {
	t.Helper()
	if len(got.cols) == 0 {
		t.Fatalf("no result columns")
	}
	for i, row := range got.rows {
		if len(row) != len(got.cols) {
			t.Fatalf("row %d has %d values for %d columns", i+1, len(row), len(got.cols))
		}
	}
	if c.rows != nil && len(got.rows) != *c.rows {
		t.Errorf("%d rows, want %d: %s", len(got.rows), *c.rows, clip([]byte(fmt.Sprint(got.rows))))
	}
	rows := got.maps()
	for col, vals := range c.want {
		seen := map[string]bool{}
		present := false
		for _, r := range rows {
			if v, ok := r[col]; ok {
				present = true
				seen[v] = true
				seen[hotdataToUpstream(v)] = true
			}
		}
		if !present && len(rows) > 0 {
			t.Errorf("no column %q in %v", col, got.cols)
			continue
		}
		for _, v := range vals {
			if !seen[v] {
				t.Errorf("column %q has no value %q: %v", col, v, keys(seen))
			}
		}
	}
}

// compareBIResults compares Hotdata's result with the upstream's: the
// same columns, and the same values in the compared ones.
func compareBIResults(t *testing.T, c biCase, got, ref *biResult) {
	t.Helper()
	if !reflect.DeepEqual(got.cols, ref.cols) {
		t.Errorf("columns differ from PostgreSQL's:\nhotdata  %q\nupstream %q", got.cols, ref.cols)
	}
	if c.compare == nil {
		return
	}
	project := func(res *biResult, mapNames bool) []string {
		var out []string
		for _, r := range res.maps() {
			if c.keep != nil && !c.keep(r) {
				continue
			}
			vals := make([]string, len(c.compare))
			for i, col := range c.compare {
				v, ok := r[col]
				if !ok {
					v = "(no column " + col + ")"
				}
				if mapNames {
					v = hotdataToUpstream(v)
				}
				vals[i] = v
			}
			out = append(out, strings.Join(vals, " | "))
		}
		sort.Strings(out)
		return out
	}
	g, w := project(got, true), project(ref, false)
	if !reflect.DeepEqual(g, w) {
		t.Errorf("%v differ from PostgreSQL's:\nhotdata:\n  %s\nupstream:\n  %s", c.compare, strings.Join(g, "\n  "), strings.Join(w, "\n  "))
	}
}

func rowCount(k int) *int { return &k }

func keys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
