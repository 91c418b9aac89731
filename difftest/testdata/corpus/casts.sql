-- Casts: between every pair of supported types that PostgreSQL allows,
-- CAST(...) and ::, implicit casts in comparisons and function calls,
-- text output of every type via ::text, and the SQLSTATEs of invalid
-- casts (22P02, 22003, 22007, 22008, 42846).

-- name: text_of_numbers
SELECT id, i2::text, i4::text, i8::text, f4::text, f8::text, n::text, nu::text, n0::text, nb::text FROM numbers ORDER BY id;
-- name: text_of_strings
SELECT id, t::text, vc::text, c::text, length(c::text), c::varchar, c::varchar(3) FROM texts ORDER BY id;
-- name: text_of_misc
SELECT id, flag::text, data::text, u::text, ip::text, m::text FROM misc ORDER BY id;
-- name: text_of_temporal
SELECT id, d::text, t::text, ttz::text, ts::text, tstz::text, iv::text FROM temporal ORDER BY id;
-- name: text_of_json
SELECT id, j::text, jb::text FROM docs ORDER BY id;
-- name: text_of_arrays
SELECT id, ia::text, ta::text, na::text, fa::text, ba::text, da::text FROM arrs ORDER BY id;
-- name: text_of_matrix
SELECT id, m::text, tm::text FROM matrix ORDER BY id;
-- name: cast_syntax_forms
SELECT CAST(1.5 AS int), 1.5::int, int4 '7', CAST('2024-01-01' AS date), date '2024-01-01', int '42';
-- name: cast_to_varchar_n
SELECT CAST('hello world' AS varchar(5)), CAST('hi' AS char(4)), 'hello'::character varying(2), 'x'::bpchar;
-- name: cast_int_to_text_types
SELECT 42::text, 42::varchar, 42::char(5), (-7)::text, 9223372036854775807::text;
-- name: cast_float_to_text_precision
SELECT 0.1::float8::text, (1::float8 / 3)::text, 1e100::float8::text, 1e-10::float4::text, 'NaN'::float8::text;
-- name: cast_numeric_to_text
SELECT 1.50::text, 1.50::numeric(10,4)::text, 'NaN'::numeric::text, 0.000001::text, 1e20::numeric::text;

-- name: cast_int_widths
SELECT 32767::int2::int4, 2147483647::int4::int8, 100::int8::int2, (-5)::int2::int8;
-- name: cast_int_narrow_overflow
-- error: 22003
SELECT 40000::int4::int2;
-- name: cast_int8_narrow_overflow
-- error: 22003
SELECT 3000000000::int8::int4;
-- name: cast_columns_to_int2
SELECT id, i4::int2 FROM numbers WHERE i4 BETWEEN -32768 AND 32767 ORDER BY id;
-- name: cast_float_to_int_columns
SELECT id, f8::int8, f4::int4 FROM numbers WHERE id IN (1, 2, 3, 10, 12, 14, 15, 17) ORDER BY id;
-- name: cast_float_to_int_overflow
-- error: 22003
SELECT f8::int8 FROM numbers WHERE id = 4;
-- name: cast_infinity_float_to_int
-- error: 22003
SELECT 'Infinity'::float8::int8;
-- name: cast_numeric_to_numeric_typmod
SELECT id, n::numeric(6,1), nu::numeric(20,2) FROM numbers WHERE id IN (1, 2, 3, 6, 10, 12, 14, 15, 17) ORDER BY id;
-- name: cast_numeric_typmod_overflow_column
-- error: 22003
SELECT n::numeric(6,1) FROM numbers WHERE id = 4;
-- name: cast_int_to_numeric_typmod_overflow
-- error: 22003
SELECT 1000::numeric(3,0);
-- name: cast_float_to_numeric_typmod
SELECT 1.25::float8::numeric(3,1), 1.35::float8::numeric(3,1), 2.675::float8::numeric(4,2), 1e-7::float8::numeric(10,8);
-- name: cast_numeric_to_float_precision
SELECT 0.1::numeric::float4, 123456789.123456789::float8, 1e-300::numeric::float8, 12345678901234567890::numeric::float4;
-- name: cast_numeric_to_float_underflow
-- error: 22003
SELECT 1e-400::numeric::float8;
-- name: cast_numeric_to_float_overflow
-- error: 22003
SELECT 1e400::numeric::float8;
-- name: cast_bool_int
SELECT true::int, false::int, 1::bool, 0::bool, 5::bool, (-1)::bool;
-- name: cast_bool_int8_missing
-- error: 42846
SELECT true::int8;
-- name: cast_bool_from_text
SELECT 'true'::bool, 'FALSE'::bool, 'on'::bool, 'n'::bool, 'Y'::bool, '0'::bool;
-- name: cast_bool_invalid
-- error: 22P02
SELECT 'maybe'::bool;
-- name: cast_bool_to_numeric_missing
-- error: 42846
SELECT true::numeric;

-- name: cast_text_to_int_whitespace
SELECT ' 42'::int, '42 '::int, '+42'::int, '-0'::int, '007'::int;
-- name: cast_text_to_int_invalid
-- error: 22P02
SELECT '4 2'::int;
-- name: cast_text_to_int_decimal
-- error: 22P02
SELECT '1.5'::int;
-- name: cast_text_to_int_empty
-- error: 22P02
SELECT ''::int;
-- name: cast_text_to_int2_overflow
-- error: 22003
SELECT '32768'::int2;
-- name: cast_text_to_int8_overflow
-- error: 22003
SELECT '9223372036854775808'::int8;
-- name: cast_text_to_numeric_forms
SELECT '.5'::numeric, '5.'::numeric, '-.5e1'::numeric, 'NaN'::numeric, ' nan '::numeric, '1e-2'::numeric(5,3);
-- name: cast_text_to_numeric_invalid
-- error: 22P02
SELECT '1,5'::numeric;
-- name: cast_text_to_float_forms
SELECT '1e3'::float8, '.5'::float4, '-Infinity'::float8, ' 3.0 '::float8, '1E+308'::float8, '4.9e-324'::float8;
-- name: cast_text_to_float_invalid
-- error: 22P02
SELECT 'one'::float8;
-- name: cast_text_to_float_out_of_range
-- error: 22003
SELECT '1e400'::float8;
-- name: cast_text_columns_to_numbers
SELECT id, split_part(t, ',', 1) FROM texts WHERE t ~ '^\d' ORDER BY id;
-- name: cast_text_to_int_column_error
-- error: 22P02
SELECT t::int FROM texts WHERE id = 1;
-- name: cast_text_to_date_column_error
-- error: 22007
SELECT t::date FROM texts WHERE id = 1;

-- name: cast_text_to_uuid
SELECT 'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11'::uuid, '{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}'::uuid, 'a0eebc999c0b4ef8bb6d6bb9bd380a11'::uuid, 'a0ee-bc99-9c0b-4ef8-bb6d-6bb9-bd38-0a11'::uuid;
-- name: cast_uuid_invalid
-- error: 22P02
SELECT 'not-a-uuid'::uuid;
-- name: cast_uuid_to_text_bytea
SELECT u::text, u::varchar(8), upper(u::text) FROM misc WHERE id = 1;
-- name: cast_text_to_bytea
SELECT 'abc'::bytea, '\x616263'::bytea, '\\'::bytea, 'a\000b'::bytea, ''::bytea;
-- name: cast_bytea_invalid_hex
-- error: 22023
SELECT '\xZZ'::bytea;
-- name: cast_bytea_to_text
SELECT data::text FROM misc ORDER BY id;
-- name: cast_int_to_bytea_missing
-- error: 42846
SELECT 1::bytea;
-- name: cast_text_to_inet
SELECT '192.168.0.1/24'::inet, '10.1.2.3'::inet, '::ffff:1.2.3.4'::inet, '2001:DB8::1'::inet;
-- name: cast_inet_invalid
-- error: 22P02
SELECT '300.1.1.1'::inet;
-- name: cast_inet_functions
SELECT id, host(ip), masklen(ip), family(ip), network(ip)::text, abbrev(ip) FROM misc WHERE ip IS NOT NULL ORDER BY id;
-- name: cast_inet_to_cidr
SELECT '192.168.1.0/24'::inet::cidr, '10.0.0.0/8'::cidr::text;
-- name: cast_cidr_invalid
-- error: 22P02
SELECT '192.168.1.1/24'::cidr;
-- name: cast_text_to_enum
SELECT 'ok'::mood, 'happy'::mood > 'sad'::mood, enum_range('ok'::mood, NULL), enum_first(NULL::mood);
-- name: cast_enum_invalid
-- error: 22P02
SELECT 'angry'::mood;
-- name: cast_enum_order_column
SELECT id, m, m::text AS label, m < 'happy' FROM misc ORDER BY m NULLS LAST, id;
-- name: cast_text_to_json_types
SELECT '{"a":1}'::json, '{"a":1}'::jsonb, '[1,2]'::json::jsonb, '{"b":1,"a":2}'::jsonb::json;
-- name: cast_jsonb_to_numbers
SELECT '12.5'::jsonb::numeric, '12'::jsonb::int8, '1e2'::jsonb::float8, 'false'::jsonb::bool;
-- name: cast_jsonb_string_to_int_error
-- error: 22023
SELECT '"12"'::jsonb::int;
-- name: cast_json_to_int_missing
-- error: 42846
SELECT '12'::json::int;

-- name: cast_date_timestamp_forms
SELECT DATE '2024-02-29'::timestamp, DATE '2024-02-29'::timestamptz, TIMESTAMP '2024-02-29 23:59:59.999999'::date, TIMESTAMPTZ '2024-02-29 23:59:59+00'::date;
-- name: cast_date_to_int_missing
-- error: 42846
SELECT DATE '2024-01-01'::int;
-- name: cast_text_to_timestamp_forms
SELECT '2024-02-29'::timestamp, '2024-02-29 1:2:3'::timestamp, '2024-02-29 01:02:03.1234567'::timestamp, '2024-02-29T01:02:03Z'::timestamp;
-- name: cast_text_to_timestamptz_columns
SELECT id, (d::text || ' 12:00:00+02')::timestamptz FROM temporal WHERE id NOT IN (11, 12, 13, 16) ORDER BY id;
-- name: cast_timestamp_to_time
SELECT id, ts::time, tstz::timetz FROM temporal WHERE id NOT IN (11, 12, 13, 16) ORDER BY id;
-- name: cast_timestamp_infinity_to_date
SELECT 'infinity'::timestamp::date, '-infinity'::timestamptz::date, 'infinity'::date::timestamp;
-- name: cast_time_to_timetz
SELECT TIME '10:00'::timetz, TIMETZ '10:00+03'::time;
-- name: cast_interval_text
SELECT '1 day 2 hours'::interval::text, INTERVAL '90 minutes'::text, '-1'::interval, '1'::interval, '1.5'::interval;
-- name: cast_interval_to_time_range
SELECT INTERVAL '26 hours'::time, INTERVAL '-2 hours'::time, INTERVAL '1 mon 1 hour'::time;
-- name: cast_timestamp_invalid_value
-- error: 22008
SELECT '2024-02-30 00:00'::timestamp;
-- name: cast_timestamp_invalid_syntax
-- error: 22007
SELECT '2024-02-29 25h'::timestamp;
-- name: cast_time_invalid_value
-- error: 22008
SELECT '12:60:00'::time;
-- name: cast_timestamptz_bad_zone
-- error: 22023
SELECT '2024-01-01 00:00 Mars/Base'::timestamptz;
-- name: cast_interval_invalid
-- error: 22007
SELECT 'three days'::interval;

-- name: cast_array_element_types
SELECT '{1,2}'::int[]::text[], '{1.5,2.5}'::numeric[]::int[], '{t,f}'::bool[]::text[], '{2024-01-01}'::date[]::timestamp[];
-- name: cast_array_text_to_int_error
-- error: 22P02
SELECT '{a,b}'::text[]::int[];
-- name: cast_array_to_scalar_error
-- error: 42846
SELECT ARRAY[1]::int;
-- name: cast_scalar_to_array_error
-- error: 42846
SELECT 1::int[];
-- name: cast_array_varchar_typmod
SELECT ARRAY['abcdef', 'xy']::varchar(3)[], ARRAY['a']::char(3)[];
-- name: cast_row_to_text
SELECT ROW(1, 'a', NULL)::text, ROW(1.5, ARRAY[1, 2], 'x y')::text, (1, '')::text;
-- name: cast_text_to_regclass_like
SELECT 'int4'::regtype::text, 'numeric(10,2)'::regtype::text, 'varchar'::regtype, 'timestamptz'::regtype;

-- name: implicit_int_numeric_compare
SELECT 1 = 1.0, 2 < 2.5, 3::int2 = 3::numeric, 10::int8 > 9.99;
-- name: implicit_text_varchar_compare
SELECT 'abc'::varchar = 'abc'::text, 'abc'::char(5) = 'abc'::varchar, 'abc '::text = 'abc'::char(3);
-- name: implicit_date_timestamp_compare
SELECT DATE '2024-01-01' < TIMESTAMP '2024-01-01 00:00:01', DATE '2024-01-01' = TIMESTAMPTZ '2024-01-01 00:00:00+00';
-- name: implicit_unknown_to_column_type
SELECT id FROM numbers WHERE i4 = '7' ORDER BY id;
-- name: implicit_unknown_to_date
SELECT id FROM temporal WHERE d = '2024-03-10' ORDER BY id;
-- name: implicit_unknown_invalid_for_column
-- error: 22P02
SELECT id FROM numbers WHERE i4 = 'seven';
-- name: implicit_int_column_vs_numeric_literal
SELECT id FROM numbers WHERE i4 = 7.0 OR i4 > 100000.5 ORDER BY id;
-- name: implicit_int_vs_text_column_error
-- error: 42883
SELECT id FROM texts WHERE t = 1;
-- name: implicit_function_arg_cast
SELECT round(5), round(5::int8, 1), sqrt(16::int4), power(2::int2, 3::int8), abs(-2::int2), pg_typeof(round(5));
-- name: implicit_concat_casts
SELECT 'n=' || 1.5::numeric, 1 || '2', DATE '2024-01-01' || 'x', true || 'false'::text;
-- name: implicit_concat_int_int_error
-- error: 42883
SELECT 1 || 2;
-- name: implicit_case_branches
SELECT CASE WHEN id > 1 THEN 1 ELSE 2.5 END, pg_typeof(CASE WHEN id > 1 THEN 1 ELSE 2.5 END) FROM emp WHERE id <= 2 ORDER BY id;
-- name: implicit_coalesce_types
SELECT coalesce(NULL, 1, 2.5), pg_typeof(coalesce(NULL, 1, 2.5)), coalesce(i2, i8), pg_typeof(coalesce(i2, i8)) FROM numbers WHERE id = 2;
-- name: implicit_coalesce_mismatch_error
-- error: 42804
SELECT coalesce(1, 'a'::text);
-- name: implicit_in_list_types
SELECT 1 IN (1.0, 2), 'a' IN ('a'::char(3)), DATE '2024-01-01' IN (TIMESTAMP '2024-01-01');
-- name: implicit_greatest_types
SELECT greatest(1, 2.5, 3::int8), pg_typeof(greatest(1, 2.5)), least('b', 'a'::varchar), pg_typeof(least('b'::char(3), 'a'::varchar));
-- name: cast_domain_like_typmod_output
SELECT 'abc'::varchar(10) AS v, 1.5::numeric(6,2) AS n, TIMESTAMP(2) '2024-01-01 00:00:00.123' AS ts;
-- name: cast_nested
SELECT '12.7'::numeric::int::text::int8, 3.99::float4::numeric::int, '2024-02-29'::date::text::date;
-- name: cast_null_to_every_type
SELECT NULL::int, NULL::text, NULL::date, NULL::jsonb, NULL::int[], NULL::uuid, NULL::bool, NULL::interval;
-- name: cast_money_text
SELECT '1,234.56'::money, '$5'::money::text, 5::money, 5.678::money;
-- name: cast_char_to_int
SELECT '5'::char::int, '12'::char(2)::int2, ' 7'::varchar::int8;
-- name: cast_float4_exact_output
SELECT 16777216::float4, 16777217::float4, 0.3::float4::float8, 3.4e38::float4::text;
-- name: cast_name_and_char
SELECT 'abc'::name::text, 'x'::"char", 'xyz'::"char", 65::"char";
-- name: cast_oid
SELECT 23::oid, '1700'::oid::int8, pg_typeof(23::oid);
-- name: cast_xml_unsupported_type
SELECT '<a>1</a>'::xml::text;
-- name: cast_bit_strings
SELECT 5::bit(4), B'101'::int, X'FF'::bit(8)::int, '1010'::varbit;
-- name: cast_point_geometry
SELECT '(1,2)'::point, point(1.5, 2.5)::text;
-- name: cast_range_types
SELECT '[1,5)'::int4range, int4range(1, 10) @> 5, '[2024-01-01,2024-02-01)'::daterange, upper(numrange(1.5, 2.5));
-- name: cast_tsvector
SELECT 'the quick fox'::tsvector, to_tsvector('simple', 'The Quick Fox');
-- name: cast_int_char_codes
SELECT 65::"char", 0::"char" = '', 127::"char"::int, 'x'::"char"::int, ''::"char"::int, 48::"char"::text;
-- name: cast_int_char_out_of_range
-- error: 22003
SELECT 200::"char";
