package metastore

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/hotdata-dev/hotdata/internal/metrics"
	"github.com/hotdata-dev/hotdata/internal/pgerr"
)

// Sentinel errors. Methods wrap them, so test with errors.Is.
var (
	// ErrNotFound: the object does not exist (or is not visible in the scope asked).
	ErrNotFound = errors.New("not found")
	// ErrConflict: a unique name is already taken.
	ErrConflict = errors.New("already exists")
	// ErrSecretKey: a sealed value cannot be opened with the configured key.
	ErrSecretKey = errors.New("secret cannot be decrypted with the configured key")
)

// ErrUnavailable: the metastore cannot be reached (stopped, restarting,
// or the network to it broken). Errors that wrap it are also a
// *pgerr.Error with SQLSTATE 57P03 (cannot_connect_now), which the front
// ends report as such (REST: 503); the cause is kept for the log.
var ErrUnavailable = errors.New("the metastore is unavailable")

// unavailable marks err as ErrUnavailable when it says the connection to
// the metastore failed; other errors are returned as they are.
func unavailable(err error) error {
	if err == nil || errors.Is(err, ErrUnavailable) || !connectionLost(err) {
		return err
	}
	metrics.MetastoreUnavailable()
	return pgerr.Wrap(fmt.Errorf("%w: %w", ErrUnavailable, err), pgerr.CannotConnectNow,
		"Hotdata's metastore is unavailable; try again shortly")
}

// connectionLost reports whether err means the database could not be
// reached or the connection broke, rather than that a statement failed.
func connectionLost(err error) bool {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		// The caller gave up (a cancel, a statement timeout); a deadline
		// is a net.Error too.
		return false
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		// connection_exception, and the server shutting down or starting.
		return strings.HasPrefix(pe.Code, "08") || pe.Code == "57P01" || pe.Code == "57P02" || pe.Code == "57P03"
	}
	var ce *pgconn.ConnectError
	var ne net.Error
	return errors.As(err, &ce) || errors.As(err, &ne) ||
		errors.Is(err, driver.ErrBadConn) || errors.Is(err, sql.ErrConnDone) ||
		errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, net.ErrClosed) ||
		errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE) ||
		pgconn.SafeToRetry(err)
}

// RetryWhileUnavailable runs fn until it returns anything but
// ErrUnavailable, pausing between tries from 100ms up to 5s; it gives up
// when ctx ends, with fn's last error. For writes that must not be lost
// to a metastore restart.
func RetryWhileUnavailable(ctx context.Context, fn func(context.Context) error) error {
	pause := 100 * time.Millisecond
	for {
		err := fn(ctx)
		if !errors.Is(err, ErrUnavailable) {
			return err
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(pause):
		}
		pause = min(2*pause, 5*time.Second)
	}
}
