package translate

import (
	"strings"

	pg "github.com/pganalyze/pg_query_go/v6"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// strs returns the string values of a list of String nodes.
func strs(nodes []*pg.Node) []string {
	out := make([]string, 0, len(nodes))
	for _, n := range nodes {
		if s := n.GetString_(); s != nil {
			out = append(out, s.Sval)
		}
	}
	return out
}

// nodeKind names a node's type as pg_query's JSON does ("select_stmt").
func nodeKind(n *pg.Node) string {
	if n == nil {
		return ""
	}
	m := n.ProtoReflect()
	if fd := m.WhichOneof(m.Descriptor().Oneofs().ByName("node")); fd != nil {
		return string(fd.Name())
	}
	return ""
}

// nodeLocation is a node's location field (-1 when it has none).
func nodeLocation(n *pg.Node) int32 {
	if n == nil {
		return -1
	}
	m := n.ProtoReflect()
	fd := m.WhichOneof(m.Descriptor().Oneofs().ByName("node"))
	if fd == nil {
		return -1
	}
	inner := m.Get(fd).Message()
	if loc := inner.Descriptor().Fields().ByName("location"); loc != nil {
		return int32(inner.Get(loc).Int())
	}
	// A_Expr and friends: the location of their left operand.
	switch v := n.Node.(type) {
	case *pg.Node_AExpr:
		return v.AExpr.Location
	case *pg.Node_TypeCast:
		return v.TypeCast.Location
	}
	return -1
}

// walkNodes calls f for every Node in n's tree, depth first, until f
// returns false.
func walkNodes(n *pg.Node, f func(*pg.Node) bool) {
	if n == nil {
		return
	}
	var visit func(m protoreflect.Message) bool
	visit = func(m protoreflect.Message) bool {
		if node, ok := m.Interface().(*pg.Node); ok {
			if !f(node) {
				return false
			}
		}
		cont := true
		m.Range(func(fd protoreflect.FieldDescriptor, v protoreflect.Value) bool {
			switch {
			case fd.IsList() && fd.Kind() == protoreflect.MessageKind:
				l := v.List()
				for i := 0; i < l.Len(); i++ {
					if !visit(l.Get(i).Message()) {
						cont = false
						return false
					}
				}
			case fd.Kind() == protoreflect.MessageKind && !fd.IsMap():
				if !visit(v.Message()) {
					cont = false
					return false
				}
			}
			return true
		})
		return cont
	}
	visit(n.ProtoReflect())
}

// figureColname names a select list item as PostgreSQL does when it has
// no AS (FigureColnameInternal).
func figureColname(n *pg.Node) string {
	name, _ := figureColnameInternal(n)
	if name == "" {
		return "?column?"
	}
	return name
}

// figureColnameInternal returns a name and its strength (2: a real name,
// 1: a fallback such as a type name).
func figureColnameInternal(n *pg.Node) (string, int) {
	if n == nil {
		return "", 0
	}
	switch v := n.Node.(type) {
	case *pg.Node_ColumnRef:
		f := v.ColumnRef.Fields
		for i := len(f) - 1; i >= 0; i-- {
			if s := f[i].GetString_(); s != nil {
				return s.Sval, 2
			}
		}
	case *pg.Node_AIndirection:
		ind := v.AIndirection.Indirection
		for i := len(ind) - 1; i >= 0; i-- {
			if s := ind[i].GetString_(); s != nil {
				return s.Sval, 2
			}
			if ind[i].GetAStar() != nil {
				return "", 0
			}
		}
		return figureColnameInternal(v.AIndirection.Arg)
	case *pg.Node_FuncCall:
		parts := strs(v.FuncCall.Funcname)
		if len(parts) > 0 {
			return parts[len(parts)-1], 2
		}
	case *pg.Node_AExpr:
		if v.AExpr.Kind == pg.A_Expr_Kind_AEXPR_NULLIF {
			return "nullif", 2
		}
	case *pg.Node_TypeCast:
		name, strength := figureColnameInternal(v.TypeCast.Arg)
		if strength <= 1 && v.TypeCast.TypeName != nil {
			parts := strs(v.TypeCast.TypeName.Names)
			if len(parts) > 0 {
				return parts[len(parts)-1], 1
			}
		}
		return name, strength
	case *pg.Node_CollateClause:
		return figureColnameInternal(v.CollateClause.Arg)
	case *pg.Node_GroupingFunc:
		return "grouping", 2
	case *pg.Node_SubLink:
		switch v.SubLink.SubLinkType {
		case pg.SubLinkType_EXISTS_SUBLINK:
			return "exists", 2
		case pg.SubLinkType_ARRAY_SUBLINK:
			return "array", 2
		case pg.SubLinkType_EXPR_SUBLINK:
			if sel := v.SubLink.Subselect.GetSelectStmt(); sel != nil {
				for sel.Op != pg.SetOperation_SETOP_NONE && sel.Op != pg.SetOperation_SET_OPERATION_UNDEFINED && sel.Larg != nil {
					sel = sel.Larg
				}
				if len(sel.TargetList) > 0 {
					if rt := sel.TargetList[0].GetResTarget(); rt != nil {
						if rt.Name != "" {
							return rt.Name, 2
						}
						// The subquery's own column name, ?column? too.
						return figureColname(rt.Val), 2
					}
				}
			}
		}
	case *pg.Node_CaseExpr:
		name, strength := figureColnameInternal(v.CaseExpr.Defresult)
		if strength <= 1 {
			return "case", 1
		}
		return name, strength
	case *pg.Node_AArrayExpr:
		return "array", 2 // ARRAY[] names its column as a function would
	case *pg.Node_RowExpr:
		return "row", 2
	case *pg.Node_CoalesceExpr:
		return "coalesce", 2
	case *pg.Node_MinMaxExpr:
		if v.MinMaxExpr.Op == pg.MinMaxOp_IS_GREATEST {
			return "greatest", 2
		}
		return "least", 2
	case *pg.Node_SqlvalueFunction:
		return sqlValueFunctionName(v.SqlvalueFunction.Op), 2
	case *pg.Node_XmlExpr:
		return "xmlelement", 2
	}
	return "", 0
}

func sqlValueFunctionName(op pg.SQLValueFunctionOp) string {
	switch op {
	case pg.SQLValueFunctionOp_SVFOP_CURRENT_DATE:
		return "current_date"
	case pg.SQLValueFunctionOp_SVFOP_CURRENT_TIME, pg.SQLValueFunctionOp_SVFOP_CURRENT_TIME_N:
		return "current_time"
	case pg.SQLValueFunctionOp_SVFOP_CURRENT_TIMESTAMP, pg.SQLValueFunctionOp_SVFOP_CURRENT_TIMESTAMP_N:
		return "current_timestamp"
	case pg.SQLValueFunctionOp_SVFOP_LOCALTIME, pg.SQLValueFunctionOp_SVFOP_LOCALTIME_N:
		return "localtime"
	case pg.SQLValueFunctionOp_SVFOP_LOCALTIMESTAMP, pg.SQLValueFunctionOp_SVFOP_LOCALTIMESTAMP_N:
		return "localtimestamp"
	case pg.SQLValueFunctionOp_SVFOP_CURRENT_ROLE:
		return "current_role"
	case pg.SQLValueFunctionOp_SVFOP_CURRENT_USER:
		return "current_user"
	case pg.SQLValueFunctionOp_SVFOP_USER:
		return "user"
	case pg.SQLValueFunctionOp_SVFOP_SESSION_USER:
		return "session_user"
	case pg.SQLValueFunctionOp_SVFOP_CURRENT_CATALOG:
		return "current_catalog"
	case pg.SQLValueFunctionOp_SVFOP_CURRENT_SCHEMA:
		return "current_schema"
	}
	return strings.ToLower(op.String())
}
