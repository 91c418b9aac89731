-- DBeaver (2024 sources): plugins/org.jkiss.dbeaver.ext.postgresql/src/org/jkiss/dbeaver/ext/postgresql/model/PostgreDatabase.java,
-- readDatabaseInfo. $1: the database connected to (setString).
SELECT db.oid,db.* FROM pg_catalog.pg_database db WHERE datname=$1
