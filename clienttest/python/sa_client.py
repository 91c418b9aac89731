"""Reflects the client-matrix fixture with SQLAlchemy's inspector
(postgresql+psycopg2) and reads it with pandas.read_sql, and prints what
it saw as one line of JSON, for clienttest's Go tests to compare.

Usage: /usr/bin/python3 sa_client.py <schema> <table>
where <schema> is the fixture's schema ("src.public" through Hotdata,
"public" on the upstream) and <table> how a query names alltypes. The
connection comes from libpq's PGHOST, PGPORT, PGDATABASE, PGUSER,
PGPASSWORD and PGSSLMODE, which psycopg2 (libpq) reads itself.
"""
import json
import sys
import warnings

import pandas
import sqlalchemy

READ_SQL = "SELECT id, b, i4, i8, f8, n, t, vc, d, ts, tstz FROM {table} ORDER BY id"


def text(v):
    """A value as text, None for SQL NULL (pandas' NaN and NaT too)."""
    if v is None:
        return None
    try:
        if pandas.isna(v):
            return None
    except (TypeError, ValueError):
        pass
    return str(v)


def call(out, key, fn):
    """Runs one step; a failure is reported in place of its result."""
    try:
        out[key] = fn()
    except Exception as e:  # noqa: BLE001 - reported per step
        out[key] = {"error": "%s: %s" % (type(e).__name__, e)}


def main():
    schema, table = sys.argv[1], sys.argv[2]
    # An empty URL: libpq takes the connection from the environment.
    engine = sqlalchemy.create_engine("postgresql+psycopg2://")
    out = {"sqlalchemy": sqlalchemy.__version__, "pandas": pandas.__version__}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")

        def connect():
            # First connect: the dialect's own queries (version, current
            # schema, standard_conforming_strings, isolation level...).
            with engine.connect() as conn:
                return {
                    "server_version_info": list(engine.dialect.server_version_info),
                    "default_schema_name": engine.dialect.default_schema_name,
                    "standard_conforming_strings": engine.dialect._backslash_escapes is False,
                    "isolation_level": conn.get_isolation_level(),
                    "select_1": conn.execute(sqlalchemy.text("SELECT 1")).scalar(),
                }

        call(out, "connect", connect)
        try:
            insp = sqlalchemy.inspect(engine)
        except Exception as e:  # noqa: BLE001 - reported in the output
            out["inspect"] = {"error": "%s: %s" % (type(e).__name__, e)}
            print(json.dumps(out))
            return
        call(out, "schemas", insp.get_schema_names)
        call(out, "tables", lambda: insp.get_table_names(schema=schema))
        call(out, "views", lambda: insp.get_view_names(schema=schema))
        call(out, "has_table", lambda: insp.has_table("alltypes", schema=schema))
        call(out, "columns", lambda: [
            {"name": c["name"], "type": repr(c["type"]), "class": type(c["type"]).__name__,
             "nullable": c["nullable"], "default": c["default"], "autoincrement": c.get("autoincrement")}
            for c in insp.get_columns("alltypes", schema=schema)])
        call(out, "pk", lambda: insp.get_pk_constraint("alltypes", schema=schema))
        call(out, "foreign_keys", lambda: insp.get_foreign_keys("alltypes", schema=schema))
        call(out, "unique_constraints", lambda: insp.get_unique_constraints("alltypes", schema=schema))
        call(out, "table_comment", lambda: insp.get_table_comment("alltypes", schema=schema))

        def read_sql():
            df = pandas.read_sql(READ_SQL.format(table=table), engine)
            return {
                "columns": list(df.columns),
                "dtypes": [str(t) for t in df.dtypes],
                "rows": [[text(v) for v in row] for row in df.itertuples(index=False)],
            }

        call(out, "read_sql", read_sql)

        def read_table():
            # pandas.read_sql with a table name reflects the table
            # (SQLAlchemy's Table autoload) and selects every column.
            df = pandas.read_sql_table("alltypes", engine, schema=schema, columns=["id", "n", "vc"])
            return {"dtypes": [str(t) for t in df.dtypes], "rows": [[text(v) for v in row] for row in df.itertuples(index=False)]}

        call(out, "read_sql_table", read_table)
    out["warnings"] = sorted({str(w.message) for w in caught})
    print(json.dumps(out))


if __name__ == "__main__":
    main()
