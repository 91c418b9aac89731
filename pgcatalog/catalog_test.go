package pgcatalog

import (
	"database/sql"
	"strings"
	"testing"
	"time"

	_ "github.com/duckdb/duckdb-go/v2"
	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/hotdata-dev/hotdata/internal/testenv"
)

var testWorkspace = Workspace{
	Database: "default", Owner: "hotdata", Roles: []string{"alice"},
	Tables: []Table{
		{ID: "t1", Schema: "sales.public", Name: "orders", PrimaryKey: []string{"id"}, RowEstimate: 10, Comment: "all orders",
			Columns: []Column{
				{Name: "id", DataType: "integer", TypeOID: 23},
				{Name: "note", DataType: "character varying(12)", TypeOID: 1043, Nullable: true},
				{Name: "amount", DataType: "numeric(12,2)", TypeOID: 1700, Nullable: true},
				{Name: "at", DataType: "timestamp(3) with time zone", TypeOID: 1184, Nullable: true},
				{Name: "mood", DataType: "mood", TypeOID: 99999, Nullable: true},
				{Name: "tags", DataType: "text[]", TypeOID: 1009, Nullable: true},
			}},
		{ID: "t2", Schema: "shop.shop", Name: "Items", Columns: []Column{{Name: "sku", DataType: "varchar(20)"}, {Name: "qty", DataType: "int(11) unsigned"}}},
	},
}

func openCatalog(t *testing.T) *sql.DB {
	t.Helper()
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	t.Cleanup(func() { db.Close() })
	start := time.Now()
	for _, s := range append(Setup(time.Unix(0, 0)), Fill(testWorkspace)...) {
		if _, err := db.Exec(s); err != nil {
			t.Fatalf("%.200s: %v", s, err)
		}
	}
	t.Logf("setup and fill: %v", time.Since(start))
	return db
}

func query(t *testing.T, db *sql.DB, q string) [][]string {
	t.Helper()
	q = strings.NewReplacer("pg_catalog.", "hd_pg.pg.", "information_schema.", "hd_pg.info.").Replace(q)
	rows, err := db.Query(q)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var out [][]string
	for rows.Next() {
		vals := make([]sql.NullString, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		row := make([]string, len(cols))
		for i, v := range vals {
			row[i] = v.String
			if !v.Valid {
				row[i] = "NULL"
			}
		}
		out = append(out, row)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestCatalogQueries(t *testing.T) {
	db := openCatalog(t)
	for _, c := range []struct{ q, want string }{
		{"SELECT nspname FROM pg_catalog.pg_namespace ORDER BY 1", "information_schema|pg_catalog|sales.public|shop.shop"},
		{"SELECT n.nspname, c.relname, c.relkind FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace ORDER BY 2",
			"shop.shop,Items,r|sales.public,orders,r|sales.public,orders_pkey,i"},
		{"SELECT a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod), a.attnotnull FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_class c ON c.oid = a.attrelid WHERE c.relname = 'orders' ORDER BY a.attnum",
			"id,integer,true|note,character varying(12),false|amount,numeric(12,2),false|at,timestamp(3) with time zone,false|mood,text,false|tags,text[],false"},
		{"SELECT a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod) FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_class c ON c.oid = a.attrelid WHERE c.relname = 'Items' ORDER BY a.attnum",
			"sku,character varying(20)|qty,bigint"},
		{"SELECT pg_catalog.format_type(1043, -1), pg_catalog.format_type(1015, 14), pg_catalog.format_type(1114, 3), pg_catalog.format_type(12345678, -1), pg_catalog.format_type(NULL, -1)",
			"character varying,character varying(10)[],timestamp(3) without time zone,???,NULL"},
		// regproc columns hold OIDs, as in PostgreSQL: they join with
		// pg_proc (Ruby pg's and Npgsql's type loading), and print as
		// names.
		{"SELECT typname, typtype, typinput, pg_catalog.hd_regproc_out(typinput), pg_catalog.hd_regproc_out(typsubscript) FROM pg_catalog.pg_type WHERE oid IN (1186, 3802, 1007) ORDER BY oid",
			"_int4,b,750,array_in,array_subscript_handler|interval,b,1160,interval_in,-|jsonb,b,3806,jsonb_in,jsonb_subscript_handler"},
		{"SELECT t.typname, ti.proname FROM pg_catalog.pg_type t JOIN pg_catalog.pg_proc ti ON ti.oid = t.typinput WHERE t.oid IN (16, 1043) ORDER BY 1",
			"bool,boolin|varchar,varcharin"},
		{"SELECT pg_catalog.hd_regproc_out(aggfnoid), pg_catalog.hd_regproc_out(aggtransfn), pg_catalog.hd_regprocedure_out(aggfnoid) FROM pg_catalog.pg_aggregate WHERE aggfnoid = 2147",
			"pg_catalog.count,int8inc_any,count(\"any\")"},
		{"SELECT pg_catalog.pg_get_function_result(p.oid), pg_catalog.pg_get_function_arguments(p.oid), p.prokind FROM pg_catalog.pg_proc p WHERE p.oid IN (870, 1066, 3464) ORDER BY p.oid",
			"text,text,f|SETOF integer,integer, integer, integer,f|interval,years integer DEFAULT 0, months integer DEFAULT 0, weeks integer DEFAULT 0, days integer DEFAULT 0, hours integer DEFAULT 0, mins integer DEFAULT 0, secs double precision DEFAULT 0.0,f"},
		{"SELECT o.oprname, pg_catalog.hd_regproc_out(o.oprcode), c.castcontext FROM pg_catalog.pg_operator o, pg_catalog.pg_cast c WHERE o.oid = 96 AND c.castsource = 23 AND c.casttarget = 20",
			"=,int4eq,i"},
		{"SELECT pg_catalog.pg_get_constraintdef(oid), contype, CAST(conkey AS VARCHAR) FROM pg_catalog.pg_constraint", "PRIMARY KEY (id),p,[1]"},
		// A function's arguments are the caller's columns, even where the
		// function's own lookup reads a table with columns of that name.
		{"SELECT a.attname, pg_catalog.pg_get_indexdef(a.attrelid, a.attnum, true), pg_catalog.format_type(atttypid, atttypmod) FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_class c ON c.oid = a.attrelid WHERE c.relname = 'orders_pkey'", "id,id,integer"},
		{"SELECT pg_catalog.pg_get_userbyid(oid), pg_catalog.hd_regrole_out(oid) FROM pg_catalog.pg_roles ORDER BY 1", "alice,alice|hotdata,hotdata"},
		{"SELECT pg_catalog.pg_get_indexdef(indexrelid, 0, true), pg_catalog.pg_get_indexdef(indexrelid, 1, true) FROM pg_catalog.pg_index",
			`CREATE UNIQUE INDEX orders_pkey ON "sales.public".orders USING btree (id),id`},
		{"SELECT pg_catalog.obj_description(c.oid, 'pg_class'), pg_catalog.pg_get_userbyid(c.relowner) FROM pg_catalog.pg_class c WHERE relname = 'orders'", "all orders,hotdata"},
		{"SELECT column_name, data_type, character_maximum_length, numeric_precision, numeric_scale, is_nullable FROM information_schema.columns WHERE table_name = 'orders' ORDER BY ordinal_position",
			"id,integer,NULL,32,0,NO|note,character varying,12,NULL,NULL,YES|amount,numeric,NULL,12,2,YES|at,timestamp with time zone,NULL,NULL,NULL,YES|mood,text,NULL,NULL,NULL,YES|tags,ARRAY,NULL,NULL,NULL,YES"},
		{"SELECT table_schema, table_name, table_type FROM information_schema.tables ORDER BY 2", "shop.shop,Items,BASE TABLE|sales.public,orders,BASE TABLE"},
		{"SELECT pg_catalog.to_regclass('\"sales.public\".orders') IS NOT NULL, pg_catalog.to_regclass('nope') IS NULL, pg_catalog.to_regtype('integer'), pg_catalog.to_regtype('int4')", "true,true,23,23"},
		{"SELECT pg_catalog.current_database(), pg_catalog.has_table_privilege('x', 'SELECT'), pg_catalog.pg_encoding_to_char(6), pg_catalog.pg_size_pretty(20480)", "default,true,UTF8,20 kB"},
		{"SELECT rolname, rolsuper FROM pg_catalog.pg_roles ORDER BY 1", "alice,false|hotdata,true"},
		{"SELECT datname, pg_catalog.pg_encoding_to_char(encoding) FROM pg_catalog.pg_database", "default,UTF8"},
		{"SELECT amname FROM pg_catalog.pg_am WHERE oid = 403", "btree"},
		{"SELECT pg_catalog.hd_regtype_out(1186), pg_catalog.hd_regclass_out(c.oid) FROM pg_catalog.pg_class c WHERE relname = 'orders'", "interval,orders"},
		// A relation by its name, qualified or not, as PostgreSQL's
		// regclass input reads it; NULL stays NULL.
		{`SELECT pg_catalog.to_regclass('"sales.public".orders') = c.oid, pg_catalog.to_regclass('sales.public.orders') = c.oid,
			pg_catalog.to_regclass('ORDERS') = c.oid, pg_catalog.to_regclass('"shop.shop".orders') IS NULL, pg_catalog.to_regclass('"Items"') IS NOT NULL,
			pg_catalog.to_regclass('items') IS NULL, pg_catalog.to_regclass('PG_CATALOG.pg_class'), pg_catalog.to_regclass('orders_pkey') IS NOT NULL,
			pg_catalog.hd_regclass_in(NULL) IS NULL
			FROM pg_catalog.pg_class c WHERE relname = 'orders'`, "true,true,true,true,true,true,1259,true,true"},
		{`SELECT CAST(pg_catalog.parse_ident('"sales.public".Orders') AS VARCHAR), pg_catalog.parse_ident('a."b""c".D', false)[2],
			pg_catalog.parse_ident('a."b""c".D')[3], pg_catalog.parse_ident('x')[1]`, `[sales.public, orders],b"c,d,x`},
		{`SELECT pg_catalog.quote_literal('it''s'), pg_catalog.quote_literal('a\b'), pg_catalog.quote_literal(NULL) IS NULL,
			pg_catalog.quote_nullable(NULL), pg_catalog.quote_nullable(42), pg_catalog.hd_format_ident('Mixed Case')`,
			`'it''s',E'a\\b',true,NULL,'42',"Mixed Case"`},
		// Reading is granted, writing is not.
		{`SELECT pg_catalog.has_table_privilege('"sales.public".orders', 'SELECT'), pg_catalog.has_table_privilege('alice', 'orders', 'select, insert'),
			pg_catalog.has_table_privilege('orders', 'INSERT'), pg_catalog.has_any_column_privilege('x', 'orders', 'update'),
			pg_catalog.has_table_privilege('orders', 'DELETE, TRUNCATE'), pg_catalog.has_schema_privilege('sales.public', 'USAGE'),
			pg_catalog.has_schema_privilege('alice', 'sales.public', 'CREATE'), pg_catalog.has_database_privilege('default', 'CONNECT'),
			pg_catalog.has_table_privilege('orders', 'SELECT WITH GRANT OPTION'), pg_catalog.pg_has_role('hotdata', 'MEMBER')`,
			"true,true,false,false,false,true,false,true,true,true"},
		// information_schema._pg_expandarray: each element and its
		// position, as pgjdbc and Metabase read a primary key's columns.
		{`SELECT (hd_pg.info._pg_expandarray(i.indkey)).n, (hd_pg.info._pg_expandarray(i.indkey)).x FROM pg_catalog.pg_index i`, "1,1"},
		{`SELECT e.n, e.x FROM (SELECT hd_pg.info._pg_expandarray(CAST([7, 9, 8] AS SMALLINT[])) AS e) ORDER BY e.n`, "1,7|2,9|3,8"},
		{"SELECT pg_catalog.pg_stat_get_numscans(i.indexrelid) FROM pg_catalog.pg_index i", "0"},
		// quote_ident quotes what PostgreSQL's does: reserved words too.
		{`SELECT pg_catalog.quote_ident('orders'), pg_catalog.quote_ident('select'), pg_catalog.quote_ident('year'), pg_catalog.quote_ident('a$b'),
			pg_catalog.quote_ident('sales.public'), pg_catalog.quote_ident('Items'), pg_catalog.quote_ident('_x1')`,
			`orders,"select",year,"a$b","sales.public","Items",_x1`},
		{`SELECT pg_catalog.hd_any_eq(1, [2, 1]), pg_catalog.hd_any_eq(3, [2, 1]), pg_catalog.hd_any_eq(3, [2, NULL]), pg_catalog.hd_any_eq(NULL, [1]),
			pg_catalog.hd_any_eq('x', CAST([] AS VARCHAR[])), pg_catalog.hd_any_eq(1, NULL)`, "true,false,NULL,NULL,false,NULL"},
		{`SELECT pg_catalog.hd_vector_out(proargtypes), pg_catalog.hd_vector_out(CAST([] AS UINTEGER[])) FROM pg_catalog.pg_proc WHERE oid = 177`, "23 23,"},
		// psql's \d reads a table's partition ancestors (itself) both ways.
		{`SELECT pg_catalog.pg_partition_ancestors(7), (SELECT count(*) FROM pg_catalog.pg_partition_ancestors(7) WITH ORDINALITY AS a(relid, depth) WHERE a.relid = 7 AND a.depth = 1)`, "7,1"},
		// x::regtype[] of an oid[] (pgcli's function list).
		{`SELECT CAST(pg_catalog.hd_regtype_array_out(proargtypes) AS VARCHAR), CAST(pg_catalog.hd_regtype_array_out(CAST([] AS UINTEGER[])) AS VARCHAR),
			pg_catalog.hd_regtype_array_out(NULL) IS NULL FROM pg_catalog.pg_proc WHERE oid = 1066`, "[integer, integer, integer],[],true"},
		// What pg_dump reads.
		{`SELECT CAST(pg_catalog.acldefault('f', 10) AS VARCHAR), CAST(pg_catalog.acldefault('c', 10) AS VARCHAR), CAST(pg_catalog.acldefault('r', 10) AS VARCHAR)`,
			"['=X/hotdata', 'hotdata=X/hotdata'],[],['hotdata=arwdDxt/hotdata']"},
		{`SELECT option_name, option_value FROM pg_catalog.pg_options_to_table(['fillfactor=70', 'a=b=c', 'x']) ORDER BY 1`, "a,b=c|fillfactor,70|x,NULL"},
		{`SELECT count(*) FROM pg_catalog.pg_options_to_table(CAST(NULL AS VARCHAR[]))`, "0"},
		{`SELECT CAST(pg_catalog.array_remove(['a', 'b', NULL, 'a'], 'a') AS VARCHAR), CAST(pg_catalog.array_remove(['a', NULL], NULL) AS VARCHAR)`, "[b, NULL],[a]"},
		{"SELECT word, catcode, barelabel, catdesc FROM pg_catalog.pg_get_keywords() WHERE word IN ('select', 'year', 'between') ORDER BY 1",
			"between,C,true,unreserved (cannot be function or type name)|select,R,true,reserved|year,U,false,unreserved"},
	} {
		var got []string
		for _, row := range query(t, db, c.q) {
			got = append(got, strings.Join(row, ","))
		}
		if g := strings.Join(got, "|"); g != c.want {
			t.Errorf("%s\n got %s\nwant %s", c.q, g, c.want)
		}
	}
}

// TestBuiltinFunctions compares what the catalog prints of every
// built-in function (regproc, regprocedure, pg_get_function_result,
// _arguments, _identity_arguments) with what PostgreSQL prints.
func TestBuiltinFunctions(t *testing.T) {
	url := testenv.Postgres(t)
	pgdb, err := sql.Open("pgx", url)
	if err != nil {
		t.Fatal(err)
	}
	defer pgdb.Close()
	pgdb.SetMaxOpenConns(1)
	if _, err := pgdb.Exec("SET search_path = pg_catalog"); err != nil {
		t.Fatal(err)
	}
	rows, err := pgdb.Query(`SELECT oid, oid::regproc::text, oid::regprocedure::text, pg_get_function_result(oid),
		pg_get_function_arguments(oid), pg_get_function_identity_arguments(oid), pg_get_function_sqlbody(oid) FROM pg_proc WHERE pronamespace = 11 ORDER BY 1`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var p procInfo
		if err := rows.Scan(&p.oid, &p.regproc, &p.regprocedure, &p.result, &p.arguments, &p.identityArguments, &p.sqlBody); err != nil {
			t.Fatal(err)
		}
		n++
		i, ok := procByOID[p.oid]
		if !ok {
			t.Errorf("function %d (%s) is missing", p.oid, p.regprocedure)
			continue
		}
		got := procs[i]
		got.name = ""
		if (got.sqlBody == nil) != (p.sqlBody == nil) || got.sqlBody != nil && *got.sqlBody != *p.sqlBody {
			t.Errorf("function %d: SQL body %v, want %v", p.oid, got.sqlBody, p.sqlBody)
		}
		got.sqlBody, p.sqlBody = nil, nil
		if got != p {
			t.Errorf("function %d:\n got %+v\nwant %+v", p.oid, got, p)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if n != len(procs) || n < 3000 {
		t.Errorf("%d functions in PostgreSQL, %d in the catalog", n, len(procs))
	}
	for name, want := range map[string]int{"array_in": 1, "pg_catalog.array_in": 1, "sum": 8, "int4pl(integer, integer)": 1, "int4pl(int4,int4)": 1,
		"length(text)": 1, "public.length": 0, "nosuch": 0, `"char"(integer)`: 1} {
		if got := ProcOIDs(name); len(got) != want {
			t.Errorf("ProcOIDs(%q) = %v, want %d", name, got, want)
		}
	}
}

// TestIndexNamesUnique: index names are unique in a schema, as
// PostgreSQL's relation names (MySQL's are unique only in a table).
func TestIndexNamesUnique(t *testing.T) {
	ix := func(name string) Index {
		return Index{Name: name, Method: "btree", KeyColumns: 1, Columns: []IndexColumn{{Name: "id"}}}
	}
	ws := Workspace{Database: "d", Owner: "hotdata", Tables: []Table{
		{ID: "a", Schema: "crm.crm", Name: "a", PrimaryKey: []string{"id"}, Columns: []Column{{Name: "id", DataType: "int"}}, Indexes: []Index{ix("code_key"), ix("b")}},
		{ID: "b", Schema: "crm.crm", Name: "b", PrimaryKey: []string{"id"}, Columns: []Column{{Name: "id", DataType: "int"}}, Indexes: []Index{ix("code_key")}},
	}}
	b := newBuilder(ws)
	b.build()
	var names []string
	for _, r := range b.tables["pg_catalog.pg_class"].rows {
		names = append(names, r["relname"].(string))
	}
	if got := strings.Join(names, ","); got != "a,a_pkey,code_key,a_b,b,b_pkey,b_code_key" {
		t.Errorf("relation names: %s", got)
	}
}

func TestRegInError(t *testing.T) {
	db := openCatalog(t)
	_, err := db.Exec("SELECT hd_pg.pg.hd_regclass_in('nope')")
	if err == nil || !strings.Contains(err.Error(), `relation "nope" does not exist`) {
		t.Fatalf("err = %v", err)
	}
}

func TestQuoteIdent(t *testing.T) {
	for in, want := range map[string]string{"orders": "orders", "select": `"select"`, "year": "year", "user": `"user"`,
		"sales.public": `"sales.public"`, "$user": `"$user"`, "Mixed": `"Mixed"`, `a"b`: `"a""b"`, "": `""`, "x1_": "x1_"} {
		if got := QuoteIdent(in); got != want {
			t.Errorf("QuoteIdent(%q) = %s, want %s", in, got, want)
		}
	}
}

func TestOIDsStable(t *testing.T) {
	a := assignOIDs([]string{"table\x00t1", "table\x00t2"})
	b := assignOIDs([]string{"table\x00t2", "x", "table\x00t1"})
	if a.get("table\x00t1") != b.get("table\x00t1") || a.get("table\x00t1") < firstNormalOID {
		t.Fatalf("OIDs differ: %d %d", a.get("table\x00t1"), b.get("table\x00t1"))
	}
}

func TestTypeOID(t *testing.T) {
	for name, want := range map[string]uint32{
		"integer": 23, "int4": 23, "pg_catalog.int4": 23, "character varying(10)": 1043, "text[]": 1009, "_text": 1009,
		"timestamp(3) with time zone": 1184, "timestamp without time zone": 1114, `"char"`: 18, "char": 1042, "double precision": 701,
	} {
		if got, ok := TypeOID(name); !ok || got != want {
			t.Errorf("TypeOID(%q) = %d, %v; want %d", name, got, ok, want)
		}
	}
}
