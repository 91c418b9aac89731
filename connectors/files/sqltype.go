package files

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// duckTypes maps the SQL type names a CSV column override may use
// (PostgreSQL's names and common aliases) to DuckDB's.
var duckTypes = map[string]string{
	"smallint": "SMALLINT", "int2": "SMALLINT",
	"integer": "INTEGER", "int": "INTEGER", "int4": "INTEGER",
	"bigint": "BIGINT", "int8": "BIGINT",
	"real": "FLOAT", "float4": "FLOAT",
	"double precision": "DOUBLE", "double": "DOUBLE", "float8": "DOUBLE", "float": "DOUBLE",
	"text": "VARCHAR", "varchar": "VARCHAR", "character varying": "VARCHAR", "string": "VARCHAR",
	"boolean": "BOOLEAN", "bool": "BOOLEAN",
	"date":      "DATE",
	"timestamp": "TIMESTAMP", "timestamp without time zone": "TIMESTAMP",
	"timestamptz": "TIMESTAMPTZ", "timestamp with time zone": "TIMESTAMPTZ",
	"time": "TIME", "time without time zone": "TIME",
	"uuid": "UUID",
	"json": "JSON", "jsonb": "JSON",
	"bytea":    "BLOB",
	"interval": "INTERVAL",
}

var (
	decimalPattern = regexp.MustCompile(`^(?:numeric|decimal)\s*\(\s*(\d+)\s*(?:,\s*(\d+)\s*)?\)$`)
	varcharPattern = regexp.MustCompile(`^(?:varchar|character varying)\s*\(\s*\d+\s*\)$`)
	spaces         = regexp.MustCompile(`\s+`)
)

// duckType translates a configured SQL type name into the DuckDB type the
// CSV reader converts the column to. Only known names pass, so the result
// is safe to put in a statement.
func duckType(name string) (string, error) {
	n := spaces.ReplaceAllString(strings.ToLower(strings.TrimSpace(name)), " ")
	if t, ok := duckTypes[n]; ok {
		return t, nil
	}
	if varcharPattern.MatchString(n) {
		// The length is not enforced: DuckDB strings have none.
		return "VARCHAR", nil
	}
	if m := decimalPattern.FindStringSubmatch(n); m != nil {
		p, _ := strconv.Atoi(m[1])
		s := 0
		if m[2] != "" {
			s, _ = strconv.Atoi(m[2])
		}
		if p < 1 || p > 38 || s > p {
			return "", fmt.Errorf("type %q: precision must be 1 to 38 and scale at most the precision", name)
		}
		return fmt.Sprintf("DECIMAL(%d,%d)", p, s), nil
	}
	if n == "numeric" || n == "decimal" {
		return "", fmt.Errorf("type %q needs a precision and scale, e.g. numeric(12,2)", name)
	}
	return "", fmt.Errorf("type %q is not one of smallint, integer, bigint, real, double precision, numeric(p,s), text, boolean, date, time, timestamp, timestamptz, interval, uuid, json, bytea", name)
}
