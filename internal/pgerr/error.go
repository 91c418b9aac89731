package pgerr

import (
	"errors"
	"fmt"
	"strings"
)

// Severity values of an ErrorResponse or NoticeResponse.
const (
	SeverityError   = "ERROR"
	SeverityFatal   = "FATAL"
	SeverityNotice  = "NOTICE"
	SeverityWarning = "WARNING"
	SeverityInfo    = "INFO"
)

// Error is an error meant for the client: its Message, Detail and Hint are
// shown to the user as they are, so they must never hold secrets or
// internal paths. Anything else that reaches a front end is logged in full
// and reported as an internal error.
type Error struct {
	Severity string // ERROR when empty
	Code     string // SQLSTATE
	Message  string
	Detail   string
	Hint     string
	// Position is the 1-based character offset into the statement text
	// that the error refers to; 0 when there is none.
	Position int
	// Err is the underlying cause, kept for logs; it is never sent.
	Err error
}

func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s (SQLSTATE %s): %v", e.Message, e.Code, e.Err)
	}
	return fmt.Sprintf("%s (SQLSTATE %s)", e.Message, e.Code)
}

func (e *Error) Unwrap() error { return e.Err }

// New returns an Error with the given SQLSTATE and message.
func New(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// WithHint returns e with Hint set.
func (e *Error) WithHint(format string, args ...any) *Error {
	e.Hint = fmt.Sprintf(format, args...)
	return e
}

// WithDetail returns e with Detail set.
func (e *Error) WithDetail(format string, args ...any) *Error {
	e.Detail = fmt.Sprintf(format, args...)
	return e
}

// Wrap returns an Error with the given code and message that keeps cause
// for logging.
func Wrap(cause error, code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...), Err: cause}
}

// As returns the *Error in err's chain, or nil.
func As(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return nil
}

// Code returns the SQLSTATE of err, or InternalError when err carries none.
func Code(err error) string {
	if e := As(err); e != nil {
		return e.Code
	}
	return InternalError
}

// Text is err's text for a user: where the chain reaches an *Error, its
// Message stands for it, without the cause kept for logs (an internal
// address, a path); the context added around it stays.
func Text(err error) string {
	if err == nil {
		return ""
	}
	s := err.Error()
	e := As(err)
	if e == nil || e.Err == nil {
		return s
	}
	if i := strings.Index(s, e.Error()); i >= 0 {
		return s[:i] + e.Message
	}
	return e.Message
}
