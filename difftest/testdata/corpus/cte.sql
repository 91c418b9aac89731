-- Common table expressions: plain, several, referenced twice, shadowing
-- a table name, MATERIALIZED hints, recursive (series, trees, graphs
-- with cycles, UNION vs UNION ALL), column lists, and their errors.

-- name: cte_basic
WITH e AS (SELECT id, name FROM emp WHERE dept = 'eng') SELECT * FROM e ORDER BY id;
-- name: cte_two
WITH a AS (SELECT dept, count(*) AS n FROM emp GROUP BY dept), b AS (SELECT max(n) AS m FROM a) SELECT dept, n FROM a, b WHERE n = m ORDER BY dept;
-- name: cte_referenced_twice
WITH t AS (SELECT id, salary FROM emp) SELECT t1.id, t2.id FROM t t1 JOIN t t2 ON t1.salary = t2.salary AND t1.id < t2.id ORDER BY 1, 2;
-- name: cte_column_list
WITH t(a, b) AS (SELECT id, name FROM emp WHERE id <= 3) SELECT a, b FROM t ORDER BY a;
-- name: cte_shadows_table
WITH emp AS (SELECT 1 AS id, 'shadow' AS name) SELECT id, name FROM emp;
-- name: cte_shadows_table_join
WITH orders AS (SELECT id FROM emp WHERE id < 3) SELECT count(*) FROM orders;
-- name: cte_materialized
WITH t AS MATERIALIZED (SELECT id, x FROM series WHERE id <= 5) SELECT sum(x), count(*) FROM t;
-- name: cte_not_materialized
WITH t AS NOT MATERIALIZED (SELECT id, x FROM series) SELECT x FROM t WHERE id = 42;
-- name: cte_nested_with
WITH a AS (WITH b AS (SELECT 2 AS v) SELECT v * 10 AS v FROM b) SELECT v FROM a;
-- name: cte_in_subquery
SELECT (WITH m AS (SELECT max(salary) AS s FROM emp) SELECT s FROM m) AS top;
-- name: cte_unused
WITH unused AS (SELECT 1 / 0) SELECT 1;
-- name: cte_column_list_too_many
-- error: 42P10
WITH t(a, b, c) AS (SELECT 1, 2) SELECT * FROM t;
-- name: cte_duplicate_name
-- error: 42712
WITH t AS (SELECT 1), t AS (SELECT 2) SELECT * FROM t;
-- name: cte_forward_reference_error
-- error: 42P01
WITH a AS (SELECT * FROM b), b AS (SELECT 1) SELECT * FROM a;
-- name: cte_values
WITH v(k, label) AS (VALUES (1, 'one'), (2, 'two')) SELECT k, label FROM v ORDER BY k;
-- name: cte_types_from_values
WITH v(x) AS (VALUES (1), (2.5)) SELECT x, pg_typeof(x) FROM v ORDER BY x;
-- name: cte_aggregate_pipeline
WITH daily AS (SELECT order_date, sum(total) AS revenue FROM orders GROUP BY order_date), ranked AS (SELECT order_date, revenue, rank() OVER (ORDER BY revenue DESC NULLS LAST) AS rk FROM daily) SELECT order_date, revenue FROM ranked WHERE rk <= 5 ORDER BY rk, order_date;

-- name: recursive_series
WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < 10) SELECT n FROM s ORDER BY n;
-- name: recursive_sum
WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < 100) SELECT sum(n), count(*) FROM s;
-- name: recursive_factorial
WITH RECURSIVE f(n, fact) AS (SELECT 1, 1::numeric UNION ALL SELECT n + 1, fact * (n + 1) FROM f WHERE n < 25) SELECT n, fact FROM f ORDER BY n;
-- name: recursive_fibonacci
WITH RECURSIVE fib(i, a, b) AS (SELECT 1, 0::int8, 1::int8 UNION ALL SELECT i + 1, b, a + b FROM fib WHERE i < 50) SELECT i, a FROM fib ORDER BY i;
-- name: recursive_org_chart
WITH RECURSIVE chain(id, name, depth, path) AS (SELECT id, name, 0, name FROM emp WHERE manager_id IS NULL UNION ALL SELECT e.id, e.name, c.depth + 1, c.path || ' > ' || e.name FROM emp e JOIN chain c ON e.manager_id = c.id) SELECT id, depth, path FROM chain ORDER BY path;
-- name: recursive_org_depth_counts
WITH RECURSIVE chain(id, depth) AS (SELECT id, 0 FROM emp WHERE manager_id IS NULL UNION ALL SELECT e.id, c.depth + 1 FROM emp e JOIN chain c ON e.manager_id = c.id) SELECT depth, count(*) FROM chain GROUP BY depth ORDER BY depth;
-- name: recursive_ancestors
WITH RECURSIVE up(id, manager_id, lvl) AS (SELECT id, manager_id, 0 FROM emp WHERE id = 12 UNION ALL SELECT e.id, e.manager_id, up.lvl + 1 FROM emp e JOIN up ON e.id = up.manager_id) SELECT id, lvl FROM up ORDER BY lvl;
-- name: recursive_union_dedup_cycle
WITH RECURSIVE g(n) AS (SELECT 1 UNION SELECT (n % 5) + 1 FROM g) SELECT n FROM g ORDER BY n;
-- name: recursive_cycle_detection_array
WITH RECURSIVE walk(node, path, cycle) AS (SELECT 1, ARRAY[1], false UNION ALL SELECT (w.node * 3) % 7, w.path || (w.node * 3) % 7, (w.node * 3) % 7 = ANY(w.path) FROM walk w WHERE NOT w.cycle) SELECT node, path, cycle FROM walk ORDER BY cardinality(path);
-- name: recursive_cycle_clause
WITH RECURSIVE walk(node) AS (SELECT 1 UNION ALL SELECT (node * 3) % 7 FROM walk) CYCLE node SET is_cycle USING path SELECT node, is_cycle, path FROM walk ORDER BY path;
-- name: recursive_search_depth_first
WITH RECURSIVE t(id, name) AS (SELECT id, name FROM emp WHERE manager_id IS NULL UNION ALL SELECT e.id, e.name FROM emp e JOIN t ON e.manager_id = t.id) SEARCH DEPTH FIRST BY id SET ord SELECT id, name FROM t ORDER BY ord;
-- name: recursive_search_breadth_first
WITH RECURSIVE t(id, name) AS (SELECT id, name FROM emp WHERE manager_id IS NULL UNION ALL SELECT e.id, e.name FROM emp e JOIN t ON e.manager_id = t.id) SEARCH BREADTH FIRST BY id SET ord SELECT id, name FROM t ORDER BY ord;
-- name: recursive_dates
WITH RECURSIVE d(day) AS (SELECT DATE '2024-02-25' UNION ALL SELECT day + 1 FROM d WHERE day < DATE '2024-03-03') SELECT day, extract(dow FROM day) FROM d ORDER BY day;
-- name: recursive_string_build
WITH RECURSIVE s(i, str) AS (SELECT 1, 'a'::text UNION ALL SELECT i + 1, str || chr(97 + i) FROM s WHERE i < 6) SELECT i, str FROM s ORDER BY i;
-- name: recursive_type_mismatch_error
-- error: 42804
WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 0.5 FROM s WHERE n < 3) SELECT * FROM s;
-- name: recursive_numeric_explicit
WITH RECURSIVE s(n) AS (SELECT 1::numeric UNION ALL SELECT n + 0.5 FROM s WHERE n < 3) SELECT n FROM s ORDER BY n;
-- name: recursive_without_union_error
-- error: 42P19
WITH RECURSIVE s(n) AS (SELECT n FROM s) SELECT * FROM s;
-- name: recursive_not_referenced
WITH RECURSIVE s(n) AS (SELECT 5) SELECT n FROM s;
-- name: recursive_limit_stops
WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s) SELECT n FROM s LIMIT 5;
-- name: recursive_two_ctes
WITH RECURSIVE a(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM a WHERE n < 3), b(m) AS (SELECT n * 10 FROM a) SELECT m FROM b ORDER BY m;
-- name: recursive_referrals
WITH RECURSIVE r(id, root, depth) AS (SELECT id, id, 0 FROM customers WHERE referred_by IS NULL AND id <= 20 UNION ALL SELECT c.id, r.root, r.depth + 1 FROM customers c JOIN r ON c.referred_by = r.id) SELECT root, count(*), max(depth) FROM r GROUP BY root HAVING count(*) > 1 ORDER BY root;
-- name: cte_with_window_and_join
WITH s AS (SELECT customer_id, sum(total) AS spent FROM orders GROUP BY customer_id) SELECT c.country, count(*), sum(s.spent), max(s.spent) FROM s JOIN customers c ON c.id = s.customer_id GROUP BY c.country ORDER BY c.country;
-- name: cte_dml_refused
-- error: 25006
WITH d AS (DELETE FROM emp RETURNING id) SELECT count(*) FROM d;
