-- Aggregates: result types (sum(int4) is int8, sum(int8) numeric, avg of
-- integers numeric with PostgreSQL's scale), count/sum/avg/min/max over
-- every type, bool_and/or, every, statistics, ordered-set aggregates,
-- DISTINCT, FILTER, empty inputs, GROUP BY and HAVING. Float inputs are
-- exact binary fractions, so sums do not depend on the order of rows.

-- name: count_forms
SELECT count(*), count(1), count(y), count(n), count(DISTINCT g), count(DISTINCT grp) FROM series;
-- name: count_type
SELECT pg_typeof(count(*)), pg_typeof(count(DISTINCT g)) FROM series;
-- name: sum_int_types
SELECT sum(i2), sum(i4), sum(i8) FROM numbers WHERE id NOT IN (4, 5, 11);
-- name: sum_int_result_types
SELECT pg_typeof(sum(i2)), pg_typeof(sum(i4)), pg_typeof(sum(i8)), pg_typeof(sum(f4)), pg_typeof(sum(f8)), pg_typeof(sum(n)) FROM numbers;
-- name: sum_int4_large
SELECT sum(i4) FROM numbers WHERE id IN (4, 11);
-- name: sum_int8_large
SELECT sum(i8) FROM numbers WHERE id IN (4, 16, 11);
-- name: sum_series
SELECT sum(id), sum(g), sum(x), sum(y), sum(n) FROM series;
-- name: avg_int_types
SELECT avg(i2), avg(i4), avg(i8) FROM numbers WHERE id NOT IN (4, 5, 11);
-- name: avg_result_types
SELECT pg_typeof(avg(i2)), pg_typeof(avg(i4)), pg_typeof(avg(i8)), pg_typeof(avg(f4)), pg_typeof(avg(f8)), pg_typeof(avg(n)) FROM numbers WHERE id < 4;
-- name: avg_float_overflow
-- error: 22003
SELECT avg(f8) FROM numbers WHERE id IN (4, 16);
-- name: avg_series
SELECT avg(id), avg(g), avg(x), avg(y), avg(n) FROM series;
-- name: avg_scale_small
SELECT avg(v) FROM (VALUES (1), (2)) t(v);
-- name: avg_scale_thirds
SELECT avg(v) FROM (VALUES (1), (1), (2)) t(v);
-- name: avg_numeric_scales
SELECT avg(v) FROM (VALUES (1.5), (2.25), (3.125)) t(v);
-- name: avg_numeric_column
SELECT avg(n), avg(nb) FROM numbers WHERE id NOT IN (4, 5, 7);
-- name: avg_large_ints
SELECT avg(i8) FROM numbers WHERE id IN (4, 11, 16);
-- name: min_max_every_type_1
SELECT min(i2), max(i2), min(i4), max(i4), min(i8), max(i8), min(f4), max(f4) FROM numbers;
-- name: min_max_every_type_2
SELECT min(n), max(n), min(n0), max(n0), min(nb), max(nb) FROM numbers;
-- name: min_max_text
SELECT min(t), max(t), min(vc), max(vc), min(c), max(c), min(lang), max(lang) FROM texts;
-- name: min_max_misc
SELECT min(ip), max(ip), min(m), max(m), min(note), max(note) FROM misc;
-- name: min_uuid_missing
-- error: 42883
SELECT min(u) FROM misc;
-- name: min_max_bool_error
-- error: 42883
SELECT min(flag) FROM misc;
-- name: min_max_temporal
SELECT min(ts), max(ts), min(tstz), max(tstz), min(iv), max(iv), min(ttz), max(ttz) FROM temporal;
-- name: min_max_bytea_error
-- error: 42883
SELECT max(data) FROM misc;
-- name: min_max_types
SELECT pg_typeof(min(c)), pg_typeof(max(vc)), pg_typeof(min(n)), pg_typeof(max(i2)) FROM texts, numbers WHERE texts.id = 1 AND numbers.id = 1;
-- name: min_max_typmods
SELECT max(c), max(vc), max(n) FROM texts, numbers WHERE texts.id = 1 AND numbers.id = 2;
-- name: bool_aggs
SELECT bool_and(flag), bool_or(flag), every(flag), bool_and(flag) FILTER (WHERE id < 3) FROM misc;
-- name: bool_aggs_groups
SELECT grp, bool_and(flag), bool_or(flag), every(x > 0) FROM series GROUP BY grp ORDER BY grp;
-- name: bool_aggs_nulls
SELECT bool_and(a), bool_or(a), bool_and(b), bool_or(b), every(a OR b) FROM tri;
-- name: bit_aggs
SELECT bit_and(g), bit_or(g), bit_xor(g), bit_and(id) FILTER (WHERE id < 4) FROM series;

-- name: aggregates_empty_set
SELECT count(*), count(x), sum(x), avg(x), min(x), max(x), bool_and(flag), string_agg(grp, ','), array_agg(id) FROM series WHERE id < 0;
-- name: aggregates_empty_set_typed
SELECT sum(i4), sum(i8), avg(i4), sum(n), max(t) FROM numbers, texts WHERE false;
-- name: aggregates_empty_group
SELECT grp, count(*) FROM series WHERE id < 0 GROUP BY grp;
-- name: aggregates_all_null
SELECT count(y), sum(y), avg(y), min(y), max(y) FROM series WHERE y IS NULL;
-- name: aggregates_having_no_group
SELECT count(*) FROM series HAVING count(*) > 100000;
-- name: aggregate_over_constant
SELECT sum(1), count(NULL), sum(NULL::int), avg(2.5), max('x') FROM series;

-- name: stddev_variance_float
SELECT round(stddev(x)::numeric, 6), round(stddev_samp(x)::numeric, 6), round(stddev_pop(x)::numeric, 6), round(variance(x)::numeric, 4), round(var_samp(x)::numeric, 4), round(var_pop(x)::numeric, 4) FROM series;
-- name: stddev_variance_float_small
SELECT stddev(x), stddev_pop(x), variance(x), var_pop(x), stddev(y), var_samp(y) FROM series WHERE id <= 8;
-- name: stddev_variance_numeric
SELECT stddev(n), stddev_pop(n), variance(n), var_pop(n) FROM series;
-- name: stddev_variance_int
SELECT stddev(g), var_pop(g), stddev(id), variance(id) FROM series;
-- name: stddev_result_types
SELECT pg_typeof(stddev(g)), pg_typeof(stddev(x)), pg_typeof(stddev(s.n)), pg_typeof(variance(f4)) FROM series s, numbers WHERE numbers.id = 1;
-- name: stddev_single_row
SELECT stddev(x), stddev_pop(x), variance(x), var_pop(x) FROM series WHERE id = 1;
-- name: stddev_groups
SELECT grp, round(stddev(n), 6), round(variance(g), 6), round(stddev_pop(x)::numeric, 6) FROM series GROUP BY grp ORDER BY grp;
-- name: stddev_small_exact
SELECT stddev(v), variance(v), stddev_pop(v), var_pop(v) FROM (VALUES (1.0), (2.0), (3.0), (4.0)) t(v);
-- name: corr_covar
SELECT round(corr(x, y)::numeric, 8), round(covar_pop(x, y)::numeric, 4), round(covar_samp(x, y)::numeric, 4) FROM series;
-- name: regr_functions
SELECT round(regr_slope(y, x)::numeric, 8), round(regr_intercept(y, x)::numeric, 6), round(regr_r2(y, x)::numeric, 8), regr_count(y, x) FROM series;
-- name: regr_more
SELECT regr_avgx(y, x), regr_avgy(y, x), round(regr_sxx(y, x)::numeric, 2), round(regr_syy(y, x)::numeric, 2), round(regr_sxy(y, x)::numeric, 2) FROM series;
-- name: regr_small_float
SELECT regr_slope(y, x), regr_intercept(y, x), regr_sxx(y, x), covar_pop(x, y), corr(x, y) FROM series WHERE id <= 8;
-- name: regr_exact_line
SELECT regr_slope(y, x), regr_intercept(y, x), corr(y, x), regr_r2(y, x) FROM (VALUES (1.0::float8, 3.0::float8), (2, 5), (3, 7), (4, 9)) t(x, y);
-- name: corr_degenerate
SELECT corr(x, 1), covar_pop(x, x), regr_slope(1, x) FROM series WHERE id <= 10;
-- name: regr_groups
SELECT grp, regr_count(y, x), round(regr_slope(y, x)::numeric, 8) FROM series GROUP BY grp ORDER BY grp;

-- name: string_agg_ordered_group
SELECT dept, string_agg(name, ', ' ORDER BY hired) FROM emp GROUP BY dept ORDER BY dept NULLS LAST;
-- name: string_agg_order_by_other
SELECT string_agg(name, '' ORDER BY salary DESC NULLS LAST, id) FROM emp;
-- name: array_agg_order_multiple
SELECT array_agg(name ORDER BY dept NULLS FIRST, salary DESC, id) FROM emp;
-- name: distinct_aggregates
SELECT count(DISTINCT dept), sum(DISTINCT salary), avg(DISTINCT rating), string_agg(DISTINCT dept, ',' ORDER BY dept) FROM emp;
-- name: distinct_aggregates_multi
SELECT grp, count(DISTINCT g), count(DISTINCT d), sum(DISTINCT g) FROM series GROUP BY grp ORDER BY grp;
-- name: filter_clause
SELECT count(*) FILTER (WHERE flag), sum(x) FILTER (WHERE grp = 'a'), avg(n) FILTER (WHERE g < 10), max(d) FILTER (WHERE flag AND g = 0) FROM series;
-- name: filter_by_group
SELECT grp, count(*) FILTER (WHERE y > 0), count(*) FILTER (WHERE y IS NULL), sum(y) FILTER (WHERE y < 0) FROM series GROUP BY grp ORDER BY grp;
-- name: filter_with_distinct
SELECT count(DISTINCT g) FILTER (WHERE flag), array_agg(DISTINCT grp ORDER BY grp) FILTER (WHERE g = 1) FROM series;
-- name: filter_no_rows
SELECT count(*) FILTER (WHERE false), sum(x) FILTER (WHERE false) FROM series;

-- name: percentile_cont
SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY x), percentile_cont(0.25) WITHIN GROUP (ORDER BY y), percentile_cont(0.9) WITHIN GROUP (ORDER BY id) FROM series;
-- name: percentile_cont_array
SELECT percentile_cont(ARRAY[0, 0.25, 0.5, 0.75, 1]) WITHIN GROUP (ORDER BY salary) FROM emp;
-- name: percentile_cont_interval
SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY iv) FROM temporal WHERE id NOT IN (11, 12);
-- name: percentile_cont_types
SELECT pg_typeof(percentile_cont(0.5) WITHIN GROUP (ORDER BY salary)), pg_typeof(percentile_disc(0.5) WITHIN GROUP (ORDER BY salary)) FROM emp;
-- name: percentile_disc
SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY salary), percentile_disc(0.5) WITHIN GROUP (ORDER BY name), percentile_disc(0) WITHIN GROUP (ORDER BY hired), percentile_disc(1) WITHIN GROUP (ORDER BY rating) FROM emp;
-- name: percentile_disc_array
SELECT percentile_disc(ARRAY[0.1, 0.5, 0.9]) WITHIN GROUP (ORDER BY g) FROM series;
-- name: percentile_array_nulls_and_groups
SELECT dept, percentile_cont(ARRAY[NULL, 0.5, 1]) WITHIN GROUP (ORDER BY salary), percentile_disc(ARRAY[0, NULL]) WITHIN GROUP (ORDER BY name) FROM emp GROUP BY dept ORDER BY dept NULLS FIRST;
-- name: percentile_array_no_rows
SELECT percentile_cont(ARRAY[0.5]) WITHIN GROUP (ORDER BY salary), percentile_disc(ARRAY[0.5]) WITHIN GROUP (ORDER BY salary), percentile_cont(NULL::float8[]) WITHIN GROUP (ORDER BY salary) FROM emp WHERE false;
-- name: percentile_array_out_of_range
-- error: 22003
SELECT percentile_cont(ARRAY[0.5, 1.5]) WITHIN GROUP (ORDER BY salary) FROM emp;
-- name: percentile_array_interval
SELECT percentile_cont(ARRAY[0, 0.5, 1]) WITHIN GROUP (ORDER BY iv) FROM temporal WHERE id NOT IN (11, 12);
-- name: percentile_desc_order
SELECT percentile_cont(0.25) WITHIN GROUP (ORDER BY salary DESC), percentile_disc(0.25) WITHIN GROUP (ORDER BY salary DESC) FROM emp;
-- name: percentile_groups
SELECT grp, percentile_cont(0.5) WITHIN GROUP (ORDER BY n), percentile_disc(0.5) WITHIN GROUP (ORDER BY d) FROM series GROUP BY grp ORDER BY grp;
-- name: percentile_bad_fraction
-- error: 22003
SELECT percentile_cont(1.5) WITHIN GROUP (ORDER BY x) FROM series;
-- name: percentile_empty
SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY x), percentile_disc(0.5) WITHIN GROUP (ORDER BY x) FROM series WHERE false;
-- name: mode_aggregate
SELECT mode() WITHIN GROUP (ORDER BY rating), mode() WITHIN GROUP (ORDER BY dept) FROM emp;
-- name: mode_groups
SELECT status, mode() WITHIN GROUP (ORDER BY channel) FROM orders GROUP BY status ORDER BY status;
-- name: mode_ties_smallest
SELECT mode() WITHIN GROUP (ORDER BY v) FROM (VALUES (3), (1), (3), (1), (2)) t(v);
-- name: hypothetical_rank
SELECT rank(100000) WITHIN GROUP (ORDER BY salary), dense_rank(100000) WITHIN GROUP (ORDER BY salary), percent_rank(100000) WITHIN GROUP (ORDER BY salary), cume_dist(100000) WITHIN GROUP (ORDER BY salary) FROM emp;

-- name: group_by_position_alias
SELECT grp AS k, count(*) AS c FROM series GROUP BY 1 ORDER BY k;
-- name: group_by_expression
SELECT g % 10 AS bucket, count(*), sum(x) FROM series GROUP BY g % 10 ORDER BY bucket;
-- name: group_by_two_keys
SELECT grp, flag, count(*), min(id), max(id) FROM series GROUP BY grp, flag ORDER BY grp, flag;
-- name: group_by_nulls
SELECT dept, count(*), avg(salary) FROM emp GROUP BY dept ORDER BY dept NULLS FIRST;
-- name: group_by_null_key_numbers
SELECT y IS NULL AS missing, count(*) FROM series GROUP BY 1 ORDER BY 1;
-- name: group_by_date
SELECT date_trunc('month', d) AS month, count(*), sum(n) FROM series GROUP BY 1 ORDER BY 1;
-- name: group_by_bool
SELECT flag, count(*) FROM misc GROUP BY flag ORDER BY flag NULLS LAST;
-- name: group_by_float_keys
SELECT f8, count(*) FROM numbers GROUP BY f8 ORDER BY f8 NULLS LAST;
-- name: group_by_numeric_keys
SELECT nu, count(*) FROM numbers GROUP BY nu ORDER BY nu NULLS LAST;
-- name: group_by_text_collation
SELECT lower(name) AS k, count(*) FROM emp GROUP BY 1 ORDER BY 1;
-- name: group_by_enum
SELECT priority, count(*), sum(total) FROM orders GROUP BY priority ORDER BY priority;
-- name: group_by_uuid
SELECT u, count(*) FROM misc GROUP BY u ORDER BY u NULLS FIRST;
-- name: group_by_json_error
-- error: 42883
SELECT j, count(*) FROM docs GROUP BY j;
-- name: group_by_jsonb
SELECT jb ->> 'name' AS name, count(*) FROM docs GROUP BY 1 ORDER BY 1 NULLS FIRST;
-- name: group_by_primary_key_functional
SELECT e.id, e.name, count(o.id) FROM emp e LEFT JOIN emp o ON o.manager_id = e.id GROUP BY e.id ORDER BY e.id;
-- name: having_filters
SELECT grp, count(*) FROM series GROUP BY grp HAVING sum(x) > 1240000 ORDER BY grp;
-- name: having_alias_error
-- error: 42703
SELECT grp, count(*) AS c FROM series GROUP BY grp HAVING c > 1;
-- name: having_with_aggregate_not_selected
SELECT dept FROM emp GROUP BY dept HAVING max(rating) = 5 ORDER BY dept;
-- name: aggregate_in_where_error
-- error: 42803
SELECT id FROM emp WHERE count(*) > 1;
-- name: nested_aggregate_error
-- error: 42803
SELECT sum(count(*)) FROM emp;
-- name: ungrouped_column_error
-- error: 42803
SELECT dept, name, count(*) FROM emp GROUP BY dept;
-- name: aggregate_of_expression
SELECT sum(quantity * unit_price), sum(quantity * unit_price * (100 - discount_pct::numeric) / 100), avg(quantity)::numeric(10,4) FROM order_items;
-- name: aggregate_mixed_expression
SELECT count(*) * 2, sum(x) / count(*), max(x) - min(x), sum(g)::float8 / count(*) FROM series;
-- name: aggregate_case
SELECT sum(CASE WHEN flag THEN 1 ELSE 0 END), sum(CASE WHEN grp = 'a' THEN x END), count(CASE WHEN y < 0 THEN 1 END) FROM series;
-- name: count_distinct_multiple_columns
SELECT count(DISTINCT (grp, flag)), count(DISTINCT ROW(g, grp)) FROM series;
-- name: aggregate_order_by_ignored_for_sum
SELECT sum(x ORDER BY id DESC), count(g ORDER BY g) FROM series;
-- name: sum_numeric_precision
SELECT sum(unit_price), sum(quantity * unit_price), avg(unit_price), pg_typeof(sum(unit_price)) FROM order_items;
-- name: sum_float_exact
SELECT sum(amount), avg(amount), sum(discount_pct), avg(discount_pct) FROM orders JOIN order_items ON order_items.order_id = orders.id;
-- name: sum_float4_column
SELECT sum(weight_kg), avg(weight_kg), pg_typeof(sum(weight_kg)) FROM products;
-- name: sum_interval
SELECT sum(ordered_at - TIMESTAMPTZ '2023-01-01 00:00+00') FROM orders WHERE id <= 100;
-- name: sum_money
SELECT sum(total::money), pg_typeof(sum(total::money)) FROM orders WHERE id <= 50;
-- name: avg_interval_type
SELECT pg_typeof(avg(iv)), pg_typeof(sum(iv)) FROM temporal;
-- name: sum_text_error
-- error: 42883
SELECT sum(t) FROM texts;
-- name: avg_bool_error
-- error: 42883
SELECT avg(flag) FROM misc;
-- name: count_star_distinct_error
-- error: 42601
SELECT count(DISTINCT *) FROM emp;
-- name: aggregate_over_join_groups
SELECT c.country, count(DISTINCT o.customer_id), count(*), sum(o.total), round(avg(o.total), 2) FROM orders o JOIN customers c ON c.id = o.customer_id GROUP BY c.country ORDER BY c.country;
-- name: aggregate_big_groups
SELECT g, count(*), sum(x), min(y), max(y), avg(n) FROM series GROUP BY g ORDER BY g;
-- name: aggregate_many_groups
SELECT d, count(*), sum(x) FROM series GROUP BY d ORDER BY d;
-- name: avg_int_exact_scale_groups
SELECT grp, avg(g), avg(id) FROM series GROUP BY grp ORDER BY grp;
-- name: sum_int2_overflow_free
SELECT sum(v::int2), pg_typeof(sum(v::int2)) FROM generate_series(1, 1000) v;
-- name: sum_int4_overflow_free
SELECT sum(2147483647) FROM generate_series(1, 10);
-- name: count_large
SELECT count(*) FROM series a, series b WHERE a.id <= 1000 AND b.id <= 1000;
-- name: json_and_array_aggs_types
SELECT pg_typeof(array_agg(x)), pg_typeof(json_agg(x)), pg_typeof(string_agg(grp, '')) FROM series;
-- name: aggregate_in_subquery_select
SELECT (SELECT max(salary) FROM emp) - (SELECT min(salary) FROM emp);
-- name: aggregate_with_order_limit
SELECT grp, sum(x) AS s FROM series GROUP BY grp ORDER BY s DESC LIMIT 2;
-- name: aggregate_in_derived_table
SELECT count(*) FROM (SELECT string_agg(name, ',') FROM emp) s;
-- name: range_agg_simple
SELECT range_agg(int4range(g, g + 1)) FROM series WHERE id <= 5;

-- name: group_by_srf_alias
SELECT regexp_split_to_table(t, ' ') AS w, count(*) FROM texts GROUP BY w ORDER BY count(*) DESC, w;
-- name: group_by_srf_position
SELECT generate_series(1, id % 3), count(*) FROM texts GROUP BY 1 ORDER BY 1;
