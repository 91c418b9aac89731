//go:build duckdb_arrow

package engine

import (
	"context"
	"errors"
	"strings"

	duckdb "github.com/duckdb/duckdb-go/v2"

	"github.com/hotdata-dev/hotdata/internal/pgerr"
)

// sqlstates maps DuckDB error types to the SQLSTATE PostgreSQL would use.
var sqlstates = map[duckdb.ErrorType]string{
	duckdb.ErrorTypeOutOfRange:           "22003", // numeric_value_out_of_range
	duckdb.ErrorTypeConversion:           pgerr.InvalidTextRepresentation,
	duckdb.ErrorTypeDecimal:              "22003",
	duckdb.ErrorTypeMismatchType:         "42804", // datatype_mismatch
	duckdb.ErrorTypeDivideByZero:         "22012", // division_by_zero
	duckdb.ErrorTypeInvalidType:          "42804",
	duckdb.ErrorTypeNotImplemented:       pgerr.FeatureNotSupported,
	duckdb.ErrorTypeCatalog:              pgerr.UndefinedObject,
	duckdb.ErrorTypeParser:               pgerr.SyntaxError,
	duckdb.ErrorTypeSyntax:               pgerr.SyntaxError,
	duckdb.ErrorTypeBinder:               pgerr.UndefinedColumn,
	duckdb.ErrorTypeConstraint:           "23000",
	duckdb.ErrorTypeInterrupt:            pgerr.QueryCanceled,
	duckdb.ErrorTypeOutOfMemory:          pgerr.OutOfMemory,
	duckdb.ErrorTypePermission:           pgerr.InsufficientPrivilege,
	duckdb.ErrorTypeInvalidInput:         pgerr.InvalidParameterValue,
	duckdb.ErrorTypeSettings:             pgerr.CantChangeRuntimeParam,
	duckdb.ErrorTypeParameterNotResolved: "42P18", // indeterminate_datatype
	duckdb.ErrorTypeParameterNotAllowed:  "42P02",
	duckdb.ErrorTypeMissingExtension:     pgerr.FeatureNotSupported,
	duckdb.ErrorTypeAutoLoad:             pgerr.FeatureNotSupported,
	duckdb.ErrorTypeIO:                   "58030", // io_error
}

// translate turns a DuckDB error into a *pgerr.Error: the first line
// (without DuckDB's "<Type> Error: " prefix) is the message, "Did you
// mean" suggestions become the hint, and DuckDB's "LINE n:" excerpt is
// dropped because it quotes the rewritten statement, not the client's.
func translate(ctx context.Context, err error) error {
	if err == nil {
		return nil
	}
	if ctx.Err() != nil {
		return pgerr.Wrap(err, pgerr.QueryCanceled, "canceling statement due to user request")
	}
	var de *duckdb.Error
	if !errors.As(err, &de) {
		return err
	}
	code, ok := sqlstates[de.Type]
	if !ok {
		code = pgerr.InternalError
	}
	msg := de.Msg
	if _, rest, ok := strings.Cut(msg, " Error: "); ok && !strings.Contains(msg[:len(msg)-len(rest)], "\n") {
		msg = rest
	}
	var hint []string
	lines := strings.Split(msg, "\n")
	msg = strings.TrimSpace(lines[0])
	for _, l := range lines[1:] {
		l = strings.TrimSpace(l)
		if strings.HasPrefix(l, "LINE ") {
			break
		}
		if l != "" {
			hint = append(hint, l)
		}
	}
	if de.Type == duckdb.ErrorTypeCatalog && strings.Contains(msg, "does not exist") {
		switch {
		case strings.HasPrefix(msg, "Table"):
			code = pgerr.UndefinedTable
		case strings.HasPrefix(msg, "Scalar Function"), strings.HasPrefix(msg, "Table Function"), strings.HasPrefix(msg, "Aggregate Function"):
			code = pgerr.UndefinedFunction
		case strings.HasPrefix(msg, "Schema"):
			code = pgerr.InvalidSchemaName
		}
	}
	if de.Type == duckdb.ErrorTypeBinder && strings.Contains(msg, "No function matches") {
		code = pgerr.UndefinedFunction
	}
	e := pgerr.Wrap(err, code, "%s", msg)
	e.Hint = strings.Join(hint, " ")
	return e
}
