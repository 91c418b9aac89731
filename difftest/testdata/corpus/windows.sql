-- Window functions: ranking, offsets, value functions, frames (ROWS,
-- RANGE, GROUPS with offsets, EXCLUDE), named windows, aggregates as
-- windows. Every window ORDER BY that matters is total, or the result
-- does not depend on the order among peers.

-- name: row_number_basic
SELECT id, name, row_number() OVER (ORDER BY id) FROM emp ORDER BY id;
-- name: row_number_partition
SELECT id, dept, row_number() OVER (PARTITION BY dept ORDER BY salary DESC NULLS LAST, id) FROM emp ORDER BY id;
-- name: rank_dense_rank_ties
SELECT id, salary, rank() OVER w, dense_rank() OVER w, row_number() OVER (ORDER BY salary DESC NULLS LAST, id) FROM emp WINDOW w AS (ORDER BY salary DESC NULLS LAST) ORDER BY id;
-- name: rank_nulls_first
SELECT id, rating, rank() OVER (ORDER BY rating NULLS FIRST), dense_rank() OVER (ORDER BY rating DESC) FROM emp ORDER BY id;
-- name: percent_rank_cume_dist
SELECT id, salary, percent_rank() OVER (ORDER BY salary), cume_dist() OVER (ORDER BY salary) FROM emp ORDER BY id;
-- name: percent_rank_partition
SELECT id, dept, percent_rank() OVER (PARTITION BY dept ORDER BY rating), cume_dist() OVER (PARTITION BY dept ORDER BY rating) FROM emp ORDER BY id;
-- name: ranking_types
SELECT pg_typeof(row_number() OVER ()), pg_typeof(rank() OVER ()), pg_typeof(percent_rank() OVER ()), pg_typeof(cume_dist() OVER ()), pg_typeof(ntile(2) OVER ()) FROM emp LIMIT 1;
-- name: ntile_values
SELECT id, ntile(4) OVER (ORDER BY id), ntile(3) OVER (PARTITION BY dept ORDER BY id), ntile(20) OVER (ORDER BY id) FROM emp ORDER BY id;
-- name: ntile_zero
-- error: 22014
SELECT ntile(0) OVER (ORDER BY id) FROM emp;
-- name: ntile_null
SELECT id, ntile(NULL) OVER (ORDER BY id) FROM emp ORDER BY id;

-- name: lag_lead_default
SELECT id, lag(salary) OVER (ORDER BY id), lead(salary) OVER (ORDER BY id) FROM emp ORDER BY id;
-- name: lag_lead_offsets
SELECT id, lag(name, 2) OVER (ORDER BY id), lead(name, 3) OVER (ORDER BY id), lag(name, 0) OVER (ORDER BY id) FROM emp ORDER BY id;
-- name: lag_lead_defaults
SELECT id, lag(salary, 1, 0) OVER (ORDER BY id), lead(rating, 1, -1::int2) OVER (ORDER BY id), lag(name, 1, 'none') OVER (PARTITION BY dept ORDER BY id) FROM emp ORDER BY id;
-- name: lag_negative_offset
SELECT id, lag(id, -1) OVER (ORDER BY id), lead(id, -2) OVER (ORDER BY id) FROM emp ORDER BY id;
-- name: lag_default_type
SELECT id, lag(salary, 1, 0.5) OVER (ORDER BY id), pg_typeof(lag(salary, 1, 0.5) OVER (ORDER BY id)) FROM emp ORDER BY id;
-- name: lag_partition_dates
SELECT id, hired, hired - lag(hired) OVER (PARTITION BY dept ORDER BY hired, id) AS gap FROM emp ORDER BY id;
-- name: lag_null_offset
SELECT id, lag(id, NULL) OVER (ORDER BY id) FROM emp ORDER BY id;
-- name: lag_series_delta
SELECT id, x - lag(x) OVER (ORDER BY id) AS dx FROM series WHERE id <= 20 ORDER BY id;

-- name: first_last_value_default_frame
SELECT id, first_value(name) OVER (ORDER BY id), last_value(name) OVER (ORDER BY id) FROM emp ORDER BY id;
-- name: first_last_value_full_frame
SELECT id, first_value(name) OVER w, last_value(name) OVER w FROM emp WINDOW w AS (PARTITION BY dept ORDER BY id ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) ORDER BY id;
-- name: last_value_with_peers
SELECT id, salary, max(id) OVER (ORDER BY salary NULLS LAST), count(*) OVER (ORDER BY salary NULLS LAST), min(id) OVER (ORDER BY salary DESC NULLS LAST RANGE BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING) FROM emp ORDER BY id;
-- name: nth_value_values
SELECT id, nth_value(name, 2) OVER (ORDER BY id), nth_value(name, 2) OVER (ORDER BY id ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING), nth_value(name, 99) OVER () FROM emp ORDER BY id;
-- name: nth_value_zero
-- error: 22016
SELECT nth_value(name, 0) OVER (ORDER BY id) FROM emp;
-- name: first_value_nulls
SELECT id, first_value(bonus) OVER (ORDER BY bonus NULLS FIRST, id), last_value(bonus) OVER (ORDER BY id ROWS BETWEEN CURRENT ROW AND 1 FOLLOWING) FROM emp ORDER BY id;

-- name: running_sum
SELECT id, salary, sum(salary) OVER (ORDER BY id) FROM emp ORDER BY id;
-- name: running_sum_peers
SELECT id, rating, sum(id) OVER (ORDER BY rating NULLS LAST), count(*) OVER (ORDER BY rating NULLS LAST) FROM emp ORDER BY id;
-- name: partition_totals
SELECT id, dept, salary, sum(salary) OVER (PARTITION BY dept), avg(salary) OVER (PARTITION BY dept), count(*) OVER (PARTITION BY dept) FROM emp ORDER BY id;
-- name: window_aggregate_types
SELECT id, sum(id) OVER (), avg(id) OVER (), pg_typeof(sum(id) OVER ()), pg_typeof(avg(id) OVER ()) FROM emp ORDER BY id;
-- name: window_min_max
SELECT id, min(salary) OVER (PARTITION BY dept), max(hired) OVER (PARTITION BY dept), min(name) OVER () FROM emp ORDER BY id;
-- name: window_whole_table
SELECT id, count(*) OVER (), sum(salary) OVER (), max(salary) OVER () - salary FROM emp ORDER BY id;
-- name: window_string_agg
SELECT id, string_agg(name, ',') OVER (ORDER BY id ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING) FROM emp ORDER BY id;
-- name: window_array_agg
SELECT id, array_agg(id) OVER (PARTITION BY dept ORDER BY id) FROM emp ORDER BY id;
-- name: window_bool_and
SELECT id, bool_and(rating >= 3) OVER (PARTITION BY dept ORDER BY id) FROM emp ORDER BY id;
-- name: window_count_distinct_error
-- error: 0A000
SELECT count(DISTINCT dept) OVER () FROM emp;
-- name: window_filter
SELECT id, count(*) FILTER (WHERE rating >= 4) OVER (ORDER BY id), sum(salary) FILTER (WHERE dept = 'eng') OVER () FROM emp ORDER BY id;

-- name: rows_frame_offsets
SELECT id, sum(id) OVER (ORDER BY id ROWS BETWEEN 2 PRECEDING AND CURRENT ROW), sum(id) OVER (ORDER BY id ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING), sum(id) OVER (ORDER BY id ROWS 3 PRECEDING) FROM emp ORDER BY id;
-- name: rows_frame_following_only
SELECT id, sum(id) OVER (ORDER BY id ROWS BETWEEN 1 FOLLOWING AND 3 FOLLOWING), count(*) OVER (ORDER BY id ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING) FROM emp ORDER BY id;
-- name: rows_frame_empty
SELECT id, sum(id) OVER (ORDER BY id ROWS BETWEEN 3 PRECEDING AND 2 PRECEDING), count(id) OVER (ORDER BY id ROWS BETWEEN 5 FOLLOWING AND 10 FOLLOWING) FROM emp ORDER BY id;
-- name: moving_average
SELECT id, x, avg(x) OVER (ORDER BY id ROWS BETWEEN 6 PRECEDING AND CURRENT ROW) AS ma7 FROM series WHERE id <= 30 ORDER BY id;
-- name: range_frame_numeric_offset
SELECT id, salary, count(*) OVER (ORDER BY salary RANGE BETWEEN 10000 PRECEDING AND 10000 FOLLOWING), sum(salary) OVER (ORDER BY salary RANGE BETWEEN 5000 PRECEDING AND CURRENT ROW) FROM emp ORDER BY id;
-- name: range_frame_date_offset
SELECT id, hired, count(*) OVER (ORDER BY hired RANGE BETWEEN INTERVAL '2 years' PRECEDING AND CURRENT ROW) FROM emp ORDER BY id;
-- name: range_frame_timestamptz_offset
SELECT id, count(*) OVER (ORDER BY ts RANGE BETWEEN INTERVAL '1 hour' PRECEDING AND CURRENT ROW), sum(x) OVER (ORDER BY ts RANGE BETWEEN INTERVAL '30 minutes' PRECEDING AND INTERVAL '30 minutes' FOLLOWING) FROM series WHERE id <= 40 ORDER BY id;
-- name: range_frame_desc
SELECT id, rating, sum(id) OVER (ORDER BY rating DESC RANGE BETWEEN 1 PRECEDING AND CURRENT ROW) FROM emp ORDER BY id;
-- name: range_frame_float_offset
SELECT id, x, count(*) OVER (ORDER BY x RANGE BETWEEN 1.5 PRECEDING AND 0.5 FOLLOWING) FROM series WHERE id <= 25 ORDER BY id;
-- name: range_offset_nulls
SELECT id, bonus, count(*) OVER (ORDER BY bonus NULLS FIRST RANGE BETWEEN 1000 PRECEDING AND 1000 FOLLOWING) FROM emp ORDER BY id;
-- name: range_offset_needs_order
-- error: 42P20
SELECT sum(id) OVER (RANGE BETWEEN 1 PRECEDING AND CURRENT ROW) FROM emp;
-- name: range_offset_negative
-- error: 22013
SELECT sum(id) OVER (ORDER BY id RANGE BETWEEN -1 PRECEDING AND CURRENT ROW) FROM emp;
-- name: groups_frame
SELECT id, rating, sum(id) OVER (ORDER BY rating NULLS LAST GROUPS BETWEEN 1 PRECEDING AND CURRENT ROW), count(*) OVER (ORDER BY rating NULLS LAST GROUPS BETWEEN CURRENT ROW AND 1 FOLLOWING) FROM emp ORDER BY id;
-- name: groups_frame_salary
SELECT id, salary, sum(id) OVER (ORDER BY salary NULLS FIRST GROUPS BETWEEN 1 PRECEDING AND 1 FOLLOWING), count(*) OVER (ORDER BY salary NULLS FIRST GROUPS BETWEEN 2 PRECEDING AND 1 PRECEDING) FROM emp ORDER BY id;
-- name: exclude_current_row
SELECT id, sum(id) OVER (ORDER BY id ROWS BETWEEN 2 PRECEDING AND 2 FOLLOWING EXCLUDE CURRENT ROW) FROM emp ORDER BY id;
-- name: exclude_group_ties
SELECT id, rating, count(*) OVER (ORDER BY rating RANGE BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING EXCLUDE GROUP), count(*) OVER (ORDER BY rating RANGE BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING EXCLUDE TIES) FROM emp ORDER BY id;
-- name: exclude_no_others
SELECT id, sum(id) OVER (ORDER BY id ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING EXCLUDE NO OTHERS) FROM emp ORDER BY id;
-- name: exclude_with_first_value
SELECT id, first_value(id) OVER (ORDER BY id ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING EXCLUDE CURRENT ROW), last_value(id) OVER (ORDER BY id ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING EXCLUDE CURRENT ROW) FROM emp ORDER BY id;
-- name: frame_start_after_end_error
-- error: 42P20
SELECT sum(id) OVER (ORDER BY id ROWS BETWEEN CURRENT ROW AND 1 PRECEDING) FROM emp;
-- name: frame_unbounded_following_start_error
-- error: 42P20
SELECT sum(id) OVER (ORDER BY id ROWS BETWEEN UNBOUNDED FOLLOWING AND CURRENT ROW) FROM emp;

-- name: named_windows
SELECT id, sum(salary) OVER w, rank() OVER w, avg(salary) OVER (w ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) FROM emp WINDOW w AS (PARTITION BY dept ORDER BY id) ORDER BY id;
-- name: named_window_chain
SELECT id, count(*) OVER w2 FROM emp WINDOW w1 AS (PARTITION BY dept), w2 AS (w1 ORDER BY id) ORDER BY id;
-- name: named_window_override_order_error
-- error: 42P20
SELECT id, count(*) OVER (w ORDER BY name) FROM emp WINDOW w AS (ORDER BY id);
-- name: window_in_expression
SELECT id, salary, round(100.0 * salary / sum(salary) OVER (), 2) AS pct, salary - avg(salary) OVER (PARTITION BY dept) AS diff FROM emp ORDER BY id;
-- name: window_over_aggregate
SELECT dept, sum(salary), rank() OVER (ORDER BY sum(salary) DESC NULLS LAST), sum(sum(salary)) OVER () FROM emp GROUP BY dept ORDER BY dept NULLS LAST;
-- name: window_over_group_count
SELECT grp, count(*), sum(count(*)) OVER (ORDER BY grp) FROM series GROUP BY grp ORDER BY grp;
-- name: window_in_where_error
-- error: 42P20
SELECT id FROM emp WHERE row_number() OVER () = 1;
-- name: window_nested_error
-- error: 42P20
SELECT sum(row_number() OVER ()) OVER () FROM emp;
-- name: window_filter_in_subquery
SELECT id, name FROM (SELECT id, name, row_number() OVER (PARTITION BY dept ORDER BY salary DESC NULLS LAST, id) AS rn FROM emp) s WHERE rn = 1 ORDER BY id;
-- name: window_order_by_expression
SELECT id, row_number() OVER (ORDER BY length(name), name) FROM emp ORDER BY id;
-- name: window_partition_by_expression
SELECT id, count(*) OVER (PARTITION BY extract(year FROM hired) > 2018) FROM emp ORDER BY id;
-- name: window_partition_nulls
SELECT id, dept, count(*) OVER (PARTITION BY dept), rank() OVER (PARTITION BY dept ORDER BY id) FROM emp ORDER BY id;
-- name: window_empty_over
SELECT id, count(*) OVER (), row_number() OVER () > 0 FROM emp ORDER BY id;
-- name: window_over_series_large
SELECT grp, sum(x) FILTER (WHERE rn <= 3) FROM (SELECT grp, x, row_number() OVER (PARTITION BY grp ORDER BY x DESC, id) AS rn FROM series) s GROUP BY grp ORDER BY grp;
-- name: window_running_count_large
SELECT id, count(*) OVER (ORDER BY id), sum(g) OVER (ORDER BY id) FROM series WHERE id % 500 = 0 ORDER BY id;
-- name: window_running_total_series
SELECT d, daily, sum(daily) OVER (ORDER BY d) FROM (SELECT d, sum(n) AS daily FROM series GROUP BY d) s WHERE d < DATE '2024-01-15' ORDER BY d;
-- name: window_lag_by_group_dates
SELECT customer_id, id, order_date, order_date - lag(order_date) OVER (PARTITION BY customer_id ORDER BY order_date, id) AS days_since FROM orders WHERE customer_id IN (1, 2, 3) ORDER BY customer_id, order_date, id;
-- name: window_row_number_no_order_count
SELECT count(DISTINCT rn) FROM (SELECT row_number() OVER () AS rn FROM series) s;
-- name: window_cume_dist_series
SELECT g, cume_dist() OVER (ORDER BY g) FROM (SELECT DISTINCT g FROM series WHERE g < 10) s ORDER BY g;
-- name: window_float_running_sum
SELECT id, sum(x) OVER (ORDER BY id), avg(y) OVER (ORDER BY id ROWS 2 PRECEDING) FROM series WHERE id <= 15 ORDER BY id;
-- name: window_numeric_running_avg
SELECT id, avg(n) OVER (ORDER BY id), sum(n) OVER (ORDER BY id ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) FROM series WHERE id <= 15 ORDER BY id;
-- name: window_stddev
SELECT id, stddev(salary) OVER (PARTITION BY dept), var_pop(rating) OVER (PARTITION BY dept) FROM emp ORDER BY id;
-- name: window_percentile_not_allowed
-- error: 0A000
SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY salary) OVER () FROM emp;
-- name: window_ranking_args_error
-- error: 42809
SELECT rank(1) OVER (ORDER BY id) FROM emp;
-- name: window_lead_bad_arg_type
-- error: 42883
SELECT lead(id, 'x'::text) OVER (ORDER BY id) FROM emp;
-- name: window_distinct_on_top
SELECT DISTINCT ON (dept) dept, name, max(salary) OVER (PARTITION BY dept) FROM emp ORDER BY dept, salary DESC NULLS LAST, id;
-- name: window_top_n_per_group
SELECT category, name, revenue, rk FROM (SELECT p.category, p.name, sum(oi.quantity * oi.unit_price) AS revenue, rank() OVER (PARTITION BY p.category ORDER BY sum(oi.quantity * oi.unit_price) DESC) AS rk FROM order_items oi JOIN products p ON p.id = oi.product_id GROUP BY p.category, p.name) s WHERE rk <= 2 ORDER BY category, rk, name;
-- name: window_dense_rank_values
SELECT v, dense_rank() OVER (ORDER BY v), rank() OVER (ORDER BY v), percent_rank() OVER (ORDER BY v) FROM (VALUES (1), (1), (2), (3), (3), (3), (NULL)) t(v) ORDER BY v NULLS LAST;
-- name: window_ntile_uneven
SELECT v, ntile(3) OVER (ORDER BY v) FROM generate_series(1, 10) v ORDER BY v;
-- name: window_frame_on_text_order
SELECT name, string_agg(name, '>') OVER (ORDER BY name ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) FROM emp ORDER BY name;
