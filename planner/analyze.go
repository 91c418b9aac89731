package planner

import (
	"strconv"
	"strings"
	"sync"

	pg "github.com/pganalyze/pg_query_go/v6"

	"github.com/hotdata-dev/hotdata/internal/pgerr"
	"github.com/hotdata-dev/hotdata/pgcatalog"
	"github.com/hotdata-dev/hotdata/translate"
)

// This file hands queries to package translate: it gives the analyzer
// the workspace's relations (cached tables, datasets, the emulated
// catalog), the catalog's functions and reg* lookups, and the session's
// settings.

// quoteEngine quotes one part of an engine name.
func quoteEngine(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

// columnType is the PostgreSQL type a cached column is served as: its
// upstream built-in type (with typmod) when the cache holds its values
// as the analyzer expects that type (see cacheHolds), else an opaque
// text type (enums, domains, arrays the cache keeps as text).
func columnType(dataType string, oid uint32) translate.Type {
	opaque := translate.Type{OID: translate.OpaqueOID, Mod: -1}
	if oid >= 16384 {
		return opaque
	}
	o, mod := pgcatalog.ColumnType(dataType, oid)
	t := translate.Type{OID: o, Mod: mod}
	if !t.Known() || !cacheHolds(t) {
		return opaque
	}
	return t
}

// cacheHolds reports whether the cache keeps values of t in the engine
// form the analyzer gives t (connectors/postgres.planColumn): the
// natively mapped types, the types kept as their text output
// (translate.TextHeld), and one-dimensional arrays of natively mapped
// element types.
func cacheHolds(t translate.Type) bool {
	if t.IsArray() && t.OID != translate.OIDInt2Vector && t.OID != translate.OIDOIDVector {
		e := t.Elem()
		return !translate.TextHeld(e.OID) && cacheHolds(e) && !(e.OID == translate.OIDNumeric && !fixedNumeric(e.Mod))
	}
	switch t.OID {
	case translate.OIDBool, translate.OIDInt2, translate.OIDInt4, translate.OIDInt8, translate.OIDFloat4, translate.OIDFloat8,
		translate.OIDText, translate.OIDVarchar, translate.OIDName, translate.OIDChar, translate.OIDBPChar,
		translate.OIDJSON, translate.OIDJSONB, translate.OIDInterval, translate.OIDBytea, translate.OIDUUID,
		translate.OIDDate, translate.OIDTime, translate.OIDTimestamp, translate.OIDTimestamptz, translate.OIDNumeric:
		return true
	}
	return translate.TextHeld(t.OID)
}

// fixedNumeric: numeric(p,s) with p ≤ 38, which the cache keeps as a
// decimal (other numerics are kept as text).
func fixedNumeric(mod int32) bool {
	return mod >= 4 && ((mod-4)>>16)&0xffff <= 38
}

// table is the analyzer's view of a catalog object.
func (c *Catalog) table(o *Object) *translate.Table {
	if o.table != nil {
		return o.table
	}
	t := &translate.Table{
		Engine:  quoteEngine(o.Catalog) + "." + quoteEngine(o.Schema) + "." + quoteEngine(o.Name),
		Catalog: o.Catalog, Schema: o.Schema, Name: o.Name,
		DefaultSchema: c != nil && c.defaultSchema[o.Catalog] == o.Schema,
		PrimaryKey:    o.PrimaryKey,
		Ref:           o,
		OID:           o.OID,
	}
	for _, name := range o.ColumnOrder {
		col := translate.Column{Name: name, Type: columnType(o.Columns[name], o.TypeOIDs[name]),
			Unavailable: o.Unavailable[name], Text: o.TextHeld[name]}
		if oid := o.TypeOIDs[name]; oid >= 16384 && c != nil {
			if typ, dom, ok := c.userColumnType(o.Catalog, oid); ok {
				col.Type, col.Domain = typ, dom
			}
		}
		t.Columns = append(t.Columns, col)
	}
	return t
}

// systemTables are the emulated catalog relations as analyzer tables;
// built once (after the init that fills systemObjects), read-only after.
var systemTables = sync.OnceValue(func() map[*Object]*translate.Table {
	m := map[*Object]*translate.Table{}
	for _, o := range systemObjects {
		rel := systemRelations()[o]
		t := &translate.Table{Engine: pgcatalog.EngineCatalog + "." + quoteEngine(o.Schema) + "." + quoteEngine(o.Name),
			Catalog: "", Schema: rel.Schema, Name: o.Name, Ref: o}
		t.OID, _ = pgcatalog.RelationOID(o.Name)
		for _, name := range o.ColumnOrder {
			typ, ok := systemColumnType(rel.Types[name])
			if !ok {
				if typ, ok = translate.TypeByName(o.Columns[name]); !ok {
					typ = translate.Type{OID: translate.OpaqueOID, Mod: -1}
				}
			}
			t.Columns = append(t.Columns, translate.Column{Name: name, Type: typ})
		}
		m[o] = t
	}
	return m
})

// catalogFunctions are the emulated catalog's functions (format_type,
// pg_get_*, has_*_privilege, …) by PostgreSQL signature; functions the
// analyzer implements itself keep its implementation.
var catalogFunctions = func() map[string]*translate.Impl {
	schema := pgcatalog.EngineCatalog + ".pg"
	var names []string
	for name := range pgcatalog.Functions {
		names = append(names, name)
	}
	m := translate.CatalogFunctions(names, schema)
	for name := range pgcatalog.TableFunctions {
		for k, v := range translate.CatalogTableFunctions([]string{name}, schema, pgcatalog.Functions) {
			m[k] = v
		}
	}
	m["information_schema._pg_expandarray"] = &translate.Impl{Build: func(c *translate.Call) (string, error) {
		return translate.ExpandArray(c)
	}}
	return m
}()

// env is the analyzer environment of one statement.
func (c *Catalog) env(sql string, opts Options, system *[]*Object) *translate.Env {
	return &translate.Env{
		Table: func(catalog, schema, name string, loc int) (*translate.Table, error) {
			rv := &pg.RangeVar{Catalogname: catalog, Schemaname: schema, Relname: name, Inh: true, Location: int32(loc)}
			if sys, ok, err := resolveSystem(sql, rv); ok {
				if err != nil {
					return nil, err
				}
				*system = append(*system, sys)
				return systemTables()[sys], nil
			}
			obj, err := resolveRangeVar(sql, rv, c)
			if err != nil {
				return nil, err
			}
			return c.table(obj), nil
		},
		ParamTypes: opts.ParamTypes,
		Settings:   opts.Settings,
		Functions:  catalogFunctions,
		RegCast: func(to translate.Type, lit string, isLit bool, src string, from translate.Type) (string, error) {
			return c.regCast(sql, to, lit, isLit, src, from)
		},
		RegOutput: regOutput,
		Literals:  opts.literals,
		UserTypes: c.userTypes,
	}
}

// regOutput prints an OID alias type's value as its name.
func regOutput(t translate.Type, sql string) string {
	if t.IsArray() {
		name := strings.TrimPrefix(t.Elem().Name(), "pg_catalog.")
		return pgcatalog.EngineCatalog + ".pg.hd_" + name + "_array_out(" + sql + ")"
	}
	fn := map[uint32]string{translate.OIDRegclass: "hd_regclass_out", translate.OIDRegtype: "hd_regtype_out",
		translate.OIDRegproc: "hd_regproc_out", translate.OIDRegprocedure: "hd_regprocedure_out",
		translate.OIDRegnamespace: "hd_regnamespace_out", translate.OIDRegrole: "hd_regrole_out"}[t.OID]
	if fn == "" {
		return "CAST(" + sql + " AS VARCHAR)"
	}
	return pgcatalog.EngineCatalog + ".pg." + fn + "(" + sql + ")"
}

// regCast renders x::regclass and friends: a literal name is looked up
// now (an OID, or PostgreSQL's error); a name computed at run time is
// looked up then; an OID stays itself.
func (c *Catalog) regCast(sql string, to translate.Type, lit string, isLit bool, src string, from translate.Type) (string, error) {
	typ := strings.TrimPrefix(to.Name(), "pg_catalog.")
	fn := pgcatalog.EngineCatalog + ".pg."
	if !isLit {
		switch from.Category() {
		case 'S':
			if to.OID == translate.OIDRegprocedure {
				to.OID = translate.OIDRegproc // looked up by name alone, as hd_regproc_in does
				typ = "regproc"
			}
			return "CAST(" + fn + "hd_" + typ + "_in(" + src + ") AS UINTEGER)", nil
		case 'N':
			return "CAST(" + src + " AS UINTEGER)", nil
		}
		if isRegOID(from.OID) {
			return "CAST(" + src + " AS UINTEGER)", nil
		}
		return "", pgerr.New("42846", "cannot cast type %s to %s", from.Name(), typ)
	}
	switch to.OID {
	case translate.OIDRegclass:
		oid, err := regclassOID(lit, c)
		if err != nil {
			return "", err
		}
		return "CAST(" + strconv.FormatUint(uint64(oid), 10) + " AS UINTEGER)", nil
	case translate.OIDRegtype:
		oid, ok := pgcatalog.TypeOID(lit)
		if !ok {
			oid, ok = c.userTypeOID(lit)
		}
		if n, err := strconv.ParseUint(strings.TrimSpace(lit), 10, 32); err == nil {
			oid, ok = uint32(n), true // an OID stands for itself
		}
		if !ok {
			return "", pgerr.New(pgerr.UndefinedObject, "type %q does not exist", lit)
		}
		return "CAST(" + strconv.FormatUint(uint64(oid), 10) + " AS UINTEGER)", nil
	case translate.OIDRegproc, translate.OIDRegprocedure:
		oid, err := regprocOID(typ, lit)
		if err != nil {
			return "", err
		}
		return "CAST(" + strconv.FormatUint(uint64(oid), 10) + " AS UINTEGER)", nil
	case translate.OIDRegnamespace, translate.OIDRegrole:
		return "CAST(" + fn + "hd_" + typ + "_in(" + sqlString(lit) + ") AS UINTEGER)", nil
	}
	if n, err := strconv.ParseUint(strings.TrimSpace(lit), 10, 32); err == nil {
		return "CAST(" + strconv.FormatUint(n, 10) + " AS UINTEGER)", nil
	}
	return "", pgerr.New(pgerr.FeatureNotSupported, "type %s is not supported by Hotdata", typ)
}

func isRegOID(oid uint32) bool {
	switch oid {
	case translate.OIDOID, translate.OIDRegclass, translate.OIDRegtype, translate.OIDRegnamespace, translate.OIDRegrole:
		return true
	}
	return false
}

// systemRelations maps the emulated relations' objects back to their
// relations.
var systemRelations = sync.OnceValue(func() map[*Object]*pgcatalog.Relation {
	m := make(map[*Object]*pgcatalog.Relation, len(systemObjects))
	for rel, o := range systemObjects {
		m[o] = rel
	}
	return m
})

// systemColumnType is the PostgreSQL type of an emulated catalog column
// when the engine holds its values as the analyzer holds that type (OIDs
// for the reg* types, lists for the vectors, text for pg_node_tree);
// false for the types the catalog keeps as text (anyarray, aclitem,
// pg_lsn, …), which are then served as their client type.
func systemColumnType(pgType string) (translate.Type, bool) {
	switch strings.TrimSuffix(pgType, "[]") {
	case "anyarray", "aclitem", "pg_lsn", "pg_ndistinct", "pg_dependencies", "pg_mcv_list", "inet", "pg_node_tree":
		if strings.HasSuffix(pgType, "[]") || pgType != "pg_node_tree" {
			return translate.Type{}, false
		}
	}
	return translate.TypeByName(pgType)
}
