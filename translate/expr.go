package translate

import (
	"math"
	"regexp"
	"strconv"
	"strings"

	pg "github.com/pganalyze/pg_query_go/v6"

	"github.com/hotdata-dev/hotdata/internal/pgerr"
	"github.com/hotdata-dev/hotdata/pgval"
)

// expr analyzes one expression (transformExpr).
func (l *level) expr(n *pg.Node) (*expr, error) {
	e, err := l.exprInner(n)
	if err != nil {
		return nil, err
	}
	if e.loc == 0 && n != nil {
		e.loc = nodeLocation(n)
	}
	l.noteGrouped(e)
	return e, nil
}

// noteGrouped marks an expression that equals a GROUP BY key as grouped.
func (l *level) noteGrouped(e *expr) {
	if l.aggDepth > 0 || e.sql == "" || l.clause == "GROUP BY" || !l.groupKeys[e.sql] {
		return
	}
	e.ungrouped = nil
	if k, ok := l.groupWrap[e.sql]; ok {
		if l.groupingSets {
			e.sql = "CASE WHEN GROUPING(" + k + ") = 1 THEN NULL ELSE any_value(" + e.sql + ") END"
		} else {
			e.sql = "any_value(" + e.sql + ")"
		}
	}
}

func (l *level) exprInner(n *pg.Node) (*expr, error) {
	if n == nil {
		return nil, internal("nil expression")
	}
	switch v := n.Node.(type) {
	case *pg.Node_AConst:
		return l.constant(v.AConst)
	case *pg.Node_ColumnRef:
		return l.columnRef(v.ColumnRef)
	case *pg.Node_ParamRef:
		return l.paramRef(v.ParamRef)
	case *pg.Node_AExpr:
		return l.aExpr(v.AExpr)
	case *pg.Node_BoolExpr:
		return l.boolExpr(v.BoolExpr)
	case *pg.Node_NullTest:
		return l.nullTest(v.NullTest)
	case *pg.Node_BooleanTest:
		return l.booleanTest(v.BooleanTest)
	case *pg.Node_TypeCast:
		return l.typeCast(v.TypeCast)
	case *pg.Node_FuncCall:
		return l.funcCall(v.FuncCall)
	case *pg.Node_CaseExpr:
		return l.caseExpr(v.CaseExpr)
	case *pg.Node_CoalesceExpr:
		return l.coalesceExpr(v.CoalesceExpr)
	case *pg.Node_MinMaxExpr:
		return l.minMaxExpr(v.MinMaxExpr)
	case *pg.Node_SubLink:
		return l.subLink(v.SubLink)
	case *pg.Node_AArrayExpr:
		return l.arrayExpr(v.AArrayExpr, Type{})
	case *pg.Node_AIndirection:
		return l.indirection(v.AIndirection)
	case *pg.Node_RowExpr:
		return l.rowExpr(v.RowExpr)
	case *pg.Node_SqlvalueFunction:
		return l.sqlValueFunction(v.SqlvalueFunction)
	case *pg.Node_CollateClause:
		return l.collate(v.CollateClause)
	case *pg.Node_GroupingFunc:
		return l.groupingFunc(v.GroupingFunc)
	case *pg.Node_SetToDefault:
		return nil, l.a.errAt(v.SetToDefault.Location, "42601", "DEFAULT is not allowed in this context")
	}
	return nil, l.a.unsupportedAt(nodeLocation(n), "this kind of expression (%s) is not supported", strings.ReplaceAll(nodeKind(n), "_", " "))
}

// constant types a literal as PostgreSQL does: integers that fit are
// int4 (else int8, else numeric), other numbers numeric, strings unknown.
func (l *level) constant(c *pg.A_Const) (*expr, error) {
	e := &expr{constant: true, loc: c.Location}
	if c.Isnull {
		e.null, e.unknown, e.typ, e.sql = true, true, TUnknown, "NULL"
		return e, nil
	}
	if err := l.checkNumberToken(c); err != nil {
		return nil, err
	}
	switch v := c.Val.(type) {
	case *pg.A_Const_Ival:
		e.typ, e.sql = TInt4, intLiteral(int64(v.Ival.Ival))
	case *pg.A_Const_Fval:
		return l.numericLiteral(v.Fval.Fval, c.Location)
	case *pg.A_Const_Sval:
		s := v.Sval.Sval
		e.unknown, e.lit, e.typ = true, &s, TUnknown
	case *pg.A_Const_Boolval:
		e.typ, e.sql = TBool, "false"
		if v.Boolval.Boolval {
			e.sql = "true"
		}
	case *pg.A_Const_Bsval:
		// make_const: bit_in of the string ("b1010", "x1F"), type bit.
		bits, err := pgval.ParseBit(v.Bsval.Bsval, -1, false)
		if err != nil {
			if pe := pgerr.As(err); pe != nil {
				return nil, l.a.at(pe, c.Location)
			}
			return nil, err
		}
		e.typ, e.sql = Type{OIDBit, -1}, sqlString(bits)
	default:
		return nil, internal("constant %T", c.Val)
	}
	return e, nil
}

// numericLiteral types a number that is not a small integer: int8 when
// it is an integer that fits, else numeric.
func (l *level) numericLiteral(text string, loc int32) (*expr, error) {
	t := strings.ReplaceAll(text, "_", "")
	if isAllDigits(strings.TrimPrefix(t, "-")) {
		if v, err := strconv.ParseInt(t, 10, 64); err == nil {
			e := &expr{typ: TInt8, sql: "CAST(" + strconv.FormatInt(v, 10) + " AS BIGINT)", constant: true, loc: loc}
			if v >= -1<<31 && v < 1<<31 {
				e.typ, e.sql = TInt4, intLiteral(v)
			}
			return e, nil
		}
	}
	if strings.HasPrefix(t, "0x") || strings.HasPrefix(t, "0o") || strings.HasPrefix(t, "0b") ||
		strings.HasPrefix(t, "-0x") || strings.HasPrefix(t, "-0o") || strings.HasPrefix(t, "-0b") {
		return nil, l.a.unsupportedAt(loc, "non-decimal integer literals are not supported")
	}
	n, err := parseNumeric(t)
	if err != nil {
		return nil, l.a.at(asPgErr(err), loc)
	}
	return numericConst(n, loc), nil
}

// intLiteral is an integer constant as the engine reads it as an
// INTEGER: it reads -2147483648 as -(2147483648), a BIGINT.
func intLiteral(v int64) string {
	switch {
	case v == math.MinInt32:
		return "CAST(-2147483648 AS INTEGER)"
	case v < 0:
		return "(" + strconv.FormatInt(v, 10) + ")"
	}
	return strconv.FormatInt(v, 10)
}

func isAllDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// columnRef resolves a column reference (transformColumnRef).
func (l *level) columnRef(cr *pg.ColumnRef) (*expr, error) {
	if isStar(cr) {
		return nil, l.a.unsupportedAt(cr.Location, "* is not supported in this position")
	}
	parts := strs(cr.Fields)
	if len(parts) != len(cr.Fields) {
		return nil, l.a.unsupportedAt(cr.Location, "this column reference is not supported")
	}
	switch len(parts) {
	case 1:
		e, err := l.findColumn(parts[0], cr.Location)
		if err != nil || e != nil {
			return e, err
		}
		// A whole-row reference to a FROM item.
		if it, lv, err := l.findItem(parts, cr.Location); err != nil {
			return nil, err
		} else if it != nil {
			return l.wholeRow(it, lv, cr.Location)
		}
		return nil, l.undefinedColumn(parts[0], "", cr.Location)
	default:
		quals, col := parts[:len(parts)-1], parts[len(parts)-1]
		if len(quals) > 3 {
			return nil, l.a.errAt(cr.Location, "42601", "improper qualified name (too many dotted names): %s", strings.Join(parts, "."))
		}
		it, lv, err := l.findItem(quals, cr.Location)
		if err != nil {
			return nil, err
		}
		if it == nil {
			if len(quals) == 1 {
				// (composite).field of a record column is not supported.
				if e, _ := l.findColumn(quals[0], cr.Location); e != nil {
					return nil, l.a.unsupportedAt(cr.Location, "field selection from a composite value is not supported")
				}
			}
			return nil, l.missingFROM(quals, cr.Location)
		}
		idx, n := it.column(col)
		if n > 1 {
			return nil, l.a.errAt(cr.Location, "42702", "column reference %q is ambiguous", strings.Join(parts, "."))
		}
		if idx < 0 {
			return nil, l.undefinedColumn(col, it.name, cr.Location)
		}
		return lv.columnExpr(l, it, idx, cr.Location)
	}
}

// wholeRow is a reference to a FROM item as a whole (a record).
func (l *level) wholeRow(it *nsItem, lv *level, loc int32) (*expr, error) {
	if lv != l {
		return nil, l.a.unsupportedAt(loc, "whole-row references to an outer query are not supported")
	}
	var parts []string
	e := &expr{typ: TRecord, loc: loc}
	for i, c := range it.cols {
		if c.hidden {
			continue
		}
		ce, err := l.columnExpr(l, it, i, loc)
		if err != nil {
			return nil, err
		}
		e.merge(ce)
		parts = append(parts, ce.sql)
		e.fields = append(e.fields, c.typ)
		e.fieldNames = append(e.fieldNames, c.name)
	}
	e.constant = false
	e.sql = "row(" + strings.Join(parts, ", ") + ")"
	return e, nil
}

// undefinedColumn is 42703 with PostgreSQL's hint naming a column of a
// similar name, when there is one.
func (l *level) undefinedColumn(name, table string, loc int32) error {
	var err *pgerr.Error
	if table != "" {
		err = l.a.errAt(loc, "42703", "column %s.%s does not exist", table, name)
	} else {
		err = l.a.errAt(loc, "42703", "column %q does not exist", name)
	}
	// PostgreSQL's fuzzy match (errorMissingColumn): at most 3 edits and
	// no more than half the name's length; two equally close columns are
	// both named, three or more give no hint.
	var first, second string
	dist := 4
	for lv := l; lv != nil; lv = lv.parent {
		for _, it := range lv.items {
			if table != "" && it.name != table {
				continue
			}
			for _, c := range it.cols {
				d := levenshtein(c.name, name)
				if d > len(name)/2 || d == 0 {
					continue
				}
				switch {
				case d < dist:
					dist, first, second = d, it.name+"."+c.name, ""
				case d == dist && first != "" && second == "":
					second = it.name + "." + c.name
				case d == dist && second != "":
					dist, first, second = d-1, "", ""
				}
			}
		}
	}
	switch {
	case first != "" && second != "":
		err = err.WithHint("Perhaps you meant to reference the column %q or the column %q.", first, second)
	case first != "":
		err = err.WithHint("Perhaps you meant to reference the column %q.", first)
	}
	return err
}

func levenshtein(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// paramRef is $n: typed when the client or an earlier use decided it.
func (l *level) paramRef(p *pg.ParamRef) (*expr, error) {
	n := int(p.Number)
	if n < 1 || n > 65535 {
		return nil, l.a.errAt(p.Location, "42P02", "there is no parameter $%d", n)
	}
	for len(l.a.params) < n {
		l.a.params = append(l.a.params, Type{})
	}
	e := &expr{param: n, loc: p.Location}
	if n <= len(l.a.env.Literals) && l.a.env.Literals[n-1].Kind != LitNone {
		return l.literalParam(n, l.a.env.Literals[n-1], p.Location), nil
	}
	if t := l.a.params[n-1]; t.OID != 0 {
		return l.typedParam(n, t, p.Location)
	}
	e.unknown, e.typ = true, TUnknown
	return e, nil
}

// typedParam is the SQL of parameter n of type t.
func (l *level) typedParam(n int, t Type, loc int32) (*expr, error) {
	if t.OID == OIDUnknown {
		t = TText
	}
	if isRegType(t.OID) && l.a.env.RegCast != nil {
		// Bound as text (a name or an OID), looked up when it runs.
		sql, err := l.a.env.RegCast(t, "", false, "CAST($"+strconv.Itoa(n)+" AS VARCHAR)", TText)
		if err != nil {
			return nil, l.a.at(pgerr.As(err), loc)
		}
		l.a.catalog = true
		return &expr{sql: sql, typ: t, loc: loc}, nil
	}
	if info := enumLike(t); info != nil {
		// Bound as the label's text, read as the enum's input does.
		return &expr{sql: enumInputSQL(info, "CAST($"+strconv.Itoa(n)+" AS VARCHAR)"), typ: t, loc: loc}, nil
	}
	nf := numFormOf(t)
	sql, err := castSQL("$"+strconv.Itoa(n), t, nf)
	if err != nil {
		return nil, l.a.at(pgerr.As(err), loc)
	}
	return &expr{sql: sql, typ: t, num: nf, loc: loc}, nil
}

func (l *level) boolExpr(b *pg.BoolExpr) (*expr, error) {
	var op, what string
	switch b.Boolop {
	case pg.BoolExprType_AND_EXPR:
		op, what = " AND ", "AND"
	case pg.BoolExprType_OR_EXPR:
		op, what = " OR ", "OR"
	case pg.BoolExprType_NOT_EXPR:
		e, err := l.expr(b.Args[0])
		if err != nil {
			return nil, err
		}
		be, err := l.coerceBool(e, "NOT")
		if err != nil {
			return nil, err
		}
		return (&expr{sql: "(NOT " + be.sql + ")", typ: TBool, loc: b.Location}).merge(be), nil
	}
	out := &expr{typ: TBool, loc: b.Location}
	var parts []string
	var subs []*expr
	for _, a := range b.Args {
		e, err := l.expr(a)
		if err != nil {
			return nil, err
		}
		be, err := l.coerceBool(e, what)
		if err != nil {
			return nil, err
		}
		parts = append(parts, be.sql)
		subs = append(subs, be)
	}
	out.sql = "(" + strings.Join(parts, op) + ")"
	return out.merge(subs...), nil
}

func (l *level) nullTest(t *pg.NullTest) (*expr, error) {
	e, err := l.expr(t.Arg)
	if err != nil {
		return nil, err
	}
	not := t.Nulltesttype == pg.NullTestType_IS_NOT_NULL
	if e.unknown && !e.null && e.param == 0 {
		e, err = l.coerceTo(e, TText, numForm{}, ccImplicit, "")
		if err != nil {
			return nil, err
		}
	}
	if e.param > 0 && e.unknown {
		// PostgreSQL types an otherwise untyped parameter as text here.
		e, err = l.coerceTo(e, TText, numForm{}, ccImplicit, "")
		if err != nil {
			return nil, err
		}
	}
	if e.typ.OID == OIDRecord && len(e.fields) > 0 && strings.HasPrefix(e.sql, "row(") {
		// ROW(a, b) IS NULL: every field is NULL; IS NOT NULL: none is.
		parts := splitRowSQL(e)
		var conds []string
		for _, p := range parts {
			if not {
				conds = append(conds, "("+p+" IS NOT NULL)")
			} else {
				conds = append(conds, "("+p+" IS NULL)")
			}
		}
		return (&expr{sql: "(" + strings.Join(conds, " AND ") + ")", typ: TBool}).merge(e), nil
	}
	sql := "(" + e.sql + " IS NULL)"
	if not {
		sql = "(" + e.sql + " IS NOT NULL)"
	}
	return (&expr{sql: sql, typ: TBool}).merge(e), nil
}

// rowParts are the field SQL of a ROW(…) expression, kept while building.
func splitRowSQL(e *expr) []string { return e.rowParts }

func (l *level) booleanTest(t *pg.BooleanTest) (*expr, error) {
	e, err := l.expr(t.Arg)
	if err != nil {
		return nil, err
	}
	var what string
	switch t.Booltesttype {
	case pg.BoolTestType_IS_TRUE:
		what = "IS TRUE"
	case pg.BoolTestType_IS_NOT_TRUE:
		what = "IS NOT TRUE"
	case pg.BoolTestType_IS_FALSE:
		what = "IS FALSE"
	case pg.BoolTestType_IS_NOT_FALSE:
		what = "IS NOT FALSE"
	case pg.BoolTestType_IS_UNKNOWN:
		what = "IS UNKNOWN"
	case pg.BoolTestType_IS_NOT_UNKNOWN:
		what = "IS NOT UNKNOWN"
	}
	be, err := l.coerceBool(e, what)
	if err != nil {
		return nil, err
	}
	var sql string
	switch t.Booltesttype {
	case pg.BoolTestType_IS_TRUE:
		sql = "COALESCE(" + be.sql + ", false)"
	case pg.BoolTestType_IS_NOT_TRUE:
		sql = "(NOT COALESCE(" + be.sql + ", false))"
	case pg.BoolTestType_IS_FALSE:
		sql = "(NOT COALESCE(" + be.sql + ", true))"
	case pg.BoolTestType_IS_NOT_FALSE:
		sql = "COALESCE(" + be.sql + ", true)"
	case pg.BoolTestType_IS_UNKNOWN:
		sql = "(" + be.sql + " IS NULL)"
	case pg.BoolTestType_IS_NOT_UNKNOWN:
		sql = "(" + be.sql + " IS NOT NULL)"
	}
	return (&expr{sql: sql, typ: TBool}).merge(be), nil
}

// typeName resolves a TypeName (typenameTypeIdAndMod).
func (l *level) typeName(tn *pg.TypeName) (Type, error) {
	parts := strs(tn.Names)
	if len(parts) == 0 {
		return Type{}, internal("empty type name")
	}
	if tn.Setof {
		return Type{}, l.a.errAt(tn.Location, "42601", "SETOF type not allowed here")
	}
	if tn.PctType {
		return Type{}, l.a.unsupportedAt(tn.Location, "%%TYPE references are not supported")
	}
	name := parts[len(parts)-1]
	qualified := len(parts) == 2 && parts[0] != "pg_catalog" || len(parts) > 2
	oid, ok := typeByTypname[name]
	if ut, found := l.a.env.UserTypes[strings.Join(parts, ".")]; found && (qualified || !ok) {
		if ut.OID == OpaqueOID || len(tn.Typmods) > 0 {
			return Type{}, l.a.unsupportedAt(tn.Location, "the upstream type %s is served as text by Hotdata; casts to it are not supported", strings.Join(parts, ".")).
				WithHint("Compare as text instead (col::text = 'value'), or SET hotdata.freshness = live.")
		}
		if len(tn.ArrayBounds) > 0 {
			a := ArrayOf(ut)
			if a.OID == 0 {
				return Type{}, l.a.errAt(tn.Location, "42704", "could not find array type for data type %s", ut.Name())
			}
			return a, nil
		}
		return ut, nil
	}
	if !ok || qualified {
		if l.a.isRelationName(parts, tn.Location) {
			// A table's row type exists upstream; records of it are not here.
			return Type{}, l.a.unsupportedAt(tn.Location, "the row type of table %s is not supported by Hotdata's cache engine", strings.Join(parts, "."))
		}
		written := strings.Join(parts, ".")
		if len(tn.ArrayBounds) > 0 {
			written += "[]" // TypeNameToString
		}
		return Type{}, l.a.errAt(tn.Location, "42704", "type %q does not exist", written)
	}
	t := Type{oid, -1}
	if len(tn.Typmods) > 0 {
		var mods []int32
		for _, m := range tn.Typmods {
			c := m.GetAConst()
			if c == nil {
				return Type{}, l.a.errAt(tn.Location, "42601", "type modifiers must be simple constants or identifiers")
			}
			iv, ok := c.Val.(*pg.A_Const_Ival)
			if !ok {
				return Type{}, l.a.errAt(tn.Location, "42601", "type modifiers must be simple constants or identifiers")
			}
			mods = append(mods, iv.Ival.Ival)
		}
		if oid == OIDInterval {
			mod, err := intervalTypmod(mods)
			if err != nil {
				return Type{}, l.a.at(pgerr.As(err), tn.Location)
			}
			t.Mod = mod
		} else {
			mod, err := typmodFor(oid, mods)
			if err != nil {
				return Type{}, l.a.at(pgerr.As(err), tn.Location)
			}
			t.Mod = mod
		}
	} else if tn.Typemod >= 0 && tn.Typemod != -1 {
		t.Mod = tn.Typemod
	}
	if oid == OIDBPChar && t.Mod < 0 && (name == "bpchar") == false && len(tn.Typmods) == 0 {
		// char and character mean char(1).
		t.Mod = 1 + 4
	}
	if len(tn.ArrayBounds) > 0 {
		a := ArrayOf(t)
		if a.OID == 0 {
			return Type{}, l.a.errAt(tn.Location, "42704", "could not find array type for data type %s", t.Name())
		}
		t = a
	}
	return t, nil
}

// intervalTypmod is interval's typmod from its fields mask and precision
// (the parser passes the mask first).
func intervalTypmod(mods []int32) (int32, error) {
	fields := mods[0]
	prec := int32(0xffff)
	if len(mods) > 1 {
		prec = mods[1]
		if prec < 0 {
			return 0, errf("22023", "INTERVAL(%d) precision must not be negative", prec)
		}
		prec = min(prec, 6)
	}
	return (fields&0x7fff)<<16 | prec, nil
}

func (l *level) typeCast(tc *pg.TypeCast) (*expr, error) {
	t, err := l.typeName(tc.TypeName)
	if err != nil {
		return nil, err
	}
	if arr := tc.Arg.GetAArrayExpr(); arr != nil && t.IsArray() {
		e, err := l.arrayExpr(arr, t)
		if err != nil {
			return nil, err
		}
		return l.coerceTo(e, t, numFormOf(t), ccExplicit, "")
	}
	e, err := l.expr(tc.Arg)
	if err != nil {
		return nil, err
	}
	if isRegType(t.OID) {
		return l.regCast(e, t, tc.Location)
	}
	if u, array := UserTypeOf(t); u != nil && u.Kind == 'd' {
		return l.domainCast(e, t, u, array, tc.Location)
	}
	nf := numFormOf(t)
	if t.OID == OIDNumeric && t.Mod < 0 {
		nf = numAny
	}
	ce, err := l.coerceTo(e, t, nf, ccExplicit, "")
	if err != nil {
		return nil, l.a.at(pgerr.As(err), tc.Location)
	}
	ce.loc = tc.Location
	return ce, nil
}

func isRegType(oid uint32) bool {
	switch oid {
	case OIDRegclass, OIDRegtype, OIDRegproc, OIDRegprocedure, OIDRegnamespace, OIDRegrole, OIDRegoper, OIDRegoperator, OIDRegconfig, OIDRegcollation:
		return true
	}
	return false
}

func (l *level) caseExpr(c *pg.CaseExpr) (*expr, error) {
	var arg *expr
	if c.Arg != nil {
		var err error
		if arg, err = l.expr(c.Arg); err != nil {
			return nil, err
		}
		if arg.volatile {
			return nil, l.a.unsupportedAt(c.Location, "CASE with a volatile test expression is not supported")
		}
	}
	var conds []*expr
	var results []*expr
	for _, w := range c.Args {
		cw := w.GetCaseWhen()
		var cond *expr
		var err error
		if arg != nil {
			val, err := l.expr(cw.Expr)
			if err != nil {
				return nil, err
			}
			cond, err = l.binaryOp("=", arg, val, cw.Location)
			if err != nil {
				return nil, err
			}
		} else {
			if cond, err = l.expr(cw.Expr); err != nil {
				return nil, err
			}
		}
		if cond, err = l.coerceBool(cond, "CASE/WHEN"); err != nil {
			return nil, err
		}
		res, err := l.expr(cw.Result)
		if err != nil {
			return nil, err
		}
		if res.srf {
			return nil, l.a.errAt(nodeLocation(cw.Result), "0A000", "set-returning functions are not allowed in CASE").
				WithHint("You might be able to move the set-returning function into a LATERAL FROM item.")
		}
		conds = append(conds, cond)
		results = append(results, res)
	}
	var def *expr
	if c.Defresult != nil {
		var err error
		if def, err = l.expr(c.Defresult); err != nil {
			return nil, err
		}
		results = append(results, def)
	}
	ct, cn, err := l.commonType(results, "CASE")
	if err != nil {
		return nil, l.a.at(pgerr.As(err), c.Location)
	}
	if def == nil {
		ct.Mod = -1 // the implicit ELSE NULL has no typmod
	}
	var b strings.Builder
	b.WriteString("CASE")
	out := &expr{typ: ct, num: cn, loc: c.Location}
	subs := append([]*expr{arg}, conds...)
	for i, cond := range conds {
		r, err := l.coerceTo(results[i], ct, cn, ccImplicit, "CASE")
		if err != nil {
			return nil, err
		}
		subs = append(subs, r)
		b.WriteString(" WHEN " + cond.sql + " THEN " + r.sql)
	}
	if def != nil {
		r, err := l.coerceTo(def, ct, cn, ccImplicit, "CASE")
		if err != nil {
			return nil, err
		}
		subs = append(subs, r)
		b.WriteString(" ELSE " + r.sql)
	}
	b.WriteString(" END")
	out.sql = b.String()
	out.merge(subs...)
	if def != nil {
		out.dom = commonDomain(results)
	}
	out.fields = commonFields(results)
	if err := l.resultPad(out, subs[1+len(conds):], "CASE", c.Location); err != nil {
		return nil, err
	}
	return out, nil
}

func commonFields(es []*expr) []Type {
	for _, e := range es {
		if len(e.fields) > 0 {
			return e.fields
		}
	}
	return nil
}

// commonType is select_common_type with typmod and numeric form, over
// analyzed expressions.
func (l *level) commonType(es []*expr, what string) (Type, numForm, error) {
	types := make([]Type, len(es))
	unknowns := make([]bool, len(es))
	for i, e := range es {
		types[i], unknowns[i] = e.typ, e.unknown
	}
	t, err := selectCommonType(types, unknowns, what)
	if err != nil {
		return Type{}, numForm{}, err
	}
	for i, e := range es {
		if !e.unknown && !canCoerce(e.typ, t, false, ccImplicit) {
			return Type{}, numForm{}, l.a.errAt(e.loc, "42846", "%s could not convert type %s to %s", what, types[i].Name(), t.Name())
		}
	}
	t = commonTypmod(t, types, unknowns)
	return t, commonNumForm(t, es...), nil
}

// numberLiteral is the engine form of a numeric constant.
var numberLiteral = regexp.MustCompile(`^-?[0-9]+(\.[0-9]*)?$|^CAST\('?-?[0-9]+(\.[0-9]*)?'? AS [A-Z0-9(), ]+\)$`)

func (l *level) coalesceExpr(c *pg.CoalesceExpr) (*expr, error) {
	var args []*expr
	for _, a := range c.Args {
		e, err := l.expr(a)
		if err != nil {
			return nil, err
		}
		if e.srf {
			return nil, l.a.errAt(nodeLocation(a), "0A000", "set-returning functions are not allowed in COALESCE")
		}
		args = append(args, e)
	}
	ct, cn, err := l.commonType(args, "COALESCE")
	if err != nil {
		return nil, l.a.at(pgerr.As(err), c.Location)
	}
	var parts []string
	var coerced []*expr
	out := &expr{typ: ct, num: cn, loc: c.Location}
	for _, a := range args {
		ce, err := l.coerceTo(a, ct, cn, ccImplicit, "COALESCE")
		if err != nil {
			return nil, err
		}
		out.merge(ce)
		parts = append(parts, ce.sql)
		coerced = append(coerced, ce)
		if !a.null && (a.lit != nil || a.placeholder || a.constant && numberLiteral.MatchString(a.sql)) {
			// PostgreSQL drops the arguments after a non-null constant
			// when it plans the statement: they never run (a subquery
			// there cannot fail).
			break
		}
	}
	out.constant = false
	out.sql = "COALESCE(" + strings.Join(parts, ", ") + ")"
	out.dom = commonDomain(args)
	if err := l.resultPad(out, coerced, "COALESCE", c.Location); err != nil {
		return nil, err
	}
	return out, nil
}

func (l *level) minMaxExpr(m *pg.MinMaxExpr) (*expr, error) {
	name := "greatest"
	if m.Op == pg.MinMaxOp_IS_LEAST {
		name = "least"
	}
	var args []*expr
	for _, a := range m.Args {
		e, err := l.expr(a)
		if err != nil {
			return nil, err
		}
		args = append(args, e)
	}
	ct, cn, err := l.commonType(args, strings.ToUpper(name))
	if err != nil {
		return nil, l.a.at(pgerr.As(err), m.Location)
	}
	if err := l.checkOrderableType(ct, cn, m.Location); err != nil {
		return nil, err
	}
	out := &expr{typ: ct, num: cn, loc: m.Location}
	var parts []string
	var coerced []*expr
	for _, a := range args {
		ce, err := l.coerceTo(a, ct, cn, ccImplicit, strings.ToUpper(name))
		if err != nil {
			return nil, err
		}
		out.merge(ce)
		parts = append(parts, ce.sql)
		coerced = append(coerced, ce)
	}
	if err := l.resultPad(out, coerced, strings.ToUpper(name), m.Location); err != nil {
		return nil, err
	}
	if ct.OID == OIDNumeric && !cn.fixed {
		out.sql = "hd_num_" + name + "([" + strings.Join(parts, ", ") + "])"
		return out, nil
	}
	out.dom = commonDomain(args)
	if info := enumLike(ct); info != nil {
		// By the labels' positions in the enum's sort order.
		pos := make([]string, len(parts))
		for i, p := range parts {
			pos[i] = enumPosition(info, p)
		}
		out.sql = "list_extract(" + enumLabelList(info) + ", " + name + "(" + strings.Join(pos, ", ") + "))"
		return out, nil
	}
	// The engine's greatest/least skip NULLs, as PostgreSQL's do.
	out.sql = name + "(" + strings.Join(parts, ", ") + ")"
	return out, nil
}

func (l *level) collate(c *pg.CollateClause) (*expr, error) {
	e, err := l.expr(c.Arg)
	if err != nil {
		return nil, err
	}
	parts := strs(c.Collname)
	if len(parts) == 2 && parts[0] == "pg_catalog" {
		parts = parts[1:]
	}
	name := strings.Join(parts, ".")
	switch name {
	case "default", "C", "POSIX", "ucs_basic", "C.utf8", "C.UTF-8":
	default:
		return nil, l.a.unsupportedAt(c.Location, "collation %q is not supported: the cache engine compares text by code point (the \"C\" collation)", name)
	}
	if e.unknown {
		if e, err = l.coerceTo(e, TText, numForm{}, ccImplicit, ""); err != nil {
			return nil, err
		}
	}
	switch e.typ.Category() {
	case 'S':
	default:
		return nil, l.a.errAt(c.Location, "42804", "collations are not supported by type %s", e.typ.Name())
	}
	e.collated = true
	return e, nil
}

func (l *level) groupingFunc(g *pg.GroupingFunc) (*expr, error) {
	if l.clause != "SELECT" && l.clause != "HAVING" && l.clause != "ORDER BY" && l.clause != "window definition" {
		return nil, l.a.errAt(g.Location, "42803", "grouping operations are not allowed in %s", l.clause)
	}
	var parts []string
	saved := l.aggDepth
	for _, a := range g.Args {
		e, err := l.expr(a)
		if err != nil {
			return nil, err
		}
		if !l.groupKeys[e.sql] {
			return nil, l.a.errAt(nodeLocation(a), "42803", "arguments to GROUPING must be grouping expressions of the associated query level")
		}
		parts = append(parts, e.sql)
	}
	l.aggDepth = saved
	if len(parts) > 31 {
		return nil, l.a.errAt(g.Location, "54011", "GROUPING must have fewer than 32 arguments")
	}
	return &expr{sql: "CAST(GROUPING(" + strings.Join(parts, ", ") + ") AS INTEGER)", typ: TInt4, loc: g.Location}, nil
}

// rowExpr is ROW(a, b, …) or (a, b, …): a record.
func (l *level) rowExpr(r *pg.RowExpr) (*expr, error) {
	out := &expr{typ: TRecord, loc: r.Location}
	var parts []string
	for _, a := range r.Args {
		e, err := l.expr(a)
		if err != nil {
			return nil, err
		}
		if e.unknown {
			out.unknownField = true
			if e, err = l.coerceTo(e, TText, numForm{}, ccImplicit, ""); err != nil {
				return nil, err
			}
		}
		out.merge(e)
		parts = append(parts, e.sql)
		out.fields = append(out.fields, e.typ)
		out.rowElems = append(out.rowElems, e)
	}
	out.rowParts = parts
	if len(parts) == 0 {
		return nil, l.a.unsupportedAt(r.Location, "empty ROW() is not supported")
	}
	out.sql = "row(" + strings.Join(parts, ", ") + ")"
	return out, nil
}

// sqlValueFunction is CURRENT_DATE, CURRENT_USER and friends.
func (l *level) sqlValueFunction(f *pg.SQLValueFunction) (*expr, error) {
	e := &expr{loc: f.Location}
	tz := Marker("timezone")
	now := SessionMarker("now")
	switch f.Op {
	case pg.SQLValueFunctionOp_SVFOP_CURRENT_DATE:
		e.typ, e.sql = TDate, "CAST(timezone("+tz+", CAST("+now+" AS TIMESTAMPTZ)) AS DATE)"
	case pg.SQLValueFunctionOp_SVFOP_CURRENT_TIMESTAMP, pg.SQLValueFunctionOp_SVFOP_CURRENT_TIMESTAMP_N:
		e.typ, e.sql = TTimestamptz, "CAST("+now+" AS TIMESTAMPTZ)"
		if f.Op == pg.SQLValueFunctionOp_SVFOP_CURRENT_TIMESTAMP_N {
			e.typ.Mod = f.Typmod
			e.sql = "hd_round_tstz(" + e.sql + ", " + strconv.Itoa(int(f.Typmod)) + ")"
		}
	case pg.SQLValueFunctionOp_SVFOP_LOCALTIMESTAMP, pg.SQLValueFunctionOp_SVFOP_LOCALTIMESTAMP_N:
		e.typ, e.sql = TTimestamp, "timezone("+tz+", CAST("+now+" AS TIMESTAMPTZ))"
		if f.Op == pg.SQLValueFunctionOp_SVFOP_LOCALTIMESTAMP_N {
			e.typ.Mod = f.Typmod
			e.sql = "hd_round_ts(" + e.sql + ", " + strconv.Itoa(int(f.Typmod)) + ")"
		}
	case pg.SQLValueFunctionOp_SVFOP_LOCALTIME, pg.SQLValueFunctionOp_SVFOP_LOCALTIME_N:
		e.typ, e.sql = TTime, "CAST(timezone("+tz+", CAST("+now+" AS TIMESTAMPTZ)) AS TIME)"
	case pg.SQLValueFunctionOp_SVFOP_CURRENT_TIME, pg.SQLValueFunctionOp_SVFOP_CURRENT_TIME_N:
		e.typ, e.sql = TTimetz, "hd_tstz_timetz(CAST("+now+" AS TIMESTAMPTZ), "+tz+")"
		if f.Op == pg.SQLValueFunctionOp_SVFOP_CURRENT_TIME_N {
			e.typ.Mod = f.Typmod
			e.sql = "hd_timetz_typmod(" + e.sql + ", " + strconv.Itoa(int(f.Typmod)) + ")"
		}
	case pg.SQLValueFunctionOp_SVFOP_CURRENT_ROLE, pg.SQLValueFunctionOp_SVFOP_CURRENT_USER,
		pg.SQLValueFunctionOp_SVFOP_USER, pg.SQLValueFunctionOp_SVFOP_SESSION_USER:
		e.typ, e.sql = TName, SessionMarker("user")
		e.constant = true
		return e, nil
	case pg.SQLValueFunctionOp_SVFOP_CURRENT_CATALOG:
		e.typ, e.sql = TName, SessionMarker("database")
		e.constant = true
		return e, nil
	case pg.SQLValueFunctionOp_SVFOP_CURRENT_SCHEMA:
		e.typ, e.sql = TName, SessionMarker("schema")
		return e, nil
	default:
		return nil, l.a.unsupportedAt(f.Location, "%s is not supported", sqlValueFunctionName(f.Op))
	}
	e.volatile = true
	l.a.volatile = true
	return e, nil
}

// SessionMarker is the text of a session value (user, database, schema)
// in Result.SQL: "'\x02hd:<key>\x02'".
func SessionMarker(key string) string { return "'\x02hd:" + key + "\x02'" }

// literalParam is a parameter standing for a constant of the statement
// (see Env.Literals): typed as the constant would be; its SQL is $n,
// which the caller replaces with the constant's text.
func (l *level) literalParam(n int, k LiteralKind, loc int32) *expr {
	ref := "$" + strconv.Itoa(n)
	e := &expr{sql: ref, constant: true, loc: loc, placeholder: true}
	switch k.Kind {
	case LitInteger:
		e.typ = TInt4
	case LitBigint:
		e.typ, e.sql = TInt8, "CAST("+ref+" AS BIGINT)"
	case LitNumeric:
		if k.P > maxDecimal || k.S > maxDecimal {
			l.a.uncacheable = true
		}
		e.typ, e.num = TNumeric, fixedNum(max(k.P, k.S, 1), k.S)
		e.sql = "CAST(" + ref + " AS DECIMAL(" + strconv.Itoa(e.num.p) + "," + strconv.Itoa(e.num.s) + "))"
	case LitString:
		e.typ, e.unknown, e.sql = TUnknown, true, ref
		empty := ""
		e.lit = &empty
	}
	return e
}

// checkNumberToken refuses the numeric literal forms PostgreSQL 16 added
// (1_000, 0x1F, 0o17, 0b101), which the parser reads but PostgreSQL 15
// rejects: "trailing junk after numeric literal".
func (l *level) checkNumberToken(c *pg.A_Const) error {
	switch c.Val.(type) {
	case *pg.A_Const_Ival, *pg.A_Const_Fval:
	default:
		return nil
	}
	sql := l.a.sql
	i := int(c.Location)
	if i < 0 || i >= len(sql) {
		return nil
	}
	if sql[i] == '-' { // a folded negation
		i++
	}
	j := i
	for j < len(sql) && (sql[j] >= '0' && sql[j] <= '9' || sql[j] >= 'a' && sql[j] <= 'z' || sql[j] >= 'A' && sql[j] <= 'Z' || sql[j] == '_' || sql[j] == '.') {
		j++
	}
	tok := sql[i:j]
	bad := strings.Contains(tok, "_")
	if len(tok) > 1 && tok[0] == '0' && strings.ContainsRune("xXoObB", rune(tok[1])) {
		bad = true
	}
	if !bad {
		return nil
	}
	return l.a.errAt(c.Location, "42601", "trailing junk after numeric literal at or near %q", tok)
}

// isRelationName reports whether a type name names a table (whose row
// type PostgreSQL knows by that name).
func (a *analyzer) isRelationName(parts []string, loc int32) bool {
	if a.env == nil || a.env.Table == nil || len(parts) > 3 {
		return false
	}
	var catalog, schema string
	switch len(parts) {
	case 2:
		schema = parts[0]
	case 3:
		catalog, schema = parts[0], parts[1]
	}
	t, err := a.env.Table(catalog, schema, parts[len(parts)-1], int(loc))
	return err == nil && t != nil
}
