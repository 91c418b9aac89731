package translate

import (
	"strconv"
	"strings"

	pg "github.com/pganalyze/pg_query_go/v6"
)

// fromClause analyzes FROM items into l's namespace and returns their
// engine SQL (comma-separated by the caller).
func (l *level) fromClause(items []*pg.Node) ([]string, error) {
	var out []string
	for _, n := range items {
		sql, ns, err := l.fromItem(n)
		if err != nil {
			return nil, err
		}
		if err := l.checkNameConflicts(ns); err != nil {
			return nil, err
		}
		l.items = append(l.items, ns...)
		out = append(out, sql)
	}
	return out, nil
}

// checkNameConflicts refuses two FROM items of one name (42712).
func (l *level) checkNameConflicts(ns []*nsItem) error {
	return l.conflicts(ns, l.items)
}

// conflicts refuses an item of ns named as one of others.
func (l *level) conflicts(ns, others []*nsItem) error {
	for _, n := range ns {
		if !n.relVisible {
			continue
		}
		for _, o := range others {
			if o.relVisible && o.name == n.name {
				if n.table != nil && o.table != nil && !n.aliased && !o.aliased && n.table != o.table {
					continue // same name, different schemas: PostgreSQL allows it
				}
				return l.a.errAt(-1, "42712", "table name %q specified more than once", n.name)
			}
		}
	}
	return nil
}

// fromItem analyzes one FROM item: its SQL, and the namespace items it
// adds (the last one is the item itself).
func (l *level) fromItem(n *pg.Node) (string, []*nsItem, error) {
	switch v := n.Node.(type) {
	case *pg.Node_RangeVar:
		return l.rangeVar(v.RangeVar)
	case *pg.Node_RangeSubselect:
		return l.rangeSubselect(v.RangeSubselect)
	case *pg.Node_JoinExpr:
		return l.joinExpr(v.JoinExpr)
	case *pg.Node_RangeFunction:
		return l.rangeFunction(v.RangeFunction)
	case *pg.Node_RangeTableSample:
		return "", nil, l.a.unsupportedAt(v.RangeTableSample.Location, "TABLESAMPLE is not supported")
	}
	return "", nil, l.a.unsupportedAt(nodeLocation(n), "this kind of FROM item is not supported")
}

func (l *level) rangeVar(rv *pg.RangeVar) (string, []*nsItem, error) {
	if rv.Catalogname == "" && rv.Schemaname == "" {
		if c := l.lookupCTE(rv.Relname); c != nil {
			return l.cteRef(c, rv)
		}
	}
	if !rv.Inh {
		// ONLY t: the cache has no inheritance children.
	}
	t, err := l.a.env.Table(rv.Catalogname, rv.Schemaname, rv.Relname, int(rv.Location))
	if err != nil {
		return "", nil, err
	}
	if t.Ref != nil && !l.a.seen[t.Ref] {
		l.a.seen[t.Ref] = true
		l.a.tables = append(l.a.tables, t.Ref)
	}
	alias := l.a.alias("t")
	it := &nsItem{name: rv.Relname, engine: alias, relVisible: true, colsVisible: true, table: t, level: l}
	if rv.Alias != nil {
		it.name = rv.Alias.Aliasname
		it.aliased = true
	}
	for _, c := range t.Columns {
		col := nsCol{name: c.Name, typ: c.Type, num: numFormOf(c.Type), sql: alias + "." + quoteIdent(c.Name), unavailable: c.Unavailable, dom: c.Domain}
		if c.Type.OID == OIDInet && !c.Type.IsArray() {
			// The cache may hold an inet as text(inet) prints it
			// ("1.2.3.4/32"): read it back in inet's own output form.
			col.sql = "hd_inet_f(" + col.sql + ", 'inet')"
		}
		if c.Text {
			if c.Type.OID == OIDNumeric {
				col.num = numText
			} else if col.unavailable == "" {
				col.unavailable = "the cache holds its values as text"
			}
		}
		it.cols = append(it.cols, col)
	}
	if err := l.applyColAliases(it, rv.Alias, rv.Location); err != nil {
		return "", nil, err
	}
	if t.OID != 0 {
		// The system column tableoid: the relation's OID, left out of *.
		it.cols = append(it.cols, nsCol{name: "tableoid", typ: TOID, sql: "CAST(" + strconv.FormatUint(uint64(t.OID), 10) + " AS UINTEGER)", hidden: true})
	}
	return t.Engine + " AS " + alias, []*nsItem{it}, nil
}

func (l *level) applyColAliases(it *nsItem, alias *pg.Alias, loc int32) error {
	if alias == nil {
		return nil
	}
	if len(alias.Colnames) > len(it.cols) {
		return l.a.errAt(loc, "42P10", "table %q has %d columns available but %d columns specified", it.name, len(it.cols), len(alias.Colnames))
	}
	for i, c := range alias.Colnames {
		it.cols[i].name = c.GetString_().GetSval()
	}
	return nil
}

func (l *level) cteRef(c *cteDef, rv *pg.RangeVar) (string, []*nsItem, error) {
	alias := l.a.alias("t")
	it := &nsItem{name: rv.Relname, engine: alias, relVisible: true, colsVisible: true, level: l}
	if rv.Alias != nil {
		it.name = rv.Alias.Aliasname
		it.aliased = true
	}
	for i, col := range c.cols {
		it.cols = append(it.cols, nsCol{name: col.name, typ: col.typ, num: col.num, fields: col.fields, fieldNames: col.fieldNames, pad: col.pad, dom: col.dom, sql: alias + ".c" + strconv.Itoa(i+1)})
	}
	if err := l.applyColAliases(it, rv.Alias, rv.Location); err != nil {
		return "", nil, err
	}
	return c.engine + " AS " + alias, []*nsItem{it}, nil
}

// withVisible runs f with the FROM items a lateral item sees (or none).
func (l *level) withVisible(lateral bool, f func() error) error {
	saveL, saveF := l.lateral, l.inFrom
	if lateral {
		vis := append([]*nsItem(nil), l.items...)
		if saveL != nil {
			vis = append(append([]*nsItem(nil), saveL...), l.items...)
		}
		if len(vis) == 0 {
			l.inFrom = true
		} else {
			l.lateral = vis
		}
	} else {
		l.lateral, l.inFrom = nil, true
	}
	err := f()
	l.lateral, l.inFrom = saveL, saveF
	return err
}

func (l *level) rangeSubselect(rs *pg.RangeSubselect) (string, []*nsItem, error) {
	sel := rs.Subquery.GetSelectStmt()
	if sel == nil {
		return "", nil, l.a.unsupportedAt(-1, "this subquery is not supported")
	}
	if rs.Alias == nil {
		return "", nil, l.a.errAt(nodeLocation(rs.Subquery), "42601", "subquery in FROM must have an alias").
			WithHint("For example, FROM (SELECT ...) [AS] foo.")
	}
	var q *selectQuery
	err := l.withVisible(rs.Lateral, func() error {
		var err error
		q, err = l.a.selectStmt(sel, l, false)
		return err
	})
	if err != nil {
		return "", nil, err
	}
	alias := l.a.alias("t")
	it := &nsItem{name: rs.Alias.Aliasname, engine: alias, relVisible: true, colsVisible: true, aliased: true, level: l}
	for i, t := range q.visibleTargets() {
		e := t.e
		if e.unknown {
			// An unknown literal in a subquery's output is text.
			ce, err := l.coerceTo(e, TText, numForm{}, ccImplicit, "")
			if err != nil {
				return "", nil, err
			}
			t.e = ce
			e = ce
		}
		it.cols = append(it.cols, nsCol{name: t.name, typ: e.typ, num: e.num, fields: e.fields, fieldNames: e.fieldNames, pad: padOf(e), dom: e.dom, sql: alias + ".c" + strconv.Itoa(i+1)})
	}
	if err := l.applyColAliases(it, rs.Alias, -1); err != nil {
		return "", nil, err
	}
	prefix := ""
	if rs.Lateral {
		prefix = "LATERAL "
	}
	return prefix + "(" + q.render() + ") AS " + alias, []*nsItem{it}, nil
}

func (l *level) joinExpr(j *pg.JoinExpr) (string, []*nsItem, error) {
	lsql, lns, err := l.fromItem(j.Larg)
	if err != nil {
		return "", nil, err
	}
	// The right side sees the left one only if it is LATERAL.
	saved, savedBad := l.items, l.badLateral
	l.items = append(append([]*nsItem(nil), saved...), lns...)
	if j.Jointype == pg.JoinType_JOIN_RIGHT || j.Jointype == pg.JoinType_JOIN_FULL {
		l.badLateral = map[*nsItem]bool{}
		for k, v := range savedBad {
			l.badLateral[k] = v
		}
		for _, it := range lns {
			l.badLateral[it] = true
		}
	}
	rsql, rns, err := l.fromItem(j.Rarg)
	l.items, l.badLateral = saved, savedBad
	if err != nil {
		return "", nil, err
	}
	if err := l.conflicts(rns, lns); err != nil {
		return "", nil, err
	}
	left, right := lns[len(lns)-1], rns[len(rns)-1]
	var kind string
	switch j.Jointype {
	case pg.JoinType_JOIN_INNER:
		kind = "JOIN"
		if j.Quals == nil && len(j.UsingClause) == 0 && !j.IsNatural {
			kind = "CROSS JOIN"
		}
	case pg.JoinType_JOIN_LEFT:
		kind = "LEFT JOIN"
	case pg.JoinType_JOIN_RIGHT:
		kind = "RIGHT JOIN"
	case pg.JoinType_JOIN_FULL:
		kind = "FULL JOIN"
	default:
		return "", nil, l.a.unsupportedAt(-1, "this join type is not supported")
	}
	all := append(append([]*nsItem(nil), lns...), rns...)
	join := &nsItem{colsVisible: true, level: l, engine: ""}
	var cond string
	using := []string{}
	for _, u := range j.UsingClause {
		using = append(using, u.GetString_().GetSval())
	}
	if j.IsNatural {
		for _, lc := range left.cols {
			if lc.hidden {
				continue
			}
			for _, rc := range right.cols {
				if !rc.hidden && rc.name == lc.name {
					using = append(using, lc.name)
					break
				}
			}
		}
	}
	leftUsed, rightUsed := map[int]bool{}, map[int]bool{}
	if len(using) > 0 || j.IsNatural {
		var conds []string
		seen := map[string]bool{}
		for _, name := range using {
			if seen[name] {
				return "", nil, l.a.errAt(-1, "42701", "column name %q appears more than once in USING clause", name)
			}
			seen[name] = true
			li, ln := visibleColumn(left, name)
			if ln == 0 {
				return "", nil, l.a.errAt(-1, "42703", "column %q specified in USING clause does not exist in left table", name)
			}
			if ln > 1 {
				return "", nil, l.a.errAt(-1, "42702", "common column name %q appears more than once in left table", name)
			}
			ri, rn := visibleColumn(right, name)
			if rn == 0 {
				return "", nil, l.a.errAt(-1, "42703", "column %q specified in USING clause does not exist in right table", name)
			}
			if rn > 1 {
				return "", nil, l.a.errAt(-1, "42702", "common column name %q appears more than once in right table", name)
			}
			leftUsed[li], rightUsed[ri] = true, true
			lc, rc := left.cols[li], right.cols[ri]
			le := &expr{sql: lc.sql, typ: lc.typ, num: lc.num}
			re := &expr{sql: rc.sql, typ: rc.typ, num: rc.num}
			eq, err := l.binaryOp("=", le, re, -1)
			if err != nil {
				return "", nil, err
			}
			conds = append(conds, eq.sql)
			ct, err := selectCommonType([]Type{lc.typ, rc.typ}, []bool{false, false}, "JOIN/USING")
			if err != nil {
				return "", nil, err
			}
			ct = commonTypmod(ct, []Type{lc.typ, rc.typ}, []bool{false, false})
			cn := commonNumForm(ct, le, re)
			lce, err := l.coerceTo(le, ct, cn, ccImplicit, "JOIN/USING")
			if err != nil {
				return "", nil, err
			}
			rce, err := l.coerceTo(re, ct, cn, ccImplicit, "JOIN/USING")
			if err != nil {
				return "", nil, err
			}
			var sql string
			switch kind {
			case "RIGHT JOIN":
				sql = rce.sql
			case "FULL JOIN":
				sql = "COALESCE(" + lce.sql + ", " + rce.sql + ")"
			default:
				sql = lce.sql
				if lce.sql != le.sql && rce.sql == re.sql {
					sql = rce.sql
				}
			}
			join.cols = append(join.cols, nsCol{name: name, typ: ct, num: cn, sql: sql})
		}
		if len(conds) == 0 {
			cond = "true"
		} else {
			cond = strings.Join(conds, " AND ")
		}
		if kind == "CROSS JOIN" {
			kind = "JOIN"
		}
	}
	for i, c := range left.cols {
		if !leftUsed[i] && !c.hidden {
			join.cols = append(join.cols, c)
		}
	}
	for i, c := range right.cols {
		if !rightUsed[i] && !c.hidden {
			join.cols = append(join.cols, c)
		}
	}
	if j.Quals != nil && kind == "FULL JOIN" && !mergeJoinable(j.Quals) {
		return "", nil, l.a.errAt(-1, "0A000", "FULL JOIN is only supported with merge-joinable or hash-joinable join conditions")
	}
	if j.Quals != nil {
		save := l.lateral
		l.lateral = append(append([]*nsItem(nil), save...), all...)
		saveClause := l.clause
		l.clause = "JOIN/ON"
		e, err := l.expr(j.Quals)
		l.clause = saveClause
		l.lateral = save
		if err != nil {
			return "", nil, err
		}
		if err := l.checkNoAggWindow(e, "JOIN conditions", j.Quals); err != nil {
			return "", nil, err
		}
		be, err := l.coerceBool(e, "JOIN/ON")
		if err != nil {
			return "", nil, err
		}
		cond = be.sql
	}
	sql := "(" + lsql + " " + kind + " " + rsql
	if kind != "CROSS JOIN" {
		sql += " ON " + cond
	}
	sql += ")"
	if j.Alias != nil {
		join.name = j.Alias.Aliasname
		join.relVisible = true
		join.aliased = true
		if err := l.applyColAliases(join, j.Alias, -1); err != nil {
			return "", nil, err
		}
		return sql, []*nsItem{join}, nil
	}
	for _, it := range all {
		it.colsVisible = false
	}
	return sql, append(all, join), nil
}

// visibleColumn finds a column of a FROM item that "*" would show.
func visibleColumn(it *nsItem, name string) (int, int) {
	idx, n := -1, 0
	for i, c := range it.cols {
		if c.name == name && !c.hidden {
			if idx < 0 {
				idx = i
			}
			n++
		}
	}
	return idx, n
}

// mergeJoinable approximates PostgreSQL's requirement on a FULL JOIN's
// condition: every AND-ed clause an equality (or the condition a
// constant).
func mergeJoinable(q *pg.Node) bool {
	if b := q.GetBoolExpr(); b != nil {
		if b.Boolop != pg.BoolExprType_AND_EXPR {
			return false
		}
		for _, a := range b.Args {
			if !mergeJoinable(a) {
				return false
			}
		}
		return true
	}
	if c := q.GetAConst(); c != nil {
		return true
	}
	if tc := q.GetTypeCast(); tc != nil && tc.Arg.GetAConst() != nil {
		return true
	}
	if a := q.GetAExpr(); a != nil && a.Kind == pg.A_Expr_Kind_AEXPR_OP {
		name := strs(a.Name)
		return len(name) > 0 && name[len(name)-1] == "="
	}
	return false
}
