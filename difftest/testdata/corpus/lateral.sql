-- LATERAL: subqueries and functions that read the row to their left,
-- top-N per row, LEFT JOIN LATERAL with empty results.

-- name: lateral_top2_per_dept
SELECT d.dept, t.name, t.salary FROM (SELECT DISTINCT dept FROM emp) d, LATERAL (SELECT name, salary FROM emp e WHERE e.dept = d.dept ORDER BY salary DESC NULLS LAST, id LIMIT 2) t ORDER BY d.dept, t.salary DESC NULLS LAST, t.name;
-- name: lateral_left_join_empty
SELECT e.id, r.name FROM emp e LEFT JOIN LATERAL (SELECT name FROM emp x WHERE x.manager_id = e.id ORDER BY id LIMIT 1) r ON true ORDER BY e.id;
-- name: lateral_aggregate
SELECT c.id, s.n, s.total FROM customers c, LATERAL (SELECT count(*) AS n, sum(total) AS total FROM orders o WHERE o.customer_id = c.id) s WHERE c.id <= 12 ORDER BY c.id;
-- name: lateral_last_order
SELECT c.id, o.id, o.ordered_at FROM customers c CROSS JOIN LATERAL (SELECT id, ordered_at FROM orders WHERE customer_id = c.id ORDER BY ordered_at DESC, id DESC LIMIT 1) o WHERE c.id <= 10 ORDER BY c.id;
-- name: lateral_generate_series
SELECT e.id, g FROM emp e, LATERAL generate_series(1, e.rating) g WHERE e.id <= 4 ORDER BY e.id, g;
-- name: lateral_implicit_function
SELECT a.id, x FROM arrs a, unnest(a.ia) WITH ORDINALITY u(x, n) WHERE a.id = 2 ORDER BY n;
-- name: lateral_values
SELECT e.id, v.k, v.val FROM emp e, LATERAL (VALUES ('salary', e.salary), ('bonus', e.bonus::numeric)) v(k, val) WHERE e.id <= 3 ORDER BY e.id, v.k;
-- name: lateral_unpivot_nulls
SELECT n.id, v.col, v.val FROM nn n CROSS JOIN LATERAL (VALUES ('a', n.a), ('b', n.b)) v(col, val) WHERE v.val IS NOT NULL ORDER BY n.id, v.col;
-- name: lateral_without_keyword_error
-- error: 42P01
SELECT e.id, t.n FROM emp e, (SELECT count(*) AS n FROM emp x WHERE x.manager_id = e.id) t;
-- name: lateral_chain
SELECT e.id, a.x, b.y FROM emp e, LATERAL (SELECT e.rating * 2 AS x) a, LATERAL (SELECT a.x + 1 AS y) b WHERE e.id <= 5 ORDER BY e.id;
-- name: lateral_jsonb_each
SELECT d.id, kv.key, kv.value FROM docs d, LATERAL jsonb_each(d.jb) kv WHERE d.id IN (14, 16) ORDER BY d.id, kv.key;
-- name: lateral_string_split
SELECT t.id, w.word, w.pos FROM texts t, LATERAL regexp_split_to_table(t.t, '\s+') WITH ORDINALITY w(word, pos) WHERE t.id IN (10, 16) ORDER BY t.id, w.pos;
-- name: lateral_correlated_window
SELECT p.category, x.name, x.rk FROM (SELECT DISTINCT category FROM products) p, LATERAL (SELECT name, row_number() OVER (ORDER BY list_price DESC, id) AS rk FROM products q WHERE q.category = p.category) x WHERE x.rk <= 2 ORDER BY p.category, x.rk;
-- name: lateral_left_join_on_condition
SELECT e.id, s.cnt FROM emp e LEFT JOIN LATERAL (SELECT count(*) AS cnt FROM emp r WHERE r.manager_id = e.id) s ON s.cnt > 0 ORDER BY e.id;
-- name: lateral_order_items_summary
SELECT o.id, li.lines, li.qty, li.amount FROM orders o CROSS JOIN LATERAL (SELECT count(*) AS lines, sum(quantity) AS qty, sum(quantity * unit_price) AS amount FROM order_items i WHERE i.order_id = o.id) li WHERE o.id <= 15 ORDER BY o.id;
-- name: lateral_generate_series_dates
SELECT e.id, d::date FROM emp e, LATERAL generate_series(e.hired, e.hired + 2, INTERVAL '1 day') d WHERE e.id IN (1, 12) ORDER BY e.id, d;
-- name: lateral_full_join_error
-- error: 42P10
SELECT * FROM emp e FULL JOIN LATERAL (SELECT e.id) x ON true;
-- name: lateral_nearest_value
SELECT s.id, (SELECT e.name FROM emp e WHERE e.salary IS NOT NULL ORDER BY abs(e.salary - s.n * 200), e.id LIMIT 1) FROM series s WHERE s.id <= 8 ORDER BY s.id;
-- name: lateral_exists_style
SELECT c.id FROM customers c WHERE c.id <= 200 AND NOT EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.id) ORDER BY c.id;
-- name: lateral_array_agg_per_row
SELECT e.id, r.reports FROM emp e, LATERAL (SELECT array_agg(x.id ORDER BY x.id) AS reports FROM emp x WHERE x.manager_id = e.id) r ORDER BY e.id;
