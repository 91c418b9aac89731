-- Grafana (main): pkg/tsdb/grafana-postgresql-datasource/schema.go, querySchemas (the SQL schema
-- handler behind Grafana SQL expressions and the table picker).
SELECT schema_name FROM information_schema.schemata
		 WHERE schema_name NOT LIKE 'pg_%' AND schema_name != 'information_schema'
		 ORDER BY schema_name
