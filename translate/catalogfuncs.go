package translate

import (
	"strconv"
	"strings"
)

// CatalogFunctions implements PostgreSQL functions by engine macros of
// the same name in schema (the emulated catalog's format_type,
// pg_get_expr, …): every pg_proc overload of each name calls the macro
// with its arguments, the result cast to the engine type of the
// function's result. Functions the analyzer implements itself are left
// out.
func CatalogFunctions(names []string, schema string) map[string]*Impl {
	out := map[string]*Impl{}
	for _, name := range names {
		for _, p := range procsByName[name] {
			key := procKey(p)
			if impls[key] != nil || p.retset {
				continue
			}
			ret := Type{p.ret, -1}
			call := schema + "." + name
			out[key] = &Impl{Catalog: true, Volatile: p.volatile == 'v', Build: func(c *Call) (string, error) {
				args := make([]string, len(c.args))
				for i, a := range c.args {
					args[i] = c.engineArg(a)
				}
				sql := call + "(" + strings.Join(args, ", ") + ")"
				if et, err := engineType(ret, numText); err == nil && ret.OID != OIDAny && !ret.IsPolymorphic() && ret.OID != OIDRecord {
					sql = "CAST(" + sql + " AS " + et + ")"
				}
				return sql, nil
			}}
		}
	}
	return out
}

// engineArg is an argument as a catalog macro takes it: numerics as
// text, everything else as the engine holds it.
func (c *Call) engineArg(a *expr) string {
	if a.typ.OID == OIDNumeric {
		return textNum(a)
	}
	return a.sql
}

// CatalogTableFunctions implements set-returning catalog functions by
// engine table macros: they are read in FROM (a subquery over the macro).
func CatalogTableFunctions(names []string, schema string, scalar map[string]bool) map[string]*Impl {
	out := map[string]*Impl{}
	for _, name := range names {
		for _, p := range procsByName[name] {
			if !p.retset {
				continue
			}
			call := schema + "." + name
			p, name := p, name
			out[procKey(p)] = &Impl{Catalog: true, Build: func(c *Call) (string, error) {
				args := make([]string, len(c.args))
				for i, a := range c.args {
					args[i] = c.engineArg(a)
				}
				c.fromTable = call + "(" + strings.Join(args, ", ") + ")"
				if len(p.outTypes) <= 1 && c.l.clause != "FROM function" {
					// In a select list: the rows of its one column.
					c.fromTable = ""
					if !scalar[name] {
						return "", unsupported("%s() is supported in FROM only", name)
					}
					// Its scalar macro is the one row the catalog has.
					c.srfList = "[" + call + "(" + strings.Join(args, ", ") + ")]"
					return "unnest(" + c.srfList + ")", nil
				}
				if len(p.outTypes) > 1 {
					c.Result = TRecord
					c.fields, c.fieldNames = types(p.outTypes), p.outNames
				} else {
					// One column, named as the function.
					c.fields, c.fieldNames = []Type{{p.ret, -1}}, []string{name}
				}
				return "", nil
			}}
		}
	}
	return out
}

// ExpandArray is information_schema._pg_expandarray(a): the elements of
// an array with their positions, as records (x, n).
func ExpandArray(c *Call) (string, error) {
	if len(c.args) != 1 || !c.args[0].typ.IsArray() {
		return "", errf("42883", "function information_schema._pg_expandarray does not exist")
	}
	a := c.args[0]
	c.Result = TRecord
	c.fields = []Type{{a.typ.Elem().OID, -1}, TInt4}
	c.fieldNames = []string{"x", "n"}
	c.srfList = "list_transform(generate_series(1, len(" + a.sql + ")), lambda hd_s: {'f1': " + a.sql + "[hd_s], 'f2': CAST(hd_s AS INTEGER)})"
	return "unnest(" + c.srfList + ")", nil
}

var _ = strconv.Itoa
