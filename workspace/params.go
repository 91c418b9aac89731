package workspace

import (
	"encoding/binary"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/hotdata-dev/hotdata/engine"
	"github.com/hotdata-dev/hotdata/internal/pgerr"
	"github.com/hotdata-dev/hotdata/pgval"
	"github.com/hotdata-dev/hotdata/translate"
	"github.com/hotdata-dev/hotdata/wire"
)

// This file reads the parameters of Bind as PostgreSQL's input (text
// format) and receive (binary format) functions read them, into values
// the engine binds to the statement's CAST($n AS type) exactly, or, for
// arrays, into engine SQL inlined in the statement.

// paramValue is one decoded parameter: a value to bind, or SQL to put in
// place of $n (inline, set for arrays).
type paramValue struct {
	v      any
	inline string
}

// PostgreSQL's epoch (2000-01-01) in the engine's (1970-01-01) units.
const (
	pgEpochDays   = 10957
	pgEpochMicros = int64(pgEpochDays) * 86_400_000_000
)

// decodeParam reads parameter n (1-based) of type t.
func decodeParam(n int, t translate.Type, format int16, raw []byte, settings translate.Settings, st pgval.Style, now time.Time) (paramValue, error) {
	if raw == nil {
		return paramValue{}, nil
	}
	if t.IsArray() {
		return decodeArrayParam(n, t, format, raw, settings)
	}
	if u, array := translate.UserTypeOf(t); u != nil && !array && u.Kind == 'e' {
		// An enum's label, in either format (enum_in, enum_recv).
		if !utf8.Valid(raw) {
			return paramValue{}, pgerr.New("22021", "invalid byte sequence for encoding \"UTF8\"")
		}
		for _, l := range u.Labels {
			if l == string(raw) {
				return paramValue{v: l}, nil
			}
		}
		return paramValue{}, pgerr.New("22P02", "invalid input value for enum %s: %q", t.Name(), string(raw))
	}
	if format == 1 {
		v, err := recvScalar(t.OID, raw)
		if err != nil {
			if pe, ok := err.(*pgerr.Error); ok && pe.Code == "22P03" {
				pe.Message = "incorrect binary data format in bind parameter " + strconv.Itoa(n)
			}
			return paramValue{}, err
		}
		return paramValue{v: v}, nil
	}
	v, err := inputScalar(t.OID, string(raw), st, now)
	return paramValue{v: v}, err
}

// inputScalar is the type's input function.
func inputScalar(oid uint32, s string, st pgval.Style, now time.Time) (any, error) {
	clock := func() time.Time { return now }
	switch oid {
	case translate.OIDBool:
		return pgval.ParseBool(s)
	case translate.OIDInt2:
		return pgval.ParseInt(s, 16)
	case translate.OIDInt4:
		return pgval.ParseInt(s, 32)
	case translate.OIDInt8:
		return pgval.ParseInt(s, 64)
	case translate.OIDRegproc, translate.OIDRegprocedure, translate.OIDRegclass, translate.OIDRegtype,
		translate.OIDRegnamespace, translate.OIDRegrole:
		return s, nil // a name or an OID, looked up when the statement runs
	case translate.OIDOID:
		v, err := strconv.ParseUint(strings.TrimSpace(s), 10, 32)
		if err != nil {
			return nil, pgerr.New("22P02", "invalid input syntax for type oid: %q", s)
		}
		return int64(v), nil
	case translate.OIDFloat4:
		return pgval.ParseFloat(s, 32)
	case translate.OIDFloat8:
		return pgval.ParseFloat(s, 64)
	case translate.OIDNumeric:
		n, err := pgval.ParseNumeric(s)
		if err != nil {
			return nil, err
		}
		return n.String(), nil
	case translate.OIDBytea:
		return pgval.ParseBytea(s)
	case translate.OIDDate:
		d, err := pgval.ParseDate(s, st, clock)
		return engine.Date(d), err
	case translate.OIDTime:
		us, err := pgval.ParseTime(s)
		return engine.Time(us), err
	case translate.OIDTimestamp:
		us, err := pgval.ParseTimestamp(s, st, clock)
		return engine.Timestamp(us), err
	case translate.OIDTimestamptz:
		us, err := pgval.ParseTimestamptz(s, st, clock)
		return engine.TimestampTZ(us), err
	case translate.OIDInterval:
		iv, err := pgval.ParseInterval(s, st)
		return engine.Interval{Months: iv.Months, Days: iv.Days, Micros: iv.Micros}, err
	case translate.OIDUUID:
		u, err := pgval.ParseUUID(s)
		if err != nil {
			return nil, err
		}
		return string(pgval.AppendUUID(nil, u[:])), nil
	case translate.OIDJSON:
		if err := pgval.ValidJSON(s); err != nil {
			return nil, err
		}
		return s, nil
	case translate.OIDJSONB:
		return pgval.NormalizeJSONB(s)
	case translate.OIDName:
		return truncateName(s), nil
	case translate.OIDChar:
		if s == "" {
			return "", nil
		}
		return s[:1], nil
	}
	return s, nil
}

// truncateName cuts a name to 63 bytes on a character boundary.
func truncateName(s string) string {
	if len(s) <= 63 {
		return s
	}
	n := 63
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

func badBinary() error {
	return pgerr.New("22P03", "incorrect binary data format")
}

// recvScalar is the type's receive function.
func recvScalar(oid uint32, v []byte) (any, error) {
	need := func(n int) error {
		if len(v) != n {
			return badBinary()
		}
		return nil
	}
	switch oid {
	case translate.OIDBool:
		if err := need(1); err != nil {
			return nil, err
		}
		return v[0] != 0, nil
	case translate.OIDInt2:
		if err := need(2); err != nil {
			return nil, err
		}
		return int64(int16(binary.BigEndian.Uint16(v))), nil
	case translate.OIDInt4:
		if err := need(4); err != nil {
			return nil, err
		}
		return int64(int32(binary.BigEndian.Uint32(v))), nil
	case translate.OIDInt8:
		if err := need(8); err != nil {
			return nil, err
		}
		return int64(binary.BigEndian.Uint64(v)), nil
	case translate.OIDOID:
		if err := need(4); err != nil {
			return nil, err
		}
		return int64(binary.BigEndian.Uint32(v)), nil
	case translate.OIDRegproc, translate.OIDRegprocedure, translate.OIDRegclass, translate.OIDRegtype,
		translate.OIDRegnamespace, translate.OIDRegrole:
		if err := need(4); err != nil {
			return nil, err
		}
		return strconv.FormatUint(uint64(binary.BigEndian.Uint32(v)), 10), nil
	case translate.OIDFloat4:
		if err := need(4); err != nil {
			return nil, err
		}
		return float64(math.Float32frombits(binary.BigEndian.Uint32(v))), nil
	case translate.OIDFloat8:
		if err := need(8); err != nil {
			return nil, err
		}
		return math.Float64frombits(binary.BigEndian.Uint64(v)), nil
	case translate.OIDNumeric:
		s, err := wire.DecodeParam(wire.OIDNumeric, 1, v)
		if err != nil {
			return nil, badBinary()
		}
		return s, nil
	case translate.OIDBytea:
		return append([]byte{}, v...), nil
	case translate.OIDDate:
		if err := need(4); err != nil {
			return nil, err
		}
		d := int32(binary.BigEndian.Uint32(v))
		switch {
		case d == math.MaxInt32:
			return engine.Date(pgval.DateInfinity), nil
		case d == math.MinInt32:
			return engine.Date(pgval.DateNegInfinity), nil
		case d < -2451545 || d >= 2145031949:
			return nil, pgerr.New("22008", "date out of range")
		}
		return engine.Date(int64(d) + pgEpochDays), nil
	case translate.OIDTime:
		if err := need(8); err != nil {
			return nil, err
		}
		us := int64(binary.BigEndian.Uint64(v))
		if us < 0 || us > 86_400_000_000 {
			return nil, pgerr.New("22008", "time out of range")
		}
		return engine.Time(us), nil
	case translate.OIDTimestamp, translate.OIDTimestamptz:
		if err := need(8); err != nil {
			return nil, err
		}
		us := int64(binary.BigEndian.Uint64(v))
		switch {
		case us == math.MaxInt64:
			us = pgval.TSInfinity
		case us == math.MinInt64:
			us = pgval.TSNegInfinity
		case us < -211813488000000000 || us >= 9223371331200000000:
			return nil, pgerr.New("22008", "timestamp out of range")
		default:
			us += pgEpochMicros
		}
		if oid == translate.OIDTimestamptz {
			return engine.TimestampTZ(us), nil
		}
		return engine.Timestamp(us), nil
	case translate.OIDInterval:
		if err := need(16); err != nil {
			return nil, err
		}
		return engine.Interval{Micros: int64(binary.BigEndian.Uint64(v)), Days: int32(binary.BigEndian.Uint32(v[8:])),
			Months: int32(binary.BigEndian.Uint32(v[12:]))}, nil
	case translate.OIDUUID:
		if err := need(16); err != nil {
			return nil, err
		}
		return string(pgval.AppendUUID(nil, v)), nil
	case translate.OIDJSON:
		if err := pgval.ValidJSON(string(v)); err != nil {
			return nil, err
		}
		return string(v), nil
	case translate.OIDJSONB:
		if len(v) < 1 || v[0] != 1 {
			return nil, pgerr.New("22P03", "unsupported jsonb version number %d", firstByte(v))
		}
		return pgval.NormalizeJSONB(string(v[1:]))
	case translate.OIDText, translate.OIDVarchar, translate.OIDBPChar, translate.OIDUnknown, translate.OpaqueOID:
		if !utf8.Valid(v) {
			return nil, pgerr.New("22021", "invalid byte sequence for encoding \"UTF8\"")
		}
		return string(v), nil
	case translate.OIDName:
		return truncateName(string(v)), nil
	case translate.OIDChar:
		if len(v) == 0 {
			return "", nil
		}
		return string(v[:1]), nil
	}
	return nil, pgerr.New(pgerr.FeatureNotSupported, "binary format is not supported for parameters of type %s", translate.Type{OID: oid, Mod: -1}.Name()).
		WithHint("Send the parameter in text format.")
}

func firstByte(v []byte) int {
	if len(v) == 0 {
		return -1
	}
	return int(v[0])
}

// decodeArrayParam reads an array parameter into engine SQL: the text
// form as array_in reads it, the binary form as array_recv (one
// dimension, elements re-read from their text form).
func decodeArrayParam(n int, t translate.Type, format int16, raw []byte, settings translate.Settings) (paramValue, error) {
	if format == 0 {
		sql, err := translate.InputSQL(string(raw), t, settings)
		return paramValue{inline: sql}, err
	}
	elems, err := recvArray(t, raw)
	if err != nil {
		if pe, ok := err.(*pgerr.Error); ok && pe.Code == "22P03" {
			pe.Message = "incorrect binary data format in bind parameter " + strconv.Itoa(n)
		}
		return paramValue{}, err
	}
	text := make([]string, len(elems))
	for i, e := range elems {
		if e == nil {
			text[i] = "NULL"
			continue
		}
		text[i] = quoteArrayElem(*e)
	}
	// The elements' text is in ISO, UTC form.
	iso := translate.Settings{TimeZone: "UTC", DateStyle: "ISO, MDY", IntervalStyle: "postgres"}
	sql, err := translate.InputSQL("{"+strings.Join(text, ",")+"}", t, iso)
	return paramValue{inline: sql}, err
}

// recvArray reads array_send's form: the elements as text (nil: NULL).
func recvArray(t translate.Type, v []byte) ([]*string, error) {
	if len(v) < 12 {
		return nil, badBinary()
	}
	ndim := int32(binary.BigEndian.Uint32(v))
	elemOID := binary.BigEndian.Uint32(v[8:])
	if ndim == 0 {
		return nil, nil
	}
	if ndim != 1 {
		return nil, pgerr.New(pgerr.FeatureNotSupported, "array parameters of %d dimensions are not supported", ndim)
	}
	if elemOID != t.Elem().OID {
		return nil, pgerr.New("42804", "binary data has array element type %d (%s) instead of expected %d (%s)",
			elemOID, translate.Type{OID: elemOID, Mod: -1}.Name(), t.Elem().OID, t.Elem().Name())
	}
	if len(v) < 20 {
		return nil, badBinary()
	}
	count := int(int32(binary.BigEndian.Uint32(v[12:])))
	v = v[20:]
	if count < 0 || count > len(v)/4 {
		return nil, badBinary()
	}
	out := make([]*string, 0, count)
	utc := pgval.DefaultStyle
	for range count {
		if len(v) < 4 {
			return nil, badBinary()
		}
		l := int32(binary.BigEndian.Uint32(v))
		v = v[4:]
		if l == -1 {
			out = append(out, nil)
			continue
		}
		if l < 0 || int(l) > len(v) {
			return nil, badBinary()
		}
		val, err := recvScalar(elemOID, v[:l])
		if err != nil {
			return nil, err
		}
		v = v[l:]
		s := elemText(val, utc)
		out = append(out, &s)
	}
	if len(v) != 0 {
		return nil, badBinary()
	}
	return out, nil
}

// elemText prints a received element as its type's output function
// does in ISO style and UTC.
func elemText(v any, st pgval.Style) string {
	switch v := v.(type) {
	case bool:
		if v {
			return "t"
		}
		return "f"
	case int64:
		return strconv.FormatInt(v, 10)
	case float64:
		return string(pgval.AppendFloat(nil, v, 64, 3))
	case []byte:
		return string(pgval.AppendBytea(nil, v, false))
	case engine.Date:
		return string(pgval.AppendDate(nil, int64(v), st))
	case engine.Time:
		return string(pgval.AppendTime(nil, int64(v)))
	case engine.Timestamp:
		return string(pgval.AppendTimestamp(nil, int64(v), st))
	case engine.TimestampTZ:
		return string(pgval.AppendTimestamptz(nil, int64(v), st))
	case engine.Interval:
		return string(pgval.AppendInterval(nil, pgval.Interval{Months: v.Months, Days: v.Days, Micros: v.Micros}, st))
	case string:
		return v
	}
	return ""
}

// quoteArrayElem quotes an element for array_in.
func quoteArrayElem(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		if s[i] == '"' || s[i] == '\\' {
			b.WriteByte('\\')
		}
		b.WriteByte(s[i])
	}
	b.WriteByte('"')
	return b.String()
}
