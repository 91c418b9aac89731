package snowflake

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/hotdata-dev/hotdata/connectors"
)

var _ connectors.Querier = (*Connector)(nil)

// Query runs a live statement (package pushdown's reduction of it) on
// Snowflake and reads its rows as a scan does. The statement computes
// the result in an inner query (its columns c0, c1, …, and o0, o1, …
// for ORDER BY) and selects each column from it as a scan selects a
// table column of the result's type, so that decoding is the scan's.
func (c *Connector) Query(ctx context.Context, q *connectors.Query) (connectors.Scan, error) {
	if q.Schema == "" {
		q.Schema = c.cfg.defaultSchema()
	}
	conn, d, cols, err := c.openTable(ctx, q.Schema, q.Table)
	if err != nil {
		return nil, fmt.Errorf("live query on %s.%s: %w", q.Schema, q.Table, err)
	}
	started := false
	defer func() {
		if !started {
			conn.Close()
		}
	}()
	r, err := render(q, cols, d)
	if err != nil {
		return nil, err
	}
	if c.cfg.MaxBytesPerSync > 0 && q.Where == nil {
		if err := c.checkCost(ctx, conn, d, q.Schema, q.Table); err != nil {
			return nil, err
		}
	}
	s, err := c.startQuery(ctx, conn, d, q.Schema+"."+q.Table, r.plans, r.sql, 0)
	if err != nil {
		return nil, fmt.Errorf("live query on %s.%s: %w", q.Schema, q.Table, err)
	}
	started = true
	return s, nil
}

// RenderQuery is the SQL Query runs.
func (c *Connector) RenderQuery(ctx context.Context, q *connectors.Query) (string, error) {
	if q.Schema == "" {
		q.Schema = c.cfg.defaultSchema()
	}
	conn, d, cols, err := c.openTable(ctx, q.Schema, q.Table)
	if err != nil {
		return "", fmt.Errorf("live query on %s.%s: %w", q.Schema, q.Table, err)
	}
	defer conn.Close()
	r, err := render(q, cols, d)
	return r.sql, err
}

type rendered struct {
	sql   string
	plans []plan
}

// render writes q in Snowflake's SQL (or the emulator's DuckDB SQL),
// its values as literals of the columns' types (the emulator takes no
// bind parameters).
func render(q *connectors.Query, cols []column, d dialect) (rendered, error) {
	var r rendered
	find := func(name string) (column, error) {
		col, ok := findColumn(cols, name)
		if !ok {
			return column{}, fmt.Errorf("table %s.%s has no column %s", q.Schema, q.Table, name)
		}
		return col, nil
	}
	// ref is a column qualified by the table's alias: in Snowflake a
	// select-list alias may stand for a name in WHERE and GROUP BY.
	ref := func(col column) string { return tableAlias + "." + quoteIdent(col.name) }
	// item is an item's expression and the column type of its result.
	item := func(it connectors.Item) (string, column, error) {
		count := column{dataType: "NUMBER", precision: 18, scale: 0, nullable: true}
		if it.Agg == connectors.AggCount && it.Column == "" {
			return "COUNT(*)", count, nil
		}
		col, err := find(it.Column)
		if err != nil {
			return "", column{}, err
		}
		ref := ref(col)
		switch it.Agg {
		case connectors.AggNone:
			if q.Distinct {
				if err := orderable(col, "SELECT DISTINCT"); err != nil {
					return "", column{}, err
				}
			}
			return ref, col, nil
		case connectors.AggCount:
			if it.Distinct {
				if err := orderable(col, "count(DISTINCT …)"); err != nil {
					return "", column{}, err
				}
				ref = "DISTINCT " + ref
			}
			return "COUNT(" + ref + ")", count, nil
		case connectors.AggSum:
			switch kindOf(col) {
			case kindInt64:
				return "SUM(" + ref + ")", column{dataType: "NUMBER", precision: 38, scale: 0, nullable: true}, nil
			case kindDecimal:
				// The sum keeps the column's scale: PostgreSQL's does.
				_, s := col.numberSize()
				return "SUM(" + ref + ")", column{dataType: "NUMBER", precision: 38, scale: s, nullable: true}, nil
			case kindFloat:
				return "SUM(" + ref + ")", column{dataType: "FLOAT", nullable: true}, nil
			}
			return "", column{}, fmt.Errorf("%w: sum of %s (%s)", connectors.ErrNotPushed, col.name, col.sourceType())
		case connectors.AggMin, connectors.AggMax:
			if err := orderable(col, it.Agg+"()"); err != nil {
				return "", column{}, err
			}
			col.nullable = true
			return strings.ToUpper(it.Agg) + "(" + ref + ")", col, nil
		}
		return "", column{}, fmt.Errorf("%w: aggregate %q", connectors.ErrNotPushed, it.Agg)
	}
	var inner, outer []string
	for i, it := range q.Select {
		expr, col, err := item(it)
		if err != nil {
			return r, err
		}
		if kindOf(col) == kindOther && it.Agg != connectors.AggNone {
			return r, fmt.Errorf("%w: %s of %s (%s)", connectors.ErrNotPushed, it.Agg, it.Column, col.sourceType())
		}
		name := "c" + strconv.Itoa(i)
		inner = append(inner, expr+" AS "+quoteIdent(name))
		col.name = name
		p := planColumn(col, d)
		r.plans = append(r.plans, p)
		outer = append(outer, p.expr)
	}
	var order []string
	for i, ob := range q.OrderBy {
		expr, col, err := item(ob.Item)
		if err != nil {
			return r, err
		}
		if err := orderable(col, "ORDER BY"); err != nil {
			return r, err
		}
		name := "o" + strconv.Itoa(i)
		inner = append(inner, expr+" AS "+quoteIdent(name))
		order = append(order, quoteIdent(name)+ob.Direction())
	}
	var b strings.Builder
	b.WriteString("SELECT ")
	if q.Distinct {
		b.WriteString("DISTINCT ")
	}
	b.WriteString(strings.Join(inner, ", "))
	b.WriteString(" FROM " + quoteIdent(q.Schema) + "." + quoteIdent(q.Table) + " AS " + tableAlias)
	if q.Where != nil {
		w, err := cond(q.Where, cols, d)
		if err != nil {
			return r, err
		}
		b.WriteString(" WHERE " + w)
	}
	if len(q.GroupBy) > 0 {
		var g []string
		for _, name := range q.GroupBy {
			col, err := find(name)
			if err != nil {
				return r, err
			}
			if err := orderable(col, "GROUP BY"); err != nil {
				return r, err
			}
			g = append(g, ref(col))
		}
		b.WriteString(" GROUP BY " + strings.Join(g, ", "))
	}
	sql := "SELECT " + strings.Join(outer, ", ") + " FROM (" + b.String() + ")"
	if len(order) > 0 {
		sql += " ORDER BY " + strings.Join(order, ", ")
	}
	if q.Limit >= 0 || q.Offset > 0 {
		switch {
		case q.Limit >= 0:
			sql += " LIMIT " + strconv.FormatInt(q.Limit, 10)
		case d.duckdb:
			sql += " LIMIT 9223372036854775807"
		default:
			sql += " LIMIT NULL" // Snowflake: no limit
		}
		if q.Offset > 0 {
			sql += " OFFSET " + strconv.FormatInt(q.Offset, 10)
		}
	}
	r.sql = sql
	return r, nil
}

// cond renders a condition with its values as literals.
func cond(c *connectors.Cond, cols []column, d dialect) (string, error) {
	return connectors.RenderCond(c, func(c *connectors.Cond) (string, error) { return leaf(c, cols, d) })
}

// leaf renders a comparison, IN or IS NULL.
func leaf(c *connectors.Cond, cols []column, d dialect) (string, error) {
	col, ok := findColumn(cols, c.Column)
	if !ok {
		return "", fmt.Errorf("no column %s", c.Column)
	}
	ref := tableAlias + "." + quoteIdent(col.name)
	switch c.Op {
	case connectors.CondIsNull:
		return ref + " IS NULL", nil
	case connectors.CondNotNull:
		return ref + " IS NOT NULL", nil
	}
	k := kindOf(col)
	switch k {
	case kindInt64, kindDecimal, kindString, kindBool, kindDate, kindTimestamp, kindTimestampTZ:
	default:
		return "", fmt.Errorf("%w: comparing %s (%s)", connectors.ErrNotPushed, col.name, col.sourceType())
	}
	if err := orderable(col, "comparing"); err != nil {
		return "", err
	}
	var lits []string
	for _, v := range c.Values {
		lit, err := literal(k, v, d)
		if err != nil {
			return "", fmt.Errorf("comparing %s: %w", col.name, err)
		}
		lits = append(lits, lit)
	}
	switch c.Op {
	case connectors.CondCompare:
		if !connectors.ValidOp(c.CompareOp) || len(lits) != 1 {
			return "", fmt.Errorf("comparison %q", c.CompareOp)
		}
		return ref + " " + c.CompareOp + " " + lits[0], nil
	case connectors.CondIn:
		if len(lits) == 0 {
			return "", errors.New("IN of no values")
		}
		return ref + " IN (" + strings.Join(lits, ", ") + ")", nil
	}
	return "", fmt.Errorf("condition %q", c.Op)
}

// tableAlias names the table in a pushed-down query.
const tableAlias = `"_hd_t"`

// orderable refuses what Snowflake compares, orders or groups otherwise
// than the cache serves it: VARIANT, OBJECT, ARRAY (served as JSON),
// GEOGRAPHY and other types served as text, binaries, and text with a
// collation (which may ignore case, accents or trailing spaces).
func orderable(col column, what string) error {
	switch kindOf(col) {
	case kindJSON, kindGeo, kindOther, kindBinary:
		return fmt.Errorf("%w: %s %s (%s), which Snowflake orders otherwise than its cached form", connectors.ErrNotPushed, what, col.name, col.sourceType())
	case kindString:
		if col.collation != "" && !strings.EqualFold(col.collation, "utf8") {
			return fmt.Errorf("%w: %s %s, whose collation %q compares otherwise than PostgreSQL's code point order", connectors.ErrNotPushed, what, col.name, col.collation)
		}
	}
	return nil
}
