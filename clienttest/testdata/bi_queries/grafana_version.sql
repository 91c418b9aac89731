-- Grafana (main, 12.2 development): public/app/plugins/datasource/grafana-postgresql-datasource/postgresMetaQuery.ts,
-- getVersion (the data source settings' version auto-detection).
SELECT current_setting('server_version_num')::int/100 as version
