-- Metabase (master, 2025: the driver on metabase.driver-api.core): src/metabase/driver/postgres.clj,
-- driver/db-default-timezone.
show timezone;
