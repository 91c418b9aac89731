"""Reads the client-matrix fixture with psycopg2 and prints what it read
as one line of JSON, for clienttest's Go tests to compare.

Usage: /usr/bin/python3 client.py types|big|big_named|prepared|cancel
The connection comes from libpq's PGHOST, PGPORT, PGDATABASE, PGUSER,
PGPASSWORD and PGSSLMODE, which psycopg2 (libpq) reads itself.
"""
import datetime
import decimal
import json
import sys
import threading
import time
import uuid

import psycopg2
import psycopg2.extensions
import psycopg2.extras

SELECT_ALL_TYPES = ("SELECT id, b, i2, i4, i8, f4, f8, n, t, vc, c, bt, d, tm, ts, tstz, iv, u, j, jb, iarr, tarr "
                    "FROM alltypes ORDER BY id")
SELECT_BIG = "SELECT id, v, s FROM big ORDER BY id"
LONG_QUERY = "SELECT count(*) FROM big a, big b WHERE a.s || b.s = 'x'"

# uuid columns as uuid.UUID, as applications usually ask.
psycopg2.extras.register_uuid()


def connect():
    return psycopg2.connect("")


def canonical(col, v):
    """The canonical form clienttest compares, from the Python value."""
    if col in ("b",):
        return "true" if v else "false"
    if col in ("id", "i2", "i4", "i8"):
        return str(int(v))
    if col in ("f4", "f8"):
        return repr(float(v))
    if col == "n":
        return str(decimal.Decimal(v))
    if col in ("t", "vc", "c"):
        if not isinstance(v, str):
            raise TypeError("not a str: %r" % (v,))
        return v
    if col == "bt":
        return bytes(v).hex()
    if col == "d":
        return v.isoformat()
    if col == "tm":
        return v.strftime("%H:%M:%S.%f")
    if col == "ts":
        return v.strftime("%Y-%m-%d %H:%M:%S.%f")
    if col == "tstz":
        if v.tzinfo is None:
            raise TypeError("naive datetime for timestamptz: %r" % (v,))
        return v.isoformat()
    if col == "iv":
        # psycopg2 reads an interval as a timedelta (a month is 30 days,
        # a year 365).
        return "m=0 d=%d us=%d" % (v.days, v.seconds * 1000000 + v.microseconds)
    if col == "u":
        return str(uuid.UUID(str(v)))
    if col in ("j", "jb", "iarr", "tarr"):
        # psycopg2 decodes json and jsonb, and reads arrays as lists; a
        # str here (the document's text) prints as a JSON string.
        return json.dumps(v)
    raise ValueError("unknown column " + col)


def types(conn):
    cur = conn.cursor()
    cur.execute(SELECT_ALL_TYPES)
    columns = [{"name": d.name, "type": "oid %d" % d.type_code} for d in cur.description]
    rows = []
    for r in cur.fetchall():
        row = {}
        for d, v in zip(cur.description, r):
            if v is None:
                row[d.name] = None
                continue
            c = {"t": type(v).__name__}
            try:
                c["v"] = canonical(d.name, v)
            except Exception as e:  # noqa: BLE001 - reported per cell
                c["err"] = repr(e)
            row[d.name] = c
        rows.append(row)
    return {"columns": columns, "rows": rows, "ssl": bool(conn.info.ssl_in_use)}


def summarize(rows_iter):
    s = {"count": 0, "sum_id": 0, "sum_v": 0, "sum_len_s": 0, "bad": 0}
    for id_, v, text in rows_iter:
        s["count"] += 1
        s["sum_id"] += id_
        s["sum_v"] += v
        s["sum_len_s"] += len(text.encode("utf-8"))
        if id_ != s["count"] or v != 3 * id_ or text != "row %d" % id_:
            s["bad"] += 1
    return s


def big(conn):
    cur = conn.cursor()
    cur.execute(SELECT_BIG)
    return summarize(cur)


def big_named(conn):
    # A named (server-side) cursor streams with DECLARE and FETCH.
    with conn:
        cur = conn.cursor(name="big_cursor")
        cur.itersize = 1000
        cur.execute(SELECT_BIG)
        s = summarize(cur)
        cur.close()
    return s


def prepared(conn):
    # psycopg2 passes parameters by quoting them into the statement on the
    # client (%s placeholders); the server sees literals.
    cur = conn.cursor()
    out = {}
    q1 = "SELECT id, t FROM alltypes WHERE i4 >= %s AND t = %s ORDER BY id"
    for key, params in (("q1a", (0, 'hello, "ünïcode" ✓')), ("q1b", (-2147483648, ""))):
        cur.execute(q1, params)
        out[key] = [[str(i), t] for i, t in cur.fetchall()]
    q2 = "SELECT count(*) AS n, sum(v) AS total FROM big WHERE id BETWEEN %s AND %s"
    for key, params in (("big_a", (10, 19)), ("big_b", (1, 100000))):
        cur.execute(q2, params)
        n, total = cur.fetchone()
        out[key] = [str(n), str(total)]
    return out


def cancel(conn):
    conn.autocommit = True
    cur = conn.cursor()
    cur.execute("SELECT count(*) FROM big")
    cur.fetchone()
    timer = threading.Timer(0.2, conn.cancel)
    out = {}
    began = time.monotonic()
    timer.start()
    try:
        cur.execute(LONG_QUERY)
        out["sqlstate"] = ""
        out["message"] = "the query was not cancelled: %r" % (cur.fetchone(),)
    except psycopg2.Error as e:
        out["sqlstate"] = e.pgcode or ""
        out["message"] = str(e).strip()
    out["elapsed_ms"] = int((time.monotonic() - began) * 1000)
    timer.join()
    try:
        cur.execute("SELECT count(*) FROM big")
        out["after"] = str(cur.fetchone()[0])
    except psycopg2.Error as e:
        out["after"] = "error: %s" % e
    return out


def main():
    mode = sys.argv[1]
    conn = connect()
    try:
        result = {"types": types, "big": big, "big_named": big_named, "prepared": prepared, "cancel": cancel}[mode](conn)
    finally:
        conn.close()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
