package translate

import (
	"fmt"
	"unicode/utf8"

	"github.com/hotdata-dev/hotdata/internal/pgerr"
)

// errf is a client error with PostgreSQL's SQLSTATE and message.
func errf(code, format string, args ...any) *pgerr.Error {
	return pgerr.New(code, format, args...)
}

// liveHint tells how to get an answer the cache engine cannot give.
const liveHint = "Hotdata's cache engine runs only what it computes exactly as PostgreSQL does; " +
	"for a PostgreSQL connection, SET hotdata.freshness = live sends the statement to the upstream."

// unsupported is 0A000 naming what the cache engine does not run.
func unsupported(format string, args ...any) *pgerr.Error {
	return pgerr.New(pgerr.FeatureNotSupported, format, args...).WithHint("%s", liveHint)
}

// at sets an error's position from a parse-tree location (a byte offset
// into the statement text, -1 when unknown), as PostgreSQL reports it.
func (a *analyzer) at(e *pgerr.Error, loc int32) *pgerr.Error {
	if e.Position == 0 && loc >= 0 && int(loc) <= len(a.sql) {
		e.Position = utf8.RuneCountInString(a.sql[:loc]) + 1
	}
	return e
}

func (a *analyzer) errAt(loc int32, code, format string, args ...any) *pgerr.Error {
	return a.at(pgerr.New(code, format, args...), loc)
}

func (a *analyzer) unsupportedAt(loc int32, format string, args ...any) *pgerr.Error {
	return a.at(unsupported(format, args...), loc)
}

// internal reports a bug in the analyzer as an internal error.
func internal(format string, args ...any) error {
	return pgerr.Wrap(fmt.Errorf(format, args...), pgerr.InternalError, "internal error while planning the statement")
}

// asPgErr returns err's *pgerr.Error, wrapping others as internal.
func asPgErr(err error) *pgerr.Error {
	if e := pgerr.As(err); e != nil {
		return e
	}
	return pgerr.Wrap(err, pgerr.InternalError, "internal error while planning the statement")
}
