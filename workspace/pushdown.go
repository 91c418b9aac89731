package workspace

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strconv"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/decimal128"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/hotdata-dev/hotdata/connectors"
	"github.com/hotdata-dev/hotdata/internal/pgerr"
	"github.com/hotdata-dev/hotdata/pgcatalog"
	"github.com/hotdata-dev/hotdata/pgval"
	"github.com/hotdata-dev/hotdata/planner"
	"github.com/hotdata-dev/hotdata/pushdown"
	"github.com/hotdata-dev/hotdata/translate"
)

// Live statements on warehouse tables (BigQuery, Snowflake) are reduced
// by package pushdown to what the warehouse computes as PostgreSQL does
// and run there; the rows come back as a scan's and are described as
// the planner described the statement.

// warehouseNames are the warehouses' names in messages, by source type.
var warehouseNames = map[string]string{"bigquery": "BigQuery", "snowflake": "Snowflake"}

// pushdownTarget is the warehouse a live statement reads, when every
// table it reads is a warehouse's: ok is false for other statements
// (which go to liveTarget); err says why one that is cannot go.
func (s *Service) pushdownTarget(ctx context.Context, st *planner.Statement, entry *catalogEntry) (connectors.Querier, *tableState, *planner.Object, bool, error) {
	var wh *tableState
	for _, obj := range st.Tables {
		ts := entry.tables[obj.ID]
		if ts == nil || ts.dataset != nil {
			return nil, nil, nil, false, nil
		}
		if _, ok := warehouseNames[ts.conn.SourceType]; ok {
			wh = ts
		}
	}
	if wh == nil {
		return nil, nil, nil, false, nil
	}
	name := warehouseNames[wh.conn.SourceType]
	if len(st.Tables) != 1 {
		return nil, nil, nil, true, pgerr.New(pgerr.FeatureNotSupported, "a live query on %s reads one table; this one reads %d", name, len(st.Tables)).
			WithHint("SET hotdata.freshness = cached to join tables from the cache (with SET hotdata.max_staleness = '1s' they are synced first).")
	}
	if err := st.LiveErr(); err != nil {
		return nil, nil, nil, true, err
	}
	c, err := s.connectorFor(ctx, wh.conn)
	if err != nil {
		return nil, nil, nil, true, err
	}
	q, ok := c.(connectors.Querier)
	if !ok {
		return nil, nil, nil, true, fmt.Errorf("connection %s does not run live queries", wh.conn.Name)
	}
	return q, wh, st.Tables[0], true, nil
}

// pushdownPlan is st analyzed as PostgreSQL would analyze it: a live
// statement's plan may have skipped that (the plan of its text with its
// constants as parameters could not be analyzed, and a PostgreSQL
// upstream does not need it), and a warehouse's result is described by
// it. An error is PostgreSQL's for the statement.
func (ss *Session) pushdownPlan(st *planner.Statement, entry *catalogEntry) (*planner.Statement, error) {
	if st.EngineErr() == nil {
		return st, nil
	}
	opts := planner.Options{Settings: ss.settings.translateSettings(), ParamTypes: st.ParamTypes}
	again, err := planner.PlanOne(pushdownText(st), entry.planCatalog(true), opts)
	if err != nil {
		return nil, err
	}
	if again == nil {
		return nil, fmt.Errorf("planning %q again gave no statement", st.Text)
	}
	if again.Kind == planner.Declare {
		again.Kind, again.Tag = planner.Query, "SELECT" // as declare opens it
	}
	if again.Kind != st.Kind {
		return nil, fmt.Errorf("planning %q again gave another statement", st.Text)
	}
	again.Text, again.QuerySQL = st.Text, st.QuerySQL
	return again, nil
}

// pushdownText is the text of the SELECT a statement runs: an EXECUTE's
// is its prepared query with the arguments in place.
func pushdownText(st *planner.Statement) string {
	if st.Kind == planner.Query && st.QuerySQL != "" {
		return st.QuerySQL
	}
	return st.Text
}

// pushdownQuery reduces st for the warehouse.
func (ss *Session) pushdownQuery(st *planner.Statement, ts *tableState, obj *planner.Object, b *bound) (*pushdown.Plan, error) {
	if b != nil && len(b.inline) > 0 {
		return nil, pgerr.New(pgerr.FeatureNotSupported, "a parameter of this type does not run live on %s", warehouseNames[ts.conn.SourceType]).
			WithHint("SET hotdata.freshness = cached to read the cache.")
	}
	t := pushdown.Table{Source: warehouseNames[ts.conn.SourceType], Schema: ts.table.Schema, Name: ts.table.Name,
		Columns: make(map[string]string, len(obj.Columns)), Order: obj.ColumnOrder}
	for name, dataType := range obj.Columns {
		// The PostgreSQL type the column is served as, by its name.
		oid, mod := pgcatalog.ColumnType(dataType, obj.TypeOIDs[name])
		t.Columns[name] = translate.Type{OID: oid, Mod: mod}.Name()
	}
	v := pushdown.Values{Style: ss.settings.style(), Now: time.Now()}
	if b != nil {
		v.Args = b.args
	}
	p, err := pushdown.Translate(pushdownText(st), t, v)
	if err != nil {
		return nil, err
	}
	if st.Kind == planner.Query && len(p.Columns) != len(st.Columns) {
		return nil, pgerr.New(pgerr.FeatureNotSupported, "this select list does not run live on %s", t.Source).
			WithHint("SET hotdata.freshness = cached to read the cache.")
	}
	return p, nil
}

// openPushdown runs a live statement on a warehouse.
func (ss *Session) openPushdown(ctx context.Context, st *planner.Statement, entry *catalogEntry, wh connectors.Querier, ts *tableState, obj *planner.Object, b *bound) (cursor, error) {
	start := time.Now()
	planned, err := ss.pushdownPlan(st, entry)
	if err != nil {
		ss.recordLiveRun(st, start, 0, nil, err)
		return nil, err
	}
	st = planned
	name := warehouseNames[ts.conn.SourceType]
	switch st.Kind {
	case planner.Query, planner.Explain:
	case planner.Copy:
		err := pgerr.New(pgerr.FeatureNotSupported, "COPY TO STDOUT runs on the cache").
			WithHint("SET hotdata.freshness = cached for COPY, or use SELECT for live data.")
		ss.recordLiveRun(st, start, 0, nil, err)
		return nil, err
	default:
		err := pgerr.New(pgerr.FeatureNotSupported, "only SELECT runs live on %s", name)
		ss.recordLiveRun(st, start, 0, nil, err)
		return nil, err
	}
	p, err := ss.pushdownQuery(st, ts, obj, b)
	if err != nil {
		ss.recordLiveRun(st, start, 0, nil, err)
		return nil, err
	}
	if st.Kind == planner.Explain {
		return utility(func(w Sink) error {
			sql, err := wh.RenderQuery(ctx, p.Query)
			if err != nil {
				return warehouseError(name, err)
			}
			rows := [][]string{
				{fmt.Sprintf("Hotdata route: live (pushed down to %s), table: %s", name, obj.QualifiedName())},
				{name + " query: " + sql},
			}
			ss.recordLiveRun(st, start, 0, nil, nil)
			return sendStrings(w, []string{"QUERY PLAN"}, rows, "EXPLAIN")
		}), nil
	}
	scan, err := wh.Query(ctx, p.Query)
	if err != nil {
		err = warehouseError(name, err)
		ss.recordLiveRun(st, start, 0, nil, err)
		return nil, err
	}
	ss.lastSnapshots, ss.lastFreshness = nil, nil
	return &engineCursor{ss: ss, st: st, start: start, live: true, rows: &conformRows{in: scan, cols: st.Columns, plan: p.Columns, source: name}}, nil
}

// warehouseError is a warehouse's failure as the client sees it.
func warehouseError(name string, err error) error {
	var pe *pgerr.Error
	switch {
	case errors.As(err, &pe):
		return err
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return pgerr.Wrap(err, pgerr.QueryCanceled, "canceling statement due to user request")
	case errors.Is(err, connectors.ErrNotPushed):
		return pgerr.Wrap(err, pgerr.FeatureNotSupported, "%v does not run live on %s", err, name).
			WithHint("SET hotdata.freshness = cached to read the cache (with SET hotdata.max_staleness = '1s' it syncs first).")
	case errors.Is(err, connectors.ErrTooCostly):
		return pgerr.Wrap(err, "54000", "%s would read too much for this live query: %v", name, err).
			WithHint("Raise max_bytes_per_sync in the connection's config, filter more, or SET hotdata.freshness = cached.")
	}
	var ce *connectors.ConnectError
	if errors.As(err, &ce) {
		return pgerr.Wrap(err, pgerr.ConnectionFailure, "%s: %v", name, err).
			WithHint("SET hotdata.freshness = cached to read the cache while %s is unreachable.", name)
	}
	// SQLSTATE HV000 (fdw_error): the foreign source refused or failed
	// the statement.
	return pgerr.Wrap(err, "HV000", "%s failed the live query: %v", name, err)
}

// conformRows makes the result's columns from a warehouse's (an avg
// from its sum and count) in the Arrow forms the wire encodes as the
// planner's types: a count or sum of integers that PostgreSQL types
// bigint or numeric, whatever width the warehouse gave.
type conformRows struct {
	in     connectors.Scan
	cols   []translate.ResultColumn
	plan   []pushdown.Column
	source string
	schema *arrow.Schema
	cur    arrow.RecordBatch
	err    error
}

func (c *conformRows) Schema() *arrow.Schema {
	if c.schema == nil {
		in := c.in.Schema()
		fields := make([]arrow.Field, len(c.plan))
		for i, p := range c.plan {
			f := in.Field(p.Item)
			switch {
			case p.Avg && c.cols[i].Type.OID == translate.OIDFloat8:
				f.Type = arrow.PrimitiveTypes.Float64
			case p.Avg:
				f.Type = arrow.BinaryTypes.String // numeric text, sent as numeric
			default:
				if t := conformType(f.Type, c.cols[i].Type.OID); t != nil {
					f.Type = t
				}
			}
			if p.Avg {
				f.Metadata = arrow.Metadata{}
			}
			fields[i] = f
		}
		c.schema = arrow.NewSchema(fields, nil)
	}
	return c.schema
}

func (c *conformRows) Next() bool {
	if c.cur != nil {
		c.cur.Release()
		c.cur = nil
	}
	if c.err != nil || !c.in.Next() {
		return false
	}
	rec := c.in.RecordBatch()
	schema := c.Schema()
	cols := make([]arrow.Array, len(c.plan))
	for i, p := range c.plan {
		a := rec.Column(p.Item)
		if p.Avg {
			avg, err := average(a, rec.Column(p.Count), schema.Field(i).Type)
			if err != nil {
				for _, done := range cols[:i] {
					done.Release()
				}
				c.err = pgerr.Wrap(err, pgerr.InternalError, "computing avg from what %s returned: %v", c.source, err)
				return false
			}
			cols[i] = avg
			continue
		}
		if !arrow.TypeEqual(a.DataType(), schema.Field(i).Type) {
			conv, err := conformArray(a, schema.Field(i).Type)
			if err != nil {
				for _, done := range cols[:i] {
					done.Release()
				}
				c.err = pgerr.Wrap(err, "22003", "%s returned a value out of range for %s: %v", c.source, c.cols[i].Type.Name(), err)
				return false
			}
			cols[i] = conv
			continue
		}
		a.Retain()
		cols[i] = a
	}
	c.cur = array.NewRecordBatch(schema, cols, rec.NumRows())
	for _, a := range cols {
		a.Release()
	}
	return true
}

func (c *conformRows) RecordBatch() arrow.RecordBatch { return c.cur }

func (c *conformRows) Err() error {
	if c.err != nil {
		return c.err
	}
	return c.in.Err()
}

func (c *conformRows) Release() {
	if c.cur != nil {
		c.cur.Release()
		c.cur = nil
	}
	c.in.Release()
}

// conformType is the Arrow type a result column of Arrow type t takes
// for PostgreSQL type oid, or nil when t serves.
func conformType(t arrow.DataType, oid uint32) arrow.DataType {
	dec, isDec := t.(*arrow.Decimal128Type)
	switch oid {
	case translate.OIDInt8:
		if isDec && dec.Scale == 0 || t.ID() == arrow.INT32 || t.ID() == arrow.INT16 {
			return arrow.PrimitiveTypes.Int64
		}
	case translate.OIDInt4:
		if isDec && dec.Scale == 0 || t.ID() == arrow.INT64 || t.ID() == arrow.INT16 {
			return arrow.PrimitiveTypes.Int32
		}
	case translate.OIDInt2:
		if isDec && dec.Scale == 0 || t.ID() == arrow.INT64 || t.ID() == arrow.INT32 {
			return arrow.PrimitiveTypes.Int16
		}
	case translate.OIDNumeric:
		if t.ID() == arrow.INT64 || t.ID() == arrow.INT32 || t.ID() == arrow.INT16 {
			return arrow.BinaryTypes.String // numeric text, sent as numeric
		}
	}
	return nil
}

// conformArray converts a to t (one of conformType's answers).
func conformArray(a arrow.Array, t arrow.DataType) (arrow.Array, error) {
	mem := memory.DefaultAllocator
	intAt := func(i int) (int64, error) {
		switch a := a.(type) {
		case *array.Int64:
			return a.Value(i), nil
		case *array.Int32:
			return int64(a.Value(i)), nil
		case *array.Int16:
			return int64(a.Value(i)), nil
		case *array.Decimal128:
			n := a.Value(i)
			if n.Greater(decimal128.FromI64(math.MaxInt64)) || n.Less(decimal128.FromI64(math.MinInt64)) {
				return 0, fmt.Errorf("%s", n.ToString(0))
			}
			return int64(n.LowBits()), nil
		}
		return 0, fmt.Errorf("unexpected %s", a.DataType())
	}
	lo, hi := int64(math.MinInt64), int64(math.MaxInt64)
	switch t.ID() {
	case arrow.INT32:
		lo, hi = math.MinInt32, math.MaxInt32
	case arrow.INT16:
		lo, hi = math.MinInt16, math.MaxInt16
	case arrow.STRING, arrow.INT64:
	default:
		return nil, fmt.Errorf("cannot convert %s to %s", a.DataType(), t)
	}
	b := array.NewBuilder(mem, t)
	defer b.Release()
	for i := 0; i < a.Len(); i++ {
		if a.IsNull(i) {
			b.AppendNull()
			continue
		}
		v, err := intAt(i)
		if err != nil {
			return nil, err
		}
		if v < lo || v > hi {
			return nil, fmt.Errorf("%d", v)
		}
		switch b := b.(type) {
		case *array.StringBuilder:
			b.Append(strconv.FormatInt(v, 10))
		case *array.Int64Builder:
			b.Append(v)
		case *array.Int32Builder:
			b.Append(int32(v))
		case *array.Int16Builder:
			b.Append(int16(v))
		}
	}
	return b.NewArray(), nil
}

// average divides each row's sum by its count as PostgreSQL's avg does:
// numeric division (its result scale included) for integers and
// numerics, float8 for floats; NULL where nothing was counted.
func average(sum, count arrow.Array, t arrow.DataType) (arrow.Array, error) {
	b := array.NewBuilder(memory.DefaultAllocator, t)
	defer b.Release()
	for i := 0; i < sum.Len(); i++ {
		n, err := countAt(count, i)
		if err != nil {
			return nil, err
		}
		if n == 0 || sum.IsNull(i) {
			b.AppendNull()
			continue
		}
		switch b := b.(type) {
		case *array.Float64Builder:
			f, ok := sum.(*array.Float64)
			if !ok {
				return nil, fmt.Errorf("a float sum came as %s", sum.DataType())
			}
			b.Append(f.Value(i) / float64(n))
		case *array.StringBuilder:
			s, err := numericAt(sum, i)
			if err != nil {
				return nil, err
			}
			q, err := s.Div(pgval.NumericFromInt(n))
			if err != nil {
				return nil, err
			}
			b.Append(q.String())
		}
	}
	return b.NewArray(), nil
}

func countAt(a arrow.Array, i int) (int64, error) {
	switch a := a.(type) {
	case *array.Int64:
		return a.Value(i), nil
	case *array.Decimal128:
		return int64(a.Value(i).LowBits()), nil
	}
	return 0, fmt.Errorf("a count came as %s", a.DataType())
}

// numericAt reads a sum as a numeric, with its scale.
func numericAt(a arrow.Array, i int) (pgval.Numeric, error) {
	switch a := a.(type) {
	case *array.Int64:
		return pgval.NumericFromInt(a.Value(i)), nil
	case *array.Decimal128:
		return pgval.ParseNumeric(a.Value(i).ToString(a.DataType().(*arrow.Decimal128Type).Scale))
	case *array.String:
		return pgval.ParseNumeric(a.Value(i))
	}
	return pgval.Numeric{}, fmt.Errorf("a sum came as %s", a.DataType())
}
