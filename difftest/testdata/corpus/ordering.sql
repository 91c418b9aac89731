-- ORDER BY: NULL placement defaults, ASC/DESC, positions and aliases,
-- expressions, text collation (code points in the C.UTF-8 database),
-- unicode and case, char padding, numbers incl. NaN/-0, ties broken by
-- a second key.

-- name: order_text_collation
SELECT id, t FROM texts ORDER BY t COLLATE "C", id;
-- name: order_text_default
SELECT id, t FROM texts ORDER BY t NULLS FIRST, id;
-- name: order_text_desc
SELECT id, t FROM texts ORDER BY t DESC, id;
-- name: order_varchar_column
SELECT id, vc FROM texts ORDER BY vc, id;
-- name: order_char_padding
SELECT id, c FROM texts ORDER BY c DESC NULLS LAST, id;
-- name: order_lower
SELECT id, t FROM texts ORDER BY lower(t), id;
-- name: order_unicode_values
SELECT v FROM (VALUES ('a'), ('B'), ('ä'), ('Z'), ('é'), ('e'), ('😀'), ('東'), (''), (' '), ('_'), ('1')) t(v) ORDER BY v;
-- name: order_unicode_values_desc
SELECT v FROM (VALUES ('a'), ('B'), ('ä'), ('Z'), ('é'), ('e'), ('😀'), ('東'), (''), (' '), ('_'), ('1')) t(v) ORDER BY v DESC;
-- name: order_case_sensitive
SELECT name FROM (VALUES ('alice'), ('Alice'), ('ALICE'), ('bob'), ('Bob')) t(name) ORDER BY name;
-- name: order_by_position
SELECT dept, name FROM emp ORDER BY 1 NULLS FIRST, 2;
-- name: order_by_alias
SELECT name AS n, salary * 2 AS s2 FROM emp ORDER BY s2 DESC NULLS LAST, n;
-- name: order_by_expression_not_selected
SELECT name FROM emp ORDER BY length(name) DESC, name;
-- name: order_by_case
SELECT id, dept FROM emp ORDER BY CASE dept WHEN 'sales' THEN 0 WHEN 'eng' THEN 1 ELSE 2 END, id;
-- name: order_by_multiple_directions
SELECT dept, rating, id FROM emp ORDER BY dept ASC NULLS LAST, rating DESC NULLS LAST, id DESC;
-- name: order_numbers_with_specials
SELECT id, f4 FROM numbers ORDER BY f4 NULLS FIRST, id;
-- name: order_numeric_desc
SELECT id, nu FROM numbers ORDER BY nu DESC NULLS LAST, id;
-- name: order_int_desc_nulls_default
SELECT id, i2 FROM numbers ORDER BY i2 DESC, id;
-- name: order_dates_infinity
SELECT id, d FROM temporal ORDER BY d DESC NULLS LAST, id;
-- name: order_timestamps_bc
SELECT id, ts FROM temporal ORDER BY ts, id;
-- name: order_time
SELECT id, t FROM temporal ORDER BY t NULLS FIRST, id;
-- name: order_timetz
SELECT id, ttz FROM temporal ORDER BY ttz NULLS FIRST, id;
-- name: order_interval
SELECT id, iv FROM temporal ORDER BY iv DESC NULLS LAST, id;
-- name: order_bool
SELECT id, flag FROM misc ORDER BY flag, id;
-- name: order_bytea
SELECT id, data FROM misc ORDER BY data NULLS FIRST, id;
-- name: order_uuid
SELECT id, u FROM misc ORDER BY u, id;
-- name: order_inet
SELECT id, ip FROM misc ORDER BY ip NULLS FIRST, id;
-- name: order_enum
SELECT id, m FROM misc ORDER BY m DESC NULLS LAST, id;
-- name: order_enum_vs_text
SELECT id, m FROM misc ORDER BY m::text NULLS LAST, id;
-- name: order_jsonb
SELECT id, jb FROM docs ORDER BY jb DESC NULLS LAST, id;
-- name: order_arrays
SELECT id, ta FROM arrs ORDER BY ta NULLS FIRST, id;
-- name: order_random_not_output
SELECT count(*) FROM (SELECT id FROM emp ORDER BY random()) s;
-- name: order_by_aggregate
SELECT dept, count(*) FROM emp GROUP BY dept ORDER BY count(*) DESC, dept NULLS FIRST;
-- name: order_by_window
SELECT id, name FROM emp ORDER BY row_number() OVER (ORDER BY name DESC);
-- name: order_by_subquery
SELECT id FROM emp e ORDER BY (SELECT count(*) FROM emp x WHERE x.salary > e.salary), id;
-- name: order_by_using_operator
SELECT id FROM emp ORDER BY salary USING >, id;
-- name: order_by_in_aggregate_desc
SELECT string_agg(name, ',' ORDER BY name DESC) FROM emp;
-- name: order_by_collate_c_aggregate
SELECT string_agg(v, '' ORDER BY v COLLATE "C") FROM (VALUES ('b'), ('A'), ('a'), ('B')) t(v);
-- name: order_by_numeric_text
SELECT v FROM (VALUES ('10'), ('9'), ('100'), ('1')) t(v) ORDER BY v;
-- name: order_by_numeric_cast
SELECT v FROM (VALUES ('10'), ('9'), ('100'), ('1')) t(v) ORDER BY v::int;
-- name: order_by_nulls_in_expression
SELECT id, a + b FROM nn ORDER BY a + b NULLS FIRST, id;
-- name: order_by_boolean_expression
SELECT id, name FROM emp ORDER BY dept = 'eng' DESC, id;
-- name: order_by_float_negative_zero
SELECT v FROM (VALUES (0.0::float8), ('-0'::float8), (-1), (1)) t(v) ORDER BY v, v::text;
-- name: order_large_sort
SELECT id, x, y FROM series ORDER BY y DESC NULLS FIRST, x, id LIMIT 25;
-- name: order_by_two_text_columns
SELECT country, city, count(*) FROM customers GROUP BY country, city ORDER BY country, city NULLS FIRST;
-- name: order_by_date_trunc
SELECT date_trunc('month', order_date) AS m, count(*) FROM orders GROUP BY m ORDER BY m DESC;
-- name: order_spaces_and_punctuation
SELECT v FROM (VALUES ('a b'), ('ab'), ('a-b'), ('a_b'), ('a.b'), ('A b')) t(v) ORDER BY v;
-- name: order_by_column_number_and_name_mix
SELECT dept AS d, count(*) AS n FROM emp GROUP BY 1 ORDER BY n DESC, d NULLS LAST;
