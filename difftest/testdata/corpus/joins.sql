-- Joins: inner, left, right, full, cross, USING and NATURAL (and the
-- columns they produce), self joins, non-equi joins and joins on
-- expressions, NULL keys, join order with WHERE vs ON.

-- name: inner_join
SELECT o.id, c.name FROM orders o JOIN customers c ON c.id = o.customer_id WHERE o.id <= 10 ORDER BY o.id;
-- name: inner_join_three
SELECT o.id, c.country, p.category, i.quantity FROM order_items i JOIN orders o ON o.id = i.order_id JOIN customers c ON c.id = o.customer_id JOIN products p ON p.id = i.product_id WHERE o.id <= 6 ORDER BY o.id, i.line_no;
-- name: left_join_nulls
SELECT c.id, count(o.id) FROM customers c LEFT JOIN orders o ON o.customer_id = c.id WHERE c.id > 185 GROUP BY c.id ORDER BY c.id;
-- name: left_join_where_vs_on
SELECT e.id, m.name FROM emp e LEFT JOIN emp m ON m.id = e.manager_id AND m.dept = 'eng' ORDER BY e.id;
-- name: left_join_where_filters
SELECT e.id, m.name FROM emp e LEFT JOIN emp m ON m.id = e.manager_id WHERE m.dept = 'eng' ORDER BY e.id;
-- name: left_join_is_null_anti
SELECT c.id FROM customers c LEFT JOIN orders o ON o.customer_id = c.id WHERE o.id IS NULL ORDER BY c.id;
-- name: right_join
SELECT e.name, m.name FROM emp e RIGHT JOIN emp m ON e.manager_id = m.id ORDER BY m.id, e.id NULLS FIRST;
-- name: full_join
SELECT a.id, a.a, b.id, b.b FROM nn a FULL JOIN nn b ON a.a = b.b ORDER BY a.id NULLS LAST, b.id NULLS LAST;
-- name: full_join_values
SELECT x.k, x.v, y.v FROM (VALUES (1, 'a'), (2, 'b'), (NULL, 'n')) x(k, v) FULL JOIN (VALUES (2, 'B'), (3, 'C'), (NULL, 'N')) y(k, v) ON x.k = y.k ORDER BY x.v NULLS LAST, y.v NULLS LAST;
-- name: full_join_using_coalesced
SELECT k, x.v, y.v FROM (VALUES (1, 'a'), (2, 'b')) x(k, v) FULL JOIN (VALUES (2, 'B'), (3, 'C')) y(k, v) USING (k) ORDER BY k;
-- name: full_join_non_equi_error
-- error: 0A000
SELECT count(*) FROM emp a FULL JOIN emp b ON a.salary > b.salary;
-- name: cross_join_count
SELECT count(*) FROM emp CROSS JOIN nn;
-- name: cross_join_rows
SELECT a.a, b.b FROM tri a CROSS JOIN tri b WHERE a.a AND b.b ORDER BY 1, 2;
-- name: comma_join
SELECT e.id, d.n FROM emp e, (SELECT count(*) AS n FROM nn) d WHERE e.id <= 2 ORDER BY e.id;
-- name: using_columns
SELECT * FROM (SELECT 1 AS k, 'x' AS a) l JOIN (SELECT 1 AS k, 'y' AS b) r USING (k);
-- name: using_column_types
SELECT k, pg_typeof(k) FROM (SELECT 1::int2 AS k) l JOIN (SELECT 1::int8 AS k) r USING (k);
-- name: using_star_order
SELECT * FROM (VALUES (1, 2, 3)) a(x, y, z) JOIN (VALUES (3, 1, 9)) b(z, x, w) USING (x, z);
-- name: natural_join
SELECT * FROM (VALUES (1, 'a')) a(k, v) NATURAL JOIN (VALUES (1, 'a'), (1, 'b')) b(k, v);
-- name: natural_join_no_common
SELECT count(*) FROM (VALUES (1)) a(x) NATURAL JOIN (VALUES (2), (3)) b(y);
-- name: natural_left_join
SELECT * FROM (VALUES (1, 'p'), (2, 'q')) a(k, v1) NATURAL LEFT JOIN (VALUES (2, 'r')) b(k, v2) ORDER BY k;
-- name: self_join_manager
SELECT e.name AS employee, m.name AS manager FROM emp e LEFT JOIN emp m ON m.id = e.manager_id ORDER BY e.id;
-- name: self_join_pairs_same_salary
SELECT a.id, b.id FROM emp a JOIN emp b ON a.salary = b.salary AND a.id < b.id ORDER BY a.id, b.id;
-- name: self_join_null_keys_not_equal
SELECT count(*) FROM nn a JOIN nn b ON a.a = b.a;
-- name: join_is_not_distinct
SELECT count(*) FROM nn a JOIN nn b ON a.a IS NOT DISTINCT FROM b.a;
-- name: join_on_expression
SELECT s.id, e.name FROM series s JOIN emp e ON e.id = s.g % 15 + 1 WHERE s.id <= 10 ORDER BY s.id;
-- name: join_non_equi_range
SELECT e.id, count(x.id) FROM emp e JOIN emp x ON x.salary BETWEEN e.salary - 10000 AND e.salary + 10000 GROUP BY e.id ORDER BY e.id;
-- name: join_on_function
SELECT t1.id, t2.id FROM texts t1 JOIN texts t2 ON lower(t1.vc) = lower(t2.vc) AND t1.id < t2.id ORDER BY 1, 2;
-- name: join_date_range
SELECT e.id, count(o.id) FROM emp e JOIN orders o ON o.order_date BETWEEN e.hired AND e.hired + 30 GROUP BY e.id ORDER BY e.id;
-- name: join_cross_types
SELECT count(*) FROM numbers a JOIN numbers b ON a.i2 = b.i8;
-- name: join_numeric_float
SELECT a.id, b.id FROM numbers a JOIN numbers b ON a.n = b.f8 AND a.id <> b.id ORDER BY 1, 2;
-- name: join_text_char
SELECT a.id, b.id FROM texts a JOIN texts b ON a.c = b.vc ORDER BY 1, 2;
-- name: join_text_char_cast
SELECT a.id, b.id FROM texts a JOIN texts b ON a.c::text = b.vc ORDER BY 1, 2;
-- name: join_json_keys
SELECT d.id, e.name FROM docs d JOIN emp e ON e.id = (d.jb ->> 'qty')::int ORDER BY d.id;
-- name: join_array_any
SELECT a.id, e.name FROM arrs a JOIN emp e ON e.id = ANY (a.ia) ORDER BY a.id, e.id;
-- name: join_uuid
SELECT a.id, b.id FROM misc a JOIN misc b ON a.u = b.u ORDER BY 1, 2;
-- name: join_enum_text
SELECT count(*) FROM orders o JOIN misc m ON m.m = o.priority;
-- name: join_ambiguous_column
-- error: 42702
SELECT id FROM emp a JOIN emp b ON a.id = b.manager_id;
-- name: join_missing_on
-- error: 42601
SELECT * FROM emp a JOIN emp b;
-- name: join_undefined_alias
-- error: 42P01
SELECT x.id FROM emp e;
-- name: join_duplicate_alias
-- error: 42712
SELECT * FROM emp e JOIN emp e ON true;
-- name: join_left_then_inner
SELECT e.id, m.name, mm.name FROM emp e LEFT JOIN emp m ON m.id = e.manager_id JOIN emp mm ON mm.id = coalesce(m.manager_id, 1) ORDER BY e.id;
-- name: join_parenthesized
SELECT e.id, x.name FROM emp e LEFT JOIN (emp m JOIN emp x ON x.id = m.manager_id) ON m.id = e.id ORDER BY e.id;
-- name: join_aggregate_after
SELECT p.category, count(*), sum(i.quantity), sum(i.quantity * i.unit_price) FROM order_items i JOIN products p ON p.id = i.product_id GROUP BY p.category ORDER BY p.category;
-- name: join_semi_via_in
SELECT count(*) FROM products WHERE id IN (SELECT product_id FROM order_items WHERE quantity = 5);
-- name: join_many_to_many_count
SELECT count(*) FROM orders o JOIN order_items i ON i.order_id = o.id JOIN products p ON p.id = i.product_id WHERE p.active;
-- name: join_using_qualified_error
SELECT count(*) FROM order_items i JOIN (SELECT id AS order_id, status FROM orders) o USING (order_id) WHERE o.status = 'pending';
-- name: left_join_coalesce_zero
SELECT p.id, coalesce(sum(i.quantity), 0) AS sold FROM products p LEFT JOIN order_items i ON i.product_id = p.id GROUP BY p.id ORDER BY p.id;
-- name: join_lateral_vs_subquery_equivalent
SELECT e.id, (SELECT count(*) FROM emp r WHERE r.manager_id = e.id) FROM emp e ORDER BY e.id;
-- name: full_join_counts
SELECT count(*), count(a.id), count(b.id) FROM emp a FULL JOIN emp b ON a.id = b.manager_id;
-- name: join_condition_with_or
SELECT count(*) FROM emp a JOIN emp b ON a.id = b.manager_id OR a.dept = b.dept;
-- name: join_on_true
SELECT count(*) FROM emp JOIN nn ON true;
-- name: join_on_null
SELECT count(*) FROM emp LEFT JOIN nn ON NULL;
-- name: join_star_columns
SELECT * FROM emp e JOIN nn n ON n.id = e.id ORDER BY e.id;
-- name: join_table_star
SELECT n.*, e.name FROM emp e JOIN nn n ON n.id = e.id ORDER BY e.id;
-- name: join_events_customers
SELECT c.segment, e.event_name, count(*) FROM events e JOIN customers c ON c.id = e.user_id GROUP BY 1, 2 ORDER BY 1, 2;
-- name: join_matrix_arrays
SELECT a.id, m.id FROM arrs a JOIN matrix m ON m.id = a.id ORDER BY a.id;
