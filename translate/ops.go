package translate

import (
	"strconv"
	"strings"

	pg "github.com/pganalyze/pg_query_go/v6"

	"github.com/hotdata-dev/hotdata/internal/pgerr"
	"github.com/hotdata-dev/hotdata/pgregex"
)

func (l *level) aExpr(a *pg.A_Expr) (*expr, error) {
	switch a.Kind {
	case pg.A_Expr_Kind_AEXPR_OP:
		return l.opExpr(a)
	case pg.A_Expr_Kind_AEXPR_OP_ANY, pg.A_Expr_Kind_AEXPR_OP_ALL:
		return l.anyAllExpr(a)
	case pg.A_Expr_Kind_AEXPR_DISTINCT, pg.A_Expr_Kind_AEXPR_NOT_DISTINCT:
		return l.distinctExpr(a)
	case pg.A_Expr_Kind_AEXPR_NULLIF:
		return l.nullifExpr(a)
	case pg.A_Expr_Kind_AEXPR_IN:
		return l.inExpr(a)
	case pg.A_Expr_Kind_AEXPR_LIKE, pg.A_Expr_Kind_AEXPR_ILIKE:
		return l.likeExpr(a)
	case pg.A_Expr_Kind_AEXPR_SIMILAR:
		return l.similarExpr(a)
	case pg.A_Expr_Kind_AEXPR_BETWEEN, pg.A_Expr_Kind_AEXPR_NOT_BETWEEN,
		pg.A_Expr_Kind_AEXPR_BETWEEN_SYM, pg.A_Expr_Kind_AEXPR_NOT_BETWEEN_SYM:
		return l.betweenExpr(a)
	}
	return nil, l.a.unsupportedAt(a.Location, "this operator form is not supported")
}

// opName returns an operator's name, checking a qualifier.
func (l *level) opName(names []*pg.Node, loc int32) (string, error) {
	parts := strs(names)
	if len(parts) == 2 && parts[0] == "pg_catalog" {
		return parts[1], nil
	}
	if len(parts) != 1 {
		return "", l.a.errAt(loc, "42883", "operator does not exist: %s", strings.Join(parts, "."))
	}
	return parts[0], nil
}

func (l *level) opExpr(a *pg.A_Expr) (*expr, error) {
	name, err := l.opName(a.Name, a.Location)
	if err != nil {
		return nil, err
	}
	if a.Lexpr == nil {
		right, err := l.expr(a.Rexpr)
		if err != nil {
			return nil, err
		}
		return l.prefixOp(name, right, a.Location)
	}
	// Row comparisons: (a, b) < (c, d).
	if lr, sl := a.Lexpr.GetRowExpr(), a.Rexpr.GetSubLink(); lr != nil && sl != nil && sl.SubLinkType == pg.SubLinkType_EXPR_SUBLINK {
		return l.rowCompareSubquery(name, lr, sl, a.Location)
	}
	if lr, rr := a.Lexpr.GetRowExpr(), a.Rexpr.GetRowExpr(); lr != nil && rr != nil {
		return l.rowCompare(name, lr, rr, a.Location)
	}
	left, err := l.expr(a.Lexpr)
	if err != nil {
		return nil, err
	}
	right, err := l.expr(a.Rexpr)
	if err != nil {
		return nil, err
	}
	return l.binaryOp(name, left, right, a.Location)
}

// rowCompare expands a row comparison into column comparisons, with
// PostgreSQL's semantics (lexicographic, NULL when undecided).
func (l *level) rowCompare(op string, lr, rr *pg.RowExpr, loc int32) (*expr, error) {
	if len(lr.Args) != len(rr.Args) {
		return nil, l.a.errAt(loc, "42601", "unequal number of entries in row expressions")
	}
	var le, re []*expr
	for i := range lr.Args {
		a, err := l.expr(lr.Args[i])
		if err != nil {
			return nil, err
		}
		b, err := l.expr(rr.Args[i])
		if err != nil {
			return nil, err
		}
		le, re = append(le, a), append(re, b)
	}
	return l.rowCompareExprs(op, le, re, loc)
}

func joinSQL(es []*expr, sep string) string {
	parts := make([]string, len(es))
	for i, e := range es {
		parts[i] = e.sql
	}
	return strings.Join(parts, sep)
}

// binaryOp resolves and renders left op right (make_op).
func (l *level) binaryOp(name string, left, right *expr, loc int32) (*expr, error) {
	var cands []candidate
	for _, o := range opersByName[name] {
		if o.kind == 'b' {
			cands = append(cands, candidate{oper: o, args: []Type{{o.left, -1}, {o.right, -1}}})
		}
	}
	args := []argInfo{{left.typ, left.unknown}, {right.typ, right.unknown}}
	c, ambiguous := pickCandidate(args, cands, true)
	if c == nil {
		return nil, l.operatorError(name, []*expr{left, right}, ambiguous, loc)
	}
	l.lastOperLeft = Type{c.oper.left, -1}
	return l.applyOperator(c.oper, []*expr{left, right}, loc)
}

func (l *level) prefixOp(name string, right *expr, loc int32) (*expr, error) {
	var cands []candidate
	for _, o := range opersByName[name] {
		if o.kind == 'l' {
			cands = append(cands, candidate{oper: o, args: []Type{{o.right, -1}}})
		}
	}
	args := []argInfo{{right.typ, right.unknown}}
	c, ambiguous := pickCandidate(args, cands, true)
	if c == nil {
		return nil, l.operatorError(name, []*expr{nil, right}, ambiguous, loc)
	}
	return l.applyOperator(c.oper, []*expr{right}, loc)
}

func (l *level) operatorError(name string, args []*expr, ambiguous bool, loc int32) error {
	var sig string
	if args[0] == nil {
		sig = name + " " + typeForError(args[1])
	} else {
		sig = typeForError(args[0]) + " " + name + " " + typeForError(args[1])
	}
	for _, a := range args {
		if a != nil && isOpaque(a.typ) && !a.unknown {
			// An upstream type (an enum, a domain) served as its text: its
			// own operators (an enum's order, its labels' check) are not
			// known here.
			return l.a.unsupportedAt(loc, "operator %s on a column of an upstream type that Hotdata serves as text is not supported", name).
				WithHint("Compare its text instead (col::text = 'value'), or SET hotdata.freshness = live for the upstream's own operators.")
		}
	}
	if ambiguous {
		return l.a.errAt(loc, "42725", "operator is not unique: %s", sig).
			WithHint("Could not choose a best candidate operator. You might need to add explicit type casts.")
	}
	return l.a.errAt(loc, "42883", "operator does not exist: %s", sig).
		WithHint("No operator matches the given name and argument types. You might need to add explicit type casts.")
}

func typeForError(e *expr) string {
	if e.unknown {
		return "unknown"
	}
	return Type{e.typ.OID, -1}.Name()
}

// applyOperator coerces the operands to the operator's declared types and
// renders it through its function's implementation.
func (l *level) applyOperator(o *operRow, args []*expr, loc int32) (*expr, error) {
	decl := []Type{{o.left, -1}, {o.right, -1}}
	if o.kind == 'l' {
		decl = []Type{{o.right, -1}}
	}
	proc := procByOID[o.procOID]
	if proc == nil {
		return nil, l.a.unsupportedAt(loc, "operator %s is not supported", o.name)
	}
	ret := Type{o.result, -1}
	infos := make([]argInfo, len(args))
	for i, a := range args {
		infos[i] = argInfo{a.typ, a.unknown}
	}
	if hasPoly(decl) || ret.IsPolymorphic() {
		pr, err := resolvePolymorphic(infos, decl, ret)
		if err != nil {
			return nil, l.a.at(pgerr.As(err), loc)
		}
		decl, ret = pr.args, pr.ret
	}
	impl := impls[procKey(proc)]
	if impl == nil {
		return nil, l.a.unsupportedAt(loc, "operator %s (%s) is not supported by Hotdata's cache engine", o.name, operSignature(o))
	}
	return l.render(impl, proc.name, args, decl, ret, loc, false)
}

func operSignature(o *operRow) string {
	if o.kind == 'l' {
		return o.name + " " + Type{o.right, -1}.Name()
	}
	return Type{o.left, -1}.Name() + " " + o.name + " " + Type{o.right, -1}.Name()
}

func hasPoly(ts []Type) bool {
	for _, t := range ts {
		if t.IsPolymorphic() || t.OID == OIDAny {
			return true
		}
	}
	return false
}

// render coerces arguments to the declared types and renders a call.
func (l *level) render(impl *Impl, name string, args []*expr, decl []Type, ret Type, loc int32, variadic bool) (*expr, error) {
	c := &Call{Name: name, Types: decl, Result: ret, l: l, loc: loc, variadic: variadic, explicitVariadic: l.explicitVariadic}
	out := &expr{typ: ret, loc: loc}
	for i, a := range args {
		d := decl[i]
		var ce *expr
		var err error
		if d.OID == OIDAny {
			ce = a
			if a.unknown && !impl.KeepUnknown {
				ce, err = l.coerceTo(a, TText, numForm{}, ccImplicit, "")
			}
		} else {
			ce, err = l.coerceArg(a, d)
		}
		if err != nil {
			return nil, err
		}
		c.args = append(c.args, ce)
		c.Args = append(c.Args, ce.sql)
		out.merge(ce)
	}
	if ret.OID == OIDNumeric {
		c.num = numText
	}
	var sql string
	var err error
	switch {
	case impl.Build != nil:
		sql, err = impl.Build(c)
	default:
		sql = expand(impl.SQL, c.Args)
	}
	if err != nil {
		if pe := pgerr.As(err); pe != nil {
			return nil, l.a.at(pe, loc)
		}
		return nil, err
	}
	out.sql = sql
	out.typ = c.Result
	out.num = c.num
	if eng := fixedWidthEngine(out.typ.OID); eng != "" && c.srfList == "" && c.fromTable == "" && !strings.HasPrefix(sql, "CAST(") {
		// The engine's function may answer in another width (length()
		// is BIGINT there, int4 here): the result takes PostgreSQL's.
		out.sql = "CAST(" + sql + " AS " + eng + ")"
	}
	if err := l.resultPad(out, c.args, name+"()", loc); err != nil {
		return nil, err
	}
	out.srfList = c.srfList
	out.fromTable = c.fromTable
	out.fields, out.fieldNames = c.fields, c.fieldNames
	if impl.Volatile {
		out.volatile = true
		l.a.volatile = true
	}
	if len(args) == 0 {
		out.constant = !impl.Volatile
	}
	return out, nil
}

// coerceArg coerces a function argument to its declared type, keeping
// a numeric argument's engine form (the implementation chooses).
func (l *level) coerceArg(a *expr, d Type) (*expr, error) {
	if d.OID == OIDNumeric && a.typ.OID == OIDNumeric && !a.unknown {
		return a, nil
	}
	if d.OID == OIDNumeric {
		return l.coerceTo(a, d, naturalNumForm(a), ccImplicit, "")
	}
	if a.typ.OID == d.OID && !a.unknown {
		return a, nil // keep the typmod: functions ignore it
	}
	return l.coerceTo(a, d, numFormOf(d), ccImplicit, "")
}

// naturalNumForm is the numeric form a value takes when it becomes numeric.
func naturalNumForm(a *expr) numForm {
	switch a.typ.OID {
	case OIDInt2:
		return fixedNum(5, 0)
	case OIDInt4:
		return fixedNum(10, 0)
	case OIDInt8:
		return fixedNum(19, 0)
	case OIDNumeric:
		return a.num
	}
	return numText
}

// anyAllExpr is x op ANY (array) and x op ALL (array).
func (l *level) anyAllExpr(a *pg.A_Expr) (*expr, error) {
	name, err := l.opName(a.Name, a.Location)
	if err != nil {
		return nil, err
	}
	left, err := l.expr(a.Lexpr)
	if err != nil {
		return nil, err
	}
	right, err := l.expr(a.Rexpr)
	if err != nil {
		return nil, err
	}
	return l.scalarArrayOp(name, a.Kind == pg.A_Expr_Kind_AEXPR_OP_ANY, left, right, a.Location)
}

// scalarArrayOp renders x op ANY/ALL (array) with PostgreSQL's NULL
// semantics (make_scalar_array_op).
func (l *level) scalarArrayOp(name string, any bool, left, right *expr, loc int32) (*expr, error) {
	elem := TUnknown
	if !right.unknown {
		if !right.typ.IsArray() {
			return nil, l.a.errAt(loc, "42809", "op ANY/ALL (array) requires array on right side")
		}
		elem = right.typ.Elem()
	}
	elemE := &expr{typ: Type{elem.OID, -1}, unknown: right.unknown, sql: "hd_u"}
	if elemE.typ.OID == OIDNumeric {
		elemE.num = right.num
	}
	var cands []candidate
	for _, o := range opersByName[name] {
		if o.kind == 'b' {
			cands = append(cands, candidate{oper: o, args: []Type{{o.left, -1}, {o.right, -1}}})
		}
	}
	c, ambiguous := pickCandidate([]argInfo{{left.typ, left.unknown}, {elemE.typ, right.unknown}}, cands, true)
	if c == nil {
		return nil, l.operatorError(name, []*expr{left, elemE}, ambiguous, loc)
	}
	if c.oper.result != OIDBool {
		return nil, l.a.errAt(loc, "42809", "op ANY/ALL (array) requires operator to yield boolean")
	}
	rightType := ArrayOf(Type{c.oper.right, -1})
	if (Type{c.oper.right, -1}).IsPolymorphic() {
		rightType = right.typ
		if right.unknown {
			rightType = ArrayOf(Type{left.typ.OID, -1})
		}
	}
	rce, err := l.coerceTo(right, rightType, numText, ccImplicit, "")
	if err != nil {
		return nil, err
	}
	lce, err := l.coerceTo(left, Type{c.oper.left, -1}, naturalNumForm(left), ccImplicit, "")
	if c.oper.left == OIDAnyElement || c.oper.left == OIDAnyArray || (Type{c.oper.left, -1}).IsPolymorphic() {
		lce, err = left, nil
	}
	if err != nil {
		return nil, err
	}
	ee := &expr{typ: rce.typ.Elem(), sql: "hd_u"}
	ee.typ.Mod = -1
	if ee.typ.OID == OIDNumeric {
		ee.num = rce.num
	}
	cmp, err := l.applyOperator(c.oper, []*expr{lce, ee}, loc)
	if err != nil {
		return nil, err
	}
	fn := "hd_any"
	if !any {
		fn = "hd_all"
	}
	out := &expr{typ: TBool, loc: loc}
	out.merge(lce, rce)
	out.constant = false
	out.sql = fn + "(list_transform(" + rce.sql + ", lambda hd_u: " + cmp.sql + "))"
	if cmp.sql == "("+lce.sql+" = hd_u)" && !strings.Contains(lce.sql, "hd_u") {
		// Plain engine equality: list_contains, no lambda.
		switch {
		case any && name == "=":
			out.sql = "hd_eq_any(" + rce.sql + ", " + lce.sql + ")"
		}
	}
	return out, nil
}

func (l *level) distinctExpr(a *pg.A_Expr) (*expr, error) {
	not := a.Kind == pg.A_Expr_Kind_AEXPR_NOT_DISTINCT
	if lr, rr := a.Lexpr.GetRowExpr(), a.Rexpr.GetRowExpr(); lr != nil && rr != nil {
		return l.rowDistinct(lr, rr, not, a.Location)
	}
	left, err := l.expr(a.Lexpr)
	if err != nil {
		return nil, err
	}
	right, err := l.expr(a.Rexpr)
	if err != nil {
		return nil, err
	}
	out, err := l.distinctPair(left, right, a.Location)
	if err != nil {
		return nil, err
	}
	if not {
		out.sql = "(NOT " + out.sql + ")"
	}
	return out, nil
}

// distinctPair is left IS DISTINCT FROM right.
func (l *level) distinctPair(left, right *expr, loc int32) (*expr, error) {
	eq, err := l.binaryOp("=", left, right, loc)
	if err != nil {
		return nil, err
	}
	if eq.typ.OID != OIDBool {
		return nil, l.a.errAt(loc, "42804", "IS DISTINCT FROM requires = operator to yield boolean")
	}
	// NULL-safe: distinct when one side is NULL and the other not, or
	// both are non-NULL and not equal.
	ls, rs, err := l.comparedSides(left, right, loc)
	if err != nil {
		return nil, err
	}
	sql := "(CASE WHEN " + ls + " IS NULL THEN " + rs + " IS NOT NULL WHEN " + rs + " IS NULL THEN true ELSE NOT (" + eq.sql + ") END)"
	out := &expr{sql: sql, typ: TBool, loc: loc}
	return out.merge(eq), nil
}

// comparedSides returns the SQL of both sides as the = operator saw them
// (for NULL tests next to it).
func (l *level) comparedSides(left, right *expr, loc int32) (string, string, error) {
	ct, cn, err := l.commonType([]*expr{left, right}, "IS DISTINCT FROM")
	if err != nil {
		// Different types with a cross-type operator: test each as is.
		lt, rt := left, right
		if lt.unknown {
			if lt, err = l.coerceTo(lt, TText, numForm{}, ccImplicit, ""); err != nil {
				return "", "", err
			}
		}
		if rt.unknown {
			if rt, err = l.coerceTo(rt, TText, numForm{}, ccImplicit, ""); err != nil {
				return "", "", err
			}
		}
		return lt.sql, rt.sql, nil
	}
	lc, err := l.coerceTo(left, ct, cn, ccImplicit, "")
	if err != nil {
		return "", "", err
	}
	rc, err := l.coerceTo(right, ct, cn, ccImplicit, "")
	if err != nil {
		return "", "", err
	}
	return lc.sql, rc.sql, nil
}

func (l *level) nullifExpr(a *pg.A_Expr) (*expr, error) {
	left, err := l.expr(a.Lexpr)
	if err != nil {
		return nil, err
	}
	right, err := l.expr(a.Rexpr)
	if err != nil {
		return nil, err
	}
	eq, err := l.binaryOp("=", left, right, a.Location)
	if err != nil {
		return nil, err
	}
	if eq.typ.OID != OIDBool {
		return nil, l.a.errAt(a.Location, "42804", "NULLIF requires = operator to yield boolean")
	}
	// The result has the type of the operator's left input (nullif(1,
	// 2.5) is numeric).
	lv := left
	if t := l.lastOperLeft; t.OID != 0 && !t.IsPolymorphic() && (lv.unknown || t.OID != lv.typ.OID) {
		nf := numFormOf(t)
		if t.OID == OIDNumeric {
			nf = numAny
		}
		if lv, err = l.coerceTo(left, t, nf, ccImplicit, ""); err != nil {
			return nil, err
		}
	} else if lv.unknown {
		if lv, err = l.coerceTo(left, TText, numForm{}, ccImplicit, ""); err != nil {
			return nil, err
		}
	}
	out := &expr{typ: lv.typ, num: lv.num, loc: a.Location}
	out.sql = "(CASE WHEN " + eq.sql + " THEN " + nullOf(lv.typ, lv.num) + " ELSE " + lv.sql + " END)"
	return out.merge(eq, lv), nil
}

// inExpr is x IN (a, b, …) and x NOT IN (…).
func (l *level) inExpr(a *pg.A_Expr) (*expr, error) {
	name, err := l.opName(a.Name, a.Location)
	if err != nil {
		return nil, err
	}
	left, err := l.expr(a.Lexpr)
	if err != nil {
		return nil, err
	}
	list := a.Rexpr.GetList()
	if list == nil {
		return nil, l.a.unsupportedAt(a.Location, "this IN form is not supported")
	}
	var items []*expr
	for _, n := range list.Items {
		e, err := l.expr(n)
		if err != nil {
			return nil, err
		}
		items = append(items, e)
	}
	// PostgreSQL compares with one operator when all the values share a
	// type with x, else item by item; both give the same 3-valued answer.
	all := append([]*expr{left}, items...)
	joiner := " OR "
	if name == "<>" {
		joiner = " AND "
	}
	if ct, cn, err := l.commonType(all, "IN"); err == nil && left.typ.OID != OIDRecord {
		lc, err := l.coerceTo(left, ct, cn, ccImplicit, "IN")
		if err != nil {
			return nil, err
		}
		probe := &expr{typ: ct, num: cn, sql: lc.sql}
		var parts []string
		out := &expr{typ: TBool, loc: a.Location}
		out.merge(lc)
		simple := true
		for _, it := range items {
			ic, err := l.coerceTo(it, ct, cn, ccImplicit, "IN")
			if err != nil {
				return nil, err
			}
			cmp, err := l.binaryOp(name, probe, ic, a.Location)
			if err != nil {
				return nil, err
			}
			if cmp.sql != "("+probe.sql+" "+name+" "+ic.sql+")" {
				simple = false
			}
			out.merge(cmp)
			parts = append(parts, ic.sql+"\x00"+cmp.sql)
		}
		out.constant = false
		var vals, cmps []string
		for _, p := range parts {
			v, c, _ := strings.Cut(p, "\x00")
			vals, cmps = append(vals, v), append(cmps, c)
		}
		if simple {
			if name == "<>" {
				out.sql = "(" + lc.sql + " NOT IN (" + strings.Join(vals, ", ") + "))"
			} else {
				out.sql = "(" + lc.sql + " IN (" + strings.Join(vals, ", ") + "))"
			}
		} else {
			out.sql = "(" + strings.Join(cmps, joiner) + ")"
		}
		return out, nil
	}
	out := &expr{typ: TBool, loc: a.Location}
	var cmps []string
	for _, it := range items {
		var cmp *expr
		var err error
		if lr, rr := a.Lexpr.GetRowExpr(), it; lr != nil && rr.typ.OID == OIDRecord && len(rr.rowElems) > 0 {
			cmp, err = l.rowCompareExprs(name, left.rowElems, rr.rowElems, a.Location)
		} else {
			cmp, err = l.binaryOp(name, left, it, a.Location)
		}
		if err != nil {
			return nil, err
		}
		out.merge(cmp)
		cmps = append(cmps, cmp.sql)
	}
	out.constant = false
	out.sql = "(" + strings.Join(cmps, joiner) + ")"
	return out, nil
}

// rowCompareExprs compares analyzed row elements as PostgreSQL's
// RowCompareExpr does: = and <> field by field; <, <=, >, >=
// lexicographically, a < c OR (a = c AND (b < d …)) with op itself on
// the last field, which is NULL exactly when the first undecided pair
// has a NULL.
func (l *level) rowCompareExprs(op string, le, re []*expr, loc int32) (*expr, error) {
	if len(le) != len(re) {
		return nil, l.a.errAt(loc, "42601", "unequal number of entries in row expressions")
	}
	strict, ordered := map[string]string{"<": "<", "<=": "<", ">": ">", ">=": ">"}[op]
	if op != "=" && op != "<>" && !ordered {
		return nil, l.a.errAt(loc, "42883", "could not determine interpretation of row comparison operator %s", op)
	}
	out := &expr{typ: TBool, loc: loc}
	cmp := func(op string, i int) (string, error) {
		c, err := l.binaryOp(op, le[i], re[i], loc)
		if err != nil {
			return "", err
		}
		if c.typ.OID != OIDBool {
			return "", l.a.errAt(loc, "42804", "row comparison operator must yield type boolean, not type %s", c.typ.Name())
		}
		out.merge(c)
		return c.sql, nil
	}
	var parts []string
	for i := range le {
		c, err := cmp(op, i)
		if err != nil {
			return nil, err
		}
		parts = append(parts, c)
	}
	switch op {
	case "=":
		out.sql = "(" + strings.Join(parts, " AND ") + ")"
	case "<>":
		out.sql = "(" + strings.Join(parts, " OR ") + ")"
	default:
		sql := parts[len(parts)-1]
		for i := len(parts) - 2; i >= 0; i-- {
			s, err := cmp(strict, i)
			if err != nil {
				return nil, err
			}
			eq, err := cmp("=", i)
			if err != nil {
				return nil, err
			}
			sql = "(" + s + " OR (" + eq + " AND " + sql + "))"
		}
		out.sql = sql
	}
	out.constant = false // as a row comparison always was; merge keeps only its last call's
	return out, nil
}

func (l *level) likeExpr(a *pg.A_Expr) (*expr, error) {
	name, err := l.opName(a.Name, a.Location)
	if err != nil {
		return nil, err
	}
	left, err := l.expr(a.Lexpr)
	if err != nil {
		return nil, err
	}
	// x LIKE p ESCAPE e arrives as x LIKE like_escape(p, e).
	var right *expr
	if fc := a.Rexpr.GetFuncCall(); fc != nil && len(fc.Funcname) > 0 {
		if fn := strs(fc.Funcname); fn[len(fn)-1] == "like_escape" && len(fc.Args) == 2 {
			p, err := l.expr(fc.Args[0])
			if err != nil {
				return nil, err
			}
			esc, err := l.expr(fc.Args[1])
			if err != nil {
				return nil, err
			}
			return l.likeEscape(name, left, p, esc, a.Location)
		}
	}
	if right, err = l.expr(a.Rexpr); err != nil {
		return nil, err
	}
	return l.binaryOp(name, left, right, a.Location)
}

// likeEscape renders LIKE with an explicit ESCAPE.
func (l *level) likeEscape(name string, left, pat, esc *expr, loc int32) (*expr, error) {
	e, err := l.binaryOp(name, left, pat, loc)
	if err != nil {
		return nil, err
	}
	ec, err := l.coerceTo(esc, TText, numForm{}, ccImplicit, "")
	if err != nil {
		return nil, err
	}
	if !strings.Contains(e.sql, "ESCAPE '\\'") {
		return nil, l.a.unsupportedAt(loc, "LIKE … ESCAPE on these types is not supported")
	}
	if s, ok := constString(esc); ok && len([]rune(s)) > 1 {
		return nil, l.a.errAt(loc, "22025", "invalid escape string").WithHint("Escape string must be empty or one character.")
	}
	e.sql = strings.Replace(e.sql, "ESCAPE '\\'", "ESCAPE "+ec.sql, 1)
	e.merge(ec)
	return e, nil
}

func constString(e *expr) (string, bool) {
	if e.lit != nil {
		return *e.lit, true
	}
	return "", false
}

func (l *level) similarExpr(a *pg.A_Expr) (*expr, error) {
	left, err := l.expr(a.Lexpr)
	if err != nil {
		return nil, err
	}
	fc := a.Rexpr.GetFuncCall()
	if fc == nil || len(fc.Args) == 0 {
		return nil, l.a.unsupportedAt(a.Location, "this SIMILAR TO form is not supported")
	}
	pat, err := l.expr(fc.Args[0])
	if err != nil {
		return nil, err
	}
	ps, patConst := constString(pat)
	if pat.placeholder {
		// Its value decides the plan: plan the statement as written.
		l.a.uncacheable = true
	}
	escape, escSQL, escConst := "\\", "'\\'", true
	if len(fc.Args) > 1 {
		esc, err := l.expr(fc.Args[1])
		if err != nil {
			return nil, err
		}
		if esc.null {
			return &expr{sql: "CAST(NULL AS BOOLEAN)", typ: TBool}, nil
		}
		escSQL = esc.sql
		escape, escConst = constString(esc)
		if esc.placeholder {
			l.a.uncacheable = true
		}
	}
	name, _ := l.opName(a.Name, a.Location)
	op := "~"
	if name == "!~" {
		op = "!~"
	}
	if !patConst || !escConst {
		// The pattern is known when the statement runs: convert it then.
		if pat.null {
			return &expr{sql: "CAST(NULL AS BOOLEAN)", typ: TBool}, nil
		}
		re := &expr{sql: "hd_similar_escape(CAST(" + pat.sql + " AS VARCHAR), CAST(" + escSQL + " AS VARCHAR))", typ: TText}
		return l.binaryOp(op, left, re, a.Location)
	}
	re, err := pgregex.SimilarToRegex(ps, escape)
	if err != nil {
		return nil, l.a.at(pgerr.As(err), a.Location)
	}
	rlit := re
	return l.binaryOp(op, left, &expr{unknown: true, lit: &rlit, typ: TUnknown, constant: true}, a.Location)
}

func (l *level) betweenExpr(a *pg.A_Expr) (*expr, error) {
	x, err := l.expr(a.Lexpr)
	if err != nil {
		return nil, err
	}
	list := a.Rexpr.GetList()
	if list == nil || len(list.Items) != 2 {
		return nil, internal("BETWEEN without two bounds")
	}
	lo, err := l.expr(list.Items[0])
	if err != nil {
		return nil, err
	}
	hi, err := l.expr(list.Items[1])
	if err != nil {
		return nil, err
	}
	bt := func(lo, hi *expr, not bool) (*expr, error) {
		op1, op2, join := ">=", "<=", " AND "
		if not {
			op1, op2, join = "<", ">", " OR "
		}
		c1, err := l.binaryOp(op1, x, lo, a.Location)
		if err != nil {
			return nil, err
		}
		c2, err := l.binaryOp(op2, x, hi, a.Location)
		if err != nil {
			return nil, err
		}
		out := &expr{typ: TBool, sql: "(" + c1.sql + join + c2.sql + ")", loc: a.Location}
		return out.merge(c1, c2), nil
	}
	switch a.Kind {
	case pg.A_Expr_Kind_AEXPR_BETWEEN:
		return bt(lo, hi, false)
	case pg.A_Expr_Kind_AEXPR_NOT_BETWEEN:
		return bt(lo, hi, true)
	case pg.A_Expr_Kind_AEXPR_BETWEEN_SYM:
		e1, err := bt(lo, hi, false)
		if err != nil {
			return nil, err
		}
		e2, err := bt(hi, lo, false)
		if err != nil {
			return nil, err
		}
		return (&expr{typ: TBool, sql: "(" + e1.sql + " OR " + e2.sql + ")"}).merge(e1, e2), nil
	default:
		e1, err := bt(lo, hi, true)
		if err != nil {
			return nil, err
		}
		e2, err := bt(hi, lo, true)
		if err != nil {
			return nil, err
		}
		return (&expr{typ: TBool, sql: "(" + e1.sql + " AND " + e2.sql + ")"}).merge(e1, e2), nil
	}
}

// fixedWidthEngine is the engine type of the fixed-width numeric types
// ("" for others).
func fixedWidthEngine(oid uint32) string {
	switch oid {
	case OIDInt2:
		return "SMALLINT"
	case OIDInt4:
		return "INTEGER"
	case OIDInt8:
		return "BIGINT"
	case OIDFloat4:
		return "FLOAT"
	case OIDFloat8:
		return "DOUBLE"
	}
	return ""
}

// rowCompareSubquery is (a, b) op (SELECT x, y …), a ROWCOMPARE_SUBLINK:
// the row comparison with the subquery's one row (NULL for no row, an
// error for several).
func (l *level) rowCompareSubquery(op string, lr *pg.RowExpr, s *pg.SubLink, loc int32) (*expr, error) {
	sel := s.Subselect.GetSelectStmt()
	if sel == nil {
		return nil, l.a.unsupportedAt(s.Location, "this subquery is not supported")
	}
	var le []*expr
	for _, n := range lr.Args {
		e, err := l.expr(n)
		if err != nil {
			return nil, err
		}
		if e.agg || e.win {
			return nil, l.a.unsupportedAt(loc, "row comparisons of aggregates with a subquery are not supported")
		}
		le = append(le, e)
	}
	saved := l.aggDepth
	q, err := l.a.selectStmt(sel, l, false)
	l.aggDepth = saved
	if err != nil {
		return nil, err
	}
	ts := q.visibleTargets()
	if len(ts) != len(le) {
		if len(ts) > len(le) {
			return nil, l.a.errAt(s.Location, "42601", "subquery has too many columns")
		}
		return nil, l.a.errAt(s.Location, "42601", "subquery has too few columns")
	}
	alias := l.a.alias("s")
	re := make([]*expr, len(ts))
	for i, t := range ts {
		re[i] = &expr{sql: alias + ".c" + strconv.Itoa(i+1), typ: t.e.typ, num: t.e.num, unknown: t.e.unknown, lit: t.e.lit}
	}
	cmp, err := l.rowCompareExprs(op, le, re, loc)
	if err != nil {
		return nil, err
	}
	out := &expr{typ: TBool, loc: loc, sublink: true}
	out.merge(le...)
	out.constant = false
	out.sql = "(SELECT " + cmp.sql + " FROM (" + q.render() + ") AS " + alias + ")"
	return out, nil
}

// resultPad gives a character result whose type has no length (min(c),
// array_agg(c), lag(c)) the padding of the character arguments its
// values come from; arguments padded to different lengths are refused.
func (l *level) resultPad(out *expr, args []*expr, name string, loc int32) error {
	if !isChar(out.typ) || charLen(out.typ) > 0 {
		return nil
	}
	pads, seen := 0, false
	for _, a := range args {
		if a.null || a.nullConst {
			continue
		}
		p := 0 // a text or varchar value becomes a character value as it is
		if isChar(a.typ) {
			p = padOf(a)
		} else if a.typ.OID != OIDText && a.typ.OID != OIDVarchar && a.typ.OID != OIDName {
			continue
		}
		switch {
		case !seen:
			pads, seen = p, true
		case p != pads:
			return l.a.unsupportedAt(loc, "%s over character values of different lengths is not supported by Hotdata's cache engine", name)
		}
	}
	out.pad = pads
	return nil
}
