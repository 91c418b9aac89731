package difftest

import "fmt"

// typeNames are PostgreSQL's built-in types by OID (pg_type.dat), for
// messages only.
var typeNames = map[uint32]string{
	16: "bool", 17: "bytea", 18: "char", 19: "name", 20: "int8", 21: "int2", 23: "int4",
	24: "regproc", 25: "text", 26: "oid", 114: "json", 142: "xml", 600: "point", 650: "cidr",
	700: "float4", 701: "float8", 705: "unknown", 790: "money", 829: "macaddr", 869: "inet",
	1000: "bool[]", 1001: "bytea[]", 1005: "int2[]", 1007: "int4[]", 1009: "text[]",
	1014: "bpchar[]", 1015: "varchar[]", 1016: "int8[]", 1021: "float4[]", 1022: "float8[]",
	1028: "oid[]", 1041: "inet[]", 1042: "bpchar", 1043: "varchar", 1082: "date", 1083: "time",
	1114: "timestamp", 1115: "timestamp[]", 1182: "date[]", 1183: "time[]", 1184: "timestamptz",
	1185: "timestamptz[]", 1186: "interval", 1187: "interval[]", 1231: "numeric[]",
	1266: "timetz", 1270: "timetz[]", 1560: "bit", 1562: "varbit", 1700: "numeric",
	1790: "refcursor", 2205: "regclass", 2206: "regtype", 2249: "record", 2275: "cstring",
	2277: "anyarray", 2278: "void", 2283: "anyelement", 2287: "record[]", 2950: "uuid",
	2951: "uuid[]", 3614: "tsvector", 3802: "jsonb", 3807: "jsonb[]", 199: "json[]",
	3904: "int4range", 3906: "numrange", 3908: "tsrange", 3910: "tstzrange", 3912: "daterange",
	3926: "int8range", 4072: "jsonpath", 1263: "cstring[]", 1002: "char[]", 1003: "name[]",
}

// TypeName names a type OID. Types the fixture creates have OIDs that
// change from run to run: they are all "a fixture type".
func TypeName(oid uint32) string {
	if n, ok := typeNames[oid]; ok {
		return n
	}
	if oid >= 16384 { // FirstNormalObjectId: made by the fixture (an enum, a table's row type)
		return "a fixture type"
	}
	return fmt.Sprintf("oid %d", oid)
}

// Typmod prints a type modifier as PostgreSQL's format_type would show it.
func Typmod(oid uint32, mod int32) string {
	if mod < 0 {
		return "-1 (none)"
	}
	switch oid {
	case 1700:
		if mod >= 4 {
			m := mod - 4
			return fmt.Sprintf("%d (%d,%d)", mod, (m>>16)&0xffff, m&0xffff)
		}
	case 1042, 1043:
		if mod >= 4 {
			return fmt.Sprintf("%d (%d)", mod, mod-4)
		}
	case 1083, 1114, 1184, 1266:
		return fmt.Sprintf("%d (%d)", mod, mod)
	}
	return fmt.Sprint(mod)
}
