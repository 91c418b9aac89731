package planner

import (
	"strconv"
	"strings"

	"github.com/hotdata-dev/hotdata/internal/pgerr"
	"github.com/hotdata-dev/hotdata/pgcatalog"
)

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
