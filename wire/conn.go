package wire

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"os"
	"runtime/debug"
	"sync"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5/pgproto3"

	"github.com/hotdata-dev/hotdata/internal/pgerr"
)

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

	rd      *reader
	w       *writer
	sess    Session
	info    StartupInfo
	binding []byte // tls-server-end-point data once TLS is up
	addrKey string // the source address as the limits count it (authlimit.Addr)
	// handshaking (counted against MaxHandshakes) until authenticated,
	// then admitted (counted against MaxConns); both under srv.mu.
	handshaking bool
	admitted    bool

	// Extended-protocol state.
	stmts         map[string]PreparedStatement
	portals       map[string]*portal
	skipUntilSync bool

	mu          sync.Mutex
	busy        bool
	draining    bool
	queryCancel context.CancelFunc
}

// portal is a bound portal with what Describe needs.
type portal struct {
	p       Portal
	fields  []pgproto3.FieldDescription // with the result formats
	formats []int16
}

// Limits on one session's extended-protocol objects.
const (
	maxPreparedStatements = 10000
	maxPortals            = 1000
)

// errDrained ends a connection that Shutdown closed while idle.
var errDrained = errors.New("server shutting down")

// errSessionEnded stops the loop after the session answered a statement
// with a FATAL error (for example, its credential was revoked).
var errSessionEnded = errors.New("the session ended the connection")

// idleTimeout ends a connection that waited too long between messages.
type idleTimeout struct{ inTx bool }

func (idleTimeout) Error() string { return "idle timeout" }

func (c *conn) serve() {
	defer func() {
		if r := recover(); r != nil {
			c.log.Error("panic in connection", "panic", r, "stack", string(debug.Stack()))
		}
		c.cancel()
		c.closeAll()
		if c.sess != nil {
			if err := c.sess.Close(); err != nil {
				c.log.Warn("close session", logKeyErr, err)
			}
		}
		c.nc.Close()
		c.srv.forget(c)
	}()
	c.w = newWriter(c.nc)
	if err := c.srv.beginHandshake(c.ctx, c); err != nil {
		c.srv.refusals.add(c.srv.log, err)
		c.refuse(err)
		return
	}
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
	err = c.loop()
	// Answers to what was read before the end still go out.
	_ = c.nc.SetWriteDeadline(time.Now().Add(5 * time.Second))
	_ = c.w.flush()
	var idle idleTimeout
	switch {
	case err == nil:
	case errors.Is(err, errDrained):
		c.fatal(pgerr.New(pgerr.AdminShutdown, "terminating connection due to administrator command"))
	case errors.As(err, &idle) && idle.inTx:
		c.fatal(pgerr.New("25P03", "terminating connection due to idle-in-transaction timeout"))
	case errors.As(err, &idle):
		c.fatal(pgerr.New("57P05", "terminating connection due to idle-session timeout"))
	case isDisconnect(err):
		c.log.Debug("client disconnected", logKeyErr, err)
	default:
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
	} else if e.Code == pgerr.ProtocolViolation {
		c.log.Debug("protocol error", logKeyErr, err)
	}
	_ = c.nc.SetWriteDeadline(time.Now().Add(5 * time.Second))
	c.w.err = nil
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

// beginWork marks the connection busy and returns the context of the work
// (a statement, or the processing of one message).
func (c *conn) beginWork() (context.Context, bool) {
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

func (c *conn) endWork() {
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

// idleDeadline arms the read deadline for the wait between messages.
func (c *conn) idleDeadline() {
	session, inTx := c.srv.cfg.IdleSessionTimeout, c.srv.cfg.IdleInTransactionTimeout
	if t, ok := c.sess.(interface {
		IdleTimeouts() (time.Duration, time.Duration)
	}); ok {
		session, inTx = t.IdleTimeouts()
	}
	d := session
	if c.sess.TxStatus() != 'I' {
		d = inTx
	}
	if d > 0 {
		_ = c.nc.SetReadDeadline(time.Now().Add(d))
	} else {
		_ = c.nc.SetReadDeadline(time.Time{})
	}
}

// loop serves messages until Terminate or an error.
func (c *conn) loop() error {
	for {
		if c.isDraining() {
			return errDrained
		}
		// Flush only when the next read may block: a client pipelining
		// Parse/Bind/Describe/Execute/Sync gets all the answers in one
		// write instead of one per message.
		if c.rd.r.Buffered() == 0 {
			if err := c.w.flush(); err != nil {
				return err
			}
			c.idleDeadline()
		}
		msg, err := c.rd.receive()
		var tooLong *statementTooLong
		if errors.As(err, &tooLong) {
			c.statementTooLong(tooLong)
			continue
		}
		if err != nil {
			if errors.Is(err, os.ErrDeadlineExceeded) {
				if c.isDraining() {
					return errDrained
				}
				return idleTimeout{inTx: c.sess.TxStatus() != 'I'}
			}
			return err
		}
		_ = c.nc.SetReadDeadline(time.Time{})
		if c.skipUntilSync {
			// After an error in the extended protocol, everything up to
			// the next Sync is read and discarded.
			switch msg.(type) {
			case *pgproto3.Sync:
				c.skipUntilSync = false
				c.sync()
			case *pgproto3.Terminate:
				return nil
			}
			continue
		}
		switch m := msg.(type) {
		case *pgproto3.Query:
			if err := c.simpleQuery(m.String); err != nil {
				return err
			}
		case *pgproto3.Parse:
			c.work(func(ctx context.Context) error { return c.parse(ctx, m) })
		case *pgproto3.Bind:
			c.work(func(ctx context.Context) error { return c.bind(ctx, m) })
		case *pgproto3.Describe:
			c.work(func(context.Context) error { return c.describe(m) })
		case *pgproto3.Execute:
			c.work(func(ctx context.Context) error { return c.execute(ctx, m) })
		case *pgproto3.Close:
			c.closeObject(m)
		case *pgproto3.Sync:
			c.sync()
		case *pgproto3.Flush:
			if err := c.w.flush(); err != nil {
				return err
			}
		case *pgproto3.Terminate:
			return nil
		case *pgproto3.CopyData, *pgproto3.CopyDone, *pgproto3.CopyFail:
			// Ignored outside COPY FROM, as PostgreSQL does: they can
			// follow a COPY that failed.
		case *pgproto3.FunctionCall:
			c.w.errorResponse(pgerr.New(pgerr.FeatureNotSupported, "the function call protocol is not supported"), pgerr.SeverityError)
			c.skipUntilSync = false
			c.readyForQuery()
		default:
			return pgerr.New(pgerr.ProtocolViolation, "unexpected message type %T", msg)
		}
		if c.w.err != nil {
			return c.w.err
		}
	}
}

// statementTooLong answers a Query or Parse message whose body was
// skipped for its size: the statement fails, the session goes on.
func (c *conn) statementTooLong(e *statementTooLong) {
	if c.skipUntilSync {
		return // the batch failed already
	}
	c.w.errorResponse(e.pgError(), pgerr.SeverityError)
	if c.sess != nil {
		if f, ok := c.sess.(TxFailer); ok {
			f.FailTx()
		}
	}
	if e.typ == 'Q' {
		c.readyForQuery()
	} else {
		c.skipUntilSync = true
	}
}

// work runs one extended-protocol step; an error is reported and the
// rest of the batch skipped until Sync.
func (c *conn) work(fn func(context.Context) error) {
	ctx, ok := c.beginWork()
	if !ok {
		c.skipUntilSync = true
		c.w.errorResponse(pgerr.New(pgerr.AdminShutdown, "terminating connection due to administrator command"), pgerr.SeverityError)
		return
	}
	err := fn(ctx)
	canceled := ctx.Err() != nil
	c.endWork()
	if err != nil && c.w.err == nil {
		c.queryError(err, canceled)
		c.skipUntilSync = true
	}
}

func (c *conn) readyForQuery() {
	status := byte('I')
	if c.sess != nil {
		status = c.sess.TxStatus()
		if r, ok := c.sess.(ParameterReporter); ok {
			for _, p := range r.ReportedChanges() {
				c.w.send(&pgproto3.ParameterStatus{Name: p[0], Value: p[1]})
			}
		}
	}
	c.w.send(&pgproto3.ReadyForQuery{TxStatus: status})
}

// sync ends an extended-protocol batch: outside a transaction block the
// implicit transaction ends, and with it every portal.
func (c *conn) sync() {
	if c.sess.TxStatus() == 'I' {
		c.closePortals()
	}
	c.readyForQuery()
}

func (c *conn) closePortals() {
	for name, p := range c.portals {
		p.p.Close()
		delete(c.portals, name)
	}
}

// deallocate drops a named prepared statement, or all of them for "";
// it reports whether the name existed.
func (c *conn) deallocate(name string) bool {
	if name == "" {
		for n, s := range c.stmts {
			s.Close()
			delete(c.stmts, n)
		}
		return true
	}
	s, ok := c.stmts[name]
	if ok {
		s.Close()
		delete(c.stmts, name)
	}
	return ok
}

// notice sends a NoticeResponse unless the session's
// client_min_messages is above its severity.
func (c *conn) notice(n *pgerr.Error) {
	if f, ok := c.sess.(NoticeFilter); ok {
		sev := n.Severity
		if sev == "" {
			sev = pgerr.SeverityNotice
		}
		if !f.SendsNotice(sev) {
			return
		}
	}
	c.w.notice(n)
}

// lookupPortal finds a bound portal for FETCH or MOVE by name (the
// unnamed portal has no name SQL can give).
func (c *conn) lookupPortal(name string) (Portal, []pgproto3.FieldDescription, bool) {
	if name == "" {
		return nil, nil, false
	}
	p, ok := c.portals[name]
	if !ok {
		return nil, nil, false
	}
	return p.p, p.fields, true
}

// closeAll frees every statement and portal (connection end, DISCARD ALL).
func (c *conn) closeAll() {
	c.closePortals()
	for name, s := range c.stmts {
		s.Close()
		delete(c.stmts, name)
	}
}

func (c *conn) simpleQuery(sql string) error {
	ctx, ok := c.beginWork()
	if !ok {
		return errDrained
	}
	// A Query message destroys the unnamed statement and portal.
	if s := c.stmts[""]; s != nil {
		s.Close()
		delete(c.stmts, "")
	}
	if p := c.portals[""]; p != nil {
		p.p.Close()
		delete(c.portals, "")
	}
	rw := newResultWriter(c, false, nil)
	err := c.sess.SimpleQuery(ctx, sql, rw)
	canceled := ctx.Err() != nil
	c.endWork()
	if err != nil {
		if werr := c.w.err; werr != nil {
			return werr
		}
		if rw.copy != nil {
			// An error in the middle of COPY OUT still ends the copy.
			rw.copy = nil
		}
		c.queryError(err, canceled)
	}
	if c.sess.TxStatus() == 'I' {
		c.closePortals()
	}
	c.readyForQuery()
	return c.w.err
}

// queryError reports a statement's error: SQLSTATE errors as they are,
// cancellations as 57014, anything else as an internal error (logged).
func (c *conn) queryError(err error, canceled bool) {
	e := pgerr.As(err)
	if e != nil && e.Severity == pgerr.SeverityFatal {
		// The session ended itself (its credential stopped working):
		// the error is the last message and the connection closes.
		c.w.errorResponse(e, pgerr.SeverityFatal)
		if c.w.flush() == nil {
			c.w.err = errSessionEnded
		}
		return
	}
	switch {
	case e != nil && e.Code == pgerr.CannotConnectNow:
		c.log.Warn("statement failed", logKeyErr, err)
	case e != nil:
	case errors.Is(err, context.Canceled) || canceled:
		e = pgerr.New(pgerr.QueryCanceled, "canceling statement due to user request")
	default:
		c.log.Error("statement failed", logKeyErr, err)
		e = pgerr.New(pgerr.InternalError, "internal error: the statement failed; the server log has details")
	}
	c.w.errorResponse(e, pgerr.SeverityError)
	if f, ok := c.sess.(TxFailer); ok {
		f.FailTx()
	}
}
