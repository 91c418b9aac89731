-- json and jsonb: output (json keeps its text, jsonb normalizes key
-- order, duplicates, numbers, whitespace), operators, constructors,
-- aggregates, set-returning functions, modification functions, to_json
-- of every type.

-- name: json_output
SELECT id, j FROM docs ORDER BY id;
-- name: jsonb_output
SELECT id, jb FROM docs ORDER BY id;
-- name: json_text_casts
SELECT id, j::text, jb::text, j::jsonb::text FROM docs ORDER BY id;
-- name: jsonb_key_order
SELECT '{"b": 1, "a": 2, "aa": 3, "c": {"z": 1, "y": 2}}'::jsonb, '{"b": 1, "a": 2}'::json;
-- name: jsonb_duplicates
SELECT '{"a": 1, "a": 2}'::jsonb, '{"a": 1, "a": 2}'::json, ('{"a": 1, "a": 2}'::json)->'a', ('{"a": 1, "a": 2}'::json)->>'a';
-- name: jsonb_numbers
SELECT '[1.50, 1e2, -0, 0.0, 1E-3, 100000000000000000000]'::jsonb, '[1.50, 1e2]'::json;
-- name: jsonb_whitespace
SELECT '  {"a" :1,  "b":[ 1 , 2 ]}  '::jsonb, '  {"a" :1,  "b":[ 1 , 2 ]}  '::json;
-- name: jsonb_unicode_escapes
SELECT '"\u00e9\u0041"'::jsonb, '"\u00e9"'::json, '"tab\tnew\nline"'::jsonb, '"\ud83d\ude00"'::jsonb;
-- name: json_invalid
-- error: 22P02
SELECT '{"a": }'::json;
-- name: jsonb_invalid
-- error: 22P02
SELECT '{a: 1}'::jsonb;
-- name: jsonb_null_char
-- error: 22P05
SELECT '"\u0000"'::jsonb;
-- name: json_scalars
SELECT 'true'::jsonb, 'null'::jsonb, '"x"'::jsonb, '3.14'::jsonb, '[]'::jsonb, '{}'::jsonb;

-- name: arrow_key
SELECT id, jb -> 'a', jb -> 'b', j -> 'a', j -> 'b' FROM docs ORDER BY id;
-- name: arrow_text_key
SELECT id, jb ->> 'a', jb ->> 'name', j ->> 'a', j ->> 'name' FROM docs ORDER BY id;
-- name: arrow_index
SELECT id, jb -> 0, jb -> 1, jb -> -1, j -> 2, jb ->> 2 FROM docs ORDER BY id;
-- name: arrow_nested
SELECT id, jb -> 'nested' -> 'deep' -> 'deeper' -> 1 ->> 'x', jb -> 'c' -> 2, j -> 'arr' -> 1 -> 0 FROM docs ORDER BY id;
-- name: path_operators
SELECT id, jb #> '{nested,deep,deeper}', jb #>> '{nested,deep,deeper,1,x}', j #> '{arr,0}', jb #>> '{c,0}' FROM docs ORDER BY id;
-- name: path_empty
SELECT jb #> '{}', jb #>> '{}' FROM docs WHERE id IN (5, 6, 7) ORDER BY id;
-- name: arrow_missing
SELECT '{"a": 1}'::jsonb -> 'b', '[1]'::jsonb -> 5, '"s"'::jsonb -> 'a', '{"a": null}'::jsonb -> 'a', '{"a": null}'::jsonb ->> 'a';
-- name: arrow_types
SELECT pg_typeof(jb -> 'a'), pg_typeof(jb ->> 'a'), pg_typeof(j -> 'a'), pg_typeof(j #>> '{a}') FROM docs WHERE id = 1;
-- name: arrow_text_of_values
SELECT id, jb ->> 'price', jb ->> 'tags', jb ->> 'active', jb -> 'price' FROM docs WHERE id IN (14, 16) ORDER BY id;
-- name: arrow_cast_numeric
SELECT id, (jb ->> 'price')::numeric, (jb ->> 'qty')::int, (jb ->> 'active')::bool FROM docs WHERE id IN (14, 16) ORDER BY id;
-- name: jsonb_subscript
SELECT id, jb['a'], jb['nested']['deep'], jb[0] FROM docs ORDER BY id;
-- name: containment
SELECT id, jb @> '{"a": 1}', jb @> '[1]', jb <@ '{"a": 1, "b": "two", "c": [1, 2, 3], "d": {"e": null}, "z": 0}', jb @> '{"tags": ["red"]}' FROM docs ORDER BY id;
-- name: containment_values
SELECT '[1, 2, [3]]'::jsonb @> '[[3]]', '[1, 2]'::jsonb @> '1', '{"a": [1, 2]}'::jsonb @> '{"a": [2, 1, 1]}', '"x"'::jsonb @> '"x"', '[]'::jsonb <@ '[1]';
-- name: exists_operators
SELECT id, jb ? 'a', jb ?| ARRAY['x', 'tags'], jb ?& ARRAY['a', 'b'], jb ? 'x' FROM docs ORDER BY id;
-- name: exists_array_elements
SELECT '["a", "b"]'::jsonb ? 'a', '["a", "b"]'::jsonb ? 'c', '[1]'::jsonb ? '1', '"a"'::jsonb ? 'a';
-- name: jsonb_concat
SELECT '{"a": 1}'::jsonb || '{"b": 2}', '{"a": 1}'::jsonb || '{"a": 2}', '[1]'::jsonb || '[2]', '[1]'::jsonb || '3', '{"a": 1}'::jsonb || '[1]';
-- name: jsonb_delete
SELECT '{"a": 1, "b": 2}'::jsonb - 'a', '["a", "b", "a"]'::jsonb - 'a', '[1, 2, 3]'::jsonb - 1, '[1, 2, 3]'::jsonb - -1, '{"a": 1, "b": 2}'::jsonb - ARRAY['a', 'b'];
-- name: jsonb_delete_path
SELECT '{"a": {"b": 1, "c": 2}}'::jsonb #- '{a,b}', '[1, [2, 3]]'::jsonb #- '{1,0}', '{"a": 1}'::jsonb #- '{x}';
-- name: jsonb_equality
SELECT '{"a": 1, "b": 2}'::jsonb = '{"b": 2, "a": 1}'::jsonb, '[1, 2]'::jsonb = '[2, 1]'::jsonb, '1.0'::jsonb = '1'::jsonb, '1.50'::jsonb = '1.5'::jsonb;
-- name: jsonb_ordering
SELECT id, jb FROM docs ORDER BY jb NULLS FIRST, id;
-- name: jsonb_group_by
SELECT e.x -> 'k', count(*) FROM docs, jsonb_array_elements(CASE WHEN id = 15 THEN jb ELSE '[]' END) e(x) GROUP BY 1 ORDER BY 1;
-- name: json_equality_error
-- error: 42883
SELECT '{}'::json = '{}'::json;
-- name: jsonb_where_filter
SELECT id FROM docs WHERE jb ->> 'name' = 'widget' OR (jb -> 'qty')::int > 0 ORDER BY id;

-- name: jsonb_typeof_values
SELECT id, jsonb_typeof(jb), json_typeof(j) FROM docs ORDER BY id;
-- name: jsonb_typeof_nested
SELECT id, jsonb_typeof(jb -> 'a'), jsonb_typeof(jb -> 'c'), jsonb_typeof(jb -> 'd'), jsonb_typeof(jb -> 'missing') FROM docs WHERE id IN (1, 14) ORDER BY id;
-- name: jsonb_array_length_values
SELECT id, jsonb_array_length(jb) FROM docs WHERE jsonb_typeof(jb) = 'array' ORDER BY id;
-- name: json_array_length_values
SELECT json_array_length('[1, 2, [3, 4]]'), jsonb_array_length('[]'), json_array_length(j -> 'c') FROM docs WHERE id = 1;
-- name: jsonb_array_length_scalar
-- error: 22023
SELECT jsonb_array_length('{"a": 1}');
-- name: jsonb_object_keys_rows
SELECT id, jsonb_object_keys(jb) FROM docs WHERE jsonb_typeof(jb) = 'object' ORDER BY 1, 2;
-- name: json_object_keys_rows
SELECT json_object_keys(j) FROM docs WHERE id = 2;
-- name: json_object_keys_duplicates
SELECT json_object_keys('{"a": 1, "a": 2, "b": 3}');
-- name: jsonb_each_rows
SELECT key, value FROM docs, jsonb_each(jb) WHERE id = 1 ORDER BY key;
-- name: jsonb_each_text_rows
SELECT key, value FROM docs, jsonb_each_text(jb) WHERE id = 14 ORDER BY key;
-- name: json_each_order_kept
SELECT key, value FROM json_each('{"b": 1, "a": [2], "c": "x"}') WITH ORDINALITY e(key, value, n) ORDER BY n;
-- name: json_each_text_types
SELECT key, value, pg_typeof(value) FROM json_each_text('{"a": null, "b": true, "c": 1.5}') ORDER BY key;
-- name: jsonb_each_scalar_error
-- error: 22023
SELECT * FROM jsonb_each('[1, 2]');
-- name: jsonb_array_elements_rows
SELECT e FROM jsonb_array_elements('[1, "two", null, [3], {"a": 4}]') WITH ORDINALITY t(e, n) ORDER BY n;
-- name: jsonb_array_elements_text_rows
SELECT e, e IS NULL FROM jsonb_array_elements_text('[1, "two", null, true]') WITH ORDINALITY t(e, n) ORDER BY n;
-- name: json_array_elements_columns
SELECT d.id, e FROM docs d, json_array_elements(d.j -> 'c') e ORDER BY d.id, e::text;
-- name: jsonb_array_elements_objects
SELECT e ->> 'k', e -> 'j' FROM docs, jsonb_array_elements(jb) e WHERE id = 15;
-- name: jsonb_to_record
SELECT * FROM jsonb_to_record('{"a": 1, "b": "x", "c": [1, 2], "d": null}') AS r(a int, b text, c int[], d date);
-- name: jsonb_to_recordset
SELECT * FROM jsonb_to_recordset('[{"k": 1, "v": "a"}, {"k": 2}, {"v": "c"}]') AS r(k int, v text) ORDER BY k NULLS LAST;
-- name: jsonb_populate_record_type
SELECT (jsonb_populate_record(NULL::emp, '{"id": 99, "name": "Zed", "salary": 1.5}')).*;
-- name: jsonb_path_query
SELECT jsonb_path_query(jb, '$.c[*] ? (@ > 1)') FROM docs WHERE id = 1;
-- name: jsonb_path_exists
SELECT id, jsonb_path_exists(jb, '$.tags[*] ? (@ == "red")'), jb @? '$.price ? (@ > 10)', jb @@ '$.qty > 0' FROM docs ORDER BY id;

-- name: build_object
SELECT jsonb_build_object('a', 1, 'b', 'x', 'c', NULL, 'd', true, 'e', 1.50), json_build_object('b', 1, 'a', 2);
-- name: build_object_duplicates
SELECT jsonb_build_object('a', 1, 'a', 2), json_build_object('a', 1, 'a', 2);
-- name: build_object_nested
SELECT jsonb_build_object('arr', ARRAY[1, 2], 'obj', jsonb_build_object('x', 1), 'date', DATE '2024-01-02', 'ts', TIMESTAMP '2024-01-02 03:04:05.5');
-- name: build_object_odd_args
-- error: 22023
SELECT jsonb_build_object('a', 1, 'b');
-- name: build_object_null_key
-- error: 22023
SELECT jsonb_build_object(NULL, 1);
-- name: build_array
SELECT jsonb_build_array(1, 'a', NULL, true, 1.5, ARRAY['x']), json_build_array(), jsonb_build_array();
-- name: build_object_columns
SELECT id, jsonb_build_object('id', id, 'name', name, 'salary', salary, 'bonus', bonus, 'hired', hired) FROM emp ORDER BY id;
-- name: json_object_from_arrays
SELECT json_object('{a, 1, b, 2}'), jsonb_object('{a, 1, b, null}'), json_object(ARRAY['k1', 'k2'], ARRAY['v1', NULL]);
-- name: row_to_json_values
SELECT row_to_json(e) FROM (SELECT id, name, dept FROM emp WHERE id <= 3) e ORDER BY e.id;
-- name: row_to_json_row
SELECT row_to_json(ROW(1, 'a', NULL)), to_json(ROW(1.5, true));
-- name: to_json_scalars
SELECT to_json(1), to_json(1.50), to_json('text'::text), to_json(true), to_json(NULL::text), to_jsonb('a"b'::text);
-- name: to_json_numbers
SELECT id, to_json(i2), to_json(i8), to_json(f4), to_json(f8), to_jsonb(n), to_jsonb(nu) FROM numbers ORDER BY id;
-- name: to_json_texts
SELECT id, to_json(t), to_jsonb(vc), to_json(c) FROM texts ORDER BY id;
-- name: to_json_temporal
SELECT id, to_json(d), to_json(t), to_json(ttz), to_json(ts), to_json(tstz), to_json(iv) FROM temporal ORDER BY id;
-- name: to_json_misc
SELECT id, to_json(flag), to_json(data), to_json(u), to_json(ip), to_json(m) FROM misc ORDER BY id;
-- name: to_json_arrays
SELECT id, to_json(ia), to_jsonb(ta), to_json(na), to_json(fa), to_json(ba), to_json(da) FROM arrs ORDER BY id;
-- name: to_json_json
SELECT id, to_json(j), to_jsonb(jb) FROM docs ORDER BY id;
-- name: to_json_tstz_zones
SELECT to_json(TIMESTAMPTZ '2024-03-10 12:00:00+05:30'), to_jsonb(TIMESTAMP '2024-03-10 12:00:00.123'), to_json(DATE 'infinity');
-- name: array_to_json_values
SELECT array_to_json(ARRAY[1, 2]), array_to_json(ARRAY[[1, 2], [3, 4]]), array_to_json('{a,NULL}'::text[], true);

-- name: json_agg_rows
SELECT json_agg(name ORDER BY id) FROM emp WHERE dept = 'eng';
-- name: jsonb_agg_rows
SELECT jsonb_agg(salary ORDER BY id) FROM emp;
-- name: json_agg_records
SELECT json_agg(e ORDER BY e.id) FROM (SELECT id, name FROM emp WHERE id <= 3) e;
-- name: jsonb_agg_group
SELECT dept, jsonb_agg(name ORDER BY name) FROM emp GROUP BY dept ORDER BY dept NULLS LAST;
-- name: json_agg_empty
SELECT json_agg(id), jsonb_agg(id) FROM emp WHERE false;
-- name: json_agg_nulls
SELECT json_agg(bonus ORDER BY id) FROM emp WHERE id <= 4;
-- name: json_object_agg_rows
SELECT json_object_agg(name, salary ORDER BY id) FROM emp WHERE dept = 'ops';
-- name: jsonb_object_agg_rows
SELECT jsonb_object_agg(name, rating) FROM emp WHERE dept = 'sales';
-- name: jsonb_object_agg_null_key
-- error: 22023
SELECT jsonb_object_agg(dept, id) FROM emp;
-- name: json_agg_strict
SELECT jsonb_agg(bonus ORDER BY id) FILTER (WHERE bonus IS NOT NULL) FROM emp WHERE id <= 5;

-- name: jsonb_set_values
SELECT jsonb_set('{"a": 1, "b": {"c": 2}}', '{b,c}', '3'), jsonb_set('{"a": 1}', '{x}', '"new"'), jsonb_set('{"a": 1}', '{x}', '"new"', false), jsonb_set('[1, 2, 3]', '{1}', '"two"');
-- name: jsonb_set_named_args
SELECT jsonb_set(jsonb_in => '{"a": 1}', path => '{b}', replacement => '2'), jsonb_set('{"a": 1}', '{x}', '"new"', create_if_missing => false), jsonb_insert('[1, 2]', '{0}', '0', insert_after => true);
-- name: jsonb_set_missing_path
SELECT jsonb_set('{"a": 1}', '{x,y}', '1'), jsonb_set('[1]', '{5}', '9'), jsonb_set('[1]', '{-5}', '9');
-- name: jsonb_set_null_value
SELECT jsonb_set('{"a": 1}', '{a}', NULL), jsonb_set_lax('{"a": 1}', '{a}', NULL), jsonb_set_lax('{"a": 1}', '{a}', NULL, true, 'delete_key');
-- name: jsonb_insert_values
SELECT jsonb_insert('[1, 2]', '{1}', '"x"'), jsonb_insert('[1, 2]', '{1}', '"x"', true), jsonb_insert('{"a": 1}', '{b}', '2');
-- name: jsonb_insert_existing_key
-- error: 22023
SELECT jsonb_insert('{"a": 1}', '{a}', '2');
-- name: jsonb_set_columns
SELECT id, jsonb_set(jb, '{qty}', to_jsonb(coalesce((jb ->> 'qty')::int, 0) + 1)) FROM docs WHERE id IN (14, 16) ORDER BY id;
-- name: jsonb_strip_nulls_values
SELECT jsonb_strip_nulls('{"a": 1, "b": null, "c": {"d": null, "e": 2}, "f": [null, 1]}'), json_strip_nulls('{"a": null}');
-- name: jsonb_strip_nulls_columns
SELECT id, jsonb_strip_nulls(jb) FROM docs ORDER BY id;
-- name: jsonb_pretty_values
SELECT jsonb_pretty('{"a": 1, "b": [1, 2, {"c": null}], "d": {}}'), jsonb_pretty('[]'), jsonb_pretty('"x"');
-- name: jsonb_pretty_columns
SELECT id, jsonb_pretty(jb) FROM docs WHERE id IN (1, 8, 14) ORDER BY id;
-- name: jsonb_extract_path_funcs
SELECT jsonb_extract_path(jb, 'nested', 'deep'), jsonb_extract_path_text(jb, 'nested', 'deep', 'deeper', '0'), json_extract_path_text(j, 'arr', '1', '1') FROM docs WHERE id = 8;
-- name: json_arrays_in_where
SELECT id FROM docs WHERE jsonb_typeof(jb) = 'object' AND jb ? 'tags' ORDER BY id;
-- name: jsonb_numbers_math
SELECT (jb -> 'num')::numeric * 2, (jb ->> 'exp')::float8, (jb -> 'small')::numeric, jb -> 'neg' FROM docs WHERE id = 12;
-- name: jsonb_cast_scalar
SELECT '1.5'::jsonb::numeric, 'true'::jsonb::bool, '42'::jsonb::int, '"x"'::jsonb::text;
-- name: jsonb_cast_object_to_int
-- error: 22023
SELECT '{"a": 1}'::jsonb::int;
-- name: events_props_group
SELECT props ->> 'page' AS page, count(*), count(props -> 'ref') AS with_ref, count(*) FILTER (WHERE props ->> 'ref' IS NULL) AS ref_null FROM events GROUP BY 1 ORDER BY 1 NULLS FIRST;
-- name: events_props_containment
SELECT count(*) FROM events WHERE props @> '{"ref": "ads"}';
-- name: events_props_number
SELECT (props -> 'n')::int AS n, count(*), sum(value) FROM events GROUP BY 1 ORDER BY 1 NULLS LAST;
-- name: json_column_aggregate
SELECT jsonb_agg(DISTINCT jb -> 'a' ORDER BY jb -> 'a') FROM docs WHERE jb ? 'a';

-- Constructors: values of every type (numbers as JSON numbers, NaN and
-- infinities as strings, dates and timestamps in ISO form with T),
-- keys as scalars' text, null keys and non-scalar keys refused.
-- name: build_object_key_types
SELECT json_build_object(1, 2, true, 'x', 1.50, NULL, DATE '2024-01-02', 1, TIMESTAMP '2024-01-02 03:04:05.5', 2, 1e20::float8, 3), jsonb_build_object(1, 2, true, 'x', 1.50, NULL, DATE '2024-01-02', 1, 'NaN'::float8, 5);
-- name: build_object_value_types
SELECT json_build_object('a', ARRAY[1, 2], 'b', ROW(1, 'x'), 'c', '{"x":  1}'::json, 'd', '{"y": 2, "a": 1}'::jsonb, 'e', 'x'::char(3)), jsonb_build_object('a', ARRAY[1, 2], 'b', ROW(1, 'x'), 'c', '{"x":  1}'::json, 'e', 'x'::char(3));
-- name: build_object_special_numbers
SELECT json_build_object('n', 'NaN'::float8, 'i', 'Infinity'::numeric, 'f', 1.5::float4, 'e', 1e20::float8, 'z', -0.0::float8), jsonb_build_object('n', 'NaN'::float8, 'i', '-Infinity'::numeric, 'f', 1.5::float4, 'e', 1e20::float8, 'z', -0.0::float8);
-- name: build_object_temporal
SELECT json_build_object('t', TIMESTAMPTZ '2024-01-02 03:04:05+02', 'tm', TIME '10:00', 'iv', INTERVAL '1 day 02:00'), jsonb_build_object('d', DATE '0044-03-15 BC', 'ts', TIMESTAMP '2024-01-02 03:04:05.123456');
-- name: build_object_misc_types
SELECT json_build_object('b', '\xdead'::bytea, 'u', 'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11'::uuid, 'o', 1::oid), jsonb_build_array('\x00'::bytea, 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid);
-- name: build_object_key_array
-- error: 22023
SELECT json_build_object(ARRAY[1], 1);
-- name: build_object_key_json
-- error: 22023
SELECT jsonb_build_object('{}'::jsonb, 1);
-- name: build_object_key_record
-- error: 22023
SELECT json_build_object(ROW(1), 1);
-- name: json_build_object_null_key
-- error: 22023
SELECT json_build_object(NULL, 1);
-- name: jsonb_build_object_null_key_later
-- error: 22023
SELECT jsonb_build_object('a', 1, NULL, 2);
-- name: build_object_null_key_column
-- error: 22023
SELECT json_build_object(bonus, id) FROM emp ORDER BY id;
-- name: build_object_empty_forms
SELECT json_build_object(), json_build_array(), jsonb_build_object(), jsonb_build_array(), json_build_object('a', NULL), jsonb_build_array(NULL);
-- name: build_object_json_columns
SELECT id, json_build_object('id', id, 'name', name, 'salary', salary, 'bonus', bonus, 'hired', hired), json_build_array(id, name, salary, hired) FROM emp ORDER BY id;
-- name: build_object_nested_columns
SELECT id, jsonb_build_object('doc', jb, 'raw', j, 'n', jsonb_build_array(id, jb -> 'a')) FROM docs WHERE id <= 9 ORDER BY id;
-- name: json_object_forms
SELECT json_object('{a,1,b,2}'), jsonb_object('{b,1,a,null}'), json_object('{}'::text[]), json_object(ARRAY['a', 'b'], ARRAY['1', '2']), jsonb_object(ARRAY['b', 'a', 'b'], ARRAY['1', NULL, '3']), json_object(NULL::text[]);
-- name: json_object_odd
-- error: 2202E
SELECT json_object('{a}');
-- name: json_object_mismatched
-- error: 2202E
SELECT json_object(ARRAY['a'], ARRAY['1', '2']);
-- name: json_object_null_key
-- error: 22004
SELECT jsonb_object(ARRAY[NULL, 'b'], ARRAY['1', '2']);

-- to_json of records (field names of the row), arrays, json; row_to_json
-- and array_to_json with line feeds.
-- name: to_json_records
SELECT to_json(e), to_jsonb(e) FROM (SELECT id, name, salary, hired FROM emp WHERE id <= 3) e ORDER BY e.id;
-- name: to_json_nested_records
SELECT to_json(ROW(ROW(1, 2), ARRAY[3], NULL)), to_jsonb(ROW(1, 'a', NULL)), to_json(t) FROM (VALUES (1, 'a', 1.50)) t(a, b, c);
-- name: row_to_json_pretty
SELECT row_to_json(e, true) FROM (SELECT id, name, dept FROM emp WHERE id <= 3) e ORDER BY e.id;
-- name: row_to_json_table
SELECT row_to_json(emp), to_jsonb(emp) FROM emp WHERE id <= 2 ORDER BY id;
-- name: array_to_json_forms
SELECT array_to_json(ARRAY[1, 2], true), array_to_json('{a,NULL}'::text[], true), array_to_json(ARRAY[]::int[]), array_to_json(ARRAY['{"a":1}'::json]);
-- name: array_to_json_columns
SELECT id, array_to_json(ia), array_to_json(ta, true), array_to_json(da), array_to_json(fa) FROM arrs ORDER BY id;
-- name: to_json_misc_known
SELECT id, to_json(flag), to_json(data), to_json(u), to_jsonb(flag), to_jsonb(data), to_jsonb(u) FROM misc ORDER BY id;
-- name: to_json_arrays_known
SELECT id, to_json(ia), to_jsonb(ia), to_json(ta), to_json(fa), to_jsonb(fa), to_json(ba), to_jsonb(da) FROM arrs ORDER BY id;
-- name: to_json_oid
SELECT to_json(1::oid), to_jsonb(42::oid), to_json('abc'::name), to_json(NULL::int), to_jsonb('{"b":1,"a":2}'::json), to_json('{"b":1,"a":2}'::json);

-- Aggregates: json_agg's separators (", \n " before a record or an
-- array), names of record fields, DISTINCT in order.
-- name: json_agg_records_nulls
SELECT json_agg(t), jsonb_agg(t) FROM (VALUES (1, 'a'), (2, NULL)) t(x, y);
-- name: json_agg_arrays
SELECT json_agg(x ORDER BY n), jsonb_agg(x ORDER BY n) FROM (VALUES (1, NULL::int[]), (2, ARRAY[1, 2]), (3, ARRAY[3])) t(n, x);
-- name: json_agg_json_values
SELECT json_agg(j ORDER BY id), jsonb_agg(jb ORDER BY id) FROM docs WHERE id IN (2, 6, 7, 10, 13);
-- name: json_agg_distinct
SELECT json_agg(DISTINCT x), jsonb_agg(DISTINCT x), array_agg(DISTINCT x) FROM (VALUES (3), (1), (NULL), (2), (1)) t(x);
-- name: json_agg_distinct_text
SELECT jsonb_agg(DISTINCT dept), json_agg(DISTINCT dept) FILTER (WHERE dept <> 'hr') FROM emp;
-- name: json_agg_window
SELECT id, json_agg(x) OVER (ORDER BY id ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) FROM (VALUES (1, 'a'), (2, 'b'), (3, NULL)) t(id, x) ORDER BY id;
-- name: json_object_agg_types
SELECT json_object_agg(k, v ORDER BY k), jsonb_object_agg(k, v) FROM (VALUES (1, ARRAY[1, 2]), (2, NULL)) t(k, v);
-- name: json_object_agg_dates
SELECT json_object_agg(hired, emp.id ORDER BY emp.id), jsonb_object_agg(docs.id, j) FROM emp, docs WHERE emp.id < 4 AND docs.id = emp.id;
-- name: json_object_agg_empty
SELECT json_object_agg(k, v), jsonb_object_agg(k, v) FROM (VALUES ('a', 1)) t(k, v) WHERE false;
-- name: json_object_agg_null_key
-- error: 22023
SELECT json_object_agg(k, v) FROM (VALUES (NULL::text, 1)) t(k, v);
-- name: json_object_agg_array_key
-- error: 22023
SELECT json_object_agg(k, v) FROM (VALUES (ARRAY[1], 1)) t(k, v);

-- Operators on scalars, paths, subscripts.
-- name: arrow_scalar_jsonb
SELECT '"x"'::jsonb -> 0, '"x"'::jsonb -> -1, '"x"'::jsonb -> 1, '"x"'::jsonb ->> 0, '"x"'::json -> 0, '"x"'::jsonb #> '{0}', '1'::jsonb ->> -1;
-- name: path_edge_steps
SELECT '[1,2,3]'::json #> '{-1}', '[1,2,3]'::jsonb #> '{-1}', '[1,2,3]'::json #>> '{ 1}', '[1,2,3]'::jsonb #> '{1 }', '[1,2,3]'::jsonb #> '{+1}', '{"a":1}'::jsonb #> ARRAY['a', NULL], jsonb_extract_path('[1,2]', '99999999999');
-- name: extract_path_variadic
SELECT jsonb_extract_path('{"a":{"b":1}}', 'a', 'b'), json_extract_path('{"a":[1,2]}', 'a', '1'), jsonb_extract_path_text('{"a":"x"}', 'a'), json_extract_path_text('{"a":"x"}', VARIADIC ARRAY['a']), jsonb_extract_path('{"a":1}', VARIADIC ARRAY[]::text[]);
-- name: jsonb_subscript_forms
SELECT ('{"a":[1,2]}'::jsonb)['a'][1], ('{"a":[1,2]}'::jsonb)['a'][-1], ('[1]'::jsonb)['0'], ('"x"'::jsonb)[0], ('{"a":1}'::jsonb)[NULL::text], ('{"1":2}'::jsonb)[1], ('[1,2]'::jsonb)[1::int2];
-- name: jsonb_subscript_where
SELECT id FROM docs WHERE jb['active'] = 'true' OR jb['tags'][0] = '"blue"' ORDER BY id;
-- name: jsonb_subscript_slice
-- error: 42804
SELECT ('{"a":1}'::jsonb)['a':'b'];
-- name: jsonb_subscript_numeric
-- error: 42804
SELECT ('{"a":1}'::jsonb)[1.5];
-- name: jsonb_subscript_bigint
-- error: 42804
SELECT ('{"a":1}'::jsonb)[1::int8];
-- name: containment_scalars
SELECT '[1,2,[1,3]]'::jsonb @> '[[1]]', '{"a":1}'::jsonb @> '{}', '[]'::jsonb @> '[]', '1'::jsonb @> '1', '[1]'::jsonb @> '1', '1'::jsonb @> '[1]', '{"a":1}'::jsonb ?| ARRAY[]::text[], '{"a":1}'::jsonb ?& ARRAY['a', NULL];
-- name: concat_scalars
SELECT '1'::jsonb || '2', '[]'::jsonb || '{}', '{}'::jsonb || '"x"', '"a"'::jsonb || '{"b":1}', '{"a":1}'::jsonb - ARRAY['a', 'x'], '["a",1]'::jsonb - ARRAY['a'];
-- name: delete_from_scalar
-- error: 22023
SELECT '1'::jsonb - 'a';
-- name: delete_index_from_object
-- error: 22023
SELECT '{"a":1}'::jsonb - 0;
-- name: delete_path_edges
SELECT '[1,2]'::jsonb #- '{-1}', '{"a":1}'::jsonb #- '{}', '[1,2]'::jsonb #- '{5}', '{"a":1}'::jsonb #- '{a,b}', '{"a":[1]}'::jsonb #- '{a,0}';
-- name: delete_path_not_integer
-- error: 22P02
SELECT '[1,2]'::jsonb #- '{a}';
-- name: delete_path_null_step
-- error: 22004
SELECT '{"a":1}'::jsonb #- ARRAY[NULL];

-- jsonb's total order: by length and kind (object > array > boolean >
-- number > string > null), a raw scalar below an array of its length,
-- keys in storage order, numbers by value.
-- name: jsonb_compare_operators
SELECT '{"a": 1}'::jsonb = '{"a": 1.0}', '[1,2]'::jsonb < '[1,3]', '{"a":1}'::jsonb > '[1,2,3]', 'null'::jsonb < 'false', '"b"'::jsonb >= '"a"', '1'::jsonb <= '1.00', '"a"'::jsonb <> '"a"', '1'::jsonb < '[]', '{"b":1,"aa":1}'::jsonb < '{"aa":1,"bb":1}';
-- name: jsonb_cmp_values
SELECT jsonb_cmp('1', '2'), jsonb_cmp('[1]', '1'), jsonb_cmp('{}', '{}'), jsonb_cmp('[]', 'null');
-- name: jsonb_order_values
SELECT x FROM (VALUES ('1'::jsonb), ('"a"'), ('null'), ('true'), ('[]'), ('{}'), ('[1]'), ('{"a":1}'), ('2.5'), ('[1,2]'), ('{"b":1}'), ('""'), ('false'), ('[null]'), ('{"aa":1}'), ('{"a":1,"b":2}'), ('-1'), ('["b"]'), ('[{}]'), ('[[]]'), ('"ab"'), ('0.5'), ('-10'), ('1e2')) t(x) ORDER BY x;
-- name: jsonb_order_desc
SELECT x FROM (VALUES ('1'::jsonb), ('"a"'), ('null'), ('[1]'), ('{"a":1}')) t(x) ORDER BY x DESC;
-- name: jsonb_group_by_value
SELECT x::text, count(*) FROM (VALUES ('2'::jsonb), ('{"a":1}'), ('{"a":1}'), ('2')) t(x) GROUP BY x ORDER BY x;
-- name: jsonb_window_order
SELECT id, rank() OVER (ORDER BY jb), jb > '{"a": 1}' FROM docs ORDER BY id;
-- name: jsonb_in_list
SELECT id FROM docs WHERE jb IN ('42', 'null', '[]') ORDER BY id;
-- name: json_order_error
-- error: 42883
SELECT x FROM (VALUES ('1'::json)) t(x) ORDER BY x;
-- name: json_order_by_text
SELECT e FROM json_array_elements('[3, 1, "b", {"a": 1}]') e ORDER BY e::text;

-- Casts from jsonb to scalars.
-- name: jsonb_casts
SELECT '2.5'::jsonb::int2, '2.5'::jsonb::int8, '-2.5'::jsonb::int, '1e2'::jsonb::float8, '1.1'::jsonb::float4, '1.23456789'::jsonb::numeric(5,2), ('{"a": 1.5}'::jsonb -> 'a')::numeric + 1, 'false'::jsonb::bool;
-- name: jsonb_cast_null
-- error: 22023
SELECT 'null'::jsonb::int;
-- name: jsonb_cast_string
-- error: 22023
SELECT '"1"'::jsonb::numeric;
-- name: jsonb_cast_number_to_bool
-- error: 22023
SELECT '1'::jsonb::bool;
-- name: jsonb_cast_out_of_range
-- error: 22003
SELECT '99999999999'::jsonb::int;
-- name: jsonb_cast_float_out_of_range
-- error: 22003
SELECT '1e400'::jsonb::float8;

-- Modification functions: defaults, negative indexes, errors.
-- name: jsonb_set_indexes
SELECT jsonb_set('{"a":[1,2]}', '{a,-1}', '9'), jsonb_set('{"a":[1,2]}', '{a,-3}', '9'), jsonb_set('{"a":[1,2]}', '{a,-3}', '9', false), jsonb_set('{"a":[1,2]}', '{a,5}', '9', false), jsonb_set('{"a":1}', '{}', '2'), jsonb_set('{"a":1}', '{a,b}', '2'), jsonb_set('[[1]]', '{0,0,0}', '2');
-- name: jsonb_insert_indexes
SELECT jsonb_insert('{"a":[1,2]}', '{a,-1}', '9'), jsonb_insert('{"a":[1,2]}', '{a,-1}', '9', true), jsonb_insert('{"a":[1,2]}', '{a,-5}', '9'), jsonb_insert('{"a":[1,2]}', '{a,9}', '9', true), jsonb_insert('[]', '{0}', '1'), jsonb_insert('{"a":{"b":1}}', '{a,c,d}', '2');
-- name: jsonb_set_scalar
-- error: 22023
SELECT jsonb_set('1', '{a}', '1');
-- name: jsonb_set_not_integer
-- error: 22P02
SELECT jsonb_set('{"a":[1]}', '{a,x}', '1');
-- name: jsonb_set_null_step
-- error: 22004
SELECT jsonb_set('{"a":1}', ARRAY[NULL], '1');
-- name: jsonb_set_lax_treatments
SELECT jsonb_set_lax('{"a":1}', '{a}', NULL, true, 'return_target'), jsonb_set_lax('{"a":1}', '{b}', NULL), jsonb_set_lax('{"a":1}', '{a}', NULL, true, 'delete_key'), jsonb_set_lax('{"a":1}', '{a}', '2'), jsonb_set_lax(NULL, '{a}', NULL);
-- name: jsonb_set_lax_raise
-- error: 22004
SELECT jsonb_set_lax('{"a":1}', '{a}', NULL, true, 'raise_exception');
-- name: jsonb_set_lax_bad_treatment
-- error: 22023
SELECT jsonb_set_lax('{"a":1}', '{a}', NULL, true, 'bogus');
-- name: jsonb_set_lax_null_treatment
-- error: 22023
SELECT jsonb_set_lax('{"a":1}', '{a}', '2', true, NULL);
-- name: strip_nulls_forms
SELECT jsonb_strip_nulls('[null, {"a": null, "b": [null]}]'), json_strip_nulls('{"a": null, "b": {"c": null, "d": 1}}'), json_strip_nulls('[1, null]'), json_strip_nulls(' { "a" : 1 , "b":null } ');
-- name: jsonb_pretty_empty
SELECT jsonb_pretty('{}'), jsonb_pretty('[]'), jsonb_pretty('{"a": [1, {"b": {}}], "c": "x"}'), jsonb_pretty('[[], {}]'), jsonb_pretty('null');

-- Processing functions on the wrong kind of value.
-- name: json_array_length_object
-- error: 22023
SELECT json_array_length('{}');
-- name: jsonb_each_scalar
-- error: 22023
SELECT * FROM jsonb_each('1');
-- name: json_object_keys_array
-- error: 22023
SELECT * FROM json_object_keys('[1]');
-- name: json_array_elements_object
-- error: 22023
SELECT * FROM json_array_elements('{}');
-- name: json_each_values
SELECT key, value FROM json_each('{"b": 1.50, "a": {"y": 1, "x": 2}}') ORDER BY key;
-- name: json_array_elements_text_values
SELECT e, e IS NULL FROM json_array_elements_text('["a", 1, null, {"x": "y"}, "\u00e9"]') WITH ORDINALITY t(e, n) ORDER BY n;

-- Input: json keeps \u0000 and lone surrogates as written; functions that
-- read strings refuse \u0000 (22P05).
-- name: json_null_escape_kept
SELECT '"\u0000"'::json, json_typeof('"\u0000"'), json_array_length('[1, "\u0000"]');
-- name: json_null_escape_read
-- error: 22P05
SELECT '{"a": "\u0000"}'::json -> 'a';
-- name: json_null_escape_to_jsonb
-- error: 22P05
SELECT '{"b": "\u0000", "a": 1}'::json::jsonb;
-- name: jsonb_lone_surrogate
-- error: 22P02
SELECT '"\ud83d"'::jsonb;
-- name: json_invalid_forms
-- error: 22P02
SELECT '01'::jsonb;
-- name: jsonb_number_forms
SELECT '1e-1000'::jsonb, '-1e-5'::jsonb, '123.456e-2'::jsonb, '0.00000000000000000000001'::jsonb, '1E+2'::jsonb, '-0.0'::jsonb, '[1e2, 1.0e2, 100]'::jsonb, '{"a": 1e2}'::json -> 'a';

-- Session settings: to_json's timestamps are ISO whatever DateStyle; the
-- zone, IntervalStyle, extra_float_digits and bytea_output apply.
-- setup: SET TimeZone = 'Asia/Kolkata'
-- name: to_json_timezone
SELECT to_json(TIMESTAMPTZ '2024-03-10 12:00:00+00'), to_jsonb(TIMESTAMPTZ '1850-01-01 00:00:00+00'), json_build_object('t', TIMESTAMPTZ '2024-03-10 12:00:00.123456+00');
-- setup: SET DateStyle = 'SQL, DMY'
-- name: to_json_datestyle
SELECT to_json(DATE '2024-01-02'), to_json(TIMESTAMP '2024-01-02 03:04:05'), json_build_object(DATE '2024-01-02', 1), to_json(TIME '10:00');
-- setup: SET IntervalStyle = 'iso_8601'
-- name: to_json_intervalstyle
SELECT to_json(INTERVAL '1 day 2 hours'), to_jsonb(INTERVAL '-1 month');
-- setup: SET extra_float_digits = 0
-- name: to_json_float_digits
SELECT to_json(0.1::float8), to_json(1.0/3::float8), to_jsonb(1.0/3::float8), json_build_array(0.1::float4);
-- setup: SET bytea_output = 'escape'
-- name: to_json_bytea_escape
SELECT to_json('\x41ff'::bytea), jsonb_build_array('\x00'::bytea);
-- setup: reset
-- name: to_json_after_reset
SELECT to_json(DATE '2024-01-02'), to_json(1.5::float8);

-- jsonb equality is by value: GROUP BY and DISTINCT ON group 1.0 with 1;
-- the engine's DISTINCT and UNION would compare text (refused).
-- name: jsonb_group_by_numeric_scale
SELECT count(*), min(n) FROM (VALUES ('1'::jsonb, 1), ('1.0', 2), ('{"a": 2.50}', 3), ('{"a": 2.5}', 4)) t(x, n) GROUP BY x ORDER BY x;
-- name: jsonb_distinct_on_numeric_scale
SELECT count(*) FROM (SELECT DISTINCT ON (x) x FROM (VALUES ('1'::jsonb), ('1.0'), ('[2]')) t(x)) s;
-- name: jsonb_count_distinct_numeric_scale
SELECT count(DISTINCT x) FROM (VALUES ('1'::jsonb), ('1.0')) t(x);
-- name: jsonb_union_all
-- unordered
SELECT x FROM (VALUES ('1'::jsonb)) t(x) UNION ALL SELECT '1.0'::jsonb ORDER BY 1;
-- name: json_strip_nulls_columns
SELECT id, json_strip_nulls(j), json_strip_nulls('{"a": "\u00e9\/\u001f\"", "b": null, "c": [1e2, "\t"]}') FROM docs ORDER BY id;
-- name: jsonb_to_record_scalars
SELECT * FROM jsonb_to_record('{"a": 1, "b": "x", "d": null, "e": true, "f": 1.50, "g": "2020-01-02"}') AS r(a int, b text, d date, e bool, f numeric(5,1), g date, missing int);
-- name: json_to_record_json_columns
SELECT * FROM json_to_record('{"a": "x", "b": {"q": [1, 2.50]}, "c": "x", "n": null}') AS r(a json, b json, c jsonb, n json, d varchar(2));
-- name: jsonb_to_record_json_columns
SELECT * FROM jsonb_to_record('{"a": "x", "b": {"q": [1, 2.50]}, "c": 1.0}') AS r(a json, b jsonb, c text);
-- name: jsonb_to_record_lateral_docs
SELECT d.id, r.* FROM docs d, jsonb_to_record(d.jb) AS r(a int, b text, aa bigint, c text) WHERE jsonb_typeof(d.jb) = 'object' ORDER BY d.id;
-- name: json_to_record_lateral_docs_duplicate_keys
SELECT d.id, r.* FROM docs d, json_to_record(d.j) AS r(a int, b text, unicode text, escaped text, num numeric, spaces bool) WHERE json_typeof(d.j) = 'object' ORDER BY d.id;
-- name: jsonb_to_record_null_input
SELECT * FROM jsonb_to_record(NULL) AS r(a int, b text);
-- name: jsonb_to_record_non_object
-- error: 22023
SELECT * FROM jsonb_to_record('[1]') AS r(a int);
-- name: jsonb_to_record_bad_integer
-- error: 22P02
SELECT * FROM jsonb_to_record('{"a": 1.5}') AS r(a int);
-- name: jsonb_to_record_varchar_too_long
-- error: 22001
SELECT * FROM jsonb_to_record('{"a": "xyz"}') AS r(a varchar(2));
-- name: jsonb_to_record_varchar_trailing_spaces
SELECT a, length(a), pg_typeof(a) FROM jsonb_to_record('{"a": "xy   "}') AS r(a varchar(2));
-- name: jsonb_to_record_char_padding
SELECT a, octet_length(a) FROM jsonb_to_record('{"a": "x"}') AS r(a char(3));
-- name: jsonb_to_recordset_docs
SELECT d.id, r.* FROM docs d, jsonb_to_recordset(d.jb) AS r(k int, j int) WHERE d.id = 15 ORDER BY r.k NULLS LAST, r.j;
-- name: json_to_recordset_with_nulls
SELECT * FROM json_to_recordset('[{"k": 1, "v": "a"}, {"k": 2, "v": null}, {}]') AS r(k int, v text) ORDER BY k NULLS LAST;
-- name: jsonb_to_recordset_null_element
-- error: 22023
SELECT * FROM jsonb_to_recordset('[{"k": 1}, null]') AS r(k int);
-- name: jsonb_to_recordset_not_array
-- error: 22023
SELECT * FROM jsonb_to_recordset('{"k": 1}') AS r(k int);
-- name: jsonb_to_recordset_null_input
SELECT count(*) FROM jsonb_to_recordset(NULL) AS r(k int);
-- name: jsonb_to_recordset_events
SELECT r.page, r.n, r.ref, count(*) FROM events e, jsonb_to_recordset(jsonb_build_array(e.props, e.props)) AS r(page text, n int, ref text) WHERE e.props IS NOT NULL GROUP BY 1, 2, 3 ORDER BY 1, 2, 3 NULLS LAST;
-- name: jsonb_to_record_in_where
SELECT id FROM docs WHERE (SELECT r.a FROM jsonb_to_record(CASE WHEN jsonb_typeof(jb) = 'object' THEN jb END) AS r(a int)) = 1 ORDER BY id;
-- name: to_json_inet_forms
SELECT to_json('10.0.0.1/32'::inet), to_json('10.0.0.1'::inet), to_json('10.1.0.0/16'::cidr), to_json('10.1.2.3/16'::inet), to_jsonb('::1/128'::inet), to_json(set_masklen('10.0.0.1'::inet, 24)), to_json(network('10.1.2.3/16'::inet)), to_json('10.0.0.1'::text::inet), to_json('10.1.0.0/16'::cidr::inet), json_build_object('ip', '192.168.0.1/32'::inet), to_json(NULL::inet);
-- name: to_json_inet_columns
SELECT id, to_json(ip), to_jsonb(ip), json_build_array(ip) FROM misc ORDER BY id;
-- name: to_json_inet_nested
SELECT to_json(ROW(id, ip)), json_agg(ip ORDER BY id), jsonb_agg(ip ORDER BY id), json_object_agg(id, ip ORDER BY id) FROM misc WHERE ip IS NOT NULL GROUP BY id ORDER BY id;
