-- DBeaver (2024 sources): plugins/org.jkiss.dbeaver.ext.postgresql/src/org/jkiss/dbeaver/ext/postgresql/model/PostgreSchema.java,
-- IndexCache.fetchObjectRow (an index column's text).
-- $1: the index's pg_class.oid, $2: the column's position (setObject of a long and an int).
select pg_catalog.pg_get_indexdef($1, $2, true)
