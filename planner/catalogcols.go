package planner

import (
	"strconv"
	"strings"
	"sync"

	pg "github.com/pganalyze/pg_query_go/v6"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/hotdata-dev/hotdata/internal/pgerr"
	"github.com/hotdata-dev/hotdata/pgcatalog"
)

// This file rewrites the columns the emulated catalog holds otherwise
// than PostgreSQL prints them: regproc columns (OIDs in the engine, so
// that they join with pg_proc.oid, printed as the function's name),
// int2vector and oidvector columns (lists in the engine, printed as
// numbers separated by spaces) and the system column tableoid (the OID
// of the relation a row comes from, which the engine's tables do not
// have).

// systemRelations maps the emulated relations' objects back to their
// relations, for the PostgreSQL types of their columns.
// (systemObjects is filled by an init function.)
var systemRelations = sync.OnceValue(func() map[*Object]*pgcatalog.Relation {
	m := make(map[*Object]*pgcatalog.Relation, len(systemObjects))
	for rel, o := range systemObjects {
		m[o] = rel
	}
	return m
})

// outputFunction is the catalog function that prints a column of an
// emulated relation as PostgreSQL does, "" for the columns the engine
// prints so already: a regproc's name, an int2vector's or oidvector's
// numbers separated by spaces (the engine holds them as lists).
func outputFunction(o *Object, col string) string {
	rel := systemRelations()[o]
	if rel == nil {
		return ""
	}
	switch rel.Types[col] {
	case "regproc":
		return "hd_regproc_out"
	case "int2vector", "oidvector":
		return "hd_vector_out"
	}
	return ""
}

// catalogColumns rewrites n's regproc and vector columns in the
// top-level select list (and the stars that stand for them) to print as
// PostgreSQL does, and its
// references to tableoid to the relation's OID. objs are the objects the
// statement's range variables were resolved to.
func catalogColumns(n *pg.Node, objs map[*pg.RangeVar]*Object) {
	walk(n, func(m protoreflect.Message) bool {
		if sel, ok := m.Interface().(*pg.SelectStmt); ok {
			tableOIDs(sel, objs)
		}
		return true
	})
	if sel := n.GetSelectStmt(); sel != nil && sel.Op == pg.SetOperation_SETOP_NONE {
		outputColumns(sel, objs)
	}
}

// fromItem is one relation of a FROM clause, by the name that
// qualifies its columns.
type fromItem struct {
	name string
	obj  *Object // nil for subqueries and functions
}

// fromItems lists the relations of a FROM clause in order; ok is false
// when a join merges columns (USING, NATURAL), so that * is not the
// columns of each in turn.
func fromItems(from []*pg.Node, objs map[*pg.RangeVar]*Object) (items []fromItem, ok bool) {
	ok = true
	var add func(n *pg.Node)
	add = func(n *pg.Node) {
		switch v := n.Node.(type) {
		case *pg.Node_RangeVar:
			name := v.RangeVar.Relname
			if v.RangeVar.Alias != nil && v.RangeVar.Alias.Aliasname != "" {
				name = v.RangeVar.Alias.Aliasname
			}
			items = append(items, fromItem{name, objs[v.RangeVar]})
		case *pg.Node_JoinExpr:
			if v.JoinExpr.IsNatural || len(v.JoinExpr.UsingClause) > 0 {
				ok = false
			}
			add(v.JoinExpr.Larg)
			add(v.JoinExpr.Rarg)
		default:
			items = append(items, fromItem{})
		}
	}
	for _, f := range from {
		add(f)
	}
	return items, ok
}

// outputColumns wraps the select list's columns that outputFunction
// names in it, keeping their names, and spells out a * that covers any.
func outputColumns(sel *pg.SelectStmt, objs map[*pg.RangeVar]*Object) {
	items, plain := fromItems(sel.FromClause, objs)
	byName := map[string]*Object{}
	for _, it := range items {
		byName[it.name] = it.obj
	}
	hasRegproc := func(o *Object) bool {
		for _, c := range o.ColumnOrder {
			if outputFunction(o, c) != "" {
				return true
			}
		}
		return false
	}
	expand := func(name string, o *Object) []*pg.Node {
		out := make([]*pg.Node, 0, len(o.ColumnOrder))
		for _, c := range o.ColumnOrder {
			ref := pg.MakeColumnRefNode([]*pg.Node{pg.MakeStrNode(name), pg.MakeStrNode(c)}, -1)
			if f := outputFunction(o, c); f != "" {
				out = append(out, pg.MakeResTargetNodeWithNameAndVal(c, callNode(f, ref), -1))
			} else {
				out = append(out, pg.MakeResTargetNodeWithVal(ref, -1))
			}
		}
		return out
	}
	var targets []*pg.Node
	for _, t := range sel.TargetList {
		rt := t.GetResTarget()
		if tc := rt.GetVal().GetTypeCast(); tc != nil {
			// 'name'::regproc (and regclass, …) is an OID in an
			// expression; as a result column it prints as the name.
			if out := regOutput(tc); out != "" {
				if _, isString := stringConst(tc.Arg); isString {
					name := rt.Name
					if name == "" {
						name, _ = figureColname(rt.Val)
					}
					targets = append(targets, pg.MakeResTargetNodeWithNameAndVal(name, callNode(out, rt.Val), rt.Location))
					continue
				}
			}
		}
		cr := rt.GetVal().GetColumnRef()
		if cr == nil {
			targets = append(targets, t)
			continue
		}
		var names []string
		star := false
		for _, f := range cr.Fields {
			if s := f.GetString_(); s != nil {
				names = append(names, s.Sval)
			} else if f.GetAStar() != nil {
				star = true
			}
		}
		switch {
		case star && len(names) == 0:
			// * is every column of every relation, in order: spelled
			// out when all are known and one holds a regproc.
			known, any := plain, false
			for _, it := range items {
				known = known && it.obj != nil
				any = any || it.obj != nil && hasRegproc(it.obj)
			}
			if !known || !any {
				targets = append(targets, t)
				continue
			}
			for _, it := range items {
				targets = append(targets, expand(it.name, it.obj)...)
			}
		case star && len(names) == 1:
			if o := byName[names[0]]; o != nil && hasRegproc(o) {
				targets = append(targets, expand(names[0], o)...)
			} else {
				targets = append(targets, t)
			}
		case len(names) == 1 || len(names) == 2:
			col := names[len(names)-1]
			var o *Object
			if len(names) == 2 {
				o = byName[names[0]]
			} else {
				for _, it := range items {
					if it.obj != nil {
						if _, has := it.obj.Columns[col]; has {
							if o != nil {
								o = nil // ambiguous: the engine says so
								break
							}
							o = it.obj
						}
					}
				}
			}
			if f := outputFunction(o, col); o != nil && f != "" {
				name := rt.Name
				if name == "" {
					name = col
				}
				targets = append(targets, pg.MakeResTargetNodeWithNameAndVal(name, callNode(f, rt.Val), rt.Location))
			} else {
				targets = append(targets, t)
			}
		default:
			targets = append(targets, t)
		}
	}
	sel.TargetList = targets
}

// tableOIDs replaces sel's references to tableoid (qualified by a
// relation of its FROM clause, or unqualified when that clause has one
// relation) with the relation's OID, in sel's own expressions.
func tableOIDs(sel *pg.SelectStmt, objs map[*pg.RangeVar]*Object) {
	items, _ := fromItems(sel.FromClause, objs)
	if len(items) == 0 {
		return
	}
	oidOf := func(o *Object) (uint32, bool) {
		if o == nil {
			return 0, false
		}
		if o.Kind == KindSystem {
			return pgcatalog.RelationOID(o.Name)
		}
		return o.OID, o.OID != 0
	}
	visit := func(m protoreflect.Message) bool {
		switch v := m.Interface().(type) {
		case *pg.SelectStmt:
			return false // its own FROM clause decides
		case *pg.Node:
			cr := v.GetColumnRef()
			if cr == nil || len(cr.Fields) == 0 || len(cr.Fields) > 2 {
				return true
			}
			if s := cr.Fields[len(cr.Fields)-1].GetString_(); s == nil || s.Sval != "tableoid" {
				return true
			}
			var obj *Object
			if len(cr.Fields) == 2 {
				q := cr.Fields[0].GetString_()
				if q == nil {
					return true
				}
				for _, it := range items {
					if it.name == q.Sval {
						obj = it.obj
					}
				}
			} else if len(items) == 1 {
				obj = items[0].obj
			}
			if oid, ok := oidOf(obj); ok {
				v.Node = castNode(pg.MakeAConstIntNode(int64(oid), -1), "uinteger").Node
			}
			return false
		}
		return true
	}
	for _, t := range sel.TargetList {
		// A bare tableoid keeps its name as a result column.
		if rt := t.GetResTarget(); rt != nil && rt.Name == "" {
			if cr := rt.Val.GetColumnRef(); cr != nil && len(cr.Fields) > 0 {
				if s := cr.Fields[len(cr.Fields)-1].GetString_(); s != nil && s.Sval == "tableoid" {
					rt.Name = "tableoid"
				}
			}
		}
	}
	for _, list := range [][]*pg.Node{sel.TargetList, sel.GroupClause, sel.SortClause, sel.DistinctClause} {
		for _, n := range list {
			walkMessage(n.ProtoReflect(), visit)
		}
	}
	for _, n := range []*pg.Node{sel.WhereClause, sel.HavingClause} {
		if n != nil {
			walkMessage(n.ProtoReflect(), visit)
		}
	}
	var joins func(n *pg.Node)
	joins = func(n *pg.Node) {
		if j := n.GetJoinExpr(); j != nil {
			if j.Quals != nil {
				walkMessage(j.Quals.ProtoReflect(), visit)
			}
			joins(j.Larg)
			joins(j.Rarg)
		}
	}
	for _, f := range sel.FromClause {
		joins(f)
	}
}

// regprocOID looks up 'name'::regproc (one function of that name) or
// 'name(types)'::regprocedure among the built-in functions, with
// PostgreSQL's errors.
func regprocOID(typ, s string) (uint32, *pgerr.Error) {
	if s == "-" {
		return 0, nil
	}
	if n, err := strconv.ParseUint(strings.TrimSpace(s), 10, 32); err == nil {
		return uint32(n), nil // an OID is taken as is
	}
	if typ == "regproc" && strings.Contains(s, "(") {
		return 0, pgerr.New(pgerr.InvalidTextRepresentation, "invalid name syntax")
	}
	if typ == "regprocedure" && !strings.Contains(s, "(") {
		return 0, pgerr.New(pgerr.InvalidTextRepresentation, "expected a left parenthesis")
	}
	oids := pgcatalog.ProcOIDs(s)
	switch {
	case len(oids) == 0:
		return 0, pgerr.New(pgerr.UndefinedFunction, "function %q does not exist", s)
	case len(oids) > 1:
		return 0, pgerr.New(pgerr.AmbiguousFunction, "more than one function named %q", s)
	}
	return oids[0], nil
}

// regOutput is the function that prints a value of the OID alias type
// tc casts to ("" for other types).
func regOutput(tc *pg.TypeCast) string {
	if tc.TypeName == nil || len(tc.TypeName.ArrayBounds) > 0 {
		return ""
	}
	parts := strs(tc.TypeName.Names)
	if len(parts) == 0 || len(parts) > 2 || len(parts) == 2 && parts[0] != "pg_catalog" {
		return ""
	}
	switch typ := parts[len(parts)-1]; typ {
	case "regproc", "regprocedure", "regclass", "regtype", "regnamespace", "regrole":
		return "hd_" + typ + "_out"
	}
	return ""
}

// checkTypeNames fails with PostgreSQL's error for a type name that
// PostgreSQL has not (in pg_catalog, where an unqualified name is looked
// up first): 42704 type "x" does not exist, at the name. Names in other
// schemas are left to the engine.
func checkTypeNames(sql string, n proto.Message) error {
	var err error
	walk(n, func(m protoreflect.Message) bool {
		tn, ok := m.Interface().(*pg.TypeName)
		if !ok || err != nil {
			return err == nil
		}
		parts := strs(tn.Names)
		if len(parts) != len(tn.Names) || len(parts) == 0 || len(parts) > 2 || len(parts) == 2 && parts[0] != "pg_catalog" {
			return true
		}
		name := parts[len(parts)-1]
		if !pgcatalog.IsTypeName(name) && !regTypes[name] && engineTypeNames[name] == "" && !deparsedTypes[name] {
			e := pgerr.New(pgerr.UndefinedObject, "type %q does not exist", name)
			e.Position = charPosition(sql, tn.Location)
			err = e
		}
		return true
	})
	return err
}

// regArrayCast turns x::regtype[] (and the other OID alias types) of an
// array of OIDs into the array of the names they print as (pgcli lists
// functions with proargtypes::regtype[]).
func regArrayCast(node *pg.Node, tc *pg.TypeCast, st *Statement) {
	out := regOutput(&pg.TypeCast{TypeName: &pg.TypeName{Names: tc.TypeName.Names}})
	if out == "" || tc.Arg == nil {
		return
	}
	if _, isString := stringConst(tc.Arg); isString || tc.Arg.GetAArrayExpr() != nil || tc.Arg.GetParamRef() != nil {
		return
	}
	st.Catalog = true
	node.Node = callNode(strings.TrimSuffix(out, "_out")+"_array_out", tc.Arg).Node
}

// regComparison makes a comparison of OID alias values compare OIDs, as
// PostgreSQL does: x::regtype, which prints as a name elsewhere, stays an
// OID beside 'trigger'::regtype or another reg cast, and a string beside
// it is read as that type (pgcli: p.prorettype::regtype != 'trigger'::regtype).
func regComparison(e *pg.A_Expr) {
	if e.Kind != pg.A_Expr_Kind_AEXPR_OP || e.Lexpr == nil || e.Rexpr == nil {
		return
	}
	switch op := strs(e.Name); {
	case len(op) != 1:
		return
	case op[0] != "=" && op[0] != "<>" && op[0] != "!=" && op[0] != "<" && op[0] != "<=" && op[0] != ">" && op[0] != ">=":
		return
	}
	lt, rt := regCastOf(e.Lexpr), regCastOf(e.Rexpr)
	if lt == nil && rt == nil {
		return
	}
	for _, side := range []struct {
		n     *pg.Node
		cast  *pg.TypeCast
		other *pg.TypeCast
	}{{e.Lexpr, lt, rt}, {e.Rexpr, rt, lt}} {
		switch {
		case side.cast != nil && !isTextExpr(side.cast.Arg) && side.cast.Arg.GetParamRef() == nil:
			// An OID expression: compared as the OID it is.
			side.n.Node = castNode(side.cast.Arg, "uinteger").Node
		case side.cast == nil && side.other != nil:
			// 'name' (or a parameter) beside a reg value: read as that
			// type, looked up by name.
			if _, isString := stringConst(side.n); isString || side.n.GetParamRef() != nil {
				side.n.Node = &pg.Node_TypeCast{TypeCast: &pg.TypeCast{Arg: &pg.Node{Node: side.n.Node},
					TypeName: &pg.TypeName{Names: side.other.TypeName.Names, Typemod: -1, Location: -1}, Location: -1}}
			}
		}
	}
}

// regCastOf is n as a cast to an OID alias type that names objects, or
// nil.
func regCastOf(n *pg.Node) *pg.TypeCast {
	if tc := n.GetTypeCast(); tc != nil && regOutput(tc) != "" {
		return tc
	}
	return nil
}
