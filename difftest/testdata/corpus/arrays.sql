-- Arrays: literals and constructors, output quoting, array_agg with
-- ORDER BY, unnest (several arguments, WITH ORDINALITY), the array
-- functions, ANY/ALL, containment and overlap, subscripts and slices
-- (including lower bounds other than 1), comparison, two dimensions.

-- name: array_columns_output
SELECT id, ia, ta, na, fa, ba, da FROM arrs ORDER BY id;
-- name: matrix_output
SELECT id, m, tm FROM matrix ORDER BY id;
-- name: array_literals
SELECT '{1,2,3}'::int[], '{a,"b c",NULL,"NULL",""}'::text[], '{}'::int[], '{{1,2},{3,4}}'::int[], '[2:3]={5,6}'::int[];
-- name: array_constructor
SELECT ARRAY[1, 2, 3], ARRAY['a', NULL], ARRAY[1.5, 2], ARRAY[[1, 2], [3, 4]], ARRAY[]::int[], ARRAY[1, 2.5]::int[];
-- name: array_constructor_types
SELECT pg_typeof(ARRAY[1, 2]), pg_typeof(ARRAY[1, 2.5]), pg_typeof(ARRAY['a']), pg_typeof(ARRAY[1::int8]), pg_typeof(ARRAY[DATE '2024-01-01']);
-- name: array_constructor_empty_untyped
-- error: 42P18
SELECT ARRAY[];
-- name: array_output_quoting
SELECT ARRAY['a b', 'c,d', 'e"f', 'g\h', '', ' ', 'NULL', 'null', '{x}'];
-- name: array_output_unicode
SELECT ARRAY['ß', 'é', '😀', '東京'], ARRAY[E'tab\there', E'new\nline'];
-- name: array_of_dates
SELECT ARRAY[DATE '2024-01-01', 'infinity'], ARRAY[TIMESTAMP '2024-01-01 10:00', NULL], ARRAY[TIMESTAMPTZ '2024-01-01 10:00+02'];
-- name: array_of_numbers_output
SELECT ARRAY[1.50, 2.0, 0.001], ARRAY[0.1::float8, 1e100, 'NaN'], ARRAY[1::int2, -1], ARRAY[9223372036854775807];
-- name: array_of_bool_bytea_uuid
SELECT ARRAY[true, false, NULL], ARRAY['\xdead'::bytea, '\x'], ARRAY['a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid];
-- name: array_of_json
SELECT ARRAY['{"a": 1}'::jsonb, '[1, 2]'], ARRAY['{"b":1,  "a":2}'::json];
-- name: array_of_intervals
SELECT ARRAY[INTERVAL '1 day', INTERVAL '-1 mon 2 hours'];
-- name: array_of_char
SELECT ARRAY['ab'::char(4), 'c'::char(4)], ARRAY['x'::varchar(3)];
-- name: array_from_subquery
SELECT ARRAY(SELECT id FROM emp WHERE dept = 'eng' ORDER BY id), ARRAY(SELECT name FROM emp WHERE false);
-- name: array_text_cast
SELECT id, ia::text, ta::text, fa::text FROM arrs ORDER BY id;
-- name: array_cast_element
SELECT '{1,2,3}'::text[]::int[], ARRAY[1.7, 2.2]::int[], '{1.5,2.5}'::float8[]::numeric[], ARRAY['1', '2']::int8[];
-- name: array_cast_invalid
-- error: 22P02
SELECT '{1,x}'::int[];
-- name: array_literal_malformed
-- error: 22P02
SELECT '{1,2'::int[];
-- name: array_literal_ragged
-- error: 22P02
SELECT '{{1,2},{3}}'::int[];

-- name: array_agg_ordered
SELECT array_agg(id ORDER BY id DESC) FROM emp;
-- name: array_agg_group
SELECT dept, array_agg(name ORDER BY name), array_agg(salary ORDER BY salary DESC NULLS LAST, id) FROM emp GROUP BY dept ORDER BY dept NULLS FIRST;
-- name: array_agg_nulls
SELECT array_agg(bonus ORDER BY id) FROM emp;
-- name: array_agg_distinct
SELECT array_agg(DISTINCT dept ORDER BY dept), array_agg(DISTINCT rating ORDER BY rating DESC) FROM emp;
-- name: array_agg_empty
SELECT array_agg(id), array_agg(id) IS NULL FROM emp WHERE false;
-- name: array_agg_filter
SELECT array_agg(id ORDER BY id) FILTER (WHERE rating >= 4) FROM emp;
-- name: array_agg_of_arrays
SELECT array_agg(ARRAY[id, rating] ORDER BY id) FROM emp WHERE id <= 4;
-- name: array_agg_of_arrays_ragged
-- error: 2202E
SELECT array_agg(ia ORDER BY id) FROM arrs WHERE id IN (1, 2);
-- name: array_agg_text_types
SELECT array_agg(c ORDER BY id), array_agg(vc ORDER BY id) FROM texts WHERE id <= 4;
-- name: array_agg_dates
SELECT array_agg(d ORDER BY id) FROM temporal WHERE id <= 5;
-- name: array_agg_numeric
SELECT array_agg(n ORDER BY id), array_agg(nu ORDER BY id) FROM numbers WHERE id <= 6;

-- name: unnest_basic
SELECT unnest(ARRAY[3, 1, 2]);
-- name: unnest_ordinality
SELECT x, n FROM unnest(ARRAY['c', 'a', 'b']) WITH ORDINALITY AS t(x, n) ORDER BY n;
-- name: unnest_multiple_args
SELECT * FROM unnest(ARRAY[1, 2, 3], ARRAY['a', 'b']) AS t(n, s) ORDER BY n;
-- name: unnest_multiple_ordinality
SELECT * FROM unnest(ARRAY[1, 2], ARRAY['x', 'y', 'z'], ARRAY[true]) WITH ORDINALITY AS t(a, b, c, o) ORDER BY o;
-- name: unnest_multiple_nulls_and_columns
SELECT a.id, u.* FROM arrs a, unnest(CASE WHEN a.id = 1 THEN NULL ELSE ARRAY[a.id, a.id + 1] END, ARRAY['p', NULL, 'q']::text[]) AS u(n, s) WHERE a.id <= 3 ORDER BY a.id, u.s NULLS FIRST;
-- name: unnest_multiple_unaliased
SELECT * FROM unnest(ARRAY[1.5, 2], ARRAY[]::int[]);
-- name: unnest_columns
SELECT a.id, x FROM arrs a, unnest(a.ia) x ORDER BY a.id, x NULLS FIRST;
-- name: unnest_columns_ordinality
SELECT a.id, x, n FROM arrs a, unnest(a.ta) WITH ORDINALITY AS u(x, n) ORDER BY a.id, n;
-- name: unnest_select_list
SELECT id, unnest(ia) FROM arrs WHERE id IN (1, 2, 8);
-- name: unnest_select_list_two
SELECT id, unnest(ia), unnest(ta) FROM arrs WHERE id IN (1, 2);
-- name: unnest_2d
SELECT unnest(m) FROM matrix WHERE id = 1;
-- name: unnest_empty_and_null
SELECT count(*) FROM arrs, unnest(ia) WHERE id IN (3, 5);
-- name: unnest_left_join_lateral
SELECT a.id, x FROM arrs a LEFT JOIN LATERAL unnest(a.ia) x ON true WHERE a.id IN (3, 4, 5) ORDER BY a.id, x NULLS FIRST;
-- name: unnest_group
SELECT x, count(*) FROM arrs, unnest(ta) x GROUP BY x ORDER BY x NULLS FIRST;

-- name: array_length_funcs
SELECT id, array_length(ia, 1), cardinality(ia), array_ndims(ia), array_lower(ia, 1), array_upper(ia, 1), array_dims(ia) FROM arrs ORDER BY id;
-- name: array_length_2d
SELECT id, array_length(m, 1), array_length(m, 2), cardinality(m), array_ndims(m), array_dims(m), array_lower(m, 2) FROM matrix ORDER BY id;
-- name: array_length_empty
SELECT array_length('{}'::int[], 1), cardinality('{}'::int[]), array_ndims('{}'::int[]), array_dims('{}'::int[]), array_upper('{}'::int[], 1);
-- name: array_position_funcs
SELECT array_position(ARRAY['a', 'b', 'c', 'b'], 'b'), array_position(ARRAY['a', 'b', 'b'], 'b', 3), array_position(ARRAY[1, NULL], NULL), array_position(ARRAY[1], 9);
-- name: array_positions_funcs
SELECT array_positions(ARRAY[1, 2, 1, NULL, 1], 1), array_positions(ARRAY[1, NULL, NULL], NULL), array_positions(ARRAY[]::int[], 1);
-- name: array_position_columns
SELECT id, array_position(ta, 'x'), array_positions(ta, 'x'), array_position(ia, 2) FROM arrs ORDER BY id;
-- name: array_remove_replace
SELECT array_remove(ARRAY[1, 2, 1, NULL], 1), array_remove(ARRAY[1, NULL], NULL), array_replace(ARRAY[1, 2, 1], 1, 9), array_replace(ARRAY[1, NULL], NULL, 0);
-- name: array_remove_2d
-- error: 0A000
SELECT array_remove(ARRAY[[1, 2], [3, 4]], 1);
-- name: array_remove_columns
SELECT id, array_remove(ia, 2), array_replace(ta, 'x', 'X') FROM arrs ORDER BY id;
-- name: array_cat_append_prepend
SELECT array_cat(ARRAY[1, 2], ARRAY[3]), array_append(ARRAY[1], 2), array_prepend(0, ARRAY[1]), ARRAY[1] || ARRAY[2, 3], 0 || ARRAY[1], ARRAY[1] || 2;
-- name: array_cat_dims
SELECT ARRAY[[1, 2]] || ARRAY[3, 4], ARRAY[1, 2] || ARRAY[[3, 4]], array_cat('{}'::int[], ARRAY[1]), array_cat(NULL::int[], ARRAY[1]);
-- name: array_cat_columns
SELECT id, ia || ARRAY[0], array_append(ta, 'end'), array_prepend(-1, ia) FROM arrs ORDER BY id;
-- name: array_to_string_funcs
SELECT array_to_string(ARRAY[1, 2, 3], ','), array_to_string(ARRAY['a', NULL, 'c'], ','), array_to_string(ARRAY['a', NULL, 'c'], ',', '*'), array_to_string('{}'::text[], ',');
-- name: array_to_string_columns
SELECT id, array_to_string(ta, '|', '∅'), array_to_string(fa, ';'), array_to_string(da, ' ') FROM arrs ORDER BY id;
-- name: array_to_string_2d
SELECT id, array_to_string(m, ',', 'null') FROM matrix ORDER BY id;
-- name: string_to_array_funcs
SELECT string_to_array('a,b,,c', ','), string_to_array('a,b,,c', ',', ''), string_to_array('abc', NULL), string_to_array('abc', ''), string_to_array('', ',');
-- name: string_to_array_null_string
SELECT string_to_array('a,NULL,b', ',', 'NULL'), string_to_array(NULL, ','), string_to_array('a b', ' ')::text;
-- name: string_to_array_columns
SELECT id, string_to_array(t, ' ') FROM texts ORDER BY id;
-- name: array_fill_funcs
SELECT array_fill(7, ARRAY[3]), array_fill('x'::text, ARRAY[2, 2]), array_fill(0, ARRAY[2], ARRAY[0]);
-- name: trim_array_func
SELECT trim_array(ARRAY[1, 2, 3, 4], 2), trim_array(ARRAY[1], 1), trim_array(ARRAY[[1, 2], [3, 4]], 1);
-- name: array_sample_order_free
SELECT cardinality(ARRAY(SELECT unnest(ARRAY[1, 2, 3]) ORDER BY 1));

-- name: any_all_values
SELECT 2 = ANY(ARRAY[1, 2]), 3 = ANY(ARRAY[1, 2]), 3 = ANY(ARRAY[1, NULL]), 1 = ANY(ARRAY[1, NULL]), 1 = ANY('{}'::int[]);
-- name: all_values
SELECT 5 > ALL(ARRAY[1, 2]), 5 > ALL(ARRAY[1, NULL]), 0 > ALL(ARRAY[1, NULL]), 1 = ALL('{}'::int[]), 1 <> ALL(ARRAY[2, 3]);
-- name: any_null_array
SELECT 1 = ANY(NULL::int[]), 1 <> ALL(NULL::int[]), NULL = ANY(ARRAY[1]);
-- name: any_columns
SELECT id, 2 = ANY(ia), 'x' = ANY(ta), 1 < ALL(ia), 'a' <> ALL(ta) FROM arrs ORDER BY id;
-- name: any_in_where
SELECT id FROM emp WHERE dept = ANY(ARRAY['eng', 'ops']) ORDER BY id;
-- name: any_like
SELECT id FROM emp WHERE name LIKE ANY(ARRAY['A%', '%y']) ORDER BY id;
-- name: any_subquery_array
SELECT id FROM arrs WHERE 3 = ANY(ia) ORDER BY id;
-- name: containment_ops
SELECT ARRAY[1, 2, 3] @> ARRAY[2, 1], ARRAY[1] <@ ARRAY[1, 2], ARRAY[1, 2] && ARRAY[2, 9], ARRAY[1] && ARRAY[2], ARRAY[1, NULL] @> ARRAY[NULL]::int[];
-- name: containment_duplicates_empty
SELECT ARRAY[1, 1] @> ARRAY[1, 1, 1], '{}'::int[] <@ ARRAY[1], ARRAY[1] @> '{}'::int[], '{}'::int[] && '{}'::int[];
-- name: containment_columns
SELECT id, ia @> ARRAY[1], ia <@ ARRAY[1, 2, 3, 4], ta && ARRAY['x', 'a'] FROM arrs ORDER BY id;
-- name: containment_2d_flat
SELECT ARRAY[[1, 2], [3, 4]] @> ARRAY[4, 1], ARRAY[1, 4] <@ ARRAY[[1, 2], [3, 4]];

-- name: subscripts
SELECT id, ia[1], ia[2], ia[0], ia[-1], ta[1], ta[99] FROM arrs ORDER BY id;
-- name: subscripts_2d
SELECT id, m[1][1], m[2][2], m[1], m[1][5] FROM matrix ORDER BY id;
-- name: slices
SELECT id, ia[1:2], ia[2:], ia[:2], ia[0:1], ta[2:3] FROM arrs ORDER BY id;
-- name: slices_2d
SELECT id, m[1:1], m[1:2][1:1], m[2:][1:] FROM matrix ORDER BY id;
-- name: slices_out_of_range
SELECT (ARRAY[1, 2, 3])[2:10], (ARRAY[1, 2, 3])[5:6], (ARRAY[1, 2, 3])[3:1], (ARRAY[1, 2, 3])[-5:1];
-- name: subscript_expression
SELECT (ARRAY['a', 'b', 'c'])[1 + 1], (string_to_array('x-y-z', '-'))[3], (ARRAY[[1, 2], [3, 4]])[2:2][1:2];
-- name: subscript_null_index
SELECT (ARRAY[1, 2])[NULL], (ARRAY[1, 2])[NULL:1];
-- name: lower_bound_arrays
SELECT '[0:2]={7,8,9}'::int[], ('[0:2]={7,8,9}'::int[])[0], array_lower('[0:2]={7,8,9}'::int[], 1), ('[0:2]={7,8,9}'::int[])[1:2];
-- name: lower_bound_ops
SELECT '[0:2]={7,8,9}'::int[] = '{7,8,9}'::int[], '[0:2]={7,8,9}'::int[] || 10, array_to_string('[0:2]={7,8,9}'::int[], ','), cardinality('[0:2]={7,8,9}'::int[]);

-- name: array_comparison
SELECT ARRAY[1, 2] = ARRAY[1, 2], ARRAY[1, 2] < ARRAY[1, 3], ARRAY[1, 2] < ARRAY[1, 2, 0], ARRAY[2] > ARRAY[1, 9], ARRAY[1, NULL] = ARRAY[1, NULL];
-- name: array_comparison_text
SELECT ARRAY['a', 'b'] < ARRAY['a', 'c'], ARRAY['b'] > ARRAY['a', 'z'], ARRAY[]::text[] < ARRAY['a'];
-- name: array_ordering
SELECT id, ia FROM arrs ORDER BY ia NULLS FIRST, id;
-- name: array_ordering_desc
SELECT id, ta FROM arrs ORDER BY ta DESC NULLS LAST, id;
-- name: array_distinct
SELECT DISTINCT ia FROM arrs ORDER BY 1 NULLS LAST;
-- name: array_group_by
SELECT ba, count(*) FROM arrs GROUP BY ba ORDER BY ba NULLS FIRST;
-- name: array_min_max
SELECT min(ia), max(ia), min(ta), max(ta) FROM arrs;
-- name: array_mixed_type_op
-- error: 42883
SELECT ARRAY[1, 2] @> ARRAY['a'];
-- name: array_concat_mismatch
-- error: 42883
SELECT ARRAY[1] || ARRAY['a'::text];

-- name: array_in_values_output
SELECT * FROM (VALUES (ARRAY[1, 2]), (ARRAY[3])) v(a) ORDER BY a;
-- name: array_agg_to_string
SELECT dept, array_to_string(array_agg(name ORDER BY name), ', ') FROM emp GROUP BY dept ORDER BY dept NULLS LAST;
-- name: array_sum_unnest
SELECT id, (SELECT sum(x) FROM unnest(ia) x) FROM arrs ORDER BY id;
-- name: array_reverse_via_ordinality
SELECT id, ARRAY(SELECT x FROM unnest(ia) WITH ORDINALITY u(x, n) ORDER BY n DESC) FROM arrs WHERE id IN (1, 2, 8) ORDER BY id;
-- name: array_sort_via_subquery
SELECT id, ARRAY(SELECT x FROM unnest(ta) x ORDER BY x NULLS FIRST) FROM arrs ORDER BY id;
-- name: array_of_rows
SELECT ARRAY[ROW(1, 'a'), ROW(2, 'b')];
-- name: array_length_of_null
SELECT array_length(NULL::int[], 1), cardinality(NULL::int[]), array_ndims(NULL::int[]);
-- name: array_dims_mixed
SELECT array_dims('[-2:-1]={1,2}'::int[]), ('[-2:-1]={1,2}'::int[])[-2], array_upper('[-2:-1]={1,2}'::int[], 1);
-- name: array_numeric_elements_math
SELECT id, na[1] * 2, fa[1] / 2 FROM arrs ORDER BY id;
-- name: array_date_elements
SELECT id, da[1] + 1, extract(year FROM da[1]) FROM arrs WHERE id <> 6 ORDER BY id;
-- name: array_bool_agg_elements
SELECT id, bool_and(x), bool_or(x) FROM arrs, unnest(ba) x GROUP BY id ORDER BY id;
