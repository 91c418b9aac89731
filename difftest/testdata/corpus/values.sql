-- VALUES lists: column names column1..N, type resolution across rows,
-- typmods, VALUES as a table and in FROM with aliases, ORDER BY/LIMIT.

-- name: values_single
VALUES (1, 'a');
-- name: values_multi_rows
VALUES (1, 'a'), (2, 'b'), (3, NULL) ORDER BY 1;
-- name: values_column_names
SELECT * FROM (VALUES (1, 'x', true)) v;
-- name: values_alias_columns
SELECT a, b FROM (VALUES (1, 'x'), (2, 'y')) v(a, b) ORDER BY a;
-- name: values_partial_alias
SELECT * FROM (VALUES (1, 'x', 2.5)) v(a);
-- name: values_type_int_numeric
VALUES (1), (2.5), (3) ORDER BY 1;
-- name: values_type_resolution_typeof
SELECT pg_typeof(column1) FROM (VALUES (1), (2.5)) v;
-- name: values_type_int_bigint
SELECT column1, pg_typeof(column1) FROM (VALUES (1), (9223372036854775807)) v ORDER BY 1;
-- name: values_type_unknown_text
SELECT column1, pg_typeof(column1) FROM (VALUES ('a'), ('b')) v ORDER BY 1;
-- name: values_type_unknown_to_int
SELECT column1, pg_typeof(column1) FROM (VALUES ('1'), (2)) v ORDER BY 1;
-- name: values_type_mismatch_error
-- error: 42804
VALUES (1), ('a'::text);
-- name: values_type_unknown_invalid
-- error: 22P02
VALUES (1), ('a');
-- name: values_nulls_typing
SELECT column1, column2 FROM (VALUES (NULL, 1), (2, NULL)) v ORDER BY 1 NULLS LAST;
-- name: values_all_null_is_text
SELECT pg_typeof(column1) FROM (VALUES (NULL)) v;
-- name: values_typed_literals
VALUES (DATE '2024-01-01', TIMESTAMP '2024-01-01 10:00', INTERVAL '1 day', '{"a":1}'::jsonb, ARRAY[1]);
-- name: values_varchar_typmod
SELECT column1 FROM (VALUES ('abc'::varchar(5)), ('de'::varchar(5))) v ORDER BY 1;
-- name: values_varchar_mixed_typmod
SELECT column1 FROM (VALUES ('abc'::varchar(5)), ('de'::varchar(8))) v ORDER BY 1;
-- name: values_numeric_typmod
SELECT column1 FROM (VALUES (1.5::numeric(4,2)), (2.25::numeric(4,2))) v ORDER BY 1;
-- name: values_char_padding
SELECT column1, length(column1), column1 || '|' FROM (VALUES ('a'::char(3)), ('bb'::char(3))) v ORDER BY 1;
-- name: values_in_cte
WITH v(k, label) AS (VALUES (2, 'two'), (1, 'one')) SELECT * FROM v ORDER BY k;
-- name: values_join_table
SELECT v.label, count(o.id) FROM (VALUES ('delivered', 'Done'), ('pending', 'Waiting'), ('lost', 'Lost')) v(status, label) LEFT JOIN orders o ON o.status = v.status GROUP BY v.label ORDER BY v.label;
-- name: values_order_limit
VALUES (3, 'c'), (1, 'a'), (2, 'b') ORDER BY 1 DESC LIMIT 2;
-- name: values_order_column_name
VALUES (3, 'c'), (1, 'a') ORDER BY column2;
-- name: values_unordered
VALUES (3), (1), (2);
-- name: values_distinct
SELECT DISTINCT column1 FROM (VALUES (1), (1), (2)) v ORDER BY 1;
-- name: values_expressions
VALUES (1 + 1, upper('x'), now() IS NOT NULL, (SELECT count(*) FROM emp));
-- name: values_column_count_error
-- error: 42601
VALUES (1, 2), (3);
-- name: values_empty_string_vs_null
SELECT column1 IS NULL, column1 = '' FROM (VALUES (''), (NULL)) v ORDER BY 1;
-- name: values_bool_text_unknown
SELECT column1, pg_typeof(column1) FROM (VALUES (true), ('false')) v ORDER BY 1;
-- name: values_dates_unknown
SELECT column1, pg_typeof(column1) FROM (VALUES (DATE '2024-01-01'), ('2024-02-01')) v ORDER BY 1;
-- name: values_many_columns
SELECT * FROM (VALUES (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12)) v;
-- name: table_command
TABLE nn;
-- name: table_command_ordered
TABLE emp ORDER BY id LIMIT 3;
