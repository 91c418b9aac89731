package pgval

import (
	"math"
	"math/big"
	"strings"
)

// money as PostgreSQL 15's cash.c has it under lc_monetary = C (the
// symbols cash_in and cash_out fall back to: "$", ",", ".", two
// fractional digits, groups of three, a leading "-"). A value is an
// int64 count of cents.

var errMoneyRange = errf("22003", "money out of range")

// ParseMoney is cash_in.
func ParseMoney(str string) (int64, error) {
	const fpoint = 2
	const dsymbol = '.'
	const ssymbol, csymbol, psymbol, nsymbol = ",", "$", "+", "-"
	s := str
	var value int64
	dec := 0
	sgn := 1
	seenDot := false
	outOfRange := func() error {
		return errf("22003", "value \"%s\" is out of range for type %s", str, "money")
	}
	skipSpace := func() {
		for s != "" && isCSpace(s[0]) {
			s = s[1:]
		}
	}
	skipSpace()
	s = strings.TrimPrefix(s, csymbol)
	skipSpace()
	switch {
	case strings.HasPrefix(s, nsymbol):
		sgn = -1
		s = s[len(nsymbol):]
	case strings.HasPrefix(s, "("):
		sgn = -1
		s = s[1:]
	case strings.HasPrefix(s, psymbol):
		s = s[len(psymbol):]
	}
	skipSpace()
	s = strings.TrimPrefix(s, csymbol)
	skipSpace()
	for ; s != ""; s = s[1:] {
		c := s[0]
		if cIsDigit(c) && (!seenDot || dec < fpoint) {
			d := int64(c - '0')
			if value < math.MinInt64/10 || value*10 < math.MinInt64+d {
				return 0, outOfRange()
			}
			value = value*10 - d
			if seenDot {
				dec++
			}
		} else if c == dsymbol && !seenDot {
			seenDot = true
		} else if strings.HasPrefix(s, ssymbol) {
			s = s[len(ssymbol)-1:]
		} else {
			break
		}
	}
	if s != "" && cIsDigit(s[0]) && s[0] >= '5' {
		if value == math.MinInt64 {
			return 0, outOfRange()
		}
		value--
	}
	for ; dec < fpoint; dec++ {
		if value < math.MinInt64/10 {
			return 0, outOfRange()
		}
		value *= 10
	}
	for s != "" && cIsDigit(s[0]) {
		s = s[1:]
	}
	for s != "" {
		switch {
		case isCSpace(s[0]) || s[0] == ')':
			s = s[1:]
		case strings.HasPrefix(s, nsymbol):
			sgn = -1
			s = s[len(nsymbol):]
		case strings.HasPrefix(s, psymbol):
			s = s[len(psymbol):]
		case strings.HasPrefix(s, csymbol):
			s = s[len(csymbol):]
		default:
			return 0, errf("22P02", "invalid input syntax for type %s: \"%s\"", "money", str)
		}
	}
	if sgn > 0 {
		if value == math.MinInt64 {
			return 0, outOfRange()
		}
		return -value, nil
	}
	return value, nil
}

// FormatMoney is cash_out.
func FormatMoney(v int64) string {
	const points = 2
	const monGroup = 3
	neg := v < 0
	u := uint64(v)
	if neg {
		u = uint64(-v) // -MinInt64 wraps to itself, read unsigned as 2^63
	}
	var buf [64]byte
	p := len(buf)
	digitPos := points
	for {
		if digitPos == 0 {
			p--
			buf[p] = '.'
		} else if digitPos < 0 && digitPos%monGroup == 0 {
			p--
			buf[p] = ','
		}
		p--
		buf[p] = byte(u%10) + '0'
		u /= 10
		digitPos--
		if u == 0 && digitPos < 0 {
			break
		}
	}
	if neg {
		return "-$" + string(buf[p:])
	}
	return "$" + string(buf[p:])
}

// MoneyPlus is cash_pl, MoneyMinus cash_mi.
func MoneyPlus(a, b int64) (int64, error) {
	r, over := addOverflow(a, b)
	if over {
		return 0, errMoneyRange
	}
	return r, nil
}

func MoneyMinus(a, b int64) (int64, error) {
	r := a - b
	if (a >= 0) != (b >= 0) && (r >= 0) != (a >= 0) {
		return 0, errMoneyRange
	}
	return r, nil
}

// MoneyMulInt is cash_mul_int8 (and the int4, int2 forms).
func MoneyMulInt(c, i int64) (int64, error) {
	if c == 0 || i == 0 {
		return 0, nil
	}
	r := c * i
	if r/i != c || (c == -1 && i == math.MinInt64) || (i == -1 && c == math.MinInt64) {
		return 0, errMoneyRange
	}
	return r, nil
}

// MoneyDivInt is cash_div_int8 (and the int4, int2 forms).
func MoneyDivInt(c, i int64) (int64, error) {
	if i == 0 {
		return 0, errf("22012", "division by zero")
	}
	if i == -1 {
		if c == math.MinInt64 {
			return 0, errMoneyRange
		}
		return -c, nil
	}
	return c / i, nil
}

func float8FitsInt64(f float64) bool {
	return f >= -9223372036854775808.0 && f < 9223372036854775808.0
}

// MoneyMulFloat is cash_mul_flt8 (float4 operands are widened first).
func MoneyMulFloat(c int64, f float64) (int64, error) {
	r := math.RoundToEven(float64(c) * f)
	if math.IsNaN(f) || !float8FitsInt64(r) {
		return 0, errMoneyRange
	}
	return int64(r), nil
}

// MoneyDivFloat is cash_div_flt8.
func MoneyDivFloat(c int64, f float64) (int64, error) {
	if f == 0 {
		return 0, errf("22012", "division by zero")
	}
	r := math.RoundToEven(float64(c) / f)
	if math.IsNaN(f) || !float8FitsInt64(r) {
		return 0, errMoneyRange
	}
	return int64(r), nil
}

// MoneyDivMoney is cash_div_cash.
func MoneyDivMoney(a, b int64) (float64, error) {
	if b == 0 {
		return 0, errf("22012", "division by zero")
	}
	return float64(a) / float64(b), nil
}

// MoneyToNumeric is cash_numeric: the amount with scale 2.
func MoneyToNumeric(c int64) Numeric {
	return Numeric{Int: big.NewInt(c), Scale: 2}
}

// NumericToMoney is numeric_cash: times 100, rounded as numeric_int8.
func NumericToMoney(n Numeric) (int64, error) {
	if n.Special == 0 {
		n = n.Mul(NumericFromInt(100))
	}
	return n.Int64(64, "bigint")
}

// IntToMoney is int4_cash / int8_cash: times 100 (int8mul's overflow).
func IntToMoney(i int64) (int64, error) {
	r := i * 100
	if r/100 != i {
		return 0, errf("22003", "bigint out of range")
	}
	return r, nil
}

// MoneyWords is cash_words.
func MoneyWords(value int64) string {
	var b strings.Builder
	var val uint64
	if value < 0 {
		val = uint64(-value)
		b.WriteString("minus ")
	} else {
		val = uint64(value)
	}
	dollars := val / 100
	m0 := val % 100
	m1 := (val / 100) % 1000
	m2 := (val / 100000) % 1000
	m3 := (val / 100000000) % 1000
	m4 := (val / 100000000000) % 1000
	m5 := (val / 100000000000000) % 1000
	m6 := (val / 100000000000000000) % 1000
	if m6 != 0 {
		b.WriteString(numWord(m6) + " quadrillion ")
	}
	if m5 != 0 {
		b.WriteString(numWord(m5) + " trillion ")
	}
	if m4 != 0 {
		b.WriteString(numWord(m4) + " billion ")
	}
	if m3 != 0 {
		b.WriteString(numWord(m3) + " million ")
	}
	if m2 != 0 {
		b.WriteString(numWord(m2) + " thousand ")
	}
	if m1 != 0 {
		b.WriteString(numWord(m1))
	}
	if dollars == 0 {
		b.WriteString("zero")
	}
	if dollars == 1 {
		b.WriteString(" dollar and ")
	} else {
		b.WriteString(" dollars and ")
	}
	b.WriteString(numWord(m0))
	if m0 == 1 {
		b.WriteString(" cent")
	} else {
		b.WriteString(" cents")
	}
	s := b.String()
	return strings.ToUpper(s[:1]) + s[1:]
}

func numWord(value uint64) string {
	small := []string{"zero", "one", "two", "three", "four", "five", "six", "seven",
		"eight", "nine", "ten", "eleven", "twelve", "thirteen", "fourteen",
		"fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty",
		"thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"}
	big := small[18:]
	tu := value % 100
	if value <= 20 {
		return small[value]
	}
	if tu == 0 {
		return small[value/100] + " hundred"
	}
	if value > 99 {
		switch {
		case value%10 == 0 && tu > 10:
			return small[value/100] + " hundred " + big[tu/10]
		case tu < 20:
			return small[value/100] + " hundred and " + small[tu]
		}
		return small[value/100] + " hundred " + big[tu/10] + " " + small[value%10]
	}
	switch {
	case value%10 == 0 && tu > 10:
		return big[tu/10]
	case tu < 20:
		return small[tu]
	}
	return big[tu/10] + " " + small[value%10]
}
