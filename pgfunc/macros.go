package pgfunc

// macros are the engine functions that plain SQL expresses exactly; the
// errors they raise carry PostgreSQL's SQLSTATE after "HD".
var macros = []string{
	// Intervals from their parts.
	`CREATE MACRO hd_interval(m, d, us) AS to_months(CAST(m AS INTEGER)) + to_days(CAST(d AS INTEGER)) + to_microseconds(CAST(us AS BIGINT))`,
	// LIMIT/OFFSET bounds; msg is "SQLSTATE:message".
	`CREATE MACRO hd_nonneg(x, msg) AS CASE WHEN x < 0 THEN error('HD' || msg) ELSE x END`,
	`CREATE MACRO hd_nonneg_iv(x, msg) AS CASE WHEN x < INTERVAL 0 SECONDS THEN error('HD' || msg) ELSE x END`,
	// Integer casts with PostgreSQL's range errors.
	`CREATE MACRO hd_to_int2(x) AS CASE WHEN x IS NULL THEN NULL WHEN TRY_CAST(x AS SMALLINT) IS NULL THEN error('HD22003:smallint out of range') ELSE CAST(x AS SMALLINT) END`,
	`CREATE MACRO hd_to_int4(x) AS CASE WHEN x IS NULL THEN NULL WHEN TRY_CAST(x AS INTEGER) IS NULL THEN error('HD22003:integer out of range') ELSE CAST(x AS INTEGER) END`,
	`CREATE MACRO hd_to_int8(x) AS CASE WHEN x IS NULL THEN NULL WHEN TRY_CAST(x AS BIGINT) IS NULL THEN error('HD22003:bigint out of range') ELSE CAST(x AS BIGINT) END`,
	// Integer division and modulo: division by zero is an error; the
	// engine's // truncates toward zero as PostgreSQL's / does.
	// hd_wrap keeps the low bits of v as a signed integer (C's
	// two's-complement wraparound, as PostgreSQL's shifts have it).
	// A DECIMAL(p,p)'s text with the 0 before the point that the
	// engine leaves out (.5 is 0.5).
	`CREATE MACRO hd_dec_text(x) AS regexp_replace(CAST(x AS VARCHAR), '^(-?)\.', '\10.')`,
	`CREATE MACRO hd_wrap(v, bits) AS (CASE WHEN ((v % (CAST(1 AS HUGEINT) << bits)) + (CAST(1 AS HUGEINT) << bits)) % (CAST(1 AS HUGEINT) << bits) >= (CAST(1 AS HUGEINT) << (bits - 1)) THEN ((v % (CAST(1 AS HUGEINT) << bits)) + (CAST(1 AS HUGEINT) << bits)) % (CAST(1 AS HUGEINT) << bits) - (CAST(1 AS HUGEINT) << bits) ELSE ((v % (CAST(1 AS HUGEINT) << bits)) + (CAST(1 AS HUGEINT) << bits)) % (CAST(1 AS HUGEINT) << bits) END)`,
	`CREATE MACRO hd_int_div(a, b) AS CASE WHEN a IS NULL OR b IS NULL THEN NULL WHEN b = 0 THEN error('HD22012:division by zero') ELSE a // b END`,
	`CREATE MACRO hd_int_mod(a, b) AS CASE WHEN a IS NULL OR b IS NULL THEN NULL WHEN b = 0 THEN error('HD22012:division by zero') WHEN b = -1 THEN 0 * a ELSE a % b END`,
	// Floats: overflow and underflow checks (float.c's float_overflow_error).
	`CREATE MACRO hd_float8_pl(a, b) AS CASE WHEN isinf(a + b) AND NOT isinf(a) AND NOT isinf(b) THEN error('HD22003:value out of range: overflow') ELSE a + b END`,
	`CREATE MACRO hd_float8_mi(a, b) AS CASE WHEN isinf(a - b) AND NOT isinf(a) AND NOT isinf(b) THEN error('HD22003:value out of range: overflow') ELSE a - b END`,
	`CREATE MACRO hd_float8_mul(a, b) AS CASE WHEN isinf(a * b) AND NOT isinf(a) AND NOT isinf(b) THEN error('HD22003:value out of range: overflow') WHEN a * b = 0 AND a <> 0 AND b <> 0 THEN error('HD22003:value out of range: underflow') ELSE a * b END`,
	`CREATE MACRO hd_float8_div(a, b) AS CASE WHEN b = 0 AND NOT isnan(a) THEN error('HD22012:division by zero') WHEN b = 0 THEN a WHEN isinf(a / b) AND NOT isinf(a) THEN error('HD22003:value out of range: overflow') WHEN a / b = 0 AND a <> 0 AND NOT isinf(b) THEN error('HD22003:value out of range: underflow') ELSE a / b END`,
	`CREATE MACRO hd_float4_pl(a, b) AS CASE WHEN isinf(a + b) AND NOT isinf(a) AND NOT isinf(b) THEN error('HD22003:value out of range: overflow') ELSE CAST(a + b AS FLOAT) END`,
	`CREATE MACRO hd_float4_mi(a, b) AS CASE WHEN isinf(a - b) AND NOT isinf(a) AND NOT isinf(b) THEN error('HD22003:value out of range: overflow') ELSE CAST(a - b AS FLOAT) END`,
	`CREATE MACRO hd_float4_mul(a, b) AS CASE WHEN isinf(a * b) AND NOT isinf(a) AND NOT isinf(b) THEN error('HD22003:value out of range: overflow') WHEN a * b = 0 AND a <> 0 AND b <> 0 THEN error('HD22003:value out of range: underflow') ELSE CAST(a * b AS FLOAT) END`,
	`CREATE MACRO hd_float4_div(a, b) AS CASE WHEN b = 0 AND NOT isnan(a) THEN error('HD22012:division by zero') WHEN b = 0 THEN a WHEN isinf(a / b) AND NOT isinf(a) THEN error('HD22003:value out of range: overflow') WHEN a / b = 0 AND a <> 0 AND NOT isinf(b) THEN error('HD22003:value out of range: underflow') ELSE CAST(a / b AS FLOAT) END`,
	`CREATE MACRO hd_float8_to_float4(x) AS CASE WHEN isinf(CAST(CAST(x AS DOUBLE) AS FLOAT)) AND NOT isinf(x) THEN error('HD22003:value out of range: overflow') WHEN x <> 0 AND CAST(x AS FLOAT) = 0 THEN error('HD22003:value out of range: underflow') ELSE CAST(x AS FLOAT) END`,
	`CREATE MACRO hd_dsqrt(x) AS CASE WHEN x < 0 THEN error('HD2201F:cannot take square root of a negative number') ELSE sqrt(x) END`,
	`CREATE MACRO hd_dexp(x) AS CASE WHEN isinf(exp(x)) AND NOT isinf(x) THEN error('HD22003:value out of range: overflow') WHEN exp(x) = 0 AND NOT isinf(x) THEN error('HD22003:value out of range: underflow') ELSE exp(x) END`,
	`CREATE MACRO hd_dln(x) AS CASE WHEN x = 0 THEN error('HD2201E:cannot take logarithm of zero') WHEN x < 0 THEN error('HD2201E:cannot take logarithm of a negative number') ELSE ln(x) END`,
	`CREATE MACRO hd_dlog10(x) AS CASE WHEN x = 0 THEN error('HD2201E:cannot take logarithm of zero') WHEN x < 0 THEN error('HD2201E:cannot take logarithm of a negative number') ELSE log10(x) END`,
	`CREATE MACRO hd_float8_sign(x) AS CASE WHEN isnan(x) THEN CAST(0 AS DOUBLE) WHEN x > 0 THEN CAST(1 AS DOUBLE) WHEN x < 0 THEN CAST(-1 AS DOUBLE) WHEN x IS NOT NULL THEN CAST(0 AS DOUBLE) END`,
	// OVERLAPS (overlaps_timestamp): each pair's ends in order, a NULL
	// end making the answer NULL only where it could change it.
	`CREATE MACRO hd_overlaps_sorted(s1, e1, s2, e2) AS CASE
		WHEN s1 > s2 THEN (CASE WHEN e2 IS NULL THEN NULL WHEN s1 < e2 THEN true WHEN e1 IS NULL THEN NULL ELSE false END)
		WHEN s1 < s2 THEN (CASE WHEN e1 IS NULL THEN NULL WHEN s2 < e1 THEN true WHEN e2 IS NULL THEN NULL ELSE false END)
		ELSE (CASE WHEN e1 IS NULL OR e2 IS NULL THEN NULL ELSE true END) END`,
	`CREATE MACRO hd_overlaps(s1, e1, s2, e2) AS CASE
		WHEN s1 IS NULL AND e1 IS NULL OR s2 IS NULL AND e2 IS NULL THEN NULL
		ELSE hd_overlaps_sorted(
			CASE WHEN s1 IS NULL THEN e1 WHEN e1 IS NULL THEN s1 ELSE least(s1, e1) END,
			CASE WHEN s1 IS NULL OR e1 IS NULL THEN NULL ELSE greatest(s1, e1) END,
			CASE WHEN s2 IS NULL THEN e2 WHEN e2 IS NULL THEN s2 ELSE least(s2, e2) END,
			CASE WHEN s2 IS NULL OR e2 IS NULL THEN NULL ELSE greatest(s2, e2) END) END`,
	`CREATE MACRO hd_asin(x) AS CASE WHEN x < -1 OR x > 1 THEN error('HD22003:input is out of range') ELSE asin(x) END`,
	`CREATE MACRO hd_acos(x) AS CASE WHEN x < -1 OR x > 1 THEN error('HD22003:input is out of range') ELSE acos(x) END`,
	`CREATE MACRO hd_gcd(a, b) AS abs(gcd(a, b))`,
	`CREATE MACRO hd_lcm(a, b) AS CASE WHEN a = 0 OR b = 0 THEN 0 * a ELSE abs(lcm(a, b)) END`,
	// x op ANY/ALL (array) from the list of comparisons, with
	// PostgreSQL's NULL semantics (an empty array: false for ANY, true for ALL).
	// x = ANY(l) for types the engine compares as PostgreSQL does, with
	// no lambda (the engine cannot bind one that reads a correlated
	// subquery's columns).
	`CREATE MACRO hd_eq_any(l, x) AS CASE WHEN l IS NULL OR x IS NULL THEN (CASE WHEN len(l) = 0 THEN false END) WHEN list_contains(l, x) THEN true WHEN list_count(l) < len(l) THEN NULL ELSE false END`,
	`CREATE MACRO hd_any(l) AS CASE WHEN l IS NULL THEN NULL WHEN list_contains(l, true) THEN true WHEN list_contains(list_transform(l, lambda b: b IS NULL), true) THEN NULL ELSE false END`,
	`CREATE MACRO hd_all(l) AS CASE WHEN l IS NULL THEN NULL WHEN list_contains(l, false) THEN false WHEN list_contains(list_transform(l, lambda b: b IS NULL), true) THEN NULL ELSE true END`,
	// Arrays (one-dimensional, lower bound 1).
	`CREATE MACRO hd_array_get(l, i) AS CASE WHEN i >= 1 THEN l[i] END`,
	`CREATE MACRO hd_array_slice(l, lo, hi) AS CASE WHEN l IS NULL OR lo IS NULL OR hi IS NULL THEN NULL WHEN greatest(lo, 1) > least(hi, len(l)) THEN [] ELSE list_slice(l, greatest(lo, 1), least(hi, len(l))) END`,
	`CREATE MACRO hd_array_length(l, d) AS CASE WHEN d = 1 AND len(l) > 0 THEN CAST(len(l) AS INTEGER) END`,
	`CREATE MACRO hd_array_append(l, x) AS list_append(coalesce(l, []), x)`,
	`CREATE MACRO hd_array_prepend(x, l) AS list_prepend(x, coalesce(l, []))`,
	`CREATE MACRO hd_array_cat(a, b) AS CASE WHEN a IS NULL THEN b WHEN b IS NULL THEN a ELSE list_concat(a, b) END`,
	`CREATE MACRO hd_array_contains(a, b) AS CASE WHEN a IS NULL OR b IS NULL THEN NULL ELSE len(list_filter(b, lambda x: x IS NULL OR NOT list_contains(list_filter(a, lambda y: y IS NOT NULL), x))) = 0 END`,
	`CREATE MACRO hd_array_position(l, x, s) AS CASE WHEN l IS NULL THEN NULL ELSE (SELECT CAST(min(i) AS INTEGER) FROM (SELECT unnest(l) AS v, unnest(generate_series(1, len(l))) AS i) WHERE i >= s AND v IS NOT DISTINCT FROM x) END`,
	`CREATE MACRO hd_array_positions(l, x) AS CASE WHEN l IS NULL THEN NULL ELSE coalesce((SELECT list(CAST(i AS INTEGER) ORDER BY i) FROM (SELECT unnest(l) AS v, unnest(generate_series(1, len(l))) AS i) WHERE v IS NOT DISTINCT FROM x), CAST([] AS INTEGER[])) END`,
	`CREATE MACRO hd_array_remove(l, x) AS list_filter(l, lambda v: v IS DISTINCT FROM x)`,
	`CREATE MACRO hd_array_replace(l, x, y) AS list_transform(l, lambda v: CASE WHEN v IS NOT DISTINCT FROM x THEN y ELSE v END)`,
	`CREATE MACRO hd_trim_array(l, n) AS CASE WHEN n < 0 OR n > len(l) THEN error('HD2202E:number of elements to trim must be between 0 and ' || len(l)) ELSE list_slice(l, 1, len(l) - n) END`,
	`CREATE MACRO hd_subscripts(l, d, rev) AS CASE WHEN d <> 1 OR len(l) = 0 THEN CAST([] AS INTEGER[]) WHEN rev THEN CAST(generate_series(len(l), 1, -1) AS INTEGER[]) ELSE CAST(generate_series(1, len(l)) AS INTEGER[]) END`,
	// character(n): padded on output, compared without padding.
	`CREATE MACRO hd_bpchar_pad(x, n) AS rpad(x, n, ' ')`,
	// varchar(n)/char(n) assignment: too long is an error unless the
	// excess is spaces.
	`CREATE MACRO hd_check_len(x, n, msg) AS CASE WHEN x IS NULL THEN NULL WHEN length(x) <= n THEN x WHEN length(rtrim(substring(x, n + 1), ' ')) = 0 THEN left(x, n) ELSE error('HD22001:' || msg) END`,
	// numeric(p,s) of a DECIMAL: the engine rounds half away from zero as
	// PostgreSQL does; overflow is reported by the cast.
	// Strings.
	`CREATE MACRO hd_substr1(s, st) AS CASE WHEN st <= 1 THEN s ELSE substring(s, st) END`,
	`CREATE MACRO hd_substr(s, st, n) AS CASE WHEN n < 0 THEN error('HD22011:negative substring length not allowed') WHEN st + n <= 1 THEN '' WHEN st < 1 THEN substring(s, 1, st + n - 1) ELSE substring(s, st, n) END`,
	`CREATE MACRO hd_replace(s, f, t) AS CASE WHEN f = '' THEN s ELSE replace(s, f, t) END`,
	`CREATE MACRO hd_lpad(s, n, f) AS CASE WHEN n <= 0 THEN '' WHEN length(s) >= n THEN left(s, n) WHEN f = '' THEN s ELSE lpad(s, n, f) END`,
	`CREATE MACRO hd_rpad(s, n, f) AS CASE WHEN n <= 0 THEN '' WHEN length(s) >= n THEN left(s, n) WHEN f = '' THEN s ELSE rpad(s, n, f) END`,
	`CREATE MACRO hd_left(s, n) AS CASE WHEN n >= 0 THEN left(s, n) ELSE left(s, greatest(length(s) + n, 0)) END`,
	`CREATE MACRO hd_right(s, n) AS CASE WHEN n >= 0 THEN right(s, n) ELSE right(s, greatest(length(s) + n, 0)) END`,
	`CREATE MACRO hd_repeat(s, n) AS CASE WHEN n <= 0 THEN '' ELSE repeat(s, n) END`,
	`CREATE MACRO hd_overlay(s, r, st, n) AS hd_substr(s, 1, st - 1) || r || hd_substr1(s, st + n)`,
	`CREATE MACRO hd_string_to_array(s, d, nul) AS CASE WHEN s IS NULL THEN NULL WHEN s = '' THEN CAST([] AS VARCHAR[]) WHEN d IS NULL THEN list_transform(string_split(s, ''), lambda x: CASE WHEN x = nul THEN NULL ELSE x END) WHEN d = '' THEN [CASE WHEN s = nul THEN NULL ELSE s END] ELSE list_transform(string_split(s, d), lambda x: CASE WHEN x = nul THEN NULL ELSE x END) END`,
	// Dates.
	// date_pli: PostgreSQL's dates run from 4714-11-24 BC (day -2440588
	// from 1970) to 5874897-12-31 (day 2145042905).
	`CREATE MACRO hd_date_pli(d, n) AS CASE WHEN NOT isfinite(d) THEN d WHEN CAST(d - DATE '1970-01-01' AS BIGINT) + n NOT BETWEEN -2440588 AND 2145042905 THEN error('HD22008:date out of range') ELSE CAST(d + CAST(n AS INTEGER) AS DATE) END`,
	`CREATE MACRO hd_date_mi(a, b) AS CASE WHEN NOT isfinite(a) OR NOT isfinite(b) THEN error('HD22008:cannot subtract infinite dates') ELSE CAST(a - b AS INTEGER) END`,
	`CREATE MACRO hd_ts_time(ts) AS CASE WHEN isinf(ts) THEN NULL ELSE CAST(ts AS TIME) END`,
}
