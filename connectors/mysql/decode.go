package mysql

import (
	"fmt"
	"math"
	"strconv"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
)

// Values arrive in the text protocol (sql.RawBytes): numbers, dates and
// times as MySQL prints them, strings in the connection's utf8mb4, binary
// strings and BIT values as raw bytes. Each decoder parses one non-NULL
// value straight into its Arrow builder.

// decodeFunc appends one non-NULL value to its builder.
type decodeFunc func(v []byte) error

// unheldError is a decoder's error for a value that the column's Arrow
// form cannot hold exactly; the scan turns it into a
// connectors.NeedsTextError with the reason.
type unheldError struct{ reason string }

func (e *unheldError) Error() string { return e.reason }

var (
	errZeroDate   = &unheldError{"it holds zero or invalid dates ('0000-00-00', a zero month or day, a day past the month's end), which PostgreSQL's date and timestamp types have no form of"}
	errTimeRange  = &unheldError{"it holds TIME values outside 00:00:00 to 24:00:00, which PostgreSQL's time cannot hold"}
	errNotBoolean = &unheldError{"it holds tinyint(1) values other than 0 and 1, which Hotdata serves as boolean"}
	errBitsRange  = &unheldError{"it holds BIT values above 2^63-1, which Hotdata serves as bigint"}
)

// newDecoder returns the decoder for a planned column.
func newDecoder(p plan, b array.Builder) decodeFunc {
	switch p.kind {
	case kindBool:
		bb := b.(*array.BooleanBuilder)
		return func(v []byte) error {
			n, err := parseInt(v, 64)
			if err != nil {
				return err
			}
			if n != 0 && n != 1 {
				return errNotBoolean
			}
			bb.Append(n != 0)
			return nil
		}
	case kindBit1:
		bb := b.(*array.BooleanBuilder)
		return func(v []byte) error {
			n, err := bitsValue(v)
			if err != nil {
				return err
			}
			bb.Append(n != 0)
			return nil
		}
	case kindBits:
		ib := b.(*array.Int64Builder)
		return func(v []byte) error {
			n, err := bitsValue(v)
			if err != nil {
				return err
			}
			if n > math.MaxInt64 {
				return errBitsRange
			}
			ib.Append(int64(n))
			return nil
		}
	case kindInt8:
		ib := b.(*array.Int8Builder)
		return func(v []byte) error {
			n, err := parseInt(v, 8)
			if err != nil {
				return err
			}
			ib.Append(int8(n))
			return nil
		}
	case kindInt16, kindYear:
		ib := b.(*array.Int16Builder)
		return func(v []byte) error {
			n, err := parseInt(v, 16)
			if err != nil {
				return err
			}
			ib.Append(int16(n))
			return nil
		}
	case kindYear2:
		ib := b.(*array.Int16Builder)
		return func(v []byte) error {
			n, err := parseInt(v, 16)
			if err != nil {
				return err
			}
			// As MySQL reads two-digit years: 70-99 are 19xx, 00-69 20xx.
			if n < 70 {
				n += 2000
			} else if n < 100 {
				n += 1900
			}
			ib.Append(int16(n))
			return nil
		}
	case kindInt32:
		ib := b.(*array.Int32Builder)
		return func(v []byte) error {
			n, err := parseInt(v, 32)
			if err != nil {
				return err
			}
			ib.Append(int32(n))
			return nil
		}
	case kindInt64:
		ib := b.(*array.Int64Builder)
		return func(v []byte) error {
			n, err := parseInt(v, 64)
			if err != nil {
				return err
			}
			ib.Append(n)
			return nil
		}
	case kindUint8:
		ib := b.(*array.Uint8Builder)
		return func(v []byte) error {
			n, err := parseUint(v, 8)
			if err != nil {
				return err
			}
			ib.Append(uint8(n))
			return nil
		}
	case kindUint16:
		ib := b.(*array.Uint16Builder)
		return func(v []byte) error {
			n, err := parseUint(v, 16)
			if err != nil {
				return err
			}
			ib.Append(uint16(n))
			return nil
		}
	case kindUint32:
		ib := b.(*array.Uint32Builder)
		return func(v []byte) error {
			n, err := parseUint(v, 32)
			if err != nil {
				return err
			}
			ib.Append(uint32(n))
			return nil
		}
	case kindUint64:
		ib := b.(*array.Uint64Builder)
		return func(v []byte) error {
			n, err := parseUint(v, 64)
			if err != nil {
				return err
			}
			ib.Append(n)
			return nil
		}
	case kindDecimal:
		db := b.(*array.Decimal128Builder)
		scale := db.Type().(*arrow.Decimal128Type).Scale
		return func(v []byte) error {
			n, err := parseDecimal(v, scale)
			if err != nil {
				return err
			}
			db.Append(n)
			return nil
		}
	case kindFloat:
		fb := b.(*array.Float32Builder)
		return func(v []byte) error {
			f, err := strconv.ParseFloat(string(v), 64)
			if err != nil {
				return fmt.Errorf("%w: %q is not a number", errSyntax, v)
			}
			fb.Append(float32(f))
			return nil
		}
	case kindDouble:
		fb := b.(*array.Float64Builder)
		return func(v []byte) error {
			f, err := strconv.ParseFloat(string(v), 64)
			if err != nil {
				return fmt.Errorf("%w: %q is not a number", errSyntax, v)
			}
			fb.Append(f)
			return nil
		}
	case kindJSON:
		sb := b.(*array.ExtensionBuilder).StorageBuilder().(*array.StringBuilder)
		return func(v []byte) error {
			sb.BinaryBuilder.Append(v)
			return nil
		}
	case kindBinary:
		bb := b.(*array.BinaryBuilder)
		return func(v []byte) error {
			bb.Append(v)
			return nil
		}
	case kindDate:
		db := b.(*array.Date32Builder)
		return func(v []byte) error {
			d, ok, err := parseDate(v)
			switch {
			case err != nil:
				return err
			case !ok:
				return errZeroDate
			default:
				db.Append(arrow.Date32(d))
			}
			return nil
		}
	case kindDatetime, kindTimestamp:
		tb := b.(*array.TimestampBuilder)
		return func(v []byte) error {
			us, ok, err := parseDatetime(v)
			switch {
			case err != nil:
				return err
			case !ok:
				return errZeroDate
			default:
				tb.Append(arrow.Timestamp(us))
			}
			return nil
		}
	case kindTime:
		tb := b.(*array.Time64Builder)
		return func(v []byte) error {
			us, err := parseTime(v)
			if err != nil {
				return err
			}
			// PostgreSQL's time, as the engine's, runs from 00:00:00
			// to 24:00:00 inclusive; MySQL's TIME (a duration) goes
			// from -838:59:59 to 838:59:59.
			if us < 0 || us > microsPerDay {
				return errTimeRange
			}
			tb.Append(arrow.Time64(us))
			return nil
		}
	}
	// Strings of every kind, wide decimals, WKT and unmapped types.
	sb := b.(*array.StringBuilder)
	return func(v []byte) error {
		sb.BinaryBuilder.Append(v)
		return nil
	}
}
