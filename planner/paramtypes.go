package planner

import (
	"strings"

	pg "github.com/pganalyze/pg_query_go/v6"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// inferParamTypes types parameters the way PostgreSQL does where the
// engine cannot: an operand of a binary operator whose other operand is a
// table column takes the column's type (id + $1), and LIMIT/OFFSET take
// bigint. It returns PostgreSQL type names by parameter number-1, "" for
// the ones it cannot tell.
func inferParamTypes(n *pg.Node, nparams int, aliases map[string]*Object, objs []*Object) []string {
	if nparams == 0 {
		return nil
	}
	types := make([]string, nparams)
	set := func(p *pg.ParamRef, typ string) {
		if p != nil && p.Number >= 1 && int(p.Number) <= nparams && types[p.Number-1] == "" && typ != "" {
			types[p.Number-1] = typ
		}
	}
	colType := func(n *pg.Node) string {
		cr := n.GetColumnRef()
		if cr == nil {
			return ""
		}
		var names []string
		for _, f := range cr.Fields {
			s := f.GetString_()
			if s == nil {
				return ""
			}
			names = append(names, s.Sval)
		}
		switch len(names) {
		case 1:
			typ := ""
			for _, o := range objs {
				if t, ok := o.Columns[names[0]]; ok {
					if typ != "" {
						return "" // ambiguous
					}
					typ = t
				}
			}
			return typ
		case 2:
			if o := aliases[names[0]]; o != nil {
				return o.Columns[names[1]]
			}
		}
		return ""
	}
	walk(n, func(m protoreflect.Message) bool {
		switch v := m.Interface().(type) {
		case *pg.A_Expr:
			if v.Kind != pg.A_Expr_Kind_AEXPR_OP || v.Lexpr == nil || v.Rexpr == nil {
				return true
			}
			set(v.Lexpr.GetParamRef(), colType(v.Rexpr))
			set(v.Rexpr.GetParamRef(), colType(v.Lexpr))
		case *pg.SelectStmt:
			if v.LimitCount != nil {
				set(v.LimitCount.GetParamRef(), "bigint")
			}
			if v.LimitOffset != nil {
				set(v.LimitOffset.GetParamRef(), "bigint")
			}
		}
		return true
	})
	return types
}

// resultTypes follows a query's select list to the table columns it
// returns as they are, so that clients see their declared types
// (varchar(12), jsonb) rather than the engine's. Expressions get "".
func resultTypes(n *pg.Node, aliases map[string]*Object, objs []*Object) []string {
	sel := n.GetSelectStmt()
	if sel == nil || sel.Op != pg.SetOperation_SETOP_NONE || len(sel.TargetList) == 0 {
		return nil
	}
	var out []string
	for _, t := range sel.TargetList {
		rt := t.GetResTarget()
		if rt == nil {
			return nil
		}
		cr := rt.Val.GetColumnRef()
		if cr == nil {
			out = append(out, "")
			continue
		}
		var names []string
		star := false
		for _, f := range cr.Fields {
			if s := f.GetString_(); s != nil {
				names = append(names, strings.TrimPrefix(s.Sval, quoteMark))
			} else if f.GetAStar() != nil {
				star = true
			}
		}
		switch {
		case star && len(names) == 0 && len(objs) == 1 && len(sel.FromClause) == 1 && sel.FromClause[0].GetRangeVar() != nil:
			for _, c := range objs[0].ColumnOrder {
				out = append(out, objs[0].Columns[c])
			}
		case star && len(names) == 1 && aliases[names[0]] != nil:
			o := aliases[names[0]]
			for _, c := range o.ColumnOrder {
				out = append(out, o.Columns[c])
			}
		case star:
			return nil
		case len(names) == 1:
			typ := ""
			for _, o := range objs {
				if t, ok := o.Columns[names[0]]; ok {
					if typ != "" {
						typ = ""
						break
					}
					typ = t
				}
			}
			out = append(out, typ)
		case len(names) == 2 && aliases[names[0]] != nil:
			out = append(out, aliases[names[0]].Columns[names[1]])
		default:
			out = append(out, "")
		}
	}
	return out
}

// paramsAsPositions reports a parameter used directly as an ORDER BY,
// GROUP BY or DISTINCT ON item, where a constant means a column position.
func paramsAsPositions(n *pg.Node) bool {
	found := false
	walk(n, func(m protoreflect.Message) bool {
		sel, ok := m.Interface().(*pg.SelectStmt)
		if !ok || found {
			return !found
		}
		for _, s := range sel.SortClause {
			if sb := s.GetSortBy(); sb != nil && sb.Node.GetParamRef() != nil {
				found = true
			}
		}
		for _, g := range append(append([]*pg.Node{}, sel.GroupClause...), sel.DistinctClause...) {
			if g.GetParamRef() != nil {
				found = true
			}
		}
		return true
	})
	return found
}
