package workspace

import (
	"errors"
	"fmt"

	"github.com/hotdata-dev/hotdata/internal/pgerr"
)

// Kind classifies a service error; the REST API maps it to a status.
type Kind int

// Error kinds.
const (
	KindInvalid       Kind = iota + 1 // 400: bad input
	KindUnauthorized                  // 401: no or bad token
	KindForbidden                     // 403: role too weak
	KindNotFound                      // 404
	KindConflict                      // 409
	KindUnprocessable                 // 422: valid request, unusable content
	KindOverloaded                    // 429
	KindUnavailable                   // 503
	KindTooLarge                      // 413
)

// Error is a service error meant for the caller: Message says what went
// wrong and what to do; Code is a stable SNAKE_CASE identifier.
type Error struct {
	Kind    Kind
	Code    string
	Message string
	Err     error
}

func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: %v", e.Message, e.Err)
	}
	return e.Message
}

func (e *Error) Unwrap() error { return e.Err }

func newError(kind Kind, code, format string, args ...any) *Error {
	return &Error{Kind: kind, Code: code, Message: fmt.Sprintf(format, args...)}
}

// AsError returns the *Error in err's chain, or nil.
func AsError(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return nil
}

func invalid(format string, args ...any) *Error {
	return newError(KindInvalid, "INVALID_ARGUMENT", format, args...)
}

func notFound(what, ref string) *Error {
	return newError(KindNotFound, "NOT_FOUND", "%s %q does not exist", what, ref)
}

func conflict(format string, args ...any) *Error {
	return newError(KindConflict, "ALREADY_EXISTS", format, args...)
}

// checkStatementSize refuses a statement text past MaxStatementBytes
// before anything parses it: parsing costs many times its size.
func (s *Service) checkStatementSize(sql string) error {
	if limit := s.cfg.MaxStatementBytes; limit > 0 && len(sql) > limit {
		return pgerr.New(pgerr.ProgramLimitExceeded, "statement is too long: %d bytes, the limit is %d bytes", len(sql), limit).
			WithHint("Send shorter statements: pass long lists as parameters or load the data as a table. The limit is the server's max statement size (HOTDATA_MAX_STATEMENT_BYTES).")
	}
	return nil
}
