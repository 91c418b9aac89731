"""Drives pgcli against the client-matrix fixture and prints what it saw
as one line of JSON, for clienttest's Go tests to compare.

Usage: /usr/bin/python3 pgcli_client.py metadata|interactive SCHEMA
where SCHEMA is the fixture's schema ("src.public" through Hotdata,
"public" on the upstream); rows of that schema are reported as schema
"public", rows of other schemas are left out. The connection comes from
libpq's PGHOST, PGPORT, PGDATABASE, PGUSER, PGPASSWORD and PGSSLMODE.

metadata runs pgcli's own code: the queries its completion refresher
sends (schemata, tables, views, columns, functions, data types,
databases, casing, search path, foreign keys) and backslash commands
through pgspecial (\\d table, \\dt, \\dn, \\df), as the pgcli prompt does.
interactive runs the pgcli program in a terminal (pexpect): a query and
\\d, then reads the terminal and pgcli's log for errors of its
background completion refresher (which sends the metadata queries).
"""
import json
import os
import sys
import tempfile

FIXTURE_TABLES = ("alltypes", "big", "keywords")


def norm_schema(schema, s):
    return "public" if s == schema else None


def step(out, key, fn):
    try:
        out[key] = fn()
    except Exception as e:  # noqa: BLE001 - reported per step
        out[key] = {"error": "%s: %s" % (type(e).__name__, str(e).strip())}


def special(executor, pgspecial, cmd, schema):
    """One backslash command: its title, headers and rows, with the
    fixture's schema as "public" and owner columns left out (the
    upstream's owner is a PostgreSQL role, Hotdata's is "hotdata")."""
    out = []
    for res in executor.run(cmd, pgspecial=pgspecial):
        title, cur, headers, status = res[:4]
        rows = [list(r) for r in cur] if cur is not None else []
        headers = list(headers or [])
        keep = [i for i, h in enumerate(headers) if h not in ("Owner",)]
        rows = [[("public" if v == schema else v) for v in (r[i] for i in keep)] for r in rows]
        if title:
            title = title.replace('"%s"' % schema, '"public"').replace(schema + ".", "public.")
        out.append({"title": title, "headers": [headers[i] for i in keep], "rows": rows,
                    "status": status.replace(schema, "public") if isinstance(status, str) else status})
    return out


def metadata(schema):
    from pgcli.pgexecute import PGExecute
    from pgspecial.main import PGSpecial

    e = PGExecute()
    sp = PGSpecial()
    out = {}
    step(out, "schemata", lambda: schema in e.schemata())
    step(out, "tables", lambda: sorted([norm_schema(schema, s), t] for s, t in e.tables() if s == schema))
    step(out, "views", lambda: sorted([norm_schema(schema, s), t] for s, t in e.views() if s == schema))
    step(out, "table_columns", lambda: sorted([norm_schema(schema, c[0]), *[str(x) for x in c[1:]]]
                                              for c in e.table_columns() if c[0] == schema))
    step(out, "foreignkeys", lambda: [list(map(str, fk)) for fk in e.foreignkeys() if fk[0] == schema])
    step(out, "functions", lambda: [str(f) for f in e.functions() if f.schema_name == schema])
    step(out, "function_count_positive", lambda: sum(1 for _ in e.functions()) > 0)
    step(out, "datatypes", lambda: [list(t) for t in e.datatypes() if t[0] == schema])
    step(out, "datatype_count_positive", lambda: sum(1 for _ in e.datatypes()) >= 0)
    step(out, "databases_has_current", lambda: os.environ["PGDATABASE"] in e.databases())
    step(out, "casing_ran", lambda: isinstance(list(e.casing()), list))
    step(out, "search_path_ran", lambda: isinstance(e.search_path(), list))
    step(out, "select", lambda: special(e, sp, "SELECT id, t, n FROM alltypes ORDER BY id", schema))
    step(out, "describe_table", lambda: special(e, sp, "\\d alltypes", schema))
    step(out, "list_tables", lambda: [r for r in special(e, sp, "\\dt", schema)[0]["rows"] if r[1] in FIXTURE_TABLES])
    step(out, "list_schemas_has_fixture", lambda: ["public"] in [r[:1] for r in special(e, sp, "\\dn", schema)[0]["rows"]])
    step(out, "list_functions_ran", lambda: special(e, sp, "\\df", schema)[0]["headers"])
    return out


def interactive(schema):
    import pexpect

    home = tempfile.mkdtemp()
    env = dict(os.environ, HOME=home, XDG_CONFIG_HOME=os.path.join(home, ".config"), TERM="xterm", LANG="C.UTF-8")
    out = {}
    seen = []
    child = pexpect.spawn("pgcli", ["--less-chatty", "--warn", "off", "--row-limit", "0", "--prompt", "PGCLI> "],
                          env=env, encoding="utf-8", timeout=60, dimensions=(50, 200))
    def run(line):
        # pgcli ends each result with its timing line.
        child.sendline(line)
        child.expect(r"Time: [0-9.]+s")
        seen.append(child.before)
        return child.before

    try:
        child.expect("PGCLI>")
        out["select_has_value"] = 'hello, "ünïcode" ✓' in run("SELECT t FROM alltypes WHERE id = 1;")
        out["describe_has_numeric"] = "numeric(20,6)" in run("\\d alltypes")
        child.sendline("\\q")
        child.expect(pexpect.EOF)
        seen.append(child.before)
    except pexpect.ExceptionPexpect as e:
        out["error"] = "%s: %s\n%s" % (type(e).__name__, str(e).splitlines()[0], child.before)
    finally:
        child.close(force=True)
    # The completion refresher runs in a thread: its failures show as a
    # traceback on the terminal and lines in pgcli's log.
    out["terminal_tracebacks"] = sum(chunk.count("Traceback") for chunk in seen if chunk)
    log = os.path.join(home, ".config", "pgcli", "log")
    errors = []
    if os.path.exists(log):
        with open(log, encoding="utf-8", errors="replace") as f:
            errors = [line.strip() for line in f if " ERROR " in line or "Traceback" in line]
    out["log_errors"] = errors
    return out


def main():
    mode, schema = sys.argv[1], sys.argv[2]
    print(json.dumps({"metadata": metadata, "interactive": interactive}[mode](schema), default=str))


if __name__ == "__main__":
    main()
