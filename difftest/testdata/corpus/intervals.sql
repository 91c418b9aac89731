-- Intervals: input forms, output under every IntervalStyle, arithmetic,
-- comparison (30-day months, 24-hour days), extract, negative and mixed
-- signs, aggregation.

-- name: interval_output_columns
SELECT id, iv FROM temporal ORDER BY id;
-- name: interval_input_forms
SELECT INTERVAL '1 year 2 months 3 days', INTERVAL '1-2', INTERVAL '3 4:05:06', INTERVAL 'P1Y2M3DT4H5M6S', INTERVAL '@ 1 hour ago';
-- name: interval_input_units
SELECT INTERVAL '90 minutes', INTERVAL '1.5 hours', INTERVAL '2 weeks', INTERVAL '1 decade', INTERVAL '1 century', INTERVAL '1 millennium';
-- name: interval_input_fractions
SELECT INTERVAL '1.5 years', INTERVAL '0.5 months', INTERVAL '1.5 days', INTERVAL '0.1 seconds', INTERVAL '1.25 months';
-- name: interval_input_negative
SELECT INTERVAL '-1 day', INTERVAL '-1 day +2 hours', INTERVAL '1 day -2 hours', INTERVAL '-1 year +1 month', INTERVAL '- 1 day';
-- name: interval_input_qualifiers
SELECT INTERVAL '1 2' DAY TO HOUR, INTERVAL '123' MINUTE, INTERVAL '1:30' HOUR TO MINUTE, INTERVAL '2-6' YEAR TO MONTH, INTERVAL '40' DAY;
-- name: interval_qualifier_truncates
SELECT INTERVAL '1 day 12:34:56' DAY, INTERVAL '1 year 11 months' YEAR, INTERVAL '12:34:56.789' HOUR TO MINUTE, INTERVAL '12:34:56.789' SECOND(1);
-- name: interval_iso_forms
SELECT INTERVAL 'P1W', INTERVAL 'PT36H', INTERVAL 'P0.5Y', INTERVAL 'P1Y-2M', INTERVAL 'P0001-02-03T04:05:06';
-- name: interval_invalid
-- error: 22007
SELECT INTERVAL '1 fortnight';
-- name: interval_overflow
-- error: 22015
SELECT INTERVAL '2147483648 months';
-- name: interval_typmod
SELECT '1 day 02:03:04.56789'::interval(2), '1 day 02:03:04.56789'::interval(0), '1 year 2 days'::interval year;

-- name: interval_arith_basic
SELECT INTERVAL '1 day' + INTERVAL '2 hours', INTERVAL '1 month' - INTERVAL '1 day', INTERVAL '1 hour' * 3, INTERVAL '1 day' / 3;
-- name: interval_mul_fraction
SELECT INTERVAL '1 month' * 1.5, INTERVAL '1 month' / 2, INTERVAL '1 day' * 0.5, INTERVAL '1 year' / 7, 2.5 * INTERVAL '1 minute';
-- name: interval_mul_negative
SELECT INTERVAL '1 mon 1 day 01:00' * -1, -INTERVAL '1 day 02:00', INTERVAL '-1 mon' * -2;
-- name: interval_div_zero
-- error: 22012
SELECT INTERVAL '1 day' / 0;
-- name: interval_mul_overflow
-- error: 22008
SELECT INTERVAL '100000000 years' * 1000;
-- name: interval_mixed_signs_sum
SELECT INTERVAL '1 mon -1 day' + INTERVAL '-1 mon 1 day', INTERVAL '1 day -1 second' + INTERVAL '1 second';
-- name: interval_columns_arith
SELECT id, iv * 2, iv / 2, iv + INTERVAL '1 day', -iv FROM temporal WHERE id NOT IN (11, 12) ORDER BY id;
-- name: interval_plus_time
SELECT INTERVAL '1 hour' + TIME '23:30', pg_typeof(INTERVAL '1 hour' + TIME '23:30'), INTERVAL '1 day' + DATE '2024-01-01';

-- name: interval_compare_month_day
SELECT INTERVAL '1 month' = INTERVAL '30 days', INTERVAL '1 day' = INTERVAL '24 hours', INTERVAL '1 year' = INTERVAL '360 days', INTERVAL '1 year' > INTERVAL '364 days';
-- name: interval_compare_negative
SELECT INTERVAL '-1 day' < INTERVAL '0', INTERVAL '1 mon -30 days' = INTERVAL '0', INTERVAL '1 day -24 hours' = INTERVAL '0';
-- name: interval_order
SELECT id, iv FROM temporal ORDER BY iv NULLS FIRST, id;
-- name: interval_order_values
SELECT v FROM (VALUES (INTERVAL '1 month'), (INTERVAL '29 days'), (INTERVAL '31 days'), (INTERVAL '720 hours'), (INTERVAL '-1 year'), (INTERVAL '1 year -1 day')) t(v) ORDER BY v, v::text;
-- name: interval_distinct_equal
SELECT count(DISTINCT v) FROM (VALUES (INTERVAL '1 month'), (INTERVAL '30 days'), (INTERVAL '720 hours')) t(v);
-- name: interval_group_equal
SELECT count(*) FROM (VALUES (INTERVAL '1 day'), (INTERVAL '24 hours'), (INTERVAL '1440 minutes')) t(v) GROUP BY v;
-- name: interval_min_max
SELECT min(iv), max(iv) FROM temporal WHERE id NOT IN (11, 12);
-- name: interval_sum_avg
SELECT sum(iv), avg(iv) FROM temporal WHERE id NOT IN (11, 12, 13, 19);
-- name: interval_sum_days
SELECT sum(INTERVAL '1 day') FROM generate_series(1, 45);
-- name: interval_avg_values
SELECT avg(v) FROM (VALUES (INTERVAL '1 month'), (INTERVAL '1 day'), (INTERVAL '1 hour')) t(v);
-- name: interval_sum_empty
SELECT sum(iv), avg(iv) FROM temporal WHERE false;

-- name: interval_extract_fields
SELECT id, extract(year FROM iv), extract(month FROM iv), extract(day FROM iv), extract(hour FROM iv), extract(minute FROM iv), extract(second FROM iv) FROM temporal ORDER BY id;
-- name: interval_extract_more
SELECT id, extract(epoch FROM iv), extract(microseconds FROM iv), extract(milliseconds FROM iv), extract(quarter FROM iv), extract(decade FROM iv), extract(century FROM iv) FROM temporal ORDER BY id;
-- name: interval_extract_negative
SELECT extract(hour FROM INTERVAL '-25 hours'), extract(day FROM INTERVAL '-1 mon -3 days'), extract(month FROM INTERVAL '-14 months'), extract(year FROM INTERVAL '-14 months');
-- name: interval_date_part
SELECT date_part('hour', INTERVAL '4 days 05:06:07'), date_part('epoch', INTERVAL '1 mon'), date_part('day', INTERVAL '40 days');
-- name: interval_extract_bad_field
-- error: 0A000
SELECT extract(dow FROM INTERVAL '1 day');
-- name: interval_justify_compare
SELECT justify_interval(INTERVAL '1 mon -1 day') = INTERVAL '29 days', justify_days(INTERVAL '60 days'), justify_hours(INTERVAL '49:30');

-- name: interval_to_text
SELECT id, iv::text, length(iv::text) FROM temporal ORDER BY id;
-- name: interval_from_text_roundtrip
SELECT id, iv::text::interval = iv FROM temporal ORDER BY id;
-- name: interval_from_numbers
SELECT 5 * INTERVAL '1 day', make_interval(days => 10), (10 || ' days')::interval, concat(3, ' hours')::interval;
-- name: interval_between_timestamps
SELECT ts - TIMESTAMP '2000-01-01' AS since_y2k FROM temporal WHERE id NOT IN (11, 12) ORDER BY id;
-- name: interval_hours_between
SELECT id, extract(epoch FROM tstz - TIMESTAMPTZ '2024-01-01 00:00+00') / 3600 AS hours FROM temporal WHERE id NOT IN (11, 12) ORDER BY id;
-- name: interval_days_between_dates
SELECT DATE '2024-12-25' - DATE '2024-01-01', (DATE '2024-12-25' - DATE '2024-01-01') * INTERVAL '1 day';
-- name: interval_type_of_ops
SELECT pg_typeof(INTERVAL '1 day' * 2), pg_typeof(TIMESTAMP '2024-01-01' - TIMESTAMP '2023-01-01'), pg_typeof(TIME '10:00' - TIME '09:00'), pg_typeof(DATE '2024-01-02' - DATE '2024-01-01');
-- name: interval_emp_tenure
SELECT id, age(DATE '2025-01-01', hired), DATE '2025-01-01' - hired FROM emp ORDER BY id;
-- name: interval_order_delivery
SELECT status, avg(ordered_at - TIMESTAMPTZ '2023-01-01 00:00+00') FROM orders GROUP BY status ORDER BY status;

-- setup: SET IntervalStyle = 'sql_standard'
-- name: sql_standard_columns
SELECT id, iv FROM temporal ORDER BY id;
-- name: sql_standard_literals
SELECT INTERVAL '1 year 2 months', INTERVAL '3 days 04:05:06', INTERVAL '-1 year -2 months', INTERVAL '1 day -1 hour', INTERVAL '0', INTERVAL '1.5 seconds';
-- name: sql_standard_mixed_signs
SELECT INTERVAL '1 year -2 months 3 days', INTERVAL '-1 day +02:00', INTERVAL '1 mon -1 days';
-- name: sql_standard_input
SELECT INTERVAL '-1 2:03:04', INTERVAL '1-2', INTERVAL '-1-2';
-- name: sql_standard_text
SELECT id, iv::text FROM temporal WHERE id <= 10 ORDER BY id;
-- setup: SET IntervalStyle = 'postgres_verbose'
-- name: verbose_columns
SELECT id, iv FROM temporal ORDER BY id;
-- name: verbose_literals
SELECT INTERVAL '1 year 2 months', INTERVAL '3 days 04:05:06', INTERVAL '-1 day', INTERVAL '0', INTERVAL '1.5 seconds', INTERVAL '-00:00:01';
-- name: verbose_mixed
SELECT INTERVAL '1 mon -1 days', INTERVAL '-1 day +02:00';
-- setup: SET IntervalStyle = 'iso_8601'
-- name: iso_8601_columns
SELECT id, iv FROM temporal ORDER BY id;
-- name: iso_8601_literals
SELECT INTERVAL '1 year 2 months', INTERVAL '3 days 04:05:06', INTERVAL '-1 day', INTERVAL '0', INTERVAL '1.5 seconds', INTERVAL '-1 day +02:00';
-- name: iso_8601_arith
SELECT TIMESTAMP '2024-03-01' - TIMESTAMP '2024-02-01', INTERVAL '1 hour' * 1.5, justify_hours(INTERVAL '27 hours');
-- name: iso_8601_aggregate
SELECT dept, sum(DATE '2025-01-01' - hired) AS days, avg(age(DATE '2025-01-01', hired)) FROM emp GROUP BY dept ORDER BY dept NULLS LAST;
-- setup: SET IntervalStyle = 'postgres'
-- name: postgres_style_explicit
SELECT INTERVAL '1 mon -1 days', INTERVAL '-1 day +02:00', INTERVAL '-1 year -2 mons +3 days -04:05:06';
-- setup: SET IntervalStyle = 'sql_standard'
-- setup: SET DateStyle = 'SQL, DMY'
-- name: sql_standard_with_sql_datestyle
SELECT INTERVAL '1 day 02:00', TIMESTAMP '2024-01-02 03:04:05', INTERVAL '-1 year';
