package snowflake

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"

	"github.com/hotdata-dev/hotdata/connectors"
)

// column is one upstream column as INFORMATION_SCHEMA.COLUMNS shows it.
type column struct {
	name string
	// dataType is DATA_TYPE in upper case: Snowflake's own names (NUMBER,
	// TEXT, TIMESTAMP_NTZ, VARIANT…), or DuckDB's from the emulator
	// (INTEGER, DECIMAL(12,2), VARCHAR, TIMESTAMP…).
	dataType string
	nullable bool
	// precision and scale of numbers, length of strings and binaries,
	// fractional digits of times and timestamps; -1 when not given.
	precision, scale, length, fraction int64
	// collation is a text column's COLLATION_NAME ("" when none).
	collation string
}

// base is the type's name without modifiers ("DECIMAL(12,2)" → DECIMAL).
func (c column) base() string {
	b, _, _ := strings.Cut(c.dataType, "(")
	return strings.TrimSpace(b)
}

// sourceType is the type as Snowflake spells it in DDL, with modifiers.
func (c column) sourceType() string {
	if strings.Contains(c.dataType, "(") {
		return c.dataType
	}
	switch c.dataType {
	case "NUMBER", "DECIMAL", "NUMERIC":
		if c.precision >= 0 {
			return fmt.Sprintf("%s(%d,%d)", c.dataType, c.precision, max(c.scale, 0))
		}
	case "TEXT":
		if c.length >= 0 {
			return fmt.Sprintf("VARCHAR(%d)", c.length)
		}
		return "VARCHAR"
	case "BINARY":
		if c.length >= 0 {
			return fmt.Sprintf("BINARY(%d)", c.length)
		}
	case "TIME", "TIMESTAMP_NTZ", "TIMESTAMP_LTZ", "TIMESTAMP_TZ":
		if c.fraction >= 0 {
			return fmt.Sprintf("%s(%d)", c.dataType, c.fraction)
		}
	}
	return c.dataType
}

// numberSize is a NUMBER's precision and scale, from the columns of
// INFORMATION_SCHEMA or the type's own modifiers ("DECIMAL(12,2)");
// Snowflake's NUMBER without them is NUMBER(38,0).
func (c column) numberSize() (p, s int64) {
	p, s = c.precision, c.scale
	if _, mods, ok := strings.Cut(c.dataType, "("); ok {
		a, b, _ := strings.Cut(strings.TrimSuffix(mods, ")"), ",")
		if n, err := strconv.ParseInt(strings.TrimSpace(a), 10, 64); err == nil {
			p = n
		}
		if n, err := strconv.ParseInt(strings.TrimSpace(b), 10, 64); err == nil {
			s = n
		}
	}
	if p < 0 {
		p = maxDecimalPrecision
	}
	return p, max(s, 0)
}

// kind is how Hotdata reads a column.
type kind int

const (
	kindOther       kind = iota // read as text, with a warning
	kindInt64                   // NUMBER(p,0), p <= 18
	kindDecimal                 // NUMBER(p,s), p <= 38
	kindFloat                   // FLOAT (a double in Snowflake)
	kindString                  // VARCHAR and its synonyms
	kindBool                    // BOOLEAN
	kindDate                    // DATE
	kindTime                    // TIME(0-9)
	kindTimestamp               // TIMESTAMP_NTZ: wall-clock time
	kindTimestampTZ             // TIMESTAMP_TZ and TIMESTAMP_LTZ: instants
	kindBinary                  // BINARY
	kindJSON                    // VARIANT, OBJECT, ARRAY (JSON text)
	kindGeo                     // GEOGRAPHY, GEOMETRY: text, with a warning
)

// Numbers: an int64 holds every NUMBER(18,0), an Arrow decimal128 at most
// 38 digits (Snowflake's maximum precision).
const (
	maxInt64Precision   = 18
	maxDecimalPrecision = 38
)

// unboundedText is the length Snowflake gives a VARCHAR declared without
// one (16 MB; larger maxima exist since 2024): such a column is text.
const unboundedText = 16 << 20

// kindOf classifies a column by its DATA_TYPE (and, for numbers, its
// precision and scale). DuckDB's names are those the emulator reports.
func kindOf(c column) kind {
	switch c.base() {
	case "NUMBER", "DECIMAL", "NUMERIC":
		p, s := c.numberSize()
		switch {
		case s == 0 && p <= maxInt64Precision:
			return kindInt64
		case p <= maxDecimalPrecision:
			return kindDecimal
		}
		return kindOther
	case "INT", "INTEGER", "BIGINT", "SMALLINT", "TINYINT", "BYTEINT",
		"UTINYINT", "USMALLINT", "UINTEGER":
		return kindInt64
	case "FLOAT", "FLOAT4", "FLOAT8", "DOUBLE", "DOUBLE PRECISION", "REAL":
		return kindFloat
	case "TEXT", "VARCHAR", "STRING", "CHAR", "CHARACTER", "NCHAR", "NVARCHAR", "NVARCHAR2",
		"CHAR VARYING", "NCHAR VARYING":
		return kindString
	case "BOOLEAN", "BOOL":
		return kindBool
	case "DATE":
		return kindDate
	case "TIME":
		return kindTime
	case "TIMESTAMP_NTZ", "DATETIME", "TIMESTAMP", "TIMESTAMP_NS", "TIMESTAMP_MS", "TIMESTAMP_S":
		return kindTimestamp
	case "TIMESTAMP_TZ", "TIMESTAMP_LTZ", "TIMESTAMPTZ", "TIMESTAMP WITH TIME ZONE":
		return kindTimestampTZ
	case "BINARY", "VARBINARY", "BLOB", "BYTEA":
		return kindBinary
	case "VARIANT", "OBJECT", "ARRAY", "JSON":
		return kindJSON
	case "GEOGRAPHY", "GEOMETRY":
		return kindGeo
	}
	return kindOther
}

// PostgreSQL type OIDs (src/include/catalog/pg_type.dat).
const (
	oidBool        = 16
	oidBytea       = 17
	oidInt8        = 20
	oidText        = 25
	oidJSON        = 114
	oidFloat8      = 701
	oidVarchar     = 1043
	oidDate        = 1082
	oidTime        = 1083
	oidTimestamp   = 1114
	oidTimestamptz = 1184
	oidNumeric     = 1700
)

// typeOID is the PostgreSQL type a column is served as.
func typeOID(c column) uint32 {
	switch kindOf(c) {
	case kindInt64:
		return oidInt8
	case kindDecimal:
		return oidNumeric
	case kindFloat:
		return oidFloat8
	case kindString:
		if c.length > 0 && c.length < unboundedText {
			return oidVarchar
		}
		return oidText
	case kindBool:
		return oidBool
	case kindDate:
		return oidDate
	case kindTime:
		return oidTime
	case kindTimestamp:
		return oidTimestamp
	case kindTimestampTZ:
		return oidTimestamptz
	case kindBinary:
		return oidBytea
	case kindJSON:
		return oidJSON
	}
	return oidText
}

// dialect is what a scan's SQL must know of the server.
type dialect struct {
	// arrow: the server sends results as Arrow (Snowflake); otherwise as
	// JSON rows of text (the emulator).
	arrow bool
	// duckdb: the server runs DuckDB's SQL (the emulator): no backslash
	// escapes in string literals, hex() for binaries, JSON cast as text.
	duckdb bool
}

// plan is how one column is selected and decoded.
type plan struct {
	col   column
	kind  kind
	field arrow.Field
	// text: the column is read as the source's text (ScanRequest.AsText).
	text bool
	expr string // select-list expression
	// warning: a column read as text, known before reading any row.
	warning string
}

// textExpr is an expression for a column's value as text that its
// decoder parses exactly: numbers, dates and times as the server prints
// them (in Snowflake, the session's output formats; see driverConfig),
// binaries in hex, JSON as JSON.
func textExpr(c column, k kind, d dialect) string {
	q := quoteIdent(c.name)
	switch k {
	case kindString:
		return q
	case kindFloat:
		// DuckDB's FLOAT is a single-precision float: widen it before
		// printing, so that the text is the stored value exactly.
		return "CAST(CAST(" + q + " AS DOUBLE) AS VARCHAR)"
	case kindBinary:
		if d.duckdb {
			return "hex(" + q + ")"
		}
		return "HEX_ENCODE(" + q + ")"
	case kindJSON:
		if d.duckdb {
			return "CAST(" + q + " AS VARCHAR)"
		}
		// A VARIANT holding a string casts to the bare string.
		return "TO_JSON(" + q + ")"
	}
	return "CAST(" + q + " AS VARCHAR)"
}

// nullTag prefixes every value of a JSON result: the emulator sends NULL
// as an empty string, so '~' || x (NULL when x is) tells them apart.
const nullTag = "~"

// selectExpr is the select-list expression of a column read as k.
func selectExpr(c column, k kind, text bool, d dialect) string {
	if !d.arrow {
		return "'" + nullTag + "' || " + textExpr(c, k, d)
	}
	q := quoteIdent(c.name)
	switch {
	case text:
		return textExpr(c, k, d)
	case k == kindTime:
		// Arrow TIME values are integers in units of the column's
		// scale; at 9 they are nanoseconds, which the driver expects.
		return "CAST(" + q + " AS TIME(9))"
	case k == kindTimestamp:
		return "CAST(" + q + " AS TIMESTAMP_NTZ(9))"
	case k == kindTimestampTZ && c.base() == "TIMESTAMP_LTZ":
		return "CAST(" + q + " AS TIMESTAMP_LTZ(9))"
	case k == kindTimestampTZ:
		return "CAST(" + q + " AS TIMESTAMP_TZ(9))"
	case k == kindGeo, k == kindOther:
		return "CAST(" + q + " AS VARCHAR)"
	}
	return q
}

// planColumn maps a column to its select expression and Arrow field.
func planColumn(c column, d dialect) plan {
	k := kindOf(c)
	meta := arrow.NewMetadata([]string{connectors.MetaSourceType}, []string{c.sourceType()})
	p := plan{col: c, kind: k, expr: selectExpr(c, k, false, d),
		field: arrow.Field{Name: c.name, Nullable: c.nullable, Metadata: meta}}
	switch k {
	case kindInt64:
		p.field.Type = arrow.PrimitiveTypes.Int64
	case kindDecimal:
		prec, scale := c.numberSize()
		p.field.Type = &arrow.Decimal128Type{Precision: int32(max(prec, 1)), Scale: int32(scale)}
	case kindFloat:
		p.field.Type = arrow.PrimitiveTypes.Float64
	case kindString:
		p.field.Type = arrow.BinaryTypes.String
	case kindBool:
		p.field.Type = arrow.FixedWidthTypes.Boolean
	case kindDate:
		p.field.Type = arrow.FixedWidthTypes.Date32
	case kindTime:
		p.field.Type = arrow.FixedWidthTypes.Time64us
	case kindTimestamp:
		p.field.Type = &arrow.TimestampType{Unit: arrow.Microsecond}
	case kindTimestampTZ:
		p.field.Type = &arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: "UTC"}
	case kindBinary:
		p.field.Type = arrow.BinaryTypes.Binary
	case kindJSON:
		p.field.Type = connectors.JSONType()
	case kindGeo:
		p.field.Type = arrow.BinaryTypes.String
		p.warning = fmt.Sprintf("column %s of type %s is cached as text", c.name, c.sourceType())
	default:
		p.field.Type = arrow.BinaryTypes.String
		p.warning = fmt.Sprintf("column %s of type %s is cached as text", c.name, c.sourceType())
	}
	return p
}

// textPlan reads a column as the source's text of its values
// (ScanRequest.AsText); reason says why the cache cannot serve it.
func textPlan(c column, reason string, d dialect) plan {
	k := kindOf(c)
	keys := []string{connectors.MetaSourceType, connectors.MetaTextHeld}
	values := []string{c.sourceType(), "true"}
	if reason != "" {
		keys, values = append(keys, connectors.MetaUnavailable), append(values, reason)
	}
	return plan{col: c, kind: k, text: true, expr: selectExpr(c, k, true, d),
		field: arrow.Field{Name: c.name, Type: arrow.BinaryTypes.String, Nullable: c.nullable, Metadata: arrow.NewMetadata(keys, values)}}
}
