package snowflake

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/hotdata-dev/hotdata/connectors"
)

// numberRE is a numeric literal Snowflake (and DuckDB) read exactly as
// written: digits are a NUMBER literal, an exponent makes it a FLOAT.
var numberRE = regexp.MustCompile(`^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?$`)

// filterSQL renders predicates as a WHERE clause of literals (the
// emulator takes no bind parameters; Snowflake reads literals as well):
// numbers as numeric literals, instants as text in UTC that the server
// casts to the column's type, strings quoted for the dialect. A column
// cached as text is compared as its text.
func filterSQL(preds []connectors.Predicate, cols []column, d dialect) (string, error) {
	if len(preds) == 0 {
		return "", nil
	}
	var conds []string
	for _, p := range preds {
		c, ok := findColumn(cols, p.Column)
		if !ok {
			return "", fmt.Errorf("filter: no column %q", p.Column)
		}
		if !connectors.ValidOp(p.Op) {
			return "", fmt.Errorf("filter: operator %q is not supported", p.Op)
		}
		k := kindOf(c)
		lhs := quoteIdent(c.name)
		switch k {
		case kindOther, kindGeo, kindJSON, kindBinary:
			// The cache holds another form of these (JSON text, WKT,
			// bytes) than any comparison Snowflake makes of them: an
			// incremental sync on one could skip or repeat rows.
			return "", fmt.Errorf("filter: column %s of type %s cannot be compared as the cache holds it: use a number, date, time or text column", c.name, c.dataType)
		case kindDate:
			if t, ok := p.Value.(time.Time); ok && !midnight(t) {
				// A date compared with an instant within a day: as a
				// timestamp, so that >= and < keep their meaning.
				lhs, k = "CAST("+quoteIdent(c.name)+" AS TIMESTAMP)", kindTimestamp
			}
		}
		rhs, err := literal(k, p.Value, d)
		if err != nil {
			return "", fmt.Errorf("filter on %s: %w", p.Column, err)
		}
		conds = append(conds, lhs+" "+p.Op+" "+rhs)
	}
	return " WHERE " + strings.Join(conds, " AND "), nil
}

// findColumn finds a column by name: exactly, else the only one whose
// name differs in case alone.
func findColumn(cols []column, name string) (column, bool) {
	var found []column
	for _, c := range cols {
		if c.name == name {
			return c, true
		}
		if strings.EqualFold(c.name, name) {
			found = append(found, c)
		}
	}
	if len(found) == 1 {
		return found[0], true
	}
	return column{}, false
}

func midnight(t time.Time) bool {
	t = t.UTC()
	return t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 && t.Nanosecond() == 0
}

// literal renders a predicate's value compared with a column of kind k.
func literal(k kind, v any, d dialect) (string, error) {
	switch k {
	case kindInt64, kindDecimal, kindFloat:
		return numberLiteral(v)
	case kindBool:
		switch v := v.(type) {
		case bool:
			return strings.ToUpper(strconv.FormatBool(v)), nil
		case string:
			switch strings.ToLower(v) {
			case "true", "t":
				return "TRUE", nil
			case "false", "f":
				return "FALSE", nil
			}
		}
		return "", fmt.Errorf("%v is not a boolean", v)
	case kindDate:
		if t, ok := v.(time.Time); ok {
			return quoteString(t.UTC().Format("2006-01-02"), d)
		}
	case kindTime:
		if t, ok := v.(time.Time); ok {
			return quoteString(t.Format("15:04:05.999999999"), d)
		}
	case kindTimestamp:
		// Cached as the wall clock read as UTC: compare it so.
		if t, ok := v.(time.Time); ok {
			return quoteString(t.UTC().Format("2006-01-02 15:04:05.999999999"), d)
		}
	case kindTimestampTZ:
		if t, ok := v.(time.Time); ok {
			return quoteString(t.UTC().Format("2006-01-02 15:04:05.999999999+00:00"), d)
		}
	}
	text, err := connectors.ValueText(v)
	if err != nil {
		return "", err
	}
	return quoteString(text, d)
}

// numberLiteral renders a value compared with a numeric column.
func numberLiteral(v any) (string, error) {
	switch v := v.(type) {
	case int64:
		return strconv.FormatInt(v, 10), nil
	case int:
		return strconv.Itoa(v), nil
	case float64:
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return "", fmt.Errorf("%v is not a number a literal can hold", v)
		}
		return strconv.FormatFloat(v, 'g', -1, 64), nil
	case string:
		if numberRE.MatchString(v) {
			return v, nil
		}
		return "", fmt.Errorf("%q is not a number", v)
	}
	return "", fmt.Errorf("unsupported filter value %T for a numeric column", v)
}
