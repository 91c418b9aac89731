package pgfunc

import (
	"time"

	"github.com/hotdata-dev/hotdata/engine"
	"github.com/hotdata-dev/hotdata/pgval"
)

func zone(v any) (*time.Location, error) {
	loc, err := pgval.LoadZone(str(v))
	if err != nil {
		return nil, failf("22023", "time zone %q not recognized", str(v))
	}
	return loc, nil
}

func ts(v any) int64 { return int64(v.(engine.Timestamp)) }

func tsResult(us int64, err error) (any, error) {
	if err != nil {
		return nil, fail(err)
	}
	return engine.Timestamp(us), nil
}

func ivResult(iv pgval.Interval, err error) (any, error) {
	if err != nil {
		return nil, fail(err)
	}
	return toEngineIV(iv), nil
}

func numResult(n pgval.Numeric, f float64, err error, float bool) (any, error) {
	if pgval.IsNull(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fail(err)
	}
	if float {
		return f, nil
	}
	return n.String(), nil
}

func timeFuncs() []engine.ScalarFunc {
	fs := []engine.ScalarFunc{
		fn("hd_local_to_tstz", []string{"TIMESTAMP", "VARCHAR"}, "TIMESTAMPTZ", func(a []any) (any, error) {
			if _, err := zone(a[1]); err != nil {
				return nil, err
			}
			return tsResult(pgval.LocalToUTCIn(ts(a[0]), str(a[1])))
		}),
		fn("hd_tstz_to_local", []string{"TIMESTAMPTZ", "VARCHAR"}, "TIMESTAMP", func(a []any) (any, error) {
			if _, err := zone(a[1]); err != nil {
				return nil, err
			}
			return tsResult(pgval.UTCToLocalIn(ts(a[0]), str(a[1])))
		}),
		fn("hd_at_zone", []string{"VARCHAR"}, "VARCHAR", func(a []any) (any, error) {
			name, err := pgval.AtTimeZone(str(a[0]))
			if err != nil {
				return nil, fail(err)
			}
			return name, nil
		}),
		fn("hd_interval_zone", []string{"INTERVAL"}, "VARCHAR", func(a []any) (any, error) {
			iv := ivl(a[0])
			if iv.Months != 0 || iv.Days != 0 {
				return nil, failf("22023", "interval time zone %q must not include months or days", string(pgval.AppendInterval(nil, iv, pgval.DefaultStyle)))
			}
			return pgval.OffsetZoneName(int(iv.Micros / 1_000_000)), nil
		}),
		fn("hd_date_trunc", []string{"VARCHAR", "TIMESTAMP"}, "TIMESTAMP", func(a []any) (any, error) {
			return tsResult(pgval.TruncTimestamp(str(a[0]), ts(a[1]), "timestamp without time zone"))
		}),
		fn("hd_date_trunc_tstz", []string{"VARCHAR", "TIMESTAMPTZ", "VARCHAR"}, "TIMESTAMPTZ", func(a []any) (any, error) {
			loc, err := zone(a[2])
			if err != nil {
				return nil, err
			}
			return tsResult(pgval.TruncTimestamptz(str(a[0]), ts(a[1]), loc))
		}),
		fn("hd_sane_zone", []string{"VARCHAR"}, "VARCHAR", func(a []any) (any, error) {
			name, err := pgval.SaneTimeZone(str(a[0]))
			if err != nil {
				return nil, fail(err)
			}
			return name, nil
		}),
		fn("hd_date_trunc_interval", []string{"VARCHAR", "INTERVAL"}, "INTERVAL", func(a []any) (any, error) {
			return ivResult(pgval.TruncInterval(canonicalUnit(str(a[0])), ivl(a[1])))
		}),
		fn("hd_age", []string{"TIMESTAMP", "TIMESTAMP"}, "INTERVAL", func(a []any) (any, error) {
			return toEngineIV(pgval.Age(ts(a[0]), ts(a[1]))), nil
		}),
		fn("hd_age_tstz", []string{"TIMESTAMPTZ", "TIMESTAMPTZ", "VARCHAR"}, "INTERVAL", func(a []any) (any, error) {
			loc, err := zone(a[2])
			if err != nil {
				return nil, err
			}
			return toEngineIV(pgval.Age(pgval.UTCToLocal(ts(a[0]), loc), pgval.UTCToLocal(ts(a[1]), loc))), nil
		}),
		fn("hd_make_date", []string{"INTEGER", "INTEGER", "INTEGER"}, "DATE", func(a []any) (any, error) {
			d, err := pgval.MakeDate(i64(a[0]), i64(a[1]), i64(a[2]))
			if err != nil {
				return nil, fail(err)
			}
			return engine.Date(d), nil
		}),
		fn("hd_make_time", []string{"INTEGER", "INTEGER", "DOUBLE"}, "TIME", func(a []any) (any, error) {
			t, err := pgval.MakeTime(i64(a[0]), i64(a[1]), f64(a[2]))
			if err != nil {
				return nil, fail(err)
			}
			return engine.Time(t), nil
		}),
		fn("hd_make_timestamp", []string{"INTEGER", "INTEGER", "INTEGER", "INTEGER", "INTEGER", "DOUBLE"}, "TIMESTAMP", func(a []any) (any, error) {
			return tsResult(pgval.MakeTimestamp(i64(a[0]), i64(a[1]), i64(a[2]), i64(a[3]), i64(a[4]), f64(a[5])))
		}),
		fn("hd_make_interval", []string{"INTEGER", "INTEGER", "INTEGER", "INTEGER", "INTEGER", "INTEGER", "DOUBLE"}, "INTERVAL", func(a []any) (any, error) {
			return ivResult(pgval.MakeInterval(i64(a[0]), i64(a[1]), i64(a[2]), i64(a[3]), i64(a[4]), i64(a[5]), f64(a[6])))
		}),
		fn("hd_justify_days", []string{"INTERVAL"}, "INTERVAL", func(a []any) (any, error) {
			return toEngineIV(pgval.IntervalJustifyDays(ivl(a[0]))), nil
		}),
		fn("hd_justify_hours", []string{"INTERVAL"}, "INTERVAL", func(a []any) (any, error) {
			return toEngineIV(pgval.IntervalJustifyHours(ivl(a[0]))), nil
		}),
		fn("hd_justify_interval", []string{"INTERVAL"}, "INTERVAL", func(a []any) (any, error) {
			return toEngineIV(pgval.IntervalJustify(ivl(a[0]))), nil
		}),
		fn("hd_to_timestamp", []string{"DOUBLE"}, "TIMESTAMPTZ", func(a []any) (any, error) {
			return tsResult(pgval.ToTimestamp(f64(a[0])))
		}),
		fn("hd_ts_pl_interval", []string{"TIMESTAMP", "INTERVAL"}, "TIMESTAMP", func(a []any) (any, error) {
			return tsResult(pgval.TimestampPlusInterval(ts(a[0]), ivl(a[1])))
		}),
		fn("hd_tstz_pl_interval", []string{"TIMESTAMPTZ", "INTERVAL", "VARCHAR"}, "TIMESTAMPTZ", func(a []any) (any, error) {
			loc, err := zone(a[2])
			if err != nil {
				return nil, err
			}
			return tsResult(pgval.TimestamptzPlusInterval(ts(a[0]), ivl(a[1]), loc))
		}),
		fn("hd_ts_mi", []string{"TIMESTAMP", "TIMESTAMP"}, "INTERVAL", func(a []any) (any, error) {
			return tsDiff(ts(a[0]), ts(a[1]))
		}),
		fn("hd_tstz_mi", []string{"TIMESTAMPTZ", "TIMESTAMPTZ"}, "INTERVAL", func(a []any) (any, error) {
			return tsDiff(ts(a[0]), ts(a[1]))
		}),
		fn("hd_time_mi", []string{"TIME", "TIME"}, "INTERVAL", func(a []any) (any, error) {
			return engine.Interval{Micros: int64(a[0].(engine.Time)) - int64(a[1].(engine.Time))}, nil
		}),
		fn("hd_time_pl_interval", []string{"TIME", "INTERVAL"}, "TIME", func(a []any) (any, error) {
			t := int64(a[0].(engine.Time)) + ivl(a[1]).Micros%pgval.USecsPerDay
			t %= pgval.USecsPerDay
			if t < 0 {
				t += pgval.USecsPerDay
			}
			return engine.Time(t), nil
		}),
		fn("hd_interval_neg", []string{"INTERVAL"}, "INTERVAL", func(a []any) (any, error) {
			return ivResult(pgval.IntervalNeg(ivl(a[0])))
		}),
		fn("hd_interval_pl", []string{"INTERVAL", "INTERVAL"}, "INTERVAL", func(a []any) (any, error) {
			return ivResult(pgval.IntervalPlus(ivl(a[0]), ivl(a[1])))
		}),
		fn("hd_interval_mul", []string{"INTERVAL", "DOUBLE"}, "INTERVAL", func(a []any) (any, error) {
			return ivResult(pgval.IntervalMul(ivl(a[0]), f64(a[1])))
		}),
		fn("hd_interval_div", []string{"INTERVAL", "DOUBLE"}, "INTERVAL", func(a []any) (any, error) {
			return ivResult(pgval.IntervalDiv(ivl(a[0]), f64(a[1])))
		}),
		fn("hd_interval_sum", []string{"INTERVAL[]"}, "INTERVAL", func(a []any) (any, error) {
			ivs := intervalsOf(a[0])
			if len(ivs) == 0 {
				return nil, nil
			}
			sum := ivs[0]
			var err error
			for _, iv := range ivs[1:] {
				if sum, err = pgval.IntervalPlus(sum, iv); err != nil {
					return nil, fail(err)
				}
			}
			return toEngineIV(sum), nil
		}),
		fn("hd_interval_avg", []string{"INTERVAL[]"}, "INTERVAL", func(a []any) (any, error) {
			ivs := intervalsOf(a[0])
			if len(ivs) == 0 {
				return nil, nil
			}
			sum := ivs[0]
			var err error
			for _, iv := range ivs[1:] {
				if sum, err = pgval.IntervalPlus(sum, iv); err != nil {
					return nil, fail(err)
				}
			}
			return ivResult(pgval.IntervalDiv(sum, float64(len(ivs))))
		}),
		fn("hd_round_ts", []string{"TIMESTAMP", "INTEGER"}, "TIMESTAMP", func(a []any) (any, error) {
			return engine.Timestamp(pgval.RoundTimestamp(ts(a[0]), int(i64(a[1])))), nil
		}),
		fn("hd_round_tstz", []string{"TIMESTAMPTZ", "INTEGER"}, "TIMESTAMPTZ", func(a []any) (any, error) {
			return engine.Timestamp(pgval.RoundTimestamp(ts(a[0]), int(i64(a[1])))), nil
		}),
		fn("hd_round_time", []string{"TIME", "INTEGER"}, "TIME", func(a []any) (any, error) {
			return engine.Time(pgval.RoundTimestamp(int64(a[0].(engine.Time)), int(i64(a[1])))), nil
		}),
		fn("hd_interval_typmod", []string{"INTERVAL", "INTEGER"}, "INTERVAL", func(a []any) (any, error) {
			return toEngineIV(pgval.IntervalTypmod(ivl(a[0]), int32(i64(a[1])))), nil
		}),
		fn("hd_date_bin", []string{"INTERVAL", "TIMESTAMP", "TIMESTAMP"}, "TIMESTAMP", func(a []any) (any, error) {
			return tsResult(pgval.DateBin(ivl(a[0]), ts(a[1]), ts(a[2])))
		}),
		fn("hd_date_bin_tstz", []string{"INTERVAL", "TIMESTAMPTZ", "TIMESTAMPTZ"}, "TIMESTAMPTZ", func(a []any) (any, error) {
			return tsResult(pgval.DateBin(ivl(a[0]), ts(a[1]), ts(a[2])))
		}),
		fn("hd_series_int4", []string{"INTEGER", "INTEGER", "INTEGER"}, "INTEGER[]", seriesInt),
		fn("hd_series_int8", []string{"BIGINT", "BIGINT", "BIGINT"}, "BIGINT[]", seriesInt),
		fn("hd_series_ts", []string{"TIMESTAMP", "TIMESTAMP", "INTERVAL"}, "TIMESTAMP[]", func(a []any) (any, error) {
			out, err := pgval.SeriesTimestamp(ts(a[0]), ts(a[1]), ivl(a[2]), nil)
			return tsList(out, err)
		}),
		fn("hd_series_tstz", []string{"TIMESTAMPTZ", "TIMESTAMPTZ", "INTERVAL", "VARCHAR"}, "TIMESTAMPTZ[]", func(a []any) (any, error) {
			loc, err := zone(a[3])
			if err != nil {
				return nil, err
			}
			out, err := pgval.SeriesTimestamp(ts(a[0]), ts(a[1]), ivl(a[2]), loc)
			return tsList(out, err)
		}),
		fn("hd_series_num", []string{"VARCHAR", "VARCHAR", "VARCHAR"}, "VARCHAR[]", func(a []any) (any, error) {
			start, err := num(a[0])
			if err != nil {
				return nil, err
			}
			stop, err := num(a[1])
			if err != nil {
				return nil, err
			}
			step, err := num(a[2])
			if err != nil {
				return nil, err
			}
			out, err := pgval.SeriesNumeric(start, stop, step)
			if err != nil {
				return nil, fail(err)
			}
			items := make([]any, len(out))
			for i, n := range out {
				items[i] = n.String()
			}
			return items, nil
		}),
		fn("hd_to_char_ts", []string{"TIMESTAMP", "VARCHAR"}, "VARCHAR", func(a []any) (any, error) {
			return textOrNull(pgval.FormatTimestamp(ts(a[0]), str(a[1]), "", 0, false))
		}),
		fn("hd_to_char_tstz", []string{"TIMESTAMPTZ", "VARCHAR", "VARCHAR"}, "VARCHAR", func(a []any) (any, error) {
			loc, err := zone(a[2])
			if err != nil {
				return nil, err
			}
			us := ts(a[0])
			if us == pgval.TSInfinity || us == pgval.TSNegInfinity {
				return nil, nil
			}
			secs := us / 1_000_000
			if us < 0 && us%1_000_000 != 0 {
				secs--
			}
			abbr, off := time.Unix(secs, 0).In(loc).Zone()
			return textOrNull(pgval.FormatTimestamp(pgval.UTCToLocal(us, loc), str(a[1]), abbr, off, true))
		}),
		fn("hd_to_char_interval", []string{"INTERVAL", "VARCHAR"}, "VARCHAR", func(a []any) (any, error) {
			return textOrNull(pgval.FormatInterval(ivl(a[0]), str(a[1])))
		}),
		fn("hd_to_char_num", []string{"VARCHAR", "VARCHAR"}, "VARCHAR", func(a []any) (any, error) {
			n, err := num(a[0])
			if err != nil {
				return nil, err
			}
			s, err := pgval.FormatNumeric(n, str(a[1]))
			if err != nil {
				return nil, fail(err)
			}
			return s, nil
		}),
		fn("hd_to_char_float", []string{"DOUBLE", "VARCHAR", "INTEGER"}, "VARCHAR", func(a []any) (any, error) {
			s, err := pgval.FormatFloat(f64(a[0]), int(i64(a[2])), str(a[1]))
			if err != nil {
				return nil, fail(err)
			}
			return s, nil
		}),
	}
	// extract (numeric) and date_part (float8) for every kind of value.
	for _, float := range []bool{false, true} {
		float := float
		prefix, ret := "hd_extract_", "VARCHAR"
		if float {
			prefix, ret = "hd_date_part_", "DOUBLE"
		}
		fs = append(fs,
			fn(prefix+"date", []string{"VARCHAR", "DATE"}, ret, func(a []any) (any, error) {
				n, f, err := pgval.ExtractDate(str(a[0]), int64(a[1].(engine.Date)), float)
				return numResult(n, f, err, float)
			}),
			fn(prefix+"time", []string{"VARCHAR", "TIME"}, ret, func(a []any) (any, error) {
				n, f, err := pgval.ExtractTime(str(a[0]), int64(a[1].(engine.Time)), float)
				return numResult(n, f, err, float)
			}),
			fn(prefix+"timestamp", []string{"VARCHAR", "TIMESTAMP"}, ret, func(a []any) (any, error) {
				n, f, err := pgval.ExtractTimestamp(str(a[0]), ts(a[1]), nil, "timestamp without time zone", float)
				return numResult(n, f, err, float)
			}),
			fn(prefix+"tstz", []string{"VARCHAR", "TIMESTAMPTZ", "VARCHAR"}, ret, func(a []any) (any, error) {
				loc, err := zone(a[2])
				if err != nil {
					return nil, err
				}
				us := ts(a[1])
				secs := us / 1_000_000
				if us < 0 && us%1_000_000 != 0 {
					secs--
				}
				_, off := time.Unix(secs, 0).In(loc).Zone()
				n, f, err := pgval.ExtractTimestamp(str(a[0]), pgval.UTCToLocal(us, loc), &off, "timestamp with time zone", float)
				return numResult(n, f, err, float)
			}),
			fn(prefix+"interval", []string{"VARCHAR", "INTERVAL"}, ret, func(a []any) (any, error) {
				n, f, err := pgval.ExtractInterval(str(a[0]), ivl(a[1]), float)
				return numResult(n, f, err, float)
			}),
		)
	}
	return fs
}

func canonicalUnit(u string) string {
	if c, ok := pgval.TruncUnit(u); ok {
		return c
	}
	return u
}

func tsDiff(a, b int64) (any, error) {
	if a == pgval.TSInfinity || a == pgval.TSNegInfinity || b == pgval.TSInfinity || b == pgval.TSNegInfinity {
		return nil, failf("22008", "cannot subtract infinite timestamps")
	}
	return toEngineIV(pgval.IntervalJustifyHours(pgval.Interval{Micros: a - b})), nil
}

func intervalsOf(v any) []pgval.Interval {
	items, _ := v.([]any)
	out := make([]pgval.Interval, 0, len(items))
	for _, it := range items {
		if it != nil {
			out = append(out, ivl(it))
		}
	}
	return out
}

func tsList(out []int64, err error) (any, error) {
	if err != nil {
		return nil, fail(err)
	}
	items := make([]any, len(out))
	for i, v := range out {
		items[i] = engine.Timestamp(v)
	}
	return items, nil
}

func seriesInt(a []any) (any, error) {
	start, stop, step := i64(a[0]), i64(a[1]), i64(a[2])
	if step == 0 {
		return nil, failf("22023", "step size cannot equal zero")
	}
	var out []any
	for v := start; step > 0 && v <= stop || step < 0 && v >= stop; v += step {
		out = append(out, v)
		if len(out) > 100_000_000 {
			return nil, failf("54000", "generate_series would return more than 100000000 rows in Hotdata's cache engine")
		}
		if step > 0 && v > (1<<63-1)-step || step < 0 && v < -(1<<63)-step {
			break
		}
	}
	if out == nil {
		out = []any{}
	}
	return out, nil
}

// textOrNull is a to_char result: NULL where PostgreSQL returns NULL
// (an empty template), the error as PostgreSQL's.
func textOrNull(s string, null bool, err error) (any, error) {
	if err != nil {
		return nil, fail(err)
	}
	if null {
		return nil, nil
	}
	return s, nil
}
