package pgval

import "math"

// Float functions whose results PostgreSQL's float.c computes in a
// particular order, which these repeat operation by operation.

// FloatPow is dpow.
func FloatPow(x, y float64) (float64, error) {
	if math.IsNaN(x) {
		if y == 0 {
			return 1, nil
		}
		return qnan(), nil
	}
	if math.IsNaN(y) {
		if x == 1 {
			return 1, nil
		}
		return qnan(), nil
	}
	if x == 0 && y < 0 {
		return 0, errf("2201F", "zero raised to a negative power is undefined")
	}
	if x < 0 && math.Floor(y) != y && !math.IsInf(y, 0) {
		return 0, errf("2201F", "a negative number raised to a non-integer power yields a complex result")
	}
	r := math.Pow(x, y)
	if math.IsInf(r, 0) && !math.IsInf(x, 0) && !math.IsInf(y, 0) {
		return 0, errf("22003", "value out of range: overflow")
	}
	if r == 0 && x != 0 && !math.IsInf(y, 0) && !math.IsInf(x, 0) {
		return 0, errf("22003", "value out of range: underflow")
	}
	return r, nil
}

// FloatWidthBucket is width_bucket_float8.
func FloatWidthBucket(x, lo, hi float64, count int64) (int64, error) {
	if count <= 0 {
		return 0, errf("2201G", "count must be greater than zero")
	}
	if math.IsNaN(x) || math.IsNaN(lo) || math.IsNaN(hi) {
		return 0, errf("2201G", "operand, lower bound, and upper bound cannot be NaN")
	}
	if math.IsInf(lo, 0) || math.IsInf(hi, 0) {
		return 0, errf("2201G", "lower and upper bounds must be finite")
	}
	switch {
	case lo < hi:
		if x < lo {
			return 0, nil
		}
		if x >= hi {
			if count == math.MaxInt32 {
				return 0, errf("22003", "integer out of range")
			}
			return count + 1, nil
		}
		if !math.IsInf(hi-lo, 0) {
			return int64(float64(count)*((x-lo)/(hi-lo))) + 1, nil
		}
		return int64(float64(count)*((x/2-lo/2)/(hi/2-lo/2))) + 1, nil
	case lo > hi:
		if x > lo {
			return 0, nil
		}
		if x <= hi {
			if count == math.MaxInt32 {
				return 0, errf("22003", "integer out of range")
			}
			return count + 1, nil
		}
		if !math.IsInf(lo-hi, 0) {
			return int64(float64(count)*((lo-x)/(lo-hi))) + 1, nil
		}
		return int64(float64(count)*((lo/2-x/2)/(lo/2-hi/2))) + 1, nil
	}
	return 0, errf("2201G", "lower bound cannot equal upper bound")
}

// FloatAccum is float8_accum over xs in order (Youngs-Cramer): N, the
// sum and the sum of squared deviations, with its overflow check
// (finite inputs whose sums become infinite are 22003).
func FloatAccum(xs []float64) (n, sx, sxx float64, err error) {
	for _, x := range xs {
		prevN, prevSx := n, sx
		n++
		sx += x
		if prevN > 0 {
			tmp := x*n - sx
			sxx += tmp * tmp / (n * prevN)
			if math.IsInf(sx, 0) || math.IsInf(sxx, 0) {
				if !math.IsInf(prevSx, 0) && !math.IsInf(x, 0) {
					return 0, 0, 0, errf("22003", "value out of range: overflow")
				}
				sxx = qnan()
			}
		} else if math.IsNaN(x) || math.IsInf(x, 0) {
			sxx = qnan()
		}
	}
	return n, sx, sxx, nil
}

// FloatVariance is float8_accum (Youngs-Cramer) and the var_*/stddev_*
// finals; ok is false for a NULL result.
func FloatVariance(xs []float64, kind string) (float64, bool, error) {
	n, _, sxx, err := FloatAccum(xs)
	if err != nil {
		return 0, false, err
	}
	switch kind {
	case "var_samp", "stddev_samp":
		if n <= 1 {
			return 0, false, nil
		}
		v := sxx / (n - 1)
		if kind == "stddev_samp" {
			v = math.Sqrt(v)
		}
		return v, true, nil
	default:
		if n == 0 {
			return 0, false, nil
		}
		v := sxx / n
		if kind == "stddev_pop" {
			v = math.Sqrt(v)
		}
		return v, true, nil
	}
}

// FloatRegression is float8_regr_accum and the corr/covar/regr finals,
// over pairs (y, x).
func FloatRegression(ys, xs []float64, kind string) (float64, bool) {
	var n, sx, sxx, sy, syy, sxy float64
	for i := range xs {
		x, y := xs[i], ys[i]
		n++
		sx += x
		sy += y
		if n > 1 {
			tmpX := x*n - sx
			tmpY := y*n - sy
			scale := 1.0 / (n * (n - 1))
			sxx += tmpX * tmpX * scale
			syy += tmpY * tmpY * scale
			sxy += tmpX * tmpY * scale
		}
	}
	switch kind {
	case "regr_sxx":
		if n < 1 {
			return 0, false
		}
		return sxx, true
	case "regr_syy":
		if n < 1 {
			return 0, false
		}
		return syy, true
	case "regr_sxy":
		if n < 1 {
			return 0, false
		}
		return sxy, true
	case "regr_avgx":
		if n < 1 {
			return 0, false
		}
		return sx / n, true
	case "regr_avgy":
		if n < 1 {
			return 0, false
		}
		return sy / n, true
	case "covar_pop":
		if n < 1 {
			return 0, false
		}
		return sxy / n, true
	case "covar_samp":
		if n < 2 {
			return 0, false
		}
		return sxy / (n - 1), true
	case "corr":
		if n < 1 || sxx == 0 || syy == 0 {
			return 0, false
		}
		return sxy / math.Sqrt(sxx*syy), true
	case "regr_r2":
		if n < 1 || sxx == 0 {
			return 0, false
		}
		if syy == 0 {
			return 1, true
		}
		return (sxy * sxy) / (sxx * syy), true
	case "regr_slope":
		if n < 1 || sxx == 0 {
			return 0, false
		}
		return sxy / sxx, true
	case "regr_intercept":
		if n < 1 || sxx == 0 {
			return 0, false
		}
		return (sy - sx*sxy/sxx) / n, true
	}
	return 0, false
}
