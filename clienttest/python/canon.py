"""The canonical forms clienttest compares (clienttest/common_test.go),
from the Python values the drivers other than psycopg2 return (asyncpg,
psycopg 3, pgcli's psycopg 3): shared by asyncpg_client.py and
psycopg_client.py.
"""
import datetime
import decimal
import json
import uuid

COLUMNS = ["id", "b", "i2", "i4", "i8", "f4", "f8", "n", "t", "vc", "c", "bt", "d", "tm", "ts", "tstz", "iv", "u",
           "j", "jb", "iarr", "tarr"]
SELECT_ALL_TYPES = "SELECT " + ", ".join(COLUMNS) + " FROM alltypes ORDER BY id"
SELECT_BIG = "SELECT id, v, s FROM big ORDER BY id"
LONG_QUERY = "SELECT count(*) FROM big a, big b WHERE a.s || b.s = 'x'"


def _json_default(v):
    if isinstance(v, decimal.Decimal):
        return float(v)
    raise TypeError("not JSON: %r" % (v,))


def canonical(col, v):
    """The canonical form of a non-NULL value; raises on a value of the
    wrong kind (reported per cell)."""
    if col == "b":
        if not isinstance(v, bool):
            raise TypeError("not a bool: %r" % (v,))
        return "true" if v else "false"
    if col in ("id", "i2", "i4", "i8"):
        if not isinstance(v, int):
            raise TypeError("not an int: %r" % (v,))
        return str(v)
    if col in ("f4", "f8"):
        return repr(float(v))
    if col == "n":
        if not isinstance(v, decimal.Decimal):
            raise TypeError("not a Decimal: %r" % (v,))
        return str(v)
    if col in ("t", "vc", "c"):
        if not isinstance(v, str):
            raise TypeError("not a str: %r" % (v,))
        return v
    if col == "bt":
        return bytes(v).hex()
    if col == "d":
        if not isinstance(v, datetime.date):
            raise TypeError("not a date: %r" % (v,))
        return v.isoformat()
    if col == "tm":
        return v.strftime("%H:%M:%S.%f")
    if col == "ts":
        if v.tzinfo is not None:
            raise TypeError("aware datetime for timestamp: %r" % (v,))
        return v.strftime("%Y-%m-%d %H:%M:%S.%f")
    if col == "tstz":
        if v.tzinfo is None:
            raise TypeError("naive datetime for timestamptz: %r" % (v,))
        return v.astimezone(datetime.timezone.utc).isoformat()
    if col == "iv":
        # Both drivers read an interval as a timedelta (a month is 30
        # days, a year 365 days plus 5 days for 12 months... as the
        # driver computes it).
        return "m=0 d=%d us=%d" % (v.days, v.seconds * 1000000 + v.microseconds)
    if col == "u":
        return str(uuid.UUID(str(v)))
    if col in ("j", "jb"):
        # asyncpg returns json as its text, psycopg decodes it.
        if isinstance(v, str):
            return json.dumps(json.loads(v))
        return json.dumps(v, default=_json_default)
    if col in ("iarr", "tarr"):
        if not isinstance(v, list):
            raise TypeError("not a list: %r" % (v,))
        return json.dumps(v)
    raise ValueError("unknown column " + col)


def cell(col, v):
    """One value as clienttest's cell: its Python type and canonical form."""
    if v is None:
        return None
    c = {"t": type(v).__name__}
    try:
        c["v"] = canonical(col, v)
    except Exception as e:  # noqa: BLE001 - reported per cell
        c["err"] = repr(e)
    return c


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


def error_text(e):
    """An exception as the JSON the tests read: SQLSTATE and message."""
    return {"sqlstate": getattr(e, "sqlstate", None) or "", "error": "%s: %s" % (type(e).__name__, str(e).strip())}
