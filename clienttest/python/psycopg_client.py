"""Reads the client-matrix fixture with psycopg 3 and prints what it read
as one line of JSON, for clienttest's Go tests to compare.

Usage: /usr/bin/python3 psycopg_client.py MODE, where MODE is one of
types (text results), types_binary (binary results), big, prepared,
server_cursor, scroll, hold, pipeline, copy, tx_errors, cancel.
The connection comes from libpq's PGHOST, PGPORT, PGDATABASE, PGUSER,
PGPASSWORD and PGSSLMODE. psycopg 3 sends parameters with the extended
protocol (server-side binding), also for server cursors (DECLARE … FOR
… $1), and runs its own commands (BEGIN, MOVE, FETCH, CLOSE) as
extended-protocol statements too.
"""
import json
import sys
import threading
import time

import psycopg

from canon import COLUMNS, LONG_QUERY, SELECT_ALL_TYPES, SELECT_BIG, cell, error_text, summarize


def types(conn, binary=False):
    cur = conn.cursor(binary=binary)
    cur.execute(SELECT_ALL_TYPES)
    columns = [{"name": d.name, "type": "oid %d" % d.type_code} for d in cur.description]
    rows = [{d.name: cell(d.name, v) for d, v in zip(cur.description, r)} for r in cur.fetchall()]
    return {"columns": columns, "rows": rows, "ssl": conn.pgconn.ssl_in_use}


def big(conn):
    cur = conn.cursor()
    cur.execute(SELECT_BIG)
    return summarize(cur)


def prepared(conn):
    out = {}
    q1 = "SELECT id, t FROM alltypes WHERE i4 >= %s AND t = %s ORDER BY id"
    for key, params in (("q1a", (0, 'hello, "ünïcode" ✓')), ("q1b", (-2147483648, ""))):
        # prepare=True: a named prepared statement, reused.
        out[key] = [[str(i), t] for i, t in conn.execute(q1, params, prepare=True).fetchall()]
    q2 = "SELECT count(*) AS n, sum(v) AS total FROM big WHERE id BETWEEN %s AND %s"
    for key, params in (("big_a", (10, 19)), ("big_b", (1, 100000))):
        n, total = conn.execute(q2, params).fetchone()
        out[key] = [str(n), str(total)]
    return out


def step(out, key, fn):
    """Runs one step; an error is recorded in its place."""
    try:
        out[key] = fn()
    except psycopg.Error as e:
        out[key] = error_text(e)


def server_cursor(conn):
    # DECLARE "c" CURSOR FOR … WHERE id <= $1 (extended protocol), then
    # Describe of the portal "c", FETCH FORWARD n and CLOSE.
    out = {}
    for binary in (False, True):
        key = "binary" if binary else "text"
        with conn.transaction():
            cur = conn.cursor(name="sc_" + key, binary=binary)
            cur.execute("SELECT id, s, v FROM big WHERE id <= %s AND s <> %s ORDER BY id", (2500, "x"))
            res = {"description": [[d.name, d.type_code] for d in cur.description]}
            res["first3"] = [list(r) for r in cur.fetchmany(3)]
            res["one"] = list(cur.fetchone())
            rest = cur.fetchall()
            res["rest"] = [len(rest), sum(r[0] for r in rest)]
            res["after_end"] = cur.fetchone()
            cur.close()
            out[key] = res
    return out


def scroll(conn):
    # A SCROLL cursor: MOVE and MOVE ABSOLUTE in both directions.
    out = {}
    with conn.transaction():
        cur = conn.cursor(name="scr", scrollable=True)
        cur.execute("SELECT id FROM big WHERE id <= %s ORDER BY id", (100,))
        out["first5"] = [r[0] for r in cur.fetchmany(5)]
        cur.scroll(-2)
        out["after_back2"] = cur.fetchone()[0]
        cur.scroll(10, mode="absolute")
        out["absolute10_next"] = cur.fetchone()[0]
        cur.scroll(0, mode="absolute")
        out["rewound"] = [r[0] for r in cur.fetchmany(2)]
        out["all"] = len(cur.fetchall())
        cur.scroll(-3)
        out["last2"] = [r[0] for r in cur.fetchall()]
        # Raw statements on the same cursor, as psql users type them.
        raw = conn.cursor()
        for q in ("FETCH PRIOR FROM scr", "FETCH FIRST FROM scr", "FETCH LAST FROM scr", "FETCH ABSOLUTE -3 FROM scr",
                  "FETCH RELATIVE -2 FROM scr", "FETCH BACKWARD 3 FROM scr", "FETCH RELATIVE 0 FROM scr",
                  "FETCH FORWARD 2 FROM scr", "MOVE BACKWARD ALL IN scr", "FETCH NEXT FROM scr", "MOVE ABSOLUTE 200 IN scr",
                  "FETCH BACKWARD 1 FROM scr", "MOVE LAST IN scr", "FETCH 0 FROM scr", "FETCH -2 FROM scr"):
            raw.execute(q)
            out[q] = [raw.statusmessage, raw.fetchall() if raw.description else None]
        cur.close()
    with conn.transaction():
        # A NO SCROLL cursor cannot go back (PostgreSQL's error).
        cur = conn.cursor(name="noscr", scrollable=False)
        cur.execute("SELECT id FROM big WHERE id <= %s ORDER BY id", (10,))
        cur.fetchmany(3)
        try:
            cur.scroll(-1)
            out["noscroll_back"] = "no error"
        except psycopg.Error as e:
            out["noscroll_back"] = e.sqlstate
    return out


def hold(conn):
    # WITH HOLD: the cursor outlives its transaction's COMMIT.
    out = {}
    cur = conn.cursor(name="held", withhold=True)
    cur.execute("SELECT id FROM big WHERE id <= %s ORDER BY id", (10,))
    out["before_commit"] = [r[0] for r in cur.fetchmany(2)]
    conn.commit()
    out["after_commit"] = [r[0] for r in cur.fetchall()]
    cur.close()
    # A held cursor declared in a block that rolls back is gone.
    raw = conn.cursor()
    raw.execute("DECLARE gone CURSOR WITH HOLD FOR SELECT 1")
    conn.rollback()
    step(out, "after_rollback", lambda: raw.execute("FETCH 1 FROM gone").fetchall())
    conn.rollback()
    return out


def pipeline(conn):
    out = {}
    with conn.pipeline():
        c1 = conn.execute("SELECT count(*) FROM big WHERE id < %s", (100,))
        c2 = conn.execute("SELECT t FROM alltypes WHERE id = %s", (1,))
        c3 = conn.execute("SET application_name = 'pipelined'")
        c4 = conn.execute("SHOW application_name")
    out["results"] = [c1.fetchone()[0], c2.fetchone()[0], c3.statusmessage, c4.fetchone()[0]]
    # An error inside a pipeline: the statements after it fail too.
    try:
        with conn.pipeline():
            conn.execute("SELECT 1")
            conn.execute("SELECT * FROM no_such_table WHERE id = %s", (1,))
            conn.execute("SELECT 2")
        out["error"] = "no error"
    except psycopg.Error as e:
        out["error"] = e.sqlstate
    conn.rollback()
    return out


def copy(conn):
    out = {}
    cur = conn.cursor()
    q = "COPY (SELECT id, t, n, i8, bt, d FROM alltypes ORDER BY id) TO STDOUT"
    with cur.copy(q) as cp:
        out["text"] = [list(r) for r in cp.rows()]
    with cur.copy(q + " (FORMAT csv, HEADER)") as cp:
        out["csv"] = b"".join(bytes(b) for b in cp).decode()
    with cur.copy(q + " (FORMAT binary)") as cp:
        cp.set_types(["int4", "text", "numeric", "int8", "bytea", "date"])
        out["binary"] = [[None if v is None else str(v) if not isinstance(v, (bytes, memoryview)) else bytes(v).hex() for v in r]
                         for r in cp.rows()]
    out["tag"] = cur.statusmessage
    conn.rollback()
    return out


def tx_errors(conn):
    # An error in a block, at Parse (unknown table) or with a bound value
    # the statement cannot take: the next statement gets 25P02 until
    # ROLLBACK.
    out = {}
    cur = conn.cursor()
    for key, q, params in (("parse", "SELECT * FROM no_such_table WHERE id = %s", (1,)),
                           ("bind", "SELECT id FROM alltypes WHERE i4 = %s::int4", ("abc",))):
        cur.execute("SELECT 1")
        try:
            cur.execute(q, params)
            out[key] = "no error"
        except psycopg.Error as e:
            out[key] = e.sqlstate
        try:
            cur.execute("SELECT 1")
            out[key + "_next"] = "no error"
        except psycopg.Error as e:
            out[key + "_next"] = e.sqlstate
        out[key + "_status"] = conn.info.transaction_status.name
        conn.rollback()
        out[key + "_after_rollback"] = cur.execute("SELECT 1").fetchone()[0]
        conn.rollback()
    # BEGIN READ WRITE and the transaction's modes, as PostgreSQL shows them.
    conn.autocommit = True
    conn.execute("BEGIN READ WRITE ISOLATION LEVEL REPEATABLE READ")
    out["modes"] = [conn.execute("SHOW " + s).fetchone()[0] for s in ("transaction_read_only", "transaction_isolation")]
    conn.execute("COMMIT")
    conn.autocommit = False
    return out


def cancel(conn):
    conn.autocommit = True
    conn.execute("SELECT count(*) FROM big").fetchone()
    timer = threading.Timer(0.2, conn.cancel)
    out = {}
    began = time.monotonic()
    timer.start()
    try:
        r = conn.execute(LONG_QUERY).fetchone()
        out["sqlstate"], out["message"] = "", "the query was not cancelled: %r" % (r,)
    except psycopg.Error as e:
        out["sqlstate"], out["message"] = e.sqlstate or "", str(e).strip()
    out["elapsed_ms"] = int((time.monotonic() - began) * 1000)
    timer.join()
    out["after"] = str(conn.execute("SELECT count(*) FROM big").fetchone()[0])
    return out


MODES = {"types": types, "types_binary": lambda c: types(c, binary=True), "big": big, "prepared": prepared,
         "server_cursor": server_cursor, "scroll": scroll, "hold": hold, "pipeline": pipeline, "copy": copy,
         "tx_errors": tx_errors, "cancel": cancel}


def main():
    conn = psycopg.connect("")
    try:
        result = MODES[sys.argv[1]](conn)
    finally:
        conn.close()
    print(json.dumps(result, default=str))


if __name__ == "__main__":
    main()
