-- DBeaver (2024 sources): plugins/org.jkiss.dbeaver.ext.postgresql/src/org/jkiss/dbeaver/ext/postgresql/model/PostgreDatabase.java,
-- getDescription. $1: the database name (setObject of a String).
select description from pg_shdescription join pg_database on objoid = pg_database.oid where datname = $1
