package pgval

import (
	"github.com/hotdata-dev/hotdata/internal/pgerr"
)

func errf(code, format string, args ...any) *pgerr.Error {
	return pgerr.New(code, format, args...)
}

// invalidSyntax is 22P02 as the input functions report it.
func invalidSyntax(typeName, s string) *pgerr.Error {
	return errf("22P02", "invalid input syntax for type %s: %q", typeName, s)
}

// outOfRange is 22003 "value "…" is out of range for type …".
func outOfRange(typeName, s string) *pgerr.Error {
	return errf("22003", "value %q is out of range for type %s", s, typeName)
}
