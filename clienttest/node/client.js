// Reads the client-matrix fixture with node-postgres (pg) and prints what
// it read as one line of JSON, for clienttest's Go tests to compare.
//
// Usage: node client.js types|types_extended|big|prepared|cancel
// The connection comes from PGHOST, PGPORT, PGDATABASE, PGUSER,
// PGPASSWORD and PGSSLMODE (require: TLS without verifying the server's
// certificate).
'use strict'

const { Client } = require('pg')

const SELECT_ALL_TYPES =
  'SELECT id, b, i2, i4, i8, f4, f8, n, t, vc, c, bt, d, tm, ts, tstz, iv, u, j, jb, iarr, tarr FROM alltypes ORDER BY id'
const SELECT_BIG = 'SELECT id, v, s FROM big ORDER BY id'
const LONG_QUERY = "SELECT count(*) FROM big a, big b WHERE a.s || b.s = 'x'"

function config () {
  const env = process.env
  const cfg = {
    host: env.PGHOST,
    port: Number(env.PGPORT),
    database: env.PGDATABASE,
    user: env.PGUSER,
    password: env.PGPASSWORD || undefined,
    ssl: false
  }
  if (env.PGSSLMODE === 'require') cfg.ssl = { rejectUnauthorized: false }
  return cfg
}

const pad = (n, w) => String(n).padStart(w, '0')

function localDate (v) {
  return `${pad(v.getFullYear(), 4)}-${pad(v.getMonth() + 1, 2)}-${pad(v.getDate(), 2)}`
}

// canonical is the form clienttest compares, from the JavaScript value.
function canonical (col, v) {
  switch (col) {
    case 'b':
      if (typeof v !== 'boolean') throw new TypeError(`not a boolean: ${JSON.stringify(v)}`)
      return String(v)
    case 'id': case 'i2': case 'i4': case 'i8': case 'f4': case 'f8': case 'n':
      // int8 and numeric are strings in node-postgres, the others numbers.
      return String(v)
    case 't': case 'vc': case 'c': case 'u':
      if (typeof v !== 'string') throw new TypeError(`not a string: ${JSON.stringify(v)}`)
      return v
    case 'bt':
      return v.toString('hex')
    case 'd':
      return localDate(v)
    case 'tm': {
      // node-postgres leaves time as the server's text.
      const m = /^(\d\d):(\d\d):(\d\d)(?:\.(\d{1,6}))?$/.exec(v)
      if (!m) throw new TypeError(`not a time: ${JSON.stringify(v)}`)
      return `${m[1]}:${m[2]}:${m[3]}.${(m[4] || '').padEnd(6, '0')}`
    }
    case 'ts':
      // A JavaScript Date (local time) has milliseconds only.
      return `${localDate(v)} ${pad(v.getHours(), 2)}:${pad(v.getMinutes(), 2)}:${pad(v.getSeconds(), 2)}.${pad(v.getMilliseconds(), 3)}000`
    case 'tstz':
      return v.toISOString()
    case 'iv': {
      const months = (v.years || 0) * 12 + (v.months || 0)
      const us = (((v.hours || 0) * 60 + (v.minutes || 0)) * 60 + (v.seconds || 0)) * 1000000 + Math.round((v.milliseconds || 0) * 1000)
      return `m=${months} d=${v.days || 0} us=${us}`
    }
    case 'j': case 'jb': case 'iarr': case 'tarr':
      // json and jsonb are parsed, arrays are JavaScript arrays; a string
      // here prints as a JSON string.
      return JSON.stringify(v)
  }
  throw new Error(`unknown column ${col}`)
}

function typeOf (v) {
  return v === null || v === undefined ? String(v) : v.constructor.name
}

async function types (client, extended) {
  const q = { text: SELECT_ALL_TYPES }
  if (extended) {
    q.name = 'all_types'
    q.queryMode = 'extended'
  }
  const res = await client.query(q)
  const out = {
    columns: res.fields.map(f => ({ name: f.name, type: `oid ${f.dataTypeID}` })),
    rows: [],
    ssl: Boolean(client.connection.stream.encrypted)
  }
  for (const r of res.rows) {
    const row = {}
    for (const f of res.fields) {
      const v = r[f.name]
      if (v === null) {
        row[f.name] = null
        continue
      }
      const c = { t: typeOf(v) }
      try {
        c.v = canonical(f.name, v)
      } catch (e) {
        c.err = String(e)
      }
      row[f.name] = c
    }
    out.rows.push(row)
  }
  return out
}

async function big (client) {
  const res = await client.query(SELECT_BIG)
  const s = { count: 0, sum_id: 0, sum_v: 0, sum_len_s: 0, bad: 0 }
  for (const r of res.rows) {
    const id = r.id
    const v = Number(r.v) // int8 arrives as a string
    s.count++
    s.sum_id += id
    s.sum_v += v
    s.sum_len_s += Buffer.byteLength(r.s, 'utf8')
    if (id !== s.count || v !== 3 * id || r.s !== `row ${id}`) s.bad++
  }
  return s
}

// prepared runs named statements with $n parameters: Parse once, then
// Bind and Execute with each set of values.
async function prepared (client) {
  const out = {}
  const q1 = 'SELECT id, t FROM alltypes WHERE i4 >= $1 AND t = $2 ORDER BY id'
  for (const [key, values] of [['q1a', [0, 'hello, "ünïcode" ✓']], ['q1b', [-2147483648, '']]]) {
    const res = await client.query({ name: 'q1', text: q1, values })
    out[key] = res.rows.map(r => [String(r.id), r.t])
  }
  const q2 = 'SELECT count(*) AS n, sum(v) AS total FROM big WHERE id BETWEEN $1 AND $2'
  for (const [key, values] of [['big_a', [10, 19]], ['big_b', [1, 100000]]]) {
    const res = await client.query({ name: 'q2', text: q2, values })
    out[key] = [String(res.rows[0].n), String(res.rows[0].total)]
  }
  return out
}

// cancel sends a CancelRequest (node-postgres' Client#cancel, from a
// second client object) 200 ms into the long query.
async function cancel (client) {
  await client.query('SELECT count(*) FROM big')
  const out = {}
  const began = Date.now()
  const running = client.query(LONG_QUERY)
  const timer = setTimeout(() => new Client(config()).cancel(client, client.activeQuery), 200)
  try {
    const res = await running
    out.sqlstate = ''
    out.message = `the query was not cancelled: ${JSON.stringify(res.rows)}`
  } catch (e) {
    out.sqlstate = e.code || ''
    out.message = String(e.message)
  }
  clearTimeout(timer)
  out.elapsed_ms = Date.now() - began
  try {
    const res = await client.query('SELECT count(*) AS n FROM big')
    out.after = String(res.rows[0].n)
  } catch (e) {
    out.after = `error: ${e.message}`
  }
  return out
}

async function main () {
  const mode = process.argv[2]
  const client = new Client(config())
  await client.connect()
  try {
    const run = {
      types: c => types(c, false),
      types_extended: c => types(c, true),
      big,
      prepared,
      cancel
    }[mode]
    if (!run) throw new Error(`unknown mode ${mode}`)
    console.log(JSON.stringify(await run(client)))
  } finally {
    await client.end()
  }
}

main().catch(e => {
  console.error(e)
  process.exit(1)
})
