//go:build duckdb_arrow

package engine

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/hotdata-dev/hotdata/internal/pgerr"
)

// sqlstates maps DuckDB's error prefixes ("<Type> Error: …") to the
// SQLSTATE PostgreSQL would use.
var sqlstates = map[string]string{
	"Out of Range Error":           "22003", // numeric_value_out_of_range
	"Conversion Error":             pgerr.InvalidTextRepresentation,
	"Decimal Error":                "22003",
	"Mismatch Type Error":          "42804", // datatype_mismatch
	"Divide by Zero Error":         "22012", // division_by_zero
	"Invalid type Error":           "42804",
	"Not implemented Error":        pgerr.FeatureNotSupported,
	"Catalog Error":                pgerr.UndefinedObject,
	"Parser Error":                 pgerr.SyntaxError,
	"Syntax Error":                 pgerr.SyntaxError,
	"Binder Error":                 pgerr.UndefinedColumn,
	"Constraint Error":             "23000",
	"INTERRUPT Error":              pgerr.QueryCanceled,
	"Interrupt Error":              pgerr.QueryCanceled,
	"Out of Memory Error":          pgerr.OutOfMemory,
	"Permission Error":             pgerr.InsufficientPrivilege,
	"Invalid Input Error":          pgerr.InvalidParameterValue,
	"Settings Error":               pgerr.CantChangeRuntimeParam,
	"Parameter Not Resolved Error": "42P18", // indeterminate_datatype
	"Parameter Not Allowed Error":  "42P02",
	"Missing Extension Error":      pgerr.FeatureNotSupported,
	"Extension Autoloading Error":  pgerr.FeatureNotSupported,
	"IO Error":                     "58030", // io_error
}

// notFound are the SQLSTATEs of PostgreSQL's 'x "name" does not exist'
// errors, by x.
var notFound = map[string]string{
	"type": pgerr.UndefinedObject, "relation": pgerr.UndefinedTable, "function": pgerr.UndefinedFunction,
	"schema": pgerr.InvalidSchemaName, "role": pgerr.UndefinedObject,
}

// translate turns an error met while running a statement into a
// *pgerr.Error; a cancelled context wins over whatever DuckDB said.
func translate(ctx context.Context, err error) error {
	if err == nil {
		return nil
	}
	if ctx.Err() != nil || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return pgerr.Wrap(err, pgerr.QueryCanceled, "canceling statement due to user request")
	}
	return err
}

// translateMessage turns a DuckDB error message into a *pgerr.Error: the
// first line (without DuckDB's "<Type> Error: " prefix) is the message,
// "Did you mean" suggestions become the hint, and DuckDB's "LINE n:"
// excerpt is dropped because it quotes the rewritten statement, not the
// client's.
func translateMessage(ctx context.Context, msg string) error {
	if ctx.Err() != nil {
		return pgerr.Wrap(errors.New(msg), pgerr.QueryCanceled, "canceling statement due to user request")
	}
	if e := hdError(msg); e != nil {
		return e
	}
	if e := knownError(msg); e != nil {
		return e
	}
	code := pgerr.InternalError
	kind, rest, ok := strings.Cut(msg, ": ")
	if ok && !strings.Contains(kind, "\n") {
		if c, known := sqlstates[kind]; known {
			code, msg = c, rest
		}
	}
	lines := strings.Split(msg, "\n")
	first := strings.TrimSpace(lines[0])
	var hint []string
	for _, l := range lines[1:] {
		l = strings.TrimSpace(l)
		if strings.HasPrefix(l, "LINE ") {
			break
		}
		if l != "" {
			hint = append(hint, l)
		}
	}
	switch {
	case kind == "Catalog Error" && strings.HasPrefix(first, "Type with name ") && strings.HasSuffix(first, " does not exist!"):
		// PostgreSQL's message; DuckDB's "Did you mean" names its own types.
		name := strings.TrimSuffix(strings.TrimPrefix(first, "Type with name "), " does not exist!")
		first, hint = fmt.Sprintf("type %q does not exist", name), nil
	case kind == "Catalog Error" && strings.Contains(first, "does not exist"):
		switch {
		case strings.HasPrefix(first, "Table"):
			code = pgerr.UndefinedTable
		case strings.Contains(first, "Function"):
			code = pgerr.UndefinedFunction
		case strings.HasPrefix(first, "Schema"):
			code = pgerr.InvalidSchemaName
		}
	case kind == "Invalid Input Error" && strings.HasSuffix(first, `" does not exist`):
		// The emulated catalog's lookups (a name known only when the
		// statement runs, cast to regclass, regtype, …) raise
		// PostgreSQL's messages, with its codes.
		for prefix, c := range notFound {
			if strings.HasPrefix(first, prefix+` "`) {
				code = c
			}
		}
	case kind == "Conversion Error":
		if c, m, ok := datetimeError(first); ok {
			code, first = c, m
		}
	case kind == "Invalid Input Error" && strings.HasPrefix(first, `more than one function named "`):
		code = "42725" // ambiguous_function
	case kind == "Binder Error" && strings.Contains(first, "No function matches"):
		code = pgerr.UndefinedFunction
	case kind == "Binder Error" && strings.Contains(first, "Could not choose a best candidate"):
		code = "42725" // ambiguous_function
	case kind == "Out of Memory Error":
		// DuckDB's own hint talks about its settings, which the
		// locked configuration does not let the client change.
		first, hint = "out of memory: "+first, []string{OutOfMemoryHint}
	}
	e := pgerr.Wrap(errors.New(msg), code, "%s", first)
	e.Hint = strings.Join(hint, " ")
	return e
}

// hdError reads an error raised by the engine SQL Hotdata generates
// (error('HD22012:division by zero')) or by its Go functions: "HD" and
// the SQLSTATE lead the message.
func hdError(msg string) *pgerr.Error {
	i := strings.Index(msg, "HD")
	for i >= 0 {
		rest := msg[i+2:]
		if len(rest) > 6 && rest[5] == ':' && isSQLState(rest[:5]) {
			text := rest[6:]
			if j := strings.IndexByte(text, '\n'); j >= 0 {
				text = text[:j]
			}
			code := rest[:5]
			if code == "XX000" {
				e := pgerr.Wrap(errors.New(msg), pgerr.InternalError, "internal error in the cache engine")
				e.Detail = text
				return e
			}
			e := pgerr.New(code, "%s", text)
			// A detail or hint follows after "\x1f".
			if m, d, ok := strings.Cut(e.Message, "\x1f"); ok {
				e.Message = m
				detail, hint, _ := strings.Cut(d, "\x1f")
				e.Detail, e.Hint = detail, hint
			}
			return e
		}
		j := strings.Index(msg[i+2:], "HD")
		if j < 0 {
			break
		}
		i += 2 + j
	}
	return nil
}

func isSQLState(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'A' && c <= 'Z') {
			return false
		}
	}
	return true
}

// knownError turns the engine's runtime errors that PostgreSQL also
// raises into PostgreSQL's SQLSTATE and message.
func knownError(msg string) *pgerr.Error {
	first := msg
	if j := strings.IndexByte(first, '\n'); j >= 0 {
		first = first[:j]
	}
	intName := func(s string) string {
		switch {
		case strings.Contains(s, "INT16"), strings.Contains(s, "SMALLINT"):
			return "smallint"
		case strings.Contains(s, "INT32"), strings.Contains(s, "INTEGER"):
			return "integer"
		case strings.Contains(s, "INT64"), strings.Contains(s, "BIGINT"):
			return "bigint"
		}
		return ""
	}
	switch {
	case strings.Contains(first, "Overflow in") && intName(first) != "":
		return pgerr.New("22003", "%s out of range", intName(first))
	case strings.Contains(first, "can't be cast because the value is out of range for the destination type"):
		dest := first[strings.LastIndex(first, " ")+1:]
		if n := intName(dest); n != "" {
			return pgerr.New("22003", "%s out of range", n)
		}
		if strings.Contains(dest, "FLOAT") {
			return pgerr.New("22003", "value out of range: overflow")
		}
	case strings.Contains(first, "Like pattern must not end with escape character"):
		return pgerr.New("22025", "LIKE pattern must not end with escape character")
	case strings.Contains(first, "Invalid escape string. Escape string must be empty or one character"):
		return pgerr.New("22025", "invalid escape string").WithHint("Escape string must be empty or one character.")
	case strings.Contains(first, "More than one row returned by a subquery used as an expression"):
		return pgerr.New("21000", "more than one row returned by a subquery used as an expression")
	case strings.Contains(first, "Casting value") && strings.Contains(first, "to type DECIMAL") && strings.Contains(first, "out of range"):
		return pgerr.New("22003", "numeric field overflow")
	case strings.Contains(first, "Overflow") && (strings.Contains(first, "DECIMAL") || strings.Contains(first, "HUGEINT") || strings.Contains(first, "INT128")):
		return pgerr.New(pgerr.FeatureNotSupported, "a numeric value exceeds the 38 digits Hotdata's cache engine computes with").
			WithHint("SET hotdata.freshness = live sends the statement to a PostgreSQL upstream.")
	}
	return nil
}

// datetimeErrors are DuckDB's messages for a date, time or timestamp
// text it cannot read: the value follows in double quotes.
var datetimeErrors = []struct{ prefix, typ string }{
	{"invalid date field format: ", "date"},
	{"date field value out of range: ", ""},
	{"invalid timestamp field format: ", "timestamp"},
	{"timestamp field value out of range: ", ""},
	{"time field value out of range: ", "time"},
}

// datetimeError turns DuckDB's message for an unreadable date, time,
// timestamp or interval into PostgreSQL's (a parameter or literal of
// those types): 22007 invalid_datetime_format for text of the wrong
// form, 22008 datetime_field_overflow for fields out of range.
func datetimeError(msg string) (code, text string, ok bool) {
	if v, found := strings.CutPrefix(msg, "Could not convert string '"); found && strings.HasSuffix(v, "' to INTERVAL") {
		return "22007", fmt.Sprintf("invalid input syntax for type interval: %q", strings.TrimSuffix(v, "' to INTERVAL")), true
	}
	for _, d := range datetimeErrors {
		rest, found := strings.CutPrefix(msg, d.prefix)
		if !found || !strings.HasPrefix(rest, `"`) {
			continue
		}
		end := strings.Index(rest[1:], `"`)
		if end < 0 {
			return "", "", false
		}
		v := rest[1 : end+1]
		// DuckDB says "out of range" for any text a time cannot be:
		// only something shaped like a time has a field out of range.
		if d.typ == "" || d.typ == "time" && strings.Contains(v, ":") {
			return "22008", fmt.Sprintf("date/time field value out of range: %q", v), true
		}
		return pgerr.InvalidDatetimeFormat, fmt.Sprintf("invalid input syntax for type %s: %q", d.typ, v), true
	}
	return "", "", false
}
