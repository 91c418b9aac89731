"""Reads the client-matrix fixture with asyncpg and prints what it read as
one line of JSON, for clienttest's Go tests to compare.

Usage: /usr/bin/python3 asyncpg_client.py types|big|prepared|cursor|pool|cancel
The connection comes from PGHOST, PGPORT, PGDATABASE, PGUSER, PGPASSWORD
and PGSSLMODE (asyncpg reads libpq's variables itself). asyncpg speaks the
protocol on its own (no libpq): it sends client_encoding='utf-8' at
start-up, prepares every statement with the extended protocol and reads
results in binary.
"""
import asyncio
import json
import sys
import time

import asyncpg

from canon import COLUMNS, LONG_QUERY, SELECT_ALL_TYPES, SELECT_BIG, cell, error_text, summarize


async def types(conn):
    out = {"settings": {"client_encoding": conn.get_settings().client_encoding}}
    # The statement's metadata, as an application sees it.
    try:
        stmt = await conn.prepare(SELECT_ALL_TYPES)
        out["columns"] = [{"name": a.name, "type": "%s (oid %d)" % (a.type.name, a.type.oid)} for a in stmt.get_attributes()]
    except Exception as e:  # noqa: BLE001 - reported in the output
        out["columns"] = []
        out["full_error"] = error_text(e)
    # One column at a time, so that a column asyncpg cannot read (or a
    # type it cannot introspect) fails alone.
    rows = [{}, {}, {}]
    for col in COLUMNS:
        try:
            res = await conn.fetch("SELECT %s FROM alltypes ORDER BY id" % col)
            for i, r in enumerate(res[:3]):
                rows[i][col] = cell(col, r[0])
        except Exception as e:  # noqa: BLE001 - reported per cell
            for i in range(3):
                rows[i][col] = {"t": "", "err": "%s: %s" % (type(e).__name__, str(e).strip())}
    out["rows"] = rows
    return out


async def big(conn):
    rows = await conn.fetch(SELECT_BIG)
    return summarize((r[0], r[1], r[2]) for r in rows)


async def prepared(conn):
    out = {}
    q1 = "SELECT id, t FROM alltypes WHERE i4 >= $1 AND t = $2 ORDER BY id"
    for key, params in (("q1a", (0, 'hello, "ünïcode" ✓')), ("q1b", (-2147483648, ""))):
        out[key] = [[str(r[0]), r[1]] for r in await conn.fetch(q1, *params)]
    stmt = await conn.prepare("SELECT count(*) AS n, sum(v) AS total FROM big WHERE id BETWEEN $1 AND $2")
    for key, params in (("big_a", (10, 19)), ("big_b", (1, 100000))):
        r = await stmt.fetchrow(*params)
        out[key] = [str(r["n"]), str(r["total"])]
    return out


async def cursor(conn):
    # asyncpg's cursors are portals of the extended protocol (Bind, then
    # Execute with a row limit) inside a transaction.
    out = {}
    async with conn.transaction():
        c = await conn.cursor("SELECT id, s FROM big WHERE id <= $1 ORDER BY id", 2500)
        out["first3"] = [list(r) for r in await c.fetch(3)]
        out["forward10"] = await c.forward(10)
        out["next"] = list(await c.fetchrow())
        n = 0
        async for r in conn.cursor("SELECT id FROM big WHERE id < $1 ORDER BY id", 2000, prefetch=500):
            n += r[0]
        out["iterated_sum"] = n
    return out


async def pool():
    # A pool resets each connection it takes back (asyncpg's reset query:
    # pg_advisory_unlock_all(), CLOSE ALL, UNLISTEN *, RESET ALL).
    out = {}
    p = await asyncpg.create_pool(min_size=1, max_size=1)
    try:
        for i in range(2):
            async with p.acquire() as conn:
                out["read%d" % i] = await conn.fetchval("SELECT count(*) FROM big WHERE id <= $1", 10 * (i + 1))
    except Exception as e:  # noqa: BLE001 - reported in the output
        out["error"] = error_text(e)
    finally:
        p.terminate()
    return out


async def cancel(conn):
    # asyncpg cancels a statement whose task is cancelled or times out
    # with a CancelRequest, then waits for the server to end it.
    await conn.fetchval("SELECT count(*) FROM big")
    out = {}
    began = time.monotonic()
    try:
        await asyncio.wait_for(conn.fetchval(LONG_QUERY), 0.3)
        out["outcome"] = "the query was not cancelled"
    except asyncio.TimeoutError:
        out["outcome"] = "timeout"
    out["elapsed_ms"] = int((time.monotonic() - began) * 1000)
    try:
        out["after"] = str(await conn.fetchval("SELECT count(*) FROM big"))
    except Exception as e:  # noqa: BLE001 - reported in the output
        out["after"] = "error: %s" % e
    return out


async def main():
    mode = sys.argv[1]
    if mode == "pool":
        print(json.dumps(await pool()))
        return
    conn = await asyncpg.connect()
    try:
        result = await {"types": types, "big": big, "prepared": prepared, "cursor": cursor, "cancel": cancel}[mode](conn)
    finally:
        await conn.close()
    print(json.dumps(result))


if __name__ == "__main__":
    asyncio.run(main())
