package pgval

import (
	"math"
	"math/big"
	"strconv"
	"strings"
)

// Numeric is a PostgreSQL numeric: Int × 10^-Scale, where Scale is the
// display scale (dscale) PostgreSQL keeps with every value, or one of
// the special values NaN, +Infinity and -Infinity.
type Numeric struct {
	Int   *big.Int
	Scale int
	// Special is 0 for a finite value, else NaN, PosInf or NegInf.
	Special byte
}

// Special values of a Numeric.
const (
	NaN    byte = 'N'
	PosInf byte = '+'
	NegInf byte = '-'
)

// PostgreSQL's numeric limits (src/backend/utils/adt/numeric.c).
const (
	numericMaxDisplayScale = 1000
	numericMinDisplayScale = 0
	numericMinSigDigits    = 16
	numericMaxResultScale  = numericMaxDisplayScale * 2
	// numericMaxWeightDigits bounds the integer digits (NUMERIC_WEIGHT_MAX
	// base-10000 digits).
	numericMaxIntDigits = 131072
)

var bigTen = big.NewInt(10)

func pow10(n int) *big.Int {
	if n < len(pow10Cache) {
		return pow10Cache[n]
	}
	return new(big.Int).Exp(bigTen, big.NewInt(int64(n)), nil)
}

var pow10Cache = func() []*big.Int {
	out := make([]*big.Int, 64)
	p := big.NewInt(1)
	for i := range out {
		out[i] = new(big.Int).Set(p)
		p.Mul(p, bigTen)
	}
	return out
}()

// IsSpecial reports NaN or an infinity.
func (n Numeric) IsSpecial() bool { return n.Special != 0 }

// ParseNumeric reads numeric input as numeric_in does: optional sign,
// digits with an optional point, an optional exponent, or NaN,
// Infinity, inf (any case, surrounding spaces allowed).
func ParseNumeric(s string) (Numeric, error) {
	t := strings.TrimSpace(s)
	switch strings.ToLower(t) {
	case "nan", "+nan", "-nan":
		if strings.ToLower(t) != "nan" {
			return Numeric{}, invalidSyntax("numeric", s)
		}
		return Numeric{Special: NaN}, nil
	case "infinity", "+infinity", "inf", "+inf":
		return Numeric{Special: PosInf}, nil
	case "-infinity", "-inf":
		return Numeric{Special: NegInf}, nil
	}
	i := 0
	neg := false
	if i < len(t) && (t[i] == '+' || t[i] == '-') {
		neg = t[i] == '-'
		i++
	}
	var digits strings.Builder
	scale := 0
	seenDigit, seenPoint := false, false
	for ; i < len(t); i++ {
		c := t[i]
		switch {
		case c >= '0' && c <= '9':
			digits.WriteByte(c)
			seenDigit = true
			if seenPoint {
				scale++
			}
		case c == '.' && !seenPoint:
			seenPoint = true
		default:
			goto rest
		}
	}
rest:
	if !seenDigit {
		return Numeric{}, invalidSyntax("numeric", s)
	}
	if i < len(t) && (t[i] == 'e' || t[i] == 'E') {
		j := i + 1
		if j < len(t) && (t[j] == '+' || t[j] == '-') {
			j++
		}
		k := j
		for k < len(t) && t[k] >= '0' && t[k] <= '9' {
			k++
		}
		if k == j {
			return Numeric{}, invalidSyntax("numeric", s)
		}
		exp, err := strconv.Atoi(t[i+1 : k])
		if err != nil || exp > 1000 || exp < -1000 {
			return Numeric{}, errf("22003", "value overflows numeric format")
		}
		scale -= exp
		i = k
	}
	if i != len(t) {
		return Numeric{}, invalidSyntax("numeric", s)
	}
	v, _ := new(big.Int).SetString(digits.String(), 10)
	if scale < 0 {
		v.Mul(v, pow10(-scale))
		scale = 0
	}
	if neg {
		v.Neg(v)
	}
	if scale > numericMaxDisplayScale {
		// numeric_in rounds to the maximum display scale.
		v = roundHalfAway(v, scale-numericMaxDisplayScale)
		scale = numericMaxDisplayScale
	}
	return Numeric{Int: v, Scale: scale}, nil
}

// String is numeric_out.
func (n Numeric) String() string { return string(n.Append(nil)) }

// Append appends numeric_out's text.
func (n Numeric) Append(dst []byte) []byte {
	switch n.Special {
	case NaN:
		return append(dst, "NaN"...)
	case PosInf:
		return append(dst, "Infinity"...)
	case NegInf:
		return append(dst, "-Infinity"...)
	}
	s := n.Int.String()
	neg := false
	if s[0] == '-' {
		neg = true
		s = s[1:]
	}
	if neg {
		dst = append(dst, '-')
	}
	if n.Scale <= 0 {
		return append(dst, s...)
	}
	if len(s) <= n.Scale {
		dst = append(dst, '0', '.')
		for i := len(s); i < n.Scale; i++ {
			dst = append(dst, '0')
		}
		return append(dst, s...)
	}
	dst = append(dst, s[:len(s)-n.Scale]...)
	dst = append(dst, '.')
	return append(dst, s[len(s)-n.Scale:]...)
}

// roundHalfAway divides v by 10^k rounding half away from zero.
func roundHalfAway(v *big.Int, k int) *big.Int {
	if k <= 0 {
		return new(big.Int).Mul(v, pow10(-k))
	}
	d := pow10(k)
	q, r := new(big.Int).QuoRem(v, d, new(big.Int))
	r.Abs(r).Mul(r, big.NewInt(2))
	if r.Cmp(d) >= 0 {
		if v.Sign() < 0 {
			q.Sub(q, big.NewInt(1))
		} else {
			q.Add(q, big.NewInt(1))
		}
	}
	return q
}

// truncTo divides v by 10^k truncating toward zero.
func truncTo(v *big.Int, k int) *big.Int {
	if k <= 0 {
		return new(big.Int).Mul(v, pow10(-k))
	}
	return new(big.Int).Quo(v, pow10(k))
}

// rescale returns v's integer at scale s (exact when s >= n.Scale).
func (n Numeric) at(s int) *big.Int {
	if s >= n.Scale {
		return new(big.Int).Mul(n.Int, pow10(s-n.Scale))
	}
	return roundHalfAway(n.Int, n.Scale-s)
}

// Sign is -1, 0 or 1 (infinities count; NaN is 0).
func (n Numeric) Sign() int {
	switch n.Special {
	case PosInf:
		return 1
	case NegInf:
		return -1
	case NaN:
		return 0
	}
	return n.Int.Sign()
}

// Cmp compares as PostgreSQL orders numerics: NaN above everything and
// equal to itself, -Infinity below and +Infinity above every number.
func (n Numeric) Cmp(m Numeric) int {
	rank := func(x Numeric) int {
		switch x.Special {
		case NaN:
			return 3
		case PosInf:
			return 2
		case NegInf:
			return -2
		}
		return 0
	}
	rn, rm := rank(n), rank(m)
	if rn != 0 || rm != 0 {
		switch {
		case rn < rm:
			return -1
		case rn > rm:
			return 1
		}
		return 0
	}
	s := max(n.Scale, m.Scale)
	return n.at(s).Cmp(m.at(s))
}

// Add is numeric_add: the result's scale is the larger input scale.
func (n Numeric) Add(m Numeric) Numeric {
	if n.Special != 0 || m.Special != 0 {
		return specialAdd(n, m, false)
	}
	s := max(n.Scale, m.Scale)
	return Numeric{Int: new(big.Int).Add(n.at(s), m.at(s)), Scale: s}
}

// Sub is numeric_sub.
func (n Numeric) Sub(m Numeric) Numeric {
	if n.Special != 0 || m.Special != 0 {
		return specialAdd(n, m, true)
	}
	s := max(n.Scale, m.Scale)
	return Numeric{Int: new(big.Int).Sub(n.at(s), m.at(s)), Scale: s}
}

func specialAdd(n, m Numeric, sub bool) Numeric {
	if n.Special == NaN || m.Special == NaN {
		return Numeric{Special: NaN}
	}
	ms := m.Special
	if sub {
		switch ms {
		case PosInf:
			ms = NegInf
		case NegInf:
			ms = PosInf
		}
	}
	switch {
	case n.Special != 0 && ms != 0:
		if n.Special != ms {
			return Numeric{Special: NaN}
		}
		return Numeric{Special: n.Special}
	case n.Special != 0:
		return Numeric{Special: n.Special}
	}
	return Numeric{Special: ms}
}

// Neg is numeric_uminus.
func (n Numeric) Neg() Numeric {
	switch n.Special {
	case PosInf:
		return Numeric{Special: NegInf}
	case NegInf:
		return Numeric{Special: PosInf}
	case NaN:
		return n
	}
	return Numeric{Int: new(big.Int).Neg(n.Int), Scale: n.Scale}
}

// Abs is numeric_abs.
func (n Numeric) Abs() Numeric {
	switch n.Special {
	case NegInf:
		return Numeric{Special: PosInf}
	case PosInf, NaN:
		return n
	}
	return Numeric{Int: new(big.Int).Abs(n.Int), Scale: n.Scale}
}

// Mul is numeric_mul: the result's scale is the sum of the scales
// (limited to NUMERIC_MAX_DISPLAY_SCALE, rounding).
func (n Numeric) Mul(m Numeric) Numeric {
	if n.Special != 0 || m.Special != 0 {
		if n.Special == NaN || m.Special == NaN {
			return Numeric{Special: NaN}
		}
		sn, sm := n.Sign(), m.Sign()
		if sn == 0 || sm == 0 {
			return Numeric{Special: NaN}
		}
		if sn*sm > 0 {
			return Numeric{Special: PosInf}
		}
		return Numeric{Special: NegInf}
	}
	s := n.Scale + m.Scale
	v := new(big.Int).Mul(n.Int, m.Int)
	if s > numericMaxDisplayScale {
		v = roundHalfAway(v, s-numericMaxDisplayScale)
		s = numericMaxDisplayScale
	}
	return Numeric{Int: v, Scale: s}
}

// ErrDivisionByZero is 22012.
var ErrDivisionByZero = errf("22012", "division by zero")

// weightAndFirst returns the base-10000 weight of a non-zero value's
// first digit group and that group (as numeric.c's NumericVar holds it).
func weightAndFirst(n Numeric) (weight int, first int) {
	if n.Int.Sign() == 0 {
		return 0, 0
	}
	digits := new(big.Int).Abs(n.Int).String()
	intDigits := len(digits) - n.Scale // may be <= 0
	// Position of the first significant digit relative to the point,
	// in decimal digits: exponent e such that the first digit is 10^e.
	e := intDigits - 1
	// Base-10000 groups are aligned on the decimal point.
	weight = floorDiv(e, 4)
	// The first group holds decimal places weight*4 .. weight*4+3.
	groupLow := weight * 4
	// Value of the group: digits from position e down to groupLow.
	first = 0
	for p := weight*4 + 3; p >= groupLow; p-- {
		idx := intDigits - 1 - p // index into digits
		d := 0
		if idx >= 0 && idx < len(digits) {
			d = int(digits[idx] - '0')
		}
		first = first*10 + d
	}
	return weight, first
}

func floorDiv(a, b int) int {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

// divScale is select_div_scale: at least 16 significant digits, and no
// less than either input's scale.
func divScale(n, m Numeric) int {
	w1, f1 := weightAndFirst(n)
	w2, f2 := weightAndFirst(m)
	qweight := w1 - w2
	if f1 <= f2 {
		qweight--
	}
	rscale := numericMinSigDigits - qweight*4
	rscale = max(rscale, n.Scale, m.Scale, numericMinDisplayScale)
	return min(rscale, numericMaxDisplayScale)
}

// Div is numeric_div.
func (n Numeric) Div(m Numeric) (Numeric, error) {
	if n.Special != 0 || m.Special != 0 {
		if n.Special == NaN || m.Special == NaN {
			return Numeric{Special: NaN}, nil
		}
		if m.Special != 0 {
			if n.Special != 0 {
				return Numeric{Special: NaN}, nil
			}
			return Numeric{Int: big.NewInt(0), Scale: 0}, nil
		}
		switch m.Int.Sign() {
		case 0:
			return Numeric{}, ErrDivisionByZero
		case 1:
			return Numeric{Special: n.Special}, nil
		}
		return n.Neg(), nil
	}
	if m.Int.Sign() == 0 {
		return Numeric{}, ErrDivisionByZero
	}
	rscale := divScale(n, m)
	return divRound(n, m, rscale), nil
}

// divRound is n / m rounded half away from zero to rscale digits.
func divRound(n, m Numeric, rscale int) Numeric {
	// n/m = (N*10^-a) / (M*10^-b) = N*10^(b-a) / M; at rscale:
	// N * 10^(rscale + b - a) / M.
	k := rscale + m.Scale - n.Scale
	num := new(big.Int).Set(n.Int)
	den := new(big.Int).Set(m.Int)
	if k >= 0 {
		num.Mul(num, pow10(k))
	} else {
		den.Mul(den, pow10(-k))
	}
	q, r := new(big.Int).QuoRem(num, den, new(big.Int))
	r.Abs(r).Mul(r, big.NewInt(2))
	if r.Cmp(new(big.Int).Abs(den)) >= 0 {
		if (num.Sign() < 0) != (den.Sign() < 0) {
			q.Sub(q, big.NewInt(1))
		} else {
			q.Add(q, big.NewInt(1))
		}
	}
	return Numeric{Int: q, Scale: rscale}
}

// DivTrunc is div(): the integer quotient, truncated toward zero.
func (n Numeric) DivTrunc(m Numeric) (Numeric, error) {
	if n.Special != 0 || m.Special != 0 {
		if n.Special == NaN || m.Special == NaN {
			return Numeric{Special: NaN}, nil
		}
		if m.Special != 0 {
			if n.Special != 0 {
				return Numeric{Special: NaN}, nil
			}
			return Numeric{Int: big.NewInt(0)}, nil
		}
		if m.Int.Sign() == 0 {
			return Numeric{}, ErrDivisionByZero
		}
		if m.Int.Sign() > 0 {
			return Numeric{Special: n.Special}, nil
		}
		return n.Neg(), nil
	}
	if m.Int.Sign() == 0 {
		return Numeric{}, ErrDivisionByZero
	}
	s := max(n.Scale, m.Scale)
	q := new(big.Int).Quo(n.at(s), m.at(s))
	return Numeric{Int: q, Scale: 0}, nil
}

// Mod is numeric_mod: n - trunc(n/m)*m, with the larger scale.
func (n Numeric) Mod(m Numeric) (Numeric, error) {
	if n.Special != 0 || m.Special != 0 {
		if n.Special == NaN || m.Special == NaN {
			return Numeric{Special: NaN}, nil
		}
		if n.Special != 0 {
			if m.Special == 0 && m.Int.Sign() == 0 {
				return Numeric{}, ErrDivisionByZero
			}
			return Numeric{Special: NaN}, nil
		}
		return n, nil // x mod ±Inf = x
	}
	if m.Int.Sign() == 0 {
		return Numeric{}, ErrDivisionByZero
	}
	s := max(n.Scale, m.Scale)
	r := new(big.Int).Rem(n.at(s), m.at(s))
	return Numeric{Int: r, Scale: s}, nil
}

// Round is round(n, places): half away from zero; the result's scale is
// max(places, 0).
func (n Numeric) Round(places int) Numeric {
	if n.Special != 0 {
		return n
	}
	places = max(min(places, numericMaxResultScale), -numericMaxResultScale)
	if places >= n.Scale {
		return Numeric{Int: n.at(max(places, 0)), Scale: max(places, 0)}
	}
	v := roundHalfAway(n.Int, n.Scale-places)
	if places < 0 {
		v.Mul(v, pow10(-places))
		return Numeric{Int: v, Scale: 0}
	}
	return Numeric{Int: v, Scale: places}
}

// Trunc is trunc(n, places).
func (n Numeric) Trunc(places int) Numeric {
	if n.Special != 0 {
		return n
	}
	places = max(min(places, numericMaxResultScale), -numericMaxResultScale)
	if places >= n.Scale {
		return Numeric{Int: n.at(max(places, 0)), Scale: max(places, 0)}
	}
	v := truncTo(n.Int, n.Scale-places)
	if places < 0 {
		v.Mul(v, pow10(-places))
		return Numeric{Int: v, Scale: 0}
	}
	return Numeric{Int: v, Scale: places}
}

// Ceil is ceil(n) (scale 0).
func (n Numeric) Ceil() Numeric {
	if n.Special != 0 {
		return n
	}
	q, r := new(big.Int).QuoRem(n.Int, pow10(n.Scale), new(big.Int))
	if r.Sign() > 0 {
		q.Add(q, big.NewInt(1))
	}
	return Numeric{Int: q, Scale: 0}
}

// Floor is floor(n) (scale 0).
func (n Numeric) Floor() Numeric {
	if n.Special != 0 {
		return n
	}
	q, r := new(big.Int).QuoRem(n.Int, pow10(n.Scale), new(big.Int))
	if r.Sign() < 0 {
		q.Sub(q, big.NewInt(1))
	}
	return Numeric{Int: q, Scale: 0}
}

// SignNumeric is sign(n): -1, 0 or 1 with scale 0 (NaN for NaN).
func (n Numeric) SignNumeric() Numeric {
	if n.Special == NaN {
		return n
	}
	return Numeric{Int: big.NewInt(int64(n.Sign())), Scale: 0}
}

// Float64 is numeric_float8: the nearest double (via its text, as
// PostgreSQL converts).
func (n Numeric) Float64() float64 {
	switch n.Special {
	case NaN:
		return qnan()
	case PosInf:
		return math.Inf(1)
	case NegInf:
		return math.Inf(-1)
	}
	f, _ := strconv.ParseFloat(n.String(), 64)
	return f
}

// Int64 rounds to an integer (half away from zero) as numeric_int8 does.
func (n Numeric) Int64(bits int, typeName string) (int64, error) {
	if n.Special == NaN {
		return 0, errf("0A000", "cannot convert NaN to %s", typeName)
	}
	if n.Special != 0 {
		return 0, errf("0A000", "cannot convert infinity to %s", typeName)
	}
	v := roundHalfAway(n.Int, n.Scale)
	if !v.IsInt64() {
		return 0, errf("22003", "%s out of range", typeName)
	}
	x := v.Int64()
	if bits < 64 && (x < -(1<<(bits-1)) || x >= 1<<(bits-1)) {
		return 0, errf("22003", "%s out of range", typeName)
	}
	return x, nil
}

// NumericFromInt is an integer as a numeric of scale 0.
func NumericFromInt(v int64) Numeric { return Numeric{Int: big.NewInt(v)} }

// NumericFromFloat is float8_numeric: the value printed with 15
// significant digits (6 for float4), then read as numeric.
func NumericFromFloat(f float64, bits int) (Numeric, error) {
	switch {
	case math.IsNaN(f):
		return Numeric{Special: NaN}, nil
	case math.IsInf(f, 1):
		return Numeric{Special: PosInf}, nil
	case math.IsInf(f, -1):
		return Numeric{Special: NegInf}, nil
	}
	digits := 15
	if bits == 32 {
		digits = 6
	}
	return ParseNumeric(strconv.FormatFloat(f, 'g', digits, 64))
}

// Typmod applies numeric(p,s): round to s places, then fail when more
// than p-s integer digits remain (apply_typmod).
func (n Numeric) Typmod(p, s int) (Numeric, error) {
	if n.Special != 0 {
		if n.Special == NaN {
			return n, nil
		}
		return Numeric{}, errf("22003", "numeric field overflow").
			WithDetail("A field with precision %d, scale %d cannot hold an infinite value.", p, s)
	}
	r := n.Round(s)
	if s < 0 {
		r.Scale = 0
	}
	maxDigits := p - s
	abs := new(big.Int).Abs(r.Int)
	intPart := new(big.Int).Quo(abs, pow10(r.Scale))
	if intPart.Sign() != 0 && len(intPart.String()) > maxDigits {
		e := errf("22003", "numeric field overflow")
		if maxDigits > 0 {
			return Numeric{}, e.WithDetail("A field with precision %d, scale %d must round to an absolute value less than 10^%d.", p, s, maxDigits)
		}
		return Numeric{}, e.WithDetail("A field with precision %d, scale %d must round to an absolute value less than 1.", p, s)
	}
	if maxDigits <= 0 && abs.Sign() != 0 && intPart.Sign() == 0 {
		// fine: |x| < 1
	}
	if s < 0 {
		r.Scale = 0
	}
	return r, nil
}

// Key returns bytes whose byte order is the numeric order, equal for
// equal values whatever their scale (1.0 and 1.00).
func (n Numeric) Key() []byte {
	switch n.Special {
	case NaN:
		return []byte{0xFF, 0xFF}
	case PosInf:
		return []byte{0xFF, 0xFE}
	case NegInf:
		return []byte{0x00}
	}
	if n.Int.Sign() == 0 {
		return []byte{0x80}
	}
	digits := new(big.Int).Abs(n.Int).String()
	digits = strings.TrimRight(digits, "0")
	// exponent of the first digit: value = 0.d1d2… × 10^exp
	trailing := len(new(big.Int).Abs(n.Int).String()) - len(digits)
	exp := len(digits) + trailing - n.Scale
	neg := n.Int.Sign() < 0
	out := make([]byte, 0, 6+len(digits))
	// Sign byte, then the exponent (biased, 4 bytes), then digits and a
	// terminator; negative values invert everything after the sign.
	if neg {
		out = append(out, 0x01)
	} else {
		out = append(out, 0x81)
	}
	e := uint32(exp + 1<<30)
	body := []byte{byte(e >> 24), byte(e >> 16), byte(e >> 8), byte(e)}
	for i := 0; i < len(digits); i++ {
		body = append(body, digits[i]-'0'+1)
	}
	body = append(body, 0)
	if neg {
		for i := range body {
			body[i] = ^body[i]
		}
	}
	return append(out, body...)
}

// Gcd is numeric_gcd: the greatest common divisor of |n| and |m| at the
// larger scale; NaN when either is NaN or infinite.
func (n Numeric) Gcd(m Numeric) Numeric {
	if n.Special != 0 || m.Special != 0 {
		return Numeric{Special: NaN}
	}
	s := max(n.Scale, m.Scale)
	a, b := new(big.Int).Abs(n.at(s)), new(big.Int).Abs(m.at(s))
	return Numeric{Int: new(big.Int).GCD(nil, nil, a, b), Scale: s}
}

// Lcm is numeric_lcm: the least common multiple of |n| and |m| at the
// larger scale (0 when either is 0); NaN when either is NaN or
// infinite.
func (n Numeric) Lcm(m Numeric) Numeric {
	if n.Special != 0 || m.Special != 0 {
		return Numeric{Special: NaN}
	}
	s := max(n.Scale, m.Scale)
	a, b := new(big.Int).Abs(n.at(s)), new(big.Int).Abs(m.at(s))
	if a.Sign() == 0 || b.Sign() == 0 {
		return Numeric{Int: new(big.Int), Scale: s}
	}
	g := new(big.Int).GCD(nil, nil, a, b)
	l := new(big.Int).Mul(new(big.Int).Quo(a, g), b)
	return Numeric{Int: l, Scale: s}
}
