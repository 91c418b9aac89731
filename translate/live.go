package translate

import (
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
// below that only compute from their arguments.
var liveStableOK = map[string]bool{
	"pg_typeof": true, "pg_column_size": true, "pg_client_encoding": true,
	"pg_encoding_to_char": true, "pg_char_to_encoding": true, "pg_collation_for": true,
}

// liveStableDenied are stable functions that read the upstream's
// catalog, settings or identity.
var liveStableDenied = map[string]bool{
	"version": true, "session_user": true, "getpgusername": true, "regclass": true,
	"obj_description": true, "col_description": true, "shobj_description": true,
	"mxid_age": true, "row_security_active": true,
	"get_current_ts_config": true, "aclexplode": true,
}

// liveDeniedPrefixes name families of stable functions that read the
// upstream's catalog, settings, roles or other relations.
var liveDeniedPrefixes = []string{"pg_", "has_", "to_reg", "current_", "inet_client", "inet_server", "txid_",
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

// LiveCast returns nil when a cast to the type named typ (as the parser
// gives it, e.g. "regclass") may run on the upstream: the object
// identifier types look names up in the upstream's catalog.
func LiveCast(typ string) error {
	if strings.HasPrefix(typ, "reg") {
		if _, ok := typeByName[typ]; ok {
			return pgerr.New(pgerr.FeatureNotSupported, "a live query cannot cast to %s: it would look the name up in the upstream's catalog", typ).
				WithHint("SET hotdata.freshness = cached to look names up in Hotdata's catalog.")
		}
	}
	return nil
}

// BuiltinOperator reports whether name is one of PostgreSQL's operators.
func BuiltinOperator(name string) bool { return len(opersByName[name]) > 0 }
