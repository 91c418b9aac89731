# Reads the client-matrix fixture with Ruby's pg gem and prints what it
# read as one line of JSON, for clienttest's Go tests to compare.
#
# Usage: ruby client.rb types|activerecord|big|prepared|cancel
# The connection comes from PGHOST, PGPORT, PGDATABASE, PGUSER,
# PGPASSWORD and PGSSLMODE.
require "bigdecimal"
require "date"
require "json"
require "pg"

COLUMNS = %w[id b i2 i4 i8 f4 f8 n t vc c bt d tm ts tstz iv u j jb iarr tarr].freeze
SELECT_ALL_TYPES = "SELECT #{COLUMNS.join(', ')} FROM alltypes ORDER BY id".freeze
SELECT_BIG = "SELECT id, v, s FROM big ORDER BY id".freeze
LONG_QUERY = "SELECT count(*) FROM big a, big b WHERE a.s || b.s = 'x'".freeze

# interval_canonical reads PostgreSQL's interval text (IntervalStyle
# postgres) as months, days and microseconds.
def interval_canonical(s)
  months = days = us = 0
  toks = s.split
  i = 0
  while i < toks.length
    tok = toks[i]
    if tok.include?(":")
      neg = tok.start_with?("-")
      h, m, sec = tok.delete("+-").split(":")
      v = h.to_i * 3_600_000_000 + m.to_i * 60_000_000 + (BigDecimal(sec) * 1_000_000).round.to_i
      us += neg ? -v : v
    else
      n = tok.to_i
      unit = toks[i + 1].to_s
      i += 1
      if unit.start_with?("year") then months += 12 * n
      elsif unit.start_with?("mon") then months += n
      elsif unit.start_with?("day") then days += n
      end
    end
    i += 1
  end
  "m=#{months} d=#{days} us=#{us}"
end

def canonical(col, v)
  case col
  when "b" then raise TypeError, "not a boolean: #{v.inspect}" unless [true, false].include?(v); v.to_s
  when "id", "i2", "i4", "i8" then raise TypeError, "not an Integer: #{v.inspect}" unless v.is_a?(Integer); v.to_s
  when "f4", "f8" then Float(v).to_s
  when "n" then raise TypeError, "not a BigDecimal: #{v.inspect}" unless v.is_a?(BigDecimal); v.to_s("F")
  when "t", "vc", "c", "u" then raise TypeError, "not a String: #{v.inspect}" unless v.is_a?(String); v
  when "bt" then v.unpack1("H*")
  when "d" then raise TypeError, "not a Date: #{v.inspect}" unless v.is_a?(Date); v.iso8601
  when "tm" then v.to_s.ljust(8, " ").then { |t| t.include?(".") ? t.ljust(15, "0") : "#{t}.000000" }
  when "ts" then raise TypeError, "not a Time: #{v.inspect}" unless v.is_a?(Time); v.strftime("%Y-%m-%d %H:%M:%S.%6N")
  when "tstz" then raise TypeError, "not a Time: #{v.inspect}" unless v.is_a?(Time); v.getutc.strftime("%Y-%m-%dT%H:%M:%S.%6NZ")
  when "iv" then interval_canonical(v)
  when "j", "jb" then v.is_a?(String) ? JSON.generate(JSON.parse(v)) : JSON.generate(v)
  when "iarr", "tarr" then raise TypeError, "not an Array: #{v.inspect}" unless v.is_a?(Array); JSON.generate(v)
  else raise ArgumentError, "unknown column #{col}"
  end
end

def types(conn)
  conn.type_map_for_results = PG::BasicTypeMapForResults.new(conn)
  res = conn.exec(SELECT_ALL_TYPES)
  columns = res.fields.each_with_index.map { |f, i| { name: f, type: "oid #{res.ftype(i)}" } }
  rows = res.map do |r|
    r.to_h do |k, v|
      next [k, nil] if v.nil?
      c = { t: v.class.name }
      begin
        c[:v] = canonical(k, v)
      rescue StandardError => e
        c[:err] = "#{e.class}: #{e.message}"
      end
      [k, c]
    end
  end
  { columns: columns, rows: rows, ssl: conn.ssl_in_use? }
end

def step(out, key)
  out[key] = yield
rescue PG::Error => e
  out[key] = { sqlstate: e.result&.error_field(PG::PG_DIAG_SQLSTATE), error: e.message.lines.first.strip }
end

# activerecord sends what ActiveRecord's PostgreSQL adapter sends when it
# connects (configure_connection, Rails 7), then reads the type map
# queries it sends, the settings and an interval as the session shows
# them.
def activerecord(conn)
  out = {}
  [
    "SET client_min_messages TO 'warning'",
    "SET standard_conforming_strings = on",
    "SET intervalstyle = iso_8601",
    "SET SESSION timezone TO 'UTC'",
    "SET SESSION statement_timeout TO '30s'",
  ].each { |q| step(out, q) { conn.exec(q).cmd_status } }
  %w[client_min_messages standard_conforming_strings IntervalStyle TimeZone statement_timeout].each do |s|
    step(out, "SHOW #{s}") { conn.exec("SHOW #{s}").getvalue(0, 0) }
  end
  step(out, "reported") { %w[IntervalStyle TimeZone standard_conforming_strings].to_h { |p| [p, conn.parameter_status(p)] } }
  # add_pg_decoders: the OIDs of the types it decodes itself.
  step(out, "decoders") do
    conn.exec(<<~SQL).values.sort
      SELECT t.oid, t.typname
      FROM pg_type as t
      WHERE t.typname IN ('int2', 'int4', 'int8', 'oid', 'float4', 'float8', 'numeric', 'bool', 'timestamp', 'timestamptz')
    SQL
  end
  step(out, "interval_iso_8601") { conn.exec("SELECT iv FROM alltypes ORDER BY id").column_values(0) }
  step(out, "begin") do
    conn.transaction { |c| c.exec("SELECT count(*) FROM big WHERE id <= 5").getvalue(0, 0) }
  end
  out
end

def big(conn)
  s = { count: 0, sum_id: 0, sum_v: 0, sum_len_s: 0, bad: 0 }
  conn.send_query(SELECT_BIG)
  conn.set_single_row_mode
  while (res = conn.get_result)
    res.check
    res.each_row do |id, v, text|
      id = id.to_i
      v = v.to_i
      s[:count] += 1
      s[:sum_id] += id
      s[:sum_v] += v
      s[:sum_len_s] += text.bytesize
      s[:bad] += 1 if id != s[:count] || v != 3 * id || text != "row #{id}"
    end
  end
  s
end

def prepared(conn)
  out = {}
  conn.prepare("q1", "SELECT id, t FROM alltypes WHERE i4 >= $1 AND t = $2 ORDER BY id")
  { q1a: [0, 'hello, "ünïcode" ✓'], q1b: [-2_147_483_648, ""] }.each do |k, params|
    out[k] = conn.exec_prepared("q1", params).values
  end
  { big_a: [10, 19], big_b: [1, 100_000] }.each do |k, params|
    out[k] = conn.exec_params("SELECT count(*) AS n, sum(v) AS total FROM big WHERE id BETWEEN $1 AND $2", params).values.first
  end
  out
end

def cancel(conn)
  conn.exec("SELECT count(*) FROM big")
  out = {}
  began = Process.clock_gettime(Process::CLOCK_MONOTONIC)
  canceller = Thread.new { sleep 0.2; conn.cancel }
  begin
    r = conn.exec(LONG_QUERY)
    out[:sqlstate] = ""
    out[:message] = "the query was not cancelled: #{r.values.inspect}"
  rescue PG::Error => e
    out[:sqlstate] = e.result&.error_field(PG::PG_DIAG_SQLSTATE).to_s
    out[:message] = e.message.strip
  end
  canceller.join
  out[:elapsed_ms] = ((Process.clock_gettime(Process::CLOCK_MONOTONIC) - began) * 1000).to_i
  out[:after] = conn.exec("SELECT count(*) FROM big").getvalue(0, 0)
  out
end

# Explicit parameters from the environment: the gem resolves hosts
# itself and would otherwise try the Unix socket.
conn = PG.connect(host: ENV["PGHOST"], port: ENV["PGPORT"], dbname: ENV["PGDATABASE"], user: ENV["PGUSER"],
                  password: ENV["PGPASSWORD"], sslmode: ENV.fetch("PGSSLMODE", "prefer"))
begin
  mode = ARGV.fetch(0)
  result = { "types" => method(:types), "activerecord" => method(:activerecord), "big" => method(:big),
             "prepared" => method(:prepared), "cancel" => method(:cancel) }.fetch(mode).call(conn)
  puts JSON.generate(result)
ensure
  conn.close
end
