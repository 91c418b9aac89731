package files

import (
	"fmt"
	"strings"
	"time"

	"github.com/hotdata-dev/hotdata/connectors"
	"github.com/hotdata-dev/hotdata/engine"
)

// filterSQL renders predicates as a WHERE clause over the served columns,
// with the values as parameters cast to each column's served type, so a
// value compares as the column's type whatever Go type it came in.
func filterSQL(preds []connectors.Predicate, cols []columnPlan) (string, []any, error) {
	if len(preds) == 0 {
		return "", nil, nil
	}
	byName := map[string]columnPlan{}
	for _, c := range cols {
		byName[c.name] = c
	}
	var conds []string
	var args []any
	for _, p := range preds {
		c, ok := byName[p.Column]
		if !ok {
			return "", nil, fmt.Errorf("filter: no column %q", p.Column)
		}
		if !connectors.ValidOp(p.Op) {
			return "", nil, fmt.Errorf("filter: operator %q is not supported", p.Op)
		}
		arg, param, err := bindValue(p.Value, len(args)+1)
		if err != nil {
			return "", nil, fmt.Errorf("filter on %s: %w", p.Column, err)
		}
		args = append(args, arg)
		conds = append(conds, fmt.Sprintf("%s %s CAST(%s AS %s)", engine.QuoteIdent(c.name), p.Op, param, c.served.duck))
	}
	return " WHERE " + strings.Join(conds, " AND "), args, nil
}

// bindValue returns a predicate value as the engine binds it and the
// expression of parameter $n that reads it.
func bindValue(v any, n int) (any, string, error) {
	param := fmt.Sprintf("$%d", n)
	switch v := v.(type) {
	case int64, float64, string, bool:
		return v, param, nil
	case int:
		return int64(v), param, nil
	case time.Time:
		// An instant: read as timestamptz (the engine runs in UTC), then
		// cast to the column's type like any other value.
		text, err := connectors.ValueText(v)
		if err != nil {
			return nil, "", err
		}
		return text, "CAST(" + param + " AS TIMESTAMPTZ)", nil
	}
	return nil, "", fmt.Errorf("unsupported filter value %T", v)
}
