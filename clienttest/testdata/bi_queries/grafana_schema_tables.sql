-- Grafana (main, 12.2 development): public/app/plugins/datasource/grafana-postgresql-datasource/postgresMetaQuery.ts,
-- showTables(schema). {{schema}}: the schema as the user gives it, pasted between quotes (quotes doubled);
-- it is compared with quote_ident(table_schema).
SELECT quote_ident(table_name) AS "table"
      FROM information_schema.tables
      WHERE quote_ident(table_schema) = '{{schema}}'
      ORDER BY 1
