package pgfunc

import (
	"math"
	"math/big"
	"sort"
	"strconv"

	"github.com/hotdata-dev/hotdata/engine"
	"github.com/hotdata-dev/hotdata/pgval"
)

// Numerics in text form (PostgreSQL's numeric_out), computed as
// numeric.c does.

func num(v any) (pgval.Numeric, error) {
	n, err := pgval.ParseNumeric(str(v))
	if err != nil {
		return n, fail(err)
	}
	return n, nil
}

func num2(name string, op func(a, b pgval.Numeric) (pgval.Numeric, error)) engine.ScalarFunc {
	return fn(name, []string{"VARCHAR", "VARCHAR"}, "VARCHAR", func(a []any) (any, error) {
		x, err := num(a[0])
		if err != nil {
			return nil, err
		}
		y, err := num(a[1])
		if err != nil {
			return nil, err
		}
		r, err := op(x, y)
		if err != nil {
			return nil, fail(err)
		}
		return r.String(), nil
	})
}

func num1(name string, op func(a pgval.Numeric) (pgval.Numeric, error)) engine.ScalarFunc {
	return fn(name, []string{"VARCHAR"}, "VARCHAR", func(a []any) (any, error) {
		x, err := num(a[0])
		if err != nil {
			return nil, err
		}
		r, err := op(x)
		if err != nil {
			return nil, fail(err)
		}
		return r.String(), nil
	})
}

func ok(f func(a, b pgval.Numeric) pgval.Numeric) func(a, b pgval.Numeric) (pgval.Numeric, error) {
	return func(a, b pgval.Numeric) (pgval.Numeric, error) { return f(a, b), nil }
}

func ok1(f func(a pgval.Numeric) pgval.Numeric) func(a pgval.Numeric) (pgval.Numeric, error) {
	return func(a pgval.Numeric) (pgval.Numeric, error) { return f(a), nil }
}

func numericFuncs() []engine.ScalarFunc {
	return []engine.ScalarFunc{
		num2("hd_num_add", ok(pgval.Numeric.Add)),
		num2("hd_num_sub", ok(pgval.Numeric.Sub)),
		num2("hd_num_mul", ok(pgval.Numeric.Mul)),
		num2("hd_num_div", pgval.Numeric.Div),
		num2("hd_num_mod", pgval.Numeric.Mod),
		num2("hd_num_divtrunc", pgval.Numeric.DivTrunc),
		num2("hd_num_pow", pgval.Numeric.Power),
		num2("hd_num_logb", pgval.Numeric.LogBase),
		num2("hd_num_gcd", ok(pgval.Numeric.Gcd)),
		num2("hd_num_lcm", ok(pgval.Numeric.Lcm)),
		num1("hd_num_neg", ok1(pgval.Numeric.Neg)),
		num1("hd_num_abs", ok1(pgval.Numeric.Abs)),
		num1("hd_num_sign", ok1(pgval.Numeric.SignNumeric)),
		num1("hd_num_ceil", ok1(pgval.Numeric.Ceil)),
		num1("hd_num_floor", ok1(pgval.Numeric.Floor)),
		num1("hd_num_sqrt", pgval.Numeric.Sqrt),
		num1("hd_num_exp", pgval.Numeric.Exp),
		num1("hd_num_ln", pgval.Numeric.Ln),
		num1("hd_num_log10", pgval.Numeric.Log10),
		num1("hd_num_trim_scale", ok1(pgval.Numeric.TrimScale)),
		num1("hd_in_numeric", ok1(func(n pgval.Numeric) pgval.Numeric { return n })),
		fn("hd_num_round", []string{"VARCHAR", "INTEGER"}, "VARCHAR", func(a []any) (any, error) {
			x, err := num(a[0])
			if err != nil {
				return nil, err
			}
			return x.Round(int(i64(a[1]))).String(), nil
		}),
		fn("hd_num_trunc", []string{"VARCHAR", "INTEGER"}, "VARCHAR", func(a []any) (any, error) {
			x, err := num(a[0])
			if err != nil {
				return nil, err
			}
			return x.Trunc(int(i64(a[1]))).String(), nil
		}),
		fn("hd_num_scale", []string{"VARCHAR"}, "INTEGER", func(a []any) (any, error) {
			x, err := num(a[0])
			if err != nil {
				return nil, err
			}
			if x.IsSpecial() {
				return nil, nil
			}
			return int64(x.Scale), nil
		}),
		fn("hd_num_min_scale", []string{"VARCHAR"}, "INTEGER", func(a []any) (any, error) {
			x, err := num(a[0])
			if err != nil {
				return nil, err
			}
			if x.IsSpecial() {
				return nil, nil
			}
			return int64(x.TrimScale().Scale), nil
		}),
		fn("hd_num_factorial", []string{"BIGINT"}, "VARCHAR", func(a []any) (any, error) {
			n := i64(a[0])
			if n < 0 {
				return nil, failf("22003", "factorial of a negative number is undefined")
			}
			if n > 32177 {
				return nil, failf("22003", "value overflows numeric format")
			}
			r := new(big.Int).MulRange(1, max(n, 1))
			return r.String(), nil
		}),
		fn("hd_num_key", []string{"VARCHAR"}, "BLOB", func(a []any) (any, error) {
			x, err := num(a[0])
			if err != nil {
				return nil, err
			}
			return x.Key(), nil
		}),
		fn("hd_num_to_int", []string{"VARCHAR", "VARCHAR"}, "BIGINT", func(a []any) (any, error) {
			x, err := num(a[0])
			if err != nil {
				return nil, err
			}
			bits := map[string]int{"smallint": 16, "integer": 32, "bigint": 64}[str(a[1])]
			v, err := x.Int64(bits, str(a[1]))
			if err != nil {
				return nil, fail(err)
			}
			return v, nil
		}),
		fn("hd_num_to_decimal", []string{"VARCHAR", "INTEGER", "INTEGER"}, "VARCHAR", func(a []any) (any, error) {
			x, err := num(a[0])
			if err != nil {
				return nil, err
			}
			if x.IsSpecial() {
				return nil, failf("0A000", "the numeric value %s cannot be held by Hotdata's cache engine in this position", x.String())
			}
			return x.Round(int(i64(a[2]))).String(), nil
		}),
		fn("hd_num_typmod", []string{"VARCHAR", "INTEGER", "INTEGER"}, "VARCHAR", func(a []any) (any, error) {
			x, err := num(a[0])
			if err != nil {
				return nil, err
			}
			r, err := x.Typmod(int(i64(a[1])), int(i64(a[2])))
			if err != nil {
				return nil, fail(err)
			}
			return r.String(), nil
		}),
		numList("hd_num_greatest", func(ns []pgval.Numeric) (any, error) {
			var best *pgval.Numeric
			for i := range ns {
				if best == nil || ns[i].Cmp(*best) > 0 {
					best = &ns[i]
				}
			}
			if best == nil {
				return nil, nil
			}
			return best.String(), nil
		}),
		numList("hd_num_least", func(ns []pgval.Numeric) (any, error) {
			var best *pgval.Numeric
			for i := range ns {
				if best == nil || ns[i].Cmp(*best) < 0 {
					best = &ns[i]
				}
			}
			if best == nil {
				return nil, nil
			}
			return best.String(), nil
		}),
		numList("hd_num_sum", func(ns []pgval.Numeric) (any, error) {
			if len(ns) == 0 {
				return nil, nil
			}
			s := ns[0]
			for _, n := range ns[1:] {
				s = s.Add(n)
			}
			return s.String(), nil
		}),
		numList("hd_num_avg", func(ns []pgval.Numeric) (any, error) {
			if len(ns) == 0 {
				return nil, nil
			}
			s := ns[0]
			for _, n := range ns[1:] {
				s = s.Add(n)
			}
			r, err := s.Div(pgval.NumericFromInt(int64(len(ns))))
			if err != nil {
				return nil, fail(err)
			}
			return r.String(), nil
		}),
		{Name: "hd_num_var", Args: []string{"VARCHAR[]", "VARCHAR"}, Returns: "VARCHAR", Row: func(a []any) (any, error) {
			ns, err := numsOf(a[0])
			if err != nil {
				return nil, err
			}
			r, ok, err := pgval.NumericVariance(ns, str(a[1]))
			if err != nil {
				return nil, fail(err)
			}
			if !ok {
				return nil, nil
			}
			return r.String(), nil
		}},
		fn("hd_num_width_bucket", []string{"VARCHAR", "VARCHAR", "VARCHAR", "INTEGER"}, "INTEGER", func(a []any) (any, error) {
			x, err := num(a[0])
			if err != nil {
				return nil, err
			}
			lo, err := num(a[1])
			if err != nil {
				return nil, err
			}
			hi, err := num(a[2])
			if err != nil {
				return nil, err
			}
			r, err := pgval.NumericWidthBucket(x, lo, hi, i64(a[3]))
			if err != nil {
				return nil, fail(err)
			}
			return r, nil
		}),
		// numeric_float8 / numeric_float4: the numeric's text read by
		// float8in / float4in (22003 when out of range).
		fn("hd_num_to_float", []string{"VARCHAR", "INTEGER"}, "DOUBLE", func(a []any) (any, error) {
			f, err := pgval.ParseFloat(str(a[0]), int(i64(a[1])))
			if err != nil {
				return nil, fail(err)
			}
			return f, nil
		}),
		fn("hd_float_to_numeric", []string{"DOUBLE", "INTEGER"}, "VARCHAR", func(a []any) (any, error) {
			n, err := pgval.NumericFromFloat(f64(a[0]), int(i64(a[1])))
			if err != nil {
				return nil, fail(err)
			}
			return n.String(), nil
		}),
		// numeric_float8 and numeric_float4 on a numeric's text: float8in and
		// float4in of it, so that values past the float range (1e400,
		// 1e-400) fail with 22003 as they do in PostgreSQL.
		fn("hd_num_to_float8", []string{"VARCHAR"}, "DOUBLE", func(a []any) (any, error) {
			f, err := pgval.ParseFloat(str(a[0]), 64)
			if err != nil {
				return nil, fail(err)
			}
			return f, nil
		}),
		fn("hd_num_to_float4", []string{"VARCHAR"}, "FLOAT", func(a []any) (any, error) {
			f, err := pgval.ParseFloat(str(a[0]), 32)
			if err != nil {
				return nil, fail(err)
			}
			return f, nil
		}),
		fn("hd_width_bucket", []string{"DOUBLE", "DOUBLE", "DOUBLE", "INTEGER"}, "INTEGER", func(a []any) (any, error) {
			r, err := pgval.FloatWidthBucket(f64(a[0]), f64(a[1]), f64(a[2]), i64(a[3]))
			if err != nil {
				return nil, fail(err)
			}
			return r, nil
		}),
		fn("hd_dpow", []string{"DOUBLE", "DOUBLE"}, "DOUBLE", func(a []any) (any, error) {
			r, err := pgval.FloatPow(f64(a[0]), f64(a[1]))
			if err != nil {
				return nil, fail(err)
			}
			return r, nil
		}),
		fn("hd_degrees", []string{"DOUBLE"}, "DOUBLE", func(a []any) (any, error) {
			return f64(a[0]) / radiansPerDegree, nil
		}),
		fn("hd_radians", []string{"DOUBLE"}, "DOUBLE", func(a []any) (any, error) {
			return f64(a[0]) * radiansPerDegree, nil
		}),
	}
}

// radiansPerDegree is float.c's RADIANS_PER_DEGREE.
const radiansPerDegree = 0.0174532925199432957692

func numsOf(v any) ([]pgval.Numeric, error) {
	items, _ := v.([]any)
	out := make([]pgval.Numeric, 0, len(items))
	for _, it := range items {
		if it == nil {
			continue
		}
		n, err := num(it)
		if err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, nil
}

func numList(name string, f func([]pgval.Numeric) (any, error)) engine.ScalarFunc {
	return fn(name, []string{"VARCHAR[]"}, "VARCHAR", func(a []any) (any, error) {
		ns, err := numsOf(a[0])
		if err != nil {
			return nil, err
		}
		return f(ns)
	})
}

// floats of a list, NULLs dropped.
func floatsOf(v any) []float64 {
	items, _ := v.([]any)
	out := make([]float64, 0, len(items))
	for _, it := range items {
		if it != nil {
			out = append(out, f64(it))
		}
	}
	return out
}

func aggFuncs() []engine.ScalarFunc {
	return []engine.ScalarFunc{
		fn("hd_float8_avg", []string{"DOUBLE[]"}, "DOUBLE", func(a []any) (any, error) {
			xs := floatsOf(a[0])
			if len(xs) == 0 {
				return nil, nil
			}
			// float8_accum/float8_avg: the sum over N.
			n, sx, _, err := pgval.FloatAccum(xs)
			if err != nil {
				return nil, fail(err)
			}
			return sx / n, nil
		}),
		// sum(float8) and sum(float4): float8pl / float4pl over the rows
		// in order, with their overflow check.
		fn("hd_float_sum", []string{"DOUBLE[]", "INTEGER"}, "DOUBLE", func(a []any) (any, error) {
			xs := floatsOf(a[0])
			if len(xs) == 0 {
				return nil, nil
			}
			return floatSum(xs, int(i64(a[1])))
		}),
		fn("hd_float8_var", []string{"DOUBLE[]", "VARCHAR"}, "DOUBLE", func(a []any) (any, error) {
			v, ok, err := pgval.FloatVariance(floatsOf(a[0]), str(a[1]))
			if err != nil {
				return nil, fail(err)
			}
			if !ok {
				return nil, nil
			}
			return v, nil
		}),
		{Name: "hd_float8_regr", Args: []string{"DOUBLE[][]", "VARCHAR"}, Returns: "DOUBLE", Row: func(a []any) (any, error) {
			items, _ := a[0].([]any)
			var xs, ys []float64
			for _, it := range items {
				pair, _ := it.([]any)
				if len(pair) != 2 || pair[0] == nil || pair[1] == nil {
					continue
				}
				// regr_*(Y, X): the first argument is the dependent one.
				ys = append(ys, f64(pair[0]))
				xs = append(xs, f64(pair[1]))
			}
			v, ok := pgval.FloatRegression(ys, xs, str(a[1]))
			if !ok {
				return nil, nil
			}
			return v, nil
		}},
	}
}

// sortFloats sorts as PostgreSQL orders float8 (NaN last).
func sortFloats(xs []float64) {
	sort.Slice(xs, func(i, j int) bool {
		a, b := xs[i], xs[j]
		if math.IsNaN(a) {
			return false
		}
		if math.IsNaN(b) {
			return true
		}
		return a < b
	})
}

var _ = strconv.Itoa
var _ = sortFloats

// floatSum adds xs in order as float8pl (bits 64) or float4pl (32) do:
// an infinite sum of finite values is 22003 "value out of range:
// overflow".
func floatSum(xs []float64, bits int) (float64, error) {
	sum := 0.0
	for _, x := range xs {
		prev := sum
		if bits == 32 {
			sum = float64(float32(sum) + float32(x))
		} else {
			sum += x
		}
		if math.IsInf(sum, 0) && !math.IsInf(prev, 0) && !math.IsInf(x, 0) {
			return 0, failf("22003", "value out of range: overflow")
		}
	}
	return sum, nil
}
