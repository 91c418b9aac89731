-- Literals and their types: integer literal widths, numeric literal
-- scales, exponents, unknown-typed strings, typed literals, escapes,
-- dollar quoting, column names of expressions (?column?).

-- name: int_literal_widths
SELECT 1, 2147483647, 2147483648, 9223372036854775807, 9223372036854775808;
-- name: int_literal_types
SELECT pg_typeof(1), pg_typeof(2147483647), pg_typeof(2147483648), pg_typeof(9223372036854775807), pg_typeof(9223372036854775808);
-- name: negative_literal_types
SELECT pg_typeof(-2147483648), pg_typeof(-2147483649), pg_typeof(-9223372036854775808), -9223372036854775808;
-- name: numeric_literal_scales
SELECT 1.0, 1.00, 0.10, 100.000, .5, 5., 0.0;
-- name: numeric_literal_types
SELECT pg_typeof(1.0), pg_typeof(.5), pg_typeof(1e3), pg_typeof(1.5e-3);
-- name: exponent_literals
SELECT 1e3, 1.5e-3, 1E+2, 2.5e0, 1e-10, 12e20;
-- name: big_numeric_literals
SELECT 123456789012345678901234567890, 0.000000000000000000000000000001, -99999999999999999999.99;
-- name: underscore_literal_pg15
-- error: 42601 until 16
SELECT 1_000;
-- name: hex_literal_pg15
-- error: 42601 until 16
SELECT 0x1F;
-- name: string_literal_unknown
SELECT 'hello', pg_typeof('hello'), 'a' || 'b';
-- name: string_literal_same_line_error
-- error: 42601
SELECT 'a' 'b';
-- name: string_literal_continuation
SELECT 'foo'
    'bar';
-- name: escape_string_literals
SELECT E'a\tb', E'line1\nline2', E'\\', E'\'', E'\x41\101', E'\u00e9';
-- name: standard_conforming_backslash
SELECT 'a\nb', length('a\nb'), '\\';
-- name: unicode_escape_literal
SELECT U&'\00e9t\00e9', U&'!00e9' UESCAPE '!', U&'\+01F600';
-- name: dollar_quoted_literals
SELECT $$it's$$, $q$a $$ b$q$, $$$$, $x$\n$x$;
-- name: typed_literal_forms
SELECT int2 '5', int8 '5', float4 '1.5', numeric '1.50', bool 'yes', text 'x', varchar 'y', bytea '\x00', uuid '00000000-0000-0000-0000-000000000001';
-- name: typed_literal_types
SELECT pg_typeof(int2 '5'), pg_typeof(float4 '1.5'), pg_typeof(bool 'yes'), pg_typeof(varchar 'y'), pg_typeof(char 'z');
-- name: typed_literal_temporal
SELECT DATE 'epoch', TIMESTAMP 'epoch', TIME 'allballs', INTERVAL '1 day', TIMESTAMPTZ 'epoch';
-- name: typed_literal_json
SELECT JSON '{"b": 1, "a": 2}', JSONB '{"b": 1, "a": 2}';
-- name: bit_and_hex_string_literals
SELECT B'1001', X'A1', pg_typeof(B'1'), pg_typeof(X'F');
-- name: boolean_literals
SELECT true, false, TRUE AND FALSE, pg_typeof(true), 't'::bool, NOT 'f';
-- name: null_literal
SELECT NULL, NULL::int, pg_typeof(NULL::int);
-- name: column_names_expressions
SELECT 1 + 1, 'a' || 'b', upper('x'), count(*), max(id), id + 0, CASE WHEN true THEN 1 END FROM emp GROUP BY id ORDER BY id LIMIT 1;
-- name: column_names_casts
SELECT 1::text, '2'::int, CAST(3 AS numeric), 4::int8 AS x, (5), -6;
-- name: column_names_functions
SELECT now() IS NOT NULL, coalesce(1, 2), nullif(1, 2), greatest(1, 2), least(1, 2), row_number() OVER ();
-- name: column_names_subqueries
SELECT (SELECT 1), EXISTS (SELECT 1), ARRAY[1], ARRAY(SELECT 1), (SELECT max(id) FROM emp);
-- name: column_names_keywords
SELECT 1 AS "select", 2 AS "from", 3 AS "Mixed Case", 4 AS "with space", 5 AS ünïcode;
-- name: column_names_quoted_identifiers
SELECT id AS "ID", name AS "Name" FROM emp WHERE id = 1;
-- name: column_names_star_from_function
SELECT * FROM generate_series(1, 2);
-- name: column_names_star_unnest
SELECT * FROM unnest(ARRAY[1, 2], ARRAY['a', 'b']);
-- name: column_names_position_special
SELECT position('a' IN 'abc'), substring('abc' FROM 2), trim(' x '), extract(year FROM DATE '2024-01-01'), overlay('abc' PLACING 'X' FROM 2);
-- name: column_names_sql_functions
SELECT current_date IS NOT NULL, current_user IS NOT NULL, CURRENT_TIMESTAMP IS NOT NULL;
-- name: column_names_operators
SELECT 1 < 2, 2 = 2, NOT true, 'a' LIKE 'a', 1 IS NULL, 1 BETWEEN 0 AND 2;
-- name: column_names_collate_and_cast_chain
SELECT 'a' COLLATE "C", ('b'::text)::varchar, ('3'::int)::text;
-- name: literal_arithmetic_types
SELECT 1 + 1.0, pg_typeof(1 + 1.0), 1 * 1e0, pg_typeof(1 * 1e0), 10 / 4, 10 / 4.0, 10.0 / 4;
-- name: literal_comparison_unknown
SELECT '10' > '9', '10'::int > '9'::int, 10 > '9';
-- name: literal_unknown_in_function
SELECT length('abc'), upper('abc'), 'abc' || 1, 'x' = 'x';
-- name: literal_unknown_ambiguous
-- error: 42725
SELECT 'a' + 'b';
-- name: literal_unknown_to_int_column
SELECT id FROM emp WHERE id = '3';
-- name: literal_unknown_to_timestamp_column
SELECT count(*) FROM orders WHERE ordered_at < '2023-02-01';
-- name: literal_unknown_to_numeric_column
SELECT count(*) FROM orders WHERE total > '500.5';
-- name: literal_unknown_to_bool_column
SELECT count(*) FROM misc WHERE flag = 't';
-- name: literal_unknown_to_jsonb_column
SELECT count(*) FROM docs WHERE jb = '{"b": 1, "a": 2, "aa": 3}';
-- name: literal_unknown_to_array_column
SELECT id FROM arrs WHERE ia = '{1,2,3}';
-- name: literal_unknown_to_enum_column
SELECT count(*) FROM orders WHERE priority = 'ok';
-- name: literal_unknown_to_uuid_column
SELECT id FROM misc WHERE u = 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11';
-- name: literal_unknown_to_interval_column
SELECT id FROM temporal WHERE iv = '1 day';
-- name: literal_unknown_to_inet_column
SELECT id FROM misc WHERE ip = '::1';
-- name: literal_in_select_without_from
SELECT 'x' AS a, 1 AS b, 1.5 AS c, true AS d, NULL AS e;
-- name: literal_numeric_precision_output
SELECT 0.1 + 0.2, 1.1 * 1.1, 1.10 * 1.10, 3.0 / 2, 3 / 2.0;
-- name: literal_float_vs_numeric
SELECT 0.1::float8 = 0.1, 0.1::float4 = 0.1, 0.5::float4 = 0.5;
-- name: literal_large_exponent
SELECT 1e308, 1e-308, 1e308::float8, 9e307::float8 * 1.5;
-- name: literal_string_with_null_byte_error
-- error: 22021
SELECT E'a\000b';
-- name: literal_identifier_case_folding
SELECT ID, Name, "id" FROM EMP WHERE Id = 1;
-- name: literal_array_string_forms
SELECT '{1, 2 ,3}'::int[], '{" a ","b"}'::text[], '{ }'::int[], '{ {1} , {2} }'::int[];
-- name: literal_interval_abbrev
SELECT '1d'::interval, '1h30m'::interval, '2 mins 3 secs'::interval, '1 yr'::interval;
