package mysql

import (
	"errors"
	"fmt"
	"math"

	"github.com/apache/arrow-go/v18/arrow/decimal128"
)

// Parsers for MySQL's text forms of numbers, dates and times, straight
// from the bytes of a row (no string conversion, no allocation unless a
// value is malformed).

// errSyntax marks a value that is not in the form its type prints as.
var errSyntax = errors.New("malformed value")

// bitsValue reads a BIT value: its bytes, most significant first.
func bitsValue(v []byte) (uint64, error) {
	if len(v) > 8 {
		return 0, fmt.Errorf("%w: a BIT value of %d bytes", errSyntax, len(v))
	}
	var n uint64
	for _, c := range v {
		n = n<<8 | uint64(c)
	}
	return n, nil
}

// parseInt parses a decimal integer that fits in bits.
func parseInt(v []byte, bits uint) (int64, error) {
	neg := len(v) > 0 && v[0] == '-'
	digits := v
	if neg {
		digits = v[1:]
	}
	u, err := parseDigits(digits)
	limit := uint64(1) << (bits - 1) // |min| of the type; max is limit-1
	if err != nil || u > limit || (!neg && u == limit) {
		return 0, fmt.Errorf("%w: %q is not an int%d", errSyntax, v, bits)
	}
	if neg {
		return -int64(u-1) - 1, nil // no overflow at the minimum
	}
	return int64(u), nil
}

// parseUint parses an unsigned decimal integer that fits in bits.
func parseUint(v []byte, bits uint) (uint64, error) {
	u, err := parseDigits(v)
	if err != nil || (bits < 64 && u >= 1<<bits) {
		return 0, fmt.Errorf("%w: %q is not a uint%d", errSyntax, v, bits)
	}
	return u, nil
}

// parseDigits parses one or more ASCII digits as a uint64.
func parseDigits(v []byte) (uint64, error) {
	if len(v) == 0 {
		return 0, errSyntax
	}
	var n uint64
	for _, c := range v {
		d := uint64(c - '0')
		if d > 9 || n > (math.MaxUint64-d)/10 {
			return 0, errSyntax
		}
		n = n*10 + d
	}
	return n, nil
}

// parseDecimal parses MySQL's text form of a DECIMAL ("-12.34") into an
// unscaled decimal128 at the given scale. MySQL prints exactly the
// column's scale in fraction digits; fewer are padded, more are an error
// rather than a silent rounding.
func parseDecimal(v []byte, scale int32) (decimal128.Num, error) {
	bad := func() (decimal128.Num, error) {
		return decimal128.Num{}, fmt.Errorf("%w: %q is not a decimal of scale %d", errSyntax, v, scale)
	}
	s := v
	neg := false
	if len(s) > 0 && (s[0] == '-' || s[0] == '+') {
		neg = s[0] == '-'
		s = s[1:]
	}
	var n decimal128.Num
	var chunk uint64
	// sig counts digits from the first non-zero one: the unscaled value
	// has sig digits plus the padding to the scale, at most 38 in all.
	chunkDigits, digits, sig, frac := 0, 0, 0, -1
	for _, c := range s {
		if c == '.' {
			if frac >= 0 {
				return bad()
			}
			frac = 0
			continue
		}
		if c < '0' || c > '9' {
			return bad()
		}
		if frac >= 0 {
			frac++
		}
		digits++
		if sig > 0 || c != '0' {
			sig++
		}
		chunk = chunk*10 + uint64(c-'0')
		chunkDigits++
		if chunkDigits == 18 {
			n = n.Mul(decimal128.GetScaleMultiplier(18)).Add(decimal128.FromU64(chunk))
			chunk, chunkDigits = 0, 0
		}
	}
	if chunkDigits > 0 {
		n = n.Mul(decimal128.GetScaleMultiplier(chunkDigits)).Add(decimal128.FromU64(chunk))
	}
	if frac < 0 {
		frac = 0
	}
	if digits == 0 || frac > int(scale) || sig+int(scale)-frac > maxDecimalPrecision {
		return bad()
	}
	if pad := int(scale) - frac; pad > 0 {
		n = n.Mul(decimal128.GetScaleMultiplier(pad))
	}
	if neg {
		n = n.Negate()
	}
	return n, nil
}

const (
	microsPerSecond = 1_000_000
	microsPerDay    = 86400 * microsPerSecond
)

// parseDate parses "YYYY-MM-DD" into days since 1970-01-01. ok is false
// for dates that name no day: MySQL's zero dates ('0000-00-00', or a
// zero month or day) and, under ALLOW_INVALID_DATES, days past the end
// of their month ('2023-02-29').
func parseDate(v []byte) (days int64, ok bool, err error) {
	if len(v) != 10 || v[4] != '-' || v[7] != '-' {
		return 0, false, fmt.Errorf("%w: %q is not a date", errSyntax, v)
	}
	y, e1 := fixedDigits(v[0:4])
	m, e2 := fixedDigits(v[5:7])
	d, e3 := fixedDigits(v[8:10])
	if e1 != nil || e2 != nil || e3 != nil || m > 12 || d > 31 {
		return 0, false, fmt.Errorf("%w: %q is not a date", errSyntax, v)
	}
	if m == 0 || d == 0 || d > daysInMonth(y, m) {
		return 0, false, nil
	}
	return daysFromCivil(y, m, d), true, nil
}

func daysInMonth(y, m int64) int64 {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// parseDatetime parses "YYYY-MM-DD HH:MM:SS[.ffffff]" into microseconds
// since 1970-01-01 00:00:00; ok is false for dates that name no day.
func parseDatetime(v []byte) (us int64, ok bool, err error) {
	if len(v) < 19 || v[10] != ' ' {
		return 0, false, fmt.Errorf("%w: %q is not a datetime", errSyntax, v)
	}
	days, ok, err := parseDate(v[:10])
	if err != nil || !ok {
		return 0, ok, err
	}
	clock, err := parseClock(v[11:])
	if err != nil || clock >= microsPerDay {
		return 0, false, fmt.Errorf("%w: %q is not a datetime", errSyntax, v)
	}
	return days*microsPerDay + clock, true, nil
}

// parseTime parses a TIME value, "[-]H+:MM:SS[.ffffff]" with up to 838
// hours either way, into microseconds.
func parseTime(v []byte) (int64, error) {
	s := v
	neg := len(s) > 0 && s[0] == '-'
	if neg {
		s = s[1:]
	}
	us, err := parseClock(s)
	if err != nil {
		return 0, fmt.Errorf("%w: %q is not a time", errSyntax, v)
	}
	if neg {
		us = -us
	}
	return us, nil
}

// parseClock parses "H+:MM:SS[.f{1,6}]" into microseconds.
func parseClock(s []byte) (int64, error) {
	colon := 0
	for colon < len(s) && s[colon] != ':' {
		colon++
	}
	if colon == 0 || colon > 4 || len(s) < colon+6 || s[colon+3] != ':' {
		return 0, errSyntax
	}
	h, e1 := fixedDigits(s[:colon])
	m, e2 := fixedDigits(s[colon+1 : colon+3])
	sec, e3 := fixedDigits(s[colon+4 : colon+6])
	if e1 != nil || e2 != nil || e3 != nil || m > 59 || sec > 59 {
		return 0, errSyntax
	}
	us := ((h*60+m)*60 + sec) * microsPerSecond
	rest := s[colon+6:]
	if len(rest) == 0 {
		return us, nil
	}
	if rest[0] != '.' || len(rest) < 2 || len(rest) > 7 {
		return 0, errSyntax
	}
	f, err := fixedDigits(rest[1:])
	if err != nil {
		return 0, errSyntax
	}
	for i := len(rest) - 1; i < 6; i++ {
		f *= 10
	}
	return us + f, nil
}

// fixedDigits parses a short run of ASCII digits.
func fixedDigits(v []byte) (int64, error) {
	var n int64
	for _, c := range v {
		if c < '0' || c > '9' {
			return 0, errSyntax
		}
		n = n*10 + int64(c-'0')
	}
	return n, nil
}

// daysFromCivil is the proleptic Gregorian day number of a date, counted
// from 1970-01-01 (Howard Hinnant's days_from_civil).
func daysFromCivil(y, m, d int64) int64 {
	if m <= 2 {
		y--
	}
	era := y / 400
	if y < 0 && y%400 != 0 {
		era--
	}
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}
