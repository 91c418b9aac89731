package commands

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/hotdata-dev/hotdata/cmd/hotdata/internal/client"
)

// Exit codes: stable, for scripts.
const (
	ExitOK          = 0   // done
	ExitError       = 1   // the server failed, or a job or query it ran failed
	ExitUsage       = 2   // a wrong command line, or nothing to act on (no login, no workspace)
	ExitNotFound    = 3   // HTTP 404: no such resource
	ExitAuth        = 4   // HTTP 401 or 403: no valid token, or a role too weak
	ExitInvalid     = 5   // another HTTP 4xx: the server refused the request (bad input, conflict, too large, SQL error)
	ExitUnreachable = 6   // the server could not be reached
	ExitInterrupted = 130 // Ctrl-C
)

// usageError is a mistake on the command line.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return &usageError{fmt.Sprintf(format, args...)} }

// failedError is a job, query run or check that ran and failed: exit 1,
// or exit as set (with the API's code, when it has one).
type failedError struct {
	msg  string
	code string
	exit int
}

func (e *failedError) Error() string { return e.msg }

// exitCode maps an error to the process's exit code.
func exitCode(err error) int {
	var ce *client.Error
	var ue *client.UsageError
	var use *usageError
	var fe *failedError
	switch {
	case err == nil:
		return ExitOK
	case errors.As(err, &fe) && fe.exit != 0:
		return fe.exit
	case errors.Is(err, context.Canceled):
		return ExitInterrupted
	case errors.As(err, &use), errors.As(err, &ue):
		return ExitUsage
	case errors.As(err, &ce):
		switch {
		case ce.Status == 0:
			return ExitUnreachable
		case ce.Status == http.StatusNotFound:
			return ExitNotFound
		case ce.Status == http.StatusUnauthorized, ce.Status == http.StatusForbidden:
			return ExitAuth
		case ce.Status >= 400 && ce.Status < 500:
			return ExitInvalid
		}
	}
	return ExitError
}

// reportError writes err to stderr: a line of text, or with --output
// json an object {"error": {"message", "code", "status", "exit_code"}}.
func reportError(w io.Writer, err error, asJSON bool) {
	code := exitCode(err)
	if code == ExitInterrupted {
		fmt.Fprintln(w, "hotdata: interrupted")
		return
	}
	var ce *client.Error
	if asJSON {
		e := map[string]any{"message": err.Error(), "exit_code": code}
		var fe *failedError
		if errors.As(err, &fe) && fe.code != "" {
			e["code"] = fe.code
		}
		if errors.As(err, &ce) {
			e["message"] = ce.Message
			if ce.Code != "" {
				e["code"] = ce.Code
			}
			if ce.Status != 0 {
				e["status"] = ce.Status
			}
		}
		b, _ := json.Marshal(map[string]any{"error": e})
		fmt.Fprintln(w, string(b))
		return
	}
	fmt.Fprintf(w, "hotdata: %v\n", err)
	if errors.As(err, &ce) {
		switch ce.Status {
		case http.StatusUnauthorized:
			fmt.Fprintln(w, "hint: the token is missing, revoked or expired: run `hotdata login`")
		case 0:
			fmt.Fprintln(w, "hint: is the server running? Check the URL with `hotdata whoami` or pass --url")
		}
	}
}
