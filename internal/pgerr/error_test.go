package pgerr_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/hotdata-dev/hotdata/internal/pgerr"
)

// TestText: a user sees the context around an *Error and its Message,
// never the cause kept for logs.
func TestText(t *testing.T) {
	cause := errors.New("dial tcp 10.0.0.7:5432: connect: connection refused")
	wrapped := fmt.Errorf("sync a.b.c: publish: %w", pgerr.Wrap(cause, pgerr.CannotConnectNow, "the metastore is unavailable"))
	for _, c := range []struct {
		err  error
		want string
	}{
		{nil, ""},
		{errors.New("plain"), "plain"},
		{pgerr.New(pgerr.SyntaxError, "bad"), "bad (SQLSTATE 42601)"},
		{wrapped, "sync a.b.c: publish: the metastore is unavailable"},
		{pgerr.Wrap(cause, pgerr.InternalError, "failed"), "failed"},
	} {
		if got := pgerr.Text(c.err); got != c.want {
			t.Errorf("Text(%v) = %q, want %q", c.err, got, c.want)
		}
	}
}
