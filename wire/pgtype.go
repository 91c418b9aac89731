package wire

import (
	"encoding/binary"
	"math"
	"strconv"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/jackc/pgx/v5/pgproto3"
)

// Arrow field metadata that gives a column's PostgreSQL type exactly,
// as the planner decided it: the type's OID and its typmod (-1 for
// none). A column without them is described from its Arrow type.
const (
	MetaPGOID    = "hotdata.pg_oid"
	MetaPGTypmod = "hotdata.pg_typmod"
	// MetaPGSend marks a type of the upstream's own (an enum) whose
	// values are sent as those of a built-in type: "send[,elem[,typlen]]"
	// (25 for an enum's label; 1009 for an array of enums, whose header
	// names the element type elem), with the type's typlen.
	MetaPGSend = "hotdata.pg_send"
)

// PGUserField returns f with a type of the upstream's own (see
// MetaPGSend).
func PGUserField(f arrow.Field, oid uint32, typmod int32, typlen int16, send, elem uint32) arrow.Field {
	f.Metadata = arrow.NewMetadata([]string{MetaPGOID, MetaPGTypmod, MetaPGSend},
		[]string{strconv.FormatUint(uint64(oid), 10), strconv.FormatInt(int64(typmod), 10),
			strconv.FormatUint(uint64(send), 10) + "," + strconv.FormatUint(uint64(elem), 10) + "," + strconv.Itoa(int(typlen))})
	return f
}

// PGField returns f with its PostgreSQL type set (see MetaPGOID).
func PGField(f arrow.Field, oid uint32, typmod int32) arrow.Field {
	f.Metadata = arrow.NewMetadata([]string{MetaPGOID, MetaPGTypmod},
		[]string{strconv.FormatUint(uint64(oid), 10), strconv.FormatInt(int64(typmod), 10)})
	return f
}

// typLen is pg_type.typlen of a type (-1: variable length).
func typLen(oid uint32) int16 {
	switch oid {
	case OIDBool, OIDChar:
		return 1
	case OIDInt2:
		return 2
	case OIDInt4, OIDOID, OIDFloat4, OIDDate, 24, 2202, 2203, 2204, 2205, 2206, 3734, 3769, 4089, 4096, 4191, 28, 29:
		return 4
	case OIDInt8, OIDFloat8, OIDTime, OIDTimestamp, OIDTimestamptz, 790:
		return 8
	case 1266:
		return 12
	case OIDInterval, OIDUUID:
		return 16
	case OIDName:
		return 64
	}
	return -1
}

// arrayElems maps array type OIDs to their element types.
var arrayElems = func() map[uint32]uint32 {
	m := map[uint32]uint32{1014: OIDBPChar, 1015: OIDVarchar, 1009: OIDText, 1270: 1266, 1040: 829, 1041: 869, 651: 650,
		1008: 24, 2207: 2202, 2210: 2205, 2211: 2206, 4090: 4089, 4097: 4096, 143: 142, 791: 790}
	for elem, arr := range arrayOIDs {
		m[arr] = elem
	}
	return m
}()

// isOIDType: types whose values are unsigned 4-byte OIDs.
func isOIDType(oid uint32) bool {
	switch oid {
	case OIDOID, 24, 2202, 2203, 2204, 2205, 2206, 3734, 3769, 4089, 4096, 4191, 28, 29:
		return true
	}
	return false
}

// metaType reads MetaPGOID and MetaPGTypmod.
func metaType(f arrow.Field) (pgType, bool) {
	v, ok := f.Metadata.GetValue(MetaPGOID)
	if !ok {
		return pgType{}, false
	}
	oid, err := strconv.ParseUint(v, 10, 32)
	if err != nil {
		return pgType{}, false
	}
	mod := int64(-1)
	if m, ok := f.Metadata.GetValue(MetaPGTypmod); ok {
		if n, err := strconv.ParseInt(m, 10, 32); err == nil {
			mod = n
		}
	}
	t := pgType{oid: uint32(oid), size: typLen(uint32(oid)), typmod: int32(mod)}
	if s, ok := f.Metadata.GetValue(MetaPGSend); ok {
		parts := strings.Split(s, ",")
		if len(parts) == 3 {
			send, _ := strconv.ParseUint(parts[0], 10, 32)
			elem, _ := strconv.ParseUint(parts[1], 10, 32)
			size, _ := strconv.ParseInt(parts[2], 10, 16)
			t.send, t.sendElem, t.size = uint32(send), uint32(elem), int16(size)
		}
	}
	return t, true
}

// textEncoderForType is the text encoder of a column of PostgreSQL type
// t: character(n) padded, arrays of it too; others by their Arrow type.
func textEncoderForType(a arrow.Array, t pgType, o encodeOpts) textEncoder {
	if n, _, ok := regPair(a, t); ok {
		return textEncoderFor(n, o) // a reg value's name
	}
	switch {
	case t.oid == OIDBPChar && t.typmod > 4:
		// character(n) is cached without its padding; PostgreSQL
		// sends it padded to n characters.
		return padEncoder(textEncoderFor(a, o), int(t.typmod-4))
	case t.oid == 22 || t.oid == 30: // int2vector, oidvector: "1 2 3"
		if l, ok := a.(array.ListLike); ok {
			values := l.ListValues()
			inner := textEncoderFor(values, o)
			return func(dst []byte, i int) []byte {
				start, end := l.ValueOffsets(i)
				for j := start; j < end; j++ {
					if j > start {
						dst = append(dst, ' ')
					}
					dst = inner(dst, int(j))
				}
				return dst
			}
		}
	case t.oid == 1014 && t.typmod > 4:
		if l, ok := a.(array.ListLike); ok {
			return listEncoderWith(l, padEncoder(textEncoderFor(l.ListValues(), o), int(t.typmod-4)), true)
		}
	}
	return textEncoderFor(a, o)
}

// binaryEncoderForType is the binary encoder of a column of PostgreSQL
// type t (nil when it has none here).
func binaryEncoderForType(a arrow.Array, t pgType) textEncoder {
	if t.send != 0 {
		// An upstream's own type sent as a built-in one (an enum as its
		// label; an array of them with the enum in its header).
		bt := pgType{oid: t.send, size: typLen(t.send), typmod: -1}
		if elem, ok := arrayElems[t.send]; ok && t.sendElem != 0 {
			if l, ok := a.(array.ListLike); ok {
				enc := binaryEncoderForType(l.ListValues(), pgType{oid: elem, size: typLen(elem), typmod: -1})
				if enc == nil {
					return nil
				}
				return binaryListEncoderWith(l, enc, t.sendElem)
			}
			return nil
		}
		return binaryEncoderForType(a, bt)
	}
	if _, oid, ok := regPair(a, t); ok {
		return func(dst []byte, row int) []byte { return binary.BigEndian.AppendUint32(dst, oid.Value(row)) }
	}
	switch {
	case t.oid == OIDUUID:
		return binaryUUIDFromText(a)
	case t.oid == OIDJSONB:
		return binaryJSONB(binaryEncoderFor(a))
	case isOIDType(t.oid):
		switch u := a.(type) {
		case *array.Uint32:
			return func(dst []byte, row int) []byte { return binary.BigEndian.AppendUint32(dst, u.Value(row)) }
		case *array.Int64:
			return func(dst []byte, row int) []byte { return binary.BigEndian.AppendUint32(dst, uint32(u.Value(row))) }
		}
	case t.oid == OIDNumeric:
		if s, ok := a.(*array.String); ok {
			return binaryNumericFromText(s)
		}
	case t.oid == OIDBPChar && t.typmod > 4:
		return padEncoder(binaryEncoderFor(a), int(t.typmod-4))
	case t.oid == OIDDate:
		if d, ok := a.(*array.Date32); ok {
			return func(dst []byte, i int) []byte {
				v := int32(d.Value(i))
				switch v {
				case math.MaxInt32:
				case -math.MaxInt32:
					v = math.MinInt32
				default:
					v -= pgEpochDays
				}
				return binary.BigEndian.AppendUint32(dst, uint32(v))
			}
		}
	case t.oid == OIDTimestamp || t.oid == OIDTimestamptz:
		if ts, ok := a.(*array.Timestamp); ok {
			unit := ts.DataType().(*arrow.TimestampType).Unit
			return func(dst []byte, i int) []byte {
				v := int64(ts.Value(i))
				switch v {
				case math.MaxInt64:
				case -math.MaxInt64:
					v = math.MinInt64
				default:
					v = toMicros(v, unit) - pgEpochMicros
				}
				return binary.BigEndian.AppendUint64(dst, uint64(v))
			}
		}
	}
	if enc := binaryFromHeldText(a, t.oid); enc != nil {
		return enc
	}
	if _, isString := a.(*array.String); isString && !textIsBinary(t.oid) {
		// A value held as its text output (inet, timetz, …): its binary
		// form is another thing.
		return nil
	}
	if elem, ok := arrayElems[t.oid]; ok {
		if l, ok := a.(array.ListLike); ok {
			et := pgType{oid: elem, size: typLen(elem), typmod: t.typmod}
			enc := binaryEncoderForType(l.ListValues(), et)
			if enc == nil {
				return nil
			}
			return binaryListEncoderWith(l, enc, elem)
		}
	}
	return binaryEncoderFor(a)
}

// Field describes a result column of a PostgreSQL type (text format).
func Field(name string, oid uint32, typmod int32) pgproto3.FieldDescription {
	return pgproto3.FieldDescription{Name: []byte(name), DataTypeOID: oid, DataTypeSize: typLen(oid), TypeModifier: typmod}
}

// textIsBinary: types whose binary form is their text (the string types,
// json) or that a column without a PostgreSQL type is described as.
func textIsBinary(oid uint32) bool {
	switch oid {
	case OIDText, OIDVarchar, OIDBPChar, OIDName, OIDChar, OIDJSON, OIDUnknown, 142, 0: // 142: xml
		return true
	}
	return false
}

// regPair reads a column of an OID alias type (regclass, regtype, …)
// that the planner sends as {o: OID, n: name}: the name for text, the
// OID for binary.
func regPair(a arrow.Array, t pgType) (name arrow.Array, oid *array.Uint32, ok bool) {
	st, isStruct := a.(*array.Struct)
	if !isStruct || !isOIDType(t.oid) || t.oid == OIDOID || st.NumField() != 2 {
		return nil, nil, false
	}
	oid, ok = st.Field(0).(*array.Uint32)
	return st.Field(1), oid, ok
}
