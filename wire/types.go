package wire

import (
	"encoding/hex"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/decimal256"
	"github.com/apache/arrow-go/v18/arrow/extensions"
	"github.com/jackc/pgx/v5/pgproto3"
)

// PostgreSQL type OIDs (src/include/catalog/pg_type.dat).
const (
	OIDBool        = 16
	OIDBytea       = 17
	OIDOID         = 26
	OIDInt8        = 20
	OIDInt2        = 21
	OIDInt4        = 23
	OIDText        = 25
	OIDFloat4      = 700
	OIDFloat8      = 701
	OIDDate        = 1082
	OIDTime        = 1083
	OIDTimestamp   = 1114
	OIDTimestamptz = 1184
	OIDInterval    = 1186
	OIDNumeric     = 1700
	OIDUUID        = 2950
	OIDJSON        = 114
	OIDJSONB       = 3802
	OIDRecord      = 2249
)

// arrayOIDs maps an element type OID to its one-dimensional array type.
var arrayOIDs = map[uint32]uint32{
	OIDBool: 1000, OIDBytea: 1001, OIDInt2: 1005, OIDInt4: 1007, OIDText: 1009, OIDInt8: 1016,
	OIDFloat4: 1021, OIDFloat8: 1022, OIDTimestamp: 1115, OIDDate: 1182, OIDTime: 1183,
	OIDTimestamptz: 1185, OIDInterval: 1187, OIDOID: 1028, OIDName: 1003, OIDChar: 1002, OIDNumeric: 1231, OIDUUID: 2951, OIDJSON: 199, OIDJSONB: 3807, OIDRecord: 2287,
}

// pgType is how one Arrow type is described to a client.
type pgType struct {
	oid    uint32
	size   int16 // pg_type.typlen: -1 for variable length
	typmod int32
}

// typeOf maps an Arrow type to the PostgreSQL type a client will see.
func typeOf(t arrow.DataType) pgType {
	switch t := t.(type) {
	case *extensions.UUIDType:
		return pgType{OIDUUID, 16, -1}
	case *extensions.JSONType:
		return pgType{OIDJSON, -1, -1}
	case *arrow.BooleanType:
		return pgType{OIDBool, 1, -1}
	case *arrow.Int8Type, *arrow.Int16Type, *arrow.Uint8Type:
		return pgType{OIDInt2, 2, -1}
	case *arrow.Int32Type, *arrow.Uint16Type:
		return pgType{OIDInt4, 4, -1}
	case *arrow.Int64Type, *arrow.Uint32Type:
		return pgType{OIDInt8, 8, -1}
	case *arrow.Uint64Type:
		return pgType{OIDNumeric, -1, numericTypmod(20, 0)}
	case *arrow.Float16Type, *arrow.Float32Type:
		return pgType{OIDFloat4, 4, -1}
	case *arrow.Float64Type:
		return pgType{OIDFloat8, 8, -1}
	case *arrow.Decimal128Type:
		return pgType{OIDNumeric, -1, numericTypmod(t.Precision, t.Scale)}
	case *arrow.Decimal256Type:
		return pgType{OIDNumeric, -1, numericTypmod(t.Precision, t.Scale)}
	case *arrow.BinaryType, *arrow.LargeBinaryType, *arrow.BinaryViewType, *arrow.FixedSizeBinaryType:
		return pgType{OIDBytea, -1, -1}
	case *arrow.Date32Type, *arrow.Date64Type:
		return pgType{OIDDate, 4, -1}
	case *arrow.Time32Type, *arrow.Time64Type:
		return pgType{OIDTime, 8, -1}
	case *arrow.TimestampType:
		if t.TimeZone != "" {
			return pgType{OIDTimestamptz, 8, -1}
		}
		return pgType{OIDTimestamp, 8, -1}
	case *arrow.MonthDayNanoIntervalType, *arrow.DayTimeIntervalType, *arrow.MonthIntervalType, *arrow.DurationType:
		return pgType{OIDInterval, 16, -1}
	case *arrow.StructType:
		// ROW(…) and whole-row references: PostgreSQL's anonymous record.
		return pgType{OIDRecord, -1, -1}
	case *arrow.ListType, *arrow.LargeListType, *arrow.FixedSizeListType:
		elem := typeOf(t.(arrow.ListLikeType).Elem())
		if oid, ok := arrayOIDs[elem.oid]; ok {
			return pgType{oid, -1, -1}
		}
		return pgType{1009, -1, -1}
	}
	return pgType{OIDText, -1, -1}
}

func numericTypmod(precision, scale int32) int32 { return (precision<<16 | scale) + 4 }

// textEncoder appends the text form of row i of one column to dst; the
// value is known not to be NULL.
type textEncoder func(dst []byte, i int) []byte

// encodeOpts are the session settings that change text output.
type encodeOpts struct {
	loc *time.Location // TimeZone, for timestamptz
}

// textEncoderFor binds an encoder to one column array.
func textEncoderFor(a arrow.Array, o encodeOpts) textEncoder {
	switch a := a.(type) {
	case *extensions.UUIDArray:
		fsb := a.Storage().(*array.FixedSizeBinary)
		return func(dst []byte, i int) []byte { return appendUUID(dst, fsb.Value(i)) }
	case *extensions.JSONArray:
		return textEncoderFor(a.Storage(), o)
	case *array.Boolean:
		return func(dst []byte, i int) []byte {
			if a.Value(i) {
				return append(dst, 't')
			}
			return append(dst, 'f')
		}
	case *array.Int8:
		return func(dst []byte, i int) []byte { return strconv.AppendInt(dst, int64(a.Value(i)), 10) }
	case *array.Int16:
		return func(dst []byte, i int) []byte { return strconv.AppendInt(dst, int64(a.Value(i)), 10) }
	case *array.Int32:
		return func(dst []byte, i int) []byte { return strconv.AppendInt(dst, int64(a.Value(i)), 10) }
	case *array.Int64:
		return func(dst []byte, i int) []byte { return strconv.AppendInt(dst, a.Value(i), 10) }
	case *array.Uint8:
		return func(dst []byte, i int) []byte { return strconv.AppendUint(dst, uint64(a.Value(i)), 10) }
	case *array.Uint16:
		return func(dst []byte, i int) []byte { return strconv.AppendUint(dst, uint64(a.Value(i)), 10) }
	case *array.Uint32:
		return func(dst []byte, i int) []byte { return strconv.AppendUint(dst, uint64(a.Value(i)), 10) }
	case *array.Uint64:
		return func(dst []byte, i int) []byte { return strconv.AppendUint(dst, a.Value(i), 10) }
	case *array.Float32:
		return func(dst []byte, i int) []byte { return appendFloat(dst, float64(a.Value(i)), 32) }
	case *array.Float64:
		return func(dst []byte, i int) []byte { return appendFloat(dst, a.Value(i), 64) }
	case *array.Decimal128:
		scale := a.DataType().(*arrow.Decimal128Type).Scale
		return func(dst []byte, i int) []byte { return append(dst, decimal128.Num(a.Value(i)).ToString(scale)...) }
	case *array.Decimal256:
		scale := a.DataType().(*arrow.Decimal256Type).Scale
		return func(dst []byte, i int) []byte { return append(dst, decimal256.Num(a.Value(i)).ToString(scale)...) }
	case *array.String:
		return func(dst []byte, i int) []byte { return append(dst, a.Value(i)...) }
	case *array.LargeString:
		return func(dst []byte, i int) []byte { return append(dst, a.Value(i)...) }
	case *array.StringView:
		return func(dst []byte, i int) []byte { return append(dst, a.Value(i)...) }
	case *array.Binary:
		return func(dst []byte, i int) []byte { return appendBytea(dst, a.Value(i)) }
	case *array.LargeBinary:
		return func(dst []byte, i int) []byte { return appendBytea(dst, a.Value(i)) }
	case *array.FixedSizeBinary:
		return func(dst []byte, i int) []byte { return appendBytea(dst, a.Value(i)) }
	case *array.Date32:
		return func(dst []byte, i int) []byte { return appendDate(dst, int64(a.Value(i))) }
	case *array.Date64:
		return func(dst []byte, i int) []byte { return appendDate(dst, int64(a.Value(i))/86_400_000) }
	case *array.Time64:
		unit := a.DataType().(*arrow.Time64Type).Unit
		return func(dst []byte, i int) []byte { return appendTimeOfDay(dst, toMicros(int64(a.Value(i)), unit)) }
	case *array.Time32:
		unit := a.DataType().(*arrow.Time32Type).Unit
		return func(dst []byte, i int) []byte { return appendTimeOfDay(dst, toMicros(int64(a.Value(i)), unit)) }
	case *array.Timestamp:
		tt := a.DataType().(*arrow.TimestampType)
		if tt.TimeZone == "" {
			return func(dst []byte, i int) []byte {
				return appendTimestamp(dst, toMicros(int64(a.Value(i)), tt.Unit), time.UTC, false)
			}
		}
		loc := o.loc
		if loc == nil {
			loc = time.UTC
		}
		return func(dst []byte, i int) []byte {
			return appendTimestamp(dst, toMicros(int64(a.Value(i)), tt.Unit), loc, true)
		}
	case *array.MonthDayNanoInterval:
		return func(dst []byte, i int) []byte {
			v := a.Value(i)
			return appendInterval(dst, int64(v.Months), int64(v.Days), v.Nanoseconds/1000)
		}
	case *array.Duration:
		unit := a.DataType().(*arrow.DurationType).Unit
		return func(dst []byte, i int) []byte { return appendInterval(dst, 0, 0, toMicros(int64(a.Value(i)), unit)) }
	case array.ListLike:
		return listEncoder(a, o)
	case *array.Struct:
		return recordEncoder(a, o)
	}
	return func(dst []byte, i int) []byte { return append(dst, a.ValueStr(i)...) }
}

func toMicros(v int64, unit arrow.TimeUnit) int64 {
	switch unit {
	case arrow.Second:
		return v * 1_000_000
	case arrow.Millisecond:
		return v * 1000
	case arrow.Nanosecond:
		return v / 1000
	}
	return v
}

// appendFloat formats like PostgreSQL's float8out with the default
// extra_float_digits (1): the shortest exact form, exponent notation for
// exponents below -4 or from 15 (float8) / 6 (float4) up.
func appendFloat(dst []byte, f float64, bits int) []byte {
	switch {
	case math.IsNaN(f):
		return append(dst, "NaN"...)
	case math.IsInf(f, 1):
		return append(dst, "Infinity"...)
	case math.IsInf(f, -1):
		return append(dst, "-Infinity"...)
	case f == 0:
		if math.Signbit(f) {
			return append(dst, "-0"...)
		}
		return append(dst, '0')
	}
	limit := 15
	if bits == 32 {
		limit = 6
	}
	exp := int(math.Floor(math.Log10(math.Abs(f))))
	// Log10 can be off by one near powers of ten; the shortest digits
	// decide, so check with the 'e' form.
	e := strconv.AppendFloat(nil, f, 'e', -1, bits)
	if i := strings.LastIndexByte(string(e), 'e'); i >= 0 {
		if x, err := strconv.Atoi(string(e[i+1:])); err == nil {
			exp = x
		}
	}
	if exp < -4 || exp >= limit {
		return append(dst, e...)
	}
	return strconv.AppendFloat(dst, f, 'f', -1, bits)
}

func appendUUID(dst, v []byte) []byte {
	if len(v) != 16 {
		return appendBytea(dst, v)
	}
	n := len(dst)
	dst = append(dst, make([]byte, 36)...)
	b := dst[n:]
	hex.Encode(b[0:8], v[0:4])
	b[8] = '-'
	hex.Encode(b[9:13], v[4:6])
	b[13] = '-'
	hex.Encode(b[14:18], v[6:8])
	b[18] = '-'
	hex.Encode(b[19:23], v[8:10])
	b[23] = '-'
	hex.Encode(b[24:36], v[10:16])
	return dst
}

func appendBytea(dst, v []byte) []byte {
	dst = append(dst, '\\', 'x')
	n := len(dst)
	dst = append(dst, make([]byte, hex.EncodedLen(len(v)))...)
	hex.Encode(dst[n:], v)
	return dst
}

func appendDate(dst []byte, days int64) []byte {
	dst, bc := appendYMD(dst, time.Unix(days*86400, 0).UTC())
	if bc {
		dst = append(dst, " BC"...)
	}
	return dst
}

// appendYMD writes YYYY-MM-DD and reports whether the year is BC:
// PostgreSQL prints " BC" after the whole value, so callers append it.
func appendYMD(dst []byte, t time.Time) ([]byte, bool) {
	y := t.Year()
	bc := y <= 0
	if bc {
		y = 1 - y
	}
	dst = appendPadded(dst, y, 4)
	dst = append(dst, '-')
	dst = appendPadded(dst, int(t.Month()), 2)
	dst = append(dst, '-')
	return appendPadded(dst, t.Day(), 2), bc
}

func appendPadded(dst []byte, v, width int) []byte {
	var tmp [20]byte
	s := strconv.AppendInt(tmp[:0], int64(v), 10)
	for i := len(s); i < width; i++ {
		dst = append(dst, '0')
	}
	return append(dst, s...)
}

// appendClock writes HH:MM:SS[.ffffff] with trailing zeros of the
// fraction removed, as PostgreSQL does.
func appendClock(dst []byte, h, m, s, us int) []byte {
	dst = appendPadded(dst, h, 2)
	dst = append(dst, ':')
	dst = appendPadded(dst, m, 2)
	dst = append(dst, ':')
	dst = appendPadded(dst, s, 2)
	if us > 0 {
		dst = append(dst, '.')
		frac := appendPadded(nil, us, 6)
		frac = []byte(strings.TrimRight(string(frac), "0"))
		dst = append(dst, frac...)
	}
	return dst
}

// appendTimeOfDay writes a non-negative duration as HH:MM:SS[.ffffff];
// hours may exceed 23 (intervals).
func appendTimeOfDay(dst []byte, us int64) []byte {
	h := us / 3_600_000_000
	us -= h * 3_600_000_000
	m := us / 60_000_000
	us -= m * 60_000_000
	s := us / 1_000_000
	us -= s * 1_000_000
	return appendClock(dst, int(h), int(m), int(s), int(us))
}

func appendTimestamp(dst []byte, us int64, loc *time.Location, withZone bool) []byte {
	t := time.UnixMicro(us).In(loc)
	dst, bc := appendYMD(dst, t)
	dst = append(dst, ' ')
	dst = appendClock(dst, t.Hour(), t.Minute(), t.Second(), t.Nanosecond()/1000)
	if withZone {
		_, off := t.Zone()
		sign := byte('+')
		if off < 0 {
			sign, off = '-', -off
		}
		dst = append(dst, sign)
		dst = appendPadded(dst, off/3600, 2)
		if rem := off % 3600; rem != 0 {
			dst = append(dst, ':')
			dst = appendPadded(dst, rem/60, 2)
			if rem%60 != 0 {
				dst = append(dst, ':')
				dst = appendPadded(dst, rem%60, 2)
			}
		}
	}
	if bc {
		dst = append(dst, " BC"...)
	}
	return dst
}

// AppendInterval appends an interval (months, days, microseconds) in
// PostgreSQL's "postgres" IntervalStyle, e.g. "1 year 2 mons 3 days
// 04:05:06.5", as psql shows it.
func AppendInterval(dst []byte, months, days, us int64) []byte {
	return appendInterval(dst, months, days, us)
}

// appendInterval writes PostgreSQL's "postgres" IntervalStyle, e.g.
// "1 year 2 mons 3 days 04:05:06.5".
func appendInterval(dst []byte, months, days, us int64) []byte {
	start := len(dst)
	// A positive field after a negative one is signed: "-1 days +02:00:00"
	// (EncodeInterval in src/backend/utils/adt/datetime.c).
	before := false
	unit := func(v int64, one, many string) {
		if v == 0 {
			return
		}
		if len(dst) > start {
			dst = append(dst, ' ')
		}
		if before && v > 0 {
			dst = append(dst, '+')
		}
		before = v < 0
		dst = strconv.AppendInt(dst, v, 10)
		dst = append(dst, ' ')
		if v == 1 { // PostgreSQL: "1 mon" but "-1 mons"
			dst = append(dst, one...)
		} else {
			dst = append(dst, many...)
		}
	}
	unit(months/12, "year", "years")
	unit(months%12, "mon", "mons")
	unit(days, "day", "days")
	if us != 0 || len(dst) == start {
		if len(dst) > start {
			dst = append(dst, ' ')
		}
		switch {
		case us < 0:
			dst = append(dst, '-')
			us = -us
		case before:
			dst = append(dst, '+')
		}
		dst = appendTimeOfDay(dst, us)
	}
	return dst
}

// listEncoder writes a one-dimensional array literal: {1,2,NULL}.
func listEncoder(a array.ListLike, o encodeOpts) textEncoder {
	values := a.ListValues()
	inner := textEncoderFor(values, o)
	quoteElems := true
	switch values.(type) {
	case *array.Boolean, *array.Int8, *array.Int16, *array.Int32, *array.Int64, *array.Uint8, *array.Uint16,
		*array.Uint32, *array.Uint64, *array.Float32, *array.Float64, *array.Decimal128:
		quoteElems = false
	}
	return func(dst []byte, i int) []byte {
		start, end := a.ValueOffsets(i)
		dst = append(dst, '{')
		for j := start; j < end; j++ {
			if j > start {
				dst = append(dst, ',')
			}
			if values.IsNull(int(j)) {
				dst = append(dst, "NULL"...)
				continue
			}
			if !quoteElems {
				dst = inner(dst, int(j))
				continue
			}
			elem := inner(nil, int(j))
			dst = appendArrayElem(dst, elem)
		}
		return append(dst, '}')
	}
}

// recordEncoder writes a struct as PostgreSQL's record_out does:
// (1,"a b",) — fields in order, NULL as nothing, quoted when needed.
func recordEncoder(a *array.Struct, o encodeOpts) textEncoder {
	fields := make([]textEncoder, a.NumField())
	for f := range fields {
		fields[f] = textEncoderFor(a.Field(f), o)
	}
	return func(dst []byte, i int) []byte {
		dst = append(dst, '(')
		for f, enc := range fields {
			if f > 0 {
				dst = append(dst, ',')
			}
			if a.Field(f).IsNull(i) {
				continue
			}
			dst = appendRecordField(dst, enc(nil, i))
		}
		return append(dst, ')')
	}
}

// appendRecordField quotes a field when record_out would.
func appendRecordField(dst, v []byte) []byte {
	needs := len(v) == 0
	for _, c := range v {
		switch c {
		case '"', '\\', '(', ')', ',', ' ', '\t', '\n', '\r', '\v', '\f':
			needs = true
		}
	}
	if !needs {
		return append(dst, v...)
	}
	dst = append(dst, '"')
	for _, c := range v {
		if c == '"' || c == '\\' {
			dst = append(dst, c)
		}
		dst = append(dst, c)
	}
	return append(dst, '"')
}

// appendArrayElem quotes an element when array_out would.
func appendArrayElem(dst, elem []byte) []byte {
	needs := len(elem) == 0 || strings.EqualFold(string(elem), "NULL")
	for _, c := range elem {
		switch c {
		case '"', '\\', '{', '}', ',', ' ', '\t', '\n', '\r', '\v', '\f':
			needs = true
		}
	}
	if !needs {
		return append(dst, elem...)
	}
	dst = append(dst, '"')
	for _, c := range elem {
		if c == '"' || c == '\\' {
			dst = append(dst, '\\')
		}
		dst = append(dst, c)
	}
	return append(dst, '"')
}

// MetaPGType is the Arrow field metadata key that names the PostgreSQL
// type of a column when its Arrow type does not ("uuid", "json", "jsonb"
// on string columns).
const MetaPGType = "hotdata.pg_type"

// fieldType maps a field to its PostgreSQL type, honouring MetaPGType.
func fieldType(f arrow.Field) pgType {
	if v, ok := f.Metadata.GetValue(MetaPGType); ok {
		name, mod, _ := strings.Cut(strings.TrimSuffix(v, ")"), "(")
		typmod := int32(-1)
		if n, err := strconv.Atoi(mod); err == nil && n >= 0 {
			typmod = int32(n) + 4 // VARHDRSZ, as varchar(n) and bpchar(n) store it
		}
		switch name {
		case "uuid":
			return pgType{OIDUUID, 16, -1}
		case "json":
			return pgType{OIDJSON, -1, -1}
		case "jsonb":
			return pgType{OIDJSONB, -1, -1}
		case "varchar":
			return pgType{OIDVarchar, -1, typmod}
		case "bpchar":
			return pgType{OIDBPChar, -1, typmod}
		case "numeric":
			return pgType{OIDNumeric, -1, -1}
		case "oid":
			return pgType{OIDOID, 4, -1}
		case "name":
			return pgType{OIDName, 64, -1}
		case "char":
			return pgType{OIDChar, 1, -1}
		}
	}
	return typeOf(f.Type)
}

// FieldsOf describes an Arrow schema as RowDescription fields (text format).
func FieldsOf(schema *arrow.Schema) []pgproto3.FieldDescription {
	out := make([]pgproto3.FieldDescription, schema.NumFields())
	for i, f := range schema.Fields() {
		t := fieldType(f)
		out[i] = pgproto3.FieldDescription{Name: []byte(f.Name), DataTypeOID: t.oid, DataTypeSize: t.size, TypeModifier: t.typmod}
	}
	return out
}

// TypeOID is the PostgreSQL type a client sees for an Arrow type.
func TypeOID(t arrow.DataType) uint32 { return typeOf(t).oid }
