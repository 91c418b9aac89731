package translate

import (
	"regexp"
	"strconv"
	"strings"

	pg "github.com/pganalyze/pg_query_go/v6"

	"github.com/hotdata-dev/hotdata/internal/pgerr"
)

// funcCall analyzes a function, aggregate or window function call
// (ParseFuncOrColumn).
func (l *level) funcCall(fc *pg.FuncCall) (out *expr, err error) {
	parts := strs(fc.Funcname)
	name := parts[len(parts)-1]
	switch {
	case len(parts) == 1:
	case len(parts) == 2 && parts[0] == "pg_catalog":
	case len(parts) == 2 && parts[0] == "information_schema" && l.a.env.Functions != nil && l.a.env.Functions["information_schema."+name] != nil:
		return l.catalogSchemaFunction(fc, "information_schema."+name)
	default:
		return nil, l.a.errAt(fc.Location, "42883", "function %s does not exist", strings.Join(parts, ".")).
			WithHint("No function matches the given name and argument types. You might need to add explicit type casts.")
	}
	isAgg := fc.Over == nil && allAggregates(name)
	if fc.AggWithinGroup {
		return l.orderedSetAgg(fc, name)
	}
	// An aggregate where this level allows none may still be the outer
	// query's (its arguments read only outer columns): decided below.
	var notHere error
	if isAgg {
		if err := l.checkAggAllowed(fc.Location, false); err != nil {
			if l.parent == nil {
				return nil, err
			}
			notHere = err
		}
		l.aggDepth++
	}
	refsBefore := l.aggRefs
	var outer *outerAggState
	if isAgg && l.parent != nil {
		outer = &outerAggState{aggSeen: l.aggSeen, ungrouped: len(l.parent.outerUngrouped)}
	}
	var args []*expr
	var names []string // the arguments' names, nil when none is named
	for i, n := range fc.Args {
		if na := n.GetNamedArgExpr(); na != nil {
			if isAgg || fc.Over != nil {
				if isAgg {
					l.aggDepth--
				}
				return nil, l.a.unsupportedAt(na.Location, "named arguments of aggregate and window functions are not supported")
			}
			if names == nil {
				names = make([]string, i, len(fc.Args))
			}
			names = append(names, na.Name)
			n = na.Arg
		} else if names != nil {
			names = append(names, "")
		}
		e, err := l.expr(n)
		if err != nil {
			if isAgg {
				l.aggDepth--
			}
			return nil, err
		}
		if isAgg && e.agg {
			l.aggDepth--
			return nil, l.a.errAt(nodeLocation(n), "42803", "aggregate function calls cannot be nested")
		}
		if isAgg && e.win {
			l.aggDepth--
			return nil, l.a.errAt(nodeLocation(n), "42803", "aggregate function calls cannot contain window function calls")
		}
		args = append(args, e)
	}
	if isAgg {
		l.aggDepth--
		outerAgg := l.aggRefs[1] > refsBefore[1] && l.aggRefs[0] == refsBefore[0]
		if notHere != nil && !outerAgg {
			return nil, notHere
		}
		if outerAgg {
			// PostgreSQL makes it an aggregate of the outer query.
			if err := l.checkOuterAggregate(fc, refsBefore); err != nil {
				return nil, err
			}
			l.outerAggCall++
			defer func() {
				l.outerAggCall--
				if err == nil {
					l.becomeOuterAggregate(out, outer)
				}
			}()
		}
	}
	if fc.AggStar {
		if len(args) > 0 {
			return nil, internal("* with arguments")
		}
	}
	if names != nil {
		return l.namedCall(fc, name, args, names)
	}
	// Functional notation of a cast: text(x), int4(x), date(x).
	if len(args) == 1 && !fc.AggStar && !fc.AggDistinct && fc.Over == nil && len(fc.AggOrder) == 0 && fc.AggFilter == nil {
		if e, ok, err := l.functionalCast(name, args[0], fc.Location); ok || err != nil {
			return e, err
		}
	}
	if len(procsByName[name]) == 0 {
		return nil, l.noFunction(name, args, fc.Location, false)
	}
	cands := funcCandidates(name, len(args), fc.FuncVariadic)
	infos := make([]argInfo, len(args))
	for i, a := range args {
		infos[i] = argInfo{a.typ, a.unknown}
	}
	c, ambiguous := pickCandidate(infos, cands, false)
	if c == nil {
		return nil, l.noFunction(name, args, fc.Location, ambiguous)
	}
	if c.ndef > 0 {
		var err error
		if c, args, infos, err = l.withDefaults(c, args, nil, fc.Location); err != nil {
			return nil, err
		}
	}
	return l.funcCallPicked(fc, name, c, args, infos)
}

// funcCallPicked renders a call once resolution picked its function and
// the arguments are in its declared order.
func (l *level) funcCallPicked(fc *pg.FuncCall, name string, c *candidate, args []*expr, infos []argInfo) (*expr, error) {
	p := c.proc
	decl := c.args
	ret := Type{p.ret, -1}
	if dom := polyDomain(args, decl, ret); dom.OID != 0 {
		// A polymorphic result of a domain's values: the domain.
		if !(Type{p.ret, -1}).IsArray() && ret.OID != OIDAnyArray && ret.OID != OIDAnyCompatibleArray {
			e, err := l.funcCallResolved(fc, name, c, args, infos)
			if err != nil || e == nil {
				return e, err
			}
			u, _ := UserTypeOf(dom)
			out := *e
			out.dom, out.typ = dom, u.Base
			return &out, nil
		}
		u, _ := UserTypeOf(dom)
		return nil, l.a.unsupportedAt(fc.Location, "arrays of the upstream's domain %s are not supported by Hotdata's cache engine", quoteTypeName(u.Name)).
			WithHint("Cast the values to the domain's base type (%s) first, or SET hotdata.freshness = live.", u.Base.Name())
	}
	return l.funcCallResolved(fc, name, c, args, infos)
}

// funcCallResolved renders a call of the function resolution picked.
func (l *level) funcCallResolved(fc *pg.FuncCall, name string, c *candidate, args []*expr, infos []argInfo) (*expr, error) {
	p := c.proc
	decl := append([]Type(nil), c.args...)
	ret := Type{p.ret, -1}
	if hasPoly(decl) || ret.IsPolymorphic() {
		pr, err := resolvePolymorphic(infos, decl, ret)
		if err != nil {
			return nil, l.a.at(pgerr.As(err), fc.Location)
		}
		for i := range decl {
			if decl[i].OID != OIDAny {
				decl[i] = pr.args[i]
			}
		}
		ret = pr.ret
	}
	if p.retset && p.ret == OIDRecord && len(p.outTypes) > 0 {
		ret = TRecord
	}
	impl := l.a.impl(p)
	switch p.kind {
	case 'a':
		if hypotheticalSetAggs[p.name] {
			// rank("any") and friends are ordered-set aggregates: the
			// WITHIN GROUP form came through orderedSetAgg.
			return nil, l.a.errAt(fc.Location, "42809", "WITHIN GROUP is required for ordered-set aggregate %s", p.name)
		}
		if fc.Over != nil {
			return l.windowCall(fc, p, impl, args, decl, ret)
		}
		return l.aggregateCall(fc, p, impl, args, decl, ret, nil)
	case 'w':
		if fc.Over == nil {
			return nil, l.a.errAt(fc.Location, "42809", "window function %s requires an OVER clause", name)
		}
		return l.windowCall(fc, p, impl, args, decl, ret)
	}
	if fc.AggStar {
		return nil, l.a.errAt(fc.Location, "42809", "%s(*) specified, but %s is not an aggregate function", name, name)
	}
	if fc.AggDistinct {
		return nil, l.a.errAt(fc.Location, "42809", "DISTINCT specified, but %s is not an aggregate function", name)
	}
	if len(fc.AggOrder) > 0 {
		return nil, l.a.errAt(fc.Location, "42809", "ORDER BY specified, but %s is not an aggregate function", name)
	}
	if fc.AggFilter != nil {
		return nil, l.a.errAt(fc.Location, "42809", "FILTER specified, but %s is not an aggregate function", name)
	}
	if fc.Over != nil {
		return nil, l.a.errAt(fc.Location, "42809", "OVER specified, but %s is not a window function nor an aggregate function", name)
	}
	if impl == nil {
		return nil, l.a.unsupportedAt(fc.Location, "function %s(%s) is not supported by Hotdata's cache engine", name, signature(declTypes(p)))
	}
	l.explicitVariadic = fc.FuncVariadic
	e, err := l.render(impl, name, args, decl, ret, fc.Location, c.variadic)
	l.explicitVariadic = false
	if err != nil {
		return nil, err
	}
	if p.volatile == 'v' || impl.Volatile {
		e.volatile = true
		l.a.volatile = true
		e.constant = false
	}
	if impl.Catalog {
		l.a.catalog = true
	}
	if e.fromTable != "" && l.clause != "FROM function" {
		return nil, l.a.unsupportedAt(fc.Location, "%s() is supported in FROM only", name)
	}
	if p.retset {
		if l.clause != "SELECT" && l.clause != "FROM function" {
			return nil, l.a.errAt(fc.Location, "0A000", "set-returning functions are not allowed in %s", l.clause)
		}
		e.srf = true
	}
	return e, nil
}

func declTypes(p *procRow) []Type { return types(p.args) }

// impl finds the implementation of a function: the caller's (catalog
// functions) or the built-in allowlist.
func (a *analyzer) impl(p *procRow) *Impl {
	key := procKey(p)
	if a.env.Functions != nil {
		if f := a.env.Functions[key]; f != nil {
			return f
		}
	}
	return impls[key]
}

func allAggregates(name string) bool {
	ps := procsByName[name]
	if len(ps) == 0 {
		return false
	}
	for _, p := range ps {
		if p.kind != 'a' {
			return false
		}
	}
	return true
}

// checkAggAllowed refuses aggregates and window functions where
// PostgreSQL does.
func (l *level) checkAggAllowed(loc int32, window bool) error {
	what := "aggregate functions"
	code := "42803"
	if window {
		what, code = "window functions", "42P20"
	}
	switch l.clause {
	case "WHERE", "JOIN/ON", "GROUP BY", "LIMIT", "OFFSET", "FROM function", "FROM":
		clause := l.clause
		switch clause {
		case "JOIN/ON":
			clause = "JOIN conditions"
		case "FROM function":
			clause = "functions in FROM"
		}
		return l.a.errAt(loc, code, "%s are not allowed in %s", what, clause)
	}
	return nil
}

func (l *level) noFunction(name string, args []*expr, loc int32, ambiguous bool) error {
	ts := make([]string, len(args))
	for i, a := range args {
		ts[i] = typeForError(a)
		if a.typ.OID == OpaqueOID && !a.unknown {
			// An upstream type (an enum, a domain) served as its text: its
			// own functions (an enum's min and max) are not known here.
			return l.a.unsupportedAt(loc, "function %s on a column of an upstream type that Hotdata serves as text is not supported", name).
				WithHint("Apply it to the column's text instead (col::text), or SET hotdata.freshness = live for the upstream's own functions.")
		}
	}
	if ambiguous {
		return l.a.errAt(loc, "42725", "function %s(%s) is not unique", name, strings.Join(ts, ", ")).
			WithHint("Could not choose a best candidate function. You might need to add explicit type casts.")
	}
	return l.a.errAt(loc, "42883", "function %s(%s) does not exist", name, strings.Join(ts, ", ")).
		WithHint("No function matches the given name and argument types. You might need to add explicit type casts.")
}

// functionalCast handles typename(x) when no function of that name takes
// x's type exactly and the type name allows a cast (func_get_detail's
// coercion case).
func (l *level) functionalCast(name string, arg *expr, loc int32) (*expr, bool, error) {
	oid, ok := typeByName[name]
	if !ok || name == "char" || name == "character" {
		return nil, false, nil
	}
	// An exact function match wins.
	for _, p := range procsByName[name] {
		if len(p.args) == 1 && p.args[0] == arg.typ.OID && !arg.unknown {
			return nil, false, nil
		}
	}
	t := Type{oid, -1}
	if arg.unknown {
		e, err := l.coerceTo(arg, t, numFormOf(t), ccExplicit, "")
		return e, true, err
	}
	k, _ := findPathway(oid, arg.typ.OID, ccExplicit)
	if k == pathRelabel || k == pathViaIO {
		e, err := l.coerceTo(arg, t, numFormOf(t), ccExplicit, "")
		return e, true, err
	}
	return nil, false, nil
}

// aggregateCall renders an aggregate (not a window) call.
func (l *level) aggregateCall(fc *pg.FuncCall, p *procRow, impl *Impl, args []*expr, decl []Type, ret Type, within []*pg.Node) (*expr, error) {
	if impl == nil || impl.Agg == nil {
		return nil, l.a.unsupportedAt(fc.Location, "aggregate %s(%s) is not supported by Hotdata's cache engine", p.name, signature(declTypes(p)))
	}
	if l.outerAggCall == 0 {
		// (An outer query's aggregate was checked against its clause.)
		if err := l.checkAggAllowed(fc.Location, false); err != nil {
			return nil, err
		}
	}
	if fc.AggDistinct && impl.NoDistinct {
		return nil, l.a.unsupportedAt(fc.Location, "%s(DISTINCT …) is not supported by Hotdata's cache engine", p.name)
	}
	if len(fc.AggOrder) > 0 && impl.NoOrder {
		return nil, l.a.unsupportedAt(fc.Location, "%s(… ORDER BY …) is not supported by Hotdata's cache engine", p.name)
	}
	l.aggDepth++
	defer func() { l.aggDepth-- }()
	c := &Call{Name: p.name, Types: decl, Result: ret, l: l, loc: fc.Location}
	out := &expr{typ: ret, loc: fc.Location, agg: true}
	for i, a := range args {
		ce, err := l.coerceArg(a, decl[i])
		if decl[i].OID == OIDAny {
			ce, err = a, nil
			if a.unknown {
				ce, err = l.coerceTo(a, TText, numForm{}, ccImplicit, "")
			}
		}
		if err != nil {
			return nil, err
		}
		if fc.AggDistinct && p.name == "count" && len(args) == 1 && equalByKey(ce.typ, ce.num) {
			// count(DISTINCT x) counts the values equality tells apart:
			// their keys (1.0 = 1.00, '{"a":1.0}' = '{"a":1}').
			ke := *ce
			ke.sql, ke.typ, ke.num = sortKey(ce), TText, numForm{}
			ce = &ke
		} else if fc.AggDistinct {
			if err := l.checkComparableExpr(ce, "DISTINCT", ce.loc); err != nil {
				return nil, err
			}
		}
		c.args = append(c.args, ce)
		c.Args = append(c.Args, ce.sql)
		out.volatile = out.volatile || ce.volatile
		out.sublink = out.sublink || ce.sublink
	}
	var order []string
	for _, n := range fc.AggOrder {
		sb := n.GetSortBy()
		e, err := l.expr(sb.Node)
		if err != nil {
			return nil, err
		}
		if e.unknown {
			if e, err = l.coerceTo(e, TText, numForm{}, ccImplicit, ""); err != nil {
				return nil, err
			}
		}
		if fc.AggDistinct {
			found := false
			for _, a := range c.args {
				if a.sql == e.sql {
					found = true
				}
			}
			if !found {
				return nil, l.a.errAt(nodeLocation(sb.Node), "42P10", "in an aggregate with DISTINCT, ORDER BY expressions must appear in argument list")
			}
		}
		item, err := l.sortItem(e, sb, e.sql)
		if err != nil {
			return nil, err
		}
		order = append(order, item)
	}
	if fc.AggDistinct && len(order) == 0 {
		// PostgreSQL sorts a DISTINCT aggregate's input by its arguments:
		// array_agg(DISTINCT x) lists x in order, NULL last.
		for _, a := range c.args {
			if a.constant || a.volatile {
				// A volatile argument's ORDER BY copy would be another
				// call, which the engine refuses to sort by.
				continue
			}
			if item, err := l.sortItem(a, &pg.SortBy{}, a.sql); err == nil {
				order = append(order, item)
			}
		}
	}
	var filter string
	if fc.AggFilter != nil {
		saved := l.clause
		l.clause = "FILTER"
		e, err := l.expr(fc.AggFilter)
		l.clause = saved
		if err != nil {
			return nil, err
		}
		be, err := l.coerceBool(e, "FILTER")
		if err != nil {
			return nil, err
		}
		filter = be.sql
	}
	if ret.OID == OIDNumeric {
		c.num = numText
	}
	render := func(name string, args ...string) string {
		var b strings.Builder
		b.WriteString(name)
		b.WriteString("(")
		if fc.AggDistinct {
			b.WriteString("DISTINCT ")
		}
		b.WriteString(strings.Join(args, ", "))
		if len(order) > 0 {
			b.WriteString(" ORDER BY ")
			b.WriteString(strings.Join(order, ", "))
		}
		b.WriteString(")")
		if filter != "" {
			b.WriteString(" FILTER (WHERE " + filter + ")")
		}
		return b.String()
	}
	sql, err := impl.Agg(c, render)
	if err != nil {
		return nil, l.a.at(pgerr.As(err), fc.Location)
	}
	out.sql = sql
	out.typ = c.Result
	out.num = c.num
	if err := l.resultPad(out, c.args, c.Name+"()", fc.Location); err != nil {
		return nil, err
	}
	l.aggSeen = true
	return out, nil
}

// windowCall renders a window function or an aggregate used as one.
func (l *level) windowCall(fc *pg.FuncCall, p *procRow, impl *Impl, args []*expr, decl []Type, ret Type) (*expr, error) {
	if impl == nil || impl.Agg == nil {
		return nil, l.a.unsupportedAt(fc.Location, "window function %s(%s) is not supported by Hotdata's cache engine", p.name, signature(declTypes(p)))
	}
	if err := l.checkAggAllowed(fc.Location, true); err != nil {
		return nil, err
	}
	if fc.AggDistinct {
		return nil, l.a.errAt(fc.Location, "0A000", "DISTINCT is not implemented for window functions")
	}
	if len(fc.AggOrder) > 0 {
		return nil, l.a.errAt(fc.Location, "0A000", "aggregate ORDER BY is not implemented for window functions")
	}
	for _, a := range args {
		if a.win {
			return nil, l.a.errAt(a.loc, "42P20", "window function calls cannot be nested")
		}
	}
	c := &Call{Name: p.name, Types: decl, Result: ret, l: l, loc: fc.Location}
	out := &expr{typ: ret, loc: fc.Location, win: true}
	for i, a := range args {
		ce, err := l.coerceArg(a, decl[i])
		if decl[i].OID == OIDAny {
			ce, err = a, nil
			if a.unknown {
				ce, err = l.coerceTo(a, TText, numForm{}, ccImplicit, "")
			}
		}
		if err != nil {
			return nil, err
		}
		c.args = append(c.args, ce)
		c.Args = append(c.Args, ce.sql)
		out.merge(ce)
	}
	out.win = true
	over, sub, err := l.windowClause(fc.Over)
	if err != nil {
		return nil, err
	}
	out.merge(sub...)
	out.win = true
	out.constant = false
	var filter string
	if fc.AggFilter != nil {
		if p.kind != 'a' {
			return nil, l.a.errAt(fc.Location, "0A000", "FILTER is not implemented for non-aggregate window functions")
		}
		saved := l.clause
		l.clause = "FILTER"
		e, err := l.expr(fc.AggFilter)
		l.clause = saved
		if err != nil {
			return nil, err
		}
		be, err := l.coerceBool(e, "FILTER")
		if err != nil {
			return nil, err
		}
		out.merge(be)
		filter = be.sql
	}
	if ret.OID == OIDNumeric {
		c.num = numText
	}
	render := func(name string, args ...string) string {
		s := name + "(" + strings.Join(args, ", ") + ")"
		if filter != "" {
			s += " FILTER (WHERE " + filter + ")"
		}
		return s + " OVER (" + over + ")"
	}
	sql, err := impl.Agg(c, render)
	if err != nil {
		return nil, l.a.at(pgerr.As(err), fc.Location)
	}
	out.sql = sql
	out.typ = c.Result
	out.num = c.num
	if err := l.resultPad(out, c.args, c.Name+"()", fc.Location); err != nil {
		return nil, err
	}
	out.win = true
	l.winSeen = true
	return out, nil
}

// Frame option bits (FRAMEOPTION_* in nodes/parsenodes.h).
const (
	frameNonDefault            = 0x00001
	frameRange                 = 0x00002
	frameRows                  = 0x00004
	frameGroups                = 0x00008
	frameBetween               = 0x00010
	frameStartUnboundedPreced  = 0x00020
	frameEndUnboundedPreceding = 0x00040
	frameStartUnboundedFollow  = 0x00080
	frameEndUnboundedFollowing = 0x00100
	frameStartCurrentRow       = 0x00200
	frameEndCurrentRow         = 0x00400
	frameStartOffsetPreceding  = 0x00800
	frameEndOffsetPreceding    = 0x01000
	frameStartOffsetFollowing  = 0x02000
	frameEndOffsetFollowing    = 0x04000
	frameExcludeCurrentRow     = 0x08000
	frameExcludeGroup          = 0x10000
	frameExcludeTies           = 0x20000
)

// windowClause renders OVER (…), resolving references to named windows.
func (l *level) windowClause(w *pg.WindowDef) (string, []*expr, error) {
	if w.Refname != "" || (w.Name != "" && len(w.PartitionClause) == 0 && len(w.OrderClause) == 0 && w.FrameOptions&frameNonDefault == 0) {
		ref := w.Refname
		if ref == "" {
			ref = w.Name
		}
		base := l.windows[ref]
		if base == nil {
			return "", nil, l.a.errAt(w.Location, "42704", "window %q does not exist", ref)
		}
		merged := &pg.WindowDef{PartitionClause: base.PartitionClause, OrderClause: base.OrderClause,
			FrameOptions: base.FrameOptions, StartOffset: base.StartOffset, EndOffset: base.EndOffset, Location: w.Location}
		if w.Refname != "" {
			if len(w.PartitionClause) > 0 {
				return "", nil, l.a.errAt(w.Location, "42P20", "cannot override PARTITION BY clause of window %q", ref)
			}
			if len(w.OrderClause) > 0 {
				if len(base.OrderClause) > 0 {
					return "", nil, l.a.errAt(w.Location, "42P20", "cannot override ORDER BY clause of window %q", ref)
				}
				merged.OrderClause = w.OrderClause
			}
			if base.FrameOptions&frameNonDefault != 0 {
				return "", nil, l.a.errAt(w.Location, "42P20", "cannot copy window %q because it has a frame clause", ref)
			}
			merged.FrameOptions, merged.StartOffset, merged.EndOffset = w.FrameOptions, w.StartOffset, w.EndOffset
		}
		w = merged
	}
	saved := l.clause
	l.clause = "window definition"
	defer func() { l.clause = saved }()
	var parts []string
	var subs []*expr
	if len(w.PartitionClause) > 0 {
		var ps []string
		for _, n := range w.PartitionClause {
			e, err := l.expr(n)
			if err != nil {
				return "", nil, err
			}
			if e.win {
				return "", nil, l.a.errAt(nodeLocation(n), "42P20", "window functions are not allowed in window definitions")
			}
			if err := l.checkComparable(e.typ, e.num, "PARTITION BY", nodeLocation(n)); err != nil {
				return "", nil, err
			}
			subs = append(subs, e)
			ps = append(ps, partitionKey(e))
		}
		parts = append(parts, "PARTITION BY "+strings.Join(ps, ", "))
	}
	var orderExprs []*expr
	if len(w.OrderClause) > 0 {
		var os []string
		for _, n := range w.OrderClause {
			sb := n.GetSortBy()
			e, err := l.expr(sb.Node)
			if err != nil {
				return "", nil, err
			}
			if e.win {
				return "", nil, l.a.errAt(nodeLocation(sb.Node), "42P20", "window functions are not allowed in window definitions")
			}
			if e.unknown {
				if e, err = l.coerceTo(e, TText, numForm{}, ccImplicit, ""); err != nil {
					return "", nil, err
				}
			}
			item, err := l.sortItem(e, sb, e.sql)
			if err != nil {
				return "", nil, err
			}
			subs = append(subs, e)
			orderExprs = append(orderExprs, e)
			os = append(os, item)
		}
		parts = append(parts, "ORDER BY "+strings.Join(os, ", "))
	}
	if w.FrameOptions&frameNonDefault != 0 {
		f, fsubs, err := l.frameClause(w, orderExprs)
		if err != nil {
			return "", nil, err
		}
		subs = append(subs, fsubs...)
		parts = append(parts, f)
	}
	return strings.Join(parts, " "), subs, nil
}

func partitionKey(e *expr) string {
	if k := sortKey(e); k != "" {
		return k
	}
	return e.sql
}

// frameClause renders ROWS/RANGE/GROUPS BETWEEN … [EXCLUDE …].
func (l *level) frameClause(w *pg.WindowDef, order []*expr) (string, []*expr, error) {
	fo := w.FrameOptions
	var kind string
	switch {
	case fo&frameRows != 0:
		kind = "ROWS"
	case fo&frameGroups != 0:
		kind = "GROUPS"
		if len(order) == 0 {
			return "", nil, l.a.errAt(w.Location, "42P20", "GROUPS mode requires an ORDER BY clause")
		}
	default:
		kind = "RANGE"
	}
	var subs []*expr
	bound := func(off *pg.Node, preceding bool) (string, error) {
		e, err := l.expr(off)
		if err != nil {
			return "", err
		}
		if len(e.ungrouped) > 0 && !e.constant {
			return "", l.a.errAt(nodeLocation(off), "42P10", "argument of %s must not contain variables", kind)
		}
		var target Type
		switch kind {
		case "RANGE":
			if len(order) != 1 {
				return "", l.a.errAt(w.Location, "42P20", "RANGE with offset PRECEDING/FOLLOWING requires exactly one ORDER BY column")
			}
			target = rangeOffsetType(order[0].typ)
			if target.OID == 0 {
				return "", l.a.errAt(w.Location, "0A000", "RANGE with offset PRECEDING/FOLLOWING is not supported for column type %s", order[0].typ.Name())
			}
		default:
			target = TInt8
		}
		nf := numFormOf(target)
		if target.OID == OIDNumeric {
			if !order[0].num.fixed {
				return "", l.a.unsupportedAt(nodeLocation(off), "RANGE offsets over numeric values of varying scale are not supported by Hotdata's cache engine")
			}
			nf = fixedNum(maxDecimal, order[0].num.s)
		}
		ce, err := l.coerceTo(e, target, nf, ccImplicit, "")
		if err != nil {
			return "", err
		}
		subs = append(subs, ce)
		word := " FOLLOWING"
		if preceding {
			word = " PRECEDING"
		}
		msg := "invalid preceding or following size in window function"
		if kind != "RANGE" {
			msg = "frame ending offset must not be negative"
			if off == w.StartOffset {
				msg = "frame starting offset must not be negative"
			}
		}
		sql := ce.sql
		if target.OID == OIDInterval {
			switch order[0].typ.OID {
			case OIDTime:
				// in_range(time, time, interval) adds the offset's time
				// without wrapping at midnight; the engine wraps.
				return "", l.a.unsupportedAt(nodeLocation(off), "RANGE offsets over time values are not supported by Hotdata's cache engine")
			case OIDTimestamptz:
				// PostgreSQL adds days and months in the session's time
				// zone; the engine in its own. Hours and less are exact.
				if m := timeOnlyInterval.FindStringSubmatch(sql); m == nil {
					return "", l.a.unsupportedAt(nodeLocation(off), "RANGE offsets over timestamptz values other than constant hours, minutes and seconds are not supported by Hotdata's cache engine")
				}
			}
			return "hd_nonneg_iv(" + sql + ", " + sqlString("22013:"+msg) + ")" + word, nil
		}
		if c := off.GetAConst(); c == nil || c.Isnull {
			sql = "hd_nonneg(" + sql + ", " + sqlString("22013:"+msg) + ")"
		} else if iv, ok := c.Val.(*pg.A_Const_Ival); ok && iv.Ival.Ival < 0 {
			return "", l.a.errAt(nodeLocation(off), "22013", "%s", msg)
		}
		return sql + word, nil
	}
	var start, end string
	var err error
	switch {
	case fo&frameStartUnboundedPreced != 0:
		start = "UNBOUNDED PRECEDING"
	case fo&frameStartUnboundedFollow != 0:
		return "", nil, l.a.errAt(w.Location, "42P20", "frame start cannot be UNBOUNDED FOLLOWING")
	case fo&frameStartCurrentRow != 0:
		start = "CURRENT ROW"
	case fo&frameStartOffsetPreceding != 0:
		if start, err = bound(w.StartOffset, true); err != nil {
			return "", nil, err
		}
	case fo&frameStartOffsetFollowing != 0:
		if start, err = bound(w.StartOffset, false); err != nil {
			return "", nil, err
		}
	}
	s := kind + " "
	if fo&frameBetween != 0 {
		switch {
		case fo&frameEndUnboundedFollowing != 0:
			end = "UNBOUNDED FOLLOWING"
		case fo&frameEndUnboundedPreceding != 0:
			return "", nil, l.a.errAt(w.Location, "42P20", "frame end cannot be UNBOUNDED PRECEDING")
		case fo&frameEndCurrentRow != 0:
			end = "CURRENT ROW"
		case fo&frameEndOffsetPreceding != 0:
			if end, err = bound(w.EndOffset, true); err != nil {
				return "", nil, err
			}
		case fo&frameEndOffsetFollowing != 0:
			if end, err = bound(w.EndOffset, false); err != nil {
				return "", nil, err
			}
		}
		s += "BETWEEN " + start + " AND " + end
	} else {
		s += start
	}
	switch {
	case fo&frameExcludeCurrentRow != 0:
		s += " EXCLUDE CURRENT ROW"
	case fo&frameExcludeGroup != 0:
		s += " EXCLUDE GROUP"
	case fo&frameExcludeTies != 0:
		s += " EXCLUDE TIES"
	}
	return s, subs, nil
}

// rangeOffsetType is the type of a RANGE offset for an ORDER BY column
// (the in_range support functions).
// timeOnlyInterval matches a constant interval of no months or days.
var timeOnlyInterval = regexp.MustCompile(`^hd_interval\(0, 0, -?[0-9]+\)$`)

func rangeOffsetType(t Type) Type {
	switch t.OID {
	case OIDInt2, OIDInt4, OIDInt8:
		// in_range(intN, intN, int8/int4/int2): any integer offset.
		return TInt8
	case OIDFloat4, OIDFloat8:
		return TFloat8
	case OIDNumeric:
		return TNumeric
	case OIDDate, OIDTimestamp, OIDTimestamptz, OIDTime, OIDInterval:
		return TInterval
	}
	return Type{}
}

// hypotheticalSetAggs are the hypothetical-set aggregates: as functions
// with arguments they resolve to an aggregate that needs WITHIN GROUP
// (without arguments, to the window functions).
var hypotheticalSetAggs = map[string]bool{"rank": true, "dense_rank": true, "percent_rank": true, "cume_dist": true}

// orderedSetAgg is percentile_cont(f) WITHIN GROUP (ORDER BY x) and
// friends.
func (l *level) orderedSetAgg(fc *pg.FuncCall, name string) (*expr, error) {
	if fc.Over != nil {
		return nil, l.a.errAt(fc.Location, "0A000", "OVER is not supported for ordered-set aggregate %s", name)
	}
	if err := l.checkAggAllowed(fc.Location, false); err != nil {
		return nil, err
	}
	var direct, sorted []*expr
	l.aggDepth++
	for _, n := range fc.Args {
		e, err := l.expr(n)
		if err != nil {
			l.aggDepth--
			return nil, err
		}
		direct = append(direct, e)
	}
	var sorts []*pg.SortBy
	for _, n := range fc.AggOrder {
		sb := n.GetSortBy()
		e, err := l.expr(sb.Node)
		if err != nil {
			l.aggDepth--
			return nil, err
		}
		sorted = append(sorted, e)
		sorts = append(sorts, sb)
	}
	l.aggDepth--
	args := append(append([]*expr(nil), direct...), sorted...)
	infos := make([]argInfo, len(args))
	for i, a := range args {
		infos[i] = argInfo{a.typ, a.unknown}
	}
	cands := funcCandidates(name, len(args), false)
	c, ambiguous := pickCandidate(infos, cands, false)
	if c == nil {
		return nil, l.noFunction(name, args, fc.Location, ambiguous)
	}
	decl, ret := c.args, Type{c.proc.ret, -1}
	if hasPoly(decl) || ret.IsPolymorphic() {
		pr, err := resolvePolymorphic(infos, decl, ret)
		if err != nil {
			return nil, l.a.at(pgerr.As(err), fc.Location)
		}
		decl, ret = pr.args, pr.ret
	}
	impl := l.a.impl(c.proc)
	if impl == nil || impl.Agg == nil {
		return nil, l.a.unsupportedAt(fc.Location, "ordered-set aggregate %s(%s) is not supported by Hotdata's cache engine", name, signature(declTypes(c.proc)))
	}
	l.aggDepth++
	defer func() { l.aggDepth-- }()
	call := &Call{Name: name, Types: decl, Result: ret, l: l, loc: fc.Location}
	out := &expr{typ: ret, loc: fc.Location, agg: true}
	for i, a := range args {
		ce, err := l.coerceArg(a, decl[i])
		if err != nil {
			return nil, err
		}
		call.args = append(call.args, ce)
		call.Args = append(call.Args, ce.sql)
	}
	// Sort keys of the WITHIN GROUP clause, rendered for the engine.
	var order []string
	for i, sb := range sorts {
		item, err := l.sortItem(call.args[len(direct)+i], sb, call.args[len(direct)+i].sql)
		if err != nil {
			return nil, err
		}
		order = append(order, item)
	}
	var filter string
	if fc.AggFilter != nil {
		saved := l.clause
		l.clause = "FILTER"
		e, err := l.expr(fc.AggFilter)
		l.clause = saved
		if err != nil {
			return nil, err
		}
		be, err := l.coerceBool(e, "FILTER")
		if err != nil {
			return nil, err
		}
		filter = be.sql
	}
	call.withinOrder = order
	call.ndirect = len(direct)
	if ret.OID == OIDNumeric {
		call.num = numText
	}
	render := func(fn string, args ...string) string {
		s := fn + "(" + strings.Join(args, ", ")
		if len(order) > 0 {
			s += " ORDER BY " + strings.Join(order, ", ")
		}
		s += ")"
		if filter != "" {
			s += " FILTER (WHERE " + filter + ")"
		}
		return s
	}
	sql, err := impl.Agg(call, render)
	if err != nil {
		return nil, l.a.at(pgerr.As(err), fc.Location)
	}
	out.sql = sql
	out.typ = call.Result
	out.num = call.num
	l.aggSeen = true
	return out, nil
}

// catalogSchemaFunction calls an information_schema function of the
// emulated catalog.
func (l *level) catalogSchemaFunction(fc *pg.FuncCall, key string) (*expr, error) {
	impl := l.a.env.Functions[key]
	var args []*expr
	for _, n := range fc.Args {
		e, err := l.expr(n)
		if err != nil {
			return nil, err
		}
		if e.unknown {
			if e, err = l.coerceTo(e, TText, numForm{}, ccImplicit, ""); err != nil {
				return nil, err
			}
		}
		args = append(args, e)
	}
	c := &Call{Name: key, Result: TRecord, l: l, loc: fc.Location}
	out := &expr{loc: fc.Location}
	for _, a := range args {
		c.args = append(c.args, a)
		c.Args = append(c.Args, a.sql)
		c.Types = append(c.Types, a.typ)
		out.merge(a)
	}
	sql, err := impl.Build(c)
	if err != nil {
		return nil, err
	}
	out.sql, out.typ = sql, c.Result
	out.fields = c.fields
	out.fieldNames = c.fieldNames
	l.a.catalog = true
	return out, nil
}

// itoa is strconv.Itoa.
func itoa(n int) string { return strconv.Itoa(n) }
