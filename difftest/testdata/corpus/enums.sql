-- The upstream's own types: enums (ordered by their sort order, read from
-- labels, compared, cast, aggregated, turned into json), arrays of enums,
-- and domains (values of their base type, the domain kept where
-- PostgreSQL reports it). Fixture tables tickets, misc and orders.

-- name: enum_star
SELECT * FROM tickets ORDER BY id;
-- name: enum_columns
SELECT id, urg, m, tags, odd FROM tickets ORDER BY id;
-- name: enum_order_asc
SELECT id, urg FROM tickets ORDER BY urg, id;
-- name: enum_order_desc_nulls_last
SELECT id, urg FROM tickets ORDER BY urg DESC NULLS LAST, id;
-- name: enum_order_nulls_first
SELECT id, urg FROM tickets ORDER BY urg NULLS FIRST, id;
-- name: enum_order_by_text
SELECT id, urg FROM tickets ORDER BY urg::text NULLS LAST, id;
-- name: enum_order_quoted
SELECT id, odd FROM tickets ORDER BY odd NULLS FIRST, id;
-- name: enum_order_position
SELECT urg, id FROM tickets ORDER BY 1, 2;
-- name: enum_order_using
SELECT id, urg FROM tickets ORDER BY urg USING >, id;
-- name: enum_group_by
SELECT urg, count(*) FROM tickets GROUP BY urg ORDER BY urg NULLS FIRST;
-- name: enum_group_by_two
SELECT m, urg, count(*) FROM tickets GROUP BY m, urg ORDER BY m, urg;
-- name: enum_group_by_orders
SELECT priority, count(*), sum(total) FROM orders GROUP BY priority ORDER BY priority DESC;
-- name: enum_having
SELECT priority, count(*) FROM orders GROUP BY priority HAVING priority > 'sad' ORDER BY 1;
-- name: enum_distinct
SELECT DISTINCT urg FROM tickets ORDER BY urg;
-- name: enum_distinct_desc
SELECT DISTINCT m FROM tickets ORDER BY m DESC;
-- name: enum_distinct_on
SELECT DISTINCT ON (m) m, id, urg FROM tickets ORDER BY m, urg DESC, id;
-- name: enum_count_distinct
SELECT count(DISTINCT urg), count(DISTINCT m), count(urg) FROM tickets;
-- name: enum_min_max
SELECT min(urg), max(urg), min(m), max(m), min(odd), max(odd) FROM tickets;
-- name: enum_min_max_grouped
SELECT m, min(urg), max(urg) FROM tickets GROUP BY m ORDER BY m NULLS LAST;
-- name: enum_min_max_orders
SELECT channel, min(priority), max(priority) FROM orders GROUP BY channel ORDER BY channel NULLS LAST;
-- name: enum_min_window
SELECT id, urg, max(urg) OVER (ORDER BY id) FROM tickets ORDER BY id;
-- name: enum_window_order
SELECT id, urg, rank() OVER (ORDER BY urg), row_number() OVER (PARTITION BY m ORDER BY urg DESC, id) FROM tickets ORDER BY id;
-- name: enum_eq_literal
SELECT id FROM tickets WHERE urg = 'high' ORDER BY id;
-- name: enum_ne_literal
SELECT id FROM tickets WHERE urg <> 'high' ORDER BY id;
-- name: enum_lt_literal
SELECT id, urg FROM tickets WHERE urg < 'medium' ORDER BY id;
-- name: enum_ge_literal
SELECT id, urg FROM tickets WHERE urg >= 'urgent' ORDER BY id;
-- name: enum_literal_left
SELECT id FROM tickets WHERE 'low' < urg ORDER BY id;
-- name: enum_compare_values
SELECT id, urg < 'high', urg <= 'high', urg > 'high', urg >= 'high', urg = 'high', urg <> 'high' FROM tickets ORDER BY id;
-- name: enum_between
SELECT id FROM tickets WHERE urg BETWEEN 'low' AND 'high' ORDER BY id;
-- name: enum_between_symmetric
SELECT id FROM tickets WHERE urg BETWEEN SYMMETRIC 'urgent' AND 'medium' ORDER BY id;
-- name: enum_in_list
SELECT id FROM tickets WHERE urg IN ('low', 'critical') ORDER BY id;
-- name: enum_not_in_list
SELECT id FROM tickets WHERE urg NOT IN ('low', 'critical') ORDER BY id;
-- name: enum_any_array
SELECT id FROM tickets WHERE urg = ANY ('{low,high}') ORDER BY id;
-- name: enum_any_tags
SELECT id FROM tickets WHERE 'high' = ANY (tags) ORDER BY id;
-- name: enum_all_tags
SELECT id FROM tickets WHERE 'none' < ALL (tags) ORDER BY id;
-- name: enum_is_distinct
SELECT id, urg IS DISTINCT FROM 'low', urg IS NOT DISTINCT FROM ud::urgency FROM tickets ORDER BY id;
-- name: enum_nullif
SELECT id, nullif(urg, 'low') FROM tickets ORDER BY id;
-- name: enum_compare_columns
SELECT id, urg = ud::urgency, urg < ud::urgency FROM tickets ORDER BY id;
-- name: enum_join_same_type
SELECT a.id, b.id FROM tickets a JOIN tickets b ON a.urg = b.ud::urgency AND a.id < b.id ORDER BY 1, 2;
-- name: enum_join_mood
SELECT t.id, count(o.id) FROM tickets t JOIN orders o ON o.priority = t.m GROUP BY t.id ORDER BY t.id;
-- name: enum_greatest_least
SELECT id, greatest(urg, 'medium'), least(urg, 'medium') FROM tickets ORDER BY id;
-- name: enum_case_typed
SELECT id, CASE WHEN id < 5 THEN urg ELSE 'low' END FROM tickets ORDER BY id;
-- name: enum_case_order
SELECT id, CASE WHEN id % 2 = 0 THEN urg ELSE ud END AS u FROM tickets ORDER BY u NULLS LAST, id;
-- name: enum_coalesce
SELECT id, coalesce(urg, ud, 'none') FROM tickets ORDER BY id;
-- name: enum_coalesce_order
SELECT id, coalesce(ud, urg) AS u FROM tickets ORDER BY u, id;
-- name: enum_cast_to_text
SELECT id, urg::text, m::varchar, odd::text, urg::name, urg::varchar(3) FROM tickets ORDER BY id;
-- name: enum_cast_from_text
SELECT 'high'::urgency, 'urgent'::text::urgency, CAST('ok' AS mood), 'a b'::"Odd Enum";
-- name: enum_cast_compare
SELECT 'none'::urgency < 'low'::urgency, 'critical'::urgency > 'urgent', 'low'::urgency = 'low';
-- name: enum_cast_text_column
SELECT id, title::text FROM tickets WHERE urg = 'high'::urgency ORDER BY id;
-- name: enum_cast_column_text_to_enum
SELECT id, (urg::text)::urgency FROM tickets ORDER BY id;
-- name: enum_concat
SELECT id, urg || '!', 'u:' || urg, m || m::text FROM tickets ORDER BY id;
-- name: enum_concat_functions
SELECT id, concat(urg, '/', m), format('%s-%s', urg, odd), concat_ws(',', urg, m) FROM tickets ORDER BY id;
-- name: enum_length_of_text
SELECT id, length(urg::text), upper(m::text) FROM tickets ORDER BY id;
-- name: enum_first_last
SELECT enum_first(NULL::urgency), enum_last(NULL::urgency), enum_first('ok'::mood), enum_last(NULL::"Odd Enum");
-- name: enum_range_all
SELECT enum_range(NULL::urgency), enum_range(NULL::mood), enum_range(NULL::"Odd Enum");
-- name: enum_range_bounds
SELECT enum_range('low'::urgency, 'urgent'::urgency), enum_range('medium'::urgency, NULL), enum_range(NULL, 'low'::urgency), enum_range('high'::urgency, 'low'::urgency);
-- name: enum_range_column
SELECT id, enum_range(urg, 'critical') FROM tickets WHERE urg IS NOT NULL ORDER BY id;
-- name: enum_first_column
SELECT id, enum_first(urg), enum_last(m) FROM tickets ORDER BY id;
-- name: enum_cmp
SELECT id, enum_cmp(urg, 'high'), enum_smaller(urg, 'medium'), enum_larger(urg, 'medium') FROM tickets ORDER BY id;
-- name: enum_array_agg
SELECT m, array_agg(urg ORDER BY urg, id) FROM tickets GROUP BY m ORDER BY m NULLS FIRST;
-- name: enum_string_agg
SELECT string_agg(urg::text, ',' ORDER BY urg, id) FROM tickets;
-- name: enum_array_column_functions
SELECT id, cardinality(tags), array_length(tags, 1), tags[1], array_position(tags, 'high'), array_to_string(tags, ';', '*') FROM tickets ORDER BY id;
-- name: enum_unnest
SELECT id, unnest(tags) AS t FROM tickets WHERE id < 5 ORDER BY id, t NULLS LAST;
-- name: enum_array_cast_text
SELECT id, tags::text, tags::text[] FROM tickets ORDER BY id;
-- name: enum_array_literal
SELECT '{low,high}'::urgency[], ARRAY['high', 'low']::urgency[], ARRAY['ok'::mood];
-- name: enum_union
SELECT urg FROM tickets UNION SELECT ud FROM tickets ORDER BY 1 NULLS FIRST;
-- name: enum_union_unknown
SELECT urg FROM tickets WHERE id < 4 UNION ALL SELECT 'low' ORDER BY 1;
-- name: enum_intersect_except
SELECT urg FROM tickets INTERSECT SELECT ud FROM tickets ORDER BY 1;
-- name: enum_except
SELECT urg FROM tickets EXCEPT SELECT ud FROM tickets ORDER BY 1;
-- name: enum_values_typed
SELECT v FROM (VALUES ('high'::urgency), ('none'), ('low')) AS t(v) ORDER BY v;
-- name: enum_subquery
SELECT id, urg FROM (SELECT id, urg FROM tickets WHERE urg > 'none') s ORDER BY urg DESC, id;
-- name: enum_cte
WITH t AS (SELECT urg, count(*) AS n FROM tickets GROUP BY urg) SELECT urg, n FROM t ORDER BY urg NULLS LAST;
-- name: enum_scalar_subquery
SELECT (SELECT max(urg) FROM tickets), (SELECT min(priority) FROM orders);
-- name: enum_exists_in_subquery
SELECT id FROM tickets WHERE urg IN (SELECT ud::urgency FROM tickets WHERE id > 5) ORDER BY id;
-- name: enum_to_json
SELECT id, to_json(urg), to_jsonb(m), to_json(tags), to_json(odd) FROM tickets ORDER BY id;
-- name: enum_json_build
SELECT id, json_build_object('u', urg, 'm', m), jsonb_build_array(urg, odd) FROM tickets ORDER BY id;
-- name: enum_json_agg
SELECT json_agg(urg ORDER BY id), jsonb_agg(m ORDER BY id) FROM tickets;
-- name: enum_row_to_json
SELECT row_to_json(s) FROM (SELECT id, urg, m FROM tickets) s ORDER BY s.id;
-- name: enum_typeof
SELECT pg_typeof(urg)::text, pg_typeof(m)::text, pg_typeof(tags)::text, pg_typeof(odd)::text, pg_typeof(urg::text)::text, pg_typeof(min(urg))::text FROM tickets GROUP BY urg, m, tags, odd ORDER BY urg LIMIT 1;
-- name: enum_typeof_text
SELECT pg_typeof(urg)::text, pg_typeof(tags)::text, pg_typeof(odd)::text, pg_typeof(enum_range(urg))::text FROM tickets WHERE id = 1;
-- name: enum_typeof_functions
SELECT pg_typeof(enum_first(NULL::urgency))::text, pg_typeof(coalesce(urg, 'low'))::text, pg_typeof(greatest(urg, 'low'))::text FROM tickets WHERE id = 1;
-- name: enum_regtype
SELECT 'urgency'::regtype::text, 'mood[]'::regtype::text, to_regtype('urgency')::text, 'urgency'::regtype = pg_typeof('low'::urgency);
-- name: enum_format_type
SELECT format_type('urgency'::regtype, NULL), format_type('"Odd Enum"'::regtype, -1);
-- name: enum_count_by_label
SELECT count(*) FILTER (WHERE urg = 'low'), count(*) FILTER (WHERE urg > 'low') FROM tickets;
-- name: enum_priority_filter
SELECT count(*) FROM orders WHERE priority >= 'ok';
-- name: enum_priority_in
SELECT count(*) FROM orders WHERE priority IN ('sad', 'happy') AND channel = 'web';
-- name: enum_priority_window
SELECT id, priority, lag(priority) OVER (ORDER BY id) FROM orders WHERE id <= 6 ORDER BY id;
-- name: enum_order_limit
SELECT id, priority FROM orders ORDER BY priority DESC, id LIMIT 5;
-- name: enum_misc_order
SELECT id, m FROM misc ORDER BY m, id;
-- error: 22P02
-- name: enum_invalid_label_compare
SELECT id FROM tickets WHERE urg = 'unknown';
-- error: 22P02
-- name: enum_invalid_label_cast
SELECT 'Low'::urgency;
-- error: 22P02
-- name: enum_invalid_label_in
SELECT id FROM tickets WHERE urg IN ('low', 'nope');
-- error: 22P02
-- name: enum_invalid_text_cast_run_time
SELECT id, title::urgency FROM tickets WHERE id = 1;
-- error: 42883
-- name: enum_compare_text
SELECT id FROM tickets WHERE urg = 'low'::text;
-- error: 42883
-- name: enum_compare_two_enums
SELECT id FROM tickets WHERE urg = m;
-- error: 42883
-- name: enum_compare_two_enum_types_cast
SELECT 'ok'::mood < 'low'::urgency;
-- error: 42804
-- name: enum_union_text
SELECT urg FROM tickets UNION SELECT 'x'::text;
-- error: 42846
-- name: enum_union_two_enums
SELECT urg FROM tickets UNION SELECT m FROM tickets;
-- error: 42883
-- name: enum_like
SELECT id FROM tickets WHERE urg LIKE 'l%';
-- error: 42883
-- name: enum_upper
SELECT upper(urg) FROM tickets;
-- error: 42883
-- name: enum_sum
SELECT sum(urg) FROM tickets;
-- error: 42846
-- name: enum_cast_int
SELECT urg::int FROM tickets;
-- error: 42846
-- name: enum_coalesce_two_types
SELECT coalesce(urg, m) FROM tickets;
-- error: 22P02
-- name: enum_coalesce_bad_label
SELECT coalesce(urg, 'nope') FROM tickets;
-- error: 42704
-- name: enum_unknown_type
SELECT 'x'::no_such_enum;
-- name: domain_columns
SELECT id, title, qty, cost, ud FROM tickets ORDER BY id;
-- name: domain_arith
SELECT id, qty + 1, qty * 2, cost * 2, cost + 0.005, title || '!' FROM tickets ORDER BY id;
-- name: domain_compare
SELECT id FROM tickets WHERE qty > 4 AND cost < 100 ORDER BY id;
-- name: domain_order
SELECT id, qty FROM tickets ORDER BY qty DESC NULLS LAST, id;
-- name: domain_text_order
SELECT id, title FROM tickets ORDER BY title NULLS FIRST, id;
-- name: domain_group
SELECT ud, count(*), sum(qty), avg(cost) FROM tickets GROUP BY ud ORDER BY ud NULLS LAST;
-- name: domain_aggregates
SELECT sum(qty), min(qty), max(cost), min(title), max(title), count(DISTINCT qty) FROM tickets;
-- name: domain_typeof
SELECT pg_typeof(qty)::text, pg_typeof(title)::text, pg_typeof(cost)::text, pg_typeof(ud)::text, pg_typeof(qty + 1)::text, pg_typeof(title || 'x')::text, pg_typeof(min(qty))::text FROM tickets GROUP BY qty, title, cost, ud LIMIT 1;
-- name: domain_typeof_passthrough
SELECT pg_typeof(q)::text, pg_typeof(coalesce(q, q))::text, pg_typeof(coalesce(q, 1))::text FROM (SELECT qty AS q FROM tickets) s WHERE q = 3;
-- name: domain_typeof_union
SELECT pg_typeof(x)::text FROM (SELECT qty AS x FROM tickets WHERE id = 1 UNION ALL SELECT qty FROM tickets WHERE id = 2) s;
-- name: domain_cast_base
SELECT id, qty::int8, cost::float8, title::varchar(3), ud::text FROM tickets ORDER BY id;
-- name: domain_cast_to_domain
SELECT 'abcdefghijklmnop'::shortname, pg_typeof('x'::shortname)::text, 12.345::price, 'low'::urgency_d, pg_typeof('low'::urgency_d)::text;
-- name: domain_enum_order
SELECT id, ud FROM tickets ORDER BY ud NULLS FIRST, id;
-- name: domain_enum_compare_as_enum
SELECT id FROM tickets WHERE ud::urgency > 'low' ORDER BY id;
-- error: 42883
-- name: domain_enum_compare
SELECT id FROM tickets WHERE ud > 'low' ORDER BY id;
-- error: 42883
-- name: domain_enum_eq_enum
SELECT id FROM tickets WHERE ud = urg;
-- error: 42883
-- name: domain_enum_first
SELECT enum_first(ud) FROM tickets;
-- error: 42883
-- name: domain_enum_max
SELECT max(ud) FROM tickets;
-- error: 42883
-- name: enum_concat_two_enums
SELECT m || m FROM tickets;
-- name: domain_enum_group_distinct
SELECT DISTINCT ud FROM tickets ORDER BY 1;
-- name: domain_enum_greatest
SELECT id, greatest(ud, ud), coalesce(ud, 'low'), ud || '!', ud::text FROM tickets ORDER BY id;
-- name: domain_enum_typeof
SELECT pg_typeof(ud)::text, pg_typeof(coalesce(ud, ud))::text, pg_typeof(coalesce(ud, urg))::text, pg_typeof(ud::urgency)::text FROM tickets WHERE id = 1;
-- name: domain_enum_array_agg
SELECT array_agg(ud ORDER BY id) FROM tickets;
-- name: domain_enum_json
SELECT to_json(ud), to_jsonb(ud) FROM tickets ORDER BY id;
-- name: domain_in_list
SELECT id FROM tickets WHERE qty IN (1, 3, 5) ORDER BY id;
-- name: domain_json
SELECT id, to_json(qty), to_json(title), to_jsonb(cost), to_json(ud) FROM tickets ORDER BY id;
-- name: domain_row_to_json
SELECT row_to_json(s) FROM (SELECT id, title, qty, cost FROM tickets) s ORDER BY s.id;
-- error: 23502
-- name: domain_not_null_cast
SELECT NULL::price;
-- name: domain_window
SELECT id, qty, sum(qty) OVER (ORDER BY id), lag(title) OVER (ORDER BY id) FROM tickets ORDER BY id;
-- name: domain_union
SELECT title FROM tickets WHERE id < 3 UNION SELECT 'x' ORDER BY 1;
