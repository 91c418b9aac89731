-- DBeaver (2024 sources): plugins/org.jkiss.dbeaver.ext.postgresql/src/org/jkiss/dbeaver/ext/postgresql/model/PostgreExecutionContext.java,
-- refreshDefaults (run on every connect).
SELECT current_schema(),session_user
