package pgval

import (
	"context"
	"errors"
	"fmt"
	"math/rand"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
)

// A randomized differential test of the date/time functions: random
// timestamps and intervals through extract, date_part, date_trunc, the
// interval arithmetic, age, justify_* and the interval output styles,
// here and on PostgreSQL.

// randomTimestamp is microseconds since 1970 spread over PostgreSQL's
// range, with a bias to ordinary years, days and fractions.
func randomTimestamp(r *rand.Rand) int64 {
	var days int64
	switch r.Intn(6) {
	case 0: // anywhere from 4714 BC to 294000 AD
		days = -2440588 + r.Int63n(2440588+106000000)
	case 1: // BC and early AD
		days = -2440588 + r.Int63n(2440588+800000)
	default: // 1900..2100
		days = -25567 + r.Int63n(73000)
	}
	var tod int64
	switch r.Intn(4) {
	case 0:
		tod = 0
	case 1:
		tod = r.Int63n(24) * USecsPerHour
	case 2:
		tod = r.Int63n(USecsPerDay/USecsPerSec) * USecsPerSec
	default:
		tod = r.Int63n(USecsPerDay)
	}
	return days*USecsPerDay + tod
}

func randomInterval(r *rand.Rand) Interval {
	var iv Interval
	pick := func(n int64) int64 {
		switch r.Intn(4) {
		case 0:
			return 0
		case 1:
			return r.Int63n(2*n+1) - n
		case 2:
			return r.Int63n(25) - 12
		}
		return r.Int63n(n + 1)
	}
	iv.Months = int32(pick(2400))
	iv.Days = int32(pick(1000))
	switch r.Intn(4) {
	case 0:
		iv.Micros = 0
	case 1:
		iv.Micros = (r.Int63n(200) - 100) * USecsPerHour
	case 2:
		iv.Micros = r.Int63n(4*USecsPerDay) - 2*USecsPerDay
	default:
		iv.Micros = (r.Int63n(1e9) - 5e8) * USecsPerSec / 1000
	}
	return iv
}

var (
	extractFields = []string{"microseconds", "milliseconds", "second", "minute", "hour", "day", "month", "quarter",
		"week", "year", "decade", "century", "millennium", "julian", "isoyear", "dow", "isodow", "doy", "epoch",
		"timezone", "timezone_hour", "timezone_minute", "ms", "years", "dec", "c", "foo"}
	intervalFields = []string{"microseconds", "milliseconds", "second", "minute", "hour", "day", "month", "quarter",
		"year", "decade", "century", "millennium", "epoch", "week", "dow", "julian", "foo"}
	truncUnitsAll = []string{"microseconds", "milliseconds", "second", "minute", "hour", "day", "week", "month",
		"quarter", "year", "decade", "century", "millennium", "mins", "h", "dow", "julian", "timezone", "foo"}
	funcZones = []string{"UTC", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe", "Europe/Moscow", "Pacific/Kiritimati", "<+05:45>-05:45"}
)

// ivLiteral is an interval as PostgreSQL reads it back exactly.
func ivLiteral(iv Interval) string {
	return fmt.Sprintf("%d mons %d days %d microseconds", iv.Months, iv.Days, iv.Micros)
}

func tsLiteral(us int64) string {
	return string(AppendTimestamp(nil, us, DefaultStyle))
}

// funcCase is one call: the SQL PostgreSQL runs, and our evaluation.
type funcCase struct {
	zone string
	sql  string
	eval func(st Style) (string, error)
}

func randomFuncCase(r *rand.Rand) funcCase {
	zone := funcZones[r.Intn(len(funcZones))]
	ts := randomTimestamp(r)
	iv := randomInterval(r)
	tsl, ivl := tsLiteral(ts), ivLiteral(iv)
	num := func(n Numeric, _ float64, err error) (string, error) {
		if IsNull(err) {
			return "<NULL>", nil
		}
		return n.String(), err
	}
	flt := func(_ Numeric, f float64, err error) (string, error) {
		if IsNull(err) {
			return "<NULL>", nil
		}
		return string(AppendFloat(nil, f, 64, 1)), err
	}
	tstzOut := func(us int64, err error) func(st Style) (string, error) {
		return func(st Style) (string, error) {
			if err != nil {
				return "", err
			}
			return string(AppendTimestamptz(nil, us, st)), nil
		}
	}
	switch r.Intn(21) {
	case 19:
		ts2 := randomTimestamp(r)
		return funcCase{zone, fmt.Sprintf("age(timestamptz '%s+00', timestamptz '%s+00')", tsl, tsLiteral(ts2)), func(st Style) (string, error) {
			return string(AppendInterval(nil, Age(UTCToLocal(ts, st.Loc), UTCToLocal(ts2, st.Loc)), st)), nil
		}}
	case 20:
		origin := randomTimestamp(r)
		stride := iv
		if r.Intn(3) > 0 {
			stride.Months = 0
		}
		return funcCase{zone, fmt.Sprintf("date_bin(interval '%s', timestamp '%s', timestamp '%s')", ivLiteral(stride), tsl, tsLiteral(origin)), func(st Style) (string, error) {
			v, err := DateBin(stride, ts, origin)
			return string(AppendTimestamp(nil, v, st)), err
		}}
	case 16:
		f := extractFields[r.Intn(len(extractFields))]
		days, _ := SplitTimestamp(ts)
		float := r.Intn(2) == 0
		sql := fmt.Sprintf("extract(%s FROM date '%s')", quoteIdentIfNeeded(f), AppendDate(nil, days, DefaultStyle))
		if float {
			sql = fmt.Sprintf("date_part('%s', date '%s')", f, AppendDate(nil, days, DefaultStyle))
		}
		return funcCase{zone, sql, func(Style) (string, error) {
			if float {
				return flt(ExtractDate(f, days, true))
			}
			return num(ExtractDate(f, days, false))
		}}
	case 17:
		f := extractFields[r.Intn(len(extractFields))]
		_, tod := SplitTimestamp(ts)
		float := r.Intn(2) == 0
		sql := fmt.Sprintf("extract(%s FROM time '%s')", quoteIdentIfNeeded(f), AppendTime(nil, tod))
		if float {
			sql = fmt.Sprintf("date_part('%s', time '%s')", f, AppendTime(nil, tod))
		}
		return funcCase{zone, sql, func(Style) (string, error) {
			if float {
				return flt(ExtractTime(f, tod, true))
			}
			return num(ExtractTime(f, tod, false))
		}}
	case 18:
		f := intervalFields[r.Intn(len(intervalFields))]
		return funcCase{zone, fmt.Sprintf("date_part('%s', interval '%s')", f, ivl), func(Style) (string, error) {
			return flt(ExtractInterval(f, iv, true))
		}}
	case 15:
		mzones := []string{"+05", "-03:30", "+5", "5", "+16", "+05:30:xx", "EST", "msk", "MSK", "UTC+5", "Asia/Kolkata",
			"america/new_york", "Mars/Base", "z", "-0800", "+14:59"}
		z := mzones[r.Intn(len(mzones))]
		t := toTM(ts)
		y := t.year
		if y <= 0 {
			y--
		}
		sec := float64(t.sec) + float64(t.fsec)/1e6
		return funcCase{zone, fmt.Sprintf("make_timestamptz(%d, %d, %d, %d, %d, %s, '%s')", y, t.mon, t.mday, t.hour, t.min,
			strconv.FormatFloat(sec, 'f', -1, 64), z), func(st Style) (string, error) {
			local, err := MakeTimestamp(y, t.mon, t.mday, t.hour, t.min, sec)
			if err != nil {
				return "", err
			}
			name, err := SaneTimeZone(z)
			if err != nil {
				return "", err
			}
			v, err := LocalToUTCIn(local, name)
			return string(AppendTimestamptz(nil, v, st)), err
		}}
	case 13, 14:
		atZones := []string{"EST", "msk", "MSK", "lhdt", "UTC+5", "+05", "-03:30", "America/Sao_Paulo", "europe/paris",
			"Mars/Base", "EST5EDT", "<+05>-05", "z", "jst", "ist", "nzdt", "volt", "Europe/Volgograd", "ACT", "foo5bar"}
		z := atZones[r.Intn(len(atZones))]
		if r.Intn(2) == 0 {
			return funcCase{zone, fmt.Sprintf("timestamptz '%s+00' AT TIME ZONE '%s'", tsl, z), func(st Style) (string, error) {
				name, err := AtTimeZone(z)
				if err != nil {
					return "", err
				}
				v, err := UTCToLocalIn(ts, name)
				return string(AppendTimestamp(nil, v, st)), err
			}}
		}
		return funcCase{zone, fmt.Sprintf("timestamp '%s' AT TIME ZONE '%s'", tsl, z), func(st Style) (string, error) {
			name, err := AtTimeZone(z)
			if err != nil {
				return "", err
			}
			v, err := LocalToUTCIn(ts, name)
			return string(AppendTimestamptz(nil, v, st)), err
		}}
	case 12:
		// interval input under a typmod: the fields decide a bare
		// number's unit, then AdjustIntervalForTypmod.
		quals := []struct {
			sql  string
			mask int
			prec int
		}{
			{"YEAR", imYear, 0xffff}, {"MONTH", imMonth, 0xffff}, {"DAY", imDay, 0xffff}, {"HOUR", imHour, 0xffff},
			{"MINUTE", imMinute, 0xffff}, {"SECOND", imSecond, 0xffff}, {"YEAR TO MONTH", imYear | imMonth, 0xffff},
			{"DAY TO HOUR", imDay | imHour, 0xffff}, {"DAY TO MINUTE", imDay | imHour | imMinute, 0xffff},
			{"DAY TO SECOND", imDay | imHour | imMinute | imSecond, 0xffff}, {"HOUR TO MINUTE", imHour | imMinute, 0xffff},
			{"HOUR TO SECOND", imHour | imMinute | imSecond, 0xffff}, {"MINUTE TO SECOND", imMinute | imSecond, 0xffff},
			{"SECOND(2)", imSecond, 2}, {"DAY TO SECOND(0)", imDay | imHour | imMinute | imSecond, 0}, {"(3)", intervalFullRange, 3},
		}
		q := quals[r.Intn(len(quals))]
		in := randomInput(r, ivPieces, ivSeps)
		if strings.ContainsAny(in, "'\\") {
			in = "1"
		}
		return funcCase{zone, fmt.Sprintf("CAST('%s' AS INTERVAL %s)", in, q.sql), func(st Style) (string, error) {
			v, err := ParseIntervalField(in, st, q.mask)
			if err != nil {
				return "", err
			}
			return string(AppendInterval(nil, IntervalTypmod(v, int32(q.mask<<16|q.prec)), st)), nil
		}}
	case 0:
		f := extractFields[r.Intn(len(extractFields))]
		return funcCase{zone, fmt.Sprintf("extract(%s FROM timestamp '%s')", quoteIdentIfNeeded(f), tsl), func(Style) (string, error) {
			return num(ExtractTimestamp(strings.ToLower(f), ts, nil, "timestamp without time zone", false))
		}}
	case 1:
		f := extractFields[r.Intn(len(extractFields))]
		return funcCase{zone, fmt.Sprintf("extract(%s FROM timestamptz '%s+00')", quoteIdentIfNeeded(f), tsl), func(st Style) (string, error) {
			secs, _ := floorDivMod(ts, USecsPerSec)
			_, off := time.Unix(secs, 0).In(st.Loc).Zone()
			return num(ExtractTimestamp(f, UTCToLocal(ts, st.Loc), &off, "timestamp with time zone", false))
		}}
	case 2:
		f := extractFields[r.Intn(len(extractFields))]
		return funcCase{zone, fmt.Sprintf("date_part('%s', timestamp '%s')", f, tsl), func(Style) (string, error) {
			return flt(ExtractTimestamp(f, ts, nil, "timestamp without time zone", true))
		}}
	case 3:
		f := intervalFields[r.Intn(len(intervalFields))]
		return funcCase{zone, fmt.Sprintf("extract(%s FROM interval '%s')", quoteIdentIfNeeded(f), ivl), func(Style) (string, error) {
			return num(ExtractInterval(f, iv, false))
		}}
	case 4:
		u := truncUnitsAll[r.Intn(len(truncUnitsAll))]
		return funcCase{zone, fmt.Sprintf("date_trunc('%s', timestamp '%s')", u, tsl), func(st Style) (string, error) {
			t, err := TruncTimestamp(u, ts, "timestamp without time zone")
			if err != nil {
				return "", err
			}
			return string(AppendTimestamp(nil, t, st)), nil
		}}
	case 5:
		u := truncUnitsAll[r.Intn(len(truncUnitsAll))]
		return funcCase{zone, fmt.Sprintf("date_trunc('%s', timestamptz '%s+00')", u, tsl), func(st Style) (string, error) {
			return tstzOut(TruncTimestamptz(u, ts, st.Loc))(st)
		}}
	case 6:
		return funcCase{zone, fmt.Sprintf("timestamp '%s' + interval '%s'", tsl, ivl), func(st Style) (string, error) {
			t, err := TimestampPlusInterval(ts, iv)
			if err != nil {
				return "", err
			}
			return string(AppendTimestamp(nil, t, st)), nil
		}}
	case 7:
		return funcCase{zone, fmt.Sprintf("timestamptz '%s+00' + interval '%s'", tsl, ivl), func(st Style) (string, error) {
			return tstzOut(TimestamptzPlusInterval(ts, iv, st.Loc))(st)
		}}
	case 8:
		ts2 := randomTimestamp(r)
		return funcCase{zone, fmt.Sprintf("age(timestamp '%s', timestamp '%s')", tsl, tsLiteral(ts2)), func(st Style) (string, error) {
			return string(AppendInterval(nil, Age(ts, ts2), st)), nil
		}}
	case 9:
		styles := []string{"postgres", "postgres_verbose", "sql_standard", "iso_8601"}
		s := styles[r.Intn(len(styles))]
		return funcCase{"UTC|" + s, fmt.Sprintf("interval '%s'", ivl), func(st Style) (string, error) {
			v, err := ParseInterval(ivl, st)
			return string(AppendInterval(nil, v, st)), err
		}}
	case 10:
		factors := []string{"2", "0.5", "-1.5", "1.0e-3", "3.7", "1e6", "0.333333"}
		fs := factors[r.Intn(len(factors))]
		f, _ := strconv.ParseFloat(fs, 64)
		if r.Intn(2) == 0 {
			return funcCase{zone, fmt.Sprintf("interval '%s' * %s::float8", ivl, fs), func(st Style) (string, error) {
				v, err := IntervalMul(iv, f)
				return string(AppendInterval(nil, v, st)), err
			}}
		}
		return funcCase{zone, fmt.Sprintf("interval '%s' / %s::float8", ivl, fs), func(st Style) (string, error) {
			v, err := IntervalDiv(iv, f)
			return string(AppendInterval(nil, v, st)), err
		}}
	}
	fns := []string{"justify_days", "justify_hours", "justify_interval"}
	fn := fns[r.Intn(len(fns))]
	return funcCase{zone, fmt.Sprintf("%s(interval '%s')", fn, ivl), func(st Style) (string, error) {
		var v Interval
		switch fn {
		case "justify_days":
			v = IntervalJustifyDays(iv)
		case "justify_hours":
			v = IntervalJustifyHours(iv)
		default:
			v = IntervalJustify(iv)
		}
		return string(AppendInterval(nil, v, st)), nil
	}}
}

// quoteIdentIfNeeded writes an extract field as a string constant (some
// unit names, dec, are keywords).
func quoteIdentIfNeeded(f string) string { return "'" + f + "'" }

// TestDatetimeFuncsRandomPostgres compares random calls of the date/time
// functions with PostgreSQL. HOTDATA_DTFUNCS_N sets the number of calls
// (default 3000), HOTDATA_DTINPUT_SEED the seed.
func TestDatetimeFuncsRandomPostgres(t *testing.T) {
	pg := openPG(t)
	ctx := context.Background()
	n := 3000
	if v, err := strconv.Atoi(os.Getenv("HOTDATA_DTFUNCS_N")); err == nil {
		n = v
	}
	seed := int64(15)
	if v, err := strconv.ParseInt(os.Getenv("HOTDATA_DTINPUT_SEED"), 10, 64); err == nil {
		seed = v
	}
	r := rand.New(rand.NewSource(seed))
	cur := ""
	nfail := 0
	for i := 0; i < n; i++ {
		c := randomFuncCase(r)
		set := dtDefault
		zone, istyle, _ := strings.Cut(c.zone, "|")
		set.tz = zone
		if istyle != "" {
			set.intervalStyle = istyle
		}
		if key := set.tz + "|" + set.intervalStyle; key != cur {
			for _, q := range []string{"SET TimeZone = " + quoteLit(set.tz), "SET IntervalStyle = " + quoteLit(set.intervalStyle), "SET extra_float_digits = 1"} {
				if _, err := pg.conn.Exec(ctx, q); err != nil {
					t.Fatal(err)
				}
			}
			pg.set = dtSettings{}
			cur = key
		}
		var res *string
		want := ""
		if err := pg.conn.QueryRow(ctx, "SELECT ("+c.sql+")::text").Scan(&res); err != nil {
			var pe *pgconn.PgError
			if !errors.As(err, &pe) {
				t.Fatalf("%s: %v", c.sql, err)
			}
			want = "ERROR " + pe.Code + ": " + pe.Message
		} else if res == nil {
			want = "<NULL>"
		} else {
			want = *res
		}
		got := outcome(c.eval(set.style(t)))
		if !sameAnswer(got, want) {
			nfail++
			if nfail <= 60 {
				t.Errorf("[%s] SELECT %s\n  go: %q\n  pg: %q", c.zone, c.sql, got, want)
			}
		}
	}
	if nfail > 0 {
		t.Errorf("%d differences in %d calls", nfail, n)
	}
}
