package pgfunc

import (
	"strconv"
	"strings"
	"sync"

	"github.com/hotdata-dev/hotdata/engine"
	"github.com/hotdata-dev/hotdata/pgval"
)

// PostgreSQL type OIDs the formatter names.
const (
	oidBool        = 16
	oidBytea       = 17
	oidChar        = 18
	oidName        = 19
	oidInt8        = 20
	oidInt2        = 21
	oidInt4        = 23
	oidText        = 25
	oidOID         = 26
	oidJSON        = 114
	oidFloat4      = 700
	oidFloat8      = 701
	oidUnknown     = 705
	oidBPChar      = 1042
	oidVarchar     = 1043
	oidDate        = 1082
	oidTime        = 1083
	oidTimestamp   = 1114
	oidTimestamptz = 1184
	oidInterval    = 1186
	oidNumeric     = 1700
	oidRecord      = 2249
	oidUUID        = 2950
	oidJSONB       = 3802
)

// arrayElems maps array type OIDs to their element types.
var arrayElems = map[uint32]uint32{
	1000: oidBool, 1001: oidBytea, 1002: oidChar, 1003: oidName, 1005: oidInt2, 1007: oidInt4, 1009: oidText,
	1016: oidInt8, 1021: oidFloat4, 1022: oidFloat8, 1014: oidBPChar, 1015: oidVarchar, 1182: oidDate,
	1183: oidTime, 1115: oidTimestamp, 1185: oidTimestamptz, 1187: oidInterval, 1231: oidNumeric,
	2951: oidUUID, 199: oidJSON, 3807: oidJSONB, 1028: oidOID, 2287: oidRecord,
}

// tdesc is a parsed type description ("23", "1042(9)", "2249{23,25}").
type tdesc struct {
	oid    uint32
	mod    int32
	elem   *tdesc
	fields []tdesc
}

var descCache sync.Map

func parseDesc(s string) tdesc {
	if v, ok := descCache.Load(s); ok {
		return v.(tdesc)
	}
	// s may alias memory the engine reuses: the cache keeps a copy.
	s = strings.Clone(s)
	d := parseDescUncached(s)
	descCache.Store(s, d)
	return d
}

func parseDescUncached(s string) tdesc {
	var d tdesc
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	oid, _ := strconv.ParseUint(s[:i], 10, 32)
	d.oid, d.mod = uint32(oid), -1
	rest := s[i:]
	if strings.HasPrefix(rest, "(") {
		j := strings.IndexByte(rest, ')')
		m, _ := strconv.Atoi(rest[1:j])
		d.mod = int32(m)
		rest = rest[j+1:]
	}
	if strings.HasPrefix(rest, "{") && strings.HasSuffix(rest, "}") {
		for _, f := range splitFields(rest[1 : len(rest)-1]) {
			d.fields = append(d.fields, parseDescUncached(f))
		}
	}
	if e, ok := arrayElems[d.oid]; ok {
		ed := tdesc{oid: e, mod: d.mod}
		d.elem = &ed
	}
	return d
}

func splitFields(s string) []string {
	var out []string
	depth, start := 0, 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '{':
			depth++
		case '}':
			depth--
		case ',':
			if depth == 0 {
				out = append(out, s[start:i])
				start = i + 1
			}
		}
	}
	if start < len(s) {
		out = append(out, s[start:])
	}
	return out
}

// appendText appends v's PostgreSQL text output.
func appendText(dst []byte, v any, d tdesc, st pgval.Style) []byte {
	if d.elem != nil {
		items, _ := v.([]any)
		return appendArray(dst, items, *d.elem, st)
	}
	switch d.oid {
	case oidBool:
		if v.(bool) {
			return append(dst, 't')
		}
		return append(dst, 'f')
	case oidInt2, oidInt4, oidInt8, oidOID:
		return strconv.AppendInt(dst, toInt64(v), 10)
	case oidFloat4:
		return pgval.AppendFloat(dst, toFloat64(v), 32, st.ExtraFloatDigits)
	case oidFloat8:
		return pgval.AppendFloat(dst, toFloat64(v), 64, st.ExtraFloatDigits)
	case oidNumeric:
		return append(dst, toString(v)...)
	case oidBPChar:
		s := toString(v)
		dst = append(dst, s...)
		if d.mod > 4 {
			for n := len([]rune(s)); n < int(d.mod-4); n++ {
				dst = append(dst, ' ')
			}
		}
		return dst
	case oidBytea:
		b, _ := v.([]byte)
		return pgval.AppendBytea(dst, b, st.ByteaEscape)
	case oidDate:
		return pgval.AppendDate(dst, int64(v.(engine.Date)), st)
	case oidTime:
		return pgval.AppendTime(dst, int64(v.(engine.Time)))
	case oidTimestamp:
		return pgval.AppendTimestamp(dst, int64(v.(engine.Timestamp)), st)
	case oidTimestamptz:
		return pgval.AppendTimestamptz(dst, int64(v.(engine.Timestamp)), st)
	case oidInterval:
		iv := v.(engine.Interval)
		return pgval.AppendInterval(dst, pgval.Interval{Months: iv.Months, Days: iv.Days, Micros: iv.Micros}, st)
	case oidUUID:
		u := v.([16]byte)
		return pgval.AppendUUID(dst, u[:])
	case oidRecord:
		items, _ := v.([]any)
		dst = append(dst, '(')
		for i, it := range items {
			if i > 0 {
				dst = append(dst, ',')
			}
			if it == nil {
				continue
			}
			fd := tdesc{oid: oidText, mod: -1}
			if i < len(d.fields) {
				fd = d.fields[i]
			}
			dst = appendRecordField(dst, appendText(nil, it, fd, st))
		}
		return append(dst, ')')
	}
	return append(dst, toString(v)...)
}

// appendArray writes array_out's text: {a,"b c",NULL}.
func appendArray(dst []byte, items []any, elem tdesc, st pgval.Style) []byte {
	dst = append(dst, '{')
	for i, it := range items {
		if i > 0 {
			dst = append(dst, ',')
		}
		if it == nil {
			dst = append(dst, "NULL"...)
			continue
		}
		dst = appendArrayElem(dst, appendText(nil, it, elem, st))
	}
	return append(dst, '}')
}

func appendArrayElem(dst, elem []byte) []byte {
	needs := len(elem) == 0 || strings.EqualFold(string(elem), "NULL")
	for _, c := range elem {
		switch c {
		case '"', '\\', '{', '}', ',', ' ', '\t', '\n', '\r', '\v', '\f':
			needs = true
		}
	}
	if !needs {
		return append(dst, elem...)
	}
	dst = append(dst, '"')
	for _, c := range elem {
		if c == '"' || c == '\\' {
			dst = append(dst, '\\')
		}
		dst = append(dst, c)
	}
	return append(dst, '"')
}

func appendRecordField(dst, v []byte) []byte {
	needs := len(v) == 0
	for _, c := range v {
		switch c {
		case '"', '\\', '(', ')', ',', ' ', '\t', '\n', '\r', '\v', '\f':
			needs = true
		}
	}
	if !needs {
		return append(dst, v...)
	}
	dst = append(dst, '"')
	for _, c := range v {
		if c == '"' || c == '\\' {
			dst = append(dst, c)
		}
		dst = append(dst, c)
	}
	return append(dst, '"')
}

func toInt64(v any) int64 {
	switch x := v.(type) {
	case int64:
		return x
	case float64:
		return int64(x)
	case string:
		n, _ := strconv.ParseInt(x, 10, 64)
		return n
	}
	return 0
}

func toFloat64(v any) float64 {
	switch x := v.(type) {
	case float64:
		return x
	case int64:
		return float64(x)
	}
	return 0
}

func toString(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case []byte:
		return string(x)
	case int64:
		return strconv.FormatInt(x, 10)
	}
	return ""
}
