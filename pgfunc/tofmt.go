package pgfunc

import (
	"github.com/hotdata-dev/hotdata/engine"
	"github.com/hotdata-dev/hotdata/pgval"
)

// toFmtFuncs are to_date, to_timestamp(text, text) and to_number, and
// to_char of integers.
func toFmtFuncs() []engine.ScalarFunc {
	return []engine.ScalarFunc{
		// to_date(text, text)
		fn("hd_to_date", []string{"VARCHAR", "VARCHAR"}, "DATE", func(a []any) (any, error) {
			d, err := pgval.ToDate(str(a[0]), str(a[1]))
			if err != nil {
				return nil, fail(err)
			}
			return engine.Date(d), nil
		}),
		// to_timestamp(text, text); the third argument is the session
		// TimeZone, the zone of fields the input gives without one.
		fn("hd_to_timestamp_fmt", []string{"VARCHAR", "VARCHAR", "VARCHAR"}, "TIMESTAMPTZ", func(a []any) (any, error) {
			loc, err := zone(a[2])
			if err != nil {
				return nil, err
			}
			return tsResult(pgval.ToTimestampFormat(str(a[0]), str(a[1]), loc))
		}),
		// to_number(text, text): the numeric's text, as unconstrained
		// numerics travel.
		fn("hd_to_number", []string{"VARCHAR", "VARCHAR"}, "VARCHAR", func(a []any) (any, error) {
			n, null, err := pgval.ToNumber(str(a[0]), str(a[1]))
			switch {
			case err != nil:
				return nil, fail(err)
			case null:
				return nil, nil
			}
			return n.String(), nil
		}),
		// to_char(integer, text) (bits 32) and to_char(bigint, text) (bits
		// 64), which differ from numeric's in V overflow, RN range and, for
		// integer, EEEE rounding.
		fn("hd_to_char_int", []string{"BIGINT", "VARCHAR", "INTEGER"}, "VARCHAR", func(a []any) (any, error) {
			s, err := pgval.FormatInt(i64(a[0]), int(i64(a[2])), str(a[1]))
			if err != nil {
				return nil, fail(err)
			}
			return s, nil
		}),
	}
}
