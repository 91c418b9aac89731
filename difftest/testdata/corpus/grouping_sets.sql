-- GROUPING SETS, ROLLUP, CUBE and GROUPING(): the NULLs of rolled-up
-- keys, GROUPING bitmasks, ordering of subtotal rows, empty grouping set.

-- name: rollup_one_key
SELECT dept, count(*), sum(salary) FROM emp GROUP BY ROLLUP (dept) ORDER BY dept NULLS LAST, count(*);
-- name: rollup_two_keys
SELECT c.country, c.segment, count(*) FROM customers c GROUP BY ROLLUP (c.country, c.segment) ORDER BY 1 NULLS LAST, 2 NULLS LAST;
-- name: rollup_with_grouping
SELECT dept, rating, GROUPING(dept), GROUPING(rating), GROUPING(dept, rating), count(*) FROM emp GROUP BY ROLLUP (dept, rating) ORDER BY GROUPING(dept, rating), dept NULLS FIRST, rating NULLS FIRST;
-- name: cube_two_keys
SELECT grp, flag, count(*), sum(x) FROM series GROUP BY CUBE (grp, flag) ORDER BY GROUPING(grp, flag), grp, flag;
-- name: cube_grouping_bits
SELECT g, count(*) FROM (SELECT GROUPING(status, channel) AS g FROM orders GROUP BY CUBE (status, channel)) s GROUP BY g ORDER BY g;
-- name: grouping_sets_explicit
SELECT status, channel, count(*) FROM orders GROUP BY GROUPING SETS ((status), (channel), ()) ORDER BY GROUPING(status, channel), status, channel NULLS FIRST;
-- name: grouping_sets_duplicates
SELECT grp, count(*) FROM series GROUP BY GROUPING SETS ((grp), (grp), ()) ORDER BY grp NULLS LAST, count(*);
-- name: grouping_sets_empty_only
SELECT count(*), sum(g) FROM series GROUP BY GROUPING SETS (());
-- name: grouping_sets_empty_input
SELECT grp, count(*) FROM series WHERE false GROUP BY ROLLUP (grp);
-- name: grouping_sets_empty_input_cube
SELECT grp, flag, count(*) FROM series WHERE false GROUP BY CUBE (grp, flag);
-- name: rollup_with_real_nulls
SELECT dept, count(*), GROUPING(dept) FROM emp GROUP BY ROLLUP (dept) ORDER BY GROUPING(dept), dept NULLS FIRST;
-- name: rollup_coalesce_label
SELECT coalesce(dept, CASE WHEN GROUPING(dept) = 1 THEN 'TOTAL' ELSE '(none)' END) AS dept, sum(salary) FROM emp GROUP BY ROLLUP (dept) ORDER BY GROUPING(dept), dept NULLS FIRST;
-- name: rollup_composite
SELECT status, channel, priority, count(*) FROM orders GROUP BY ROLLUP ((status, channel), priority) ORDER BY 1 NULLS LAST, 2 NULLS LAST, 3 NULLS LAST, 4;
-- name: mixed_group_by_and_rollup
SELECT extract(year FROM order_date) AS y, status, count(*) FROM orders GROUP BY extract(year FROM order_date), ROLLUP (status) ORDER BY 1, 2 NULLS LAST;
-- name: cube_three_keys_count
SELECT count(*) FROM (SELECT grp, flag, g % 2 FROM series GROUP BY CUBE (grp, flag, g % 2)) s;
-- name: grouping_sets_nested_rollup
SELECT grp, flag, count(*) FROM series GROUP BY GROUPING SETS (ROLLUP (grp), CUBE (flag)) ORDER BY 1 NULLS LAST, 2 NULLS LAST, 3;
-- name: rollup_dates
SELECT date_trunc('year', order_date)::date AS y, date_trunc('quarter', order_date)::date AS q, sum(total) FROM orders GROUP BY ROLLUP (1, 2) ORDER BY 1 NULLS LAST, 2 NULLS LAST;
-- name: rollup_having
SELECT status, channel, count(*) FROM orders GROUP BY ROLLUP (status, channel) HAVING count(*) > 100 ORDER BY 1 NULLS LAST, 2 NULLS LAST;
-- name: cube_with_avg_types
SELECT segment, country, avg(credit_limit), pg_typeof(avg(credit_limit)) FROM customers GROUP BY CUBE (segment, country) ORDER BY 1 NULLS LAST, 2 NULLS LAST;
-- name: grouping_function_type
SELECT pg_typeof(GROUPING(grp)), GROUPING(grp) FROM series GROUP BY ROLLUP (grp) ORDER BY 2, grp;
-- name: grouping_non_grouped_error
-- error: 42803
SELECT GROUPING(flag) FROM series GROUP BY ROLLUP (grp);
-- name: grouping_in_having
SELECT grp, sum(x) FROM series GROUP BY ROLLUP (grp) HAVING GROUPING(grp) = 1 OR sum(x) > 1249000 ORDER BY grp NULLS LAST;
-- name: rollup_percent_of_total
SELECT dept, sum(salary), round(100 * sum(salary) / (SELECT sum(salary) FROM emp), 2) FROM emp GROUP BY ROLLUP (dept) ORDER BY GROUPING(dept), dept NULLS FIRST;
-- name: grouping_in_filter_error
-- error: 42803
SELECT sum(sum(salary)) FILTER (WHERE GROUPING(dept) = 0) OVER () FROM emp GROUP BY ROLLUP (dept);
-- name: rollup_window_rank
SELECT status, count(*), rank() OVER (PARTITION BY GROUPING(status) ORDER BY count(*) DESC) FROM orders GROUP BY ROLLUP (status) ORDER BY GROUPING(status), status;
-- name: cube_string_agg
SELECT dept, string_agg(name, ',' ORDER BY name) FROM emp WHERE id <= 6 GROUP BY CUBE (dept) ORDER BY dept NULLS LAST;
-- name: grouping_sets_with_distinct
SELECT DISTINCT grp FROM series GROUP BY GROUPING SETS ((grp), (grp, flag)) ORDER BY grp;
-- name: grouping_sets_distinct_keyword
SELECT grp, flag, count(*) FROM series GROUP BY DISTINCT ROLLUP (grp, flag), ROLLUP (grp) ORDER BY 1 NULLS LAST, 2 NULLS LAST;
-- name: grouping_sets_typed_null_columns
SELECT pg_typeof(grp), pg_typeof(flag) FROM series GROUP BY CUBE (grp, flag) ORDER BY grp NULLS FIRST, flag NULLS FIRST LIMIT 1;
-- name: rollup_bi_sales
SELECT c.country, p.category, sum(oi.quantity * oi.unit_price) AS revenue FROM order_items oi JOIN orders o ON o.id = oi.order_id JOIN customers c ON c.id = o.customer_id JOIN products p ON p.id = oi.product_id GROUP BY ROLLUP (c.country, p.category) ORDER BY 1 NULLS LAST, 2 NULLS LAST;
-- name: cube_counts_by_year_channel
SELECT extract(year FROM ordered_at) AS y, channel, count(*) FROM orders GROUP BY CUBE (1, 2) ORDER BY 1 NULLS LAST, 2 NULLS LAST, 3;
-- name: grouping_sets_distinct_cube_rollup
SELECT grp, flag, GROUPING(grp, flag), count(*) FROM series GROUP BY DISTINCT CUBE (grp, flag), ROLLUP (flag, grp) ORDER BY 3, 1 NULLS LAST, 2 NULLS LAST;
-- name: grouping_sets_all_keeps_duplicates
SELECT grp, count(*) FROM series GROUP BY ALL ROLLUP (grp), ROLLUP (grp) ORDER BY 1 NULLS LAST, 2;
-- name: grouping_sets_distinct_reordered_sets
SELECT grp, flag, count(*) FROM series GROUP BY DISTINCT GROUPING SETS ((grp, flag), (flag, grp), (), ()) ORDER BY 1 NULLS LAST, 2 NULLS LAST;
-- name: group_by_distinct_plain
SELECT grp, count(*) FROM series GROUP BY DISTINCT grp, grp ORDER BY 1;
