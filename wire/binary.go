package wire

import (
	"encoding/binary"
	"encoding/hex"
	"math"
	"math/big"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/decimal256"
	"github.com/apache/arrow-go/v18/arrow/extensions"
)

// Binary formats are PostgreSQL's send functions
// (src/backend/utils/adt/*.c, *_send).

// Microseconds and days between the Unix epoch and 2000-01-01.
const (
	pgEpochDays   = 10957
	pgEpochMicros = int64(pgEpochDays) * 86400 * 1_000_000
)

// binaryEncoderFor binds a binary encoder to one column array, or returns
// nil when the type has no binary form here (the caller then refuses
// binary output for that column).
func binaryEncoderFor(a arrow.Array) textEncoder {
	switch a := a.(type) {
	case *array.Boolean:
		return func(dst []byte, i int) []byte {
			if a.Value(i) {
				return append(dst, 1)
			}
			return append(dst, 0)
		}
	case *array.Int8:
		return func(dst []byte, i int) []byte { return binary.BigEndian.AppendUint16(dst, uint16(int16(a.Value(i)))) }
	case *array.Uint8:
		return func(dst []byte, i int) []byte { return binary.BigEndian.AppendUint16(dst, uint16(a.Value(i))) }
	case *array.Int16:
		return func(dst []byte, i int) []byte { return binary.BigEndian.AppendUint16(dst, uint16(a.Value(i))) }
	case *array.Uint16:
		return func(dst []byte, i int) []byte { return binary.BigEndian.AppendUint32(dst, uint32(a.Value(i))) }
	case *array.Int32:
		return func(dst []byte, i int) []byte { return binary.BigEndian.AppendUint32(dst, uint32(a.Value(i))) }
	case *array.Uint32:
		return func(dst []byte, i int) []byte { return binary.BigEndian.AppendUint64(dst, uint64(a.Value(i))) }
	case *array.Int64:
		return func(dst []byte, i int) []byte { return binary.BigEndian.AppendUint64(dst, uint64(a.Value(i))) }
	case *array.Uint64:
		return func(dst []byte, i int) []byte {
			return appendNumericBinary(dst, new(big.Int).SetUint64(a.Value(i)).String(), 0)
		}
	case *array.Float32:
		return func(dst []byte, i int) []byte {
			return binary.BigEndian.AppendUint32(dst, math.Float32bits(a.Value(i)))
		}
	case *array.Float64:
		return func(dst []byte, i int) []byte {
			return binary.BigEndian.AppendUint64(dst, math.Float64bits(a.Value(i)))
		}
	case *array.Decimal128:
		scale := a.DataType().(*arrow.Decimal128Type).Scale
		return func(dst []byte, i int) []byte {
			n := decimal128.Num(a.Value(i))
			return appendNumericBinary(dst, n.BigInt().String(), int(scale))
		}
	case *array.Decimal256:
		scale := a.DataType().(*arrow.Decimal256Type).Scale
		return func(dst []byte, i int) []byte {
			n := decimal256.Num(a.Value(i))
			return appendNumericBinary(dst, n.BigInt().String(), int(scale))
		}
	case *array.String:
		return func(dst []byte, i int) []byte { return append(dst, a.Value(i)...) }
	case *array.LargeString:
		return func(dst []byte, i int) []byte { return append(dst, a.Value(i)...) }
	case *array.StringView:
		return func(dst []byte, i int) []byte { return append(dst, a.Value(i)...) }
	case *array.Binary:
		return func(dst []byte, i int) []byte { return append(dst, a.Value(i)...) }
	case *array.LargeBinary:
		return func(dst []byte, i int) []byte { return append(dst, a.Value(i)...) }
	case *extensions.UUIDArray:
		return func(dst []byte, i int) []byte { return append(dst, a.Storage().(*array.FixedSizeBinary).Value(i)...) }
	case *extensions.JSONArray:
		return func(dst []byte, i int) []byte { return append(dst, a.Storage().(*array.String).Value(i)...) }
	case *array.FixedSizeBinary:
		return func(dst []byte, i int) []byte { return append(dst, a.Value(i)...) }
	case *array.Date32:
		return func(dst []byte, i int) []byte {
			return binary.BigEndian.AppendUint32(dst, uint32(int32(a.Value(i))-pgEpochDays))
		}
	case *array.Date64:
		return func(dst []byte, i int) []byte {
			return binary.BigEndian.AppendUint32(dst, uint32(int32(int64(a.Value(i))/86_400_000)-pgEpochDays))
		}
	case *array.Time64:
		unit := a.DataType().(*arrow.Time64Type).Unit
		return func(dst []byte, i int) []byte {
			return binary.BigEndian.AppendUint64(dst, uint64(toMicros(int64(a.Value(i)), unit)))
		}
	case *array.Time32:
		unit := a.DataType().(*arrow.Time32Type).Unit
		return func(dst []byte, i int) []byte {
			return binary.BigEndian.AppendUint64(dst, uint64(toMicros(int64(a.Value(i)), unit)))
		}
	case *array.Timestamp:
		unit := a.DataType().(*arrow.TimestampType).Unit
		return func(dst []byte, i int) []byte {
			return binary.BigEndian.AppendUint64(dst, uint64(toMicros(int64(a.Value(i)), unit)-pgEpochMicros))
		}
	case *array.MonthDayNanoInterval:
		return func(dst []byte, i int) []byte {
			v := a.Value(i)
			dst = binary.BigEndian.AppendUint64(dst, uint64(v.Nanoseconds/1000))
			dst = binary.BigEndian.AppendUint32(dst, uint32(v.Days))
			return binary.BigEndian.AppendUint32(dst, uint32(v.Months))
		}
	case *array.Duration:
		unit := a.DataType().(*arrow.DurationType).Unit
		return func(dst []byte, i int) []byte {
			dst = binary.BigEndian.AppendUint64(dst, uint64(toMicros(int64(a.Value(i)), unit)))
			return append(dst, 0, 0, 0, 0, 0, 0, 0, 0)
		}
	case array.ListLike:
		return binaryListEncoder(a)
	case *array.Struct:
		return binaryRecordEncoder(a)
	}
	return nil
}

// binaryRecordEncoder writes a struct in record_send form: the field
// count, then each field's type OID and length-prefixed value.
func binaryRecordEncoder(a *array.Struct) textEncoder {
	fields := make([]textEncoder, a.NumField())
	oids := make([]uint32, a.NumField())
	for f := range fields {
		if fields[f] = binaryEncoderFor(a.Field(f)); fields[f] == nil {
			return nil
		}
		oids[f] = typeOf(a.Field(f).DataType()).oid
	}
	return func(dst []byte, i int) []byte {
		dst = binary.BigEndian.AppendUint32(dst, uint32(len(fields)))
		for f, enc := range fields {
			dst = binary.BigEndian.AppendUint32(dst, oids[f])
			if a.Field(f).IsNull(i) {
				dst = binary.BigEndian.AppendUint32(dst, 0xFFFFFFFF)
				continue
			}
			at := len(dst)
			dst = append(dst, 0, 0, 0, 0)
			dst = enc(dst, i)
			binary.BigEndian.PutUint32(dst[at:], uint32(len(dst)-at-4))
		}
		return dst
	}
}

// appendNumericBinary encodes a decimal given as the digits of its
// unscaled value (with an optional leading '-') and its scale.
func appendNumericBinary(dst []byte, unscaled string, scale int) []byte {
	neg := strings.HasPrefix(unscaled, "-")
	digits := strings.TrimPrefix(unscaled, "-")
	for len(digits) <= scale {
		digits = "0" + digits
	}
	intPart, frac := digits[:len(digits)-scale], digits[len(digits)-scale:]
	intPart = strings.TrimLeft(intPart, "0")
	// Align both parts on base-10000 groups.
	if r := len(intPart) % 4; r != 0 {
		intPart = strings.Repeat("0", 4-r) + intPart
	}
	if r := len(frac) % 4; r != 0 {
		frac += strings.Repeat("0", 4-r)
	}
	all := intPart + frac
	groups := make([]uint16, 0, len(all)/4)
	for k := 0; k < len(all); k += 4 {
		var g uint16
		for _, c := range all[k : k+4] {
			g = g*10 + uint16(c-'0')
		}
		groups = append(groups, g)
	}
	weight := len(intPart)/4 - 1
	// Leading zero groups move the weight; trailing ones are dropped.
	for len(groups) > 0 && groups[0] == 0 {
		groups = groups[1:]
		weight--
	}
	for len(groups) > 0 && groups[len(groups)-1] == 0 {
		groups = groups[:len(groups)-1]
	}
	sign := uint16(0)
	if neg && len(groups) > 0 {
		sign = 0x4000
	}
	if len(groups) == 0 {
		weight = 0
	}
	dst = binary.BigEndian.AppendUint16(dst, uint16(len(groups)))
	dst = binary.BigEndian.AppendUint16(dst, uint16(int16(weight)))
	dst = binary.BigEndian.AppendUint16(dst, sign)
	dst = binary.BigEndian.AppendUint16(dst, uint16(scale))
	for _, g := range groups {
		dst = binary.BigEndian.AppendUint16(dst, g)
	}
	return dst
}

// binaryListEncoder writes a one-dimensional array in array_send form.
func binaryListEncoder(a array.ListLike) textEncoder {
	values := a.ListValues()
	elem := binaryEncoderFor(values)
	if elem == nil {
		return nil
	}
	return binaryListEncoderWith(a, elem, typeOf(values.DataType()).oid)
}

// binaryListEncoderWith writes a one-dimensional array whose elements
// elem encodes, of element type elemOID.
func binaryListEncoderWith(a array.ListLike, elem textEncoder, elemOID uint32) textEncoder {
	values := a.ListValues()
	return func(dst []byte, i int) []byte {
		start, end := a.ValueOffsets(i)
		n := int(end - start)
		hasNull := uint32(0)
		for j := start; j < end; j++ {
			if values.IsNull(int(j)) {
				hasNull = 1
				break
			}
		}
		if n == 0 {
			// An empty array has no dimensions.
			dst = binary.BigEndian.AppendUint32(dst, 0)
			dst = binary.BigEndian.AppendUint32(dst, 0)
			return binary.BigEndian.AppendUint32(dst, elemOID)
		}
		dst = binary.BigEndian.AppendUint32(dst, 1)
		dst = binary.BigEndian.AppendUint32(dst, hasNull)
		dst = binary.BigEndian.AppendUint32(dst, elemOID)
		dst = binary.BigEndian.AppendUint32(dst, uint32(n))
		dst = binary.BigEndian.AppendUint32(dst, 1)
		for j := start; j < end; j++ {
			if values.IsNull(int(j)) {
				dst = binary.BigEndian.AppendUint32(dst, 0xFFFFFFFF)
				continue
			}
			at := len(dst)
			dst = append(dst, 0, 0, 0, 0)
			dst = elem(dst, int(j))
			binary.BigEndian.PutUint32(dst[at:], uint32(len(dst)-at-4))
		}
		return dst
	}
}

// binaryUUIDFromText sends a uuid held as its text form in 16 bytes.
func binaryUUIDFromText(a arrow.Array) textEncoder {
	s, ok := a.(*array.String)
	if !ok {
		return binaryEncoderFor(a)
	}
	return func(dst []byte, i int) []byte {
		v := strings.ReplaceAll(s.Value(i), "-", "")
		var b [16]byte
		if len(v) == 32 {
			if _, err := hex.Decode(b[:], []byte(v)); err == nil {
				return append(dst, b[:]...)
			}
		}
		return append(dst, b[:]...)
	}
}

// binaryJSONB prefixes jsonb_send's version byte.
func binaryJSONB(text textEncoder) textEncoder {
	if text == nil {
		return nil
	}
	return func(dst []byte, i int) []byte { return text(append(dst, 1), i) }
}

// binaryNumericFromText sends a numeric held as its text form (an
// unconstrained numeric, kept exactly as text) in numeric_send's form.
func binaryNumericFromText(a *array.String) textEncoder {
	return func(dst []byte, i int) []byte {
		v := a.Value(i)
		switch v {
		case "NaN":
			return append(dst, 0, 0, 0, 0, 0xC0, 0, 0, 0)
		// numeric_send of the infinities: their dscale is what
		// NUMERIC_DSCALE reads from the special header (32).
		case "Infinity":
			return append(dst, 0, 0, 0, 0, 0xD0, 0, 0, 0x20)
		case "-Infinity":
			return append(dst, 0, 0, 0, 0, 0xF0, 0, 0, 0x20)
		}
		neg := strings.HasPrefix(v, "-")
		v = strings.TrimLeft(v, "+-")
		intPart, frac, _ := strings.Cut(v, ".")
		unscaled := intPart + frac
		if neg {
			unscaled = "-" + unscaled
		}
		return appendNumericBinary(dst, unscaled, len(frac))
	}
}
