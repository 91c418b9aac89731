-- The differential test's fixture (difftest/doc.go): loaded into a fresh
-- PostgreSQL database, which Hotdata reads as connection "src". Every
-- value is deterministic. Table names must stay unique in the workspace
-- and not shadow catalog names; floats that the corpus sums are exact
-- binary fractions (multiples of 1/4), so that a sum does not depend on
-- the order rows are added in.

CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');

-- numbers: every number type with its edge values.
CREATE TABLE numbers (
    id    int4 PRIMARY KEY,
    label text NOT NULL,
    i2    int2,
    i4    int4,
    i8    int8,
    f4    float4,
    f8    float8,
    n     numeric(12,4),
    nu    numeric,          -- unconstrained: every value keeps its own scale
    n0    numeric(10,0),
    nb    numeric(38,10)
);
INSERT INTO numbers VALUES
(1,  'zero',      0, 0, 0, 0, 0, 0, 0, 0, 0),
(2,  'small',     1, 7, 42, 1.5, 2.5, 1.5, 1.5, 2, 1.5),
(3,  'negative',  -3, -7, -42, -0.25, -2.5, -1.2345, -1.5, -2, -3.25),
(4,  'max',       32767, 2147483647, 9223372036854775807, 3.4028235e38, 1.7976931348623157e308,
                  99999999.9999, 999999.0, 9999999999, 9999999999999999999999999999.9999999999),
(5,  'min',       -32768, -2147483648, -9223372036854775808, -3.4028235e38, -1.7976931348623157e308,
                  -99999999.9999, 4500000, -9999999999, -9999999999999999999999999999.9999999999),
(6,  'tiny',      0, 1, 1, 1.4e-45, 4.9e-324, 0.0001, 0.000001, 0, 0.0000000001),
(7,  'nan',       NULL, NULL, NULL, 'NaN', 'NaN', 'NaN', 'NaN', 'NaN', 'NaN'),
(8,  'infinity',  NULL, NULL, NULL, 'Infinity', 'Infinity', NULL, 'Infinity', NULL, NULL),
(9,  '-infinity', NULL, NULL, NULL, '-Infinity', '-Infinity', NULL, '-Infinity', NULL, NULL),
(10, 'minus zero', 0, 0, 0, '-0', '-0', -0.0, -0.000, -0, -0.0),
(11, 'huge',      12345, 123456789, 1234567890123456789, 1e30, 1e300, 12345678.9012,
                  123456789012345678901234567890.123, 1234567890, 123456789012345678.0123456789),
(12, 'thirds',    2, 3, 10, 0.1, 0.1, 0.3333, 0.333333333333333333333, 1, 0.1),
(13, 'nulls',     NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
(14, 'halves',    5, 15, 25, 2.5, 0.5, 2.5, 2.50, 3, -2.5),
(15, 'mixed',     -5, -15, 100, -2.5, -0.5, -2.5, 0.00000000000000000001, -3, 0.5),
(16, 'round',     7, 100, 1000000, 1e6, 1e15, 1234.5678, 1e3, 1234, 0.123456789),
(17, 'odd',       -1, -1, -1, 7, 9, 7.7777, 7.77, 7, 7.7);

-- texts: character types with unicode, padding and empty strings.
CREATE TABLE texts (
    id   int4 PRIMARY KEY,
    t    text,
    vc   varchar(10),
    c    char(8),
    lang text
);
INSERT INTO texts VALUES
(1,  'hello', 'hello', 'hello', 'en'),
(2,  'Straße', 'Straße', 'straße', 'de'),
(3,  'café', 'Café', 'CAFÉ', 'fr'),
(4,  '😀 emoji', '😀', '😀x', 'emoji'),
(5,  '東京都', '東京', '北京', 'ja'),
(6,  'trailing  ', 'trail  ', 'ab  ', 'en'),
(7,  '', '', '', 'empty'),
(8,  NULL, NULL, NULL, NULL),
(9,  '  leading', ' lead', ' x', 'en'),
(10, 'MiXeD CaSe wOrDs', 'MiXeD', 'MiXeD', 'en'),
(11, 'a,b,,c', 'a,b', 'a,b', 'csv'),
(12, 'O''Reilly', 'it''s', 'q"uote', 'en'),
(13, E'tab\there', E'new\nline', E'cr\r', 'ctl'),
(14, 'ǅungla İstanbul', 'ΣΊΣΥΦΟΣ', 'ǆ', 'mixed'),
(15, 'back\slash 50%_off', '%_like', '50%', 'en'),
(16, 'the quick brown fox jumps over the lazy dog', 'quick', 'fox', 'en'),
(17, 'Zürich Ölçek ñandú', 'Ñ', 'ö', 'mixed'),
(18, 'UPPER', 'lower', 'Title', 'en');

-- misc: bool, bytea, uuid, inet, enum.
CREATE TABLE misc (
    id   int4 PRIMARY KEY,
    flag bool,
    data bytea,
    u    uuid,
    ip   inet,
    m    mood,
    note text
);
INSERT INTO misc VALUES
(1, true,  '\xdeadbeef', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '192.168.1.1', 'happy', 'first'),
(2, false, '\x', '00000000-0000-0000-0000-000000000000', '10.0.0.0/8', 'sad', ''),
(3, NULL,  NULL, NULL, NULL, NULL, NULL),
(4, true,  '\x00ff7f80', 'FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF', '::1', 'ok', 'ipv6'),
(5, false, 'abc\\''x', '123e4567-e89b-12d3-a456-426614174000', '2001:db8::/32', 'happy', 'escape'),
(6, true,  '\x0a0d09', '{123e4567-e89b-12d3-a456-426614174001}', '192.168.1.0/24', 'ok', 'braces'),
(7, false, convert_to('ß😀', 'UTF8'), 'b1b2c3d4e5f60718293a4b5c6d7e8f90', '255.255.255.255', 'sad', 'unicode');

-- temporal: every date/time type, with infinities, BC dates and the
-- instants around daylight-saving changes.
CREATE TABLE temporal (
    id    int4 PRIMARY KEY,
    label text NOT NULL,
    d     date,
    t     time,
    ttz   timetz,
    ts    timestamp,
    tstz  timestamptz,
    iv    interval
);
INSERT INTO temporal VALUES
(1,  'epoch',        '1970-01-01', '00:00:00', '00:00:00+00', '1970-01-01 00:00:00', '1970-01-01 00:00:00+00', '0'),
(2,  'leap day',     '2024-02-29', '23:59:59.999999', '23:59:59.999999+05:30', '2024-02-29 12:34:56.789', '2024-02-29 12:34:56.789+00', '1 year 2 mons 3 days 04:05:06.789'),
(3,  'y2k',          '2000-01-01', '12:00:00', '12:00:00-08', '2000-01-01 00:00:00', '1999-12-31 23:59:59.999999+00', '1 day'),
(4,  'ny before spring', '2024-03-10', '01:59:59', '01:59:59-05', '2024-03-10 01:59:59', '2024-03-10 06:59:59+00', '-1 days +02:00:00'),
(5,  'ny after spring',  '2024-03-10', '03:00:00', '03:00:00-04', '2024-03-10 03:00:00', '2024-03-10 07:00:00+00', '1 mon -1 days'),
(6,  'ny fall first',    '2024-11-03', '01:30:00', '01:30:00-04', '2024-11-03 01:30:00', '2024-11-03 05:30:00+00', '25:00:00'),
(7,  'ny fall second',   '2024-11-03', '01:30:00', '01:30:00-05', '2024-11-03 01:30:00', '2024-11-03 06:30:00+00', '36 days 30:00:00'),
(8,  'lord howe before', '2024-04-07', '01:45:00', '01:45:00+11', '2024-04-07 01:45:00', '2024-04-06 14:45:00+00', '-3 years -2 mons -1 days -04:05:06'),
(9,  'lord howe after',  '2024-04-07', '01:45:00', '01:45:00+10:30', '2024-04-07 01:45:00', '2024-04-06 15:15:00+00', '1 year -1 mons'),
(10, 'kolkata new year', '2024-01-01', '00:00:00', '00:00:00+05:30', '2023-12-31 23:59:59', '2023-12-31 18:30:00+00', '00:00:00.000001'),
(11, 'infinity',     'infinity', '24:00:00', '24:00:00+00', 'infinity', 'infinity', '178000000 years'),
(12, '-infinity',    '-infinity', '00:00:00.000001', '00:00:00.000001+14', '-infinity', '-infinity', '-178000000 years'),
(13, 'bc',           '0044-03-15 BC', '12:30:00', '12:30:00+01', '0001-01-01 00:00:00 BC', '0100-06-01 12:00:00+00 BC', '2000 years'),
(14, 'iso week 53',  '2020-12-31', '08:15:30', '08:15:30+02', '2021-01-03 10:00:00', '2021-01-04 00:00:00+00', '1 week'),
(15, 'iso year 2019', '2018-12-31', '17:45:00.5', '17:45:00.5-03', '2018-12-31 23:59:59.999999', '2019-12-30 12:00:00+00', '0.5 months'),
(16, 'nulls',        NULL, NULL, NULL, NULL, NULL, NULL),
(17, 'sunday',       '2023-01-01', '06:00:00', '06:00:00+00', '2023-01-01 06:00:00', '2023-01-01 06:00:00+00', '1.5 years'),
(18, 'micros',       '2024-06-15', '12:00:00.000001', '12:00:00.000001+00', '2024-06-15 12:00:00.000001', '2024-06-15 12:00:00.5+00', '-00:00:00.000001'),
(19, 'far future',   '9999-12-31', '23:59:59', '23:59:59-12', '2999-12-31 23:59:59', '2999-12-31 23:59:59+00', '100 years 11 mons 29 days 23:59:59'),
(20, 'old lmt',      '1850-06-01', '09:00:00', '09:00:00+05:53:28', '1850-06-01 09:00:00', '1850-06-01 09:00:00+00', '-1 mons +1 days -1:00:00');

-- docs: json keeps its text, jsonb normalizes (key order, duplicates).
CREATE TABLE docs (
    id int4 PRIMARY KEY,
    j  json,
    jb jsonb
);
INSERT INTO docs VALUES
(1,  '{"a": 1, "b": "two", "c": [1, 2, 3], "d": {"e": null}}', '{"a": 1, "b": "two", "c": [1, 2, 3], "d": {"e": null}}'),
(2,  '{"b": 1, "a": 2, "aa": 3}', '{"b": 1, "a": 2, "aa": 3}'),
(3,  '{"a": 1, "a": 2}', '{"a": 1, "a": 2}'),
(4,  '[1, "x", null, true, 1.50, 1e2, -0]', '[1, "x", null, true, 1.50, 1e2, -0]'),
(5,  '"just a string"', '"just a string"'),
(6,  '42', '42'),
(7,  'null', 'null'),
(8,  '{"nested": {"deep": {"deeper": [1, {"x": "y"}]}}, "arr": [[1, 2], [3, 4]]}', '{"nested": {"deep": {"deeper": [1, {"x": "y"}]}}, "arr": [[1, 2], [3, 4]]}'),
(9,  '{}', '[]'),
(10, NULL, NULL),
(11, '{"unicode": "ß é 😀 東京", "escaped": "line\nbreak \"q\" \u00e9 \t"}', '{"unicode": "ß é 😀 東京", "escaped": "line\nbreak \"q\" \u00e9 \t"}'),
(12, '{"num": 12345678901234567890.123456789, "neg": -0.0, "exp": 1.0E+10, "small": 1e-7}', '{"num": 12345678901234567890.123456789, "neg": -0.0, "exp": 1.0E+10, "small": 1e-7}'),
(13, '  { "spaces" :  true ,"x":[ 1 ,2 ] }  ', '  { "spaces" :  true ,"x":[ 1 ,2 ] }  '),
(14, '{"tags": ["red", "green"], "price": 9.99, "qty": 3, "active": true, "name": "widget"}', '{"tags": ["red", "green"], "price": 9.99, "qty": 3, "active": true, "name": "widget"}'),
(15, '[{"k": 1}, {"k": 2}, {"k": null}, {"j": 3}]', '[{"k": 1}, {"k": 2}, {"k": null}, {"j": 3}]'),
(16, '{"tags": ["blue"], "price": 19.5, "qty": 0, "active": false, "name": "gadget", "extra": {"color": "blue"}}', '{"tags": ["blue"], "price": 19.5, "qty": 0, "active": false, "name": "gadget", "extra": {"color": "blue"}}');

-- arrs: arrays with NULL elements, empty arrays, a lower bound other
-- than 1, a NaN numeric and infinite dates inside arrays.
CREATE TABLE arrs (
    id  int4 PRIMARY KEY,
    ia  int4[],
    ta  text[],
    na  numeric[],
    fa  float8[],
    ba  bool[],
    da  date[]
);
INSERT INTO arrs VALUES
(1, '{1,2,3}', '{a,b,c}', '{1.5,2.25,3}', '{1.5,-0.5}', '{t,f}', '{2024-01-01,2024-12-31}'),
(2, '{3,1,2,2}', '{"with space","quote\"d","comma,here",NULL}', '{10.10,0.001}', '{0.1,0.2}', '{t,NULL}', '{2000-02-29}'),
(3, '{}', '{}', '{}', '{}', '{}', '{}'),
(4, '{NULL,1}', '{NULL}', '{NULL}', '{NULL}', '{NULL}', '{NULL}'),
(5, NULL, NULL, NULL, NULL, NULL, NULL),
(6, '[0:2]={7,8,9}', '[0:1]={x,y}', '{-1}', '{1e300}', '{f}', '{1999-12-31}'),
(7, '{-2147483648,2147483647}', '{ß,é,😀,東京}', '{-0.5,1e-10,NaN}', '{NaN,Infinity,-Infinity,-0}', '{t,t}', '{0044-03-15 BC,infinity,-infinity}'),
(8, '{10,20,30,40,50}', '{x,y,z,x,""}', '{1,2,3,4,5}', '{1,2,3,4,5}', '{f,f,t}', '{2024-03-10,2024-11-03}');

-- matrix: two-dimensional arrays (apart, so that the other arrays can
-- be cached even if these cannot).
CREATE TABLE matrix (
    id  int4 PRIMARY KEY,
    m   int4[][],
    tm  text[][]
);
INSERT INTO matrix VALUES
(1, '{{1,2},{3,4}}', '{{a,b},{c,d}}'),
(2, '{{5,6,7}}', '{{"x y",NULL}}'),
(3, '{}', '{}'),
(4, '{{NULL,1},{2,NULL}}', '{{NULL}}'),
(5, NULL, NULL),
(6, '{{0,0},{0,0},{0,0}}', '{{ß,é},{😀,東京},{"",z}}'),
(7, '{{1,2,3},{4,5,6}}', '[0:0][1:2]={{p,q}}');

-- A star schema for BI queries: customers, products, orders, order_items.
CREATE TABLE customers (
    id           int4 PRIMARY KEY,
    name         text NOT NULL,
    email        text,
    country      text NOT NULL,
    city         text,
    segment      text NOT NULL,
    signup_date  date NOT NULL,
    created_at   timestamptz NOT NULL,
    credit_limit numeric(10,2),
    referred_by  int4
);
INSERT INTO customers
SELECT g,
       'Customer ' || g,
       CASE WHEN g % 17 = 0 THEN NULL ELSE 'c' || g || '@example.com' END,
       (ARRAY['US','DE','FR','IN','JP','BR','AU','GB'])[g % 8 + 1],
       CASE WHEN g % 23 = 0 THEN NULL ELSE (ARRAY['New York','Berlin','Paris','Mumbai','Tokyo','São Paulo','Sydney','London'])[g % 8 + 1] END,
       (ARRAY['consumer','corporate','home office'])[g % 3 + 1],
       date '2022-01-01' + (g * 37 % 900),
       timestamptz '2022-01-01 00:00:00+00' + (g * 37 % 900) * interval '1 day' + (g * 7919 % 86400) * interval '1 second',
       CASE WHEN g % 11 = 0 THEN NULL ELSE (g * 137 % 5000) * 10.00 END,
       CASE WHEN g > 10 AND g % 4 = 0 THEN g / 4 END
FROM generate_series(1, 200) g;

CREATE TABLE products (
    id          int4 PRIMARY KEY,
    sku         varchar(12) NOT NULL,
    name        text NOT NULL,
    category    text NOT NULL,
    subcategory text,
    list_price  numeric(10,2) NOT NULL,
    cost        float8,
    weight_kg   float4,
    active      bool NOT NULL,
    launched    date
);
INSERT INTO products
SELECT g,
       'SKU-' || lpad(g::text, 4, '0'),
       (ARRAY['Widget','Gadget','Chair','Desk','Pen','Paper','Robot','Puzzle','Novel','Atlas'])[g % 10 + 1] || ' ' || g,
       (ARRAY['Electronics','Furniture','Office Supplies','Toys','Books'])[g % 5 + 1],
       CASE WHEN g % 9 = 0 THEN NULL ELSE (ARRAY['Basic','Pro','Premium'])[g % 3 + 1] END,
       round((g * 737 % 50000) / 100.0 + 0.99, 2),
       (g * 3 % 200) + 0.25 * (g % 4),
       (g % 20) * 0.5,
       g % 7 <> 0,
       date '2020-01-01' + g * 29
FROM generate_series(1, 50) g;

CREATE TABLE orders (
    id          int4 PRIMARY KEY,
    customer_id int4 NOT NULL,
    order_date  date NOT NULL,
    ordered_at  timestamptz NOT NULL,
    status      text NOT NULL,
    channel     text,
    total       numeric(12,2),
    amount      float8,
    shipping    numeric(8,2),
    priority    mood
);
INSERT INTO orders
SELECT g,
       (g * 7919 % 190) + 1,
       (ts AT TIME ZONE 'America/New_York')::date,
       ts,
       CASE WHEN g % 10 < 5 THEN 'delivered' WHEN g % 10 < 7 THEN 'shipped' WHEN g % 10 = 7 THEN 'pending'
            WHEN g % 10 = 8 THEN 'cancelled' ELSE 'returned' END,
       CASE WHEN g % 53 = 0 THEN NULL ELSE (ARRAY['web','mobile','store','partner'])[g % 4 + 1] END,
       NULL,
       (g * 37 % 400) * 2.25,
       CASE WHEN g % 3 = 0 THEN 0 ELSE 4.99 + (g % 4) END,
       (ARRAY['sad','ok','happy'])[g % 3 + 1]::mood
FROM (SELECT g, timestamptz '2023-01-01 00:00:00+00' + (g * 7 % 730) * interval '1 day' + (g * 3571 % 86400) * interval '1 second' AS ts
      FROM generate_series(1, 2000) g) s;

CREATE TABLE order_items (
    order_id     int4 NOT NULL,
    line_no      int2 NOT NULL,
    product_id   int4 NOT NULL,
    quantity     int4 NOT NULL,
    unit_price   numeric(10,2) NOT NULL,
    discount_pct float4,
    PRIMARY KEY (order_id, line_no)
);
INSERT INTO order_items
SELECT o.id, l, p.id, (o.id + l) % 5 + 1, p.list_price, ((o.id + l) % 4) * 5
FROM orders o
CROSS JOIN LATERAL generate_series(1, o.id % 4 + 1) l
JOIN products p ON p.id = (o.id * 31 + l * 17) % 50 + 1;

UPDATE orders o SET total = s.total
FROM (SELECT order_id, sum(quantity * unit_price) AS total FROM order_items GROUP BY order_id) s
WHERE s.order_id = o.id AND o.id % 29 <> 0;

-- events: a table without a primary key, with duplicate rows.
CREATE TABLE events (
    user_id     int4,
    event_name  text,
    occurred_at timestamptz,
    props       jsonb,
    value       float8
);
INSERT INTO events
SELECT (g * 13 % 300) + 1,
       CASE WHEN g % 20 < 8 THEN 'visit' WHEN g % 20 < 13 THEN 'signup' WHEN g % 20 < 16 THEN 'add_to_cart'
            WHEN g % 20 < 18 THEN 'checkout' ELSE 'purchase' END,
       timestamptz '2024-01-01 00:00:00+00' + g * interval '37 minutes',
       jsonb_build_object('page', '/p/' || (g % 7), 'ref', CASE WHEN g % 3 = 0 THEN 'ads' END, 'n', g % 5),
       CASE WHEN g % 20 >= 18 THEN (g % 40) * 2.5 END
FROM generate_series(1, 5000) g;
INSERT INTO events SELECT * FROM events WHERE user_id <= 10;
INSERT INTO events VALUES (NULL, NULL, NULL, NULL, NULL), (NULL, 'visit', NULL, '{}', NULL);

-- series: 10,000 rows for aggregates and windows.
CREATE TABLE series (
    id   int4 PRIMARY KEY,
    g    int4 NOT NULL,
    grp  text NOT NULL,
    x    float8 NOT NULL,
    y    float8,
    n    numeric(10,2),
    d    date NOT NULL,
    ts   timestamptz NOT NULL,
    flag bool NOT NULL
);
INSERT INTO series
SELECT i,
       i % 100,
       (ARRAY['a','b','c','d'])[i % 4 + 1],
       (i % 1000) * 0.5,
       CASE WHEN i % 97 = 0 THEN NULL ELSE ((i * 7) % 1000) * 0.25 - 100 END,
       CASE WHEN i % 89 = 0 THEN NULL ELSE (i % 500) * 1.25 END,
       date '2024-01-01' + (i % 366),
       timestamptz '2024-01-01 00:00:00+00' + i * interval '17 minutes',
       i % 3 = 0
FROM generate_series(1, 10000) i;

-- emp: a small table with ties and NULLs for window functions and self
-- joins.
CREATE TABLE emp (
    id         int4 PRIMARY KEY,
    name       text NOT NULL,
    dept       text,
    salary     numeric(10,2),
    bonus      float8,
    manager_id int4,
    hired      date,
    rating     int2
);
INSERT INTO emp VALUES
(1,  'Alice',   'eng',   150000.00, 15000,  NULL, '2015-03-01', 5),
(2,  'Bob',     'eng',   120000.00, 12000,  1,    '2016-07-15', 4),
(3,  'Carol',   'eng',   120000.00, NULL,   1,    '2018-01-10', 4),
(4,  'Dan',     'eng',    95000.50, 5000.5, 2,    '2020-11-30', 3),
(5,  'Eve',     'sales',  90000.00, 20000,  1,    '2017-05-20', 5),
(6,  'Frank',   'sales',  75000.00, 7500,   5,    '2019-09-09', 3),
(7,  'Grace',   'sales',  75000.00, 7500,   5,    '2021-02-28', NULL),
(8,  'Heidi',   'hr',     68000.00, 0,      1,    '2016-12-31', 4),
(9,  'Ivan',    'hr',     NULL,     NULL,   8,    '2022-04-01', 2),
(10, 'Judy',    NULL,     50000.00, 1000,   NULL, '2023-08-15', NULL),
(11, 'Mallory', 'ops',    82000.25, 4100.25, 1,   '2014-06-30', 1),
(12, 'Niaj',    'ops',    82000.25, 4100.25, 11,  '2024-02-29', 3),
(13, 'Olivia',  'eng',   200000.00, 50000,  1,    '2012-01-01', 5),
(14, 'Peggy',   'sales', 110000.00, 25000,  5,    '2013-10-10', 4),
(15, 'Sybil',   'ops',    60000.00, NULL,   11,   '2020-02-29', 2);

-- tri: every combination of two nullable booleans (no primary key).
CREATE TABLE tri (a bool, b bool);
INSERT INTO tri VALUES (true, true), (true, false), (true, NULL), (false, true), (false, false),
                       (false, NULL), (NULL, true), (NULL, false), (NULL, NULL);

-- nn: integers and strings with NULLs for IN, NOT IN, COALESCE…
CREATE TABLE nn (
    id   int4 PRIMARY KEY,
    a    int4,
    b    int4,
    s    text,
    flag bool
);
INSERT INTO nn VALUES
(1, 1, 1, 'x', true), (2, 1, NULL, 'y', false), (3, NULL, 2, NULL, NULL), (4, 2, 2, '', true),
(5, 3, NULL, 'x', NULL), (6, NULL, NULL, NULL, false), (7, 4, 5, 'z', true), (8, 5, 4, 'Y', false);

-- nets: inet, cidr, money, bit strings and timetz with their edge values
-- (both address families, /0 and /32 masks, money's extremes, empty bit
-- strings, 24:00:00, zones at ±15:59, equal instants in other zones).
CREATE TABLE nets (
    id   int4 PRIMARY KEY,
    ip   inet,
    net  cidr,
    amt  money,
    flags bit(8),
    vb   varbit(16),
    tz   timetz,
    t    time
);
INSERT INTO nets VALUES
(1, '192.168.1.5/24', '192.168.1.0/24', '12.34', B'10101010', B'1', '10:00:00+02', '10:00:00'),
(2, '10.0.0.1', '10.0.0.0/8', '-1234567.89', B'00000000', B'', '23:59:59.999999-15:59', '23:59:59.999999'),
(3, '::1', '::/0', '0', B'11111111', B'1010101010101010', '00:00:00+15:59:59', '00:00:00'),
(4, '2001:db8::ff00:42:8329/64', '2001:db8::/32', '92233720368547758.07', B'00001111', B'0', '24:00:00-00', '24:00:00'),
(5, '::ffff:10.1.2.3', '::ffff:10.1.2.0/120', '-92233720368547758.08', B'11110000', B'111', '12:00:00+05:30', '12:00:00.5'),
(6, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
(7, '0.0.0.0/0', '0.0.0.0/0', '0.01', B'01010101', B'0000', '12:00:00+00', '12:00:00'),
(8, '255.255.255.255/31', '255.255.255.254/31', '1000', B'10000000', B'1', '11:00:00-01', '11:00:00'),
(9, '10.1.2.3/8', '10.0.0.0/16', '-0.01', B'00000001', B'01', '13:00:00+01', '13:00:00'),
(10, '192.168.1.5', '192.168.1.5/32', '1234.5', B'10101010', B'10', '13:00:00+01', '06:30:00.000001');

-- tickets: the upstream's own types. An enum whose sort order is not its
-- labels' alphabetical order, one whose name and labels need quoting,
-- arrays of enums, domains over integer, varchar(n), numeric(p,s) (NOT
-- NULL) and an enum. (ALTER TYPE … ADD VALUE cannot run in the fixture's
-- one transaction.)
CREATE TYPE urgency AS ENUM ('none', 'low', 'medium', 'high', 'urgent', 'critical');
CREATE TYPE "Odd Enum" AS ENUM ('a b', 'A', 'é', 'it''s', 'x"y');
CREATE DOMAIN posint AS int4 CHECK (VALUE > 0);
CREATE DOMAIN shortname AS varchar(10);
CREATE DOMAIN price AS numeric(8,2) NOT NULL;
CREATE DOMAIN urgency_d AS urgency;
CREATE TABLE tickets (
    id    int4 PRIMARY KEY,
    title shortname,
    urg   urgency,
    m     mood,
    tags  urgency[],
    qty   posint,
    cost  price,
    ud    urgency_d,
    odd   "Odd Enum"
);
INSERT INTO tickets VALUES
(1, 'login', 'high', 'sad', '{high,low}', 3, 10.50, 'low', 'a b'),
(2, 'crash', 'critical', 'sad', '{critical}', 1, 99.99, 'critical', 'A'),
(3, 'typo', 'none', 'happy', '{}', NULL, 0.00, 'none', 'é'),
(4, 'slow page', 'medium', 'ok', '{medium,medium,none}', 12, 5.25, NULL, 'it''s'),
(5, NULL, NULL, NULL, NULL, NULL, 1.00, NULL, NULL),
(6, 'billing', 'urgent', 'ok', '{urgent,NULL}', 7, 250.00, 'urgent', 'x"y'),
(7, 'export', 'low', 'happy', '{low}', 2, 12.00, 'high', 'a b'),
(8, 'import', 'high', NULL, '{high,critical}', 5, 42.42, 'medium', 'A'),
(9, 'search', 'low', 'sad', NULL, 9, 3.14, 'low', NULL),
(10, 'i18n ß', 'none', 'ok', '{none}', 4, 7.77, 'none', 'é');

ANALYZE;
