package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"

	"github.com/hotdata-dev/hotdata/connectors"
	"github.com/hotdata-dev/hotdata/internal/testenv"
	"github.com/hotdata-dev/hotdata/pgval"
)

// configFor turns a test database URL into a connector config.
func configFor(t *testing.T, dbURL string) Config {
	t.Helper()
	u, err := url.Parse(dbURL)
	if err != nil {
		t.Fatal(err)
	}
	port, _ := strconv.Atoi(u.Port())
	return Config{Host: u.Hostname(), Port: port, User: u.User.Username(), Database: u.Path[1:], SSLMode: "disable"}
}

func TestParseConfig(t *testing.T) {
	good := `{"host":"db","user":"u","database":"d"}`
	c, err := ParseConfig(json.RawMessage(good))
	if err != nil || c.Port != 5432 || c.SSLMode != "prefer" {
		t.Fatalf("ParseConfig = %+v, %v", c, err)
	}
	for _, bad := range []string{``, `{}`, `{"host":"db","user":"u"}`, `{"host":"db","user":"u","database":"d","port":70000}`,
		`{"host":"db","user":"u","database":"d","sslmode":"maybe"}`, `{"host":"db","user":"u","database":"d","colour":"red"}`, `[1]`} {
		if _, err := ParseConfig(json.RawMessage(bad)); !errors.Is(err, connectors.ErrInvalidConfig) {
			t.Errorf("ParseConfig(%s) = %v, want ErrInvalidConfig", bad, err)
		}
	}
}

func TestNumericToDecimal(t *testing.T) {
	// Values as numeric_send encodes them.
	cases := []struct {
		digits []uint16
		weight int16
		sign   uint16
		scale  int32
		want   string
	}{
		{nil, 0, numericPos, 2, "0.00"},
		{[]uint16{1234}, 0, numericPos, 2, "1234.00"},
		{[]uint16{12, 3400}, 0, numericPos, 2, "12.34"},
		{[]uint16{12, 3400}, 0, numericNeg, 2, "-12.34"},
		{[]uint16{1}, -1, numericPos, 4, "0.0001"},
		{[]uint16{1}, 2, numericPos, 0, "100000000"},
		{[]uint16{9999, 9999, 9999, 9999, 9999, 9999, 9999, 9999, 9999}, 8, numericPos, 0, "999999999999999999999999999999999999"},
		{[]uint16{1, 2345, 6789, 123, 4567, 8900}, 2, numericNeg, 10, "-123456789.0123456789"},
		// 38 digits: all the digits read as one integer exceed 128 bits.
		{[]uint16{1234, 5678, 9012, 3456, 7890, 1234, 5678, 123, 4567, 8900}, 6, numericNeg, 10, "-1234567890123456789012345678.0123456789"},
		{[]uint16{99, 9999, 9999, 9999, 9999, 9999, 9999, 9999, 9999, 9999}, 9, numericPos, 0, "99999999999999999999999999999999999999"},
	}
	for _, c := range cases {
		v := make([]byte, 8+2*len(c.digits))
		be16(v[0:], uint16(len(c.digits)))
		be16(v[2:], uint16(c.weight))
		be16(v[4:], c.sign)
		be16(v[6:], uint16(c.scale))
		for i, d := range c.digits {
			be16(v[8+2*i:], d)
		}
		n, err := numericToDecimal(v, c.scale)
		if err != nil {
			t.Fatalf("%v: %v", c.digits, err)
		}
		if got := n.ToString(c.scale); got != c.want {
			t.Errorf("%v weight %d scale %d = %s, want %s", c.digits, c.weight, c.scale, got, c.want)
		}
	}
	nan := []byte{0, 0, 0, 0, 0xC0, 0, 0, 0}
	if _, err := numericToDecimal(nan, 2); !errors.Is(err, errNumericSpecial) {
		t.Fatalf("NaN: %v", err)
	}
	tooBig := make([]byte, 8+2*10)
	be16(tooBig[0:], 10)
	be16(tooBig[2:], 9)
	for i := 0; i < 10; i++ {
		be16(tooBig[8+2*i:], 9999)
	}
	if _, err := numericToDecimal(tooBig, 0); err == nil {
		t.Fatal("a 40-digit numeric fit in decimal(38)")
	}
	if _, err := numericToDecimal([]byte{0, 5, 0, 0}, 2); err == nil {
		t.Fatal("truncated numeric accepted")
	}
}

func be16(b []byte, v uint16) { b[0], b[1] = byte(v>>8), byte(v) }

// TestScanTypes writes every mapped type upstream and compares each value
// read back through a scan.
func TestScanTypes(t *testing.T) {
	dbURL := testenv.Postgres(t)
	testenv.PostgresExec(t, dbURL,
		`CREATE TYPE mood AS ENUM ('sad', 'happy')`,
		`CREATE DOMAIN posint AS integer CHECK (VALUE > 0)`,
		`CREATE TABLE t (
			id int PRIMARY KEY, b bool, i2 int2, i8 int8, f4 float4, f8 float8,
			n numeric(12,3), nu numeric, tx text, vc varchar(10), ch char(3),
			by bytea, d date, tm time, ts timestamp, tz timestamptz,
			u uuid, j json, jb jsonb, m mood, p posint, iv interval, ia int[], ta text[], ma mood[])`,
		`INSERT INTO t VALUES
			(1, true, -7, 9000000000, 1.5, -2.25, 123456789.125, 12345678901234567890.0123456789, 'héllo', 'v', 'ab',
			 '\xdeadbeef', '2024-02-29', '13:14:15.123456', '2024-01-02 03:04:05.678901', '2024-01-02 03:04:05.5+02',
			 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '{"a": 1}', '{"b": [1, 2]}', 'happy', 5, '1 day 02:00:00', '{1,NULL,3}', '{"a b",""}', '{sad,happy}'),
			(2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
			(3, false, 0, 0, 'NaN', '-Infinity', -0.001, 'NaN', '', '', '', '', 'infinity', '00:00', '-infinity', '1970-01-01 00:00:00+00',
			 '00000000-0000-0000-0000-000000000000', 'null', '"s"', 'sad', 1, '-1 mons', '{}', '{}', '{}')`,
	)
	ctx := context.Background()
	c, err := Open(ctx, configFor(t, dbURL), "")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Test(ctx); err != nil {
		t.Fatal(err)
	}

	tables, err := c.Discover(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(tables) != 1 || tables[0].Name != "t" || tables[0].Schema != "public" || len(tables[0].Columns) != 25 {
		t.Fatalf("discovered %+v", tables)
	}
	if pk := tables[0].PrimaryKey; len(pk) != 1 || pk[0] != "id" {
		t.Fatalf("primary key %v", pk)
	}
	if col := tables[0].Columns[6]; col.Name != "n" || col.DataType != "numeric(12,3)" || !col.Nullable || col.TypeOID != oidNumeric {
		t.Fatalf("column n discovered as %+v", col)
	}
	if col := tables[0].Columns[0]; col.Nullable {
		t.Fatal("primary key column discovered as nullable")
	}

	sc, err := c.Scan(ctx, connectors.ScanRequest{Schema: "public", Table: "t"})
	if err != nil {
		t.Fatal(err)
	}
	defer sc.Release()
	var got [][]string
	for sc.Next() {
		rec := sc.RecordBatch()
		for r := 0; r < int(rec.NumRows()); r++ {
			var row []string
			for ci := 0; ci < int(rec.NumCols()); ci++ {
				row = append(row, cell(rec.Column(ci), r))
			}
			got = append(got, row)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		{"1", "true", "-7", "9000000000", "1.5", "-2.25", "123456789.125", "12345678901234567890.0123456789", "héllo", "v", "ab", // character(3): cached without its padding
			"deadbeef", "2024-02-29", "13:14:15.123456", "2024-01-02T03:04:05.678901", "2024-01-02T01:04:05.5Z",
			"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", `{"a": 1}`, `{"b": [1, 2]}`, "happy", "5", `{"days":1,"micros":7200000000,"months":0}`,
			"[1,null,3]", `["a b",""]`, `["sad","happy"]`},
		{"2", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL",
			"NULL", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL", "NULL"},
		{"3", "false", "0", "0", "NaN", "-Inf", "-0.001", "NaN", "", "", "", "", "infinity", "00:00:00", "-infinity", "1970-01-01T00:00:00Z",
			"00000000-0000-0000-0000-000000000000", "null", `"s"`, "sad", "1", `{"days":0,"micros":0,"months":-1}`, "[]", "[]", "[]"},
	}
	if len(got) != len(want) {
		t.Fatalf("read %d rows, want %d", len(got), len(want))
	}
	for r := range want {
		for ci := range want[r] {
			if got[r][ci] != want[r][ci] {
				t.Errorf("row %d column %s = %q, want %q", r+1, sc.Schema().Field(ci).Name, got[r][ci], want[r][ci])
			}
		}
	}
	// Every column has an exact form: no warnings.
	if w := sc.Warnings(); len(w) != 0 {
		t.Errorf("warnings = %q, want none", w)
	}
	if typ, _ := sc.Schema().Field(6).Metadata.GetValue(connectors.MetaSourceType); typ != "numeric(12,3)" {
		t.Errorf("pg type metadata = %q", typ)
	}
}

// cell renders one Arrow value for comparison.
func cell(a arrow.Array, i int) string {
	if a.IsNull(i) {
		return "NULL"
	}
	switch v := a.(type) {
	case *array.Decimal128:
		dt := v.DataType().(*arrow.Decimal128Type)
		return decimal128.Num(v.Value(i)).ToString(dt.Scale)
	case *array.Binary:
		return hexString(v.Value(i))
	case *array.Date32:
		switch v.Value(i) {
		case pgval.DateInfinity:
			return "infinity"
		case pgval.DateNegInfinity:
			return "-infinity"
		}
		return v.Value(i).ToTime().Format("2006-01-02")
	case *array.Time64:
		return v.Value(i).ToTime(arrow.Microsecond).Format("15:04:05.999999")
	case *array.Timestamp:
		switch v.Value(i) {
		case pgval.TSInfinity:
			return "infinity"
		case pgval.TSNegInfinity:
			return "-infinity"
		}
		ts := v.Value(i).ToTime(arrow.Microsecond).UTC()
		if v.DataType().(*arrow.TimestampType).TimeZone != "" {
			return ts.Format("2006-01-02T15:04:05.999999Z")
		}
		return ts.Format("2006-01-02T15:04:05.999999")
	case *array.Float32:
		return strconv.FormatFloat(float64(v.Value(i)), 'g', -1, 32)
	case *array.Float64:
		return strconv.FormatFloat(v.Value(i), 'g', -1, 64)
	}
	return a.ValueStr(i)
}

func hexString(b []byte) string {
	const digits = "0123456789abcdef"
	out := make([]byte, 0, 2*len(b))
	for _, c := range b {
		out = append(out, digits[c>>4], digits[c&15])
	}
	return string(out)
}

// TestDiscoverUserTypes: discovery describes the upstream's own types a
// table's columns have, and those they are made of: an enum's labels in
// their sort order (not their OIDs' order), a domain's base type and
// constraints, a domain over an enum, an array of an enum, a composite
// type's fields.
func TestDiscoverUserTypes(t *testing.T) {
	dbURL := testenv.Postgres(t)
	testenv.PostgresExec(t, dbURL,
		`CREATE TYPE mood AS ENUM ('sad', 'happy')`,
		`ALTER TYPE mood ADD VALUE 'meh' BEFORE 'happy'`,
		`CREATE DOMAIN posint AS numeric(6,2) NOT NULL CHECK (VALUE > 0)`,
		`CREATE DOMAIN mood_d AS mood`,
		`CREATE TYPE pair AS (a int, m mood)`,
		`CREATE TABLE t (id int, ms mood[], p posint, md mood_d, pr pair)`,
		`CREATE TABLE plain (id int)`,
	)
	ctx := context.Background()
	c, err := Open(ctx, configFor(t, dbURL), "")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	tables, err := c.Discover(ctx)
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]connectors.Table{}
	for _, tb := range tables {
		byName[tb.Name] = tb
	}
	if n := len(byName["plain"].UserTypes); n != 0 {
		t.Errorf("plain has %d user types", n)
	}
	types := map[string]connectors.UserType{}
	for _, u := range byName["t"].UserTypes {
		types[u.Name] = u
	}
	if len(types) != 4 {
		t.Fatalf("user types of t: %+v", byName["t"].UserTypes)
	}
	mood := types["mood"]
	if mood.Kind != "e" || strings.Join(mood.Labels, ",") != "sad,meh,happy" || mood.Typlen != 4 || mood.ArrayOID == 0 || mood.Schema != "public" {
		t.Errorf("mood: %+v", mood)
	}
	if ms := byName["t"].Columns[1]; ms.TypeOID != mood.ArrayOID {
		t.Errorf("column ms has type %d, want mood's array type %d", ms.TypeOID, mood.ArrayOID)
	}
	p := types["posint"]
	if p.Kind != "d" || p.BaseOID != 1700 || p.BaseType != "numeric(6,2)" || p.BaseTypmod != (6<<16|2)+4 || !p.NotNull ||
		len(p.Checks) != 1 || p.Checks[0] != "CHECK ((VALUE > (0)::numeric))" {
		t.Errorf("posint: %+v", p)
	}
	if md := types["mood_d"]; md.Kind != "d" || md.BaseOID != mood.OID {
		t.Errorf("mood_d: %+v", md)
	}
	pair := types["pair"]
	if pair.Kind != "c" || len(pair.Fields) != 2 || pair.Fields[1].Name != "m" || pair.Fields[1].TypeOID != mood.OID {
		t.Errorf("pair: %+v", pair)
	}
}
