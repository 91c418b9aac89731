package pgcatalog

import (
	"strings"
)

type relation struct {
	schema, name string
	columns      []column
}

type column struct{ name, pgType string }

func p(s string) *string { return &s }

// Engine names: the catalog is a DuckDB database of its own, since every
// DuckDB database already has schemas called pg_catalog and
// information_schema (DuckDB's own, with DuckDB's OIDs).
const (
	EngineCatalog    = "hd_pg"
	engineSystem     = "pg"   // pg_catalog
	engineInfoSchema = "info" // information_schema
)

// Relation is one emulated relation as the planner sees it.
type Relation struct {
	// Schema is "pg_catalog" or "information_schema".
	Schema, Name string
	// EngineSchema is the DuckDB schema holding it (in EngineCatalog).
	EngineSchema string
	// Columns lists the column names in order with their PostgreSQL
	// types as format_type prints them ("oid", "name", `"char"`).
	Columns []string
	Types   map[string]string
}

var byName = func() map[string]*Relation {
	m := make(map[string]*Relation, len(relations))
	for _, r := range relations {
		rel := &Relation{Schema: r.schema, Name: r.name, EngineSchema: engineSchema(r.schema), Types: map[string]string{}}
		for _, c := range r.columns {
			rel.Columns = append(rel.Columns, c.name)
			rel.Types[c.name] = c.pgType
		}
		m[r.schema+"."+r.name] = rel
	}
	return m
}()

func engineSchema(schema string) string {
	if schema == "information_schema" {
		return engineInfoSchema
	}
	return engineSystem
}

// Lookup finds an emulated relation. An empty schema means the name as
// written without one, which PostgreSQL looks up in pg_catalog first.
func Lookup(schema, name string) (*Relation, bool) {
	if schema == "" {
		schema = "pg_catalog"
	}
	r, ok := byName[schema+"."+name]
	return r, ok
}

// IsSystemSchema reports the schemas this package owns.
func IsSystemSchema(schema string) bool {
	return schema == "pg_catalog" || schema == "information_schema"
}

// duckType is the DuckDB type that holds values of a catalog column's
// PostgreSQL type. OIDs are unsigned 32-bit, as in PostgreSQL; regproc
// columns hold the function's OID too, as in PostgreSQL, so that they
// join with pg_proc.oid (the planner prints them as names).
func duckType(pgType string) string {
	if elem, ok := strings.CutSuffix(pgType, "[]"); ok {
		return duckType(elem) + "[]"
	}
	switch pgType {
	case "boolean":
		return "BOOLEAN"
	case "smallint":
		return "SMALLINT"
	case "integer":
		return "INTEGER"
	case "bigint":
		return "BIGINT"
	case "real":
		return "FLOAT"
	case "double precision", "numeric":
		return "DOUBLE"
	case "oid", "regclass", "regtype", "regnamespace", "regrole", "regconfig", "regdictionary", "regproc", "xid", "cid":
		return "UINTEGER"
	case "int2vector":
		return "SMALLINT[]"
	case "oidvector":
		return "UINTEGER[]"
	case "timestamp with time zone":
		return "TIMESTAMPTZ"
	case "interval":
		return "INTERVAL"
	case "bytea":
		return "BLOB"
	}
	return "VARCHAR"
}

// ClientType is the PostgreSQL type a client is told a catalog column
// has: PostgreSQL's own where the value is sent the same way, text for
// types whose PostgreSQL form the engine does not hold (regproc as a
// name, int2vector as an array).
func ClientType(pgType string) string {
	if elem, ok := strings.CutSuffix(pgType, "[]"); ok {
		switch t := ClientType(elem); t {
		case "oid", "text", "name", `"char"`, "smallint", "real", "double precision", "boolean":
			return t + "[]"
		}
		return "text[]"
	}
	switch pgType {
	case "oid", "regclass", "regtype", "regnamespace", "regrole", "regconfig", "regdictionary", "xid", "cid":
		return "oid"
	case "name", `"char"`:
		return pgType
	case "regproc", "pg_node_tree", "anyarray", "aclitem", "pg_lsn", "inet", "pg_ndistinct", "pg_dependencies", "pg_mcv_list":
		return "text"
	}
	return pgType
}

// RelationNames lists the emulated relations of a schema.
func RelationNames(schema string) []string {
	var out []string
	for _, r := range relations {
		if r.schema == schema {
			out = append(out, r.name)
		}
	}
	return out
}
