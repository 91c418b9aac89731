-- A small upstream database for the quickstart (it replaces a database
-- named hotdata_demo if there is one):
--   psql -h 127.0.0.1 -U postgres -f testdata/shop.sql
DROP DATABASE IF EXISTS hotdata_demo;
CREATE DATABASE hotdata_demo;
\connect hotdata_demo

CREATE TABLE customers (
    id         integer PRIMARY KEY,
    name       text NOT NULL,
    country    text,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE orders (
    id          bigint PRIMARY KEY,
    customer_id integer REFERENCES customers (id),
    status      text NOT NULL,
    total       numeric(12,2) NOT NULL,
    paid        boolean NOT NULL DEFAULT false,
    ordered_at  timestamptz NOT NULL
);

INSERT INTO customers (id, name, country)
SELECT i, 'customer ' || i, (ARRAY['FR', 'DE', 'US', 'JP', NULL])[1 + i % 5]
FROM generate_series(1, 100) AS i;

INSERT INTO orders (id, customer_id, status, total, paid, ordered_at)
SELECT i,
       1 + i % 100,
       (ARRAY['new', 'paid', 'shipped', 'returned'])[1 + i % 4],
       round((i % 997) * 1.37 + 5, 2),
       i % 4 <> 0,
       timestamptz '2025-01-01 00:00:00+00' + (i || ' minutes')::interval
FROM generate_series(1, 10000) AS i;

ANALYZE;
