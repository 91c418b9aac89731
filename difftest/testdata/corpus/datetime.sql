-- Dates and times under several session time zones and DateStyles:
-- output, date_trunc, extract/date_part of every field, age, make_*,
-- arithmetic, AT TIME ZONE, casts, justify_*, generate_series, ISO weeks,
-- to_timestamp(epoch), infinities and BC dates. Table temporal holds the
-- instants around the DST changes of New York and Lord Howe.

-- name: output_all_utc
SELECT id, d, t, ttz, ts, tstz FROM temporal ORDER BY id;
-- name: typed_literals
SELECT DATE '2024-02-29', TIME '13:45:30.5', TIMESTAMP '2024-01-02 03:04:05', TIMESTAMPTZ '2024-01-02 03:04:05+02', TIME WITH TIME ZONE '10:00-03';
-- name: literal_precision
SELECT TIMESTAMP(0) '2024-01-02 03:04:05.678', '2024-01-02 03:04:05.678'::timestamp(1), '12:34:56.789'::time(2), '2024-01-02 03:04:05.678+00'::timestamptz(0);
-- name: special_inputs
SELECT 'epoch'::timestamp, 'epoch'::date, 'infinity'::timestamptz, '-infinity'::date, 'allballs'::time;
-- name: date_input_formats
SELECT '2024-03-10'::date, 'March 10, 2024'::date, '20240310'::date, '2024-069'::date, 'J2460380'::date, '10 Mar 2024'::date;
-- name: timestamp_input_formats
SELECT '2024-03-10T12:30:00'::timestamp, '2024-03-10 12:30'::timestamp, 'Sun Mar 10 12:30:00 2024'::timestamp, '2024-03-10 12:30:00 PM'::timestamp;
-- name: timestamptz_input_offsets
SELECT '2024-03-10 12:30:00+05:30'::timestamptz, '2024-03-10 12:30:00 -0800'::timestamptz, '2024-03-10 12:30:00 America/New_York'::timestamptz, '2024-03-10 12:30:00 PST'::timestamptz, '2024-03-10 12:30:00Z'::timestamptz;
-- name: invalid_date
-- error: 22008
SELECT '2023-02-29'::date;
-- name: invalid_date_syntax
-- error: 22007
SELECT 'not a date'::date;
-- name: invalid_time
-- error: 22008
SELECT '25:00:00'::time;
-- name: invalid_timestamp_month
-- error: 22008
SELECT '2024-13-01 00:00:00'::timestamp;
-- name: time_24
SELECT '24:00:00'::time, '24:00:00'::time = '00:00:00'::time, '24:00'::time > '23:59:59.999999'::time;
-- name: date_range_limits
SELECT '4713-01-01 BC'::date, '5874897-12-31'::date, '294276-12-31 23:59:59'::timestamp;
-- name: date_out_of_range
-- error: 22008
SELECT '4714-11-23 BC'::date;

-- name: date_trunc_timestamp_fields
SELECT f, date_trunc(f, TIMESTAMP '2024-08-17 13:45:30.123456') FROM unnest(ARRAY['microseconds','milliseconds','second','minute','hour','day','week','month','quarter','year','decade','century','millennium']) f ORDER BY f;
-- name: date_trunc_columns_ts
SELECT id, date_trunc('month', ts), date_trunc('week', ts), date_trunc('hour', ts) FROM temporal ORDER BY id;
-- name: date_trunc_columns_tstz_utc
SELECT id, date_trunc('day', tstz), date_trunc('quarter', tstz), date_trunc('year', tstz) FROM temporal ORDER BY id;
-- name: date_trunc_date_input
SELECT date_trunc('month', DATE '2024-02-29'), pg_typeof(date_trunc('month', DATE '2024-02-29')), date_trunc('week', DATE '2024-01-01');
-- name: date_trunc_date_column
SELECT id, date_trunc('year', d) FROM temporal ORDER BY id;
-- name: date_trunc_bc
SELECT date_trunc('century', TIMESTAMP '0044-03-15 00:00:00 BC'), date_trunc('millennium', TIMESTAMP '2024-01-01'), date_trunc('decade', TIMESTAMP '0005-01-01 BC');
-- name: date_trunc_interval
SELECT date_trunc('hour', INTERVAL '3 days 04:05:06'), date_trunc('year', INTERVAL '1 year 11 months'), date_trunc('day', INTERVAL '-1 days -02:00');
-- name: date_trunc_bad_unit
-- error: 22023
SELECT date_trunc('fortnight', TIMESTAMP '2024-01-01');
-- name: date_trunc_with_zone_arg
SELECT date_trunc('day', TIMESTAMPTZ '2024-03-10 12:00:00+00', 'Asia/Tokyo'), date_trunc('day', TIMESTAMPTZ '2024-03-10 03:00:00+00', 'America/New_York');
-- name: date_trunc_zone_arg_columns
SELECT id, date_trunc('day', tstz, 'Asia/Kolkata'), date_trunc('month', tstz, 'America/New_York') FROM temporal ORDER BY id;

-- name: date_part_every_field_timestamp
SELECT f, date_part(f, TIMESTAMP '2024-08-17 13:45:30.123456') FROM (VALUES ('century'), ('day'), ('decade'), ('dow'), ('doy'), ('epoch'), ('hour'), ('isodow'), ('isoyear'), ('julian'), ('microseconds'), ('millennium'), ('milliseconds'), ('minute'), ('month'), ('quarter'), ('second'), ('week'), ('year')) v(f) ORDER BY f;
-- name: date_part_every_field_tstz
SELECT f, date_part(f, TIMESTAMPTZ '2024-08-17 13:45:30.123456+02') FROM (VALUES ('century'), ('day'), ('decade'), ('dow'), ('doy'), ('epoch'), ('hour'), ('isodow'), ('isoyear'), ('julian'), ('microseconds'), ('millennium'), ('milliseconds'), ('minute'), ('month'), ('quarter'), ('second'), ('timezone'), ('timezone_hour'), ('timezone_minute'), ('week'), ('year')) v(f) ORDER BY f;
-- name: extract_field_variants
SELECT extract('year' FROM DATE '2024-05-01'), extract(YEARS FROM TIMESTAMP '2024-05-01'), extract(MON FROM DATE '2024-05-01'), date_part('mins', TIME '10:11:12');
-- name: extract_fields_ts_1
SELECT extract(century FROM ts), extract(day FROM ts), extract(decade FROM ts), extract(dow FROM ts), extract(doy FROM ts) FROM temporal ORDER BY id;
-- name: extract_fields_ts_2
SELECT id, extract(epoch FROM ts), extract(hour FROM ts), extract(isodow FROM ts), extract(isoyear FROM ts) FROM temporal ORDER BY id;
-- name: extract_fields_ts_3
SELECT id, extract(julian FROM ts), extract(microseconds FROM ts), extract(millennium FROM ts), extract(milliseconds FROM ts) FROM temporal ORDER BY id;
-- name: extract_fields_ts_4
SELECT id, extract(minute FROM ts), extract(month FROM ts), extract(quarter FROM ts), extract(second FROM ts), extract(week FROM ts), extract(year FROM ts) FROM temporal ORDER BY id;
-- name: extract_fields_tstz_utc
SELECT id, extract(epoch FROM tstz), extract(hour FROM tstz), extract(timezone FROM tstz), extract(timezone_hour FROM tstz), extract(timezone_minute FROM tstz) FROM temporal ORDER BY id;
-- name: extract_fields_date
SELECT id, extract(year FROM d), extract(month FROM d), extract(day FROM d), extract(dow FROM d), extract(doy FROM d), extract(week FROM d), extract(isoyear FROM d) FROM temporal ORDER BY id;
-- name: extract_date_epoch
SELECT id, extract(epoch FROM d), extract(julian FROM d), extract(century FROM d), extract(millennium FROM d) FROM temporal ORDER BY id;
-- name: extract_hour_from_date
-- error: 0A000
SELECT extract(hour FROM DATE '2024-01-01');
-- name: extract_timezone_from_timestamp
-- error: 0A000
SELECT extract(timezone FROM TIMESTAMP '2024-01-01');
-- name: extract_time_fields
SELECT id, extract(hour FROM t), extract(minute FROM t), extract(second FROM t), extract(microseconds FROM t), extract(epoch FROM t) FROM temporal ORDER BY id;
-- name: extract_timetz_fields
SELECT id, extract(hour FROM ttz), extract(timezone FROM ttz), extract(timezone_hour FROM ttz), extract(timezone_minute FROM ttz) FROM temporal ORDER BY id;
-- name: extract_result_type
SELECT pg_typeof(extract(year FROM DATE '2024-01-01')), pg_typeof(date_part('year', DATE '2024-01-01')), extract(second FROM TIME '10:00:01.5'), date_part('second', TIME '10:00:01.5');
-- name: date_part_fields
SELECT id, date_part('year', ts), date_part('epoch', tstz), date_part('dow', d), date_part('milliseconds', t) FROM temporal ORDER BY id;
-- name: extract_unknown_field
-- error: 22023
SELECT extract(fortnight FROM TIMESTAMP '2024-01-01');
-- name: extract_infinity
SELECT extract(year FROM 'infinity'::timestamp), extract(epoch FROM '-infinity'::timestamptz), date_part('year', 'infinity'::date), extract(month FROM 'infinity'::date);
-- name: extract_bc
SELECT extract(year FROM DATE '0044-03-15 BC'), extract(century FROM DATE '0044-03-15 BC'), extract(millennium FROM DATE '0001-01-01 BC'), extract(decade FROM DATE '0044-03-15 BC'), extract(isoyear FROM DATE '0001-01-01 BC');

-- name: iso_week_edges
SELECT d, extract(isoyear FROM d), extract(week FROM d), extract(isodow FROM d), extract(dow FROM d) FROM (VALUES (DATE '2020-12-31'), (DATE '2021-01-03'), (DATE '2021-01-04'), (DATE '2018-12-31'), (DATE '2019-12-30'), (DATE '2016-01-03'), (DATE '2015-12-31'), (DATE '2023-01-01'), (DATE '2026-12-31'), (DATE '2027-01-01')) v(d) ORDER BY d;
-- name: iso_week_trunc
SELECT d, date_trunc('week', d) FROM (VALUES (DATE '2021-01-03'), (DATE '2021-01-04'), (DATE '2024-12-31'), (DATE '2023-01-01')) v(d) ORDER BY d;
-- name: doy_leap
SELECT extract(doy FROM DATE '2024-12-31'), extract(doy FROM DATE '2023-12-31'), extract(doy FROM DATE '2024-03-01');

-- name: age_timestamps
SELECT age(TIMESTAMP '2024-03-31', TIMESTAMP '2024-02-29'), age(TIMESTAMP '2024-01-31', TIMESTAMP '2023-12-31 12:00'), age(TIMESTAMP '2001-04-10', TIMESTAMP '1957-06-13');
-- name: age_negative
SELECT age(TIMESTAMP '2020-01-01', TIMESTAMP '2024-03-15 06:00'), age(DATE '2024-01-01', DATE '2024-02-29');
-- name: age_month_ends
SELECT age(DATE '2024-03-01', DATE '2024-01-31'), age(DATE '2023-03-01', DATE '2023-01-31'), age(DATE '2024-02-29', DATE '2023-02-28');
-- name: age_columns
SELECT id, age(ts, TIMESTAMP '2000-01-01') FROM temporal WHERE id NOT IN (11, 12) ORDER BY id;
-- name: age_tstz_columns
SELECT id, age(tstz, TIMESTAMPTZ '2024-01-01 00:00:00+00') FROM temporal WHERE id NOT IN (11, 12) ORDER BY id;
-- name: age_emp_hired
SELECT id, age(DATE '2025-01-01', hired) FROM emp ORDER BY id;

-- name: make_date_values
SELECT make_date(2024, 2, 29), make_date(-44, 3, 15), make_date(1, 1, 1), pg_typeof(make_date(2024, 1, 1));
-- name: make_date_invalid
-- error: 22008
SELECT make_date(2023, 2, 29);
-- name: make_date_year_zero
-- error: 22008
SELECT make_date(0, 1, 1);
-- name: make_time_values
SELECT make_time(13, 45, 30.5), make_time(0, 0, 0), make_time(23, 59, 59.999999);
-- name: make_time_invalid
-- error: 22008
SELECT make_time(25, 0, 0);
-- name: make_timestamp_values
SELECT make_timestamp(2024, 1, 1, 12, 30, 45.5), make_timestamp(2024, 2, 29, 0, 0, 0), make_timestamp(-44, 3, 15, 12, 0, 0);
-- name: make_timestamptz_values
SELECT make_timestamptz(2024, 7, 1, 12, 0, 0), make_timestamptz(2024, 7, 1, 12, 0, 0, 'Asia/Kolkata'), make_timestamptz(2024, 1, 1, 0, 0, 0, '+05');
-- name: make_timestamptz_dst_gap
SELECT make_timestamptz(2024, 3, 10, 2, 30, 0, 'America/New_York'), make_timestamptz(2024, 11, 3, 1, 30, 0, 'America/New_York');
-- name: make_interval_values
SELECT make_interval(years => 1, days => -3, secs => 1.5), make_interval(1, 2, 3, 4, 5, 6, 7.25), make_interval(), make_interval(hours => 36);
-- name: make_interval_weeks
SELECT make_interval(weeks => 2, days => 1), make_interval(mins => -90), make_interval(secs => 86400.000001);
-- name: named_args_make_functions
SELECT make_date(year => 2024, month => 2, day => 29), make_date(2024, day => 1, month => 3), make_time(hour => 1, min => 2, sec => 3.5), make_timestamp(2024, 1, 2, sec => 4, min => 3, hour => 5), make_timestamptz(2024, 7, 1, 12, 0, 0, timezone => 'UTC');
-- name: named_args_colon_equals
SELECT make_interval(days := 2, hours := 3), make_interval(MONTHS => 1), pg_typeof(make_interval(secs => '1.5'));
-- name: named_args_from_columns
SELECT id, make_interval(days => id, secs => id * 0.5) FROM temporal ORDER BY id;
-- name: named_args_unknown_name
-- error: 42883
SELECT make_interval(day => 1);
-- name: named_args_used_twice
-- error: 42601
SELECT make_interval(days => 1, days => 2);
-- name: named_args_positional_after_named
-- error: 42601
SELECT make_interval(days => 1, 2);
-- name: named_args_also_positional
-- error: 42883
SELECT make_interval(1, years => 2);
-- name: named_args_missing_argument
-- error: 42883
SELECT make_date(year => 2024, month => 1);
-- name: make_from_columns
SELECT id, make_date(extract(year FROM d)::int, 1, 1), make_timestamp(2000, 1, 1, extract(hour FROM t)::int, 0, 0) FROM temporal WHERE id NOT IN (11, 12, 13, 16, 19) ORDER BY id;

-- name: date_plus_int
SELECT DATE '2024-02-28' + 1, DATE '2024-02-28' + 2, DATE '2024-01-01' - 1, 7 + DATE '2024-01-01', pg_typeof(DATE '2024-01-01' + 1);
-- name: date_minus_date
SELECT DATE '2024-03-01' - DATE '2024-02-01', DATE '2024-01-01' - DATE '2025-01-01', pg_typeof(DATE '2024-03-01' - DATE '2024-02-01');
-- name: date_plus_interval
SELECT DATE '2024-01-31' + INTERVAL '1 month', DATE '2024-01-31' + INTERVAL '1 day', pg_typeof(DATE '2024-01-31' + INTERVAL '1 month'), DATE '2024-03-31' - INTERVAL '1 month';
-- name: date_plus_time
SELECT DATE '2024-01-01' + TIME '12:30', pg_typeof(DATE '2024-01-01' + TIME '12:30'), DATE '2024-01-01' + TIMETZ '12:30+02';
-- name: timestamp_minus_timestamp
SELECT TIMESTAMP '2024-03-01' - TIMESTAMP '2024-02-01', TIMESTAMP '2024-01-01 12:00' - TIMESTAMP '2024-01-03', TIMESTAMP '2024-01-02 00:00:01' - TIMESTAMP '2024-01-01';
-- name: timestamp_plus_interval_month_end
SELECT TIMESTAMP '2024-01-31 10:00' + INTERVAL '1 month', TIMESTAMP '2024-02-29' + INTERVAL '1 year', TIMESTAMP '2024-02-29' - INTERVAL '1 year', TIMESTAMP '2024-03-31' + INTERVAL '-1 month';
-- name: timestamp_plus_mixed_interval
SELECT TIMESTAMP '2024-01-31' + INTERVAL '1 month 1 day', TIMESTAMP '2024-01-30' + INTERVAL '1 day 1 month', TIMESTAMP '2024-01-01' + INTERVAL '1.5 months';
-- name: date_arith_columns
SELECT id, d + 30, d - DATE '2000-01-01', d + INTERVAL '1 month' FROM temporal WHERE id NOT IN (11, 12) ORDER BY id;
-- name: ts_arith_columns
SELECT id, ts + iv, ts - iv FROM temporal WHERE id NOT IN (11, 12, 13) ORDER BY id;
-- name: tstz_minus_tstz_columns
SELECT id, tstz - TIMESTAMPTZ '2024-01-01 00:00:00+00' FROM temporal WHERE id NOT IN (11, 12) ORDER BY id;
-- name: time_arith
SELECT TIME '23:00' + INTERVAL '2 hours', TIME '01:00' - INTERVAL '2 hours', TIME '12:00' - TIME '11:30', TIME '10:00' + INTERVAL '1 day 1 minute';
-- name: timetz_arith
SELECT TIMETZ '23:00+02' + INTERVAL '2 hours', TIMETZ '10:00-05' - INTERVAL '30 minutes';
-- name: infinity_arith
SELECT 'infinity'::date + 1, '-infinity'::date - 1, 'infinity'::timestamp + INTERVAL '1 day', 'infinity'::timestamptz - INTERVAL '1 year';
-- name: infinity_minus_finite
-- error: 22008
SELECT 'infinity'::timestamp - TIMESTAMP '2024-01-01';
-- name: infinity_date_minus_date
-- error: 22008
SELECT 'infinity'::date - DATE '2024-01-01';
-- name: date_overflow_plus
-- error: 22008
SELECT DATE '5874897-12-31' + 1;
-- name: timestamp_overflow_plus
-- error: 22008
SELECT TIMESTAMP '294276-12-31 00:00' + INTERVAL '1 day';
-- name: bc_arith
SELECT DATE '0001-01-01' - 1, DATE '0001-01-01 BC' + 1, TIMESTAMP '0001-01-01 00:00:00' - INTERVAL '1 second';
-- name: overlaps_op
SELECT (DATE '2024-01-01', DATE '2024-02-01') OVERLAPS (DATE '2024-01-15', DATE '2024-03-01'), (DATE '2024-01-01', INTERVAL '1 day') OVERLAPS (DATE '2024-01-02', DATE '2024-01-03');
-- name: overlaps_nulls_and_order
SELECT (TIMESTAMP '2024-01-02', TIMESTAMP '2024-01-01') OVERLAPS (TIMESTAMP '2024-01-01 12:00', NULL::timestamp), (NULL::timestamp, TIMESTAMP '2024-01-05') OVERLAPS (TIMESTAMP '2024-01-01', TIMESTAMP '2024-01-10'), (NULL::timestamp, NULL::timestamp) OVERLAPS (TIMESTAMP '2024-01-01', TIMESTAMP '2024-01-02'), (TIMESTAMP '2024-01-01', NULL::timestamp) OVERLAPS (TIMESTAMP '2024-01-01', TIMESTAMP '2024-01-02'), (TIMESTAMP '2024-01-03', NULL::timestamp) OVERLAPS (TIMESTAMP '2024-01-01', TIMESTAMP '2024-01-02'), (TIMESTAMP '2024-01-01', NULL::timestamp) OVERLAPS (TIMESTAMP '2024-01-02', NULL::timestamp);
-- name: overlaps_touching
SELECT (DATE '2024-01-01', DATE '2024-01-02') OVERLAPS (DATE '2024-01-02', DATE '2024-01-03'), (DATE '2024-01-02', DATE '2024-01-02') OVERLAPS (DATE '2024-01-02', DATE '2024-01-03'), (DATE '2024-01-05', DATE '2024-01-01') OVERLAPS (DATE '2024-01-04', DATE '2024-01-04'), ('infinity'::timestamp, '-infinity'::timestamp) OVERLAPS (TIMESTAMP '2024-01-01', TIMESTAMP '2024-01-01');
-- name: overlaps_intervals
SELECT (TIMESTAMPTZ '2024-03-09 12:00+00', INTERVAL '1 day') OVERLAPS (TIMESTAMPTZ '2024-03-10 11:00+00', INTERVAL '-2 hours'), (TIME '23:00', INTERVAL '2 hours') OVERLAPS (TIME '00:30', TIME '01:00'), (TIME '10:00', TIME '12:00') OVERLAPS (TIME '11:00', INTERVAL '5 minutes'), (TIMESTAMP '2024-01-31', INTERVAL '1 month') OVERLAPS (TIMESTAMP '2024-02-29', TIMESTAMP '2024-03-01');
-- name: overlaps_columns
SELECT a.id, b.id, (a.ts, a.ts + INTERVAL '1 year') OVERLAPS (b.ts, b.ts + INTERVAL '1 day') FROM temporal a, temporal b WHERE a.id < 6 AND b.id < 6 ORDER BY a.id, b.id;

-- name: cast_date_to_timestamp
SELECT id, d::timestamp, d::timestamptz FROM temporal ORDER BY id;
-- name: cast_timestamp_to_date
SELECT id, ts::date, ts::time, tstz::date, tstz::time FROM temporal ORDER BY id;
-- name: cast_tstz_to_timestamp
SELECT id, tstz::timestamp, ts::timestamptz FROM temporal ORDER BY id;
-- name: cast_time_interval
SELECT TIME '13:45:30'::interval, INTERVAL '13:45:30'::time, INTERVAL '25:00'::time, INTERVAL '-1 hour'::time;
-- name: cast_timetz
SELECT TIMETZ '10:00+02'::time, TIME '10:00'::timetz, TIMESTAMPTZ '2024-06-01 10:00+00'::timetz;
-- name: cast_text_roundtrip
SELECT id, d::text, ts::text, tstz::text, t::text, ttz::text, iv::text FROM temporal ORDER BY id;
-- name: cast_timestamp_precision_round
SELECT '2024-01-01 23:59:59.9999995'::timestamp, '23:59:59.9999999'::time, '2024-12-31 23:59:59.99'::timestamp(1), '2024-12-31 23:59:59.95'::timestamp(1);
-- name: cast_invalid_timestamp
-- error: 22007
SELECT '2024-01-01 noon'::timestamp;
-- name: cast_date_from_int
-- error: 42846
SELECT 20240101::date;

-- name: at_time_zone_ts_to_tstz
SELECT TIMESTAMP '2024-03-10 02:30:00' AT TIME ZONE 'America/New_York', TIMESTAMP '2024-11-03 01:30:00' AT TIME ZONE 'America/New_York', TIMESTAMP '2024-07-01 12:00' AT TIME ZONE 'UTC';
-- name: at_time_zone_tstz_to_ts
SELECT id, tstz AT TIME ZONE 'America/New_York', tstz AT TIME ZONE 'Asia/Kolkata', tstz AT TIME ZONE 'Australia/Lord_Howe' FROM temporal ORDER BY id;
-- name: at_time_zone_ts_columns
SELECT id, ts AT TIME ZONE 'America/New_York', ts AT TIME ZONE 'Asia/Kolkata' FROM temporal ORDER BY id;
-- name: at_time_zone_offsets
SELECT TIMESTAMPTZ '2024-01-01 12:00+00' AT TIME ZONE '+05', TIMESTAMPTZ '2024-01-01 12:00+00' AT TIME ZONE 'UTC+5', TIMESTAMPTZ '2024-01-01 12:00+00' AT TIME ZONE INTERVAL '+05:30', TIMESTAMPTZ '2024-01-01 12:00+00' AT TIME ZONE '-03:30';
-- name: at_time_zone_abbrev
SELECT TIMESTAMPTZ '2024-01-01 12:00+00' AT TIME ZONE 'EST', TIMESTAMPTZ '2024-07-01 12:00+00' AT TIME ZONE 'PST', TIMESTAMPTZ '2024-07-01 12:00+00' AT TIME ZONE 'CEST';
-- name: at_time_zone_timetz
SELECT TIMETZ '12:00+00' AT TIME ZONE 'Asia/Kolkata', TIMETZ '12:00+02' AT TIME ZONE 'UTC', ttz AT TIME ZONE '-01' FROM temporal WHERE id = 3;
-- name: at_time_zone_double
SELECT TIMESTAMP '2024-06-01 12:00' AT TIME ZONE 'Asia/Tokyo' AT TIME ZONE 'America/New_York';
-- name: at_time_zone_bad
-- error: 22023
SELECT TIMESTAMPTZ '2024-01-01 00:00+00' AT TIME ZONE 'Mars/Olympus';
-- name: timezone_function
SELECT timezone('Asia/Kolkata', TIMESTAMPTZ '2024-01-01 00:00+00'), timezone('UTC', TIMESTAMP '2024-01-01 00:00');

-- name: justify_functions
SELECT justify_days(INTERVAL '35 days'), justify_hours(INTERVAL '27 hours'), justify_interval(INTERVAL '1 mon -1 hour'), justify_interval(INTERVAL '-1 mon 40 days');
-- name: justify_columns
SELECT id, justify_days(iv), justify_hours(iv), justify_interval(iv) FROM temporal WHERE id NOT IN (11, 12) ORDER BY id;
-- name: justify_negative
SELECT justify_hours(INTERVAL '-25 hours'), justify_days(INTERVAL '-31 days'), justify_interval(INTERVAL '1 day -25 hours');

-- name: series_timestamps
SELECT * FROM generate_series(TIMESTAMP '2024-01-30', TIMESTAMP '2024-02-02', INTERVAL '1 day') ORDER BY 1;
-- name: series_dates_type
SELECT g, pg_typeof(g) FROM generate_series(DATE '2024-02-27', DATE '2024-03-01', INTERVAL '1 day') g ORDER BY g;
-- name: series_dates_cast
SELECT g::date FROM generate_series(DATE '2024-01-31', DATE '2024-06-30', INTERVAL '1 month') g ORDER BY 1;
-- name: series_month_end
SELECT g FROM generate_series(TIMESTAMP '2024-01-31', TIMESTAMP '2024-12-31', INTERVAL '1 month') g ORDER BY g;
-- name: series_descending
SELECT g FROM generate_series(TIMESTAMP '2024-01-03', TIMESTAMP '2024-01-01', INTERVAL '-12 hours') g ORDER BY g DESC;
-- name: series_empty
SELECT count(*) FROM generate_series(TIMESTAMP '2024-01-03', TIMESTAMP '2024-01-01', INTERVAL '1 hour');
-- name: series_zero_step
-- error: 22023
SELECT * FROM generate_series(TIMESTAMP '2024-01-01', TIMESTAMP '2024-01-02', INTERVAL '0');
-- name: series_weekly_ordinality
SELECT g, n FROM generate_series(TIMESTAMP '2024-01-01', TIMESTAMP '2024-02-01', INTERVAL '1 week') WITH ORDINALITY s(g, n) ORDER BY n;
-- name: series_calendar_left_join
SELECT day::date, count(o.id) FROM generate_series(TIMESTAMP '2023-01-01', TIMESTAMP '2023-01-10', INTERVAL '1 day') day LEFT JOIN orders o ON o.order_date = day::date GROUP BY day ORDER BY day;

-- name: to_timestamp_epoch
SELECT to_timestamp(0), to_timestamp(1700000000.5), to_timestamp(-1), to_timestamp(951782400), pg_typeof(to_timestamp(0));
-- name: to_timestamp_infinity
SELECT to_timestamp('Infinity'), to_timestamp('-Infinity');
-- name: to_timestamp_nan
-- error: 22008
SELECT to_timestamp('NaN');
-- name: to_timestamp_out_of_range
-- error: 22008
SELECT to_timestamp(1e20);
-- name: epoch_roundtrip
SELECT id, to_timestamp(extract(epoch FROM tstz)) = tstz FROM temporal WHERE id NOT IN (11, 12) ORDER BY id;
-- name: epoch_of_interval
SELECT extract(epoch FROM INTERVAL '1 day'), extract(epoch FROM INTERVAL '1 month'), extract(epoch FROM INTERVAL '1 year'), extract(epoch FROM INTERVAL '-1.5 hours');

-- name: comparisons_cross_type
SELECT DATE '2024-01-01' = TIMESTAMP '2024-01-01', DATE '2024-01-01' < TIMESTAMP '2024-01-01 00:00:01', TIMESTAMP '2024-01-01' = TIMESTAMPTZ '2024-01-01 00:00+00', DATE '2024-01-02' > TIMESTAMPTZ '2024-01-01 23:00+00';
-- name: temporal_order
SELECT id, d FROM temporal ORDER BY d NULLS FIRST, id;
-- name: temporal_order_tstz
SELECT id, tstz FROM temporal ORDER BY tstz DESC NULLS LAST, id;
-- name: temporal_min_max
SELECT min(d), max(d), min(ts), max(ts), min(tstz), max(tstz), min(t), max(t) FROM temporal;
-- name: temporal_between
SELECT id FROM temporal WHERE ts BETWEEN TIMESTAMP '2024-01-01' AND TIMESTAMP '2024-12-31' ORDER BY id;
-- name: temporal_filter_tstz
SELECT id FROM temporal WHERE tstz >= TIMESTAMPTZ '2024-03-10 07:00:00+00' AND tstz < 'infinity' ORDER BY id;
-- name: now_not_output
SELECT now() = now(), current_timestamp = now(), pg_typeof(now()), pg_typeof(current_date), pg_typeof(localtimestamp), pg_typeof(current_time), pg_typeof(localtime);
-- name: now_is_recent
SELECT now() > TIMESTAMPTZ '2020-01-01 00:00+00', current_date > DATE '2020-01-01', clock_timestamp() >= now();
-- name: isfinite_values
SELECT id, isfinite(d), isfinite(ts), isfinite(tstz), isfinite(iv) FROM temporal ORDER BY id;

-- setup: SET TimeZone = 'Asia/Kolkata'
-- name: kolkata_output
SELECT id, tstz, ts::timestamptz, d::timestamptz FROM temporal ORDER BY id;
-- name: kolkata_date_trunc
SELECT id, date_trunc('day', tstz), date_trunc('hour', tstz), date_trunc('month', tstz) FROM temporal ORDER BY id;
-- name: kolkata_date_trunc_week
SELECT id, date_trunc('week', tstz), date_trunc('year', tstz) FROM temporal ORDER BY id;
-- name: kolkata_extract
SELECT id, extract(hour FROM tstz), extract(minute FROM tstz), extract(day FROM tstz), extract(timezone FROM tstz), extract(timezone_minute FROM tstz) FROM temporal ORDER BY id;
-- name: kolkata_cast_date
SELECT id, tstz::date, tstz::time, tstz::timestamp FROM temporal ORDER BY id;
-- name: kolkata_literal
SELECT TIMESTAMPTZ '2024-01-01 00:00:00', '2024-01-01'::timestamptz, TIMESTAMPTZ '2024-01-01 00:00:00+00';
-- name: kolkata_make_timestamptz
SELECT make_timestamptz(2024, 1, 1, 0, 0, 0), make_timestamptz(1900, 1, 1, 0, 0, 0);
-- name: kolkata_to_timestamp
SELECT to_timestamp(0), to_timestamp(1704047400);
-- name: kolkata_series
SELECT g FROM generate_series(TIMESTAMPTZ '2024-01-01 00:00+05:30', TIMESTAMPTZ '2024-01-03 00:00+05:30', INTERVAL '1 day') g ORDER BY g;
-- name: kolkata_group_by_day
SELECT date_trunc('day', ordered_at) AS day, count(*) FROM orders WHERE ordered_at < TIMESTAMPTZ '2023-01-15 00:00+00' GROUP BY 1 ORDER BY 1;
-- name: kolkata_orders_local_date
SELECT ordered_at::date AS day, count(*), sum(total) FROM orders WHERE id <= 60 GROUP BY 1 ORDER BY 1;
-- name: kolkata_at_time_zone_utc
SELECT id, tstz AT TIME ZONE 'UTC', ts AT TIME ZONE 'UTC' FROM temporal ORDER BY id;
-- name: kolkata_date_trunc_zone_arg
SELECT date_trunc('day', TIMESTAMPTZ '2024-01-01 20:00+00', 'UTC'), date_trunc('day', TIMESTAMPTZ '2024-01-01 20:00+00');
-- name: kolkata_age
SELECT age(TIMESTAMPTZ '2024-03-01 00:00+05:30', TIMESTAMPTZ '2024-01-31 00:00+05:30');
-- name: kolkata_show
SHOW TimeZone;
-- name: kolkata_current_setting
SELECT current_setting('TimeZone');

-- setup: SET TimeZone = 'America/New_York'
-- name: ny_output
SELECT id, label, tstz FROM temporal ORDER BY id;
-- name: ny_ts_to_tstz
SELECT id, ts::timestamptz, d::timestamptz FROM temporal ORDER BY id;
-- name: ny_dst_gap_literal
SELECT TIMESTAMPTZ '2024-03-10 02:30:00', TIMESTAMPTZ '2024-03-10 01:59:59', TIMESTAMPTZ '2024-03-10 03:00:00';
-- name: ny_dst_overlap_literal
SELECT TIMESTAMPTZ '2024-11-03 01:30:00', TIMESTAMPTZ '2024-11-03 01:30:00 EDT', TIMESTAMPTZ '2024-11-03 01:30:00 EST';
-- name: ny_add_day_across_spring
SELECT TIMESTAMPTZ '2024-03-09 12:00' + INTERVAL '1 day', TIMESTAMPTZ '2024-03-09 12:00' + INTERVAL '24 hours', TIMESTAMPTZ '2024-03-10 01:30' + INTERVAL '1 hour';
-- name: ny_add_day_across_fall
SELECT TIMESTAMPTZ '2024-11-02 12:00' + INTERVAL '1 day', TIMESTAMPTZ '2024-11-02 12:00' + INTERVAL '24 hours', TIMESTAMPTZ '2024-11-03 00:30' + INTERVAL '2 hours';
-- name: ny_subtract_across_dst
SELECT TIMESTAMPTZ '2024-03-11 00:00' - TIMESTAMPTZ '2024-03-10 00:00', TIMESTAMPTZ '2024-11-04 00:00' - TIMESTAMPTZ '2024-11-03 00:00', TIMESTAMPTZ '2024-03-12 00:00' - TIMESTAMPTZ '2024-03-09 00:00';
-- name: ny_date_trunc_day
SELECT id, date_trunc('day', tstz), date_trunc('hour', tstz) FROM temporal ORDER BY id;
-- name: ny_date_trunc_fall_hour
SELECT date_trunc('hour', TIMESTAMPTZ '2024-11-03 05:45:00+00'), date_trunc('hour', TIMESTAMPTZ '2024-11-03 06:45:00+00'), date_trunc('day', TIMESTAMPTZ '2024-11-03 06:45:00+00');
-- name: ny_date_trunc_week_month
SELECT id, date_trunc('week', tstz), date_trunc('month', tstz), date_trunc('quarter', tstz) FROM temporal ORDER BY id;
-- name: ny_extract
SELECT id, extract(hour FROM tstz), extract(timezone FROM tstz), extract(timezone_hour FROM tstz), extract(epoch FROM tstz), extract(dow FROM tstz) FROM temporal ORDER BY id;
-- name: ny_extract_epoch_of_timestamp
SELECT extract(epoch FROM TIMESTAMP '2024-07-01 00:00'), extract(epoch FROM TIMESTAMPTZ '2024-07-01 00:00');
-- name: ny_series_hours_spring
SELECT g FROM generate_series(TIMESTAMPTZ '2024-03-10 00:00', TIMESTAMPTZ '2024-03-10 05:00', INTERVAL '1 hour') g ORDER BY g;
-- name: ny_series_hours_fall
SELECT g FROM generate_series(TIMESTAMPTZ '2024-11-03 00:00', TIMESTAMPTZ '2024-11-03 03:00', INTERVAL '30 minutes') g ORDER BY g;
-- name: ny_series_days_across_dst
SELECT g FROM generate_series(TIMESTAMPTZ '2024-03-08', TIMESTAMPTZ '2024-03-12', INTERVAL '1 day') g ORDER BY g;
-- name: ny_cast_date
SELECT id, tstz::date, tstz::time, tstz::timestamp FROM temporal ORDER BY id;
-- name: ny_make_timestamptz
SELECT make_timestamptz(2024, 3, 10, 2, 30, 0), make_timestamptz(2024, 11, 3, 1, 30, 0), make_timestamptz(1883, 11, 18, 12, 0, 0);
-- name: ny_orders_by_local_day
SELECT date_trunc('day', ordered_at) AS day, count(*), sum(amount) FROM orders WHERE ordered_at >= TIMESTAMPTZ '2023-03-10' AND ordered_at < TIMESTAMPTZ '2023-03-15' GROUP BY 1 ORDER BY 1;
-- name: ny_orders_by_week
SELECT date_trunc('week', ordered_at) AS week, count(*) FROM orders WHERE ordered_at < TIMESTAMPTZ '2023-03-01' GROUP BY 1 ORDER BY 1;
-- name: ny_order_date_matches_local
SELECT count(*) FILTER (WHERE ordered_at::date = order_date), count(*) FROM orders;
-- name: ny_age_across_dst
SELECT age(TIMESTAMPTZ '2024-03-11 00:00', TIMESTAMPTZ '2024-03-09 12:00'), age(TIMESTAMPTZ '2024-11-04', TIMESTAMPTZ '2024-11-02');
-- name: ny_timestamp_unaffected
SELECT id, ts, date_trunc('day', ts) FROM temporal ORDER BY id;
-- name: ny_historical_lmt
SELECT TIMESTAMPTZ '1850-06-01 12:00:00', TIMESTAMPTZ '1883-11-18 12:00:00', TIMESTAMPTZ '1883-11-18 12:03:58';

-- setup: SET TimeZone = 'Australia/Lord_Howe'
-- name: lord_howe_output
SELECT id, label, tstz FROM temporal ORDER BY id;
-- name: lord_howe_trunc
SELECT id, date_trunc('day', tstz), date_trunc('hour', tstz) FROM temporal ORDER BY id;
-- name: lord_howe_extract
SELECT id, extract(timezone FROM tstz), extract(timezone_minute FROM tstz), extract(hour FROM tstz), extract(minute FROM tstz) FROM temporal ORDER BY id;
-- name: lord_howe_series
SELECT g FROM generate_series(TIMESTAMPTZ '2024-04-06 14:00:00+00', TIMESTAMPTZ '2024-04-06 16:00:00+00', INTERVAL '15 minutes') g ORDER BY g;
-- name: lord_howe_add_day
SELECT TIMESTAMPTZ '2024-04-06 12:00' + INTERVAL '1 day', TIMESTAMPTZ '2024-10-05 12:00' + INTERVAL '1 day', TIMESTAMPTZ '2024-10-06 01:45' + INTERVAL '30 minutes';
-- name: lord_howe_literal_gap
SELECT TIMESTAMPTZ '2024-10-06 02:15:00', TIMESTAMPTZ '2024-04-07 01:45:00';
-- name: lord_howe_cast
SELECT id, tstz::date, tstz::timestamp, ts::timestamptz FROM temporal ORDER BY id;

-- setup: SET TimeZone = 'UTC+3'
-- name: posix_zone_output
SELECT id, tstz FROM temporal WHERE id BETWEEN 1 AND 10 ORDER BY id;
-- name: posix_zone_trunc
SELECT date_trunc('day', TIMESTAMPTZ '2024-01-01 01:00:00+00'), extract(timezone FROM TIMESTAMPTZ '2024-01-01 01:00:00+00');
-- setup: SET TIME ZONE INTERVAL '+05:45' HOUR TO MINUTE
-- name: interval_zone_output
SELECT id, tstz, tstz::date FROM temporal WHERE id BETWEEN 1 AND 10 ORDER BY id;
-- name: interval_zone_show
SHOW TimeZone;
-- setup: SET TimeZone = 'Europe/Berlin'
-- name: berlin_output
SELECT id, tstz, date_trunc('day', tstz), extract(timezone_hour FROM tstz) FROM temporal ORDER BY id;
-- name: berlin_dst_series
SELECT g FROM generate_series(TIMESTAMPTZ '2024-03-31 00:00', TIMESTAMPTZ '2024-03-31 04:00', INTERVAL '1 hour') g ORDER BY g;
-- setup: SET TimeZone = 'Pacific/Kiritimati'
-- name: kiritimati_output
SELECT id, tstz, tstz::date FROM temporal WHERE id BETWEEN 1 AND 10 ORDER BY id;

-- setup: SET DateStyle = 'SQL, DMY'
-- name: sql_dmy_output
SELECT id, d, ts, tstz FROM temporal ORDER BY id;
-- name: sql_dmy_input
SELECT '01/02/2024'::date, '13/02/2024'::date, '01/02/2024 10:00'::timestamp, '2024-02-01'::date;
-- name: sql_dmy_time
SELECT id, t, ttz FROM temporal ORDER BY id;
-- name: sql_dmy_cast_text
SELECT DATE '2024-02-29'::text, TIMESTAMP '2024-02-29 01:02:03'::text, concat(DATE '2024-12-31', '');
-- name: sql_dmy_bad_input
-- error: 22008
SELECT '12/31/2024'::date;
-- setup: SET DateStyle = 'SQL, MDY'
-- name: sql_mdy_output
SELECT id, d, ts, tstz FROM temporal WHERE id <= 10 ORDER BY id;
-- name: sql_mdy_input
SELECT '01/02/2024'::date, '12/31/2024'::date;
-- setup: SET DateStyle = 'German'
-- name: german_output
SELECT id, d, ts, tstz FROM temporal ORDER BY id;
-- name: german_input
SELECT '01.02.2024'::date, '29.02.2024 12:00'::timestamp;
-- setup: SET DateStyle = 'Postgres, MDY'
-- name: postgres_style_output
SELECT id, d, ts, tstz FROM temporal ORDER BY id;
-- name: postgres_style_input
SELECT '01/02/2024'::date, 'Thu Feb 29 12:34:56 2024'::timestamp;
-- setup: SET DateStyle = 'Postgres, DMY'
-- name: postgres_dmy_output
SELECT id, d, ts FROM temporal WHERE id <= 10 ORDER BY id;
-- setup: SET DateStyle = 'ISO, DMY'
-- name: iso_dmy_output
SELECT id, d, ts, tstz FROM temporal WHERE id <= 10 ORDER BY id;
-- name: iso_dmy_input
SELECT '01/02/2024'::date, '2024-02-01'::date, '1/2/24'::date;
-- setup: SET DateStyle = 'ISO, YMD'
-- name: iso_ymd_input
SELECT '24/02/01'::date, '2024/02/01'::date;
-- setup: SET DateStyle = 'SQL, DMY'
-- setup: SET TimeZone = 'America/New_York'
-- name: sql_ny_output
SELECT id, tstz FROM temporal ORDER BY id;
-- name: sql_ny_abbrev_dst
SELECT TIMESTAMPTZ '2024-07-01 12:00+00', TIMESTAMPTZ '2024-01-01 12:00+00';
-- setup: SET DateStyle = 'Postgres'
-- setup: SET TimeZone = 'Asia/Kolkata'
-- name: postgres_kolkata_output
SELECT id, tstz FROM temporal ORDER BY id;
-- setup: SET DateStyle = 'German'
-- setup: SET TimeZone = 'Australia/Lord_Howe'
-- name: german_lord_howe_output
SELECT id, tstz FROM temporal ORDER BY id;
