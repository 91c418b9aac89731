-- DBeaver (2024 sources): plugins/org.jkiss.dbeaver.ext.postgresql/src/org/jkiss/dbeaver/ext/postgresql/model/PostgreSchema.java,
-- readDefaultPrivileges (a schema's permissions).
-- $1: the schema's pg_namespace.oid (setLong).
SELECT * FROM pg_default_acl WHERE defaclnamespace = $1
