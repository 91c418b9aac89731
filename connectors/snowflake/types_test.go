package snowflake

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/hotdata-dev/hotdata/connectors"
)

func TestKindOf(t *testing.T) {
	for _, c := range []struct {
		col      column
		kind     kind
		oid      uint32
		arrow    string
		typeName string
	}{
		// Snowflake's INFORMATION_SCHEMA.
		{column{dataType: "NUMBER", precision: 38, scale: 0}, kindDecimal, oidNumeric, "decimal(38, 0)", "NUMBER(38,0)"},
		{column{dataType: "NUMBER", precision: 18, scale: 0}, kindInt64, oidInt8, "int64", "NUMBER(18,0)"},
		{column{dataType: "NUMBER", precision: 12, scale: 2}, kindDecimal, oidNumeric, "decimal(12, 2)", "NUMBER(12,2)"},
		{column{dataType: "NUMBER", precision: -1, scale: -1}, kindDecimal, oidNumeric, "decimal(38, 0)", "NUMBER"},
		{column{dataType: "FLOAT", precision: -1}, kindFloat, oidFloat8, "float64", "FLOAT"},
		{column{dataType: "TEXT", length: 16777216}, kindString, oidText, "utf8", "VARCHAR(16777216)"},
		{column{dataType: "TEXT", length: 20}, kindString, oidVarchar, "utf8", "VARCHAR(20)"},
		{column{dataType: "BOOLEAN"}, kindBool, oidBool, "bool", "BOOLEAN"},
		{column{dataType: "DATE"}, kindDate, oidDate, "date32", "DATE"},
		{column{dataType: "TIME", fraction: 9}, kindTime, oidTime, "time64[us]", "TIME(9)"},
		{column{dataType: "TIMESTAMP_NTZ", fraction: 9}, kindTimestamp, oidTimestamp, "timestamp[us]", "TIMESTAMP_NTZ(9)"},
		{column{dataType: "TIMESTAMP_LTZ", fraction: 3}, kindTimestampTZ, oidTimestamptz, "timestamp[us, tz=UTC]", "TIMESTAMP_LTZ(3)"},
		{column{dataType: "TIMESTAMP_TZ", fraction: 9}, kindTimestampTZ, oidTimestamptz, "timestamp[us, tz=UTC]", "TIMESTAMP_TZ(9)"},
		{column{dataType: "BINARY", length: 8388608}, kindBinary, oidBytea, "binary", "BINARY(8388608)"},
		{column{dataType: "VARIANT"}, kindJSON, oidJSON, "extension<arrow.json[storage_type=utf8]>", "VARIANT"},
		{column{dataType: "OBJECT"}, kindJSON, oidJSON, "extension<arrow.json[storage_type=utf8]>", "OBJECT"},
		{column{dataType: "ARRAY"}, kindJSON, oidJSON, "extension<arrow.json[storage_type=utf8]>", "ARRAY"},
		{column{dataType: "GEOGRAPHY"}, kindGeo, oidText, "utf8", "GEOGRAPHY"},
		{column{dataType: "VECTOR(INT, 3)"}, kindOther, oidText, "utf8", "VECTOR(INT, 3)"},
		// The emulator's DuckDB.
		{column{dataType: "INTEGER", precision: 32, scale: 0}, kindInt64, oidInt8, "int64", "INTEGER"},
		{column{dataType: "DECIMAL(12,2)", precision: 12, scale: 2}, kindDecimal, oidNumeric, "decimal(12, 2)", "DECIMAL(12,2)"},
		{column{dataType: "DECIMAL(18,0)", precision: 18, scale: 0}, kindInt64, oidInt8, "int64", "DECIMAL(18,0)"},
		{column{dataType: "HUGEINT", precision: 128, scale: 0}, kindOther, oidText, "utf8", "HUGEINT"},
		{column{dataType: "DOUBLE"}, kindFloat, oidFloat8, "float64", "DOUBLE"},
		{column{dataType: "VARCHAR", length: -1}, kindString, oidText, "utf8", "VARCHAR"},
		{column{dataType: "TIMESTAMP"}, kindTimestamp, oidTimestamp, "timestamp[us]", "TIMESTAMP"},
		{column{dataType: "TIMESTAMP WITH TIME ZONE"}, kindTimestampTZ, oidTimestamptz, "timestamp[us, tz=UTC]", "TIMESTAMP WITH TIME ZONE"},
		{column{dataType: "BLOB"}, kindBinary, oidBytea, "binary", "BLOB"},
		{column{dataType: "JSON"}, kindJSON, oidJSON, "extension<arrow.json[storage_type=utf8]>", "JSON"},
	} {
		c.col.name = "c"
		p := planColumn(c.col, dialect{arrow: true})
		if got := kindOf(c.col); got != c.kind {
			t.Errorf("%s: kind %d, want %d", c.col.dataType, got, c.kind)
		}
		if got := typeOID(c.col); got != c.oid {
			t.Errorf("%s: OID %d, want %d", c.col.dataType, got, c.oid)
		}
		if got := p.field.Type.String(); got != c.arrow {
			t.Errorf("%s: Arrow type %s, want %s", c.col.dataType, got, c.arrow)
		}
		if src, _ := p.field.Metadata.GetValue(connectors.MetaSourceType); src != c.typeName {
			t.Errorf("%s: source type %q, want %q", c.col.dataType, src, c.typeName)
		}
		if warned := p.warning != ""; warned != (c.kind == kindOther || c.kind == kindGeo) {
			t.Errorf("%s: warning %q", c.col.dataType, p.warning)
		}
	}
}

// roundTripSQL is a table with a column of every type the emulator
// accepts, in three rows: edge values, other edge values, NULLs.
var roundTripSQL = []string{
	`CREATE SCHEMA IF NOT EXISTS RT`,
	`CREATE TABLE RT.every_type (
		id INTEGER, i64 BIGINT, i16 SMALLINT, i8 TINYINT, d18 DECIMAL(18,0), d38 DECIMAL(38,10), d12 DECIMAL(12,2),
		f4 FLOAT, f8 DOUBLE, s VARCHAR, s10 VARCHAR(10), txt TEXT, ch CHAR(5), b BOOLEAN,
		dt DATE, tm TIME, ts TIMESTAMP, dtm DATETIME, tms TIMESTAMP(3), tns TIMESTAMP_NS, tz TIMESTAMPTZ,
		bin BINARY, vbin VARBINARY, j JSON, u UUID, h HUGEINT)`,
	`INSERT INTO RT.every_type VALUES
		(1, 9223372036854775807, -32768, 127, 999999999999999999, -1234567890123456789012345678.0123456789, -0.01,
		 0.1, 0.1, 'ünïcode ✓ ''quoted'' \back', 'ten chars!', 'line
break', 'ab', true,
		 '1969-07-20', '23:59:59.999999', '1969-12-31 23:59:59.999999', '0001-01-01 00:00:00', '2024-01-01 00:00:00.123',
		 '2024-01-01 00:00:00.123456', '2024-03-01 12:30:45.123456+02',
		 '\x00\x5C\xFFAB'::BLOB, 'AB'::BLOB, '{"a": [1, 2.5, "x"], "b": null}', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', 170141183460469231731687303715884105727),
		(2, -9223372036854775808, 32767, -128, -999999999999999999, 0, 0,
		 'NaN', '-Infinity', '', '', '', '', false,
		 '0044-03-15 (BC)', '00:00:00', '1970-01-01 00:00:00', '9999-12-31 23:59:59.999999', '1900-02-28 23:59:59.999',
		 '1677-09-22 00:00:00', '1969-12-31 23:59:59.5-08:00',
		 ''::BLOB, ''::BLOB, '"just a string"', NULL, -1),
		(3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
		 NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)`,
}

func utc(s string) time.Time {
	t, err := time.Parse("2006-01-02 15:04:05.999999999 -07:00", s)
	if err != nil {
		panic(err)
	}
	return t.UTC()
}

// TestRoundTrip scans a column of every type the emulator accepts and
// compares every value, Arrow type, source type and PostgreSQL OID.
func TestRoundTrip(t *testing.T) {
	cfg := startEmulator(t)
	execAll(t, cfg, roundTripSQL...)
	c := openConnector(t, cfg, emulatorPassword)
	ctx := context.Background()

	type want struct {
		name, arrow, source string
		oid                 uint32
		rows                [3]any
	}
	cols := []want{
		{"id", "int64", "INTEGER", oidInt8, [3]any{int64(1), int64(2), int64(3)}},
		{"i64", "int64", "BIGINT", oidInt8, [3]any{int64(math.MaxInt64), int64(math.MinInt64), nil}},
		{"i16", "int64", "SMALLINT", oidInt8, [3]any{int64(-32768), int64(32767), nil}},
		{"i8", "int64", "TINYINT", oidInt8, [3]any{int64(127), int64(-128), nil}},
		{"d18", "int64", "DECIMAL(18,0)", oidInt8, [3]any{int64(999999999999999999), int64(-999999999999999999), nil}},
		{"d38", "decimal(38, 10)", "DECIMAL(38,10)", oidNumeric, [3]any{"-1234567890123456789012345678.0123456789", "0.0000000000", nil}},
		{"d12", "decimal(12, 2)", "DECIMAL(12,2)", oidNumeric, [3]any{"-0.01", "0.00", nil}},
		// DuckDB's FLOAT is single precision: the double read is its
		// value exactly.
		{"f4", "float64", "FLOAT", oidFloat8, [3]any{float64(float32(0.1)), math.NaN(), nil}},
		{"f8", "float64", "DOUBLE", oidFloat8, [3]any{0.1, math.Inf(-1), nil}},
		{"s", "utf8", "VARCHAR", oidText, [3]any{`ünïcode ✓ 'quoted' \back`, "", nil}},
		{"s10", "utf8", "VARCHAR", oidText, [3]any{"ten chars!", "", nil}},
		{"txt", "utf8", "VARCHAR", oidText, [3]any{"line\nbreak", "", nil}},
		{"ch", "utf8", "VARCHAR", oidText, [3]any{"ab", "", nil}},
		{"b", "bool", "BOOLEAN", oidBool, [3]any{true, false, nil}},
		{"dt", "date32", "DATE", oidDate, [3]any{"1969-07-20", "-0043-03-15", nil}},
		{"tm", "time64[us]", "TIME", oidTime, [3]any{"23:59:59.999999", "00:00:00", nil}},
		{"ts", "timestamp[us]", "TIMESTAMP", oidTimestamp, [3]any{utc("1969-12-31 23:59:59.999999 +00:00"), utc("1970-01-01 00:00:00 +00:00"), nil}},
		{"dtm", "timestamp[us]", "TIMESTAMP", oidTimestamp, [3]any{utc("0001-01-01 00:00:00 +00:00"), utc("9999-12-31 23:59:59.999999 +00:00"), nil}},
		{"tms", "timestamp[us]", "TIMESTAMP_MS", oidTimestamp, [3]any{utc("2024-01-01 00:00:00.123 +00:00"), utc("1900-02-28 23:59:59.999 +00:00"), nil}},
		{"tns", "timestamp[us]", "TIMESTAMP_NS", oidTimestamp, [3]any{utc("2024-01-01 00:00:00.123456 +00:00"), utc("1677-09-22 00:00:00 +00:00"), nil}},
		{"tz", "timestamp[us, tz=UTC]", "TIMESTAMP WITH TIME ZONE", oidTimestamptz, [3]any{utc("2024-03-01 10:30:45.123456 +00:00"), utc("1970-01-01 07:59:59.5 +00:00"), nil}},
		{"bin", "binary", "BLOB", oidBytea, [3]any{"\x00\x5c\xffAB", "", nil}},
		{"vbin", "binary", "BLOB", oidBytea, [3]any{"AB", "", nil}},
		{"j", "extension<arrow.json[storage_type=utf8]>", "JSON", oidJSON, [3]any{`{"a": [1, 2.5, "x"], "b": null}`, `"just a string"`, nil}},
		{"u", "utf8", "UUID", oidText, [3]any{"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", nil, nil}},
		{"h", "utf8", "HUGEINT", oidText, [3]any{"170141183460469231731687303715884105727", "-1", nil}},
	}

	tables, err := c.Discover(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var table *connectors.Table
	for i := range tables {
		if tables[i].Schema == "RT" && tables[i].Name == "every_type" {
			table = &tables[i]
		}
	}
	if table == nil || len(table.Columns) != len(cols) {
		t.Fatalf("discovered %+v", table)
	}
	for i, w := range cols {
		got := table.Columns[i]
		if got.Name != w.name || got.DataType != w.source || got.TypeOID != w.oid || !got.Nullable {
			t.Errorf("column %d discovered as %+v, want %s %s OID %d", i, got, w.name, w.source, w.oid)
		}
	}

	scan, err := c.Scan(ctx, connectors.ScanRequest{Schema: "RT", Table: "every_type"})
	if err != nil {
		t.Fatal(err)
	}
	defer scan.Release()
	if warns := strings.Join(scan.Warnings(), "; "); !strings.Contains(warns, "column u of type UUID is cached as text") ||
		!strings.Contains(warns, "column h of type HUGEINT is cached as text") || len(scan.Warnings()) != 2 {
		t.Errorf("warnings: %s", warns)
	}
	for i, w := range cols {
		f := scan.Schema().Field(i)
		src, _ := f.Metadata.GetValue(connectors.MetaSourceType)
		if f.Name != w.name || f.Type.String() != w.arrow || src != w.source {
			t.Errorf("field %d: %s %s (source %s), want %s %s (source %s)", i, f.Name, f.Type, src, w.name, w.arrow, w.source)
		}
	}
	var rows [][]any
	for scan.Next() {
		rec := scan.RecordBatch()
		for r := 0; r < int(rec.NumRows()); r++ {
			row := make([]any, rec.NumCols())
			for j := range row {
				row[j] = value(rec.Column(j), r)
			}
			rows = append(rows, row)
		}
	}
	if err := scan.Err(); err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3 {
		t.Fatalf("%d rows, want 3", len(rows))
	}
	for r, row := range rows {
		id := row[0].(int64)
		for j, w := range cols {
			if !same(row[j], w.rows[id-1]) {
				t.Errorf("row %d column %s: got %#v, want %#v", id, w.name, row[j], w.rows[id-1])
			}
		}
		_ = r
	}
}

// value normalizes one Arrow value for comparison: decimals, dates,
// times, binaries and JSON as text, timestamps as UTC times.
func value(a arrow.Array, i int) any {
	if a.IsNull(i) {
		return nil
	}
	switch a := a.(type) {
	case *array.Int64:
		return a.Value(i)
	case *array.Float64:
		return a.Value(i)
	case *array.Boolean:
		return a.Value(i)
	case *array.String:
		return a.Value(i)
	case *array.Binary:
		return string(a.Value(i))
	case *array.Decimal128:
		return a.Value(i).ToString(a.DataType().(*arrow.Decimal128Type).Scale)
	case *array.Date32:
		return a.Value(i).ToTime().Format("2006-01-02")
	case *array.Time64:
		return a.Value(i).ToTime(arrow.Microsecond).Format("15:04:05.999999")
	case *array.Timestamp:
		return a.Value(i).ToTime(arrow.Microsecond).UTC()
	case array.ExtensionArray:
		return value(a.Storage(), i)
	}
	return fmt.Sprintf("unexpected %T", a)
}

func same(got, want any) bool {
	switch w := want.(type) {
	case time.Time:
		g, ok := got.(time.Time)
		return ok && g.Equal(w)
	case float64:
		g, ok := got.(float64)
		return ok && (g == w || math.IsNaN(g) && math.IsNaN(w))
	}
	return got == want
}

// TestNanoseconds: a timestamp with digits finer than microseconds
// fails the scan with a NeedsTextError, and reads exactly as text.
func TestNanoseconds(t *testing.T) {
	cfg := startEmulator(t)
	execAll(t, cfg,
		`CREATE SCHEMA IF NOT EXISTS NS`,
		`CREATE TABLE NS.t (id INTEGER, ts TIMESTAMP_NS)`,
		`INSERT INTO NS.t VALUES (1, '2024-01-01 00:00:00.123456'), (2, '2024-01-01 00:00:00.123456789')`)
	c := openConnector(t, cfg, emulatorPassword)
	ctx := context.Background()
	scan, err := c.Scan(ctx, connectors.ScanRequest{Schema: "NS", Table: "t"})
	if err != nil {
		t.Fatal(err)
	}
	for scan.Next() {
	}
	var nt *connectors.NeedsTextError
	if err := scan.Err(); !errors.As(err, &nt) || nt.Column != "ts" || !strings.Contains(nt.Reason, "microseconds") {
		t.Fatalf("scan: %v, want a NeedsTextError for ts", err)
	}
	scan.Release()

	scan, err = c.Scan(ctx, connectors.ScanRequest{Schema: "NS", Table: "t", AsText: map[string]string{"ts": nt.Reason}})
	if err != nil {
		t.Fatal(err)
	}
	defer scan.Release()
	var got []string
	for scan.Next() {
		col := scan.RecordBatch().Column(1).(*array.String)
		for i := 0; i < col.Len(); i++ {
			got = append(got, col.Value(i))
		}
	}
	if err := scan.Err(); err != nil {
		t.Fatal(err)
	}
	if want := "2024-01-01 00:00:00.123456,2024-01-01 00:00:00.123456789"; strings.Join(got, ",") != want {
		t.Errorf("as text: %v, want %s", got, want)
	}
	f := scan.Schema().Field(1)
	if held, _ := f.Metadata.GetValue(connectors.MetaTextHeld); held != "true" {
		t.Errorf("ts not marked as text: %v", f)
	}
}

// TestFilterLiterals: filter values that need quoting reach the server
// intact (the emulator's translator mangles quotes and backslashes in
// the literals it rewrites).
func TestFilterLiterals(t *testing.T) {
	cfg := startEmulator(t)
	execAll(t, cfg,
		`CREATE SCHEMA IF NOT EXISTS F`,
		`CREATE TABLE F.t (id INTEGER, s VARCHAR, d DATE, tz TIMESTAMPTZ, tm TIME, f DOUBLE)`,
		// $$…$$: the statement goes to DuckDB as written.
		`INSERT INTO F.t VALUES (1, $$it's \ a $$ || '$' || $$ sign$$, '2024-02-29', '2024-03-01 12:00:00+02', '12:30:00', 1.5),
			(2, '$', '2024-03-01', '2024-03-01 12:00:00+00', '12:30:00.5', -2.5e10),
			(3, 'plain', NULL, NULL, NULL, NULL)`)
	c := openConnector(t, cfg, emulatorPassword)
	for _, tc := range []struct {
		filter []connectors.Predicate
		ids    string
	}{
		{[]connectors.Predicate{{Column: "s", Op: "=", Value: `it's \ a $ sign`}}, "1"},
		{[]connectors.Predicate{{Column: "s", Op: "=", Value: "$"}}, "2"},
		{[]connectors.Predicate{{Column: "s", Op: "<>", Value: "plain"}}, "1,2"},
		{[]connectors.Predicate{{Column: "d", Op: ">", Value: time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC)}}, "2"},
		{[]connectors.Predicate{{Column: "d", Op: ">=", Value: time.Date(2024, 2, 29, 12, 0, 0, 0, time.UTC)}}, "2"},
		{[]connectors.Predicate{{Column: "tz", Op: "<", Value: time.Date(2024, 3, 1, 11, 0, 0, 0, time.UTC)}}, "1"},
		{[]connectors.Predicate{{Column: "tm", Op: ">", Value: time.Date(0, 1, 1, 12, 30, 0, 0, time.UTC)}}, "2"},
		{[]connectors.Predicate{{Column: "f", Op: "<", Value: float64(0)}}, "2"},
		{[]connectors.Predicate{{Column: "f", Op: ">=", Value: "1.5"}}, "1"},
		{[]connectors.Predicate{{Column: "ID", Op: "<=", Value: int64(1)}}, "1"},
	} {
		scan, err := c.Scan(context.Background(), connectors.ScanRequest{Schema: "F", Table: "t",
			Columns: []connectors.Column{{Name: "id"}}, Filter: tc.filter})
		if err != nil {
			t.Errorf("filter %+v: %v", tc.filter, err)
			continue
		}
		var ids []string
		for scan.Next() {
			col := scan.RecordBatch().Column(0).(*array.Int64)
			for i := 0; i < col.Len(); i++ {
				ids = append(ids, fmt.Sprint(col.Value(i)))
			}
		}
		if err := scan.Err(); err != nil {
			t.Errorf("filter %+v: %v", tc.filter, err)
		}
		scan.Release()
		if strings.Join(ids, ",") != tc.ids {
			t.Errorf("filter %+v: ids %v, want %s", tc.filter, ids, tc.ids)
		}
	}
}

// TestIdentifiers: names are quoted exactly as discovered — spaces,
// keywords, mixed case, a double quote.
func TestIdentifiers(t *testing.T) {
	cfg := startEmulator(t)
	execAll(t, cfg, `CREATE SCHEMA IF NOT EXISTS "my schema"`,
		`CREATE TABLE "my schema"."order" ("key" INTEGER, "select" VARCHAR, "Mixed Case" VARCHAR, "we""ird" VARCHAR)`,
		`INSERT INTO "my schema"."order" VALUES (1, 'a', 'b', 'c'), (2, 'x', 'y', 'z')`)
	c := openConnector(t, cfg, emulatorPassword)
	for _, filter := range [][]connectors.Predicate{
		{{Column: "key", Op: "=", Value: int64(1)}},
		{{Column: `we"ird`, Op: "=", Value: "c"}},
	} {
		scan, err := c.Scan(context.Background(), connectors.ScanRequest{Schema: "my schema", Table: "order", Filter: filter})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for scan.Next() {
			rec := scan.RecordBatch()
			for i := 0; i < int(rec.NumCols()); i++ {
				got = append(got, rec.ColumnName(i)+"="+fmt.Sprint(value(rec.Column(i), 0)))
			}
		}
		if err := scan.Err(); err != nil {
			t.Fatal(err)
		}
		scan.Release()
		if want := `key=1 select=a Mixed Case=b we"ird=c`; strings.Join(got, " ") != want {
			t.Errorf("filter %+v: %v, want %s", filter, got, want)
		}
	}
}
