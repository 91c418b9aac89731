package pgfunc

import (
	"time"

	"github.com/hotdata-dev/hotdata/engine"
	"github.com/hotdata-dev/hotdata/pgval"
)

// inet, cidr, money, bit, bit varying and time with time zone: the
// engine holds them as PostgreSQL's text output; these functions read
// that text, compute as PostgreSQL does, and print the result.

func inetOf(v any) (pgval.Inet, error) {
	ip, err := pgval.ParseInet(str(v), false)
	if err != nil {
		return ip, fail(err)
	}
	return ip, nil
}

func cashOf(v any) (int64, error) {
	c, err := pgval.ParseMoney(str(v))
	if err != nil {
		return 0, fail(err)
	}
	return c, nil
}

func timetzOf(v any) (pgval.Timetz, error) {
	t, err := pgval.ParseTimetz(str(v), pgval.DefaultStyle, nil)
	if err != nil {
		return t, fail(err)
	}
	return t, nil
}

func cashResult(c int64, err error) (any, error) {
	if err != nil {
		return nil, fail(err)
	}
	return pgval.FormatMoney(c), nil
}

func strResult(s string, err error) (any, error) {
	if err != nil {
		return nil, fail(err)
	}
	return s, nil
}

func netTypeFuncs() []engine.ScalarFunc {
	now := func() time.Time { return time.Now() }
	in := func(name string, f func(s string, st pgval.Style) (string, error)) engine.ScalarFunc {
		return fn("hd_in_"+name, []string{"VARCHAR", "VARCHAR"}, "VARCHAR", func(a []any) (any, error) {
			return strResult(f(str(a[0]), style(a[1])))
		})
	}
	inet1 := map[string]func(ip pgval.Inet) string{
		"host":        pgval.Inet.Host,
		"show":        pgval.Inet.Show,
		"abbrev":      func(ip pgval.Inet) string { return ip.Abbrev(false) },
		"abbrev_cidr": func(ip pgval.Inet) string { return ip.Abbrev(true) },
		"network":     func(ip pgval.Inet) string { return ip.Network().Format(true) },
		"broadcast":   func(ip pgval.Inet) string { return ip.Broadcast().Format(false) },
		"netmask":     func(ip pgval.Inet) string { return ip.Netmask().Format(false) },
		"hostmask":    func(ip pgval.Inet) string { return ip.Hostmask().Format(false) },
		"not":         func(ip pgval.Inet) string { return ip.Not().Format(false) },
		"inet":        func(ip pgval.Inet) string { return ip.Format(false) },
		"cidr":        func(ip pgval.Inet) string { return ip.ToCidr().Format(true) },
		"key":         pgval.Inet.SortKey,
	}
	inetBool := map[string]func(a, b pgval.Inet) bool{
		"sub": pgval.Inet.Sub, "subeq": pgval.Inet.SubEq, "sup": pgval.Inet.Sup, "supeq": pgval.Inet.SupEq,
		"overlap":     pgval.Inet.Overlap,
		"same_family": func(a, b pgval.Inet) bool { return a.Family == b.Family },
	}
	inet2 := map[string]func(a, b pgval.Inet) (string, error){
		"and": func(a, b pgval.Inet) (string, error) { r, err := a.And(b); return r.Format(false), err },
		"or":  func(a, b pgval.Inet) (string, error) { r, err := a.Or(b); return r.Format(false), err },
		"merge": func(a, b pgval.Inet) (string, error) {
			r, err := a.Merge(b)
			return r.Format(true), err
		},
	}
	bitOps := map[string]func(a, b string) (string, error){
		"and": pgval.BitAnd, "or": pgval.BitOr, "xor": pgval.BitXor,
	}
	fs := []engine.ScalarFunc{
		in("inet", func(s string, st pgval.Style) (string, error) {
			ip, err := pgval.ParseInet(s, false)
			return ip.Format(false), err
		}),
		in("cidr", func(s string, st pgval.Style) (string, error) {
			ip, err := pgval.ParseInet(s, true)
			return ip.Format(true), err
		}),
		in("money", func(s string, st pgval.Style) (string, error) {
			c, err := pgval.ParseMoney(s)
			return pgval.FormatMoney(c), err
		}),
		in("bit", func(s string, st pgval.Style) (string, error) { return pgval.ParseBit(s, -1, false) }),
		in("varbit", func(s string, st pgval.Style) (string, error) { return pgval.ParseBit(s, -1, true) }),
		in("timetz", func(s string, st pgval.Style) (string, error) {
			t, err := pgval.ParseTimetz(s, st, now)
			return t.String(), err
		}),
		// inet and cidr.
		fn("hd_inet_f", []string{"VARCHAR", "VARCHAR"}, "VARCHAR", func(a []any) (any, error) {
			ip, err := inetOf(a[0])
			if err != nil {
				return nil, err
			}
			return inet1[str(a[1])](ip), nil
		}),
		fn("hd_inet_i", []string{"VARCHAR", "VARCHAR"}, "INTEGER", func(a []any) (any, error) {
			ip, err := inetOf(a[0])
			if err != nil {
				return nil, err
			}
			if str(a[1]) == "family" {
				return int32(ip.FamilyNumber()), nil
			}
			return int32(ip.Bits), nil
		}),
		fn("hd_inet_b", []string{"VARCHAR", "VARCHAR", "VARCHAR"}, "BOOLEAN", func(a []any) (any, error) {
			x, err := inetOf(a[0])
			if err != nil {
				return nil, err
			}
			y, err := inetOf(a[1])
			if err != nil {
				return nil, err
			}
			return inetBool[str(a[2])](x, y), nil
		}),
		fn("hd_inet_2", []string{"VARCHAR", "VARCHAR", "VARCHAR"}, "VARCHAR", func(a []any) (any, error) {
			x, err := inetOf(a[0])
			if err != nil {
				return nil, err
			}
			y, err := inetOf(a[1])
			if err != nil {
				return nil, err
			}
			return strResult(inet2[str(a[2])](x, y))
		}),
		fn("hd_inet_pl", []string{"VARCHAR", "BIGINT"}, "VARCHAR", func(a []any) (any, error) {
			x, err := inetOf(a[0])
			if err != nil {
				return nil, err
			}
			r, err := x.Plus(i64(a[1]))
			return strResult(r.Format(false), err)
		}),
		fn("hd_inet_mi_int", []string{"VARCHAR", "BIGINT"}, "VARCHAR", func(a []any) (any, error) {
			x, err := inetOf(a[0])
			if err != nil {
				return nil, err
			}
			n := i64(a[1])
			if n == -9223372036854775808 {
				// -addend overflows: internal_inetpl sees the same value.
				r, err := x.Plus(n)
				return strResult(r.Format(false), err)
			}
			r, err := x.Plus(-n)
			return strResult(r.Format(false), err)
		}),
		fn("hd_inet_mi", []string{"VARCHAR", "VARCHAR"}, "BIGINT", func(a []any) (any, error) {
			x, err := inetOf(a[0])
			if err != nil {
				return nil, err
			}
			y, err := inetOf(a[1])
			if err != nil {
				return nil, err
			}
			r, err := x.Minus(y)
			if err != nil {
				return nil, fail(err)
			}
			return r, nil
		}),
		fn("hd_inet_setmasklen", []string{"VARCHAR", "INTEGER", "BOOLEAN"}, "VARCHAR", func(a []any) (any, error) {
			x, err := inetOf(a[0])
			if err != nil {
				return nil, err
			}
			cidr, _ := a[2].(bool)
			r, err := x.SetMasklen(i64(a[1]), cidr)
			return strResult(r.Format(cidr), err)
		}),
		// money.
		fn("hd_cash_key", []string{"VARCHAR"}, "BIGINT", func(a []any) (any, error) { return cashOf(a[0]) }),
		fn("hd_cash_out", []string{"BIGINT"}, "VARCHAR", func(a []any) (any, error) { return pgval.FormatMoney(i64(a[0])), nil }),
		fn("hd_cash_pl", []string{"VARCHAR", "VARCHAR"}, "VARCHAR", func(a []any) (any, error) {
			x, err := cashOf(a[0])
			if err != nil {
				return nil, err
			}
			y, err := cashOf(a[1])
			if err != nil {
				return nil, err
			}
			return cashResult(pgval.MoneyPlus(x, y))
		}),
		fn("hd_cash_mi", []string{"VARCHAR", "VARCHAR"}, "VARCHAR", func(a []any) (any, error) {
			x, err := cashOf(a[0])
			if err != nil {
				return nil, err
			}
			y, err := cashOf(a[1])
			if err != nil {
				return nil, err
			}
			return cashResult(pgval.MoneyMinus(x, y))
		}),
		fn("hd_cash_mul_int", []string{"VARCHAR", "BIGINT"}, "VARCHAR", func(a []any) (any, error) {
			x, err := cashOf(a[0])
			if err != nil {
				return nil, err
			}
			return cashResult(pgval.MoneyMulInt(x, i64(a[1])))
		}),
		fn("hd_cash_div_int", []string{"VARCHAR", "BIGINT"}, "VARCHAR", func(a []any) (any, error) {
			x, err := cashOf(a[0])
			if err != nil {
				return nil, err
			}
			return cashResult(pgval.MoneyDivInt(x, i64(a[1])))
		}),
		fn("hd_cash_mul_flt", []string{"VARCHAR", "DOUBLE"}, "VARCHAR", func(a []any) (any, error) {
			x, err := cashOf(a[0])
			if err != nil {
				return nil, err
			}
			return cashResult(pgval.MoneyMulFloat(x, f64(a[1])))
		}),
		fn("hd_cash_div_flt", []string{"VARCHAR", "DOUBLE"}, "VARCHAR", func(a []any) (any, error) {
			x, err := cashOf(a[0])
			if err != nil {
				return nil, err
			}
			return cashResult(pgval.MoneyDivFloat(x, f64(a[1])))
		}),
		fn("hd_cash_div_cash", []string{"VARCHAR", "VARCHAR"}, "DOUBLE", func(a []any) (any, error) {
			x, err := cashOf(a[0])
			if err != nil {
				return nil, err
			}
			y, err := cashOf(a[1])
			if err != nil {
				return nil, err
			}
			r, err := pgval.MoneyDivMoney(x, y)
			if err != nil {
				return nil, fail(err)
			}
			return r, nil
		}),
		fn("hd_cash_numeric", []string{"VARCHAR"}, "VARCHAR", func(a []any) (any, error) {
			x, err := cashOf(a[0])
			if err != nil {
				return nil, err
			}
			return pgval.MoneyToNumeric(x).String(), nil
		}),
		fn("hd_numeric_cash", []string{"VARCHAR"}, "VARCHAR", func(a []any) (any, error) {
			n, err := pgval.ParseNumeric(str(a[0]))
			if err != nil {
				return nil, fail(err)
			}
			return cashResult(pgval.NumericToMoney(n))
		}),
		fn("hd_int_cash", []string{"BIGINT"}, "VARCHAR", func(a []any) (any, error) {
			return cashResult(pgval.IntToMoney(i64(a[0])))
		}),
		fn("hd_cash_words", []string{"VARCHAR"}, "VARCHAR", func(a []any) (any, error) {
			x, err := cashOf(a[0])
			if err != nil {
				return nil, err
			}
			return pgval.MoneyWords(x), nil
		}),
		fn("hd_cash_sum", []string{"VARCHAR[]"}, "VARCHAR", func(a []any) (any, error) {
			items, _ := a[0].([]any)
			var sum int64
			n := 0
			for _, it := range items {
				if it == nil {
					continue
				}
				x, err := cashOf(it)
				if err != nil {
					return nil, err
				}
				if sum, err = pgval.MoneyPlus(sum, x); err != nil {
					return nil, fail(err)
				}
				n++
			}
			if n == 0 {
				return nil, nil
			}
			return pgval.FormatMoney(sum), nil
		}),
		// bit and bit varying.
		fn("hd_bit_op", []string{"VARCHAR", "VARCHAR", "VARCHAR"}, "VARCHAR", func(a []any) (any, error) {
			return strResult(bitOps[str(a[2])](str(a[0]), str(a[1])))
		}),
		fn("hd_bit_agg", []string{"VARCHAR[]", "VARCHAR"}, "VARCHAR", func(a []any) (any, error) {
			items, _ := a[0].([]any)
			var acc string
			have := false
			for _, it := range items {
				if it == nil {
					continue
				}
				if !have {
					acc, have = str(it), true
					continue
				}
				var err error
				if acc, err = bitOps[str(a[1])](acc, str(it)); err != nil {
					return nil, fail(err)
				}
			}
			if !have {
				return nil, nil
			}
			return acc, nil
		}),
		fn("hd_bit_not", []string{"VARCHAR"}, "VARCHAR", func(a []any) (any, error) { return pgval.BitNot(str(a[0])), nil }),
		fn("hd_bit_shl", []string{"VARCHAR", "INTEGER"}, "VARCHAR", func(a []any) (any, error) {
			return pgval.BitShiftLeft(str(a[0]), i64(a[1])), nil
		}),
		fn("hd_bit_shr", []string{"VARCHAR", "INTEGER"}, "VARCHAR", func(a []any) (any, error) {
			return pgval.BitShiftRight(str(a[0]), i64(a[1])), nil
		}),
		fn("hd_bit_typmod", []string{"VARCHAR", "INTEGER", "BOOLEAN", "BOOLEAN"}, "VARCHAR", func(a []any) (any, error) {
			explicit, _ := a[2].(bool)
			varying, _ := a[3].(bool)
			return strResult(pgval.BitTypmod(str(a[0]), int(i64(a[1])), explicit, varying))
		}),
		fn("hd_bit_substr", []string{"VARCHAR", "INTEGER", "INTEGER"}, "VARCHAR", func(a []any) (any, error) {
			return strResult(pgval.BitSubstring(str(a[0]), i64(a[1]), i64(a[2]), false))
		}),
		fn("hd_bit_substr1", []string{"VARCHAR", "INTEGER"}, "VARCHAR", func(a []any) (any, error) {
			return strResult(pgval.BitSubstring(str(a[0]), i64(a[1]), -1, true))
		}),
		fn("hd_bit_overlay", []string{"VARCHAR", "VARCHAR", "INTEGER", "INTEGER"}, "VARCHAR", func(a []any) (any, error) {
			return strResult(pgval.BitOverlay(str(a[0]), str(a[1]), i64(a[2]), i64(a[3])))
		}),
		fn("hd_bit_position", []string{"VARCHAR", "VARCHAR"}, "INTEGER", func(a []any) (any, error) {
			return int32(pgval.BitPosition(str(a[0]), str(a[1]))), nil
		}),
		fn("hd_bit_get", []string{"VARCHAR", "INTEGER"}, "INTEGER", func(a []any) (any, error) {
			v, err := pgval.BitGet(str(a[0]), i64(a[1]))
			if err != nil {
				return nil, fail(err)
			}
			return int32(v), nil
		}),
		fn("hd_bit_set", []string{"VARCHAR", "INTEGER", "INTEGER"}, "VARCHAR", func(a []any) (any, error) {
			return strResult(pgval.BitSet(str(a[0]), i64(a[1]), i64(a[2])))
		}),
		fn("hd_bit_cmp", []string{"VARCHAR", "VARCHAR"}, "INTEGER", func(a []any) (any, error) {
			return int32(pgval.BitCmp(str(a[0]), str(a[1]))), nil
		}),
		fn("hd_bit_count", []string{"VARCHAR"}, "BIGINT", func(a []any) (any, error) { return pgval.BitCount(str(a[0])), nil }),
		fn("hd_int_to_bit", []string{"BIGINT", "INTEGER", "INTEGER"}, "VARCHAR", func(a []any) (any, error) {
			return pgval.BitFromInt(i64(a[0]), int(i64(a[1])), int(i64(a[2]))), nil
		}),
		fn("hd_bit_to_int", []string{"VARCHAR", "INTEGER"}, "BIGINT", func(a []any) (any, error) {
			v, err := pgval.BitToInt(str(a[0]), int(i64(a[1])))
			if err != nil {
				return nil, fail(err)
			}
			return v, nil
		}),
		// time with time zone.
		fn("hd_timetz_key", []string{"VARCHAR"}, "BIGINT", func(a []any) (any, error) {
			t, err := timetzOf(a[0])
			if err != nil {
				return nil, err
			}
			return t.SortKey(), nil
		}),
		fn("hd_timetz_time", []string{"VARCHAR"}, "TIME", func(a []any) (any, error) {
			t, err := timetzOf(a[0])
			if err != nil {
				return nil, err
			}
			return engine.Time(t.Time), nil
		}),
		fn("hd_timetz_pl", []string{"VARCHAR", "INTERVAL", "INTEGER"}, "VARCHAR", func(a []any) (any, error) {
			t, err := timetzOf(a[0])
			if err != nil {
				return nil, err
			}
			return t.PlusInterval(ivl(a[1]), i64(a[2])).String(), nil
		}),
		fn("hd_timetz_typmod", []string{"VARCHAR", "INTEGER"}, "VARCHAR", func(a []any) (any, error) {
			t, err := timetzOf(a[0])
			if err != nil {
				return nil, err
			}
			t.Time = pgval.RoundTimestamp(t.Time, int(i64(a[1])))
			return t.String(), nil
		}),
		fn("hd_timetz_at", []string{"VARCHAR", "VARCHAR", "TIMESTAMPTZ"}, "VARCHAR", func(a []any) (any, error) {
			t, err := timetzOf(a[0])
			if err != nil {
				return nil, err
			}
			us := ts(a[2])
			tz, err := pgval.TimetzZoneOffset(str(a[1]), time.UnixMicro(us))
			if err != nil {
				return nil, failf("22023", "time zone \"%s\" not recognized", str(a[1]))
			}
			return t.AtZone(tz).String(), nil
		}),
		fn("hd_timetz_izone", []string{"VARCHAR", "INTERVAL"}, "VARCHAR", func(a []any) (any, error) {
			t, err := timetzOf(a[0])
			if err != nil {
				return nil, err
			}
			iv := ivl(a[1])
			if iv.Months != 0 || iv.Days != 0 {
				return nil, failf("22023", "interval time zone \"%s\" must not include months or days", string(pgval.AppendInterval(nil, iv, pgval.DefaultStyle)))
			}
			return t.AtZone(int(-(iv.Micros / 1_000_000))).String(), nil
		}),
		fn("hd_tstz_timetz", []string{"TIMESTAMPTZ", "VARCHAR"}, "VARCHAR", func(a []any) (any, error) {
			loc, err := zone(a[1])
			if err != nil {
				return nil, err
			}
			us := ts(a[0])
			if us == pgval.TSInfinity || us == pgval.TSNegInfinity {
				return nil, nil
			}
			return pgval.TimetzFromTimestamptz(us, loc).String(), nil
		}),
		fn("hd_time_timetz", []string{"TIME", "VARCHAR", "TIMESTAMPTZ"}, "VARCHAR", func(a []any) (any, error) {
			loc, err := zone(a[1])
			if err != nil {
				return nil, err
			}
			return pgval.TimetzFromTime(int64(a[0].(engine.Time)), loc, time.UnixMicro(ts(a[2]))).String(), nil
		}),
		fn("hd_date_timetz", []string{"DATE", "VARCHAR"}, "TIMESTAMPTZ", func(a []any) (any, error) {
			t, err := timetzOf(a[1])
			if err != nil {
				return nil, err
			}
			d := int64(a[0].(engine.Date))
			return tsResult(pgval.DateTimetz(d, t))
		}),
		fn("hd_interval_time", []string{"INTERVAL"}, "TIME", func(a []any) (any, error) {
			us := ivl(a[0]).Micros % pgval.USecsPerDay
			if us < 0 {
				us += pgval.USecsPerDay
			}
			return engine.Time(us), nil
		}),
	}
	for _, float := range []bool{false, true} {
		float := float
		name, ret := "hd_extract_timetz", "VARCHAR"
		if float {
			name, ret = "hd_date_part_timetz", "DOUBLE"
		}
		fs = append(fs, fn(name, []string{"VARCHAR", "VARCHAR"}, ret, func(a []any) (any, error) {
			t, err := timetzOf(a[1])
			if err != nil {
				return nil, err
			}
			n, f, err := pgval.ExtractTimetz(str(a[0]), t, float)
			return numResult(n, f, err, float)
		}))
	}
	return fs
}
