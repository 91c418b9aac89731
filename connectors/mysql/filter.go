package mysql

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/hotdata-dev/hotdata/connectors"
)

// numberRE is a numeric literal MySQL reads exactly as written: plain
// digits are a DECIMAL literal, an exponent makes it a DOUBLE.
var numberRE = regexp.MustCompile(`^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?$`)

// filterSQL renders predicates as a WHERE clause. Values are compared as
// the column's kind: numbers as SQL numeric literals (a decimal string
// stays exact, where a quoted string would compare as a double),
// instants as DATETIME(6) in UTC (the session's time zone), everything
// else as a string parameter that the driver escapes.
func filterSQL(preds []connectors.Predicate, cols []column) (string, []any, error) {
	if len(preds) == 0 {
		return "", nil, nil
	}
	var conds []string
	var args []any
	for _, p := range preds {
		c, ok := findColumn(cols, p.Column)
		if !ok {
			return "", nil, fmt.Errorf("filter: no column %q", p.Column)
		}
		if !connectors.ValidOp(p.Op) {
			return "", nil, fmt.Errorf("filter: operator %q is not supported", p.Op)
		}
		pl := planColumn(c)
		lhs := quoteIdent(c.name)
		if pl.kind == kindSpatial || pl.kind == kindOther {
			// Compare what is cached: the text form.
			lhs = pl.expr
		}
		rhs, arg, err := filterValue(pl.kind, p.Value)
		if err != nil {
			return "", nil, fmt.Errorf("filter on %s: %w", p.Column, err)
		}
		if arg != nil {
			args = append(args, arg)
		}
		conds = append(conds, lhs+" "+p.Op+" "+rhs)
	}
	return " WHERE " + strings.Join(conds, " AND "), args, nil
}

// findColumn finds a column by name; MySQL column names are not case
// sensitive, so a name differing only in case matches when it is the
// only such column.
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

// filterValue renders one value for a column of kind k: SQL text, and the
// parameter that its "?" stands for (nil when the text is a literal).
func filterValue(k kind, v any) (string, any, error) {
	switch k {
	case kindBool, kindBit1, kindBits, kindInt8, kindInt16, kindInt32, kindInt64,
		kindUint8, kindUint16, kindUint32, kindUint64, kindYear, kindYear2,
		kindDecimal, kindWideDecimal, kindFloat, kindDouble:
		lit, err := numberLiteral(k, v)
		return lit, nil, err
	case kindDate, kindDatetime, kindTimestamp:
		if t, ok := v.(time.Time); ok {
			return "CAST(? AS DATETIME(6))", t.UTC().Format("2006-01-02 15:04:05.999999"), nil
		}
	case kindTime:
		if t, ok := v.(time.Time); ok {
			return "?", t.Format("15:04:05.999999"), nil
		}
	}
	text, err := connectors.ValueText(v)
	if err != nil {
		return "", nil, err
	}
	return "?", text, nil
}

// numberLiteral renders a value compared with a numeric column.
func numberLiteral(k kind, v any) (string, error) {
	switch v := v.(type) {
	case bool:
		if v {
			return "1", nil
		}
		return "0", nil
	case int64:
		return strconv.FormatInt(v, 10), nil
	case int:
		return strconv.Itoa(v), nil
	case float64:
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return "", fmt.Errorf("%v has no MySQL value", v)
		}
		return strconv.FormatFloat(v, 'g', -1, 64), nil
	case string:
		if k == kindBool || k == kindBit1 {
			switch strings.ToLower(v) {
			case "true", "t":
				return "1", nil
			case "false", "f":
				return "0", nil
			}
		}
		if numberRE.MatchString(v) {
			return v, nil
		}
		return "", fmt.Errorf("%q is not a number", v)
	}
	return "", fmt.Errorf("unsupported filter value %T for a numeric column", v)
}
