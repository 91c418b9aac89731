package planner

import (
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
