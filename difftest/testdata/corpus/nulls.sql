-- NULL semantics: three-valued logic, IS [NOT] DISTINCT FROM, IS [NOT]
-- NULL/TRUE/FALSE/UNKNOWN, NULLIF, COALESCE, GREATEST/LEAST ignoring
-- NULLs, NULL in IN lists, NULL ordering defaults, aggregates and NULLs.

-- name: and_or_not_truth_table
SELECT a, b, a AND b, a OR b, NOT a FROM tri ORDER BY a NULLS LAST, b NULLS LAST;
-- name: comparison_with_null
SELECT a, b, a = b, a <> b, a < b FROM tri ORDER BY a NULLS LAST, b NULLS LAST;
-- name: is_distinct_from_table
SELECT a, b, a IS DISTINCT FROM b, a IS NOT DISTINCT FROM b FROM tri ORDER BY a NULLS LAST, b NULLS LAST;
-- name: is_true_false_unknown
SELECT a, a IS TRUE, a IS NOT TRUE, a IS FALSE, a IS NOT FALSE, a IS UNKNOWN, a IS NOT UNKNOWN FROM tri WHERE b IS TRUE ORDER BY a NULLS LAST;
-- name: is_null_forms
SELECT id, a IS NULL, a IS NOT NULL, a ISNULL, a NOTNULL, s IS NULL FROM nn ORDER BY id;
-- name: null_arithmetic
SELECT NULL + 1, 1 - NULL, NULL * 0, NULL / 0, NULL::int % 0, -NULL::int;
-- name: null_string_ops
SELECT NULL || 'a', upper(NULL), length(NULL::text), NULL LIKE '%', concat(NULL, 'a'), 'a' = NULL;
-- name: null_equals_null
SELECT NULL = NULL, NULL <> NULL, NULL IS NULL, NULL IS DISTINCT FROM NULL, NULL::int IS NOT DISTINCT FROM NULL::int;
-- name: where_null_condition
SELECT count(*) FROM nn WHERE NULL;
-- name: where_unknown_excludes
SELECT id FROM nn WHERE a = b ORDER BY id;
-- name: where_not_unknown_excludes
SELECT id FROM nn WHERE NOT (a = b) ORDER BY id;
-- name: where_is_distinct
SELECT id FROM nn WHERE a IS DISTINCT FROM b ORDER BY id;
-- name: where_is_not_distinct
SELECT id FROM nn WHERE a IS NOT DISTINCT FROM b ORDER BY id;
-- name: nullif_values
SELECT nullif(1, 1), nullif(1, 2), nullif(NULL, 1), nullif('a', 'A'), nullif(0.0, 0), pg_typeof(nullif(1, 2.5));
-- name: nullif_columns
SELECT id, nullif(a, b), nullif(s, ''), nullif(flag, true) FROM nn ORDER BY id;
-- name: coalesce_values
SELECT coalesce(NULL, NULL, 3), coalesce(NULL::text, 'x'), coalesce(1, 1 / 0), coalesce(NULL, NULL::int);
-- name: coalesce_columns
SELECT id, coalesce(a, b, -1), coalesce(s, '(null)'), coalesce(flag, false) FROM nn ORDER BY id;
-- name: coalesce_type_mix
SELECT id, coalesce(a, 0.5), pg_typeof(coalesce(a, 0.5)) FROM nn ORDER BY id;
-- name: greatest_least_nulls
SELECT greatest(1, NULL, 3), least(1, NULL, 3), greatest(NULL, NULL::int), least(NULL::text, 'b', 'a');
-- name: greatest_least_columns
SELECT id, greatest(a, b), least(a, b), greatest(a, b, 3) FROM nn ORDER BY id;
-- name: greatest_mixed_types
SELECT greatest(1, 2.5, 2::int8), least(DATE '2024-01-01', TIMESTAMP '2023-12-31 12:00'), greatest('a', 'B');
-- name: in_list_null_semantics
SELECT id, a, a IN (1, NULL), a NOT IN (1, NULL), a IN (NULL), a = ANY (ARRAY[1, NULL]) FROM nn ORDER BY id;
-- name: not_in_with_null_returns_nothing
SELECT count(*) FROM nn WHERE a NOT IN (2, NULL);
-- name: not_in_subquery_null_trap
SELECT count(*) FROM nn WHERE a NOT IN (SELECT b FROM nn);
-- name: between_nulls
SELECT id, a BETWEEN 1 AND b, a NOT BETWEEN b AND 5 FROM nn ORDER BY id;
-- name: case_null
SELECT id, CASE a WHEN NULL THEN 'null?' WHEN 1 THEN 'one' ELSE 'other' END, CASE WHEN a IS NULL THEN 'null' END FROM nn ORDER BY id;
-- name: order_nulls_default_asc
SELECT id, a FROM nn ORDER BY a, id;
-- name: order_nulls_default_desc
SELECT id, a FROM nn ORDER BY a DESC, id;
-- name: order_nulls_first_last
SELECT id, a FROM nn ORDER BY a NULLS FIRST, id;
-- name: order_nulls_desc_last
SELECT id, a FROM nn ORDER BY a DESC NULLS LAST, id;
-- name: order_nulls_text
SELECT id, s FROM nn ORDER BY s, id;
-- name: order_nulls_bool
SELECT id, flag FROM nn ORDER BY flag DESC, id;
-- name: order_nulls_two_keys
SELECT id, a, b FROM nn ORDER BY b NULLS FIRST, a DESC, id;
-- name: aggregates_skip_nulls
SELECT count(a), count(*), sum(a), avg(a), min(a), max(a), count(DISTINCT a) FROM nn;
-- name: count_of_null_expressions
SELECT count(a + b), count(coalesce(a, b)), count(NULLIF(a, 1)) FROM nn;
-- name: group_by_null_one_group
SELECT a, count(*) FROM nn GROUP BY a ORDER BY a NULLS FIRST;
-- name: distinct_null_one
SELECT DISTINCT s FROM nn ORDER BY s NULLS FIRST;
-- name: null_in_array_functions
SELECT array_position(ARRAY[1, NULL, 2], NULL), ARRAY[1, NULL] = ARRAY[1, NULL], cardinality(ARRAY[NULL, NULL]);
-- name: null_typed_literals
SELECT NULL::int + 1, NULL::text || 'x', NULL::date + 1, NULL::bool AND true, NULL::bool OR true;
-- name: null_and_false
SELECT NULL AND false, NULL OR true, NULL AND true, NULL OR false, NOT NULL;
-- name: null_concat_ws
SELECT concat_ws(',', NULL, NULL), concat_ws(',', 'a', NULL), concat_ws(NULL, 'a');
-- name: null_string_agg_skip
SELECT string_agg(s, ',' ORDER BY id) FROM nn;
-- name: null_array_agg_keep
SELECT array_agg(s ORDER BY id) FROM nn;
-- name: null_json_vs_sql
SELECT 'null'::jsonb IS NULL, 'null'::jsonb = 'null'::jsonb, ('{"a": null}'::jsonb -> 'a') IS NULL, ('{"a": null}'::jsonb ->> 'a') IS NULL;
-- name: null_in_row
SELECT ROW(NULL, NULL) IS NULL, ROW(1, NULL) IS NULL, ROW(1, NULL) IS NOT NULL, NOT (ROW(1, NULL) IS NULL);
-- name: null_row_column_is_null
SELECT id, (a, b) IS NULL, (a, b) IS NOT NULL FROM nn ORDER BY id;
-- name: null_exists
SELECT EXISTS (SELECT NULL), EXISTS (SELECT a FROM nn WHERE a IS NULL);
-- name: null_sum_vs_zero
SELECT sum(a) FILTER (WHERE a > 100), coalesce(sum(a) FILTER (WHERE a > 100), 0) FROM nn;
-- name: null_division_guard_ratio
SELECT id, a::numeric / nullif(b, 0) FROM nn ORDER BY id;
-- name: null_equality_join_count
SELECT count(*) FROM nn x JOIN nn y ON x.s = y.s;
-- name: null_case_else_missing
SELECT id, CASE WHEN flag THEN 'yes' WHEN NOT flag THEN 'no' END FROM nn ORDER BY id;
-- name: null_bool_in_where_not
SELECT id FROM nn WHERE NOT flag ORDER BY id;
-- name: null_bool_is_not_true
SELECT id FROM nn WHERE flag IS NOT TRUE ORDER BY id;
-- name: null_min_max_all_null
SELECT min(a), max(s) FROM nn WHERE a IS NULL;
-- name: null_window_lag_default
SELECT id, lag(a, 1, -1) OVER (ORDER BY id), lag(a) OVER (ORDER BY id) IS NULL FROM nn ORDER BY id;
-- name: null_ordering_window
SELECT id, rank() OVER (ORDER BY a), rank() OVER (ORDER BY a NULLS FIRST) FROM nn ORDER BY id;
-- name: null_numeric_nan_distinction
SELECT 'NaN'::numeric IS NULL, NULL::numeric IS NULL, coalesce(NULL::numeric, 'NaN');
-- name: null_empty_string_distinct
SELECT id, s = '', s IS NULL, length(s), coalesce(length(s), -1) FROM nn ORDER BY id;
-- name: null_unknown_type_output
SELECT NULL, NULL AS x, pg_typeof(NULL);
-- name: null_union_type
SELECT NULL UNION SELECT NULL;
-- name: null_num_nulls
SELECT num_nulls(1, NULL, NULL), num_nonnulls(1, NULL, 'a'), num_nulls(VARIADIC ARRAY[NULL, 1]);
-- name: null_in_values_typing
SELECT v, pg_typeof(v) FROM (VALUES (NULL), (1)) t(v) ORDER BY v NULLS FIRST;
-- name: null_values_all_null_type
SELECT pg_typeof(v) FROM (VALUES (NULL), (NULL)) t(v);
