package translate

import (
	"fmt"
	"slices"
	"strings"

	"github.com/hotdata-dev/hotdata/internal/pgerr"
)

// A live statement goes to the upstream PostgreSQL as the client wrote
// it. What it may call there is decided here, by pg_proc: a function
// that changes the upstream's state (nextval, set_config, advisory
// locks, large objects), reads its files or other relations by name
// (pg_read_file, query_to_xml, table_to_xml), tells about the upstream
// server, its roles or its catalog (version(), current_user,
// has_table_privilege, pg_get_viewdef, to_regclass) or is not a
// built-in (an upstream's own function could do anything) is refused.

// liveVolatileOK are the volatile functions that only compute a value.
var liveVolatileOK = map[string]bool{
	"random": true, "clock_timestamp": true, "timeofday": true, "gen_random_uuid": true,
}

// liveStableOK are stable functions named like the refused families
// below that only compute from their arguments. pg_typeof is not one:
// the upstream names a type outside the live connection's search_path
// (pg_catalog) with its schema, where PostgreSQL's answer would not; the
// planner lets it through when no upstream type can reach it.
var liveStableOK = map[string]bool{
	"pg_column_size": true, "pg_client_encoding": true,
	"pg_encoding_to_char": true, "pg_char_to_encoding": true, "pg_collation_for": true,
}

// liveStableDenied are stable functions that read the upstream's
// catalog, settings or identity.
var liveStableDenied = map[string]bool{
	"version": true, "session_user": true, "getpgusername": true, "regclass": true,
	"obj_description": true, "col_description": true, "shobj_description": true,
	"mxid_age": true, "row_security_active": true,
	"get_current_ts_config": true, "aclexplode": true, "format_type": true,
}

// liveDeniedPrefixes name families of stable functions that read the
// upstream's catalog, settings, roles or other relations.
var liveDeniedPrefixes = []string{"pg_", "has_", "to_reg", "current_", "inet_client", "inet_server", "txid_", "fmgr_", "satisfies_",
	"table_to_", "schema_to_", "database_to_", "query_to_", "cursor_to_"}

// LiveFunction returns nil when a call of the built-in function name
// (unqualified or in pg_catalog) may run on the upstream, else a
// 0A000 error saying why not.
func LiveFunction(name string) error {
	procs := procsByName[name]
	if len(procs) == 0 {
		return pgerr.New(pgerr.FeatureNotSupported, "function %s is not a PostgreSQL built-in: a live query calls only built-in functions", name).
			WithHint("Hotdata sends a live query to the upstream as written; it does not call the upstream's own functions.")
	}
	oidOnly := true
	for _, p := range procs {
		if catalogType(p.ret) || slices.ContainsFunc(p.args, catalogType) || slices.ContainsFunc(p.outTypes, catalogType) {
			return liveDenied(name, "it reads object identifiers or names from the upstream server's catalog")
		}
		oidOnly = oidOnly && slices.Contains(p.args, uint32(OIDOID))
	}
	if oidOnly {
		// Every form takes an oid: it names an object of the upstream's
		// catalog (satisfies_hash_partition opens any relation by OID and
		// names it in its error). min(oid) and the like have other forms.
		return liveDenied(name, "it reads object identifiers or names from the upstream server's catalog")
	}
	for _, p := range procs {
		switch p.volatile {
		case 'v':
			if !liveVolatileOK[name] {
				return liveDenied(name, "it changes or reads the upstream server's state")
			}
		case 's':
			if liveStableOK[name] {
				continue
			}
			if liveStableDenied[name] {
				return liveDenied(name, "it reads the upstream server's catalog, settings or roles")
			}
			for _, pre := range liveDeniedPrefixes {
				if strings.HasPrefix(name, pre) {
					return liveDenied(name, "it reads the upstream server's catalog, settings or roles")
				}
			}
		}
	}
	return nil
}

func liveDenied(name, why string) error {
	return pgerr.New(pgerr.FeatureNotSupported, "function %s() cannot run in a live query: %s", name, why).
		WithHint("SET hotdata.freshness = cached to run it on Hotdata's own catalog and cache.")
}

// catalogType reports whether a value of the type oid (or of its
// elements) is read or printed by looking names up in the catalog: the
// object identifier types (regclass, regrole, …, oidvector) and aclitem.
// Text search configurations and dictionaries are not secrets and stay.
func catalogType(oid uint32) bool {
	t := typeByOID[oid]
	if t == nil {
		return false
	}
	if t.elem != 0 && t.name[0] == '_' {
		t = typeByOID[t.elem]
		if t == nil {
			return false
		}
	}
	switch t.name {
	case "aclitem", "oidvector", "regconfig", "regdictionary":
		return t.name == "aclitem" || t.name == "oidvector"
	}
	return strings.HasPrefix(t.name, "reg")
}

// LiveType returns nil when a statement sent to the upstream may name
// the type schema.typ (as the parser gives it: schema empty when
// unqualified, "_regrole" or "regrole" for its array): only PostgreSQL's
// built-in types, and none whose values the upstream reads or prints
// through its catalog. An upstream's own type (a domain's CHECK can call
// any function) is refused.
func LiveType(schema, typ string) error {
	if schema != "" && schema != "pg_catalog" {
		return pgerr.New(pgerr.FeatureNotSupported, "type %s.%s is not a PostgreSQL built-in: a live query names only built-in types", schema, typ).
			WithHint("Cast to the built-in type the value holds (text, integer, …), or SET hotdata.freshness = cached.")
	}
	oid, ok := typeByName[typ]
	if !ok {
		return pgerr.New(pgerr.FeatureNotSupported, "type %s is not a PostgreSQL built-in: a live query names only built-in types", typ).
			WithHint("Cast to the built-in type the value holds (text, integer, …), or SET hotdata.freshness = cached.")
	}
	return LiveParamType(oid)
}

// LiveParamType returns nil when a parameter (or cast) of the type oid
// may reach the upstream.
func LiveParamType(oid uint32) error {
	if catalogType(oid) {
		name := "type " + fmt.Sprint(oid)
		if t := typeByOID[oid]; t != nil {
			name = t.display
		}
		return pgerr.New(pgerr.FeatureNotSupported, "a live query cannot use %s: the upstream would look its values up in its own catalog", name).
			WithHint("SET hotdata.freshness = cached to look names up in Hotdata's catalog.")
	}
	return nil
}

// BuiltinFunction reports whether name is one of PostgreSQL's functions.
func BuiltinFunction(name string) bool { return len(procsByName[name]) > 0 }

// BuiltinOperator reports whether name is one of PostgreSQL's operators.
func BuiltinOperator(name string) bool { return len(opersByName[name]) > 0 }
