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
	item := func(it connectors.Item) (string, *bigquery.FieldSchema, error) {
		if it.Agg == connectors.AggCount && it.Column == "" {
			return "COUNT(*)", &bigquery.FieldSchema{Type: bigquery.IntegerFieldType}, nil
		}
		f := byName[it.Column]
		if f == nil {
			return "", nil, fmt.Errorf("bigquery: table %s.%s has no column %s", q.Schema, q.Table, it.Column)
		}
		col := quoteIdent(f.Name)
		switch it.Agg {
		case connectors.AggNone:
			return col, f, nil
		case connectors.AggCount:
			if it.Distinct {
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
				return "", nil, fmt.Errorf("bigquery: sum of %s (%s) is not pushed down", f.Name, typeName(f))
			}
			if f.Repeated {
				return "", nil, fmt.Errorf("bigquery: sum of %s (%s) is not pushed down", f.Name, typeName(f))
			}
			return "SUM(" + col + ")", out, nil
		case connectors.AggMin, connectors.AggMax:
			out := *f
			return strings.ToUpper(it.Agg) + "(" + col + ")", &out, nil
		}
		return "", nil, fmt.Errorf("bigquery: aggregate %q is not pushed down", it.Agg)
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
	b.WriteString(" FROM " + c.tableRef(q.Schema, q.Table))
	if q.Where != nil {
		w, err := r.cond(q.Where, byName)
		if err != nil {
			return r, err
		}
		b.WriteString(" WHERE " + w)
	}
	if len(q.GroupBy) > 0 {
		var g []string
		for _, col := range q.GroupBy {
			f := byName[col]
			if f == nil {
				return r, fmt.Errorf("bigquery: table %s.%s has no column %s", q.Schema, q.Table, col)
			}
			g = append(g, quoteIdent(f.Name))
		}
		b.WriteString(" GROUP BY " + strings.Join(g, ", "))
	}
	if len(q.OrderBy) > 0 {
		var o []string
		for _, ob := range q.OrderBy {
			expr, _, err := item(ob.Item)
			if err != nil {
				return r, err
			}
			if ob.Desc {
				expr += " DESC"
			} else {
				expr += " ASC"
			}
			if ob.NullsFirst {
				expr += " NULLS FIRST"
			} else {
				expr += " NULLS LAST"
			}
			o = append(o, expr)
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
	switch c.Op {
	case connectors.CondAnd, connectors.CondOr:
		var parts []string
		for _, a := range c.Args {
			s, err := r.cond(a, byName)
			if err != nil {
				return "", err
			}
			parts = append(parts, "("+s+")")
		}
		return strings.Join(parts, " "+strings.ToUpper(c.Op)+" "), nil
	case connectors.CondNot:
		if len(c.Args) != 1 {
			return "", fmt.Errorf("bigquery: NOT of %d conditions", len(c.Args))
		}
		s, err := r.cond(c.Args[0], byName)
		return "NOT (" + s + ")", err
	}
	f := byName[c.Column]
	if f == nil {
		return "", fmt.Errorf("bigquery: no column %s", c.Column)
	}
	col := quoteIdent(f.Name)
	switch c.Op {
	case connectors.CondIsNull:
		return col + " IS NULL", nil
	case connectors.CondNotNull:
		return col + " IS NOT NULL", nil
	}
	if f.Repeated || f.Type == bigquery.RecordFieldType || f.Type == bigquery.JSONFieldType || kindOf(f) == kindOther || kindOf(f) == kindFloat64 {
		return "", fmt.Errorf("bigquery: column %s of type %s is not compared live", f.Name, typeName(f))
	}
	var ps []string
	for _, v := range c.Values {
		pv, err := paramValue(f, v)
		if err != nil {
			return "", fmt.Errorf("bigquery: comparing %s: %w", f.Name, err)
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
