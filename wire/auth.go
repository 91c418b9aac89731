package wire

import (
	"errors"
	"net"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgproto3"

	"github.com/hotdata-dev/hotdata/internal/pgerr"
	"github.com/hotdata-dev/hotdata/internal/scram"
)

// authenticate runs SCRAM-SHA-256 (or -PLUS over TLS; RFC 5802 as
// PostgreSQL uses it, "SASL Authentication" in the protocol chapter), or a
// cleartext password when the server allows it and the connection is TLS.
func (c *conn) authenticate() error {
	authFailed := pgerr.New(pgerr.InvalidPassword, "password authentication failed for user %q", c.info.User).
		WithHint("The password is an API token, and the database the name or id of a workspace the token can open.")
	limiter := c.srv.limiter
	keys := []string{"ip:" + hostOf(c.nc.RemoteAddr()), "user:" + c.info.User}
	fail := func(reason string, err error) error {
		delay := limiter.failure(keys...)
		c.log.Info("authentication failed", "reason", reason, logKeyErr, err, "delay", delay)
		if delay > 0 {
			// Slow down guessing from this address or for this user.
			select {
			case <-time.After(delay):
			case <-c.ctx.Done():
			}
		}
		return authFailed
	}

	if c.info.TLS && c.srv.cfg.AllowCleartext {
		c.w.send(&pgproto3.AuthenticationCleartextPassword{})
		if err := c.w.flush(); err != nil {
			return err
		}
		msg, err := c.rd.receiveAuth(pgproto3.AuthTypeCleartextPassword)
		if err != nil {
			return err
		}
		id, err := c.srv.cfg.Handler.CheckPassword(c.ctx, msg.(*pgproto3.PasswordMessage).Password)
		if err != nil {
			c.log.Error("check password", logKeyErr, err)
			return pgerr.New(pgerr.InternalError, "internal error: authentication is unavailable")
		}
		if id == "" {
			return fail("no token matches the password", nil)
		}
		limiter.success(keys...)
		c.info.CredentialID = id
		c.w.send(&pgproto3.AuthenticationOk{})
		return nil
	}

	mechanisms := []string{scram.SHA256}
	if c.binding != nil {
		mechanisms = []string{scram.SHA256Plus, scram.SHA256}
	}
	c.w.send(&pgproto3.AuthenticationSASL{AuthMechanisms: mechanisms})
	if err := c.w.flush(); err != nil {
		return err
	}
	msg, err := c.rd.receiveAuth(pgproto3.AuthTypeSASL)
	if err != nil {
		return err
	}
	initial := msg.(*pgproto3.SASLInitialResponse)
	if initial.AuthMechanism != scram.SHA256 && !(initial.AuthMechanism == scram.SHA256Plus && c.binding != nil) {
		return pgerr.New(pgerr.ProtocolViolation, "client selected an invalid SASL authentication mechanism")
	}
	creds, err := c.srv.cfg.Handler.Credentials(c.ctx, c.info.User, c.info.Database)
	if err != nil {
		c.log.Error("load credentials", logKeyErr, err)
		return pgerr.New(pgerr.InternalError, "internal error: authentication is unavailable")
	}
	ex := &scram.Exchange{Salt: creds.Salt, Iterations: creds.Iterations, Binding: c.binding}
	serverFirst, err := ex.ClientFirst(initial.AuthMechanism, initial.Data)
	if err != nil {
		if errors.Is(err, scram.ErrBinding) {
			return fail("channel binding downgrade", err)
		}
		return pgerr.Wrap(err, pgerr.ProtocolViolation, "malformed SCRAM message")
	}
	c.w.send(&pgproto3.AuthenticationSASLContinue{Data: []byte(serverFirst)})
	if err := c.w.flush(); err != nil {
		return err
	}
	msg, err = c.rd.receiveAuth(pgproto3.AuthTypeSASLContinue)
	if err != nil {
		return err
	}
	idx, serverFinal, err := ex.ClientFinal(msg.(*pgproto3.SASLResponse).Data, creds.Keys)
	switch {
	case errors.Is(err, scram.ErrBadProof):
		return fail("no token matches the password", nil)
	case errors.Is(err, scram.ErrBinding):
		return fail("channel binding mismatch", err)
	case err != nil:
		return pgerr.Wrap(err, pgerr.ProtocolViolation, "malformed SCRAM message")
	}
	limiter.success(keys...)
	c.info.CredentialID = creds.IDs[idx]
	c.w.send(&pgproto3.AuthenticationSASLFinal{Data: []byte(serverFinal)})
	c.w.send(&pgproto3.AuthenticationOk{})
	return nil
}

func hostOf(a net.Addr) string {
	if a == nil {
		return ""
	}
	host, _, err := net.SplitHostPort(a.String())
	if err != nil {
		return a.String()
	}
	return host
}

// authLimiter counts recent authentication failures per key (source
// address, user name) and makes each failure past a few answer slowly.
type authLimiter struct {
	free   int           // failures answered at once
	base   time.Duration // first delay
	max    time.Duration // longest delay
	forget time.Duration // a key is forgotten after this long without failure

	mu   sync.Mutex
	keys map[string]*failures
}

type failures struct {
	n    int
	last time.Time
}

// maxLimiterKeys bounds the memory the limiter can take.
const maxLimiterKeys = 100_000

func newAuthLimiter() *authLimiter {
	return &authLimiter{free: 5, base: 250 * time.Millisecond, max: 10 * time.Second, forget: 10 * time.Minute, keys: map[string]*failures{}}
}

// failure records a failure for each key and returns how long to wait
// before answering: zero for the first few, then doubling.
func (l *authLimiter) failure(keys ...string) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := time.Now()
	if len(l.keys) >= maxLimiterKeys {
		for k, f := range l.keys {
			if now.Sub(f.last) > l.forget {
				delete(l.keys, k)
			}
		}
		if len(l.keys) >= maxLimiterKeys {
			l.keys = map[string]*failures{}
		}
	}
	worst := 0
	for _, k := range keys {
		f := l.keys[k]
		if f == nil || now.Sub(f.last) > l.forget {
			f = &failures{}
			l.keys[k] = f
		}
		f.n++
		f.last = now
		worst = max(worst, f.n)
	}
	if worst <= l.free {
		return 0
	}
	d := l.base << min(worst-l.free-1, 16)
	return min(d, l.max)
}

// success forgets a key's failures.
func (l *authLimiter) success(keys ...string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, k := range keys {
		delete(l.keys, k)
	}
}
