package wire

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"os"
	"sync"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5/pgproto3"

	"github.com/hotdata-dev/hotdata/internal/pgerr"
)

// maxMessageLen mirrors PostgreSQL's PQ_LARGE_MESSAGE_LIMIT (1 GB - 1),
// the most any frontend message may carry.
const maxMessageLen = 1<<30 - 1

// conn is one client connection. Its goroutine (serve) owns everything
// but the fields under mu, which Shutdown and CancelRequest touch.
type conn struct {
	srv    *Server
	nc     net.Conn
	pid    uint32
	secret [4]byte
	ctx    context.Context
	cancel context.CancelFunc
	log    *slog.Logger

	be   *pgproto3.Backend
	w    *writer
	sess Session
	info StartupInfo

	mu          sync.Mutex
	busy        bool
	draining    bool
	queryCancel context.CancelFunc
}

// errDrained ends a connection that Shutdown closed while idle.
var errDrained = errors.New("server shutting down")

func (c *conn) serve() {
	defer func() {
		if r := recover(); r != nil {
			c.log.Error("panic in connection", "panic", r)
		}
		c.cancel()
		if c.sess != nil {
			if err := c.sess.Close(); err != nil {
				c.log.Warn("close session", logKeyErr, err)
			}
		}
		c.nc.Close()
		c.srv.forget(c)
	}()
	c.w = newWriter(c.nc)
	_ = c.nc.SetDeadline(time.Now().Add(c.srv.cfg.AuthTimeout))
	ok, err := c.startup()
	if err != nil {
		c.fatal(err)
		return
	}
	if !ok {
		return
	}
	_ = c.nc.SetDeadline(time.Time{})
	if err := c.loop(); err != nil {
		if errors.Is(err, errDrained) {
			c.fatal(pgerr.New(pgerr.AdminShutdown, "terminating connection due to administrator command"))
			return
		}
		if isDisconnect(err) {
			c.log.Debug("client disconnected", logKeyErr, err)
			return
		}
		c.fatal(err)
	}
}

// fatal sends a FATAL error (if the socket still takes it) and logs it.
func (c *conn) fatal(err error) {
	e := pgerr.As(err)
	if e == nil {
		if isDisconnect(err) {
			c.log.Debug("client disconnected", logKeyErr, err)
			return
		}
		c.log.Debug("protocol error", logKeyErr, err)
		e = pgerr.Wrap(err, pgerr.ProtocolViolation, "invalid frontend message: %v", err)
	}
	_ = c.nc.SetWriteDeadline(time.Now().Add(5 * time.Second))
	c.w.errorResponse(e, pgerr.SeverityFatal)
	_ = c.w.flush()
}

func isDisconnect(err error) bool {
	return errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, net.ErrClosed) ||
		errors.Is(err, os.ErrDeadlineExceeded) || errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE)
}

// drain asks the connection to end: at once when idle, after the running
// statement otherwise.
func (c *conn) drain() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.draining = true
	if !c.busy {
		// Wake the blocked read; loop sees draining and says goodbye.
		_ = c.nc.SetReadDeadline(time.Now())
	}
}

func (c *conn) cancelRunning() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.queryCancel != nil {
		c.queryCancel()
	}
}

// beginQuery marks the connection busy and returns the statement context.
func (c *conn) beginQuery() (context.Context, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.draining {
		return nil, false
	}
	c.busy = true
	ctx, cancel := context.WithCancel(c.ctx)
	c.queryCancel = cancel
	return ctx, true
}

func (c *conn) endQuery() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.busy = false
	if c.queryCancel != nil {
		c.queryCancel()
		c.queryCancel = nil
	}
}

func (c *conn) isDraining() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.draining
}

// loop serves messages until Terminate or an error.
func (c *conn) loop() error {
	for {
		if err := c.w.flush(); err != nil {
			return err
		}
		if c.isDraining() {
			return errDrained
		}
		msg, err := c.be.Receive()
		if err != nil {
			if c.isDraining() && errors.Is(err, os.ErrDeadlineExceeded) {
				return errDrained
			}
			return err
		}
		switch m := msg.(type) {
		case *pgproto3.Query:
			if err := c.simpleQuery(m.String); err != nil {
				return err
			}
		case *pgproto3.Terminate:
			return nil
		case *pgproto3.Sync:
			c.readyForQuery()
		case *pgproto3.Flush:
			// Nothing is pending between round trips.
		case *pgproto3.Parse, *pgproto3.Bind, *pgproto3.Describe, *pgproto3.Execute, *pgproto3.Close:
			if err := c.unsupportedExtended(); err != nil {
				return err
			}
		default:
			return pgerr.New(pgerr.ProtocolViolation, "unexpected message type %T", msg)
		}
	}
}

// unsupportedExtended answers an extended-query message with an error and
// skips to the next Sync, as PostgreSQL does after an error.
func (c *conn) unsupportedExtended() error {
	c.w.errorResponse(pgerr.New(pgerr.FeatureNotSupported, "the extended query protocol is not supported yet").
		WithHint("Use the simple query protocol (for pgx: QueryExecModeSimpleProtocol)."), pgerr.SeverityError)
	for {
		msg, err := c.be.Receive()
		if err != nil {
			return err
		}
		if _, ok := msg.(*pgproto3.Sync); ok {
			c.readyForQuery()
			return nil
		}
	}
}

func (c *conn) readyForQuery() {
	status := byte('I')
	if c.sess != nil {
		status = c.sess.TxStatus()
	}
	c.w.send(&pgproto3.ReadyForQuery{TxStatus: status})
}

func (c *conn) simpleQuery(sql string) error {
	ctx, ok := c.beginQuery()
	if !ok {
		return errDrained
	}
	rw := &resultWriter{c: c}
	err := c.sess.SimpleQuery(ctx, sql, rw)
	canceled := ctx.Err() != nil
	c.endQuery()
	if err != nil {
		if werr := c.w.err; werr != nil {
			return werr
		}
		c.queryError(err, canceled)
	}
	c.readyForQuery()
	return c.w.err
}

// queryError reports a statement's error: SQLSTATE errors as they are,
// cancellations as 57014, anything else as an internal error (logged).
func (c *conn) queryError(err error, canceled bool) {
	e := pgerr.As(err)
	switch {
	case e != nil:
	case errors.Is(err, context.Canceled) || canceled:
		e = pgerr.New(pgerr.QueryCanceled, "canceling statement due to user request")
	default:
		c.log.Error("statement failed", logKeyErr, err)
		e = pgerr.New(pgerr.InternalError, "internal error: the statement failed; the server log has details")
	}
	c.w.errorResponse(e, pgerr.SeverityError)
}
