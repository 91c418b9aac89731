package pgfunc

import (
	"time"

	"github.com/hotdata-dev/hotdata/engine"
	"github.com/hotdata-dev/hotdata/pgval"
)

// Text output and input functions: hd_out(value, type, style) prints a
// value as PostgreSQL's output function does, hd_in_<type>(text, style)
// reads text as the type's input function does.

func ioFuncs() []engine.ScalarFunc {
	in := func(typ, ret string, f func(s string, st pgval.Style) (any, error)) engine.ScalarFunc {
		return fn("hd_in_"+typ, []string{"VARCHAR", "VARCHAR"}, ret, func(a []any) (any, error) {
			v, err := f(str(a[0]), style(a[1]))
			if err != nil {
				return nil, fail(err)
			}
			return v, nil
		})
	}
	now := func() time.Time { return time.Now() }
	intIn := func(bits int) func(s string, st pgval.Style) (any, error) {
		return func(s string, st pgval.Style) (any, error) { return pgval.ParseInt(s, bits) }
	}
	return []engine.ScalarFunc{
		{Name: "hd_out", Args: []string{"ANY", "VARCHAR", "VARCHAR"}, Returns: "VARCHAR", Row: func(a []any) (any, error) {
			return string(appendText(nil, a[0], parseDesc(str(a[1])), style(a[2]))), nil
		}},
		in("int2", "SMALLINT", intIn(16)),
		in("int4", "INTEGER", intIn(32)),
		in("int8", "BIGINT", intIn(64)),
		in("oid", "UINTEGER", intIn(64)),
		in("float4", "FLOAT", func(s string, st pgval.Style) (any, error) { return pgval.ParseFloat(s, 32) }),
		in("float8", "DOUBLE", func(s string, st pgval.Style) (any, error) { return pgval.ParseFloat(s, 64) }),
		in("bool", "BOOLEAN", func(s string, st pgval.Style) (any, error) { return pgval.ParseBool(s) }),
		in("date", "DATE", func(s string, st pgval.Style) (any, error) {
			d, err := pgval.ParseDate(s, st, now)
			return engine.Date(d), err
		}),
		in("time", "TIME", func(s string, st pgval.Style) (any, error) {
			t, err := pgval.ParseTimeIn(s, st, now)
			return engine.Time(t), err
		}),
		in("timestamp", "TIMESTAMP", func(s string, st pgval.Style) (any, error) {
			t, err := pgval.ParseTimestamp(s, st, now)
			return engine.Timestamp(t), err
		}),
		in("timestamptz", "TIMESTAMPTZ", func(s string, st pgval.Style) (any, error) {
			t, err := pgval.ParseTimestamptz(s, st, now)
			return engine.Timestamp(t), err
		}),
		in("interval", "INTERVAL", func(s string, st pgval.Style) (any, error) {
			iv, err := pgval.ParseInterval(s, st)
			return toEngineIV(iv), err
		}),
		in("uuid", "UUID", func(s string, st pgval.Style) (any, error) { return pgval.ParseUUID(s) }),
		in("json", "JSON", func(s string, st pgval.Style) (any, error) { return s, pgval.ValidJSON(s) }),
		in("jsonb", "JSON", func(s string, st pgval.Style) (any, error) { return pgval.NormalizeJSONB(s) }),
		in("bytea", "BLOB", func(s string, st pgval.Style) (any, error) { return pgval.ParseBytea(s) }),
	}
}

// lateMacros need the Go functions above.
var lateMacros = []string{
	`CREATE MACRO hd_percentile_cont(l, f) AS CASE WHEN f < 0 OR f > 1 OR isnan(f) THEN error('HD22003:percentile value ' || f || ' is not between 0 and 1') ELSE (SELECT CASE WHEN n = 0 THEN NULL WHEN floor(f * (n - 1)) = ceil(f * (n - 1)) THEN v[CAST(floor(f * (n - 1)) AS BIGINT) + 1] ELSE v[CAST(floor(f * (n - 1)) AS BIGINT) + 1] + (v[CAST(ceil(f * (n - 1)) AS BIGINT) + 1] - v[CAST(floor(f * (n - 1)) AS BIGINT) + 1]) * (f * (n - 1) - floor(f * (n - 1))) END FROM (SELECT list_filter(l, lambda x: x IS NOT NULL) AS v, len(list_filter(l, lambda x: x IS NOT NULL)) AS n)) END`,
	`CREATE MACRO hd_percentile_cont_interval(l, f) AS CASE WHEN f < 0 OR f > 1 OR isnan(f) THEN error('HD22003:percentile value ' || f || ' is not between 0 and 1') ELSE (SELECT CASE WHEN n = 0 THEN NULL WHEN floor(f * (n - 1)) = ceil(f * (n - 1)) THEN v[CAST(floor(f * (n - 1)) AS BIGINT) + 1] ELSE hd_interval_pl(v[CAST(floor(f * (n - 1)) AS BIGINT) + 1], hd_interval_mul(hd_interval_pl(v[CAST(ceil(f * (n - 1)) AS BIGINT) + 1], hd_interval_neg(v[CAST(floor(f * (n - 1)) AS BIGINT) + 1])), f * (n - 1) - floor(f * (n - 1)))) END FROM (SELECT list_filter(l, lambda x: x IS NOT NULL) AS v, len(list_filter(l, lambda x: x IS NOT NULL)) AS n)) END`,
	`CREATE MACRO hd_percentile_disc(l, f) AS CASE WHEN f < 0 OR f > 1 OR isnan(f) THEN error('HD22003:percentile value ' || f || ' is not between 0 and 1') ELSE (SELECT CASE WHEN n = 0 THEN NULL ELSE v[greatest(CAST(ceil(f * n) AS BIGINT), 1)] END FROM (SELECT list_filter(l, lambda x: x IS NOT NULL) AS v, len(list_filter(l, lambda x: x IS NOT NULL)) AS n)) END`,
	`CREATE MACRO hd_percentile_multi_cont(l, fs) AS (SELECT CASE WHEN fs IS NULL OR coalesce(n, 0) = 0 THEN NULL ELSE list_transform(fs, lambda f: CASE WHEN f IS NULL THEN NULL WHEN f < 0 OR f > 1 OR isnan(f) THEN error('HD22003:percentile value ' || f || ' is not between 0 and 1') WHEN floor(f * (n - 1)) = ceil(f * (n - 1)) THEN v[CAST(floor(f * (n - 1)) AS BIGINT) + 1] ELSE v[CAST(floor(f * (n - 1)) AS BIGINT) + 1] + (v[CAST(ceil(f * (n - 1)) AS BIGINT) + 1] - v[CAST(floor(f * (n - 1)) AS BIGINT) + 1]) * (f * (n - 1) - floor(f * (n - 1))) END) END FROM (SELECT list_filter(l, lambda x: x IS NOT NULL) AS v, len(list_filter(l, lambda x: x IS NOT NULL)) AS n))`,
	`CREATE MACRO hd_percentile_multi_cont_interval(l, fs) AS (SELECT CASE WHEN fs IS NULL OR coalesce(n, 0) = 0 THEN NULL ELSE list_transform(fs, lambda f: CASE WHEN f IS NULL THEN NULL WHEN f < 0 OR f > 1 OR isnan(f) THEN error('HD22003:percentile value ' || f || ' is not between 0 and 1') WHEN floor(f * (n - 1)) = ceil(f * (n - 1)) THEN v[CAST(floor(f * (n - 1)) AS BIGINT) + 1] ELSE hd_interval_pl(v[CAST(floor(f * (n - 1)) AS BIGINT) + 1], hd_interval_mul(hd_interval_pl(v[CAST(ceil(f * (n - 1)) AS BIGINT) + 1], hd_interval_neg(v[CAST(floor(f * (n - 1)) AS BIGINT) + 1])), (f * (n - 1) - floor(f * (n - 1))))) END) END FROM (SELECT list_filter(l, lambda x: x IS NOT NULL) AS v, len(list_filter(l, lambda x: x IS NOT NULL)) AS n))`,
	`CREATE MACRO hd_percentile_multi_disc(l, fs) AS (SELECT CASE WHEN fs IS NULL OR coalesce(n, 0) = 0 THEN NULL ELSE list_transform(fs, lambda f: CASE WHEN f IS NULL THEN NULL WHEN f < 0 OR f > 1 OR isnan(f) THEN error('HD22003:percentile value ' || f || ' is not between 0 and 1') ELSE v[greatest(CAST(ceil(f * n) AS BIGINT), 1)] END) END FROM (SELECT list_filter(l, lambda x: x IS NOT NULL) AS v, len(list_filter(l, lambda x: x IS NOT NULL)) AS n))`,
	`CREATE MACRO hd_mode(l) AS (SELECT v FROM (SELECT unnest(l) AS v) WHERE v IS NOT NULL GROUP BY v ORDER BY count(*) DESC, v ASC LIMIT 1)`,
}
