package snowflake

import (
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
)

// A JSON result carries every value as text (see textExpr): numbers,
// dates and times as the server prints them — Snowflake in the formats
// the session sets, the emulator's DuckDB in its own — binaries in hex,
// JSON as JSON. Each decoder parses one non-NULL value straight into its
// Arrow builder, accepting both servers' forms.

// textDecoder appends one non-NULL value to its builder.
type textDecoder func(v string) error

// unheldError is a value that the column's Arrow form cannot hold
// exactly; the scan turns it into a connectors.NeedsTextError.
type unheldError struct{ column, reason string }

func (e *unheldError) Error() string { return e.reason }

// errSubMicro: PostgreSQL's (and the cache's) times and timestamps stop
// at microseconds; Snowflake's go to nanoseconds.
var errSubMicro = &unheldError{reason: "it holds times with digits finer than microseconds (Snowflake keeps nanoseconds), which PostgreSQL's time and timestamp types cannot hold"}

// errSyntax marks a value that is not in the form its type prints as.
var errSyntax = errors.New("malformed value")

// newTextDecoder returns the decoder for a planned column.
func newTextDecoder(p plan, b array.Builder) textDecoder {
	if p.text {
		return appendString(b)
	}
	switch p.kind {
	case kindInt64:
		ib := b.(*array.Int64Builder)
		return func(v string) error {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				return fmt.Errorf("%w: %q is not an integer of 18 digits or fewer", errSyntax, v)
			}
			ib.Append(n)
			return nil
		}
	case kindDecimal:
		db := b.(*array.Decimal128Builder)
		scale := db.Type().(*arrow.Decimal128Type).Scale
		return func(v string) error {
			n, err := parseDecimal(v, scale)
			if err != nil {
				return err
			}
			db.Append(n)
			return nil
		}
	case kindFloat:
		fb := b.(*array.Float64Builder)
		return func(v string) error {
			f, err := parseFloat(v)
			if err != nil {
				return err
			}
			fb.Append(f)
			return nil
		}
	case kindBool:
		bb := b.(*array.BooleanBuilder)
		return func(v string) error {
			switch strings.ToLower(v) {
			case "true":
				bb.Append(true)
			case "false":
				bb.Append(false)
			default:
				return fmt.Errorf("%w: %q is not a boolean", errSyntax, v)
			}
			return nil
		}
	case kindDate:
		db := b.(*array.Date32Builder)
		return func(v string) error {
			days, err := parseDate(v)
			if err != nil {
				return err
			}
			if days < math.MinInt32 || days > math.MaxInt32 {
				return fmt.Errorf("%w: date %q is out of range", errSyntax, v)
			}
			db.Append(arrow.Date32(days))
			return nil
		}
	case kindTime:
		tb := b.(*array.Time64Builder)
		return func(v string) error {
			ns, err := parseClock(v)
			if err != nil {
				return err
			}
			if ns%1000 != 0 {
				return errSubMicro
			}
			tb.Append(arrow.Time64(ns / 1000))
			return nil
		}
	case kindTimestamp, kindTimestampTZ:
		tb := b.(*array.TimestampBuilder)
		return func(v string) error {
			us, err := parseTimestamp(v)
			if err != nil {
				return err
			}
			tb.Append(arrow.Timestamp(us))
			return nil
		}
	case kindBinary:
		bb := b.(*array.BinaryBuilder)
		return func(v string) error {
			raw, err := hex.DecodeString(v)
			if err != nil {
				return fmt.Errorf("%w: %q is not hexadecimal", errSyntax, truncate(v))
			}
			bb.Append(raw)
			return nil
		}
	case kindJSON:
		sb := b.(*array.ExtensionBuilder).StorageBuilder().(*array.StringBuilder)
		return func(v string) error {
			sb.Append(v)
			return nil
		}
	}
	return appendString(b)
}

func appendString(b array.Builder) textDecoder {
	sb := b.(*array.StringBuilder)
	return func(v string) error {
		sb.Append(v)
		return nil
	}
}

// parseFloat reads a float as either server prints it: digits, or
// NaN, inf, -inf (Snowflake), nan, inf, -inf (DuckDB).
func parseFloat(v string) (float64, error) {
	f, err := strconv.ParseFloat(v, 64)
	if err != nil {
		var ne *strconv.NumError
		if errors.As(err, &ne) && ne.Err == strconv.ErrRange {
			return 0, fmt.Errorf("%w: %q is out of a double's range", errSyntax, v)
		}
		return 0, fmt.Errorf("%w: %q is not a number", errSyntax, v)
	}
	return f, nil
}

// parseDecimal parses a decimal's text ("-12.34") into an unscaled
// decimal128 at the given scale. Fewer fraction digits are padded; more
// are an error unless they are zeros, rather than a silent rounding.
func parseDecimal(v string, scale int32) (decimal128.Num, error) {
	bad := func() (decimal128.Num, error) {
		return decimal128.Num{}, fmt.Errorf("%w: %q is not a decimal of scale %d", errSyntax, v, scale)
	}
	s := v
	neg := false
	if len(s) > 0 && (s[0] == '-' || s[0] == '+') {
		neg = s[0] == '-'
		s = s[1:]
	}
	intPart, frac, hasDot := strings.Cut(s, ".")
	if intPart == "" && (!hasDot || frac == "") {
		return bad()
	}
	if trimmed := strings.TrimRight(frac, "0"); len(frac) > int(scale) {
		if len(trimmed) > int(scale) {
			return bad()
		}
		frac = frac[:scale]
	}
	digits := strings.TrimLeft(intPart, "0") + frac + strings.Repeat("0", int(scale)-len(frac))
	if len(strings.TrimLeft(digits, "0")) > maxDecimalPrecision {
		return bad()
	}
	var n decimal128.Num
	for len(digits) > 0 {
		chunk := digits[:min(18, len(digits))]
		digits = digits[len(chunk):]
		u, err := strconv.ParseUint(chunk, 10, 64)
		if err != nil {
			return bad()
		}
		n = n.Mul(decimal128.GetScaleMultiplier(len(chunk))).Add(decimal128.FromU64(u))
	}
	if neg {
		n = n.Negate()
	}
	return n, nil
}

// parseDate reads YYYY-MM-DD (more year digits, or DuckDB's " (BC)"
// suffix, allowed) as days since 1970-01-01.
func parseDate(v string) (int64, error) {
	s, bc := strings.CutSuffix(v, " (BC)")
	days, rest, err := datePart(s, bc)
	if err != nil || rest != "" {
		return 0, fmt.Errorf("%w: %q is not a date", errSyntax, v)
	}
	return days, nil
}

// datePart reads a date at the start of s; bc counts years before 1 AD
// (year 1 BC is year 0).
func datePart(s string, bc bool) (days int64, rest string, err error) {
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	dash := strings.IndexByte(s, '-')
	if dash < 4 || len(s) < dash+6 || s[dash+3] != '-' {
		return 0, "", errSyntax
	}
	y, err1 := strconv.ParseInt(s[:dash], 10, 64)
	m, err2 := strconv.Atoi(s[dash+1 : dash+3])
	d, err3 := strconv.Atoi(s[dash+4 : dash+6])
	if err1 != nil || err2 != nil || err3 != nil || y > 1_000_000 {
		return 0, "", errSyntax
	}
	if neg {
		y = -y
	}
	if bc {
		y = 1 - y
	}
	t := time.Date(int(y), time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if t.Year() != int(y) || int(t.Month()) != m || t.Day() != d {
		return 0, "", errSyntax
	}
	return t.Unix() / 86400, s[dash+6:], nil
}

// parseClock reads HH:MM:SS[.fraction] (1 to 9 digits) as nanoseconds
// since midnight.
func parseClock(v string) (int64, error) {
	ns, rest, err := clockPart(v)
	if err != nil || rest != "" {
		return 0, fmt.Errorf("%w: %q is not a time of day", errSyntax, v)
	}
	return ns, nil
}

func clockPart(s string) (ns int64, rest string, err error) {
	if len(s) < 8 || s[2] != ':' || s[5] != ':' {
		return 0, "", errSyntax
	}
	h, err1 := strconv.Atoi(s[0:2])
	m, err2 := strconv.Atoi(s[3:5])
	sec, err3 := strconv.Atoi(s[6:8])
	if err1 != nil || err2 != nil || err3 != nil || h > 23 || m > 59 || sec > 59 {
		return 0, "", errSyntax
	}
	ns = (int64(h)*3600 + int64(m)*60 + int64(sec)) * 1e9
	s = s[8:]
	if strings.HasPrefix(s, ".") {
		i := 1
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		digits := s[1:i]
		if digits == "" || len(digits) > 9 {
			return 0, "", errSyntax
		}
		f, _ := strconv.ParseInt(digits+strings.Repeat("0", 9-len(digits)), 10, 64)
		ns += f
		s = s[i:]
	}
	return ns, s, nil
}

// parseTimestamp reads "YYYY-MM-DD HH:MM:SS[.fraction]" with an optional
// UTC offset ("+05:30", "+00", " -08:00", "Z") and DuckDB's " (BC)", as
// microseconds since the epoch in UTC (the wall clock as UTC when there
// is no offset). Digits finer than microseconds are an unheldError.
func parseTimestamp(v string) (int64, error) {
	bad := fmt.Errorf("%w: %q is not a timestamp", errSyntax, v)
	s, bc := strings.CutSuffix(v, " (BC)")
	days, s, err := datePart(s, bc)
	if err != nil || len(s) == 0 || (s[0] != ' ' && s[0] != 'T') {
		return 0, bad
	}
	ns, s, err := clockPart(s[1:])
	if err != nil {
		return 0, bad
	}
	offset, err := parseOffset(strings.TrimPrefix(s, " "))
	if err != nil {
		return 0, bad
	}
	if ns%1000 != 0 {
		return 0, errSubMicro
	}
	return days*86400_000_000 + ns/1000 - offset*1_000_000, nil
}

// parseOffset reads a UTC offset as seconds: "", "Z", ±HH, ±HH:MM,
// ±HHMM, ±HH:MM:SS.
func parseOffset(s string) (int64, error) {
	if s == "" || s == "Z" {
		return 0, nil
	}
	if s[0] != '+' && s[0] != '-' {
		return 0, errSyntax
	}
	sign := int64(1)
	if s[0] == '-' {
		sign = -1
	}
	digits := strings.ReplaceAll(s[1:], ":", "")
	if len(digits) != 2 && len(digits) != 4 && len(digits) != 6 {
		return 0, errSyntax
	}
	var secs int64
	for i, unit := range []int64{3600, 60, 1} {
		if 2*i >= len(digits) {
			break
		}
		n, err := strconv.ParseUint(digits[2*i:2*i+2], 10, 64)
		if err != nil || (i > 0 && n > 59) {
			return 0, errSyntax
		}
		secs += int64(n) * unit
	}
	return sign * secs, nil
}
