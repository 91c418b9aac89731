package planner

import (
	"strings"

	pg "github.com/pganalyze/pg_query_go/v6"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// nameColumns gives every unnamed select-list expression the name
// PostgreSQL would give it (FigureColname in src/backend/parser/
// parse_target.c): count(*) is "count", 1 is "?column?", x::int is "x".
// The engine names them differently (count_star(), 1, …), and clients
// read results by those names.
func nameColumns(n *pg.Node) {
	walk(n, func(m protoreflect.Message) bool {
		sel, ok := m.Interface().(*pg.SelectStmt)
		if !ok {
			return true
		}
		for _, t := range sel.TargetList {
			rt := t.GetResTarget()
			if rt == nil || rt.Name != "" || rt.Val == nil {
				continue
			}
			switch rt.Val.Node.(type) {
			case *pg.Node_ColumnRef, *pg.Node_AIndirection:
				// The engine names these as PostgreSQL does.
				continue
			}
			if name, _ := figureColname(rt.Val); name != "" {
				rt.Name = name
			}
		}
		return true
	})
}

// figureColname returns the column name of an expression and how sure
// the rule is (2: a real name, 1: a fallback like "case", 0: "?column?").
func figureColname(n *pg.Node) (string, int) {
	if n == nil {
		return "?column?", 0
	}
	switch v := n.Node.(type) {
	case *pg.Node_ColumnRef:
		fields := v.ColumnRef.Fields
		if len(fields) > 0 {
			if s := fields[len(fields)-1].GetString_(); s != nil {
				return s.Sval, 2
			}
		}
	case *pg.Node_AIndirection:
		ind := v.AIndirection.Indirection
		if len(ind) > 0 {
			if s := ind[len(ind)-1].GetString_(); s != nil {
				return s.Sval, 2
			}
		}
		return figureColname(v.AIndirection.Arg)
	case *pg.Node_FuncCall:
		names := v.FuncCall.Funcname
		if len(names) > 0 {
			if s := names[len(names)-1].GetString_(); s != nil {
				return s.Sval, 2
			}
		}
	case *pg.Node_AExpr:
		if v.AExpr.Kind == pg.A_Expr_Kind_AEXPR_NULLIF {
			return "nullif", 2
		}
	case *pg.Node_TypeCast:
		if name, strength := figureColname(v.TypeCast.Arg); strength > 1 {
			return name, strength
		}
		if tn := v.TypeCast.TypeName; tn != nil && len(tn.Names) > 0 {
			if s := tn.Names[len(tn.Names)-1].GetString_(); s != nil {
				return s.Sval, 1
			}
		}
	case *pg.Node_CollateClause:
		return figureColname(v.CollateClause.Arg)
	case *pg.Node_GroupingFunc:
		return "grouping", 2
	case *pg.Node_SubLink:
		switch v.SubLink.SubLinkType {
		case pg.SubLinkType_EXISTS_SUBLINK:
			return "exists", 2
		case pg.SubLinkType_ARRAY_SUBLINK:
			return "array", 2
		case pg.SubLinkType_EXPR_SUBLINK:
			if sel := v.SubLink.Subselect.GetSelectStmt(); sel != nil && len(sel.TargetList) > 0 {
				if rt := sel.TargetList[0].GetResTarget(); rt != nil {
					if rt.Name != "" {
						return rt.Name, 2
					}
					return figureColname(rt.Val)
				}
			}
		}
	case *pg.Node_CaseExpr:
		return "case", 1
	case *pg.Node_AArrayExpr:
		return "array", 1
	case *pg.Node_RowExpr:
		return "row", 1
	case *pg.Node_CoalesceExpr:
		return "coalesce", 2
	case *pg.Node_MinMaxExpr:
		if v.MinMaxExpr.Op == pg.MinMaxOp_IS_GREATEST {
			return "greatest", 2
		}
		return "least", 2
	case *pg.Node_SqlvalueFunction:
		name := strings.TrimPrefix(strings.ToLower(v.SqlvalueFunction.Op.String()), "svfop_")
		return strings.TrimSuffix(name, "_n"), 2
	}
	return "?column?", 0
}
