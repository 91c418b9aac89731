-- Grafana (main): pkg/tsdb/grafana-postgresql-datasource/schema.go, queryColumns.
-- $1: the schema, $2: the table (pgx arguments).
SELECT column_name, data_type, udt_name, numeric_precision, numeric_scale
		 FROM information_schema.columns
		 WHERE table_schema = $1 AND table_name = $2
		 ORDER BY ordinal_position
