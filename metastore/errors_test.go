package metastore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"net"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/hotdata-dev/hotdata/internal/pgerr"
)

// TestUnavailable: connection failures become ErrUnavailable with
// SQLSTATE 57P03; a statement's own failure, a cancel or a timeout do
// not.
func TestUnavailable(t *testing.T) {
	refused := &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connection refused")}
	for _, c := range []struct {
		err  error
		want bool
	}{
		{refused, true},
		{fmt.Errorf("get workspace: %w", io.ErrUnexpectedEOF), true},
		{&pgconn.PgError{Code: "57P01", Message: "terminating connection due to administrator command"}, true},
		{&pgconn.PgError{Code: "08006"}, true},
		{sql.ErrConnDone, true},
		{&pgconn.PgError{Code: "23505"}, false},
		{sql.ErrNoRows, false},
		{context.Canceled, false},
		{fmt.Errorf("read: %w", context.DeadlineExceeded), false},
	} {
		err := unavailable(c.err)
		if got := errors.Is(err, ErrUnavailable); got != c.want {
			t.Errorf("unavailable(%v): ErrUnavailable %v, want %v", c.err, got, c.want)
			continue
		}
		if c.want && pgerr.Code(err) != pgerr.CannotConnectNow {
			t.Errorf("unavailable(%v): SQLSTATE %s, want 57P03", c.err, pgerr.Code(err))
		}
		if !c.want && err != c.err {
			t.Errorf("unavailable(%v) changed the error to %v", c.err, err)
		}
	}
}

// TestRetryWhileUnavailable: retried while unavailable, not otherwise,
// and not past the context.
func TestRetryWhileUnavailable(t *testing.T) {
	var n atomic.Int32
	err := RetryWhileUnavailable(context.Background(), func(context.Context) error {
		if n.Add(1) < 3 {
			return unavailable(io.ErrUnexpectedEOF)
		}
		return nil
	})
	if err != nil || n.Load() != 3 {
		t.Fatalf("retried %d times, then %v; want 3 tries and success", n.Load(), err)
	}
	n.Store(0)
	other := errors.New("constraint")
	if err := RetryWhileUnavailable(context.Background(), func(context.Context) error { n.Add(1); return other }); err != other || n.Load() != 1 {
		t.Fatalf("another error: %v after %d tries; want it after 1", err, n.Load())
	}
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	err = RetryWhileUnavailable(ctx, func(context.Context) error { return unavailable(io.ErrUnexpectedEOF) })
	if !errors.Is(err, ErrUnavailable) || ctx.Err() == nil {
		t.Fatalf("past its context: %v (context %v)", err, ctx.Err())
	}
}
