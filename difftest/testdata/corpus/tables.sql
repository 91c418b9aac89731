-- Reading the fixture's tables: every column of every type as a client
-- reads it (RowDescription and values), SELECT *, projections, and
-- filters on each type that a cache may push down to its scan.

-- name: star_numbers
SELECT * FROM numbers ORDER BY id;
-- name: star_texts
SELECT * FROM texts ORDER BY id;
-- name: star_misc
SELECT * FROM misc ORDER BY id;
-- name: star_temporal
SELECT * FROM temporal ORDER BY id;
-- name: star_docs
SELECT * FROM docs ORDER BY id;
-- name: star_arrs
SELECT * FROM arrs ORDER BY id;
-- name: star_matrix
SELECT * FROM matrix ORDER BY id;
-- name: star_emp
SELECT * FROM emp ORDER BY id;
-- name: star_tri
SELECT * FROM tri;
-- name: star_nn
SELECT * FROM nn ORDER BY id;
-- name: star_customers_page
SELECT * FROM customers ORDER BY id LIMIT 25;
-- name: star_products
SELECT * FROM products ORDER BY id;
-- name: star_orders_page
SELECT * FROM orders ORDER BY id LIMIT 40;
-- name: star_order_items_page
SELECT * FROM order_items ORDER BY order_id, line_no LIMIT 40;
-- name: star_events_page
SELECT * FROM events WHERE user_id <= 3 ORDER BY occurred_at, user_id, event_name;
-- name: star_events_nulls
SELECT * FROM events WHERE user_id IS NULL;
-- name: star_series_page
SELECT * FROM series WHERE id % 997 = 0 ORDER BY id;
-- name: count_every_table
SELECT (SELECT count(*) FROM numbers), (SELECT count(*) FROM texts), (SELECT count(*) FROM misc), (SELECT count(*) FROM temporal), (SELECT count(*) FROM docs), (SELECT count(*) FROM arrs), (SELECT count(*) FROM customers), (SELECT count(*) FROM products), (SELECT count(*) FROM orders), (SELECT count(*) FROM order_items), (SELECT count(*) FROM events), (SELECT count(*) FROM series), (SELECT count(*) FROM emp), (SELECT count(*) FROM tri), (SELECT count(*) FROM nn), (SELECT count(*) FROM matrix);
-- name: projection_reordered
SELECT nb, n0, nu, n, f8, f4, i8, i4, i2, label, id FROM numbers ORDER BY id DESC;
-- name: projection_duplicate_columns
SELECT id, id, name AS id2, name FROM emp ORDER BY 1;
-- name: projection_qualified_star
SELECT e.*, e.id AS again FROM emp e WHERE e.id <= 3 ORDER BY e.id;
-- name: table_qualified_schema
SELECT id, name FROM public.emp ORDER BY id;
-- name: table_quoted_name
SELECT "id", "name" FROM "emp" ORDER BY "id";
-- name: table_alias_with_columns
SELECT x.a, x.b FROM emp AS x(a, b) ORDER BY x.a;

-- name: filter_int2
SELECT id FROM numbers WHERE i2 > 1 ORDER BY id;
-- name: filter_int8_extremes
SELECT id FROM numbers WHERE i8 = 9223372036854775807 OR i8 = -9223372036854775808 ORDER BY id;
-- name: filter_float_range
SELECT id FROM numbers WHERE f8 BETWEEN -3 AND 3 ORDER BY id;
-- name: filter_float4_literal
SELECT id FROM numbers WHERE f4 = 0.1 ORDER BY id;
-- name: filter_float4_literal_cast
SELECT id FROM numbers WHERE f4 = 0.1::float4 ORDER BY id;
-- name: filter_numeric_equality
SELECT id FROM numbers WHERE n = 1.5 ORDER BY id;
-- name: filter_numeric_nan
SELECT id FROM numbers WHERE nu = 'NaN' ORDER BY id;
-- name: filter_unconstrained_numeric
SELECT id FROM numbers WHERE nu > 1000 ORDER BY id;
-- name: filter_unconstrained_numeric_scale
SELECT id FROM numbers WHERE nu = 2.5 ORDER BY id;
-- name: filter_wide_numeric
SELECT id FROM numbers WHERE nb > 1 ORDER BY id;
-- name: filter_text_equality
SELECT id FROM texts WHERE t = 'Straße' ORDER BY id;
-- name: filter_text_range
SELECT id FROM texts WHERE t >= 'a' AND t < 'z' ORDER BY id;
-- name: filter_text_in
SELECT id FROM texts WHERE lang IN ('en', 'de') ORDER BY id;
-- name: filter_varchar_prefix
SELECT id FROM texts WHERE vc LIKE 'M%' ORDER BY id;
-- name: filter_char_trailing
SELECT id FROM texts WHERE c = 'ab  ' ORDER BY id;
-- name: filter_char_greater
SELECT id FROM texts WHERE c > 'ab' ORDER BY id;
-- name: filter_empty_string
SELECT id FROM texts WHERE t = '' ORDER BY id;
-- name: filter_bool
SELECT id FROM misc WHERE flag IS FALSE ORDER BY id;
-- name: filter_bytea
SELECT id FROM misc WHERE data = '\xdeadbeef' ORDER BY id;
-- name: filter_uuid
SELECT id FROM misc WHERE u > '50000000-0000-0000-0000-000000000000' ORDER BY id;
-- name: filter_inet_contains
SELECT id FROM misc WHERE ip << '10.0.0.0/7' OR ip <<= '192.168.1.0/24' ORDER BY id;
-- name: filter_enum_order
SELECT id FROM misc WHERE m >= 'ok' ORDER BY id;
-- name: filter_date
SELECT id FROM temporal WHERE d > DATE '2020-01-01' ORDER BY id;
-- name: filter_date_infinity
SELECT id FROM temporal WHERE d = 'infinity' OR d = '-infinity' ORDER BY id;
-- name: filter_timestamp_range
SELECT id FROM temporal WHERE ts >= '2024-03-10' AND ts < '2024-03-11' ORDER BY id;
-- name: filter_timestamptz_instant
SELECT id FROM temporal WHERE tstz = '2024-11-03 01:30:00-05' ORDER BY id;
-- name: filter_time
SELECT id FROM temporal WHERE t > '12:00' ORDER BY id;
-- name: filter_timetz
SELECT id FROM temporal WHERE ttz = '01:30:00-04' ORDER BY id;
-- name: filter_interval
SELECT id FROM temporal WHERE iv > INTERVAL '1 year' ORDER BY id;
-- name: filter_jsonb_containment
SELECT id FROM docs WHERE jb @> '{"active": true}' ORDER BY id;
-- name: filter_json_text_field
SELECT id FROM docs WHERE j ->> 'name' = 'gadget' ORDER BY id;
-- name: filter_array_contains
SELECT id FROM arrs WHERE ta @> ARRAY['x'] ORDER BY id;
-- name: filter_array_equality
SELECT id FROM arrs WHERE ia = ARRAY[3, 1, 2, 2] ORDER BY id;
-- name: filter_is_null_every_type
SELECT (SELECT count(*) FROM numbers WHERE nu IS NULL), (SELECT count(*) FROM texts WHERE c IS NULL), (SELECT count(*) FROM misc WHERE ip IS NULL), (SELECT count(*) FROM temporal WHERE ttz IS NULL), (SELECT count(*) FROM docs WHERE j IS NULL), (SELECT count(*) FROM arrs WHERE da IS NULL);
-- name: filter_or_across_columns
SELECT id FROM orders WHERE (status = 'pending' AND channel = 'web') OR total > 2500 ORDER BY id;
-- name: filter_not_equal_with_nulls
SELECT count(*) FROM orders WHERE channel <> 'web';
-- name: filter_negated_in_with_nulls
SELECT count(*) FROM customers WHERE city NOT IN ('Paris', 'Berlin');
-- name: filter_on_expression
SELECT count(*) FROM orders WHERE extract(dow FROM order_date) IN (0, 6);
-- name: filter_numeric_column_vs_float_literal
SELECT count(*) FROM orders WHERE total > 999.5::float8;
-- name: filter_float_column_vs_numeric_literal
SELECT count(*) FROM orders WHERE amount = 2.25;
-- name: filter_int_vs_numeric_literal
SELECT count(*) FROM order_items WHERE quantity = 2.0 OR quantity > 4.5;
-- name: filter_primary_key_composite
SELECT * FROM order_items WHERE order_id = 1000 AND line_no = 1;
-- name: sample_every_100th_order
SELECT id, customer_id, order_date, status, channel, total, amount, shipping, priority FROM orders WHERE id % 100 = 0 ORDER BY id;
