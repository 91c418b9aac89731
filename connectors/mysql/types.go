package mysql

import (
	"fmt"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/hotdata-dev/hotdata/connectors"
)

// column is one upstream column as information_schema.COLUMNS shows it.
type column struct {
	name     string
	colType  string // COLUMN_TYPE, e.g. "int(10) unsigned"
	dataType string // DATA_TYPE, lower case, e.g. "int"
	nullable bool
	// precision and scale of decimals, and the width of bit(n); -1 when
	// information_schema has none.
	precision, scale int64
	// json marks a MariaDB JSON column: MariaDB stores JSON as longtext
	// with a json_valid(column) CHECK constraint.
	json bool
	// charset is the character set of a string column ("" for others);
	// extra is information_schema's EXTRA (e.g. "virtual generated").
	charset, extra string
}

// kind is how Hotdata reads a column.
type kind int

const (
	kindOther kind = iota // read as text, with a warning
	kindBool              // tinyint(1) and bool
	kindBit1              // bit(1)
	kindBits              // bit(n), n > 1
	kindInt8
	kindInt16
	kindInt32 // mediumint and int
	kindInt64
	kindUint8
	kindUint16
	kindUint32 // mediumint unsigned and int unsigned
	kindUint64
	kindYear
	kindYear2       // MariaDB's YEAR(2): two digits for 1970 to 2069
	kindDecimal     // precision <= 38
	kindWideDecimal // precision > 38: text
	kindFloat
	kindDouble
	kindChar
	kindVarchar
	kindText // text family, enum, set
	kindJSON
	kindBinary // binary, varbinary, blob family
	kindDate
	kindDatetime
	kindTimestamp
	kindTime
	kindSpatial // read as WKT text, with a warning
)

// maxDecimalPrecision is the most digits an Arrow decimal128 holds.
const maxDecimalPrecision = 38

// kindOf classifies a column by its DATA_TYPE and COLUMN_TYPE.
func kindOf(c column) kind {
	full := strings.ToLower(c.colType)
	unsigned := strings.Contains(full, "unsigned")
	pick := func(signed, uns kind) kind {
		if unsigned {
			return uns
		}
		return signed
	}
	switch c.dataType {
	case "tinyint":
		// BOOL and BOOLEAN are tinyint(1); MySQL 8 drops display widths
		// from COLUMN_TYPE except this one, so it still marks booleans.
		if strings.HasPrefix(full, "tinyint(1)") && !unsigned {
			return kindBool
		}
		return pick(kindInt8, kindUint8)
	case "bool", "boolean":
		return kindBool
	case "smallint":
		return pick(kindInt16, kindUint16)
	case "mediumint", "int", "integer":
		return pick(kindInt32, kindUint32)
	case "bigint":
		return pick(kindInt64, kindUint64)
	case "year":
		if strings.HasPrefix(full, "year(2)") {
			return kindYear2
		}
		return kindYear
	case "bit":
		if c.precision == 1 {
			return kindBit1
		}
		return kindBits
	case "decimal", "numeric":
		if c.precision > maxDecimalPrecision {
			return kindWideDecimal
		}
		return kindDecimal
	case "float":
		return kindFloat
	case "double", "real", "double precision":
		return kindDouble
	case "char":
		return kindChar
	case "varchar":
		return kindVarchar
	case "longtext":
		if c.json {
			return kindJSON
		}
		return kindText
	case "tinytext", "text", "mediumtext", "enum", "set":
		return kindText
	case "json":
		return kindJSON
	case "binary", "varbinary", "tinyblob", "blob", "mediumblob", "longblob":
		return kindBinary
	case "date":
		return kindDate
	case "datetime":
		return kindDatetime
	case "timestamp":
		return kindTimestamp
	case "time":
		return kindTime
	case "geometry", "point", "linestring", "polygon", "multipoint", "multilinestring",
		"multipolygon", "geometrycollection", "geomcollection":
		return kindSpatial
	}
	return kindOther
}

// PostgreSQL type OIDs (src/include/catalog/pg_type.dat).
const (
	oidBool        = 16
	oidBytea       = 17
	oidInt8        = 20
	oidInt2        = 21
	oidInt4        = 23
	oidText        = 25
	oidJSON        = 114
	oidFloat4      = 700
	oidFloat8      = 701
	oidVarchar     = 1043
	oidDate        = 1082
	oidTime        = 1083
	oidTimestamp   = 1114
	oidTimestamptz = 1184
	oidNumeric     = 1700
)

// typeOID is the PostgreSQL type a column is served as, which is what
// the emulated pg_catalog shows for it. Unsigned integers follow the
// engine's widening: uint8 is served as int2, uint16 as int4, uint32 as
// int8 and uint64 as numeric.
func typeOID(k kind) uint32 {
	switch k {
	case kindBool, kindBit1:
		return oidBool
	case kindInt8, kindInt16, kindUint8, kindYear, kindYear2:
		return oidInt2
	case kindInt32, kindUint16:
		return oidInt4
	case kindInt64, kindUint32, kindBits:
		return oidInt8
	case kindUint64, kindDecimal, kindWideDecimal:
		return oidNumeric
	case kindFloat:
		return oidFloat4
	case kindDouble:
		return oidFloat8
	case kindChar:
		// MySQL returns CHAR values without their trailing spaces, so
		// they are not PostgreSQL's blank-padded character(n).
		return oidText
	case kindVarchar:
		return oidVarchar
	case kindJSON:
		return oidJSON
	case kindBinary:
		return oidBytea
	case kindDate:
		return oidDate
	case kindDatetime:
		return oidTimestamp
	case kindTimestamp:
		return oidTimestamptz
	case kindTime:
		return oidTime
	}
	return oidText
}

// plan is how one column is selected and decoded.
type plan struct {
	expr    string // select-list expression
	field   arrow.Field
	kind    kind
	warning string // a lossy mapping, known before reading any row
}

// textPlan reads a column as MySQL's text output of its values
// (ScanRequest.AsText): reason says why the cache cannot serve it.
// BIT values, which the text protocol sends as raw bytes, are read as
// their unsigned number.
func textPlan(c column, reason string) plan {
	k := kindOf(c)
	keys := []string{connectors.MetaSourceType, connectors.MetaTextHeld}
	values := []string{c.colType, "true"}
	if reason != "" {
		keys, values = append(keys, connectors.MetaUnavailable), append(values, reason)
	}
	p := plan{expr: quoteIdent(c.name), kind: kindText,
		field: arrow.Field{Name: c.name, Type: arrow.BinaryTypes.String, Nullable: c.nullable, Metadata: arrow.NewMetadata(keys, values)}}
	switch k {
	case kindBit1, kindBits:
		p.expr = "CAST(" + quoteIdent(c.name) + " AS UNSIGNED)"
	case kindFloat:
		p.expr = "(" + quoteIdent(c.name) + " * 1e0)"
	case kindSpatial:
		p.expr = "ST_AsText(" + quoteIdent(c.name) + ")"
	}
	return p
}

// planColumn maps a column to its select expression and Arrow field.
func planColumn(c column) plan {
	k := kindOf(c)
	meta := arrow.NewMetadata([]string{connectors.MetaSourceType}, []string{c.colType})
	p := plan{expr: quoteIdent(c.name), kind: k, field: arrow.Field{Name: c.name, Nullable: c.nullable, Metadata: meta}}
	switch k {
	case kindBool, kindBit1:
		p.field.Type = arrow.FixedWidthTypes.Boolean
	case kindBits:
		p.field.Type = arrow.PrimitiveTypes.Int64
	case kindInt8:
		p.field.Type = arrow.PrimitiveTypes.Int8
	case kindInt16, kindYear, kindYear2:
		p.field.Type = arrow.PrimitiveTypes.Int16
	case kindInt32:
		p.field.Type = arrow.PrimitiveTypes.Int32
	case kindInt64:
		p.field.Type = arrow.PrimitiveTypes.Int64
	case kindUint8:
		p.field.Type = arrow.PrimitiveTypes.Uint8
	case kindUint16:
		p.field.Type = arrow.PrimitiveTypes.Uint16
	case kindUint32:
		p.field.Type = arrow.PrimitiveTypes.Uint32
	case kindUint64:
		p.field.Type = arrow.PrimitiveTypes.Uint64
	case kindDecimal:
		p.field.Type = &arrow.Decimal128Type{Precision: int32(max(c.precision, 1)), Scale: int32(max(c.scale, 0))}
	case kindWideDecimal:
		p.field.Type = arrow.BinaryTypes.String
		p.field.Metadata = arrow.NewMetadata([]string{connectors.MetaSourceType, connectors.MetaDecimalText}, []string{c.colType, "true"})
		p.warning = fmt.Sprintf("column %s of type %s is cached as text: Arrow decimals hold at most %d digits", c.name, c.colType, maxDecimalPrecision)
	case kindFloat:
		// The text protocol prints FLOAT with 6 significant digits; as a
		// DOUBLE it prints every digit, and float32(that) is the stored
		// value exactly. Multiplying by 1 widens on every server version
		// (CAST AS DOUBLE needs MySQL 8.0.17) and keeps the sign of -0.
		p.expr = "(" + quoteIdent(c.name) + " * 1e0)"
		p.field.Type = arrow.PrimitiveTypes.Float32
	case kindDouble:
		p.field.Type = arrow.PrimitiveTypes.Float64
	case kindChar, kindVarchar, kindText:
		p.field.Type = arrow.BinaryTypes.String
	case kindJSON:
		p.field.Type = connectors.JSONType()
	case kindBinary:
		p.field.Type = arrow.BinaryTypes.Binary
	case kindDate:
		p.field.Type = arrow.FixedWidthTypes.Date32
	case kindDatetime:
		p.field.Type = &arrow.TimestampType{Unit: arrow.Microsecond}
	case kindTimestamp:
		p.field.Type = &arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: "UTC"}
	case kindTime:
		p.field.Type = arrow.FixedWidthTypes.Time64us
	case kindSpatial:
		p.expr = "ST_AsText(" + quoteIdent(c.name) + ")"
		p.field.Type = arrow.BinaryTypes.String
		p.warning = fmt.Sprintf("column %s of type %s is cached as text (WKT)", c.name, c.colType)
	default:
		p.field.Type = arrow.BinaryTypes.String
		p.warning = fmt.Sprintf("column %s of type %s is cached as text", c.name, c.colType)
	}
	return p
}
