-- Subqueries: scalar (and the more-than-one-row error 21000), EXISTS,
-- IN and NOT IN with NULLs, ANY/SOME/ALL, correlated subqueries in every
-- clause, row comparisons, derived tables.

-- name: scalar_basic
SELECT (SELECT max(salary) FROM emp), (SELECT count(*) FROM orders), (SELECT name FROM emp WHERE id = 3);
-- name: scalar_no_rows_null
SELECT (SELECT name FROM emp WHERE id = -1) IS NULL, (SELECT name FROM emp WHERE id = -1);
-- name: scalar_more_than_one_row
-- error: 21000
SELECT (SELECT id FROM emp);
-- name: scalar_more_than_one_row_correlated
-- error: 21000
SELECT id, (SELECT x.id FROM emp x WHERE x.dept = e.dept) FROM emp e;
-- name: scalar_more_than_one_column
-- error: 42601
SELECT (SELECT id, name FROM emp WHERE id = 1);
-- name: scalar_correlated
SELECT id, name, (SELECT count(*) FROM emp r WHERE r.manager_id = e.id) AS reports FROM emp e ORDER BY id;
-- name: scalar_correlated_avg
SELECT id, salary, salary - (SELECT avg(salary) FROM emp x WHERE x.dept = e.dept) AS vs_dept FROM emp e ORDER BY id;
-- name: scalar_in_where
SELECT id FROM emp WHERE salary > (SELECT avg(salary) FROM emp) ORDER BY id;
-- name: scalar_in_order_by
SELECT id, name FROM emp e ORDER BY (SELECT count(*) FROM emp r WHERE r.manager_id = e.id) DESC, id;
-- name: scalar_type
SELECT pg_typeof((SELECT avg(salary) FROM emp)), pg_typeof((SELECT sum(id) FROM emp)), pg_typeof((SELECT max(c) FROM texts));
-- name: scalar_typmod
SELECT (SELECT salary FROM emp WHERE id = 1), (SELECT vc FROM texts WHERE id = 1), (SELECT c FROM texts WHERE id = 1);
-- name: scalar_in_case
SELECT id, CASE WHEN salary > (SELECT avg(salary) FROM emp) THEN 'above' ELSE 'below' END FROM emp ORDER BY id;
-- name: scalar_limit_one
SELECT (SELECT name FROM emp ORDER BY salary DESC NULLS LAST, id LIMIT 1);
-- name: scalar_array_subquery
SELECT ARRAY(SELECT name FROM emp WHERE rating = 5 ORDER BY name);

-- name: exists_basic
SELECT id FROM customers c WHERE EXISTS (SELECT 1 FROM orders o WHERE o.customer_id = c.id AND o.status = 'returned') AND id <= 40 ORDER BY id;
-- name: not_exists_basic
SELECT id FROM emp e WHERE NOT EXISTS (SELECT 1 FROM emp r WHERE r.manager_id = e.id) ORDER BY id;
-- name: exists_select_star_null
SELECT EXISTS (SELECT NULL), EXISTS (SELECT 1 WHERE false), NOT EXISTS (SELECT * FROM emp WHERE id < 0);
-- name: exists_in_select
SELECT id, EXISTS (SELECT 1 FROM emp r WHERE r.manager_id = e.id) AS is_manager FROM emp e ORDER BY id;
-- name: exists_with_limit_zero
SELECT EXISTS (SELECT 1 FROM emp LIMIT 0);

-- name: in_subquery
SELECT id, name FROM emp WHERE id IN (SELECT manager_id FROM emp) ORDER BY id;
-- name: not_in_subquery_with_nulls
SELECT id FROM emp WHERE id NOT IN (SELECT manager_id FROM emp) ORDER BY id;
-- name: not_in_subquery_filtered
SELECT id FROM emp WHERE id NOT IN (SELECT manager_id FROM emp WHERE manager_id IS NOT NULL) ORDER BY id;
-- name: in_list_with_null
SELECT id, a IN (1, 2, NULL), a NOT IN (1, 2, NULL), a IN (1, 2), a NOT IN (3) FROM nn ORDER BY id;
-- name: in_list_empty_subquery
SELECT id, a IN (SELECT 1 WHERE false), a NOT IN (SELECT 1 WHERE false) FROM nn ORDER BY id;
-- name: not_in_null_left
SELECT NULL::int NOT IN (SELECT 1 WHERE false), NULL::int IN (1), NULL::int NOT IN (1);
-- name: in_subquery_multi_column
SELECT id FROM nn WHERE (a, b) IN (SELECT a, b FROM nn WHERE id <> 1) ORDER BY id;
-- name: not_in_multi_column_nulls
SELECT id, (a, b) NOT IN (SELECT 1, 1), (a, b) IN (SELECT 1, NULL::int) FROM nn ORDER BY id;
-- name: in_subquery_type_coercion
SELECT id FROM emp WHERE salary IN (SELECT 120000) ORDER BY id;
-- name: in_subquery_text_int_error
-- error: 42883
SELECT id FROM emp WHERE id IN (SELECT name FROM emp);
-- name: in_large_list
SELECT count(*) FROM series WHERE g IN (1, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71, 73, 79, 83, 89, 97);
-- name: in_subquery_aggregate
SELECT country, count(*) FROM customers WHERE id IN (SELECT customer_id FROM orders GROUP BY customer_id HAVING count(*) >= 14) GROUP BY country ORDER BY country;

-- name: any_subquery
SELECT id FROM emp WHERE salary > ANY (SELECT salary FROM emp WHERE dept = 'sales') ORDER BY id;
-- name: all_subquery
SELECT id FROM emp WHERE salary > ALL (SELECT salary FROM emp WHERE dept = 'sales') ORDER BY id;
-- name: all_subquery_with_null
SELECT id FROM emp WHERE salary > ALL (SELECT salary FROM emp WHERE dept = 'hr') ORDER BY id;
-- name: all_empty_subquery
SELECT count(*) FROM emp WHERE salary > ALL (SELECT salary FROM emp WHERE false);
-- name: some_subquery
SELECT id FROM emp WHERE rating = SOME (SELECT max(rating) FROM emp GROUP BY dept) ORDER BY id;
-- name: any_null_results
SELECT id, a = ANY (SELECT b FROM nn), a <> ALL (SELECT b FROM nn WHERE b IS NOT NULL) FROM nn ORDER BY id;

-- name: correlated_in_having
SELECT dept, count(*) FROM emp e GROUP BY dept HAVING count(*) > (SELECT count(*) FROM emp WHERE dept = 'hr') ORDER BY dept NULLS LAST;
-- name: correlated_nested_levels
SELECT id FROM emp e WHERE EXISTS (SELECT 1 FROM emp m WHERE m.id = e.manager_id AND EXISTS (SELECT 1 FROM emp mm WHERE mm.id = m.manager_id)) ORDER BY id;
-- name: correlated_min_per_group
SELECT id, dept, salary FROM emp e WHERE salary = (SELECT min(salary) FROM emp x WHERE x.dept = e.dept) ORDER BY id;
-- name: correlated_count_orders
SELECT c.id, (SELECT count(*) FROM orders o WHERE o.customer_id = c.id) AS n, (SELECT max(total) FROM orders o WHERE o.customer_id = c.id) AS biggest FROM customers c WHERE c.id IN (1, 2, 3, 191, 200) ORDER BY c.id;
-- name: correlated_outer_reference_in_aggregate
-- error: 42803
SELECT id, (SELECT sum(e.rating) FROM emp x WHERE x.id = 1) FROM emp e WHERE id <= 3 ORDER BY id;
-- name: correlated_outer_aggregate_whole
SELECT (SELECT sum(e.rating) FROM emp x WHERE x.id = 1) FROM emp e WHERE id <= 3;
-- name: derived_table
SELECT d.dept, d.n FROM (SELECT dept, count(*) AS n FROM emp GROUP BY dept) d WHERE d.n > 2 ORDER BY d.dept;
-- name: derived_table_alias_columns
SELECT x, y FROM (SELECT id, name FROM emp WHERE id < 3) AS t(x, y) ORDER BY x;
-- name: derived_table_no_alias
-- error: 42601 until 16
SELECT count(*) FROM (SELECT 1 FROM emp);
-- name: derived_table_order_limit
SELECT * FROM (SELECT id, salary FROM emp ORDER BY salary DESC NULLS LAST, id LIMIT 3) t ORDER BY id;
-- name: row_comparison
SELECT ROW(1, 2) < ROW(1, 3), (1, 2) = (1, 2), (1, NULL) = (1, 2), (1, NULL) IS NULL, (NULL, NULL) IS NULL, (1, 'a') < (1, 'b');
-- name: row_comparison_columns
SELECT id FROM emp WHERE (dept, rating) = ('eng', 4) ORDER BY id;
-- name: row_comparison_order
SELECT id FROM emp WHERE (salary, id) > (100000, 5) ORDER BY id;
-- name: row_subquery_equality
SELECT id FROM emp WHERE (dept, salary) = (SELECT dept, max(salary) FROM emp WHERE dept = 'ops' GROUP BY dept) ORDER BY id;
-- name: row_is_distinct
SELECT (1, NULL) IS DISTINCT FROM (1, NULL), (1, 2) IS NOT DISTINCT FROM (1, 2), ROW(NULL) IS NOT NULL;
-- name: subquery_in_from_with_window
SELECT dept, name FROM (SELECT dept, name, rank() OVER (PARTITION BY dept ORDER BY hired) AS r FROM emp) s WHERE r = 1 ORDER BY dept NULLS LAST, name;
-- name: subquery_returning_null_compare
SELECT count(*) FROM emp WHERE salary = (SELECT salary FROM emp WHERE id = 9);
-- name: subquery_uncorrelated_in_select_list_repeated
SELECT id, (SELECT count(*) FROM emp) - id FROM emp ORDER BY id;
-- name: subquery_in_join_condition
SELECT e.id, m.id FROM emp e JOIN emp m ON m.id = (SELECT min(x.id) FROM emp x WHERE x.dept = e.dept) ORDER BY e.id;
-- name: subquery_in_values
SELECT * FROM (VALUES ((SELECT max(id) FROM emp)), ((SELECT min(id) FROM emp))) v(x) ORDER BY x;
-- name: subquery_customers_without_orders
SELECT c.id, c.name FROM customers c WHERE c.id NOT IN (SELECT customer_id FROM orders) ORDER BY c.id;
-- name: subquery_products_never_sold
SELECT count(*) FROM products p WHERE NOT EXISTS (SELECT 1 FROM order_items i WHERE i.product_id = p.id);
-- name: subquery_above_average_orders
SELECT count(*) FROM orders o WHERE total > (SELECT avg(total) FROM orders x WHERE x.customer_id = o.customer_id);
-- name: subquery_undefined_column
-- error: 42703
SELECT id FROM emp WHERE id IN (SELECT nope FROM emp);
-- name: subquery_outer_column_shadowed
SELECT count(*) FROM emp WHERE id IN (SELECT id FROM nn);
-- name: subquery_outer_reference_typo_trap
SELECT count(*) FROM emp WHERE name IN (SELECT name FROM nn);
-- name: in_multi_column_null_matrix
SELECT x.id, y.id, (x.a, x.b) IN (SELECT y.a, y.b), (x.a, x.b) NOT IN (SELECT y.a, y.b) FROM nn x, nn y ORDER BY 1, 2;
-- name: in_multi_column_empty_subquery
SELECT id, (a, b) IN (SELECT a, b FROM nn WHERE false), (a, b) NOT IN (SELECT a, b FROM nn WHERE false) FROM nn ORDER BY id;
-- name: not_in_multi_column_with_null_rows
SELECT id, (a, b) NOT IN (SELECT a, b FROM nn y WHERE y.id <> nn.id) FROM nn ORDER BY id;
-- name: in_multi_column_correlated
SELECT id FROM emp e WHERE (e.dept, e.manager_id) IN (SELECT x.dept, x.manager_id FROM emp x WHERE x.id <> e.id) ORDER BY id;
-- name: in_multi_column_coercion
SELECT id, (a, s) IN (SELECT 1::bigint, 'x'), (a, b) = ANY (SELECT 1.0, 1) FROM nn ORDER BY id;
-- name: row_any_ordering_operator
SELECT id, (a, b) < ANY (SELECT 1, 2), (a, b) >= ALL (SELECT a, b FROM nn WHERE a IS NOT NULL AND b IS NOT NULL) FROM nn ORDER BY id;
-- name: row_all_not_equal
SELECT id, (a, b) <> ALL (SELECT 1, 1 UNION ALL SELECT 2, NULL) FROM nn ORDER BY id;
-- name: row_in_single_field
SELECT id, ROW(a) IN (SELECT b FROM nn WHERE b IS NOT NULL) FROM nn ORDER BY id;
-- name: row_in_too_many_columns
-- error: 42601
SELECT (1, 2) IN (SELECT 1, 2, 3);
-- name: row_in_too_few_columns
-- error: 42601
SELECT (1, 2, 3) IN (SELECT 1, 2);
-- name: row_compare_subquery_lexicographic
SELECT (1, 2) < (SELECT 1, 3), (1, 2) < (SELECT 2, 1), (1, NULL) < (SELECT 2, 1), (1, NULL) <= (SELECT 1, 1), (2, 1) >= (SELECT 1, NULL::int);
-- name: row_compare_subquery_unknown_is_text
-- error: 42883
SELECT (2, 1) >= (SELECT 1, NULL);
-- name: row_in_subquery_unknown_is_text
-- error: 42883
SELECT (2, 1) IN (SELECT 1, NULL);
-- name: row_compare_lexicographic_nulls
SELECT id, (a, b) < (1, 2), (a, b) >= (1, 1), (a, b) > (NULL, 1) FROM nn ORDER BY id;
-- name: outer_aggregate_in_subquery_select
SELECT (SELECT max(o.salary) FROM nn WHERE nn.id = 1) FROM emp o;
-- name: outer_aggregate_with_group_by
SELECT dept, (SELECT count(o.id) + min(n.id) FROM nn n) FROM emp o GROUP BY dept ORDER BY dept NULLS LAST;
-- name: outer_aggregate_subquery_rows
-- error: 21000
SELECT (SELECT sum(o.rating) FROM nn) FROM emp o;
-- name: outer_aggregate_in_where
-- error: 42803
SELECT id FROM emp o WHERE (SELECT max(o.id) FROM nn WHERE nn.id = 1) > 1;
-- name: outer_aggregate_in_having
SELECT dept FROM emp o GROUP BY dept HAVING (SELECT count(o.id) FROM nn WHERE nn.id = 1) > 1 ORDER BY dept NULLS LAST;
-- name: outer_aggregate_mixed_levels
SELECT (SELECT sum(o.rating + n.id) FROM nn n) FROM emp o WHERE o.id <= 2 ORDER BY 1;
-- name: outer_aggregate_ungrouped_column
-- error: 42803
SELECT name, (SELECT avg(o.salary) FROM nn WHERE nn.id = 1) FROM emp o;

-- name: outer_aggregate_in_subquery_where
SELECT (SELECT count(*) FROM emp e WHERE e.id <= max(o.id)) FROM emp o;
-- name: inner_aggregate_in_subquery_where
-- error: 42803
SELECT (SELECT 1 FROM emp e WHERE max(e.id) > 0);
