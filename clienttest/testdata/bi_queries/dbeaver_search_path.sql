-- DBeaver (2024 sources): plugins/org.jkiss.dbeaver.ext.postgresql/src/org/jkiss/dbeaver/ext/postgresql/model/PostgreExecutionContext.java,
-- refreshDefaults (run on every connect, after the current schema).
SHOW search_path
