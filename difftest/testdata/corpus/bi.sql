-- BI and dashboard SQL: time bucketing (day, week, month) in several
-- time zones, percent of total, running totals, period-over-period,
-- cohorts, top-N per group, funnels with FILTER, and the quoted,
-- schema-qualified SQL that tools such as Metabase, Tableau, Looker and
-- Superset generate.

-- name: revenue_by_month
SELECT date_trunc('month', order_date) AS month, count(*) AS orders, sum(total) AS revenue FROM orders GROUP BY 1 ORDER BY 1;
-- name: revenue_by_week
SELECT date_trunc('week', order_date)::date AS week, sum(total) AS revenue FROM orders WHERE order_date < DATE '2023-04-01' GROUP BY 1 ORDER BY 1;
-- name: revenue_by_day_status
SELECT order_date, status, count(*) FROM orders WHERE order_date BETWEEN DATE '2023-06-01' AND DATE '2023-06-07' GROUP BY 1, 2 ORDER BY 1, 2;
-- name: revenue_by_quarter_year
SELECT extract(year FROM order_date) AS y, extract(quarter FROM order_date) AS q, sum(total) FROM orders GROUP BY 1, 2 ORDER BY 1, 2;
-- name: orders_by_hour_of_day
SELECT extract(hour FROM ordered_at) AS hour, count(*) FROM orders GROUP BY 1 ORDER BY 1;
-- name: orders_by_weekday
SELECT extract(isodow FROM order_date) AS dow, to_char(order_date, 'Dy') AS day, count(*), round(avg(total), 2) FROM orders GROUP BY 1, 2 ORDER BY 1;
-- name: percent_of_total_status
SELECT status, count(*) AS n, round(100.0 * count(*) / sum(count(*)) OVER (), 2) AS pct FROM orders GROUP BY status ORDER BY n DESC, status;
-- name: percent_of_total_revenue_country
SELECT c.country, sum(o.total) AS revenue, round(100 * sum(o.total) / sum(sum(o.total)) OVER (), 3) AS share FROM orders o JOIN customers c ON c.id = o.customer_id GROUP BY c.country ORDER BY revenue DESC;
-- name: percent_within_group
SELECT c.country, o.channel, count(*), round(100.0 * count(*) / sum(count(*)) OVER (PARTITION BY c.country), 1) AS pct_of_country FROM orders o JOIN customers c ON c.id = o.customer_id GROUP BY 1, 2 ORDER BY 1, 2 NULLS LAST;
-- name: running_total_by_month
SELECT month, revenue, sum(revenue) OVER (ORDER BY month) AS cumulative FROM (SELECT date_trunc('month', order_date) AS month, sum(total) AS revenue FROM orders GROUP BY 1) m ORDER BY month;
-- name: running_total_per_year
SELECT date_trunc('month', order_date) AS month, sum(sum(total)) OVER (PARTITION BY extract(year FROM order_date) ORDER BY date_trunc('month', order_date)) AS ytd FROM orders GROUP BY date_trunc('month', order_date), extract(year FROM order_date) ORDER BY 1;
-- name: month_over_month
SELECT month, revenue, revenue - lag(revenue) OVER (ORDER BY month) AS delta, round(100 * (revenue / lag(revenue) OVER (ORDER BY month) - 1), 2) AS growth_pct FROM (SELECT date_trunc('month', order_date) AS month, sum(total) AS revenue FROM orders GROUP BY 1) m ORDER BY month;
-- name: year_over_year_same_month
SELECT extract(month FROM order_date) AS m, sum(total) FILTER (WHERE extract(year FROM order_date) = 2023) AS y2023, sum(total) FILTER (WHERE extract(year FROM order_date) = 2024) AS y2024 FROM orders GROUP BY 1 ORDER BY 1;
-- name: moving_average_7d
SELECT order_date, daily, round(avg(daily) OVER (ORDER BY order_date ROWS BETWEEN 6 PRECEDING AND CURRENT ROW), 2) AS ma7 FROM (SELECT order_date, sum(total) AS daily FROM orders GROUP BY 1) d WHERE order_date < DATE '2023-02-01' ORDER BY order_date;
-- name: top_n_customers
SELECT c.id, c.name, sum(o.total) AS spent FROM customers c JOIN orders o ON o.customer_id = c.id GROUP BY c.id, c.name ORDER BY spent DESC NULLS LAST, c.id LIMIT 10;
-- name: top_n_products_per_category
SELECT category, name, units FROM (SELECT p.category, p.name, sum(i.quantity) AS units, row_number() OVER (PARTITION BY p.category ORDER BY sum(i.quantity) DESC, p.id) AS rn FROM order_items i JOIN products p ON p.id = i.product_id GROUP BY p.category, p.name, p.id) s WHERE rn <= 3 ORDER BY category, rn;
-- name: top_n_with_other_bucket
SELECT CASE WHEN rn <= 3 THEN country ELSE 'Other' END AS country, sum(revenue) FROM (SELECT c.country, sum(o.total) AS revenue, row_number() OVER (ORDER BY sum(o.total) DESC) AS rn FROM orders o JOIN customers c ON c.id = o.customer_id GROUP BY c.country) s GROUP BY 1 ORDER BY 2 DESC;
-- name: funnel_counts_filter
SELECT count(DISTINCT user_id) FILTER (WHERE event_name = 'visit') AS visits, count(DISTINCT user_id) FILTER (WHERE event_name = 'signup') AS signups, count(DISTINCT user_id) FILTER (WHERE event_name = 'add_to_cart') AS carts, count(DISTINCT user_id) FILTER (WHERE event_name = 'checkout') AS checkouts, count(DISTINCT user_id) FILTER (WHERE event_name = 'purchase') AS purchases FROM events;
-- name: funnel_by_week
SELECT date_trunc('week', occurred_at) AS week, count(*) FILTER (WHERE event_name = 'visit') AS visits, count(*) FILTER (WHERE event_name = 'purchase') AS purchases, round(100.0 * count(*) FILTER (WHERE event_name = 'purchase') / nullif(count(*) FILTER (WHERE event_name = 'visit'), 0), 2) AS conv FROM events WHERE occurred_at IS NOT NULL GROUP BY 1 ORDER BY 1;
-- name: funnel_step_conversion
WITH steps AS (SELECT event_name, count(DISTINCT user_id) AS users FROM events WHERE event_name IS NOT NULL GROUP BY event_name) SELECT event_name, users, round(100.0 * users / max(users) OVER (), 1) AS pct_of_top FROM steps ORDER BY users DESC, event_name;
-- name: cohort_by_signup_month
SELECT date_trunc('month', c.signup_date)::date AS cohort, date_trunc('month', o.order_date)::date AS month, count(DISTINCT c.id) AS active FROM customers c JOIN orders o ON o.customer_id = c.id WHERE c.signup_date < DATE '2022-07-01' AND o.order_date < DATE '2023-07-01' GROUP BY 1, 2 ORDER BY 1, 2;
-- name: cohort_retention_months
WITH first AS (SELECT customer_id, min(date_trunc('month', order_date)) AS first_month FROM orders GROUP BY customer_id), activity AS (SELECT DISTINCT customer_id, date_trunc('month', order_date) AS month FROM orders) SELECT f.first_month::date, (extract(year FROM age(a.month, f.first_month)) * 12 + extract(month FROM age(a.month, f.first_month)))::int AS months_since, count(*) FROM first f JOIN activity a USING (customer_id) WHERE f.first_month < DATE '2023-04-01' GROUP BY 1, 2 ORDER BY 1, 2;
-- name: customer_lifetime_value
SELECT c.segment, count(DISTINCT c.id) AS customers, round(sum(o.total) / count(DISTINCT c.id), 2) AS ltv FROM customers c LEFT JOIN orders o ON o.customer_id = c.id GROUP BY c.segment ORDER BY c.segment;
-- name: repeat_purchase_rate
SELECT round(100.0 * count(*) FILTER (WHERE n > 1) / count(*), 2) FROM (SELECT customer_id, count(*) AS n FROM orders GROUP BY customer_id) s;
-- name: days_between_orders
SELECT round(avg(gap), 3), max(gap), min(gap) FROM (SELECT order_date - lag(order_date) OVER (PARTITION BY customer_id ORDER BY order_date, id) AS gap FROM orders) s WHERE gap IS NOT NULL;
-- name: average_order_value_by_channel
SELECT coalesce(channel, '(unknown)') AS channel, count(*), round(avg(total), 2) AS aov, percentile_cont(0.5) WITHIN GROUP (ORDER BY total) AS median FROM orders GROUP BY 1 ORDER BY 1;
-- name: discount_impact
SELECT i.discount_pct, count(*), sum(i.quantity), round(sum(i.quantity * i.unit_price * (100 - i.discount_pct::numeric) / 100), 2) AS net FROM order_items i GROUP BY 1 ORDER BY 1;
-- name: margin_by_category
SELECT p.category, sum(i.quantity * i.unit_price) AS revenue, sum(i.quantity * p.cost) AS cost, round(sum(i.quantity * i.unit_price) - sum(i.quantity * p.cost)::numeric, 2) AS margin FROM order_items i JOIN products p ON p.id = i.product_id GROUP BY p.category ORDER BY p.category;
-- name: status_pivot
SELECT date_trunc('quarter', order_date)::date AS q, count(*) FILTER (WHERE status = 'delivered') AS delivered, count(*) FILTER (WHERE status = 'shipped') AS shipped, count(*) FILTER (WHERE status = 'returned') AS returned, count(*) FILTER (WHERE status = 'cancelled') AS cancelled FROM orders GROUP BY 1 ORDER BY 1;
-- name: histogram_order_totals
SELECT width_bucket(total, 0, 3000, 6) AS bucket, count(*), min(total), max(total) FROM orders GROUP BY 1 ORDER BY 1 NULLS LAST;
-- name: new_vs_returning
SELECT date_trunc('month', o.order_date)::date AS month, count(*) FILTER (WHERE o.order_date = f.first_date) AS new, count(*) FILTER (WHERE o.order_date > f.first_date) AS returning FROM orders o JOIN (SELECT customer_id, min(order_date) AS first_date FROM orders GROUP BY customer_id) f USING (customer_id) GROUP BY 1 ORDER BY 1;
-- name: kpi_single_row
SELECT count(*) AS orders, count(DISTINCT customer_id) AS customers, sum(total) AS revenue, round(avg(total), 2) AS aov, max(ordered_at) AS last_order FROM orders WHERE status <> 'cancelled';
-- name: kpi_filtered_date_range
SELECT count(*), sum(total) FROM orders WHERE ordered_at >= TIMESTAMPTZ '2023-07-01 00:00:00+00' AND ordered_at < TIMESTAMPTZ '2023-10-01 00:00:00+00';
-- name: event_value_by_page
SELECT props ->> 'page' AS page, count(*) FILTER (WHERE event_name = 'purchase') AS purchases, sum(value) AS revenue FROM events GROUP BY 1 ORDER BY 1 NULLS LAST;
-- name: active_users_daily
SELECT occurred_at::date AS day, count(DISTINCT user_id) FROM events WHERE occurred_at < TIMESTAMPTZ '2024-01-08 00:00+00' GROUP BY 1 ORDER BY 1;

-- name: metabase_style_month
SELECT CAST(date_trunc('month', "public"."orders"."ordered_at") AS timestamp) AS "ordered_at", count(*) AS "count" FROM "public"."orders" GROUP BY CAST(date_trunc('month', "public"."orders"."ordered_at") AS timestamp) ORDER BY CAST(date_trunc('month', "public"."orders"."ordered_at") AS timestamp) ASC;
-- name: metabase_style_filter_join
SELECT "public"."orders"."status" AS "status", "Customers"."country" AS "Customers__country", sum("public"."orders"."total") AS "sum" FROM "public"."orders" LEFT JOIN "public"."customers" "Customers" ON "public"."orders"."customer_id" = "Customers"."id" WHERE ("public"."orders"."ordered_at" >= timestamp with time zone '2023-01-01 00:00:00.000Z') AND ("public"."orders"."ordered_at" < timestamp with time zone '2023-04-01 00:00:00.000Z') GROUP BY "public"."orders"."status", "Customers"."country" ORDER BY "public"."orders"."status" ASC, "Customers"."country" ASC;
-- name: metabase_style_source_subquery
SELECT "source"."category" AS "category", "source"."count" AS "count" FROM (SELECT "public"."products"."category" AS "category", count(*) AS "count" FROM "public"."products" GROUP BY "public"."products"."category" ORDER BY "public"."products"."category" ASC) AS "source" ORDER BY "source"."count" DESC, "source"."category" ASC LIMIT 1048575;
-- name: metabase_style_week_of_year
SELECT (CAST(extract(week FROM ("public"."orders"."order_date" + INTERVAL '1 day')) AS integer)) AS "order_date", count(*) AS "count" FROM "public"."orders" WHERE "public"."orders"."order_date" < DATE '2023-03-01' GROUP BY 1 ORDER BY 1 ASC;
-- name: tableau_style_tdigest_like
SELECT CAST("orders"."status" AS TEXT) AS "status", SUM(CAST("orders"."total" AS NUMERIC)) AS "sum:total:ok", COUNT(DISTINCT "orders"."customer_id") AS "ctd:customer_id:ok" FROM "public"."orders" "orders" GROUP BY 1 ORDER BY 1;
-- name: tableau_style_date_parts
SELECT CAST(EXTRACT(YEAR FROM "orders"."order_date") AS BIGINT) AS "yr:order_date:ok", CAST(EXTRACT(MONTH FROM "orders"."order_date") AS BIGINT) AS "mn:order_date:ok", SUM(1) AS "cnt" FROM "public"."orders" "orders" GROUP BY 1, 2 ORDER BY 1, 2;
-- name: tableau_style_truncs
SELECT DATE_TRUNC('MONTH', CAST("orders"."order_date" AS TIMESTAMP WITHOUT TIME ZONE)) AS "tmn:order_date:ok", AVG(CAST("orders"."amount" AS DOUBLE PRECISION)) AS "avg:amount:ok" FROM "public"."orders" "orders" GROUP BY 1 ORDER BY 1;
-- name: looker_style_timezone_convert
SELECT TO_CHAR(DATE_TRUNC('day', (orders.ordered_at AT TIME ZONE 'UTC') AT TIME ZONE 'America/New_York'), 'YYYY-MM-DD') AS "orders.created_date", COUNT(*) AS "orders.count" FROM public.orders AS orders WHERE orders.ordered_at < TIMESTAMPTZ '2023-01-08 00:00+00' GROUP BY 1 ORDER BY 1 DESC LIMIT 500;
-- name: looker_style_tiers
SELECT CASE WHEN orders.total < 100.0 THEN '0' WHEN orders.total >= 100.0 AND orders.total < 500.0 THEN '1' WHEN orders.total >= 500.0 AND orders.total < 1000.0 THEN '2' WHEN orders.total >= 1000.0 THEN '3' ELSE '4' END AS "orders.total_tier__sort_", COUNT(*) AS "orders.count" FROM public.orders AS orders GROUP BY 1 ORDER BY 1;
-- name: looker_style_fanout_safe_sum
SELECT customers.country AS "customers.country", COALESCE(SUM(orders.total), 0) AS "orders.total_revenue", COUNT(DISTINCT orders.id) AS "orders.count" FROM public.customers AS customers LEFT JOIN public.orders AS orders ON customers.id = orders.customer_id GROUP BY 1 ORDER BY 2 DESC LIMIT 500;
-- name: superset_style_time_grain
SELECT DATE_TRUNC('week', ordered_at) AS __timestamp, SUM(total) AS "SUM(total)" FROM public.orders WHERE ordered_at >= TO_TIMESTAMP('2023-01-01 00:00:00.000000', 'YYYY-MM-DD HH24:MI:SS.US') AND ordered_at < TO_TIMESTAMP('2023-03-01 00:00:00.000000', 'YYYY-MM-DD HH24:MI:SS.US') GROUP BY DATE_TRUNC('week', ordered_at) LIMIT 50000;
-- name: superset_style_series_limit
SELECT channel AS channel, status AS status, COUNT(*) AS count FROM public.orders JOIN (SELECT channel AS channel__, COUNT(*) AS mme_inner__ FROM public.orders GROUP BY channel ORDER BY mme_inner__ DESC, channel__ LIMIT 2) AS anon_1 ON channel = channel__ GROUP BY channel, status ORDER BY count DESC, channel, status LIMIT 10000;
-- name: grafana_style_time_series
SELECT date_trunc('hour', ordered_at) AS "time", status AS metric, count(*) AS value FROM orders WHERE ordered_at BETWEEN '2023-05-01T00:00:00Z' AND '2023-05-03T00:00:00Z' GROUP BY 1, 2 ORDER BY 1, 2;
-- name: grafana_style_epoch_bucket
SELECT floor(extract(epoch FROM ordered_at) / 86400) * 86400 AS "time", count(*) AS value FROM orders WHERE ordered_at < TIMESTAMPTZ '2023-01-10 00:00+00' GROUP BY 1 ORDER BY 1;
-- name: powerbi_style_top_percent
SELECT "status", "C1" FROM (SELECT "status", count(1) AS "C1" FROM "public"."orders" GROUP BY "status") AS "ITBL" ORDER BY "C1" DESC, "status" LIMIT 1000001;
-- name: bi_null_bucket_labels
SELECT coalesce(city, 'Unknown') AS city, count(*) FROM customers GROUP BY 1 ORDER BY 2 DESC, 1;
-- name: bi_date_spine_fill_zero
SELECT d::date AS day, coalesce(x.n, 0) AS orders FROM generate_series(DATE '2023-02-01', DATE '2023-02-14', INTERVAL '1 day') d LEFT JOIN (SELECT order_date, count(*) AS n FROM orders GROUP BY order_date) x ON x.order_date = d::date ORDER BY 1;
-- name: bi_last_n_periods
SELECT date_trunc('month', order_date)::date AS month, sum(total) FROM orders WHERE order_date >= (SELECT max(order_date) FROM orders) - INTERVAL '6 months' GROUP BY 1 ORDER BY 1;
-- name: bi_rank_customers_by_segment
SELECT segment, id, spent, dense_rank() OVER (PARTITION BY segment ORDER BY spent DESC) FROM (SELECT c.segment, c.id, sum(o.total) AS spent FROM customers c JOIN orders o ON o.customer_id = c.id GROUP BY c.segment, c.id) s ORDER BY segment, 4, id LIMIT 20;
-- name: bi_pareto
SELECT count(*) FILTER (WHERE cum_share <= 0.8) AS customers_80pct, count(*) AS customers FROM (SELECT customer_id, sum(sum(total)) OVER (ORDER BY sum(total) DESC, customer_id) / sum(sum(total)) OVER () AS cum_share FROM orders GROUP BY customer_id) s;

-- setup: SET TimeZone = 'America/New_York'
-- name: ny_revenue_by_day
SELECT date_trunc('day', ordered_at) AS day, count(*), sum(total) FROM orders WHERE ordered_at >= '2023-03-10' AND ordered_at < '2023-03-16' GROUP BY 1 ORDER BY 1;
-- name: ny_revenue_by_week
SELECT date_trunc('week', ordered_at) AS week, sum(total) FROM orders WHERE ordered_at < '2023-04-01' GROUP BY 1 ORDER BY 1;
-- name: ny_revenue_by_month
SELECT date_trunc('month', ordered_at) AS month, count(*), sum(amount) FROM orders GROUP BY 1 ORDER BY 1;
-- name: ny_orders_by_hour_local
SELECT extract(hour FROM ordered_at) AS hour, count(*) FROM orders GROUP BY 1 ORDER BY 1;
-- name: ny_daily_active_users
SELECT ordered_at::date AS day, count(DISTINCT customer_id) FROM orders WHERE ordered_at < '2023-01-15' GROUP BY 1 ORDER BY 1;
-- name: ny_to_char_month_label
SELECT to_char(ordered_at, 'Mon YYYY') AS label, date_trunc('month', ordered_at) AS m, count(*) FROM orders GROUP BY 1, 2 ORDER BY 2;
-- name: ny_events_by_day
SELECT date_trunc('day', occurred_at) AS day, count(*) FILTER (WHERE event_name = 'purchase') FROM events WHERE occurred_at < '2024-01-10' GROUP BY 1 ORDER BY 1;
-- setup: SET TimeZone = 'Asia/Kolkata'
-- name: kolkata_revenue_by_day
SELECT date_trunc('day', ordered_at) AS day, count(*), sum(total) FROM orders WHERE ordered_at >= '2023-03-10' AND ordered_at < '2023-03-16' GROUP BY 1 ORDER BY 1;
-- name: kolkata_revenue_by_week
SELECT date_trunc('week', ordered_at) AS week, sum(total) FROM orders WHERE ordered_at < '2023-03-01' GROUP BY 1 ORDER BY 1;
-- name: kolkata_revenue_by_month
SELECT date_trunc('month', ordered_at)::date AS month, sum(total) FROM orders GROUP BY 1 ORDER BY 1;
-- name: kolkata_weekday_mix
SELECT to_char(ordered_at, 'ID Dy') AS day, count(*) FROM orders GROUP BY 1 ORDER BY 1;
-- setup: SET TimeZone = 'Australia/Lord_Howe'
-- name: lord_howe_revenue_by_day
SELECT date_trunc('day', ordered_at) AS day, count(*) FROM orders WHERE ordered_at >= '2023-03-30' AND ordered_at < '2023-04-05' GROUP BY 1 ORDER BY 1;
-- name: lord_howe_revenue_by_month
SELECT date_trunc('month', ordered_at) AS month, sum(total) FROM orders GROUP BY 1 ORDER BY 1;
-- setup: SET TimeZone = 'UTC'
-- setup: SET DateStyle = 'SQL, DMY'
-- name: sql_dmy_dashboard_dates
SELECT order_date, count(*) FROM orders WHERE order_date < '15/01/2023' GROUP BY 1 ORDER BY 1;
-- name: sql_dmy_month_buckets
SELECT date_trunc('month', ordered_at) AS m, count(*) FROM orders WHERE ordered_at < '01/04/2023' GROUP BY 1 ORDER BY 1;
