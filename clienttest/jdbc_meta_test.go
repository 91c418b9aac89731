package clienttest

import (
	"fmt"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"
)

// jdbcMeta is what java/HotdataMeta.java printed: each DatabaseMetaData
// call's rows (column label -> getString, nil for NULL) or its error.
type jdbcMeta struct {
	DatabaseProduct string                        `json:"database_product"`
	Catalogs        jdbcRows                      `json:"catalogs"`
	Schemas         jdbcRows                      `json:"schemas"`
	SchemasLike     jdbcRows                      `json:"schemas_like"`
	Tables          jdbcRows                      `json:"tables"`
	TableTypes      jdbcRows                      `json:"table_types"`
	Columns         jdbcRows                      `json:"columns"`
	PrimaryKeys     jdbcRows                      `json:"primary_keys"`
	IndexInfo       jdbcRows                      `json:"index_info"`
	TypeInfo        jdbcRows                      `json:"type_info"`
	SQLKeywords     struct{ Value, Error string } `json:"sql_keywords"`
}

type jdbcRows struct {
	Rows  []map[string]*string `json:"rows"`
	Error string               `json:"error"`
}

// get is a row's value as text ("<NULL>" for NULL).
func get(row map[string]*string, col string) string {
	v, ok := row[col]
	switch {
	case !ok:
		return "(no column " + col + ")"
	case v == nil:
		return biNull
	}
	return *v
}

// TestJDBCMetadata reads pgjdbc's DatabaseMetaData of the fixture
// (java/HotdataMeta.java) through Hotdata and from the upstream, checks
// Hotdata's answers and compares them with PostgreSQL's: the same rows
// but for the schema's name ("src.public" for "public") and the
// database's.
func TestJDBCMetadata(t *testing.T) {
	javac := tool(t, "javac", "default-jdk-headless")
	java := tool(t, "java", "default-jdk-headless")
	needFile(t, jdbcJar, "pgjdbc", "libpostgresql-jdbc-java")
	e := start(t)
	classes := t.TempDir()
	run(t, 2*time.Minute, baseEnv(), "", javac, "-encoding", "UTF-8", "-d", classes, "-cp", jdbcJar,
		filepath.Join(srcDir(t), "java", "HotdataClient.java"), filepath.Join(srcDir(t), "java", "HotdataMeta.java"))
	read := func(t *testing.T, ci connInfo, schema string) *jdbcMeta {
		t.Helper()
		env := append(baseEnv(), ci.Env()...)
		out := run(t, 2*time.Minute, env, "", java, "-Dfile.encoding=UTF-8", "-Dsun.stdout.encoding=UTF-8",
			"-cp", classes+string(filepath.ListSeparator)+jdbcJar, "HotdataMeta", schema)
		var m jdbcMeta
		decode(t, out, &m)
		return &m
	}
	up := read(t, e.upstream(), "public")
	hdCI := e.hotdata("disable")
	hd := read(t, hdCI, "src.public")

	// norm reads a Hotdata row as the upstream would have it, without
	// the columns in skip.
	norm := func(rows []map[string]*string, db string, skip ...string) []string {
		var out []string
		for _, r := range rows {
			var fields []string
			for k, v := range r {
				if slices.Contains(skip, k) {
					continue
				}
				s := biNull
				if v != nil {
					s = *v
					if s == db {
						s = "<database>"
					}
					if s == "src.public" {
						s = "public"
					}
				}
				fields = append(fields, k+"="+s)
			}
			sort.Strings(fields)
			out = append(out, strings.Join(fields, " "))
		}
		return out
	}
	// same compares a call's rows with the upstream's, in order (or as
	// sets, for a call whose order PostgreSQL leaves to its heap), but
	// for the columns in skip.
	same := func(t *testing.T, what string, h, u jdbcRows, keep func(map[string]*string) bool, unordered bool, skip ...string) {
		t.Helper()
		if h.Error != "" || u.Error != "" {
			t.Fatalf("%s: hotdata error %q, upstream error %q", what, h.Error, u.Error)
		}
		filter := func(rows []map[string]*string) []map[string]*string {
			var out []map[string]*string
			for _, r := range rows {
				if keep == nil || keep(r) {
					out = append(out, r)
				}
			}
			return out
		}
		g, w := norm(filter(h.Rows), hdCI.DB, skip...), norm(filter(u.Rows), e.upstream().DB, skip...)
		if unordered {
			sort.Strings(g)
			sort.Strings(w)
		}
		if !reflect.DeepEqual(g, w) {
			t.Errorf("%s through Hotdata:\n  %s\nfrom PostgreSQL:\n  %s", what, strings.Join(g, "\n  "), strings.Join(w, "\n  "))
		}
	}
	noError := func(t *testing.T, what string, r jdbcRows) {
		t.Helper()
		if r.Error != "" {
			t.Fatalf("%s: %s", what, r.Error)
		}
		if len(r.Rows) == 0 {
			t.Fatalf("%s returned no rows", what)
		}
	}

	if hd.DatabaseProduct != "PostgreSQL" {
		t.Errorf("getDatabaseProductName = %q", hd.DatabaseProduct)
	}
	t.Run("getCatalogs", func(t *testing.T) {
		noError(t, "getCatalogs", hd.Catalogs)
		var cats []string
		for _, r := range hd.Catalogs.Rows {
			cats = append(cats, get(r, "table_cat"))
		}
		if fmt.Sprint(cats) != "[default]" {
			t.Errorf("getCatalogs = %v, want [default] (the workspace)", cats)
		}
		same(t, "getCatalogs", hd.Catalogs, up.Catalogs, nil, false)
	})
	t.Run("getSchemas", func(t *testing.T) {
		noError(t, "getSchemas", hd.Schemas)
		var names []string
		for _, r := range hd.Schemas.Rows {
			names = append(names, get(r, "table_schem"))
		}
		if want := "[information_schema pg_catalog src.public]"; fmt.Sprint(names) != want {
			t.Errorf("getSchemas = %v, want %s", names, want)
		}
		same(t, "getSchemas", hd.Schemas, up.Schemas, nil, false)
		noError(t, "getSchemas(null, \"src%\")", hd.SchemasLike)
		if len(hd.SchemasLike.Rows) != 1 || get(hd.SchemasLike.Rows[0], "table_schem") != "src.public" {
			t.Errorf("getSchemas(null, \"src%%\") = %v", norm(hd.SchemasLike.Rows, ""))
		}
		same(t, "getSchemas(null, pattern)", hd.SchemasLike, up.SchemasLike, nil, false)
	})
	t.Run("getTables", func(t *testing.T) {
		noError(t, "getTables", hd.Tables)
		var names []string
		for _, r := range hd.Tables.Rows {
			names = append(names, get(r, "table_schem")+"."+get(r, "table_name")+":"+get(r, "table_type"))
		}
		if want := "[src.public.alltypes:TABLE src.public.big:TABLE src.public.keywords:TABLE]"; fmt.Sprint(names) != want {
			t.Errorf("getTables = %v, want %s", names, want)
		}
		same(t, "getTables", hd.Tables, up.Tables, nil, false)
		same(t, "getTableTypes", hd.TableTypes, up.TableTypes, nil, false)
	})
	t.Run("getColumns", func(t *testing.T) {
		noError(t, "getColumns", hd.Columns)
		byName := map[string]map[string]*string{}
		var names []string
		for _, r := range hd.Columns.Rows {
			byName[get(r, "column_name")] = r
			names = append(names, get(r, "column_name"))
		}
		if strings.Join(names, ",") != strings.Join(columnNames(), ",") {
			t.Errorf("getColumns names %v, want %v", names, columnNames())
		}
		// java.sql.Types: INTEGER 4, NUMERIC 2, VARCHAR 12, CHAR 1, BIT -7,
		// TIMESTAMP 93, ARRAY 2003, OTHER 1111.
		for _, c := range []struct{ col, dataType, typeName, size, digits, nullable, isNullable, position string }{
			{"id", "4", "int4", "10", "0", "0", "NO", "1"},
			{"b", "-7", "bool", "1", "0", "1", "YES", "2"},
			{"n", "2", "numeric", "20", "6", "1", "YES", "8"},
			{"vc", "12", "varchar", "12", "0", "1", "YES", "10"},
			{"c", "1", "bpchar", "5", "0", "1", "YES", "11"},
			{"tstz", "93", "timestamptz", "35", "6", "1", "YES", "16"},
			{"u", "1111", "uuid", "2147483647", "0", "1", "YES", "18"},
			{"iarr", "2003", "_int4", "10", "0", "1", "YES", "21"},
		} {
			r := byName[c.col]
			if r == nil {
				t.Errorf("getColumns has no column %s", c.col)
				continue
			}
			got := []string{get(r, "data_type"), get(r, "type_name"), get(r, "column_size"), get(r, "decimal_digits"),
				get(r, "nullable"), get(r, "is_nullable"), get(r, "ordinal_position"), get(r, "table_schem"), get(r, "table_name")}
			want := []string{c.dataType, c.typeName, c.size, c.digits, c.nullable, c.isNullable, c.position, "src.public", "alltypes"}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("getColumns %s: DATA_TYPE, TYPE_NAME, COLUMN_SIZE, DECIMAL_DIGITS, NULLABLE, IS_NULLABLE, ORDINAL_POSITION, TABLE_SCHEM, TABLE_NAME = %q, want %q",
					c.col, got, want)
			}
		}
		same(t, "getColumns", hd.Columns, up.Columns, nil, false)
	})
	t.Run("getPrimaryKeys", func(t *testing.T) {
		noError(t, "getPrimaryKeys", hd.PrimaryKeys)
		var keys []string
		for _, r := range hd.PrimaryKeys.Rows {
			keys = append(keys, strings.Join([]string{get(r, "table_schem"), get(r, "table_name"), get(r, "column_name"), get(r, "key_seq"), get(r, "pk_name")}, " "))
		}
		if want := "[src.public alltypes id 1 alltypes_pkey]"; fmt.Sprint(keys) != want {
			t.Errorf("getPrimaryKeys = %v, want %s", keys, want)
		}
		same(t, "getPrimaryKeys", hd.PrimaryKeys, up.PrimaryKeys, nil, false)
		noError(t, "getIndexInfo", hd.IndexInfo)
		// CARDINALITY and PAGES are the index's statistics (reltuples,
		// relpages), which are the upstream's own.
		same(t, "getIndexInfo", hd.IndexInfo, up.IndexInfo, nil, false, "cardinality", "pages")
	})
	t.Run("getTypeInfo", func(t *testing.T) {
		noError(t, "getTypeInfo", hd.TypeInfo)
		byName := map[string]map[string]*string{}
		for _, r := range hd.TypeInfo.Rows {
			byName[get(r, "type_name")] = r
		}
		for _, c := range []struct{ name, dataType, precision, caseSensitive, maxScale, prefix string }{
			{"int4", "4", "0", "f", "0", biNull},
			{"text", "12", "0", "t", "0", "'"},
			{"numeric", "2", "1000", "f", "1000", biNull},
			{"varchar", "12", "10485760", "t", "0", "'"},
			{"bool", "-7", "0", "f", "0", "'"},
			{"timestamptz", "93", "6", "f", "0", "'"},
		} {
			r := byName[c.name]
			if r == nil {
				t.Errorf("getTypeInfo has no %s", c.name)
				continue
			}
			got := []string{get(r, "data_type"), get(r, "precision"), get(r, "case_sensitive"), get(r, "maximum_scale"),
				get(r, "literal_prefix"), get(r, "nullable"), get(r, "searchable")}
			want := []string{c.dataType, c.precision, c.caseSensitive, c.maxScale, c.prefix, "1", "3"}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("getTypeInfo %s: DATA_TYPE, PRECISION, CASE_SENSITIVE, MAXIMUM_SCALE, LITERAL_PREFIX, NULLABLE, SEARCHABLE = %q, want %q", c.name, got, want)
			}
		}
		// PostgreSQL lists more types (its catalogs' row types, and the
		// upstream's tables' row types): the built-in types Hotdata
		// lists must be described as PostgreSQL describes them. (Not
		// _pg_user_mappings: in PostgreSQL an information_schema view's
		// row type has that name too, which pgjdbc finds first.)
		builtin := func(r map[string]*string) bool {
			return byName[get(r, "type_name")] != nil && get(r, "type_name") != "_pg_user_mappings"
		}
		same(t, "getTypeInfo", hd.TypeInfo, up.TypeInfo, builtin, true)
	})
	t.Run("getSQLKeywords", func(t *testing.T) {
		if hd.SQLKeywords.Error != "" {
			t.Fatalf("getSQLKeywords: %s", hd.SQLKeywords.Error)
		}
		if !strings.Contains(","+hd.SQLKeywords.Value+",", ",analyze,") || hd.SQLKeywords.Value != up.SQLKeywords.Value {
			t.Errorf("getSQLKeywords through Hotdata %q, from PostgreSQL %q", hd.SQLKeywords.Value, up.SQLKeywords.Value)
		}
	})
}
