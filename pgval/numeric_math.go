package pgval

import (
	"math"
	"math/big"
	"strings"
)

// The transcendental numeric functions (numeric.c's sqrt_var, exp_var,
// ln_var, log_var, power_var): PostgreSQL picks each result's scale from
// the inputs as below, then rounds the exact value to it; these compute
// with enough guard digits to round the same way.

// decWeight is the decimal exponent of a non-zero value's first digit.
func decWeight(n Numeric) int {
	digits := new(big.Int).Abs(n.Int).String()
	return len(digits) - n.Scale - 1
}

// baseWeight is numeric.c's var->weight (base 10000).
func baseWeight(n Numeric) int {
	w, _ := weightAndFirst(n)
	return w
}

// toFloat is a big.Float of the value at precision prec bits.
func (n Numeric) toFloat(prec uint) *big.Float {
	f := new(big.Float).SetPrec(prec).SetInt(n.Int)
	if n.Scale > 0 {
		d := new(big.Float).SetPrec(prec).SetInt(pow10(n.Scale))
		f.Quo(f, d)
	}
	return f
}

// fromFloat rounds f to rscale decimal places, half away from zero.
func fromFloat(f *big.Float, rscale int) Numeric {
	prec := f.Prec()
	scaled := new(big.Float).SetPrec(prec).Mul(f, new(big.Float).SetPrec(prec).SetInt(pow10(rscale)))
	// Round half away from zero.
	half := big.NewFloat(0.5).SetPrec(prec)
	if scaled.Sign() < 0 {
		scaled.Sub(scaled, half)
	} else {
		scaled.Add(scaled, half)
	}
	i, _ := scaled.Int(nil)
	return Numeric{Int: i, Scale: rscale}
}

func clampScale(r int, scales ...int) int {
	for _, s := range scales {
		r = max(r, s)
	}
	r = max(r, numericMinDisplayScale)
	return min(r, numericMaxDisplayScale)
}

func precFor(rscale, weight int) uint {
	digits := rscale + max(weight, 0) + 40
	return uint(float64(digits)*3.33) + 64
}

// Sqrt is numeric_sqrt.
func (n Numeric) Sqrt() (Numeric, error) {
	switch n.Special {
	case NaN:
		return n, nil
	case PosInf:
		return n, nil
	case NegInf:
		return Numeric{}, errf("2201F", "cannot take square root of a negative number")
	}
	if n.Int.Sign() < 0 {
		return Numeric{}, errf("2201F", "cannot take square root of a negative number")
	}
	w := 0
	if n.Int.Sign() != 0 {
		w = baseWeight(n)
	}
	sweight := (w+1)*4/2 - 1
	rscale := clampScale(numericMinSigDigits-sweight, n.Scale)
	// floor(sqrt(x * 10^(2(rscale+1)))), then round on the extra digit.
	k := 2*(rscale+1) - n.Scale
	v := new(big.Int).Set(n.Int)
	if k >= 0 {
		v.Mul(v, pow10(k))
	} else {
		v.Quo(v, pow10(-k))
	}
	r := new(big.Int).Sqrt(v)
	q, rem := new(big.Int).QuoRem(r, big.NewInt(10), new(big.Int))
	if rem.Int64() >= 5 {
		q.Add(q, big.NewInt(1))
	}
	return Numeric{Int: q, Scale: rscale}, nil
}

// estimateLnDweight is estimate_ln_dweight.
func estimateLnDweight(n Numeric) int {
	if n.Int.Sign() <= 0 {
		return 0
	}
	p9, _ := ParseNumeric("0.9")
	p11, _ := ParseNumeric("1.1")
	if n.Cmp(p9) >= 0 && n.Cmp(p11) <= 0 {
		x := n.Sub(NumericFromInt(1))
		if x.Int.Sign() == 0 {
			return 0
		}
		w, first := weightAndFirst(x)
		return w*4 + int(math.Log10(float64(first)))
	}
	w, first := weightAndFirst(n)
	digits := float64(first)
	dweight := w * 4
	// The second base-10000 digit, when there is one.
	if second, ok := secondDigit(n); ok {
		digits = digits*10000 + float64(second)
		dweight -= 4
	}
	lnv := math.Log(digits) + float64(dweight)*2.302585092994046
	return int(math.Log10(math.Abs(lnv)))
}

// secondDigit is the second base-10000 digit of a value (false when
// numeric.c's representation has only one).
func secondDigit(n Numeric) (int, bool) {
	w, first := weightAndFirst(n)
	abs := n.Abs()
	rem := abs.Sub(pow10Numeric(w * 4).Mul(NumericFromInt(int64(first))))
	if rem.Int.Sign() == 0 {
		return 0, false
	}
	q, _ := rem.DivTrunc(pow10Numeric((w - 1) * 4))
	v, _ := q.Int64(64, "bigint")
	return int(v), true
}

// pow10Numeric is 10^e as a Numeric (e may be negative).
func pow10Numeric(e int) Numeric {
	if e >= 0 {
		return Numeric{Int: pow10(e)}
	}
	return Numeric{Int: big.NewInt(1), Scale: -e}
}

// Ln is numeric_ln.
func (n Numeric) Ln() (Numeric, error) {
	switch n.Special {
	case NaN, PosInf:
		return n, nil
	case NegInf:
		return Numeric{}, errf("2201E", "cannot take logarithm of a negative number")
	}
	switch n.Int.Sign() {
	case 0:
		return Numeric{}, errf("2201E", "cannot take logarithm of zero")
	case -1:
		return Numeric{}, errf("2201E", "cannot take logarithm of a negative number")
	}
	rscale := clampScale(numericMinSigDigits-estimateLnDweight(n), n.Scale)
	return fromFloat(bigLn(n.toFloat(precFor(rscale, decWeight(n))), precFor(rscale, decWeight(n))), rscale), nil
}

// LogBase is log(base, n) (numeric_log).
func (b Numeric) LogBase(n Numeric) (Numeric, error) {
	if b.Special == NaN || n.Special == NaN {
		return Numeric{Special: NaN}, nil
	}
	if b.Special != 0 || n.Special != 0 {
		return Numeric{}, errf("0A000", "log of infinite values is not supported by Hotdata's cache engine")
	}
	if b.Int.Sign() == 0 || n.Int.Sign() == 0 {
		return Numeric{}, errf("2201E", "cannot take logarithm of zero")
	}
	if b.Int.Sign() < 0 || n.Int.Sign() < 0 {
		return Numeric{}, errf("2201E", "cannot take logarithm of a negative number")
	}
	resultDweight := estimateLnDweight(n) - estimateLnDweight(b)
	rscale := clampScale(numericMinSigDigits-resultDweight, b.Scale, n.Scale)
	prec := precFor(rscale, max(decWeight(n), decWeight(b)))
	lb := bigLn(b.toFloat(prec), prec)
	if lb.Sign() == 0 {
		return Numeric{}, ErrDivisionByZero
	}
	ln := bigLn(n.toFloat(prec), prec)
	return fromFloat(new(big.Float).SetPrec(prec).Quo(ln, lb), rscale), nil
}

// Log10 is log(n) = log(10, n).
func (n Numeric) Log10() (Numeric, error) { return NumericFromInt(10).LogBase(n) }

// Exp is numeric_exp.
func (n Numeric) Exp() (Numeric, error) {
	switch n.Special {
	case NaN, PosInf:
		return n, nil
	case NegInf:
		return NumericFromInt(0), nil
	}
	x := n.Float64()
	val := x * 0.434294481903252
	val = math.Max(val, -numericMaxResultScale)
	val = math.Min(val, numericMaxResultScale)
	rscale := clampScale(numericMinSigDigits-int(val), n.Scale)
	// exp_var's guard: beyond ±6000 the result overflows, or is 0.
	if math.Abs(x) >= numericMaxResultScale*3 {
		if x > 0 {
			return Numeric{}, errf("22003", "value overflows numeric format")
		}
		return Numeric{Int: new(big.Int), Scale: rscale}, nil
	}
	prec := precFor(rscale, int(math.Abs(val)))
	return fromFloat(bigExp(n.toFloat(prec), prec), rscale), nil
}

// Power is numeric_power.
func (b Numeric) Power(e Numeric) (Numeric, error) {
	if b.Special != 0 || e.Special != 0 {
		if b.Special == NaN || e.Special == NaN {
			if b.Special == 0 && b.Cmp(NumericFromInt(1)) == 0 || e.Special == 0 && e.Int.Sign() == 0 {
				return NumericFromInt(1), nil
			}
			return Numeric{Special: NaN}, nil
		}
		return Numeric{}, errf("0A000", "power of infinite values is not supported by Hotdata's cache engine")
	}
	if b.Int.Sign() == 0 && e.Int.Sign() < 0 {
		return Numeric{}, errf("2201F", "zero raised to a negative power is undefined")
	}
	isInt := e.Scale == 0 || new(big.Int).Rem(e.Int, pow10(e.Scale)).Sign() == 0
	if b.Int.Sign() < 0 && !isInt {
		return Numeric{}, errf("2201F", "a negative number raised to a non-integer power yields a complex result")
	}
	if isInt {
		ei := new(big.Int).Quo(e.Int, pow10(e.Scale))
		if ei.IsInt64() && ei.Int64() >= math.MinInt32 && ei.Int64() <= math.MaxInt32 {
			return powerInt(b, int(ei.Int64()), e.Scale)
		}
	}
	if b.Int.Sign() == 0 {
		return Numeric{Int: big.NewInt(0), Scale: numericMinSigDigits}, nil
	}
	lnDweight := estimateLnDweight(b)
	localRscale := max(8-lnDweight, numericMinDisplayScale)
	prec0 := precFor(localRscale+10, decWeight(b))
	lnb := bigLn(b.toFloat(prec0), prec0)
	lnNum := new(big.Float).SetPrec(prec0).Mul(lnb, e.toFloat(prec0))
	val, _ := lnNum.Float64()
	if math.Abs(val) > numericMaxResultScale*3.01 {
		if val > 0 {
			return Numeric{}, errf("22003", "value overflows numeric format")
		}
		return Numeric{Int: big.NewInt(0), Scale: numericMaxDisplayScale}, nil
	}
	val *= 0.434294481903252
	rscale := clampScale(numericMinSigDigits-int(val), b.Scale, e.Scale)
	prec := precFor(rscale, int(math.Abs(val)))
	lnb = bigLn(b.toFloat(prec), prec)
	lnNum = new(big.Float).SetPrec(prec).Mul(lnb, e.toFloat(prec))
	return fromFloat(bigExp(lnNum, prec), rscale), nil
}

// powerInt is numeric_power with an integral exponent (PostgreSQL 15's
// power_var and power_var_int): the result scale is max(16, the base's
// scale), whatever the result's magnitude.
func powerInt(b Numeric, exp int, expScale int) (Numeric, error) {
	rscale := min(max(numericMinSigDigits, b.Scale, numericMinDisplayScale), numericMaxDisplayScale)
	switch exp {
	case 0:
		return Numeric{Int: pow10(rscale), Scale: rscale}, nil
	case 1:
		return b.Round(rscale), nil
	case -1:
		if b.Int.Sign() == 0 {
			return Numeric{}, ErrDivisionByZero
		}
		return divRound(NumericFromInt(1), b, rscale), nil
	case 2:
		return b.Mul(b).Round(rscale), nil
	}
	if b.Int.Sign() == 0 {
		if exp < 0 {
			return Numeric{}, ErrDivisionByZero
		}
		return Numeric{Int: big.NewInt(0), Scale: rscale}, nil
	}
	// The result's decimal weight, as power_var_int estimates it from
	// the base's first 16 digits.
	w, first := weightAndFirst(b)
	f := float64(first)
	p := float64(w * 4)
	for i := 1; i < 4; i++ {
		d, ok := nthDigit(b, i)
		if !ok {
			break
		}
		f = f*10000 + float64(d)
		p -= 4
	}
	fl := float64(exp) * (math.Log10(f) + p)
	if fl > 3*32767*4 {
		return Numeric{}, errf("22003", "value overflows numeric format")
	}
	if fl+1 < float64(-rscale) {
		return Numeric{Int: big.NewInt(0), Scale: rscale}, nil
	}
	digits := len(new(big.Int).Abs(b.Int).String())
	abs := exp
	if abs < 0 {
		abs = -abs
	}
	if digits*abs <= 200000 {
		// Exactly, then rounded.
		v := new(big.Int).Exp(b.Int, big.NewInt(int64(abs)), nil)
		if exp > 0 {
			return Numeric{Int: v, Scale: b.Scale * exp}.Round(rscale), nil
		}
		return divRound(NumericFromInt(1), Numeric{Int: v, Scale: b.Scale * abs}, rscale), nil
	}
	// Too many digits to carry exactly: as many significant digits as
	// the result needs and some more, as power_var_int does.
	sig := 1 + rscale + int(fl) + int(math.Log(math.Abs(float64(exp)))) + 8
	prec := uint(float64(sig+10)*3.33) + 64
	base := b.toFloat(prec)
	acc := new(big.Float).SetPrec(prec).SetInt64(1)
	sq := new(big.Float).SetPrec(prec).Set(base)
	for e := abs; e > 0; e >>= 1 {
		if e&1 == 1 {
			acc.Mul(acc, sq)
		}
		sq.Mul(sq, sq)
	}
	if exp < 0 {
		acc.Quo(new(big.Float).SetPrec(prec).SetInt64(1), acc)
	}
	return fromFloat(acc, rscale), nil
}

// nthDigit is the i-th base-10000 digit of n's absolute value (0 is
// the first), as PostgreSQL stores numerics.
func nthDigit(n Numeric, i int) (int, bool) {
	groups := decimalGroups(new(big.Int).Abs(n.Int).String(), n.Scale)
	if i >= len(groups) {
		return 0, false
	}
	return groups[i], true
}

// decimalGroups splits the digits of an unscaled value with scale s into
// base-10000 groups aligned on the decimal point, leading zero groups
// left out.
func decimalGroups(digits string, scale int) []int {
	intPart, frac := "", ""
	if scale >= len(digits) {
		frac = strings.Repeat("0", scale-len(digits)) + digits
	} else {
		intPart, frac = digits[:len(digits)-scale], digits[len(digits)-scale:]
	}
	if r := len(intPart) % 4; r != 0 {
		intPart = strings.Repeat("0", 4-r) + intPart
	}
	if r := len(frac) % 4; r != 0 {
		frac += strings.Repeat("0", 4-r)
	}
	all := intPart + frac
	var out []int
	started := false
	for k := 0; k+4 <= len(all); k += 4 {
		g := 0
		for _, c := range all[k : k+4] {
			g = g*10 + int(c-'0')
		}
		if g == 0 && !started {
			continue
		}
		started = true
		out = append(out, g)
	}
	for len(out) > 0 && out[len(out)-1] == 0 {
		out = out[:len(out)-1]
	}
	return out
}

// TrimScale is trim_scale: the smallest scale that keeps the value.
func (n Numeric) TrimScale() Numeric {
	if n.Special != 0 {
		return n
	}
	v := new(big.Int).Set(n.Int)
	s := n.Scale
	ten := big.NewInt(10)
	r := new(big.Int)
	for s > 0 {
		q, m := new(big.Int).QuoRem(v, ten, r)
		if m.Sign() != 0 {
			break
		}
		v = q
		s--
	}
	return Numeric{Int: v, Scale: s}
}

// bigLn is ln(x) for x > 0 at precision prec (argument reduction by
// powers of two, then the atanh series).
func bigLn(x *big.Float, prec uint) *big.Float {
	work := prec + 64
	x = new(big.Float).SetPrec(work).Set(x)
	// x = m * 2^e with m in [0.5, 1): ln x = ln m + e ln 2.
	m := new(big.Float).SetPrec(work)
	e := x.MantExp(m)
	lnm := lnSeries(m, work)
	if e != 0 {
		ln2 := lnSeries(new(big.Float).SetPrec(work).SetFloat64(2), work)
		lnm.Add(lnm, new(big.Float).SetPrec(work).Mul(ln2, new(big.Float).SetPrec(work).SetInt64(int64(e))))
	}
	return lnm.SetPrec(prec)
}

// lnSeries is ln(x) = 2 atanh((x-1)/(x+1)) for x near 1.
func lnSeries(x *big.Float, prec uint) *big.Float {
	one := new(big.Float).SetPrec(prec).SetInt64(1)
	num := new(big.Float).SetPrec(prec).Sub(x, one)
	den := new(big.Float).SetPrec(prec).Add(x, one)
	y := new(big.Float).SetPrec(prec).Quo(num, den)
	y2 := new(big.Float).SetPrec(prec).Mul(y, y)
	sum := new(big.Float).SetPrec(prec).Set(y)
	term := new(big.Float).SetPrec(prec).Set(y)
	eps := new(big.Float).SetPrec(prec).SetMantExp(one, -int(prec))
	for k := int64(3); ; k += 2 {
		term.Mul(term, y2)
		t := new(big.Float).SetPrec(prec).Quo(term, new(big.Float).SetPrec(prec).SetInt64(k))
		sum.Add(sum, t)
		if new(big.Float).Abs(t).Cmp(eps) < 0 {
			break
		}
	}
	return sum.Mul(sum, new(big.Float).SetPrec(prec).SetInt64(2))
}

// bigExp is e^x at precision prec (x/2^k, Taylor series, squared k times).
func bigExp(x *big.Float, prec uint) *big.Float {
	work := prec + 64
	x = new(big.Float).SetPrec(work).Set(x)
	k := 0
	limit := new(big.Float).SetPrec(work).SetFloat64(0.5)
	for new(big.Float).Abs(x).Cmp(limit) > 0 {
		x.Quo(x, new(big.Float).SetPrec(work).SetInt64(2))
		k++
	}
	one := new(big.Float).SetPrec(work).SetInt64(1)
	sum := new(big.Float).SetPrec(work).Set(one)
	term := new(big.Float).SetPrec(work).Set(one)
	eps := new(big.Float).SetPrec(work).SetMantExp(one, -int(work))
	for n := int64(1); ; n++ {
		term.Mul(term, x)
		term.Quo(term, new(big.Float).SetPrec(work).SetInt64(n))
		sum.Add(sum, term)
		if new(big.Float).Abs(term).Cmp(eps) < 0 {
			break
		}
	}
	for ; k > 0; k-- {
		sum.Mul(sum, sum)
	}
	return sum.SetPrec(prec)
}

// NumericVariance is numeric_var_samp/var_pop/stddev_*: exact sums, then
// numeric_stddev_internal's division and square root.
func NumericVariance(ns []Numeric, kind string) (Numeric, bool, error) {
	n := len(ns)
	sample := kind == "var_samp" || kind == "stddev_samp"
	if n == 0 || sample && n == 1 {
		return Numeric{}, false, nil
	}
	sumX, sumX2 := NumericFromInt(0), NumericFromInt(0)
	for _, x := range ns {
		if x.Special != 0 {
			return Numeric{Special: NaN}, true, nil
		}
		sumX = sumX.Add(x)
		sumX2 = sumX2.Add(x.Mul(x))
	}
	N := NumericFromInt(int64(n))
	numerator := N.Mul(sumX2).Sub(sumX.Mul(sumX))
	if numerator.Int.Sign() <= 0 {
		return Numeric{Int: big.NewInt(0), Scale: sumX.Scale}, true, nil
	}
	var den Numeric
	if sample {
		den = N.Mul(NumericFromInt(int64(n - 1)))
	} else {
		den = N.Mul(N)
	}
	rscale := divScale(numerator, den)
	v := divRound(numerator, den, rscale)
	if kind == "stddev_samp" || kind == "stddev_pop" {
		r, err := v.sqrtAt(rscale)
		return r, true, err
	}
	return v, true, nil
}

// sqrtAt is sqrt_var(x, rscale).
func (n Numeric) sqrtAt(rscale int) (Numeric, error) {
	k := 2*(rscale+1) - n.Scale
	v := new(big.Int).Set(n.Int)
	if k >= 0 {
		v.Mul(v, pow10(k))
	} else {
		v.Quo(v, pow10(-k))
	}
	r := new(big.Int).Sqrt(v)
	q, rem := new(big.Int).QuoRem(r, big.NewInt(10), new(big.Int))
	if rem.Int64() >= 5 {
		q.Add(q, big.NewInt(1))
	}
	return Numeric{Int: q, Scale: rscale}, nil
}

// NumericWidthBucket is width_bucket(numeric, numeric, numeric, int).
func NumericWidthBucket(x, lo, hi Numeric, count int64) (int64, error) {
	if count <= 0 {
		return 0, errf("2201G", "count must be greater than zero")
	}
	if lo.Special == NaN || hi.Special == NaN || x.Special == NaN {
		return 0, errf("2201G", "operand, lower bound, and upper bound cannot be NaN")
	}
	if lo.Special != 0 || hi.Special != 0 {
		return 0, errf("2201G", "lower and upper bounds must be finite")
	}
	c := lo.Cmp(hi)
	if c == 0 {
		return 0, errf("2201G", "lower bound cannot equal upper bound")
	}
	cnt := NumericFromInt(count)
	if c < 0 {
		switch {
		case x.Cmp(lo) < 0:
			return 0, nil
		case x.Cmp(hi) >= 0:
			return count + 1, nil
		}
		r := x.Sub(lo).Mul(cnt)
		q, _ := r.DivTrunc(hi.Sub(lo))
		v, _ := q.Int64(64, "integer")
		return v + 1, nil
	}
	switch {
	case x.Cmp(lo) > 0:
		return 0, nil
	case x.Cmp(hi) <= 0:
		return count + 1, nil
	}
	r := lo.Sub(x).Mul(cnt)
	q, _ := r.DivTrunc(lo.Sub(hi))
	v, _ := q.Int64(64, "integer")
	return v + 1, nil
}
