-- Formatting functions: to_char of timestamps, dates, intervals and
-- numbers with the patterns BI tools emit, and the parsers to_date,
-- to_timestamp(text, fmt) and to_number.

-- name: to_char_iso_date
SELECT id, to_char(ts, 'YYYY-MM-DD'), to_char(d, 'YYYY-MM-DD') FROM temporal ORDER BY id;
-- name: to_char_iso_datetime
SELECT id, to_char(ts, 'YYYY-MM-DD HH24:MI:SS'), to_char(ts, 'YYYY-MM-DD"T"HH24:MI:SS.MS') FROM temporal ORDER BY id;
-- name: to_char_mon_yyyy
SELECT id, to_char(ts, 'Mon YYYY'), to_char(ts, 'MON YY'), to_char(ts, 'Month YYYY'), to_char(ts, 'FMMonth YYYY') FROM temporal ORDER BY id;
-- name: to_char_day_names
SELECT id, to_char(ts, 'Day'), to_char(ts, 'FMDay'), to_char(ts, 'Dy'), to_char(ts, 'DY'), to_char(ts, 'day') FROM temporal ORDER BY id;
-- name: to_char_iso_week
SELECT id, to_char(d, 'IYYY-IW'), to_char(d, 'IYYY-"W"IW-ID'), to_char(d, 'IW'), to_char(d, 'WW'), to_char(d, 'W') FROM temporal ORDER BY id;
-- name: to_char_quarter
SELECT id, to_char(ts, 'YYYY-"Q"Q'), to_char(ts, 'Q'), to_char(ts, '"Q"Q YY') FROM temporal ORDER BY id;
-- name: to_char_time_parts
SELECT id, to_char(ts, 'HH24:MI:SS.MS'), to_char(ts, 'HH12:MI AM'), to_char(ts, 'HH:MI:SS pm'), to_char(ts, 'SSSS'), to_char(ts, 'US') FROM temporal ORDER BY id;
-- name: to_char_fractions
SELECT to_char(TIMESTAMP '2024-01-02 03:04:05.123456', 'FF1 FF2 FF3 FF4 FF5 FF6'), to_char(TIMESTAMP '2024-01-02 03:04:05.5', 'SS.MS.US');
-- name: to_char_tz_utc
SELECT id, to_char(tstz, 'YYYY-MM-DD HH24:MI:SS TZ'), to_char(tstz, 'OF'), to_char(tstz, 'TZH:TZM') FROM temporal ORDER BY id;
-- name: to_char_timestamp_tz_fields
SELECT to_char(TIMESTAMP '2024-01-01 00:00', 'TZ'), to_char(TIMESTAMP '2024-01-01 00:00', 'OF');
-- name: to_char_ordinal
SELECT to_char(DATE '2024-03-01', 'DDth'), to_char(DATE '2024-03-02', 'DDTH'), to_char(DATE '2024-03-03', 'FMDDth'), to_char(DATE '2024-03-11', 'DDth'), to_char(DATE '2024-03-22', 'FMDDth');
-- name: to_char_day_of_year
SELECT id, to_char(d, 'DDD'), to_char(d, 'IDDD'), to_char(d, 'D'), to_char(d, 'ID'), to_char(d, 'J') FROM temporal ORDER BY id;
-- name: to_char_century_era
SELECT id, to_char(d, 'CC'), to_char(d, 'YYYY BC'), to_char(d, 'Y,YYY'), to_char(d, 'B.C. YYYY'), to_char(d, 'y') FROM temporal ORDER BY id;
-- name: to_char_roman
SELECT to_char(DATE '2024-07-04', 'RM'), to_char(DATE '2024-12-04', 'rm'), to_char(DATE '2024-01-04', 'FMRM');
-- name: to_char_literal_text
SELECT to_char(DATE '2024-07-04', '"Year:" YYYY, "Day" DD'), to_char(DATE '2024-07-04', 'YYYY\"MM'), to_char(DATE '2024-07-04', 'Hello DD');
-- name: to_char_fm_prefix
SELECT to_char(DATE '2024-07-04', 'FMMM/FMDD/YYYY'), to_char(DATE '2024-07-04', 'MM/DD/YYYY'), to_char(TIMESTAMP '2024-07-04 05:06:07', 'FMHH24:MI');
-- name: to_char_tm_prefix
SELECT to_char(DATE '2024-07-04', 'TMDay TMMonth'), to_char(DATE '2024-07-04', 'TMMon');
-- name: to_char_bi_patterns
SELECT to_char(ordered_at, 'YYYY-MM') AS month, count(*) FROM orders GROUP BY 1 ORDER BY 1;
-- name: to_char_bi_weekday
SELECT to_char(order_date, 'ID') AS dow_num, to_char(order_date, 'FMDay') AS dow, count(*) FROM orders GROUP BY 1, 2 ORDER BY 1;
-- name: to_char_bi_quarter
SELECT to_char(order_date, 'YYYY "Q"Q') AS quarter, sum(total) FROM orders GROUP BY 1 ORDER BY 1;
-- name: to_char_null
SELECT to_char(NULL::timestamp, 'YYYY'), to_char(TIMESTAMP '2024-01-01', NULL), to_char(TIMESTAMP '2024-01-01', '');
-- name: to_char_infinity
SELECT to_char('infinity'::timestamp, 'YYYY-MM-DD'), to_char('-infinity'::date, 'YYYY');
-- name: to_char_interval
SELECT id, to_char(iv, 'HH24:MI:SS'), to_char(iv, 'DD "days" HH24 "hours"'), to_char(iv, 'YYYY-MM') FROM temporal WHERE id NOT IN (11, 12) ORDER BY id;
-- name: to_char_interval_hours
SELECT to_char(INTERVAL '27 hours 5 minutes', 'HH24:MI'), to_char(INTERVAL '27 hours', 'HH12'), to_char(INTERVAL '-3 hours', 'HH24:MI');
-- name: to_char_time_type
SELECT to_char(TIME '13:45:30', 'HH12:MI:SS AM'), to_char(TIME '00:00', 'HH:MI am');

-- setup: SET TimeZone = 'America/New_York'
-- name: to_char_tz_ny
SELECT id, to_char(tstz, 'YYYY-MM-DD HH24:MI:SS TZ'), to_char(tstz, 'tz'), to_char(tstz, 'OF'), to_char(tstz, 'TZH:TZM') FROM temporal ORDER BY id;
-- name: to_char_ny_hours
SELECT id, to_char(tstz, 'HH24'), to_char(tstz, 'Dy DD Mon') FROM temporal ORDER BY id;
-- setup: SET TimeZone = 'Asia/Kolkata'
-- name: to_char_tz_kolkata
SELECT id, to_char(tstz, 'YYYY-MM-DD HH24:MI:SS TZ OF'), to_char(tstz, 'TZM') FROM temporal ORDER BY id;
-- setup: SET TimeZone = 'Australia/Lord_Howe'
-- name: to_char_tz_lord_howe
SELECT id, to_char(tstz, 'YYYY-MM-DD HH24:MI TZ OF') FROM temporal ORDER BY id;
-- setup: reset

-- name: to_char_number_basic
SELECT to_char(1234.5, '9999.99'), to_char(1234.5, '0000.00'), to_char(-1234.5, '9999.99'), to_char(0.5, '9.99'), to_char(0.5, '0.99');
-- name: to_char_number_grouping
SELECT to_char(1234567.891, '999,999,999.00'), to_char(1234567.891, '9G999G999D99'), to_char(-1234567, '999,999,999'), to_char(12, '999,999');
-- name: to_char_number_fm
SELECT to_char(1234.5, 'FM9990.00'), to_char(0.5, 'FM9990.00'), to_char(12, 'FM999'), to_char(-0.1, 'FM990.99'), to_char(1234.5, 'FM9,999.99');
-- name: to_char_number_overflow_hashes
SELECT to_char(123456, '999.99'), to_char(1e10, '99999'), to_char(-99999, '999');
-- name: to_char_number_sign
SELECT to_char(12, 'SG999'), to_char(-12, 'SG999'), to_char(12, '999S'), to_char(-12, '999S'), to_char(-12, 'S999'), to_char(12, 'MI999'), to_char(-12, '999MI');
-- name: to_char_number_pr
SELECT to_char(-12.5, '999.99PR'), to_char(12.5, '999.99PR'), to_char(-12, 'FM999PR'), to_char(0, '9PR');
-- name: to_char_number_pl
SELECT to_char(12, 'PL999'), to_char(-12, 'PL999'), to_char(12, 'SG9999'), to_char(0, 'SG9');
-- name: to_char_number_rounding
SELECT to_char(2.5, '9'), to_char(3.5, '9'), to_char(-2.5, '9'), to_char(1.005, '9.99'), to_char(1.005::float8, '9.99'), to_char(0.125, '0.00');
-- name: to_char_number_ordinal
SELECT to_char(1, '9th'), to_char(2, '99TH'), to_char(3, 'FM9th'), to_char(11, 'FM99th'), to_char(23, 'FM99th');
-- name: to_char_number_roman
SELECT to_char(2024, 'RN'), to_char(4, 'FMRN'), to_char(3999, 'rn'), to_char(0, 'RN');
-- name: to_char_number_eeee
SELECT to_char(1234.5, '9.99EEEE'), to_char(0.000123, '9.9EEEE'), to_char(-1e20, '9.999EEEE');
-- name: to_char_number_v
SELECT to_char(12.4, '99V9'), to_char(12.45, '99V99'), to_char(0.1, '9V999');
-- name: to_char_number_literal_text
SELECT to_char(5, '"Total:" 999'), to_char(42, '999 "units"'), to_char(12.3, '$999.99'), to_char(12.3, 'L999.99');
-- name: to_char_number_float
SELECT to_char(1.5::float8, '9.99'), to_char(1e300::float8, '9.99'), to_char('NaN'::float8, '999.99'), to_char('Infinity'::float8, '9.9');
-- name: to_char_number_int_types
SELECT to_char(32767::int2, '99,999'), to_char(2147483647, '9,999,999,999'), to_char(9223372036854775807, '9999999999999999999'), to_char(-1::int8, 'S9');
-- name: to_char_number_numeric_nan
SELECT to_char('NaN'::numeric, '999.99'), to_char('Infinity'::numeric, '9.9');
-- name: to_char_number_columns
SELECT id, to_char(n, 'FM99999999.0000'), to_char(i4, '9,999,999,999'), to_char(f8, '9.99EEEE') FROM numbers ORDER BY id;
-- name: to_char_money_style
SELECT id, to_char(total, 'FM$999,990.00') FROM orders WHERE id <= 30 ORDER BY id;
-- name: to_char_percent_style
SELECT status, to_char(100.0 * count(*) / sum(count(*)) OVER (), 'FM990.0"%"') FROM orders GROUP BY status ORDER BY status;
-- name: to_char_zero_padding
SELECT to_char(7, '000'), to_char(7, 'FM000'), to_char(-7, '000'), to_char(7, '099'), to_char(1234, '0,000');
-- name: to_char_decimal_only
SELECT to_char(0.25, '.99'), to_char(0.25, 'D99'), to_char(1, '.99'), to_char(0, 'FM.00');
-- name: to_char_empty_format
SELECT to_char(123, ''), to_char(123, 'FM'), to_char(123, 'X');

-- name: to_date_basic
SELECT to_date('2024-03-10', 'YYYY-MM-DD'), to_date('10/03/2024', 'DD/MM/YYYY'), to_date('20240310', 'YYYYMMDD'), to_date('Mar 10 2024', 'Mon DD YYYY');
-- name: to_date_month_names
SELECT to_date('10 March 2024', 'DD Month YYYY'), to_date('10 MARCH 2024', 'DD MONTH YYYY'), to_date('march 2024', 'month YYYY');
-- name: to_date_lenient
SELECT to_date('2024-3-5', 'YYYY-MM-DD'), to_date('2024  03 10', 'YYYY MM DD'), to_date('2024/03/10', 'YYYY-MM-DD');
-- name: to_date_fx_strict
SELECT to_date('2024/03/10', 'FXYYYY-MM-DD'), to_date('2024-03-10', 'FXYYYY-MM-DD');
-- name: to_date_fx_spaces
SELECT to_date('2024  03-10', 'FXYYYY MM-DD'), to_date('24-03-10', 'FXYYYY-MM-DD');
-- name: to_date_iso_week
SELECT to_date('2020-53-5', 'IYYY-IW-ID'), to_date('2024-01-1', 'IYYY-IW-ID'), to_date('2024-100', 'YYYY-DDD');
-- name: to_date_year_short
SELECT to_date('24-03-10', 'YY-MM-DD'), to_date('70-01-01', 'YY-MM-DD'), to_date('69-01-01', 'YY-MM-DD'), to_date('1-1-1', 'Y-MM-DD');
-- name: to_date_invalid_day
-- error: 22008
SELECT to_date('2024-02-30', 'YYYY-MM-DD');
-- name: to_date_invalid_month
-- error: 22008
SELECT to_date('2024-13-01', 'YYYY-MM-DD');
-- name: to_date_bad_input
-- error: 22007
SELECT to_date('hello', 'YYYY-MM-DD');
-- name: to_date_bc
SELECT to_date('0044-03-15 BC', 'YYYY-MM-DD BC'), to_date('44 BC', 'YYYY BC');
-- name: to_date_julian
SELECT to_date('2460380', 'J'), to_date('1', 'J');
-- name: to_date_quarter_ignored
SELECT to_date('2024 3', 'YYYY Q');
-- name: to_date_columns
SELECT id, to_date(to_char(d, 'YYYY-MM-DD'), 'YYYY-MM-DD') = d FROM temporal WHERE id NOT IN (11, 12, 13) ORDER BY id;
-- name: to_timestamp_text_basic
SELECT to_timestamp('2024-03-10 14:30:00', 'YYYY-MM-DD HH24:MI:SS'), to_timestamp('10/03/2024 2:30 PM', 'DD/MM/YYYY HH:MI AM');
-- name: to_timestamp_text_fraction
SELECT to_timestamp('2024-03-10 14:30:00.123456', 'YYYY-MM-DD HH24:MI:SS.US'), to_timestamp('14:30:00.5', 'HH24:MI:SS.MS'), to_timestamp('2024-03-10 14:30:00.12', 'YYYY-MM-DD HH24:MI:SS.FF2');
-- name: to_timestamp_text_tz
SELECT to_timestamp('2024-03-10 14:30 +05:30', 'YYYY-MM-DD HH24:MI TZH:TZM'), to_timestamp('2024-03-10 14:30 -08', 'YYYY-MM-DD HH24:MI TZH');
-- name: to_timestamp_text_type
SELECT pg_typeof(to_timestamp('2024', 'YYYY')), to_timestamp('2024', 'YYYY'), to_timestamp('', '');
-- name: to_timestamp_text_hour_range
-- error: 22008
SELECT to_timestamp('25:00', 'HH24:MI');
-- name: to_timestamp_text_hh12_range
-- error: 22007
SELECT to_timestamp('13:00', 'HH12:MI');
-- name: to_timestamp_julian_day
SELECT to_timestamp('2460311', 'J');
-- setup: SET TimeZone = 'America/New_York'
-- name: to_timestamp_text_ny
SELECT to_timestamp('2024-03-10 02:30:00', 'YYYY-MM-DD HH24:MI:SS'), to_timestamp('2024-11-03 01:30:00', 'YYYY-MM-DD HH24:MI:SS'), to_timestamp('2024-07-01', 'YYYY-MM-DD');
-- name: to_date_ny
SELECT to_date('2024-03-10', 'YYYY-MM-DD'), to_date('2024-03-10', 'YYYY-MM-DD')::timestamptz;
-- setup: reset

-- name: to_number_basic
SELECT to_number('12,454.8-', '99G999D9S'), to_number('1,234.56', '9,999.99'), to_number('$1,234.56', 'L9,999.99'), to_number('42', '99');
-- name: to_number_signs
SELECT to_number('-12.5', '999.9'), to_number('<12.5>', '999.9PR'), to_number('12.5-', '999.9MI'), to_number('+7', 'S9');
-- name: to_number_lenient
SELECT to_number('  123  ', '999'), to_number('123abc', '999'), to_number('1 2 3', '9 9 9'), to_number('12', '9999.99');
-- name: to_number_scale
SELECT to_number('123.456', '999.999'), to_number('123.456', '999.9'), pg_typeof(to_number('1', '9')), to_number('0.5', 'FM9.9');
-- name: to_number_too_many_digits
SELECT to_number('12345', '99');
-- name: to_number_bad
-- error: 22P02
SELECT to_number('abc', '999');
-- name: to_number_v
SELECT to_number('1234', '99V99'), to_number('12', '9V9');
-- name: to_number_roundtrip_columns
SELECT id, to_number(to_char(n, 'FM99999999.0000'), '99999999.9999') FROM numbers WHERE id NOT IN (7, 13) ORDER BY id;
-- name: to_number_eeee
-- error: 0A000
SELECT to_number('1.2E+3', '9.9EEEE');
