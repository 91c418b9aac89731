-- Grafana (main): pkg/tsdb/grafana-postgresql-datasource/schema.go, queryTables.
-- $1: a schema name from querySchemas (pgx argument).
SELECT table_name FROM information_schema.tables
		 WHERE table_schema = $1 AND table_type IN ('BASE TABLE', 'VIEW')
		 ORDER BY table_name
