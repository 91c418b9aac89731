package wire

import (
	"encoding/hex"
	"strconv"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/decimal256"
	"github.com/apache/arrow-go/v18/arrow/extensions"
	"github.com/jackc/pgx/v5/pgproto3"

	"github.com/hotdata-dev/hotdata/pgval"
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
	// send and sendElem: see MetaPGSend (0 for built-in types).
	send, sendElem uint32
}

// typeOf maps an Arrow type to the PostgreSQL type a client will see.
func typeOf(t arrow.DataType) pgType {
	switch t := t.(type) {
	case *extensions.UUIDType:
		return pgType{oid: OIDUUID, size: 16, typmod: -1}
	case *extensions.JSONType:
		return pgType{oid: OIDJSON, size: -1, typmod: -1}
	case *arrow.BooleanType:
		return pgType{oid: OIDBool, size: 1, typmod: -1}
	case *arrow.Int8Type, *arrow.Int16Type, *arrow.Uint8Type:
		return pgType{oid: OIDInt2, size: 2, typmod: -1}
	case *arrow.Int32Type, *arrow.Uint16Type:
		return pgType{oid: OIDInt4, size: 4, typmod: -1}
	case *arrow.Int64Type, *arrow.Uint32Type:
		return pgType{oid: OIDInt8, size: 8, typmod: -1}
	case *arrow.Uint64Type:
		return pgType{oid: OIDNumeric, size: -1, typmod: numericTypmod(20, 0)}
	case *arrow.Float16Type, *arrow.Float32Type:
		return pgType{oid: OIDFloat4, size: 4, typmod: -1}
	case *arrow.Float64Type:
		return pgType{oid: OIDFloat8, size: 8, typmod: -1}
	case *arrow.Decimal128Type:
		return pgType{oid: OIDNumeric, size: -1, typmod: numericTypmod(t.Precision, t.Scale)}
	case *arrow.Decimal256Type:
		return pgType{oid: OIDNumeric, size: -1, typmod: numericTypmod(t.Precision, t.Scale)}
	case *arrow.BinaryType, *arrow.LargeBinaryType, *arrow.BinaryViewType, *arrow.FixedSizeBinaryType:
		return pgType{oid: OIDBytea, size: -1, typmod: -1}
	case *arrow.Date32Type, *arrow.Date64Type:
		return pgType{oid: OIDDate, size: 4, typmod: -1}
	case *arrow.Time32Type, *arrow.Time64Type:
		return pgType{oid: OIDTime, size: 8, typmod: -1}
	case *arrow.TimestampType:
		if t.TimeZone != "" {
			return pgType{oid: OIDTimestamptz, size: 8, typmod: -1}
		}
		return pgType{oid: OIDTimestamp, size: 8, typmod: -1}
	case *arrow.MonthDayNanoIntervalType, *arrow.DayTimeIntervalType, *arrow.MonthIntervalType, *arrow.DurationType:
		return pgType{oid: OIDInterval, size: 16, typmod: -1}
	case *arrow.StructType:
		// ROW(…) and whole-row references: PostgreSQL's anonymous record.
		return pgType{oid: OIDRecord, size: -1, typmod: -1}
	case *arrow.ListType, *arrow.LargeListType, *arrow.FixedSizeListType:
		elem := typeOf(t.(arrow.ListLikeType).Elem())
		if oid, ok := arrayOIDs[elem.oid]; ok {
			return pgType{oid: oid, size: -1, typmod: -1}
		}
		return pgType{oid: 1009, size: -1, typmod: -1}
	}
	return pgType{oid: OIDText, size: -1, typmod: -1}
}

func numericTypmod(precision, scale int32) int32 { return (precision<<16 | scale) + 4 }

// textEncoder appends the text form of row i of one column to dst; the
// value is known not to be NULL.
type textEncoder func(dst []byte, i int) []byte

// encodeOpts are the session settings that change text output
// (TimeZone, DateStyle, IntervalStyle, extra_float_digits,
// bytea_output).
type encodeOpts struct {
	style pgval.Style
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
		efd := o.style.ExtraFloatDigits
		return func(dst []byte, i int) []byte { return pgval.AppendFloat(dst, float64(a.Value(i)), 32, efd) }
	case *array.Float64:
		efd := o.style.ExtraFloatDigits
		return func(dst []byte, i int) []byte { return pgval.AppendFloat(dst, a.Value(i), 64, efd) }
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
		esc := o.style.ByteaEscape
		return func(dst []byte, i int) []byte { return pgval.AppendBytea(dst, a.Value(i), esc) }
	case *array.LargeBinary:
		esc := o.style.ByteaEscape
		return func(dst []byte, i int) []byte { return pgval.AppendBytea(dst, a.Value(i), esc) }
	case *array.FixedSizeBinary:
		esc := o.style.ByteaEscape
		return func(dst []byte, i int) []byte { return pgval.AppendBytea(dst, a.Value(i), esc) }
	case *array.Date32:
		st := o.style
		return func(dst []byte, i int) []byte { return pgval.AppendDate(dst, int64(a.Value(i)), st) }
	case *array.Date64:
		st := o.style
		return func(dst []byte, i int) []byte { return pgval.AppendDate(dst, int64(a.Value(i))/86_400_000, st) }
	case *array.Time64:
		unit := a.DataType().(*arrow.Time64Type).Unit
		return func(dst []byte, i int) []byte { return pgval.AppendTime(dst, toMicros(int64(a.Value(i)), unit)) }
	case *array.Time32:
		unit := a.DataType().(*arrow.Time32Type).Unit
		return func(dst []byte, i int) []byte { return pgval.AppendTime(dst, toMicros(int64(a.Value(i)), unit)) }
	case *array.Timestamp:
		tt := a.DataType().(*arrow.TimestampType)
		st := o.style
		if tt.TimeZone == "" {
			return func(dst []byte, i int) []byte {
				return pgval.AppendTimestamp(dst, tsMicros(int64(a.Value(i)), tt.Unit), st)
			}
		}
		return func(dst []byte, i int) []byte {
			return pgval.AppendTimestamptz(dst, tsMicros(int64(a.Value(i)), tt.Unit), st)
		}
	case *array.MonthDayNanoInterval:
		st := o.style
		return func(dst []byte, i int) []byte {
			v := a.Value(i)
			return pgval.AppendInterval(dst, pgval.Interval{Months: v.Months, Days: v.Days, Micros: v.Nanoseconds / 1000}, st)
		}
	case *array.Duration:
		unit := a.DataType().(*arrow.DurationType).Unit
		st := o.style
		return func(dst []byte, i int) []byte {
			return pgval.AppendInterval(dst, pgval.Interval{Micros: toMicros(int64(a.Value(i)), unit)}, st)
		}
	case array.ListLike:
		return listEncoder(a, o)
	case *array.Struct:
		return recordEncoder(a, o)
	}
	return func(dst []byte, i int) []byte { return append(dst, a.ValueStr(i)...) }
}

// tsMicros is a timestamp in microseconds, keeping the engine's
// infinities (which are the same in every unit).
func tsMicros(v int64, unit arrow.TimeUnit) int64 {
	if v == pgval.TSInfinity || v == pgval.TSNegInfinity {
		return v
	}
	return toMicros(v, unit)
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
// extra_float_digits (1).
func appendFloat(dst []byte, f float64, bits int) []byte { return pgval.AppendFloat(dst, f, bits, 1) }

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

// AppendInterval appends an interval (months, days, microseconds) in
// PostgreSQL's "postgres" IntervalStyle, e.g. "1 year 2 mons 3 days
// 04:05:06.5", as psql shows it.
func AppendInterval(dst []byte, months, days, us int64) []byte {
	return pgval.AppendInterval(dst, pgval.Interval{Months: int32(months), Days: int32(days), Micros: us}, pgval.DefaultStyle)
}

// listEncoder writes a one-dimensional array literal: {1,2,NULL}.
func listEncoder(a array.ListLike, o encodeOpts) textEncoder {
	values := a.ListValues()
	quoteElems := true
	switch values.(type) {
	case *array.Boolean, *array.Int8, *array.Int16, *array.Int32, *array.Int64, *array.Uint8, *array.Uint16,
		*array.Uint32, *array.Uint64, *array.Float32, *array.Float64, *array.Decimal128:
		quoteElems = false
	}
	return listEncoderWith(a, textEncoderFor(values, o), quoteElems)
}

// listEncoderWith writes an array literal whose elements inner encodes,
// quoting them as array_out does when quoteElems is set.
func listEncoderWith(a array.ListLike, inner textEncoder, quoteElems bool) textEncoder {
	values := a.ListValues()
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
	if t, ok := metaType(f); ok {
		return t
	}
	if v, ok := f.Metadata.GetValue(MetaPGType); ok {
		name, mod, _ := strings.Cut(strings.TrimSuffix(v, ")"), "(")
		typmod := int32(-1)
		if n, err := strconv.Atoi(mod); err == nil && n >= 0 {
			typmod = int32(n) + 4 // VARHDRSZ, as varchar(n) and bpchar(n) store it
		}
		switch name {
		case "uuid":
			return pgType{oid: OIDUUID, size: 16, typmod: -1}
		case "json":
			return pgType{oid: OIDJSON, size: -1, typmod: -1}
		case "jsonb":
			return pgType{oid: OIDJSONB, size: -1, typmod: -1}
		case "varchar":
			return pgType{oid: OIDVarchar, size: -1, typmod: typmod}
		case "bpchar":
			return pgType{oid: OIDBPChar, size: -1, typmod: typmod}
		case "numeric":
			return pgType{oid: OIDNumeric, size: -1, typmod: -1}
		case "oid":
			return pgType{oid: OIDOID, size: 4, typmod: -1}
		case "name":
			return pgType{oid: OIDName, size: 64, typmod: -1}
		case "char":
			return pgType{oid: OIDChar, size: 1, typmod: -1}
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
