package snowflake

import (
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/hotdata-dev/hotdata/connectors"
)

func TestParseDecimal(t *testing.T) {
	for _, c := range []struct {
		in    string
		scale int32
		want  string // "" = error
	}{
		{"19.99", 2, "19.99"},
		{"-0.01", 2, "-0.01"},
		{"19.9", 2, "19.90"},
		{"19", 2, "19.00"},
		{"+5.5", 1, "5.5"},
		{".5", 1, "0.5"},
		{"1.2300", 2, "1.23"}, // trailing zeros beyond the scale
		{"1.234", 2, ""},      // a digit beyond the scale
		{"-1234567890123456789012345678.0123456789", 10, "-1234567890123456789012345678.0123456789"},
		{"99999999999999999999999999999999999999", 0, "99999999999999999999999999999999999999"},
		{"999999999999999999999999999999999999999", 0, ""}, // 39 digits
		{"1e5", 0, ""},
		{"", 0, ""},
		{"-", 0, ""},
		{".", 0, ""},
		{"1.2.3", 0, ""},
		{"1-2", 0, ""},
	} {
		n, err := parseDecimal(c.in, c.scale)
		switch {
		case c.want == "" && err == nil:
			t.Errorf("parseDecimal(%q, %d) = %s, want an error", c.in, c.scale, n.ToString(c.scale))
		case c.want != "" && (err != nil || n.ToString(c.scale) != c.want):
			t.Errorf("parseDecimal(%q, %d) = %s, %v; want %s", c.in, c.scale, n.ToString(c.scale), err, c.want)
		}
	}
}

func TestParseTimes(t *testing.T) {
	for _, c := range []struct {
		in   string
		want string // RFC 3339 in UTC; "sub" = nanoseconds; "" = error
	}{
		// Snowflake, in the session's formats.
		{"2024-03-01 12:30:45.123456000", "2024-03-01T12:30:45.123456Z"},
		{"2024-03-01 12:30:45.123456000 +02:00", "2024-03-01T10:30:45.123456Z"},
		{"1969-12-31 16:00:00.500000000 -08:00", "1970-01-01T00:00:00.5Z"},
		{"2024-03-01 12:30:45.123456789", "sub"},
		// DuckDB's.
		{"2024-03-01 12:30:45.123456", "2024-03-01T12:30:45.123456Z"},
		{"2024-03-01 10:30:45.123456+00", "2024-03-01T10:30:45.123456Z"},
		{"2024-03-01 10:30:45+05:30", "2024-03-01T05:00:45Z"},
		{"0045-03-15 12:00:00 (BC)", "-0044-03-15T12:00:00Z"},
		{"1969-12-31 23:59:59.999999", "1969-12-31T23:59:59.999999Z"},
		{"2024-03-01T12:30:45Z", "2024-03-01T12:30:45Z"},
		{"2024-02-30 00:00:00", ""},
		{"2024-03-01", ""},
		{"2024-03-01 25:00:00", ""},
		{"2024-03-01 12:30:45.", ""},
		{"2024-03-01 12:30:45.1234567890", ""},
		{"2024-03-01 12:30:45 +2", ""},
		{"2024-03-01 12:30:45 junk", ""},
	} {
		us, err := parseTimestamp(c.in)
		got := ""
		if err == nil {
			got = time.UnixMicro(us).UTC().Format(time.RFC3339Nano)
		} else if errors.Is(err, errSubMicro) {
			got = "sub"
		}
		if got != c.want {
			t.Errorf("parseTimestamp(%q) = %q (%v), want %q", c.in, got, err, c.want)
		}
	}
	for in, want := range map[string]string{
		"1969-07-20":      "1969-07-20",
		"0001-01-01":      "0001-01-01",
		"0044-03-15 (BC)": "-0043-03-15",
		"9999-12-31":      "9999-12-31",
		"2023-02-29":      "",
		"2024-1-01":       "",
		"20240101":        "",
	} {
		days, err := parseDate(in)
		got := ""
		if err == nil {
			got = arrow.Date32(days).ToTime().Format("2006-01-02")
		}
		if got != want {
			t.Errorf("parseDate(%q) = %q (%v), want %q", in, got, err, want)
		}
	}
	for in, want := range map[string]int64{
		"00:00:00":           0,
		"23:59:59.999999":    86399_999999_000,
		"12:30:00.5":         45000_500_000_000,
		"12:30:00.123456789": 45000_123_456_789,
		"24:00:00":           -1,
		"12:30":              -1,
		"12:30:00 ":          -1,
	} {
		ns, err := parseClock(in)
		if want < 0 && err == nil || want >= 0 && (err != nil || ns != want) {
			t.Errorf("parseClock(%q) = %d, %v; want %d", in, ns, err, want)
		}
	}
}

func TestTextDecoders(t *testing.T) {
	for _, c := range []struct {
		col  column
		in   string
		want string // the value's Arrow text; "!" = an error
	}{
		{column{dataType: "NUMBER", precision: 18, scale: 0}, "-9223372036854775808", "-9223372036854775808"},
		{column{dataType: "NUMBER", precision: 18, scale: 0}, "9223372036854775808", "!"},
		{column{dataType: "FLOAT"}, "NaN", "NaN"},
		{column{dataType: "FLOAT"}, "-inf", "-Inf"},
		{column{dataType: "FLOAT"}, "1e400", "!"},
		{column{dataType: "BOOLEAN"}, "TRUE", "true"},
		{column{dataType: "BOOLEAN"}, "yes", "!"},
		{column{dataType: "BINARY"}, "00FF41", "\x00\xffA"},
		{column{dataType: "BINARY"}, `\x00`, "!"},
		{column{dataType: "TIME", fraction: 9}, "12:00:00.000001000", "12:00:00.000001"},
		{column{dataType: "TIME", fraction: 9}, "12:00:00.000000001", "!sub"},
		{column{dataType: "VARIANT"}, `{"a": 1}`, `{"a": 1}`},
	} {
		c.col.name = "c"
		p := planColumn(c.col, dialect{})
		b := array.NewBuilder(memory.DefaultAllocator, p.field.Type)
		err := newTextDecoder(p, b)(c.in)
		arr := b.NewArray()
		got := "!"
		if err == nil {
			switch v := value(arr, 0).(type) {
			case float64:
				got = strconv.FormatFloat(v, 'g', -1, 64)
			case int64:
				got = strconv.FormatInt(v, 10)
			case bool:
				got = strconv.FormatBool(v)
			case string:
				got = v
			}
		} else if errors.Is(err, errSubMicro) {
			got = "!sub"
		}
		arr.Release()
		b.Release()
		if got != c.want {
			t.Errorf("%s %q: %q (%v), want %q", c.col.dataType, c.in, got, err, c.want)
		}
	}
}

func TestQuoteString(t *testing.T) {
	sf, duck := dialect{arrow: true}, dialect{duckdb: true}
	for _, c := range []struct {
		in      string
		d       dialect
		want    string
		wantErr bool
	}{
		{`it's`, sf, `'it''s'`, false},
		{`a\b`, sf, `'a\\b'`, false},
		{`$$`, sf, `'$$'`, false},
		{`it's \ a $ sign`, duck, `($$it's \ a $$ || '$' || $$ sign$$)`, false},
		{`$`, duck, `'$'`, false},
		{`$$x`, duck, `('$' || '$' || $$x$$)`, false},
		{`plain`, duck, `$$plain$$`, false},
		{``, duck, `''`, false},
		{"a\x00b", sf, "", true},
	} {
		got, err := quoteString(c.in, c.d)
		if got != c.want || (err != nil) != c.wantErr {
			t.Errorf("quoteString(%q, %+v) = %s, %v; want %s", c.in, c.d, got, err, c.want)
		}
	}
	if got := quoteIdent(`we"ird`); got != `"we""ird"` {
		t.Errorf("quoteIdent: %s", got)
	}
}

func TestFilterSQL(t *testing.T) {
	cols := []column{
		{name: "id", dataType: "NUMBER", precision: 38, scale: 0},
		{name: "Name", dataType: "TEXT", length: -1},
		{name: "g", dataType: "GEOGRAPHY"},
		{name: "d", dataType: "DATE"},
	}
	d := dialect{arrow: true}
	got, err := filterSQL([]connectors.Predicate{
		{Column: "id", Op: ">", Value: int64(5)},
		{Column: "name", Op: "=", Value: "x"}, // the only column of that name but for case
		{Column: "d", Op: ">=", Value: time.Date(2024, 1, 1, 12, 0, 0, 0, time.UTC)},
	}, cols, d)
	want := ` WHERE "id" > 5 AND "Name" = 'x' AND CAST("d" AS TIMESTAMP) >= '2024-01-01 12:00:00'`
	if err != nil || got != want {
		t.Errorf("filterSQL = %s, %v\nwant %s", got, err, want)
	}
	for _, bad := range []connectors.Predicate{
		{Column: "nope", Op: "=", Value: int64(1)},
		{Column: "id", Op: "LIKE", Value: int64(1)},
		{Column: "id", Op: "=", Value: "1; DROP TABLE x"},
		{Column: "id", Op: "=", Value: []byte("1")},
		// The cache holds WKT, JSON text, bytes: Snowflake compares
		// other forms.
		{Column: "g", Op: "<>", Value: "POINT(1 2)"},
	} {
		if _, err := filterSQL([]connectors.Predicate{bad}, cols, d); err == nil {
			t.Errorf("filter %+v accepted", bad)
		}
	}
}

func TestPrimaryKeys(t *testing.T) {
	got := primaryKeys([]map[string]string{
		{"schema_name": "S", "table_name": "T", "column_name": "B", "key_sequence": "2", "constraint_name": "PK_T"},
		{"schema_name": "S", "table_name": "T", "column_name": "A", "key_sequence": "1", "constraint_name": "PK_T"},
		{"schema_name": "S", "table_name": "U", "column_name": "X", "key_sequence": "1", "constraint_name": "SYS_CONSTRAINT_1"},
		{"schema_name": "S", "table_name": "BAD", "column_name": "X", "key_sequence": ""},
	})
	if pk := got[tableKey{"S", "T"}]; strings.Join(pk.columns, ",") != "A,B" || pk.name != "PK_T" {
		t.Errorf("T: %+v", pk)
	}
	if pk := got[tableKey{"S", "U"}]; strings.Join(pk.columns, ",") != "X" {
		t.Errorf("U: %+v", pk)
	}
	if _, ok := got[tableKey{"S", "BAD"}]; ok || len(got) != 2 {
		t.Errorf("keys %+v", got)
	}
}

func TestCostError(t *testing.T) {
	for _, c := range []struct {
		size, limit int64
		refused     bool
	}{
		{2048, 1000, true}, {1000, 1000, false}, {-1, 1000, false}, {1 << 40, 0, false},
	} {
		err := costError(c.size, c.limit)
		if refused := errors.Is(err, connectors.ErrTooCostly); refused != c.refused {
			t.Errorf("costError(%d, %d) = %v", c.size, c.limit, err)
		}
	}
}

func TestArrowConverters(t *testing.T) {
	mem := memory.DefaultAllocator
	// NUMBER(12,2) in int16 with its scale in the field's metadata, and
	// in a decimal of another scale.
	ib := array.NewInt16Builder(mem)
	ib.AppendValues([]int16{1999, -1}, nil)
	ib.AppendNull()
	ints := ib.NewArray()
	defer ints.Release()
	dec := planColumn(column{name: "a", dataType: "NUMBER", precision: 12, scale: 2}, dialect{arrow: true})
	db := array.NewDecimal128Builder(mem, dec.field.Type.(*arrow.Decimal128Type))
	conv := newArrowConverter(dec, db)
	if err := conv(fixed("A", arrow.PrimitiveTypes.Int16, "2"), ints, 0, 3); err != nil {
		t.Fatal(err)
	}
	d3 := array.NewDecimal128Builder(mem, &arrow.Decimal128Type{Precision: 13, Scale: 3})
	d3.Append(decimal128.FromI64(12340))
	d3.Append(decimal128.FromI64(12345))
	wide := d3.NewArray()
	defer wide.Release()
	if err := conv(arrow.Field{Name: "A", Type: wide.DataType()}, wide, 0, 1); err != nil {
		t.Fatal(err)
	}
	if err := conv(arrow.Field{Name: "A", Type: wide.DataType()}, wide, 1, 2); err == nil {
		t.Error("12.345 was read into NUMBER(12,2)")
	}
	out := db.NewArray()
	defer out.Release()
	var got []string
	for i := 0; i < out.Len(); i++ {
		if out.IsNull(i) {
			got = append(got, "NULL")
			continue
		}
		got = append(got, value(out, i).(string))
	}
	if strings.Join(got, " ") != "19.99 -0.01 NULL 12.34" {
		t.Errorf("decimals: %v", got)
	}

	// Timestamps as a scaled int64 (TIMESTAMP_NTZ(3)) and TIMESTAMP_TZ's
	// two-field struct.
	for _, c := range []struct {
		f     arrow.Field
		arr   func() arrow.Array
		zoned bool
		want  string
	}{
		{fixed("N", arrow.PrimitiveTypes.Int64, "3"), func() arrow.Array {
			b := array.NewInt64Builder(mem)
			b.Append(-1) // 1969-12-31 23:59:59.999
			return b.NewArray()
		}, false, "1969-12-31T23:59:59.999Z"},
		{fixed("Z", arrow.StructOf(arrow.Field{Name: "epoch", Type: arrow.PrimitiveTypes.Int64}, arrow.Field{Name: "timezone", Type: arrow.PrimitiveTypes.Int32}), "3"), func() arrow.Array {
			b := array.NewStructBuilder(mem, arrow.StructOf(arrow.Field{Name: "epoch", Type: arrow.PrimitiveTypes.Int64}, arrow.Field{Name: "timezone", Type: arrow.PrimitiveTypes.Int32}))
			b.Append(true)
			b.FieldBuilder(0).(*array.Int64Builder).Append(1709289045123)
			b.FieldBuilder(1).(*array.Int32Builder).Append(1440 + 120)
			return b.NewArray()
		}, true, "2024-03-01T10:30:45.123Z"},
	} {
		a := c.arr()
		sec, ns, err := timestampValue(c.f, a, 0, c.zoned)
		a.Release()
		if got := time.Unix(sec, ns).UTC().Format(time.RFC3339Nano); err != nil || got != c.want {
			t.Errorf("%s: %s, %v; want %s", c.f.Name, got, err, c.want)
		}
	}
}
