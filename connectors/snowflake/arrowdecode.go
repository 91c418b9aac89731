package snowflake

import (
	"fmt"
	"math"
	"strconv"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
)

// Snowflake's Arrow results (as gosnowflake hands them over with
// WithHigherPrecision and UseOriginalTimestamp) keep Snowflake's own
// forms, which the converters read:
//
//   - NUMBER(p,s): the unscaled value, in the narrowest of int8, int16,
//     int32, int64 that holds the batch's values, or decimal128; the
//     scale is the column's (field metadata "scale").
//   - TIME(9) (the scan casts to it): nanoseconds since midnight, which
//     the driver turns into time64[ns].
//   - TIMESTAMP_NTZ/LTZ(9): int64 in units of the scale, or a struct of
//     epoch seconds (int64) and fraction nanoseconds (int32).
//   - TIMESTAMP_TZ(9): a struct of epoch, fraction and time zone (int32,
//     minutes + 1440), or of a scaled int64 and the time zone.
//   - DATE: date32; BOOLEAN; FLOAT as float64; BINARY; text, VARIANT,
//     OBJECT and ARRAY as strings (JSON for the last three).
//
// See gosnowflake's converter.go (arrowToRecordSingleColumn,
// arrowSnowflakeTimestampToTime), which reads the same forms.

// arrowConverter appends rows [from, to) of a result column to the
// builder; f is the result's field (for its metadata).
type arrowConverter func(f arrow.Field, a arrow.Array, from, to int) error

// newArrowConverter returns the converter for a planned column.
func newArrowConverter(p plan, b array.Builder) arrowConverter {
	if p.text {
		return convertStrings(b.(*array.StringBuilder))
	}
	switch p.kind {
	case kindInt64:
		ib := b.(*array.Int64Builder)
		return func(f arrow.Field, a arrow.Array, from, to int) error {
			scale := sourceScale(f, 0)
			for i := from; i < to; i++ {
				if a.IsNull(i) {
					ib.AppendNull()
					continue
				}
				n, err := fixedValue(a, i)
				if err == nil {
					n, err = rescale(n, scale, 0)
				}
				if err != nil {
					return err
				}
				v, ok := toInt64(n)
				if !ok {
					return fmt.Errorf("%s does not fit in 64 bits", n.ToString(0))
				}
				ib.Append(v)
			}
			return nil
		}
	case kindDecimal:
		db := b.(*array.Decimal128Builder)
		target := db.Type().(*arrow.Decimal128Type).Scale
		return func(f arrow.Field, a arrow.Array, from, to int) error {
			scale := sourceScale(f, target)
			for i := from; i < to; i++ {
				if a.IsNull(i) {
					db.AppendNull()
					continue
				}
				n, err := fixedValue(a, i)
				if err == nil {
					n, err = rescale(n, scale, target)
				}
				if err != nil {
					return err
				}
				db.Append(n)
			}
			return nil
		}
	case kindFloat:
		fb := b.(*array.Float64Builder)
		return func(_ arrow.Field, a arrow.Array, from, to int) error {
			for i := from; i < to; i++ {
				switch a := a.(type) {
				case *array.Float64:
					appendOr(fb, a, i, a.Value)
				case *array.Float32:
					appendOr(fb, a, i, func(i int) float64 { return float64(a.Value(i)) })
				default:
					return unexpected(a)
				}
			}
			return nil
		}
	case kindBool:
		bb := b.(*array.BooleanBuilder)
		return func(_ arrow.Field, a arrow.Array, from, to int) error {
			ba, ok := a.(*array.Boolean)
			if !ok {
				return unexpected(a)
			}
			for i := from; i < to; i++ {
				appendOr(bb, ba, i, ba.Value)
			}
			return nil
		}
	case kindDate:
		db := b.(*array.Date32Builder)
		return func(_ arrow.Field, a arrow.Array, from, to int) error {
			da, ok := a.(*array.Date32)
			if !ok {
				return unexpected(a)
			}
			for i := from; i < to; i++ {
				appendOr(db, da, i, da.Value)
			}
			return nil
		}
	case kindTime:
		tb := b.(*array.Time64Builder)
		return func(f arrow.Field, a arrow.Array, from, to int) error {
			for i := from; i < to; i++ {
				if a.IsNull(i) {
					tb.AppendNull()
					continue
				}
				ns, err := timeNanos(f, a, i)
				if err != nil {
					return err
				}
				if ns%1000 != 0 {
					return errSubMicro
				}
				tb.Append(arrow.Time64(ns / 1000))
			}
			return nil
		}
	case kindTimestamp, kindTimestampTZ:
		tb := b.(*array.TimestampBuilder)
		zoned := p.col.base() == "TIMESTAMP_TZ"
		return func(f arrow.Field, a arrow.Array, from, to int) error {
			for i := from; i < to; i++ {
				if a.IsNull(i) {
					tb.AppendNull()
					continue
				}
				sec, ns, err := timestampValue(f, a, i, zoned)
				if err != nil {
					return err
				}
				if ns%1000 != 0 {
					return errSubMicro
				}
				if sec > math.MaxInt64/1_000_000-1 || sec < math.MinInt64/1_000_000+1 {
					return fmt.Errorf("timestamp %d s from the epoch is out of range", sec)
				}
				tb.Append(arrow.Timestamp(sec*1_000_000 + ns/1000))
			}
			return nil
		}
	case kindBinary:
		bb := b.(*array.BinaryBuilder)
		return func(_ arrow.Field, a arrow.Array, from, to int) error {
			for i := from; i < to; i++ {
				switch a := a.(type) {
				case *array.Binary:
					appendOr(bb, a, i, a.Value)
				case *array.LargeBinary:
					appendOr(bb, a, i, a.Value)
				case *array.FixedSizeBinary:
					appendOr(bb, a, i, a.Value)
				default:
					return unexpected(a)
				}
			}
			return nil
		}
	case kindJSON:
		return convertStrings(b.(*array.ExtensionBuilder).StorageBuilder().(*array.StringBuilder))
	}
	return convertStrings(b.(*array.StringBuilder))
}

// appendOr appends a's value i to b, or NULL.
func appendOr[T any, B interface {
	Append(T)
	AppendNull()
}](b B, a arrow.Array, i int, value func(int) T) {
	if a.IsNull(i) {
		b.AppendNull()
		return
	}
	b.Append(value(i))
}

func convertStrings(sb *array.StringBuilder) arrowConverter {
	return func(_ arrow.Field, a arrow.Array, from, to int) error {
		for i := from; i < to; i++ {
			switch a := a.(type) {
			case *array.String:
				appendOr(sb, a, i, a.Value)
			case *array.LargeString:
				appendOr(sb, a, i, a.Value)
			case *array.StringView:
				appendOr(sb, a, i, a.Value)
			default:
				return unexpected(a)
			}
		}
		return nil
	}
}

func unexpected(a arrow.Array) error {
	return fmt.Errorf("unexpected Arrow type %s in the result", a.DataType())
}

// sourceScale is a result column's scale: a decimal's own, else the
// field's "scale" metadata, else def.
func sourceScale(f arrow.Field, def int32) int32 {
	if d, ok := f.Type.(*arrow.Decimal128Type); ok {
		return d.Scale
	}
	if i := f.Metadata.FindKey("scale"); i >= 0 {
		if n, err := strconv.ParseInt(f.Metadata.Values()[i], 10, 32); err == nil && n >= 0 && n <= maxDecimalPrecision {
			return int32(n)
		}
	}
	return def
}

// fixedValue is a NUMBER's unscaled value.
func fixedValue(a arrow.Array, i int) (decimal128.Num, error) {
	switch a := a.(type) {
	case *array.Int8:
		return decimal128.FromI64(int64(a.Value(i))), nil
	case *array.Int16:
		return decimal128.FromI64(int64(a.Value(i))), nil
	case *array.Int32:
		return decimal128.FromI64(int64(a.Value(i))), nil
	case *array.Int64:
		return decimal128.FromI64(a.Value(i)), nil
	case *array.Decimal128:
		return a.Value(i), nil
	}
	return decimal128.Num{}, unexpected(a)
}

// rescale moves an unscaled value from one scale to another, refusing
// to drop non-zero digits.
func rescale(n decimal128.Num, from, to int32) (decimal128.Num, error) {
	switch {
	case from == to:
		return n, nil
	case from < to:
		return n.Mul(decimal128.GetScaleMultiplier(int(to - from))), nil
	}
	q, r := n.Div(decimal128.GetScaleMultiplier(int(from - to)))
	if r != (decimal128.Num{}) {
		return n, fmt.Errorf("%s has more than %d fraction digits", n.ToString(from), to)
	}
	return q, nil
}

func toInt64(n decimal128.Num) (int64, bool) {
	lo := n.LowBits()
	switch n.HighBits() {
	case 0:
		return int64(lo), lo <= math.MaxInt64
	case -1:
		return int64(lo), lo > math.MaxInt64
	}
	return 0, false
}

// pow10 is 10^n for n in 0..9.
func pow10(n int32) int64 {
	p := int64(1)
	for ; n > 0; n-- {
		p *= 10
	}
	return p
}

// floorDiv divides rounding towards negative infinity.
func floorDiv(a, b int64) (q, r int64) {
	q, r = a/b, a%b
	if r < 0 {
		q, r = q-1, r+b
	}
	return q, r
}

// timeNanos is a TIME value as nanoseconds since midnight.
func timeNanos(f arrow.Field, a arrow.Array, i int) (int64, error) {
	scale := min(sourceScale(f, 9), 9)
	switch a := a.(type) {
	case *array.Time64:
		switch a.DataType().(*arrow.Time64Type).Unit {
		case arrow.Nanosecond:
			return int64(a.Value(i)), nil
		case arrow.Microsecond:
			return int64(a.Value(i)) * 1000, nil
		}
	case *array.Int64:
		return a.Value(i) * pow10(9-scale), nil
	case *array.Int32:
		return int64(a.Value(i)) * pow10(9-scale), nil
	}
	return 0, unexpected(a)
}

// timestampValue is a timestamp as seconds since the epoch (UTC) and
// nanoseconds. zoned: TIMESTAMP_TZ, whose two-field struct is a scaled
// value and a time zone; the instant is UTC whatever the zone.
func timestampValue(f arrow.Field, a arrow.Array, i int, zoned bool) (sec, ns int64, err error) {
	scale := min(sourceScale(f, 9), 9)
	scaled := func(v int64) (int64, int64) {
		s, frac := floorDiv(v, pow10(scale))
		return s, frac * pow10(9-scale)
	}
	switch a := a.(type) {
	case *array.Int64:
		sec, ns = scaled(a.Value(i))
		return sec, ns, nil
	case *array.Timestamp:
		unit := a.DataType().(*arrow.TimestampType).Unit
		per := int64(time1e9 / unit.Multiplier())
		s, frac := floorDiv(int64(a.Value(i)), per)
		return s, frac * int64(unit.Multiplier()), nil
	case *array.Struct:
		switch {
		case a.NumField() == 2 && zoned:
			v, ok := a.Field(0).(*array.Int64)
			if !ok {
				return 0, 0, unexpected(a)
			}
			sec, ns = scaled(v.Value(i))
			return sec, ns, nil
		case a.NumField() == 2 || a.NumField() == 3:
			epoch, ok1 := a.Field(0).(*array.Int64)
			frac, ok2 := a.Field(1).(*array.Int32)
			if !ok1 || !ok2 {
				return 0, 0, unexpected(a)
			}
			s, n := floorDiv(int64(frac.Value(i)), 1_000_000_000)
			return epoch.Value(i) + s, n, nil
		}
	}
	return 0, 0, unexpected(a)
}

const time1e9 = 1_000_000_000
