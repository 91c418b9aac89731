-- DISTINCT and DISTINCT ON: NULLs as one value, distinct over numerics
-- of different scales and over char padding, DISTINCT ON with ORDER BY.

-- name: distinct_single
SELECT DISTINCT dept FROM emp ORDER BY dept NULLS FIRST;
-- name: distinct_multi
SELECT DISTINCT dept, rating FROM emp ORDER BY dept NULLS LAST, rating NULLS LAST;
-- name: distinct_unordered
SELECT DISTINCT status FROM orders;
-- name: distinct_nulls_one_group
SELECT DISTINCT a, b FROM nn ORDER BY a NULLS FIRST, b NULLS FIRST;
-- name: distinct_expression
SELECT DISTINCT g % 7 FROM series ORDER BY 1;
-- name: distinct_count
SELECT count(*) FROM (SELECT DISTINCT grp, g FROM series) s;
-- name: distinct_numeric_scales
SELECT DISTINCT v FROM (VALUES (1.0), (1.00), (2), (2.000)) t(v) ORDER BY v;
-- name: distinct_float_zero
SELECT count(DISTINCT v) FROM (VALUES (0.0::float8), ('-0'::float8)) t(v);
-- name: distinct_nan
SELECT count(DISTINCT v) FROM (VALUES ('NaN'::float8), ('NaN'::float8), (1)) t(v);
-- name: distinct_char_padding
SELECT DISTINCT c FROM (VALUES ('ab'::char(4)), ('ab  '::char(4)), ('ab'::char(4))) t(c);
-- name: distinct_text_case
SELECT DISTINCT lower(name) FROM emp WHERE id <= 5 ORDER BY 1;
-- name: distinct_array
SELECT DISTINCT ARRAY[g % 2, g % 3] AS a FROM series ORDER BY a;
-- name: distinct_jsonb
SELECT DISTINCT jb -> 'k' FROM docs, jsonb_array_elements(CASE WHEN id = 15 THEN jb ELSE '[]' END) e(x) ORDER BY 1;
-- name: distinct_on_first_per_group
SELECT DISTINCT ON (dept) dept, id, name, salary FROM emp ORDER BY dept NULLS LAST, salary DESC NULLS LAST, id;
-- name: distinct_on_two_keys
SELECT DISTINCT ON (status, channel) status, channel, id, total FROM orders ORDER BY status, channel NULLS FIRST, total DESC NULLS LAST, id;
-- name: distinct_on_latest_order
SELECT DISTINCT ON (customer_id) customer_id, id, ordered_at FROM orders WHERE customer_id <= 15 ORDER BY customer_id, ordered_at DESC, id;
-- name: distinct_on_expression
SELECT DISTINCT ON (g % 5) g % 5 AS k, id FROM series ORDER BY g % 5, id DESC;
-- name: distinct_on_order_mismatch_error
-- error: 42P10
SELECT DISTINCT ON (dept) dept, name FROM emp ORDER BY name;
-- name: distinct_on_limit
SELECT DISTINCT ON (grp) grp, id, x FROM series ORDER BY grp, x DESC, id LIMIT 3;
-- name: distinct_order_by_not_selected_error
-- error: 42P10
SELECT DISTINCT dept FROM emp ORDER BY salary;
-- name: distinct_with_window
SELECT DISTINCT dept, count(*) OVER (PARTITION BY dept) FROM emp ORDER BY dept NULLS LAST;
-- name: distinct_with_group_by
SELECT DISTINCT count(*) FROM emp GROUP BY dept ORDER BY 1;
-- name: distinct_all_keyword
SELECT ALL dept FROM emp WHERE id <= 3 ORDER BY id;
-- name: distinct_star
SELECT DISTINCT * FROM tri ORDER BY a NULLS LAST, b NULLS LAST;
-- name: distinct_events_duplicates
SELECT count(*), count(DISTINCT (user_id, event_name, occurred_at)) FROM events;
-- name: distinct_events_rows
SELECT count(*) FROM (SELECT DISTINCT * FROM events) s;
-- name: distinct_dates
SELECT DISTINCT order_date FROM orders WHERE order_date < DATE '2023-01-12' ORDER BY 1;
-- name: distinct_tstz_to_date
SELECT DISTINCT ordered_at::date FROM orders WHERE id <= 30 ORDER BY 1;
-- name: distinct_bool
SELECT DISTINCT flag FROM misc ORDER BY flag NULLS FIRST;
-- name: distinct_uuid
SELECT DISTINCT u FROM misc ORDER BY u NULLS LAST;
-- name: distinct_interval_equal
SELECT count(*) FROM (SELECT DISTINCT v FROM (VALUES (INTERVAL '1 day'), (INTERVAL '24 hours'), (INTERVAL '1 mon'), (INTERVAL '30 days')) t(v)) s;
-- name: distinct_enum
SELECT DISTINCT priority FROM orders ORDER BY priority;
-- name: distinct_inet
SELECT DISTINCT ip FROM misc ORDER BY ip NULLS FIRST;
-- name: distinct_in_subquery_in
SELECT count(*) FROM customers WHERE id IN (SELECT DISTINCT customer_id FROM orders);
-- name: count_distinct_row_null_fields
SELECT count(DISTINCT (a, b)), count(DISTINCT ROW(b)), count(DISTINCT (s, flag)) FROM nn;
-- name: count_distinct_row_unknown_field
-- error: 42883
SELECT count(DISTINCT ROW(a, 'k')) FROM nn;
-- name: select_distinct_row
SELECT DISTINCT (a, b) IS NULL, ROW(a, b) FROM nn;
-- name: group_by_row
SELECT ROW(a, b), count(*) FROM nn GROUP BY ROW(a, b);
-- name: row_distinct_from_nulls
SELECT id, (a, b) IS DISTINCT FROM (1, NULL), (a, b) IS NOT DISTINCT FROM (b, a), ROW(a) IS DISTINCT FROM ROW(NULL::int) FROM nn ORDER BY id;
-- name: row_distinct_unequal_lengths
-- error: 42601
SELECT (1, 2) IS DISTINCT FROM (1, 2, 3);
-- name: record_equality_subquery_columns
SELECT x = y, x <> y, x IS DISTINCT FROM y FROM (SELECT ROW(a, b) x, ROW(b, a) y FROM nn) s ORDER BY 1, 2;
-- name: record_equality_null_fields_equal
SELECT x = y, x <> y FROM (SELECT ROW(1, NULL::int) x, ROW(1, NULL::int) y) s;
-- name: record_equality_dissimilar_fields
-- error: 42804
SELECT x = y FROM (SELECT ROW(1, 2) x, ROW(1::bigint, 2) y) s;
-- name: count_distinct_keyed
SELECT count(DISTINCT x), count(DISTINCT j), count(*) FROM (VALUES (1.0, '{"a": 1}'::jsonb), (1.00, '{"a": 1.0}'), (NULL, NULL), ('NaN', '[1, 2]'), ('NaN'::numeric, '[1,2]'), (2.5, 'null')) t(x, j);
-- name: count_distinct_keyed_grouped
SELECT g, count(DISTINCT x) FROM (VALUES (1, 1.5), (1, 1.50), (2, 3), (2, 3.000), (2, 4)) t(g, x) GROUP BY g ORDER BY g;
-- name: distinct_keyed_columns
SELECT DISTINCT g, x, j FROM (VALUES (1, 2.5, '{"b": 2, "a": 1}'::jsonb), (1, 2.5, '{"a": 1, "b": 2}'), (2, NULL, NULL), (2, NULL, NULL), (3, 10, '[]')) t(g, x, j) ORDER BY g DESC, 2 LIMIT 3;
-- name: distinct_keyed_with_subquery
WITH v(x) AS (VALUES (7.25), (7.25), (0.5), (NULL)) SELECT count(*), sum(x) FROM (SELECT DISTINCT x FROM v) s;
-- name: distinct_keyed_ambiguous
SELECT DISTINCT x FROM (VALUES (2.0), (2.00)) t(x);
