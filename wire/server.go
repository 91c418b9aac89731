package wire

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/sha512"
	"crypto/subtle"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"hash"
	"log/slog"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hotdata-dev/hotdata/internal/authlimit"
	"github.com/hotdata-dev/hotdata/internal/pgerr"
)

// Log attribute keys.
const (
	logKeyRemote = "remote"
	logKeyPID    = "pid"
	logKeyUser   = "user"
	logKeyDB     = "database"
	logKeyErr    = "err"
)

// Config configures a Server.
type Config struct {
	Handler Handler
	Logger  *slog.Logger
	// ServerVersion is reported as server_version; clients parse it.
	ServerVersion string
	// AuthTimeout bounds start-up and authentication, like PostgreSQL's
	// authentication_timeout (0: 10s).
	AuthTimeout time.Duration
	// MaxHandshakes caps the connections not yet authenticated, and
	// MaxHandshakesPerAddr those of one source address (0: no cap). They
	// keep clients that never finish authenticating from holding
	// MaxConns. A connection past either cap waits up to HandshakeWait
	// (0: 5s, never past AuthTimeout) for a slot, so that a pool opening
	// many connections at once is slowed rather than refused; past that,
	// or when as many connections as MaxConns (or MaxHandshakes, if more)
	// already wait, it is refused with 53300.
	MaxHandshakes        int
	MaxHandshakesPerAddr int
	HandshakeWait        time.Duration
	// AuthLimiter counts failed authentications per source address and
	// user name (nil: a limiter of the package authlimit's defaults).
	AuthLimiter AuthLimiter
	// TLS, when set, is offered to clients that send SSLRequest (and to
	// direct TLS); SCRAM-SHA-256-PLUS binds to its certificate.
	TLS *tls.Config
	// RequireTLS refuses connections that did not negotiate TLS.
	RequireTLS bool
	// AllowCleartext asks TLS clients for the password in clear (it is
	// never asked over an unencrypted connection), for clients without
	// SCRAM support.
	AllowCleartext bool
	// MaxConns caps authenticated connections (0: no cap); past it
	// clients get 53300, as from PostgreSQL's max_connections.
	MaxConns int
	// IdleSessionTimeout and IdleInTransactionTimeout end connections
	// that wait longer between statements (0: never). A session may
	// override them (IdleTimeouts).
	IdleSessionTimeout       time.Duration
	IdleInTransactionTimeout time.Duration
	// MaxStatementBytes bounds the SQL text of one Query or Parse
	// message (0: PostgreSQL's PQ_LARGE_MESSAGE_LIMIT, 1 GB). A longer
	// one is skipped without being held in memory and fails with 54000;
	// the connection goes on.
	MaxStatementBytes int
}

// AuthLimiter counts failed authentications. addr is a source address's
// key (authlimit.Addr), user the start-up user name.
type AuthLimiter interface {
	// Check reports whether an attempt may go on, and if not, when to
	// retry; it is asked before the credential is looked at.
	Check(addr, user string) (retryAfter time.Duration, ok bool)
	// Failure counts a failure and returns how long to wait before
	// answering it.
	Failure(addr, user string) time.Duration
}

// Server accepts PostgreSQL protocol connections.
type Server struct {
	cfg Config
	log *slog.Logger

	ctx    context.Context // parent of every connection's context
	cancel context.CancelFunc
	wg     sync.WaitGroup

	mu        sync.Mutex
	listeners map[net.Listener]struct{}
	conns     map[uint32]*conn
	admitted  int
	draining  bool
	// Connections still in start-up or authentication, overall and per
	// source address.
	handshakes      int
	handshakesPerIP map[string]int
	// handshakeWaiters counts connections waiting for a slot;
	// handshakeFreed is closed (and replaced) whenever one frees.
	handshakeWaiters int
	handshakeFreed   chan struct{}

	nextPID    atomic.Uint32
	limiter    AuthLimiter
	refusals   refusalLog
	tlsBinding []byte
}

// NewServer returns a server; call Serve to accept connections.
func NewServer(cfg Config) (*Server, error) {
	if cfg.ServerVersion == "" {
		cfg.ServerVersion = "16.4"
	}
	if cfg.AuthTimeout == 0 {
		cfg.AuthTimeout = 10 * time.Second
	}
	if cfg.HandshakeWait == 0 {
		cfg.HandshakeWait = 5 * time.Second
	}
	cfg.HandshakeWait = min(cfg.HandshakeWait, cfg.AuthTimeout)
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.AuthLimiter == nil {
		cfg.AuthLimiter = authlimit.New(authlimit.DefaultMaxFailures, authlimit.DefaultWindow)
	}
	s := &Server{cfg: cfg, log: cfg.Logger, listeners: map[net.Listener]struct{}{}, conns: map[uint32]*conn{},
		handshakesPerIP: map[string]int{}, handshakeFreed: make(chan struct{}), limiter: cfg.AuthLimiter}
	if cfg.TLS != nil {
		b, err := endPointBinding(cfg.TLS)
		if err != nil {
			return nil, err
		}
		s.tlsBinding = b
	}
	if cfg.RequireTLS && cfg.TLS == nil {
		return nil, errors.New("wire: RequireTLS needs a TLS config")
	}
	s.ctx, s.cancel = context.WithCancel(context.Background())
	return s, nil
}

// endPointBinding computes the tls-server-end-point channel binding data
// (RFC 5929 section 4.1): the server certificate hashed with its
// signature's hash, SHA-256 when that is MD5 or SHA-1.
func endPointBinding(cfg *tls.Config) ([]byte, error) {
	if len(cfg.Certificates) == 0 || len(cfg.Certificates[0].Certificate) == 0 {
		return nil, errors.New("wire: the TLS config has no certificate")
	}
	cert, err := x509.ParseCertificate(cfg.Certificates[0].Certificate[0])
	if err != nil {
		return nil, fmt.Errorf("wire: parse TLS certificate: %w", err)
	}
	var h hash.Hash
	switch cert.SignatureAlgorithm {
	case x509.SHA384WithRSA, x509.ECDSAWithSHA384, x509.SHA384WithRSAPSS:
		h = sha512.New384()
	case x509.SHA512WithRSA, x509.ECDSAWithSHA512, x509.SHA512WithRSAPSS:
		h = sha512.New()
	default:
		h = sha256.New()
	}
	h.Write(cert.Raw)
	return h.Sum(nil), nil
}

// beginHandshake counts a new connection as unauthenticated. Past the
// caps on those it waits up to HandshakeWait for a slot; it returns the
// error to refuse the connection with when none frees in time.
func (s *Server) beginHandshake(ctx context.Context, c *conn) error {
	var deadline <-chan time.Time
	s.mu.Lock()
	defer s.mu.Unlock()
	for {
		err := s.handshakeCapLocked(c)
		if err == nil {
			break
		}
		if deadline == nil {
			if s.handshakeWaiters >= s.handshakeWaitCap() {
				return err
			}
			t := time.NewTimer(s.cfg.HandshakeWait)
			defer t.Stop()
			deadline = t.C
		}
		freed := s.handshakeFreed
		s.handshakeWaiters++
		s.mu.Unlock()
		timedOut := false
		select {
		case <-freed:
		case <-deadline:
			timedOut = true
		case <-ctx.Done():
			timedOut = true
		}
		s.mu.Lock()
		s.handshakeWaiters--
		if timedOut {
			return err
		}
	}
	s.handshakes++
	s.handshakesPerIP[c.addrKey]++
	c.handshaking = true
	return nil
}

// handshakeWaitCap is how many connections may wait for a handshake
// slot: as many as may be connected (a pool opening all its connections
// at once), at least MaxHandshakes, 1000 when neither is capped.
func (s *Server) handshakeWaitCap() int {
	if n := max(s.cfg.MaxConns, s.cfg.MaxHandshakes); n > 0 {
		return n
	}
	return 1000
}

// handshakeCapLocked says why c may not start its handshake now, or nil;
// s.mu is held.
func (s *Server) handshakeCapLocked(c *conn) error {
	if s.cfg.MaxHandshakesPerAddr > 0 && s.handshakesPerIP[c.addrKey] >= s.cfg.MaxHandshakesPerAddr {
		return pgerr.New(pgerr.TooManyConnections, "too many connections from your address are still authenticating (at most %d); try again shortly", s.cfg.MaxHandshakesPerAddr)
	}
	if s.cfg.MaxHandshakes > 0 && s.handshakes >= s.cfg.MaxHandshakes {
		return pgerr.New(pgerr.TooManyConnections, "too many connections are still authenticating (at most %d); try again shortly", s.cfg.MaxHandshakes)
	}
	return nil
}

// endHandshake stops counting c as unauthenticated; s.mu is held.
func (s *Server) endHandshakeLocked(c *conn) {
	if !c.handshaking {
		return
	}
	c.handshaking = false
	s.handshakes--
	if s.handshakesPerIP[c.addrKey]--; s.handshakesPerIP[c.addrKey] <= 0 {
		delete(s.handshakesPerIP, c.addrKey)
	}
	if s.handshakeWaiters > 0 {
		close(s.handshakeFreed)
		s.handshakeFreed = make(chan struct{})
	}
}

// admit ends c's handshake and counts it against MaxConns: only
// authenticated connections do, so that clients that never finish
// authenticating cannot lock everybody out.
func (s *Server) admit(c *conn) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.endHandshakeLocked(c)
	if s.cfg.MaxConns > 0 && s.admitted >= s.cfg.MaxConns {
		return false
	}
	s.admitted++
	c.admitted = true
	return true
}

// ErrServerClosed is returned by Serve after Shutdown.
var ErrServerClosed = errors.New("wire: server closed")

// Serve accepts connections on ln until Shutdown or until ln is closed;
// it always returns an error. Other Accept errors (out of file
// descriptors: EMFILE, ENFILE; ECONNABORTED) are logged and retried after
// a pause that doubles from 5ms to 1s, as net/http's Server does: a burst
// of connections must not stop the listener for good.
func (s *Server) Serve(ln net.Listener) error {
	s.mu.Lock()
	if s.draining {
		s.mu.Unlock()
		return ErrServerClosed
	}
	s.listeners[ln] = struct{}{}
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		delete(s.listeners, ln)
		s.mu.Unlock()
	}()
	var backoff time.Duration
	for {
		nc, err := ln.Accept()
		if err != nil {
			s.mu.Lock()
			draining := s.draining
			s.mu.Unlock()
			if draining {
				return ErrServerClosed
			}
			if errors.Is(err, net.ErrClosed) {
				return err
			}
			backoff = min(max(2*backoff, 5*time.Millisecond), time.Second)
			s.log.Warn("accept failed; retrying", logKeyErr, err, "retry_in", backoff)
			select {
			case <-time.After(backoff):
			case <-s.ctx.Done():
				return ErrServerClosed
			}
			continue
		}
		backoff = 0
		c := s.newConn(nc)
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			c.serve()
		}()
	}
}

func (s *Server) newConn(nc net.Conn) *conn {
	if tc, ok := nc.(*net.TCPConn); ok {
		_ = tc.SetNoDelay(true)
		_ = tc.SetKeepAlive(true)
	}
	pid := s.nextPID.Add(1)
	var secret [4]byte
	_, _ = rand.Read(secret[:])
	ctx, cancel := context.WithCancel(s.ctx)
	c := &conn{srv: s, nc: nc, pid: pid, secret: secret, ctx: ctx, cancel: cancel, addrKey: authlimit.Addr(nc.RemoteAddr().String()),
		log: s.log.With(logKeyRemote, nc.RemoteAddr().String(), logKeyPID, pid)}
	s.mu.Lock()
	s.conns[pid] = c
	s.mu.Unlock()
	return c
}

func (s *Server) forget(c *conn) {
	s.mu.Lock()
	delete(s.conns, c.pid)
	s.endHandshakeLocked(c)
	if c.admitted {
		s.admitted--
	}
	s.mu.Unlock()
}

// Conns reports how many client connections are open.
func (s *Server) Conns() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.conns)
}

// cancelQuery handles a CancelRequest: the key must match exactly.
func (s *Server) cancelQuery(pid uint32, secret []byte) {
	s.mu.Lock()
	c := s.conns[pid]
	s.mu.Unlock()
	if c == nil || subtle.ConstantTimeCompare(c.secret[:], secret) != 1 {
		s.log.Debug("cancel request for unknown backend", logKeyPID, pid)
		return
	}
	c.cancelRunning()
}

// Shutdown stops accepting, lets running statements finish and closes
// idle sessions (FATAL 57P01). When ctx ends first, it cancels what still
// runs and closes every connection. It returns once all connections ended.
func (s *Server) Shutdown(ctx context.Context) error {
	s.mu.Lock()
	s.draining = true
	for ln := range s.listeners {
		ln.Close()
	}
	conns := make([]*conn, 0, len(s.conns))
	for _, c := range s.conns {
		conns = append(conns, c)
	}
	s.mu.Unlock()
	for _, c := range conns {
		c.drain()
	}
	done := make(chan struct{})
	go func() {
		s.wg.Wait()
		close(done)
	}()
	select {
	case <-done:
		s.cancel()
		return nil
	case <-ctx.Done():
		s.cancel()
		s.mu.Lock()
		for _, c := range s.conns {
			c.nc.Close()
		}
		s.mu.Unlock()
		<-done
		return ctx.Err()
	}
}

// Draining reports whether Shutdown has begun.
func (s *Server) Draining() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.draining
}

// refusalLog logs refused connections at most once per interval, with
// how many were refused since, so that a flood does not flood the log.
type refusalLog struct {
	mu    sync.Mutex
	last  time.Time
	count int
}

const refusalLogInterval = 10 * time.Second

func (r *refusalLog) add(log *slog.Logger, err error) {
	r.mu.Lock()
	r.count++
	now := time.Now()
	if now.Sub(r.last) < refusalLogInterval {
		r.mu.Unlock()
		return
	}
	n := r.count
	r.last, r.count = now, 0
	r.mu.Unlock()
	log.Warn("connections refused", "count", n, "reason", err)
}
