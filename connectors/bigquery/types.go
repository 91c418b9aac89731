package bigquery

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
	"time"

	"cloud.google.com/go/bigquery"
	"cloud.google.com/go/civil"
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"

	"github.com/hotdata-dev/hotdata/connectors"
)

// kind is how Hotdata holds one BigQuery type.
type kind int

const (
	kindText      kind = iota // STRING, and what is cached as text
	kindInt64                 // INT64
	kindFloat64               // FLOAT64
	kindNumeric               // NUMERIC(P,S): decimal128
	kindBigNum                // NUMERIC and BIGNUMERIC: exact decimal text, served as numeric
	kindBool                  // BOOL
	kindBytes                 // BYTES
	kindDate                  // DATE
	kindDatetime              // DATETIME: timestamp without time zone
	kindTime                  // TIME
	kindTimestamp             // TIMESTAMP: timestamptz
	kindJSON                  // JSON, and STRUCT as a JSON object
	kindOther                 // GEOGRAPHY, INTERVAL, RANGE: their text, with a warning
)

// PostgreSQL type OIDs (src/include/catalog/pg_type.dat): the element
// type, and its array type.
var oids = map[kind][2]uint32{
	kindText:      {25, 1009},
	kindInt64:     {20, 1016},
	kindFloat64:   {701, 1022},
	kindNumeric:   {1700, 1231},
	kindBigNum:    {1700, 1231},
	kindBool:      {16, 1000},
	kindBytes:     {17, 1001},
	kindDate:      {1082, 1182},
	kindDatetime:  {1114, 1115},
	kindTime:      {1083, 1183},
	kindTimestamp: {1184, 1185},
	kindJSON:      {114, 199},
	kindOther:     {25, 1009},
}

const oidVarchar, oidVarcharArray = 1043, 1015

// numericPrecision is the most digits an Arrow decimal128 holds: a
// NUMERIC(P,S) (P <= 29, or 38 for BIGNUMERIC(P,S)) up to it is cached
// as a decimal.
const numericPrecision = 38

// column is how one BigQuery column is read and served.
type column struct {
	name   string
	schema *bigquery.FieldSchema
	// elem is the schema of one value: schema itself, or an ARRAY's
	// element (schema without REPEATED).
	elem *bigquery.FieldSchema
	kind kind
	// list is set for a REPEATED field (a BigQuery ARRAY).
	list bool
	// asText reads the column as text (ScanRequest.AsText), reason says
	// why the cache cannot serve it.
	asText bool
	reason string
	// precision and scale of a kindNumeric.
	precision, scale int32
	field            arrow.Field
	warning          string
}

// kindOf classifies a field's own type (not its REPEATED mode).
func kindOf(f *bigquery.FieldSchema) kind {
	switch f.Type {
	case bigquery.StringFieldType:
		return kindText
	case bigquery.IntegerFieldType:
		return kindInt64
	case bigquery.FloatFieldType:
		return kindFloat64
	case bigquery.NumericFieldType:
		if f.Precision > 0 && f.Precision <= numericPrecision {
			return kindNumeric
		}
		// NUMERIC without parameters has no display scale: BigQuery
		// prints 19.99, not 19.990000000 as numeric(38,9) would.
		return kindBigNum
	case bigquery.BigNumericFieldType:
		if f.Precision > 0 && f.Precision <= numericPrecision {
			return kindNumeric
		}
		return kindBigNum
	case bigquery.BooleanFieldType:
		return kindBool
	case bigquery.BytesFieldType:
		return kindBytes
	case bigquery.DateFieldType:
		return kindDate
	case bigquery.DateTimeFieldType:
		return kindDatetime
	case bigquery.TimeFieldType:
		return kindTime
	case bigquery.TimestampFieldType:
		return kindTimestamp
	case bigquery.JSONFieldType, bigquery.RecordFieldType:
		return kindJSON
	}
	return kindOther
}

// typeName is BigQuery's own name of a field's type, as its DDL spells
// it: INT64, NUMERIC(12, 2), STRING(10), ARRAY<STRUCT<a INT64>>.
func typeName(f *bigquery.FieldSchema) string {
	var b strings.Builder
	if f.Repeated {
		b.WriteString("ARRAY<")
	}
	switch f.Type {
	case bigquery.IntegerFieldType:
		b.WriteString("INT64")
	case bigquery.FloatFieldType:
		b.WriteString("FLOAT64")
	case bigquery.BooleanFieldType:
		b.WriteString("BOOL")
	case bigquery.RecordFieldType:
		b.WriteString("STRUCT<")
		for i, sub := range f.Schema {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(sub.Name + " " + typeName(sub))
		}
		b.WriteString(">")
	case bigquery.RangeFieldType:
		b.WriteString("RANGE")
		if f.RangeElementType != nil {
			b.WriteString("<" + string(f.RangeElementType.Type) + ">")
		}
	default:
		b.WriteString(string(f.Type))
	}
	switch {
	case (f.Type == bigquery.NumericFieldType || f.Type == bigquery.BigNumericFieldType) && f.Precision > 0:
		fmt.Fprintf(&b, "(%d,%d)", f.Precision, f.Scale)
	case (f.Type == bigquery.StringFieldType || f.Type == bigquery.BytesFieldType) && f.MaxLength > 0:
		fmt.Fprintf(&b, "(%d)", f.MaxLength)
	}
	if f.Repeated {
		b.WriteString(">")
	}
	return b.String()
}

// servedNames are the PostgreSQL names of the kinds' types (a
// kindNumeric's carries its parameters).
var servedNames = map[kind]string{kindText: "text", kindInt64: "bigint", kindFloat64: "double precision", kindBool: "boolean",
	kindBytes: "bytea", kindDate: "date", kindDatetime: "timestamp without time zone", kindTime: "time without time zone",
	kindTimestamp: "timestamp with time zone", kindJSON: "json", kindBigNum: "numeric", kindOther: "text"}

// servedType is the PostgreSQL type the column is served as: its OID
// and its name with modifiers (the emulated catalog reads the typmod
// from the name).
func servedType(f *bigquery.FieldSchema) (uint32, string) {
	k := kindOf(f)
	o := oids[k]
	name := servedNames[k]
	if (k == kindNumeric || k == kindBigNum) && f.Precision > 0 {
		name = fmt.Sprintf("numeric(%d,%d)", f.Precision, f.Scale)
	}
	if k == kindText && f.MaxLength > 0 {
		o = [2]uint32{oidVarchar, oidVarcharArray}
		name = fmt.Sprintf("character varying(%d)", f.MaxLength)
	}
	if f.Repeated {
		return o[1], name + "[]"
	}
	return o[0], name
}

// planColumn decides how a field is read; reason, when asText, is why
// the cache cannot serve the column.
func planColumn(f *bigquery.FieldSchema, asText bool, reason string) column {
	c := column{name: f.Name, schema: f, elem: f, kind: kindOf(f), list: f.Repeated, asText: asText, reason: reason}
	if f.Repeated {
		e := *f
		e.Repeated = false
		c.elem = &e
	}
	keys, values := []string{connectors.MetaSourceType}, []string{typeName(f)}
	if c.kind == kindBigNum && !f.Repeated && !asText {
		keys, values = append(keys, connectors.MetaDecimalText), append(values, "true")
	}
	var elem arrow.DataType
	switch {
	case asText:
		elem = arrow.BinaryTypes.String
		keys, values = append(keys, connectors.MetaTextHeld), append(values, "true")
		if reason != "" {
			keys, values = append(keys, connectors.MetaUnavailable), append(values, reason)
		}
		c.list = false
	default:
		switch c.kind {
		case kindInt64:
			elem = arrow.PrimitiveTypes.Int64
		case kindFloat64:
			elem = arrow.PrimitiveTypes.Float64
		case kindNumeric:
			// NUMERIC(P) is NUMERIC(P, 0).
			c.precision, c.scale = int32(f.Precision), int32(f.Scale)
			elem = &arrow.Decimal128Type{Precision: c.precision, Scale: c.scale}
		case kindBool:
			elem = arrow.FixedWidthTypes.Boolean
		case kindBytes:
			elem = arrow.BinaryTypes.Binary
		case kindDate:
			elem = arrow.FixedWidthTypes.Date32
		case kindDatetime:
			elem = &arrow.TimestampType{Unit: arrow.Microsecond}
		case kindTime:
			elem = arrow.FixedWidthTypes.Time64us
		case kindTimestamp:
			elem = &arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: "UTC"}
		case kindJSON:
			elem = connectors.JSONType()
		case kindOther:
			elem = arrow.BinaryTypes.String
			c.warning = fmt.Sprintf("column %s of type %s is cached as text (BigQuery's text form of its values)", f.Name, typeName(f))
		default: // kindText, kindBigNum
			elem = arrow.BinaryTypes.String
		}
	}
	typ := elem
	if c.list {
		typ = arrow.ListOf(elem)
	}
	c.field = arrow.Field{Name: f.Name, Type: typ, Nullable: !f.Required || c.list, Metadata: arrow.NewMetadata(keys, values)}
	return c
}

// appendValue appends one value of the column (as the client library
// decodes it: int64, float64, *big.Rat, string, []byte, bool,
// civil.Date, civil.DateTime, civil.Time, time.Time, []Value) to b.
func (c *column) appendValue(b array.Builder, v bigquery.Value) error {
	if v == nil {
		b.AppendNull()
		return nil
	}
	if c.asText {
		s, err := textOf(c.schema, v)
		if err != nil {
			return err
		}
		b.(*array.StringBuilder).Append(s)
		return nil
	}
	if c.list {
		items, ok := v.([]bigquery.Value)
		if !ok {
			return fmt.Errorf("column %s: array value of type %T", c.name, v)
		}
		lb := b.(*array.ListBuilder)
		lb.Append(true)
		vb := lb.ValueBuilder()
		for _, item := range items {
			if err := c.appendOne(vb, item); err != nil {
				return err
			}
		}
		return nil
	}
	return c.appendOne(b, v)
}

// appendOne appends a scalar value (an array's element, or a column's
// value) to b.
func (c *column) appendOne(b array.Builder, v bigquery.Value) error {
	if v == nil {
		b.AppendNull()
		return nil
	}
	bad := func() error {
		return fmt.Errorf("column %s (%s): unexpected value of type %T", c.name, typeName(c.elem), v)
	}
	switch c.kind {
	case kindInt64:
		x, ok := v.(int64)
		if !ok {
			return bad()
		}
		b.(*array.Int64Builder).Append(x)
	case kindFloat64:
		x, ok := v.(float64)
		if !ok {
			return bad()
		}
		b.(*array.Float64Builder).Append(x)
	case kindNumeric:
		r, ok := v.(*big.Rat)
		if !ok {
			return bad()
		}
		d, err := ratToDecimal(r, c.precision, c.scale)
		if err != nil {
			return fmt.Errorf("column %s: %w", c.name, err)
		}
		b.(*array.Decimal128Builder).Append(d)
	case kindBool:
		x, ok := v.(bool)
		if !ok {
			return bad()
		}
		b.(*array.BooleanBuilder).Append(x)
	case kindBytes:
		x, ok := v.([]byte)
		if !ok {
			return bad()
		}
		b.(*array.BinaryBuilder).Append(x)
	case kindDate:
		x, ok := v.(civil.Date)
		if !ok {
			return bad()
		}
		b.(*array.Date32Builder).Append(arrow.Date32(dateDays(x)))
	case kindDatetime:
		x, ok := v.(civil.DateTime)
		if !ok {
			return bad()
		}
		b.(*array.TimestampBuilder).Append(arrow.Timestamp(x.In(time.UTC).UnixMicro()))
	case kindTime:
		x, ok := v.(civil.Time)
		if !ok {
			return bad()
		}
		b.(*array.Time64Builder).Append(arrow.Time64(timeMicros(x)))
	case kindTimestamp:
		x, ok := v.(time.Time)
		if !ok {
			return bad()
		}
		b.(*array.TimestampBuilder).Append(arrow.Timestamp(x.UnixMicro()))
	case kindJSON:
		s, err := textOf(c.elem, v)
		if err != nil {
			return err
		}
		b.(*array.ExtensionBuilder).StorageBuilder().(*array.StringBuilder).Append(s)
	default: // kindText, kindBigNum, kindOther
		s, err := textOf(c.elem, v)
		if err != nil {
			return err
		}
		b.(*array.StringBuilder).Append(s)
	}
	return nil
}

// ratToDecimal is r as a decimal of scale s, exactly (an error when r
// has more fractional digits, or more digits than precision p).
func ratToDecimal(r *big.Rat, p, s int32) (decimal128.Num, error) {
	scaled := new(big.Rat).Mul(r, new(big.Rat).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(s)), nil)))
	if !scaled.IsInt() {
		return decimal128.Num{}, fmt.Errorf("value %s has more than %d fractional digits", r.FloatString(int(s)+10), s)
	}
	n := scaled.Num()
	if limit := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(p)), nil); new(big.Int).Abs(n).Cmp(limit) >= 0 {
		return decimal128.Num{}, fmt.Errorf("value %s has more than %d digits", r.FloatString(int(s)), p)
	}
	return decimal128.FromBigInt(n), nil
}

// decimalText prints r exactly, without trailing fractional zeros, as
// BigQuery prints NUMERIC and BIGNUMERIC values (every value of both
// has at most 38 fractional digits).
func decimalText(r *big.Rat) string {
	s := r.FloatString(38)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	if s == "-0" {
		s = "0"
	}
	return s
}

// dateDays is d's days since 1970-01-01.
func dateDays(d civil.Date) int64 {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC).Unix() / 86400
}

// timeMicros is t's microseconds since midnight.
func timeMicros(t civil.Time) int64 {
	return int64(t.Hour)*3_600_000_000 + int64(t.Minute)*60_000_000 + int64(t.Second)*1_000_000 + int64(t.Nanosecond)/1000
}

// textOf is BigQuery's text form of a value (CAST(v AS STRING)), and a
// STRUCT's or ARRAY's as JSON (TO_JSON_STRING), as the text of a
// column read as text or kept as json.
func textOf(f *bigquery.FieldSchema, v bigquery.Value) (string, error) {
	if f.Repeated || f.Type == bigquery.RecordFieldType {
		var b strings.Builder
		if err := writeJSON(&b, f, v, f.Repeated); err != nil {
			return "", err
		}
		return b.String(), nil
	}
	switch x := v.(type) {
	case string:
		return x, nil
	case int64:
		return strconv.FormatInt(x, 10), nil
	case float64:
		return floatText(x), nil
	case *big.Rat:
		if f.Precision > 0 {
			// NUMERIC(P,S), served as numeric(P,S): S digits, as
			// PostgreSQL prints that type.
			return x.FloatString(int(f.Scale)), nil
		}
		return decimalText(x), nil
	case bool:
		return strconv.FormatBool(x), nil
	case []byte:
		return base64.StdEncoding.EncodeToString(x), nil
	case civil.Date:
		return x.String(), nil
	case civil.DateTime:
		return x.Date.String() + " " + timeText(x.Time), nil
	case civil.Time:
		return timeText(x), nil
	case time.Time:
		return x.UTC().Format("2006-01-02 15:04:05.999999") + "+00", nil
	case *bigquery.RangeValue:
		return rangeText(f, x)
	case fmt.Stringer:
		return x.String(), nil // INTERVAL
	}
	return "", fmt.Errorf("column %s: unexpected value of type %T", f.Name, v)
}

// timeText prints a TIME with its fractional seconds, as BigQuery does.
func timeText(t civil.Time) string {
	s := fmt.Sprintf("%02d:%02d:%02d", t.Hour, t.Minute, t.Second)
	if t.Nanosecond != 0 {
		s += strings.TrimRight(fmt.Sprintf(".%06d", t.Nanosecond/1000), "0")
	}
	return s
}

// floatText prints a FLOAT64 with the fewest digits that read back as
// it, and NaN and infinities as BigQuery names them.
func floatText(x float64) string {
	switch {
	case math.IsNaN(x):
		return "NaN"
	case math.IsInf(x, 1):
		return "Infinity"
	case math.IsInf(x, -1):
		return "-Infinity"
	}
	return strconv.FormatFloat(x, 'g', -1, 64)
}

// writeJSON writes v as JSON, as TO_JSON_STRING does: STRUCT fields by
// name in their order, INT64 and NUMERIC as numbers, BYTES in base64,
// dates and times as strings, NaN and infinities as strings. repeated
// says v is the field's whole array.
func writeJSON(b *strings.Builder, f *bigquery.FieldSchema, v bigquery.Value, repeated bool) error {
	if v == nil {
		b.WriteString("null")
		return nil
	}
	if repeated {
		items, ok := v.([]bigquery.Value)
		if !ok {
			return fmt.Errorf("field %s: array value of type %T", f.Name, v)
		}
		b.WriteByte('[')
		for i, item := range items {
			if i > 0 {
				b.WriteByte(',')
			}
			if err := writeJSON(b, f, item, false); err != nil {
				return err
			}
		}
		b.WriteByte(']')
		return nil
	}
	switch f.Type {
	case bigquery.RecordFieldType:
		vals, ok := v.([]bigquery.Value)
		if !ok || len(vals) != len(f.Schema) {
			return fmt.Errorf("field %s: struct value of type %T", f.Name, v)
		}
		b.WriteByte('{')
		for i, sub := range f.Schema {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(jsonQuote(sub.Name))
			b.WriteByte(':')
			if err := writeJSON(b, sub, vals[i], sub.Repeated); err != nil {
				return err
			}
		}
		b.WriteByte('}')
		return nil
	case bigquery.JSONFieldType:
		s, ok := v.(string)
		if !ok {
			return fmt.Errorf("field %s: JSON value of type %T", f.Name, v)
		}
		b.WriteString(s)
		return nil
	case bigquery.IntegerFieldType, bigquery.NumericFieldType, bigquery.BigNumericFieldType, bigquery.BooleanFieldType:
		s, err := textOf(f, v)
		if err != nil {
			return err
		}
		b.WriteString(s)
		return nil
	case bigquery.FloatFieldType:
		x, ok := v.(float64)
		if !ok {
			return fmt.Errorf("field %s: float value of type %T", f.Name, v)
		}
		if math.IsNaN(x) || math.IsInf(x, 0) {
			b.WriteString(jsonQuote(floatText(x)))
		} else {
			b.WriteString(strconv.FormatFloat(x, 'g', -1, 64))
		}
		return nil
	case bigquery.TimestampFieldType:
		t, ok := v.(time.Time)
		if !ok {
			return fmt.Errorf("field %s: timestamp value of type %T", f.Name, v)
		}
		b.WriteString(jsonQuote(t.UTC().Format("2006-01-02T15:04:05.999999Z")))
		return nil
	case bigquery.DateTimeFieldType:
		t, ok := v.(civil.DateTime)
		if !ok {
			return fmt.Errorf("field %s: datetime value of type %T", f.Name, v)
		}
		b.WriteString(jsonQuote(t.Date.String() + "T" + timeText(t.Time)))
		return nil
	}
	s, err := textOf(f, v)
	if err != nil {
		return err
	}
	b.WriteString(jsonQuote(s))
	return nil
}

// jsonQuote is s as a JSON string (without HTML escapes).
func jsonQuote(s string) string {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s) // a string always encodes
	return strings.TrimSuffix(b.String(), "\n")
}

// rangeText prints a RANGE as BigQuery does: [start, end), UNBOUNDED
// for a missing bound.
func rangeText(f *bigquery.FieldSchema, r *bigquery.RangeValue) (string, error) {
	bound := func(v bigquery.Value) (string, error) {
		if v == nil {
			return "UNBOUNDED", nil
		}
		elem := &bigquery.FieldSchema{Name: f.Name, Type: bigquery.DateFieldType}
		if f.RangeElementType != nil {
			elem.Type = f.RangeElementType.Type
		}
		if t, ok := v.(time.Time); ok {
			// TIMESTAMP bounds print as CAST(… AS STRING) does.
			return t.UTC().Format("2006-01-02 15:04:05.999999") + "+00", nil
		}
		return textOf(elem, v)
	}
	start, err := bound(r.Start)
	if err != nil {
		return "", err
	}
	end, err := bound(r.End)
	if err != nil {
		return "", err
	}
	return "[" + start + ", " + end + ")", nil
}
