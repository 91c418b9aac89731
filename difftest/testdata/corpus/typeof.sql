-- pg_typeof of many expressions: a cheap way to compare the result type
-- PostgreSQL resolves for operators, functions and aggregates.

-- name: typeof_int_arith
SELECT pg_typeof(1::int2 + 1::int2), pg_typeof(1::int2 + 1), pg_typeof(1 + 1::int8), pg_typeof(1::int2 * 1::int8), pg_typeof(7 / 2), pg_typeof(7 % 2);
-- name: typeof_numeric_arith
SELECT pg_typeof(1.5 + 1), pg_typeof(1.5 * 2::int8), pg_typeof(1.5 / 3), pg_typeof(1::numeric % 3), pg_typeof(-1.5), pg_typeof(@ -1.5);
-- name: typeof_float_arith
SELECT pg_typeof(1.5::float4 + 1::float4), pg_typeof(1.5::float4 + 1), pg_typeof(1.5::float4 * 1.5::float8), pg_typeof(1::float8 / 2), pg_typeof(1.5::float8 + 1.5);
-- name: typeof_numeric_float_mix
SELECT pg_typeof(1.5::numeric + 1.5::float4), pg_typeof(1::int8 + 1.5::float4), pg_typeof(2::int2 ^ 2::int2);
-- name: typeof_math_functions
SELECT pg_typeof(abs(-1::int2)), pg_typeof(abs(-1.5)), pg_typeof(round(1.5)), pg_typeof(round(1.5::float8)), pg_typeof(round(1.5, 1)), pg_typeof(trunc(1.5::float4));
-- name: typeof_math_functions_2
SELECT pg_typeof(ceil(1.5)), pg_typeof(ceil(1.5::float4)), pg_typeof(floor(1)), pg_typeof(sqrt(2)), pg_typeof(sqrt(2.0)), pg_typeof(exp(1)), pg_typeof(ln(2.0)), pg_typeof(log(2, 8));
-- name: typeof_math_functions_3
SELECT pg_typeof(power(2, 3)), pg_typeof(power(2.0, 3)), pg_typeof(mod(7, 2)), pg_typeof(mod(7::int2, 2::int2)), pg_typeof(mod(7.5, 2)), pg_typeof(sign(1)), pg_typeof(sign(1.5));
-- name: typeof_math_functions_4
SELECT pg_typeof(gcd(4, 6)), pg_typeof(gcd(4::int8, 6)), pg_typeof(width_bucket(1, 0, 10, 5)), pg_typeof(pi()), pg_typeof(random()), pg_typeof(div(7, 2)), pg_typeof(factorial(3));
-- name: typeof_string_functions
SELECT pg_typeof(length('a')), pg_typeof(upper('a')), pg_typeof(substr('abc', 1, 1)), pg_typeof('a' || 'b'), pg_typeof(concat('a', 1)), pg_typeof(position('a' IN 'a'));
-- name: typeof_string_functions_2
SELECT pg_typeof(trim(' a ')), pg_typeof(lpad('a', 3)), pg_typeof(repeat('a', 2)), pg_typeof(split_part('a,b', ',', 1)), pg_typeof(replace('a', 'a', 'b')), pg_typeof(reverse('ab'));
-- name: typeof_string_functions_3
SELECT pg_typeof(md5('a')), pg_typeof(ascii('a')), pg_typeof(chr(65)), pg_typeof(to_hex(255)), pg_typeof(quote_ident('a')), pg_typeof(format('%s', 1)), pg_typeof(octet_length('a'));
-- name: typeof_varchar_functions
SELECT pg_typeof(upper(vc)), pg_typeof(vc || vc), pg_typeof(substr(vc, 1)), pg_typeof(trim(c)), pg_typeof(c || 'x'), pg_typeof(lower(c)) FROM texts WHERE id = 1;
-- name: typeof_char_concat
SELECT pg_typeof('a'::char(3) || 'b'::char(3)), pg_typeof('a'::varchar || 'b'::varchar), pg_typeof('a'::char || 1);
-- name: typeof_regex_functions
SELECT pg_typeof(regexp_replace('a', 'a', 'b')), pg_typeof(regexp_match('a', 'a')), pg_typeof(regexp_split_to_array('a', ',')), pg_typeof(regexp_count('a', 'a')), pg_typeof('a' ~ 'a');
-- name: typeof_date_arith
SELECT pg_typeof(DATE '2024-01-01' + 1), pg_typeof(DATE '2024-01-01' - 1), pg_typeof(DATE '2024-01-02' - DATE '2024-01-01'), pg_typeof(DATE '2024-01-01' + INTERVAL '1 day'), pg_typeof(DATE '2024-01-01' + TIME '10:00');
-- name: typeof_timestamp_arith
SELECT pg_typeof(TIMESTAMP '2024-01-01' + INTERVAL '1 day'), pg_typeof(TIMESTAMP '2024-01-02' - TIMESTAMP '2024-01-01'), pg_typeof(TIMESTAMPTZ '2024-01-01' + INTERVAL '1 h'), pg_typeof(TIMESTAMPTZ '2024-01-02' - TIMESTAMPTZ '2024-01-01');
-- name: typeof_time_arith
SELECT pg_typeof(TIME '10:00' + INTERVAL '1 h'), pg_typeof(TIME '10:00' - TIME '09:00'), pg_typeof(TIMETZ '10:00+00' + INTERVAL '1 h'), pg_typeof(INTERVAL '1 h' * 2), pg_typeof(INTERVAL '1 h' / 2);
-- name: typeof_date_functions
SELECT pg_typeof(date_trunc('day', TIMESTAMP '2024-01-01')), pg_typeof(date_trunc('day', TIMESTAMPTZ '2024-01-01')), pg_typeof(date_trunc('day', DATE '2024-01-01')), pg_typeof(date_trunc('day', INTERVAL '1 day'));
-- name: typeof_date_functions_2
SELECT pg_typeof(extract(year FROM DATE '2024-01-01')), pg_typeof(date_part('year', DATE '2024-01-01')), pg_typeof(age(TIMESTAMP '2024-01-01', TIMESTAMP '2023-01-01')), pg_typeof(age(DATE '2024-01-01', DATE '2023-01-01'));
-- name: typeof_date_functions_3
SELECT pg_typeof(make_date(2024, 1, 1)), pg_typeof(make_timestamp(2024, 1, 1, 0, 0, 0)), pg_typeof(make_timestamptz(2024, 1, 1, 0, 0, 0)), pg_typeof(make_interval(days => 1)), pg_typeof(make_time(1, 2, 3));
-- name: typeof_date_functions_4
SELECT pg_typeof(to_timestamp(0)), pg_typeof(to_timestamp('2024', 'YYYY')), pg_typeof(to_date('2024', 'YYYY')), pg_typeof(to_char(1, '9')), pg_typeof(to_number('1', '9')), pg_typeof(justify_days(INTERVAL '1 day'));
-- name: typeof_at_time_zone
SELECT pg_typeof(TIMESTAMP '2024-01-01' AT TIME ZONE 'UTC'), pg_typeof(TIMESTAMPTZ '2024-01-01' AT TIME ZONE 'UTC'), pg_typeof(TIMETZ '10:00+00' AT TIME ZONE 'UTC');
-- name: typeof_generate_series
SELECT pg_typeof(g) FROM generate_series(1, 1) g;
-- name: typeof_generate_series_variants
SELECT pg_typeof((SELECT g FROM generate_series(1::int8, 1) g)), pg_typeof((SELECT g FROM generate_series(1.5, 2) g)), pg_typeof((SELECT g FROM generate_series(TIMESTAMP '2024-01-01', TIMESTAMP '2024-01-01', INTERVAL '1 day') g));
-- name: typeof_aggregates_int
SELECT pg_typeof(sum(i2)), pg_typeof(sum(i4)), pg_typeof(sum(i8)), pg_typeof(avg(i2)), pg_typeof(avg(i4)), pg_typeof(avg(i8)), pg_typeof(max(i2)), pg_typeof(count(i2)) FROM numbers;
-- name: typeof_aggregates_float
SELECT pg_typeof(sum(f4)), pg_typeof(sum(f8)), pg_typeof(avg(f4)), pg_typeof(avg(f8)), pg_typeof(stddev(f4)), pg_typeof(variance(i4)), pg_typeof(stddev(i8)) FROM numbers WHERE id = 2;
-- name: typeof_aggregates_numeric
SELECT pg_typeof(sum(n)), pg_typeof(avg(n)), pg_typeof(max(n)), pg_typeof(stddev(n)), pg_typeof(sum(nu)), pg_typeof(min(nb)) FROM numbers WHERE id = 2;
-- name: typeof_aggregates_other
SELECT pg_typeof(bool_and(flag)), pg_typeof(string_agg(note, ',')), pg_typeof(array_agg(id)), pg_typeof(array_agg(note)), pg_typeof(json_agg(id)), pg_typeof(jsonb_agg(id)), pg_typeof(json_object_agg(id, note)) FROM misc;
-- name: typeof_aggregates_temporal
SELECT pg_typeof(min(d)), pg_typeof(max(ts)), pg_typeof(min(tstz)), pg_typeof(sum(iv)), pg_typeof(avg(iv)), pg_typeof(max(t)), pg_typeof(min(ttz)) FROM temporal;
-- name: typeof_statistics
SELECT pg_typeof(corr(x, y)), pg_typeof(covar_pop(x, y)), pg_typeof(regr_count(x, y)), pg_typeof(regr_slope(x, y)), pg_typeof(corr(g, id)) FROM series;
-- name: typeof_ordered_set
SELECT pg_typeof(percentile_cont(0.5) WITHIN GROUP (ORDER BY g)), pg_typeof(percentile_disc(0.5) WITHIN GROUP (ORDER BY g)), pg_typeof(mode() WITHIN GROUP (ORDER BY grp)), pg_typeof(percentile_cont(0.5) WITHIN GROUP (ORDER BY n)) FROM series;
-- name: typeof_window_functions
SELECT pg_typeof(row_number() OVER ()), pg_typeof(rank() OVER ()), pg_typeof(dense_rank() OVER ()), pg_typeof(ntile(2) OVER ()), pg_typeof(lag(id) OVER ()), pg_typeof(first_value(name) OVER ()) FROM emp WHERE id = 1;
-- name: typeof_window_aggregates
SELECT pg_typeof(sum(id) OVER ()), pg_typeof(avg(rating) OVER ()), pg_typeof(count(*) OVER ()), pg_typeof(sum(salary) OVER ()), pg_typeof(sum(bonus) OVER ()) FROM emp WHERE id = 1;
-- name: typeof_json_operators
SELECT pg_typeof('{}'::jsonb -> 'a'), pg_typeof('{}'::jsonb ->> 'a'), pg_typeof('{}'::json -> 'a'), pg_typeof('{}'::jsonb #> '{a}'), pg_typeof('{}'::jsonb @> '{}'), pg_typeof('{}'::jsonb || '{}');
-- name: typeof_json_functions
SELECT pg_typeof(jsonb_build_object()), pg_typeof(json_build_object()), pg_typeof(to_json(1)), pg_typeof(to_jsonb(1)), pg_typeof(jsonb_typeof('1')), pg_typeof(jsonb_array_length('[]')), pg_typeof(row_to_json(ROW(1)));
-- name: typeof_json_set_functions
SELECT pg_typeof(jsonb_set('{}', '{a}', '1')), pg_typeof(jsonb_strip_nulls('{}')), pg_typeof(jsonb_pretty('{}')), pg_typeof(jsonb_extract_path_text('{}', 'a')), pg_typeof(jsonb_path_query_first('{}', '$'));
-- name: typeof_array_functions
SELECT pg_typeof(array_length(ARRAY[1], 1)), pg_typeof(cardinality(ARRAY[1])), pg_typeof(array_position(ARRAY[1], 1)), pg_typeof(array_positions(ARRAY[1], 1)), pg_typeof(array_to_string(ARRAY[1], ',')), pg_typeof(string_to_array('a', ','));
-- name: typeof_array_functions_2
SELECT pg_typeof(array_cat(ARRAY[1], ARRAY[2])), pg_typeof(array_append(ARRAY[1::int8], 2)), pg_typeof(ARRAY[1] || 2), pg_typeof(array_dims(ARRAY[1])), pg_typeof(array_ndims(ARRAY[1])), pg_typeof((ARRAY[1.5])[1]);
-- name: typeof_array_subscripts
SELECT pg_typeof(ia[1]), pg_typeof(ia[1:2]), pg_typeof(ta[1]), pg_typeof(na[1]), pg_typeof(da[1]) FROM arrs WHERE id = 1;
-- name: typeof_unnest
SELECT pg_typeof(x) FROM unnest(ARRAY[1.5::numeric(4,2)]) x;
-- name: typeof_case_coalesce
SELECT pg_typeof(coalesce(1, 2::int8)), pg_typeof(coalesce(1.5, 1)), pg_typeof(nullif(1::int2, 1)), pg_typeof(greatest(1::int2, 2::int4)), pg_typeof(least(1.5, 2::float8));
-- name: typeof_comparison_results
SELECT pg_typeof(1 < 2), pg_typeof(1 IS NULL), pg_typeof('a' LIKE 'a'), pg_typeof(1 IN (1)), pg_typeof(EXISTS (SELECT 1)), pg_typeof(1 = ANY (ARRAY[1]));
-- name: typeof_subqueries
SELECT pg_typeof((SELECT 1)), pg_typeof((SELECT 1.5)), pg_typeof((SELECT count(*) FROM emp)), pg_typeof(ARRAY(SELECT id FROM emp)), pg_typeof((SELECT name FROM emp LIMIT 1));
-- name: typeof_columns_all_numbers
SELECT pg_typeof(i2), pg_typeof(i4), pg_typeof(i8), pg_typeof(f4), pg_typeof(f8), pg_typeof(n), pg_typeof(nu), pg_typeof(n0), pg_typeof(nb) FROM numbers WHERE id = 1;
-- name: typeof_columns_texts
SELECT pg_typeof(t), pg_typeof(vc), pg_typeof(c), pg_typeof(lang) FROM texts WHERE id = 1;
-- name: typeof_columns_misc
SELECT pg_typeof(flag), pg_typeof(data), pg_typeof(u), pg_typeof(ip), pg_typeof(m)::text, pg_typeof(note) FROM misc WHERE id = 1;
-- name: typeof_columns_temporal
SELECT pg_typeof(d), pg_typeof(t), pg_typeof(ttz), pg_typeof(ts), pg_typeof(tstz), pg_typeof(iv) FROM temporal WHERE id = 1;
-- name: typeof_columns_json_arrays
SELECT pg_typeof(j), pg_typeof(jb), pg_typeof(ia), pg_typeof(ta), pg_typeof(na), pg_typeof(fa), pg_typeof(ba), pg_typeof(da) FROM docs, arrs WHERE docs.id = 1 AND arrs.id = 1;
-- name: typeof_columns_matrix
SELECT pg_typeof(m), pg_typeof(tm) FROM matrix WHERE id = 1;
-- name: typeof_casts_to_text_types
SELECT pg_typeof(1::text), pg_typeof(1::varchar), pg_typeof(1::char), pg_typeof('a'::name), pg_typeof('a'::bpchar), pg_typeof('x'::"char");
-- name: typeof_bit_ops
SELECT pg_typeof(1 & 2), pg_typeof(1::int8 | 2), pg_typeof(~1::int2), pg_typeof(1 << 2), pg_typeof(B'1' & B'1');
-- name: typeof_misc_functions
SELECT pg_typeof(md5('a')), pg_typeof(gen_random_uuid()), pg_typeof(encode('a'::bytea, 'hex')), pg_typeof(decode('00', 'hex')), pg_typeof(sha256('a'::bytea)), pg_typeof(length('a'::bytea));
-- name: typeof_system_functions
SELECT pg_typeof(current_database()), pg_typeof(current_user), pg_typeof(version()), pg_typeof(current_setting('TimeZone')), pg_typeof(pg_backend_pid()), pg_typeof(txid_current_if_assigned());
-- name: typeof_money
SELECT pg_typeof('1'::money), pg_typeof('1'::money * 2), pg_typeof('1'::money / '1'::money), pg_typeof(sum('1'::money));
-- name: typeof_range_and_other
SELECT pg_typeof(int4range(1, 2)), pg_typeof(lower(int4range(1, 2))), pg_typeof(point(1, 2)), pg_typeof('1'::oid);
-- name: typeof_values_resolution
SELECT pg_typeof(column1), pg_typeof(column2), pg_typeof(column3) FROM (VALUES (1, 1.5, 'a'), (2::int8, 2, 'b')) v LIMIT 1;
-- name: typeof_union_resolution
SELECT pg_typeof(x) FROM (SELECT 1::int2 AS x UNION ALL SELECT 1::int4) s LIMIT 1;
-- name: typeof_union_text_varchar
SELECT pg_typeof(x) FROM (SELECT 'a'::varchar AS x UNION ALL SELECT 'b'::text) s LIMIT 1;
-- name: typeof_union_char_text
SELECT pg_typeof(x) FROM (SELECT 'a'::char(2) AS x UNION ALL SELECT 'b') s LIMIT 1;
-- name: typeof_case_dates
SELECT pg_typeof(CASE WHEN true THEN DATE '2024-01-01' ELSE TIMESTAMP '2024-01-01' END), pg_typeof(CASE WHEN true THEN TIMESTAMP '2024-01-01' ELSE TIMESTAMPTZ '2024-01-01' END);
-- name: typeof_interval_extract
SELECT pg_typeof(extract(epoch FROM INTERVAL '1 day')), pg_typeof(date_part('epoch', INTERVAL '1 day')), pg_typeof(extract(epoch FROM TIMESTAMPTZ '2024-01-01'));
-- name: typeof_text_search
SELECT pg_typeof(to_tsvector('simple', 'a')), pg_typeof(to_tsquery('simple', 'a')), pg_typeof(to_tsvector('simple', 'a') @@ to_tsquery('simple', 'a'));
-- name: typeof_row
SELECT pg_typeof(ROW(1, 'a')), pg_typeof((1, 2)), pg_typeof(e)::text FROM emp e WHERE id = 1;
-- name: typeof_string_to_table
SELECT pg_typeof(x) FROM string_to_table('a,b', ',') x LIMIT 1;
-- name: typeof_jsonb_each
SELECT pg_typeof(key), pg_typeof(value) FROM jsonb_each('{"a": 1}');
-- name: typeof_json_each_text
SELECT pg_typeof(key), pg_typeof(value) FROM json_each_text('{"a": 1}');
-- name: typeof_regexp_matches_srf
SELECT pg_typeof(m) FROM regexp_matches('abc', 'b') m;
-- name: typeof_ordinality
SELECT pg_typeof(n) FROM unnest(ARRAY[1]) WITH ORDINALITY u(x, n);
-- name: typeof_percent_rank_cume
SELECT pg_typeof(percent_rank() OVER ()), pg_typeof(cume_dist() OVER ()) FROM emp WHERE id = 1;
-- name: typeof_length_variants
SELECT pg_typeof(char_length('a')), pg_typeof(bit_length('a')), pg_typeof(array_upper(ARRAY[1], 1)), pg_typeof(strpos('a', 'a'));
-- name: typeof_date_minus_int_columns
SELECT pg_typeof(d - 1), pg_typeof(d - d), pg_typeof(ts - ts), pg_typeof(tstz - tstz), pg_typeof(t - t), pg_typeof(iv + iv) FROM temporal WHERE id = 1;
-- name: typeof_numeric_typmod_not_visible
SELECT pg_typeof(n), pg_typeof(n + 0), pg_typeof(n::numeric(5,1)) FROM numbers WHERE id = 1;
-- name: typeof_format_type
SELECT format_type('numeric'::regtype, 393222), format_type('varchar'::regtype, 14), format_type('timestamptz'::regtype, 3), format_type('int4'::regtype, NULL);
-- name: typeof_enum_functions
SELECT pg_typeof(enum_first(NULL::mood))::text, pg_typeof(enum_range(NULL::mood))::text, pg_typeof(priority)::text FROM orders WHERE id = 1;
