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
