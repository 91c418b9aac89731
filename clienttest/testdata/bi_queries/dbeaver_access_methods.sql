-- DBeaver (2024 sources): plugins/org.jkiss.dbeaver.ext.postgresql/src/org/jkiss/dbeaver/ext/postgresql/model/PostgreDatabase.java,
-- AccessMethodCache.prepareObjectsStatement.
SELECT am.oid,am.* FROM pg_catalog.pg_am am 
ORDER BY am.oid
