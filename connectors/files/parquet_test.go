package files

import (
	"context"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/hotdata-dev/hotdata/connectors"
)

// TestParquetTypes writes every kind of column DuckDB reads from Parquet
// and compares each served value.
func TestParquetTypes(t *testing.T) {
	dir := t.TempDir()
	writeParquet(t, filepath.Join(dir, "types.parquet"), `
		SELECT 1::INTEGER AS id,
		       [1, 2, NULL]::INTEGER[] AS ints,
		       ['a', NULL, 'ç']::VARCHAR[] AS strs,
		       [1.50, -2.25]::DECIMAL(6,2)[] AS decs,
		       [DATE '2024-02-29'] AS dates,
		       ['8c6f0d7e-6c1f-4d1b-9a9b-2f7e9b0b4d3a'::UUID] AS uuids,
		       [[1, 2], [3]] AS nested,
		       {'a': 1, 'b': 'x'} AS st,
		       MAP {'k': 1} AS m,
		       [{'a': 1}] AS structs,
		       3::TINYINT AS ti, 4::UTINYINT AS uti, 5::USMALLINT AS usi, 6::UINTEGER AS ui, 18446744073709551615::UBIGINT AS ub,
		       1.5::FLOAT AS f4, 2.5::DOUBLE AS f8, 12345.678::DECIMAL(10,3) AS dec,
		       TIMESTAMP_NS '2024-01-01 00:00:00.123456789' AS ns,
		       TIMESTAMP_MS '2024-01-01 00:00:00.123' AS ms,
		       TIMESTAMPTZ '2024-01-01 10:00:00+02' AS tz,
		       TIME '12:34:56.5' AS tm,
		       DATE '2024-02-29' AS d,
		       INTERVAL '1 month 2 days 3 milliseconds' AS iv,
		       '8c6f0d7e-6c1f-4d1b-9a9b-2f7e9b0b4d3a'::UUID AS u,
		       '{"x": [1, 2]}'::JSON AS j,
		       'ab\x00'::BLOB AS bl,
		       'b'::ENUM('a', 'b') AS en
		UNION ALL
		SELECT 2, NULL, [], NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
		       NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL`)
	c := openFiles(t, dir, File{Table: "types", Path: "types.parquet"})
	wantCols := []string{
		"id integer 23", "ints integer[] 1007", "strs text[] 1009", "decs numeric(6,2)[] 1231", "dates date[] 1182",
		"uuids uuid[] 2951", "nested json 114", "st json 114", "m json 114", "structs json 114",
		"ti smallint 21", "uti smallint 21", "usi integer 23", "ui bigint 20", "ub numeric(20,0) 1700",
		"f4 real 700", "f8 double precision 701", "dec numeric(10,3) 1700",
		"ns timestamp without time zone 1114", "ms timestamp without time zone 1114", "tz timestamp with time zone 1184",
		"tm time without time zone 1083", "d date 1082", "iv interval 1186", "u uuid 2950", "j json 114", "bl bytea 17", "en text 25",
	}
	if got := columnsOf(t, c, "types"); !reflect.DeepEqual(got, wantCols) {
		t.Errorf("columns:\n got %v\nwant %v", got, wantCols)
	}
	tables, err := c.Discover(context.Background())
	if err != nil || tables[0].RowEstimate != 2 {
		t.Errorf("row estimate: %v, %v", tables, err)
	}
	got := scanTable(t, c, "types")
	if len(got.rows) != 2 {
		t.Fatalf("%d rows", len(got.rows))
	}
	want := []any{
		int64(1), []any{int64(1), int64(2), nil}, []any{"a", nil, "ç"}, []any{"1.50", "-2.25"}, []any{"2024-02-29"},
		[]any{"8c6f0d7e-6c1f-4d1b-9a9b-2f7e9b0b4d3a"}, `[[1,2],[3]]`, `{"a":1,"b":"x"}`, `{"k":1}`, `[{"a":1}]`,
		int64(3), int64(4), int64(5), int64(6), "18446744073709551615",
		1.5, 2.5, "12345.678",
		ts("2024-01-01 00:00:00.123456"), ts("2024-01-01 00:00:00.123"), ts("2024-01-01 08:00:00"),
		"12:34:56.5", "2024-02-29", "1m2d3000us", "8c6f0d7e-6c1f-4d1b-9a9b-2f7e9b0b4d3a", `{"x": [1, 2]}`, "ab\x00", "b",
	}
	for j, w := range want {
		g := got.rows[0][j]
		if gs, ok := g.(string); ok && (strings.HasPrefix(gs, "{") || strings.HasPrefix(gs, "[")) {
			if sameJSON(gs, w.(string)) {
				continue
			}
		}
		if !reflect.DeepEqual(g, w) {
			t.Errorf("column %s: %#v, want %#v", wantCols[j], g, w)
		}
	}
	for j, g := range got.rows[1] {
		switch {
		case j == 0 && g != int64(2), j == 2 && !reflect.DeepEqual(g, []any{}), j > 2 && g != nil:
			t.Errorf("row 2 column %s: %#v", wantCols[j], g)
		}
	}
	// (Parquet keeps intervals to the millisecond.)
	// Every field is named with its served type, and lossy or textual
	// conversions are reported.
	for i, f := range got.schema.Fields() {
		words := strings.Fields(wantCols[i]) // name, type..., oid
		if typ, _ := f.Metadata.GetValue(connectors.MetaSourceType); typ != strings.Join(words[1:len(words)-1], " ") {
			t.Errorf("field %s: source type %q", f.Name, typ)
		}
	}
	warnings := strings.Join(got.warnings, "\n")
	for _, col := range []string{"nested", "st", "m", "structs", "ns"} {
		if !strings.Contains(warnings, "column "+col+" ") {
			t.Errorf("no warning for %s in %q", col, warnings)
		}
	}
	if n := len(got.warnings); n != 5 {
		t.Errorf("%d warnings, want 5: %q", n, warnings)
	}
	// Filters compare as the served type.
	res, err := tryScan(c, connectors.ScanRequest{Schema: DefaultSchema, Table: "types", Columns: []connectors.Column{{Name: "id"}},
		Filter: []connectors.Predicate{{Column: "ub", Op: ">", Value: "18446744073709551614"}, {Column: "tz", Op: "=", Value: ts("2024-01-01 08:00:00")}}})
	if err != nil || !reflect.DeepEqual(res.rows, [][]any{{int64(1)}}) {
		t.Errorf("filter: %v, %v", res.rows, err)
	}
}
