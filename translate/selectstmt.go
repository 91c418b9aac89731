package translate

import (
	"strconv"
	"strings"

	pg "github.com/pganalyze/pg_query_go/v6"
)

// cteDef is one WITH query.
type cteDef struct {
	name      string
	engine    string
	cols      []nsCol
	recursive bool
	// pending: a recursive query's own term being analyzed refers to it.
	pending bool
	loc     int32
}

// lookupCTE finds a WITH query by name in this level or an enclosing one.
func (l *level) lookupCTE(name string) *cteDef {
	for lv := l; lv != nil; lv = lv.parent {
		for _, c := range lv.ctes {
			if c.name == name {
				return c
			}
		}
	}
	return nil
}

// selectStmt analyzes a SELECT, VALUES or set operation at a new level
// under parent.
func (a *analyzer) selectStmt(sel *pg.SelectStmt, parent *level, arm bool) (*selectQuery, error) {
	l := newLevel(a, parent)
	l.arm = arm
	var with []string
	recursive := false
	if sel.WithClause != nil {
		var err error
		with, err = l.withClause(sel.WithClause)
		if err != nil {
			return nil, err
		}
		recursive = sel.WithClause.Recursive
	}
	var q *selectQuery
	var err error
	switch {
	case sel.Op != pg.SetOperation_SETOP_NONE && sel.Op != pg.SetOperation_SET_OPERATION_UNDEFINED:
		q, err = l.setOperation(sel)
	case len(sel.ValuesLists) > 0:
		q, err = l.values(sel)
	default:
		q, err = l.plainSelect(sel)
	}
	if err != nil {
		return nil, err
	}
	q.with = append(with, q.with...)
	q.recursive = q.recursive || recursive
	return q, nil
}

// withClause analyzes WITH queries into l.
func (l *level) withClause(w *pg.WithClause) ([]string, error) {
	var out []string
	for _, n := range w.Ctes {
		c := n.GetCommonTableExpr()
		if c == nil {
			continue
		}
		if l.lookupCTEHere(c.Ctename) {
			return nil, l.a.errAt(c.Location, "42712", "WITH query name %q specified more than once", c.Ctename)
		}
		if c.SearchClause != nil || c.CycleClause != nil {
			return nil, l.a.unsupportedAt(c.Location, "WITH … SEARCH and CYCLE clauses are not supported")
		}
		sel := c.Ctequery.GetSelectStmt()
		if sel == nil {
			return nil, l.a.errAt(c.Location, "25006", "cannot execute %s in a read-only transaction", strings.ToUpper(strings.TrimSuffix(nodeKind(c.Ctequery), "_stmt")))
		}
		var aliases []string
		for _, a := range c.Aliascolnames {
			aliases = append(aliases, a.GetString_().GetSval())
		}
		def := &cteDef{name: c.Ctename, engine: l.a.alias("w"), loc: c.Location}
		var q *selectQuery
		var err error
		if w.Recursive && refersTo(c.Ctequery, c.Ctename) {
			q, err = l.recursiveCTE(def, sel, aliases)
		} else {
			q, err = l.a.selectStmt(sel, l, false)
		}
		if err != nil {
			return nil, err
		}
		cols, err := cteColumns(l, q, aliases, c)
		if err != nil {
			return nil, err
		}
		def.cols = cols
		l.ctes = append(l.ctes, def)
		out = append(out, def.engine+" AS ("+q.render()+")")
	}
	return out, nil
}

func (l *level) lookupCTEHere(name string) bool {
	for _, c := range l.ctes {
		if c.name == name {
			return true
		}
	}
	return false
}

func cteColumns(l *level, q *selectQuery, aliases []string, c *pg.CommonTableExpr) ([]nsCol, error) {
	ts := q.visibleTargets()
	if len(aliases) > len(ts) {
		return nil, l.a.errAt(c.Location, "42P10", "WITH query %q has %d columns available but %d columns specified", c.Ctename, len(ts), len(aliases))
	}
	cols := make([]nsCol, len(ts))
	for i, t := range ts {
		name := t.name
		if i < len(aliases) {
			name = aliases[i]
		}
		cols[i] = nsCol{name: name, typ: t.e.typ, num: t.e.num, fields: t.e.fields, fieldNames: t.e.fieldNames, pad: padOf(t.e), dom: t.e.dom}
	}
	return cols, nil
}

// recursiveCTE analyzes WITH RECURSIVE name AS (base UNION [ALL] step).
func (l *level) recursiveCTE(def *cteDef, sel *pg.SelectStmt, aliases []string) (*selectQuery, error) {
	if sel.Op != pg.SetOperation_SETOP_UNION || sel.Larg == nil || sel.Rarg == nil {
		return nil, l.a.errAt(def.loc, "42P19", "recursive query %q does not have the form non-recursive-term UNION [ALL] recursive-term", def.name)
	}
	if len(sel.SortClause) > 0 || sel.LimitCount != nil || sel.LimitOffset != nil {
		return nil, l.a.unsupportedAt(def.loc, "ORDER BY/LIMIT in a recursive query is not implemented")
	}
	if refersTo(&pg.Node{Node: &pg.Node_SelectStmt{SelectStmt: sel.Larg}}, def.name) {
		return nil, l.a.errAt(def.loc, "42P19", "recursive reference to query %q must not appear within its non-recursive term", def.name)
	}
	hold := newLevel(l.a, l)
	base, err := l.a.selectStmt(sel.Larg, hold, true)
	if err != nil {
		return nil, err
	}
	// A numeric column without a typmod grows past any DECIMAL the base
	// term's values fit (a factorial): it recurses in the text form.
	for _, t := range base.visibleTargets() {
		if t.e.typ.OID == OIDNumeric && t.e.typ.Mod < 0 && t.e.num.fixed {
			if !sel.All {
				return nil, l.a.unsupportedAt(def.loc, "recursive UNION over numeric values of varying scale is not supported by Hotdata's cache engine").
					WithHint("Use UNION ALL, or cast the column to a numeric with a scale, e.g. x::numeric(20,4).")
			}
			ne := *t.e
			ne.sql, ne.num = decimalText(t.e.sql, t.e.num), numText
			t.e = &ne
		}
	}
	cols, err := cteColumns(l, base, aliases, &pg.CommonTableExpr{Ctename: def.name, Location: def.loc})
	if err != nil {
		return nil, err
	}
	// The base term's unknown outputs become text, as PostgreSQL does.
	def.cols = cols
	def.recursive = true
	hold.ctes = append(hold.ctes, def)
	step, err := l.a.selectStmt(sel.Rarg, hold, true)
	if err != nil {
		return nil, err
	}
	bt, st := base.outputTypes(), step.outputTypes()
	if len(bt) != len(st) {
		return nil, l.a.errAt(def.loc, "42601", "each UNION query must have the same number of columns")
	}
	for i := range bt {
		if bt[i].typ.OID != st[i].typ.OID && !st[i].unknown {
			return nil, l.a.errAt(def.loc, "42804", "recursive query %q column %d has type %s in non-recursive term but type %s overall",
				def.name, i+1, bt[i].typ.Name(), Type{st[i].typ.OID, -1}.Name())
		}
	}
	if err := l.coerceOutputs(step, bt); err != nil {
		return nil, err
	}
	if err := l.coerceOutputs(base, bt); err != nil { // same forms on both sides
		return nil, err
	}
	op := "UNION"
	if sel.All {
		op = "UNION ALL"
	}
	return &selectQuery{a: l.a, op: op, left: base, right: step, targets: base.targets}, nil
}

// refersTo reports whether a query mentions name as an unqualified
// relation (a recursive WITH reference).
func refersTo(n *pg.Node, name string) bool {
	found := false
	walkNodes(n, func(x *pg.Node) bool {
		if rv := x.GetRangeVar(); rv != nil && rv.Schemaname == "" && rv.Catalogname == "" && rv.Relname == name {
			found = true
		}
		return !found
	})
	return found
}

// setOperation analyzes UNION/INTERSECT/EXCEPT.
func (l *level) setOperation(sel *pg.SelectStmt) (*selectQuery, error) {
	left, err := l.a.setArm(sel.Larg, l)
	if err != nil {
		return nil, err
	}
	right, err := l.a.setArm(sel.Rarg, l)
	if err != nil {
		return nil, err
	}
	var op string
	switch sel.Op {
	case pg.SetOperation_SETOP_UNION:
		op = "UNION"
	case pg.SetOperation_SETOP_INTERSECT:
		op = "INTERSECT"
	case pg.SetOperation_SETOP_EXCEPT:
		op = "EXCEPT"
	}
	lt, rt := left.outputTypes(), right.outputTypes()
	if len(lt) != len(rt) {
		return nil, l.a.errAt(-1, "42601", "each %s query must have the same number of columns", op)
	}
	common := make([]*expr, len(lt))
	var dedupe []string // UNION by keys (analyze.go)
	for i := range lt {
		t, err := selectCommonType([]Type{lt[i].typ, rt[i].typ}, []bool{lt[i].unknown, rt[i].unknown}, op)
		if err != nil {
			return nil, err
		}
		for _, arm := range []*expr{lt[i], rt[i]} {
			if !arm.unknown && !canCoerce(arm.typ, t, false, ccImplicit) {
				return nil, l.a.errAt(-1, "42846", "%s could not convert type %s to %s", op, arm.typ.Name(), t.Name())
			}
		}
		t = commonTypmod(t, []Type{lt[i].typ, rt[i].typ}, []bool{lt[i].unknown, rt[i].unknown})
		ce := &expr{typ: t, dom: commonDomain([]*expr{lt[i], rt[i]})}
		ce.num = commonNumForm(t, lt[i], rt[i])
		if isChar(t) && charLen(t) == 0 {
			arms := []*expr{lt[i], rt[i]}
			for k, a := range arms {
				if a.unknown && !a.null {
					arms[k] = &expr{typ: Type{t.OID, -1}} // a literal: no padding
				}
			}
			if err := l.resultPad(ce, arms, op, -1); err != nil {
				return nil, err
			}
		}
		keyed := equalByKey(t, ce.num)
		if keyed && !sel.All && op == "UNION" {
			// Compare by key, not text: group a UNION ALL by keys.
			if dedupe == nil {
				dedupe = make([]string, len(lt))
			}
			dedupe[i] = sortKey(&expr{typ: t, num: ce.num, sql: "c" + strconv.Itoa(i+1)})
		} else if t.OID == OIDNumeric && !ce.num.fixed && !sel.All {
			// Text-form numerics compare by value, not text: UNION ALL
			// compares nothing, the others would compare the text.
			return nil, l.a.unsupportedAt(-1, "%s over numeric values of varying scale is not supported", op)
		}
		if t.OID == OIDInterval && !sel.All {
			// '1 day' and '24 hours' are equal but print differently:
			// which one a duplicate-removing set operation keeps is not
			// the engine's choice to make the same as PostgreSQL's.
			return nil, l.a.unsupportedAt(-1, "%s over interval values is not supported (equal intervals such as '1 day' and '24 hours' print differently)", op).
				WithHint("Use %s ALL, or compare a text or numeric form of the interval.", op)
		}
		if sel.All && keyed || dedupe != nil && dedupe[i] != "" {
			// UNION ALL compares nothing; a keyed UNION compares keys.
		} else if err := l.checkComparable(t, ce.num, op, -1); err != nil {
			return nil, err
		}
		common[i] = ce
	}
	if err := l.coerceOutputs(left, common); err != nil {
		return nil, err
	}
	if err := l.coerceOutputs(right, common); err != nil {
		return nil, err
	}
	if sel.All {
		op += " ALL"
	}
	q := &selectQuery{a: l.a, op: op, left: left, right: right, dedupe: dedupe}
	for i, t := range left.visibleTargets() {
		q.targets = append(q.targets, &target{e: &expr{sql: "c" + strconv.Itoa(i+1), typ: common[i].typ, num: common[i].num, pad: common[i].pad, dom: common[i].dom}, name: t.name})
	}
	if err := l.setOpTail(q, sel); err != nil {
		return nil, err
	}
	return q, nil
}

// setArm analyzes one side of a set operation.
func (a *analyzer) setArm(sel *pg.SelectStmt, l *level) (*selectQuery, error) {
	return a.selectStmt(sel, l, true)
}

// commonNumForm is the engine form of a numeric column that takes the
// values of several expressions.
func commonNumForm(t Type, es ...*expr) numForm {
	if t.OID != OIDNumeric {
		return numForm{}
	}
	if t.Mod >= 0 {
		if f := numFormOf(t); f.fixed {
			return f
		}
	}
	p, s := 0, -1
	for _, e := range es {
		if e.unknown || e.null {
			continue
		}
		var f numForm
		switch e.typ.OID {
		case OIDNumeric:
			f = e.num
		case OIDInt2:
			f = fixedNum(5, 0)
		case OIDInt4:
			f = fixedNum(10, 0)
		case OIDInt8:
			f = fixedNum(19, 0)
		}
		if !f.fixed {
			return numText
		}
		if s >= 0 && f.s != s {
			return numText // different scales: each value keeps its own
		}
		s = f.s
		p = max(p, f.p)
	}
	if s < 0 {
		return numText
	}
	return fixedNum(min(p, maxDecimal), s)
}

// coerceOutputs coerces a query's visible outputs to the given types,
// wrapping set operations and VALUES in a select over them.
func (l *level) coerceOutputs(q *selectQuery, to []*expr) error {
	ts := q.visibleTargets()
	need := false
	for i, t := range ts {
		if t.e.typ != to[i].typ || t.e.unknown || t.e.typ.OID == OIDNumeric && t.e.num != to[i].num {
			need = true
		}
	}
	if !need {
		return nil
	}
	if q.op == "" && q.values == nil {
		for i, t := range ts {
			ce, err := l.coerceTo(t.e, to[i].typ, to[i].num, ccImplicit, q.opName())
			if err != nil {
				return err
			}
			t.e = ce
		}
		return nil
	}
	if q.values != nil {
		for _, row := range q.values {
			for i := range row {
				ce, err := l.coerceTo(row[i], to[i].typ, to[i].num, ccImplicit, "VALUES")
				if err != nil {
					return err
				}
				row[i] = ce
			}
		}
		for i, t := range ts {
			t.e = &expr{sql: t.e.sql, typ: to[i].typ, num: to[i].num}
		}
		return nil
	}
	// A set operation: select over it, casting its columns.
	inner := *q
	alias := l.a.alias("s")
	outer := &selectQuery{a: l.a, from: []string{"(" + inner.render() + ") AS " + alias}}
	for i, t := range ts {
		col := &expr{sql: alias + ".c" + strconv.Itoa(i+1), typ: t.e.typ, num: t.e.num}
		ce, err := l.coerceTo(col, to[i].typ, to[i].num, ccImplicit, "UNION")
		if err != nil {
			return err
		}
		outer.targets = append(outer.targets, &target{e: ce, name: t.name})
	}
	*q = *outer
	return nil
}

func (q *selectQuery) opName() string {
	return "UNION"
}

// setOpTail handles ORDER BY/LIMIT/OFFSET of a set operation, which may
// only name its output columns.
func (l *level) setOpTail(q *selectQuery, sel *pg.SelectStmt) error {
	// An enum sorts by an expression of its column, which the engine
	// takes only outside the set operation.
	wrapped := ""
	for _, t := range q.targets {
		if len(sel.SortClause) > 0 && enumLike(t.e.typ) != nil && wrapped == "" {
			inner := *q
			wrapped = l.a.alias("r")
			outer := &selectQuery{a: l.a, from: []string{"(" + inner.render() + ") AS " + wrapped}}
			for i, t := range inner.targets {
				e := *t.e
				e.sql = wrapped + ".c" + strconv.Itoa(i+1)
				outer.targets = append(outer.targets, &target{e: &e, name: t.name, junk: t.junk})
			}
			*q = *outer
		}
	}
	for _, n := range sel.SortClause {
		sb := n.GetSortBy()
		idx := -1
		if c := sb.Node.GetAConst(); c != nil {
			if iv, ok := c.Val.(*pg.A_Const_Ival); ok {
				idx = int(iv.Ival.Ival) - 1
				if idx < 0 || idx >= len(q.targets) {
					return l.a.errAt(c.Location, "42P10", "ORDER BY position %d is not in select list", iv.Ival.Ival)
				}
			}
		}
		if cr := sb.Node.GetColumnRef(); cr != nil && len(cr.Fields) == 1 {
			if s := cr.Fields[0].GetString_(); s != nil {
				for i, t := range q.targets {
					if t.name == s.Sval {
						idx = i
						break
					}
				}
				if idx < 0 {
					return l.a.errAt(cr.Location, "42703", "column %q does not exist", s.Sval)
				}
			}
		}
		if idx < 0 {
			return l.a.at(errf("0A000", "invalid UNION/INTERSECT/EXCEPT ORDER BY clause").
				WithDetail("Only result column names can be used, not expressions or functions.").
				WithHint("Add the expression/function to every SELECT, or move the UNION into a FROM clause."), nodeLocation(sb.Node))
		}
		key := strconv.Itoa(idx + 1)
		if wrapped != "" {
			key = wrapped + ".c" + key
		}
		item, err := l.sortItem(q.targets[idx].e, sb, key)
		if err != nil {
			return err
		}
		q.orderBy = append(q.orderBy, item)
	}
	return l.limitClause(q, sel)
}

// values analyzes VALUES (…), (…): each column takes the common type of
// its values; columns are named column1, column2, ….
func (l *level) values(sel *pg.SelectStmt) (*selectQuery, error) {
	var rows [][]*expr
	width := -1
	for _, n := range sel.ValuesLists {
		list := n.GetList()
		if list == nil {
			return nil, internal("VALUES row is not a list")
		}
		if width >= 0 && len(list.Items) != width {
			return nil, l.a.errAt(nodeLocation(list.Items[0]), "42601", "VALUES lists must all be the same length")
		}
		width = len(list.Items)
		var row []*expr
		for _, item := range list.Items {
			e, err := l.expr(item)
			if err != nil {
				return nil, err
			}
			if e.agg {
				return nil, l.a.errAt(nodeLocation(item), "42803", "aggregate functions are not allowed in VALUES")
			}
			if e.win {
				return nil, l.a.errAt(nodeLocation(item), "42P20", "window functions are not allowed in VALUES")
			}
			row = append(row, e)
		}
		rows = append(rows, row)
	}
	q := &selectQuery{a: l.a, values: rows}
	for j := 0; j < width; j++ {
		col := make([]*expr, len(rows))
		for i := range rows {
			col[i] = rows[i][j]
		}
		ct, cn, err := l.commonType(col, "VALUES")
		if err != nil {
			return nil, err
		}
		for i := range rows {
			ce, err := l.coerceTo(rows[i][j], ct, cn, ccImplicit, "VALUES")
			if err != nil {
				return nil, err
			}
			rows[i][j] = ce
		}
		q.targets = append(q.targets, &target{e: &expr{sql: "v.c" + strconv.Itoa(j+1), typ: ct, num: cn}, name: "column" + strconv.Itoa(j+1)})
	}
	// ORDER BY/LIMIT apply to the VALUES result by position or name.
	if len(sel.SortClause) > 0 || sel.LimitCount != nil || sel.LimitOffset != nil {
		inner := *q
		alias := l.a.alias("v")
		outer := &selectQuery{a: l.a, from: []string{"(" + inner.render() + ") AS " + alias}}
		for i, t := range inner.targets {
			outer.targets = append(outer.targets, &target{e: &expr{sql: alias + ".c" + strconv.Itoa(i+1), typ: t.e.typ, num: t.e.num}, name: t.name})
		}
		if err := l.setOpTail(outer, sel); err != nil {
			return nil, err
		}
		return outer, nil
	}
	return q, nil
}
