package translate

import (
	"encoding/hex"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/hotdata-dev/hotdata/internal/pgerr"
	"github.com/hotdata-dev/hotdata/pgval"
)

// style is the session's style for reading literals.
func (a *analyzer) style() pgval.Style {
	s := a.env.Settings
	st := pgval.DefaultStyle
	if s.TimeZone != "" {
		if loc, err := pgval.LoadZone(s.TimeZone); err == nil {
			st.Loc, st.ZoneName = loc, s.TimeZone
		}
	}
	if s.DateStyle != "" {
		if ds, do, ok := pgval.ParseDateStyle(s.DateStyle); ok {
			st.DateStyle, st.DateOrder = ds, do
		}
	}
	if s.IntervalStyle != "" {
		if is, ok := pgval.ParseIntervalStyle(s.IntervalStyle); ok {
			st.IntervalStyle = is
		}
	}
	return st
}

// clock reads 'now', 'today' and friends: it freezes them into the plan,
// which therefore must not be reused.
func (a *analyzer) clock() time.Time {
	a.uncacheable = true
	a.volatile = true
	return time.Now()
}

// parseNumeric reads a numeric literal.
func parseNumeric(s string) (pgval.Numeric, error) {
	n, err := pgval.ParseNumeric(s)
	if err != nil {
		return n, err
	}
	return n, nil
}

// numericConst is the engine form of a numeric value: DECIMAL when it
// fits, else PostgreSQL's text.
func numericConst(n pgval.Numeric, loc int32) *expr {
	e := &expr{typ: TNumeric, constant: true, loc: loc}
	text := n.String()
	if n.IsSpecial() {
		e.num, e.sql = numText, sqlString(text)
		return e
	}
	digits := len(strings.TrimLeft(bigAbs(n), "0"))
	p := max(digits, n.Scale, 1)
	if p <= maxDecimal && n.Scale <= maxDecimal {
		e.num = fixedNum(p, n.Scale)
		e.sql = "CAST(" + sqlString(text) + " AS DECIMAL(" + strconv.Itoa(p) + "," + strconv.Itoa(n.Scale) + "))"
		return e
	}
	e.num, e.sql = numText, sqlString(text)
	return e
}

func bigAbs(n pgval.Numeric) string {
	s := n.Int.String()
	return strings.TrimPrefix(s, "-")
}

// inputLiteral reads a string literal as type t (the type's input
// function, at planning time, as PostgreSQL does).
func (a *analyzer) inputLiteralValue(s string, t Type) (*expr, error) {
	st := a.style()
	e := &expr{typ: Type{t.OID, -1}}
	if info := enumLike(t); info != nil {
		sql, err := enumInput(info, s)
		if err != nil {
			return nil, err
		}
		e.sql = sql
		return e, nil
	}
	switch t.OID {
	case OIDText, OIDVarchar, OIDName, OpaqueOID, OIDUnknown:
		e.sql = sqlString(s)
		if t.OID == OIDName && len(s) > 63 {
			e.sql = sqlString(truncateName(s))
		}
	case OIDBPChar:
		e.sql = sqlString(strings.TrimRight(s, " "))
	case OIDChar:
		if s == "" {
			e.sql = "''"
		} else {
			e.sql = sqlString(s[:1])
		}
	case OIDBool:
		b, err := pgval.ParseBool(s)
		if err != nil {
			return nil, err
		}
		e.sql = strconv.FormatBool(b)
	case OIDInt2, OIDInt4, OIDInt8:
		bits := map[uint32]int{OIDInt2: 16, OIDInt4: 32, OIDInt8: 64}[t.OID]
		v, err := pgval.ParseInt(s, bits)
		if err != nil {
			return nil, err
		}
		et, _ := engineType(t, numForm{})
		e.sql = "CAST(" + strconv.FormatInt(v, 10) + " AS " + et + ")"
	case OIDOID:
		v, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
		if err != nil || v < math.MinInt32 || v > math.MaxUint32 {
			return nil, errf("22P02", "invalid input syntax for type oid: %q", s)
		}
		e.sql = "CAST(" + strconv.FormatUint(uint64(uint32(v)), 10) + " AS UINTEGER)"
	case OIDFloat4, OIDFloat8:
		bits := 64
		if t.OID == OIDFloat4 {
			bits = 32
		}
		f, err := pgval.ParseFloat(s, bits)
		if err != nil {
			return nil, err
		}
		e.sql = floatLiteral(f, bits)
	case OIDNumeric:
		n, err := pgval.ParseNumeric(s)
		if err != nil {
			return nil, err
		}
		ne := numericConst(n, -1)
		return ne, nil
	case OIDBytea:
		b, err := pgval.ParseBytea(s)
		if err != nil {
			return nil, err
		}
		e.sql = "from_hex(" + sqlString(hex.EncodeToString(b)) + ")"
	case OIDUUID:
		u, err := pgval.ParseUUID(s)
		if err != nil {
			return nil, err
		}
		e.sql = "CAST(" + sqlString(string(pgval.AppendUUID(nil, u[:]))) + " AS UUID)"
	case OIDDate:
		d, err := pgval.ParseDate(s, st, a.clock)
		if err != nil {
			return nil, err
		}
		e.sql = dateLiteral(d)
	case OIDTimestamp:
		us, err := pgval.ParseTimestamp(s, st, a.clock)
		if err != nil {
			return nil, err
		}
		e.sql = timestampLiteral(us)
	case OIDTimestamptz:
		us, err := pgval.ParseTimestamptz(s, st, a.clock)
		if err != nil {
			return nil, err
		}
		e.sql = timestamptzLiteral(us)
	case OIDTime:
		us, err := pgval.ParseTime(s)
		if err != nil {
			return nil, err
		}
		e.sql = "CAST(" + sqlString(string(pgval.AppendTime(nil, us))) + " AS TIME)"
	case OIDInterval:
		mask := -1
		if t.Mod >= 0 {
			mask = int(t.Mod>>16) & 0x7fff
		}
		iv, err := pgval.ParseIntervalField(s, st, mask)
		if err != nil {
			return nil, err
		}
		e.sql = intervalLiteral(iv)
	case OIDJSON:
		if err := pgval.ValidJSON(s); err != nil {
			return nil, err
		}
		e.sql = "CAST(" + sqlString(s) + " AS JSON)"
	case OIDJSONB:
		n, err := pgval.NormalizeJSONB(s)
		if err != nil {
			return nil, err
		}
		e.sql = "CAST(" + sqlString(n) + " AS JSON)"
	default:
		if isRegType(t.OID) && a.env.RegCast != nil {
			sql, err := a.env.RegCast(t, s, true, "", TUnknown)
			if err != nil {
				return nil, err
			}
			a.catalog = true
			e.sql = sql
			return e, nil
		}
		if t.IsArray() {
			return a.arrayLiteral(s, t)
		}
		if sql, ok, err := a.netLiteral(s, t); ok {
			if err != nil {
				return nil, err
			}
			e.sql = sql
			return e, nil
		}
		return nil, unsupported("literals of type %s are not supported by Hotdata's cache engine", t.Name())
	}
	return e, nil
}

func (l *level) inputLiteral(s string, t Type, loc int32) (*expr, error) {
	e, err := l.a.inputLiteralValue(s, t)
	if err != nil {
		if pe := pgerr.As(err); pe != nil {
			return nil, l.a.at(pe, loc)
		}
		return nil, err
	}
	return e, nil
}

func truncateName(s string) string {
	b := []byte(s)
	if len(b) <= 63 {
		return s
	}
	b = b[:63]
	for len(b) > 0 && b[len(b)-1]&0xC0 == 0x80 {
		b = b[:len(b)-1]
	}
	if len(b) > 0 && b[len(b)-1] >= 0xC0 {
		b = b[:len(b)-1]
	}
	return string(b)
}

func floatLiteral(f float64, bits int) string {
	et := "DOUBLE"
	if bits == 32 {
		et = "FLOAT"
	}
	switch {
	case math.IsNaN(f):
		return "CAST('NaN' AS " + et + ")"
	case math.IsInf(f, 1):
		return "CAST('Infinity' AS " + et + ")"
	case math.IsInf(f, -1):
		return "CAST('-Infinity' AS " + et + ")"
	}
	return "CAST(" + sqlString(strconv.FormatFloat(f, 'g', -1, bits)) + " AS " + et + ")"
}

func dateLiteral(d int64) string {
	switch d {
	case pgval.DateInfinity:
		return "CAST('infinity' AS DATE)"
	case pgval.DateNegInfinity:
		return "CAST('-infinity' AS DATE)"
	}
	return "CAST(DATE '1970-01-01' + (" + strconv.FormatInt(d, 10) + ") AS DATE)"
}

func timestampLiteral(us int64) string {
	switch us {
	case pgval.TSInfinity:
		return "CAST('infinity' AS TIMESTAMP)"
	case pgval.TSNegInfinity:
		return "CAST('-infinity' AS TIMESTAMP)"
	}
	return "make_timestamp(CAST(" + strconv.FormatInt(us, 10) + " AS BIGINT))"
}

func timestamptzLiteral(us int64) string {
	switch us {
	case pgval.TSInfinity:
		return "CAST('infinity' AS TIMESTAMPTZ)"
	case pgval.TSNegInfinity:
		return "CAST('-infinity' AS TIMESTAMPTZ)"
	}
	return "CAST(make_timestamp(CAST(" + strconv.FormatInt(us, 10) + " AS BIGINT)) AS TIMESTAMPTZ)"
}

func intervalLiteral(iv pgval.Interval) string {
	return "hd_interval(" + strconv.Itoa(int(iv.Months)) + ", " + strconv.Itoa(int(iv.Days)) + ", " + strconv.FormatInt(iv.Micros, 10) + ")"
}

// arrayLiteral reads '{…}' as an array of t's element type.
func (a *analyzer) arrayLiteral(s string, t Type) (*expr, error) {
	elems, ok := parseArrayText(s)
	if !ok {
		switch t := strings.TrimLeft(s, " \t\n\r\v\f"); {
		case strings.HasPrefix(t, "["):
			return nil, unsupported("array literals with explicit bounds are not supported by Hotdata's cache engine")
		case strings.HasPrefix(t, "{") && strings.HasPrefix(strings.TrimLeft(t[1:], " \t\n\r\v\f"), "{"):
			return nil, unsupported("multidimensional arrays are not supported by Hotdata's cache engine")
		}
		return nil, errf("22P02", "malformed array literal: %q", s)
	}
	et := t.Elem()
	var parts []string
	var nf numForm
	for _, el := range elems {
		if el == nil {
			parts = append(parts, "NULL")
			continue
		}
		e, err := a.inputLiteralValue(*el, et)
		if err != nil {
			return nil, err
		}
		parts = append(parts, e.sql)
		if et.OID == OIDNumeric {
			nf = numText
		}
	}
	if et.OID == OIDNumeric {
		for i, p := range parts {
			if p != "NULL" {
				parts[i] = "CAST(" + p + " AS VARCHAR)"
			}
		}
	}
	engine, err := engineType(t, nf)
	if err != nil {
		return nil, err
	}
	return &expr{typ: Type{t.OID, -1}, num: nf, sql: "CAST([" + strings.Join(parts, ", ") + "] AS " + engine + ")"}, nil
}

// parseArrayText reads a one-dimensional array literal as array_in
// does: {a, "b c", NULL}; a nil element is NULL.
func parseArrayText(s string) ([]*string, bool) {
	const space = " \t\n\r\v\f"
	s = strings.Trim(s, space)
	if len(s) < 2 || s[0] != '{' || s[len(s)-1] != '}' {
		return nil, false
	}
	body := s[1 : len(s)-1]
	elems := []*string{}
	if strings.Trim(body, space) == "" {
		return elems, true
	}
	for i := 0; ; {
		for i < len(body) && strings.IndexByte(space, body[i]) >= 0 {
			i++
		}
		var b strings.Builder
		quoted := i < len(body) && body[i] == '"'
		if quoted {
			for i++; i < len(body) && body[i] != '"'; i++ {
				if body[i] == '\\' && i+1 < len(body) {
					i++
				}
				b.WriteByte(body[i])
			}
			if i >= len(body) {
				return nil, false
			}
			for i++; i < len(body) && strings.IndexByte(space, body[i]) >= 0; i++ {
			}
		} else {
			for ; i < len(body) && body[i] != ','; i++ {
				switch body[i] {
				case '{', '}', '"':
					return nil, false
				case '\\':
					if i+1 < len(body) {
						i++
					}
				}
				b.WriteByte(body[i])
			}
		}
		v := b.String()
		if !quoted {
			v = strings.TrimRight(v, space)
			if v == "" {
				return nil, false
			}
		}
		if !quoted && strings.EqualFold(v, "NULL") {
			elems = append(elems, nil)
		} else {
			elems = append(elems, &v)
		}
		if i >= len(body) {
			return elems, true
		}
		if body[i] != ',' {
			return nil, false
		}
		i++
	}
}
