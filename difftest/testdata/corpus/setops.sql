-- Set operations: UNION / INTERSECT / EXCEPT with and without ALL, type
-- resolution across branches (int + numeric, text + varchar, unknown
-- literals), column names from the first branch, ORDER BY / LIMIT on the
-- whole, NULLs as equal.

-- name: union_dedup
SELECT dept FROM emp UNION SELECT 'finance' ORDER BY 1 NULLS FIRST;
-- name: union_all_keeps
SELECT rating FROM emp WHERE dept = 'eng' UNION ALL SELECT rating FROM emp WHERE dept = 'sales' ORDER BY 1 NULLS LAST;
-- name: union_unordered
SELECT status FROM orders UNION SELECT channel FROM orders;
-- name: union_all_unordered_count
SELECT count(*) FROM (SELECT id FROM emp UNION ALL SELECT id FROM emp) s;
-- name: intersect_basic
SELECT customer_id FROM orders WHERE status = 'returned' INTERSECT SELECT customer_id FROM orders WHERE status = 'cancelled' ORDER BY 1;
-- name: intersect_all
SELECT v FROM (VALUES (1), (1), (1), (2), (NULL)) a(v) INTERSECT ALL SELECT v FROM (VALUES (1), (1), (3), (NULL)) b(v) ORDER BY 1;
-- name: except_basic
SELECT id FROM customers EXCEPT SELECT customer_id FROM orders ORDER BY 1;
-- name: except_all
SELECT v FROM (VALUES (1), (1), (1), (2), (NULL), (NULL)) a(v) EXCEPT ALL SELECT v FROM (VALUES (1), (NULL)) b(v) ORDER BY 1 NULLS FIRST;
-- name: except_nulls_equal
SELECT a, b FROM nn EXCEPT SELECT a, b FROM nn WHERE id > 4 ORDER BY 1 NULLS FIRST, 2 NULLS FIRST;
-- name: union_nulls_equal
SELECT NULL::int UNION SELECT NULL::int;
-- name: union_type_int_numeric
SELECT 1 AS v UNION SELECT 2.5 ORDER BY v;
-- name: union_type_int_bigint
SELECT 1 UNION ALL SELECT 9223372036854775807 ORDER BY 1;
-- name: union_type_resolution_types
SELECT pg_typeof(v) FROM (SELECT 1 AS v UNION ALL SELECT 2.5) s ORDER BY v;
-- name: union_type_int_float
SELECT pg_typeof(v), v FROM (SELECT 1 AS v UNION ALL SELECT 0.5::float8) s ORDER BY v;
-- name: union_type_text_varchar
SELECT t FROM texts WHERE id = 1 UNION ALL SELECT vc FROM texts WHERE id = 2 ORDER BY 1;
-- name: union_type_char_varchar
SELECT c FROM texts WHERE id = 6 UNION ALL SELECT vc FROM texts WHERE id = 6 ORDER BY 1;
-- name: union_type_char_char
SELECT 'ab'::char(4) UNION ALL SELECT 'c'::char(2) ORDER BY 1;
-- name: union_unknown_literals
SELECT 'a' UNION SELECT 'b' ORDER BY 1;
-- name: union_unknown_and_int
SELECT '1' UNION SELECT 2 ORDER BY 1;
-- name: union_unknown_invalid_int
-- error: 22P02
SELECT 'x' UNION SELECT 2;
-- name: union_type_mismatch_error
-- error: 42804
SELECT 1 UNION SELECT 'a'::text;
-- name: union_column_count_error
-- error: 42601
SELECT 1, 2 UNION SELECT 1;
-- name: union_column_names_first
SELECT 1 AS first_name, 'x' AS second UNION ALL SELECT 2 AS other, 'y' ORDER BY first_name;
-- name: union_numeric_typmod
SELECT salary FROM emp WHERE id = 1 UNION ALL SELECT 1.5 ORDER BY 1;
-- name: union_numeric_same_typmod
SELECT salary FROM emp WHERE id = 1 UNION ALL SELECT salary FROM emp WHERE id = 2 ORDER BY 1;
-- name: union_varchar_typmods
SELECT vc FROM texts WHERE id = 1 UNION ALL SELECT sku FROM products WHERE id = 1 ORDER BY 1;
-- name: union_dates_timestamps
SELECT DATE '2024-01-01' AS v UNION ALL SELECT TIMESTAMP '2024-01-01 12:00' ORDER BY v;
-- name: union_date_tstz
SELECT pg_typeof(v), v FROM (SELECT DATE '2024-01-01' AS v UNION ALL SELECT TIMESTAMPTZ '2024-01-01 12:00+00') s ORDER BY v;
-- name: union_order_limit
SELECT name FROM emp WHERE dept = 'eng' UNION SELECT name FROM emp WHERE dept = 'ops' ORDER BY name DESC LIMIT 3;
-- name: union_limit_offset
SELECT id FROM emp UNION SELECT id + 100 FROM emp ORDER BY 1 LIMIT 5 OFFSET 10;
-- name: union_order_by_expression_error
-- error: 0A000
SELECT id FROM emp UNION SELECT id FROM emp ORDER BY id + 1;
-- name: union_parenthesized_limits
(SELECT id FROM emp ORDER BY id LIMIT 2) UNION ALL (SELECT id FROM emp ORDER BY id DESC LIMIT 2) ORDER BY 1;
-- name: union_precedence
SELECT 1 UNION SELECT 2 INTERSECT SELECT 2 ORDER BY 1;
-- name: except_precedence
SELECT v FROM (VALUES (1), (2), (3)) a(v) EXCEPT SELECT 2 UNION SELECT 4 ORDER BY 1;
-- name: intersect_precedence_parens
SELECT v FROM (VALUES (1), (2), (3)) a(v) EXCEPT (SELECT 2 UNION SELECT 3) ORDER BY 1;
-- name: union_three_way
SELECT 'emp' AS src, count(*) FROM emp UNION ALL SELECT 'orders', count(*) FROM orders UNION ALL SELECT 'customers', count(*) FROM customers ORDER BY src;
-- name: union_in_subquery
SELECT count(*) FROM (SELECT customer_id FROM orders UNION SELECT id FROM customers) s;
-- name: union_in_cte
WITH ids AS (SELECT id FROM emp WHERE rating = 5 UNION SELECT manager_id FROM emp WHERE manager_id IS NOT NULL) SELECT id FROM ids ORDER BY id;
-- name: union_all_types_arrays
SELECT ARRAY[1] AS a UNION ALL SELECT ARRAY[2, 3] ORDER BY a;
-- name: union_json_error
-- error: 42883
SELECT '{}'::json UNION SELECT '[]'::json;
-- name: union_jsonb
SELECT '{"b":1,"a":2}'::jsonb UNION SELECT '{"a":2,"b":1}'::jsonb;
-- name: union_bool
SELECT true UNION SELECT false UNION SELECT NULL ORDER BY 1 NULLS FIRST;
-- name: union_distinct_float_zero
SELECT count(*) FROM (SELECT 0::float8 UNION SELECT '-0'::float8) s;
-- name: union_values_mix
VALUES (1, 'a') UNION ALL SELECT 2, 'b' ORDER BY 1;
-- name: union_with_nulls_typed
SELECT NULL AS v UNION ALL SELECT 1 ORDER BY v NULLS FIRST;
-- name: union_null_column_type
SELECT pg_typeof(v) FROM (SELECT NULL AS v UNION ALL SELECT NULL) s;
-- name: union_enum_text
SELECT priority::text FROM orders WHERE id = 1 UNION SELECT 'other' ORDER BY 1;
-- name: except_all_counts
SELECT status, count(*) FROM (SELECT status FROM orders EXCEPT ALL SELECT status FROM orders WHERE id % 2 = 0) s GROUP BY status ORDER BY status;
-- name: intersect_columns_two
SELECT country, segment FROM customers WHERE id < 50 INTERSECT SELECT country, segment FROM customers WHERE id >= 150 ORDER BY 1, 2;
-- name: union_interval_mixed
SELECT INTERVAL '1 day' AS v UNION SELECT INTERVAL '24 hours' ORDER BY v;
-- name: union_text_collation_order
SELECT t FROM texts WHERE t IS NOT NULL UNION SELECT 'Zebra' ORDER BY 1;
-- name: union_keyed_numeric_columns
SELECT x, y FROM (VALUES (1, 2.5), (2, NULL), (1, 2.5)) a(x, y) UNION SELECT 1, 2.5 UNION SELECT 3, 0.001 ORDER BY 1, 2 NULLS FIRST;
-- name: union_keyed_jsonb_values
SELECT jb FROM docs WHERE id <= 3 UNION SELECT '{"a": 1}'::jsonb UNION SELECT NULL::jsonb ORDER BY 1 NULLS LAST;
-- name: union_keyed_equal_text
SELECT 2.50 AS v UNION SELECT 2.50 UNION SELECT 7 ORDER BY v;
-- name: union_keyed_ambiguous_scale
SELECT 1.0 AS v UNION SELECT 1.00;
