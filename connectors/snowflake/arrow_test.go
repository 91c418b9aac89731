package snowflake

import (
	"context"
	"errors"
	"math"
	"net"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/hotdata-dev/hotdata/connectors"
)

// fixed is a NUMBER column's field as Snowflake sends it.
func fixed(name string, t arrow.DataType, scale string) arrow.Field {
	return arrow.Field{Name: name, Type: t, Nullable: true,
		Metadata: arrow.NewMetadata([]string{"logicalType", "scale"}, []string{"FIXED", scale})}
}

var (
	epochFraction    = arrow.StructOf(arrow.Field{Name: "epoch", Type: arrow.PrimitiveTypes.Int64}, arrow.Field{Name: "fraction", Type: arrow.PrimitiveTypes.Int32})
	epochFractionTZ  = arrow.StructOf(arrow.Field{Name: "epoch", Type: arrow.PrimitiveTypes.Int64}, arrow.Field{Name: "fraction", Type: arrow.PrimitiveTypes.Int32}, arrow.Field{Name: "timezone", Type: arrow.PrimitiveTypes.Int32})
	snowflakeColumns = [][]any{
		// name, DATA_TYPE, precision, scale, length, fraction, collation
		{"ID", "NUMBER", "38", "0", nil, nil},
		{"N18", "NUMBER", "18", "0", nil, nil},
		{"AMT", "NUMBER", "12", "2", nil, nil},
		{"BIG", "NUMBER", "38", "10", nil, nil},
		{"F", "FLOAT", nil, nil, nil, nil},
		{"S", "TEXT", nil, nil, "16777216", nil},
		{"B", "BOOLEAN", nil, nil, nil, nil},
		{"D", "DATE", nil, nil, nil, nil},
		{"T", "TIME", nil, nil, nil, "9"},
		{"NTZ", "TIMESTAMP_NTZ", nil, nil, nil, "9"},
		{"LTZ", "TIMESTAMP_LTZ", nil, nil, nil, "9"},
		{"TZ", "TIMESTAMP_TZ", nil, nil, nil, "9"},
		{"BIN", "BINARY", nil, nil, "8388608", nil},
		{"V", "VARIANT", nil, nil, nil, nil},
		{"G", "GEOGRAPHY", nil, nil, nil, nil},
	}
)

// snowflakeRecord builds rows of table T in Snowflake's Arrow forms;
// each row is one of the cases below (2: NULLs).
func snowflakeRecord(cases ...int) (arrow.RecordBatch, []map[string]any) {
	schema := arrow.NewSchema([]arrow.Field{
		fixed("ID", arrow.PrimitiveTypes.Int8, "0"),
		fixed("N18", arrow.PrimitiveTypes.Int64, "0"),
		fixed("AMT", arrow.PrimitiveTypes.Int32, "2"),
		fixed("BIG", &arrow.Decimal128Type{Precision: 38, Scale: 10}, "10"),
		{Name: "F", Type: arrow.PrimitiveTypes.Float64, Nullable: true},
		{Name: "S", Type: arrow.BinaryTypes.String, Nullable: true},
		{Name: "B", Type: arrow.FixedWidthTypes.Boolean, Nullable: true},
		{Name: "D", Type: arrow.FixedWidthTypes.Date32, Nullable: true},
		fixed("T", arrow.PrimitiveTypes.Int64, "9"),
		fixed("NTZ", epochFraction, "9"),
		fixed("LTZ", epochFraction, "9"),
		fixed("TZ", epochFractionTZ, "9"),
		{Name: "BIN", Type: arrow.BinaryTypes.Binary, Nullable: true},
		{Name: "V", Type: arrow.BinaryTypes.String, Nullable: true},
		{Name: "G", Type: arrow.BinaryTypes.String, Nullable: true},
	}, nil)
	b := array.NewRecordBuilder(memory.DefaultAllocator, schema)
	defer b.Release()
	big, _ := decimal128.FromString("-1234567890123456789012345678.0123456789", 38, 10)
	stamp := func(i int, epoch int64, frac int32, tz ...int32) {
		sb := b.Field(i).(*array.StructBuilder)
		sb.Append(true)
		sb.FieldBuilder(0).(*array.Int64Builder).Append(epoch)
		sb.FieldBuilder(1).(*array.Int32Builder).Append(frac)
		if len(tz) > 0 {
			sb.FieldBuilder(2).(*array.Int32Builder).Append(tz[0])
		}
	}
	for _, c := range cases {
		switch c {
		case 0:
			b.Field(0).(*array.Int8Builder).Append(1)
			b.Field(1).(*array.Int64Builder).Append(999999999999999999)
			b.Field(2).(*array.Int32Builder).Append(1999)
			b.Field(3).(*array.Decimal128Builder).Append(big)
			b.Field(4).(*array.Float64Builder).Append(0.1)
			b.Field(5).(*array.StringBuilder).Append("ünïcode ✓")
			b.Field(6).(*array.BooleanBuilder).Append(true)
			b.Field(7).(*array.Date32Builder).Append(arrow.Date32FromTime(time.Date(1969, 7, 20, 0, 0, 0, 0, time.UTC)))
			b.Field(8).(*array.Int64Builder).Append(86399_999999_000)
			stamp(9, -1, 999999000)                    // 1969-12-31 23:59:59.999999
			stamp(10, 1709296245, 123456000)           // 2024-03-01 12:30:45.123456 UTC
			stamp(11, 1709289045, 123456000, 1440+120) // 2024-03-01 12:30:45.123456+02:00
			b.Field(12).(*array.BinaryBuilder).Append([]byte{0, 0xff})
			b.Field(13).(*array.StringBuilder).Append(`{"a": 1}`)
			b.Field(14).(*array.StringBuilder).Append("POINT(1 2)")
		case 1:
			b.Field(0).(*array.Int8Builder).Append(2)
			b.Field(1).(*array.Int64Builder).Append(-5)
			b.Field(2).(*array.Int32Builder).Append(-1)
			b.Field(3).(*array.Decimal128Builder).Append(decimal128.Num{})
			b.Field(4).(*array.Float64Builder).Append(math.NaN())
			b.Field(5).(*array.StringBuilder).Append("")
			b.Field(6).(*array.BooleanBuilder).Append(false)
			b.Field(7).(*array.Date32Builder).Append(arrow.Date32FromTime(time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC)))
			b.Field(8).(*array.Int64Builder).Append(0)
			stamp(9, -62135596800, 0) // 0001-01-01
			stamp(10, 0, 0)
			stamp(11, 0, 500000000, 1440-480) // 1969-12-31 16:00:00.5-08:00
			b.Field(12).(*array.BinaryBuilder).Append([]byte{})
			b.Field(13).(*array.StringBuilder).Append(`"just a string"`)
			b.Field(14).(*array.StringBuilder).Append("")
		case 2:
			b.Field(0).(*array.Int8Builder).Append(3)
			for i := 1; i < len(schema.Fields()); i++ {
				b.Field(i).AppendNull()
			}
		case 3: // nanoseconds
			b.Field(0).(*array.Int8Builder).Append(4)
			for i := 1; i < len(schema.Fields()); i++ {
				if i == 9 {
					stamp(9, 0, 123456789)
					continue
				}
				b.Field(i).AppendNull()
			}
		}
	}
	rowType := []map[string]any{
		{"name": "ID", "type": "fixed", "precision": 38, "scale": 0, "nullable": false},
		{"name": "N18", "type": "fixed", "precision": 18, "scale": 0, "nullable": true},
		{"name": "AMT", "type": "fixed", "precision": 12, "scale": 2, "nullable": true},
		{"name": "BIG", "type": "fixed", "precision": 38, "scale": 10, "nullable": true},
		{"name": "F", "type": "real", "nullable": true},
		{"name": "S", "type": "text", "length": 16777216, "nullable": true},
		{"name": "B", "type": "boolean", "nullable": true},
		{"name": "D", "type": "date", "nullable": true},
		{"name": "T", "type": "time", "scale": 9, "nullable": true},
		{"name": "NTZ", "type": "timestamp_ntz", "scale": 9, "nullable": true},
		{"name": "LTZ", "type": "timestamp_ltz", "scale": 9, "nullable": true},
		{"name": "TZ", "type": "timestamp_tz", "scale": 9, "nullable": true},
		{"name": "BIN", "type": "binary", "length": 8388608, "nullable": true},
		{"name": "V", "type": "variant", "nullable": true},
		{"name": "G", "type": "text", "nullable": true},
	}
	return b.NewRecordBatch(), rowType
}

// fakeDial connects every address to the fake server and notes which
// addresses were asked for.
type fakeDial struct {
	target string
	mu     sync.Mutex
	addrs  []string
}

func (d *fakeDial) dial(ctx context.Context, network, addr string) (net.Conn, error) {
	d.mu.Lock()
	d.addrs = append(d.addrs, addr)
	d.mu.Unlock()
	var nd net.Dialer
	return nd.DialContext(ctx, network, d.target)
}

func (d *fakeDial) asked() string {
	d.mu.Lock()
	defer d.mu.Unlock()
	return strings.Join(d.addrs, " ")
}

// scriptSnowflake scripts the fake for table PUBLIC.T (and view V): a
// Snowflake that sends Arrow, with the first two rows inline and the
// third in a chunk downloaded from stage.invalid.
func scriptSnowflake(t *testing.T, f *fakeSnowflake) {
	first, rowType := snowflakeRecord(0, 1)
	defer first.Release()
	chunk, _ := snowflakeRecord(2)
	defer chunk.Release()
	f.chunks = append(f.chunks, ipcStream(t, chunk))
	one := array.NewRecordBuilder(memory.DefaultAllocator, arrow.NewSchema([]arrow.Field{fixed("1", arrow.PrimitiveTypes.Int8, "0")}, nil))
	defer one.Release()
	one.Field(0).(*array.Int8Builder).Append(1)
	oneRec := one.NewRecordBatch()
	defer oneRec.Release()

	f.on(`SELECT LENGTH('\\')`, jsonResult([]string{"LENGTH('\\\\')"}, [][]any{{"1"}}))
	f.on("SELECT 1", arrowResult(t, "q-one", []map[string]any{{"name": "1", "type": "fixed", "precision": 1, "scale": 0}}, oneRec, nil, nil))
	f.on(`SELECT * FROM INFORMATION_SCHEMA."TABLES"`, jsonResult(
		[]string{"TABLE_CATALOG", "TABLE_SCHEMA", "TABLE_NAME", "TABLE_OWNER", "TABLE_TYPE", "ROW_COUNT", "BYTES"},
		[][]any{{"DB", "PUBLIC", "T", "SYSADMIN", "BASE TABLE", "3", "2048"}, {"DB", "PUBLIC", "V", "SYSADMIN", "VIEW", nil, nil}}))
	var colRows [][]any
	for _, table := range []string{"T", "V"} {
		for i, c := range snowflakeColumns {
			nullable := "YES"
			if i == 0 {
				nullable = "NO"
			}
			var collation any
			if len(c) > 6 {
				collation = c[6]
			}
			colRows = append(colRows, []any{"PUBLIC", table, c[0], itoa(int64(i + 1)), c[1], nullable, c[2], c[3], c[4], c[5], collation})
		}
	}
	f.on("SELECT TABLE_SCHEMA, TABLE_NAME, COLUMN_NAME", jsonResult(
		[]string{"TABLE_SCHEMA", "TABLE_NAME", "COLUMN_NAME", "ORDINAL_POSITION", "DATA_TYPE", "IS_NULLABLE", "NUMERIC_PRECISION", "NUMERIC_SCALE", "CHARACTER_MAXIMUM_LENGTH", "DATETIME_PRECISION", "COLLATION_NAME"},
		colRows))
	f.on("SHOW PRIMARY KEYS IN DATABASE", jsonResult(
		[]string{"created_on", "database_name", "schema_name", "table_name", "column_name", "key_sequence", "constraint_name", "rely", "comment"},
		[][]any{{"2024-01-01", "DB", "PUBLIC", "T", "ID", "1", "SYS_CONSTRAINT_T", "false", nil}}))
	f.on("SELECT BYTES_SCANNED", jsonResult([]string{"BYTES_SCANNED"}, [][]any{{"4096"}}))
	f.on(`SELECT "ID"`, arrowResult(t, "q-scan", rowType, first, []string{"http://stage.invalid/chunks/0"}, []int{1}))
}

func fakeConfig(f *fakeSnowflake, d *fakeDial) Config {
	_, port, _ := net.SplitHostPort(strings.TrimPrefix(f.srv.URL, "http://"))
	cfg := Config{Account: "xy12345.us-east-1", User: "ME", Database: "DB", Protocol: "http", Dial: d.dial}
	for _, c := range port {
		cfg.Port = cfg.Port*10 + int(c-'0')
	}
	return cfg
}

// TestArrowScan reads a table as Snowflake sends it (Arrow, NUMBERs
// unscaled in the narrowest integers, timestamps as epoch and fraction,
// a result chunk from the stage), through gosnowflake's Arrow batches.
func TestArrowScan(t *testing.T) {
	f := newFakeSnowflake(t)
	scriptSnowflake(t, f)
	d := &fakeDial{target: strings.TrimPrefix(f.srv.URL, "http://")}
	cfg := fakeConfig(f, d)
	c := openConnector(t, cfg, "secret-password")
	ctx := context.Background()

	if err := c.Test(ctx); err != nil {
		t.Fatal(err)
	}
	tables, err := c.Discover(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(tables) != 2 || tables[0].Name != "T" || tables[1].Name != "V" {
		t.Fatalf("discovered %+v", tables)
	}
	tt := tables[0]
	if strings.Join(tt.PrimaryKey, ",") != "ID" || tt.PrimaryKeyName != "SYS_CONSTRAINT_T" || tt.RowEstimate != 3 || tables[1].RowEstimate != 0 || len(tables[1].PrimaryKey) != 0 {
		t.Errorf("table T: key %v %q, rows %d; view V: rows %d key %v", tt.PrimaryKey, tt.PrimaryKeyName, tt.RowEstimate, tables[1].RowEstimate, tables[1].PrimaryKey)
	}
	wantCols := "ID NUMBER(38,0) 1700 false, N18 NUMBER(18,0) 20 true, AMT NUMBER(12,2) 1700 true, BIG NUMBER(38,10) 1700 true, F FLOAT 701 true, " +
		"S VARCHAR(16777216) 25 true, B BOOLEAN 16 true, D DATE 1082 true, T TIME(9) 1083 true, NTZ TIMESTAMP_NTZ(9) 1114 true, " +
		"LTZ TIMESTAMP_LTZ(9) 1184 true, TZ TIMESTAMP_TZ(9) 1184 true, BIN BINARY(8388608) 17 true, V VARIANT 114 true, G GEOGRAPHY 25 true"
	var gotCols []string
	for _, col := range tt.Columns {
		gotCols = append(gotCols, strings.Join([]string{col.Name, col.DataType, itoa(int64(col.TypeOID)), boolText(col.Nullable)}, " "))
	}
	if strings.Join(gotCols, ", ") != wantCols {
		t.Errorf("columns:\n%s\nwant\n%s", strings.Join(gotCols, ", "), wantCols)
	}

	scan, err := c.Scan(ctx, connectors.ScanRequest{Table: "T", BatchRows: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer scan.Release()
	var rows [][]any
	batches := 0
	for scan.Next() {
		batches++
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
	want := [][]any{
		{"1", int64(999999999999999999), "19.99", "-1234567890123456789012345678.0123456789", 0.1, "ünïcode ✓", true, "1969-07-20", "23:59:59.999999",
			utc("1969-12-31 23:59:59.999999 +00:00"), utc("2024-03-01 12:30:45.123456 +00:00"), utc("2024-03-01 10:30:45.123456 +00:00"), "\x00\xff", `{"a": 1}`, "POINT(1 2)"},
		{"2", int64(-5), "-0.01", "0.0000000000", math.NaN(), "", false, "0001-01-01", "00:00:00",
			utc("0001-01-01 00:00:00 +00:00"), utc("1970-01-01 00:00:00 +00:00"), utc("1970-01-01 00:00:00.5 +00:00"), "", `"just a string"`, ""},
		{"3", nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil},
	}
	if len(rows) != len(want) || batches != 2 {
		t.Fatalf("%d rows in %d batches, want 3 in 2: %v", len(rows), batches, rows)
	}
	for i, w := range want {
		for j := range w {
			if !same(rows[i][j], w[j]) {
				t.Errorf("row %d column %s: got %#v, want %#v", i+1, snowflakeColumns[j][0], rows[i][j], w[j])
			}
		}
	}
	wantTypes := "decimal(38, 0) int64 decimal(12, 2) decimal(38, 10) float64 utf8 bool date32 time64[us] timestamp[us] timestamp[us, tz=UTC] timestamp[us, tz=UTC] binary extension<arrow.json[storage_type=utf8]> utf8"
	var types []string
	for _, fl := range scan.Schema().Fields() {
		types = append(types, fl.Type.String())
	}
	if strings.Join(types, " ") != wantTypes {
		t.Errorf("Arrow types %s", strings.Join(types, " "))
	}
	if w := scan.Warnings(); len(w) != 1 || !strings.Contains(w[0], "column G of type GEOGRAPHY is cached as text") {
		t.Errorf("warnings %v", w)
	}
	if n := scan.(connectors.MeteredScan).BytesScanned(); n != 4096 {
		t.Errorf("bytes scanned %d, want 4096 (from the query history)", n)
	}

	var scanSQL string
	for _, q := range f.statements() {
		if strings.HasPrefix(q, `SELECT "ID"`) {
			scanSQL = q
		}
	}
	for _, part := range []string{`CAST("T" AS TIME(9))`, `CAST("NTZ" AS TIMESTAMP_NTZ(9))`, `CAST("LTZ" AS TIMESTAMP_LTZ(9))`,
		`CAST("TZ" AS TIMESTAMP_TZ(9))`, `CAST("G" AS VARCHAR)`, `"AMT", "BIG"`, `FROM "PUBLIC"."T"`} {
		if !strings.Contains(scanSQL, part) {
			t.Errorf("scan SQL %s lacks %s", scanSQL, part)
		}
	}
	// Every connection went through the dialer: the account's host and
	// the stage a chunk came from.
	host := "xy12345.us-east-1.snowflakecomputing.com:" + itoa(int64(cfg.Port))
	if asked := d.asked(); !strings.Contains(asked, host) || !strings.Contains(asked, "stage.invalid:80") {
		t.Errorf("dialled %s, want %s and stage.invalid:80", asked, host)
	}
	f.mu.Lock()
	login := f.logins[0]
	f.mu.Unlock()
	params, _ := login["SESSION_PARAMETERS"].(map[string]any)
	if login["ACCOUNT_NAME"] != "xy12345" || login["LOGIN_NAME"] != "ME" || login["PASSWORD"] != "secret-password" ||
		params["TIMEZONE"] != "UTC" || params["GO_QUERY_RESULT_FORMAT"] != "ARROW" || params["STATEMENT_TIMEOUT_IN_SECONDS"] != "3600" || params["TIMESTAMP_TZ_OUTPUT_FORMAT"] != "YYYY-MM-DD HH24:MI:SS.FF9 TZH:TZM" {
		t.Errorf("login request %v", login)
	}
}

// TestArrowFilterAndCost: literals are escaped as Snowflake reads them,
// and max_bytes_per_sync refuses a full read of a larger table.
func TestArrowFilterAndCost(t *testing.T) {
	f := newFakeSnowflake(t)
	scriptSnowflake(t, f)
	d := &fakeDial{target: strings.TrimPrefix(f.srv.URL, "http://")}
	cfg := fakeConfig(f, d)
	cfg.MaxBytesPerSync = 1000
	c := openConnector(t, cfg, "pw")
	ctx := context.Background()

	_, err := c.Scan(ctx, connectors.ScanRequest{Schema: "PUBLIC", Table: "T"})
	if !errors.Is(err, connectors.ErrTooCostly) || !strings.Contains(err.Error(), "2048 bytes") || !strings.Contains(err.Error(), "max_bytes_per_sync (1000)") {
		t.Fatalf("scan of a 2048-byte table under a 1000-byte cap: %v", err)
	}
	// A filtered read is not refused: the estimate is the whole table's.
	scan, err := c.Scan(ctx, connectors.ScanRequest{Schema: "PUBLIC", Table: "T", Filter: []connectors.Predicate{
		{Column: "S", Op: "=", Value: `a\b'c`},
		{Column: "NTZ", Op: ">", Value: time.Date(2024, 1, 2, 3, 4, 5, 6000, time.FixedZone("", 3600))},
		{Column: "TZ", Op: "<=", Value: time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)},
		{Column: "AMT", Op: ">=", Value: "-0.01"},
		{Column: "B", Op: "=", Value: true},
		{Column: "D", Op: "<", Value: time.Date(2024, 1, 2, 0, 0, 0, 0, time.UTC)},
	}})
	if err != nil {
		t.Fatal(err)
	}
	for scan.Next() {
	}
	if err := scan.Err(); err != nil {
		t.Fatal(err)
	}
	scan.Release()
	var scanSQL string
	for _, q := range f.statements() {
		if strings.HasPrefix(q, `SELECT "ID"`) {
			scanSQL = q
		}
	}
	want := ` WHERE "S" = 'a\\b''c' AND "NTZ" > '2024-01-02 02:04:05.000006' AND "TZ" <= '2024-01-02 03:04:05+00:00' AND "AMT" >= -0.01 AND "B" = TRUE AND "D" < '2024-01-02'`
	if !strings.HasSuffix(scanSQL, want) {
		t.Errorf("scan SQL %s\nwant it to end in %s", scanSQL, want)
	}
}

// TestArrowNanoseconds: a timestamp with nanoseconds in an Arrow result
// fails the scan with a NeedsTextError.
func TestArrowNanoseconds(t *testing.T) {
	f := newFakeSnowflake(t)
	rec, rowType := snowflakeRecord(3)
	defer rec.Release()
	f.on(`SELECT "ID"`, arrowResult(t, "q-ns", rowType, rec, nil, nil))
	scriptSnowflake(t, f)
	d := &fakeDial{target: strings.TrimPrefix(f.srv.URL, "http://")}
	c := openConnector(t, fakeConfig(f, d), "pw")
	scan, err := c.Scan(context.Background(), connectors.ScanRequest{Table: "T"})
	if err != nil {
		t.Fatal(err)
	}
	defer scan.Release()
	for scan.Next() {
	}
	var nt *connectors.NeedsTextError
	if err := scan.Err(); !errors.As(err, &nt) || nt.Column != "NTZ" {
		t.Fatalf("scan: %v, want a NeedsTextError for NTZ", err)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func boolText(b bool) string {
	if b {
		return "true"
	}
	return "false"
}
