-- Errors and their SQLSTATEs: division by zero 22012, numeric overflow
-- 22003, invalid input 22P02, datetime errors 22007/22008, undefined
-- column 42703, undefined table 42P01, undefined function 42883,
-- ambiguous column 42702, GROUP BY violations 42803, more than one row
-- 21000, syntax 42601, datatype mismatch 42804, writes 25006.

-- name: e_div_zero_int
-- error: 22012
SELECT id / 0 FROM emp;
-- name: e_div_zero_in_aggregate
-- error: 22012
SELECT sum(salary / 0) FROM emp;
-- name: e_div_zero_after_filter
-- error: 22012
SELECT 10 / (rating - 3) FROM emp WHERE rating IS NOT NULL;
-- name: e_div_zero_numeric_column
-- error: 22012
SELECT salary / (rating - rating) FROM emp WHERE id = 1;
-- name: e_div_zero_in_where
-- error: 22012
SELECT id FROM emp WHERE salary / 0 > 1;
-- name: e_div_zero_float_column
-- error: 22012
SELECT bonus / 0 FROM emp WHERE id = 1;
-- name: e_mod_zero_column
-- error: 22012
SELECT id % (id - id) FROM emp;
-- name: e_div_zero_order_by
-- error: 22012
SELECT id FROM emp ORDER BY 1 / (id - id);
-- name: e_div_zero_not_reached_case
SELECT id, CASE WHEN rating = 3 THEN 0 ELSE 10 / (rating - 3) END FROM emp WHERE rating IS NOT NULL ORDER BY id;
-- name: e_overflow_int_sum_expression
-- error: 22003
SELECT 2147483647 + id FROM emp;
-- name: e_overflow_int_mul_column
-- error: 22003
SELECT id * 2147483647 FROM emp WHERE id > 1;
-- name: e_overflow_numeric_cast
-- error: 22003
SELECT salary::numeric(5,2) FROM emp;
-- name: e_overflow_int2_cast
-- error: 22003
SELECT (salary * 1)::int2 FROM emp WHERE id = 1;
-- name: e_overflow_float_exp
-- error: 22003
SELECT exp(salary) FROM emp WHERE id = 1;
-- name: e_overflow_int8_mul
-- error: 22003
SELECT 9223372036854775807 * 2;
-- name: e_overflow_numeric_power
-- error: 22003
SELECT 10::numeric ^ 1000000;
-- name: e_invalid_int_text
-- error: 22P02
SELECT 'abc'::int;
-- name: e_invalid_numeric_text
-- error: 22P02
SELECT 'one point five'::numeric;
-- name: e_invalid_bool_text
-- error: 22P02
SELECT 'yes please'::bool;
-- name: e_invalid_uuid
-- error: 22P02
SELECT '1234'::uuid;
-- name: e_invalid_json
-- error: 22P02
SELECT '{"a"'::jsonb;
-- name: e_invalid_array
-- error: 22P02
SELECT '{1,2'::int[];
-- name: e_invalid_date_format
-- error: 22007
SELECT 'yesterday-ish'::date;
-- name: e_invalid_date_value
-- error: 22008
SELECT '2024-04-31'::date;
-- name: e_invalid_timestamp_value
-- error: 22008
SELECT '2024-01-01 24:00:01'::timestamp;
-- name: e_invalid_interval
-- error: 22007
SELECT 'forever'::interval;
-- name: e_invalid_cast_from_column
-- error: 22P02
SELECT name::int FROM emp;
-- name: e_invalid_enum
-- error: 22P02
SELECT 'meh'::mood;
-- name: e_undefined_column
-- error: 42703
SELECT nope FROM emp;
-- name: e_undefined_column_qualified
-- error: 42703
SELECT e.nope FROM emp e;
-- name: e_undefined_column_in_where
-- error: 42703
SELECT id FROM emp WHERE salry > 1;
-- name: e_undefined_column_in_order
-- error: 42703
SELECT id FROM emp ORDER BY nope;
-- name: e_undefined_column_case_sensitive
-- error: 42703
SELECT "Name" FROM emp;
-- name: e_undefined_table
-- error: 42P01
SELECT * FROM no_such_table;
-- name: e_undefined_schema_table
-- error: 42P01
SELECT * FROM nope.emp;
-- name: e_undefined_function
-- error: 42883
SELECT no_such_function(1);
-- name: e_undefined_function_args
-- error: 42883
SELECT length(1, 2, 3);
-- name: e_undefined_operator
-- error: 42883
SELECT DATE '2024-01-01' * 2;
-- name: e_undefined_operator_text_minus
-- error: 42883
SELECT 'a'::text - 'b'::text;
-- name: e_function_wrong_arg_type
-- error: 42883
SELECT upper(42);
-- name: e_ambiguous_column
-- error: 42702
SELECT id FROM emp, nn;
-- name: e_ambiguous_column_where
-- error: 42702
SELECT emp.id FROM emp JOIN nn ON nn.id = emp.id WHERE a > 0 AND id > 1;
-- name: e_ambiguous_order_by
-- error: 42702
SELECT id AS x, name AS x FROM emp ORDER BY x;
-- name: e_ambiguous_function
-- error: 42725
SELECT '1' + '1';
-- name: e_group_by_missing
-- error: 42803
SELECT dept, salary FROM emp GROUP BY dept;
-- name: e_aggregate_in_group_by
-- error: 42803
SELECT count(*) FROM emp GROUP BY count(*);
-- name: e_aggregate_in_where
-- error: 42803
SELECT dept FROM emp WHERE max(salary) > 1 GROUP BY dept;
-- name: e_ungrouped_in_having
-- error: 42803
SELECT dept FROM emp GROUP BY dept HAVING salary > 1;
-- name: e_ungrouped_in_order_by
-- error: 42803
SELECT dept, count(*) FROM emp GROUP BY dept ORDER BY name;
-- name: e_window_in_group_by
-- error: 42P20
SELECT count(*) FROM emp GROUP BY row_number() OVER ();
-- name: e_more_than_one_row
-- error: 21000
SELECT (SELECT dept FROM emp WHERE rating = 4);
-- name: e_more_than_one_row_in_where
-- error: 21000
SELECT id FROM emp WHERE salary = (SELECT salary FROM emp WHERE dept = 'eng');
-- name: e_syntax_error
-- error: 42601
SELECT FROM WHERE;
-- name: e_syntax_missing_paren
-- error: 42601
SELECT (1 + 2;
-- name: e_syntax_trailing_comma
-- error: 42601
SELECT id, FROM emp;
-- name: e_syntax_empty_where
-- error: 42601
SELECT id FROM emp WHERE;
-- name: e_datatype_mismatch_case
-- error: 42804
SELECT CASE WHEN true THEN 1 ELSE 'a'::text END;
-- name: e_datatype_mismatch_where
-- error: 42804
SELECT id FROM emp WHERE salary;
-- name: e_datatype_mismatch_array
-- error: 42804
SELECT ARRAY[1, 'a'::text];
-- name: e_write_insert
-- error: 25006
INSERT INTO emp (id, name) VALUES (100, 'x');
-- name: e_write_update
-- error: 25006
UPDATE emp SET salary = 0;
-- name: e_write_delete
-- error: 25006
DELETE FROM nn;
-- name: e_write_create
-- error: 25006
CREATE TABLE t_new (x int);
-- name: e_write_select_into
-- error: 25006
SELECT * INTO t_copy FROM emp;
-- name: e_invalid_regex
-- error: 2201B
SELECT name ~ '[' FROM emp;
-- name: e_invalid_escape_like
-- error: 22025
SELECT name LIKE 'a%' ESCAPE 'xy' FROM emp;
-- name: e_string_too_long_cast_ok
SELECT 'abcdef'::varchar(3), 'abcdef'::char(2);
-- name: e_negative_substring
-- error: 22011
SELECT substring('abc' FROM 1 FOR -1);
-- name: e_array_too_many_dimensions
-- error: 54000
SELECT ('{1,2}'::int[])[1:2][1:1][1:1][1:1][1:1][1:1][1:1];
-- name: e_generate_series_step_zero
-- error: 22023
SELECT * FROM generate_series(1, 10, 0);
-- name: e_limit_negative
-- error: 2201W
SELECT id FROM emp LIMIT -1;
-- name: e_offset_negative
-- error: 2201X
SELECT id FROM emp OFFSET -1;
-- name: e_log_negative
-- error: 2201E
SELECT ln(salary - 1000000) FROM emp WHERE id = 1;
-- name: e_sqrt_negative_column
-- error: 2201F
SELECT sqrt(-salary) FROM emp WHERE id = 1;
-- name: e_null_value_not_allowed
-- error: 22004
SELECT jsonb_object(ARRAY[NULL, 'a']::text[]);
-- name: e_error_in_unused_branch_constant
SELECT CASE WHEN false THEN 1 / 0 ELSE 1 END;
-- name: e_error_in_unused_branch_column
SELECT CASE WHEN id > 100 THEN 1 / (id - id) ELSE id END FROM emp ORDER BY id;
-- name: e_error_order_lazy_coalesce
SELECT coalesce(1, (SELECT 1 / 0));
-- name: e_error_inside_cte_used
-- error: 22012
WITH x AS (SELECT 1 / 0 AS v) SELECT v FROM x;
-- name: e_error_after_some_rows
-- error: 22012
SELECT id, 100 / (8 - id) FROM emp ORDER BY id;
-- name: e_cast_numeric_nan_to_int
-- error: 0A000
SELECT 'NaN'::numeric::int;
-- name: e_feature_not_supported_pg
-- error: 0A000
SELECT extract(hour FROM DATE '2024-01-01');
-- name: e_too_many_columns_in_values
-- error: 42601
SELECT * FROM (VALUES (1, 2), (3)) v;
-- name: e_set_returning_in_where
-- error: 0A000
SELECT id FROM emp WHERE generate_series(1, 2) > 1;
-- name: e_aggregate_nested_window
-- error: 42803
SELECT max(sum(id) OVER ()) FROM emp;
-- name: e_column_alias_in_where
-- error: 42703
SELECT salary * 2 AS double FROM emp WHERE double > 1;
-- name: e_order_by_position_out_of_range
-- error: 42P10
SELECT id FROM emp ORDER BY 2;
-- name: e_group_by_position_out_of_range
-- error: 42P10
SELECT id FROM emp GROUP BY 3;
-- name: e_group_by_aggregate_position
-- error: 42803
SELECT count(*) FROM emp GROUP BY 1;
