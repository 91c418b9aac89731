package bigquery

import (
	"context"
	"fmt"
	"math"
	"math/big"
	"strings"
	"testing"
	"time"

	"cloud.google.com/go/bigquery"
	"cloud.google.com/go/civil"
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/hotdata-dev/hotdata/connectors"
	"github.com/hotdata-dev/hotdata/internal/testenv"
)

// allTypesSQL makes a table with a column of each of BigQuery's 14
// types the connector maps, with edge values, one row per case.
const allTypesSQL = `CREATE TABLE %[1]s.all_types (
	id INT64 NOT NULL, i INT64, n NUMERIC, n2 NUMERIC(12,2), bn BIGNUMERIC, f FLOAT64, s STRING, b BYTES, t BOOL,
	d DATE, dt DATETIME, tm TIME, ts TIMESTAMP, j JSON, a ARRAY<INT64>, sa ARRAY<STRING>,
	st STRUCT<x INT64, y STRING, z NUMERIC>)`

var allTypesRows = []string{
	`(1, 9223372036854775807, NUMERIC '99999999999999999999999999999.999999999', NUMERIC '-1234567890.12',
	  BIGNUMERIC '-12345678901234567890123456789012345678.12345678901234567890123456789012345678', 1.5, 'ünï ✓', b'\x00\xff\x01', true,
	  DATE '0001-01-01', DATETIME '1900-01-01 00:00:00.000001', TIME '23:59:59.999999', TIMESTAMP '1969-12-31 23:59:59.999999+00',
	  JSON '{"b":1,"a":[true,null]}', [1, -2, 3], ['x', '', 'y'], STRUCT(1 AS x, 'q"uote' AS y, NUMERIC '0.5' AS z))`,
	`(2, -9223372036854775808, NUMERIC '-0.000000001', NUMERIC '0', BIGNUMERIC '0.00000000000000000000000000000000000001',
	  -2.2250738585072014e-308, '', b'', false, DATE '9999-12-31', DATETIME '9999-12-31 23:59:59.999999', TIME '00:00:00', TIMESTAMP '2024-02-29 12:00:00.5+00',
	  JSON 'null', [], [], STRUCT(NULL AS x, NULL AS y, NULL AS z))`,
	`(3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)`,
}

// wantTypes are each column's Arrow type, PostgreSQL OID and served name.
var wantTypes = []struct {
	col   string
	arrow string
	oid   uint32
	name  string
}{
	{"id", "int64", 20, "bigint"},
	{"i", "int64", 20, "bigint"},
	{"n", "utf8", 1700, "numeric"},
	// The emulator drops NUMERIC's parameters (TestParameterizedTypes
	// covers them).
	{"n2", "utf8", 1700, "numeric"},
	{"bn", "utf8", 1700, "numeric"},
	{"f", "float64", 701, "double precision"},
	{"s", "utf8", 25, "text"},
	{"b", "binary", 17, "bytea"},
	{"t", "bool", 16, "boolean"},
	{"d", "date32", 1082, "date"},
	{"dt", "timestamp[us]", 1114, "timestamp without time zone"},
	{"tm", "time64[us]", 1083, "time without time zone"},
	{"ts", "timestamp[us, tz=UTC]", 1184, "timestamp with time zone"},
	{"j", "extension<arrow.json[storage_type=utf8]>", 114, "json"},
	{"a", "list<item: int64, nullable>", 1016, "bigint[]"},
	{"sa", "list<item: utf8, nullable>", 1009, "text[]"},
	{"st", "extension<arrow.json[storage_type=utf8]>", 114, "json"},
}

// wantValues are the rows as cellText prints them.
var wantValues = [][]string{
	{"1", "9223372036854775807", "99999999999999999999999999999.999999999", "-1234567890.12",
		"-12345678901234567890123456789012345678.12345678901234567890123456789012345678", "1.5", "ünï ✓", "00ff01", "true",
		"0001-01-01", "1900-01-01T00:00:00.000001", "23:59:59.999999", "1969-12-31T23:59:59.999999Z",
		`{"a":[true,null],"b":1}`, "[1 -2 3]", "[x  y]", `{"x":1,"y":"q\"uote","z":0.5}`},
	{"2", "-9223372036854775808", "-0.000000001", "0", "0.00000000000000000000000000000000000001",
		"-2.2250738585072014e-308", "", "", "false", "9999-12-31", "9999-12-31T23:59:59.999999", "00:00:00", "2024-02-29T12:00:00.5Z",
		"null", "[]", "[]", `{"x":null,"y":null,"z":null}`},
	{"3", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL", "[]", "[]", "NULL"},
}

// TestTypes reads every type through each path the emulator serves,
// compares the values one by one, and checks the Arrow types and the
// PostgreSQL types discovery reports.
func TestTypes(t *testing.T) {
	const ds = "types"
	e, cfg := emulator(t, ds, false)
	testenv.BigQueryExec(t, e, fmt.Sprintf(allTypesSQL, ds), "INSERT INTO "+ds+".all_types (id, i, n, n2, bn, f, s, b, t, d, dt, tm, ts, j, a, sa, st) VALUES "+strings.Join(allTypesRows, ", "))
	c := openConnector(t, cfg)
	defer c.Close()
	ctx := context.Background()

	tables, err := c.Discover(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var tab *connectors.Table
	for i := range tables {
		if tables[i].Name == "all_types" {
			tab = &tables[i]
		}
	}
	if tab == nil || len(tab.Columns) != len(wantTypes) {
		t.Fatalf("discovered %+v", tables)
	}
	for i, w := range wantTypes {
		col := tab.Columns[i]
		if col.Name != w.col || col.TypeOID != w.oid {
			t.Errorf("column %d: %s oid %d (%s), want %s oid %d", i, col.Name, col.TypeOID, col.DataType, w.col, w.oid)
		}
	}

	for _, tc := range []struct {
		name   string
		filter []connectors.Predicate
	}{
		{"table", nil},
		{"query", []connectors.Predicate{{Column: "id", Op: ">", Value: int64(0)}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			scan, err := c.Scan(ctx, connectors.ScanRequest{Schema: ds, Table: "all_types", Filter: tc.filter})
			if err != nil {
				t.Fatal(err)
			}
			defer scan.Release()
			for i, w := range wantTypes {
				f := scan.Schema().Field(i)
				if f.Type.String() != w.arrow {
					t.Errorf("column %s: Arrow type %s, want %s", w.col, f.Type, w.arrow)
				}
			}
			got := map[string][]string{}
			for scan.Next() {
				rec := scan.RecordBatch()
				for r := 0; r < int(rec.NumRows()); r++ {
					var row []string
					for j := range rec.NumCols() {
						row = append(row, cellText(rec.Column(int(j)), r))
					}
					got[row[0]] = row
				}
			}
			if err := scan.Err(); err != nil {
				t.Fatal(err)
			}
			for _, want := range wantValues {
				row := got[want[0]]
				if row == nil {
					t.Errorf("row %s missing", want[0])
					continue
				}
				for j := range want {
					if row[j] != want[j] {
						t.Errorf("row %s column %s = %q, want %q", want[0], wantTypes[j].col, row[j], want[j])
					}
				}
			}
			if len(got) != len(wantValues) {
				t.Errorf("%d rows, want %d", len(got), len(wantValues))
			}
		})
	}
}

// cellText prints a cell for comparison: decimals exactly, times in
// RFC 3339 (UTC), bytes in hex, lists as [a b].
func cellText(a arrow.Array, i int) string {
	if a.IsNull(i) {
		return "NULL"
	}
	switch a := a.(type) {
	case *array.Decimal128:
		dt := a.DataType().(*arrow.Decimal128Type)
		r := new(big.Rat).SetFrac(a.Value(i).BigInt(), new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(dt.Scale)), nil))
		return decimalText(r)
	case *array.Timestamp:
		return a.Value(i).ToTime(arrow.Microsecond).UTC().Format(map[bool]string{true: "2006-01-02T15:04:05.999999Z", false: "2006-01-02T15:04:05.999999"}[a.DataType().(*arrow.TimestampType).TimeZone != ""])
	case *array.Date32:
		return a.Value(i).ToTime().Format("2006-01-02")
	case *array.Time64:
		us := int64(a.Value(i))
		return timeText(civil.Time{Hour: int(us / 3_600_000_000), Minute: int(us / 60_000_000 % 60), Second: int(us / 1_000_000 % 60), Nanosecond: int(us%1_000_000) * 1000})
	case *array.Binary:
		return fmt.Sprintf("%x", a.Value(i))
	case *array.Float64:
		return fmt.Sprint(a.Value(i))
	case *array.List:
		start, end := a.ValueOffsets(i)
		var parts []string
		for k := start; k < end; k++ {
			parts = append(parts, cellText(a.ListValues(), int(k)))
		}
		return "[" + strings.Join(parts, " ") + "]"
	}
	return a.ValueStr(i)
}

// TestValueConversions checks the decoders on values the emulator
// cannot produce (a NUMERIC with too many digits for its column).
func TestValueConversions(t *testing.T) {
	if _, err := ratToDecimal(big.NewRat(1, 3), 38, 9); err == nil {
		t.Error("1/3 became a decimal")
	}
	if _, err := ratToDecimal(new(big.Rat).SetInt64(1000), 3, 0); err == nil {
		t.Error("1000 fit numeric(3,0)")
	}
	d, err := ratToDecimal(big.NewRat(-1, 100), 12, 2)
	if err != nil || d.BigInt().Int64() != -1 {
		t.Errorf("-0.01 as numeric(12,2) = %v, %v", d, err)
	}
	if s := decimalText(big.NewRat(-5, 10)); s != "-0.5" {
		t.Errorf("decimalText(-1/2) = %q", s)
	}
	f := &bigquery.FieldSchema{Name: "s", Type: bigquery.RecordFieldType, Schema: bigquery.Schema{
		{Name: "t", Type: bigquery.TimestampFieldType}, {Name: "b", Type: bigquery.BytesFieldType}, {Name: "f", Type: bigquery.FloatFieldType, Repeated: true}}}
	s, err := textOf(f, []bigquery.Value{time.Date(2024, 1, 2, 3, 4, 5, 6000, time.UTC), []byte{0xff}, []bigquery.Value{1.5, mathInf()}})
	if want := `{"t":"2024-01-02T03:04:05.000006Z","b":"/w==","f":[1.5,"Infinity"]}`; err != nil || s != want {
		t.Errorf("struct as JSON = %s, %v; want %s", s, err, want)
	}
}

func mathInf() float64 { return math.Inf(1) }

// TestTypesStorage reads each column of every type over the Storage
// Read API, alone with id, on a fresh connector: each is read exactly
// over it, or (where the emulator's Storage API mis-encodes the type)
// the read falls back to tabledata.list, says so, and is still exact.
// The emulator serves INT64, FLOAT64, STRING, BOOL, TIMESTAMP and JSON
// exactly over it, so the test fails if the Storage path stops being
// used for them; it fails on NUMERIC, BIGNUMERIC, DATETIME, TIME and
// STRUCT (the fallback is checked); and it sends wrong values for BYTES
// (base64 text as bytes), DATE (outside 1677–2262) and ARRAY (one
// element per row), which the Arrow cannot show: those are verified over
// REST only (TestTypes).
func TestTypesStorage(t *testing.T) {
	const ds = "types"
	e, cfg := emulator(t, ds, true)
	testenv.BigQueryExec(t, e, fmt.Sprintf(allTypesSQL, ds), "INSERT INTO "+ds+".all_types (id, i, n, n2, bn, f, s, b, t, d, dt, tm, ts, j, a, sa, st) VALUES "+strings.Join(allTypesRows, ", "))
	ctx := context.Background()
	var served []string
	for j := 1; j < len(wantTypes); j++ {
		col := wantTypes[j].col
		c := openConnector(t, cfg)
		scan, err := c.Scan(ctx, connectors.ScanRequest{Schema: ds, Table: "all_types", Columns: []connectors.Column{{Name: "id"}, {Name: col}}})
		if err != nil {
			t.Fatalf("%s: %v", col, err)
		}
		got := map[string]string{}
		for scan.Next() {
			rec := scan.RecordBatch()
			for r := 0; r < int(rec.NumRows()); r++ {
				got[cellText(rec.Column(0), r)] = cellText(rec.Column(1), r)
			}
		}
		if err := scan.Err(); err != nil {
			t.Fatalf("%s: %v", col, err)
		}
		fellBack := strings.Contains(strings.Join(scan.Warnings(), " "), "Storage Read API failed")
		if !fellBack {
			served = append(served, col)
		}
		scan.Release()
		c.Close()
		if emulatorStorageWrong[col] && !fellBack {
			continue // the emulator's values are wrong: not comparable
		}
		for _, want := range wantValues {
			if got[want[0]] != want[j] {
				t.Errorf("%s (storage used: %v) row %s = %q, want %q", col, !fellBack, want[0], got[want[0]], want[j])
			}
		}
	}
	t.Logf("read over the emulator's Storage Read API: %v", served)
	if want := "i,f,s,b,t,d,ts,j,a,sa"; strings.Join(served, ",") != want {
		t.Errorf("columns read over the Storage Read API: %s, want %s", strings.Join(served, ","), want)
	}
}

// emulatorStorageWrong are the columns whose values the emulator's
// Storage Read API encodes wrongly (see TestTypesStorage).
var emulatorStorageWrong = map[string]bool{"b": true, "d": true, "a": true, "sa": true}
