-- Grafana (main): pkg/tsdb/grafana-postgresql-datasource/schema.go, ColumnValues for columns id and vc
-- of a table: one SELECT per column joined with UNION ALL. {{schema}}: the schema, quoted as the
-- handler quotes it ("src.public" through Hotdata).
SELECT 'id' AS col_name, "id"::text AS val FROM (SELECT DISTINCT "id" FROM {{schema}}."alltypes" WHERE "id" IS NOT NULL ORDER BY "id" LIMIT 100) sub_0 UNION ALL SELECT 'vc' AS col_name, "vc"::text AS val FROM (SELECT DISTINCT "vc" FROM {{schema}}."alltypes" WHERE "vc" IS NOT NULL ORDER BY "vc" LIMIT 100) sub_1
