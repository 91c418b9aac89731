package translate

import (
	"sort"
	"strconv"
	"strings"

	pg "github.com/pganalyze/pg_query_go/v6"
)

// plainSelect analyzes SELECT … FROM … WHERE … GROUP BY … in l.
func (l *level) plainSelect(sel *pg.SelectStmt) (*selectQuery, error) {
	sel = groupedSRF(sel)
	q := &selectQuery{a: l.a}
	if sel.IntoClause != nil {
		return nil, l.a.errAt(-1, "25006", "cannot execute SELECT INTO in a read-only transaction")
	}
	if len(sel.LockingClause) > 0 {
		return nil, l.a.errAt(-1, "25006", "cannot execute SELECT FOR UPDATE in a read-only transaction")
	}
	l.clause = "FROM"
	from, err := l.fromClause(sel.FromClause)
	if err != nil {
		return nil, err
	}
	q.from = from
	if sel.WhereClause != nil {
		l.clause = "WHERE"
		e, err := l.expr(sel.WhereClause)
		if err != nil {
			return nil, err
		}
		if err := l.checkNoAggWindow(e, "WHERE", sel.WhereClause); err != nil {
			return nil, err
		}
		be, err := l.coerceBool(e, "WHERE")
		if err != nil {
			return nil, err
		}
		q.where = be.sql
	}
	if len(sel.WindowClause) > 0 {
		l.windows = map[string]*pg.WindowDef{}
		for _, w := range sel.WindowClause {
			wd := w.GetWindowDef()
			if _, dup := l.windows[wd.Name]; dup {
				return nil, l.a.errAt(wd.Location, "42P20", "window %q is already defined", wd.Name)
			}
			if wd.Refname != "" {
				// w2 AS (w1 ORDER BY x): w1's clauses, then w2's (w1 must
				// come earlier in the list).
				base := l.windows[wd.Refname]
				if base == nil {
					return nil, l.a.errAt(wd.Location, "42704", "window %q does not exist", wd.Refname)
				}
				if len(wd.PartitionClause) > 0 {
					return nil, l.a.errAt(wd.Location, "42P20", "cannot override PARTITION BY clause of window %q", wd.Refname)
				}
				if len(wd.OrderClause) > 0 && len(base.OrderClause) > 0 {
					return nil, l.a.errAt(wd.Location, "42P20", "cannot override ORDER BY clause of window %q", wd.Refname)
				}
				if base.FrameOptions&frameNonDefault != 0 {
					return nil, l.a.errAt(wd.Location, "42P20", "cannot copy window %q because it has a frame clause", wd.Refname)
				}
				merged := &pg.WindowDef{Name: wd.Name, PartitionClause: base.PartitionClause, OrderClause: base.OrderClause,
					FrameOptions: wd.FrameOptions, StartOffset: wd.StartOffset, EndOffset: wd.EndOffset, Location: wd.Location}
				if len(wd.OrderClause) > 0 {
					merged.OrderClause = wd.OrderClause
				}
				wd = merged
			}
			l.windows[wd.Name] = wd
		}
	}
	// GROUP BY first: its keys decide which columns the select list may use.
	if len(sel.GroupClause) > 0 {
		if err := l.groupClause(q, sel); err != nil {
			return nil, err
		}
	}
	l.clause = "SELECT"
	if err := l.targetList(q, sel.TargetList); err != nil {
		return nil, err
	}
	l.targets = q.targets
	var having *expr
	if sel.HavingClause != nil {
		l.clause = "HAVING"
		e, err := l.expr(sel.HavingClause)
		if err != nil {
			return nil, err
		}
		if e.win {
			return nil, l.a.errAt(nodeLocation(sel.HavingClause), "42P20", "window functions are not allowed in HAVING")
		}
		be, err := l.coerceBool(e, "HAVING")
		if err != nil {
			return nil, err
		}
		having = be
		q.having = be.sql
	}
	l.clause = "ORDER BY"
	// Plain DISTINCT sorts by output columns only; DISTINCT ON may sort
	// by anything after its own expressions.
	distinctOn := len(sel.DistinctClause) > 0 && sel.DistinctClause[0] != nil && sel.DistinctClause[0].Node != nil
	sorts, err := l.sortClause(q, sel.SortClause, sel.DistinctClause != nil && !distinctOn)
	if err != nil {
		return nil, err
	}
	if sel.DistinctClause != nil {
		q.distinct = true
		if len(sel.DistinctClause) > 0 && sel.DistinctClause[0] != nil && sel.DistinctClause[0].Node != nil {
			if err := l.distinctOn(q, sel.DistinctClause, sorts); err != nil {
				return nil, err
			}
		}
		n := 0
		for _, t := range q.targets {
			if t.junk || len(q.distinctOn) > 0 { // DISTINCT ON compares its own list only
				continue
			}
			n++
			if equalByKey(t.e.typ, t.e.num) {
				// Equal values may be written differently: compare keys
				// (analyze.go's groupByKeys).
				if q.distinctKeys == nil {
					q.distinctKeys = make([]string, len(q.visibleTargets()))
				}
				q.distinctKeys[n-1] = sortKey(&expr{typ: t.e.typ, num: t.e.num, sql: "c" + strconv.Itoa(n)})
				continue
			}
			if err := l.checkComparableExpr(t.e, "DISTINCT", t.e.loc); err != nil {
				return nil, err
			}
		}
	}
	for _, s := range sorts {
		q.orderBy = append(q.orderBy, s.sql)
		q.orderByWindow = q.orderByWindow || s.e.win
	}
	// The grouping check (parseCheckAggregates).
	grouped := len(sel.GroupClause) > 0 || having != nil || l.aggSeen
	if grouped {
		check := func(e *expr) error {
			if len(e.ungrouped) == 0 {
				return nil
			}
			r := e.ungrouped[0]
			return l.a.errAt(r.loc, "42803", "column \"%s.%s\" must appear in the GROUP BY clause or be used in an aggregate function", r.item.name, r.name)
		}
		for _, t := range q.targets {
			if err := check(t.e); err != nil {
				return nil, err
			}
		}
		if having != nil {
			if err := check(having); err != nil {
				return nil, err
			}
		}
		for _, s := range sorts {
			if err := check(s.e); err != nil {
				return nil, err
			}
		}
		if len(l.outerUngrouped) > 0 {
			r := l.outerUngrouped[0]
			return nil, l.a.errAt(r.loc, "42803", "subquery uses ungrouped column \"%s.%s\" from outer query", r.item.name, r.name)
		}
		if q.groupSets == "" {
			q.groupBy = append(q.groupBy, l.fdExtra...)
		} else if len(l.fdExtra) > 0 {
			q.groupSets += ", " + strings.Join(l.fdExtra, ", ")
		}
		if len(q.groupBy) == 0 && q.groupSets == "" && len(q.from) > 0 {
			// Aggregates over the whole input: one group.
		}
	}
	if err := l.limitClause(q, sel); err != nil {
		return nil, err
	}
	if !l.arm {
		// Unknown-type outputs are text (resolveTargetListUnknowns).
		for _, t := range q.targets {
			if t.e.unknown {
				ce, err := l.coerceTo(t.e, TText, numForm{}, ccImplicit, "")
				if err != nil {
					return nil, err
				}
				t.e = ce
			}
		}
	}
	if err := l.finishSRF(q); err != nil {
		return nil, err
	}
	return q, nil
}

// checkNoAggWindow refuses aggregates and window functions in clauses
// evaluated before grouping.
func (l *level) checkNoAggWindow(e *expr, clause string, n *pg.Node) error {
	if e.agg {
		return l.a.errAt(nodeLocation(n), "42803", "aggregate functions are not allowed in %s", clause)
	}
	if e.win {
		return l.a.errAt(nodeLocation(n), "42P20", "window functions are not allowed in %s", clause)
	}
	if e.srf {
		return l.a.errAt(nodeLocation(n), "0A000", "set-returning functions are not allowed in %s", clause)
	}
	return nil
}

// targetList analyzes the select list into q.targets.
func (l *level) targetList(q *selectQuery, list []*pg.Node) error {
	for _, n := range list {
		rt := n.GetResTarget()
		if rt == nil {
			continue
		}
		if cr := rt.Val.GetColumnRef(); cr != nil && isStar(cr) {
			ts, err := l.expandStar(cr)
			if err != nil {
				return err
			}
			q.targets = append(q.targets, ts...)
			continue
		}
		e, err := l.expr(rt.Val)
		if err != nil {
			return err
		}
		name := rt.Name
		if name == "" {
			name = figureColname(rt.Val)
		}
		q.targets = append(q.targets, &target{e: e, name: name})
	}
	return nil
}

func isStar(cr *pg.ColumnRef) bool {
	return len(cr.Fields) > 0 && cr.Fields[len(cr.Fields)-1].GetAStar() != nil
}

// expandStar expands * and t.* (ExpandColumnRefStar).
func (l *level) expandStar(cr *pg.ColumnRef) ([]*target, error) {
	var items []*nsItem
	if len(cr.Fields) == 1 {
		for _, it := range l.visibleItems() {
			if it.colsVisible {
				items = append(items, it)
			}
		}
		if len(items) == 0 {
			return nil, l.a.errAt(cr.Location, "42601", "SELECT * with no tables specified is not valid")
		}
	} else {
		quals := strs(cr.Fields[:len(cr.Fields)-1])
		it, lv, err := l.findItem(quals, cr.Location)
		if err != nil {
			return nil, err
		}
		if it == nil {
			return nil, l.missingFROM(quals, cr.Location)
		}
		if lv != l {
			return nil, l.a.unsupportedAt(cr.Location, "outer references with * are not supported")
		}
		items = []*nsItem{it}
	}
	var out []*target
	for _, it := range items {
		for i, c := range it.cols {
			if c.hidden {
				continue
			}
			e, err := l.columnExpr(l, it, i, cr.Location)
			if err != nil {
				return nil, err
			}
			l.noteGrouped(e)
			out = append(out, &target{e: e, name: c.name})
		}
	}
	return out, nil
}

// missingFROM is the error for a qualifier that names no FROM item.
func (l *level) missingFROM(quals []string, loc int32) error {
	name := quals[len(quals)-1]
	return l.a.errAt(loc, "42P01", "missing FROM-clause entry for table %q", name)
}

// groupClause analyzes GROUP BY into group keys.
func (l *level) groupClause(q *selectQuery, sel *pg.SelectStmt) error {
	l.clause = "GROUP BY"
	var plain []string
	var sets []string
	add := func(sql string) {
		l.groupKeys[sql] = true
	}
	var item func(n *pg.Node) (string, error)
	item = func(n *pg.Node) (string, error) {
		e, err := l.groupItem(n, sel.TargetList)
		if err != nil {
			return "", err
		}
		if e.agg {
			return "", l.a.errAt(nodeLocation(n), "42803", "aggregate functions are not allowed in GROUP BY")
		}
		if e.win {
			return "", l.a.errAt(nodeLocation(n), "42P20", "window functions are not allowed in GROUP BY")
		}
		if err := l.checkComparableExpr(e, "GROUP BY", nodeLocation(n)); err != nil {
			return "", err
		}
		add(e.sql)
		if k := sortKey(e); k != "" {
			l.groupWrap[e.sql] = k
			return k, nil
		}
		return e.sql, nil
	}
	// Grouping sets are expanded into the list of sets they stand for
	// (expand_grouping_sets): ROLLUP and CUBE inside GROUPING SETS, and
	// the cross product of several GROUP BY elements; duplicates stay,
	// as PostgreSQL keeps them.
	var expand func(n *pg.Node) ([][]string, error)
	elems := func(content []*pg.Node) ([][]string, error) {
		var out [][]string
		for _, c := range content {
			if row := c.GetRowExpr(); row != nil {
				var cols []string
				for _, a := range row.Args {
					s, err := item(a)
					if err != nil {
						return nil, err
					}
					cols = append(cols, s)
				}
				out = append(out, cols)
				continue
			}
			s, err := item(c)
			if err != nil {
				return nil, err
			}
			out = append(out, []string{s})
		}
		return out, nil
	}
	expand = func(n *pg.Node) ([][]string, error) {
		gs := n.GetGroupingSet()
		if gs == nil {
			e, err := elems([]*pg.Node{n})
			return e, err
		}
		switch gs.Kind {
		case pg.GroupingSetKind_GROUPING_SET_EMPTY:
			return [][]string{{}}, nil
		case pg.GroupingSetKind_GROUPING_SET_SETS:
			var out [][]string
			for _, c := range gs.Content {
				e, err := expand(c)
				if err != nil {
					return nil, err
				}
				out = append(out, e...)
			}
			return out, nil
		case pg.GroupingSetKind_GROUPING_SET_ROLLUP, pg.GroupingSetKind_GROUPING_SET_CUBE:
			es, err := elems(gs.Content)
			if err != nil {
				return nil, err
			}
			var out [][]string
			if gs.Kind == pg.GroupingSetKind_GROUPING_SET_ROLLUP {
				for k := len(es); k >= 0; k-- {
					var set []string
					for _, e := range es[:k] {
						set = append(set, e...)
					}
					out = append(out, set)
				}
				return out, nil
			}
			if len(es) > 12 {
				return nil, l.a.errAt(-1, "54001", "CUBE is limited to 12 elements")
			}
			for mask := (1 << len(es)) - 1; mask >= 0; mask-- {
				var set []string
				for i, e := range es {
					if mask&(1<<i) != 0 {
						set = append(set, e...)
					}
				}
				out = append(out, set)
			}
			return out, nil
		}
		e, err := elems(gs.Content)
		return e, err
	}
	hasSets := false
	for _, n := range sel.GroupClause {
		if n.GetGroupingSet() != nil {
			hasSets = true
		}
	}
	if hasSets {
		l.groupingSets = true
		product := [][]string{{}}
		for _, n := range sel.GroupClause {
			e, err := expand(n)
			if err != nil {
				return err
			}
			var next [][]string
			for _, r := range product {
				for _, s := range e {
					next = append(next, append(append([]string(nil), r...), s...))
				}
			}
			if len(next) > 4096 {
				return l.a.errAt(-1, "54001", "too many grouping sets present (maximum 4096)")
			}
			product = next
		}
		if sel.GroupDistinct {
			product = distinctSets(product)
		}
		parts := make([]string, len(product))
		for i, set := range product {
			parts[i] = "(" + strings.Join(dedupe(set), ", ") + ")"
		}
		sets = append(sets, "GROUPING SETS ("+strings.Join(parts, ", ")+")")
	} else {
		for _, n := range sel.GroupClause {
			s, err := item(n)
			if err != nil {
				return err
			}
			plain = append(plain, s)
		}
	}
	if len(sets) > 0 {
		q.groupSets = strings.Join(sets, ", ")
	} else {
		q.groupBy = dedupe(plain)
		// Functional dependency: a grouped primary key groups its table.
		for _, it := range l.items {
			if it.table == nil || len(it.table.PrimaryKey) == 0 {
				continue
			}
			all := true
			for _, k := range it.table.PrimaryKey {
				idx, _ := it.column(k)
				if idx < 0 || !l.groupKeys[it.cols[idx].sql] {
					all = false
					break
				}
			}
			if all {
				l.fdItems[it] = true
			}
		}
	}
	return nil
}

// distinctSets is GROUP BY DISTINCT: the expanded grouping sets with
// each set of keys kept once, whatever the order of its keys
// (expand_grouping_sets compares the sorted sets). Without grouping
// sets DISTINCT changes nothing.
func distinctSets(sets [][]string) [][]string {
	seen := map[string]bool{}
	var out [][]string
	for _, set := range sets {
		keys := dedupe(set)
		sort.Strings(keys)
		k := strings.Join(keys, "\x00")
		if !seen[k] {
			seen[k] = true
			out = append(out, set)
		}
	}
	return out
}

func dedupe(list []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range list {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// groupItem analyzes one GROUP BY item: a position, an output column
// name that no input column has, or an expression.
func (l *level) groupItem(n *pg.Node, targets []*pg.Node) (*expr, error) {
	if l.isPlaceholder(n) {
		l.a.uncacheable = true // a position, in the statement as written
	}
	if c := n.GetAConst(); c != nil {
		if iv, ok := c.Val.(*pg.A_Const_Ival); ok {
			pos := int(iv.Ival.Ival)
			rts := resTargets(targets)
			if pos < 1 || pos > len(rts) {
				return nil, l.a.errAt(c.Location, "42P10", "GROUP BY position %d is not in select list", pos)
			}
			if cr := rts[pos-1].Val.GetColumnRef(); cr != nil && isStar(cr) {
				return nil, l.a.unsupportedAt(c.Location, "GROUP BY a position of * is not supported")
			}
			return l.expr(rts[pos-1].Val)
		}
	}
	if cr := n.GetColumnRef(); cr != nil && len(cr.Fields) == 1 {
		if s := cr.Fields[0].GetString_(); s != nil {
			e, err := l.findColumn(s.Sval, cr.Location)
			if err != nil {
				return nil, err
			}
			if e == nil {
				// Not an input column: an output column name.
				var match *pg.ResTarget
				for _, rt := range resTargets(targets) {
					name := rt.Name
					if name == "" {
						name = figureColname(rt.Val)
					}
					if name == s.Sval {
						if match != nil {
							return nil, l.a.errAt(cr.Location, "42702", "GROUP BY %q is ambiguous", s.Sval)
						}
						match = rt
					}
				}
				if match != nil {
					return l.expr(match.Val)
				}
			}
		}
	}
	return l.expr(n)
}

func resTargets(list []*pg.Node) []*pg.ResTarget {
	var out []*pg.ResTarget
	for _, n := range list {
		if rt := n.GetResTarget(); rt != nil {
			out = append(out, rt)
		}
	}
	return out
}

// sortSpec is one analyzed ORDER BY item.
type sortSpec struct {
	e   *expr
	sql string
	// target is the index of the visible target it sorts by (-1: none).
	target int
}

// sortClause analyzes ORDER BY: positions, output names, expressions.
func (l *level) sortClause(q *selectQuery, list []*pg.Node, distinct bool) ([]sortSpec, error) {
	var out []sortSpec
	for _, n := range list {
		sb := n.GetSortBy()
		e, idx, err := l.sortTarget(q, sb.Node)
		if err != nil {
			return nil, err
		}
		if idx < 0 {
			if distinct {
				return nil, l.a.errAt(nodeLocation(sb.Node), "42P10", "for SELECT DISTINCT, ORDER BY expressions must appear in select list")
			}
			if e.unknown {
				ce, err := l.coerceTo(e, TText, numForm{}, ccImplicit, "")
				if err != nil {
					return nil, err
				}
				e = ce
			}
		}
		key := e.sql
		if idx >= 0 && distinct {
			key = strconv.Itoa(visiblePosition(q, idx))
		}
		item, err := l.sortItem(e, sb, key)
		if err != nil {
			return nil, err
		}
		out = append(out, sortSpec{e: e, sql: item, target: idx})
	}
	return out, nil
}

func visiblePosition(q *selectQuery, idx int) int {
	n := 0
	for i, t := range q.targets {
		if !t.junk {
			n++
		}
		if i == idx {
			return n
		}
	}
	return n
}

// sortTarget finds what an ORDER BY item sorts by (findTargetlistEntry).
func (l *level) sortTarget(q *selectQuery, n *pg.Node) (*expr, int, error) {
	if l.isPlaceholder(n) {
		l.a.uncacheable = true // a position, in the statement as written
	}
	if c := n.GetAConst(); c != nil {
		if iv, ok := c.Val.(*pg.A_Const_Ival); ok {
			pos := int(iv.Ival.Ival)
			vis := 0
			for i, t := range q.targets {
				if t.junk {
					continue
				}
				vis++
				if vis == pos {
					return t.e, i, nil
				}
			}
			return nil, -1, l.a.errAt(c.Location, "42P10", "ORDER BY position %d is not in select list", pos)
		}
	}
	if cr := n.GetColumnRef(); cr != nil && len(cr.Fields) == 1 {
		if s := cr.Fields[0].GetString_(); s != nil {
			found := -1
			for i, t := range q.targets {
				if t.junk || t.name != s.Sval {
					continue
				}
				if found >= 0 && q.targets[found].e.sql != t.e.sql {
					return nil, -1, l.a.errAt(cr.Location, "42702", "ORDER BY %q is ambiguous", s.Sval)
				}
				if found < 0 {
					found = i
				}
			}
			if found >= 0 {
				return q.targets[found].e, found, nil
			}
		}
	}
	e, err := l.expr(n)
	if err != nil {
		return nil, -1, err
	}
	if e.srf {
		return nil, -1, l.a.errAt(nodeLocation(n), "0A000", "set-returning functions are not allowed in ORDER BY")
	}
	for i, t := range q.targets {
		if !t.junk && t.e.sql == e.sql && t.e.typ.OID == e.typ.OID {
			return t.e, i, nil
		}
	}
	return e, -1, nil
}

// sortItem renders one ORDER BY item with PostgreSQL's NULL placement
// (NULLS LAST ascending, NULLS FIRST descending) written out, since the
// engine's default differs.
func (l *level) sortItem(e *expr, sb *pg.SortBy, key string) (string, error) {
	desc := false
	switch sb.SortbyDir {
	case pg.SortByDir_SORTBY_DESC:
		desc = true
	case pg.SortByDir_SORTBY_USING:
		op := strs(sb.UseOp)
		switch op[len(op)-1] {
		case "<":
		case ">":
			desc = true
		default:
			return "", l.a.errAt(sb.Location, "42809", "operator %s is not a valid ordering operator", op[len(op)-1]).
				WithHint("Ordering operators must be \"<\" or \">\" members of btree operator families.")
		}
	}
	nullsFirst := desc
	switch sb.SortbyNulls {
	case pg.SortByNulls_SORTBY_NULLS_FIRST:
		nullsFirst = true
	case pg.SortByNulls_SORTBY_NULLS_LAST:
		nullsFirst = false
	}
	if err := l.checkOrderable(e, sb.Location); err != nil {
		return "", err
	}
	if info := enumLike(e.typ); info != nil {
		// An enum sorts by its labels' order: the position of the
		// value (or of the output column DISTINCT sorts by).
		if _, err := strconv.Atoi(key); err == nil {
			key = "c" + key
		}
		key = enumPosition(info, key)
	} else if sk := sortKey(e); sk != "" {
		if _, err := strconv.Atoi(key); err == nil {
			// An output column by position: its key over the column's
			// engine name, where the key tells values apart as equality
			// does.
			nk := sortKey(&expr{typ: e.typ, num: e.num, sql: "c" + key})
			if nk == "" {
				return "", l.a.unsupportedAt(sb.Location, "ordering SELECT DISTINCT by numeric values of varying scale is not supported")
			}
			sk = nk
		}
		key = sk
	}
	if e.typ.OID == OIDFloat4 || e.typ.OID == OIDFloat8 {
		if _, err := strconv.Atoi(key); err != nil {
			// A key of its own: the engine gives sorted values back from
			// their sort keys, where -0 has become 0.
			key = "(" + key + " + 0)"
		}
	}
	s := key
	if desc {
		s += " DESC"
	} else {
		s += " ASC"
	}
	if nullsFirst {
		s += " NULLS FIRST"
	} else {
		s += " NULLS LAST"
	}
	return s, nil
}

// distinctOn analyzes DISTINCT ON (…), whose expressions must lead the
// ORDER BY.
func (l *level) distinctOn(q *selectQuery, list []*pg.Node, sorts []sortSpec) error {
	for i, n := range list {
		e, idx, err := l.sortTarget(q, n)
		if err != nil {
			return err
		}
		if idx < 0 {
			q.targets = append(q.targets, &target{e: e, name: "?column?", junk: true})
		}
		if i < len(sorts) && sorts[i].e.sql != e.sql {
			return l.a.errAt(nodeLocation(n), "42P10", "SELECT DISTINCT ON expressions must match initial ORDER BY expressions")
		}
		if len(sorts) > 0 && i >= len(sorts) {
			// fine: DISTINCT ON may list more than ORDER BY
		}
		if err := l.checkComparable(e.typ, e.num, "DISTINCT ON", nodeLocation(n)); err != nil {
			return err
		}
		if k := sortKey(e); k != "" {
			q.distinctOn = append(q.distinctOn, k) // equal by value, as PostgreSQL compares
		} else {
			q.distinctOn = append(q.distinctOn, e.sql)
		}
	}
	return nil
}

// limitClause analyzes LIMIT/OFFSET/FETCH FIRST.
func (l *level) limitClause(q *selectQuery, sel *pg.SelectStmt) error {
	conv := func(n *pg.Node, what string) (string, error) {
		if n == nil {
			return "", nil
		}
		if c := n.GetAConst(); c != nil && c.Isnull {
			return "", nil // LIMIT ALL / LIMIT NULL
		}
		saved := l.clause
		l.clause = what
		e, err := l.expr(n)
		l.clause = saved
		if err != nil {
			return "", err
		}
		if len(e.ungrouped) > 0 {
			r := e.ungrouped[0]
			return "", l.a.errAt(r.loc, "42P10", "argument of %s must not contain variables", what)
		}
		if e.agg {
			return "", l.a.errAt(nodeLocation(n), "42803", "aggregate functions are not allowed in %s", what)
		}
		// transformLimitClause: coerced to bigint as an assignment
		// would be (LIMIT 2.5 rounds, LIMIT 'x' fails in bigint's input).
		if k, _ := findPathway(OIDInt8, e.typ.OID, ccAssignment); k == pathNone && !e.unknown {
			return "", l.a.errAt(nodeLocation(n), "42804", "argument of %s must be type bigint, not type %s", what, e.typ.Name())
		}
		ce, err := l.coerceTo(e, TInt8, numForm{}, ccAssignment, what)
		if err != nil {
			return "", err
		}
		if c := n.GetAConst(); c != nil {
			if fv, ok := c.Val.(*pg.A_Const_Fval); ok {
				if v, err := strconv.ParseInt(fv.Fval.Fval, 10, 64); err == nil && v > 1<<62 {
					// More rows than any table has (the engine's maximum
					// is 2^62): no limit, or an offset past every row.
					if what == "OFFSET" {
						return strconv.FormatInt(1<<62, 10), nil
					}
					return "", nil
				}
			}
		}
		if c := n.GetAConst(); c != nil {
			if iv, ok := c.Val.(*pg.A_Const_Ival); ok && iv.Ival.Ival >= 0 {
				// A constant the engine takes as it is (a correlated
				// subquery's LIMIT must be one).
				return ce.sql, nil
			}
		}
		if e.placeholder {
			return ce.sql, nil // an integer literal: never negative
		}
		code := "2201W"
		msg := "LIMIT must not be negative"
		if what == "OFFSET" {
			code, msg = "2201X", "OFFSET must not be negative"
		}
		return "hd_nonneg(" + ce.sql + ", " + sqlString(code+":"+msg) + ")", nil
	}
	var err error
	if q.limit, err = conv(sel.LimitCount, "LIMIT"); err != nil {
		return err
	}
	if q.offset, err = conv(sel.LimitOffset, "OFFSET"); err != nil {
		return err
	}
	if sel.LimitOption == pg.LimitOption_LIMIT_OPTION_WITH_TIES {
		return l.withTies(q, sel)
	}
	return nil
}

// withTies renders FETCH FIRST n ROWS WITH TIES, which the engine lacks,
// as a QUALIFY over the ORDER BY: a row is kept when it comes after the
// OFFSET rows (row_number) and its peer group starts within the first
// offset+n rows (rank), so the rows tied with the n-th are kept too, as
// PostgreSQL's nodeLimit does.
func (l *level) withTies(q *selectQuery, sel *pg.SelectStmt) error {
	loc := nodeLocation(sel.LimitCount)
	if q.op != "" || q.values != nil || q.distinct {
		return l.a.unsupportedAt(loc, "FETCH FIRST … WITH TIES on DISTINCT, VALUES or UNION/INTERSECT/EXCEPT is not supported by Hotdata's cache engine")
	}
	if q.orderByWindow {
		return l.a.unsupportedAt(loc, "FETCH FIRST … WITH TIES ordered by a window function is not supported by Hotdata's cache engine")
	}
	for _, t := range q.targets {
		if t.e.srf {
			return l.a.unsupportedAt(loc, "FETCH FIRST … WITH TIES with set-returning functions in the select list is not supported by Hotdata's cache engine")
		}
	}
	count := q.limit
	if c := sel.LimitCount.GetAConst(); c != nil && c.Isnull {
		return l.a.errAt(loc, "2201W", "row count cannot be null in FETCH FIRST ... WITH TIES clause")
	}
	offset := q.offset
	if offset == "" {
		offset = "0"
	}
	over := " OVER (ORDER BY " + strings.Join(q.orderBy, ", ") + ")"
	conds := []string{"row_number()" + over + " > " + offset}
	switch c := sel.LimitCount.GetAConst(); {
	case count == "":
		// More rows than any table has.
	case c != nil && c.GetIval().GetIval() > 0:
		conds = append(conds, "rank()"+over+" <= "+offset+" + "+count)
	default:
		// No rows for a count of 0 (not the offset row's peers); a count
		// that evaluates to NULL is no limit.
		conds = append(conds, "("+count+" IS NULL OR "+count+" > 0 AND rank()"+over+" <= "+offset+" + "+count+")")
	}
	q.qualify = strings.Join(conds, " AND ")
	q.limit, q.offset = "", ""
	return nil
}

// isPlaceholder reports a parameter standing for a constant.
func (l *level) isPlaceholder(n *pg.Node) bool {
	p := n.GetParamRef()
	return p != nil && int(p.Number) <= len(l.a.env.Literals) && l.a.env.Literals[p.Number-1].Kind != LitNone
}
