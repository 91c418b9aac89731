package api

import (
	"encoding/base64"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/decimal256"

	"github.com/hotdata-dev/hotdata/wire"
)

// jsonValue returns row i of one column as a JSON-encodable Go value that
// owns its memory (engine batches are freed after the call).
type jsonValue func(i int) any

// jsonValueFor picks the conversion of one column. Decimals are strings so
// no digit is lost; timestamps are RFC 3339; binary is base64; NaN and
// infinities are the strings "NaN", "Infinity", "-Infinity".
func jsonValueFor(a arrow.Array) jsonValue {
	switch a := a.(type) {
	case *array.Boolean:
		return func(i int) any { return a.Value(i) }
	case *array.Int8:
		return func(i int) any { return a.Value(i) }
	case *array.Int16:
		return func(i int) any { return a.Value(i) }
	case *array.Int32:
		return func(i int) any { return a.Value(i) }
	case *array.Int64:
		return func(i int) any { return a.Value(i) }
	case *array.Uint8:
		return func(i int) any { return a.Value(i) }
	case *array.Uint16:
		return func(i int) any { return a.Value(i) }
	case *array.Uint32:
		return func(i int) any { return a.Value(i) }
	case *array.Uint64:
		return func(i int) any { return a.Value(i) }
	case *array.Float32:
		return func(i int) any { return jsonFloat(float64(a.Value(i))) }
	case *array.Float64:
		return func(i int) any { return jsonFloat(a.Value(i)) }
	case *array.Decimal128:
		scale := a.DataType().(*arrow.Decimal128Type).Scale
		return func(i int) any { return decimal128.Num(a.Value(i)).ToString(scale) }
	case *array.Decimal256:
		scale := a.DataType().(*arrow.Decimal256Type).Scale
		return func(i int) any { return decimal256.Num(a.Value(i)).ToString(scale) }
	case *array.String:
		return func(i int) any { return strings.Clone(a.Value(i)) }
	case *array.LargeString:
		return func(i int) any { return strings.Clone(a.Value(i)) }
	case *array.StringView:
		return func(i int) any { return strings.Clone(a.Value(i)) }
	case *array.Binary:
		return func(i int) any { return base64.StdEncoding.EncodeToString(a.Value(i)) }
	case *array.LargeBinary:
		return func(i int) any { return base64.StdEncoding.EncodeToString(a.Value(i)) }
	case *array.Date32:
		return func(i int) any { return a.Value(i).ToTime().Format(time.DateOnly) }
	case *array.Date64:
		return func(i int) any { return a.Value(i).ToTime().Format(time.DateOnly) }
	case *array.Timestamp:
		tt := a.DataType().(*arrow.TimestampType)
		return func(i int) any {
			t := a.Value(i).ToTime(tt.Unit)
			if tt.TimeZone == "" {
				return t.Format("2006-01-02T15:04:05.999999999")
			}
			return t.UTC().Format(time.RFC3339Nano)
		}
	case *array.Time64:
		unit := a.DataType().(*arrow.Time64Type).Unit
		return func(i int) any { return a.Value(i).ToTime(unit).Format("15:04:05.999999") }
	case array.ListLike:
		inner := jsonValueFor(a.ListValues())
		values := a.ListValues()
		return func(i int) any {
			start, end := a.ValueOffsets(i)
			out := make([]any, 0, end-start)
			for j := start; j < end; j++ {
				if values.IsNull(int(j)) {
					out = append(out, nil)
					continue
				}
				out = append(out, inner(int(j)))
			}
			return out
		}
	case *array.Struct:
		st := a.DataType().(*arrow.StructType)
		fields := make([]jsonValue, a.NumField())
		for f := range fields {
			fields[f] = jsonValueFor(a.Field(f))
		}
		if !distinctNames(st) {
			// ROW(1, 'a') has unnamed fields: an array, in field order.
			return func(i int) any {
				out := make([]any, len(fields))
				for f, conv := range fields {
					if !a.Field(f).IsNull(i) {
						out[f] = conv(i)
					}
				}
				return out
			}
		}
		return func(i int) any {
			m := make(map[string]any, len(fields))
			for f, conv := range fields {
				if a.Field(f).IsNull(i) {
					m[st.Field(f).Name] = nil
					continue
				}
				m[st.Field(f).Name] = conv(i)
			}
			return m
		}
	}
	return func(i int) any { return strings.Clone(a.ValueStr(i)) }
}

// distinctNames says whether a struct's fields have names, all different.
func distinctNames(st *arrow.StructType) bool {
	seen := make(map[string]bool, st.NumFields())
	for _, f := range st.Fields() {
		if f.Name == "" || seen[f.Name] {
			return false
		}
		seen[f.Name] = true
	}
	return true
}

func jsonFloat(f float64) any {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	}
	return f
}

// textJSON converts a PostgreSQL text value to JSON by its type.
func textJSON(oid uint32, v string) any {
	switch oid {
	case wire.OIDBool:
		return v == "t"
	case wire.OIDInt2, wire.OIDInt4, wire.OIDInt8:
		if n, err := strconv.ParseInt(v, 10, 64); err == nil {
			return n
		}
	case wire.OIDFloat4, wire.OIDFloat8:
		if f, err := strconv.ParseFloat(v, 64); err == nil {
			return jsonFloat(f)
		}
	}
	return v
}
