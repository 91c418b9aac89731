package pgfunc

// The trigonometric functions in degrees (sind, cosd, tand, cotd, asind,
// acosd, atand, atan2d) as PostgreSQL's float.c computes them: in C with
// the C library's sin, cos, asin, acos, atan and atan2 (Go's math
// package rounds differently in the last place), stitched so that 30,
// 45, 60 and 90 degrees give exact values. The C below is float.c's,
// operation by operation; the Go wrappers give its errors.

/*
#cgo LDFLAGS: -lm
#include <math.h>

#define RADIANS_PER_DEGREE 0.0174532925199432957692

static double hd_sin_30, hd_one_minus_cos_60, hd_asin_0_5, hd_acos_0_5, hd_atan_1_0, hd_tan_45, hd_cot_45;
static int hd_degree_consts_set = 0;

// float.c keeps its constants in globals so that the compiler cannot
// fold them; these are read through volatile for the same reason.
static volatile double hd_c_thirty = 30.0, hd_c_forty_five = 45.0, hd_c_sixty = 60.0, hd_c_one_half = 0.5, hd_c_one = 1.0;

static double hd_sind_0_to_30(double x) {
	volatile double sin_x = sin(x * RADIANS_PER_DEGREE);
	return (sin_x / hd_sin_30) / 2.0;
}

static double hd_cosd_0_to_60(double x) {
	volatile double one_minus_cos_x = 1.0 - cos(x * RADIANS_PER_DEGREE);
	return 1.0 - (one_minus_cos_x / hd_one_minus_cos_60) / 2.0;
}

static double hd_sind_q1(double x) {
	if (x <= 30.0)
		return hd_sind_0_to_30(x);
	return hd_cosd_0_to_60(90.0 - x);
}

static double hd_cosd_q1(double x) {
	if (x <= 60.0)
		return hd_cosd_0_to_60(x);
	return hd_sind_0_to_30(90.0 - x);
}

static void hd_init_degree_constants(void) {
	if (hd_degree_consts_set)
		return;
	hd_sin_30 = sin(hd_c_thirty * RADIANS_PER_DEGREE);
	hd_one_minus_cos_60 = 1.0 - cos(hd_c_sixty * RADIANS_PER_DEGREE);
	hd_asin_0_5 = asin(hd_c_one_half);
	hd_acos_0_5 = acos(hd_c_one_half);
	hd_atan_1_0 = atan(hd_c_one);
	hd_tan_45 = hd_sind_q1(hd_c_forty_five) / hd_cosd_q1(hd_c_forty_five);
	hd_cot_45 = hd_cosd_q1(hd_c_forty_five) / hd_sind_q1(hd_c_forty_five);
	hd_degree_consts_set = 1;
}

static double hd_asind_q1(double x) {
	if (x <= 0.5) {
		volatile double asin_x = asin(x);
		return (asin_x / hd_asin_0_5) * 30.0;
	}
	volatile double acos_x = acos(x);
	return 90.0 - (acos_x / hd_acos_0_5) * 60.0;
}

static double hd_acosd_q1(double x) {
	if (x <= 0.5) {
		volatile double asin_x = asin(x);
		return 90.0 - (asin_x / hd_asin_0_5) * 30.0;
	}
	volatile double acos_x = acos(x);
	return (acos_x / hd_acos_0_5) * 60.0;
}

// Callers pass finite x in [-1, 1] (asind, acosd) or finite x (sind…).
static double hd_asind(double x) {
	hd_init_degree_constants();
	return x >= 0.0 ? hd_asind_q1(x) : -hd_asind_q1(-x);
}

static double hd_acosd(double x) {
	hd_init_degree_constants();
	return x >= 0.0 ? hd_acosd_q1(x) : 90.0 + hd_asind_q1(-x);
}

static double hd_atand(double x) {
	hd_init_degree_constants();
	volatile double atan_x = atan(x);
	return (atan_x / hd_atan_1_0) * 45.0;
}

static double hd_atan2d(double y, double x) {
	hd_init_degree_constants();
	volatile double atan2_y_x = atan2(y, x);
	return (atan2_y_x / hd_atan_1_0) * 45.0;
}

static double hd_sind(double x) {
	int sign = 1;
	hd_init_degree_constants();
	x = fmod(x, 360.0);
	if (x < 0.0) { x = -x; sign = -sign; }
	if (x > 180.0) { x = 360.0 - x; sign = -sign; }
	if (x > 90.0) x = 180.0 - x;
	return sign * hd_sind_q1(x);
}

static double hd_cosd(double x) {
	int sign = 1;
	hd_init_degree_constants();
	x = fmod(x, 360.0);
	if (x < 0.0) x = -x;
	if (x > 180.0) x = 360.0 - x;
	if (x > 90.0) { x = 180.0 - x; sign = -sign; }
	return sign * hd_cosd_q1(x);
}

static double hd_tand(double x) {
	int sign = 1;
	volatile double tan_x;
	double result;
	hd_init_degree_constants();
	x = fmod(x, 360.0);
	if (x < 0.0) { x = -x; sign = -sign; }
	if (x > 180.0) { x = 360.0 - x; sign = -sign; }
	if (x > 90.0) { x = 180.0 - x; sign = -sign; }
	tan_x = hd_sind_q1(x) / hd_cosd_q1(x);
	result = sign * (tan_x / hd_tan_45);
	if (result == 0.0)
		result = 0.0; // no minus zero
	return result;
}

static double hd_cotd(double x) {
	int sign = 1;
	volatile double cot_x;
	double result;
	hd_init_degree_constants();
	x = fmod(x, 360.0);
	if (x < 0.0) { x = -x; sign = -sign; }
	if (x > 180.0) { x = 360.0 - x; sign = -sign; }
	if (x > 90.0) { x = 180.0 - x; sign = -sign; }
	cot_x = hd_cosd_q1(x) / hd_sind_q1(x);
	result = sign * (cot_x / hd_cot_45);
	if (result == 0.0)
		result = 0.0; // no minus zero
	return result;
}
*/
import "C"

import (
	"math"

	"github.com/hotdata-dev/hotdata/engine"
)

// The constants are set once, before any call (float.c sets them on
// the first call of a backend, which is single-threaded).
func init() { C.hd_init_degree_constants() }

func degreeFuncs() []engine.ScalarFunc {
	// periodic: sind, cosd, tand and cotd refuse infinities; sind and
	// cosd check their result for overflow, tand and cotd do not
	// (tand(90) is Infinity).
	periodic := func(name string, f func(C.double) C.double, checkInf bool) engine.ScalarFunc {
		return fn(name, []string{"DOUBLE"}, "DOUBLE", func(a []any) (any, error) {
			x := f64(a[0])
			if math.IsNaN(x) {
				return pgNaN, nil
			}
			if math.IsInf(x, 0) {
				return nil, failf("22003", "input is out of range")
			}
			return degreeResult(float64(f(C.double(x))), checkInf)
		})
	}
	inverse := func(name string, f func(C.double) C.double, bounded bool) engine.ScalarFunc {
		return fn(name, []string{"DOUBLE"}, "DOUBLE", func(a []any) (any, error) {
			x := f64(a[0])
			if math.IsNaN(x) {
				return pgNaN, nil
			}
			if bounded && (x < -1 || x > 1) {
				return nil, failf("22003", "input is out of range")
			}
			return degreeResult(float64(f(C.double(x))), true)
		})
	}
	return []engine.ScalarFunc{
		periodic("hd_sind", func(x C.double) C.double { return C.hd_sind(x) }, true),
		periodic("hd_cosd", func(x C.double) C.double { return C.hd_cosd(x) }, true),
		periodic("hd_tand", func(x C.double) C.double { return C.hd_tand(x) }, false),
		periodic("hd_cotd", func(x C.double) C.double { return C.hd_cotd(x) }, false),
		inverse("hd_asind", func(x C.double) C.double { return C.hd_asind(x) }, true),
		inverse("hd_acosd", func(x C.double) C.double { return C.hd_acosd(x) }, true),
		inverse("hd_atand", func(x C.double) C.double { return C.hd_atand(x) }, false),
		fn("hd_atan2d", []string{"DOUBLE", "DOUBLE"}, "DOUBLE", func(a []any) (any, error) {
			y, x := f64(a[0]), f64(a[1])
			if math.IsNaN(y) || math.IsNaN(x) {
				return pgNaN, nil
			}
			return degreeResult(float64(C.hd_atan2d(C.double(y), C.double(x))), true)
		}),
	}
}

// pgNaN is get_float8_nan's NaN (math.NaN has another bit pattern,
// which a binary result shows).
var pgNaN = math.Float64frombits(0x7ff8000000000000)

// degreeResult is float_overflow_error for an infinite result.
func degreeResult(r float64, checkInf bool) (any, error) {
	if checkInf && math.IsInf(r, 0) {
		return nil, failf("22003", "value out of range: overflow")
	}
	return r, nil
}
