package pushdown

import (
	"fmt"
	"strings"
	"time"

	pg "github.com/pganalyze/pg_query_go/v6"

	"github.com/hotdata-dev/hotdata/connectors"
	"github.com/hotdata-dev/hotdata/internal/pgerr"
	"github.com/hotdata-dev/hotdata/pgval"
)

// Table is the table a live statement reads, as the catalog knows it.
type Table struct {
	// Source names the warehouse in messages ("BigQuery").
	Source string
	// Schema and Name are the table's names at the source.
	Schema, Name string
	// Columns are the PostgreSQL type names (format_type's) of the
	// columns, by name; Order lists the names in table order.
	Columns map[string]string
	Order   []string
}

// Values is what a statement's constants are read with.
type Values struct {
	// Style holds the session's TimeZone and DateStyle, which
	// PostgreSQL's input functions read dates and times in; Now is the
	// statement's start ('now', 'today').
	Style pgval.Style
	Now   time.Time
	// Args are the bound parameters ($1 is Args[0]) as the engine takes
	// them (int64, a decimal string, string, bool, engine.Date,
	// engine.Timestamp, engine.TimestampTZ, …).
	Args []any
}

// Plan is a live statement reduced for the warehouse: the query it runs,
// and how each result column comes from the query's columns.
type Plan struct {
	Query   *connectors.Query
	Columns []Column
}

// Column is a result column: the query's column Item, or for avg, the
// quotient of the sum in column Item by the count in column Count,
// computed as PostgreSQL's avg computes it (numeric division for
// integers and numerics, float8 for floats).
type Column struct {
	Item  int
	Avg   bool
	Count int
}

// aggAvg is avg(column): the warehouse computes its sum and count (its
// own avg is a float where PostgreSQL's is numeric).
const aggAvg = "avg"

// Translate reduces a live statement (its text as the client wrote it,
// already planned) over t to a Plan, or says why it cannot go.
func Translate(sql string, t Table, v Values) (*Plan, error) {
	tree, err := pg.Parse(sql)
	if err != nil {
		return nil, fmt.Errorf("pushdown: %w", err)
	}
	if len(tree.Stmts) != 1 {
		return nil, refuse(t, "a live statement must be one SELECT")
	}
	stmt := tree.Stmts[0].Stmt
	if ex := stmt.GetExplainStmt(); ex != nil {
		for _, o := range ex.Options {
			if d := o.GetDefElem(); d != nil && d.Defname == "analyze" && (d.Arg == nil || d.Arg.GetBoolean() == nil || d.Arg.GetBoolean().Boolval) {
				return nil, refuse(t, "EXPLAIN ANALYZE of a live query does not run on %s: EXPLAIN shows the query it would run", t.Source)
			}
		}
		stmt = ex.Query // EXPLAIN shows the query the warehouse would run
	}
	if dc := stmt.GetDeclareCursorStmt(); dc != nil {
		stmt = dc.Query // DECLARE's query, read with FETCH
	}
	sel := stmt.GetSelectStmt()
	if sel == nil {
		return nil, refuse(t, "only SELECT runs live on %s", t.Source)
	}
	tr := &translator{t: t, v: v, version: tree.Version}
	q, err := tr.selectStmt(sel)
	if err != nil {
		return nil, err
	}
	// The result's columns: an avg's sum and count go to the warehouse.
	p := &Plan{Query: q}
	var items []connectors.Item
	for _, it := range q.Select {
		if it.Agg != aggAvg {
			p.Columns = append(p.Columns, Column{Item: len(items)})
			items = append(items, it)
			continue
		}
		p.Columns = append(p.Columns, Column{Item: len(items), Avg: true, Count: len(items) + 1})
		items = append(items, connectors.Item{Agg: connectors.AggSum, Column: it.Column}, connectors.Item{Agg: connectors.AggCount, Column: it.Column})
	}
	q.Select = items
	return p, nil
}

// refuse is the error for what cannot go to the warehouse.
func refuse(t Table, format string, args ...any) error {
	return pgerr.New(pgerr.FeatureNotSupported, format, args...).
		WithHint("%s runs live only what it computes as PostgreSQL does (columns, count/sum/min/max, comparisons with constants, GROUP BY, ORDER BY, LIMIT); SET hotdata.freshness = cached to read the cache (with SET hotdata.max_staleness = '1s' it syncs first, so the answer is as of now).", t.Source)
}

type translator struct {
	t Table
	v Values
	// aliases are the select list's output names, by name.
	aliases map[string]connectors.Item
	// ambiguous output names stand for different items.
	ambiguous map[string]bool
	items     []connectors.Item
	// version is the parse tree's (Deparse checks it).
	version int32
}

func (tr *translator) refuse(format string, args ...any) error { return refuse(tr.t, format, args...) }

func (tr *translator) selectStmt(s *pg.SelectStmt) (*connectors.Query, error) {
	switch {
	case s.Op != pg.SetOperation_SETOP_NONE:
		return nil, tr.refuse("UNION, INTERSECT and EXCEPT do not run live on %s", tr.t.Source)
	case s.WithClause != nil:
		return nil, tr.refuse("WITH does not run live on %s", tr.t.Source)
	case len(s.ValuesLists) > 0:
		return nil, tr.refuse("VALUES does not run live on %s", tr.t.Source)
	case len(s.LockingClause) > 0:
		return nil, tr.refuse("FOR UPDATE/SHARE does not run live on %s", tr.t.Source)
	case s.IntoClause != nil:
		return nil, tr.refuse("SELECT INTO does not run live on %s", tr.t.Source)
	case len(s.WindowClause) > 0:
		return nil, tr.refuse("window functions do not run live on %s", tr.t.Source)
	case s.HavingClause != nil:
		return nil, tr.refuse("HAVING does not run live on %s", tr.t.Source)
	case s.LimitOption == pg.LimitOption_LIMIT_OPTION_WITH_TIES:
		return nil, tr.refuse("FETCH … WITH TIES does not run live on %s", tr.t.Source)
	}
	if len(s.FromClause) != 1 || s.FromClause[0].GetRangeVar() == nil {
		return nil, tr.refuse("a live query on %s reads one table (no joins or subqueries in FROM)", tr.t.Source)
	}
	if a := s.FromClause[0].GetRangeVar().Alias; a != nil && len(a.Colnames) > 0 {
		return nil, tr.refuse("a table alias with column names does not run live on %s", tr.t.Source)
	}
	q := &connectors.Query{Schema: tr.t.Schema, Table: tr.t.Name, Limit: -1, Offset: -1}
	for _, d := range s.DistinctClause {
		if d.Node != nil {
			return nil, tr.refuse("DISTINCT ON does not run live on %s", tr.t.Source)
		}
	}
	q.Distinct = len(s.DistinctClause) > 0
	tr.aliases, tr.ambiguous = map[string]connectors.Item{}, map[string]bool{}
	for _, n := range s.TargetList {
		rt := n.GetResTarget()
		if rt == nil {
			return nil, tr.refuse("this select list does not run live on %s", tr.t.Source)
		}
		var its []connectors.Item
		if cr := rt.Val.GetColumnRef(); cr != nil && isStar(cr) {
			for _, c := range tr.t.Order {
				its = append(its, connectors.Item{Column: c})
			}
		} else {
			it, err := tr.item(rt.Val)
			if err != nil {
				return nil, err
			}
			its = append(its, it)
			// The output name ORDER BY may use: the alias, else a
			// function's name (count, max); a column's is the column.
			name := rt.Name
			if fc := rt.Val.GetFuncCall(); name == "" && fc != nil {
				_, name = funcName(fc)
			}
			if name != "" {
				if prev, dup := tr.aliases[name]; dup && prev != it {
					tr.ambiguous[name] = true
				}
				tr.aliases[name] = it
			}
		}
		for _, it := range its {
			if q.Distinct {
				if err := tr.orderable(it, "SELECT DISTINCT"); err != nil {
					return nil, err
				}
			}
			tr.items = append(tr.items, it)
		}
	}
	q.Select = tr.items
	if s.WhereClause != nil {
		c, err := tr.cond(s.WhereClause)
		if err != nil {
			return nil, err
		}
		q.Where = c
	}
	for _, g := range s.GroupClause {
		col, err := tr.groupItem(g)
		if err != nil {
			return nil, err
		}
		q.GroupBy = append(q.GroupBy, col)
	}
	for _, n := range s.SortClause {
		o, err := tr.order(n.GetSortBy())
		if err != nil {
			return nil, err
		}
		q.OrderBy = append(q.OrderBy, o)
	}
	var err error
	if q.Limit, err = tr.count(s.LimitCount, "LIMIT"); err != nil {
		return nil, err
	}
	if q.Offset, err = tr.count(s.LimitOffset, "OFFSET"); err != nil {
		return nil, err
	}
	return q, nil
}

func isStar(cr *pg.ColumnRef) bool {
	return len(cr.Fields) > 0 && cr.Fields[len(cr.Fields)-1].GetAStar() != nil
}

// column is the table column a reference names (its last field: the
// planner has resolved the qualifiers against the one table read).
func (tr *translator) column(cr *pg.ColumnRef) (string, error) {
	if isStar(cr) {
		return "", tr.refuse("* runs live only as the whole select list")
	}
	name := cr.Fields[len(cr.Fields)-1].GetString_().GetSval()
	if _, ok := tr.t.Columns[name]; !ok {
		return "", tr.refuse("%s is not a column of %s.%s", name, tr.t.Schema, tr.t.Name)
	}
	return name, nil
}

// item reads a select-list expression: a column or an aggregate of one.
func (tr *translator) item(n *pg.Node) (connectors.Item, error) {
	if cr := n.GetColumnRef(); cr != nil {
		col, err := tr.column(cr)
		return connectors.Item{Column: col}, err
	}
	fc := n.GetFuncCall()
	if fc == nil {
		return connectors.Item{}, tr.refuse("the expression %s does not run live on %s: select columns and count/sum/min/max of columns", tr.deparse(n), tr.t.Source)
	}
	schema, name := funcName(fc)
	switch {
	case schema != "" && schema != "pg_catalog":
		return connectors.Item{}, tr.refuse("%s.%s() does not run live on %s", schema, name, tr.t.Source)
	case fc.Over != nil:
		return connectors.Item{}, tr.refuse("window functions do not run live on %s", tr.t.Source)
	case fc.AggFilter != nil || len(fc.AggOrder) > 0 || fc.AggWithinGroup || fc.FuncVariadic:
		return connectors.Item{}, tr.refuse("%s with FILTER, ORDER BY or WITHIN GROUP does not run live on %s", name, tr.t.Source)
	}
	it := connectors.Item{Distinct: fc.AggDistinct}
	switch name {
	case "count":
		it.Agg = connectors.AggCount
		if fc.AggStar {
			if fc.AggDistinct {
				return it, tr.refuse("count(DISTINCT *) is not valid")
			}
			return it, nil
		}
	case "sum":
		it.Agg = connectors.AggSum
	case "min":
		it.Agg = connectors.AggMin
	case "max":
		it.Agg = connectors.AggMax
	case "avg":
		it.Agg = aggAvg
	default:
		return it, tr.refuse("%s() does not run live on %s: its result there differs from PostgreSQL's (only count, sum, avg, min and max of columns go)", name, tr.t.Source)
	}
	if len(fc.Args) != 1 || fc.Args[0].GetColumnRef() == nil {
		return it, tr.refuse("%s runs live on %s only over a column", name, tr.t.Source)
	}
	col, err := tr.column(fc.Args[0].GetColumnRef())
	if err != nil {
		return it, err
	}
	it.Column = col
	k := classOf(tr.t.Columns[col])
	switch it.Agg {
	case connectors.AggCount:
		if it.Distinct {
			return it, tr.orderable(it, "count(DISTINCT …)")
		}
	case connectors.AggSum, aggAvg:
		if it.Distinct {
			return it, tr.refuse("%s(DISTINCT …) does not run live on %s", it.Agg, tr.t.Source)
		}
		switch k {
		case cInt, cFloat, cNumeric:
			// A numeric's sum keeps the source column's scale; the
			// connector refuses one whose scale it cannot tell.
		default:
			return it, tr.refuse("%s of %s (%s) does not run live on %s", it.Agg, col, tr.t.Columns[col], tr.t.Source)
		}
	default:
		if err := tr.orderable(it, it.Agg+"()"); err != nil {
			return it, err
		}
	}
	return it, nil
}

// orderable refuses comparing the values of it's column where the
// warehouse orders them otherwise than PostgreSQL (floats with NaN and
// -0, arrays, JSON, geography, …).
func (tr *translator) orderable(it connectors.Item, what string) error {
	switch it.Agg {
	case connectors.AggCount:
		if !it.Distinct {
			return nil
		}
	case connectors.AggSum:
		return nil
	case aggAvg:
		// Computed here from a sum and a count: the warehouse cannot
		// order, group or deduplicate by it.
		return tr.refuse("%s over avg(%s) does not run live on %s", what, it.Column, tr.t.Source)
	}
	switch typ := tr.t.Columns[it.Column]; classOf(typ) {
	case cFloat:
		return tr.refuse("%s over %s (%s) does not run live on %s: it orders and groups NaN and -0 otherwise than PostgreSQL", what, it.Column, typ, tr.t.Source)
	case cOther, cBytes:
		return tr.refuse("%s over %s (%s) does not run live on %s: it compares such values otherwise than PostgreSQL", what, it.Column, typ, tr.t.Source)
	}
	return nil
}

// groupItem is a GROUP BY entry: a column, or a select-list position
// or output name that is one.
func (tr *translator) groupItem(n *pg.Node) (string, error) {
	var it connectors.Item
	switch {
	case n.GetColumnRef() != nil:
		cr := n.GetColumnRef()
		if len(cr.Fields) == 1 && !isStar(cr) {
			name := cr.Fields[0].GetString_().GetSval()
			if _, ok := tr.t.Columns[name]; !ok {
				if a, ok := tr.aliases[name]; ok {
					it = a
					break
				}
			}
		}
		col, err := tr.column(cr)
		if err != nil {
			return "", err
		}
		it = connectors.Item{Column: col}
	case n.GetAConst() != nil && n.GetAConst().GetIval() != nil:
		p := int(n.GetAConst().GetIval().Ival)
		if p < 1 || p > len(tr.items) {
			return "", tr.refuse("GROUP BY position %d is not in the select list", p)
		}
		it = tr.items[p-1]
	default:
		return "", tr.refuse("GROUP BY %s does not run live on %s: group by columns", tr.deparse(n), tr.t.Source)
	}
	if it.Agg != connectors.AggNone {
		return "", tr.refuse("aggregate functions are not allowed in GROUP BY")
	}
	return it.Column, tr.orderable(it, "GROUP BY")
}

// order reads an ORDER BY entry, with PostgreSQL's NULLS default made
// explicit (NULLS LAST ascending, FIRST descending).
func (tr *translator) order(sb *pg.SortBy) (connectors.Order, error) {
	var o connectors.Order
	if sb == nil {
		return o, tr.refuse("this ORDER BY does not run live on %s", tr.t.Source)
	}
	switch sb.SortbyDir {
	case pg.SortByDir_SORTBY_DEFAULT, pg.SortByDir_SORTBY_ASC:
	case pg.SortByDir_SORTBY_DESC:
		o.Desc = true
	default:
		return o, tr.refuse("ORDER BY … USING does not run live on %s", tr.t.Source)
	}
	o.NullsFirst = o.Desc
	switch sb.SortbyNulls {
	case pg.SortByNulls_SORTBY_NULLS_FIRST:
		o.NullsFirst = true
	case pg.SortByNulls_SORTBY_NULLS_LAST:
		o.NullsFirst = false
	}
	n := sb.Node
	switch {
	case n.GetAConst() != nil && n.GetAConst().GetIval() != nil:
		p := int(n.GetAConst().GetIval().Ival)
		if p < 1 || p > len(tr.items) {
			return o, tr.refuse("ORDER BY position %d is not in the select list", p)
		}
		o.Item = tr.items[p-1]
	case n.GetColumnRef() != nil && len(n.GetColumnRef().Fields) == 1 && tr.aliasOf(n.GetColumnRef()) != nil:
		// PostgreSQL reads a bare name in ORDER BY as an output name first.
		if name := n.GetColumnRef().Fields[0].GetString_().GetSval(); tr.ambiguous[name] {
			return o, pgerr.New("42702", "ORDER BY %q is ambiguous", name)
		}
		o.Item = *tr.aliasOf(n.GetColumnRef())
	default:
		it, err := tr.item(n)
		if err != nil {
			return o, err
		}
		o.Item = it
	}
	return o, tr.orderable(o.Item, "ORDER BY")
}

func (tr *translator) aliasOf(cr *pg.ColumnRef) *connectors.Item {
	if s := cr.Fields[0].GetString_(); s != nil {
		if it, ok := tr.aliases[s.Sval]; ok {
			return &it
		}
	}
	return nil
}

// count reads LIMIT's or OFFSET's value (-1: none).
func (tr *translator) count(n *pg.Node, what string) (int64, error) {
	if n == nil {
		return -1, nil
	}
	if c := n.GetAConst(); c != nil && c.Isnull {
		return -1, nil // LIMIT NULL, LIMIT ALL
	}
	v, err := tr.value(n, cInt)
	if err != nil {
		return 0, err
	}
	if v == nil {
		return -1, nil
	}
	i, ok := v.(int64)
	if !ok {
		return 0, tr.refuse("%s must be an integer constant or parameter to run live on %s", what, tr.t.Source)
	}
	if i < 0 {
		if what == "LIMIT" {
			return 0, pgerr.New("2201W", "LIMIT must not be negative")
		}
		return 0, pgerr.New("2201X", "OFFSET must not be negative")
	}
	return i, nil
}

func funcName(fc *pg.FuncCall) (schema, name string) {
	var parts []string
	for _, n := range fc.Funcname {
		if s := n.GetString_(); s != nil {
			parts = append(parts, s.Sval)
		}
	}
	if len(parts) == 0 {
		return "", ""
	}
	if len(parts) > 1 {
		schema = parts[len(parts)-2]
	}
	return schema, parts[len(parts)-1]
}

// deparse prints an expression for a message.
func (tr *translator) deparse(n *pg.Node) string {
	out, err := pg.Deparse(&pg.ParseResult{Version: tr.version, Stmts: []*pg.RawStmt{{Stmt: &pg.Node{Node: &pg.Node_SelectStmt{
		SelectStmt: &pg.SelectStmt{TargetList: []*pg.Node{{Node: &pg.Node_ResTarget{ResTarget: &pg.ResTarget{Val: n}}}}},
	}}}}})
	if err != nil {
		return "(expression)"
	}
	return strings.TrimPrefix(out, "SELECT ")
}
