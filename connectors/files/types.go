package files

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/extensions"

	"github.com/hotdata-dev/hotdata/connectors"
	"github.com/hotdata-dev/hotdata/engine"
)

// PostgreSQL type OIDs (src/include/catalog/pg_type.dat) of the types
// columns are served as, and of their one-dimensional arrays.
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
	oidDate        = 1082
	oidTime        = 1083
	oidTimestamp   = 1114
	oidTimestamptz = 1184
	oidInterval    = 1186
	oidNumeric     = 1700
	oidUUID        = 2950
)

var arrayOIDs = map[uint32]uint32{
	oidBool: 1000, oidBytea: 1001, oidInt2: 1005, oidInt4: 1007, oidText: 1009, oidInt8: 1016,
	oidFloat4: 1021, oidFloat8: 1022, oidTimestamp: 1115, oidDate: 1182, oidTime: 1183,
	oidTimestamptz: 1185, oidInterval: 1187, oidNumeric: 1231, oidUUID: 2951, oidJSON: 199,
}

// served is the type a column is served as.
type served struct {
	duck   string // the DuckDB type the select expression yields
	pgName string // PostgreSQL's name for it: Column.DataType
	oid    uint32
	arrow  arrow.DataType
}

// conversion is what the select expression does to a column's values.
type conversion int

const (
	asIs   conversion = iota
	castTo            // CAST to served.duck, exactly
	lossy             // CAST to served.duck, losing precision
	toText            // CAST to VARCHAR: served as text
	toJSON            // to_json: served as json
)

// typePlan is how values of one DuckDB type are served.
type typePlan struct {
	served
	how conversion
}

// columnPlan is how one column of a file is selected and served.
type columnPlan struct {
	name    string
	expr    string // select-list expression, without alias
	served  served
	warning string
}

var (
	decimalType = regexp.MustCompile(`^DECIMAL\((\d+),\s*(\d+)\)$`)
	arrayType   = regexp.MustCompile(`^(.+)\[(\d*)\]$`)
)

// intervalType stores an interval exactly, as its three parts, the form
// the cache stores intervals in (see connectors/postgres.IntervalType):
// Arrow's month_day_nano has no Parquet form.
var intervalType = arrow.StructOf(
	arrow.Field{Name: "months", Type: arrow.PrimitiveTypes.Int32},
	arrow.Field{Name: "days", Type: arrow.PrimitiveTypes.Int32},
	arrow.Field{Name: "micros", Type: arrow.PrimitiveTypes.Int64},
)

func scalar(duck, pg string, oid uint32, t arrow.DataType) served {
	return served{duck: duck, pgName: pg, oid: oid, arrow: t}
}

var (
	servedBool        = scalar("BOOLEAN", "boolean", oidBool, arrow.FixedWidthTypes.Boolean)
	servedInt2        = scalar("SMALLINT", "smallint", oidInt2, arrow.PrimitiveTypes.Int16)
	servedInt4        = scalar("INTEGER", "integer", oidInt4, arrow.PrimitiveTypes.Int32)
	servedInt8        = scalar("BIGINT", "bigint", oidInt8, arrow.PrimitiveTypes.Int64)
	servedFloat4      = scalar("FLOAT", "real", oidFloat4, arrow.PrimitiveTypes.Float32)
	servedFloat8      = scalar("DOUBLE", "double precision", oidFloat8, arrow.PrimitiveTypes.Float64)
	servedText        = scalar("VARCHAR", "text", oidText, arrow.BinaryTypes.String)
	servedBytea       = scalar("BLOB", "bytea", oidBytea, arrow.BinaryTypes.Binary)
	servedDate        = scalar("DATE", "date", oidDate, arrow.FixedWidthTypes.Date32)
	servedTime        = scalar("TIME", "time without time zone", oidTime, arrow.FixedWidthTypes.Time64us)
	servedTimestamp   = scalar("TIMESTAMP", "timestamp without time zone", oidTimestamp, &arrow.TimestampType{Unit: arrow.Microsecond})
	servedTimestamptz = scalar("TIMESTAMP WITH TIME ZONE", "timestamp with time zone", oidTimestamptz, &arrow.TimestampType{Unit: arrow.Microsecond, TimeZone: "UTC"})
	servedInterval    = scalar("INTERVAL", "interval", oidInterval, intervalType)
	servedUUID        = scalar("UUID", "uuid", oidUUID, extensions.NewUUIDType())
	servedJSON        = scalar("JSON", "json", oidJSON, connectors.JSONType())
)

func servedDecimal(p, s int32) served {
	return scalar(fmt.Sprintf("DECIMAL(%d,%d)", p, s), fmt.Sprintf("numeric(%d,%d)", p, s), oidNumeric,
		&arrow.Decimal128Type{Precision: p, Scale: s})
}

// scalarPlans are the DuckDB types with no parameters, as DESCRIBE names
// them.
var scalarPlans = map[string]typePlan{
	"BOOLEAN":                  {servedBool, asIs},
	"TINYINT":                  {servedInt2, castTo},
	"UTINYINT":                 {servedInt2, castTo},
	"SMALLINT":                 {servedInt2, asIs},
	"USMALLINT":                {servedInt4, castTo},
	"INTEGER":                  {servedInt4, asIs},
	"UINTEGER":                 {servedInt8, castTo},
	"BIGINT":                   {servedInt8, asIs},
	"UBIGINT":                  {servedDecimal(20, 0), castTo},
	"HUGEINT":                  {servedDecimal(38, 0), castTo},
	"UHUGEINT":                 {servedDecimal(38, 0), castTo},
	"FLOAT":                    {servedFloat4, asIs},
	"DOUBLE":                   {servedFloat8, asIs},
	"VARCHAR":                  {servedText, asIs},
	"BLOB":                     {servedBytea, asIs},
	"DATE":                     {servedDate, asIs},
	"TIME":                     {servedTime, asIs},
	"TIME_NS":                  {servedTime, lossy},
	"TIMESTAMP":                {servedTimestamp, asIs},
	"TIMESTAMP_S":              {servedTimestamp, castTo},
	"TIMESTAMP_MS":             {servedTimestamp, castTo},
	"TIMESTAMP_NS":             {servedTimestamp, lossy},
	"TIMESTAMP WITH TIME ZONE": {servedTimestamptz, asIs},
	"INTERVAL":                 {servedInterval, asIs},
	"UUID":                     {servedUUID, asIs},
	"JSON":                     {servedJSON, asIs},
}

// planType decides how a DuckDB type (as DESCRIBE writes it) is served.
func planType(duck string) typePlan {
	if p, ok := scalarPlans[duck]; ok {
		return p
	}
	if m := decimalType.FindStringSubmatch(duck); m != nil {
		p, _ := strconv.Atoi(m[1])
		s, _ := strconv.Atoi(m[2])
		if p >= 1 && p <= 38 && s <= p {
			return typePlan{servedDecimal(int32(p), int32(s)), asIs}
		}
	}
	// A list's type ends in "[]" or "[n]"; nothing else DuckDB writes
	// does (STRUCT, MAP, UNION and ENUM end in a parenthesis).
	if m := arrayType.FindStringSubmatch(duck); m != nil {
		return planList(m[1], m[2] != "")
	}
	switch {
	case strings.HasPrefix(duck, "ENUM("):
		// An enum's labels are its values: text loses nothing.
		return typePlan{servedText, castTo}
	case strings.HasPrefix(duck, "STRUCT("), strings.HasPrefix(duck, "MAP("), strings.HasPrefix(duck, "UNION("):
		return typePlan{servedJSON, toJSON}
	}
	return typePlan{servedText, toText}
}

// planList serves lists (and fixed-size arrays) of scalars as lists of
// their served type; anything nested deeper becomes JSON.
func planList(elemDuck string, fixed bool) typePlan {
	elem := planType(elemDuck)
	if elem.how == toJSON || elem.arrow.ID() == arrow.LIST || elem.oid == oidInterval {
		// Intervals are stored as structs, which the cache rebuilds only
		// for whole columns, not inside lists.
		return typePlan{servedJSON, toJSON}
	}
	s := served{
		duck:   elem.duck + "[]",
		pgName: elem.pgName + "[]",
		oid:    arrayOIDs[elem.oid],
		arrow:  arrow.ListOfField(arrow.Field{Name: "element", Type: elem.arrow, Nullable: true}),
	}
	if s.oid == 0 {
		s.oid = arrayOIDs[oidText]
	}
	how := elem.how
	if how == asIs && fixed {
		how = castTo
	}
	return typePlan{s, how}
}

// planColumn decides how one column is selected and served.
func planColumn(name, duck string) columnPlan {
	p := planType(duck)
	q := engine.QuoteIdent(name)
	c := columnPlan{name: name, expr: q, served: p.served}
	switch p.how {
	case castTo:
		c.expr = "CAST(" + q + " AS " + p.duck + ")"
	case lossy:
		c.expr = "CAST(" + q + " AS " + p.duck + ")"
		c.warning = fmt.Sprintf("column %s of type %s is cached with microsecond precision", name, duck)
	case toText:
		c.expr = "CAST(" + q + " AS " + p.duck + ")"
		c.warning = fmt.Sprintf("column %s of type %s is cached as %s", name, duck, p.pgName)
	case toJSON:
		c.expr = "to_json(" + q + ")"
		c.warning = fmt.Sprintf("column %s of type %s is cached as json", name, duck)
	}
	return c
}

// field is the column's Arrow field, with its served type's name.
func (c columnPlan) field() arrow.Field {
	return arrow.Field{Name: c.name, Type: c.served.arrow, Nullable: true,
		Metadata: arrow.NewMetadata([]string{connectors.MetaSourceType}, []string{c.served.pgName})}
}
