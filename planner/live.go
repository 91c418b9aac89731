package planner

import (
	"strings"

	pg "github.com/pganalyze/pg_query_go/v6"
	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/hotdata-dev/hotdata/internal/pgerr"
	"github.com/hotdata-dev/hotdata/translate"
)

// errLiveCatalog refuses a live statement that reads the emulated
// catalog: it lives in Hotdata, the rest of the statement upstream.
var errLiveCatalog = pgerr.New(pgerr.FeatureNotSupported, "a live query cannot read pg_catalog or information_schema together with upstream tables").
	WithHint("SET hotdata.freshness = cached to join the catalog with cached tables.")

// liveCheck decides whether a statement may go to the upstream as the
// client wrote it: it must not read the emulated catalog, and each
// function, operator and cast must be a built-in that only computes
// (translate.LiveFunction). Nil when it may.
func liveCheck(stmt *pg.Node, readsSystem bool, params []translate.Type, cat *Catalog, tables []*Object) error {
	if readsSystem {
		return errLiveCatalog
	}
	for _, p := range params {
		if err := translate.LiveParamType(p.OID); err != nil {
			return err
		}
	}
	var err error
	walk(stmt, func(m protoreflect.Message) bool {
		if err != nil {
			return false
		}
		switch n := m.Interface().(type) {
		case *pg.FuncCall:
			schema, name := qualifiedName(n.Funcname)
			if schema != "" && schema != "pg_catalog" {
				err = pgerr.New(pgerr.FeatureNotSupported, "function %s.%s is not a PostgreSQL built-in: a live query calls only built-in functions", schema, name)
				return false
			}
			if name == "pg_typeof" && !userTyped(stmt, cat, tables) && !wholeRowArg(stmt, n) {
				// Built-in types print alike under any search_path; the
				// upstream's own would print schema-qualified there.
				break
			}
			err = translate.LiveFunction(name)
		case *pg.A_Expr:
			switch n.Kind {
			case pg.A_Expr_Kind_AEXPR_OP, pg.A_Expr_Kind_AEXPR_OP_ANY, pg.A_Expr_Kind_AEXPR_OP_ALL,
				pg.A_Expr_Kind_AEXPR_DISTINCT, pg.A_Expr_Kind_AEXPR_NOT_DISTINCT, pg.A_Expr_Kind_AEXPR_NULLIF,
				pg.A_Expr_Kind_AEXPR_IN, pg.A_Expr_Kind_AEXPR_LIKE, pg.A_Expr_Kind_AEXPR_ILIKE, pg.A_Expr_Kind_AEXPR_SIMILAR:
				err = liveOperator(n.Name)
			}
		case *pg.ColumnRef:
			// x.f (and (x).f) is f(x) when x has no column f: a function
			// called without a FuncCall node. Column names that are the
			// names of catalog functions are refused with them.
			if len(n.Fields) >= 2 {
				if s := n.Fields[len(n.Fields)-1].GetString_(); s != nil && strings.HasPrefix(s.Sval, "pg_") && translate.BuiltinFunction(s.Sval) {
					err = translate.LiveFunction(s.Sval)
				}
			}
		case *pg.A_Indirection:
			for _, ind := range n.Indirection {
				if s := ind.GetString_(); s != nil && translate.BuiltinFunction(s.Sval) {
					if e := translate.LiveFunction(s.Sval); e != nil {
						err = e
					}
				}
			}
		case *pg.SubLink:
			err = liveOperator(n.OperName)
		case *pg.SortBy:
			err = liveOperator(n.UseOp)
		case *pg.TypeName:
			// Casts, column definition lists (AS x(col type)), ROWS FROM,
			// XMLSERIALIZE: every type the statement names.
			schema, name := qualifiedName(n.Names)
			if _, _, enum := cat.upstreamEnum(typeNameParts(n)); enum {
				// An enum's input reads labels only (enum_in): no code of
				// the upstream's runs (its domains' CHECKs could).
				break
			}
			if name != "" {
				err = translate.LiveType(schema, name)
			}
		case *pg.SQLValueFunction:
			switch n.Op {
			case pg.SQLValueFunctionOp_SVFOP_CURRENT_USER, pg.SQLValueFunctionOp_SVFOP_CURRENT_ROLE,
				pg.SQLValueFunctionOp_SVFOP_SESSION_USER, pg.SQLValueFunctionOp_SVFOP_USER,
				pg.SQLValueFunctionOp_SVFOP_CURRENT_CATALOG, pg.SQLValueFunctionOp_SVFOP_CURRENT_SCHEMA:
				err = pgerr.New(pgerr.FeatureNotSupported, "a live query cannot read the upstream session's user, database or schema").
					WithHint("SET hotdata.freshness = cached to read Hotdata's.")
			}
		}
		return err == nil
	})
	return err
}

// liveOperator checks an operator name (as the parser gives it; empty
// for none): a built-in, unqualified or in pg_catalog.
func liveOperator(names []*pg.Node) error {
	schema, name := qualifiedName(names)
	if name == "" {
		return nil
	}
	if schema != "" && schema != "pg_catalog" || !translate.BuiltinOperator(name) {
		return pgerr.New(pgerr.FeatureNotSupported, "operator %s is not a PostgreSQL built-in: a live query uses only built-in operators", name).
			WithHint("Hotdata sends a live query to the upstream as written; it does not call the upstream's own operators.")
	}
	return nil
}

// qualifiedName splits a parser name list (String nodes) into its schema
// (empty when unqualified) and last name.
func qualifiedName(names []*pg.Node) (schema, name string) {
	var parts []string
	for _, n := range names {
		if s := n.GetString_(); s != nil {
			parts = append(parts, s.Sval)
		}
	}
	switch len(parts) {
	case 0:
		return "", ""
	case 1:
		return "", parts[0]
	}
	return parts[len(parts)-2], parts[len(parts)-1]
}

// maxParam is the highest parameter number ($n) a statement uses.
func maxParam(stmt *pg.Node) int {
	n := 0
	walk(stmt, func(m protoreflect.Message) bool {
		if p, ok := m.Interface().(*pg.ParamRef); ok && int(p.Number) > n {
			n = int(p.Number)
		}
		return true
	})
	return n
}

// LiveErr is why the statement cannot go to the upstream, nil when it
// can (for plans made with Options.Live).
func (s *Statement) LiveErr() error { return s.liveErr }

// EngineErr is why the cache engine cannot run a statement planned for
// the live route only; nil when it can.
func (s *Statement) EngineErr() error { return s.engineErr }

// typeNameParts are a type name's parts (pg_catalog.int4 → pg_catalog, int4).
func typeNameParts(tn *pg.TypeName) []string {
	var out []string
	for _, n := range tn.Names {
		if s := n.GetString_(); s != nil {
			out = append(out, s.Sval)
		}
	}
	return out
}

// userTyped reports whether a statement may compute values of an
// upstream's own type: it reads a table with such columns or names an
// upstream enum.
func userTyped(stmt *pg.Node, cat *Catalog, tables []*Object) bool {
	for _, t := range tables {
		if len(t.UserTypes) > 0 {
			return true
		}
	}
	found := false
	walk(stmt, func(m protoreflect.Message) bool {
		if tn, ok := m.Interface().(*pg.TypeName); ok {
			if _, _, enum := cat.upstreamEnum(typeNameParts(tn)); enum {
				found = true
			}
		}
		return !found
	})
	return found
}

// wholeRowArg reports whether a call's arguments may name a table's
// whole row (emp or e.emp where emp or e is a table or its alias): a
// value of the table's own row type, which the upstream prints with its
// schema.
func wholeRowArg(stmt *pg.Node, fc *pg.FuncCall) bool {
	names := map[string]bool{}
	walk(stmt, func(m protoreflect.Message) bool {
		if rv, ok := m.Interface().(*pg.RangeVar); ok {
			names[rv.Relname] = true
			if rv.Alias != nil {
				names[rv.Alias.Aliasname] = true
			}
		}
		return true
	})
	found := false
	for _, a := range fc.Args {
		walk(a, func(m protoreflect.Message) bool {
			if cr, ok := m.Interface().(*pg.ColumnRef); ok && len(cr.Fields) > 0 {
				last := cr.Fields[len(cr.Fields)-1]
				if s := last.GetString_(); s != nil && names[s.Sval] || last.GetAStar() != nil {
					found = true
				}
			}
			return !found
		})
	}
	return found
}
