package bigquery

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"strings"

	"cloud.google.com/go/bigquery"
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/hotdata-dev/hotdata/connectors"
)

var _ connectors.Querier = (*Connector)(nil)

// Query runs a live statement (package pushdown's reduction of it) as a
// GoogleSQL query job with named parameters, after the dry run that
// max_bytes_per_sync asks for, and reads its rows as a scan does.
func (c *Connector) Query(ctx context.Context, q *connectors.Query) (connectors.Scan, error) {
	sctx, cancel, watch, md, err := c.begin(ctx, q.Schema, q.Table)
	if err != nil {
		return nil, err
	}
	r, err := c.render(q, md)
	if err != nil {
		watch.Stop()
		cancel(nil)
		return nil, err
	}
	s := &scan{batchRows: defaultBatchRows, mem: memory.DefaultAllocator, bytes: -1, ctx: sctx, cancelCause: cancel, watch: watch}
	var fields []arrow.Field
	for _, f := range r.fields {
		col := planColumn(f, false, "")
		s.cols = append(s.cols, col)
		fields = append(fields, col.field)
	}
	s.schema = arrow.NewSchema(fields, nil)
	if err := c.runQuery(s, r.sql, r.params); err != nil {
		s.Release()
		return nil, err
	}
	return s, nil
}

// RenderQuery is the GoogleSQL Query runs, its values as @p parameters.
func (c *Connector) RenderQuery(ctx context.Context, q *connectors.Query) (string, error) {
	_, cancel, watch, md, err := c.begin(ctx, q.Schema, q.Table)
	if err != nil {
		return "", err
	}
	watch.Stop()
	cancel(nil)
	r, err := c.render(q, md)
	return r.sql, err
}

// rendered is a Query in GoogleSQL: its text, parameters, and result
// columns' schemas (c0, c1, …).
type rendered struct {
	sql    string
	params []bigquery.QueryParameter
	fields []*bigquery.FieldSchema
}

func (c *Connector) render(q *connectors.Query, md *bigquery.TableMetadata) (rendered, error) {
	var r rendered
	byName := map[string]*bigquery.FieldSchema{}
	for _, f := range md.Schema {
		byName[f.Name] = f
	}
	column := func(name string) (*bigquery.FieldSchema, string, error) {
		f := byName[name]
		if f == nil {
			return nil, "", fmt.Errorf("bigquery: table %s.%s has no column %s", q.Schema, q.Table, name)
		}
		// Qualified, so that no output name (c0, …) stands for it.
		return f, tableAlias + "." + quoteIdent(f.Name), nil
	}
	item := func(it connectors.Item) (string, *bigquery.FieldSchema, error) {
		if it.Agg == connectors.AggCount && it.Column == "" {
			return "COUNT(*)", &bigquery.FieldSchema{Type: bigquery.IntegerFieldType}, nil
		}
		f, col, err := column(it.Column)
		if err != nil {
			return "", nil, err
		}
		switch it.Agg {
		case connectors.AggNone:
			if q.Distinct {
				if err := orderable(f, "SELECT DISTINCT"); err != nil {
					return "", nil, err
				}
			}
			return col, f, nil
		case connectors.AggCount:
			if it.Distinct {
				if err := orderable(f, "count(DISTINCT …)"); err != nil {
					return "", nil, err
				}
				col = "DISTINCT " + col
			}
			return "COUNT(" + col + ")", &bigquery.FieldSchema{Type: bigquery.IntegerFieldType}, nil
		case connectors.AggSum:
			out := &bigquery.FieldSchema{Type: f.Type}
			switch kindOf(f) {
			case kindInt64, kindFloat64:
			case kindNumeric:
				// The sum keeps the column's scale: PostgreSQL's does.
				out.Precision, out.Scale = numericPrecision, f.Scale
			default:
				return "", nil, fmt.Errorf("%w: sum of %s (%s) runs live only on a NUMERIC with a scale, an INT64 or a FLOAT64 (PostgreSQL's result scale would differ)", connectors.ErrNotPushed, f.Name, typeName(f))
			}
			if f.Repeated {
				return "", nil, fmt.Errorf("%w: sum of %s (%s)", connectors.ErrNotPushed, f.Name, typeName(f))
			}
			return "SUM(" + col + ")", out, nil
		case connectors.AggMin, connectors.AggMax:
			if err := orderable(f, it.Agg+"()"); err != nil {
				return "", nil, err
			}
			out := *f
			return strings.ToUpper(it.Agg) + "(" + col + ")", &out, nil
		}
		return "", nil, fmt.Errorf("%w: aggregate %q", connectors.ErrNotPushed, it.Agg)
	}
	var sel []string
	for i, it := range q.Select {
		expr, f, err := item(it)
		if err != nil {
			return r, err
		}
		out := *f
		out.Name = "c" + strconv.Itoa(i)
		out.Required = false
		r.fields = append(r.fields, &out)
		sel = append(sel, expr+" AS "+out.Name)
	}
	var b strings.Builder
	b.WriteString("SELECT ")
	if q.Distinct {
		b.WriteString("DISTINCT ")
	}
	b.WriteString(strings.Join(sel, ", "))
	b.WriteString(" FROM " + c.tableRef(q.Schema, q.Table) + " AS " + tableAlias)
	if q.Where != nil {
		w, err := r.cond(q.Where, byName)
		if err != nil {
			return r, err
		}
		b.WriteString(" WHERE " + w)
	}
	if len(q.GroupBy) > 0 {
		var g []string
		for _, name := range q.GroupBy {
			f, col, err := column(name)
			if err != nil {
				return r, err
			}
			if err := orderable(f, "GROUP BY"); err != nil {
				return r, err
			}
			g = append(g, col)
		}
		b.WriteString(" GROUP BY " + strings.Join(g, ", "))
	}
	if len(q.OrderBy) > 0 {
		var o []string
		for _, ob := range q.OrderBy {
			expr, f, err := item(ob.Item)
			if err != nil {
				return r, err
			}
			if err := orderable(f, "ORDER BY"); err != nil {
				return r, err
			}
			o = append(o, expr+ob.Direction())
		}
		b.WriteString(" ORDER BY " + strings.Join(o, ", "))
	}
	// GoogleSQL takes OFFSET only after a LIMIT.
	if q.Limit >= 0 || q.Offset >= 0 {
		limit := q.Limit
		if limit < 0 {
			limit = math.MaxInt64
		}
		b.WriteString(" LIMIT " + strconv.FormatInt(limit, 10))
		if q.Offset > 0 {
			b.WriteString(" OFFSET " + strconv.FormatInt(q.Offset, 10))
		}
	}
	r.sql = b.String()
	return r, nil
}

// cond renders a condition, its values as named parameters typed as
// the columns they are compared with.
func (r *rendered) cond(c *connectors.Cond, byName map[string]*bigquery.FieldSchema) (string, error) {
	return connectors.RenderCond(c, func(c *connectors.Cond) (string, error) { return r.leaf(c, byName) })
}

// leaf renders a comparison, IN or IS NULL.
func (r *rendered) leaf(c *connectors.Cond, byName map[string]*bigquery.FieldSchema) (string, error) {
	f := byName[c.Column]
	if f == nil {
		return "", fmt.Errorf("bigquery: no column %s", c.Column)
	}
	col := tableAlias + "." + quoteIdent(f.Name)
	switch c.Op {
	case connectors.CondIsNull:
		return col + " IS NULL", nil
	case connectors.CondNotNull:
		return col + " IS NOT NULL", nil
	}
	if kindOf(f) == kindFloat64 {
		return "", fmt.Errorf("%w: comparing %s (%s)", connectors.ErrNotPushed, f.Name, typeName(f))
	}
	if err := orderable(f, "comparing"); err != nil {
		return "", err
	}
	var ps []string
	for _, v := range c.Values {
		pv, err := paramValue(f, v)
		if err != nil {
			return "", fmt.Errorf("bigquery: comparing %s: %w", f.Name, err)
		}
		if err := widenNumeric(f, pv); err != nil {
			return "", err
		}
		name := "p" + strconv.Itoa(len(r.params))
		r.params = append(r.params, bigquery.QueryParameter{Name: name, Value: pv})
		ps = append(ps, "@"+name)
	}
	switch c.Op {
	case connectors.CondCompare:
		if !connectors.ValidOp(c.CompareOp) || len(ps) != 1 {
			return "", fmt.Errorf("bigquery: comparison %q", c.CompareOp)
		}
		op := c.CompareOp
		if op == "<>" {
			op = "!="
		}
		return col + " " + op + " " + ps[0], nil
	case connectors.CondIn:
		return col + " IN (" + strings.Join(ps, ", ") + ")", nil
	}
	return "", fmt.Errorf("bigquery: condition %q", c.Op)
}

// tableAlias names the table in a pushed-down query.
const tableAlias = "`_hd_t`"

// orderable refuses what BigQuery compares, orders or groups otherwise
// than the cache serves it: GEOGRAPHY, INTERVAL and RANGE (served as
// their text), arrays, structs, JSON, bytes, and a STRING with a
// collation (which may ignore case or accents).
func orderable(f *bigquery.FieldSchema, what string) error {
	switch {
	case f.Repeated, kindOf(f) == kindOther, kindOf(f) == kindJSON, kindOf(f) == kindBytes:
		return fmt.Errorf("%w: %s %s (%s), which BigQuery orders otherwise than its cached form", connectors.ErrNotPushed, what, f.Name, typeName(f))
	case f.Type == bigquery.StringFieldType && f.Collation != "":
		return fmt.Errorf("%w: %s %s, whose collation %q compares otherwise than PostgreSQL's code point order", connectors.ErrNotPushed, what, f.Name, f.Collation)
	}
	return nil
}

// widenNumeric types a decimal parameter BIGNUMERIC when NUMERIC cannot
// hold it exactly (more than 29 integer or 9 fractional digits), so
// that BigQuery does not round the constant; past BIGNUMERIC's 38
// fractional digits it is refused.
func widenNumeric(f *bigquery.FieldSchema, pv *bigquery.QueryParameterValue) error {
	if k := kindOf(f); k != kindNumeric && k != kindBigNum {
		return nil
	}
	text, _ := pv.Value.(string)
	digits := strings.TrimLeft(text, "+-")
	whole, frac, _ := strings.Cut(digits, ".")
	whole = strings.TrimLeft(whole, "0")
	frac = strings.TrimRight(frac, "0")
	switch {
	case len(frac) > 38 || len(whole) > 38 || strings.ContainsAny(digits, "eE"):
		return fmt.Errorf("%w: comparing %s with %s, which BigQuery cannot hold exactly", connectors.ErrNotPushed, f.Name, text)
	case len(frac) > 9 || len(whole) > 29:
		pv.Type.TypeKind = "BIGNUMERIC"
	}
	return nil
}
