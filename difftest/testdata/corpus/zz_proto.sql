-- prototype
SELECT 1;
SELECT id, i2, i4, i8, f4, f8, n, nu, n0, nb FROM numbers ORDER BY id;
SELECT * FROM texts ORDER BY id;
SELECT * FROM misc ORDER BY id;
SELECT * FROM temporal ORDER BY id;
SELECT * FROM docs ORDER BY id;
SELECT * FROM arrs ORDER BY id;
SELECT sum(i4) FROM numbers;
-- error: 22012
SELECT 1/0;
-- setup: SET TimeZone = 'Asia/Kolkata'
SELECT tstz FROM temporal ORDER BY id;
SELECT date_trunc('day', tstz) FROM temporal ORDER BY id;
