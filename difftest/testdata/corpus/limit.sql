-- LIMIT / OFFSET / FETCH FIRST: with ORDER BY, WITH TIES, zero and NULL
-- limits, expressions, OFFSET past the end, in subqueries and set
-- operations.

-- name: limit_basic
SELECT id FROM emp ORDER BY id LIMIT 3;
-- name: limit_offset
SELECT id FROM emp ORDER BY id LIMIT 3 OFFSET 5;
-- name: offset_only
SELECT id FROM emp ORDER BY id OFFSET 12;
-- name: offset_past_end
SELECT id FROM emp ORDER BY id OFFSET 100;
-- name: limit_zero
SELECT id, name FROM emp ORDER BY id LIMIT 0;
-- name: limit_null
SELECT id FROM emp ORDER BY id LIMIT NULL;
-- name: limit_all
SELECT id FROM emp ORDER BY id LIMIT ALL OFFSET 13;
-- name: offset_null
SELECT id FROM emp ORDER BY id OFFSET NULL;
-- name: limit_expression
SELECT id FROM emp ORDER BY id LIMIT 2 + 1 OFFSET (SELECT count(*) FROM nn) - 6;
-- name: limit_numeric_rounds
SELECT id FROM emp ORDER BY id LIMIT 2.5;
-- name: limit_numeric_rounds_half
SELECT id FROM emp ORDER BY id LIMIT 1.5;
-- name: limit_bigint
SELECT id FROM emp ORDER BY id LIMIT 9223372036854775807;
-- name: limit_text_error
-- error: 22P02
SELECT id FROM emp LIMIT 'x';
-- name: limit_column_reference_error
-- error: 42P10
SELECT id FROM emp LIMIT id;
-- name: fetch_first
SELECT id FROM emp ORDER BY id FETCH FIRST 4 ROWS ONLY;
-- name: fetch_first_default_one
SELECT id FROM emp ORDER BY id FETCH FIRST ROW ONLY;
-- name: fetch_next_offset_rows
SELECT id FROM emp ORDER BY id OFFSET 2 ROWS FETCH NEXT 3 ROWS ONLY;
-- name: fetch_with_ties
-- unordered
SELECT id, salary FROM emp ORDER BY salary DESC NULLS LAST FETCH FIRST 3 ROWS WITH TIES;
-- name: fetch_with_ties_sorted_output
SELECT id, rating FROM (SELECT id, rating FROM emp ORDER BY rating DESC NULLS LAST FETCH FIRST 2 ROWS WITH TIES) t ORDER BY id;
-- name: fetch_with_ties_count
SELECT count(*) FROM (SELECT id FROM emp ORDER BY rating FETCH FIRST 1 ROW WITH TIES) t;
-- name: fetch_with_ties_no_order_error
-- error: 42601
SELECT id FROM emp FETCH FIRST 2 ROWS WITH TIES;
-- name: fetch_with_ties_offset
SELECT count(*) FROM (SELECT id FROM emp ORDER BY dept NULLS LAST OFFSET 1 FETCH FIRST 2 ROWS WITH TIES) t;
-- name: fetch_with_ties_offset_boundary
SELECT id, dept FROM (SELECT id, dept FROM emp ORDER BY dept NULLS LAST OFFSET 5 ROWS FETCH FIRST 1 ROW WITH TIES) t ORDER BY id;
-- name: fetch_with_ties_offset_group
SELECT id, rating FROM (SELECT id, rating FROM emp ORDER BY rating DESC NULLS LAST OFFSET 3 FETCH NEXT 2 ROWS WITH TIES) t ORDER BY id;
-- name: fetch_with_ties_two_keys
SELECT id, dept, salary FROM emp ORDER BY dept NULLS FIRST, salary DESC FETCH FIRST 4 ROWS WITH TIES;
-- name: fetch_with_ties_zero_rows
SELECT count(*) FROM (SELECT id FROM emp ORDER BY dept OFFSET 1 FETCH FIRST 0 ROWS WITH TIES) t;
-- name: fetch_with_ties_past_end
SELECT id FROM emp ORDER BY id OFFSET 14 FETCH FIRST 5 ROWS WITH TIES;
-- name: fetch_with_ties_grouped
SELECT dept, count(*) FROM emp GROUP BY dept ORDER BY count(*) DESC, dept FETCH FIRST 1 ROW WITH TIES;
-- name: fetch_with_ties_grouped_ties
SELECT d, n FROM (SELECT dept AS d, count(*) AS n FROM emp GROUP BY dept ORDER BY count(*) FETCH FIRST 2 ROWS WITH TIES) t ORDER BY d NULLS FIRST;
-- name: fetch_with_ties_window_column
SELECT id, rank() OVER (ORDER BY salary DESC NULLS LAST) FROM emp ORDER BY rating DESC NULLS LAST, id FETCH FIRST 2 ROWS WITH TIES;
-- name: fetch_with_ties_expression_count
SELECT id FROM (SELECT id FROM emp ORDER BY rating NULLS FIRST FETCH FIRST (1 + 1) ROWS WITH TIES) t ORDER BY id;
-- name: fetch_with_ties_correlated
SELECT e.id, (SELECT count(*) FROM (SELECT f.id FROM emp f WHERE f.dept = e.dept ORDER BY f.salary DESC FETCH FIRST 1 ROW WITH TIES) s) FROM emp e ORDER BY e.id;
-- name: fetch_with_ties_null_expression_count
SELECT count(*) FROM (SELECT id FROM emp ORDER BY dept FETCH FIRST (SELECT NULL::int) ROWS WITH TIES) t;
-- name: fetch_with_ties_null_count
-- error: 2201W
SELECT id FROM emp ORDER BY id FETCH FIRST NULL ROWS WITH TIES;
-- name: fetch_with_ties_negative_count
-- error: 2201W
SELECT id FROM emp ORDER BY id FETCH FIRST -1 ROWS WITH TIES;
-- name: fetch_percent_not_supported
-- error: 42601
SELECT id FROM emp ORDER BY id FETCH FIRST 10 PERCENT ROWS ONLY;
-- name: limit_top_n_total
SELECT customer_id, sum(total) AS spent FROM orders GROUP BY customer_id ORDER BY spent DESC NULLS LAST, customer_id LIMIT 5;
-- name: limit_in_subquery_in
SELECT count(*) FROM orders WHERE customer_id IN (SELECT id FROM customers ORDER BY id LIMIT 10);
-- name: limit_in_cte
WITH top AS (SELECT id, x FROM series ORDER BY x DESC, id LIMIT 5) SELECT id, x FROM top ORDER BY id;
-- name: limit_on_union
SELECT id FROM emp WHERE dept = 'eng' UNION ALL SELECT id FROM emp WHERE dept = 'ops' ORDER BY id LIMIT 4;
-- name: limit_with_distinct
SELECT DISTINCT dept FROM emp ORDER BY dept NULLS LAST LIMIT 2;
-- name: limit_with_group_by
SELECT grp, count(*) FROM series GROUP BY grp ORDER BY grp DESC LIMIT 2 OFFSET 1;
-- name: limit_with_window
SELECT id, sum(salary) OVER (ORDER BY id) FROM emp ORDER BY id LIMIT 3 OFFSET 3;
-- name: limit_without_order_count
SELECT count(*) FROM (SELECT id FROM series LIMIT 17) s;
-- name: limit_large_offset_series
SELECT id, x FROM series ORDER BY id OFFSET 9995;
-- name: limit_order_by_desc_nulls
SELECT id, bonus FROM emp ORDER BY bonus DESC, id LIMIT 4;
-- name: limit_with_ties_dates
SELECT order_date, count(*) FROM orders GROUP BY order_date ORDER BY count(*) DESC, order_date FETCH FIRST 3 ROWS ONLY;
-- name: limit_values
VALUES (3), (1), (2) ORDER BY 1 LIMIT 2;
-- name: limit_offset_fetch_syntax_mix
SELECT id FROM emp ORDER BY id OFFSET 1 ROW FETCH FIRST 1 ROW ONLY;
-- name: limit_fetch_zero
SELECT id FROM emp ORDER BY id FETCH FIRST 0 ROWS ONLY;
-- name: limit_lateral_per_group
SELECT s.grp, t.id FROM (VALUES ('a'), ('b')) s(grp), LATERAL (SELECT id FROM series WHERE series.grp = s.grp ORDER BY x DESC, id LIMIT 2) t ORDER BY s.grp, t.id;
