package api

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/hotdata-dev/hotdata/internal/pgerr"
	"github.com/hotdata-dev/hotdata/workspace"
)

// apiError is an error with its HTTP status and JSON code.
type apiError struct {
	Status     int
	Code       string
	Message    string
	RetryAfter int // seconds, for 429 and 503
	Err        error
}

func (e *apiError) Error() string { return e.Message }
func (e *apiError) Unwrap() error { return e.Err }

func errBadRequest(code, msg string) *apiError {
	return &apiError{Status: http.StatusBadRequest, Code: code, Message: msg}
}

// errorBody is the JSON shape of every error response.
type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

var kindStatus = map[workspace.Kind]int{
	workspace.KindInvalid:       http.StatusBadRequest,
	workspace.KindUnauthorized:  http.StatusUnauthorized,
	workspace.KindForbidden:     http.StatusForbidden,
	workspace.KindNotFound:      http.StatusNotFound,
	workspace.KindConflict:      http.StatusConflict,
	workspace.KindUnprocessable: http.StatusUnprocessableEntity,
	workspace.KindOverloaded:    http.StatusTooManyRequests,
	workspace.KindUnavailable:   http.StatusServiceUnavailable,
	workspace.KindTooLarge:      http.StatusRequestEntityTooLarge,
}

// sqlstateStatus maps a statement error's SQLSTATE class to a status:
// the client's SQL is at fault (400) unless the class says otherwise.
func sqlstateStatus(code string) (int, string) {
	switch {
	case code == pgerr.QueryCanceled:
		return http.StatusRequestTimeout, "QUERY_CANCELED"
	case code == pgerr.UndefinedTable:
		return http.StatusBadRequest, "UNDEFINED_TABLE"
	case code == pgerr.ReadOnlySQLTransaction:
		return http.StatusBadRequest, "READ_ONLY"
	case code == pgerr.SyntaxError:
		return http.StatusBadRequest, "SYNTAX_ERROR"
	case len(code) == 5 && code[:2] == "HV":
		return http.StatusBadGateway, "UPSTREAM_ERROR"
	case code == pgerr.CannotConnectNow:
		return http.StatusServiceUnavailable, "UNAVAILABLE"
	case len(code) == 5 && code[:2] == "53":
		return http.StatusServiceUnavailable, "INSUFFICIENT_RESOURCES"
	case code == pgerr.InternalError:
		return http.StatusInternalServerError, "INTERNAL"
	}
	return http.StatusBadRequest, "QUERY_ERROR"
}

// toAPIError classifies any error from a handler.
func toAPIError(err error) *apiError {
	var ae *apiError
	if errors.As(err, &ae) {
		return ae
	}
	if we := workspace.AsError(err); we != nil {
		return &apiError{Status: kindStatus[we.Kind], Code: we.Code, Message: we.Message, Err: err}
	}
	if pe := pgerr.As(err); pe != nil {
		status, code := sqlstateStatus(pe.Code)
		msg := pe.Message
		if pe.Position > 0 {
			msg += " (at character " + strconv.Itoa(pe.Position) + ")"
		}
		if pe.Hint != "" {
			msg += ". " + pe.Hint
		}
		ae := &apiError{Status: status, Code: code, Message: msg, Err: err}
		if status == http.StatusServiceUnavailable {
			ae.RetryAfter = 5
		}
		return ae
	}
	var he *echo.HTTPError
	if errors.As(err, &he) {
		msg := http.StatusText(he.Code)
		if m, ok := he.Message.(string); ok {
			msg = m
		}
		code := "HTTP_" + strconv.Itoa(he.Code)
		switch he.Code {
		case http.StatusNotFound:
			code, msg = "NOT_FOUND", "no such endpoint: see GET /v1/openapi.json"
		case http.StatusMethodNotAllowed:
			code = "METHOD_NOT_ALLOWED"
		case http.StatusRequestEntityTooLarge:
			code, msg = "PAYLOAD_TOO_LARGE", "the request body is too large"
		}
		return &apiError{Status: he.Code, Code: code, Message: msg, Err: err}
	}
	return &apiError{Status: http.StatusInternalServerError, Code: "INTERNAL", Message: "internal error: the server log has details", Err: err}
}
