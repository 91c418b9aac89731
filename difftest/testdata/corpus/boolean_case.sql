-- Boolean expressions and CASE: precedence, short-circuit where
-- PostgreSQL guarantees it, simple and searched CASE, result types,
-- bool output and comparisons.

-- name: bool_output
SELECT true, false, NULL::bool, true::text, false::varchar(3);
-- name: bool_precedence
SELECT true OR false AND false, (true OR false) AND false, NOT false AND false, NOT (false AND false);
-- name: bool_comparisons
SELECT true > false, true = 't', false < NULL, true IS TRUE, (1 < 2) = (2 < 3);
-- name: bool_columns_logic
SELECT id, flag, NOT flag, flag AND id > 3, flag OR id > 3 FROM misc ORDER BY id;
-- name: bool_in_where_direct
SELECT id FROM misc WHERE flag ORDER BY id;
-- name: bool_equals_column
SELECT id FROM misc WHERE flag = false ORDER BY id;
-- name: bool_xor_via_ne
SELECT a, b, a <> b AS xor FROM tri ORDER BY a NULLS LAST, b NULLS LAST;
-- name: bool_to_int_sum
SELECT sum(flag::int), count(*) FILTER (WHERE flag), avg(flag::int) FROM misc;
-- name: bool_and_or_aggregates
SELECT bool_and(a), bool_or(a), bool_and(b), bool_or(b) FROM tri WHERE a IS NOT NULL;
-- name: bool_order_by
SELECT a FROM tri GROUP BY a ORDER BY a;
-- name: case_searched
SELECT id, CASE WHEN salary >= 150000 THEN 'high' WHEN salary >= 90000 THEN 'mid' WHEN salary IS NULL THEN 'unknown' ELSE 'low' END FROM emp ORDER BY id;
-- name: case_simple
SELECT id, CASE dept WHEN 'eng' THEN 'Engineering' WHEN 'sales' THEN 'Sales' ELSE initcap(dept) END FROM emp ORDER BY id;
-- name: case_no_else_null
SELECT id, CASE WHEN rating > 4 THEN 'star' END FROM emp ORDER BY id;
-- name: case_result_type_numeric
SELECT CASE WHEN id = 1 THEN 1 WHEN id = 2 THEN 2.5 ELSE NULL END, pg_typeof(CASE WHEN id = 1 THEN 1 ELSE 2.5 END) FROM emp ORDER BY id LIMIT 3;
-- name: case_result_type_text_varchar
SELECT CASE WHEN id = 1 THEN name ELSE dept END, pg_typeof(CASE WHEN id = 1 THEN 'x' ELSE 'y' END) FROM emp ORDER BY id LIMIT 2;
-- name: case_result_typmod
SELECT CASE WHEN id > 0 THEN salary END, CASE WHEN id > 0 THEN c END FROM emp JOIN texts USING (id) ORDER BY id LIMIT 3;
-- name: case_result_int_bigint
SELECT pg_typeof(CASE WHEN true THEN 1 ELSE 9223372036854775807 END), pg_typeof(CASE WHEN true THEN 1::int2 ELSE 2 END);
-- name: case_unknown_literals
SELECT CASE WHEN true THEN 'a' ELSE 'b' END, pg_typeof(CASE WHEN true THEN 'a' ELSE 'b' END);
-- name: case_mixed_type_error
-- error: 42804
SELECT CASE WHEN true THEN 1 ELSE 'x'::text END;
-- name: case_short_circuit_constant
SELECT CASE WHEN true THEN 1 ELSE 1 / 0 END;
-- name: case_short_circuit_column
SELECT id, CASE WHEN rating IS NULL OR rating = 0 THEN 0 ELSE 100 / rating END FROM emp ORDER BY id;
-- name: case_nested
SELECT id, CASE WHEN dept = 'eng' THEN CASE WHEN rating >= 5 THEN 'eng-star' ELSE 'eng' END ELSE 'other' END FROM emp ORDER BY id;
-- name: case_in_aggregate
SELECT dept, sum(CASE WHEN rating >= 4 THEN 1 ELSE 0 END), count(CASE WHEN bonus > 0 THEN 1 END) FROM emp GROUP BY dept ORDER BY dept NULLS LAST;
-- name: case_in_order_by
SELECT id, status FROM orders WHERE id <= 12 ORDER BY CASE status WHEN 'pending' THEN 1 WHEN 'shipped' THEN 2 ELSE 3 END, id;
-- name: case_in_group_by
SELECT CASE WHEN total >= 1000 THEN 'big' WHEN total >= 100 THEN 'medium' WHEN total IS NULL THEN 'none' ELSE 'small' END AS size, count(*) FROM orders GROUP BY 1 ORDER BY 1;
-- name: case_simple_null_never_matches
SELECT CASE NULL WHEN NULL THEN 'match' ELSE 'no match' END;
-- name: case_when_null_condition
SELECT CASE WHEN NULL THEN 'yes' ELSE 'no' END;
-- name: case_bool_result
SELECT id, CASE WHEN flag THEN false ELSE true END FROM misc ORDER BY id;
-- name: case_with_dates
SELECT id, CASE WHEN d < DATE '2000-01-01' THEN d ELSE DATE '2000-01-01' END FROM temporal ORDER BY id;
-- name: case_with_timestamp_unknown
SELECT CASE WHEN true THEN '2024-01-01' ELSE DATE '2024-02-01' END, pg_typeof(CASE WHEN true THEN '2024-01-01' ELSE DATE '2024-02-01' END);
-- name: case_many_branches
SELECT g, CASE g % 7 WHEN 0 THEN 'sun' WHEN 1 THEN 'mon' WHEN 2 THEN 'tue' WHEN 3 THEN 'wed' WHEN 4 THEN 'thu' WHEN 5 THEN 'fri' ELSE 'sat' END FROM generate_series(0, 8) g ORDER BY g;
-- name: bool_expression_in_select_list
SELECT id, salary > 100000 AND rating >= 4 AS senior, dept IN ('eng', 'ops') AS tech FROM emp ORDER BY id;
-- name: bool_and_short_circuit_not_guaranteed_safe
SELECT count(*) FROM emp WHERE rating <> 0 AND 10 / rating > 2;
-- name: bool_not_in_where
SELECT id FROM emp WHERE NOT (dept = 'eng' OR dept = 'sales') ORDER BY id;
-- name: bool_demorgan
SELECT count(*) FILTER (WHERE NOT (a AND b)) = count(*) FILTER (WHERE NOT a OR NOT b) FROM tri;
-- name: bool_is_distinct_in_case
SELECT a, b, CASE WHEN a IS DISTINCT FROM b THEN 'diff' ELSE 'same' END FROM tri ORDER BY a NULLS LAST, b NULLS LAST;
-- name: bool_text_input_forms
SELECT 'TRUE'::bool, 'Off'::bool, 'YES'::bool, ' f'::bool, '1'::bool;
-- name: bool_cast_from_int_column
SELECT id, (id % 2)::bool FROM emp ORDER BY id;
-- name: bool_comparison_operators_chain
SELECT (1 < 2) < (2 < 1), (1 < 2) >= (2 < 1);
-- name: bool_in_list
SELECT a, a IN (true, NULL) FROM tri GROUP BY a ORDER BY a NULLS LAST;
-- name: case_coalesce_equivalence
SELECT id, CASE WHEN a IS NOT NULL THEN a ELSE b END = coalesce(a, b) FROM nn ORDER BY id;
-- name: case_nullif_equivalence
SELECT id, CASE WHEN a = b THEN NULL ELSE a END IS NOT DISTINCT FROM nullif(a, b) FROM nn ORDER BY id;
-- name: case_sum_types
SELECT sum(CASE WHEN flag THEN 1 ELSE 0 END), pg_typeof(sum(CASE WHEN flag THEN 1 ELSE 0 END)) FROM series;
-- name: case_returning_null_type
SELECT pg_typeof(CASE WHEN false THEN NULL END);
-- name: case_error_in_condition
-- error: 22012
SELECT CASE WHEN 1 / (id - id) > 0 THEN 1 END FROM emp;
-- name: bool_like_expression
SELECT id, name LIKE 'A%' OR name LIKE 'E%' FROM emp ORDER BY id;
-- name: bool_any_all_bools
SELECT true = ANY (ARRAY[false, NULL]), true = ALL (ARRAY[true, true]), false = ALL (ARRAY[]::bool[]);
