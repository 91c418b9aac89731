package clienttest

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/hotdata-dev/hotdata/pgcatalog"
)

// saResult is what python/sa_client.py printed. Each step holds its
// result or {"error": …}.
type saResult struct {
	SQLAlchemy   string          `json:"sqlalchemy"`
	Pandas       string          `json:"pandas"`
	Inspect      json.RawMessage `json:"inspect"`
	Connect      json.RawMessage `json:"connect"`
	Schemas      json.RawMessage `json:"schemas"`
	Tables       json.RawMessage `json:"tables"`
	Views        json.RawMessage `json:"views"`
	HasTable     json.RawMessage `json:"has_table"`
	Columns      json.RawMessage `json:"columns"`
	PK           json.RawMessage `json:"pk"`
	ForeignKeys  json.RawMessage `json:"foreign_keys"`
	Unique       json.RawMessage `json:"unique_constraints"`
	TableComment json.RawMessage `json:"table_comment"`
	ReadSQL      json.RawMessage `json:"read_sql"`
	ReadTable    json.RawMessage `json:"read_sql_table"`
	Warnings     []string        `json:"warnings"`
}

type saColumn struct {
	Name          string  `json:"name"`
	Type          string  `json:"type"`
	Class         string  `json:"class"`
	Nullable      bool    `json:"nullable"`
	Default       *string `json:"default"`
	Autoincrement any     `json:"autoincrement"`
}

type saFrame struct {
	Columns []string    `json:"columns"`
	Dtypes  []string    `json:"dtypes"`
	Rows    [][]*string `json:"rows"`
}

// TestSQLAlchemy reflects the fixture with SQLAlchemy's inspector over
// psycopg2 and reads it with pandas.read_sql (python/sa_client.py, with
// Debian's /usr/bin/python3), through Hotdata and from the upstream.
func TestSQLAlchemy(t *testing.T) {
	needFile(t, systemPython, "python3", "python3")
	for _, m := range []struct{ module, pkg string }{{"psycopg2", "python3-psycopg2"}, {"sqlalchemy", "python3-sqlalchemy"}, {"pandas", "python3-pandas"}} {
		if _, _, err := runErr(time.Minute, baseEnv(), "", systemPython, "-c", "import "+m.module); err != nil {
			missing(t, m.module+" for "+systemPython, m.pkg)
		}
	}
	e := start(t)
	script := filepath.Join(srcDir(t), "python", "sa_client.py")
	read := func(t *testing.T, ci connInfo, schema, table string) *saResult {
		t.Helper()
		env := append(baseEnv(), ci.Env()...)
		var r saResult
		decode(t, run(t, 3*time.Minute, env, "", systemPython, script, schema, table), &r)
		if len(r.Inspect) > 0 {
			t.Fatalf("sqlalchemy.inspect: %s", r.Inspect)
		}
		return &r
	}
	up := read(t, e.upstream(), "public", "alltypes")
	hd := read(t, e.hotdata("disable"), "src.public", "src.alltypes")
	t.Logf("SQLAlchemy %s, pandas %s", hd.SQLAlchemy, hd.Pandas)

	// step decodes one step's result, failing on its error.
	step := func(t *testing.T, label string, raw json.RawMessage, v any) {
		t.Helper()
		var e struct {
			Error string `json:"error"`
		}
		if json.Unmarshal(raw, &e) == nil && e.Error != "" {
			t.Fatalf("%s: %s", label, e.Error)
		}
		if err := json.Unmarshal(raw, v); err != nil {
			t.Fatalf("%s: %v: %s", label, err, raw)
		}
	}
	// sameAsUpstream compares a step through Hotdata with the upstream's.
	sameAsUpstream := func(t *testing.T, label string, hd, up json.RawMessage) {
		t.Helper()
		var g, w any
		step(t, label+" through Hotdata", hd, &g)
		step(t, label+" upstream", up, &w)
		if !reflect.DeepEqual(g, w) {
			t.Errorf("%s through Hotdata:\n%s\nfrom PostgreSQL:\n%s", label, hd, up)
		}
	}

	t.Run("connect", func(t *testing.T) {
		// The dialect's first-connect queries: version(), current_schema(),
		// standard_conforming_strings, the isolation level.
		var c struct {
			Version       []int  `json:"server_version_info"`
			DefaultSchema string `json:"default_schema_name"`
			SCS           bool   `json:"standard_conforming_strings"`
			Isolation     string `json:"isolation_level"`
			Select1       int    `json:"select_1"`
		}
		step(t, "connect", hd.Connect, &c)
		// The version Hotdata reports: its catalog's (pgcatalog.ServerVersion, "15.20").
		wantVersion := "[" + strings.ReplaceAll(pgcatalog.ServerVersion, ".", " ") + "]"
		if fmt.Sprint(c.Version) != wantVersion || c.DefaultSchema != "src.public" || !c.SCS || c.Isolation != "READ COMMITTED" || c.Select1 != 1 {
			t.Errorf("first connect: %+v, want version %s, default schema src.public, standard_conforming_strings, READ COMMITTED", c, wantVersion)
		}
	})
	t.Run("get_schema_names", func(t *testing.T) {
		var got, want []string
		step(t, "get_schema_names", hd.Schemas, &got)
		step(t, "upstream get_schema_names", up.Schemas, &want)
		if fmt.Sprint(got) != "[information_schema src.public]" {
			t.Errorf("get_schema_names = %v, want [information_schema src.public]", got)
		}
		if fmt.Sprint(want) != "[information_schema public]" {
			t.Errorf("upstream get_schema_names = %v", want)
		}
	})
	t.Run("get_table_names", func(t *testing.T) {
		var got, want []string
		step(t, "get_table_names", hd.Tables, &got)
		step(t, "upstream get_table_names", up.Tables, &want)
		sort.Strings(got)
		sort.Strings(want)
		if fmt.Sprint(got) != "[alltypes big keywords]" || !reflect.DeepEqual(got, want) {
			t.Errorf("get_table_names = %v, want [alltypes big keywords] (upstream: %v)", got, want)
		}
		sameAsUpstream(t, "get_view_names", hd.Views, up.Views)
		sameAsUpstream(t, "has_table", hd.HasTable, up.HasTable)
	})
	t.Run("get_columns", func(t *testing.T) {
		var got, want []saColumn
		step(t, "get_columns", hd.Columns, &got)
		step(t, "upstream get_columns", up.Columns, &want)
		var names []string
		byName := map[string]saColumn{}
		for _, c := range got {
			names = append(names, c.Name)
			byName[c.Name] = c
		}
		if strings.Join(names, ",") != strings.Join(columnNames(), ",") {
			t.Errorf("get_columns names %v, want %v", names, columnNames())
		}
		for _, c := range []struct {
			name, typ string
			nullable  bool
		}{
			{"id", "INTEGER()", false},
			{"n", "NUMERIC(precision=20, scale=6)", true},
			{"vc", "VARCHAR(length=12)", true},
			{"c", "CHAR(length=5)", true},
			{"tstz", "TIMESTAMP(timezone=True)", true},
			{"iv", "INTERVAL()", true},
			{"u", "UUID()", true},
			{"jb", "JSONB(astext_type=Text())", true},
			{"iarr", "ARRAY(INTEGER())", true},
		} {
			g := byName[c.name]
			if g.Type != c.typ || g.Nullable != c.nullable || g.Default != nil {
				t.Errorf("get_columns %s: type %s, nullable %v, default %v; want %s, %v, None", c.name, g.Type, g.Nullable, g.Default, c.typ, c.nullable)
			}
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("get_columns through Hotdata:\n%+v\nfrom PostgreSQL:\n%+v", got, want)
		}
	})
	t.Run("get_pk_constraint", func(t *testing.T) {
		var got struct {
			Columns []string `json:"constrained_columns"`
			Name    string   `json:"name"`
		}
		step(t, "get_pk_constraint", hd.PK, &got)
		if fmt.Sprint(got.Columns) != "[id]" || got.Name != "alltypes_pkey" {
			t.Errorf("get_pk_constraint = %+v, want [id] alltypes_pkey", got)
		}
		sameAsUpstream(t, "get_pk_constraint", hd.PK, up.PK)
		sameAsUpstream(t, "get_foreign_keys", hd.ForeignKeys, up.ForeignKeys)
		sameAsUpstream(t, "get_unique_constraints", hd.Unique, up.Unique)
		sameAsUpstream(t, "get_table_comment", hd.TableComment, up.TableComment)
	})
	t.Run("pandas_read_sql", func(t *testing.T) {
		var got, want saFrame
		step(t, "read_sql", hd.ReadSQL, &got)
		step(t, "upstream read_sql", up.ReadSQL, &want)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("read_sql through Hotdata:\n%s\nfrom PostgreSQL:\n%s", hd.ReadSQL, up.ReadSQL)
		}
		// The values themselves: the fixture's, with pandas' types (a
		// column of numbers with a NULL becomes float64, numeric too).
		wantCols := "[id b i4 i8 f8 n t vc d ts tstz]"
		wantTypes := "[int64 object float64 float64 float64 float64 object object object datetime64[ns] datetime64[ns, UTC]]"
		if fmt.Sprint(got.Columns) != wantCols || fmt.Sprint(got.Dtypes) != wantTypes {
			t.Errorf("read_sql columns %v %v, want %s %s", got.Columns, got.Dtypes, wantCols, wantTypes)
		}
		if len(got.Rows) != 3 {
			t.Fatalf("read_sql: %d rows, want 3", len(got.Rows))
		}
		row1 := []string{"1", "True", "2147483647.0", "9.223372036854776e+18", "3.141592653589793", "12345678901234.568",
			`hello, "ünïcode" ✓`, "varchar", "2024-02-29", "2024-03-01 12:30:45.123456", "2024-03-01 12:30:45.123456+00:00"}
		var g1 []string
		for _, v := range got.Rows[0] {
			if v == nil {
				g1 = append(g1, biNull)
			} else {
				g1 = append(g1, *v)
			}
		}
		if !reflect.DeepEqual(g1, row1) {
			t.Errorf("read_sql row 1 = %q, want %q", g1, row1)
		}
		for i, v := range got.Rows[2][1:] {
			if v != nil {
				t.Errorf("read_sql row 3 column %s = %q, want NULL", got.Columns[i+1], *v)
			}
		}
		sameAsUpstream(t, "read_sql_table", hd.ReadTable, up.ReadTable)
	})
	t.Run("warnings", func(t *testing.T) {
		// SQLAlchemy warns of what it cannot reflect (an unknown type, an
		// expression index): the same as from PostgreSQL, or nothing.
		if !reflect.DeepEqual(hd.Warnings, up.Warnings) {
			t.Errorf("warnings through Hotdata %q, from PostgreSQL %q", hd.Warnings, up.Warnings)
		}
	})
}
