package translate

import (
	"strconv"
	"strings"

	pg "github.com/pganalyze/pg_query_go/v6"

	"github.com/hotdata-dev/hotdata/internal/pgerr"
)

// subLink analyzes EXISTS, scalar, ARRAY, IN/ANY/ALL subqueries.
func (l *level) subLink(s *pg.SubLink) (*expr, error) {
	sel := s.Subselect.GetSelectStmt()
	if sel == nil {
		return nil, l.a.unsupportedAt(s.Location, "this subquery is not supported")
	}
	saved := l.aggDepth
	q, err := l.a.selectStmt(sel, l, false)
	l.aggDepth = saved
	if err != nil {
		return nil, err
	}
	ts := q.visibleTargets()
	out := &expr{sublink: true, loc: s.Location}
	switch s.SubLinkType {
	case pg.SubLinkType_EXISTS_SUBLINK:
		out.typ = TBool
		out.sql = "EXISTS (" + q.render() + ")"
		return out, nil
	case pg.SubLinkType_EXPR_SUBLINK, pg.SubLinkType_ARRAY_SUBLINK:
		if len(ts) != 1 {
			return nil, l.a.errAt(s.Location, "42601", "subquery must return only one column")
		}
		col := ts[0].e
		if col.unknown {
			ce, err := l.coerceTo(col, TText, numForm{}, ccImplicit, "")
			if err != nil {
				return nil, err
			}
			ts[0].e = ce
			col = ce
		}
		if s.SubLinkType == pg.SubLinkType_ARRAY_SUBLINK {
			if col.typ.IsArray() {
				return nil, l.a.unsupportedAt(s.Location, "ARRAY() of arrays (multidimensional arrays) is not supported")
			}
			at := ArrayOf(col.typ)
			if at.OID == 0 {
				return nil, l.a.errAt(s.Location, "42704", "could not find array type for data type %s", col.typ.Name())
			}
			out.typ, out.num = Type{at.OID, -1}, col.num
			out.sql = "ARRAY(" + q.render() + ")"
			return out, nil
		}
		out.typ, out.num, out.fields = col.typ, col.num, col.fields
		out.sql = "(" + q.render() + ")"
		return out, nil
	case pg.SubLinkType_ANY_SUBLINK, pg.SubLinkType_ALL_SUBLINK:
		op := "="
		if len(s.OperName) > 0 {
			var err error
			if op, err = l.opName(s.OperName, s.Location); err != nil {
				return nil, err
			}
		}
		if row := s.Testexpr.GetRowExpr(); row != nil {
			return l.rowQuantified(out, op, s.SubLinkType == pg.SubLinkType_ALL_SUBLINK, row, q, s.Location)
		}
		left, err := l.expr(s.Testexpr)
		if err != nil {
			return nil, err
		}
		if len(ts) != 1 {
			return nil, l.a.errAt(s.Location, "42601", "subquery has too many columns")
		}
		col := &expr{sql: "hd_sub", typ: ts[0].e.typ, num: ts[0].e.num, unknown: ts[0].e.unknown, lit: ts[0].e.lit}
		cmp, err := l.binaryOp(op, left, col, s.Location)
		if err != nil {
			return nil, err
		}
		if cmp.typ.OID != OIDBool {
			return nil, l.a.errAt(s.Location, "42804", "op ANY/ALL (array) requires operator to yield boolean")
		}
		// The comparison must be the engine's own operator on the two
		// sides, for the engine to run it as x op ANY (subquery).
		lhs, rhs, ok := splitComparison(cmp.sql, op)
		if !ok || !strings.Contains(rhs, "hd_sub") {
			return nil, l.a.unsupportedAt(s.Location, "this %s subquery comparison is not supported by Hotdata's cache engine", op)
		}
		if rhs != "hd_sub" {
			// The subquery side is converted: convert its output.
			conv := strings.Replace(rhs, "hd_sub", "hd_s.c1", 1)
			alias := l.a.alias("s")
			inner := q.render()
			rendered := "SELECT " + conv + " AS c1 FROM (" + inner + ") AS " + alias
			rendered = strings.ReplaceAll(rendered, "hd_s.", alias+".")
			return l.quantified(out, lhs, op, s.SubLinkType == pg.SubLinkType_ALL_SUBLINK, rendered, left)
		}
		return l.quantified(out, lhs, op, s.SubLinkType == pg.SubLinkType_ALL_SUBLINK, q.render(), left)
	}
	return nil, l.a.unsupportedAt(s.Location, "this kind of subquery is not supported")
}

func (l *level) quantified(out *expr, lhs, op string, all bool, sub string, left *expr) (*expr, error) {
	out.typ = TBool
	out.merge(left)
	out.sublink = true
	out.constant = false
	switch {
	case op == "=" && !all:
		out.sql = "(" + lhs + " IN (" + sub + "))"
	case op == "<>" && all:
		out.sql = "(" + lhs + " NOT IN (" + sub + "))"
	default:
		q := "ANY"
		if all {
			q = "ALL"
		}
		out.sql = "(" + lhs + " " + op + " " + q + " (" + sub + "))"
	}
	return out, nil
}

// splitComparison splits "(a op b)" as the comparison operators render.
func splitComparison(sql, op string) (string, string, bool) {
	if !strings.HasPrefix(sql, "(") || !strings.HasSuffix(sql, ")") {
		return "", "", false
	}
	body := sql[1 : len(sql)-1]
	sep := " " + op + " "
	i := strings.LastIndex(body, sep)
	if i < 0 {
		return "", "", false
	}
	lhs, rhs := body[:i], body[i+len(sep):]
	if strings.Count(lhs, "(") != strings.Count(lhs, ")") || strings.Count(rhs, "(") != strings.Count(rhs, ")") {
		return "", "", false
	}
	return lhs, rhs, true
}

// arrayExpr is ARRAY[…]; target, when set, is the array type a cast
// gives it (ARRAY[]::int[]).
func (l *level) arrayExpr(a *pg.A_ArrayExpr, target Type) (*expr, error) {
	var elems []*expr
	for _, n := range a.Elements {
		if n.GetAArrayExpr() != nil {
			return nil, l.a.unsupportedAt(a.Location, "multidimensional arrays are not supported")
		}
		e, err := l.expr(n)
		if err != nil {
			return nil, err
		}
		if e.typ.IsArray() {
			return nil, l.a.unsupportedAt(a.Location, "multidimensional arrays are not supported")
		}
		elems = append(elems, e)
	}
	var et Type
	var nf numForm
	if target.OID != 0 {
		et = target.Elem()
		nf = numFormOf(et)
		if et.OID == OIDNumeric && !nf.fixed {
			nf = numText
		}
	} else {
		if len(elems) == 0 {
			return nil, l.a.errAt(a.Location, "42P18", "cannot determine type of empty array").
				WithHint("Explicitly cast to the desired type, for example ARRAY[]::integer[].")
		}
		var err error
		et, nf, err = l.commonType(elems, "ARRAY")
		if err != nil {
			return nil, l.a.at(pgerr.As(err), a.Location)
		}
	}
	at := ArrayOf(Type{et.OID, -1})
	if at.OID == 0 {
		return nil, l.a.errAt(a.Location, "42704", "could not find array type for data type %s", et.Name())
	}
	out := &expr{typ: Type{at.OID, et.Mod}, num: nf, loc: a.Location}
	if et.Mod < 0 {
		out.typ.Mod = -1
	}
	// Under a cast each element takes the cast itself (transformArrayExpr's
	// coerce_hard): ARRAY[1.7]::int[] rounds, ::varchar(3)[] truncates.
	cc := ccImplicit
	if target.OID != 0 {
		cc = ccExplicit
	}
	var parts []string
	for _, e := range elems {
		ce, err := l.coerceTo(e, et, nf, cc, "ARRAY")
		if err != nil {
			return nil, err
		}
		out.merge(ce)
		parts = append(parts, ce.sql)
	}
	if len(elems) == 0 {
		out.constant = true
	}
	engine, err := engineType(out.typ, nf)
	if err != nil {
		return nil, l.a.at(pgerr.As(err), a.Location)
	}
	out.sql = "CAST([" + strings.Join(parts, ", ") + "] AS " + engine + ")"
	return out, nil
}

// indirection is x[i], x[i:j] (arrays).
func (l *level) indirection(ind *pg.A_Indirection) (*expr, error) {
	e, err := l.expr(ind.Arg)
	if err != nil {
		return nil, err
	}
	nsub := 0
	for _, n := range ind.Indirection {
		if n.GetAIndices() != nil {
			nsub++
		}
	}
	if nsub > 6 {
		return nil, l.a.errAt(-1, "54000", "number of array dimensions (%d) exceeds the maximum allowed (6)", nsub)
	}
	for k := 0; k < len(ind.Indirection); k++ {
		n := ind.Indirection[k]
		idx := n.GetAIndices()
		if idx != nil && e.typ.IsArray() && !isVector(e.typ.OID) && k+1 < len(ind.Indirection) && ind.Indirection[k+1].GetAIndices() != nil {
			// Several subscripts at once address as many dimensions; the
			// cache's arrays have one: NULL, or {} for a slice (as
			// PostgreSQL answers for a one-dimensional array).
			slice := false
			var subs []*expr
			for ; k < len(ind.Indirection) && ind.Indirection[k].GetAIndices() != nil; k++ {
				ix := ind.Indirection[k].GetAIndices()
				slice = slice || ix.IsSlice
				for _, b := range []*pg.Node{ix.Lidx, ix.Uidx} {
					if b == nil {
						continue
					}
					x, err := l.expr(b)
					if err != nil {
						return nil, err
					}
					if _, err := l.coerceTo(x, TInt4, numForm{}, ccAssignment, ""); err != nil {
						return nil, l.a.errAt(nodeLocation(b), "42804", "array subscript must have type integer")
					}
					subs = append(subs, x)
				}
			}
			k--
			out := &expr{typ: Type{e.typ.Elem().OID, -1}, num: e.num}
			out.sql = nullOf(out.typ, out.num)
			if slice {
				out.typ = Type{e.typ.OID, -1}
				out.sql = "CASE WHEN " + e.sql + " IS NULL THEN NULL ELSE " + "CAST([] AS " + mustEngineType(out.typ, e.num) + ") END"
			}
			e = out.merge(append(subs, e)...)
			continue
		}
		if idx == nil {
			if s := n.GetString_(); s != nil && len(e.fieldNames) > 0 {
				found := -1
				for i, f := range e.fieldNames {
					if f == s.Sval {
						found = i
					}
				}
				if found < 0 {
					return nil, l.a.errAt(ind.Arg.GetColumnRef().GetLocation(), "42703", "column %q not found in data type record", s.Sval)
				}
				pos := strconv.Itoa(found + 1)
				out := &expr{sql: "struct_extract_at(" + e.sql + ", " + pos + ")", typ: e.fields[found], srf: e.srf}
				if inner, ok := strings.CutPrefix(e.sql, "unnest("); ok && e.srf && strings.HasSuffix(inner, ")") {
					// (srf(x)).f: the field of each row the function returns.
					out.sql = "unnest(list_transform(" + inner[:len(inner)-1] + ", lambda hd_r: struct_extract_at(hd_r, " + pos + ")))"
				}
				e = out.merge(e)
				continue
			}
			return nil, l.a.unsupportedAt(nodeLocation(ind.Arg), "field selection and * on composite values are not supported")
		}
		if e.unknown {
			return nil, l.a.errAt(nodeLocation(ind.Arg), "42804", "cannot subscript type unknown because it is not an array")
		}
		if e.typ.OID == OIDName && !idx.IsSlice && idx.Uidx != nil {
			// name is a fixed array of 64 chars from 0: typname[0].
			i, err := l.expr(idx.Uidx)
			if err != nil {
				return nil, err
			}
			if i, err = l.coerceTo(i, TInt4, numForm{}, ccAssignment, ""); err != nil {
				return nil, l.a.errAt(nodeLocation(idx.Uidx), "42804", "array subscript must have type integer")
			}
			e = (&expr{typ: Type{OIDChar, -1}, sql: "CASE WHEN " + i.sql + " BETWEEN 0 AND 63 THEN substr(" + e.sql + ", " + i.sql + " + 1, 1) END"}).merge(e, i)
			continue
		}
		if !e.typ.IsArray() {
			if e.typ.OID == OIDJSONB {
				out, err := l.jsonbSubscript(e, idx)
				if err != nil {
					return nil, err
				}
				e = out
				continue
			}
			if e.typ.OID == OpaqueOID {
				return nil, l.a.unsupportedAt(nodeLocation(ind.Arg), "subscripting a value the cache holds as its text output (an array of numeric without a precision, of an upstream type, …) is not supported")
			}
			return nil, l.a.errAt(nodeLocation(ind.Arg), "42804", "cannot subscript type %s because it does not support subscripting", e.typ.Name())
		}
		sub := func(n *pg.Node) (*expr, error) {
			if n == nil {
				return nil, nil
			}
			x, err := l.expr(n)
			if err != nil {
				return nil, err
			}
			ce, err := l.coerceTo(x, TInt4, numForm{}, ccAssignment, "")
			if err != nil {
				return nil, l.a.errAt(nodeLocation(n), "42804", "array subscript must have type integer")
			}
			return ce, nil
		}
		lo, err := sub(idx.Lidx)
		if err != nil {
			return nil, err
		}
		hi, err := sub(idx.Uidx)
		if err != nil {
			return nil, err
		}
		out := &expr{loc: e.loc}
		out.merge(e, lo, hi)
		if isVector(e.typ.OID) {
			// int2vector and oidvector subscripts start at 0.
			if lo != nil {
				lo = &expr{sql: "(" + lo.sql + " + 1)", typ: TInt4}
			}
			if hi != nil {
				hi = &expr{sql: "(" + hi.sql + " + 1)", typ: TInt4}
			}
		}
		if !idx.IsSlice {
			et := e.typ.Elem()
			out.typ = Type{et.OID, -1}
			out.num = e.num
			out.sql = "hd_array_get(" + e.sql + ", " + hi.sql + ")"
		} else {
			out.typ, out.num = Type{e.typ.OID, -1}, e.num
			los, his := "1", "len("+e.sql+")"
			if lo != nil {
				los = lo.sql
			}
			if hi != nil {
				his = hi.sql
			}
			out.sql = "hd_array_slice(" + e.sql + ", " + los + ", " + his + ")"
		}
		e = out
	}
	return e, nil
}

// checkComparable refuses equality-based grouping of types the engine
// cannot compare as PostgreSQL does.
func (l *level) checkComparable(t Type, nf numForm, what string, loc int32) error {
	base := t
	if t.IsArray() {
		base = t.Elem()
	}
	if isComposite(base) {
		return l.a.unsupportedAt(loc, "%s over values of the upstream's composite type %s is not supported by Hotdata's cache engine", what, t.Name())
	}
	switch base.OID {
	case OIDJSON:
		return l.a.errAt(loc, "42883", "could not identify an equality operator for type %s", t.Name())
	case OIDNumeric:
		if !nf.fixed && what != "GROUP BY" && what != "PARTITION BY" && what != "DISTINCT ON" {
			return l.a.unsupportedAt(loc, "%s over numeric values of varying scale is not supported by Hotdata's cache engine", what).
				WithHint("Cast the value to a numeric with a scale, e.g. x::numeric(20,4), or SET hotdata.freshness = live.")
		}
		if !nf.fixed && t.IsArray() {
			return l.a.unsupportedAt(loc, "%s over arrays of numeric is not supported by Hotdata's cache engine", what)
		}
	case OIDRecord, OIDXML:
		return l.a.unsupportedAt(loc, "%s over values of type %s is not supported by Hotdata's cache engine", what, t.Name())
	case OIDJSONB:
		// jsonb equality is by value ('1.0' = '1'): GROUP BY, PARTITION BY
		// and DISTINCT ON compare sortKey; the engine's own DISTINCT and
		// set operations would compare the text.
		if t.IsArray() || what != "GROUP BY" && what != "PARTITION BY" && what != "DISTINCT ON" {
			return l.a.unsupportedAt(loc, "%s over values of type %s is not supported by Hotdata's cache engine", what, t.Name()).
				WithHint("Use GROUP BY instead, or SET hotdata.freshness = live.")
		}
	}
	return nil
}

// checkOrderable refuses ordering by types the engine would order
// otherwise than PostgreSQL.
func (l *level) checkOrderable(e *expr, loc int32) error {
	return l.checkOrderableType(e.typ, e.num, loc)
}

func (l *level) checkOrderableType(t Type, nf numForm, loc int32) error {
	base := t
	if t.IsArray() {
		base = t.Elem()
	}
	if isComposite(base) {
		return l.a.unsupportedAt(loc, "ordering values of the upstream's composite type %s is not supported by Hotdata's cache engine", t.Name())
	}
	if enumLike(base) != nil && t.IsArray() {
		return l.a.unsupportedAt(loc, "ordering arrays of an enum is not supported by Hotdata's cache engine")
	}
	switch base.OID {
	case OIDJSON:
		return l.a.errAt(loc, "42883", "could not identify an ordering operator for type %s", t.Name()).
			WithHint("Use an explicit ordering operator or modify the query.")
	case OIDJSONB, OIDRecord, OpaqueOID, OIDXML:
		if t.OID == OIDJSONB {
			return nil // ordered by sortKey
		}
		return l.a.unsupportedAt(loc, "ordering values of type %s is not supported by Hotdata's cache engine", t.Name())
	case OIDNumeric:
		if t.IsArray() && !nf.fixed {
			return l.a.unsupportedAt(loc, "ordering arrays of numeric is not supported by Hotdata's cache engine")
		}
	}
	return nil
}

// sortKey is the engine expression to order and group by when the
// value itself does not order as PostgreSQL's does ("" when it does).
// equalByKey reports whether values of t (in numeric form nf) can be
// equal without being written the same (1.0 = 1.00, '{"a": 1.0}' =
// '{"a": 1}'): DISTINCT, UNION and count(DISTINCT …) compare them by
// sortKey, not by their text.
func equalByKey(t Type, nf numForm) bool {
	return t.OID == OIDNumeric && !nf.fixed || t.OID == OIDJSONB
}

func sortKey(e *expr) string {
	if e.typ.OID == OIDNumeric && !e.num.fixed {
		return "hd_num_key(" + e.sql + ")"
	}
	if e.typ.OID == OIDJSONB {
		return "hd_jsonb_key(" + e.sql + ")" // jsonb's btree order and equality
	}
	return netSortKey(e)
}

// orderKey is the engine expression to order by when the value itself
// does not order as PostgreSQL's does ("" when it does): sortKey's, or
// an enum's position in its sort order (equal labels are equal values,
// so grouping needs no key).
func orderKey(e *expr) string {
	if info := enumLike(e.typ); info != nil {
		return enumPosition(info, e.sql)
	}
	return sortKey(e)
}

// finishSRF checks set-returning functions of the select list.
func (l *level) finishSRF(q *selectQuery) error {
	q.srfOK = true
	return nil
}

// mustEngineType is engineType for a type known to have one.
func mustEngineType(t Type, n numForm) string {
	s, err := engineType(t, n)
	if err != nil {
		return "VARCHAR"
	}
	return s
}
