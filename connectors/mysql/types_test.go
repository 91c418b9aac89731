package mysql

import (
	"context"
	"errors"
	"fmt"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/extensions"

	"github.com/hotdata-dev/hotdata/connectors"
	"github.com/hotdata-dev/hotdata/internal/testenv"
)

// typeCase is one column of the round-trip table: its DDL type, the SQL
// literal written in each of the five rows, and what a scan must read
// back (normalized by value).
type typeCase struct {
	name, ddl string
	arrow     arrow.DataType
	oid       uint32
	sql       [5]string
	want      [5]any
	// unavailable starts the reason a column with values the cache
	// cannot hold is unavailable for: the scan asks for it as text
	// (arrow and want are then its text form).
	unavailable string
}

var (
	tsNoTZ = &arrow.TimestampType{Unit: arrow.Microsecond}
	tsUTC  = &arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: "UTC"}
)

const (
	nines28 = "9999999999999999999999999999"
	nines35 = "99999999999999999999999999999999999"
	nines30 = "999999999999999999999999999999"
	nines38 = "99999999999999999999999999999999999999"
)

// typeCases covers every mapping. Row 1 holds maximums, row 2 minimums,
// row 3 NULLs, rows 4 and 5 zero dates, out-of-range times and other
// edge cases. TIMESTAMP literals are written from a +05:30 session.
// Rows 4 and 5 hold zero and invalid dates.
func typeCases() []typeCase {
	return []typeCase{
		{"b", "bool", arrow.FixedWidthTypes.Boolean, 16,
			[5]string{"1", "0", "NULL", "TRUE", "FALSE"}, [5]any{true, false, nil, true, false}, ""},
		{"b2", "tinyint(1)", arrow.BinaryTypes.String, 16,
			[5]string{"5", "0", "NULL", "-1", "1"}, [5]any{"5", "0", nil, "-1", "1"}, "it holds tinyint(1) values other than 0 and 1"},
		{"b3", "tinyint(1)", arrow.FixedWidthTypes.Boolean, 16,
			[5]string{"1", "0", "NULL", "0", "1"}, [5]any{true, false, nil, false, true}, ""},
		{"bit1", "bit(1)", arrow.FixedWidthTypes.Boolean, 16,
			[5]string{"b'1'", "b'0'", "NULL", "1", "0"}, [5]any{true, false, nil, true, false}, ""},
		{"bits", "bit(10)", arrow.PrimitiveTypes.Int64, 20,
			[5]string{"b'1111111111'", "b'0'", "NULL", "b'1010'", "1"}, [5]any{int64(1023), int64(0), nil, int64(10), int64(1)}, ""},
		{"bit64", "bit(64)", arrow.BinaryTypes.String, 20,
			[5]string{"0xFFFFFFFFFFFFFFFF", "0", "NULL", "b'1'", "0x7FFFFFFFFFFFFFFF"},
			[5]any{"18446744073709551615", "0", nil, "1", "9223372036854775807"}, "it holds BIT values above 2^63-1"},
		{"bit63", "bit(64)", arrow.PrimitiveTypes.Int64, 20,
			[5]string{"0x7FFFFFFFFFFFFFFF", "0", "NULL", "b'1'", "1"},
			[5]any{int64(math.MaxInt64), int64(0), nil, int64(1), int64(1)}, ""},
		{"i8", "tinyint", arrow.PrimitiveTypes.Int8, 21,
			[5]string{"127", "-128", "NULL", "0", "-1"}, [5]any{int64(127), int64(-128), nil, int64(0), int64(-1)}, ""},
		{"u8", "tinyint unsigned", arrow.PrimitiveTypes.Uint8, 21,
			[5]string{"255", "0", "NULL", "128", "1"}, [5]any{uint64(255), uint64(0), nil, uint64(128), uint64(1)}, ""},
		{"i16", "smallint", arrow.PrimitiveTypes.Int16, 21,
			[5]string{"32767", "-32768", "NULL", "0", "-1"}, [5]any{int64(32767), int64(-32768), nil, int64(0), int64(-1)}, ""},
		{"u16", "smallint unsigned", arrow.PrimitiveTypes.Uint16, 23,
			[5]string{"65535", "0", "NULL", "32768", "1"}, [5]any{uint64(65535), uint64(0), nil, uint64(32768), uint64(1)}, ""},
		{"i24", "mediumint", arrow.PrimitiveTypes.Int32, 23,
			[5]string{"8388607", "-8388608", "NULL", "0", "-1"}, [5]any{int64(8388607), int64(-8388608), nil, int64(0), int64(-1)}, ""},
		{"u24", "mediumint unsigned", arrow.PrimitiveTypes.Uint32, 20,
			[5]string{"16777215", "0", "NULL", "8388608", "1"}, [5]any{uint64(16777215), uint64(0), nil, uint64(8388608), uint64(1)}, ""},
		{"i32", "int", arrow.PrimitiveTypes.Int32, 23,
			[5]string{"2147483647", "-2147483648", "NULL", "0", "-1"}, [5]any{int64(math.MaxInt32), int64(math.MinInt32), nil, int64(0), int64(-1)}, ""},
		{"u32", "int unsigned", arrow.PrimitiveTypes.Uint32, 20,
			[5]string{"4294967295", "0", "NULL", "2147483648", "1"}, [5]any{uint64(math.MaxUint32), uint64(0), nil, uint64(1 << 31), uint64(1)}, ""},
		{"i64", "bigint", arrow.PrimitiveTypes.Int64, 20,
			[5]string{"9223372036854775807", "-9223372036854775808", "NULL", "0", "-1"},
			[5]any{int64(math.MaxInt64), int64(math.MinInt64), nil, int64(0), int64(-1)}, ""},
		{"u64", "bigint unsigned", arrow.PrimitiveTypes.Uint64, 1700,
			[5]string{"18446744073709551615", "0", "NULL", "9223372036854775808", "1"},
			[5]any{uint64(math.MaxUint64), uint64(0), nil, uint64(1 << 63), uint64(1)}, ""},
		{"y", "year", arrow.PrimitiveTypes.Int16, 21,
			[5]string{"2155", "1901", "NULL", "0", "2024"}, [5]any{int64(2155), int64(1901), nil, int64(0), int64(2024)}, ""},
		{"d", "decimal(12,2)", &arrow.Decimal128Type{Precision: 12, Scale: 2}, 1700,
			[5]string{"9999999999.99", "-9999999999.99", "NULL", "0.01", "0"},
			[5]any{"9999999999.99", "-9999999999.99", nil, "0.01", "0.00"}, ""},
		{"d38", "decimal(38,10)", &arrow.Decimal128Type{Precision: 38, Scale: 10}, 1700,
			[5]string{nines28 + ".9999999999", "-" + nines28 + ".9999999999", "NULL", "0.0000000001", "-1.5"},
			[5]any{nines28 + ".9999999999", "-" + nines28 + ".9999999999", nil, "0.0000000001", "-1.5000000000"}, ""},
		{"dfrac", "decimal(38,38)", &arrow.Decimal128Type{Precision: 38, Scale: 38}, 1700,
			[5]string{"0." + nines38, "-0." + nines38, "NULL", "0.00000000000000000000000000000000000001", "0"},
			[5]any{"0." + nines38, "-0." + nines38, nil, "0.00000000000000000000000000000000000001", "0." + strings.Repeat("0", 38)}, ""},
		{"d0", "decimal(5,0)", &arrow.Decimal128Type{Precision: 5, Scale: 0}, 1700,
			[5]string{"99999", "-99999", "NULL", "0", "1"}, [5]any{"99999", "-99999", nil, "0", "1"}, ""},
		{"dwide", "decimal(65,30)", arrow.BinaryTypes.String, 1700,
			[5]string{nines35 + "." + nines30, "-" + nines35 + "." + nines30, "NULL", "0.000000000000000000000000000001", "1"},
			[5]any{nines35 + "." + nines30, "-" + nines35 + "." + nines30, nil, "0.000000000000000000000000000001", "1." + strings.Repeat("0", 30)}, ""},
		{"f", "float", arrow.PrimitiveTypes.Float32, 700,
			[5]string{"3.4028234e38", "-1.17549435e-38", "NULL", "0.1", "16777217"},
			[5]any{float32(math.MaxFloat32), float32(-1.17549435e-38), nil, float32(0.1), float32(16777216)}, ""},
		{"db", "double", arrow.PrimitiveTypes.Float64, 701,
			[5]string{"1.7976931348623157e308", "-2.2250738585072014e-308", "NULL", "0.1e0 + 0.2e0", "5e-324"},
			[5]any{math.MaxFloat64, -2.2250738585072014e-308, nil, 0.30000000000000004, 5e-324}, ""},
		{"c", "char(5)", arrow.BinaryTypes.String, 25,
			[5]string{"'abcde'", "''", "NULL", "'ü'", "'a b'"}, [5]any{"abcde", "", nil, "ü", "a b"}, ""},
		{"vc", "varchar(255)", arrow.BinaryTypes.String, 1043,
			[5]string{"'héllo ✓ 😀'", "''", "NULL", `'quote '' and backslash \\'`, "'x'"},
			[5]any{"héllo ✓ 😀", "", nil, `quote ' and backslash \`, "x"}, ""},
		{"tx", "text", arrow.BinaryTypes.String, 25,
			[5]string{`'line1\nline2\ttab'`, "''", "NULL", "'z'", "'ünï'"}, [5]any{"line1\nline2\ttab", "", nil, "z", "ünï"}, ""},
		{"mt", "mediumtext", arrow.BinaryTypes.String, 25,
			[5]string{"REPEAT('ab', 50000)", "''", "NULL", "'z'", "'ünï'"}, [5]any{strings.Repeat("ab", 50000), "", nil, "z", "ünï"}, ""},
		{"e", "enum('a','b','ünï')", arrow.BinaryTypes.String, 25,
			[5]string{"'ünï'", "'a'", "NULL", "'b'", "'a'"}, [5]any{"ünï", "a", nil, "b", "a"}, ""},
		{"st", "set('x','y','z')", arrow.BinaryTypes.String, 25,
			[5]string{"'x,z'", "''", "NULL", "'x,y,z'", "'y'"}, [5]any{"x,z", "", nil, "x,y,z", "y"}, ""},
		{"j", "json", connectors.JSONType(), 114,
			[5]string{`'{"k": "ünï ✓", "n": [1, 2.5, null]}'`, "'[]'", "NULL", `'"ünï"'`, "'null'"},
			[5]any{`{"k": "ünï ✓", "n": [1, 2.5, null]}`, "[]", nil, `"ünï"`, "null"}, ""},
		{"bn", "binary(4)", arrow.BinaryTypes.Binary, 17,
			[5]string{"X'00010200'", "X'00000000'", "NULL", "'ab'", "X'FFFFFFFF'"},
			[5]any{[]byte{0, 1, 2, 0}, []byte{0, 0, 0, 0}, nil, []byte{'a', 'b', 0, 0}, []byte{255, 255, 255, 255}}, ""},
		{"vb", "varbinary(10)", arrow.BinaryTypes.Binary, 17,
			[5]string{"X'00FF00'", "''", "NULL", "X'00'", "'abc'"}, [5]any{[]byte{0, 255, 0}, []byte{}, nil, []byte{0}, []byte("abc")}, ""},
		{"bl", "blob", arrow.BinaryTypes.Binary, 17,
			[5]string{"X'000102FF00'", "''", "NULL", "REPEAT(X'00', 1000)", "X'7F'"},
			[5]any{[]byte{0, 1, 2, 255, 0}, []byte{}, nil, make([]byte, 1000), []byte{127}}, ""},
		{"dt", "date", arrow.BinaryTypes.String, 1082,
			[5]string{"'9999-12-31'", "'1000-01-01'", "NULL", "'0000-00-00'", "'2024-02-00'"},
			[5]any{"9999-12-31", "1000-01-01", nil, "0000-00-00", "2024-02-00"}, "it holds zero or invalid dates"},
		{"dtok", "date", arrow.FixedWidthTypes.Date32, 1082,
			[5]string{"'9999-12-31'", "'1000-01-01'", "NULL", "'2024-02-29'", "'1970-01-01'"},
			[5]any{"9999-12-31", "1000-01-01", nil, "2024-02-29", "1970-01-01"}, ""},
		{"dtm", "datetime", arrow.BinaryTypes.String, 1114,
			[5]string{"'9999-12-31 23:59:59'", "'1969-12-31 23:59:59'", "NULL", "'0000-00-00 00:00:00'", "'2023-02-29 10:00:00'"},
			[5]any{"9999-12-31 23:59:59", "1969-12-31 23:59:59", nil, "0000-00-00 00:00:00", "2023-02-29 10:00:00"}, "it holds zero or invalid dates"},
		{"dtm6", "datetime(6)", arrow.BinaryTypes.String, 1114,
			[5]string{"'2024-02-29 12:34:56.123456'", "'1000-01-01 00:00:00.000001'", "NULL", "'2024-00-10 10:00:00'", "'1970-01-01 00:00:00.5'"},
			[5]any{"2024-02-29 12:34:56.123456", "1000-01-01 00:00:00.000001", nil, "2024-00-10 10:00:00.000000", "1970-01-01 00:00:00.500000"}, "it holds zero or invalid dates"},
		{"dtmok", "datetime(6)", tsNoTZ, 1114,
			[5]string{"'2024-02-29 12:34:56.123456'", "'1000-01-01 00:00:00.000001'", "NULL", "'9999-12-31 23:59:59.999999'", "'1970-01-01 00:00:00.5'"},
			[5]any{"2024-02-29 12:34:56.123456", "1000-01-01 00:00:00.000001", nil, "9999-12-31 23:59:59.999999", "1970-01-01 00:00:00.5"}, ""},
		{"ts", "timestamp(6) NULL DEFAULT NULL", arrow.BinaryTypes.String, 1184,
			[5]string{"'2038-01-19 08:44:07.999999'", "'1970-01-01 05:30:01'", "NULL", "'0000-00-00 00:00:00'", "'2024-03-10 12:00:00.000001'"},
			[5]any{"2038-01-19 03:14:07.999999", "1970-01-01 00:00:01.000000", nil, "0000-00-00 00:00:00.000000", "2024-03-10 06:30:00.000001"}, "it holds zero or invalid dates"},
		{"tsok", "timestamp(6) NULL DEFAULT NULL", tsUTC, 1184,
			[5]string{"'2038-01-19 08:44:07.999999'", "'1970-01-01 05:30:01'", "NULL", "'2000-01-01 05:30:00'", "'2024-03-10 12:00:00.000001'"},
			[5]any{"2038-01-19 03:14:07.999999Z", "1970-01-01 00:00:01Z", nil, "2000-01-01 00:00:00Z", "2024-03-10 06:30:00.000001Z"}, ""},
		{"tm", "time", arrow.BinaryTypes.String, 1083,
			[5]string{"'838:59:59'", "'-00:00:01'", "NULL", "'24:00:00'", "'23:59:59'"}, [5]any{"838:59:59", "-00:00:01", nil, "24:00:00", "23:59:59"}, "it holds TIME values outside 00:00:00 to 24:00:00"},
		{"tm6", "time(6)", arrow.BinaryTypes.String, 1083,
			[5]string{"'23:59:59.999999'", "'00:00:00'", "NULL", "'-838:59:59'", "'12:00:00.5'"},
			[5]any{"23:59:59.999999", "00:00:00.000000", nil, "-838:59:59.000000", "12:00:00.500000"}, "it holds TIME values outside 00:00:00 to 24:00:00"},
		{"tmok", "time(6)", arrow.FixedWidthTypes.Time64us, 1083,
			[5]string{"'23:59:59.999999'", "'00:00:00'", "NULL", "'24:00:00'", "'12:00:00.5'"},
			[5]any{"23:59:59.999999", "00:00:00", nil, "24:00:00", "12:00:00.5"}, ""},
		{"g", "geometry", arrow.BinaryTypes.String, 25,
			[5]string{"ST_GeomFromText('POLYGON((0 0,1 0,1 1,0 0))')", "ST_GeomFromText('POINT(0 0)')", "NULL",
				"ST_GeomFromText('LINESTRING(1 2,3 4)')", "ST_GeomFromText('POINT(1.5 -2)')"},
			[5]any{"POLYGON((0 0,1 0,1 1,0 0))", "POINT(0 0)", nil, "LINESTRING(1 2,3 4)", "POINT(1.5 -2)"}, ""},
		{"pt", "point", arrow.BinaryTypes.String, 25,
			[5]string{"POINT(1.5, -2)", "POINT(0, 0)", "NULL", "POINT(-180, 90)", "POINT(1e-3, 1e3)"},
			[5]any{"POINT(1.5 -2)", "POINT(0 0)", nil, "POINT(-180 90)", "POINT(0.001 1000)"}, ""},
	}
}

// typeWarnings are the warnings scanning typeCases must give.
var typeWarnings = []string{
	"column dwide of type decimal(65,30) is cached as text: Arrow decimals hold at most 38 digits",
	"column g of type geometry is cached as text (WKT)",
	"column pt of type point is cached as text (WKT)",
}

// createTypesTable writes typeCases to table t, from a session whose
// time zone is +05:30 and whose sql_mode allows zero and invalid dates.
func createTypesTable(t *testing.T, dsn string, cases []typeCase) {
	t.Helper()
	defs := []string{"id int PRIMARY KEY"}
	for _, c := range cases {
		defs = append(defs, quoteIdent(c.name)+" "+c.ddl)
	}
	var rows []string
	for r := 0; r < 5; r++ {
		vals := []string{fmt.Sprint(r + 1)}
		for _, c := range cases {
			vals = append(vals, c.sql[r])
		}
		rows = append(rows, "("+strings.Join(vals, ", ")+")")
	}
	execAll(t, dsn,
		"SET SESSION time_zone = '+05:30'",
		// Strict, but without NO_ZERO_DATE and NO_ZERO_IN_DATE, and
		// letting a DATETIME hold February 29th of 2023.
		"SET SESSION sql_mode = 'STRICT_ALL_TABLES,ALLOW_INVALID_DATES'",
		"CREATE TABLE t ("+strings.Join(defs, ", ")+")",
		"INSERT INTO t VALUES "+strings.Join(rows, ",\n"))
}

// TestScanTypes writes every mapped type upstream and compares each value
// read back through a scan, the discovered types and the warnings.
func TestScanTypes(t *testing.T) {
	dsn := testenv.MySQL(t)
	cases := typeCases()
	createTypesTable(t, dsn, cases)
	c := openTest(t, dsn)
	ctx := context.Background()
	db := c.cfg.Database

	tables, err := c.Discover(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(tables) != 1 || tables[0].Name != "t" || tables[0].Schema != db || len(tables[0].Columns) != len(cases)+1 {
		t.Fatalf("discovered %+v", tables)
	}
	tbl := tables[0]
	if strings.Join(tbl.PrimaryKey, ",") != "id" || tbl.Columns[0].Nullable || !tbl.Columns[1].Nullable {
		t.Errorf("primary key %v, id nullable %v, b nullable %v", tbl.PrimaryKey, tbl.Columns[0].Nullable, tbl.Columns[1].Nullable)
	}
	for i, tc := range cases {
		col := tbl.Columns[i+1]
		if col.Name != tc.name || col.TypeOID != tc.oid {
			t.Errorf("column %s discovered as %+v, want type OID %d", tc.name, col, tc.oid)
		}
	}
	byName := map[string]connectors.Column{}
	for _, col := range tbl.Columns {
		byName[col.Name] = col
	}
	for name, want := range map[string]string{"d": "decimal(12,2)", "dtm6": "datetime(6)", "vc": "varchar(255)",
		"e": "enum('a','b','ünï')", "st": "set('x','y','z')", "bit1": "bit(1)", "dwide": "decimal(65,30)"} {
		if got := byName[name].DataType; got != want {
			t.Errorf("column %s data type %q, want %q", name, got, want)
		}
	}

	// A column with values its form cannot hold stops the scan: scanned
	// again with it as text until none does, as the cache does.
	req := connectors.ScanRequest{Schema: db, Table: "t", AsText: map[string]string{}}
	for {
		sc, err := c.Scan(ctx, req)
		if err != nil {
			t.Fatal(err)
		}
		for sc.Next() {
		}
		err = sc.Err()
		sc.Release()
		var needs *connectors.NeedsTextError
		if !errors.As(err, &needs) {
			if err != nil {
				t.Fatal(err)
			}
			break
		}
		if _, again := req.AsText[needs.Column]; again {
			t.Fatalf("column %s asked for as text twice", needs.Column)
		}
		req.AsText[needs.Column] = needs.Reason
	}
	for _, tc := range cases {
		if reason, ok := req.AsText[tc.name]; ok != (tc.unavailable != "") || !strings.HasPrefix(reason, tc.unavailable) {
			t.Errorf("column %s: read as text %v (%q), want %q", tc.name, ok, reason, tc.unavailable)
		}
	}
	sc, err := c.Scan(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	defer sc.Release()
	for i, tc := range cases {
		f := sc.Schema().Field(i + 1)
		held, _ := f.Metadata.GetValue(connectors.MetaTextHeld)
		why, _ := f.Metadata.GetValue(connectors.MetaUnavailable)
		if (held == "true") != (tc.unavailable != "") || !strings.HasPrefix(why, tc.unavailable) {
			t.Errorf("column %s: text held %q, unavailable %q", tc.name, held, why)
		}
		if !arrow.TypeEqual(f.Type, tc.arrow) {
			t.Errorf("column %s: Arrow type %s, want %s", tc.name, f.Type, tc.arrow)
		}
		if src, _ := f.Metadata.GetValue(connectors.MetaSourceType); src != byName[tc.name].DataType || !f.Nullable {
			t.Errorf("column %s: source type %q (discovered %q), nullable %v", tc.name, src, byName[tc.name].DataType, f.Nullable)
		}
	}
	if f := sc.Schema().Field(0); f.Nullable {
		t.Error("the primary key's field is nullable")
	}
	got := readAll(t, sc)
	if len(got) != 5 {
		t.Fatalf("read %d rows, want 5", len(got))
	}
	for r, row := range got {
		if row[0] != int64(r+1) {
			t.Fatalf("row %d has id %v: rows out of order", r+1, row[0])
		}
		for i, tc := range cases {
			if want := tc.want[r]; !reflect.DeepEqual(row[i+1], want) {
				t.Errorf("row %d column %s (%s): got %#v, want %#v", r+1, tc.name, tc.sql[r], row[i+1], want)
			}
		}
	}
	if w := sc.Warnings(); !reflect.DeepEqual(w, typeWarnings) {
		t.Errorf("warnings:\n%s\nwant:\n%s", strings.Join(w, "\n"), strings.Join(typeWarnings, "\n"))
	}
}

// TestScanTypeFilters pushes a predicate down on each kind of column and
// checks which rows come back.
func TestScanTypeFilters(t *testing.T) {
	dsn := testenv.MySQL(t)
	createTypesTable(t, dsn, typeCases())
	c := openTest(t, dsn)
	db := c.cfg.Database
	utc := func(y int, mo time.Month, d, h, mi, s, us int) time.Time {
		return time.Date(y, mo, d, h, mi, s, us*1000, time.UTC)
	}
	for _, tc := range []struct {
		filter []connectors.Predicate
		ids    []int64
	}{
		{[]connectors.Predicate{{Column: "u64", Op: ">", Value: "9223372036854775807"}}, []int64{1, 4}},
		{[]connectors.Predicate{{Column: "u64", Op: ">=", Value: int64(1)}}, []int64{1, 4, 5}},
		{[]connectors.Predicate{{Column: "i64", Op: "=", Value: int64(math.MinInt64)}}, []int64{2}},
		{[]connectors.Predicate{{Column: "i8", Op: "<>", Value: 0}}, []int64{1, 2, 5}},
		{[]connectors.Predicate{{Column: "d38", Op: "<", Value: "-1"}}, []int64{2, 5}},
		{[]connectors.Predicate{{Column: "dfrac", Op: ">", Value: "0.99999999999999999999999999999999999998"}}, []int64{1}},
		{[]connectors.Predicate{{Column: "d", Op: "=", Value: "9999999999.99"}}, []int64{1}},
		{[]connectors.Predicate{{Column: "f", Op: ">", Value: 1e38}}, []int64{1}},
		{[]connectors.Predicate{{Column: "db", Op: "=", Value: 0.30000000000000004}}, []int64{4}},
		{[]connectors.Predicate{{Column: "b", Op: "=", Value: true}}, []int64{1, 4}},
		{[]connectors.Predicate{{Column: "bit1", Op: "=", Value: "false"}}, []int64{2, 5}},
		{[]connectors.Predicate{{Column: "bits", Op: "=", Value: int64(1023)}}, []int64{1}},
		{[]connectors.Predicate{{Column: "e", Op: "=", Value: "ünï"}}, []int64{1}},
		{[]connectors.Predicate{{Column: "vc", Op: "=", Value: `quote ' and backslash \`}}, []int64{4}},
		{[]connectors.Predicate{{Column: "vc", Op: "=", Value: `x' OR '1'='1`}}, nil},
		{[]connectors.Predicate{{Column: "dtm6", Op: ">=", Value: utc(2024, 2, 29, 12, 34, 56, 123456)}}, []int64{1}},
		{[]connectors.Predicate{{Column: "dtm6", Op: ">", Value: utc(2024, 2, 29, 12, 34, 56, 123456)}}, nil},
		// TIMESTAMPs compare in UTC, whatever zone wrote them.
		{[]connectors.Predicate{{Column: "ts", Op: ">", Value: utc(1970, 1, 1, 0, 0, 0, 0)},
			{Column: "ts", Op: "<", Value: utc(1970, 1, 1, 0, 0, 2, 0)}}, []int64{2}},
		{[]connectors.Predicate{{Column: "ts", Op: "=", Value: utc(2024, 3, 10, 6, 30, 0, 1)}}, []int64{5}},
		{[]connectors.Predicate{{Column: "dt", Op: "=", Value: utc(9999, 12, 31, 0, 0, 0, 0)}}, []int64{1}},
		{[]connectors.Predicate{{Column: "dt", Op: "<", Value: utc(1000, 1, 1, 12, 0, 0, 0)}, {Column: "dt", Op: ">", Value: "0999-01-01"}}, []int64{2}},
		{[]connectors.Predicate{{Column: "tm6", Op: "=", Value: time.Date(0, 1, 1, 12, 0, 0, 500_000_000, time.UTC)}}, []int64{5}},
		{[]connectors.Predicate{{Column: "g", Op: "=", Value: "POINT(0 0)"}}, []int64{2}},
		{[]connectors.Predicate{{Column: "ID", Op: "<=", Value: int64(2)}}, []int64{1, 2}},
	} {
		sc, err := c.Scan(context.Background(), connectors.ScanRequest{Schema: db, Table: "t",
			Columns: []connectors.Column{{Name: "id"}}, Filter: tc.filter})
		if err != nil {
			t.Errorf("filter %+v: %v", tc.filter, err)
			continue
		}
		var ids []int64
		for _, row := range readAll(t, sc) {
			ids = append(ids, row[0].(int64))
		}
		sc.Release()
		if fmt.Sprint(ids) != fmt.Sprint(tc.ids) {
			t.Errorf("filter %+v: ids %v, want %v", tc.filter, ids, tc.ids)
		}
	}
	for _, bad := range []connectors.Predicate{
		{Column: "nope", Op: "=", Value: int64(1)},
		{Column: "id", Op: "LIKE", Value: int64(1)},
		{Column: "id", Op: "= 1 OR 1 =", Value: int64(1)},
		{Column: "id", Op: "=", Value: "1; DROP TABLE t"},
		{Column: "id", Op: "=", Value: math.NaN()},
		{Column: "vc", Op: "=", Value: []byte("x")},
	} {
		if sc, err := c.Scan(context.Background(), connectors.ScanRequest{Schema: db, Table: "t", Filter: []connectors.Predicate{bad}}); err == nil {
			sc.Release()
			t.Errorf("filter %+v was accepted", bad)
		}
	}
}

// readAll reads a scan's rows, normalized by cell.
func readAll(t *testing.T, sc connectors.Scan) [][]any {
	t.Helper()
	var rows [][]any
	for sc.Next() {
		rec := sc.RecordBatch()
		for r := 0; r < int(rec.NumRows()); r++ {
			row := make([]any, rec.NumCols())
			for ci := range row {
				row[ci] = cell(rec.Column(ci), r)
			}
			rows = append(rows, row)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return rows
}

// cell normalizes one Arrow value: integers as int64 or uint64, floats
// as themselves, decimals and dates as text, timestamps as text with a Z
// when the type has a time zone, binary as []byte, NULL as nil.
func cell(a arrow.Array, i int) any {
	if a.IsNull(i) {
		return nil
	}
	switch v := a.(type) {
	case *array.Boolean:
		return v.Value(i)
	case *array.Int8:
		return int64(v.Value(i))
	case *array.Int16:
		return int64(v.Value(i))
	case *array.Int32:
		return int64(v.Value(i))
	case *array.Int64:
		return v.Value(i)
	case *array.Uint8:
		return uint64(v.Value(i))
	case *array.Uint16:
		return uint64(v.Value(i))
	case *array.Uint32:
		return uint64(v.Value(i))
	case *array.Uint64:
		return v.Value(i)
	case *array.Float32:
		return v.Value(i)
	case *array.Float64:
		return v.Value(i)
	case *array.Decimal128:
		return v.Value(i).ToString(v.DataType().(*arrow.Decimal128Type).Scale)
	case *array.String:
		return v.Value(i)
	case *extensions.JSONArray:
		return v.Storage().(*array.String).Value(i)
	case *array.Binary:
		return append([]byte{}, v.Value(i)...)
	case *array.Date32:
		return v.Value(i).ToTime().Format("2006-01-02")
	case *array.Timestamp:
		ts := v.Value(i).ToTime(arrow.Microsecond).UTC().Format("2006-01-02 15:04:05.999999")
		if v.DataType().(*arrow.TimestampType).TimeZone != "" {
			ts += "Z"
		}
		return ts
	case *array.Time64:
		if v.Value(i) == microsPerDay {
			return "24:00:00"
		}
		return time.Unix(0, 0).UTC().Add(time.Duration(v.Value(i)) * time.Microsecond).Format("15:04:05.999999")
	}
	return fmt.Sprintf("unexpected %T", a)
}
