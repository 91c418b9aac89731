package pgfunc

import "github.com/hotdata-dev/hotdata/engine"

// byteaFuncs are bytea functions the engine has not for BLOBs.
func byteaFuncs() []engine.ScalarFunc {
	return []engine.ScalarFunc{
		// substr(bytea, start [, count]) as bytea_substr: positions from
		// 1, a start before 1 shortens the count.
		fn("hd_bsubstr1", []string{"BLOB", "INTEGER"}, "BLOB", func(a []any) (any, error) {
			b, _ := a[0].([]byte)
			return byteaSubstr(b, i64(a[1]), -1, false)
		}),
		fn("hd_bsubstr", []string{"BLOB", "INTEGER", "INTEGER"}, "BLOB", func(a []any) (any, error) {
			b, _ := a[0].([]byte)
			return byteaSubstr(b, i64(a[1]), i64(a[2]), true)
		}),
	}
}

func byteaSubstr(b []byte, start, count int64, withCount bool) ([]byte, error) {
	if withCount && count < 0 {
		return nil, failf("22011", "negative substring length not allowed")
	}
	s := max(start, 1) - 1
	e := int64(len(b))
	if withCount {
		e = min(start+count-1, e)
	}
	if s >= int64(len(b)) || e <= s {
		return []byte{}, nil
	}
	return append([]byte{}, b[s:e]...), nil
}
