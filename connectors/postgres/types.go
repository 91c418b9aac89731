package postgres

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"math/big"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/extensions"

	"github.com/hotdata-dev/hotdata/connectors"
	"github.com/hotdata-dev/hotdata/pgval"
)

// PostgreSQL type OIDs (src/include/catalog/pg_type.dat).
const (
	oidBool        = 16
	oidBytea       = 17
	oidChar        = 18
	oidName        = 19
	oidInt8        = 20
	oidInt2        = 21
	oidInt4        = 23
	oidText        = 25
	oidJSON        = 114
	oidFloat4      = 700
	oidFloat8      = 701
	oidBPChar      = 1042
	oidVarchar     = 1043
	oidDate        = 1082
	oidTime        = 1083
	oidTimestamp   = 1114
	oidTimestamptz = 1184
	oidNumeric     = 1700
	oidUUID        = 2950
	oidJSONB       = 3802
	oidInterval    = 1186
)

// Days and microseconds between the Unix epoch and PostgreSQL's (2000-01-01).
const (
	pgEpochDays   = 10957
	pgEpochMicros = pgEpochDays * 86400 * 1_000_000
)

// column is one upstream column as the scan sees it now.
type column struct {
	name     string
	typeName string // format_type
	baseOID  uint32 // the type, or a domain's base type
	typmod   int32  // of the base type
	isEnum   bool
	nullable bool
	// elemOID is an array's element type (0 for non-arrays), elemEnum
	// whether that element type is an enum.
	elemOID  uint32
	elemEnum bool
	// typeOID is the column's own type (a domain's, not its base's).
	typeOID uint32
}

// plan is how one column is selected and decoded.
type plan struct {
	expr string // select-list expression
	// text: the column is read in the text result format, as the
	// type's output function prints it (a cast to text may differ:
	// inet's and bpchar's do), and stored as that string.
	text    bool
	field   arrow.Field
	decoder func(b array.Builder) decodeFunc
	warning string
}

// decodeFunc appends one non-NULL binary value to its builder.
type decodeFunc func(v []byte) error

// numericPrecision returns (precision, scale) of a numeric typmod, ok
// false for an unconstrained numeric.
func numericPrecision(typmod int32) (int32, int32, bool) {
	if typmod < 4 {
		return 0, 0, false
	}
	t := typmod - 4
	return (t >> 16) & 0xffff, t & 0xffff, true
}

// planColumn maps a column to its Arrow type and decoder.
func planColumn(c column) plan {
	quoted := quoteIdent(c.name)
	meta := arrow.NewMetadata([]string{connectors.MetaSourceType}, []string{c.typeName})
	p := plan{expr: quoted, field: arrow.Field{Name: c.name, Nullable: c.nullable, Metadata: meta}}
	switch {
	case c.isEnum:
		p.field.Type = arrow.BinaryTypes.String
		p.decoder = decodeString
		return p
	case c.elemOID != 0:
		// One-dimensional arrays of mapped types become lists.
		elem := planColumn(column{name: "element", typeName: c.typeName, baseOID: c.elemOID, typmod: c.typmod, isEnum: c.elemEnum, nullable: true})
		if elem.warning == "" && !elem.text {
			if c.elemOID == oidBPChar {
				// Array elements print with their padding, and nothing
				// pads them back: keep it.
				elem.decoder = decodeString
			}
			p.field.Type = arrow.ListOfField(arrow.Field{Name: "element", Type: elem.field.Type, Nullable: true})
			p.decoder = decodeArray(elem.decoder)
			return p
		}
		p.text = true
		p.field.Type = arrow.BinaryTypes.String
		p.decoder = decodeString
		p.warning = fmt.Sprintf("column %s of type %s is cached as text", c.name, c.typeName)
		return p
	}
	switch c.baseOID {
	case oidBool:
		p.field.Type = arrow.FixedWidthTypes.Boolean
		p.decoder = decodeBool
	case oidInt2:
		p.field.Type = arrow.PrimitiveTypes.Int16
		p.decoder = decodeInt2
	case oidInt4:
		p.field.Type = arrow.PrimitiveTypes.Int32
		p.decoder = decodeInt4
	case oidInt8:
		p.field.Type = arrow.PrimitiveTypes.Int64
		p.decoder = decodeInt8
	case oidFloat4:
		p.field.Type = arrow.PrimitiveTypes.Float32
		p.decoder = decodeFloat4
	case oidFloat8:
		p.field.Type = arrow.PrimitiveTypes.Float64
		p.decoder = decodeFloat8
	case oidText, oidVarchar, oidName, oidChar:
		p.field.Type = arrow.BinaryTypes.String
		p.decoder = decodeString
	case oidBPChar:
		// Cached without its padding: PostgreSQL ignores trailing spaces
		// of character(n) in comparisons, the engine does not; the padding
		// comes back when a column is sent as character(n). A bpchar
		// without a length pads nothing: trailing spaces in its values
		// are their own, and nothing would bring them back.
		p.field.Type = arrow.BinaryTypes.String
		p.decoder = decodeBPChar
		if c.typmod < 0 {
			p.decoder = decodeUnpaddedBPChar
		}
	case oidJSON:
		p.field.Type = jsonType
		p.decoder = decodeJSON(false)
	case oidJSONB:
		p.field.Type = jsonType
		p.decoder = decodeJSON(true)
	case oidInterval:
		p.field.Type = IntervalType
		p.decoder = decodeInterval
	case oidBytea:
		p.field.Type = arrow.BinaryTypes.Binary
		p.decoder = decodeBytes
	case oidUUID:
		p.field.Type = extensions.NewUUIDType()
		p.decoder = decodeUUID
	case oidDate:
		p.field.Type = arrow.FixedWidthTypes.Date32
		p.decoder = decodeDate
	case oidTime:
		p.field.Type = arrow.FixedWidthTypes.Time64us
		p.decoder = decodeTime
	case oidTimestamp:
		p.field.Type = &arrow.TimestampType{Unit: arrow.Microsecond}
		p.decoder = decodeTimestamp
	case oidTimestamptz:
		p.field.Type = &arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: "UTC"}
		p.decoder = decodeTimestamp
	case oidNumeric:
		if prec, scale, ok := numericPrecision(c.typmod); ok && prec <= 38 {
			p.field.Type = &arrow.Decimal128Type{Precision: prec, Scale: scale}
			p.decoder = decodeNumeric(scale)
			break
		}
		// Unconstrained or wider than 38 digits: keep every digit as text.
		p.text = true
		p.field.Type = arrow.BinaryTypes.String
		p.field.Metadata = arrow.NewMetadata([]string{connectors.MetaSourceType, connectors.MetaDecimalText}, []string{c.typeName, "true"})
		p.decoder = decodeString
	default:
		p.text = true
		p.field.Type = arrow.BinaryTypes.String
		p.decoder = decodeString
		p.warning = fmt.Sprintf("column %s of type %s is cached as text", c.name, c.typeName)
	}
	return p
}

// textPlan reads a column as PostgreSQL's text output of its values
// (ScanRequest.AsText): reason says why the cache cannot serve it, ""
// when the text serves it (a numeric(p,s) with NaN or Infinity).
func textPlan(c column, reason string) plan {
	keys := []string{connectors.MetaSourceType, connectors.MetaTextHeld}
	values := []string{c.typeName, "true"}
	if reason != "" {
		keys, values = append(keys, connectors.MetaUnavailable), append(values, reason)
	}
	return plan{
		expr:    quoteIdent(c.name),
		text:    true,
		field:   arrow.Field{Name: c.name, Type: arrow.BinaryTypes.String, Nullable: c.nullable, Metadata: arrow.NewMetadata(keys, values)},
		decoder: decodeString,
	}
}

// unheldError is a decoder's error for a value that the column's Arrow
// form cannot hold exactly; the scan turns it into a
// connectors.NeedsTextError with the reason. (errNumericSpecial is the
// one value class whose text the cache serves: it has no reason.)
type unheldError struct{ reason string }

func (e *unheldError) Error() string { return e.reason }

// arrayForm is what the cache holds of arrays; the reasons for refusing
// other arrays end with it.
const arrayForm = "Hotdata caches one-dimensional arrays with lower bound 1"

func quoteIdent(s string) string {
	out := make([]byte, 0, len(s)+2)
	out = append(out, '"')
	for i := 0; i < len(s); i++ {
		if s[i] == '"' {
			out = append(out, '"')
		}
		out = append(out, s[i])
	}
	return string(append(out, '"'))
}

var errLength = errors.New("value has the wrong length for its type")

func decodeBool(b array.Builder) decodeFunc {
	bb := b.(*array.BooleanBuilder)
	return func(v []byte) error {
		if len(v) != 1 {
			return errLength
		}
		bb.Append(v[0] != 0)
		return nil
	}
}

func decodeInt2(b array.Builder) decodeFunc {
	ib := b.(*array.Int16Builder)
	return func(v []byte) error {
		if len(v) != 2 {
			return errLength
		}
		ib.Append(int16(binary.BigEndian.Uint16(v)))
		return nil
	}
}

func decodeInt4(b array.Builder) decodeFunc {
	ib := b.(*array.Int32Builder)
	return func(v []byte) error {
		if len(v) != 4 {
			return errLength
		}
		ib.Append(int32(binary.BigEndian.Uint32(v)))
		return nil
	}
}

func decodeInt8(b array.Builder) decodeFunc {
	ib := b.(*array.Int64Builder)
	return func(v []byte) error {
		if len(v) != 8 {
			return errLength
		}
		ib.Append(int64(binary.BigEndian.Uint64(v)))
		return nil
	}
}

func decodeFloat4(b array.Builder) decodeFunc {
	fb := b.(*array.Float32Builder)
	return func(v []byte) error {
		if len(v) != 4 {
			return errLength
		}
		fb.Append(math.Float32frombits(binary.BigEndian.Uint32(v)))
		return nil
	}
}

func decodeFloat8(b array.Builder) decodeFunc {
	fb := b.(*array.Float64Builder)
	return func(v []byte) error {
		if len(v) != 8 {
			return errLength
		}
		fb.Append(math.Float64frombits(binary.BigEndian.Uint64(v)))
		return nil
	}
}

func decodeBPChar(b array.Builder) decodeFunc {
	sb := b.(*array.StringBuilder)
	return func(v []byte) error {
		sb.BinaryBuilder.Append(bytes.TrimRight(v, " "))
		return nil
	}
}

// decodeUnpaddedBPChar reads a bpchar without a length, whose values
// the cache holds without trailing spaces (as those of character(n)) and
// which has no length to pad them back to: a value with some is not held.
func decodeUnpaddedBPChar(b array.Builder) decodeFunc {
	sb := b.(*array.StringBuilder)
	return func(v []byte) error {
		if len(v) > 0 && v[len(v)-1] == ' ' {
			return errBPCharSpaces
		}
		sb.BinaryBuilder.Append(v)
		return nil
	}
}

var errBPCharSpaces = &unheldError{"it holds bpchar values with trailing spaces, which the cache keeps only for character(n), whose length pads them back"}

func decodeString(b array.Builder) decodeFunc {
	sb := b.(*array.StringBuilder)
	return func(v []byte) error {
		sb.BinaryBuilder.Append(v)
		return nil
	}
}

// jsonType stores json and jsonb as text with the JSON extension type, so
// Parquet marks the column JSON and the engine reads it as JSON.
var jsonType = func() arrow.DataType {
	t, err := extensions.NewJSONType(arrow.BinaryTypes.String)
	if err != nil {
		panic(err) // a string storage type is always valid
	}
	return t
}()

// IntervalType stores an interval exactly, as its three parts; the engine
// turns it back into an interval (Parquet's INTERVAL keeps milliseconds
// only, and Arrow's month_day_nano has no Parquet form).
var IntervalType = arrow.StructOf(
	arrow.Field{Name: "months", Type: arrow.PrimitiveTypes.Int32},
	arrow.Field{Name: "days", Type: arrow.PrimitiveTypes.Int32},
	arrow.Field{Name: "micros", Type: arrow.PrimitiveTypes.Int64},
)

func decodeJSON(binaryJSONB bool) func(b array.Builder) decodeFunc {
	return func(b array.Builder) decodeFunc {
		sb := b.(*array.ExtensionBuilder).StorageBuilder().(*array.StringBuilder)
		return func(v []byte) error {
			if binaryJSONB {
				// jsonb_send: a version byte (1) then the text.
				if len(v) < 1 || v[0] != 1 {
					return errors.New("unknown jsonb binary version")
				}
				v = v[1:]
			}
			sb.BinaryBuilder.Append(v)
			return nil
		}
	}
}

// decodeInterval reads interval_send: int64 microseconds, int32 days,
// int32 months.
func decodeInterval(b array.Builder) decodeFunc {
	sb := b.(*array.StructBuilder)
	months := sb.FieldBuilder(0).(*array.Int32Builder)
	days := sb.FieldBuilder(1).(*array.Int32Builder)
	micros := sb.FieldBuilder(2).(*array.Int64Builder)
	return func(v []byte) error {
		if len(v) != 16 {
			return errLength
		}
		us := int64(binary.BigEndian.Uint64(v))
		if us > maxIntervalMicros || us < -maxIntervalMicros {
			return errIntervalRange
		}
		sb.Append(true)
		micros.Append(us)
		days.Append(int32(binary.BigEndian.Uint32(v[8:])))
		months.Append(int32(binary.BigEndian.Uint32(v[12:])))
		return nil
	}
}

// maxIntervalMicros bounds the time part of an interval the engine can
// return: its results are Arrow month_day_nano intervals, whose
// nanoseconds are an int64 (PostgreSQL's microseconds are one).
const maxIntervalMicros = math.MaxInt64 / 1000

var errIntervalRange = &unheldError{"it holds intervals whose time part exceeds ±2562047:47:16.854775, past what the cache engine's results carry (nanoseconds in 64 bits)"}

// decodeArray reads array_send's one-dimensional form into a list.
// Arrays of more dimensions, or whose lower bound is not 1, have no list
// form that keeps them, nor do elements their element type cannot hold
// (a NaN numeric): those are unheldErrors. Every check is made before
// the list entry is appended, except an element's, after which the scan
// must stop (it does: a decoder's error ends it).
func decodeArray(elem func(array.Builder) decodeFunc) func(b array.Builder) decodeFunc {
	return func(b array.Builder) decodeFunc {
		lb := b.(*array.ListBuilder)
		values := lb.ValueBuilder()
		dec := elem(values)
		return func(v []byte) error {
			if len(v) < 12 {
				return errLength
			}
			ndim := int32(binary.BigEndian.Uint32(v))
			switch {
			case ndim == 0:
				lb.Append(true)
				return nil
			case ndim != 1:
				return &unheldError{fmt.Sprintf("it holds %d-dimensional arrays; %s", ndim, arrayForm)}
			}
			if len(v) < 20 {
				return errLength
			}
			n := int(int32(binary.BigEndian.Uint32(v[12:])))
			if lower := int32(binary.BigEndian.Uint32(v[16:])); lower != 1 {
				return &unheldError{fmt.Sprintf("it holds arrays with lower bound %d; %s", lower, arrayForm)}
			}
			rest := v[20:]
			lb.Append(true)
			for i := 0; i < n; i++ {
				if len(rest) < 4 {
					return errLength
				}
				l := int(int32(binary.BigEndian.Uint32(rest)))
				rest = rest[4:]
				if l < 0 {
					values.AppendNull()
					continue
				}
				if len(rest) < l {
					return errLength
				}
				if err := dec(rest[:l]); err != nil {
					var u *unheldError
					switch {
					case errors.Is(err, errNumericSpecial):
						return &unheldError{"it holds NaN or infinite numeric array elements, which cached decimal arrays cannot hold"}
					case errors.As(err, &u):
						return u
					}
					return fmt.Errorf("array element %d: %w", i+1, err)
				}
				rest = rest[l:]
			}
			return nil
		}
	}
}

func decodeBytes(b array.Builder) decodeFunc {
	bb := b.(*array.BinaryBuilder)
	return func(v []byte) error {
		bb.Append(v)
		return nil
	}
}

func decodeUUID(b array.Builder) decodeFunc {
	ub := b.(*extensions.UUIDBuilder)
	return func(v []byte) error {
		if len(v) != 16 {
			return errLength
		}
		ub.AppendBytes([16]byte(v))
		return nil
	}
}

// decodeDate reads date_send: days since 2000-01-01, with int32's
// extremes for ±infinity, which become the engine's infinite dates
// (pgval.DateInfinity, DuckDB's convention). Every finite PostgreSQL date
// (4713 BC to 5874897 AD) fits int32 days since 1970.
func decodeDate(b array.Builder) decodeFunc {
	db := b.(*array.Date32Builder)
	return func(v []byte) error {
		if len(v) != 4 {
			return errLength
		}
		switch d := int32(binary.BigEndian.Uint32(v)); d {
		case math.MaxInt32:
			db.Append(pgval.DateInfinity)
		case math.MinInt32:
			db.Append(pgval.DateNegInfinity)
		default:
			db.Append(arrow.Date32(d + pgEpochDays))
		}
		return nil
	}
}

func decodeTime(b array.Builder) decodeFunc {
	tb := b.(*array.Time64Builder)
	return func(v []byte) error {
		if len(v) != 8 {
			return errLength
		}
		tb.Append(arrow.Time64(int64(binary.BigEndian.Uint64(v))))
		return nil
	}
}

// decodeTimestamp reads timestamp_send and timestamptz_send:
// microseconds since 2000-01-01, with int64's extremes for ±infinity,
// which become the engine's infinite timestamps (pgval.TSInfinity).
func decodeTimestamp(b array.Builder) decodeFunc {
	tb := b.(*array.TimestampBuilder)
	return func(v []byte) error {
		if len(v) != 8 {
			return errLength
		}
		switch us := int64(binary.BigEndian.Uint64(v)); {
		case us == math.MaxInt64:
			tb.Append(pgval.TSInfinity)
		case us == math.MinInt64:
			tb.Append(pgval.TSNegInfinity)
		case us >= pgval.TSInfinity-pgEpochMicros:
			return errTimestampRange
		default:
			tb.Append(arrow.Timestamp(us + pgEpochMicros))
		}
		return nil
	}
}

// errTimestampRange: PostgreSQL's timestamps reach 294276 AD, the
// engine's (microseconds since 1970 in an int64, whose greatest value
// means infinity) 294247-01-10 04:00:54.775806.
var errTimestampRange = &unheldError{"it holds timestamps later than 294247-01-10 04:00:54.775806, past the range of the cache engine"}

// numeric_send: int16 ndigits, int16 weight, uint16 sign, int16 dscale,
// then ndigits base-10000 digits, most significant first; the value is
// sum(digit[i] * 10000^(weight-i)).
const (
	numericPos  = 0x0000
	numericNeg  = 0x4000
	numericNaN  = 0xC000
	numericPInf = 0xD000
	numericNInf = 0xF000
)

var errNumericSpecial = errors.New("NaN or infinite numeric has no decimal value")

func decodeNumeric(scale int32) func(b array.Builder) decodeFunc {
	return func(b array.Builder) decodeFunc {
		db := b.(*array.Decimal128Builder)
		return func(v []byte) error {
			n, err := numericToDecimal(v, scale)
			if err != nil {
				return err
			}
			db.Append(n)
			return nil
		}
	}
}

// numericToDecimal converts numeric_send output to an unscaled decimal128
// at the given scale.
func numericToDecimal(v []byte, scale int32) (decimal128.Num, error) {
	if len(v) < 8 {
		return decimal128.Num{}, errLength
	}
	ndigits := int(int16(binary.BigEndian.Uint16(v[0:])))
	weight := int(int16(binary.BigEndian.Uint16(v[2:])))
	sign := binary.BigEndian.Uint16(v[4:])
	if sign == numericNaN || sign == numericPInf || sign == numericNInf {
		return decimal128.Num{}, errNumericSpecial
	}
	if ndigits < 0 || len(v) != 8+2*ndigits {
		return decimal128.Num{}, errLength
	}
	if ndigits > 9 {
		// Past 36 digits the intermediate integer (all digits, before
		// rescaling) may not fit 128 bits even when the value does.
		return bigNumericToDecimal(v, ndigits, weight, sign, scale)
	}
	// n = all digits read as one integer = value * 10000^(ndigits-1-weight),
	// accumulated four base-10000 digits (16 decimal digits) at a time.
	var n decimal128.Num
	for i := 0; i < ndigits; {
		k := min(4, ndigits-i)
		var small uint64
		for j := 0; j < k; j++ {
			small = small*10000 + uint64(binary.BigEndian.Uint16(v[8+2*(i+j):]))
		}
		n = n.Mul(decimal128.GetScaleMultiplier(4 * k)).Add(decimal128.FromU64(small))
		i += k
	}
	// value = n / 10^(4*e) with e = ndigits-1-weight; unscaled = n * 10^(scale - 4e).
	shift := int(scale) - 4*(ndigits-1-weight)
	switch {
	case ndigits == 0:
		n = decimal128.Num{}
	case shift > 0:
		if shift > 38 {
			return decimal128.Num{}, errors.New("numeric value out of range")
		}
		n = n.Mul(decimal128.GetScaleMultiplier(shift))
	case shift < 0:
		if -shift > 38 {
			n = decimal128.Num{}
			break
		}
		n, _ = n.Div(decimal128.GetScaleMultiplier(-shift))
	}
	if sign == numericNeg {
		n = n.Negate()
	}
	return n, nil
}

// bigNumericToDecimal is numericToDecimal for values with many digits,
// computed with math/big and checked against decimal128's range.
func bigNumericToDecimal(v []byte, ndigits, weight int, sign uint16, scale int32) (decimal128.Num, error) {
	n := new(big.Int)
	tenK := big.NewInt(10000)
	for i := 0; i < ndigits; i++ {
		n.Mul(n, tenK).Add(n, big.NewInt(int64(binary.BigEndian.Uint16(v[8+2*i:]))))
	}
	shift := int(scale) - 4*(ndigits-1-weight)
	p := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(abs(shift))), nil)
	if shift >= 0 {
		n.Mul(n, p)
	} else {
		n.Quo(n, p)
	}
	if sign == numericNeg {
		n.Neg(n)
	}
	if n.CmpAbs(maxDecimal38) >= 0 {
		return decimal128.Num{}, errors.New("numeric value out of range")
	}
	return decimal128.FromBigInt(n), nil
}

// maxDecimal38 is 10^38, one past the largest 38-digit value.
var maxDecimal38 = new(big.Int).Exp(big.NewInt(10), big.NewInt(38), nil)

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
