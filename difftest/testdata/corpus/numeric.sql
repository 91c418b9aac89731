-- Numbers: integer overflow, division, mixed-type arithmetic and its
-- result types, rounding, numeric scales, math functions, casts, NaN and
-- infinities, money.

-- name: int4_overflow_add
-- error: 22003
SELECT 2147483647 + 1;
-- name: int4_overflow_mul
-- error: 22003
SELECT 65536 * 32768;
-- name: int8_promotes_literal
SELECT 2147483648 + 1, pg_typeof(2147483648 + 1);
-- name: int8_overflow_add
-- error: 22003
SELECT 9223372036854775807 + 1;
-- name: int8_overflow_sub
-- error: 22003
SELECT (-9223372036854775807)::int8 - 2;
-- name: int2_overflow_add
-- error: 22003
SELECT 32767::int2 + 1::int2;
-- name: int2_plus_int4_no_overflow
SELECT 32767::int2 + 1, pg_typeof(32767::int2 + 1);
-- name: int4_min_literal_is_int8
SELECT -2147483648, pg_typeof(-2147483648);
-- name: int4_min_cast_precedence
-- error: 22003
SELECT -2147483648::int4;
-- name: int4_min_times_minus_one
-- error: 22003
SELECT (-2147483648)::int4 * -1;
-- name: int4_min_div_minus_one
-- error: 22003
SELECT (-2147483648)::int4 / -1;
-- name: int8_min_div_minus_one
-- error: 22003
SELECT (-9223372036854775808)::int8 / -1;
-- name: int4_min_mod_minus_one
SELECT (-2147483648)::int4 % -1, (-9223372036854775808)::int8 % -1;
-- name: int_column_overflow
-- error: 22003
SELECT i4 + 1 FROM numbers WHERE id = 4;
-- name: int2_column_overflow
-- error: 22003
SELECT i2 + i2 FROM numbers WHERE id = 4;
-- name: int2_times_literal
SELECT id, i2 * 2 AS doubled, pg_typeof(i2 * 2) FROM numbers ORDER BY id;
-- name: int4_column_widened
SELECT id, i4::int8 + 1 AS next FROM numbers ORDER BY id;
-- name: int8_negate_min
-- error: 22003
SELECT -i8 FROM numbers WHERE id = 5;
-- name: int_sum_of_types
SELECT id, i2 + i4 + i8 AS s, pg_typeof(i2 + i4 + i8) FROM numbers WHERE id NOT IN (4, 5) ORDER BY id;
-- name: int_mixed_columns
SELECT id, i2 - i4, i4 * i2, i8 - i2 FROM numbers WHERE id NOT IN (4, 5, 11) ORDER BY id;
-- name: int_mixed_columns_overflow
-- error: 22003
SELECT i4 * i2 FROM numbers WHERE id = 11;
-- name: abs_int4_min
-- error: 22003
SELECT abs((-2147483648)::int4);
-- name: abs_int_columns
SELECT id, abs(i2), abs(i4), abs(i8) FROM numbers WHERE id <> 5 ORDER BY id;
-- name: unary_ops
SELECT -(-5), +5, @ -5, @ -5.5, - 0.0;

-- name: int_division_signs
SELECT 7 / 2, -7 / 2, 7 / -2, -7 / -2, 1 / 3, -1 / 3;
-- name: int_mod_signs
SELECT 7 % 3, -7 % 3, 7 % -3, -7 % -3, 0 % 5;
-- name: int_division_columns
SELECT id, i4 / 2, i4 % 2, i8 / 3, i8 % 3 FROM numbers WHERE i4 IS NOT NULL ORDER BY id;
-- name: int2_division
SELECT 7::int2 / 2::int2, pg_typeof(7::int2 / 2::int2), (-7)::int2 % 3::int2;
-- name: numeric_division_literals
SELECT 7.0 / 2, 7 / 2.0, 1 / 3.0, 2 / 3::numeric;
-- name: numeric_division_scale
SELECT 1::numeric / 3, 10::numeric / 4, 22::numeric / 7, 1::numeric / 7;
-- name: numeric_division_small
SELECT 1::numeric / 3000000, 0.000001::numeric / 3, 1 / 7::numeric(10,2);
-- name: numeric_division_large
SELECT 123456789012345678901234567890::numeric / 7, 10::numeric ^ 20 / 3;
-- name: div_by_zero_int
-- error: 22012
SELECT 1 / 0;
-- name: div_by_zero_int8
-- error: 22012
SELECT 1::int8 / 0::int8;
-- name: div_by_zero_int2
-- error: 22012
SELECT 1::int2 / 0::int2;
-- name: div_by_zero_numeric
-- error: 22012
SELECT 1.0 / 0;
-- name: div_by_zero_float
-- error: 22012
SELECT 1::float8 / 0;
-- name: div_by_zero_float4
-- error: 22012
SELECT 1::float4 / 0::float4;
-- name: zero_div_zero_float
-- error: 22012
SELECT 0::float8 / 0;
-- name: nan_div_zero_float
SELECT 'NaN'::float8 / 0;
-- name: nan_div_zero_numeric
SELECT 'NaN'::numeric / 0;
-- name: mod_by_zero
-- error: 22012
SELECT 5 % 0;
-- name: mod_func_by_zero
-- error: 22012
SELECT mod(5, 0);
-- name: mod_numeric_by_zero
-- error: 22012
SELECT mod(5.5, 0);
-- name: div_by_zero_column
-- error: 22012
SELECT i4 / 0 FROM numbers;
-- name: div_by_zero_in_data
-- error: 22012
SELECT i4 / i2 FROM numbers WHERE id IN (1, 2);
-- name: div_nullif_guard
SELECT id, i4 / NULLIF(i2, 0) AS q FROM numbers ORDER BY id;
-- name: div_nullif_numeric
SELECT id, round(n / NULLIF(nu, 0), 6) AS q FROM numbers WHERE id NOT IN (7, 8, 9) ORDER BY id;
-- name: div_by_zero_where_filtered
SELECT id, 100 / i2 FROM numbers WHERE i2 <> 0 ORDER BY id;
-- name: div_by_zero_case_guard
SELECT id, CASE WHEN i2 = 0 THEN NULL ELSE i4 / i2 END FROM numbers ORDER BY id;

-- name: mixed_int_numeric
SELECT 1 + 1.5, pg_typeof(1 + 1.5), 2 * 0.5, pg_typeof(2 * 0.5);
-- name: mixed_int_float
SELECT 1 + 1.5::float8, pg_typeof(1 + 1.5::float8), 3 * 0.5::float4, pg_typeof(3 * 0.5::float4);
-- name: mixed_numeric_float
SELECT 1.5 + 1.5::float8, pg_typeof(1.5 + 1.5::float8);
-- name: mixed_int2_int8
SELECT 1::int2 + 1::int8, pg_typeof(1::int2 + 1::int8), pg_typeof(1::int2 * 1::int2);
-- name: classic_float_sum
SELECT 0.1 + 0.2, 0.1::float8 + 0.2::float8, 0.1::float4 + 0.2::float4;
-- name: float4_times_int
SELECT id, f4 * 2 AS x, pg_typeof(f4 * 2) FROM numbers WHERE id IN (2, 3, 12, 14) ORDER BY id;
-- name: float4_plus_float8
SELECT id, f4 + f8 AS x FROM numbers WHERE id IN (1, 2, 3, 12, 14, 15) ORDER BY id;
-- name: numeric_plus_unconstrained
SELECT id, n + nu AS s, n - nu AS d FROM numbers WHERE id NOT IN (5, 8, 9) ORDER BY id;
-- name: numeric_times_scales
SELECT id, n * nu AS p, pg_typeof(n * nu) FROM numbers WHERE id IN (1, 2, 3, 6, 12, 14, 16) ORDER BY id;
-- name: numeric_times_int
SELECT id, n * 2, nu * 3, n0 * 10 FROM numbers WHERE id NOT IN (7, 8, 9, 13) ORDER BY id;
-- name: numeric_div_int
SELECT id, n / 3 AS q FROM numbers WHERE id IN (1, 2, 3, 6, 12, 14, 16) ORDER BY id;
-- name: unconstrained_div
SELECT id, nu / 7 AS q FROM numbers WHERE id IN (1, 2, 3, 6, 12, 14, 16) ORDER BY id;
-- name: numeric_plus_float_column
SELECT id, n + f8 AS x, pg_typeof(n + f8) FROM numbers WHERE id IN (1, 2, 3, 14) ORDER BY id;
-- name: int_plus_numeric_column
SELECT id, i4 + n AS x FROM numbers WHERE id IN (1, 2, 3, 14, 16) ORDER BY id;
-- name: wide_numeric_math
SELECT id, nb * 2 AS d, nb + 0.5 AS h FROM numbers WHERE id IN (1, 2, 3, 6, 11, 16, 17) ORDER BY id;
-- name: wide_numeric_max
SELECT nb, nb + nb FROM numbers WHERE id IN (4, 5) ORDER BY id;
-- name: numeric_literal_scales
SELECT 1.10 + 2.205, 1.10 * 2.205, 10.5 - 0.25, 1.5 * 1.5, 2.00 / 1, 0.1 * 3;
-- name: numeric_trailing_zeros
SELECT 1.000, 1.000 + 0, 1.000 * 1, 0.0, 100.00 - 100;
-- name: numeric_scale_function
SELECT scale(1.000), scale(0.000001), scale(123), scale(1.5 * 1.25);
-- name: numeric_scale_column
SELECT id, scale(nu), scale(n) FROM numbers WHERE id NOT IN (8, 9) ORDER BY id;
-- name: min_scale_trim_scale
SELECT min_scale(1.5000), trim_scale(1.5000), trim_scale(100.00), trim_scale(0.00);
-- name: unconstrained_text_output
SELECT id, label, nu FROM numbers ORDER BY id;
-- name: constrained_text_output
SELECT id, n, n0, nb FROM numbers ORDER BY id;

-- name: round_half_numeric
SELECT round(2.5), round(3.5), round(-2.5), round(0.5), round(-0.5);
-- name: round_half_float
SELECT round(2.5::float8), round(3.5::float8), round(-2.5::float8), round(0.5::float8), round(-0.5::float8);
-- name: round_places
SELECT round(1234.5678, 2), round(1234.5678, 0), round(1234.5678, 6), round(0.000123, 4);
-- name: round_negative_places
SELECT round(1234.5678, -2), round(-1234.5678, -1), round(1250, -2), round(1350, -2), round(49, -2);
-- name: trunc_places
SELECT trunc(1234.5678, 2), trunc(-1234.5678, -2), trunc(1234.5678), trunc(-0.9), trunc(1234.5678, 6);
-- name: trunc_float
SELECT trunc(2.75::float8), trunc(-2.75::float8), pg_typeof(trunc(2.75::float8));
-- name: round_columns
SELECT id, round(n, 1), round(nu, 3), round(n0, -2) FROM numbers WHERE id NOT IN (4, 5, 8, 9) ORDER BY id;
-- name: round_float_columns
SELECT id, round(f8) AS r, round(f4) AS r4 FROM numbers ORDER BY id;
-- name: round_float_to_numeric
SELECT id, round(f8::numeric, 2) AS r FROM numbers WHERE id NOT IN (4, 5) ORDER BY id;
-- name: round_overflow_precision
-- error: 22003
SELECT round(9999.99::numeric(6,2), 1)::numeric(5,1);
-- name: ceil_floor_numeric
SELECT ceil(-0.5), ceil(0.5), floor(-0.5), floor(0.5), ceiling(1.1), ceil(-1.0);
-- name: ceil_floor_float
SELECT ceil(-0.5::float8), ceil(0.5::float8), floor(-0.5::float8), floor(0.5::float8);
-- name: ceil_floor_columns
SELECT id, ceil(n), floor(n), ceil(f8), floor(f4) FROM numbers ORDER BY id;
-- name: sign_values
SELECT sign(-3.5), sign(0), sign(0.0), sign(-0.0::float8), sign(7::float8), pg_typeof(sign(1));
-- name: sign_columns
SELECT id, sign(i4), sign(n), sign(f8), sign(nu) FROM numbers ORDER BY id;
-- name: abs_numeric_float
SELECT id, abs(n), abs(f8), abs(nu), abs(f4) FROM numbers ORDER BY id;

-- name: power_basic
SELECT power(2, 10), power(2.0, 10), power(2, 0.5), pg_typeof(power(2, 10)), pg_typeof(power(2.0, 10));
-- name: power_operator
SELECT 2 ^ 10, 2.0 ^ 10, pg_typeof(2 ^ 10), pg_typeof(2.0 ^ 10), 2 ^ 3 ^ 2;
-- name: power_numeric_scales
SELECT power(10::numeric, 30), power(2::numeric, -3), power(1.5, 3), power(4::numeric, 0.5);
-- name: power_zero
SELECT power(0, 0), power(0::numeric, 0), power(0.0, 2);
-- name: power_negative_fraction
-- error: 2201F
SELECT power(-8, 1.0 / 3);
-- name: power_negative_fraction_float
-- error: 2201F
SELECT power(-8::float8, 0.5::float8);
-- name: power_zero_negative
-- error: 2201F
SELECT power(0::float8, -1);
-- name: power_zero_negative_numeric
-- error: 2201F
SELECT power(0::numeric, -1);
-- name: power_overflow_float
-- error: 22003
SELECT power(10::float8, 400);
-- name: power_negative_integer
SELECT power(-2, 3), power(-2.0, 3), power(-8::float8, 3);
-- name: sqrt_values
SELECT sqrt(2), sqrt(2::numeric), sqrt(16), sqrt(16::numeric), sqrt(0.0001), |/ 25.0;
-- name: sqrt_negative
-- error: 2201F
SELECT sqrt(-1);
-- name: sqrt_negative_numeric
-- error: 2201F
SELECT sqrt(-1::numeric);
-- name: cbrt_values
SELECT cbrt(27), cbrt(-8), ||/ 64.0, cbrt(2);
-- name: exp_values
SELECT exp(1), exp(1::numeric), exp(0), exp(-1::numeric), exp(2.5::numeric);
-- name: exp_overflow
-- error: 22003
SELECT exp(1000);
-- name: exp_large_numeric
SELECT exp(100::numeric);
-- name: ln_values
SELECT ln(10), ln(10::numeric), ln(1), ln(2.718281828459045::numeric), ln(0.5);
-- name: ln_zero
-- error: 2201E
SELECT ln(0);
-- name: ln_negative_numeric
-- error: 2201E
SELECT ln(-1::numeric);
-- name: log_values
SELECT log(100), log(100::numeric), log(2, 8), log(2.0, 1024), log10(1000), log(0.001);
-- name: log_zero
-- error: 2201E
SELECT log(0);
-- name: log_base_one
-- error: 22012
SELECT log(1, 10);
-- name: math_on_columns
SELECT id, sqrt(abs(f8)) AS s, ln(nullif(abs(f4), 0)) AS l FROM numbers WHERE id IN (2, 3, 12, 14, 16, 17) ORDER BY id;
-- name: numeric_sqrt_column
SELECT id, sqrt(abs(n)) FROM numbers WHERE id IN (1, 2, 3, 6, 12, 14, 16, 17) ORDER BY id;
-- name: trig_values
SELECT pi(), degrees(pi()), radians(180), sin(0), cos(0), tan(0), atan2(1, 1), asin(1);
-- name: trig_degrees_variants
SELECT sind(30), cosd(60), tand(45), asind(0.5), acosd(0.5), atand(1);
-- name: trig_degrees_series
SELECT x, sind(x), cosd(x), tand(x), cotd(x) FROM generate_series(-765, 765, 15) x ORDER BY x;
-- name: trig_degrees_odd_angles
SELECT x, sind(x), cosd(x), tand(x), cotd(x) FROM unnest(ARRAY[0.1, 1, 7.5, 29.9, 30.1, 44.9, 59.99, 60.01, 89.999, 123.456, -1000.5, 1e10, 1e300]::float8[]) x ORDER BY x;
-- name: trig_degrees_inverse_series
SELECT x, asind(x), acosd(x), atand(x), atan2d(x, 1), atan2d(1, x), atan2d(x, -0.5) FROM generate_series(-1, 1, 0.125) x ORDER BY x;
-- name: trig_degrees_inverse_odd
SELECT asind(0.3), acosd(0.7), atand(1e300), atand('-Infinity'), atan2d(0, -1), atan2d(-0.0::float8, -1), atan2d('Infinity', 'Infinity'), atand(-0.0::float8), sind(-0.0::float8), cosd('NaN'), atan2d('NaN', 1);
-- name: trig_degrees_columns
SELECT id, sind(f8), cosd(f4), atand(f8), atan2d(f8, f4) FROM numbers WHERE id NOT IN (8, 9) ORDER BY id;
-- name: trig_degrees_infinite_input
-- error: 22003
SELECT sind('Infinity'::float8);
-- name: trig_degrees_asind_out_of_range
-- error: 22003
SELECT asind(1.5);
-- name: trig_degrees_types
SELECT pg_typeof(sind(1)), pg_typeof(atan2d(1, 2)), cotd(0), tand(90), tand(-90), cotd(180);
-- name: trig_out_of_range
-- error: 22003
SELECT asin(2);
-- name: factorial_values
SELECT factorial(5), factorial(0), factorial(20), pg_typeof(factorial(5));
-- name: factorial_negative
-- error: 22003
SELECT factorial(-1);

-- name: mod_variants
SELECT mod(-7, 3), mod(7.5, 2), mod(-7.5, 2), mod(10, 3.3), mod(7::int8, -3::int8), pg_typeof(mod(7.5, 2));
-- name: mod_columns
SELECT id, mod(i4, 5), mod(i8, 7), mod(n, 2) FROM numbers WHERE i4 IS NOT NULL ORDER BY id;
-- name: float_mod_operator_missing
-- error: 42883
SELECT 7.5::float8 % 2;
-- name: gcd_lcm
SELECT gcd(12, 18), gcd(-12, 18), gcd(0, 0), lcm(4, 6), lcm(0, 5), lcm(-4, 6);
-- name: gcd_lcm_numeric
SELECT gcd(1.5, 0.25), lcm(1.5, 0.25), gcd(12::int8, 8), pg_typeof(gcd(12::int8, 8));
-- name: gcd_lcm_numeric_values
SELECT gcd(0.0, 0), lcm(0.0, 5.00), gcd(-12.0, 8), lcm(-1.5, 2), gcd('NaN'::numeric, 1), lcm('Infinity'::numeric, 1), gcd(0::numeric, 0::numeric), pg_typeof(lcm(1.5, 2));
-- name: gcd_lcm_numeric_columns
SELECT id, gcd(n, nu), lcm(n, 0.5), gcd(nb, 2.5) FROM numbers WHERE id NOT IN (4, 5, 11) ORDER BY id;
-- name: lcm_overflow
-- error: 22003
SELECT lcm(2147483647, 2147483646);
-- name: gcd_min_overflow
-- error: 22003
SELECT gcd((-2147483648)::int4, 0);
-- name: gcd_columns
SELECT id, gcd(i4, 12), lcm(i2, 4) FROM numbers WHERE id IN (1, 2, 3, 12, 14, 15, 16, 17) ORDER BY id;

-- name: width_bucket_basic
SELECT width_bucket(5.35, 0.024, 10.06, 5), width_bucket(-1, 0, 10, 5), width_bucket(10, 0, 10, 5), width_bucket(0, 0, 10, 5);
-- name: width_bucket_descending
SELECT width_bucket(5, 10, 0, 5), width_bucket(10, 10, 0, 5), width_bucket(-3, 10, 0, 5);
-- name: width_bucket_float
SELECT width_bucket(2.5::float8, 0, 10, 4), width_bucket(9.99::float8, 0, 10, 4), width_bucket(-1e300::float8, 0, 10, 4);
-- name: width_bucket_nan
-- error: 2201G
SELECT width_bucket('NaN'::float8, 0, 10, 4);
-- name: width_bucket_array
SELECT width_bucket(5, ARRAY[1, 3, 7]), width_bucket(0, ARRAY[1, 3, 7]), width_bucket(7, ARRAY[1, 3, 7]), width_bucket(2.5, ARRAY[1.0, 2.0, 3.0]);
-- name: width_bucket_equal_bounds
-- error: 2201G
SELECT width_bucket(1, 1, 1, 5);
-- name: width_bucket_zero_count
-- error: 2201G
SELECT width_bucket(1, 0, 10, 0);
-- name: width_bucket_histogram
SELECT width_bucket(x, 0, 500, 10) AS bucket, count(*) FROM series GROUP BY 1 ORDER BY 1;
-- name: width_bucket_numeric_histogram
SELECT width_bucket(n, 0, 625, 5) AS bucket, count(*), min(n), max(n) FROM series GROUP BY 1 ORDER BY 1;

-- name: numeric_to_int_rounding
SELECT 3.7::int, (-3.5)::int, 2.5::int, 3.5::int, (-2.5)::int, 0.5::int, (-0.5)::int;
-- name: float_to_int_rounding
SELECT 2.5::float8::int, 3.5::float8::int, (-2.5)::float8::int, 0.5::float8::int, 1.5::float4::int2;
-- name: numeric_to_int8_rounding
SELECT 2.5::int8, (-2.5)::int8, 2.5::int2, 9223372036854775807.4::int8;
-- name: numeric_to_int_overflow
-- error: 22003
SELECT 1e10::int;
-- name: float_to_int_overflow
-- error: 22003
SELECT 1e10::float8::int4;
-- name: nan_float_to_int
-- error: 22003
SELECT 'NaN'::float8::int;
-- name: nan_numeric_to_int
-- error: 0A000
SELECT 'NaN'::numeric::int;
-- name: infinity_numeric_to_int
-- error: 0A000
SELECT 'Infinity'::numeric::int8;
-- name: infinity_float_to_numeric
SELECT 'Infinity'::float8::numeric, '-Infinity'::float4::numeric, 'NaN'::float8::numeric;
-- name: float4_to_numeric
SELECT 1.5::float4::numeric, 0.1::float4::numeric, 0.1::float4::float8, 0.1::float8::float4;
-- name: float4_overflow
-- error: 22003
SELECT 1e39::float4;
-- name: float4_underflow
-- error: 22003
SELECT 1e-46::float4;
-- name: float8_overflow_literal
-- error: 22003
SELECT 1e309::float8;
-- name: float8_overflow_mul
-- error: 22003
SELECT 1e300::float8 * 1e10::float8;
-- name: float8_underflow_mul
-- error: 22003
SELECT 1e-300::float8 * 1e-300::float8;
-- name: numeric_typmod_round
SELECT 123.456::numeric(5,2), 0.005::numeric(3,2), (-0.005)::numeric(3,2), 0.004::numeric(3,2);
-- name: numeric_typmod_overflow
-- error: 22003
SELECT 123.456::numeric(4,2);
-- name: numeric_negative_scale
SELECT 12345::numeric(5,-2), 12355::numeric(6,-1), 0.5::numeric(2,-1);
-- name: numeric_scale_over_precision
SELECT 0.00123::numeric(3,5), 0.000001::numeric(2,5);
-- name: numeric_scale_over_precision_overflow
-- error: 22003
SELECT 1.23::numeric(3,5);
-- name: float_to_numeric_columns
SELECT id, f8::numeric, f4::numeric FROM numbers ORDER BY id;
-- name: int8_to_float
SELECT id, i8::float4, i8::float8 FROM numbers ORDER BY id;
-- name: unconstrained_to_float
SELECT id, nu::float8, nu::float4 FROM numbers WHERE id NOT IN (4, 5, 11) ORDER BY id;
-- name: unconstrained_to_float_huge
SELECT nu::float8 FROM numbers WHERE id = 11;
-- name: unconstrained_to_int8
SELECT id, nu::int8 FROM numbers WHERE id NOT IN (7, 8, 9, 11) ORDER BY id;
-- name: numeric_to_int2_overflow
-- error: 22003
SELECT n0::int2 FROM numbers WHERE id = 4;
-- name: numeric_to_int8_max
SELECT 9223372036854775807::numeric + 1;
-- name: numeric_to_int8_overflow
-- error: 22003
SELECT (9223372036854775807::numeric + 1)::int8;
-- name: int_to_numeric_typmod
SELECT 42::numeric(5,2), 42::numeric(5,2)::text, (-7)::numeric(4,1);
-- name: text_to_number_casts
SELECT '12.5'::numeric, ' 12 '::int, '1e3'::float8, '-0'::numeric, '+5'::int2, '  1.50  '::numeric;
-- name: text_hex_int_invalid
-- error: 22P02 until 16
SELECT '0x1A'::int;
-- name: text_underscore_int_invalid
-- error: 22P02 until 16
SELECT '1_000'::int;
-- name: text_int_out_of_range
-- error: 22003
SELECT '2147483648'::int4;
-- name: text_float_special
SELECT 'inf'::float8, '-inf'::float8, 'iNf'::float4, 'nan'::float8, 'infinity'::numeric, '-Infinity'::numeric;
-- name: text_numeric_exponent
SELECT '1e-3'::numeric, '1.5E+3'::numeric, '1e20'::numeric, '0.00012e2'::numeric;

-- name: nan_equality
SELECT 'NaN'::numeric = 'NaN'::numeric, 'NaN'::float8 = 'NaN'::float8, 'NaN'::float8 > 'Infinity'::float8, 'NaN'::numeric > 'Infinity'::numeric;
-- name: nan_greatest_least
SELECT greatest(1, 'NaN'::float8), least(1, 'NaN'::float8), greatest(1.5, 'NaN'::numeric);
-- name: infinity_arithmetic
SELECT 'Infinity'::float8 - 'Infinity'::float8, 'Infinity'::float8 + 1, 0 * 'Infinity'::float8, -'Infinity'::float8;
-- name: infinity_numeric_arithmetic
SELECT 'Infinity'::numeric - 'Infinity'::numeric, 'Infinity'::numeric + 1, 'Infinity'::numeric * -2, 1 / 'Infinity'::numeric;
-- name: infinity_times_zero_numeric
SELECT 0 * 'Infinity'::numeric, 'NaN'::numeric * 0;
-- name: negative_zero
SELECT -0.0::float8, 0.0::float8 * -1, '-0'::float8 = 0, '-0'::float8::text, (-0.0)::numeric;
-- name: negative_zero_rows
SELECT id, f8, f4 FROM numbers WHERE f8 = 0 ORDER BY id;
-- name: float_order_with_nan
SELECT id, f8 FROM numbers ORDER BY f8, id;
-- name: float_order_desc_with_nan
SELECT id, f4 FROM numbers ORDER BY f4 DESC NULLS LAST, id;
-- name: numeric_order_with_nan
SELECT id, nu FROM numbers ORDER BY nu, id;
-- name: nan_min_max
SELECT min(f8), max(f8), min(nu), max(nu), max(n) FROM numbers;
-- name: nan_filters
SELECT id FROM numbers WHERE f8 > 1e100 ORDER BY id;
-- name: nan_count_distinct
SELECT count(DISTINCT f8), count(DISTINCT nu), count(DISTINCT n) FROM numbers;
-- name: float_is_nan_comparisons
SELECT id, f8 = 'NaN', f8 = 'Infinity', f8 < 0 FROM numbers ORDER BY id;

-- name: float8_output_forms
SELECT 1e15::float8, 1e16::float8, 123456789012345678::float8, 1e-5::float8, 0.0001::float8, 1.0::float8;
-- name: float4_output_forms
SELECT 0.1::float4, 1::float4 / 3, 100000000::float4, 1e-5::float4, 16777217::float4, 3.4028235e38::float4;
-- name: float_columns_output
SELECT id, f4, f8 FROM numbers ORDER BY id;
-- name: float_arith_columns
SELECT id, f8 * 3, f8 / 3, f4 / 3 FROM numbers WHERE id NOT IN (4, 5, 6) ORDER BY id;
-- name: float_div_underflow
-- error: 22003
SELECT f8 / 3 FROM numbers WHERE id = 6;
-- setup: SET extra_float_digits = 0
-- name: efd0_literals
SELECT 0.1::float8 + 0.2::float8, 1::float8 / 3, 0.1::float4, 1::float4 / 3, 1e16::float8;
-- name: efd0_columns
SELECT id, f4, f8, f8 / 7 FROM numbers WHERE id <> 6 ORDER BY id;
-- name: efd0_sqrt
SELECT sqrt(2), exp(1), pi(), ln(10);
-- setup: SET extra_float_digits = 3
-- name: efd3_literals
SELECT 0.1::float8 + 0.2::float8, 1::float8 / 3, 0.1::float4, 1::float4 / 3;
-- name: efd3_columns
SELECT id, f4, f8 FROM numbers WHERE id IN (2, 3, 12, 14) ORDER BY id;
-- setup: SET extra_float_digits = -5
-- name: efd_negative
SELECT 1::float8 / 3, pi(), 0.1::float4, 123456.789::float8;
-- setup: reset

-- name: money_literals
SELECT '12.34'::money, '-1'::money, '1234567.891'::money, 12.345::money;
-- name: money_arithmetic
SELECT '12.34'::money * 2, '12.34'::money / 2, '10'::money + '0.01'::money, '10'::money - '20'::money;
-- name: money_division_ratio
SELECT '10'::money / '4'::money, pg_typeof('10'::money / '4'::money);
-- name: money_sum
SELECT sum(total::money) FROM orders WHERE id <= 10;
-- name: money_to_numeric
SELECT '12.34'::money::numeric, 12.34::numeric::money, pg_typeof('12.34'::money::numeric);
-- name: money_cast_column
SELECT id, total::money FROM orders WHERE id <= 5 ORDER BY id;
-- name: money_overflow
-- error: 22003
SELECT '92233720368547758.08'::money;

-- name: int_comparisons_cross_type
SELECT 1::int2 = 1::int8, 2::int4 < 2.5, 3 = 3.0, 3 = 3.0::float8, 0.1::float4 = 0.1::float8;
-- name: numeric_equality_scales
SELECT 1.0 = 1.00, 1.5::numeric(5,1) = 1.50::numeric(5,2), 'NaN'::numeric <> 1;
-- name: numeric_distinct_scales
SELECT DISTINCT x FROM (VALUES (1.0), (1.00), (1.000)) v(x);
-- name: numeric_group_scales
SELECT x, count(*) FROM (VALUES (1.0), (1.00), (2.5), (2.50)) v(x) GROUP BY x ORDER BY x;
-- name: between_numbers
SELECT id FROM numbers WHERE i4 BETWEEN -7 AND 15 ORDER BY id;
-- name: between_symmetric
SELECT id FROM numbers WHERE n BETWEEN SYMMETRIC 10 AND -2 ORDER BY id;
-- name: numeric_in_list
SELECT id FROM numbers WHERE nu IN (1.5, 999999, 0.000001, 4500000) ORDER BY id;
-- name: float_in_list
SELECT id FROM numbers WHERE f8 IN (2.5, 'Infinity', 0.5) ORDER BY id;
-- name: bit_ops_int
SELECT 12 & 10, 12 | 10, 12 # 10, ~12, 1 << 4, 256 >> 2, (-8) >> 1;
-- name: bit_ops_columns
SELECT id, i4 & 255, i8 | 1, i2 # 3 FROM numbers WHERE i4 IS NOT NULL ORDER BY id;
-- name: int_shift_wrap
SELECT 1 << 31, 1 << 32, 1::int8 << 63, (-1) >> 40;
-- name: random_not_output
SELECT count(*) FROM series WHERE random() >= 0;
-- name: setseed_deterministic
SELECT count(*) FROM (SELECT setseed(0.5)) s;
-- name: sum_numeric_exact
SELECT sum(n), sum(nb) FROM numbers WHERE id NOT IN (4, 5, 7);
-- name: sum_unconstrained_mixed_scales
SELECT sum(nu) FROM numbers WHERE id IN (1, 2, 3, 4, 5, 6, 11, 12, 14, 15, 16, 17);
-- name: avg_unconstrained
SELECT avg(nu) FROM numbers WHERE id IN (1, 2, 3, 4, 5, 6, 12, 14, 16, 17);
-- name: numeric_infinity_sum
SELECT sum(nu) FROM numbers WHERE id IN (2, 8);
-- name: numeric_inf_minus_inf_sum
SELECT sum(nu) FROM numbers WHERE id IN (8, 9);
-- name: float_infinity_sum
SELECT sum(f8), sum(f4) FROM numbers WHERE id IN (2, 8);
-- name: float_sum_overflow
-- error: 22003
SELECT sum(f8) FROM numbers WHERE id IN (4, 11, 16);
-- name: float4_sum_type
SELECT sum(f4), pg_typeof(sum(f4)), avg(f4), pg_typeof(avg(f4)) FROM numbers WHERE id IN (2, 3, 14, 15);
-- name: int8_sum_is_numeric
SELECT sum(i8) FROM numbers WHERE id IN (4, 11);
-- name: int8_sum_big
SELECT sum(i8), pg_typeof(sum(i8)) FROM numbers WHERE id IN (2, 3, 11, 14, 15, 16);
-- name: width_bucket_array_edges
SELECT width_bucket(3, ARRAY[1, 3, 3, 7]), width_bucket(NULL::int, ARRAY[1]), width_bucket(1, NULL::int[]), width_bucket(1, ARRAY[]::int[]), width_bucket(DATE '2024-05-01', ARRAY[DATE '2024-01-01', DATE '2024-06-01']), width_bucket(2.5::float8, ARRAY[1, 'NaN'::float8]);
-- name: width_bucket_array_nulls
-- error: 22004
SELECT width_bucket(5, ARRAY[1, NULL, 3]);
