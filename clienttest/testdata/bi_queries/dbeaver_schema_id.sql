-- DBeaver (2024 sources): plugins/org.jkiss.dbeaver.ext.postgresql/src/org/jkiss/dbeaver/ext/postgresql/model/PostgreSchema.java,
-- readSchemaInfo. $1: the schema name (setString).
SELECT s.oid as schema_id
from pg_catalog.pg_namespace s
WHERE s.nspname =$1
