package wire

import (
	"math"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/hotdata-dev/hotdata/pgval"
)

// The expected strings are what PostgreSQL 15 prints for the same values
// (SELECT x::text), so clients parse ours exactly like theirs.
func TestFloatText(t *testing.T) {
	cases := []struct {
		v    float64
		bits int
		want string
	}{
		{1e20, 64, "1e+20"}, {100000000, 64, "100000000"}, {0.0001, 64, "0.0001"}, {0.00001, 64, "1e-05"},
		{1.5, 64, "1.5"}, {123456789012345, 64, "123456789012345"}, {1234567890123456, 64, "1.234567890123456e+15"},
		{math.Copysign(0, -1), 64, "-0"}, {1e-310, 64, "1e-310"}, {math.NaN(), 64, "NaN"}, {math.Inf(-1), 64, "-Infinity"},
		{float64(float32(3.14159)), 32, "3.14159"}, {1000000, 32, "1e+06"}, {100000, 32, "100000"}, {float64(float32(0.1)), 32, "0.1"},
	}
	for _, c := range cases {
		if got := string(appendFloat(nil, c.v, c.bits)); got != c.want {
			t.Errorf("appendFloat(%v, %d) = %q, want %q", c.v, c.bits, got, c.want)
		}
	}
}

func TestIntervalText(t *testing.T) {
	hour := int64(3_600_000_000)
	cases := []struct {
		months, days, us int64
		want             string
	}{
		{14, 3, 4*hour + 5*60_000_000 + 6_500_000, "1 year 2 mons 3 days 04:05:06.5"},
		{-1, 0, 0, "-1 mons"},
		{0, 0, 0, "00:00:00"},
		{0, 0, -1_250_000, "-00:00:01.25"},
		{0, 0, 25 * hour, "25:00:00"},
		{0, 1, -hour, "1 day -01:00:00"},
	}
	for _, c := range cases {
		if got := string(AppendInterval(nil, c.months, c.days, c.us)); got != c.want {
			t.Errorf("interval(%d, %d, %d) = %q, want %q", c.months, c.days, c.us, got, c.want)
		}
	}
}

func TestDateTimeText(t *testing.T) {
	bc := time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC) // 1 BC
	if got := string(pgval.AppendTimestamptz(nil, bc.UnixMicro(), pgval.DefaultStyle)); got != "0001-01-01 00:00:00+00 BC" {
		t.Errorf("BC timestamptz = %q", got)
	}
	d := time.Date(-43, 3, 15, 0, 0, 0, 0, time.UTC) // 44 BC
	if got := string(pgval.AppendDate(nil, d.Unix()/86400, pgval.DefaultStyle)); got != "0044-03-15 BC" {
		t.Errorf("BC date = %q", got)
	}
	ts := time.Date(2024, 1, 2, 3, 4, 5, 100_000_000, time.FixedZone("", 5*3600+1800))
	kolkata := time.FixedZone("IST", 5*3600+1800)
	if got := string(pgval.AppendTimestamptz(nil, ts.UnixMicro(), pgval.DefaultStyle)); got != "2024-01-01 21:34:05.1+00" {
		t.Errorf("timestamptz UTC = %q", got)
	}
	if got := string(pgval.AppendTimestamptz(nil, ts.UnixMicro(), withZone(kolkata))); got != "2024-01-02 03:04:05.1+05:30" {
		t.Errorf("timestamptz +05:30 = %q", got)
	}
	if got := string(pgval.AppendTime(nil, (13*3600+14*60+15)*1_000_000+100)); got != "13:14:15.0001" {
		t.Errorf("time = %q", got)
	}
	if got := string(appendBytea(nil, []byte{0, 0xff})); got != `\x00ff` {
		t.Errorf("bytea = %q", got)
	}
}

func TestArrayText(t *testing.T) {
	mem := memory.DefaultAllocator
	lb := array.NewListBuilder(mem, arrow.BinaryTypes.String)
	sb := lb.ValueBuilder().(*array.StringBuilder)
	lb.Append(true)
	sb.AppendValues([]string{"a b", "NULL", `x"y`, ""}, nil)
	lb.Append(true)
	sb.AppendNull()
	sb.Append("plain")
	strs := lb.NewArray()
	defer strs.Release()
	enc := textEncoderFor(strs, encodeOpts{})
	if got := string(enc(nil, 0)); got != `{"a b","NULL","x\"y",""}` {
		t.Errorf("text[] = %q", got)
	}
	if got := string(enc(nil, 1)); got != `{NULL,plain}` {
		t.Errorf("text[] with NULL = %q", got)
	}
	ib := array.NewListBuilder(mem, arrow.PrimitiveTypes.Int32)
	vb := ib.ValueBuilder().(*array.Int32Builder)
	ib.Append(true)
	vb.AppendValues([]int32{1, 0, 3}, []bool{true, false, true})
	ints := ib.NewArray()
	defer ints.Release()
	if got := string(textEncoderFor(ints, encodeOpts{})(nil, 0)); got != "{1,NULL,3}" {
		t.Errorf("int[] = %q", got)
	}
	if typeOf(ints.DataType()).oid != 1007 || typeOf(strs.DataType()).oid != 1009 {
		t.Error("array type OIDs")
	}
}

func TestTypeOf(t *testing.T) {
	cases := []struct {
		typ    arrow.DataType
		oid    uint32
		typmod int32
	}{
		{arrow.FixedWidthTypes.Boolean, OIDBool, -1},
		{arrow.PrimitiveTypes.Int16, OIDInt2, -1},
		{arrow.PrimitiveTypes.Int32, OIDInt4, -1},
		{arrow.PrimitiveTypes.Int64, OIDInt8, -1},
		{arrow.PrimitiveTypes.Float64, OIDFloat8, -1},
		{&arrow.Decimal128Type{Precision: 12, Scale: 2}, OIDNumeric, 12<<16 | 2 + 4},
		{arrow.BinaryTypes.String, OIDText, -1},
		{arrow.BinaryTypes.Binary, OIDBytea, -1},
		{arrow.FixedWidthTypes.Date32, OIDDate, -1},
		{&arrow.TimestampType{Unit: arrow.Microsecond}, OIDTimestamp, -1},
		{&arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: "UTC"}, OIDTimestamptz, -1},
		{arrow.FixedWidthTypes.MonthDayNanoInterval, OIDInterval, -1},
	}
	for _, c := range cases {
		got := typeOf(c.typ)
		if got.oid != c.oid || got.typmod != c.typmod {
			t.Errorf("typeOf(%s) = %+v, want oid %d typmod %d", c.typ, got, c.oid, c.typmod)
		}
	}
	n := decimal128.FromI64(-1234)
	b := array.NewDecimal128Builder(memory.DefaultAllocator, &arrow.Decimal128Type{Precision: 12, Scale: 2})
	b.Append(n)
	arr := b.NewArray()
	defer arr.Release()
	if got := string(textEncoderFor(arr, encodeOpts{})(nil, 0)); got != "-12.34" {
		t.Errorf("numeric = %q", got)
	}
}

func withZone(loc *time.Location) pgval.Style {
	st := pgval.DefaultStyle
	st.Loc = loc
	return st
}
