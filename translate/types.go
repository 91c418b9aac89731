package translate

import (
	"fmt"
	"strconv"
	"strings"
)

// Type is a PostgreSQL type with its type modifier (-1: none), as
// RowDescription and pg_attribute carry them.
type Type struct {
	OID uint32
	Mod int32
}

// PostgreSQL type OIDs the analyzer names (src/include/catalog/pg_type.dat).
const (
	OIDBool                    = 16
	OIDBytea                   = 17
	OIDChar                    = 18
	OIDName                    = 19
	OIDInt8                    = 20
	OIDInt2                    = 21
	OIDInt2Vector              = 22
	OIDInt4                    = 23
	OIDRegproc                 = 24
	OIDText                    = 25
	OIDOID                     = 26
	OIDOIDVector               = 30
	OIDJSON                    = 114
	OIDXML                     = 142
	OIDPgNodeTree              = 194
	OIDFloat4                  = 700
	OIDFloat8                  = 701
	OIDUnknown                 = 705
	OIDMoney                   = 790
	OIDInet                    = 869
	OIDCidr                    = 650
	OIDAclitem                 = 1033
	OIDBPChar                  = 1042
	OIDVarchar                 = 1043
	OIDDate                    = 1082
	OIDTime                    = 1083
	OIDTimestamp               = 1114
	OIDTimestamptz             = 1184
	OIDInterval                = 1186
	OIDTimetz                  = 1266
	OIDBit                     = 1560
	OIDVarbit                  = 1562
	OIDNumeric                 = 1700
	OIDRegprocedure            = 2202
	OIDRegoper                 = 2203
	OIDRegoperator             = 2204
	OIDRegclass                = 2205
	OIDRegtype                 = 2206
	OIDRecord                  = 2249
	OIDCstring                 = 2275
	OIDAny                     = 2276
	OIDAnyArray                = 2277
	OIDVoid                    = 2278
	OIDAnyElement              = 2283
	OIDRecordArray             = 2287
	OIDAnyNonArray             = 2776
	OIDUUID                    = 2950
	OIDAnyEnum                 = 3500
	OIDJSONB                   = 3802
	OIDAnyRange                = 3831
	OIDRegconfig               = 3734
	OIDRegnamespace            = 4089
	OIDRegrole                 = 4096
	OIDRegcollation            = 4191
	OIDAnyMultirange           = 4537
	OIDAnyCompatible           = 5077
	OIDAnyCompatibleArray      = 5078
	OIDAnyCompatibleNonArray   = 5079
	OIDAnyCompatibleRange      = 5080
	OIDAnyCompatibleMultirange = 4538
	OIDTextArray               = 1009
	OIDInt4Array               = 1007
	OIDInt2Array               = 1005
	OIDOIDArray                = 1028
	OIDNameArray               = 1003
	OIDCharArray               = 1002
	OIDFloat8Array             = 1022
)

// Common types.
var (
	TBool        = Type{OIDBool, -1}
	TInt2        = Type{OIDInt2, -1}
	TInt4        = Type{OIDInt4, -1}
	TInt8        = Type{OIDInt8, -1}
	TFloat4      = Type{OIDFloat4, -1}
	TFloat8      = Type{OIDFloat8, -1}
	TNumeric     = Type{OIDNumeric, -1}
	TText        = Type{OIDText, -1}
	TVarchar     = Type{OIDVarchar, -1}
	TName        = Type{OIDName, -1}
	TBytea       = Type{OIDBytea, -1}
	TDate        = Type{OIDDate, -1}
	TTime        = Type{OIDTime, -1}
	TTimetz      = Type{OIDTimetz, -1}
	TTimestamp   = Type{OIDTimestamp, -1}
	TTimestamptz = Type{OIDTimestamptz, -1}
	TInterval    = Type{OIDInterval, -1}
	TUUID        = Type{OIDUUID, -1}
	TJSON        = Type{OIDJSON, -1}
	TJSONB       = Type{OIDJSONB, -1}
	TUnknown     = Type{OIDUnknown, -1}
	TRecord      = Type{OIDRecord, -1}
	TOID         = Type{OIDOID, -1}
	TTextArray   = Type{OIDTextArray, -1}
	TVoid        = Type{OIDVoid, -1}
)

// OpaqueOID marks a user-defined type (an enum, a domain over an
// unsupported type, inet, …) whose values the cache keeps as PostgreSQL's
// text output: they can be read and compared for equality, nothing more.
// It is not a PostgreSQL OID: clients see such columns as text.
const OpaqueOID = 0xFFFFFF00

var typeByOID = func() map[uint32]*typeRow {
	m := make(map[uint32]*typeRow, len(pgTypes))
	for i := range pgTypes {
		m[pgTypes[i].oid] = &pgTypes[i]
	}
	// int2vector and oidvector are arrays to get_element_type (ANY,
	// subscripts, anyarray), though not "true" array types.
	m[OIDInt2Vector].elem, m[OIDOIDVector].elem = OIDInt2, OIDOID
	return m
}()

// isVector: int2vector or oidvector.
func isVector(oid uint32) bool { return oid == OIDInt2Vector || oid == OIDOIDVector }

var typeByName = func() map[string]uint32 {
	m := map[string]uint32{}
	for _, t := range pgTypes {
		m[t.name] = t.oid
		m[t.display] = t.oid
	}
	for alias, oid := range map[string]uint32{
		"int": OIDInt4, "integer": OIDInt4, "smallint": OIDInt2, "bigint": OIDInt8, "boolean": OIDBool,
		"real": OIDFloat4, "float": OIDFloat8, "double precision": OIDFloat8, "decimal": OIDNumeric, "dec": OIDNumeric,
		"char": OIDBPChar, "character": OIDBPChar, "varchar": OIDVarchar, "character varying": OIDVarchar,
		"timestamp": OIDTimestamp, "timestamptz": OIDTimestamptz, "time": OIDTime, "timetz": OIDTimetz,
		"bit varying": OIDVarbit, `"char"`: OIDChar, "timestamp without time zone": OIDTimestamp,
		"timestamp with time zone": OIDTimestamptz, "time without time zone": OIDTime, "time with time zone": OIDTimetz,
	} {
		m[alias] = oid
	}
	return m
}()

// typeByTypname finds a type by pg_type.typname alone, as a parsed type
// name is looked up (the grammar has already turned int, character
// varying, double precision, … into typnames; "integer" quoted is not a
// type).
var typeByTypname = func() map[string]uint32 {
	m := make(map[string]uint32, len(pgTypes))
	for _, t := range pgTypes {
		m[t.name] = t.oid
	}
	return m
}()

func (t Type) row() *typeRow {
	if isUserOID(t.OID) {
		return userRow(t.OID)
	}
	return typeByOID[t.OID]
}

// Known reports a type the analyzer has a catalog row for.
func (t Type) Known() bool { return t.row() != nil }

// Category is pg_type.typcategory ('N' numeric, 'S' string, …).
func (t Type) Category() byte {
	if t.OID == OpaqueOID {
		return 'U'
	}
	if r := t.row(); r != nil {
		return r.category
	}
	return 'U'
}

// Preferred is pg_type.typispreferred.
func (t Type) Preferred() bool {
	if r := t.row(); r != nil {
		return r.preferred
	}
	return false
}

// IsArray reports an array type.
func (t Type) IsArray() bool {
	r := t.row()
	return r != nil && r.elem != 0 && r.category == 'A'
}

// Elem is an array type's element type (with the array's typmod).
func (t Type) Elem() Type {
	if r := t.row(); r != nil && r.elem != 0 {
		return Type{r.elem, t.Mod}
	}
	return Type{}
}

// ArrayOf is the array type of t (OID 0 when there is none).
func ArrayOf(t Type) Type {
	if t.IsArray() && !isVector(t.OID) {
		return t // PostgreSQL arrays of arrays are the same type
	}
	if r := t.row(); r != nil && r.array != 0 {
		return Type{r.array, t.Mod}
	}
	return Type{}
}

// IsPolymorphic reports the any* pseudo-types.
func (t Type) IsPolymorphic() bool {
	switch t.OID {
	case OIDAnyElement, OIDAnyArray, OIDAnyNonArray, OIDAnyEnum, OIDAnyRange, OIDAnyMultirange,
		OIDAnyCompatible, OIDAnyCompatibleArray, OIDAnyCompatibleNonArray, OIDAnyCompatibleRange, OIDAnyCompatibleMultirange:
		return true
	}
	return false
}

// Name is format_type(oid, typmod): "integer", "numeric(12,2)",
// "character varying(20)", "timestamp(3) with time zone", "text[]".
func (t Type) Name() string {
	if t.OID == OpaqueOID {
		return "text"
	}
	r := t.row()
	if r == nil {
		return strconv.FormatUint(uint64(t.OID), 10)
	}
	if t.IsArray() && !isVector(t.OID) {
		return Type{r.elem, t.Mod}.Name() + "[]"
	}
	name := r.display
	if t.Mod < 0 {
		return name
	}
	switch t.OID {
	case OIDNumeric:
		if p, s, ok := numericPS(t.Mod); ok {
			return fmt.Sprintf("numeric(%d,%d)", p, s)
		}
	case OIDVarchar:
		return fmt.Sprintf("character varying(%d)", t.Mod-4)
	case OIDBPChar:
		return fmt.Sprintf("character(%d)", t.Mod-4)
	case OIDTimestamp:
		return fmt.Sprintf("timestamp(%d) without time zone", t.Mod)
	case OIDTimestamptz:
		return fmt.Sprintf("timestamp(%d) with time zone", t.Mod)
	case OIDTime:
		return fmt.Sprintf("time(%d) without time zone", t.Mod)
	case OIDTimetz:
		return fmt.Sprintf("time(%d) with time zone", t.Mod)
	case OIDBit:
		return fmt.Sprintf("bit(%d)", t.Mod)
	case OIDVarbit:
		return fmt.Sprintf("bit varying(%d)", t.Mod)
	case OIDInterval:
		return intervalTypeName(t.Mod)
	}
	return name
}

// intervalTypeName formats interval's typmod (fields and precision).
func intervalTypeName(mod int32) string {
	fields := (mod >> 16) & 0x7fff
	prec := mod & 0xffff
	var f string
	for name, mask := range intervalRanges {
		if int32(mask) == fields {
			f = " " + name
		}
	}
	out := "interval" + f
	if prec != 0xffff {
		out += fmt.Sprintf("(%d)", prec)
	}
	return out
}

// intervalRanges are interval's field masks (INTERVAL_RANGE in datetime.h).
var intervalRanges = map[string]int{
	"year": 1 << 2, "month": 1 << 1, "day": 1 << 3, "hour": 1 << 10, "minute": 1 << 11, "second": 1 << 12,
	"year to month": 1<<2 | 1<<1, "day to hour": 1<<3 | 1<<10, "day to minute": 1<<3 | 1<<10 | 1<<11,
	"day to second": 1<<3 | 1<<10 | 1<<11 | 1<<12, "hour to minute": 1<<10 | 1<<11,
	"hour to second": 1<<10 | 1<<11 | 1<<12, "minute to second": 1<<11 | 1<<12,
}

// TypeByName finds a built-in type by any of its SQL names, with its
// typmod: "int4", "integer", "numeric(12,2)", "character varying(20)",
// "text[]", "pg_catalog.text", "timestamp(3) with time zone".
func TypeByName(name string) (Type, bool) {
	n := strings.ToLower(strings.TrimSpace(name))
	n = strings.TrimPrefix(n, "pg_catalog.")
	if elem, ok := strings.CutSuffix(n, "[]"); ok {
		e, ok := TypeByName(elem)
		if !ok {
			return Type{}, false
		}
		a := ArrayOf(e)
		return a, a.OID != 0
	}
	var mods []int32
	if i := strings.IndexByte(n, '('); i >= 0 {
		j := strings.IndexByte(n[i:], ')')
		if j < 0 {
			return Type{}, false
		}
		for _, m := range strings.Split(n[i+1:i+j], ",") {
			v, err := strconv.Atoi(strings.TrimSpace(m))
			if err != nil {
				return Type{}, false
			}
			mods = append(mods, int32(v))
		}
		n = strings.TrimSpace(n[:i] + n[i+j+1:])
	}
	n = strings.Join(strings.Fields(n), " ")
	if n != `"char"` {
		n = strings.Trim(n, `"`)
	}
	oid, ok := typeByName[n]
	if !ok {
		return Type{}, false
	}
	t := Type{oid, -1}
	mod, err := typmodFor(oid, mods)
	if err != nil {
		return Type{}, false
	}
	t.Mod = mod
	return t, true
}

// typmodFor turns a type's declared modifiers into its typmod, as each
// type's typmodin does.
func typmodFor(oid uint32, mods []int32) (int32, error) {
	if len(mods) == 0 {
		return -1, nil
	}
	switch oid {
	case OIDNumeric:
		p, s := mods[0], int32(0)
		if len(mods) > 1 {
			s = mods[1]
		}
		if len(mods) > 2 {
			return 0, errf("22023", "invalid NUMERIC type modifier")
		}
		if p < 1 || p > 1000 {
			return 0, errf("22023", "NUMERIC precision %d must be between 1 and 1000", p)
		}
		if s < -1000 || s > 1000 {
			return 0, errf("22023", "NUMERIC scale %d must be between -1000 and 1000", s)
		}
		// make_numeric_typmod: the scale in 11 bits (PostgreSQL 15
		// allows negative scales).
		return (p<<16 | (s & 0x7ff)) + 4, nil
	case OIDVarchar, OIDBPChar:
		if len(mods) > 1 {
			return 0, errf("22023", "invalid type modifier")
		}
		if mods[0] < 1 {
			return 0, errf("22023", "length for type %s must be at least 1", map[uint32]string{OIDVarchar: "varchar", OIDBPChar: "char"}[oid])
		}
		if mods[0] > 10485760 {
			return 0, errf("22023", "length for type %s cannot exceed 10485760", map[uint32]string{OIDVarchar: "varchar", OIDBPChar: "char"}[oid])
		}
		return mods[0] + 4, nil
	case OIDTimestamp, OIDTimestamptz, OIDTime, OIDTimetz:
		if len(mods) > 1 {
			return 0, errf("22023", "invalid type modifier")
		}
		if mods[0] < 0 {
			return 0, errf("22023", "TIMESTAMP(%d) precision must not be negative", mods[0])
		}
		return min(mods[0], 6), nil
	case OIDBit, OIDVarbit:
		return mods[0], nil
	case OIDInterval:
		return 0x7fff<<16 | min(mods[0], 6), nil
	}
	return 0, errf("42601", "type modifier is not allowed for type %q", typeByOID[oid].display)
}

// numericPS splits a numeric typmod; ok is false for an unconstrained one.
func numericPS(mod int32) (p, s int, ok bool) {
	if mod < 4 {
		return 0, 0, false
	}
	m := mod - 4
	s = int(((m & 0x7ff) ^ 1024) - 1024) // sign-extend the 11-bit scale
	return int((m >> 16) & 0xffff), s, true
}

// charLen is the declared length of varchar(n)/char(n) (0: none).
func charLen(t Type) int {
	if (t.OID == OIDVarchar || t.OID == OIDBPChar) && t.Mod >= 4 {
		return int(t.Mod - 4)
	}
	return 0
}
