package pgcatalog

import (
	"regexp"
	"strconv"
	"strings"
)

// Type OIDs used by name here.
const (
	oidBool        = 16
	oidInt8        = 20
	oidInt2        = 21
	oidInt4        = 23
	oidText        = 25
	oidOID         = 26
	oidFloat4      = 700
	oidFloat8      = 701
	oidBPChar      = 1042
	oidVarchar     = 1043
	oidTime        = 1083
	oidTimestamp   = 1114
	oidTimestamptz = 1184
	oidInterval    = 1186
	oidTimetz      = 1266
	oidBit         = 1560
	oidVarbit      = 1562
	oidNumeric     = 1700
)

// builtinType is one row of the static pg_type, with what format_type
// and information_schema need.
type builtinType struct {
	oid      uint32
	name     string // typname
	display  string // format_type(oid, NULL)
	elem     uint32 // typelem of array types
	array    uint32 // typarray
	typlen   int
	typtype  string
	category string
	align    string // typalign
	storage  string // typstorage
}

var builtinTypes, typeByName = func() (map[uint32]*builtinType, map[string]uint32) {
	rel, _ := Lookup("pg_catalog", "pg_type")
	idx := map[string]int{}
	for i, c := range rel.Columns {
		idx[c] = i
	}
	types := map[uint32]*builtinType{}
	names := map[string]uint32{}
	for _, row := range staticRows["pg_type"] {
		get := func(c string) string { return *row[idx[c]] }
		num := func(c string) uint32 { n, _ := strconv.ParseUint(get(c), 10, 32); return uint32(n) }
		t := &builtinType{oid: num("oid"), name: get("typname"), elem: num("typelem"), array: num("typarray"),
			typtype: get("typtype"), category: get("typcategory"), align: get("typalign"), storage: get("typstorage")}
		t.typlen, _ = strconv.Atoi(get("typlen"))
		t.display = typeNames[t.oid]
		if t.display == "" {
			t.display = t.name
		}
		types[t.oid] = t
		names[t.name] = t.oid
		names[t.display] = t.oid
	}
	// SQL spellings that name a type too.
	for alias, oid := range map[string]uint32{
		"int": oidInt4, "integer": oidInt4, "smallint": oidInt2, "bigint": oidInt8, "boolean": oidBool,
		"real": oidFloat4, "float": oidFloat8, "double precision": oidFloat8, "decimal": oidNumeric, "dec": oidNumeric,
		"char": oidBPChar, "character": oidBPChar, "varchar": oidVarchar, "character varying": oidVarchar,
		"timestamp": oidTimestamp, "timestamptz": oidTimestamptz, "time": oidTime, "timetz": oidTimetz,
		"bit varying": oidVarbit, `"char"`: 18,
	} {
		names[alias] = oid
	}
	return types, names
}()

var typmodRE = regexp.MustCompile(`\(([0-9]+)(?:\s*,\s*([0-9]+))?\)`)

// TypeOID finds a built-in type by any of its names ("int4", "integer",
// "character varying(10)", "pg_catalog.text", "text[]", "_text").
func TypeOID(name string) (uint32, bool) {
	n := strings.ToLower(strings.TrimSpace(name))
	n = strings.TrimPrefix(n, "pg_catalog.")
	n = strings.Join(strings.Fields(typmodRE.ReplaceAllString(n, "")), " ")
	if n != `"char"` {
		n = strings.Trim(n, `"`)
	}
	if elem, ok := strings.CutSuffix(n, "[]"); ok {
		if o, ok := TypeOID(elem); ok && builtinTypes[o].array != 0 {
			return builtinTypes[o].array, true
		}
		return 0, false
	}
	if o, ok := typeByName[n]; ok {
		return o, true
	}
	// "timestamp(3) with time zone" and friends.
	switch {
	case strings.HasPrefix(n, "timestamp") && strings.HasSuffix(n, "with time zone") && !strings.HasSuffix(n, "without time zone"):
		return oidTimestamptz, true
	case strings.HasPrefix(n, "timestamp"):
		return oidTimestamp, true
	case strings.HasPrefix(n, "time") && strings.HasSuffix(n, "with time zone") && !strings.HasSuffix(n, "without time zone"):
		return oidTimetz, true
	case strings.HasPrefix(n, "time"):
		return oidTime, true
	case strings.HasPrefix(n, "interval"):
		return oidInterval, true
	}
	return 0, false
}

// typeNameSet holds every name of a type in pg_catalog: typname and
// format_type's name, with the SQL spellings TypeOID knows.
var typeNameSet = func() map[string]bool {
	m := map[string]bool{}
	for name := range typeByName {
		m[name] = true
	}
	for _, name := range typeNames {
		m[name] = true
	}
	return m
}()

// IsTypeName reports whether PostgreSQL has a type of this name in
// pg_catalog (as the parser leaves it: "int4", "varchar", "_text",
// "pg_lsn", "tsvector"), whether or not Hotdata serves it.
func IsTypeName(name string) bool { return typeNameSet[name] }

// TypeName is format_type(oid, NULL) of a built-in type ("" if unknown).
func TypeName(oid uint32) string {
	if t := builtinTypes[oid]; t != nil {
		return t.display
	}
	return ""
}

// columnType is the type a client sees for a workspace table's column:
// the upstream's type OID when it is built in, else the type its name
// says, else text (enums and other user-defined types arrive as text).
// typmod is parsed from the declared name, as PostgreSQL stores it.
func columnType(dataType string, upstreamOID uint32) (oid uint32, typmod int32) {
	oid = upstreamOID
	if builtinTypes[oid] == nil {
		oid = 0
	}
	if oid == 0 {
		if o, ok := TypeOID(dataType); ok {
			oid = o
		} else if o, ok := mysqlType(dataType); ok {
			oid = o
		} else {
			oid = oidText
		}
	}
	typmod = -1
	base := oid
	if t := builtinTypes[oid]; t != nil && t.elem != 0 && t.category == "A" {
		base = t.elem
	}
	m := typmodRE.FindStringSubmatch(dataType)
	if m == nil {
		return oid, typmod
	}
	a, _ := strconv.Atoi(m[1])
	switch base {
	case oidVarchar, oidBPChar:
		typmod = int32(a) + 4
	case oidNumeric:
		s := 0
		if m[2] != "" {
			s, _ = strconv.Atoi(m[2])
		}
		typmod = int32(a<<16|s) + 4
	case oidTimestamp, oidTimestamptz, oidTime, oidTimetz, oidBit, oidVarbit:
		typmod = int32(a)
	}
	return oid, typmod
}

// mysqlType maps MySQL/MariaDB column types to the PostgreSQL type a
// client is sent for them, for columns recorded without a TypeOID (the
// mysql connector sets one; this covers older discoveries).
func mysqlType(dataType string) (uint32, bool) {
	n := strings.ToLower(dataType)
	unsigned := strings.Contains(n, "unsigned")
	if i := strings.IndexAny(n, "( "); i >= 0 {
		n = n[:i]
	}
	if strings.HasPrefix(strings.ToLower(dataType), "tinyint(1)") {
		return oidBool, true // served as boolean, as JDBC drivers do
	}
	switch n {
	case "tinyint", "smallint", "year":
		return oidInt2, true
	case "mediumint":
		return oidInt4, true
	case "int":
		if unsigned {
			return oidInt8, true
		}
		return oidInt4, true
	case "bigint":
		if unsigned {
			return oidNumeric, true
		}
		return oidInt8, true
	case "float":
		return oidFloat4, true
	case "double":
		return oidFloat8, true
	case "datetime":
		return oidTimestamp, true
	case "tinytext", "mediumtext", "longtext", "enum", "set":
		return oidText, true
	case "blob", "tinyblob", "mediumblob", "longblob", "binary", "varbinary":
		return 17, true
	}
	return 0, false
}

// formatType is PostgreSQL's format_type(oid, typmod).
func formatType(oid uint32, typmod int32) string {
	t := builtinTypes[oid]
	if t == nil {
		return "???"
	}
	suffix := ""
	base := t
	if t.elem != 0 && t.category == "A" && builtinTypes[t.elem] != nil {
		base, suffix = builtinTypes[t.elem], "[]"
	}
	mod := typmodText(base.oid, typmod)
	if mod == "" {
		return base.display + suffix
	}
	switch base.oid {
	case oidTimestamp, oidTimestamptz, oidTime, oidTimetz:
		head, tail, _ := strings.Cut(base.display, " ")
		return head + mod + " " + tail + suffix
	}
	return base.display + mod + suffix
}

func typmodText(oid uint32, typmod int32) string {
	if typmod < 0 {
		return ""
	}
	switch oid {
	case oidVarchar, oidBPChar:
		return "(" + strconv.Itoa(int(typmod-4)) + ")"
	case oidNumeric:
		m := typmod - 4
		return "(" + strconv.Itoa(int(m>>16&0xffff)) + "," + strconv.Itoa(int(m&0xffff)) + ")"
	case oidTimestamp, oidTimestamptz, oidTime, oidTimetz, oidBit, oidVarbit:
		return "(" + strconv.Itoa(int(typmod)) + ")"
	}
	return ""
}

// ColumnType is the PostgreSQL type (OID and typmod) a client sees for
// a cached column of an upstream type name and OID.
func ColumnType(dataType string, upstreamOID uint32) (uint32, int32) {
	return columnType(dataType, upstreamOID)
}
